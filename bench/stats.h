/* Summary statistics of a small sample (the repetitions of one case). */
#ifndef NCB_BENCH_STATS_H
#define NCB_BENCH_STATS_H

#include <stddef.h>

struct stats_summary {
	double median, mean, stddev, min, max;
	double ci95[2]; /* 95% confidence interval of the mean (Student t) */
};

/* Summarises x[0..n-1] (n >= 1; x is not modified). With n == 1 the
 * stddev is 0 and the interval collapses to the value. */
void stats_summarize(const double *x, size_t n, struct stats_summary *out);

/* Two-sided 97.5% quantile of Student's t with df degrees of freedom. */
double stats_t975(size_t df);

#endif
