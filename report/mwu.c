/* Mann-Whitney U. Ranks with ties averaged; U1 = R1 - n1(n1+1)/2. The
 * exact null distribution of U counts, for each u, the arrangements of n1
 * and n2 items giving U = u (the classic recurrence
 * f(n1, n2, u) = f(n1 - 1, n2, u - n2) + f(n1, n2 - 1, u)), in doubles. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/mwu.h"

struct item {
	double v;
	int from_a;
};

static int by_value(const void *x, const void *y)
{
	double a = ((const struct item *)x)->v, b = ((const struct item *)y)->v;

	return (a > b) - (a < b);
}

/* counts[u] for u in 0..n1*n2, for sizes n1, n2 (dynamic programming over
 * the number of items of the first sample placed so far). */
static int exact_counts(size_t n1, size_t n2, double *counts)
{
	size_t umax = n1 * n2;
	/* f[j][u]: arrangements of i items of A and j of B with U = u,
	 * rolled over i. */
	double *f = calloc((n2 + 1) * (umax + 1), sizeof(*f));
	double *g = calloc((n2 + 1) * (umax + 1), sizeof(*g));

	if (!f || !g) {
		free(f);
		free(g);
		return -ENOMEM;
	}
	for (size_t j = 0; j <= n2; j++)
		f[j * (umax + 1)] = 1; /* i = 0: U is 0 */
	for (size_t i = 1; i <= n1; i++) {
		memset(g, 0, (n2 + 1) * (umax + 1) * sizeof(*g));
		for (size_t j = 0; j <= n2; j++)
			for (size_t u = 0; u <= i * j; u++) {
				/* The largest item is from A (it beats all j
				 * of B) or from B. */
				double c = 0;

				if (u >= j)
					c += f[j * (umax + 1) + u - j];
				if (j > 0)
					c += g[(j - 1) * (umax + 1) + u];
				g[j * (umax + 1) + u] = c;
			}
		double *t = f;

		f = g;
		g = t;
	}
	memcpy(counts, f + n2 * (umax + 1), (umax + 1) * sizeof(*counts));
	free(f);
	free(g);
	return 0;
}

int mwu_test(const double *a, size_t na, const double *b, size_t nb,
	     struct mwu_result *out)
{
	size_t n = na + nb, i = 0;
	struct item *it;
	double r1 = 0, tie_term = 0, mean, var, z;
	int has_ties = 0;

	if (!na || !nb || na > MWU_N_MAX || nb > MWU_N_MAX)
		return -EINVAL;
	it = malloc(n * sizeof(*it));
	if (!it)
		return -ENOMEM;
	for (size_t k = 0; k < na; k++)
		it[k] = (struct item){ a[k], 1 };
	for (size_t k = 0; k < nb; k++)
		it[na + k] = (struct item){ b[k], 0 };
	qsort(it, n, sizeof(*it), by_value);
	while (i < n) {
		size_t j = i;
		double rank;

		while (j + 1 < n && it[j + 1].v == it[i].v)
			j++;
		rank = (double)(i + j) / 2 + 1; /* average of ranks i+1..j+1 */
		for (size_t k = i; k <= j; k++)
			if (it[k].from_a)
				r1 += rank;
		if (j > i) {
			double t = (double)(j - i + 1);

			has_ties = 1;
			tie_term += t * t * t - t;
		}
		i = j + 1;
	}
	free(it);
	out->u = r1 - (double)na * (double)(na + 1) / 2;
	mean = (double)na * (double)nb / 2;
	if (!has_ties && na <= MWU_EXACT_MAX && nb <= MWU_EXACT_MAX) {
		size_t umax = na * nb;
		double *counts = malloc((umax + 1) * sizeof(*counts));
		double total = 0, lo = 0, hi = 0;

		if (!counts || exact_counts(na, nb, counts) < 0) {
			free(counts);
			return -ENOMEM;
		}
		for (size_t u = 0; u <= umax; u++) {
			total += counts[u];
			if ((double)u <= out->u)
				lo += counts[u];
			if ((double)u >= out->u)
				hi += counts[u];
		}
		free(counts);
		out->p = fmin(1.0, 2 * fmin(lo, hi) / total);
		out->is_exact = 1;
		return 0;
	}
	var = (double)na * (double)nb / 12 *
	      ((double)(n + 1) - tie_term / ((double)n * (double)(n - 1)));
	if (var <= 0) {
		out->p = 1; /* every value equal */
		out->is_exact = 0;
		return 0;
	}
	/* Continuity correction of 0.5 towards the mean. */
	z = (fabs(out->u - mean) - 0.5) / sqrt(var);
	out->p = fmin(1.0, erfc(fmax(z, 0) / sqrt(2)));
	out->is_exact = 0;
	return 0;
}

double mwu_min_p(size_t n1, size_t n2)
{
	double comb = 1;

	if (!n1 || !n2)
		return 1;
	for (size_t j = 1; j <= n1; j++)
		comb = comb * (double)(n2 + j) / (double)j;
	return fmin(1.0, 2 / comb);
}

double mwu_z_upper(double p)
{
	double lo = -40, hi = 40;

	/* P(Z > z) = erfc(z / sqrt 2) / 2 falls as z grows: bisect. Eighty
	 * halvings of 80 leave far less than 1e-12. */
	for (int i = 0; i < 80; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / sqrt(2)) / 2 > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}
