/* Building and checking the objects two hosts swap; see peer_msg.h. */
#include <errno.h>
#include <math.h>

#include "workloads/peer_msg.h"

int wl_peer_set_u64(json_t *o, const char *key, uint64_t v)
{
	if (v > WL_PEER_U64_MAX)
		return -1;
	return json_object_set_new(o, key, json_integer((json_int_t)v));
}

int wl_peer_set_real(json_t *o, const char *key, double x)
{
	return json_object_set_new(o, key, json_real(isfinite(x) ? x : 0));
}

static int bad(const char *step, const char *key, const char *what,
	       struct ncb_err *e)
{
	return ncb_errf(e, -EPROTO, "the other host's %s: %s must be %s", step,
			key, what);
}

int wl_peer_get_u64(const json_t *o, const char *step, const char *key,
		    uint64_t hi, uint64_t *out, struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);
	json_int_t n;

	if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
	    (uint64_t)n > hi) {
		char what[48];

		snprintf(what, sizeof(what), "an integer 0..%llu",
			 (unsigned long long)hi);
		return bad(step, key, what, e);
	}
	*out = (uint64_t)n;
	return 0;
}

int wl_peer_get_real(const json_t *o, const char *step, const char *key,
		     double hi, double *out, struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);
	double x = json_is_number(v) ? json_number_value(v) : -1;

	if (!(x >= 0 && x <= hi)) {
		char what[48];

		snprintf(what, sizeof(what), "a number 0..%g", hi);
		return bad(step, key, what, e);
	}
	*out = x;
	return 0;
}

int wl_peer_get_bool(const json_t *o, const char *step, const char *key,
		     int *out, struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_boolean(v))
		return bad(step, key, "true or false", e);
	*out = json_is_true(v);
	return 0;
}

int wl_peer_get_array(const json_t *o, const char *step, const char *key,
		      size_t n, json_t **arr, struct ncb_err *e)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_array(v) || json_array_size(v) != n) {
		char what[48];

		snprintf(what, sizeof(what), "an array of %zu entries", n);
		return bad(step, key, what, e);
	}
	*arr = v;
	return 0;
}

int wl_peer_get_entry(const json_t *arr, const char *step, const char *key,
		      size_t i, int is_theirs, json_t **out,
		      struct ncb_err *e)
{
	json_t *v = json_array_get(arr, i);

	*out = NULL;
	if (is_theirs && !json_is_object(v))
		return ncb_errf(e, -EPROTO,
				"the other host's %s: %s[%zu] must be an object",
				step, key, i);
	if (!is_theirs && !json_is_null(v))
		return ncb_errf(e, -EPROTO,
				"the other host's %s: %s[%zu] must be null (this host runs it)",
				step, key, i);
	*out = is_theirs ? v : NULL;
	return 0;
}
