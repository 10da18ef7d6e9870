/* The run host's side of a two-host case (`ncbench run --peer`): each
 * case process opens its own session with `ncbench serve`, checks the
 * case against the peer's capabilities before sending it, and drives the
 * repetitions (bench/session.h). */
#ifndef NCB_BENCH_RUN_PEER_H
#define NCB_BENCH_RUN_PEER_H

#include <signal.h>
#include <stdint.h>

#include "bench/env.h"
#include "bench/opts.h"
#include "bench/session.h"
#include "io/ncb.h"
#include "io/pin.h"

struct wl_peer;

enum { RUN_PEER_WORKERS_MAX = 2 * OPTS_THREADS_MAX };

struct run_peer_cfg {
	const char *name;  /* --peer as given, for messages */
	const char *host;  /* its host and port */
	unsigned port;
	const uint8_t *psk; /* CTL_PSK_LEN bytes, borrowed */
	const volatile sig_atomic_t *is_interrupted;
	const struct env_host *self; /* this host, for the hello */
	const char *dev;   /* --dev: raw Ethernet toward the peer, or NULL */
};

/* The other host of a case, for the document. Plain data: it crosses
 * from a case's process in shared memory. */
struct run_peer_info {
	int is_set;
	char address[SESSION_ADDR]; /* the control connection's peer */
	unsigned mode;              /* enum wl_peer_mode */
	struct env_host host;
	unsigned workers;
	struct pin_place place[RUN_PEER_WORKERS_MAX];
};

/* Connects, authenticates, swaps hellos, checks the case's workload,
 * backend, algorithm, framing and engine against the peer's
 * capabilities, sends the case and waits for its acceptance; fills p
 * (the case's wl_peer, its ctx the session) and info's address, mode and
 * host. *out: free with run_peer_close or run_peer_fail.
 * Returns 0, or with e filled: -EACCES (authentication failed), -EBUSY
 * (the peer runs another test), -EINVAL (the peer lacks something or
 * refused the case): the user's to fix (exit 2); another negative errno
 * for the network or a peer that failed. */
NCB_MUST_CHECK int run_peer_open(struct session **out,
				 const struct run_peer_cfg *cfg,
				 const struct session_case *sc,
				 const char *framing, const char *engine,
				 struct wl_peer *p, struct run_peer_info *info,
				 struct ncb_err *e);

/* After this host's set-up: the peer's "ready" with `workers` workers;
 * fills info's workers and placement. */
NCB_MUST_CHECK int run_peer_ready(struct session *s, unsigned workers,
				  struct run_peer_info *info,
				  struct ncb_err *e);

/* Before each repetition (the warm-up included). */
NCB_MUST_CHECK int run_peer_rep(struct session *s, double seconds,
				int is_warmup, struct ncb_err *e);

/* The end of a case: "end", the peer's teardown, "bye"; frees s (NULL
 * is ok: returns 0). */
NCB_MUST_CHECK int run_peer_close(struct session *s, struct ncb_err *e);

/* The case failed here (why: one line): tells the peer, frees s. */
void run_peer_fail(struct session *s, const char *why);

#endif
