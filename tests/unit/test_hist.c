/* Latency histogram: every bucket boundary maps back to a bucket that
 * holds it; percentiles of known samples (uniform, log-normal-like with a
 * long tail, constant, tiny) within 1% of the exact nearest-rank values;
 * merge equals recording everything into one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/hist.h"
#include "tests/unit/helpers.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t exact(const uint64_t *sorted, size_t n, double pct)
{
	size_t rank = (size_t)ceil(pct / 100.0 * (double)n);

	return sorted[(rank ? rank : 1) - 1];
}

static unsigned rnd_state = 2463534242u;
static double rnd(void) /* uniform in (0, 1) */
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return (rnd_state + 0.5) / 4294967296.0;
}

static void sample(const char *name, uint64_t *v, size_t n)
{
	static const double pcts[] = { 1, 10, 50, 90, 99, 99.9, 99.99, 100 };
	static struct hist h;
	double worst = 0;

	hist_reset(&h);
	for (size_t i = 0; i < n; i++)
		hist_add(&h, v[i]);
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(pcts); k++) {
		double e = (double)exact(v, n, pcts[k]);
		double got = (double)hist_percentile(&h, pcts[k]);
		double rel = e > 0 ? fabs(got - e) / e : fabs(got);

		if (rel > worst)
			worst = rel;
		t_check(rel <= 0.01, "%s p%g: %.0f against exact %.0f", name,
			pcts[k], got, e);
	}
	t_check(h.total == n && h.min == v[0] && h.max == v[n - 1],
		"%s: count, min, max", name);
	t_check(worst < 0.005, "%s: worst error %.4f%% under 0.5%%", name,
		worst * 100);
}

int main(void)
{
	static uint64_t v[200000];
	static struct hist a, b, all;
	int ok = 1;

	/* Every bucket's lowest and highest values land in it. */
	for (unsigned i = 0; i < HIST_BUCKETS - 1; i++) {
		uint64_t lo = i, width = 1;

		if (i >= 2 * HIST_SUB) {
			unsigned k = (i - 2 * HIST_SUB) / HIST_SUB + 1;

			width = 1ull << k;
			lo = (uint64_t)(HIST_SUB + (i - 2 * HIST_SUB) % HIST_SUB) << k;
		}
		ok &= hist_index(lo) == i && hist_index(lo + width - 1) == i &&
		      (width == 1 || width * HIST_SUB <= lo);
	}
	t_check(ok, "bucket edges map to their buckets; exact below 256, else width <= 1/128 of the value");
	t_check(hist_index(UINT64_MAX) == HIST_BUCKETS - 1, "huge value clamps");

	for (size_t i = 0; i < 100000; i++)
		v[i] = 1000 + (uint64_t)(rnd() * 99000); /* 1 us .. 100 us */
	sample("uniform 1-100 us", v, 100000);
	for (size_t i = 0; i < 200000; i++) /* 20 us median, tail to ms */
		v[i] = (uint64_t)(20000 * exp(0.6 * sqrt(-2 * log(rnd())) *
					      cos(6.283185307 * rnd())));
	sample("log-normal 20 us", v, 200000);
	for (size_t i = 0; i < 1000; i++)
		v[i] = 123457;
	sample("constant", v, 1000);
	for (size_t i = 0; i < 7; i++)
		v[i] = 3 + 50 * i * i;
	sample("seven values", v, 7);

	hist_reset(&a), hist_reset(&b), hist_reset(&all);
	for (size_t i = 0; i < 5000; i++) {
		uint64_t x = (uint64_t)(rnd() * 1e7);

		hist_add(i % 2 ? &a : &b, x);
		hist_add(&all, x);
	}
	hist_merge(&a, &b);
	t_check(memcmp(&a, &all, sizeof(a)) == 0, "merge equals one histogram");
	hist_reset(&b);
	t_check(hist_percentile(&b, 50) == 0, "empty: 0");
	return t_done("test_hist");
}
