/* Disturbance of a repetition: /proc/stat and ncbench's own task times
 * read between repetitions, the canary loop run by each worker around
 * one, and the rule that flags it. Nothing here runs inside a
 * repetition's loop. */
#define _GNU_SOURCE /* memrchr */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/cpustat.h"
#include "io/noise.h"
#include "io/noise_impl.h"

enum {
	STAT_CHUNK = 4096, /* a per-CPU line of /proc/stat is < 256 bytes */
	TASK_STAT_MAX = 2048, /* fields up to 39 fit with any comm */
	/* Fields of a cpuN line: user nice system idle iowait irq softirq
	 * steal; steal came with Linux 2.6.11 and reads 0 before. */
	STAT_FIELDS = 8,
	STAT_FIELDS_MIN = 7,
	/* Task stat fields, counted from 1 with field 3 the first after
	 * the command name (proc(5)). */
	TASK_UTIME = 14,
	TASK_STIME = 15,
	TASK_PROCESSOR = 39,
	/* Canary: rounds of the dependent chain below, about 0.5 ms on a
	 * 2.6 GHz core (measured: 8 cycles a round on a Xeon). */
	CANARY_ROUNDS = 165000,
};

/* The thresholds of NOISE_RULE. */
#define RULE_STEAL_SHARE 0.02
#define RULE_OTHERS_SHARE 0.05
#define RULE_OTHERS_TICKS 2.0
#define RULE_STEAL_TICKS 2.0
/* A pinned worker on a quiet PU is preempted 15-30 times a second here
 * (timer work, kworkers, the coordinating thread): harmless. Sharing the
 * PU with a busy loop gives 150-300. */
#define RULE_NIVCSW_PER_S 100.0
#define RULE_CANARY_DRIFT 0.10

/* Reads an unsigned decimal after blanks from [*p, end); 0, or -1 when
 * there is none or it overflows. */
static int take_u64(const char **p, const char *end, unsigned long long *v)
{
	const char *q = *p;
	unsigned long long x = 0;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q == end || *q < '0' || *q > '9')
		return -1;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		unsigned d = (unsigned)(*q - '0');

		if (x > (~0ull - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*p = q;
	*v = x;
	return 0;
}

/* Index of pu in the sorted s->pu, or -1. */
static long find_pu(const struct noise_snap *s, long pu)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->pu[mid] == pu)
			return (long)mid;
		if (s->pu[mid] < pu)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* One line: 1 if it was a followed PU's, 0 if not, -1 if it is not a
 * "cpu" line at all. */
static int parse_stat_line(const char *p, const char *end, double hz,
			   struct noise_snap *s)
{
	unsigned long long cpu, v[STAT_FIELDS] = { 0 };
	unsigned n = 0;
	long i;

	if (end - p < 3 || memcmp(p, "cpu", 3))
		return -1;
	p += 3;
	/* The aggregate "cpu " line has no number and is not wanted. */
	if (p == end || *p < '0' || *p > '9' || take_u64(&p, end, &cpu) ||
	    cpu > NOISE_PUS_MAX * 64ull)
		return 0;
	i = find_pu(s, (long)cpu);
	if (i < 0)
		return 0;
	while (n < STAT_FIELDS && take_u64(&p, end, &v[n]) == 0)
		n++;
	if (n < STAT_FIELDS_MIN)
		return 0;
	s->busy[i] = (double)(v[0] + v[1] + v[2]) / hz;
	s->irq[i] = (double)v[5] / hz;
	s->softirq[i] = (double)v[6] / hz;
	s->steal[i] = (double)v[7] / hz;
	return 1;
}

size_t noise_parse_stat(const char *text, size_t len, double hz,
			struct noise_snap *s, int *is_end)
{
	const char *p = text, *end = text + len;
	size_t found = 0;

	if (hz <= 0)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		int rc = parse_stat_line(p, eol, hz, s);

		if (rc < 0) {
			if (is_end)
				*is_end = 1;
			break;
		}
		found += (size_t)rc;
		p = nl ? nl + 1 : end;
	}
	return found;
}

int noise_parse_task_stat(const char *text, size_t len, struct noise_task *out)
{
	const char *end = text + len, *p = NULL;
	unsigned long long v, utime = 0, stime = 0;

	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q + 1;
	if (!p)
		return -EINVAL;
	/* Fields from 3 (state, a letter) to 39; each takes its blanks. */
	for (int field = 3; field <= TASK_PROCESSOR; field++) {
		if (field == 3) {
			while (p < end && *p == ' ')
				p++;
			if (p == end || *p == ' ' || *p == '\n')
				return -EINVAL;
			while (p < end && *p != ' ' && *p != '\n')
				p++;
			continue;
		}
		/* Fields 4..39 are decimal; some are signed. */
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '-' && field != TASK_UTIME &&
		    field != TASK_STIME && field != TASK_PROCESSOR)
			p++;
		if (take_u64(&p, end, &v))
			return -EINVAL;
		if (p < end && *p != ' ' && *p != '\n')
			return -EINVAL;
		if (field == TASK_UTIME)
			utime = v;
		else if (field == TASK_STIME)
			stime = v;
		else if (field == TASK_PROCESSOR && v > 0x7fffffff)
			return -EINVAL;
		if (field == TASK_PROCESSOR)
			out->pu = (int)v;
	}
	if (utime > ~0ull - stime)
		return -EINVAL;
	out->ticks = utime + stime;
	return 0;
}

/* Reads up to max bytes of an open file; the count, or -1. */
static ssize_t read_all(int fd, char *buf, size_t max)
{
	size_t have = 0;

	while (have < max) {
		ssize_t r = read(fd, buf + have, max - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		have += (size_t)r;
	}
	return (ssize_t)have;
}

/* The per-CPU lines of /proc/stat, read in chunks of whole lines: the
 * followed PUs' lines found, or -1. */
static long read_stat(struct noise_snap *s, double hz)
{
	char buf[STAT_CHUNK];
	size_t have = 0, found = 0;
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC), is_end = 0;

	if (fd < 0)
		return -1;
	while (!is_end) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - have);
		char *nl;
		size_t used;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return -1;
		}
		if (r == 0) {
			found += noise_parse_stat(buf, have, hz, s, &is_end);
			break;
		}
		have += (size_t)r;
		nl = memrchr(buf, '\n', have);
		/* A line longer than the buffer is past the per-CPU lines. */
		if (!nl)
			break;
		used = (size_t)(nl + 1 - buf);
		found += noise_parse_stat(buf, used, hz, s, &is_end);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	close(fd);
	return (long)found;
}

/* CPU seconds of this process's tasks last seen on a followed PU; 0 or
 * -1. A task that ends between two reads is missed; its time then
 * counts as others' (never below 0, see noise_diff). */
static int read_tasks(struct noise_snap *s, double hz)
{
	DIR *d = opendir("/proc/self/task");
	unsigned long long ticks = 0;
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[sizeof(de->d_name) + 8], buf[TASK_STAT_MAX];
		struct noise_task task;
		ssize_t len;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/stat", de->d_name);
		fd = openat(dirfd(d), path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read_all(fd, buf, sizeof(buf));
		close(fd);
		if (len <= 0 || noise_parse_task_stat(buf, (size_t)len, &task))
			continue;
		if (find_pu(s, task.pu) >= 0)
			ticks += task.ticks;
	}
	closedir(d);
	s->self = (double)ticks / hz;
	return 0;
}

/* Adds pu to the sorted, distinct s->pu. */
static void add_pu(struct noise_snap *s, int pu)
{
	size_t i = 0;

	if (pu < 0 || s->n == NOISE_PUS_MAX || find_pu(s, pu) >= 0)
		return;
	while (i < s->n && s->pu[i] < pu)
		i++;
	memmove(&s->pu[i + 1], &s->pu[i], (s->n - i) * sizeof(s->pu[0]));
	s->pu[i] = pu;
	s->n++;
}

void noise_snap(struct noise_snap *s, const int *pus, size_t n)
{
	long hz = sysconf(_SC_CLK_TCK);

	s->n = 0;
	s->self = 0;
	s->is_valid = 0;
	for (size_t i = 0; i < n; i++)
		add_pu(s, pus[i]);
	for (size_t i = 0; i < s->n; i++)
		s->busy[i] = s->steal[i] = s->irq[i] = s->softirq[i] = 0;
	if (hz <= 0 || read_stat(s, (double)hz) != (long)s->n ||
	    read_tasks(s, (double)hz) < 0)
		return;
	s->is_valid = 1;
}

void noise_diff(const struct noise_snap *a, const struct noise_snap *b,
		struct noise_rep *out)
{
	double busy = 0;

	out->steal_s = out->others_s = out->irq_s = out->softirq_s = 0;
	/* Two snapshots of different PU sets cannot be subtracted. */
	if (!a->is_valid || !b->is_valid || a->n != b->n ||
	    memcmp(a->pu, b->pu, a->n * sizeof(a->pu[0])))
		return;
	for (size_t i = 0; i < a->n; i++) {
		busy += b->busy[i] - a->busy[i];
		out->steal_s += b->steal[i] - a->steal[i];
		out->irq_s += b->irq[i] - a->irq[i];
		out->softirq_s += b->softirq[i] - a->softirq[i];
	}
	/* The PUs' busy time counts in ticks sampled by the timer, a
	 * task's time from its precise run time: they disagree by a tick
	 * or so either way, hence the clamp and the rule's minimum of two
	 * ticks. */
	out->others_s = busy - (b->self - a->self);
	if (out->others_s < 0)
		out->others_s = 0;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

enum { CANARY_AES_ROUNDS = 400000 }; /* 8 AESENC each: ~0.5 ms here */

/* Eight independent AESENC streams keep the core's AES unit busy: its
 * throughput, not a latency. A neighbour on the other hardware thread of
 * the same physical core (invisible in a VM: no steal, no other task on
 * this PU) slows exactly this unit. Measured here: AES-GCM through
 * OpenSSL switched between 18 and 9 Gbit/s for 0.2-1 s at a time, and
 * this loop ran 25% slower in the slow state (correlation 0.77 over
 * 150 windows of 20 ms), the integer chain 1% (0.16). */
__attribute__((target("aes,sse2"))) static uint64_t canary_aes(void)
{
	__m128i k = _mm_set1_epi32(0x3c6ef372);
	__m128i a = _mm_set1_epi32(1), b = _mm_set1_epi32(2);
	__m128i c = _mm_set1_epi32(3), d = _mm_set1_epi32(4);
	__m128i e = _mm_set1_epi32(5), f = _mm_set1_epi32(6);
	__m128i g = _mm_set1_epi32(7), h = _mm_set1_epi32(8);
	uint64_t t0, t1;

	t0 = cpustat_mono_ns();
	for (unsigned r = 0; r < CANARY_AES_ROUNDS; r++) {
		a = _mm_aesenc_si128(a, k);
		b = _mm_aesenc_si128(b, k);
		c = _mm_aesenc_si128(c, k);
		d = _mm_aesenc_si128(d, k);
		e = _mm_aesenc_si128(e, k);
		f = _mm_aesenc_si128(f, k);
		g = _mm_aesenc_si128(g, k);
		h = _mm_aesenc_si128(h, k);
		/* Kept in registers and kept at all. */
		__asm__ volatile("" : "+x"(a), "+x"(b), "+x"(c), "+x"(d),
				 "+x"(e), "+x"(f), "+x"(g), "+x"(h));
	}
	t1 = cpustat_mono_ns();
	return t1 > t0 ? t1 - t0 : 1;
}
#endif

static uint64_t canary_chain(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull, t0, t1;

	t0 = cpustat_mono_ns();
	/* xorshift64 then a multiply: every operation waits for the one
	 * before, so the time is the chain's latency, which neither the
	 * compiler (the empty asm hides x) nor the core can shorten. */
	for (unsigned i = 0; i < CANARY_ROUNDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		x *= 0xff51afd7ed558ccdull;
		__asm__ volatile("" : "+r"(x));
	}
	t1 = cpustat_mono_ns();
	return t1 > t0 ? t1 - t0 : 1;
}

uint64_t noise_canary_ns(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (__builtin_cpu_supports("aes"))
		return canary_aes();
#endif
	return canary_chain();
}

unsigned noise_judge(struct noise_rep *r, double seconds, unsigned workers,
		     size_t pus, double canary_best_ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	double pu_s = seconds * (double)pus;
	unsigned f = 0;

	r->canary_drift = 0;
	if (canary_best_ns > 0 && r->canary_ns > 0) {
		r->canary_drift = r->canary_ns / canary_best_ns - 1;
		if (r->canary_drift < 0)
			r->canary_drift = 0;
	}
	if (pu_s > 0) {
		/* Both count in clock ticks: one tick of 0.3 s is 3%. */
		if (r->steal_s / pu_s > RULE_STEAL_SHARE && hz > 0 &&
		    r->steal_s >= RULE_STEAL_TICKS / (double)hz)
			f |= NOISE_STEAL;
		if (r->others_s / pu_s > RULE_OTHERS_SHARE && hz > 0 &&
		    r->others_s >= RULE_OTHERS_TICKS / (double)hz)
			f |= NOISE_OTHERS;
	}
	if (workers > 0 && seconds > 0 &&
	    (double)r->nivcsw / ((double)workers * seconds) > RULE_NIVCSW_PER_S)
		f |= NOISE_NIVCSW;
	if (canary_best_ns > 0 && r->canary_drift > RULE_CANARY_DRIFT)
		f |= NOISE_CANARY;
	r->flags = f;
	return f;
}

const char *noise_flag_name(unsigned bit)
{
	static const char *const names[NOISE_FLAGS] = {
		"steal", "others", "nivcsw", "canary",
	};

	return bit < NOISE_FLAGS ? names[bit] : "?";
}
