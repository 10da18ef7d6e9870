/* Two-sided Mann-Whitney U test (Wilcoxon rank-sum): does one sample tend
 * to be larger than the other? Exact for small samples without ties, the
 * normal approximation with tie correction otherwise. */
#ifndef NCB_REPORT_MWU_H
#define NCB_REPORT_MWU_H

#include <stddef.h>

enum {
	MWU_EXACT_MAX = 30, /* per sample: exact distribution up to this size */
	MWU_N_MAX = 1 << 17, /* per sample: pooled documents stay below it */
};

struct mwu_result {
	double u;      /* U of the first sample */
	double p;      /* two-sided p-value */
	int is_exact;
};

/* 0, or -EINVAL when a sample is empty or larger than MWU_N_MAX. */
int mwu_test(const double *a, size_t na, const double *b, size_t nb,
	     struct mwu_result *out);

/* The smallest two-sided p the exact test can give for sizes n1 and n2,
 * 2 / C(n1 + n2, n1) (complete separation); 1 when a size is 0. */
double mwu_min_p(size_t n1, size_t n2);

/* The upper quantile of the standard normal distribution: z with
 * P(Z > z) = p, for p in (0, 1); within 1e-12. */
double mwu_z_upper(double p);

#endif
