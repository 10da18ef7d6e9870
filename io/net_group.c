/* Grouping a batch by socket for the engines (net_group.h). Work is in
 * the packets of the batch only: the socket counters are cleared group
 * by group, never all n_socks of them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "io/net_group.h"
#include "io/net_impl.h"

int net_groups_init(struct net_groups *g, unsigned n_socks, unsigned batch)
{
	*g = (struct net_groups){ .n_socks = n_socks, .batch = batch };
	g->cursor = calloc(n_socks, sizeof(*g->cursor));
	g->off = calloc(batch, sizeof(*g->off));
	g->len = calloc(batch, sizeof(*g->len));
	g->groups = calloc(batch, sizeof(*g->groups));
	g->runs = calloc(batch, sizeof(*g->runs));
	if (!g->cursor || !g->off || !g->len || !g->groups || !g->runs) {
		net_groups_fini(g);
		return -ENOMEM;
	}
	return 0;
}

void net_groups_fini(struct net_groups *g)
{
	free(g->cursor);
	free(g->off);
	free(g->len);
	free(g->groups);
	free(g->runs);
	*g = (struct net_groups){ 0 };
}

int net_groups_make(struct net_groups *g, const uint32_t *lens,
		    const uint16_t *flows, unsigned n, int is_gso)
{
	unsigned place = 0;
	uint32_t off = 0;

	g->n_groups = g->n_runs = 0;
	/* Count each socket's packets; a socket's group is made at its
	 * first packet, so groups go in the order the batch names them. */
	for (unsigned i = 0; i < n; i++) {
		unsigned s = flows[i];

		if (s >= g->n_socks) {
			for (unsigned k = 0; k < g->n_groups; k++)
				g->cursor[g->groups[k].sock] = 0;
			g->n_groups = 0;
			return -EINVAL;
		}
		if (g->cursor[s]++ == 0)
			g->groups[g->n_groups++] = (struct net_group){ .sock = s };
	}
	/* Each group's first place; the counter becomes its cursor. */
	for (unsigned k = 0; k < g->n_groups; k++) {
		struct net_group *gr = &g->groups[k];

		gr->n_pkts = g->cursor[gr->sock];
		g->cursor[gr->sock] = place;
		place += gr->n_pkts;
	}
	/* Stable: packets of one socket are placed in batch order. */
	for (unsigned i = 0; i < n; i++) {
		unsigned p = g->cursor[flows[i]]++;

		g->off[p] = off;
		g->len[p] = lens[i];
		off += lens[i];
	}
	place = 0;
	for (unsigned k = 0; k < g->n_groups; k++) {
		struct net_group *gr = &g->groups[k];
		struct net_run *r = g->runs + g->n_runs;
		unsigned at = place;

		g->cursor[gr->sock] = 0;
		gr->first_run = g->n_runs;
		gr->n_runs = net_runs(g->len + place, gr->n_pkts, is_gso, 0, r);
		/* From bytes into the group to places in off[]. */
		for (unsigned j = 0; j < gr->n_runs; j++) {
			r[j].off = at;
			at += r[j].count;
		}
		g->n_runs += gr->n_runs;
		place += gr->n_pkts;
	}
	return 0;
}

unsigned net_groups_msg(const struct net_groups *g, const struct net_run *r,
			uint8_t *base, struct msghdr *m, struct iovec *iov,
			union net_ctl *ctl)
{
	struct net_run at = { g->off[r->off], r->seg, r->count };
	unsigned used = 1;

	/* The message and its control as for packets back to back; then
	 * one iovec per stretch that is. The kernel cuts segments out of
	 * the iovecs' bytes as one (UDP_SEGMENT). */
	net_msg_run(m, iov, base, &at, ctl);
	iov[0].iov_len = r->seg;
	for (unsigned i = 1; i < r->count; i++) {
		uint32_t o = g->off[r->off + i];
		struct iovec *v = &iov[used - 1];

		if ((uint8_t *)v->iov_base + v->iov_len == base + o)
			v->iov_len += r->seg;
		else
			iov[used++] = (struct iovec){ base + o, r->seg };
	}
	m->msg_iovlen = used;
	return used;
}
