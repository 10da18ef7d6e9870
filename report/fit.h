/* Model fits for capacity planning: a straight line (per-packet cost
 * against packet size) and the Universal Scalability Law (throughput
 * against threads). Pure functions. */
#ifndef NCB_REPORT_FIT_H
#define NCB_REPORT_FIT_H

#include <stddef.h>

enum { FIT_POINTS_MAX = 256 }; /* points of one fit */

/* A rate per thread this much above the previous count's is super
 * linear: beyond noise, and not what contention and coherency make. */
#define FIT_SUPER_TOL 0.10

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

/* Leave-one-out check of a fit over n >= 3 points (at most
 * FIT_POINTS_MAX): err[i] = (prediction - y[i]) / y[i] of the fit made
 * without point i, NaN where that fit cannot be made. 0 or -EINVAL. */
int fit_line_loo(const double *x, const double *y, size_t n, double *err);
int fit_usl_loo(const double *n_threads, const double *x, size_t n,
		double *err);
/* Largest |err[i]| among the finite ones (0 for none). */
double fit_err_max(const double *err, size_t n);

/* Throughput against threads as a capacity plan may use it: the points
 * sorted by thread count; a step whose rate per thread rises by more
 * than FIT_SUPER_TOL is flagged, and only the counts from the last such
 * step on are fitted (USL or linear, as fit_usl), never through it.
 * is_fitted is 0 when fewer than two counts remain (one thread count
 * measured, or all but one below a super-linear step). */
struct fit_scaling {
	double nn[FIT_POINTS_MAX], x[FIT_POINTS_MAX]; /* ascending nn */
	size_t n;
	size_t first;        /* index of the first fitted point */
	double super_from, super_to; /* the last super-linear step; 0: none */
	double super_ratio;  /* rate at super_to over rate at super_from */
	int is_fitted;
	struct fit_usl usl;
	/* Leave-one-out errors of the fitted points (loo[first..n-1]), when
	 * three or more were fitted; loo_max the largest in size. */
	int has_loo;
	double loo[FIT_POINTS_MAX], loo_max;
};

/* 0, or -EINVAL for n outside 1..FIT_POINTS_MAX or a point with x <= 0
 * or fewer than one thread. */
int fit_scaling(const double *n_threads, const double *x, size_t n,
		struct fit_scaling *out);

#endif
