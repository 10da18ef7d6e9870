/* Suite files with Jansson: JSON keys become long options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench/opts.h"
#include "bench/suite.h"

/* Options that belong to one invocation, not to a group; where the cases
 * run (--peer and its key, the host's label) is the command line's too: a
 * suite describes cases. */
static const char *const cli_only[] = { "suite", "output", "quiet",
					"progress", "help", "peer",
					"psk-file", "reverse", "bidir",
					"json-stream", "host-label" };

void suite_free(struct suite *s)
{
	if (!s)
		return;
	for (size_t g = 0; g < s->n_groups; g++)
		for (int i = 0; i < s->argc[g]; i++)
			free(s->argv[g][i]);
	free(s);
}

static int push(struct suite *s, size_t g, const char *arg)
{
	if (s->argc[g] >= SUITE_ARGS_MAX)
		return -E2BIG;
	s->argv[g][s->argc[g]] = strdup(arg);
	if (!s->argv[g][s->argc[g]])
		return -ENOMEM;
	s->argc[g]++;
	return 0;
}

/* One value as option text: "a", 12, [a, b] -> "a,b". */
static int value_text(json_t *v, char *buf, size_t len)
{
	size_t used = 0, i;
	json_t *x;

	if (json_is_string(v))
		return snprintf(buf, len, "%s", json_string_value(v)) <
			       (int)len ? 0 : -E2BIG;
	if (json_is_integer(v))
		return snprintf(buf, len, "%lld",
				(long long)json_integer_value(v)) < (int)len
			       ? 0
			       : -E2BIG;
	if (json_is_real(v))
		return snprintf(buf, len, "%g", json_real_value(v)) < (int)len
			       ? 0
			       : -E2BIG;
	if (!json_is_array(v) || !json_array_size(v))
		return -EINVAL;
	json_array_foreach(v, i, x) {
		int rc;

		if (json_is_array(x))
			return -EINVAL;
		if (i)
			buf[used++] = ',';
		if (used >= len)
			return -E2BIG;
		rc = value_text(x, buf + used, len - used);
		if (rc < 0)
			return rc;
		used += strlen(buf + used);
	}
	return 0;
}

/* Appends the options of object o to group g. A key must be the exact
 * name of an option (getopt would take "outp" for "output"), and reaches
 * the parser as one "--key=value" argument, so no value can pass for an
 * option or take the place of a missing one. */
static int add_options(struct suite *s, size_t g, json_t *o, const char *where,
		       struct ncb_err *e)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return ncb_errf(e, -EINVAL, "%s: not an object of options", where);
	json_object_foreach(o, key, v) {
		char arg[1200], val[1024];
		int rc, takes;

		for (size_t i = 0; i < NCB_ARRAY_SIZE(cli_only); i++)
			if (!strcmp(key, cli_only[i]))
				return ncb_errf(e, -EINVAL,
						"%s: \"%s\" belongs on the command line, not in a suite",
						where, key);
		takes = opts_find_long(key);
		if (takes < 0)
			return ncb_errf(e, -EINVAL,
					"%s: unknown option '--%s' (keys are the long options of ncbench run --help, in full)",
					where, key);
		if (!takes && !json_is_boolean(v))
			return ncb_errf(e, -EINVAL, "%s: \"%s\" is a flag: give true or false",
					where, key);
		if (takes && json_is_boolean(v))
			return ncb_errf(e, -EINVAL, "%s: \"%s\" needs a value, not %s",
					where, key, json_is_true(v) ? "true" : "false");
		if (json_is_false(v))
			continue;
		if (!takes) {
			snprintf(arg, sizeof(arg), "--%s", key);
		} else {
			rc = value_text(v, val, sizeof(val));
			if (rc < 0)
				return ncb_errf(e, -EINVAL,
						"%s: \"%s\" needs a string, a number or a list of them",
						where, key);
			snprintf(arg, sizeof(arg), "--%s=%s", key, val);
		}
		rc = push(s, g, arg);
		if (rc < 0)
			return ncb_errf(e, rc, "%s: too many options", where);
	}
	return 0;
}

/* Builds the groups of a parsed suite; takes the reference to root. */
static int load_root(struct suite **out, json_t *root, const char *path,
		     char *const *extra, int n_extra, struct ncb_err *e)
{
	struct suite *s = calloc(1, sizeof(*s));
	json_t *groups, *defaults, *grp;
	char where[600];
	size_t g;
	int rc = 0;

	*out = NULL;
	if (!s) {
		json_decref(root);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	if (!json_is_object(root)) {
		rc = ncb_errf(e, -EINVAL, "--suite: %s: not a JSON object", path);
		goto out;
	}
	groups = json_object_get(root, "groups");
	defaults = json_object_get(root, "defaults");
	snprintf(s->name, sizeof(s->name), "%s",
		 json_string_value(json_object_get(root, "name"))
			 ?: "unnamed");
	if (!json_is_array(groups) || !json_array_size(groups) ||
	    json_array_size(groups) > SUITE_GROUPS_MAX) {
		rc = ncb_errf(e, -EINVAL, "--suite: %s: needs \"groups\", a list of 1 to %d objects",
			      path, SUITE_GROUPS_MAX);
		goto out;
	}
	json_array_foreach(groups, g, grp) {
		s->n_groups = g + 1;
		rc = push(s, g, "run");
		snprintf(where, sizeof(where), "--suite: %s: defaults", path);
		if (rc == 0 && defaults)
			rc = add_options(s, g, defaults, where, e);
		snprintf(where, sizeof(where), "--suite: %s: group %zu", path, g + 1);
		if (rc == 0)
			rc = add_options(s, g, grp, where, e);
		for (int i = 0; rc == 0 && i < n_extra; i++)
			rc = push(s, g, extra[i]);
		if (rc < 0) {
			if (rc != -EINVAL)
				ncb_errf(e, rc, "%s: too many options", where);
			goto out;
		}
	}
out:
	json_decref(root);
	if (rc < 0) {
		suite_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int suite_load(struct suite **out, const char *path, char *const *extra,
	       int n_extra, struct ncb_err *e)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	*out = NULL;
	if (!root)
		return ncb_errf(e, -EINVAL, "--suite: %s: %s (line %d)", path,
				je.text, je.line);
	return load_root(out, root, path, extra, n_extra, e);
}

int suite_load_buf(struct suite **out, const char *name, const void *data,
		   size_t len, char *const *extra, int n_extra,
		   struct ncb_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);

	*out = NULL;
	if (!root)
		return ncb_errf(e, -EINVAL, "--suite: %s: %s (line %d)", name,
				je.text, je.line);
	return load_root(out, root, name, extra, n_extra, e);
}
