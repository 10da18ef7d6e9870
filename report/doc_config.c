/* config{} of a document as sorted name = text pairs. The values are
 * only ever shown (as what differs between files), so a list is joined
 * into one text and a long one cut; numbers must still be finite. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc_config.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct doc_fact *)a)->name,
		      ((const struct doc_fact *)b)->name);
}

/* Appends scalar v's text to buf (len bytes, NUL-terminated). */
static int add_scalar(const struct doc_at *a, const char *k, json_t *v,
		      char *buf, size_t len)
{
	size_t n = strlen(buf);
	double x;
	int rc;

	if (json_is_string(v)) {
		snprintf(buf + n, len - n, "%s", json_string_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(buf + n, len - n, "%s", json_is_true(v) ? "true" : "false");
	} else if (json_is_number(v)) {
		if ((rc = doc_check_value(a, k, v, -DOC_NUM_MAX, DOC_NUM_MAX, &x)) < 0)
			return rc;
		snprintf(buf + n, len - n, "%.12g", x);
	} else if (json_is_null(v)) {
		snprintf(buf + n, len - n, "-");
	} else {
		snprintf(buf + n, len - n, "{...}");
	}
	return 0;
}

static int value_text(const struct doc_at *a, const char *k, json_t *v,
		      char **out)
{
	char buf[DOC_HYGIENE_VALUE_MAX + 1] = "";
	json_t *x;
	size_t i;
	int rc;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			size_t n = strlen(buf);

			if (i && n + 1 < sizeof(buf))
				buf[n] = ',', buf[n + 1] = '\0';
			if (json_is_array(x))
				x = NULL; /* a list in a list: shown as {...} */
			if ((rc = add_scalar(a, k, x ? x : v, buf, sizeof(buf))) < 0)
				return rc;
		}
	} else if ((rc = add_scalar(a, k, v, buf, sizeof(buf))) < 0) {
		return rc;
	}
	*out = strdup(buf);
	return *out ? 0 : doc_check_oom(a);
}

int doc_config_load(struct doc *d, json_t *root, const struct doc_at *a)
{
	struct doc_at sub;
	const char *k;
	json_t *cfg, *v;
	int rc;

	if ((rc = doc_check_obj(a, root, "config", 0, &cfg)) < 0 || !cfg)
		return rc;
	doc_check_at(&sub, a, "config");
	if (json_object_size(cfg) > DOC_CONFIG_MAX)
		return doc_check_bad(&sub, NULL, "more than %d entries", DOC_CONFIG_MAX);
	d->config = calloc(json_object_size(cfg) + 1, sizeof(*d->config));
	if (!d->config)
		return doc_check_oom(a);
	json_object_foreach(cfg, k, v) {
		struct doc_fact *f = &d->config[d->n_config];

		if (!*k || strlen(k) > DOC_HYGIENE_KEY_MAX)
			return doc_check_bad(&sub, NULL, "a name is empty or longer than %d bytes",
					     DOC_HYGIENE_KEY_MAX);
		if ((rc = value_text(&sub, k, v, &f->value)) < 0)
			return rc;
		f->name = k;
		d->n_config++;
	}
	qsort(d->config, d->n_config, sizeof(*d->config), by_name);
	return 0;
}

const char *doc_config_get(const struct doc *d, const char *name)
{
	struct doc_fact key = { .name = name };
	const struct doc_fact *f;

	if (!d->n_config)
		return NULL;
	f = bsearch(&key, d->config, d->n_config, sizeof(*d->config), by_name);
	return f ? f->value : NULL;
}
