/* What every traffic pattern shares: the one table of network options,
 * their check, and the engine configuration they make (pattern.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sadb.h"
#include "io/net.h"
#include "workloads/pattern.h"
#include "workloads/peer.h"

const char *const pattern_ios[] = { "uring", "epoll", NULL };
const char *const pattern_families[] = { "4", "6", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct pattern_net, f), d, h, c }
const struct ncb_opt pattern_net_opts[] = {
	OPT("io", NCB_OPT_CHOICE, io, "uring",
	    "I/O engine: uring or epoll (sendmmsg/recvmmsg)", pattern_ios),
	OPT("family", NCB_OPT_CHOICE, family, "4",
	    "outer IP version on loopback: 4 or 6", pattern_families),
	OPT("batch", NCB_OPT_UINT, batch, "32", "packets per send call (1..256)",
	    NULL),
	OPT("burst", NCB_OPT_UINT, burst, "32",
	    "packets sealed or opened per crypto call (1..64; 1: one call per packet)",
	    NULL),
	OPT("sockbuf", NCB_OPT_UINT, sockbuf, "4194304",
	    "socket send/receive buffer bytes (0: system default)", NULL),
	OPT("port", NCB_OPT_UINT, port, "0",
	    "receiver's port of pair 0 (rr: the server's), next pairs above it (0: any)",
	    NULL),
	OPT("busy-poll", NCB_OPT_UINT, busy_poll, "50",
	    "microseconds a receiver polls before it sleeps (0: sleep at once)",
	    NULL),
	OPT("no-gso", NCB_OPT_FLAG, no_gso, "0",
	    "one datagram per send/receive (no UDP GSO/GRO)", NULL),
	OPT("zerocopy", NCB_OPT_FLAG, zerocopy, "0", "io_uring SEND_ZC", NULL),
	OPT("sqpoll", NCB_OPT_FLAG, sqpoll, "0",
	    "io_uring kernel submission thread", NULL),
	OPT("sas", NCB_OPT_UINT, sas, "1",
	    "security associations per pair and direction (1..1000000), each with its own keys, identifier and replay window",
	    NULL),
	OPT("sa-dist", NCB_OPT_SA_DIST, sa_dist, "uniform",
	    "how the sender spreads its packets over its SAs: uniform, round-robin or zipf:S (0 < S <= 5: SA 0 carries the most)",
	    NULL),
	OPT("flows", NCB_OPT_UINT, flows, "1",
	    "UDP sockets per pair end (1..1024), each on its own port; the packets of SA k use flow k mod N",
	    NULL),
};
/* --sa-dist fills two members, the second S * 1000. */
_Static_assert(offsetof(struct pattern_net, sa_zipf_milli) ==
		       offsetof(struct pattern_net, sa_dist) + sizeof(unsigned),
	       "sa_dist and sa_zipf_milli are consecutive");
#undef OPT
const size_t pattern_net_count = NCB_ARRAY_SIZE(pattern_net_opts);

size_t pattern_size_max(const struct wl_case *c)
{
	size_t m = c->size;

	for (size_t i = 0; c->mix && i < c->mix_len; i++)
		if (c->mix[i] > m)
			m = c->mix[i];
	return m;
}

size_t pattern_size_min(const struct wl_case *c)
{
	size_t m = c->size;

	for (size_t i = 0; c->mix && i < c->mix_len; i++)
		if (i == 0 || c->mix[i] < m)
			m = c->mix[i];
	return m;
}

/* Whether a transport is UDP or TCP (over IPv4 or IPv6), which two
 * hosts can share, rather than a framing's own link. */
static int is_ip(const char *transport)
{
	return !strncmp(transport, "udp", 3) || !strncmp(transport, "tcp", 3);
}

/* Whether case c's workload takes option name (a pattern leaves some
 * shared network options out). */
static int takes(const struct wl_case *c, const char *name)
{
	for (size_t i = 0; i < c->ops->opts_count; i++)
		if (!strcmp(c->ops->opts[i].name, name))
			return 1;
	return 0;
}

/* The name of the framing's choice option `name` in its option struct
 * fopts, or NULL when it has no such option. */
static const char *fopt_choice(const struct framing_ops *f,
			       const unsigned char *fopts, const char *name)
{
	for (size_t i = 0; i < f->opts_count; i++) {
		const struct ncb_opt *d = &f->opts[i];
		unsigned v;

		if (d->type != NCB_OPT_CHOICE || strcmp(d->name, name))
			continue;
		memcpy(&v, fopts + d->offset, sizeof(v));
		return d->choices[v];
	}
	return NULL;
}

/* --sas, --sa-dist and --flows (the flow pattern's). A receiver finds
 * each packet's SA by the identifier it names; a stream or a framing's
 * own link has one socket per end; two hosts set up one SA and one
 * socket per end (their steps carry no more). A spread over one SA
 * means nothing and is let be. */
static int check_sas(const struct wl_case *c, const struct pattern_opts *o,
		     const unsigned char *fopts, struct ncb_err *e)
{
	const struct pattern_net *n = &o->net;
	const struct framing_ops *f = pattern_framing(c);
	const char *sci = fopt_choice(f, fopts, "sci");
	const char *tr = framing_transport(f, fopts, n->family == 1 ? 6 : 4);

	if (n->sas < 1 || n->sas > SADB_MAX)
		return ncb_errf(e, -EINVAL, "--sas: %u is out of range 1..%d",
				n->sas, SADB_MAX);
	if (n->flows < 1 || n->flows > NET_FLOWS_MAX)
		return ncb_errf(e, -EINVAL, "--flows: %u is out of range 1..%d",
				n->flows, NET_FLOWS_MAX);
	if (c->peer && (n->sas > 1 || n->flows > 1))
		return ncb_errf(e, -EINVAL,
				"--sas and --flows: on one host only (not with --peer)");
	if (n->sas > 1 && (!f->sa_ident || !f->pkt_ident))
		return ncb_errf(e, -EINVAL,
				"--sas: framing %s has one SA per direction (it names none on the wire)",
				f->name);
	/* The framing's check does not see --sas: an SCI-less SecTAG names
	 * no SA, so its receiver could not tell them apart. */
	if (n->sas > 1 && sci && strcmp(sci, "explicit"))
		return ncb_errf(e, -EINVAL,
				"--sas needs --sci explicit: the receiver finds the SA by the SCI");
	if (n->flows > 1 && (pattern_framing(c)->flags & FRAMING_F_STREAM ||
			     strncmp(tr, "udp", 3)))
		return ncb_errf(e, -EINVAL,
				"--flows: %s over %s has one socket per end (--flows needs UDP)",
				f->name, tr);
	return 0;
}

int pattern_check(const struct wl_case *c, const struct pattern_opts *o,
		  struct ncb_err *e)
{
	const struct pattern_net *n = &o->net;
	const struct framing_ops *f = pattern_framing(c);
	unsigned char fopts[FRAMING_OPTS_MAX];
	size_t lo = pattern_size_min(c), hi = pattern_size_max(c);
	size_t min_len = 0, max_len = 0;
	int rc;

	if (n->batch < 1 || n->batch > NET_BATCH_MAX)
		return ncb_errf(e, -EINVAL, "--batch: %u is out of range 1..%d",
				n->batch, NET_BATCH_MAX);
	if (takes(c, "burst") && (n->burst < 1 || n->burst > FRAMING_BURST_MAX))
		return ncb_errf(e, -EINVAL, "--burst: %u is out of range 1..%d",
				n->burst, FRAMING_BURST_MAX);
	/* One port per unit: two per pair with --bidir on two hosts. */
	if (n->port && n->port + c->threads * wl_peer_units(c->peer) > 65536)
		return ncb_errf(e, -EINVAL, "--port: %u + %u pairs is past 65535",
				n->port, c->threads * wl_peer_units(c->peer));
	if (n->io == 1 && (n->zerocopy || n->sqpoll))
		return ncb_errf(e, -EINVAL,
				"--zerocopy and --sqpoll need --io uring");
	if (n->busy_poll > 1000000)
		return ncb_errf(e, -EINVAL, "--busy-poll: %u us is above 1 s",
				n->busy_poll);
	if (n->sockbuf > (1u << 30))
		return ncb_errf(e, -EINVAL, "--sockbuf: %u is above 1 GiB",
				n->sockbuf);
	pattern_fopts(c, o, fopts);
	rc = f->check(fopts, c->cipher, n->family == 1 ? 6 : 4, &min_len,
		      &max_len, e);
	if (rc == 0 && takes(c, "sas"))
		rc = check_sas(c, o, fopts, e);
	if (rc < 0)
		return rc;
	if (c->peer && !is_ip(framing_transport(f, fopts, n->family == 1 ? 6 : 4)) &&
	    (!f->ethertype || !c->peer->dev))
		return ncb_errf(e, -EINVAL,
				f->ethertype ? "--peer: %s over %s needs --dev IFACE on both hosts (run --dev, serve --dev)"
					     : "--peer: %s over its own link (%s) runs on one host only",
				f->name, framing_transport(f, fopts, 4));
	if (lo < min_len)
		return ncb_errf(e, -EINVAL,
				"--size: needs inner packets of at least %zu bytes (headers and a sequence stamp), got %zu",
				min_len, lo);
	if (hi > max_len)
		return ncb_errf(e, -EINVAL,
				f->flags & FRAMING_F_STREAM
					? "--size: a %s record carries at most %zu bytes, got %zu"
					: "--size: a %s packet does not fit in one datagram or frame (at most %zu bytes), got %zu",
				f->name, max_len, hi);
	/* A library's own limit (intel-ipsec-mb's 128-EIA3): refused here,
	 * not packet by packet in the run. The packet bounds what the MAC
	 * covers. */
	max_len = aead_max_len(c->cipher, c->backend);
	if (max_len && f->packet_max(fopts, c->cipher, hi) > max_len)
		return ncb_errf(e, -EMSGSIZE,
				"--size: %s on %s authenticates at most %zu bytes a packet; a %zu-byte inner packet makes a %zu-byte %s packet",
				c->cipher, c->backend, max_len, hi,
				f->packet_max(fopts, c->cipher, hi), f->name);
	return 0;
}

void pattern_net_cfg(const struct wl_case *c, const struct pattern_opts *o,
		     struct net_cfg *cfg)
{
	const struct pattern_net *n = &o->net;

	*cfg = (struct net_cfg){
		.io = n->io == 1 ? NET_IO_EPOLL : NET_IO_URING,
		.family = n->family == 1 ? 6 : 4,
		.batch = n->batch,
		.sockbuf = n->sockbuf,
		.port = n->port,
		.busy_poll_us = n->busy_poll,
		.is_gso = !n->no_gso,
		.is_zerocopy = (int)n->zerocopy,
		.is_sqpoll = (int)n->sqpoll,
		.is_stream = (pattern_framing(c)->flags & FRAMING_F_STREAM) != 0,
	};
}

unsigned pattern_opt_default(const struct ncb_opt *d)
{
	unsigned v = 0;

	if (d->type != NCB_OPT_CHOICE)
		return (unsigned)strtoul(d->def, NULL, 10);
	while (d->choices[v] && strcmp(d->choices[v], d->def))
		v++;
	return d->choices[v] ? v : 0;
}

void pattern_fopts(const struct wl_case *c, const struct pattern_opts *o,
		   unsigned char *out)
{
	const struct framing_ops *f = pattern_framing(c);
	const struct wl_ops *w = c->ops;

	memcpy(out, o->fopts, FRAMING_OPTS_MAX);
	for (size_t i = 0; i < f->opts_count; i++) {
		const struct ncb_opt *d = &f->opts[i];
		size_t at = offsetof(struct pattern_opts, fopts) + d->offset;
		int is_in = 0;

		for (size_t j = 0; j < w->opts_count; j++)
			is_in |= w->opts[j].offset == at &&
				 !strcmp(w->opts[j].name, d->name);
		if (!is_in) {
			unsigned v = pattern_opt_default(d);

			memcpy(out + d->offset, &v, sizeof(v));
		}
	}
}
