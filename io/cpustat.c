/* Clocks, /proc/stat and cycle counters. Everything here is called outside
 * a repetition's loop: before and after it. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC 1
#endif

#include "io/cpustat.h"

static uint64_t read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cpustat_mono_ns(void)
{
	return read_clock(CLOCK_MONOTONIC);
}

uint64_t cpustat_thread_ns(void)
{
	return read_clock(CLOCK_THREAD_CPUTIME_ID);
}

int cpustat_sys_read(struct cpustat_sys *out)
{
	unsigned long long v[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		return -errno;
	/* cpu user nice system idle iowait irq softirq steal ... */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 7 || hz <= 0)
		return -EIO;
	out->user = (double)(v[0] + v[1]) / (double)hz;
	out->system = (double)v[2] / (double)hz;
	out->idle = (double)(v[3] + v[4]) / (double)hz;
	out->irq = (double)v[5] / (double)hz;
	out->softirq = (double)v[6] / (double)hz;
	return 0;
}

void cpustat_sys_diff(const struct cpustat_sys *a, const struct cpustat_sys *b,
		      struct cpustat_sys *out)
{
	out->user = b->user - a->user;
	out->system = b->system - a->system;
	out->softirq = b->softirq - a->softirq;
	out->irq = b->irq - a->irq;
	out->idle = b->idle - a->idle;
}

double cpustat_tsc_hz(void)
{
#ifdef HAVE_TSC
	static double hz;

	if (hz == 0) {
		uint64_t t0 = read_clock(CLOCK_MONOTONIC_RAW), c0 = __rdtsc();
		struct timespec d = { 0, 50 * 1000 * 1000 };
		uint64_t t1, c1;

		while (nanosleep(&d, &d) < 0 && errno == EINTR)
			;
		c1 = __rdtsc();
		t1 = read_clock(CLOCK_MONOTONIC_RAW);
		hz = (double)(c1 - c0) * 1e9 / (double)(t1 - t0);
	}
	return hz;
#else
	return 0;
#endif
}

int cpustat_cycles_open(void)
{
	struct perf_event_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_CPU_CYCLES;
	a.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return (int)fd;
}

uint64_t cpustat_cycles_read(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}
