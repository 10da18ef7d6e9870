/* What the reference loops of `make bench` (ref_aead.c, ref_etm.c) share
 * around their library calls: the pinning, a one-shot alarm that ends the
 * loop, the clock and the big-endian counter store. Static inline, so each
 * reference stays one file linked against the libraries alone, with no
 * harness code in it. Not for use outside bench/ref_*.c. */
#ifndef NCB_BENCH_REF_LOOP_H
#define NCB_BENCH_REF_LOOP_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* cpu_set_t, sched_setaffinity */
#endif
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* Set by SIGALRM: the loops run while it is 0. */
static volatile sig_atomic_t stop;

static inline void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Keeps this process on PU cpu alone. */
static inline void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Sets stop once secs seconds from now. */
static inline void arm_alarm(double secs)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	signal(SIGALRM, on_alarm);
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

#endif
