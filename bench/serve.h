/* `ncbench serve`: listens for `ncbench run --peer` and runs the other
 * end of each case it is sent, one test at a time. */
#ifndef NCB_BENCH_SERVE_H
#define NCB_BENCH_SERVE_H

/* argv[0] is "serve". Returns the exit status: 0 (stopped by SIGINT or
 * SIGTERM, or --once after a session that ran to its end), 1 (--once
 * after a failed session, or the socket failed), 2 (usage or input
 * error: bad option, a PSK file others may read). */
int serve_main(int argc, char **argv);

/* Asks the server to stop: it stops its children, reaps them and
 * returns. Async-signal-safe (main's SIGINT/SIGTERM handler). */
void serve_interrupt(void);

#endif
