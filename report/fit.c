/* Small least-squares fits by normal equations; 3 x 3 at most, solved by
 * Cramer's rule. */
#include <errno.h>
#include <math.h>

#include "report/fit.h"

int fit_line(const double *x, const double *y, size_t n, struct fit_line *out)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, ss_tot = 0, ss_res = 0, d;

	if (n < 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
	}
	d = (double)n * sxx - sx * sx;
	if (fabs(d) < 1e-12 * (sxx + 1))
		return -EINVAL; /* all x equal */
	out->b = ((double)n * sxy - sx * sy) / d;
	out->a = (sy - out->b * sx) / (double)n;
	for (size_t i = 0; i < n; i++) {
		double r = y[i] - (out->a + out->b * x[i]), m = y[i] - sy / (double)n;

		ss_res += r * r;
		ss_tot += m * m;
	}
	out->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
	return 0;
}

static double det3(const double m[3][3])
{
	return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
	       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* Least squares of y on the basis columns selected by use[] (1, N-1,
 * N(N-1)); coefficients of unused columns are 0. */
static int solve(const double *nn, const double *y, size_t n, const int use[3],
		 double coef[3])
{
	double a[3][3] = { { 0 } }, b[3] = { 0 }, d;
	int k = 0, idx[3];

	for (int j = 0; j < 3; j++)
		if (use[j])
			idx[k++] = j;
	for (size_t i = 0; i < n; i++) {
		double f[3] = { 1, nn[i] - 1, nn[i] * (nn[i] - 1) };

		for (int r = 0; r < k; r++) {
			for (int c = 0; c < k; c++)
				a[r][c] += f[idx[r]] * f[idx[c]];
			b[r] += f[idx[r]] * y[i];
		}
	}
	for (int r = k; r < 3; r++)
		a[r][r] = 1; /* pad to 3 x 3 with an identity */
	d = det3(a);
	if (fabs(d) < 1e-300)
		return -EINVAL;
	coef[0] = coef[1] = coef[2] = 0;
	for (int col = 0; col < k; col++) {
		double m[3][3];

		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				m[r][c] = c == col ? (r < k ? b[r] : 0) : a[r][c];
		coef[idx[col]] = det3(m) / d;
	}
	return 0;
}

double fit_usl_eval(const struct fit_usl *f, double n)
{
	return f->lambda * n /
	       (1 + f->sigma * (n - 1) + f->kappa * n * (n - 1));
}

double fit_usl_peak(const struct fit_usl *f)
{
	return f->kappa > 0 ? sqrt((1 - f->sigma) / f->kappa) : INFINITY;
}

static void residual(struct fit_usl *f, const double *nn, const double *x,
		     size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++) {
		double r = (fit_usl_eval(f, nn[i]) - x[i]) / x[i];

		s += r * r;
	}
	f->rel_err = sqrt(s / (double)n);
}

int fit_usl(const double *nn, const double *x, size_t n, struct fit_usl *out)
{
	double y[FIT_POINTS_MAX], coef[3];
	size_t distinct = 0;

	if (n < 1 || n > FIT_POINTS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int seen = 0;

		if (x[i] <= 0 || nn[i] < 1)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			seen |= nn[j] == nn[i];
		distinct += !seen;
		y[i] = nn[i] / x[i];
	}
	*out = (struct fit_usl){ 0 };
	if (distinct < 3) {
		double sxn = 0, snn = 0;

		for (size_t i = 0; i < n; i++) {
			sxn += x[i] * nn[i];
			snn += nn[i] * nn[i];
		}
		out->lambda = sxn / snn;
		out->is_linear = 1;
		residual(out, nn, x, n);
		return 0;
	}
	/* Full model; if a coefficient comes out negative (noise in a
	 * nearly linear curve), drop it and refit, keeping the physics:
	 * contention and coherency never help. */
	static const int tries[4][3] = {
		{ 1, 1, 1 }, { 1, 1, 0 }, { 1, 0, 1 }, { 1, 0, 0 }
	};
	for (int t = 0; t < 4; t++) {
		if (solve(nn, y, n, tries[t], coef) < 0)
			continue;
		if (coef[0] <= 0 || coef[1] < 0 || coef[2] < 0)
			continue;
		out->lambda = 1 / coef[0];
		out->sigma = coef[1] / coef[0];
		out->kappa = coef[2] / coef[0];
		residual(out, nn, x, n);
		return 0;
	}
	return -EINVAL;
}

/* The n points (x, y) but point i into xs, ys; returns n - 1. */
static size_t without(const double *x, const double *y, size_t n, size_t i,
		      double *xs, double *ys)
{
	size_t k = 0;

	for (size_t j = 0; j < n; j++)
		if (j != i) {
			xs[k] = x[j];
			ys[k++] = y[j];
		}
	return k;
}

int fit_line_loo(const double *x, const double *y, size_t n, double *err)
{
	double xs[FIT_POINTS_MAX], ys[FIT_POINTS_MAX];
	struct fit_line f;

	if (n < 3 || n > FIT_POINTS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		size_t k = without(x, y, n, i, xs, ys);

		err[i] = fit_line(xs, ys, k, &f) < 0 || y[i] == 0
				 ? NAN
				 : (f.a + f.b * x[i] - y[i]) / y[i];
	}
	return 0;
}

int fit_usl_loo(const double *nn, const double *x, size_t n, double *err)
{
	double ns[FIT_POINTS_MAX], xs[FIT_POINTS_MAX];
	struct fit_usl f;

	if (n < 3 || n > FIT_POINTS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		size_t k = without(nn, x, n, i, ns, xs);

		err[i] = fit_usl(ns, xs, k, &f) < 0
				 ? NAN
				 : (fit_usl_eval(&f, nn[i]) - x[i]) / x[i];
	}
	return 0;
}

double fit_err_max(const double *err, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(err[i]) && fabs(err[i]) > m)
			m = fabs(err[i]);
	return m;
}

int fit_scaling(const double *nn, const double *x, size_t n,
		struct fit_scaling *out)
{
	size_t order[FIT_POINTS_MAX];

	if (n < 1 || n > FIT_POINTS_MAX)
		return -EINVAL;
	*out = (struct fit_scaling){ .n = n };
	/* Ascending thread counts (insertion sort: a sweep is short). */
	for (size_t i = 0; i < n; i++) {
		size_t k = i;

		if (x[i] <= 0 || nn[i] < 1)
			return -EINVAL;
		while (k > 0 && nn[order[k - 1]] > nn[i]) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	for (size_t i = 0; i < n; i++) {
		out->nn[i] = nn[order[i]];
		out->x[i] = x[order[i]];
	}
	/* A step whose rate per thread grows is not contention or
	 * coherency: the smaller count did not load its threads (under
	 * driven, or sleeping between packets). Only the counts from the
	 * last such step on describe scaling. */
	for (size_t i = 1; i < n; i++) {
		double gain = out->x[i] / out->nn[i] /
			      (out->x[i - 1] / out->nn[i - 1]);

		if (gain > 1 + FIT_SUPER_TOL) {
			out->first = i;
			out->super_from = out->nn[i - 1];
			out->super_to = out->nn[i];
			out->super_ratio = out->x[i] / out->x[i - 1];
		}
	}
	if (n - out->first < 2)
		return 0;
	if (fit_usl(out->nn + out->first, out->x + out->first, n - out->first,
		    &out->usl) < 0)
		return 0;
	out->is_fitted = 1;
	if (fit_usl_loo(out->nn + out->first, out->x + out->first,
			n - out->first, out->loo + out->first) == 0) {
		out->has_loo = 1;
		out->loo_max = fit_err_max(out->loo + out->first, n - out->first);
	}
	return 0;
}
