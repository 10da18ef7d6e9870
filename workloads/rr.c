/* The `rr` traffic pattern: encrypted request/response, the shape of RPC
 * and storage traffic, measured by its latency. Per pair, a client keeps
 * --depth requests of --size bytes in flight; a server opens each one,
 * answers with --size bytes, and the client opens the answer and records
 * the exchange's time in a log-linear histogram (io/hist). Requests and
 * answers go through any framing (--framing): datagram framings over UDP
 * (decap), byte-stream framings over one TCP connection (feed); the older
 * --transport udp|tcp names esp and tls13-records. The result carries
 * latency_ns{} and the transaction rate; `--cipher null` gives the cost
 * of the exchange without crypto, so the difference is what the crypto
 * adds.
 *
 * A unit of a pair is a client half and a server half (struct side,
 * each with its own engines, SAs and counters) that share only what
 * flow_half.h's contract allows: the SA descriptions of both directions
 * (the client seals with direction 0 and opens direction 1; the server
 * the other way round), socket addresses (pair.h), and at the end of a
 * repetition on a byte stream their idle flags (struct rr_mailbox). On
 * two hosts the halves run on different hosts (rr_peer.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/framing.h"
#include "crypto/inner.h"
#include "io/cpustat.h"
#include "io/hist.h"
#include "io/net.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/peer.h"
#include "workloads/rr_impl.h"
#include "workloads/safile.h"
#include "workloads/team.h"
#include "workloads/wl.h"

static const char *const transports[] = { "udp", "tcp", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct pattern_opts, f), d, h, c }
static const struct ncb_opt rr_opts[] = {
	OPT("transport", NCB_OPT_CHOICE, transport, "udp",
	    "udp (a datagram framing, esp unless --framing says) or tcp (a byte-stream framing, tls13-records)",
	    transports),
	OPT("depth", NCB_OPT_UINT, depth, "1", "requests in flight per pair (1..256)", NULL),
};
#undef OPT

/* The older spelling of --framing. */
static const char *const transport_map[] = {
	"udp", "esp", "tcp", "tls13-records", NULL,
};

/* Latency wants no batching, no GRO trains, no kernel submission thread
 * between the two ends; ESP requests are UDP datagrams (transport mode),
 * and a byte-stream framing runs over TCP. A pair is one SA each way on
 * one socket (--sas and --flows are bulk's). */
static const char *const net_unused[] = { "batch", "no-gso", "sqpoll", "sas",
					   "sa-dist", "flows", NULL };
static const struct pattern_default defaults[] = {
	{ "sockbuf", "0", 0 },
	{ "mode", "transport", 0 },
	{ "transport", "tcp", FRAMING_F_STREAM },
};

static const char *const reject_names[R_COUNT] = {
	"bad_icv", "replayed", "malformed", "lost",
};

static int rr_check(const struct wl_case *c, const void *opts,
		    struct ncb_err *e)
{
	const struct pattern_opts *o = opts;
	const struct framing_ops *f = pattern_framing(c);
	int is_stream = (f->flags & FRAMING_F_STREAM) != 0;
	struct pattern_opts t = *o;
	int rc;

	if (o->depth < 1 || o->depth > DEPTH_MAX)
		return ncb_errf(e, -EINVAL, "--depth: %u is out of range 1..%d",
				o->depth, DEPTH_MAX);
	if (c->mix)
		return ncb_errf(e, -EINVAL,
				"--imix: rr exchanges one --size each way");
	if ((o->transport == 1) != is_stream)
		return ncb_errf(e, -EINVAL,
				"--transport %s: framing %s runs over %s",
				transports[o->transport], f->name,
				transports[is_stream]);
	t.net.batch = DEPTH_MAX; /* what rr_setup gives the engines */
	rc = pattern_check(c, &t, e);
	return rc ? rc : safile_check_path(c, o, 2, e);
}

/* The client sends requests on direction 0 and opens answers of
 * direction 1; the server the other way round. */
static int side_prepare(void *arg, struct ncb_err *e)
{
	struct side *w = arg;
	struct rr_state *s = w->s;
	const struct framing_ops *f = s->f;
	unsigned dir_tx = (unsigned)w->is_server;
	int fd = pairs_take_fd(&s->pairs, 2 * w->slot + dir_tx), fd2, rc;

	/* The engines own it (and its duplicate) from here. */
	fd2 = dup(fd);
	if (fd2 < 0) {
		close(fd);
		return ncb_errf(e, -errno, "cannot duplicate a socket");
	}
	rc = net_tx_new(&w->tx, &s->pairs.cfg, fd, e);
	if (rc < 0) {
		close(fd2);
		return rc;
	}
	rc = net_rx_new(&w->rx, &s->pairs.cfg, fd2, e);
	if (rc == 0)
		rc = framing_sa_new(f, &w->sa_tx, pairs_desc(&s->pairs, w->slot, dir_tx),
			       0, e);
	if (rc == 0)
		rc = framing_sa_new(f, &w->sa_rx, pairs_desc(&s->pairs, w->slot, !dir_tx),
			       1, e);
	if (rc < 0)
		return rc;
	w->off = framing_payload_off(w->sa_tx);
	w->len = framing_packet_len(w->sa_tx, s->c->size);
	/* A byte stream's piece completes up to feed_max records; the
	 * datagrams of one receive are opened together. */
	w->nout = s->is_stream ? f->feed_max : NET_RX_PKTS;
	w->burst = s->is_stream ? 1 : pattern_burst(&s->o);
	w->outs = calloc(w->nout, sizeof(*w->outs));
	w->vs = calloc(w->nout, 1);
	w->pattern = inner_pattern_new(s->c->size);
	if (!w->pattern || !w->outs || !w->vs)
		return ncb_errf(e, -ENOMEM, "out of memory");
	w->next_id = 1;
	w->seq = s->pairs.seq_first;
	return 0;
}

/* Builds and seals n messages with the given ids back to back in the
 * engine's buffer (one per call with --burst 1, else through the
 * framing's bursts), then sends them with one call. */
static void send_batch(struct side *w, const uint64_t *ids, unsigned n,
		       uint64_t *crypto)
{
	const struct rr_state *s = w->s;
	size_t sz = s->c->size, len = w->len;
	uint8_t *p = net_tx_buf(w->tx);
	uint64_t t0;

	for (unsigned i = 0; i < n; i++) {
		w->ptrs[i] = p + i * len;
		inner_build(s->kind, w->ptrs[i] + w->off, sz, ids[i],
			    w->pattern);
		w->lens[i] = (uint32_t)len;
		w->psize[i] = sz;
		w->seqs[i] = w->seq++;
	}
	t0 = cpustat_ticks();
	if (w->burst <= 1) {
		for (unsigned i = 0; i < n; i++)
			w->rcs[i] = s->f->encap(w->sa_tx, w->ptrs[i], sz, w->seqs[i]);
	} else {
		for (unsigned i = 0; i < n; i += w->burst)
			framing_encap_burst(s->f, w->sa_tx, w->ptrs + i,
					    w->psize + i, w->seqs + i, w->rcs + i,
					    n - i < w->burst ? n - i : w->burst);
	}
	*crypto += cpustat_ticks() - t0;
	for (unsigned i = 0; i < n; i++)
		if (w->rcs[i] < 0)
			w->is_failed = 1;
	if (net_tx_send(w->tx, w->lens, n) < 0)
		w->is_failed = 1;
}

/* Checks the n messages just opened (w->outs, w->vs): those that pass
 * every check are moved to the front of w->outs, their stamps (the
 * request ids) in .seq; how many. Counts mismatches (authentic but
 * wrong, or not the kind of packet sent); rejects are counted by the
 * SAs. */
static unsigned keep(struct side *w, unsigned n)
{
	const struct rr_state *s = w->s;
	size_t stamp = inner_min(s->kind) - 8;
	unsigned good = 0;

	for (unsigned i = 0; i < n; i++) {
		struct framing_out o = w->outs[i];

		if (w->vs[i] != 0)
			continue;
		if (!o.is_proto_ok || o.len != s->c->size) {
			w->mismatch++;
			continue;
		}
		o.seq = ncb_get_be64(o.payload + stamp);
		if (s->c->is_verify &&
		    inner_check(s->kind, o.payload, o.len, o.seq, w->pattern) < 0) {
			w->mismatch++;
			continue;
		}
		w->outs[good++] = o;
	}
	return good;
}

/* Opens one received piece (a datagram, or a piece of a byte stream),
 * then keep(). */
static unsigned open_piece(struct side *w, struct net_pkt *pk, uint64_t *crypto)
{
	const struct framing_ops *f = w->s->f;
	uint64_t t0 = cpustat_ticks();
	int n = 1;

	if (f->feed) {
		n = f->feed(w->sa_rx, pk->data, pk->len, w->outs, w->vs, w->nout);
		if (n < 0) {
			w->is_failed = 1;
			n = 0;
		}
	} else {
		w->vs[0] = (uint8_t)f->decap(w->sa_rx, pk->data, pk->len,
					     &w->outs[0]);
	}
	*crypto += cpustat_ticks() - t0;
	w->wire += pk->len;
	return keep(w, (unsigned)n);
}

/* Opens n received datagrams through the framing's bursts of --burst,
 * then keep(). */
static unsigned open_datagrams(struct side *w, int n, uint64_t *crypto)
{
	const struct framing_ops *f = w->s->f;
	unsigned b = w->burst;
	uint64_t t0;

	for (int i = 0; i < n; i++) {
		w->rx_ptrs[i] = w->pkts[i].data;
		w->rx_lens[i] = w->pkts[i].len;
		w->wire += w->pkts[i].len;
	}
	t0 = cpustat_ticks();
	for (unsigned i = 0; i < (unsigned)n; i += b)
		framing_decap_burst(f, w->sa_rx, w->rx_ptrs + i, w->rx_lens + i,
				    w->outs + i, w->vs + i,
				    (unsigned)n - i < b ? (unsigned)n - i : b);
	*crypto += cpustat_ticks() - t0;
	return keep(w, (unsigned)n);
}

/* Whether the datagrams of a receive are opened together. */
static int is_bursting(const struct side *w)
{
	return w->burst > 1;
}

/* The g good answers at the front of w->outs, opened at now: each one
 * still awaited ends its exchange. */
static void end_exchanges(struct side *w, unsigned g, uint64_t now,
			  uint64_t *done, uint64_t *last)
{
	for (unsigned j = 0; j < g; j++) {
		uint64_t id = w->outs[j].seq;

		if (w->ids[id % RING] != id || !w->inflight)
			continue; /* an answer given up on */
		w->ids[id % RING] = 0;
		hist_add(&w->lat, now - w->sent_at[id % RING]);
		w->inflight--;
		(*done)++;
		*last = now;
	}
}

/* Answers in the pieces just received: all at once when the datagrams
 * are opened together, else piece by piece. */
static void take_answers(struct side *w, int n, uint64_t *crypto,
			 uint64_t *done, uint64_t *last)
{
	if (n > 0 && is_bursting(w)) {
		unsigned g = open_datagrams(w, n, crypto);

		end_exchanges(w, g, cpustat_mono_ns(), done, last);
		return;
	}
	for (int i = 0; i < n; i++) {
		unsigned g = open_piece(w, &w->pkts[i], crypto);

		end_exchanges(w, g, cpustat_mono_ns(), done, last);
	}
}

/* The end of a repetition on a byte stream: neither side sends anything new, and
 * both read on until neither has a send in flight, so a send blocked on
 * a peer that stopped reading can always complete and the record streams
 * stay whole. What arrives is opened (the record sequence numbers stay in
 * step); answers still end their exchanges. DRAIN_MS bounds it. */
static void drain(struct side *w, uint64_t *crypto, uint64_t *done,
		  uint64_t *last)
{
	struct rr_mailbox *m = &w->s->mail[w->slot];
	uint64_t end = cpustat_mono_ns() + DRAIN_MS * 1000000ull;

	while (cpustat_mono_ns() < end) {
		int n;

		if (!net_tx_busy(w->tx))
			atomic_store(&m->is_idle[w->is_server], 1);
		if (atomic_load(&m->is_idle[w->is_server]) &&
		    atomic_load(&m->is_idle[!w->is_server]))
			break;
		n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS, 1);
		if (n < 0)
			w->is_failed = 1;
		if (!w->is_server)
			take_answers(w, n, crypto, done, last);
		for (int i = 0; w->is_server && i < n; i++)
			(void)open_piece(w, &w->pkts[i], crypto);
	}
}

static void client_run(struct side *w, const atomic_int *stop)
{
	const struct rr_state *s = w->s;
	unsigned depth = s->o.depth;
	uint64_t crypto = 0, done = 0, sent = 0, lost = 0;
	uint64_t last = cpustat_mono_ns();
	uint64_t ids[DEPTH_MAX];

	/* Answers of the last repetition are stale: none may end an
	 * exchange of this one (a server on another host answers on until
	 * its own stop). */
	w->inflight = 0;
	memset(w->ids, 0, sizeof(w->ids));
	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		unsigned k = 0;
		int n;

		if (w->inflight < depth) {
			uint64_t now = cpustat_mono_ns();

			while (w->inflight + k < depth) {
				uint64_t id = w->next_id++;

				w->ids[id % RING] = id;
				w->sent_at[id % RING] = now;
				ids[k++] = id;
			}
			send_batch(w, ids, k, &crypto);
			w->inflight += k;
			sent += k;
		}
		n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS, RX_WAIT_MS);
		if (n < 0)
			w->is_failed = 1;
		take_answers(w, n, &crypto, &done, &last);
		/* UDP can drop: after LOST_NS without an answer, the ones
		 * in flight are lost and new requests go out. */
		if (!s->is_stream && w->inflight &&
		    cpustat_mono_ns() - last > LOST_NS) {
			lost += w->inflight;
			w->inflight = 0;
			last = cpustat_mono_ns();
		}
	}
	if (s->is_stream)
		drain(w, &crypto, &done, &last);
	w->done = done;
	w->req_sent = sent;
	w->crypto = crypto;
	w->rejects[R_LOST] = lost;
}

/* The server: the g good requests at the front of w->outs join the
 * answers to send (ids, k of them), sent DEPTH_MAX at a time. */
static void answer(struct side *w, unsigned g, uint64_t *ids, unsigned *k,
		   uint64_t *crypto)
{
	for (unsigned j = 0; j < g; j++) {
		ids[(*k)++] = w->outs[j].seq;
		if (*k == DEPTH_MAX) {
			send_batch(w, ids, *k, crypto);
			*k = 0;
		}
	}
}

static void server_run(struct side *w, const atomic_int *stop)
{
	uint64_t crypto = 0, ids[NET_RX_PKTS], done = 0, last = 0;

	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		int n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS, RX_WAIT_MS);
		unsigned k = 0;

		if (n < 0)
			w->is_failed = 1;
		/* Datagrams opened together are answered together. */
		if (n > 0 && is_bursting(w))
			answer(w, open_datagrams(w, n, &crypto), ids, &k, &crypto);
		for (int i = 0; !is_bursting(w) && i < n; i++)
			answer(w, open_piece(w, &w->pkts[i], &crypto), ids, &k,
			       &crypto);
		if (k)
			send_batch(w, ids, k, &crypto);
	}
	if (w->s->is_stream)
		drain(w, &crypto, &done, &last);
	w->crypto = crypto;
}

/* Rejects since the last call, by class. */
static void take_rejects(struct side *w)
{
	const struct framing_ops *f = w->s->f;
	const uint64_t *c = framing_counts(w->sa_rx);

	for (int r = R_BAD_ICV; r <= R_MALFORMED; r++)
		w->rejects[r] = 0;
	for (unsigned v = 1; v < f->n_verdicts; v++) {
		w->rejects[f->verdicts[v].cls - 1] += c[v] - w->prev[v];
		w->prev[v] = c[v];
	}
}

static void side_run(void *arg, const atomic_int *stop)
{
	struct side *w = arg;

	w->wire = w->mismatch = 0;
	/* A send waiting on a peer that stopped reading gives up in time. */
	net_tx_watch(w->tx, stop);
	if (w->is_server)
		server_run(w, stop);
	else
		client_run(w, stop);
	take_rejects(w);
}

static void side_release(void *arg)
{
	struct side *w = arg;

	net_tx_free(w->tx);
	net_rx_free(w->rx);
	if (w->sa_tx)
		framing_sa_free(w->sa_tx);
	if (w->sa_rx)
		framing_sa_free(w->sa_rx);
	free(w->pattern);
	free(w->outs);
	free(w->vs);
	w->tx = NULL;
	w->rx = NULL;
	w->sa_tx = w->sa_rx = NULL;
	w->pattern = NULL;
	w->outs = NULL;
	w->vs = NULL;
}

/* The server answers: the receiving side of its pair. */
static int side_is_receiver(const void *arg)
{
	return ((const struct side *)arg)->is_server;
}

static const struct team_hooks hooks = {
	.prepare = side_prepare,
	.run = side_run,
	.release = side_release,
	.is_receiver = side_is_receiver,
};

static void rr_teardown(void *state)
{
	struct rr_state *s = state;

	if (!s)
		return;
	pairs_close(&s->pairs);
	free(s->w);
	free(s->mail);
	free(s);
}

static int rr_setup(const struct wl_case *c, const void *opts, void **state,
		    struct ncb_err *e)
{
	struct rr_state *s = calloc(1, sizeof(*s));
	int rc;

	*state = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	s->c = c;
	s->peer = c->peer;
	memcpy(&s->o, opts, sizeof(s->o));
	pairs_init(&s->pairs, c, &s->o, 2);
	s->f = s->pairs.f;
	s->is_stream = s->pairs.is_stream;
	s->kind = s->pairs.kind;
	s->pairs.cfg.batch = DEPTH_MAX;
	s->pairs.cfg.is_gso = 0; /* one exchange is one packet each way */
	/* One socket each way: the client's is connected to the server's,
	 * and the server's back to the client's. */
	s->w = calloc(2 * s->pairs.n_slots, sizeof(*s->w));
	s->mail = calloc(s->pairs.n_slots, sizeof(*s->mail));
	rc = s->w && s->mail ? pairs_open(&s->pairs, e)
			     : ncb_errf(e, -ENOMEM, "out of memory");
	for (unsigned i = 0; rc == 0 && i < 2 * s->pairs.n_slots; i++)
		s->w[i] = (struct side){ .s = s, .slot = i / 2,
					 .is_server = (int)(i % 2) };
	if (rc == 0)
		rc = pairs_start(&s->pairs, &hooks, s->w, sizeof(*s->w), e);
	if (rc < 0) {
		rr_teardown(s);
		return rc;
	}
	*state = s;
	return 0;
}

/* Sums what both ends of every unit counted (on two hosts, one end of
 * each is the other host's mirror) and merges the clients' latencies.
 * crypto_ticks are this host's only. */
static int rr_sum(struct rr_state *s, struct wl_counters *out)
{
	int rc = 0;

	hist_reset(&s->lat);
	for (unsigned i = 0; i < 2 * s->pairs.n_slots; i++) {
		struct side *w = &s->w[i];

		if (w->is_failed)
			rc = -EIO;
		out->crypto_ticks += w->crypto;
		out->wire_bytes += w->wire;
		out->mismatch += w->mismatch;
		out->auth_fail += w->rejects[R_BAD_ICV];
		out->replay += w->rejects[R_REPLAYED];
		out->mismatch += w->rejects[R_MALFORMED];
		for (int r = 0; r < R_COUNT; r++)
			out->rejects[r] += w->rejects[r];
		if (w->is_server)
			continue;
		out->packets += w->done;
		out->bytes += 2 * w->done * s->c->size;
		out->tx_packets += w->req_sent;
		out->drops += w->rejects[R_LOST];
		hist_merge(&s->lat, &w->lat);
		hist_reset(&w->lat);
	}
	out->latency = &s->lat;
	return rc;
}

/* On two hosts an interrupt or a failed step ends the repetition at
 * once: no further step, the other host learns of it when the control
 * channel closes. Only a byte stream has a step within the repetition:
 * its ends' idle flags. */
static int rr_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct rr_state *s = state;
	int rc, sum;

	for (unsigned p = 0; p < s->pairs.n_slots; p++) {
		atomic_store(&s->mail[p].is_idle[0], 0);
		atomic_store(&s->mail[p].is_idle[1], 0);
	}
	if (!s->peer) {
		rc = team_rep(s->pairs.team, seconds, out);
	} else {
		rc = team_rep_sync(s->pairs.team, seconds,
				   s->is_stream ? rr_peer_sync : NULL, s, out);
		if (rc == 0)
			rc = rr_peer_counts(s, out);
		if (rc < 0)
			return rc;
	}
	sum = rr_sum(s, out);
	return rc ? rc : sum;
}

/* The engines of the first end here (each end sends and receives). */
static void rr_describe(void *state, struct wl_desc *d)
{
	struct rr_state *s = state;
	unsigned i = pairs_end(&s->pairs, 0);

	pairs_describe(&s->pairs, s->w[i].tx, s->w[i].rx, d);
}

static const struct wl_ops rr_hooks = {
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_PEER,
	.reject_names = reject_names,
	.n_rejects = R_COUNT,
	.check = rr_check,
	.describe = rr_describe,
	.setup = rr_setup,
	.run_rep = rr_run_rep,
	.teardown = rr_teardown,
};

const struct pattern_ops rr_pattern = {
	.name = "rr",
	.summary = "encrypted request/response with any framing (--framing; datagrams over UDP, byte streams over TCP): latency percentiles and transaction rate",
	.kind = FRAMING_F_DATAGRAM | FRAMING_F_STREAM,
	.opts = rr_opts,
	.opts_count = NCB_ARRAY_SIZE(rr_opts),
	.net_unused = net_unused,
	.defaults = defaults,
	.n_defaults = NCB_ARRAY_SIZE(defaults),
	.transport_map = transport_map,
	.wl = &rr_hooks,
};
