/* Summary statistics, the counter table and a case's summary against
 * values worked out by hand. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bench/counters.h"
#include "bench/results.h"
#include "bench/stats.h"
#include "bench/summary.h"
#include "tests/unit/helpers.h"

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-3 * (fabs(b) > 1 ? fabs(b) : 1);
}

static void test_summarize(void)
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
		{ "none", { 0 }, 0, 0, 0, 0, 0, 0 },
	};
	static double many[STATS_N_MAX + 1];
	struct stats_summary s;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		int rc = stats_summarize(cases[i].x, cases[i].n, &s);

		t_check(rc == 0, "%s: returns %d", cases[i].name, rc);
		t_check(near(s.median, cases[i].median), "%s: median %g",
			cases[i].name, s.median);
		t_check(near(s.mean, cases[i].mean), "%s: mean %g", cases[i].name,
			s.mean);
		t_check(near(s.stddev, cases[i].stddev), "%s: stddev %g",
			cases[i].name, s.stddev);
		t_check(near(s.ci95[0], cases[i].lo) && near(s.ci95[1], cases[i].hi),
			"%s: ci95 [%g, %g]", cases[i].name, s.ci95[0], s.ci95[1]);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(many); i++)
		many[i] = (double)i;
	t_check(stats_summarize(many, STATS_N_MAX, &s) == 0 &&
			near(s.median, (STATS_N_MAX - 1) / 2.0),
		"STATS_N_MAX values: median %g", s.median);
	t_check(stats_summarize(many, STATS_N_MAX + 1, &s) == -E2BIG &&
			s.median == 0 && s.max == 0,
		"one value past STATS_N_MAX is refused");
	t_check(near(stats_t975(4), 2.776), "t(4)");
	t_check(near(stats_t975(1000), 1.960), "t(1000)");
}

/* The table names the document's counters once each, and adding walks
 * every one of them. */
static void test_counters(void)
{
	static const char *const errors[] = { "auth_fail", "replay", "rejected",
					      "drops", "drops_kernel",
					      "send_failed", "mismatch" };
	struct wl_counters a, b;
	size_t n_errors = 0;

	for (size_t i = 0; i < counters_count(); i++) {
		const struct counters_field *f = counters_at(i);

		for (size_t j = 0; j < i; j++)
			t_check(strcmp(counters_at(j)->name, f->name) != 0,
				"counter %s named twice", f->name);
		if (f->place != COUNTERS_ERRORS)
			continue;
		n_errors++;
		for (size_t j = 0; j < NCB_ARRAY_SIZE(errors); j++)
			if (!strcmp(errors[j], f->name))
				break;
			else if (j + 1 == NCB_ARRAY_SIZE(errors))
				t_check(0, "errors.%s is not a documented counter",
					f->name);
	}
	t_check(n_errors == NCB_ARRAY_SIZE(errors), "%zu error counters",
		n_errors);
	t_check(counters_at(counters_count()) == NULL, "past the table: NULL");

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.bytes = 1000;
	b.seconds = 0.5;
	b.auth_fail = 2;
	b.send_failed = 3;
	b.rejects[0] = 4;
	b.rejects[1] = 9;
	b.canary_ns = 7;
	b.is_cycles_pmu = 1;
	counters_add(&a, &b, 1);
	counters_add(&a, &b, 1);
	t_check(a.bytes == 2000 && a.seconds == 1.0, "bytes %llu seconds %g",
		(unsigned long long)a.bytes, a.seconds);
	t_check(a.auth_fail == 4 && a.send_failed == 6, "errors add up");
	t_check(a.rejects[0] == 8 && a.rejects[1] == 0,
		"rejects add up to n_rejects only");
	t_check(a.canary_ns == 0 && a.is_cycles_pmu == 0,
		"a canary time and a flag are not sums");
	for (size_t i = 0; i < counters_count(); i++) {
		const struct counters_field *f = counters_at(i);

		t_check(counters_value(&a, f) == 2 * counters_value(&b, f),
			"%s: twice b after adding b twice", f->name);
	}
}

/* One sample: payload and wire bytes over one second, packets received
 * and sent, half a CPU-second, 200M ticks in the AEAD calls. */
static struct results_sample sample(unsigned process, double gbps,
				    double mpps, double sent_mpps)
{
	struct results_sample s;

	memset(&s, 0, sizeof(s));
	s.process = process;
	s.cnt.bytes = (uint64_t)(gbps * 1e9 / 8);
	s.cnt.wire_bytes = (uint64_t)((gbps + 2) * 1e9 / 8);
	s.cnt.packets = (uint64_t)(mpps * 1e6);
	s.cnt.tx_packets = (uint64_t)(sent_mpps * 1e6);
	s.cnt.seconds = 1;
	s.cnt.cpu_seconds = 0.5;
	s.cnt.crypto_ticks = 200000000;
	return s;
}

/* Four repetitions in two processes on two workers sharing PU 3, the
 * second one disturbed and dropped; every figure worked out by hand. */
static void test_case(void)
{
	static const struct pin_place place[2] = { { .pu = 3 }, { .pu = 3 } };
	static const char *const reasons[] = { "bad_icv", "replayed" };
	struct results_sample s[4] = {
		sample(0, 10, 1.0, 1.1),
		sample(0, 12, 1.2, 1.2),
		sample(1, 14, 1.4, 1.4),
		sample(1, 16, 1.6, 1.6),
	};
	struct results_case c = {
		.threads = 1,
		.workers = 2,
		.placement = place,
		.processes = 2,
		.samples = s,
		.n_samples = 4,
		.tsc_hz = 1e9,
		.reject_names = reasons,
		.n_rejects = 2,
	};
	struct summary m;

	s[0].cnt.auth_fail = 1;
	s[0].cnt.rejects[0] = 2;
	s[0].noise = (struct noise_rep){ .steal_s = 0.01, .others_s = 0.02,
					 .nivcsw = 10, .canary_ns = 500000 };
	s[1].cnt.mismatch = 1;
	s[1].noise = (struct noise_rep){ .steal_s = 0.05, .nivcsw = 300,
					 .canary_ns = 550000,
					 .canary_drift = 0.1, .flags = 1 };
	s[1].is_dropped = 1;
	s[3].cnt.auth_fail = 2;
	s[3].cnt.rejects[1] = 5;
	s[3].noise.canary_ns = 520000;

	t_check(summary_case(&c, &m) == 0, "case: summarised");
	t_check(m.n == 4 && m.kept == 3 && m.disturbed == 1 && m.dropped == 1 &&
			m.left_out == 1,
		"case: n %zu kept %zu disturbed %zu dropped %zu left out %zu",
		m.n, m.kept, m.disturbed, m.dropped, m.left_out);
	/* Kept: 10, 14, 16 Gbit/s. Mean 13.333, sd sqrt(18.667 / 2) =
	 * 3.0551, half-width t(2) 4.303 * 3.0551 / sqrt 3 = 7.590. */
	t_check(near(m.gbps.median, 14) && near(m.gbps.mean, 13.3333) &&
			near(m.gbps.stddev, 3.0551),
		"case: gbps median %g mean %g sd %g", m.gbps.median, m.gbps.mean,
		m.gbps.stddev);
	t_check(near(m.gbps.ci95[0], 5.7435) && near(m.gbps.ci95[1], 20.9232),
		"case: gbps ci95 [%g, %g]", m.gbps.ci95[0], m.gbps.ci95[1]);
	t_check(near(m.pps.median, 1.4e6) && near(m.wire_gbps.median, 16) &&
			near(m.sent_pps.median, 1.4e6) && near(m.sent_pps.min, 1.1e6),
		"case: pps %g wire %g sent %g", m.pps.median, m.wire_gbps.median,
		m.sent_pps.median);
	/* Kept sums: 5e9 bytes, 4e6 packets (4.1e6 sent), 3 s, 1.5 CPU-s,
	 * no PMU so 1.5e9 cycles at 1 GHz, 6e8 ticks of crypto. */
	t_check(m.kept_sum.bytes == 5000000000ull && m.kept_sum.packets == 4000000,
		"case: kept sums");
	t_check(!m.is_cycles_pmu && near(m.cycles, 1.5e9) &&
			near(m.cycles_per_byte, 0.3),
		"case: cycles %g per byte %g", m.cycles, m.cycles_per_byte);
	t_check(near(m.cpu_util, 0.5) && near(m.gbps_per_core, 26.6667) &&
			near(m.us_per_mb, 300) && near(m.us_per_packet, 0.375),
		"case: util %g per core %g us/MB %g us/packet %g", m.cpu_util,
		m.gbps_per_core, m.us_per_mb, m.us_per_packet);
	t_check(m.has_sent && near(m.delivered, 4.0 / 4.1), "case: delivered %g",
		m.delivered);
	t_check(m.has_phases && near(m.crypto_cycles, 150) &&
			near(m.other_cycles, 225) && near(m.crypto_share, 0.4),
		"case: phases %g %g %g", m.crypto_cycles, m.other_cycles,
		m.crypto_share);
	/* Errors over every repetition, the dropped one too. */
	t_check(m.all_sum.auth_fail == 3 && m.all_sum.mismatch == 1 &&
			m.all_sum.rejects[0] == 2 && m.all_sum.rejects[1] == 5,
		"case: errors and rejects over all repetitions");
	/* One PU for two workers: shares per PU-second, switches per
	 * worker-second (300 / 2). */
	t_check(near(m.steal_share_max, 0.05) && near(m.others_share_max, 0.02) &&
			near(m.nivcsw_per_s_max, 150) && near(m.canary_drift_max, 0.1),
		"case: noise %g %g %g %g", m.steal_share_max, m.others_share_max,
		m.nivcsw_per_s_max, m.canary_drift_max);
	t_check(near(m.canary_ns_median, 520000), "case: canary median %g",
		m.canary_ns_median);
	/* Process 0 keeps 10; process 1: 14 and 16 (cv 1.4142 / 15). The
	 * medians 10 and 15: cv 3.5355 / 12.5. */
	t_check(m.has_processes && m.n_process_medians == 2 &&
			near(m.process_medians[0], 10) &&
			near(m.process_medians[1], 15),
		"case: process medians");
	t_check(near(m.within_process_cv, 0.094281) &&
			near(m.between_process_cv, 0.282843),
		"case: cv within %g between %g", m.within_process_cv,
		m.between_process_cv);
	t_check(!m.has_latency, "case: no latency without a histogram");

	/* Every repetition dropped: all stay in the statistics. PMU
	 * cycles on every kept one. */
	for (size_t i = 0; i < 4; i++) {
		s[i].is_dropped = 1;
		s[i].cnt.is_cycles_pmu = 1;
		s[i].cnt.cycles = 1000000000;
	}
	c.processes = 1;
	t_check(summary_case(&c, &m) == 0 && m.kept == 4 && m.left_out == 0 &&
			m.dropped == 4 && near(m.gbps.median, 13),
		"all dropped: all kept, median %g", m.gbps.median);
	t_check(m.is_cycles_pmu && near(m.cycles, 4e9) && !m.has_processes,
		"all dropped: PMU cycles %g", m.cycles);
	c.n_samples = STATS_N_MAX + 1;
	t_check(summary_case(&c, &m) == -E2BIG, "too many samples: -E2BIG");
}

int main(void)
{
	test_summarize();
	test_counters();
	test_case();
	return t_done("test_stats");
}
