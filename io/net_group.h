/* A sender's batch grouped by the socket each packet goes on (--flows),
 * for the engines of io/net.h: a stable counting pass, so each socket's
 * packets keep their order, into scratch made once per sender. Not for
 * use outside io/. */
#ifndef NCB_IO_NET_GROUP_H
#define NCB_IO_NET_GROUP_H

#include <stdint.h>

#include "io/ncb.h"

struct iovec;
struct msghdr;
struct net_run;
union net_ctl;

/* One socket's packets of a batch: runs[first_run..+n_runs) of
 * struct net_groups. */
struct net_group {
	unsigned sock, first_run, n_runs, n_pkts;
};

/* Scratch of one sender; the arrays are sized when it is made. Runs
 * count packets in group order: a run's off is the place of its first
 * packet in off[] and len[], not a byte offset. */
struct net_groups {
	unsigned n_socks, batch;
	unsigned *cursor;         /* [n_socks]; all 0 between batches */
	uint32_t *off, *len;      /* [batch]: packets in group order */
	struct net_group *groups; /* [batch], in order of first packet */
	struct net_run *runs;     /* [batch] */
	unsigned n_groups, n_runs;
};

/* Makes g's scratch for n_socks sockets and batches of up to batch
 * packets: 0 or -ENOMEM. net_groups_fini() frees it (also a half-made
 * or zeroed g). */
NCB_MUST_CHECK int net_groups_init(struct net_groups *g, unsigned n_socks,
				   unsigned batch);
void net_groups_fini(struct net_groups *g);

/* Groups n (<= batch) packets laid back to back (lens[i] bytes, packet
 * i on socket flows[i]): g->groups then holds each socket's packets in
 * their order, split into runs as net_runs() splits a batch (GSO runs
 * with is_gso, else one run per packet). -EINVAL, with nothing grouped,
 * when a flow is not below n_socks. */
NCB_MUST_CHECK int net_groups_make(struct net_groups *g, const uint32_t *lens,
				   const uint16_t *flows, unsigned n,
				   int is_gso);

/* Makes m send run r of g from buffer base: one iovec per stretch of its
 * packets that lie back to back in base (iov has room for r->count),
 * with a UDP_SEGMENT control message in ctl when it holds more than one
 * packet. Returns the iovecs used. */
unsigned net_groups_msg(const struct net_groups *g, const struct net_run *r,
			uint8_t *base, struct msghdr *m, struct iovec *iov,
			union net_ctl *ctl);

#endif
