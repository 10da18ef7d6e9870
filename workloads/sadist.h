/* How a sender spreads its packets over its SAs (--sa-dist): uniformly
 * at random, round robin, or Zipf with exponent S (a few SAs carry most
 * of the traffic, as on a gateway whose tunnels differ in size). The
 * choice of every packet is drawn before the timed part into a table the
 * sender reads in order, over and over: no drawing per packet. */
#ifndef NCB_WORKLOADS_SADIST_H
#define NCB_WORKLOADS_SADIST_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

enum sadist_kind {
	SADIST_UNIFORM,
	SADIST_ROUND_ROBIN,
	SADIST_ZIPF,
};

struct sadist {
	enum sadist_kind kind;
	unsigned zipf_milli; /* S * 1000, for SADIST_ZIPF */
};

/* "uniform", "round-robin" or "zipf:S" (S a decimal, 0 < S <= 5): 0, or
 * -EINVAL with e in one line. */
NCB_MUST_CHECK int sadist_parse(const char *text, struct sadist *d,
				struct ncb_err *e);
/* Its spelling as sadist_parse takes it ("zipf:1.100"). */
void sadist_name(const struct sadist *d, char *buf, size_t len);

/* The SA of each packet for n SAs, in the order a sender uses them: a
 * table of *len (>= n, a power of two) entries, drawn with seed (the
 * caller frees it). Long enough that every SA appears in it as often as
 * its share says. 0 or -ENOMEM with e. */
NCB_MUST_CHECK int sadist_table(const struct sadist *d, unsigned n,
				uint64_t seed, uint32_t **tab, size_t *len,
				struct ncb_err *e);

#endif
