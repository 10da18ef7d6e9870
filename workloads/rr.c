/* The `rr` workload: encrypted request/response, the shape of RPC and
 * storage traffic, measured by its latency. Per pair, a client keeps
 * --depth requests of --size bytes in flight; a server opens each one,
 * answers with --size bytes, and the client opens the answer and records
 * the exchange's time in a log-linear histogram (io/hist). Requests and
 * answers are ESP packets over UDP, or TLS-style records over one TCP
 * connection (--transport tcp). The result carries latency_ns{} and the
 * transaction rate; `--cipher null` gives the cost of the exchange
 * without crypto, so the difference is what the crypto adds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/record.h"
#include "io/cpustat.h"
#include "io/hist.h"
#include "io/net.h"
#include "crypto/inner.h"
#include "workloads/keys.h"
#include "workloads/team.h"
#include "workloads/verdicts.h"
#include "workloads/wl.h"

enum {
	DEPTH_MAX = 256,
	RING = 1024,           /* send times by request id, > DEPTH_MAX */
	RX_WAIT_MS = 10,
	LOST_NS = 200000000,   /* a UDP exchange not answered in 200 ms */
	/* A TCP pair's drain at the end of a repetition: past the senders'
	 * grace (io/net.h), so a send that cannot complete is given up on
	 * before the peer stops reading. */
	DRAIN_MS = NET_TX_GRACE_MS + 500,
	SPI_REQ = 0x200, SPI_RSP = 0x300, /* + pair */
	PIECE_OUTS = NET_PIECE_MAX / RECORD_OVERHEAD + 2,
	KEYMAT = 2 * (AEAD_KEY_MAX + RECORD_IV_LEN), /* both directions */
};

struct rr_opts {
	unsigned transport, depth, io, family, port, busy_poll, sockbuf;
	unsigned zerocopy;
};

static const char *const transports[] = { "udp", "tcp", NULL };
static const char *const ios[] = { "uring", "epoll", NULL };
static const char *const families[] = { "4", "6", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct rr_opts, f), d, h, c }
static const struct ncb_opt rr_opt_table[] = {
	OPT("transport", NCB_OPT_CHOICE, transport, "udp",
	    "udp (ESP packets) or tcp (TLS-style records on one connection)", transports),
	OPT("depth", NCB_OPT_UINT, depth, "1", "requests in flight per pair (1..256)", NULL),
	OPT("io", NCB_OPT_CHOICE, io, "uring", "I/O engine: uring or epoll", ios),
	OPT("family", NCB_OPT_CHOICE, family, "4", "IP version on loopback: 4 or 6", families),
	OPT("port", NCB_OPT_UINT, port, "0", "server port of pair 0, next pairs above it (0: any)", NULL),
	OPT("busy-poll", NCB_OPT_UINT, busy_poll, "50",
	    "microseconds a side polls before it sleeps (0: sleep at once)", NULL),
	OPT("sockbuf", NCB_OPT_UINT, sockbuf, "0", "socket buffer bytes (0: system default)", NULL),
	OPT("zerocopy", NCB_OPT_FLAG, zerocopy, "0", "io_uring SEND_ZC", NULL),
};
#undef OPT

/* Rejects of both directions, by class (workloads/verdicts.h), whatever
 * the framing; then exchanges given up on. */
enum {
	R_BAD_ICV = VERDICT_AUTH - 1,
	R_REPLAYED = VERDICT_REPLAY - 1,
	R_MALFORMED = VERDICT_BROKEN - 1,
	R_LOST,
	R_COUNT,
};
static const char *const reject_names[R_COUNT] = {
	"bad_icv", "replayed", "malformed", "lost",
};

struct rr_state;

/* One end of a pair: it sends on one SA and opens on the other. */
struct side {
	struct rr_state *s;
	unsigned pair;
	int is_server, fd;
	struct net_tx *tx;
	struct net_rx *rx;
	struct esp_sa *esp_tx, *esp_rx;
	struct record_sa *rec_tx, *rec_rx;
	struct record_reader *reader;
	uint8_t *pattern;
	struct net_pkt pkts[NET_RX_PKTS];
	struct record_out routs[PIECE_OUTS];
	uint8_t rvs[PIECE_OUTS];
	uint32_t lens[DEPTH_MAX]; /* one send_batch */
	uint64_t esp_seq; /* next ESP sequence number sent */
	/* Client. */
	uint64_t next_id, sent_at[RING], ids[RING];
	unsigned inflight;
	struct hist lat;
	/* Last repetition. */
	uint64_t done, req_sent, wire, crypto, mismatch, rejects[R_COUNT];
	uint64_t prev[1 + WL_REJECTS_MAX]; /* verdict counts at the last take */
	int is_failed;
	/* Set in the drain once this side has no send in flight; cleared
	 * by the coordinating thread before each repetition. */
	atomic_int is_idle;
};

struct rr_state {
	const struct wl_case *c;
	struct rr_opts o;
	struct net_cfg cfg;
	enum inner_kind kind;
	int is_tcp;
	uint8_t (*keymat)[KEYMAT];
	struct team *team;
	struct side *w;
	void **args;
	struct hist lat; /* the clients' of the last repetition */
	char transport[8];
};

static int rr_check(const struct wl_case *c, const void *opts,
		    struct ncb_err *e)
{
	const struct rr_opts *o = opts;
	size_t max = o->transport == 1 ? RECORD_DATA_MAX : esp_payload_max();
	enum inner_kind k = o->transport == 1 ? INNER_DATA : INNER_UDP;

	if (o->depth < 1 || o->depth > DEPTH_MAX)
		return ncb_errf(e, -EINVAL, "--depth: %u is out of range 1..%d",
				o->depth, DEPTH_MAX);
	if (c->mix)
		return ncb_errf(e, -EINVAL,
				"--imix: rr exchanges one --size each way");
	if (c->size < inner_min(k) || c->size > max)
		return ncb_errf(e, -EINVAL,
				"--size: rr over %s carries %zu..%zu bytes each way, got %zu",
				transports[o->transport], inner_min(k), max,
				c->size);
	if (o->io == 1 && o->zerocopy)
		return ncb_errf(e, -EINVAL, "--zerocopy needs --io uring");
	if (o->port && o->port + c->threads > 65536)
		return ncb_errf(e, -EINVAL, "--port: %u + %u pairs is past 65535",
				o->port, c->threads);
	if (o->busy_poll > 1000000 || o->sockbuf > (1u << 30))
		return ncb_errf(e, -EINVAL,
				"--busy-poll above 1 s or --sockbuf above 1 GiB");
	return 0;
}

/* Keys: the first half of keymat protects requests, the second answers. */
static int sas_new(struct side *w, struct ncb_err *e)
{
	const struct rr_state *s = w->s;
	const uint8_t *km = s->keymat[w->pair];
	const uint8_t *k_req = km, *k_rsp = km + KEYMAT / 2;
	const uint8_t *k_tx = w->is_server ? k_rsp : k_req;
	const uint8_t *k_rx = w->is_server ? k_req : k_rsp;
	size_t klen = aead_key_len(s->c->cipher);
	int rc;

	if (s->is_tcp) {
		struct record_cfg t = { s->c->cipher, s->c->backend, k_tx, klen,
					k_tx + AEAD_KEY_MAX, 0 };
		struct record_cfg r = { s->c->cipher, s->c->backend, k_rx, klen,
					k_rx + AEAD_KEY_MAX, 0 };

		rc = record_sa_new(&w->rec_tx, &t);
		if (rc == 0)
			rc = record_sa_new(&w->rec_rx, &r);
		if (rc == 0)
			rc = record_reader_new(&w->reader, w->rec_rx);
	} else {
		uint32_t spi_tx = (w->is_server ? SPI_RSP : SPI_REQ) + w->pair;
		uint32_t spi_rx = (w->is_server ? SPI_REQ : SPI_RSP) + w->pair;
		struct esp_sa_cfg t = { .alg = s->c->cipher,
					.backend = s->c->backend,
					.key = k_tx,
					.key_len = klen,
					.salt = k_tx + AEAD_KEY_MAX,
					.spi = spi_tx,
					.replay_window = 1024 };
		struct esp_sa_cfg r = t;

		r.key = k_rx;
		r.salt = k_rx + AEAD_KEY_MAX;
		r.spi = spi_rx;
		rc = esp_sa_new(&w->esp_tx, &t);
		if (rc == 0)
			rc = esp_sa_new(&w->esp_rx, &r);
	}
	if (rc < 0)
		return ncb_errf(e, rc, "cannot create the %s contexts for %s/%s",
				s->is_tcp ? "record" : "ESP", s->c->cipher,
				s->c->backend);
	return 0;
}

static int side_prepare(void *arg, struct ncb_err *e)
{
	struct side *w = arg;
	struct rr_state *s = w->s;
	int fd = w->fd, fd2, rc;

	w->fd = -1; /* the engines own it (and its duplicate) from here */
	fd2 = dup(fd);
	if (fd2 < 0) {
		close(fd);
		return ncb_errf(e, -errno, "cannot duplicate a socket");
	}
	rc = net_tx_new(&w->tx, &s->cfg, fd, e);
	if (rc < 0) {
		close(fd2);
		return rc;
	}
	rc = net_rx_new(&w->rx, &s->cfg, fd2, e);
	if (rc < 0)
		return rc;
	rc = sas_new(w, e);
	if (rc < 0)
		return rc;
	w->pattern = malloc(s->c->size);
	if (!w->pattern)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < s->c->size; i++)
		w->pattern[i] = (uint8_t)(i * 131 + 7);
	w->next_id = 1;
	w->esp_seq = 1;
	return 0;
}

/* Bytes before the payload, and a whole packet, on this transport. */
static size_t hdr_len(const struct rr_state *s)
{
	return s->is_tcp ? RECORD_HDR_LEN : ESP_HDR_LEN;
}

static size_t pkt_len(const struct rr_state *s, size_t n)
{
	return s->is_tcp ? record_len(n) : esp_packet_len(n);
}

/* Builds and seals n messages with the given ids back to back in the
 * engine's buffer, then sends them with one call. */
static void send_batch(struct side *w, const uint64_t *ids, unsigned n,
		       uint64_t *crypto)
{
	const struct rr_state *s = w->s;
	size_t sz = s->c->size, len = pkt_len(s, sz);
	uint8_t *p = net_tx_buf(w->tx);
	uint64_t t0;

	for (unsigned i = 0; i < n; i++) {
		inner_build(s->kind, p + i * len + hdr_len(s), sz, ids[i],
			    w->pattern);
		w->lens[i] = (uint32_t)len;
	}
	t0 = cpustat_ticks();
	for (unsigned i = 0; i < n; i++, p += len) {
		long rc = s->is_tcp
				  ? record_seal(w->rec_tx, p, sz, RECORD_APP_DATA)
				  : esp_encap(w->esp_tx, p, sz, ESP_NH_UDP,
					      w->esp_seq++, NULL);
		if (rc < 0)
			w->is_failed = 1;
	}
	*crypto += cpustat_ticks() - t0;
	if (net_tx_send(w->tx, w->lens, n) < 0)
		w->is_failed = 1;
}

/* Opens one received piece (a datagram, or a piece of the TCP stream).
 * The messages it completes that pass every check are moved to the front
 * of w->routs, their stamps (the request ids) in .seq; how many. Counts
 * mismatches under --verify; rejects are counted by the SAs. */
static unsigned open_piece(struct side *w, struct net_pkt *pk, uint64_t *crypto)
{
	const struct rr_state *s = w->s;
	size_t stamp = inner_min(s->kind) - 8;
	unsigned good = 0;
	uint64_t t0 = cpustat_ticks();
	int n = 1;

	if (s->is_tcp) {
		n = record_reader_feed(w->reader, pk->data, pk->len, w->routs,
				       w->rvs, PIECE_OUTS);
		if (n < 0) {
			w->is_failed = 1;
			n = 0;
		}
	} else {
		struct esp_decap_out d = { 0 };

		w->rvs[0] = (uint8_t)esp_decap(w->esp_rx, pk->data, pk->len, &d);
		w->routs[0] = (struct record_out){ d.payload, d.payload_len, 0,
						   d.next_header };
		if (w->rvs[0] == ESP_V_OK && d.next_header != ESP_NH_UDP)
			w->rvs[0] = ESP_V_COUNT; /* authentic but not ours */
	}
	*crypto += cpustat_ticks() - t0;
	w->wire += pk->len;
	for (int i = 0; i < n; i++) {
		struct record_out o = w->routs[i];

		if (w->rvs[i] != 0)
			continue;
		if (o.len != s->c->size) {
			w->mismatch++;
			continue;
		}
		o.seq = ncb_get_be64(o.data + stamp);
		if (s->c->is_verify &&
		    inner_check(s->kind, o.data, o.len, o.seq, w->pattern) < 0) {
			w->mismatch++;
			continue;
		}
		w->routs[good++] = o;
	}
	if (!s->is_tcp && w->rvs[0] == ESP_V_COUNT)
		w->mismatch++;
	return good;
}

/* Answers in the pieces just received: each one still awaited ends its
 * exchange. */
static void take_answers(struct side *w, int n, uint64_t *crypto,
			 uint64_t *done, uint64_t *last)
{
	for (int i = 0; i < n; i++) {
		unsigned g = open_piece(w, &w->pkts[i], crypto);
		uint64_t now = cpustat_mono_ns();

		for (unsigned j = 0; j < g; j++) {
			uint64_t id = w->routs[j].seq;

			if (w->ids[id % RING] != id || !w->inflight)
				continue; /* an answer given up on */
			w->ids[id % RING] = 0;
			hist_add(&w->lat, now - w->sent_at[id % RING]);
			w->inflight--;
			(*done)++;
			*last = now;
		}
	}
}

/* The end of a repetition on TCP: neither side sends anything new, and
 * both read on until neither has a send in flight, so a send blocked on
 * a peer that stopped reading can always complete and the record streams
 * stay whole. What arrives is opened (the record sequence numbers stay in
 * step); answers still end their exchanges. DRAIN_MS bounds it. */
static void drain(struct side *w, uint64_t *crypto, uint64_t *done,
		  uint64_t *last)
{
	struct side *peer = &w->s->w[2 * w->pair + !w->is_server];
	uint64_t end = cpustat_mono_ns() + DRAIN_MS * 1000000ull;

	while (cpustat_mono_ns() < end) {
		int n;

		if (!net_tx_busy(w->tx))
			atomic_store(&w->is_idle, 1);
		if (atomic_load(&w->is_idle) && atomic_load(&peer->is_idle))
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

	w->inflight = 0; /* answers of the last repetition are stale */
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
		if (!s->is_tcp && w->inflight &&
		    cpustat_mono_ns() - last > LOST_NS) {
			lost += w->inflight;
			w->inflight = 0;
			last = cpustat_mono_ns();
		}
	}
	if (s->is_tcp)
		drain(w, &crypto, &done, &last);
	w->done = done;
	w->req_sent = sent;
	w->crypto = crypto;
	w->rejects[R_LOST] = lost;
}

static void server_run(struct side *w, const atomic_int *stop)
{
	uint64_t crypto = 0, ids[NET_RX_PKTS], done = 0, last = 0;

	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		int n = net_rx_recv(w->rx, w->pkts, NET_RX_PKTS, RX_WAIT_MS);
		unsigned k = 0;

		if (n < 0)
			w->is_failed = 1;
		for (int i = 0; i < n; i++) {
			unsigned g = open_piece(w, &w->pkts[i], &crypto);

			for (unsigned j = 0; j < g; j++) {
				ids[k++] = w->routs[j].seq;
				if (k == DEPTH_MAX) {
					send_batch(w, ids, k, &crypto);
					k = 0;
				}
			}
		}
		if (k)
			send_batch(w, ids, k, &crypto);
	}
	if (w->s->is_tcp)
		drain(w, &crypto, &done, &last);
	w->crypto = crypto;
}

/* Rejects since the last call, by class. */
static void take_rejects(struct side *w)
{
	const uint64_t *c = w->s->is_tcp ? record_sa_counts(w->rec_rx)
					 : esp_sa_counts(w->esp_rx);
	const uint8_t *cls = w->s->is_tcp ? verdicts_record : verdicts_esp;
	unsigned n = w->s->is_tcp ? RECORD_V_COUNT : ESP_V_COUNT;

	for (int r = R_BAD_ICV; r <= R_MALFORMED; r++)
		w->rejects[r] = 0;
	for (unsigned v = 1; v < n; v++) {
		w->rejects[cls[v] - 1] += c[v] - w->prev[v];
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
	esp_sa_free(w->esp_tx);
	esp_sa_free(w->esp_rx);
	record_reader_free(w->reader);
	record_sa_free(w->rec_tx);
	record_sa_free(w->rec_rx);
	free(w->pattern);
	w->tx = NULL;
	w->rx = NULL;
	w->esp_tx = w->esp_rx = NULL;
	w->reader = NULL;
	w->rec_tx = w->rec_rx = NULL;
	w->pattern = NULL;
}

static const struct team_hooks hooks = {
	.prepare = side_prepare,
	.run = side_run,
	.release = side_release,
};

static void rr_teardown(void *state)
{
	struct rr_state *s = state;

	if (!s)
		return;
	team_free(s->team);
	for (unsigned i = 0; s->w && i < s->c->workers; i++)
		if (s->w[i].fd >= 0)
			close(s->w[i].fd);
	if (s->keymat) {
		explicit_bzero(s->keymat, s->c->threads * sizeof(*s->keymat));
		free(s->keymat);
	}
	free(s->w);
	free(s->args);
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
	memcpy(&s->o, opts, sizeof(s->o));
	s->is_tcp = s->o.transport == 1;
	s->kind = s->is_tcp ? INNER_DATA : INNER_UDP;
	s->cfg = (struct net_cfg){
		.io = s->o.io == 1 ? NET_IO_EPOLL : NET_IO_URING,
		.family = s->o.family == 1 ? 6 : 4,
		.batch = DEPTH_MAX,
		.sockbuf = s->o.sockbuf,
		.pkt_max = pkt_len(s, c->size),
		.port = s->o.port,
		.busy_poll_us = s->o.busy_poll,
		.is_zerocopy = (int)s->o.zerocopy,
		.is_stream = s->is_tcp,
		.is_gso = 0, /* one exchange is one packet each way */
	};
	snprintf(s->transport, sizeof(s->transport), "%s%s",
		 s->is_tcp ? "tcp" : "udp", s->o.family == 1 ? "6" : "");
	s->w = calloc(c->workers, sizeof(*s->w));
	s->args = calloc(c->workers, sizeof(*s->args));
	s->keymat = calloc(c->threads, sizeof(*s->keymat));
	if (!s->w || !s->args || !s->keymat) {
		rr_teardown(s);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < c->workers; i++) {
		s->w[i] = (struct side){ .s = s, .pair = i / 2,
					 .is_server = (int)(i % 2), .fd = -1 };
		s->args[i] = &s->w[i];
	}
	for (unsigned p = 0; p < c->threads; p++) {
		/* One socket each way: the client's is connected to the
		 * server's, and the server's back to the client's. */
		rc = keys_fill(s->keymat[p], KEYMAT, e);
		if (rc == 0)
			rc = net_pair_open(&s->cfg, p, &s->w[2 * p].fd,
					   &s->w[2 * p + 1].fd, e);
		if (rc == 0 && !s->is_tcp)
			rc = net_connect_back(s->w[2 * p + 1].fd,
					      s->w[2 * p].fd, e);
		if (rc < 0) {
			rr_teardown(s);
			return rc;
		}
	}
	rc = team_new(&s->team, c, &hooks, s->args, e);
	explicit_bzero(s->keymat, c->threads * sizeof(*s->keymat));
	if (rc < 0) {
		rr_teardown(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int rr_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct rr_state *s = state;
	int rc;

	for (unsigned i = 0; i < s->c->workers; i++)
		atomic_store(&s->w[i].is_idle, 0);
	rc = team_rep(s->team, seconds, out);
	hist_reset(&s->lat);
	for (unsigned i = 0; i < s->c->workers; i++) {
		struct side *w = &s->w[i];

		if (w->is_failed)
			rc = rc ? rc : -EIO;
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

static void rr_describe(void *state, struct wl_desc *d)
{
	struct rr_state *s = state;

	d->transport = s->transport;
	d->io = s->cfg.io == NET_IO_EPOLL ? "epoll" : "uring";
	d->framing = s->is_tcp ? "tls13-records" : "esp-transport";
	d->io_tx = s->w[0].tx ? net_tx_desc(s->w[0].tx) : NULL;
	d->io_rx = s->w[0].rx ? net_rx_desc(s->w[0].rx) : NULL;
}

const struct wl_ops wl_rr = {
	.name = "rr",
	.summary = "encrypted request/response over UDP (ESP) or TCP (records): latency percentiles and transaction rate",
	.abi = WL_ABI,
	.flags = WL_F_NET | WL_F_VERIFY,
	.opts = rr_opt_table,
	.opts_count = NCB_ARRAY_SIZE(rr_opt_table),
	.opts_size = sizeof(struct rr_opts),
	.workers_per_thread = 2,
	.reject_names = reject_names,
	.n_rejects = R_COUNT,
	.check = rr_check,
	.describe = rr_describe,
	.setup = rr_setup,
	.run_rep = rr_run_rep,
	.teardown = rr_teardown,
};
