/* The counters of a repetition (struct wl_counters) as one table: each
 * counter's name in the result document, where it is written there, and
 * how a case's repetitions add up. A new counter is a field in
 * workloads/wl.h and one line in counters.c. */
#ifndef NCB_BENCH_COUNTERS_H
#define NCB_BENCH_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

struct wl_counters;

enum counters_type {
	COUNTERS_U64, /* uint64_t, written as an integer */
	COUNTERS_F64, /* double, written as a number */
};

/* Where the document shows a counter. */
enum counters_place {
	COUNTERS_SAMPLE,         /* each samples[] entry */
	COUNTERS_SAMPLE_NONZERO, /* there, only when not 0 */
	COUNTERS_ERRORS,         /* the case's errors{}, over every repetition */
	COUNTERS_DERIVED,        /* only through the summary's figures */
};

struct counters_field {
	const char *name; /* in the document */
	size_t offset;    /* in struct wl_counters */
	enum counters_type type;
	enum counters_place place;
};

/* The table, in the order the document lists the counters. */
size_t counters_count(void);
const struct counters_field *counters_at(size_t i);

/* A counter's value as a double (either type). */
double counters_value(const struct wl_counters *c,
		      const struct counters_field *f);
/* Its value when it is a COUNTERS_U64 (0 otherwise). */
uint64_t counters_u64(const struct wl_counters *c,
		      const struct counters_field *f);

/* Adds every counter of the table and the first n_rejects per-reason
 * counters of c to t. The rest of wl_counters is not a sum and stays as
 * t had it: is_cycles_pmu, canary_ns (a slowest worker's time) and
 * latency (a histogram that the run merges itself). */
void counters_add(struct wl_counters *t, const struct wl_counters *c,
		  size_t n_rejects);

#endif
