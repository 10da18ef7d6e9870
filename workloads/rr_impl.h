/* The state of an rr case (rr.c), shared by its coordinator and its
 * two-host steps (rr_peer.c). Not for use elsewhere. */
#ifndef NCB_WORKLOADS_RR_IMPL_H
#define NCB_WORKLOADS_RR_IMPL_H

#include <stdatomic.h>
#include <stdint.h>

#include "crypto/framing.h"
#include "crypto/inner.h"
#include "io/hist.h"
#include "io/net.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"

enum {
	DEPTH_MAX = 256,
	RING = 1024,           /* send times by request id, > DEPTH_MAX */
	RX_WAIT_MS = 10,
	LOST_NS = 200000000,   /* a UDP exchange not answered in 200 ms */
	/* A TCP pair's drain at the end of a repetition: past the senders'
	 * grace (io/net.h), so a send that cannot complete is given up on
	 * before the peer stops reading. */
	DRAIN_MS = NET_TX_GRACE_MS + 500,
};

/* Rejects of both directions, by class (crypto/framing.h), whatever the
 * framing; then exchanges given up on. */
enum {
	R_BAD_ICV = VERDICT_AUTH - 1,
	R_REPLAYED = VERDICT_REPLAY - 1,
	R_MALFORMED = VERDICT_BROKEN - 1,
	R_LOST,
	R_COUNT,
};
struct rr_state;

/* One end of a unit: it sends on one SA and opens on the other. On two
 * hosts the end that runs on the other host is a mirror: only its last
 * repetition's counts (and a client's latencies), from step "counts". */
struct side {
	struct rr_state *s;
	unsigned slot;
	int is_server;
	struct net_tx *tx;
	struct net_rx *rx;
	void *sa_tx, *sa_rx;
	size_t off, len; /* payload offset and packet length it sends */
	uint8_t *pattern;
	struct net_pkt pkts[NET_RX_PKTS];
	/* What one receive opens (a piece of a byte stream, or every
	 * datagram); .seq of the good ones: the request id. */
	struct framing_out *outs;
	uint8_t *vs;
	unsigned nout;
	uint8_t *rx_ptrs[NET_RX_PKTS]; /* datagrams as bursts take them */
	size_t rx_lens[NET_RX_PKTS];
	/* One send_batch: packets, lengths sent and of their payloads,
	 * numbers and results. */
	uint8_t *ptrs[DEPTH_MAX];
	uint32_t lens[DEPTH_MAX];
	size_t psize[DEPTH_MAX];
	uint64_t seqs[DEPTH_MAX];
	long rcs[DEPTH_MAX];
	unsigned burst; /* messages per framing burst call */
	uint64_t seq; /* next sequence number sent */
	/* Client. */
	uint64_t next_id, sent_at[RING], ids[RING];
	unsigned inflight;
	struct hist lat;
	/* Last repetition. */
	uint64_t done, req_sent, wire, crypto, mismatch, rejects[R_COUNT];
	uint64_t prev[FRAMING_VERDICTS_MAX]; /* verdict counts at the last take */
	int is_failed;
};

/* What the two ends of a unit tell each other at the end of a
 * repetition on a byte stream, and nothing else crosses between them
 * (beside their SA descriptions and addresses, pair.h): each sets its
 * flag in the drain once it has no send in flight; the coordinator
 * clears both before each repetition. On two hosts the other host's
 * flag comes in step "idle". */
struct rr_mailbox {
	atomic_int is_idle[2]; /* by end: client, server */
};

struct rr_state {
	const struct wl_case *c;
	const struct wl_peer *peer; /* c->peer */
	const struct framing_ops *f;
	struct pattern_opts o;
	enum inner_kind kind;
	int is_stream;
	struct pairs pairs;
	struct side *w;          /* by end (pair.h) */
	struct rr_mailbox *mail; /* by slot */
	struct hist lat; /* the clients' of the last repetition */
	struct ncb_err err; /* why a repetition failed, when peer->err is NULL */
};

/* Two hosts (rr_peer.c). The step of team_rep_sync on a byte stream
 * (ctx: the state): waits (bounded) for the ends here to go idle in
 * their drain, swaps the flags ("idle") and sets the other host's. On a
 * failure or an interrupt it sets them all, so the drains here end, and
 * returns the negative errno. */
int rr_peer_sync(void *ctx);
/* After the repetition: swaps each host's end results and team counters
 * ("counts"), fills the mirrors (a client's latencies too), out->peer
 * and out->seconds (the span of the host that runs the clients). */
NCB_MUST_CHECK int rr_peer_counts(struct rr_state *s, struct wl_counters *out);

#endif
