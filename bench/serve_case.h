/* One connection to `ncbench serve`, in its own process: the handshake,
 * then either a whole session (hello, case, set-up, repetitions, end)
 * or, while another session runs, "busy". Each writes one line about it
 * on stderr. */
#ifndef NCB_BENCH_SERVE_CASE_H
#define NCB_BENCH_SERVE_CASE_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pin_topo;

/* How a connection's process ends (its exit status): the parent's --once
 * counts sessions that passed authentication and ran. */
enum serve_case_end {
	SERVE_CASE_OK = 0,      /* a session ran to its end */
	SERVE_CASE_FAILED = 1,  /* a session began and failed */
	SERVE_CASE_BUSY = 2,    /* authenticated, told busy */
	SERVE_CASE_REFUSED = 3, /* no session: handshake or hello failed */
};

struct serve_cfg {
	const uint8_t *psk;          /* CTL_PSK_LEN bytes */
	const struct pin_topo *topo;
	const int *cpus;             /* --cpus, or NULL: spread */
	size_t n_cpus;
	const char *dev;             /* --dev, or NULL */
	/* Set by SIGINT/SIGTERM (the parent stops its children so): every
	 * wait and repetition ends early. */
	const volatile sig_atomic_t *is_stopping;
	/* The one session slot, in memory shared by the parent and every
	 * connection's process: the pid of the process running a session,
	 * or 0. The parent frees it when that process ends. */
	_Atomic pid_t *slot;
};

/* Serves the connection fd (taken) from peer ("1.2.3.4:5678"): returns
 * its enum serve_case_end. */
int serve_case_run(int fd, const char *peer, const struct serve_cfg *cfg);

#endif
