/* Workload module interface: one const ops struct per workload, listed in
 * registry.c. bench/ drives it: setup once per case, warm-up and timed
 * repetitions through run_rep, teardown. */
#ifndef NCB_WORKLOADS_WL_H
#define NCB_WORKLOADS_WL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

struct capture;
struct framing_ops;
struct hist;
struct pin_topo;
struct pin_place;
struct wl_peer;

enum { WL_ABI = 1 };

enum wl_flags {
	WL_F_NET = 1u << 0,    /* uses sockets */
	WL_F_VERIFY = 1u << 1, /* honours --verify */
	WL_F_IMIX = 1u << 2,   /* honours --imix (a size mix per case) */
	WL_F_PEER = 1u << 3,   /* runs on two hosts (wl_case.peer) */
	WL_F_CAPTURE = 1u << 4, /* captures pair 0's packets (wl_case.capture) */
};


enum {
	WL_REJECTS_MAX = 8,
};


/* run --pcap (workloads with WL_F_CAPTURE): keep the first `count`
 * packets pair 0 sends, as sent, and hand them to write(ctx, cap) when
 * the case is torn down, however its run ended (workloads/capture.h).
 * The writer is bench's: it writes the file and keeps its own result in
 * ctx. */
struct wl_capture {
	unsigned count;
	void (*write)(void *ctx, const struct capture *cap);
	void *ctx;
};

/* One case as bench resolved it. Pointers are borrowed for the life of the
 * state made by setup. */
struct wl_case {
	const struct wl_ops *ops; /* the workload being run */
	const char *cipher;
	const char *backend;
	size_t size;          /* payload bytes per unit of work (mix: mean) */
	const uint16_t *mix;  /* --imix: sizes in sending order, or NULL */
	size_t mix_len;
	unsigned threads;     /* as the user counts them (pairs for esp) */
	unsigned workers;     /* threads * ops->workers_per_thread */
	const int *cpus;      /* PU OS index per worker, workers entries */
	const struct pin_topo *topo;
	struct pin_place *placement; /* out: workers entries, filled by setup */
	int is_verify;        /* --verify */
	/* Set by bench's SIGINT handler; run_rep returns -EINTR early. */
	const volatile sig_atomic_t *is_interrupted;
	/* The other host of a two-host case (workloads/peer.h), or NULL:
	 * then workers = threads * wl_peer_units(peer), the ends placed
	 * here. Only workloads with WL_F_PEER take one. */
	const struct wl_peer *peer;
	/* run --sa-file: the SAs' key material and identifiers come from
	 * this file (workloads/safile.h), not random; NULL: random. */
	const char *sa_file;
	/* run --pcap: what to capture and who writes it; NULL: nothing. */
	const struct wl_capture *capture;
};

/* What the other host's workers did in a repetition of a two-host case
 * (their CPU time is theirs: each host's cycles per byte are its own). */
struct wl_end_counters {
	int is_set;          /* a two-host case filled it */
	unsigned workers;
	double seconds;      /* its team's span, on its own clock */
	double cpu_seconds;
	uint64_t cycles;
	int is_cycles_pmu;
	uint64_t nivcsw;
	double canary_ns;
};

/* What one repetition did, summed over its workers. */
struct wl_counters {
	uint64_t bytes;      /* payload */
	uint64_t wire_bytes; /* payload + framing (tag, headers) */
	uint64_t packets;
	/* Wall time, CLOCK_MONOTONIC. On two hosts, the span of the ends
	 * that feed work in (senders, rr clients) on the host that runs
	 * them (with --bidir this one): one clock, never a difference of
	 * the two hosts' clocks. */
	double seconds;
	double cpu_seconds;  /* workers' thread CPU time (this host's) */
	/* The part of cpu_seconds of the workers on the receiving side (flow
	 * receivers, rr servers; team_hooks.is_receiver); 0 where none ran. */
	double rx_cpu_seconds;
	uint64_t cycles;     /* workers' cycles, when is_cycles_pmu */
	int is_cycles_pmu;
	/* auth_fail: the run's own packets that failed authentication;
	 * replay: refused by the replay window; rejected: other packets
	 * refused before they authenticated, which anyone may have sent;
	 * mismatch: authentic but wrong. drops: the run's own packets sent
	 * but not accepted; drops_kernel: datagrams the kernel dropped at a
	 * receiving socket; send_failed: packets whose send failed. */
	uint64_t auth_fail, replay, rejected, drops, mismatch;
	uint64_t drops_kernel, send_failed;
	uint64_t tx_packets;    /* sent, where a receiver counts packets */
	/* Authentic datagrams of an earlier repetition (a sequence number
	 * below the first its sender used in this one): not in packets or
	 * bytes, their own repetition counted them as drops. */
	uint64_t late;
	uint64_t crypto_ticks;  /* TSC ticks inside seal/open calls */
	/* System calls of the senders' and the receivers' I/O engines
	 * (io/net.h net_tx_syscalls, net_rx_syscalls): per packet sent and
	 * received in the document. */
	uint64_t syscalls_tx, syscalls_rx;
	/* Filled by the team (io/noise.h): involuntary context switches of
	 * all workers, and the slowest worker's canary in ns (0: not run). */
	uint64_t nivcsw;
	double canary_ns;
	uint64_t rejects[WL_REJECTS_MAX]; /* by ops->reject_names */
	/* Latency of each unit of work in ns (request/response workloads),
	 * owned by the state and valid until the next run_rep; or NULL. */
	const struct hist *latency;
	/* Two hosts: the other host's workers. */
	struct wl_end_counters peer;
};

/* The SAs of each pair and direction of a case (the flow pattern's
 * --sas), for the result document: plain data. count 0: not told. */
struct wl_sa_desc {
	unsigned count;      /* SAs per pair and direction */
	char dist[24];       /* the sender's spread, as --sa-dist spells it */
	double bytes_per_sa; /* heap bytes of one database over its SAs */
	double create_per_s; /* SAs it made a second, key schedules included */
};

/* How a case ran, for the result document; strings live in the state. */
struct wl_desc {
	const char *transport, *io, *framing;
	const char *io_tx, *io_rx; /* what each engine side uses */
	struct wl_sa_desc sa;
};

struct wl_ops {
	const char *name, *summary;
	unsigned abi;   /* WL_ABI */
	unsigned flags; /* enum wl_flags */
	/* A traffic pattern's workload (workloads/pattern.h): the pattern's
	 * name and the framing it runs; NULL for others. */
	const char *pattern;
	const struct framing_ops *framing;
	const struct ncb_opt *opts;
	size_t opts_count;
	size_t opts_size; /* bytes of the option struct */
	unsigned workers_per_thread; /* 0 means 1; esp: sender + receiver */
	const char *const *reject_names; /* counters of wl_counters.rejects */
	size_t n_rejects;
	/* Optional: refuses a case before any case runs (exit 2). */
	int (*check)(const struct wl_case *c, const void *opts,
		     struct ncb_err *e);
	/* Optional: fills d after setup. */
	void (*describe)(void *state, struct wl_desc *d);
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

/* Registry (registry.c): the workloads -w names, in the order `list`
 * shows them. A traffic pattern's entry runs its default framing. */
size_t wl_count(void);
const struct wl_ops *wl_at(size_t i);
const struct wl_ops *wl_find(const char *name);
/* The workload of the options given: for a traffic pattern, the one of
 * the framing --framing names (or rr's --transport, its older
 * spelling), whose options then apply. value(ctx, name) is what the user
 * gave for option `name`, or NULL. Other workloads stay as they are.
 * 0, or -EINVAL with e naming the option. */
NCB_MUST_CHECK int wl_resolve(const struct wl_ops **w,
			      const char *(*value)(void *ctx, const char *name),
			      void *ctx, struct ncb_err *e);
/* Fills e with the refusal of option --name for workload w: one line
 * saying which workloads and framings take it. Returns -EINVAL. */
int wl_opt_refuse(const struct wl_ops *w, const char *name,
		  struct ncb_err *e);
/* Checks every framing (crypto/framing.h) and every entry, patterns'
 * included (ABI, hooks, unique names, options the parser can reach); 0
 * or fills e. */
NCB_MUST_CHECK int wl_registry_check(struct ncb_err *e);

#endif
