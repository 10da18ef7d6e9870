/* `ncbench compare BASE CURRENT`: the regression gate. Cases are matched
 * by identity; each pair is tested with a two-sided Mann-Whitney U test on
 * the per-repetition throughput, and called a regression (or improvement)
 * only when the change is significant (p < alpha) and larger than the
 * threshold. */
#ifndef NCB_REPORT_COMPARE_H
#define NCB_REPORT_COMPARE_H

#include <stddef.h>

struct doc_case;

enum compare_verdict {
	COMPARE_SAME,
	COMPARE_REGRESSION,
	COMPARE_IMPROVEMENT,
	COMPARE_ADDED,
	COMPARE_REMOVED,
};

struct compare_row {
	const char *key;
	double base, current; /* sample medians, Gbit/s */
	double change_pct;
	double p;
	enum compare_verdict verdict;
};

/* The verdict for one matched pair. 0 or a negative errno. */
int compare_pair(const struct doc_case *base, const struct doc_case *cur,
		 double threshold_pct, double alpha, struct compare_row *out);

const char *compare_verdict_name(enum compare_verdict v);

/* argv[0] is "compare". Exit status: 0 no regression, 1 a regression,
 * 2 usage or input error. */
int compare_main(int argc, char **argv);

#endif
