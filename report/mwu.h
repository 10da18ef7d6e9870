/* Two-sided Mann-Whitney U test (Wilcoxon rank-sum): does one sample tend
 * to be larger than the other? Exact for small samples without ties, the
 * normal approximation with tie correction otherwise. */
#ifndef NCB_REPORT_MWU_H
#define NCB_REPORT_MWU_H

#include <stddef.h>

enum {
	MWU_EXACT_MAX = 30, /* per sample: exact distribution up to this size */
	MWU_N_MAX = 1000,
};

struct mwu_result {
	double u;      /* U of the first sample */
	double p;      /* two-sided p-value */
	int is_exact;
};

/* 0, or -EINVAL when a sample is empty or larger than MWU_N_MAX. */
int mwu_test(const double *a, size_t na, const double *b, size_t nb,
	     struct mwu_result *out);

#endif
