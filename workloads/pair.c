/* Key material, SA descriptions, sockets and team of a pattern's pairs;
 * see pair.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/capture.h"
#include "workloads/keys.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/peer.h"
#include "workloads/safile.h"
#include "workloads/team.h"

const struct framing_sa_desc *pairs_desc(const struct pairs *p,
					 unsigned slot, unsigned dir)
{
	return &p->descs[((size_t)slot * p->n_dirs + dir) * p->n_sas];
}

int pairs_initiates(const struct pairs *p, unsigned slot)
{
	return wl_peer_initiates(p->peer, slot % p->units);
}

unsigned pairs_end(const struct pairs *p, unsigned i)
{
	if (!p->peer)
		return i;
	return 2 * i + !pairs_initiates(p, i);
}

int pairs_is_here(const struct pairs *p, unsigned end)
{
	return !p->peer || (end % 2 == 0) == pairs_initiates(p, end / 2);
}

int pairs_take_fd(struct pairs *p, unsigned end)
{
	int fd = p->fds[(size_t)end * p->flows];

	p->fds[(size_t)end * p->flows] = -1;
	return fd;
}

void pairs_take_fds(struct pairs *p, unsigned end, int *fds)
{
	for (unsigned j = 0; j < p->flows; j++) {
		fds[j] = p->fds[(size_t)end * p->flows + j];
		p->fds[(size_t)end * p->flows + j] = -1;
	}
}

/* Descriptions of every SA of every direction of every slot. */
static size_t n_descs(const struct pairs *p)
{
	return (size_t)p->n_slots * p->n_dirs * p->n_sas;
}

static void wipe_descs(struct pairs *p)
{
	if (p->descs)
		explicit_bzero(p->descs, n_descs(p) * sizeof(*p->descs));
}

/* Both directions of a unit share its sockets; each SA of each gets its
 * own keys, made here on one host (on two, the run host's come in a
 * step). The ids are the same on both hosts: slot * 2 + direction; the
 * framing makes each SA's identifier of the id and the SA's index. */
static int desc_fill(struct pairs *p, unsigned slot, unsigned dir,
		     unsigned sa, struct ncb_err *e)
{
	struct framing_sa_desc *d = (struct framing_sa_desc *)pairs_desc(p, slot, dir) + sa;
	const struct wl_case *c = p->c;

	if (strlen(c->cipher) >= sizeof(d->cipher) ||
	    strlen(c->backend) >= sizeof(d->backend))
		return ncb_errf(e, -EINVAL, "cipher or backend name too long");
	snprintf(d->framing, sizeof(d->framing), "%s", p->f->name);
	snprintf(d->cipher, sizeof(d->cipher), "%s", c->cipher);
	snprintf(d->backend, sizeof(d->backend), "%s", c->backend);
	d->id = slot * 2 + dir;
	d->sa = sa;
	d->family = (uint32_t)p->cfg.family;
	d->seq_first = p->seq_first;
	memcpy(d->opts, p->fopts, sizeof(d->opts));
	if (p->peer)
		return 0;
	return keys_fill(d->keymat, sizeof(d->keymat), e);
}

/* Whether the run was interrupted, looked at every 4096 descriptions:
 * a million SAs' keys take seconds to draw. */
static int is_stopped(const struct pairs *p, unsigned k)
{
	const volatile sig_atomic_t *stop = p->c->is_interrupted;

	return k % 4096 == 4095 && stop && *stop;
}

int pairs_descs(struct pairs *p, struct ncb_err *e)
{
	int rc = 0;

	p->descs = calloc(n_descs(p), sizeof(*p->descs));
	if (!p->descs)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (unsigned i = 0; rc == 0 && i < p->n_slots; i++)
		for (unsigned d = 0; rc == 0 && d < p->n_dirs; d++)
			for (unsigned k = 0; rc == 0 && k < p->n_sas; k++)
				rc = is_stopped(p, k)
					     ? ncb_errf(e, -EINTR, "interrupted while drawing keys")
					     : desc_fill(p, i, d, k, e);
	/* The user's keys and identifiers instead of those made here. */
	if (rc == 0 && p->c->sa_file)
		rc = safile_apply_pairs(p, e);
	return rc;
}

/* The receiving end binds (an ephemeral port unless --port) and the
 * sending end is given only its address; a stream's receiver then takes
 * only the connection from the sender's address. With --flows each flow
 * is such a pair of sockets of its own: receiver j of pair i on port
 * --port + i * flows + j, sender j connected to receiver j. */
static int flow_open(struct pairs *p, unsigned pair, unsigned flow,
		     struct ncb_err *e)
{
	int *tx = &p->fds[(size_t)2 * pair * p->flows + flow];
	int *rx = &p->fds[(size_t)(2 * pair + 1) * p->flows + flow];
	struct net_addr to, from;
	int rc;

	rc = net_rx_open(&p->cfg, pair * p->flows + flow, rx, &to, e);
	if (rc == 0)
		rc = net_tx_open(&p->cfg, &to, tx, &from, e);
	if (rc == 0)
		rc = net_rx_accept(&p->cfg, rx, *tx, &from, e);
	/* Datagrams both ways: each end sends to and hears from the other. */
	if (rc == 0 && p->n_dirs == 2 && !p->cfg.is_stream)
		rc = net_connect_back(*rx, *tx, e);
	return rc;
}

static int sockets_open(struct pairs *p, unsigned pair, struct ncb_err *e)
{
	int rc = 0;

	if (p->flows > 1 && (p->link || p->cfg.is_stream))
		return ncb_errf(e, -EINVAL, "--flows %u: one flow only %s",
				p->flows, p->link ? "over a link of the framing"
						  : "on a stream");
	if (p->link)
		return p->f->link_open(p->link, &p->cfg, pair,
				       &p->fds[(size_t)2 * pair],
				       &p->fds[(size_t)2 * pair + 1], e);
	for (unsigned j = 0; rc == 0 && j < p->flows; j++)
		rc = flow_open(p, pair, j, e);
	return rc;
}

void pairs_init(struct pairs *p, const struct wl_case *c, const void *opts,
		unsigned n_dirs)
{
	const struct pattern_opts *o = opts;
	const struct framing_ops *f = pattern_framing(c);

	*p = (struct pairs){ .c = c, .peer = c->peer, .f = f, .n_dirs = n_dirs,
			     .units = wl_peer_units(c->peer) };
	p->n_slots = c->threads * p->units;
	p->n_sas = o->net.sas ? o->net.sas : 1;
	p->flows = o->net.flows ? o->net.flows : 1;
	pattern_fopts(c, o, p->fopts);
	pattern_net_cfg(c, o, &p->cfg);
	p->cfg.pkt_max = f->packet_max(p->fopts, c->cipher, pattern_size_max(c));
	p->is_stream = p->cfg.is_stream;
	p->kind = framing_inner(f, p->fopts, p->cfg.family);
	p->seq_first = framing_seq_first(f, p->fopts);
	f->label(p->fopts, c->cipher, p->label, sizeof(p->label));
	p->transport = framing_transport(f, p->fopts, p->cfg.family);
}

int pairs_open(struct pairs *p, struct ncb_err *e)
{
	const struct wl_case *c = p->c;
	unsigned ends = 2 * p->n_slots;
	int rc = 0;

	if (c->workers != (p->peer ? p->n_slots : ends))
		return ncb_errf(e, -EINVAL, "%u workers for %u pairs of %u units",
				c->workers, c->threads, p->units);
	p->fds = malloc((size_t)ends * p->flows * sizeof(*p->fds));
	p->args = calloc(c->workers, sizeof(*p->args));
	if (!p->fds || !p->args)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < (size_t)ends * p->flows; i++)
		p->fds[i] = -1;
	/* Two hosts' raw Ethernet is the interfaces the user names
	 * (pair_link.c), not a link of the framing's own. */
	if (p->f->link_new && !p->peer) {
		rc = p->f->link_new(&p->link, p->fopts, c->threads,
				    p->cfg.pkt_max, e);
		if (rc < 0)
			return rc;
	}
	rc = pairs_descs(p, e);
	if (p->peer)
		return rc ? rc : pairs_peer_open(p, e);
	for (unsigned i = 0; rc == 0 && i < p->n_slots; i++)
		rc = sockets_open(p, i, e);
	if (rc == 0 && c->capture)
		rc = capture_open(p, e);
	return rc;
}

int pairs_start(struct pairs *p, const struct team_hooks *h, void *ends,
		size_t size, struct ncb_err *e)
{
	int rc;

	for (unsigned i = 0; i < p->c->workers; i++)
		p->args[i] = (char *)ends + pairs_end(p, i) * size;
	rc = team_new(&p->team, p->c, h, p->args, e);
	wipe_descs(p);
	return rc;
}

void pairs_close(struct pairs *p)
{
	team_free(p->team);
	p->team = NULL;
	/* The senders are gone: what they captured is complete. */
	capture_close(p->cap);
	p->cap = NULL;
	for (size_t i = 0; p->fds && i < (size_t)2 * p->n_slots * p->flows; i++)
		if (p->fds[i] >= 0)
			close(p->fds[i]);
	free(p->fds);
	p->fds = NULL;
	free(p->args);
	p->args = NULL;
	/* The sockets are closed: the link may go. */
	if (p->link)
		p->f->link_free(p->link);
	p->link = NULL;
	wipe_descs(p);
	free(p->descs);
	p->descs = NULL;
}

void pairs_describe(const struct pairs *p, const struct net_tx *tx,
		    const struct net_rx *rx, struct wl_desc *d)
{
	const struct net_engine_ops *eng = net_engine_of(&p->cfg);

	d->transport = p->transport;
	d->io = eng ? net_engine_name(eng) : NULL;
	d->framing = p->label;
	d->io_tx = tx ? net_tx_desc(tx) : NULL;
	d->io_rx = rx ? net_rx_desc(rx) : NULL;
}
