/* Pair set-up of every traffic pattern, in one place: key material, the
 * SA descriptions both ends of a pair agree on (crypto/framing.h: plain
 * data), the sockets of each pair (UDP or TCP on loopback, or the
 * framing's own link) and the pinned team that runs the ends. Worker 2p
 * is pair p's sending end (rr: its client), worker 2p + 1 its receiving
 * end (rr: its server). */
#ifndef NCB_WORKLOADS_PAIR_H
#define NCB_WORKLOADS_PAIR_H

#include "crypto/framing.h"
#include "crypto/inner.h"
#include "io/ncb.h"
#include "io/net.h"

struct team;
struct team_hooks;
struct wl_case;

struct wl_desc;

struct pairs {
	const struct wl_case *c;
	const struct framing_ops *f;
	/* What the framing makes of the case's options. */
	unsigned char fopts[FRAMING_OPTS_MAX]; /* its option struct */
	enum inner_kind kind;
	int is_stream;
	uint64_t seq_first; /* the senders' first sequence number */
	char label[64];     /* result's "framing" */
	const char *transport;
	struct net_cfg cfg;
	void *link;      /* the framing's link, or NULL */
	unsigned n_dirs; /* 1: sender to receiver; 2: both ways */
	/* [pair * n_dirs + dir], direction 0 from the sending end; wiped
	 * once the team is up (every SA holds its own copy). */
	struct framing_sa_desc *descs;
	int *fds; /* by worker; -1 once an engine took it */
	void **args; /* by worker, for the team */
	struct team *team;
};

/* Starts p for case c (a pattern's workload with options o, a struct
 * pattern_opts) with n_dirs directions per pair: the framing's facts,
 * and cfg from the network options with pkt_max for the case's largest
 * payload. The caller may adjust cfg before pairs_open(). */
void pairs_init(struct pairs *p, const struct wl_case *c, const void *o,
		unsigned n_dirs);

/* Key material and descriptions of every direction, and the sockets. On
 * error fills e; pairs_close() then undoes what was done. */
NCB_MUST_CHECK int pairs_open(struct pairs *p, struct ncb_err *e);

/* The description of pair's direction dir (borrowed, until the team is
 * up). */
const struct framing_sa_desc *pairs_desc(const struct pairs *p,
					 unsigned pair, unsigned dir);

/* Worker i's socket, which the caller owns from here. */
int pairs_take_fd(struct pairs *p, unsigned i);

/* Starts the team, worker i's argument at workers + i * size (borrowed,
 * must outlive the team), and wipes the descriptions. 0 or a negative
 * errno with e. */
NCB_MUST_CHECK int pairs_start(struct pairs *p, const struct team_hooks *h,
			       void *workers, size_t size, struct ncb_err *e);

/* Stops the team, closes what no engine took, lets the link go and wipes
 * the descriptions. Accepts a zeroed or half-built p. */
void pairs_close(struct pairs *p);

/* How the case runs, for the document: transport, engine and framing of
 * the pairs, and what pair 0's sender tx and receiver rx engines use
 * (either NULL before they exist). */
void pairs_describe(const struct pairs *p, const struct net_tx *tx,
		    const struct net_rx *rx, struct wl_desc *d);

#endif
