/* The `esp` workload: the data path of an IPsec gateway over loopback.
 * Per pair, a sender thread builds inner packets, encapsulates them as ESP
 * (sealing a whole batch at once, timed) and hands the batch to the I/O
 * engine as ESP-in-UDP (RFC 3948); a receiver thread on another PU gets
 * batches from its engine, decapsulates them through the anti-replay window
 * (timed) and, with --verify, checks every payload and sequence number.
 * The headline figure is received goodput. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/replay.h"
#include "io/cpustat.h"
#include "io/net.h"
#include "workloads/inner.h"
#include "workloads/team.h"
#include "workloads/wl.h"

enum {
	SPI_BASE = 0x100,     /* pair i uses SPI 0x100 + i */
	RX_WAIT_MS = 10,      /* receiver notices the stop flag this fast */
	PCT_SCALE = 100,
};

/* --esn starts sequence numbers 2^20 below 2^32, so a run crosses into
 * the high half early and ESN inference is exercised. */
#define ESN_START ((1ull << 32) - (1ull << 20))

struct esp_opts {
	unsigned io, family, mode, esp_mode;
	unsigned batch, sockbuf, replay_window, reorder, loss, port, busy_poll;
	unsigned no_gso, zerocopy, sqpoll, esn;
};

static const char *const ios[] = { "uring", "epoll", NULL };
static const char *const families[] = { "4", "6", NULL };
static const char *const modes[] = { "tunnel", "transport", NULL };
static const char *const esp_modes[] = { "aead", "integrity", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct esp_opts, f), d, h, c }
static const struct wl_opt esp_opt_table[] = {
	OPT("io", WL_OPT_CHOICE, io, "uring", "I/O engine: uring or epoll (sendmmsg/recvmmsg)", ios),
	OPT("family", WL_OPT_CHOICE, family, "4", "outer IP version on loopback: 4 or 6", families),
	OPT("mode", WL_OPT_CHOICE, mode, "tunnel", "tunnel (inner IP + UDP) or transport (UDP)", modes),
	OPT("esp-mode", WL_OPT_CHOICE, esp_mode, "aead",
	    "aead, or integrity (RFC 4543 AES-GMAC: authenticated, not encrypted)", esp_modes),
	OPT("batch", WL_OPT_UINT, batch, "32", "packets per send call (1..256)", NULL),
	OPT("sockbuf", WL_OPT_UINT, sockbuf, "4194304", "socket send/receive buffer bytes (0: system default)", NULL),
	OPT("replay-window", WL_OPT_UINT, replay_window, "1024", "anti-replay window (0: strict order)", NULL),
	OPT("reorder", WL_OPT_UINT, reorder, "0", "percent of packets swapped with the next one", NULL),
	OPT("loss", WL_OPT_UINT, loss, "0", "percent of sequence numbers the sender skips", NULL),
	OPT("port", WL_OPT_UINT, port, "0", "receiver UDP port of pair 0, next pairs above it (0: any)", NULL),
	OPT("busy-poll", WL_OPT_UINT, busy_poll, "50", "microseconds a receiver polls before it sleeps (0: sleep at once)", NULL),
	OPT("no-gso", WL_OPT_FLAG, no_gso, "0", "one datagram per send/receive (no UDP GSO/GRO)", NULL),
	OPT("zerocopy", WL_OPT_FLAG, zerocopy, "0", "io_uring SEND_ZC", NULL),
	OPT("sqpoll", WL_OPT_FLAG, sqpoll, "0", "io_uring kernel submission thread", NULL),
	OPT("esn", WL_OPT_FLAG, esn, "0", "64-bit extended sequence numbers starting near 2^32", NULL),
};
#undef OPT

/* Reject counters, in the order of enum esp_verdict after ESP_V_OK. */
static const char *const reject_names[] = {
	"truncated", "unknown_spi", "replayed",  "too_old",
	"bad_icv",   "bad_padding", "oversize",
};

struct pair_keys {
	uint8_t key[AEAD_KEY_MAX];
	uint8_t salt[ESP_SALT_LEN];
};

struct esp_state;

struct worker {
	struct esp_state *s;
	unsigned pair;
	int is_rx;
	int fd;
	struct net_tx *tx;
	struct net_rx *rx;
	struct esp_sa *sa;
	uint8_t *pattern;
	/* Sender. */
	uint64_t seq, rng;
	size_t mix_i;
	uint32_t lens[NET_BATCH_MAX];
	uint32_t psize[NET_BATCH_MAX];
	uint64_t seqs[NET_BATCH_MAX];
	struct net_tx_counts txc_prev;
	/* Receiver. */
	struct net_pkt *pkts;
	struct esp_decap_out *outs;
	uint8_t *verdict;
	uint64_t counts_prev[ESP_V_COUNT];
	/* Counters of the last repetition. */
	uint64_t packets, bytes, wire, crypto, mismatch, sent, rejects[ESP_V_COUNT];
	int is_failed;
};

struct esp_state {
	const struct wl_case *c;
	struct esp_opts o;
	struct net_cfg cfg;
	enum inner_kind kind;
	size_t size_max;
	struct pair_keys *keys;
	struct team *team;
	struct worker *w;
	void **args;
	unsigned n;
	char framing[64], transport[8];
};

static size_t case_size_max(const struct wl_case *c)
{
	size_t m = c->size;

	for (size_t i = 0; c->mix && i < c->mix_len; i++)
		if (c->mix[i] > m)
			m = c->mix[i];
	return m;
}

static size_t case_size_min(const struct wl_case *c)
{
	size_t m = c->size;

	for (size_t i = 0; c->mix && i < c->mix_len; i++)
		if (i == 0 || c->mix[i] < m)
			m = c->mix[i];
	return m;
}

static enum inner_kind kind_of(const struct esp_opts *o)
{
	if (o->mode == 1)
		return INNER_UDP;
	return o->family == 1 ? INNER_IPV6 : INNER_IPV4;
}

static int esp_check(const struct wl_case *c, const void *opts,
		     struct ncb_err *e)
{
	const struct esp_opts *o = opts;
	size_t lo = case_size_min(c), hi = case_size_max(c);
	size_t need = inner_min(kind_of(o));

	if (o->batch < 1 || o->batch > NET_BATCH_MAX)
		return ncb_errf(e, -EINVAL, "--batch: %u is out of range 1..%d",
				o->batch, NET_BATCH_MAX);
	if (o->reorder > 100 || o->loss > 99)
		return ncb_errf(e, -EINVAL,
				"--reorder must be 0..100 and --loss 0..99 percent");
	if (o->replay_window > REPLAY_WINDOW_MAX)
		return ncb_errf(e, -EINVAL, "--replay-window: %u is above %u",
				o->replay_window, (unsigned)REPLAY_WINDOW_MAX);
	if (o->port && o->port + c->threads > 65536)
		return ncb_errf(e, -EINVAL, "--port: %u + %u pairs is past 65535",
				o->port, c->threads);
	if (o->io == 1 && (o->zerocopy || o->sqpoll))
		return ncb_errf(e, -EINVAL,
				"--zerocopy and --sqpoll need --io uring");
	if (o->busy_poll > 1000000)
		return ncb_errf(e, -EINVAL, "--busy-poll: %u us is above 1 s",
				o->busy_poll);
	if (o->sockbuf > (1u << 30))
		return ncb_errf(e, -EINVAL, "--sockbuf: %u is above 1 GiB",
				o->sockbuf);
	if (lo < need)
		return ncb_errf(e, -EINVAL,
				"--size: esp %s mode needs payloads of at least %zu bytes (headers and a sequence stamp), got %zu",
				modes[o->mode], need, lo);
	if (hi > esp_payload_max())
		return ncb_errf(e, -EINVAL,
				"--size: an ESP packet of %zu payload bytes does not fit in a UDP datagram (at most %zu)",
				hi, esp_payload_max());
	return 0;
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
	struct esp_state *s = w->s;
	const struct pair_keys *k = &s->keys[w->pair];
	int fd = w->fd, rc;

	w->fd = -1; /* the engine owns it from here, even on failure */
	struct esp_sa_cfg sc = {
		.alg = s->c->cipher,
		.backend = s->c->backend,
		.key = k->key,
		.key_len = aead_key_len(s->c->cipher),
		.salt = k->salt,
		.spi = SPI_BASE + w->pair,
		.is_esn = (int)s->o.esn,
		.is_gmac = s->o.esp_mode == 1,
		.replay_window = s->o.replay_window,
		.seq_start = s->o.esn ? ESN_START : 0,
	};

	rc = w->is_rx ? net_rx_new(&w->rx, &s->cfg, fd, e)
		      : net_tx_new(&w->tx, &s->cfg, fd, e);
	if (rc < 0)
		return rc;
	rc = esp_sa_new(&w->sa, &sc);
	if (rc < 0)
		return ncb_errf(e, rc, "cannot create an ESP SA for %s/%s",
				s->c->cipher, s->c->backend);
	w->pattern = malloc(s->size_max);
	if (!w->pattern)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < s->size_max; i++)
		w->pattern[i] = (uint8_t)(i * 131 + 7);
	w->seq = s->o.esn ? ESN_START : 1;
	w->rng = 0x9e3779b97f4a7c15ull ^ w->pair;
	if (w->is_rx) {
		w->pkts = calloc(NET_RX_PKTS, sizeof(*w->pkts));
		w->outs = calloc(NET_RX_PKTS, sizeof(*w->outs));
		w->verdict = calloc(NET_RX_PKTS, 1);
		if (!w->pkts || !w->outs || !w->verdict)
			return ncb_errf(e, -ENOMEM, "out of memory");
	}
	return 0;
}

/* Sequence numbers of the next batch: --loss skips numbers, --reorder
 * swaps neighbours, as a lossy, reordering path would deliver them. */
static void next_seqs(struct worker *w, unsigned n)
{
	const struct esp_opts *o = &w->s->o;

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
	const struct esp_state *s = w->s;
	const struct wl_case *c = s->c;
	uint8_t nh = inner_next_header(s->kind);
	unsigned n = s->o.batch;
	uint64_t crypto = 0;
	struct net_tx_counts cnt;

	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		uint8_t *buf = net_tx_buf(w->tx), *p = buf;
		uint64_t t0;

		next_seqs(w, n);
		for (unsigned i = 0; i < n; i++) {
			size_t sz = c->size;

			if (c->mix) {
				sz = c->mix[w->mix_i];
				if (++w->mix_i == c->mix_len)
					w->mix_i = 0;
			}
			inner_build(s->kind, p + ESP_HDR_LEN, sz, w->seqs[i],
				    w->pattern);
			w->psize[i] = (uint32_t)sz;
			w->lens[i] = (uint32_t)esp_packet_len(sz);
			p += w->lens[i];
		}
		t0 = cpustat_ticks();
		p = buf;
		for (unsigned i = 0; i < n; i++) {
			if (esp_encap(w->sa, p, w->psize[i], nh, w->seqs[i],
				      NULL) < 0)
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
	w->txc_prev = cnt;
	w->crypto = crypto;
}

static void run_rx(struct worker *w, const atomic_int *stop)
{
	const struct esp_state *s = w->s;
	uint8_t nh = inner_next_header(s->kind);
	uint64_t packets = 0, bytes = 0, wire = 0, crypto = 0, mismatch = 0;
	const uint64_t *counts = esp_sa_counts(w->sa);

	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		int n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS, RX_WAIT_MS);
		uint64_t t0;

		if (n <= 0) {
			if (n < 0)
				w->is_failed = 1;
			continue;
		}
		t0 = cpustat_ticks();
		for (int i = 0; i < n; i++)
			w->verdict[i] = (uint8_t)esp_decap(w->sa, w->pkts[i].data,
							   w->pkts[i].len,
							   &w->outs[i]);
		crypto += cpustat_ticks() - t0;
		for (int i = 0; i < n; i++) {
			const struct esp_decap_out *o = &w->outs[i];

			if (w->verdict[i] != ESP_V_OK)
				continue;
			packets++;
			bytes += o->payload_len;
			wire += w->pkts[i].len;
			if (s->c->is_verify &&
			    (o->next_header != nh ||
			     inner_check(s->kind, o->payload, o->payload_len,
					 o->seq, w->pattern) < 0))
				mismatch++;
		}
	}
	w->packets = packets;
	w->bytes = bytes;
	w->wire = wire;
	w->crypto = crypto;
	w->mismatch = mismatch;
	for (int v = 0; v < ESP_V_COUNT; v++) {
		w->rejects[v] = counts[v] - w->counts_prev[v];
		w->counts_prev[v] = counts[v];
	}
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
	esp_sa_free(w->sa);
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

static const struct team_hooks hooks = {
	.prepare = worker_prepare,
	.run = worker_run,
	.release = worker_release,
};

static void esp_teardown(void *state)
{
	struct esp_state *s = state;

	if (!s)
		return;
	team_free(s->team);
	for (unsigned i = 0; s->w && i < s->n; i++)
		if (s->w[i].fd >= 0)
			close(s->w[i].fd);
	if (s->keys) {
		explicit_bzero(s->keys, s->c->threads * sizeof(*s->keys));
		free(s->keys);
	}
	free(s->w);
	free(s->args);
	free(s);
}

static int esp_setup(const struct wl_case *c, const void *opts, void **state,
		     struct ncb_err *e)
{
	struct esp_state *s = calloc(1, sizeof(*s));
	int rc;

	*state = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	s->c = c;
	memcpy(&s->o, opts, sizeof(s->o));
	s->kind = kind_of(&s->o);
	s->size_max = case_size_max(c);
	s->n = c->workers;
	s->cfg = (struct net_cfg){
		.io = s->o.io == 1 ? NET_IO_EPOLL : NET_IO_URING,
		.family = s->o.family == 1 ? 6 : 4,
		.batch = s->o.batch,
		.sockbuf = s->o.sockbuf,
		.pkt_max = esp_packet_len(s->size_max),
		.port = s->o.port,
		.busy_poll_us = s->o.busy_poll,
		.is_gso = !s->o.no_gso,
		.is_zerocopy = (int)s->o.zerocopy,
		.is_sqpoll = (int)s->o.sqpoll,
	};
	s->w = calloc(s->n, sizeof(*s->w));
	s->args = calloc(s->n, sizeof(*s->args));
	s->keys = calloc(c->threads, sizeof(*s->keys));
	if (!s->w || !s->args || !s->keys) {
		esp_teardown(s);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < s->n; i++)
		s->w[i] = (struct worker){ .s = s, .pair = i / 2,
					   .is_rx = (int)(i % 2), .fd = -1 };
	for (unsigned p = 0; p < c->threads; p++) {
		if (getrandom(&s->keys[p], sizeof(s->keys[p]), 0) !=
		    (ssize_t)sizeof(s->keys[p])) {
			esp_teardown(s);
			return ncb_errf(e, -EIO, "cannot read random key bytes");
		}
		rc = net_pair_open(&s->cfg, p, &s->w[2 * p].fd,
				   &s->w[2 * p + 1].fd, e);
		if (rc < 0) {
			esp_teardown(s);
			return rc;
		}
	}
	for (unsigned i = 0; i < s->n; i++)
		s->args[i] = &s->w[i];
	rc = team_new(&s->team, c, &hooks, s->args, e);
	/* Every SA holds its own copy now. */
	explicit_bzero(s->keys, c->threads * sizeof(*s->keys));
	if (rc < 0) {
		esp_teardown(s);
		return rc;
	}
	snprintf(s->framing, sizeof(s->framing), "esp-%s%s%s",
		 modes[s->o.mode],
		 s->o.esp_mode == 1 ? "-integrity" : "",
		 s->o.esn ? "-esn" : "");
	snprintf(s->transport, sizeof(s->transport), "udp%s",
		 s->cfg.family == 6 ? "6" : "");
	*state = s;
	return 0;
}

static int esp_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct esp_state *s = state;
	int rc = team_rep(s->team, seconds, out);

	for (unsigned p = 0; p < s->c->threads; p++) {
		const struct worker *tx = &s->w[2 * p], *rx = &s->w[2 * p + 1];
		uint64_t arrived = rx->packets;

		if (tx->is_failed || rx->is_failed)
			rc = rc ? rc : -EIO;
		out->packets += rx->packets;
		out->bytes += rx->bytes;
		out->wire_bytes += rx->wire;
		out->tx_packets += tx->sent;
		out->crypto_ticks += tx->crypto + rx->crypto;
		out->mismatch += rx->mismatch;
		for (int v = ESP_V_TRUNCATED; v < ESP_V_COUNT; v++) {
			out->rejects[v - 1] += rx->rejects[v];
			arrived += rx->rejects[v];
		}
		/* Unauthenticated arrivals are auth failures; malformed but
		 * authentic packets are mismatches. */
		out->auth_fail += rx->rejects[ESP_V_ICV] + rx->rejects[ESP_V_SPI];
		out->replay += rx->rejects[ESP_V_REPLAY] + rx->rejects[ESP_V_OLD];
		out->mismatch += rx->rejects[ESP_V_PAD] +
				 rx->rejects[ESP_V_TRUNCATED] +
				 rx->rejects[ESP_V_OVERSIZE];
		/* Packets in flight at a repetition's edge arrive in the
		 * next one: a drop count never goes negative. */
		out->drops += tx->sent > arrived ? tx->sent - arrived : 0;
	}
	return rc;
}

static void esp_describe(void *state, struct wl_desc *d)
{
	struct esp_state *s = state;

	d->transport = s->transport;
	d->io = s->cfg.io == NET_IO_EPOLL ? "epoll" : "uring";
	d->framing = s->framing;
	d->io_tx = s->w[0].tx ? net_tx_desc(s->w[0].tx) : NULL;
	d->io_rx = s->w[1].rx ? net_rx_desc(s->w[1].rx) : NULL;
}

const struct wl_ops wl_esp = {
	.name = "esp",
	.summary = "IPsec ESP over UDP on loopback: sender seals, receiver checks and opens",
	.abi = WL_ABI,
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX,
	.opts = esp_opt_table,
	.opts_count = NCB_ARRAY_SIZE(esp_opt_table),
	.opts_size = sizeof(struct esp_opts),
	.workers_per_thread = 2,
	.reject_names = reject_names,
	.n_rejects = NCB_ARRAY_SIZE(reject_names),
	.check = esp_check,
	.describe = esp_describe,
	.setup = esp_setup,
	.run_rep = esp_run_rep,
	.teardown = esp_teardown,
};
