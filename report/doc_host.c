/* A host object of a result document: the names a report shows and the
 * hygiene facts compare sets side by side, checked as hostile input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc_host.h"

static int fact_cmp(const void *a, const void *b)
{
	return strcmp(((const struct doc_fact *)a)->name,
		      ((const struct doc_fact *)b)->name);
}

/* One fact's value as text; NULL when out of memory. */
static int fact_value(const struct doc_at *a, const char *k, json_t *v,
		      char **out)
{
	double x;
	int rc;

	*out = NULL;
	if (json_is_string(v)) {
		if (json_string_length(v) > DOC_HYGIENE_VALUE_MAX)
			return doc_check_bad(a, k, "longer than %d bytes",
					     DOC_HYGIENE_VALUE_MAX);
		*out = doc_check_strf("%s", json_string_value(v));
	} else if (json_is_boolean(v)) {
		*out = doc_check_strf("%s", json_is_true(v) ? "true" : "false");
	} else if (json_is_number(v)) {
		if ((rc = doc_check_value(a, k, v, -DOC_NUM_MAX, DOC_NUM_MAX, &x)) < 0)
			return rc;
		*out = doc_check_strf("%.12g", x);
	} else {
		return doc_check_bad(a, k, "must be a string, a number or a boolean");
	}
	return *out ? 0 : doc_check_oom(a);
}

/* hygiene: an object of at most DOC_HYGIENE_MAX short strings, finite
 * numbers or booleans (optional). */
static int load_hygiene(struct doc_host *h, json_t *o, const struct doc_at *a)
{
	json_t *hy, *v;
	const char *k;
	struct doc_at sub;
	int rc;

	if ((rc = doc_check_obj(a, o, "hygiene", 0, &hy)) < 0 || !hy)
		return rc;
	doc_check_at(&sub, a, "hygiene");
	if (json_object_size(hy) > DOC_HYGIENE_MAX)
		return doc_check_bad(&sub, NULL, "more than %d facts", DOC_HYGIENE_MAX);
	h->hygiene = calloc(json_object_size(hy) + 1, sizeof(*h->hygiene));
	if (!h->hygiene)
		return doc_check_oom(a);
	h->has_hygiene = 1;
	json_object_foreach(hy, k, v) {
		struct doc_fact *f = &h->hygiene[h->n_hygiene];

		if (strlen(k) > DOC_HYGIENE_KEY_MAX)
			return doc_check_bad(&sub, NULL, "a fact's name is longer than %d bytes",
					     DOC_HYGIENE_KEY_MAX);
		if ((rc = fact_value(&sub, k, v, &f->value)) < 0)
			return rc;
		f->name = k;
		h->n_hygiene++;
	}
	qsort(h->hygiene, h->n_hygiene, sizeof(*h->hygiene), fact_cmp);
	return 0;
}

int doc_host_load(struct doc_host *h, json_t *o, const struct doc_at *a)
{
	static const struct {
		const char *name;
		size_t offset; /* of a const char * in struct doc_host */
	} texts[] = {
		{ "hostname", offsetof(struct doc_host, hostname) },
		{ "cpu_model", offsetof(struct doc_host, cpu_model) },
		{ "kernel", offsetof(struct doc_host, kernel) },
		{ "label", offsetof(struct doc_host, label) },
	};
	long long pus = 0;
	int rc;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < NCB_ARRAY_SIZE(texts); i++) {
		const char **s = (const char **)(void *)((char *)h + texts[i].offset);

		if ((rc = doc_check_str(a, o, texts[i].name, 0, s)) < 0)
			return rc;
		/* Names go into titles, cells and one-line warnings. */
		if (strlen(*s) > DOC_HOST_TEXT_MAX)
			return doc_check_bad(a, texts[i].name, "longer than %d bytes",
					     DOC_HOST_TEXT_MAX);
	}
	if ((rc = doc_check_opt_int(a, o, "pus", 0, DOC_PUS_MAX, &pus)) < 0)
		return rc;
	h->pus = (unsigned)pus;
	return load_hygiene(h, o, a);
}

const char *doc_host_name(const struct doc_host *h)
{
	return *h->label ? h->label : h->hostname;
}

void doc_host_free(struct doc_host *h)
{
	for (size_t i = 0; i < h->n_hygiene; i++)
		free(h->hygiene[i].value);
	free(h->hygiene);
	h->hygiene = NULL;
	h->n_hygiene = 0;
}
