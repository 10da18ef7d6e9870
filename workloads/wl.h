/* Workload module interface: one const ops struct per workload, listed in
 * registry.c. bench/ drives it: setup once per case, warm-up and timed
 * repetitions through run_rep, teardown. */
#ifndef NCB_WORKLOADS_WL_H
#define NCB_WORKLOADS_WL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

struct pin_topo;
struct pin_place;

enum { WL_ABI = 1 };

enum wl_flags {
	WL_F_NET = 1u << 0,    /* uses sockets */
	WL_F_VERIFY = 1u << 1, /* honours --verify */
};

enum wl_opt_type {
	WL_OPT_CHOICE, /* stored as unsigned index into choices */
	WL_OPT_UINT,
};

/* A workload-specific option (--name VALUE), stored at offset in the
 * workload's option struct. One table gives --help, defaults, parsing
 * and the resolved config of the result document. */
struct wl_opt {
	const char *name;
	enum wl_opt_type type;
	size_t offset;
	const char *def;
	const char *help;
	const char *const *choices; /* NULL-terminated, for WL_OPT_CHOICE */
};

/* One case as bench resolved it. Pointers are borrowed for the life of the
 * state made by setup. */
struct wl_case {
	const char *cipher;
	const char *backend;
	size_t size;          /* payload bytes per unit of work */
	unsigned threads;
	const int *cpus;      /* PU OS index per worker, threads entries */
	const struct pin_topo *topo;
	struct pin_place *placement; /* out: threads entries, filled by setup */
	/* Set by bench's SIGINT handler; run_rep returns -EINTR early. */
	const volatile sig_atomic_t *is_interrupted;
};

/* What one repetition did, summed over its workers. */
struct wl_counters {
	uint64_t bytes;      /* payload */
	uint64_t wire_bytes; /* payload + framing (tag, headers) */
	uint64_t packets;
	double seconds;      /* wall time, CLOCK_MONOTONIC */
	double cpu_seconds;  /* workers' thread CPU time */
	uint64_t cycles;     /* workers' cycles, when is_cycles_pmu */
	int is_cycles_pmu;
	uint64_t auth_fail, replay, drops, mismatch;
};

struct wl_ops {
	const char *name, *summary;
	unsigned abi;   /* WL_ABI */
	unsigned flags; /* enum wl_flags */
	const struct wl_opt *opts;
	size_t opts_count;
	size_t opts_size; /* bytes of the option struct */
	/* Builds threads, contexts and buffers. On error fills e and returns
	 * a negative errno; *state is then freed by setup itself. */
	int (*setup)(const struct wl_case *c, const void *opts, void **state,
		     struct ncb_err *e);
	/* One repetition of about `seconds`: no allocation, locks or printing
	 * inside. Returns 0, -EINTR if interrupted, or a negative errno. */
	int (*run_rep)(void *state, double seconds, struct wl_counters *out);
	/* Accepts a half-built state and NULL. */
	void (*teardown)(void *state);
};

/* Registry (registry.c). */
size_t wl_count(void);
const struct wl_ops *wl_at(size_t i);
const struct wl_ops *wl_find(const char *name);
/* Checks every entry (ABI, hooks, unique names); 0 or fills e. */
NCB_MUST_CHECK int wl_registry_check(struct ncb_err *e);

#endif
