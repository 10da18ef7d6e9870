/* Pair set-up of every traffic pattern, in one place: key material, the
 * SA descriptions both ends of a unit agree on (crypto/framing.h: plain
 * data), the sockets of each unit (UDP or TCP on loopback or between two
 * hosts, or the framing's own link) and the pinned team that runs the
 * ends here.
 *
 * A pair has `units` units (workloads/peer.h: 1, or 2 with --bidir on two
 * hosts); unit slot s = pair * units + unit. Its two ends are numbered
 * 2s (the initiating end: sender, rr client) and 2s + 1 (the responding
 * end: receiver, rr server); arrays by end and by slot are alike on one
 * host and two. On one host worker 2s runs end 2s and worker 2s + 1 end
 * 2s + 1; on two hosts worker s runs slot s's end placed here
 * (pairs_end). */
#ifndef NCB_WORKLOADS_PAIR_H
#define NCB_WORKLOADS_PAIR_H

#include <sys/socket.h>

#include "crypto/framing.h"
#include "crypto/inner.h"
#include "io/ncb.h"
#include "io/net.h"

struct capture;
struct team;
struct team_hooks;
struct wl_case;
struct wl_desc;
struct wl_peer;

struct pairs {
	const struct wl_case *c;
	const struct wl_peer *peer; /* c->peer: NULL on one host */
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
	unsigned units;  /* per pair */
	unsigned n_slots; /* threads * units */
	unsigned n_sas;  /* SAs per direction (--sas) */
	unsigned flows;  /* UDP sockets per end (--flows) */
	/* [(slot * n_dirs + dir) * n_sas + sa], direction 0 from the
	 * initiating end; wiped once the team is up (every SA holds its own
	 * copy). */
	struct framing_sa_desc *descs;
	/* [end * flows + flow]; -1 once an engine took it, or elsewhere */
	int *fds;
	void **args; /* by worker, for the team */
	struct team *team;
	struct capture *cap; /* --pcap: pair 0's packets, or NULL */
	/* Two hosts: the control connection's two addresses (an IPv4-mapped
	 * one as IPv4), where data sockets bind and connect. */
	struct sockaddr_storage local, remote;
	/* --sa-file: the outer addresses its pair 0, direction 0 names
	 * (4 or 16 bytes by outer_family), which a capture's headers take;
	 * outer_family 0: the sockets' own. */
	int outer_family;
	uint8_t outer_src[16], outer_dst[16];
};

/* Starts p for case c (a pattern's workload with options o, a struct
 * pattern_opts) with n_dirs directions per pair: the framing's facts,
 * and cfg from the network options with pkt_max for the case's largest
 * payload. The caller may adjust cfg before pairs_open(). */
void pairs_init(struct pairs *p, const struct wl_case *c, const void *o,
		unsigned n_dirs);

/* Key material and descriptions of every direction, and the sockets (on
 * two hosts with the other host's part: pair_peer.c). On error fills e;
 * pairs_close() then undoes what was done. */
NCB_MUST_CHECK int pairs_open(struct pairs *p, struct ncb_err *e);

/* The descriptions of every SA of every direction (p->descs): ids,
 * options and, on one host, key material (random, or c->sa_file's).
 * Part of pairs_open(); alone, for a case's descriptions without
 * sockets (an SA file's making). On error fills e; pairs_close() frees
 * and wipes them. */
NCB_MUST_CHECK int pairs_descs(struct pairs *p, struct ncb_err *e);

/* The descriptions of slot's direction dir: n_sas of them from the one
 * returned (borrowed, until the team is up). */
const struct framing_sa_desc *pairs_desc(const struct pairs *p,
					 unsigned slot, unsigned dir);

/* The end worker i runs. */
unsigned pairs_end(const struct pairs *p, unsigned i);
/* Whether end runs on this host; whether slot's initiating end does. */
int pairs_is_here(const struct pairs *p, unsigned end);
int pairs_initiates(const struct pairs *p, unsigned slot);

/* End's socket (its first with --flows), which the caller owns from
 * here; pairs_take_fds takes all p->flows of them into fds. */
int pairs_take_fd(struct pairs *p, unsigned end);
void pairs_take_fds(struct pairs *p, unsigned end, int *fds);

/* Starts the team, worker i's argument at ends + pairs_end(i) * size
 * (borrowed, must outlive the team), and wipes the descriptions. 0 or a
 * negative errno with e. */
NCB_MUST_CHECK int pairs_start(struct pairs *p, const struct team_hooks *h,
			       void *ends, size_t size, struct ncb_err *e);

/* Stops the team, closes what no engine took, lets the link go and wipes
 * the descriptions. Accepts a zeroed or half-built p. */
void pairs_close(struct pairs *p);

/* How the case runs, for the document: transport, engine and framing of
 * the pairs, and what the first sender tx and receiver rx engines here
 * use (either NULL before they exist, or where none runs here). */
void pairs_describe(const struct pairs *p, const struct net_tx *tx,
		    const struct net_rx *rx, struct wl_desc *d);

/* The two-host part of pairs_open (pair_peer.c): the other host's
 * addresses, key material (made by the run host) and the sockets of the
 * ends here, connected to the other host's by ports swapped over
 * c->peer. */
NCB_MUST_CHECK int pairs_peer_open(struct pairs *p, struct ncb_err *e);

/* Two hosts: step "keys", the run host's key material to the serve
 * host (pair_peer.c). */
NCB_MUST_CHECK int pairs_peer_keys(struct pairs *p, struct ncb_err *e);

/* Whether the case runs over the framing's own link (raw Ethernet), not
 * UDP or TCP. */
int pairs_is_link(const struct pairs *p);

/* Two hosts over raw Ethernet (pair_link.c): keys, then step "macs"
 * swaps the two interfaces' MAC addresses; each direction's frames go
 * from a source address of their own to the receiving interface's MAC,
 * and each end here gets a packet socket on wl_peer.dev. */
NCB_MUST_CHECK int pairs_link_open(struct pairs *p, struct ncb_err *e);

#endif
