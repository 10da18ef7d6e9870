/* A bulk case on two hosts (flow_impl.h): each host's team runs the ends
 * placed on it, and two steps per repetition carry what one host's half
 * of a unit tells the other's. "reports", while the receivers still
 * drain: each sender's end-of-repetition report (flow_half.h), which the
 * receiver on the other host needs to know when it is done and which
 * failed tag checks were its sender's. "counts", after the repetition:
 * each host's half results and team counters, so both hosts sum the same
 * units the same way (flow.c). */
#include <errno.h>
#include <stdio.h>

#include "io/cpustat.h"
#include "workloads/flow_impl.h"
#include "workloads/peer.h"
#include "workloads/peer_msg.h"

static struct ncb_err *err_of(struct flow *f)
{
	return wl_peer_err(f->peer, &f->err);
}

/* Waits until every sender here has posted this repetition's report. */
static int wait_senders(struct flow *f, struct ncb_err *e)
{
	uint64_t end = cpustat_mono_ns() + WL_PEER_STEP_MS * 1000000ull;

	for (unsigned s = 0; s < f->pairs.n_slots; s++) {
		struct flow_report r;

		if (!pairs_initiates(&f->pairs, s))
			continue;
		for (;;) {
			int rc;

			flow_mailbox_take(&f->mail[s], &r);
			if (r.reps >= f->reps)
				break;
			rc = wl_peer_nap(f->c->is_interrupted, end,
					 "the senders' reports", e);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* {"reports": [null | {"sent", "seq_hi", "reps"}]} by slot: the reports
 * of the senders here. */
static json_t *reports_json(const struct flow *f)
{
	json_t *o = json_object(), *arr = json_array();
	int rc = o && arr ? 0 : -1;

	for (unsigned s = 0; rc == 0 && s < f->pairs.n_slots; s++) {
		json_t *v = json_null();
		struct flow_report r;

		if (pairs_initiates(&f->pairs, s)) {
			flow_mailbox_take(&f->mail[s], &r);
			v = json_object();
			rc |= wl_peer_set_u64(v, "sent", r.sent);
			rc |= wl_peer_set_u64(v, "seq_hi", r.seq_hi);
			rc |= wl_peer_set_u64(v, "reps", r.reps);
		}
		rc |= json_array_append_new(arr, v);
	}
	if (rc == 0) {
		rc = json_object_set_new(o, "reports", arr); /* takes arr */
		arr = NULL;
	}
	json_decref(arr);
	if (rc == 0)
		return o;
	json_decref(o);
	return NULL;
}

/* One report of the other host's sender of slot s, checked: it ends the
 * repetition this host is in. */
static int report_get(const struct flow *f, const json_t *v, unsigned s,
		      struct flow_report *r, struct ncb_err *e)
{
	uint64_t reps = 0;
	char at[32];
	int rc;

	snprintf(at, sizeof(at), "reports: reports[%u]", s);
	rc = wl_peer_get_u64(v, at, "sent", WL_PEER_U64_MAX, &r->sent, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "seq_hi", WL_PEER_U64_MAX,
				     &r->seq_hi, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "reps", UINT32_MAX, &reps, e);
	if (rc == 0 && reps != f->reps)
		rc = ncb_errf(e, -EPROTO,
			      "the other host's reports: unit %u ended repetition %llu, this host is in %u",
			      s, (unsigned long long)reps, f->reps);
	r->reps = (uint32_t)reps;
	return rc;
}

/* Swaps the reports and posts the other host's to the receivers here,
 * once every one is checked. */
static int reports_swap(struct flow *f, struct ncb_err *e)
{
	unsigned n = f->pairs.n_slots;
	json_t *theirs = NULL, *arr = NULL, *v;
	int rc = wl_peer_swap(f->peer, "reports", reports_json(f), &theirs,
			      WL_PEER_STEP_MS, e);

	if (rc == 0)
		rc = wl_peer_get_array(theirs, "reports", "reports", n, &arr, e);
	for (unsigned s = 0; rc == 0 && s < n; s++)
		rc = wl_peer_get_entry(arr, "reports", "reports", s,
				       !pairs_initiates(&f->pairs, s), &v, e);
	for (unsigned s = 0; rc == 0 && s < n; s++) {
		struct flow_report r;

		if (pairs_initiates(&f->pairs, s))
			continue;
		rc = report_get(f, json_array_get(arr, s), s, &r, e);
		if (rc == 0)
			flow_mailbox_post(&f->mail[s], &r);
	}
	json_decref(theirs);
	return rc;
}

/* No report will come: the receivers here end their drain on a final
 * one that reports nothing sent. */
static void release_receivers(struct flow *f)
{
	for (unsigned s = 0; s < f->pairs.n_slots; s++) {
		struct flow_report r;

		if (pairs_initiates(&f->pairs, s))
			continue;
		flow_mailbox_take(&f->mail[s], &r);
		if (r.reps >= f->reps)
			continue;
		r = (struct flow_report){ .seq_hi = r.seq_hi, .reps = f->reps };
		flow_mailbox_post(&f->mail[s], &r);
	}
}

int flow_peer_sync(void *ctx)
{
	struct flow *f = ctx;
	struct ncb_err *e = err_of(f);
	int rc = 0;

	if (f->c->is_interrupted && *f->c->is_interrupted)
		rc = ncb_errf(e, -EINTR, "interrupted");
	if (rc == 0)
		rc = wait_senders(f, e);
	if (rc == 0)
		rc = reports_swap(f, e);
	if (rc < 0)
		release_receivers(f);
	return rc;
}

/* What the half of slot s here counted in the repetition. */
static json_t *end_json(const void *ctx, unsigned s)
{
	const struct flow *f = ctx;
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	if (pairs_initiates(&f->pairs, s)) {
		const struct flow_tx *t = &f->tx[s];

		rc |= wl_peer_set_u64(o, "sent", t->sent);
		rc |= wl_peer_set_u64(o, "failed", t->failed);
		rc |= wl_peer_set_u64(o, "syscalls", t->syscalls);
		rc |= json_object_set_new(o, "is_failed", json_boolean(t->is_failed));
	} else {
		const struct flow_rx *r = &f->rx[s];

		rc |= wl_peer_set_u64(o, "packets", r->packets);
		rc |= wl_peer_set_u64(o, "bytes", r->bytes);
		rc |= wl_peer_set_u64(o, "wire", r->wire);
		rc |= wl_peer_set_u64(o, "mismatch", r->mismatch);
		rc |= wl_peer_set_u64(o, "own_icv", r->own_icv);
		rc |= wl_peer_set_u64(o, "kdrops", r->kdrops);
		rc |= wl_peer_set_u64(o, "late", r->late);
		rc |= wl_peer_set_u64(o, "syscalls", r->syscalls);
		rc |= wl_peer_set_u64s(o, "rejects", r->rejects, f->h.f->n_verdicts);
		rc |= json_object_set_new(o, "is_failed", json_boolean(r->is_failed));
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}


/* The other host's sender half of a slot into its mirror; `at` names
 * the entry. */
static int tx_get(struct flow_tx *t, const json_t *v, const char *at,
		  struct ncb_err *e)
{
	int rc = wl_peer_get_u64(v, at, "sent", WL_PEER_U64_MAX, &t->sent, e);

	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "failed", WL_PEER_U64_MAX,
				     &t->failed, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "syscalls", WL_PEER_U64_MAX,
				     &t->syscalls, e);
	if (rc == 0)
		rc = wl_peer_get_bool(v, at, "is_failed", &t->is_failed, e);
	return rc;
}

/* The other host's receiver half of a slot into its mirror. */
static int rx_get(const struct flow *f, struct flow_rx *r, const json_t *v,
		  const char *at, struct ncb_err *e)
{
	static const char *const names[] = { "packets", "bytes", "wire",
					     "mismatch", "late", "syscalls" };
	uint64_t *to[] = { &r->packets, &r->bytes, &r->wire, &r->mismatch,
			   &r->late, &r->syscalls };
	uint64_t x = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < NCB_ARRAY_SIZE(names); i++)
		rc = wl_peer_get_u64(v, at, names[i], WL_PEER_U64_MAX, to[i], e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "own_icv", FLOW_AT_TAG_MAX,
				     &r->own_icv, e);
	if (rc == 0)
		rc = wl_peer_get_u64(v, at, "kdrops", UINT32_MAX, &x, e);
	r->kdrops = x;
	if (rc == 0)
		rc = wl_peer_get_u64s(v, at, "rejects", f->h.f->n_verdicts,
				      WL_PEER_U64_MAX, r->rejects, e);
	if (rc == 0)
		rc = wl_peer_get_bool(v, at, "is_failed", &r->is_failed, e);
	return rc;
}

/* The other host's half of slot s: its receiver where the sender is
 * here, else its sender. */
static int end_get(void *ctx, unsigned s, const json_t *v, const char *at,
		   struct ncb_err *e)
{
	struct flow *f = ctx;

	if (pairs_initiates(&f->pairs, s))
		return rx_get(f, &f->rx[s], v, at, e);
	return tx_get(&f->tx[s], v, at, e);
}

int flow_peer_counts(struct flow *f, struct wl_counters *out)
{
	const struct wl_peer_ends ends = { end_json, end_get, f,
					   f->pairs.n_slots };

	return wl_peer_counts_swap(f->peer, &ends, f->c->workers, out,
				   err_of(f));
}
