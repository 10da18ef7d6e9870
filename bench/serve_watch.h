/* While a served case runs: a thread that raises `halt` when the run
 * host hangs up (its control connection closes: killed, or its machine
 * gone) or the server is stopping, so a repetition in progress ends
 * within workloads/team.h TEAM_POLL_MS rather than at its own end, and
 * the server is free for the next client within a few seconds. */
#ifndef NCB_BENCH_SERVE_WATCH_H
#define NCB_BENCH_SERVE_WATCH_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "io/ncb.h"

struct serve_watch {
	volatile sig_atomic_t halt;    /* the case's interrupt flag */
	volatile sig_atomic_t is_gone; /* raised for the run host's hang-up */
	int fd;
	const volatile sig_atomic_t *stopping;
	atomic_int quit;
	pthread_t thread;
	int is_started;
};

/* Watches socket fd (borrowed) and *stopping. 0 or a negative errno with
 * e. */
NCB_MUST_CHECK int serve_watch_start(struct serve_watch *w, int fd,
				     const volatile sig_atomic_t *stopping,
				     struct ncb_err *e);
/* Ends the thread; a zeroed or never started w is fine. */
void serve_watch_stop(struct serve_watch *w);

#endif
