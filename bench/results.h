/* The result document (schema ncbench.result/1): built case by case during
 * a run, written atomically at the end or on interruption. */
#ifndef NCB_BENCH_RESULTS_H
#define NCB_BENCH_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "io/cpustat.h"
#include "io/ncb.h"
#include "io/noise.h"
#include "io/pin.h"

struct env_host;
struct hist;
struct env_libs;
struct results_doc;

/* One timed repetition. */
struct results_sample {
	uint64_t bytes, wire_bytes, packets;
	uint64_t tx_packets; /* sent; 0 where sending is not separate */
	double seconds, cpu_seconds;
	uint64_t cycles;
	uint64_t crypto_ticks; /* TSC ticks inside seal/open, 0: not timed */
	struct cpustat_sys sys; /* system-wide CPU over the repetition */
	unsigned process;       /* which of the case's processes ran it */
	struct noise_rep noise; /* disturbance on the workers' PUs */
	int is_dropped; /* --drop-disturbed: kept in the document only */
};

/* A resolved option of a case: part of its identity (compare pairs only
 * cases whose options are equal). */
enum results_opt_type { RESULTS_OPT_STR, RESULTS_OPT_NUM, RESULTS_OPT_BOOL };

struct results_opt {
	const char *name;
	enum results_opt_type type;
	const char *str; /* RESULTS_OPT_STR */
	double num;      /* RESULTS_OPT_NUM, or 0/1 for RESULTS_OPT_BOOL */
};

/* One case: identity, placement, samples and error counters. Pointers are
 * borrowed until results_add() returns. */
struct results_case {
	const char *workload, *cipher, *backend, *direction;
	const char *transport, *io, *framing;
	const char *pattern;       /* traffic pattern, or NULL */
	const char *io_tx, *io_rx; /* engine details, or NULL */
	const char *imix;          /* mix name (size is then its mean) */
	size_t size;
	unsigned threads;
	unsigned workers;                  /* threads x workers per thread */
	const struct pin_place *placement; /* workers entries */
	unsigned repeat;                   /* repetitions asked for */
	unsigned processes;                /* processes it ran in (0: 1) */
	const char *repeat_stop; /* fixed, ci_target, max, interrupted */
	double ci_target_pct;    /* > 0 for --repeat auto */
	const struct results_opt *opts;
	size_t n_opts;
	double duration_s;
	const struct results_sample *samples;
	size_t n_samples;
	int is_cycles_pmu;
	double tsc_hz;
	uint64_t auth_fail, replay, rejected, drops, mismatch; /* wl.h */
	uint64_t drops_kernel, send_failed;
	const char *const *reject_names; /* per-reason counters, or none */
	const uint64_t *rejects;
	size_t n_rejects;
	int is_verified;
	const struct hist *latency; /* of the timed repetitions, or NULL */
};

/* Derived figures of a case, as results_add() writes them. */
struct results_summary {
	double gbps_median, gbps_ci95[2];
	double pps_median;
	double cycles_per_byte;
	size_t n, disturbed, dropped; /* repetitions, flagged, left out */
};

/* New document, started now. Caller frees with results_free(). */
NCB_MUST_CHECK int results_new(struct results_doc **out,
			       const struct env_host *host,
			       const struct env_libs *libs);
void results_free(struct results_doc *d);

/* The resolved options, into "config": set a string, a number or a
 * boolean; push appends a string or a number to the array named key. */
void results_config_str(struct results_doc *d, const char *key,
			const char *val);
void results_config_num(struct results_doc *d, const char *key, double val);
void results_config_bool(struct results_doc *d, const char *key, int val);
void results_config_push_str(struct results_doc *d, const char *key,
			     const char *val);
void results_config_push_num(struct results_doc *d, const char *key,
			     double val);
/* From here on, config writes go to a new object appended to the
 * config's "groups" list (one per suite group). */
void results_config_begin_group(struct results_doc *d);

/* Appends one case (samples summarised here); sum, if not NULL, receives
 * the headline figures for the terminal table. */
NCB_MUST_CHECK int results_add(struct results_doc *d,
			       const struct results_case *c,
			       struct results_summary *sum);

/* Writes the document to path through out_open()/out_commit() (only a
 * regular file or nothing is replaced, symlinks are followed, the file
 * appears whole), with "complete" set as given. 0 or -errno, e filled. */
NCB_MUST_CHECK int results_write(struct results_doc *d, const char *path,
				 int is_complete, struct ncb_err *e);

/* Gbit/s of payload for a sample: bytes * 8 / seconds / 1e9. */
double results_gbps(uint64_t bytes, double seconds);

#endif
