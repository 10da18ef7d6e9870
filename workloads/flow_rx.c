/* The receiver half of a bulk pair (flow_half.h): gets batches, opens
 * them through the framing (decap per datagram, feed per piece of a
 * byte stream; timed) and, with --verify, checks every payload and
 * sequence number. A datagram receiver learns of its sender only from
 * the sender's end-of-repetition report: when to stop draining, and
 * which failed tag checks claimed numbers the sender used. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sadb.h"
#include "io/cpustat.h"
#include "workloads/flow_half.h"

enum {
	RX_WAIT_MS = 10, /* receiver notices the stop flag this fast */
	/* At a repetition's end a datagram receiver takes what its sender
	 * sent until the socket stays quiet this long and every packet sent
	 * is accounted for (loopback and veth deliver in softirq, deferred
	 * on a busy machine to ksoftirqd), so packets count in the
	 * repetition that sent them. A socket that never goes quiet, or
	 * packets that never come, end the drain after DRAIN_MAX. */
	RX_QUIET_MS = 2,
	RX_DRAIN_MAX_NS = 200 * 1000 * 1000,
};

int flow_rx_prepare(struct flow_rx *r, const struct flow_half *h,
		    const struct framing_sa_desc *d, const int *fds,
		    struct ncb_err *e)
{
	int rc = net_rx_new_flows(&r->rx, &h->cfg, fds, h->flows, e);

	r->h = h;
	if (rc < 0)
		return rc;
	rc = sadb_new(&r->db, h->f, d, h->n_sas, 1, h->c->is_interrupted, e);
	if (rc < 0)
		return rc;
	r->sa = sadb_at(r->db, 0);
	r->counts = h->cfg.is_stream ? framing_counts(r->sa) : sadb_counts(r->db);
	r->syscalls_prev = net_rx_syscalls(r->rx);
	r->seq_first = d->seq_first;
	r->nout = h->f->feed_max > NET_RX_PKTS ? h->f->feed_max : NET_RX_PKTS;
	r->pattern = inner_pattern_new(h->size_max);
	r->pkts = calloc(NET_RX_PKTS, sizeof(*r->pkts));
	r->ptrs = calloc(NET_RX_PKTS, sizeof(*r->ptrs));
	r->lens = calloc(NET_RX_PKTS, sizeof(*r->lens));
	r->outs = calloc(r->nout, sizeof(*r->outs));
	r->verdict = calloc(r->nout, 1);
	r->at_tag = calloc(FLOW_AT_TAG_MAX, sizeof(*r->at_tag));
	if (!r->pattern || !r->pkts || !r->ptrs || !r->lens || !r->outs ||
	    !r->verdict || !r->at_tag)
		return ncb_errf(e, -ENOMEM, "out of memory");
	r->kdrops_prev = net_rx_drops(r->rx);
	return 0;
}

/* Whether an accepted datagram was sent in an earlier repetition: it
 * counts as late, not in this one (a stream's records have no such
 * numbers). */
static int is_late(const struct flow_rx *r, const struct framing_out *o)
{
	return !r->h->cfg.is_stream && o->seq < r->rep_first;
}

/* Counts n opened packets (outs, verdicts) and checks them with
 * --verify; remembers the numbers that failed tag checks claimed. */
static void account(struct flow_rx *r, unsigned n, uint64_t *packets,
		    uint64_t *bytes, uint64_t *mismatch)
{
	const struct flow_half *h = r->h;
	const struct framing_verdict *vd = h->f->verdicts;

	for (unsigned i = 0; i < n; i++) {
		const struct framing_out *o = &r->outs[i];
		unsigned v = r->verdict[i];

		if (v != 0) {
			if (v < h->f->n_verdicts && vd[v].stage == VERDICT_AT_TAG &&
			    r->n_at_tag < FLOW_AT_TAG_MAX)
				r->at_tag[r->n_at_tag++] = o->seq;
			continue;
		}
		if (is_late(r, o)) {
			r->late++;
		} else {
			(*packets)++;
			*bytes += o->len;
		}
		if (h->c->is_verify &&
		    (!o->is_proto_ok ||
		     inner_check(h->kind, o->payload, o->len, o->seq,
				 r->pattern) < 0))
			(*mismatch)++;
	}
}

/* Whether every packet the sender reports for this repetition has been
 * accepted, refused or dropped by the kernel (a GRO train dropped may
 * have held NET_GSO_SEGS packets). Refusals of strangers' packets count
 * too: this only decides how long to wait for stragglers. */
static int is_accounted(struct flow_rx *r, uint64_t packets)
{
	const struct framing_ops *f = r->h->f;
	uint64_t done = packets, kd;

	for (unsigned v = 1; v < f->n_verdicts; v++)
		done += r->counts[v] + r->counts_own[v] - r->counts_prev[v];
	kd = (uint32_t)(net_rx_drops(r->rx) - r->kdrops_prev);
	done += kd * (r->h->cfg.is_gso ? NET_GSO_SEGS : 1);
	return done >= r->peer.sent;
}

/* Whether a datagram receiver's repetition is over: once the stop flag
 * is up, the sender has reported the end of its repetition (its sent
 * count is final), the socket was quiet (got is 0 after an RX_QUIET_MS
 * wait) and every packet sent is accounted for, or the drain ran out of
 * time. *drain_end is 0 until the drain starts. A stream ends at once:
 * its sender may be blocked on a full buffer. */
static int is_done(struct flow_rx *r, const atomic_int *stop,
		   const struct flow_mailbox *m, int got, uint64_t packets,
		   uint64_t *drain_end)
{
	if (!atomic_load_explicit(stop, memory_order_relaxed))
		return 0;
	if (r->h->cfg.is_stream || got < 0)
		return 1;
	if (!*drain_end) {
		flow_mailbox_take(m, &r->peer);
		if (r->peer.reps <= r->reps)
			return 0;
		*drain_end = cpustat_mono_ns() + RX_DRAIN_MAX_NS;
		return 0; /* one more wait of RX_QUIET_MS */
	}
	if (cpustat_mono_ns() > *drain_end)
		return 1;
	return got == 0 && is_accounted(r, packets);
}

/* Opens n received datagrams, each through the SA it names (crypto/
 * sadb.h): one per call with --burst 1, else runs of one SA of up to
 * --burst through the framing's bursts; the kernel cut one longer than
 * the receive buffer: too long for any packet the peer sends. */
static void open_datagrams(struct flow_rx *r, int n, uint64_t *wire)
{
	const struct framing_ops *f = r->h->f;
	int i = 0;

	while (i < n) {
		int j = i;

		if (r->pkts[i].is_truncated) {
			r->verdict[i] = (uint8_t)f->v_oversize;
			r->counts_own[f->v_oversize]++;
			i++;
			continue;
		}
		for (; j < n && !r->pkts[j].is_truncated; j++) {
			r->ptrs[j] = r->pkts[j].data;
			r->lens[j] = r->pkts[j].len;
		}
		sadb_decap(r->db, r->ptrs + i, r->lens + i, r->outs + i,
			   r->verdict + i, (unsigned)(j - i), r->h->burst);
		i = j;
	}
	for (i = 0; i < n; i++)
		if (r->verdict[i] == 0 && !is_late(r, &r->outs[i]))
			*wire += r->pkts[i].len;
}

/* At the end of a repetition: failed tag checks that claimed a number
 * the sender used may be its own packets, broken; a stranger's forgery
 * of a number far from the sender's is not. Beyond FLOW_AT_TAG_MAX they
 * count as strangers': a broken sender has shown itself by then. */
static uint64_t own_at_tag(const struct flow_rx *r)
{
	uint64_t own = 0;

	for (unsigned i = 0; i < r->n_at_tag; i++)
		own += r->at_tag[i] >= r->seq_first && r->at_tag[i] < r->peer.seq_hi;
	return own;
}

void flow_rx_run(struct flow_rx *r, const atomic_int *stop,
		 const struct flow_mailbox *m)
{
	const struct framing_ops *f = r->h->f;
	uint64_t packets = 0, bytes = 0, wire = 0, crypto = 0, mismatch = 0;
	uint64_t drain_end = 0;
	const uint64_t *counts = r->counts;
	uint32_t kd;
	int n = 1;

	r->n_at_tag = 0;
	r->late = 0;
	r->rep_first = r->reps ? r->peer.seq_hi : r->seq_first;
	while (!is_done(r, stop, m, n, packets, &drain_end)) {
		uint64_t t0;

		n = net_rx_recv(r->rx, r->pkts, NET_RX_PKTS,
				drain_end ? RX_QUIET_MS : RX_WAIT_MS);
		if (n <= 0) {
			if (n < 0)
				r->is_failed = 1;
			continue;
		}
		/* A stream: each piece is checked before the next one may
		 * reuse the re-framer's buffer. */
		for (int i = 0; f->feed && i < n; i++) {
			int k;

			t0 = cpustat_ticks();
			k = f->feed(r->sa, r->pkts[i].data, r->pkts[i].len,
				    r->outs, r->verdict, r->nout);
			crypto += cpustat_ticks() - t0;
			wire += r->pkts[i].len;
			if (k < 0)
				r->is_failed = 1;
			else
				account(r, (unsigned)k, &packets, &bytes, &mismatch);
		}
		if (f->feed)
			continue;
		t0 = cpustat_ticks();
		open_datagrams(r, n, &wire);
		crypto += cpustat_ticks() - t0;
		account(r, (unsigned)n, &packets, &bytes, &mismatch);
	}
	r->packets = packets;
	r->bytes = bytes;
	r->wire = wire;
	r->crypto = crypto;
	r->mismatch = mismatch;
	r->own_icv = r->h->cfg.is_stream ? 0 : own_at_tag(r);
	for (unsigned v = 0; v < f->n_verdicts; v++) {
		uint64_t c = counts[v] + r->counts_own[v];

		r->rejects[v] = c - r->counts_prev[v];
		r->counts_prev[v] = c;
	}
	/* The kernel's count is 32 bits and wraps. */
	kd = net_rx_drops(r->rx);
	r->kdrops = (uint32_t)(kd - r->kdrops_prev);
	r->kdrops_prev = kd;
	r->syscalls = net_rx_syscalls(r->rx) - r->syscalls_prev;
	r->syscalls_prev += r->syscalls;
	r->reps++;
}

void flow_rx_release(struct flow_rx *r)
{
	net_rx_free(r->rx);
	sadb_free(r->db);
	free(r->pattern);
	free(r->pkts);
	free(r->ptrs);
	free(r->lens);
	free(r->outs);
	free(r->verdict);
	free(r->at_tag);
	r->rx = NULL;
	r->db = NULL;
	r->sa = NULL;
	r->counts = NULL;
	r->pattern = NULL;
	r->pkts = NULL;
	r->ptrs = NULL;
	r->lens = NULL;
	r->outs = NULL;
	r->verdict = NULL;
	r->at_tag = NULL;
}
