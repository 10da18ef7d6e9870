/* Pairs of pinned sender and receiver threads over io/net engines; see
 * flow.h. The framing is reached through its const ops (crypto/framing.h),
 * one indirect call per packet, next to a seal or open of the whole
 * packet. The `flow` pattern is defined at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/framing.h"
#include "io/cpustat.h"
#include "io/net.h"
#include "workloads/flow.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/team.h"

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
	PCT_SCALE = 100,
};

struct flow;

struct worker {
	struct flow *f;
	unsigned pair;
	int is_rx;
	struct net_tx *tx;
	struct net_rx *rx;
	void *sa;
	uint8_t *pattern;
	/* Sender. */
	uint64_t seq, rng;
	size_t mix_i;
	uint32_t lens[NET_BATCH_MAX];
	uint32_t psize[NET_BATCH_MAX];
	uint64_t seqs[NET_BATCH_MAX];
	struct net_tx_counts txc_prev;
	/* Published for the pair's receiver: every number below seq_pub
	 * may be on its way; tx_reps counts repetitions the sender ended
	 * (its sends completed). */
	_Atomic uint64_t seq_pub;
	atomic_uint tx_reps;
	/* Receiver. */
	struct net_pkt *pkts;
	struct framing_out *outs;
	uint8_t *verdict;
	unsigned nout; /* entries of outs and verdict */
	unsigned rx_reps;
	uint64_t counts_prev[1 + WL_REJECTS_MAX];
	/* Verdicts flow gives itself (datagrams the kernel cut). */
	uint64_t counts_own[1 + WL_REJECTS_MAX];
	uint32_t kdrops_prev;
	/* Counters of the last repetition. */
	uint64_t packets, bytes, wire, crypto, mismatch, sent, failed;
	uint64_t own_icv, kdrops;
	uint64_t rejects[1 + WL_REJECTS_MAX];
	int is_failed;
};

struct flow {
	const struct wl_case *c;
	const struct framing_ops *fr;
	struct pattern_opts o;
	enum inner_kind kind;
	uint64_t seq_first;
	int is_stream;
	size_t size_max;
	struct pairs pairs;
	struct worker *w;
};

int flow_check(const struct wl_case *c, const void *opts, struct ncb_err *e)
{
	const struct pattern_opts *o = opts;

	if (o->reorder > 100 || o->loss > 99)
		return ncb_errf(e, -EINVAL,
				"--reorder must be 0..100 and --loss 0..99 percent");
	return pattern_check(c, o, e);
}

/* xorshift64*: a few cycles, no syscall, per-thread state. */
static unsigned rand_pct(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (unsigned)((w->rng * 0x2545f4914f6cdd1dull) >> 33) % PCT_SCALE;
}

static int worker_prepare(void *arg, struct ncb_err *e)
{
	struct worker *w = arg;
	struct flow *f = w->f;
	/* The engine owns the socket from here, even on failure. */
	int fd = pairs_take_fd(&f->pairs, 2 * w->pair + (unsigned)w->is_rx);
	int rc = w->is_rx ? net_rx_new(&w->rx, &f->pairs.cfg, fd, e)
			  : net_tx_new(&w->tx, &f->pairs.cfg, fd, e);

	if (rc < 0)
		return rc;
	rc = f->fr->sa_new(&w->sa, pairs_desc(&f->pairs, w->pair, 0), w->is_rx,
			   e);
	if (rc < 0)
		return rc;
	w->pattern = malloc(f->size_max);
	if (!w->pattern)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < f->size_max; i++)
		w->pattern[i] = (uint8_t)(i * 131 + 7);
	w->seq = f->seq_first;
	w->rng = 0x9e3779b97f4a7c15ull ^ w->pair;
	if (w->is_rx) {
		unsigned nout = f->fr->feed_max > NET_RX_PKTS ? f->fr->feed_max
							       : NET_RX_PKTS;

		w->nout = nout;
		w->pkts = calloc(NET_RX_PKTS, sizeof(*w->pkts));
		w->outs = calloc(nout, sizeof(*w->outs));
		w->verdict = calloc(nout, 1);
		if (!w->pkts || !w->outs || !w->verdict)
			return ncb_errf(e, -ENOMEM, "out of memory");
		w->kdrops_prev = net_rx_drops(w->rx);
	}
	atomic_store(&w->seq_pub, w->seq);
	return 0;
}

/* Sequence numbers of the next batch: --loss skips numbers, --reorder
 * swaps neighbours, as a lossy, reordering path would deliver them. */
static void next_seqs(struct worker *w, unsigned n)
{
	const struct pattern_opts *o = &w->f->o;

	for (unsigned i = 0; i < n; i++) {
		if (o->loss && rand_pct(w) < o->loss)
			w->seq++;
		w->seqs[i] = w->seq++;
	}
	for (unsigned i = 0; o->reorder && i + 1 < n; i++)
		if (rand_pct(w) < o->reorder) {
			uint64_t t = w->seqs[i];

			w->seqs[i] = w->seqs[i + 1];
			w->seqs[i + 1] = t;
			i++;
		}
}

static void run_tx(struct worker *w, const atomic_int *stop)
{
	const struct flow *f = w->f;
	const struct framing_ops *fr = f->fr;
	const struct wl_case *c = f->c;
	size_t off = fr->payload_off(w->sa);
	unsigned n = f->o.net.batch;
	uint64_t crypto = 0;
	struct net_tx_counts cnt;

	net_tx_watch(w->tx, stop);
	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		uint8_t *buf = net_tx_buf(w->tx), *p = buf;
		uint64_t t0;

		next_seqs(w, n);
		/* Before the packets can arrive: the receiver reads it on a
		 * failed tag check. */
		atomic_store_explicit(&w->seq_pub, w->seq,
				      memory_order_release);
		for (unsigned i = 0; i < n; i++) {
			size_t sz = c->size;

			if (c->mix) {
				sz = c->mix[w->mix_i];
				if (++w->mix_i == c->mix_len)
					w->mix_i = 0;
			}
			inner_build(f->kind, p + off, sz, w->seqs[i],
				    w->pattern);
			w->psize[i] = (uint32_t)sz;
			w->lens[i] = (uint32_t)fr->packet_len(w->sa, sz);
			p += w->lens[i];
		}
		t0 = cpustat_ticks();
		p = buf;
		for (unsigned i = 0; i < n; i++) {
			if (fr->encap(w->sa, p, w->psize[i], w->seqs[i]) < 0)
				w->is_failed = 1;
			p += w->lens[i];
		}
		crypto += cpustat_ticks() - t0;
		if (net_tx_send(w->tx, w->lens, n) < 0) {
			w->is_failed = 1;
			break;
		}
	}
	net_tx_drain(w->tx, &cnt);
	w->sent = cnt.sent - w->txc_prev.sent;
	w->failed = cnt.failed - w->txc_prev.failed;
	w->txc_prev = cnt;
	w->crypto = crypto;
	atomic_fetch_add_explicit(&w->tx_reps, 1, memory_order_release);
}

/* Whether a datagram that failed the tag check claimed a number the
 * pair's sender has used: it may be the sender's own packet, broken. A
 * stranger's forgery of a number far from the sender's is not. */
static int is_own_number(const struct worker *w, uint64_t seq)
{
	const struct flow *f = w->f;
	const struct worker *tx = &f->w[2 * w->pair];

	return seq >= f->seq_first &&
	       seq < atomic_load_explicit(&tx->seq_pub, memory_order_acquire);
}

/* Counts n opened packets (outs, verdicts) and checks them with
 * --verify. */
static void account(struct worker *w, const struct framing_out *outs,
		    const uint8_t *verdicts, unsigned n, uint64_t *packets,
		    uint64_t *bytes, uint64_t *mismatch)
{
	const struct flow *f = w->f;
	const struct framing_verdict *vd = f->fr->verdicts;

	for (unsigned i = 0; i < n; i++) {
		const struct framing_out *o = &outs[i];

		if (verdicts[i] != 0) {
			if (!f->is_stream && verdicts[i] < f->fr->n_verdicts &&
			    vd[verdicts[i]].stage == VERDICT_AT_TAG &&
			    is_own_number(w, o->seq))
				w->own_icv++;
			continue;
		}
		(*packets)++;
		*bytes += o->len;
		if (f->c->is_verify &&
		    (!o->is_proto_ok ||
		     inner_check(f->kind, o->payload, o->len, o->seq,
				 w->pattern) < 0))
			(*mismatch)++;
	}
}

/* Whether every packet the pair's sender sent in this repetition has
 * been accepted, refused or dropped by the kernel (a GRO train dropped
 * may have held NET_GSO_SEGS packets). Refusals of strangers' packets
 * count too: this only decides how long to wait for stragglers. */
static int is_accounted(struct worker *w, uint64_t packets)
{
	const struct flow *f = w->f;
	const uint64_t *counts = f->fr->counts(w->sa);
	uint64_t done = packets, kd;

	for (unsigned v = 1; v < f->fr->n_verdicts; v++)
		done += counts[v] + w->counts_own[v] - w->counts_prev[v];
	kd = (uint32_t)(net_rx_drops(w->rx) - w->kdrops_prev);
	done += kd * (f->pairs.cfg.is_gso ? NET_GSO_SEGS : 1);
	return done >= f->w[2 * w->pair].sent;
}

/* Whether a datagram receiver's repetition is over: once the stop flag
 * is up, the pair's sender has ended its repetition (its sent count is
 * final), the socket was quiet (got is 0 after an RX_QUIET_MS wait) and
 * every packet sent is accounted for, or the drain ran out of time.
 * *drain_end is 0 until the drain starts. A stream ends at once: its
 * sender may be blocked on a full buffer. */
static int rx_done(struct worker *w, const atomic_int *stop, int got,
		   uint64_t packets, uint64_t *drain_end)
{
	const struct worker *tx = &w->f->w[2 * w->pair];

	if (!atomic_load_explicit(stop, memory_order_relaxed))
		return 0;
	if (w->f->is_stream || got < 0)
		return 1;
	if (!*drain_end) {
		if (atomic_load_explicit(&tx->tx_reps, memory_order_acquire) <=
		    w->rx_reps)
			return 0;
		*drain_end = cpustat_mono_ns() + RX_DRAIN_MAX_NS;
		return 0; /* one more wait of RX_QUIET_MS */
	}
	if (cpustat_mono_ns() > *drain_end)
		return 1;
	return got == 0 && is_accounted(w, packets);
}

static void run_rx(struct worker *w, const atomic_int *stop)
{
	const struct flow *f = w->f;
	const struct framing_ops *fr = f->fr;
	uint64_t packets = 0, bytes = 0, wire = 0, crypto = 0, mismatch = 0;
	uint64_t drain_end = 0;
	const uint64_t *counts = fr->counts(w->sa);
	uint32_t kd;
	int n = 1;

	w->own_icv = 0;
	while (!rx_done(w, stop, n, packets, &drain_end)) {
		uint64_t t0;

		n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS,
				drain_end ? RX_QUIET_MS : RX_WAIT_MS);
		if (n <= 0) {
			if (n < 0)
				w->is_failed = 1;
			continue;
		}
		if (fr->feed) {
			/* A stream: each piece is checked before the next
			 * one may reuse the re-framer's buffer. */
			for (int i = 0; i < n; i++) {
				int k;

				t0 = cpustat_ticks();
				k = fr->feed(w->sa, w->pkts[i].data,
					     w->pkts[i].len, w->outs, w->verdict,
					     w->nout);
				crypto += cpustat_ticks() - t0;
				wire += w->pkts[i].len;
				if (k < 0)
					w->is_failed = 1;
				else
					account(w, w->outs, w->verdict,
						(unsigned)k, &packets, &bytes,
						&mismatch);
			}
			continue;
		}
		t0 = cpustat_ticks();
		for (int i = 0; i < n; i++) {
			/* The kernel cut a datagram longer than the receive
			 * buffer: too long for any packet the peer sends. */
			if (w->pkts[i].is_truncated) {
				w->verdict[i] = (uint8_t)fr->v_oversize;
				w->counts_own[fr->v_oversize]++;
				continue;
			}
			w->verdict[i] = (uint8_t)fr->decap(w->sa, w->pkts[i].data,
							   w->pkts[i].len,
							   &w->outs[i]);
		}
		crypto += cpustat_ticks() - t0;
		for (int i = 0; i < n; i++)
			if (w->verdict[i] == 0)
				wire += w->pkts[i].len;
		account(w, w->outs, w->verdict, (unsigned)n, &packets, &bytes,
			&mismatch);
	}
	w->packets = packets;
	w->bytes = bytes;
	w->wire = wire;
	w->crypto = crypto;
	w->mismatch = mismatch;
	for (unsigned v = 0; v < fr->n_verdicts; v++) {
		uint64_t c = counts[v] + w->counts_own[v];

		w->rejects[v] = c - w->counts_prev[v];
		w->counts_prev[v] = c;
	}
	/* The kernel's count is 32 bits and wraps. */
	kd = net_rx_drops(w->rx);
	w->kdrops = (uint32_t)(kd - w->kdrops_prev);
	w->kdrops_prev = kd;
	w->rx_reps++;
}

static void worker_run(void *arg, const atomic_int *stop)
{
	struct worker *w = arg;

	if (w->is_rx)
		run_rx(w, stop);
	else
		run_tx(w, stop);
}

static void worker_release(void *arg)
{
	struct worker *w = arg;

	net_tx_free(w->tx);
	net_rx_free(w->rx);
	if (w->sa)
		w->f->fr->sa_free(w->sa);
	free(w->pattern);
	free(w->pkts);
	free(w->outs);
	free(w->verdict);
	w->tx = NULL;
	w->rx = NULL;
	w->sa = NULL;
	w->pattern = NULL;
	w->pkts = NULL;
	w->outs = NULL;
	w->verdict = NULL;
}

/* Receivers read on until their senders' last sends are through. */
static int worker_is_drainer(const void *arg)
{
	return ((const struct worker *)arg)->is_rx;
}

static const struct team_hooks hooks = {
	.prepare = worker_prepare,
	.run = worker_run,
	.release = worker_release,
	.is_drainer = worker_is_drainer,
};

void flow_teardown(void *state)
{
	struct flow *f = state;

	if (!f)
		return;
	pairs_close(&f->pairs);
	free(f->w);
	free(f);
}

int flow_setup(const struct wl_case *c, const void *opts, void **state,
	       struct ncb_err *e)
{
	struct flow *f = calloc(1, sizeof(*f));
	int rc;

	*state = NULL;
	if (!f)
		return ncb_errf(e, -ENOMEM, "out of memory");
	memcpy(&f->o, opts, sizeof(f->o));
	pairs_init(&f->pairs, c, &f->o, 1);
	f->c = c;
	f->fr = f->pairs.f;
	f->is_stream = f->pairs.is_stream;
	f->kind = f->pairs.kind;
	f->seq_first = f->pairs.seq_first;
	f->size_max = pattern_size_max(c);
	f->w = calloc(c->workers, sizeof(*f->w));
	rc = f->w ? pairs_open(&f->pairs, e)
		  : ncb_errf(e, -ENOMEM, "out of memory");
	for (unsigned i = 0; rc == 0 && i < c->workers; i++)
		f->w[i] = (struct worker){ .f = f, .pair = i / 2,
					   .is_rx = (int)(i % 2) };
	if (rc == 0)
		rc = pairs_start(&f->pairs, &hooks, f->w, sizeof(*f->w), e);
	if (rc < 0) {
		flow_teardown(f);
		return rc;
	}
	*state = f;
	return 0;
}

/* A stream comes from the peer only: every refusal is the peer's
 * packet, so an auth failure or a malformed record is the peer's. */
static void count_stream(const struct flow *f, const struct worker *rx,
			 struct wl_counters *out)
{
	const struct framing_verdict *vd = f->fr->verdicts;

	for (unsigned v = 1; v < f->fr->n_verdicts; v++) {
		uint64_t n = rx->rejects[v];

		if (vd[v].cls == VERDICT_AUTH)
			out->auth_fail += n;
		else if (vd[v].cls == VERDICT_REPLAY)
			out->replay += n;
		else if (vd[v].cls == VERDICT_BROKEN)
			out->mismatch += n;
	}
}

/* Datagrams may come from anyone. A refusal before authentication is
 * rejected (or replay, by the window), whoever sent it; a failed tag
 * check is an auth failure when the packet claimed a number the pair's
 * sender used (rx->own_icv), else rejected; wrong after authentication
 * is a mismatch. Drops are the sender's packets not accepted: only
 * authentic packets are, so strangers' rejects cannot offset them. */
static void count_datagrams(const struct flow *f, const struct worker *tx,
			    const struct worker *rx, struct wl_counters *out)
{
	const struct framing_verdict *vd = f->fr->verdicts;
	uint64_t at_tag = 0;

	for (unsigned v = 1; v < f->fr->n_verdicts; v++) {
		uint64_t n = rx->rejects[v];

		if (vd[v].stage == VERDICT_AFTER_AUTH)
			out->mismatch += n;
		else if (vd[v].stage == VERDICT_AT_TAG)
			at_tag += n;
		else if (vd[v].cls == VERDICT_REPLAY)
			out->replay += n;
		else
			out->rejected += n;
	}
	/* own_icv <= at_tag: both count the same packets. */
	out->auth_fail += rx->own_icv;
	out->rejected += at_tag - rx->own_icv;
	/* The receiver drained what its sender sent before it ended the
	 * repetition; a packet held up longer arrives in the next one, so
	 * a drop count never goes negative. */
	out->drops += tx->sent > rx->packets ? tx->sent - rx->packets : 0;
	out->drops_kernel += rx->kdrops;
}

int flow_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct flow *f = state;
	int rc = team_rep(f->pairs.team, seconds, out);

	for (unsigned p = 0; p < f->c->threads; p++) {
		const struct worker *tx = &f->w[2 * p], *rx = &f->w[2 * p + 1];

		if (tx->is_failed || rx->is_failed)
			rc = rc ? rc : -EIO;
		out->packets += rx->packets;
		out->bytes += rx->bytes;
		out->wire_bytes += rx->wire;
		out->tx_packets += tx->sent;
		out->send_failed += tx->failed;
		out->crypto_ticks += tx->crypto + rx->crypto;
		out->mismatch += rx->mismatch;
		for (unsigned v = 1; v < f->fr->n_verdicts; v++)
			out->rejects[v - 1] += rx->rejects[v];
		if (f->is_stream)
			count_stream(f, rx, out);
		else
			count_datagrams(f, tx, rx, out);
	}
	return rc;
}

void flow_describe(void *state, struct wl_desc *d)
{
	struct flow *f = state;

	d->transport = f->pairs.transport;
	d->io = f->pairs.cfg.io == NET_IO_EPOLL ? "epoll" : "uring";
	d->framing = f->pairs.label;
	d->io_tx = f->w[0].tx ? net_tx_desc(f->w[0].tx) : NULL;
	d->io_rx = f->w[1].rx ? net_rx_desc(f->w[1].rx) : NULL;
}

/* What a lossy, reordering path would do to the packets. */
#define OPT(n, t, f, d, h) { n, t, offsetof(struct pattern_opts, f), d, h, NULL }
static const struct ncb_opt flow_opts[] = {
	OPT("reorder", NCB_OPT_UINT, reorder, "0",
	    "percent of packets swapped with the next one"),
	OPT("loss", NCB_OPT_UINT, loss, "0",
	    "percent of sequence numbers the sender skips"),
};
#undef OPT

const struct pattern_ops flow_pattern = {
	.name = "flow",
	.summary = "datagram bulk with any datagram framing (--framing): sender seals, receiver checks and opens",
	.kind = FRAMING_F_DATAGRAM,
	.wl_flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX,
	.opts = flow_opts,
	.opts_count = NCB_ARRAY_SIZE(flow_opts),
	.check = flow_check,
	.describe = flow_describe,
	.setup = flow_setup,
	.run_rep = flow_run_rep,
	.teardown = flow_teardown,
};
