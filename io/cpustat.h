/* Clocks and CPU accounting: monotonic and thread CPU time, system-wide
 * CPU time from /proc/stat, the TSC rate, and a per-thread cycle counter
 * from the PMU when the kernel offers one. */
#ifndef NCB_IO_CPUSTAT_H
#define NCB_IO_CPUSTAT_H

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "io/ncb.h"

/* System-wide CPU time in seconds, summed over all CPUs. */
struct cpustat_sys {
	double user;    /* user + nice */
	double system;
	double softirq; /* where kernel network receive work is charged */
	double irq;
	double idle;    /* idle + iowait */
};

uint64_t cpustat_mono_ns(void);
/* CPU time of the calling thread (user + system). */
uint64_t cpustat_thread_ns(void);

/* Reads the aggregate line of /proc/stat. 0 or a negative errno. */
NCB_MUST_CHECK int cpustat_sys_read(struct cpustat_sys *out);
/* b - a, field by field. */
void cpustat_sys_diff(const struct cpustat_sys *a, const struct cpustat_sys *b,
		      struct cpustat_sys *out);

/* A timestamp cheap enough to take around every batch in a hot loop: the
 * TSC where there is one (units of cpustat_tsc_hz()), else nanoseconds. */
static inline uint64_t cpustat_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	return cpustat_mono_ns();
#endif
}

/* TSC ticks per second, measured once against CLOCK_MONOTONIC_RAW and
 * cached (about 50 ms on first call); 0 where there is no TSC. */
double cpustat_tsc_hz(void);

/* Opens a cycle counter for the calling thread (user and kernel cycles).
 * Returns an fd or a negative errno (-ENOENT, -EOPNOTSUPP, -EACCES...)
 * when the PMU does not answer; callers then estimate from the TSC. */
int cpustat_cycles_open(void);
/* Current count of an open counter; 0 on a read error. */
uint64_t cpustat_cycles_read(int fd);

#endif
