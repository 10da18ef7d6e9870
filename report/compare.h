/* `ncbench compare`: the regression gate. Cases are matched by identity
 * (options included) and pooled over each side's documents; each pair is
 * tested with a two-sided Mann-Whitney U test on per-process medians (when
 * a side ran in two or more processes) or on repetitions, and called
 * (report/verdict.h):
 *   too noisy     most of a side's repetitions disturbed, or drops left
 *                 fewer than 2 units;
 *   REGRESSION /  p < alpha and |change| > threshold;
 *   improvement
 *   no change     p < alpha and |change| <= threshold, or p >= alpha and
 *                 the minimum detectable change <= threshold;
 *   inconclusive  otherwise: the data could have missed a change of the
 *                 threshold's size. */
#ifndef NCB_REPORT_COMPARE_H
#define NCB_REPORT_COMPARE_H

/* argv[0] is "compare". Exit status: 0 no regression and every matched
 * case decided, 1 a regression, 3 no regression but a case inconclusive
 * or too noisy, 2 usage or input error. */
int compare_main(int argc, char **argv);

#endif
