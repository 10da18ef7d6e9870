/* report/ numerics: the Mann-Whitney U test against hand-computed exact
 * p-values and the normal approximation, least-squares lines, the USL fit
 * recovering the parameters of a synthetic curve, and rate parsing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/fit.h"
#include "report/mwu.h"
#include "report/plan.h"
#include "tests/unit/helpers.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fmax(1, fabs(b));
}

static void mwu(void)
{
	static const double lo[] = { 1, 2, 3, 4, 5 }, hi[] = { 6, 7, 8, 9, 10 };
	static const double mixed[] = { 1, 3, 5, 7, 9 }, other[] = { 2, 4, 6, 8, 10 };
	static const double same[] = { 4, 4, 4, 4, 4 };
	double big_a[40], big_b[40];
	struct mwu_result r = { 0 };
	int rc;

	/* Complete separation, 5 and 5: U = 0, p = 2 / C(10, 5). */
	rc = mwu_test(lo, 5, hi, 5, &r);
	t_check(rc == 0 && r.is_exact && r.u == 0 &&
			near(r.p, 2.0 / 252, 1e-12),
		"mwu: separated 5+5 exact p = 2/252 (got U %g p %g)", r.u, r.p);
	t_check(mwu_test(hi, 5, lo, 5, &r) == 0 && r.u == 25 &&
			near(r.p, 2.0 / 252, 1e-12),
		"mwu: symmetric in the order of the samples");
	/* Interleaved: U = 10 of 25; P(U <= 10) = 0.3452 for 5+5. */
	rc = mwu_test(mixed, 5, other, 5, &r);
	t_check(rc == 0 && r.u == 10 && near(r.p, 2 * 87.0 / 252, 1e-12),
		"mwu: interleaved exact p = 174/252 (got %g)", r.p);
	t_check(mwu_test(same, 5, same, 5, &r) == 0 && r.p == 1,
		"mwu: identical samples p = 1");
	t_check(mwu_test(lo, 3, hi, 3, &r) == 0 && near(r.p, 0.1, 1e-12),
		"mwu: 3+3 cannot go below p = 0.1");
	for (int i = 0; i < 40; i++) {
		big_a[i] = i;
		big_b[i] = i + 10.5;
	}
	/* Large samples use the normal approximation with continuity
	 * correction: U = 435 of 1600, z = 3.509 (scipy agrees). */
	rc = mwu_test(big_a, 40, big_b, 40, &r);
	t_check(rc == 0 && !r.is_exact && r.u == 435 &&
			near(r.p, 4.5250348643e-4, 1e-6),
		"mwu: 40+40 normal approximation (U %g p %g)", r.u, r.p);
	t_check(mwu_test(lo, 0, hi, 5, &r) < 0, "mwu: empty sample refused");
}

static void lines(void)
{
	double x[] = { 64, 576, 1420, 9000 }, y[4];
	struct fit_line f;

	for (int i = 0; i < 4; i++)
		y[i] = 150 + 0.25 * x[i];
	t_check(fit_line(x, y, 4, &f) == 0 && near(f.a, 150, 1e-9) &&
			near(f.b, 0.25, 1e-9) && near(f.r2, 1, 1e-12),
		"line: exact recovery");
	x[1] = x[2] = x[3] = 64;
	t_check(fit_line(x, y, 4, &f) < 0, "line: one x value refused");
}

static void usl(void)
{
	double n[16], x[16];
	struct fit_usl f = { 0 };

	for (int i = 0; i < 16; i++) {
		n[i] = i + 1;
		x[i] = 10 * n[i] / (1 + 0.05 * (n[i] - 1) + 0.002 * n[i] * (n[i] - 1));
	}
	int rc = fit_usl(n, x, 16, &f);

	t_check(rc == 0 && !f.is_linear &&
			near(f.lambda, 10, 1e-6) && near(f.sigma, 0.05, 1e-6) &&
			near(f.kappa, 0.002, 1e-6) && f.rel_err < 1e-9,
		"usl: recovers lambda 10 sigma 0.05 kappa 0.002 (got %g %g %g)",
		f.lambda, f.sigma, f.kappa);
	t_check(near(fit_usl_peak(&f), sqrt(0.95 / 0.002), 1e-6),
		"usl: peak at sqrt((1 - sigma) / kappa)");
	/* Perfect scaling: kappa and sigma fall back to zero. */
	for (int i = 0; i < 4; i++)
		x[i] = 5 * n[i];
	t_check(fit_usl(n, x, 4, &f) == 0 && near(f.lambda, 5, 1e-9) &&
			f.sigma == 0 && f.kappa == 0,
		"usl: linear data gives sigma = kappa = 0");
	t_check(fit_usl(n, x, 2, &f) == 0 && f.is_linear && near(f.lambda, 5, 1e-9),
		"usl: two points give a line");
}

static void rates(void)
{
	static const struct {
		const char *s;
		double v;
		enum plan_unit u;
	} ok[] = {
		{ "40G", 40e9, PLAN_BITS },      { "100Gbit", 100e9, PLAN_BITS },
		{ "2.5Gbps", 2.5e9, PLAN_BITS }, { "400M", 400e6, PLAN_BITS },
		{ "1T", 1e12, PLAN_BITS },       { "2Mpps", 2e6, PLAN_PACKETS },
		{ "500kpps", 5e5, PLAN_PACKETS },
	};
	static const char *const bad[] = { "", "G", "40", "40X", "-1G", "0G" };
	struct ncb_err e = { "" };
	struct plan_rate r;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(ok); i++)
		t_check(plan_parse_rate(ok[i].s, &r, &e) == 0 &&
				near(r.value, ok[i].v, 1e-12) && r.unit == ok[i].u,
			"rate '%s'", ok[i].s);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(bad); i++)
		t_check(plan_parse_rate(bad[i], &r, &e) < 0 &&
				strstr(e.msg, "--target"),
			"rate '%s' refused", bad[i]);
}

int main(void)
{
	mwu();
	lines();
	usl();
	rates();
	return t_done("test_report");
}
