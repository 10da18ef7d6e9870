/* Reading the log-linear histogram back. */
#include <math.h>
#include <string.h>

#include "io/hist.h"

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->total)
		return;
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	if (!dst->total || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->total += src->total;
}

/* Lowest value of bucket i, and its width. */
static uint64_t bucket_low(unsigned i, uint64_t *width)
{
	unsigned k;

	if (i < 2 * HIST_SUB) {
		*width = 1;
		return i;
	}
	k = (i - 2 * HIST_SUB) / HIST_SUB + 1;
	*width = 1ull << k;
	return (uint64_t)(HIST_SUB + (i - 2 * HIST_SUB) % HIST_SUB) << k;
}

uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, seen = 0, width, v;

	if (!h->total)
		return 0;
	rank = (uint64_t)ceil(pct / 100.0 * (double)h->total);
	if (rank < 1)
		rank = 1;
	if (rank > h->total)
		rank = h->total;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		v = bucket_low(i, &width);
		v += (width - 1) / 2;
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}
