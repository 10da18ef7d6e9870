/* Model fits for capacity planning: a straight line (per-packet cost
 * against packet size) and the Universal Scalability Law (throughput
 * against threads). Pure functions. */
#ifndef NCB_REPORT_FIT_H
#define NCB_REPORT_FIT_H

#include <stddef.h>

struct fit_line {
	double a, b; /* y = a + b x */
	double r2;   /* coefficient of determination */
};

/* Least squares over n >= 2 points with at least two distinct x.
 * 0 or -EINVAL. */
int fit_line(const double *x, const double *y, size_t n, struct fit_line *out);

/* X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). */
struct fit_usl {
	double lambda, sigma, kappa;
	double rel_err;  /* RMS relative residual of the fit */
	int is_linear;   /* fewer than 3 points: X = lambda N */
};

/* Fits n points (N, X); with n >= 3 distinct N the USL (by least squares
 * on N / X = 1/lambda + sigma/lambda (N-1) + kappa/lambda N (N-1), with
 * sigma and kappa kept >= 0), else a line through the origin. 0 or
 * -EINVAL. */
int fit_usl(const double *n_threads, const double *x, size_t n,
	    struct fit_usl *out);
double fit_usl_eval(const struct fit_usl *f, double n);
/* Thread count of the USL's peak (infinity when kappa is 0). */
double fit_usl_peak(const struct fit_usl *f);

#endif
