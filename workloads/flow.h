/* The data path of a security gateway, shared by the packet workloads
 * (esp, macsec): per pair, a sender thread builds inner packets, frames
 * and seals a whole batch (timed) and hands it to the I/O engine; a
 * receiver thread on another PU gets batches, checks and opens them
 * through the replay window (timed) and, with --verify, checks every
 * payload and sequence number. A framing supplies the per-pair security
 * associations; flow owns threads, sockets, counters and the options
 * every packet workload has. */
#ifndef NCB_WORKLOADS_FLOW_H
#define NCB_WORKLOADS_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"
#include "crypto/inner.h"
#include "workloads/wl.h"

struct net_cfg;

/* Options of every flow workload: the first member of its option struct,
 * so FLOW_OPTS() table entries can point into it. */
struct flow_opts {
	unsigned io, family, batch, sockbuf, replay_window, reorder, loss;
	unsigned port, busy_poll, no_gso, zerocopy, sqpoll;
};

extern const char *const flow_ios[];
extern const char *const flow_families[];

#define FLOW_OPT_(T, n, t, f, d, h, c) \
	{ n, t, offsetof(T, flow.f), d, h, c }
/* wl_opt entries for struct flow_opts inside option struct T: what every
 * flow workload takes (FLOW_NET_OPTS), and what only datagrams have
 * (FLOW_DGRAM_OPTS: a replay window, reordering, loss, UDP offloads);
 * FLOW_OPTS is both. A byte stream takes the first only, so the others
 * are refused rather than recorded and ignored. */
#define FLOW_NET_OPTS(T)                                                      \
	FLOW_OPT_(T, "io", NCB_OPT_CHOICE, io, "uring",                        \
		  "I/O engine: uring or epoll (sendmmsg/recvmmsg)", flow_ios), \
	FLOW_OPT_(T, "family", NCB_OPT_CHOICE, family, "4",                    \
		  "outer IP version on loopback: 4 or 6", flow_families),     \
	FLOW_OPT_(T, "batch", NCB_OPT_UINT, batch, "32",                       \
		  "packets per send call (1..256)", NULL),                    \
	FLOW_OPT_(T, "sockbuf", NCB_OPT_UINT, sockbuf, "4194304",              \
		  "socket send/receive buffer bytes (0: system default)",     \
		  NULL),                                                      \
	FLOW_OPT_(T, "port", NCB_OPT_UINT, port, "0",                          \
		  "receiver UDP port of pair 0, next pairs above it (0: any)", \
		  NULL),                                                      \
	FLOW_OPT_(T, "busy-poll", NCB_OPT_UINT, busy_poll, "50",               \
		  "microseconds a receiver polls before it sleeps (0: sleep at once)", \
		  NULL),                                                      \
	FLOW_OPT_(T, "zerocopy", NCB_OPT_FLAG, zerocopy, "0",                  \
		  "io_uring SEND_ZC", NULL),                                  \
	FLOW_OPT_(T, "sqpoll", NCB_OPT_FLAG, sqpoll, "0",                      \
		  "io_uring kernel submission thread", NULL)
#define FLOW_DGRAM_OPTS(T)                                                    \
	FLOW_OPT_(T, "replay-window", NCB_OPT_UINT, replay_window, "1024",     \
		  "anti-replay window (0: strict order)", NULL),              \
	FLOW_OPT_(T, "reorder", NCB_OPT_UINT, reorder, "0",                    \
		  "percent of packets swapped with the next one", NULL),      \
	FLOW_OPT_(T, "loss", NCB_OPT_UINT, loss, "0",                          \
		  "percent of sequence numbers the sender skips", NULL),      \
	FLOW_OPT_(T, "no-gso", NCB_OPT_FLAG, no_gso, "0",                      \
		  "one datagram per send/receive (no UDP GSO/GRO)", NULL)
#define FLOW_OPTS(T) FLOW_NET_OPTS(T), FLOW_DGRAM_OPTS(T)

enum { FLOW_KEYMAT = 48 }; /* random bytes per pair: key, salt, ... */

struct flow_out {
	uint8_t *payload; /* the inner packet */
	size_t len;
	uint64_t seq;
	int is_proto_ok;  /* next header / EtherType names the inner kind */
};

/* One direction of one pair's security association. */
struct flow_framing {
	/* keymat: FLOW_KEYMAT bytes shared by the pair's two sides. */
	int (*sa_new)(void **sa, const void *opts, const struct wl_case *c,
		      unsigned pair, int is_rx, const uint8_t *keymat,
		      struct ncb_err *e);
	void (*sa_free)(void *sa);
	/* Where the sender writes the inner packet, and the packet length
	 * for an inner packet of len bytes. */
	size_t (*payload_off)(const void *sa);
	size_t (*packet_len)(const void *sa, size_t len);
	/* Frames and seals the inner packet at pkt + payload_off(); the
	 * packet length or a negative errno. */
	long (*encap)(void *sa, uint8_t *pkt, size_t len, uint64_t seq);
	/* Datagrams: a verdict, 0 accepted (out filled), else
	 * 1..n_verdicts-1; at the tag check (verdict_stage) out->seq is
	 * the number the packet claimed. */
	unsigned (*decap)(void *sa, uint8_t *pkt, size_t len,
			  struct flow_out *out);
	/* Streams, instead of decap: takes one received piece, cut
	 * anywhere, and opens the packets it completes: up to feed_max
	 * verdicts and views, valid until the next call. Returns how many
	 * or a negative errno. */
	int (*feed)(void *sa, uint8_t *piece, size_t len, struct flow_out *outs,
		    uint8_t *verdicts, unsigned max);
	unsigned feed_max;
	const uint64_t *(*counts)(const void *sa); /* n_verdicts entries */
	unsigned n_verdicts;          /* including 0, at most 1 + WL_REJECTS_MAX */
	const uint8_t *verdict_class; /* workloads/verdicts.h */
	const uint8_t *verdict_stage; /* datagrams: workloads/verdicts.h */
	/* The verdict of a datagram larger than the receive buffer (the
	 * kernel cut it): counted by flow, never opened. */
	unsigned v_oversize;
};

/* What a workload tells flow_setup beside its options. */
struct flow_spec {
	const struct flow_framing *framing;
	enum inner_kind kind;
	int is_stream;      /* TCP; the framing has feed() */
	uint64_t seq_first; /* first sequence number the senders use */
	/* Opens pair index's sockets; NULL: UDP on loopback
	 * (net_pair_open). ctx is passed through. */
	int (*pair_open)(void *ctx, struct net_cfg *cfg, unsigned index,
			 int *tx_fd, int *rx_fd, struct ncb_err *e);
	void *ctx;
	const char *framing_name, *transport; /* copied */
};

struct flow;

/* Checks the flow options for case c and the payload range
 * [min_len, max_len] the framing can carry; 0 or -EINVAL with e. */
NCB_MUST_CHECK int flow_check(const struct wl_case *c,
			      const struct flow_opts *o, size_t min_len,
			      size_t max_len, struct ncb_err *e);

/* The largest packet the framing makes for case c, for the engines. */
size_t flow_size_max(const struct wl_case *c);

/* Builds pairs, sockets and the pinned team; opts starts with struct
 * flow_opts and is copied. pkt_max: the largest packet of the case. */
NCB_MUST_CHECK int flow_setup(struct flow **out, const struct wl_case *c,
			      const void *opts, size_t opts_size,
			      const struct flow_spec *spec, size_t pkt_max,
			      struct ncb_err *e);
int flow_run_rep(struct flow *f, double seconds, struct wl_counters *out);
void flow_describe(struct flow *f, struct wl_desc *d);
void flow_free(struct flow *f);

/* wl_ops hooks for a workload whose state is the flow itself. */
int flow_wl_run_rep(void *state, double seconds, struct wl_counters *out);
void flow_wl_describe(void *state, struct wl_desc *d);
void flow_wl_teardown(void *state);

#endif
