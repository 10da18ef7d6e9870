/* An rr case on two hosts (rr_impl.h): the client of each unit runs on
 * its initiating host, the server on the other. Within a repetition on a
 * byte stream, step "idle" carries each end's idle flag of the drain to
 * the other end's host; after it, step "counts" carries each host's end
 * results, a client's latencies with them, and its team counters, so
 * both hosts sum the same units the same way (rr.c). */
#include <errno.h>
#include <stdio.h>

#include "io/cpustat.h"
#include "workloads/peer.h"
#include "workloads/peer_msg.h"
#include "workloads/rr_impl.h"

static struct ncb_err *err_of(struct rr_state *s)
{
	return wl_peer_err(s->peer, &s->err);
}

/* The end of slot u that runs here: 0 the client, 1 the server. */
static int here(const struct rr_state *s, unsigned u)
{
	return !pairs_initiates(&s->pairs, u);
}

/* Waits, at most as long as a drain lasts, until every end here has
 * gone idle; one still busy goes as not idle (its drain then ends on
 * its own deadline). */
static int wait_idle(struct rr_state *s, struct ncb_err *e)
{
	uint64_t end = cpustat_mono_ns() + DRAIN_MS * 1000000ull;

	for (unsigned u = 0; u < s->pairs.n_slots; u++)
		while (!atomic_load(&s->mail[u].is_idle[here(s, u)])) {
			int rc = wl_peer_nap(s->c->is_interrupted, end,
					     "the ends' drain", e);

			if (rc == -ETIMEDOUT)
				return 0;
			if (rc < 0)
				return rc;
		}
	return 0;
}

static json_t *idle_json(const struct rr_state *s)
{
	json_t *o = json_object(), *arr = json_array();
	int rc = o && arr ? 0 : -1;

	for (unsigned u = 0; rc == 0 && u < s->pairs.n_slots; u++)
		rc = json_array_append_new(
			arr, json_boolean(atomic_load(&s->mail[u].is_idle[here(s, u)])));
	if (rc == 0) {
		rc = json_object_set_new(o, "idle", arr); /* takes arr */
		arr = NULL;
	}
	json_decref(arr);
	if (rc == 0)
		return o;
	json_decref(o);
	return NULL;
}

static int idle_swap(struct rr_state *s, struct ncb_err *e)
{
	unsigned n = s->pairs.n_slots;
	json_t *theirs = NULL, *arr = NULL;
	int rc = wl_peer_swap(s->peer, "idle", idle_json(s), &theirs,
			      WL_PEER_STEP_MS, e);

	if (rc == 0)
		rc = wl_peer_get_array(theirs, "idle", "idle", n, &arr, e);
	for (unsigned u = 0; rc == 0 && u < n; u++)
		if (!json_is_boolean(json_array_get(arr, u)))
			rc = ncb_errf(e, -EPROTO,
				      "the other host's idle: idle[%u] must be true or false",
				      u);
	for (unsigned u = 0; rc == 0 && u < n; u++)
		if (json_is_true(json_array_get(arr, u)))
			atomic_store(&s->mail[u].is_idle[!here(s, u)], 1);
	json_decref(theirs);
	return rc;
}

int rr_peer_sync(void *ctx)
{
	struct rr_state *s = ctx;
	struct ncb_err *e = err_of(s);
	int rc = 0;

	if (s->c->is_interrupted && *s->c->is_interrupted)
		rc = ncb_errf(e, -EINTR, "interrupted");
	if (rc == 0)
		rc = wait_idle(s, e);
	if (rc == 0)
		rc = idle_swap(s, e);
	/* Nothing more comes from the other host: the drains here end. */
	for (unsigned u = 0; rc < 0 && u < s->pairs.n_slots; u++)
		atomic_store(&s->mail[u].is_idle[!here(s, u)], 1);
	return rc;
}

/* What the end of slot u here counted in the repetition. */
static json_t *end_json(const void *ctx, unsigned u)
{
	const struct rr_state *s = ctx;
	const struct side *w = &s->w[2 * u + here(s, u)];
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	rc |= wl_peer_set_u64(o, "wire", w->wire);
	rc |= wl_peer_set_u64(o, "mismatch", w->mismatch);
	rc |= wl_peer_set_u64s(o, "rejects", w->rejects, R_COUNT);
	rc |= json_object_set_new(o, "is_failed", json_boolean(w->is_failed));
	if (!w->is_server) {
		rc |= wl_peer_set_u64(o, "done", w->done);
		rc |= wl_peer_set_u64(o, "req_sent", w->req_sent);
		rc |= wl_peer_set_hist(o, "latency", &w->lat);
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}


/* The other host's end of a slot into its mirror w; `at` names the
 * entry. */
static int end_get(struct side *w, const json_t *v, const char *at,
		   struct ncb_err *e)
{
	int rc = wl_peer_get_u64(v, at, "wire", WL_PEER_U64_MAX, &w->wire, e);

	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "mismatch", WL_PEER_U64_MAX,
				     &w->mismatch, e);
	if (rc == 0)
		rc = wl_peer_get_u64s(v, at, "rejects", R_COUNT,
				      WL_PEER_U64_MAX, w->rejects, e);
	if (rc == 0)
		rc = wl_peer_get_bool(v, at, "is_failed", &w->is_failed, e);
	if (rc < 0 || w->is_server)
		return rc;
	rc = wl_peer_get_u64(v, at, "done", WL_PEER_U64_MAX, &w->done, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "req_sent", WL_PEER_U64_MAX,
				     &w->req_sent, e);
	if (rc == 0)
		rc = wl_peer_get_hist(v, at, "latency", &w->lat, e);
	if (rc == 0 && w->lat.total != w->done)
		rc = ncb_errf(e, -EPROTO,
			      "the other host's %s: a client's latencies (%llu) are not its exchanges (%llu)",
			      at, (unsigned long long)w->lat.total,
			      (unsigned long long)w->done);
	return rc;
}

/* The other host's end of slot u into its mirror here. */
static int slot_get(void *ctx, unsigned u, const json_t *v, const char *at,
		    struct ncb_err *e)
{
	struct rr_state *s = ctx;

	return end_get(&s->w[2 * u + !here(s, u)], v, at, e);
}

int rr_peer_counts(struct rr_state *s, struct wl_counters *out)
{
	const struct wl_peer_ends ends = { end_json, slot_get, s,
					   s->pairs.n_slots };

	return wl_peer_counts_swap(s->peer, &ends, s->c->workers, out,
				   err_of(s));
}
