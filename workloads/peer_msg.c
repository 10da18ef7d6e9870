/* Building and checking the objects two hosts swap; see peer_msg.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "workloads/peer.h"
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

static int append_u64(json_t *arr, uint64_t v)
{
	if (v > WL_PEER_U64_MAX)
		return -1;
	return json_array_append_new(arr, json_integer((json_int_t)v));
}

int wl_peer_set_u64s(json_t *o, const char *key, const uint64_t *v, size_t n)
{
	json_t *arr = json_array();
	int rc = arr ? 0 : -1;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = append_u64(arr, v[i]);
	if (rc < 0) {
		json_decref(arr);
		return -1;
	}
	return json_object_set_new(o, key, arr);
}

int wl_peer_get_u64s(const json_t *o, const char *step, const char *key,
		     size_t n, uint64_t hi, uint64_t *out, struct ncb_err *e)
{
	json_t *arr;
	int rc = wl_peer_get_array(o, step, key, n, &arr, e);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		const json_t *v = json_array_get(arr, i);
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;

		if (x < 0 || (uint64_t)x > hi)
			return ncb_errf(e, -EPROTO,
					"the other host's %s: %s[%zu] must be an integer 0..%llu",
					step, key, i, (unsigned long long)hi);
		out[i] = (uint64_t)x;
	}
	return rc;
}

enum {
	TEAM_WORKERS_MAX = 1 << 16,
};
/* Bounds of the other host's team figures: far above any repetition. */
#define TEAM_SECONDS_MAX 1e6
#define TEAM_CPU_MAX 1e9
#define TEAM_CANARY_MAX 1e12

json_t *wl_peer_team_json(const struct wl_counters *out, unsigned workers)
{
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	rc |= wl_peer_set_u64(o, "workers", workers);
	rc |= wl_peer_set_real(o, "seconds", out->seconds);
	rc |= wl_peer_set_real(o, "cpu_seconds", out->cpu_seconds);
	rc |= wl_peer_set_u64(o, "cycles", out->cycles);
	rc |= json_object_set_new(o, "is_cycles_pmu",
				  json_boolean(out->is_cycles_pmu));
	rc |= wl_peer_set_u64(o, "nivcsw", out->nivcsw);
	rc |= wl_peer_set_real(o, "canary_ns", out->canary_ns);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int wl_peer_team_get(const json_t *o, const char *step, unsigned workers,
		     struct wl_end_counters *pe, struct ncb_err *e)
{
	uint64_t n = 0;
	int rc;

	if (!json_is_object(o))
		return ncb_errf(e, -EPROTO, "the other host's %s: team must be an object",
				step);
	rc = wl_peer_get_u64(o, step, "workers", TEAM_WORKERS_MAX, &n, e);
	if (rc == 0 && n != workers)
		rc = ncb_errf(e, -EPROTO,
			      "the other host's %s: %llu workers, this host runs %u",
			      step, (unsigned long long)n, workers);
	if (rc == 0)
		rc = wl_peer_get_real(o, step, "seconds", TEAM_SECONDS_MAX,
				      &pe->seconds, e);
	if (rc == 0)
		rc = wl_peer_get_real(o, step, "cpu_seconds", TEAM_CPU_MAX,
				      &pe->cpu_seconds, e);
	if (rc == 0)
		rc = wl_peer_get_u64(o, step, "cycles", WL_PEER_U64_MAX,
				     &pe->cycles, e);
	if (rc == 0)
		rc = wl_peer_get_bool(o, step, "is_cycles_pmu",
				      &pe->is_cycles_pmu, e);
	if (rc == 0)
		rc = wl_peer_get_u64(o, step, "nivcsw", WL_PEER_U64_MAX,
				     &pe->nivcsw, e);
	if (rc == 0)
		rc = wl_peer_get_real(o, step, "canary_ns", TEAM_CANARY_MAX,
				      &pe->canary_ns, e);
	pe->workers = (unsigned)n;
	pe->is_set = rc == 0;
	return rc;
}

int wl_peer_set_hist(json_t *o, const char *key, const struct hist *h)
{
	json_t *v = json_object(), *arr = json_array();
	int rc = v && arr ? 0 : -1;

	for (unsigned i = 0; rc == 0 && i < HIST_BUCKETS; i++) {
		json_t *b;

		if (!h->counts[i])
			continue;
		b = json_array();
		rc |= json_array_append_new(b, json_integer(i));
		rc |= append_u64(b, h->counts[i]);
		rc |= json_array_append_new(arr, b);
	}
	rc |= wl_peer_set_u64(v, "total", h->total);
	rc |= wl_peer_set_u64(v, "min", h->min);
	rc |= wl_peer_set_u64(v, "max", h->max);
	if (rc == 0) {
		rc = json_object_set_new(v, "buckets", arr);
		arr = NULL;
	}
	json_decref(arr);
	if (rc == 0)
		return json_object_set_new(o, key, v);
	json_decref(v);
	return -1;
}

/* Bucket j of a histogram's "buckets": [index, count], index above
 * *last (-1 before the first), count at least 1. */
static int bucket_get(const json_t *b, const char *step, const char *key,
		      size_t j, long long *last, struct hist *h,
		      struct ncb_err *e)
{
	const json_t *i = json_array_get(b, 0), *n = json_array_get(b, 1);
	json_int_t x = json_is_integer(i) ? json_integer_value(i) : -1;
	json_int_t c = json_is_integer(n) ? json_integer_value(n) : 0;

	if (!json_is_array(b) || json_array_size(b) != 2 || x <= *last ||
	    x >= HIST_BUCKETS || c < 1)
		return ncb_errf(e, -EPROTO,
				"the other host's %s: %s.buckets[%zu] must be [index, count] with indexes rising below %d and count >= 1",
				step, key, j, HIST_BUCKETS);
	*last = x;
	h->counts[x] = (uint64_t)c;
	return 0;
}

int wl_peer_get_hist(const json_t *o, const char *step, const char *key,
		     struct hist *h, struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);
	json_t *arr = json_object_get(v, "buckets");
	uint64_t sum = 0;
	long long last = -1;
	int rc = 0;

	hist_reset(h);
	if (!json_is_object(v) || !json_is_array(arr) ||
	    json_array_size(arr) > HIST_BUCKETS)
		return bad(step, key, "a histogram {total, min, max, buckets}", e);
	for (size_t j = 0; rc == 0 && j < json_array_size(arr); j++) {
		rc = bucket_get(json_array_get(arr, j), step, key, j, &last, h, e);
		if (rc == 0 && h->counts[last] > WL_PEER_U64_MAX - sum)
			rc = bad(step, key, "a histogram of fewer values", e);
		if (rc == 0)
			sum += h->counts[last];
	}
	if (rc == 0)
		rc = wl_peer_get_u64(v, step, "total", WL_PEER_U64_MAX, &h->total, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, step, "min", WL_PEER_U64_MAX, &h->min, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, step, "max", WL_PEER_U64_MAX, &h->max, e);
	if (rc == 0 && (sum != h->total || (sum && h->min > h->max)))
		rc = bad(step, key, "a histogram whose buckets add up to its total", e);
	if (rc < 0)
		hist_reset(h);
	return rc;
}

static json_t *counts_json(const struct wl_peer_ends *ends,
			   const struct wl_counters *out, unsigned workers)
{
	json_t *o = json_object(), *arr = json_array();
	int rc = o && arr ? 0 : -1;

	for (unsigned s = 0; rc == 0 && s < ends->n_slots; s++)
		rc = json_array_append_new(arr, ends->put(ends->ctx, s));
	if (rc == 0) {
		rc = json_object_set_new(o, "ends", arr); /* takes arr */
		arr = NULL;
	}
	if (rc == 0)
		rc = json_object_set_new(o, "team",
					 wl_peer_team_json(out, workers));
	json_decref(arr);
	if (rc == 0)
		return o;
	json_decref(o);
	return NULL;
}

int wl_peer_counts_swap(const struct wl_peer *p,
			const struct wl_peer_ends *ends, unsigned workers,
			struct wl_counters *out, struct ncb_err *e)
{
	unsigned n = ends->n_slots;
	json_t *theirs = NULL, *arr = NULL, *v;
	int rc = wl_peer_swap(p, "counts", counts_json(ends, out, workers),
			      &theirs, WL_PEER_STEP_MS, e);

	if (rc == 0)
		rc = wl_peer_team_get(json_object_get(theirs, "team"), "counts",
				      workers, &out->peer, e);
	if (rc == 0)
		rc = wl_peer_get_array(theirs, "counts", "ends", n, &arr, e);
	for (unsigned s = 0; rc == 0 && s < n; s++) {
		char at[32];

		snprintf(at, sizeof(at), "counts: ends[%u]", s);
		rc = wl_peer_get_entry(arr, "counts", "ends", s, 1, &v, e);
		if (rc == 0)
			rc = ends->get(ends->ctx, s, v, at, e);
	}
	json_decref(theirs);
	if (rc == 0 && !wl_peer_feeds_here(p))
		out->seconds = out->peer.seconds;
	return rc;
}
