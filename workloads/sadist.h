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

enum {
	SADIST_N_MAX = 1000000,      /* SAs a table spreads over */
	SADIST_ZIPF_MILLI_MAX = 5000, /* zipf:5 */
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

/* The SA of each packet for n SAs (1..SADIST_N_MAX), in the order a
 * sender uses them, over and over (after entry *len - 1 comes entry 0):
 * a table of *len entries (the caller frees it). Uniform and Zipf draw
 * from seed into a power of two of at least max(4 n, 65536) entries, so
 * that an SA appears about as often as its share says (uniform: 4 times
 * or more on average); round robin is 0, 1, ..., n - 1 (*len = n), so
 * its laps stay exact. 0, or -EINVAL (no SA, too many) or -ENOMEM with
 * e. */
NCB_MUST_CHECK int sadist_table(const struct sadist *d, unsigned n,
				uint64_t seed, uint32_t **tab, size_t *len,
				struct ncb_err *e);

#endif
