/* Summary statistics of a small sample (the repetitions of one case). */
#ifndef NCB_BENCH_STATS_H
#define NCB_BENCH_STATS_H

#include <stddef.h>

#include "io/ncb.h"

/* The most values one summary takes: the repetitions a case can hold
 * (OPTS_SAMPLES_MAX in a run, DOC_SAMPLES_MAX in a document). */
enum { STATS_N_MAX = 1000 };

struct stats_summary {
	double median, mean, stddev, min, max;
	double ci95[2]; /* 95% confidence interval of the mean (Student t) */
};

/* Summarises x[0..n-1] (x is not modified). With n == 1 the stddev is 0
 * and the interval collapses to the value; with n == 0 everything is 0.
 * Returns 0, or -E2BIG (out all 0) when n > STATS_N_MAX. */
NCB_MUST_CHECK int stats_summarize(const double *x, size_t n,
				   struct stats_summary *out);

/* Two-sided 97.5% quantile of Student's t with df degrees of freedom. */
double stats_t975(size_t df);

#endif
