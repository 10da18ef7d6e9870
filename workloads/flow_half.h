/* The two halves of a bulk pair (flow.h), each with its own state: a
 * sender half (flow_tx.c) and a receiver half (flow_rx.c).
 *
 * The halves contract: the two ends of a pair share nothing but
 *   - their SA descriptions (struct framing_sa_desc, plain data, --sas
 *     of them: the sender seals with them, the receiver opens with them,
 *     each end through an SA database of its own, crypto/sadb.h),
 *   - socket addresses (the receiver binds, port 0 for an ephemeral one,
 *     and the sender is given the receiver's address: io/net.h
 *     net_rx_open, net_tx_open, net_rx_accept; --flows sockets each), and
 *   - after each repetition, the sender's report (struct flow_report,
 *     plain data): what it sent, the highest sequence number it used and
 *     how many repetitions it ended.
 * Both are told the same case and configuration (struct flow_half), as
 * two processes would be by the same command line. Nothing else: neither
 * reads the other's state, so the halves run in one process or on two
 * hosts. The report crosses a struct flow_mailbox; on two hosts step
 * "reports" of the control channel carries it to the receiver's
 * mailbox (flow_peer.c). */
#ifndef NCB_WORKLOADS_FLOW_HALF_H
#define NCB_WORKLOADS_FLOW_HALF_H

#include <stdatomic.h>
#include <stdint.h>

#include "crypto/framing.h"
#include "crypto/inner.h"
#include "io/net.h"
#include "workloads/sadist.h"
#include "workloads/capture.h"
#include "workloads/wl.h"

struct sadb;

enum {
	/* Failed tag checks a receiver remembers per repetition, to judge
	 * against its sender's report whether they claimed its numbers. */
	FLOW_AT_TAG_MAX = 4096,
};

/* The case and configuration both halves are told (borrowed). */
struct flow_half {
	const struct wl_case *c;
	const struct framing_ops *f;
	struct net_cfg cfg;
	enum inner_kind kind;
	unsigned reorder, loss; /* sender: percent swapped, skipped */
	unsigned burst;         /* packets per framing burst call */
	size_t size_max;        /* largest payload of the case */
	unsigned n_sas;         /* SAs per direction (--sas) */
	unsigned flows;         /* sockets per end (--flows) */
	struct sadist dist;     /* the sender's spread over its SAs */
	struct capture *cap;    /* --pcap: pair 0's sender keeps its packets */
};

/* A sender's end-of-repetition report. */
struct flow_report {
	uint64_t sent;   /* packets of this repetition whose send completed */
	uint64_t seq_hi; /* no sequence number at or above it was used */
	uint32_t reps;   /* repetitions the sender ended */
};

/* The in-process carrier of reports: one writer, one reader. */
struct flow_mailbox {
	_Atomic uint64_t sent, seq_hi;
	atomic_uint reps;
};

/* Posts r (the sender, once per repetition, after its last send). */
void flow_mailbox_post(struct flow_mailbox *m, const struct flow_report *r);
/* The newest report into r. */
void flow_mailbox_take(const struct flow_mailbox *m, struct flow_report *r);

struct flow_tx {
	const struct flow_half *h;
	struct net_tx *tx;
	struct sadb *db;
	/* SA 0: every SA of the pair has its framing, cipher and options,
	 * so its payload offset and packet lengths are every SA's. */
	void *sa;
	/* With --sas > 1: the SA of each packet, read in order and wrapped
	 * (workloads/sadist.h), and a batch's SAs and flows (SA k goes on
	 * flow k mod --flows, so each SA's packets stay in order). */
	uint32_t *sa_tab;
	size_t sa_len, sa_pos;
	uint32_t sai[NET_BATCH_MAX];
	uint16_t flow[NET_BATCH_MAX];
	struct capture *cap; /* pair 0 with --pcap, else NULL */
	uint8_t *pattern;
	uint64_t seq, rng;
	size_t mix_i;
	uint32_t lens[NET_BATCH_MAX];
	/* A batch's packets, inner packet lengths, numbers and results. */
	uint8_t *ptrs[NET_BATCH_MAX];
	size_t psize[NET_BATCH_MAX];
	uint64_t seqs[NET_BATCH_MAX];
	long rcs[NET_BATCH_MAX];
	struct net_tx_counts prev;
	uint64_t syscalls_prev;
	uint32_t reps;
	/* The last repetition. */
	uint64_t sent, failed, crypto, syscalls;
	int is_failed;
};

struct flow_rx {
	const struct flow_half *h;
	struct net_rx *rx;
	struct sadb *db;
	void *sa; /* SA 0, which a stream feeds */
	/* Verdicts of every packet opened (sadb_counts), or of a stream's
	 * records (framing_counts of SA 0). */
	const uint64_t *counts;
	uint8_t *pattern;
	uint64_t seq_first;
	struct net_pkt *pkts;
	/* NET_RX_PKTS datagrams as the framing's bursts take them. */
	uint8_t **ptrs;
	size_t *lens;
	struct framing_out *outs;
	uint8_t *verdict;
	unsigned nout; /* entries of outs and verdict */
	uint32_t reps;
	struct flow_report peer; /* the newest report of the sender */
	/* The first sequence number of the sender's repetition: the last
	 * report's seq_hi (seq_first before any). A datagram below it was
	 * sent in an earlier repetition, which counted it as a drop. */
	uint64_t rep_first;
	uint64_t counts_prev[FRAMING_VERDICTS_MAX];
	/* Verdicts the receiver gives itself (datagrams the kernel cut). */
	uint64_t counts_own[FRAMING_VERDICTS_MAX];
	uint32_t kdrops_prev;
	uint64_t syscalls_prev;
	uint64_t *at_tag; /* claimed numbers of failed tag checks */
	unsigned n_at_tag;
	/* The last repetition. */
	uint64_t packets, bytes, wire, crypto, mismatch, own_icv, kdrops;
	uint64_t syscalls; /* the engine's system calls */
	uint64_t late; /* authentic, below rep_first: not in packets */
	uint64_t rejects[FRAMING_VERDICTS_MAX];
	int is_failed;
};

/* In the thread that runs the half: engine on fds (h->flows of them,
 * taken, even on failure), an SA database of the h->n_sas descriptions
 * from d (borrowed for the call), buffers; a sender's SA table is drawn
 * with a seed of its pair's index. 0 or a negative errno with e.
 * release() accepts a half-built half. */
NCB_MUST_CHECK int flow_tx_prepare(struct flow_tx *t, const struct flow_half *h,
				   const struct framing_sa_desc *d, unsigned pair,
				   const int *fds, struct ncb_err *e);
/* One repetition until *stop; then posts the report into m. */
void flow_tx_run(struct flow_tx *t, const atomic_int *stop,
		 struct flow_mailbox *m);
void flow_tx_release(struct flow_tx *t);

NCB_MUST_CHECK int flow_rx_prepare(struct flow_rx *r, const struct flow_half *h,
				   const struct framing_sa_desc *d, const int *fds,
				   struct ncb_err *e);
/* One repetition: receives until *stop and, for datagrams, until what
 * the sender's report (taken from m) says it sent is accounted for. */
void flow_rx_run(struct flow_rx *r, const atomic_int *stop,
		 const struct flow_mailbox *m);
void flow_rx_release(struct flow_rx *r);

#endif
