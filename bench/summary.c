/* Statistics of a case from its repetitions: medians and intervals of the
 * rates, the sums behind cycles per byte and service demand, the
 * disturbance summary and the spread between processes. Every derived
 * figure of a result comes from here, so the document agrees with itself. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bench/counters.h"
#include "bench/env.h"
#include "bench/results.h"
#include "bench/summary.h"
#include "io/hist.h"

_Static_assert((int)OPTS_SAMPLES_MAX <= (int)STATS_N_MAX,
	       "a case's repetitions fit one summary");

double summary_gbps(uint64_t bytes, double seconds)
{
	return seconds > 0 ? (double)bytes * 8 / seconds / 1e9 : 0;
}

static double per_s(uint64_t n, double seconds)
{
	return seconds > 0 ? (double)n / seconds : 0;
}

/* Statistics leave out what --drop-disturbed dropped, unless it dropped
 * every repetition; the samples stay in the document, marked. */
static int is_kept(const struct results_case *c, size_t i, size_t dropped)
{
	return !c->samples[i].is_dropped || dropped == c->n_samples;
}

static unsigned workers_of(const struct results_case *c)
{
	return c->workers ? c->workers : c->threads;
}

/* Distinct PUs of the workers: workers sharing one count it once. */
static size_t distinct_pus(const struct results_case *c)
{
	unsigned workers = workers_of(c);
	size_t pus = 0;

	for (unsigned i = 0; i < workers; i++) {
		unsigned j = 0;

		while (j < i && c->placement[j].pu != c->placement[i].pu)
			j++;
		pus += j == i;
	}
	return pus;
}

/* The noise{} figures, over every repetition: shares as the rule takes
 * them, so a reader sees the disturbance next to the figure. */
static int noise_figures(const struct results_case *c, struct summary *s,
			 double *x)
{
	size_t pus = distinct_pus(c), nc = 0;
	unsigned workers = workers_of(c);
	struct stats_summary cs;
	int rc;

	for (size_t i = 0; i < c->n_samples; i++) {
		const struct results_sample *r = &c->samples[i];
		double pu_s = r->cnt.seconds * (double)(pus ? pus : 1);
		double worker_s = r->cnt.seconds * (double)(workers ? workers : 1);

		s->disturbed += r->noise.flags != 0;
		s->dropped += r->is_dropped != 0;
		if (pu_s > 0) {
			s->steal_share_max =
				fmax(s->steal_share_max, r->noise.steal_s / pu_s);
			s->others_share_max =
				fmax(s->others_share_max, r->noise.others_s / pu_s);
			s->nivcsw_per_s_max =
				fmax(s->nivcsw_per_s_max,
				     (double)r->noise.nivcsw / worker_s);
		}
		s->canary_drift_max = fmax(s->canary_drift_max,
					   r->noise.canary_drift);
		if (r->noise.canary_ns > 0)
			x[nc++] = r->noise.canary_ns;
	}
	rc = stats_summarize(x, nc, &cs);
	s->canary_ns_median = cs.median;
	return rc;
}

/* The rates of the kept repetitions, one statistic at a time through the
 * scratch x (STATS_N_MAX entries). */
static int rate_figures(const struct results_case *c, struct summary *s,
			double *x)
{
	enum { GBPS, PPS, WIRE, SENT, RATES };
	struct stats_summary *out[RATES] = { &s->gbps, &s->pps, &s->wire_gbps,
					     &s->sent_pps };
	int rc;

	for (int m = 0; m < RATES; m++) {
		size_t k = 0;

		for (size_t i = 0; i < c->n_samples; i++) {
			const struct wl_counters *r = &c->samples[i].cnt;

			if (!is_kept(c, i, s->dropped))
				continue;
			x[k++] = m == GBPS   ? summary_gbps(r->bytes, r->seconds)
				 : m == PPS  ? per_s(r->packets, r->seconds)
				 : m == WIRE ? summary_gbps(r->wire_bytes, r->seconds)
					     : per_s(r->tx_packets, r->seconds);
		}
		if ((rc = stats_summarize(x, k, out[m])) < 0)
			return rc;
	}
	return 0;
}

/* Sums of the kept repetitions and the figures made of them. */
static void sum_figures(const struct results_case *c, struct summary *s)
{
	const struct wl_counters *k = &s->kept_sum;
	double bytes, packets, crypto;

	s->is_cycles_pmu = s->kept > 0;
	for (size_t i = 0; i < c->n_samples; i++) {
		const struct wl_counters *r = &c->samples[i].cnt;

		counters_add(&s->all_sum, r, c->n_rejects);
		if (!is_kept(c, i, s->dropped))
			continue;
		counters_add(&s->kept_sum, r, c->n_rejects);
		/* Without a PMU, cycles are CPU time at the TSC rate: exact
		 * for a core running at its base clock, labelled as such. */
		s->cycles += r->is_cycles_pmu ? (double)r->cycles
					      : r->cpu_seconds * c->tsc_hz;
		s->is_cycles_pmu &= r->is_cycles_pmu != 0;
	}
	bytes = (double)k->bytes;
	packets = (double)k->packets;
	crypto = (double)k->crypto_ticks;
	s->cycles_per_byte = bytes > 0 ? s->cycles / bytes : 0;
	s->cpu_util = k->seconds > 0 ? k->cpu_seconds / k->seconds : 0;
	s->gbps_per_core = k->cpu_seconds > 0 ? bytes * 8 / k->cpu_seconds / 1e9 : 0;
	s->us_per_mb = bytes > 0 ? k->cpu_seconds * 1e6 / (bytes / 1e6) : 0;
	s->us_per_packet = packets > 0 ? k->cpu_seconds * 1e6 / packets : 0;
	/* Each side's CPU, when both ran on this host (on two hosts one
	 * side may be all here: the peer's figures are the other). */
	s->has_sides = k->rx_cpu_seconds > 0 && k->cpu_seconds > k->rx_cpu_seconds;
	if (s->has_sides) {
		s->tx_gbps_per_core = bytes * 8 / (k->cpu_seconds - k->rx_cpu_seconds) / 1e9;
		s->rx_gbps_per_core = bytes * 8 / k->rx_cpu_seconds / 1e9;
	}
	/* The engines' system calls over every repetition (each counts
	 * however it is judged): per packet sent and per packet received
	 * (in its repetition or late), 0 where none was. */
	s->has_syscalls = s->all_sum.syscalls_tx + s->all_sum.syscalls_rx > 0;
	s->syscalls_tx = s->all_sum.tx_packets
				 ? (double)s->all_sum.syscalls_tx / s->all_sum.tx_packets
				 : 0;
	s->syscalls_rx = s->all_sum.packets + s->all_sum.late
				 ? (double)s->all_sum.syscalls_rx /
					   (s->all_sum.packets + s->all_sum.late)
				 : 0;
	s->has_sent = k->tx_packets > 0;
	s->delivered = s->has_sent ? packets / (double)k->tx_packets : 0;
	/* Per packet received (or sealed): TSC ticks inside the AEAD calls,
	 * and the rest of the workers' cycles. The ticks run on while a
	 * worker is preempted and CPU time does not: on a busy machine they
	 * can exceed all its cycles (measured 182%), and then there is no
	 * split to give. */
	s->has_phases = crypto > 0 && packets > 0 && crypto <= s->cycles;
	if (s->has_phases) {
		s->crypto_cycles = crypto / packets;
		s->other_cycles = (s->cycles > crypto ? s->cycles - crypto : 0) / packets;
		s->crypto_share = s->cycles > 0 ? crypto / s->cycles : 0;
	}
}

/* The other host's CPU over the kept repetitions: each figure as this
 * host's, on its own clock (its team's span) and its own TSC rate. */
static void peer_figures(const struct results_case *c, struct summary *s)
{
	double tsc_hz = c->peer->host ? c->peer->host->tsc_hz : 0;
	double cycles = 0, cpu = 0, secs = 0;
	double bytes = (double)s->kept_sum.bytes;
	double packets = (double)s->kept_sum.packets;

	s->is_peer_cycles_pmu = 1;
	for (size_t i = 0; i < c->n_samples; i++) {
		const struct wl_end_counters *p = &c->samples[i].cnt.peer;

		if (!is_kept(c, i, s->dropped) || !p->is_set)
			continue;
		s->has_peer = 1;
		cycles += p->is_cycles_pmu ? (double)p->cycles
					   : p->cpu_seconds * tsc_hz;
		s->is_peer_cycles_pmu &= p->is_cycles_pmu != 0;
		cpu += p->cpu_seconds;
		secs += p->seconds;
	}
	if (!s->has_peer) {
		s->is_peer_cycles_pmu = 0;
		return;
	}
	s->peer_cycles_per_byte = bytes > 0 ? cycles / bytes : 0;
	s->peer_cpu_util = secs > 0 ? cpu / secs : 0;
	s->peer_gbps_per_core = cpu > 0 ? bytes * 8 / cpu / 1e9 : 0;
	s->peer_us_per_packet = packets > 0 ? cpu * 1e6 / packets : 0;
}

static double cv(const struct stats_summary *s)
{
	return s->mean > 0 ? s->stddev / s->mean : 0;
}

/* With several processes: each process's median, and the spread between
 * processes against the spread inside them. Repetitions of one process
 * are close to each other while whole runs drift apart; the first
 * figure is the one the next run will see. */
static int process_figures(const struct results_case *c, struct summary *s,
			   double *x)
{
	double within = 0;
	size_t nw = 0;
	struct stats_summary st;
	int rc;

	s->has_processes = 1;
	for (unsigned p = 0; p < c->processes; p++) {
		size_t k = 0;

		for (size_t i = 0; i < c->n_samples; i++)
			if (is_kept(c, i, s->dropped) && c->samples[i].process == p)
				x[k++] = summary_gbps(c->samples[i].cnt.bytes,
						      c->samples[i].cnt.seconds);
		if (!k)
			continue;
		if ((rc = stats_summarize(x, k, &st)) < 0)
			return rc;
		s->process_medians[s->n_process_medians++] = st.median;
		if (k > 1) {
			within += cv(&st);
			nw++;
		}
	}
	if ((rc = stats_summarize(s->process_medians, s->n_process_medians,
				  &st)) < 0)
		return rc;
	s->between_process_cv = cv(&st);
	s->within_process_cv = nw ? within / (double)nw : 0;
	return 0;
}

static void latency_figures(const struct hist *h, struct summary *s)
{
	s->has_latency = 1;
	s->lat_p50 = hist_percentile(h, 50);
	s->lat_p90 = hist_percentile(h, 90);
	s->lat_p99 = hist_percentile(h, 99);
	s->lat_p999 = hist_percentile(h, 99.9);
	s->lat_max = h->max;
	s->lat_min = h->min;
	s->lat_count = h->total;
}

int summary_case(const struct results_case *c, struct summary *s)
{
	double x[STATS_N_MAX];
	int rc;

	memset(s, 0, sizeof(*s));
	if (c->n_samples > STATS_N_MAX || c->processes > OPTS_PROCESSES_MAX)
		return -E2BIG;
	s->n = c->n_samples;
	if ((rc = noise_figures(c, s, x)) < 0)
		return rc;
	for (size_t i = 0; i < c->n_samples; i++)
		s->kept += is_kept(c, i, s->dropped);
	s->left_out = s->n - s->kept;
	sum_figures(c, s);
	if (c->peer)
		peer_figures(c, s);
	if ((rc = rate_figures(c, s, x)) < 0 ||
	    (c->processes > 1 && (rc = process_figures(c, s, x)) < 0))
		return rc;
	if (c->latency)
		latency_figures(c->latency, s);
	return 0;
}
