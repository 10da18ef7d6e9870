/* Median, mean, sample standard deviation and a Student-t interval: the
 * figures a benchmark with five repetitions can honestly give. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_t975(size_t df)
{
	/* t_{0.975, df} for df = 1..30; beyond, the normal limit is within
	 * 2% and the table steps are smaller than the sampling noise. */
	static const double t[] = {
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
		2.262,	2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
		2.110,	2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
		2.060,	2.056, 2.052, 2.048, 2.045, 2.042,
	};

	if (df == 0)
		return 0;
	if (df <= sizeof(t) / sizeof(t[0]))
		return t[df - 1];
	if (df <= 60)
		return 2.000;
	if (df <= 120)
		return 1.980;
	return 1.960;
}

int stats_summarize(const double *x, size_t n, struct stats_summary *out)
{
	double sorted[STATS_N_MAX], sum = 0, ss = 0, half;

	memset(out, 0, sizeof(*out));
	if (n > STATS_N_MAX)
		return -E2BIG;
	if (n == 0)
		return 0;
	memcpy(sorted, x, n * sizeof(*x));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->median = n % 2 ? sorted[n / 2]
			    : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - out->mean) * (x[i] - out->mean);
	out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	half = n > 1 ? stats_t975(n - 1) * out->stddev / sqrt((double)n) : 0;
	out->ci95[0] = out->mean - half;
	out->ci95[1] = out->mean + half;
	return 0;
}
