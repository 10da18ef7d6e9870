/* Latency histogram, log-linear as HdrHistogram lays it out: values below
 * 2^(HIST_SUB_BITS+1) each have a bucket; above, every power of two is
 * cut into 2^HIST_SUB_BITS equal buckets, so a bucket is never wider than
 * 1/128 of its values (< 0.8%) and a percentile read as the bucket's
 * middle is within 0.4% of the exact one. Fixed size, no allocation:
 * recording is an index computation and an increment. */
#ifndef NCB_IO_HIST_H
#define NCB_IO_HIST_H

#include <stdint.h>

enum {
	HIST_SUB_BITS = 7,
	HIST_SUB = 1 << HIST_SUB_BITS,  /* buckets per power of two */
	HIST_TOP_BITS = 44,             /* values up to 2^44 ns (about 4.9 h) */
	HIST_BUCKETS = 2 * HIST_SUB + (HIST_TOP_BITS - HIST_SUB_BITS - 1) * HIST_SUB,
};

struct hist {
	uint64_t counts[HIST_BUCKETS];
	uint64_t total, min, max;
};

void hist_reset(struct hist *h);

/* Bucket of value v (values past the top land in the last bucket). */
static inline unsigned hist_index(uint64_t v)
{
	unsigned k;

	if (v < 2 * HIST_SUB)
		return (unsigned)v;
	k = 63u - (unsigned)__builtin_clzll(v) - HIST_SUB_BITS; /* >= 1 */
	if (k > HIST_TOP_BITS - HIST_SUB_BITS - 1)
		return HIST_BUCKETS - 1;
	return 2 * HIST_SUB + (k - 1) * HIST_SUB +
	       (unsigned)((v >> k) - HIST_SUB);
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->counts[hist_index(v)]++;
	if (!h->total || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->total++;
}

void hist_merge(struct hist *dst, const struct hist *src);

/* Nearest-rank percentile (0 < pct <= 100): the middle of the bucket
 * holding the ceil(pct/100 * total)-th smallest value, clamped to the
 * recorded min and max. 0 when empty. */
uint64_t hist_percentile(const struct hist *h, double pct);

#endif
