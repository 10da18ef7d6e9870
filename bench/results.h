/* The result document (schema ncbench.result/1): built case by case during
 * a run, written atomically at the end or on interruption. */
#ifndef NCB_BENCH_RESULTS_H
#define NCB_BENCH_RESULTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "io/cpustat.h"
#include "io/ncb.h"
#include "io/noise.h"
#include "io/pin.h"
#include "workloads/wl.h"

struct env_host;
struct hist;
struct env_libs;
struct results_doc;
struct summary;

/* One timed repetition. */
struct results_sample {
	/* What the workload counted (bench/counters.h names each counter);
	 * its latency pointer is not used: the case holds the histogram. */
	struct wl_counters cnt;
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

/* The other host of a two-host case (`run --peer`); this document's host
 * ran `run`. Pointers are borrowed until results_add() returns. */
struct results_peer {
	const char *address; /* "10.0.0.2:7478", "[fd00::2]:7478" */
	const char *mode;    /* forward, reverse, bidir */
	const struct env_host *host;
	unsigned workers;
	const struct pin_place *placement; /* workers entries */
};

/* One case: identity, placement and samples (which carry the error
 * counters). Pointers are borrowed until results_add() returns. */
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
	double tsc_hz;
	/* Names of the samples' first n_rejects cnt.rejects[] counters. */
	const char *const *reject_names;
	size_t n_rejects;
	int is_verified;
	const struct hist *latency; /* of the timed repetitions, or NULL */
	/* The SAs of each pair and direction (flow pattern), or NULL. */
	const struct wl_sa_desc *sa;
	const struct results_peer *peer; /* NULL on one host */
};

/* New document, started now. Caller frees with results_free(). */
NCB_MUST_CHECK int results_new(struct results_doc **out,
			       const struct env_host *host,
			       const struct env_libs *libs);
void results_free(struct results_doc *d);

/* Sets the document's host.label (a name the user gives this host, e.g.
 * its inventory name; borrowed, copied). */
void results_host_label(struct results_doc *d, const char *label);

/* The resolved options, into "config": set a string, a real quantity
 * (seconds, percent), an integer (counts, sizes) or a boolean; push
 * appends a string or an integer to the array named key. Integers are
 * written as JSON integers, so "threads": [1], never [1.0]. */
void results_config_str(struct results_doc *d, const char *key,
			const char *val);
void results_config_num(struct results_doc *d, const char *key, double val);
void results_config_int(struct results_doc *d, const char *key, long long val);
void results_config_bool(struct results_doc *d, const char *key, int val);
void results_config_push_str(struct results_doc *d, const char *key,
			     const char *val);
void results_config_push_int(struct results_doc *d, const char *key,
			     long long val);
/* A string or an integer into the object named obj of config (made
 * when missing). */
void results_config_sub_str(struct results_doc *d, const char *obj,
			    const char *key, const char *val);
void results_config_sub_int(struct results_doc *d, const char *obj,
			    const char *key, long long val);
/* From here on, config writes go to a new object appended to the
 * config's "groups" list (one per suite group). */
void results_config_begin_group(struct results_doc *d);

/* Appends one case with its figures (bench/summary.h); sum, if not
 * NULL, receives them too, for the terminal table. 0, -E2BIG (more
 * samples or processes than a summary holds) or -ENOMEM. */
NCB_MUST_CHECK int results_add(struct results_doc *d,
			       const struct results_case *c,
			       struct summary *sum);

/* One repetition as a document's samples[] entry shows it, less what
 * the case judges over all its repetitions (disturbed, disturbed_by,
 * dropped): for the live stream (bench/stream.h). A new reference
 * (caller decrefs), or NULL when out of memory. */
json_t *results_rep_json(const struct results_sample *s);

/* The result object results_add() appended last, exactly as the document
 * holds it, or NULL: borrowed, valid until results_free(). */
json_t *results_last(const struct results_doc *d);

/* A top-level member of the document (tool, host, libraries, started,
 * config), or NULL: borrowed, valid until results_free(). */
json_t *results_member(const struct results_doc *d, const char *key);

/* Writes the document to path through out_open()/out_commit() (only a
 * regular file or nothing is replaced, symlinks are followed, the file
 * appears whole), with "complete" set as given. 0 or -errno, e filled. */
NCB_MUST_CHECK int results_write(struct results_doc *d, const char *path,
				 int is_complete, struct ncb_err *e);

/* Version of the Jansson library the document is written with (static
 * string): this file is the one of bench/ that links it. */
const char *results_jansson_version(void);

#endif
