/* Checked getters over Jansson values, shared by the document reader's
 * files: one place says what "must be an integer in lo..hi" means. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc_check.h"

int doc_check_bad(const struct doc_at *a, const char *k, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ncb_errf(a->e, -EINVAL, "%s: %s%s%s: %s", a->file, a->where,
			*a->where && k ? "." : "", k ? k : "", what);
}

void doc_check_at(struct doc_at *sub, const struct doc_at *a,
		  const char *fmt, ...)
{
	size_t n;
	va_list ap;

	*sub = *a;
	n = strlen(sub->where);
	if (n && n + 1 < sizeof(sub->where) && *fmt != '[')
		sub->where[n++] = '.';
	va_start(ap, fmt);
	vsnprintf(sub->where + n, sizeof(sub->where) - n, fmt, ap);
	va_end(ap);
}

int doc_check_oom(const struct doc_at *a)
{
	return ncb_errf(a->e, -ENOMEM, "%s: out of memory", a->file);
}

int doc_check_str(const struct doc_at *a, json_t *o, const char *k,
		  int is_required, const char **out)
{
	json_t *v = json_object_get(o, k);

	*out = "";
	if (!v || json_is_null(v))
		return is_required ? doc_check_bad(a, k, "missing") : 0;
	if (!json_is_string(v))
		return doc_check_bad(a, k, "must be a string");
	*out = json_string_value(v);
	if (is_required && !**out)
		return doc_check_bad(a, k, "must not be empty");
	return 0;
}

int doc_check_int(const struct doc_at *a, json_t *o, const char *k,
		  long long lo, long long hi, long long *out)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return doc_check_bad(a, k, "%s an integer in %lld..%lld",
				     v ? "must be" : "missing,", lo, hi);
	*out = json_integer_value(v);
	return 0;
}

int doc_check_value(const struct doc_at *a, const char *k, json_t *v,
		    double lo, double hi, double *out)
{
	double x = json_number_value(v);

	/* The parser refuses NaN and overflow today; the range check below
	 * must not depend on it. */
	if (!json_is_number(v) || !isfinite(x) || x < lo || x > hi)
		return doc_check_bad(a, k, "%s a number in %g..%g",
				     v ? "must be" : "missing,", lo, hi);
	*out = x;
	return 0;
}

int doc_check_num(const struct doc_at *a, json_t *o, const char *k,
		  double lo, double hi, double *out)
{
	return doc_check_value(a, k, json_object_get(o, k), lo, hi, out);
}

int doc_check_obj(const struct doc_at *a, json_t *o, const char *k,
		  int is_required, json_t **out)
{
	*out = json_object_get(o, k);
	if (!*out && !is_required)
		return 0;
	if (!json_is_object(*out))
		return doc_check_bad(a, k, "%s an object",
				     *out ? "must be" : "missing,");
	return 0;
}

int doc_check_opt_int(const struct doc_at *a, json_t *o, const char *k,
		      long long lo, long long hi, long long *out)
{
	return json_object_get(o, k) ? doc_check_int(a, o, k, lo, hi, out) : 0;
}

int doc_check_opt_num(const struct doc_at *a, json_t *o, const char *k,
		      double lo, double hi, double *out)
{
	return json_object_get(o, k) ? doc_check_num(a, o, k, lo, hi, out) : 0;
}

int doc_check_opt_bool(const struct doc_at *a, json_t *o, const char *k,
		       int *out)
{
	json_t *v = json_object_get(o, k);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return doc_check_bad(a, k, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

char *doc_check_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
