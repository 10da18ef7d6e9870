/* Summary statistics against values worked out by hand. */
#include <math.h>

#include "bench/stats.h"
#include "tests/unit/helpers.h"

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-3 * (fabs(b) > 1 ? fabs(b) : 1);
}

int main(void)
{
	static const struct {
		const char *name;
		double x[6];
		size_t n;
		double median, mean, stddev, lo, hi;
	} cases[] = {
		/* sd = sqrt(2.5) = 1.5811; half = 2.776 * 1.5811 / sqrt 5 */
		{ "1..5", { 5, 3, 1, 4, 2 }, 5, 3, 3, 1.5811, 1.0369, 4.9631 },
		/* even count: median is the mean of the middle two */
		{ "even", { 10, 20, 40, 30 }, 4, 25, 25, 12.9099, 4.4574, 45.5426 },
		{ "single", { 7 }, 1, 7, 7, 0, 7, 7 },
		{ "equal", { 2, 2, 2 }, 3, 2, 2, 0, 2, 2 },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct stats_summary s;

		stats_summarize(cases[i].x, cases[i].n, &s);
		t_check(near(s.median, cases[i].median), "%s: median %g",
			cases[i].name, s.median);
		t_check(near(s.mean, cases[i].mean), "%s: mean %g", cases[i].name,
			s.mean);
		t_check(near(s.stddev, cases[i].stddev), "%s: stddev %g",
			cases[i].name, s.stddev);
		t_check(near(s.ci95[0], cases[i].lo) && near(s.ci95[1], cases[i].hi),
			"%s: ci95 [%g, %g]", cases[i].name, s.ci95[0], s.ci95[1]);
	}
	t_check(near(stats_t975(4), 2.776), "t(4)");
	t_check(near(stats_t975(1000), 1.960), "t(1000)");
	return t_done("test_stats");
}
