/* The figures of one case, worked out from its repetitions into a plain
 * struct: a pure function of the case, so that the document writer only
 * serialises and a test can check each figure by hand. */
#ifndef NCB_BENCH_SUMMARY_H
#define NCB_BENCH_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "bench/opts.h"
#include "bench/stats.h"
#include "io/ncb.h"
#include "workloads/wl.h"

struct results_case;

struct summary {
	/* Repetitions in the document; kept in the statistics; flagged by
	 * the noise rule; marked dropped (--drop-disturbed); left out of the
	 * statistics (0 when every one was dropped: all then stay). */
	size_t n, kept, disturbed, dropped, left_out;
	/* One value per kept repetition: payload and wire Gbit/s, packets a
	 * second received and sent. */
	struct stats_summary gbps, pps, wire_gbps, sent_pps;
	/* The kept repetitions added up, and every repetition added up (for
	 * errors{} and rejects{}: a dropped repetition's errors still count). */
	struct wl_counters kept_sum, all_sum;
	/* Of the kept repetitions: cycles from the PMU, or CPU time at the
	 * TSC rate for a repetition without; is_cycles_pmu when every one had
	 * the PMU (the document's cycles_source). */
	double cycles;
	int is_cycles_pmu;
	double cycles_per_byte, cpu_util, gbps_per_core;
	double us_per_mb, us_per_packet; /* service demand */
	/* Both sides of the pairs ran here (has_sides): Gbit/s per core of
	 * the sending side's CPU and of the receiving side's. */
	int has_sides;
	double tx_gbps_per_core, rx_gbps_per_core;
	/* A sender counted apart from its receiver: sent_pps and delivered
	 * (packets received over packets sent). */
	int has_sent;
	double delivered;
	/* The I/O engines counted their system calls (has_syscalls): per
	 * packet sent and per packet received, over every repetition. */
	int has_syscalls;
	double syscalls_tx, syscalls_rx;
	/* Crypto time was measured: TSC ticks in the AEAD calls and the
	 * rest of the cycles per packet, and the crypto share of cycles. */
	int has_phases;
	double crypto_cycles, other_cycles, crypto_share;
	/* The case's noise{}, over every repetition: the worst shares as the
	 * rule takes them (steal and others' time per PU, switches per
	 * worker-second), the worst canary drift, the median canary. */
	double steal_share_max, others_share_max, nivcsw_per_s_max;
	double canary_drift_max, canary_ns_median;
	/* With more than one process (has_processes): each process's median
	 * Gbit/s, in process order, and the coefficients of variation between
	 * those medians and, on average, within processes of two or more. */
	int has_processes;
	size_t n_process_medians;
	double process_medians[OPTS_PROCESSES_MAX];
	double between_process_cv, within_process_cv;
	/* Two hosts (has_peer): the same figures of the other host's
	 * workers, from its CPU time and cycles (PMU, or its CPU time at
	 * its own TSC rate) over the bytes and packets of the case. */
	int has_peer, is_peer_cycles_pmu;
	double peer_cycles_per_byte, peer_cpu_util, peer_gbps_per_core;
	double peer_us_per_packet;
	/* Request/response latency in ns, when the case has a histogram. */
	int has_latency;
	uint64_t lat_p50, lat_p90, lat_p99, lat_p999, lat_max, lat_min;
	uint64_t lat_count;
};

/* Fills s from c (its samples, placement and latency); no I/O, no
 * allocation. Returns 0, or -E2BIG when c has more samples than
 * STATS_N_MAX or more processes than OPTS_PROCESSES_MAX. */
NCB_MUST_CHECK int summary_case(const struct results_case *c,
				struct summary *s);

/* Gbit/s of payload: bytes * 8 / seconds / 1e9 (0 for no time). */
double summary_gbps(uint64_t bytes, double seconds);

#endif
