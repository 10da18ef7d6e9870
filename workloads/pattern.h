/* Traffic patterns: how sealed packets move between the two ends of a
 * pair (datagram bulk `flow`, byte-stream bulk `stream`, request/response
 * `rr`), each running any framing of its kind (crypto/framing.h) chosen
 * with --framing. A pattern is a const ops struct; registry.c makes one
 * workload of every pattern and framing it takes (its options: the shared
 * network options below, the pattern's own, then the framing's), and the
 * aliases (`-w esp` is flow with --framing esp). The hooks of a pattern
 * find their framing in c->ops->framing. */
#ifndef NCB_WORKLOADS_PATTERN_H
#define NCB_WORKLOADS_PATTERN_H

#include <stddef.h>

#include "crypto/framing.h"
#include "io/ncb.h"
#include "workloads/wl.h"

struct net_cfg;

/* The network options every pattern shares, declared once
 * (pattern_net_opts): plain data, one unsigned each. */
struct pattern_net {
	unsigned io, family, batch, burst, sockbuf, port, busy_poll;
	unsigned no_gso, zerocopy, sqpoll;
	/* --sas N SAs per pair and direction (0 read as 1); --sa-dist: a
	 * workloads/sadist.h kind, and S * 1000 for zipf:S; --flows N UDP
	 * sockets per pair (0 read as 1). */
	unsigned sas, sa_dist, sa_zipf_milli, flows;
};

/* The option struct of every pattern's workloads. */
struct pattern_opts {
	struct pattern_net net;
	unsigned framing;          /* index among the pattern's framings */
	unsigned reorder, loss;    /* flow */
	unsigned transport, depth; /* rr */
	/* The framing's own option struct. */
	_Alignas(8) unsigned char fopts[FRAMING_OPTS_MAX];
};

/* A pattern's own default for an option of the combined table, when the
 * case's framing has flags `kind` (0: any). */
struct pattern_default {
	const char *name, *def;
	unsigned kind;
};

struct pattern_ops {
	const char *name, *summary;
	unsigned kind; /* FRAMING_F_*: the framings it runs */
	/* Its own options, offsets into struct pattern_opts. */
	const struct ncb_opt *opts;
	size_t opts_count;
	/* Shared network options it does not take (NULL-terminated). */
	const char *const *net_unused;
	const struct pattern_default *defaults;
	size_t n_defaults;
	/* Optional: an older spelling of --framing, option `transport`:
	 * value, framing, value, framing, ..., NULL. */
	const char *const *transport_map;
	/* What its workloads share: flags, hooks (opts is a struct
	 * pattern_opts) and reject counters (none: the framing's verdicts
	 * after ok). registry.c fills in the rest. */
	const struct wl_ops *wl;
};

/* The shared network options; offsets into struct pattern_net. */
extern const struct ncb_opt pattern_net_opts[];
extern const size_t pattern_net_count;
extern const char *const pattern_ios[];
extern const char *const pattern_families[];

/* The framing of case c (a pattern's workload). */
static inline const struct framing_ops *pattern_framing(const struct wl_case *c)
{
	return c->ops->framing;
}

/* Largest and smallest payload of case c (its --size or its mix). */
size_t pattern_size_max(const struct wl_case *c);
size_t pattern_size_min(const struct wl_case *c);

/* Packets per framing burst call of case options o (--burst; 1 when the
 * pattern does not take it: one call per packet). */
static inline unsigned pattern_burst(const struct pattern_opts *o)
{
	return o->net.burst ? o->net.burst : 1;
}

/* Checks the network options and asks the framing whether it carries
 * case c: 0 or -EINVAL (or the framing's refusal) with e. */
NCB_MUST_CHECK int pattern_check(const struct wl_case *c,
				 const struct pattern_opts *o,
				 struct ncb_err *e);

/* The engine configuration of the network options; is_stream, pkt_max
 * and batch follow from the framing, the pattern sets the rest. */
void pattern_net_cfg(const struct wl_case *c, const struct pattern_opts *o,
		     struct net_cfg *cfg);

/* The default of option d as its struct holds it: a choice's index, a
 * number, 0 or 1 for a flag. */
unsigned pattern_opt_default(const struct ncb_opt *d);

/* The framing's own option struct in o, with the framing's defaults for
 * options the case's table left out (shadowed by a pattern option of the
 * same name): copied into out (FRAMING_OPTS_MAX bytes). */
void pattern_fopts(const struct wl_case *c, const struct pattern_opts *o,
		   unsigned char *out);

#endif
