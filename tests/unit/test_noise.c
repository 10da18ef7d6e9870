/* Disturbance accounting: the /proc/stat and task stat parsers on known
 * texts (a command name with spaces and parentheses included), the
 * difference of two snapshots, every flag of the rule at and just past
 * its threshold, the canary, and a snapshot of the real /proc. With
 * NCBENCH_NOISE_LIVE=1 also a live check: a thread spins on PU 1 while a
 * child process busy-loops there, and both the other process's time and
 * the thread's involuntary context switches must show. */
#define _GNU_SOURCE /* pthread_setaffinity_np, RUSAGE_THREAD */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/cpustat.h"
#include "io/noise.h"
#include "io/noise_impl.h"
#include "tests/unit/helpers.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static const char stat_text[] =
	"cpu  9286 0 2435 92723 1956 0 127 1683 0 0\n"
	"cpu0 2964 0 910 49238 145 0 69 793 0 0\n"
	"cpu1 6322 5 1525 43484 1811 7 58 890 0 0\n"
	"cpu2 10 x 3 4 5 6 7 8\n"
	"cpu3 100 200 300 400 500 600 700\n"
	"cpu12 1 2 3 4 5 6 7 8 9 10\n"
	"intr 175932 0 0 0\n"
	"cpu7 1 1 1 1 1 1 1 1\n";

static void follow(struct noise_snap *s, const int *pus, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	memcpy(s->pu, pus, n * sizeof(*pus));
}

static void test_parse_stat(void)
{
	static struct noise_snap s;
	static const int pus[] = { 1, 3, 7, 12 };
	int is_end = 0;
	size_t found;

	follow(&s, pus, 4);
	found = noise_parse_stat(stat_text, strlen(stat_text), 100, &s, &is_end);
	/* cpu7 comes after "intr": not a per-CPU line any more. */
	t_check(found == 3 && is_end, "stat: 3 followed lines found (%zu), end seen", found);
	t_check(near(s.busy[0], (6322 + 5 + 1525) / 100.0) &&
			near(s.irq[0], 0.07) && near(s.softirq[0], 0.58) &&
			near(s.steal[0], 8.90),
		"stat: cpu1 busy %.2f irq %.2f softirq %.2f steal %.2f", s.busy[0],
		s.irq[0], s.softirq[0], s.steal[0]);
	t_check(near(s.busy[1], 6.00) && near(s.steal[1], 0) &&
			near(s.softirq[1], 7.00),
		"stat: cpu3 without a steal field reads steal 0");
	t_check(near(s.busy[3], 0.06) && near(s.steal[3], 0.08),
		"stat: cpu12 (two digits, extra fields)");
	t_check(s.busy[2] == 0, "stat: cpu7 after intr is not read");

	/* A line cut short and a last line without a newline. */
	follow(&s, pus, 4);
	is_end = 0;
	{
		static const char cut[] = "cpu1 1 2 3 4 5\ncpu3 1 2 3 4 5 6 7 8";

		found = noise_parse_stat(cut, strlen(cut), 50, &s, &is_end);
	}
	t_check(found == 1 && !is_end && near(s.busy[1], 0.12) &&
			near(s.steal[1], 0.16),
		"stat: short line skipped, unterminated last line read (%zu)",
		found);
	/* The malformed cpu2 line is skipped, not half read. */
	{
		static const int two[] = { 2 };

		follow(&s, two, 1);
		found = noise_parse_stat(stat_text, strlen(stat_text), 100, &s,
					 NULL);
		t_check(found == 0 && s.busy[0] == 0, "stat: cpu2 with a letter skipped");
	}
	follow(&s, pus, 4);
	found = noise_parse_stat(stat_text, strlen(stat_text), 0, &s, NULL);
	t_check(found == 0, "stat: hz 0 reads nothing");
	{
		static const char big[] = "cpu99999999999999999999999 1 2 3 4 5 6 7\n";

		found = noise_parse_stat(big, strlen(big), 100, &s, NULL);
	}
	t_check(found == 0, "stat: an overflowing CPU number is skipped");
}

/* A task stat line with the given command name, utime, stime and last
 * PU; the other fields as a real line has them (some negative). */
static size_t task_line(char *buf, size_t max, const char *comm,
			unsigned long long ut, unsigned long long st, int pu)
{
	int n = snprintf(buf, max,
			 "4242 (%s) R 4200 4200 4100 0 -1 4194304 99 0 0 0 "
			 "%llu %llu 0 0 20 0 3 0 53911 3133440 413 "
			 "18446744073709551615 94523332112384 94523332132265 "
			 "140736050459856 0 0 0 0 0 0 0 0 0 17 %d 0 0 0 0 0 "
			 "94523332148272 94523332149888 94524392488960 "
			 "140736050465406 140736050465426 140736050465426 "
			 "140736050466795 0\n",
			 comm, ut, st, pu);

	return (size_t)n;
}

static void test_parse_task(void)
{
	static const struct {
		const char *comm;
	} comms[] = {
		{ "ncbench" }, { "a) b (c" }, { ")" }, { "(" }, { "x y z" },
		{ "" }, { ") R 1 2 3 4 5 6 7 8 9 10 11 12 13 14" },
	};
	char buf[1024];
	struct noise_task task;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(comms); i++) {
		size_t len = task_line(buf, sizeof(buf), comms[i].comm, 17, 5,
				       1);
		int rc = noise_parse_task_stat(buf, len, &task);

		t_check(rc == 0 && task.ticks == 22 && task.pu == 1,
			"task: comm \"%s\": rc %d ticks %llu pu %d", comms[i].comm,
			rc, task.ticks, task.pu);
	}
	{
		size_t len = task_line(buf, sizeof(buf), "w", 1000000, 1, 1023);

		t_check(noise_parse_task_stat(buf, len, &task) == 0 &&
				task.ticks == 1000001 && task.pu == 1023,
			"task: large times, PU 1023");
	}
	/* Cut before field 39, no parenthesis, a letter in a number. */
	{
		size_t len = task_line(buf, sizeof(buf), "w", 1, 1, 1);
		const char *s39 = strstr(buf, " 17 1 ");

		t_check(s39 && noise_parse_task_stat(buf, (size_t)(s39 - buf) + 4,
						      &task) == -EINVAL,
			"task: line cut before the processor field");
		t_check(noise_parse_task_stat(buf, len, &task) == 0,
			"task: the same line whole");
	}
	t_check(noise_parse_task_stat("4242 ncbench R 1 2 3", 20, &task) ==
			-EINVAL,
		"task: no parenthesis");
	{
		size_t len = task_line(buf, sizeof(buf), "w", 1, 1, 1);
		char *p = strstr(buf, ") R 4200");

		p[5] = 'x';
		t_check(noise_parse_task_stat(buf, len, &task) == -EINVAL,
			"task: a letter inside a number field");
	}
	t_check(noise_parse_task_stat("1 (a)", 5, &task) == -EINVAL,
		"task: nothing after the name");
}

static void test_diff(void)
{
	static struct noise_snap a, b;
	static const int pus[] = { 0, 1 };
	struct noise_rep r = { .nivcsw = 7, .canary_ns = 3 };

	follow(&a, pus, 2);
	follow(&b, pus, 2);
	a.is_valid = b.is_valid = 1;
	a.busy[0] = 10, b.busy[0] = 10.5;
	a.busy[1] = 20, b.busy[1] = 20.25;
	a.steal[0] = 1, b.steal[0] = 1.01;
	a.steal[1] = 2, b.steal[1] = 2.02;
	a.irq[1] = 3, b.irq[1] = 3.5;
	a.softirq[0] = 4, b.softirq[0] = 4.125;
	a.self = 100, b.self = 100.5;
	noise_diff(&a, &b, &r);
	t_check(near(r.others_s, 0.25) && near(r.steal_s, 0.03) &&
			near(r.irq_s, 0.5) && near(r.softirq_s, 0.125),
		"diff: others %.3f steal %.3f irq %.3f softirq %.3f", r.others_s,
		r.steal_s, r.irq_s, r.softirq_s);
	t_check(r.nivcsw == 7 && r.canary_ns == 3, "diff: the rest left as it is");
	b.self = 101;
	noise_diff(&a, &b, &r);
	t_check(r.others_s == 0, "diff: own time above the PUs' busy time clamps to 0");
	b.pu[1] = 2;
	noise_diff(&a, &b, &r);
	t_check(r.steal_s == 0 && r.irq_s == 0, "diff: different PU sets give 0");
	b.pu[1] = 1;
	b.is_valid = 0;
	noise_diff(&a, &b, &r);
	t_check(r.steal_s == 0 && r.softirq_s == 0, "diff: an invalid snapshot gives 0");
}

static void test_judge(void)
{
	double tick = 1.0 / (double)sysconf(_SC_CLK_TCK);
	const struct {
		const char *name;
		double steal, others, canary;
		uint64_t nivcsw;
		double seconds;
		unsigned workers;
		size_t pus;
		double best;
		unsigned flags;
		double drift;
	} cases[] = {
		{ "quiet", 0, 0, 1000, 0, 1, 1, 1, 1000, 0, 0 },
		{ "steal at 2%", 0.02, 0, 0, 0, 1, 1, 1, 0, 0, 0 },
		{ "steal past 2%", 0.0201, 0, 0, 0, 1, 1, 1, 0, NOISE_STEAL, 0 },
		{ "steal at 2%, 2 PUs", 0.02, 0, 0, 0, 0.5, 2, 2, 0, 0, 0 },
		{ "steal past 2%, 2 PUs", 0.021, 0, 0, 0, 0.5, 2, 2, 0, NOISE_STEAL, 0 },
		{ "steal past 2% but one tick", 0.01, 0, 0, 0, 0.3, 1, 1, 0, 0, 0 },
		{ "others at 5%", 0, 0.05, 0, 0, 1, 1, 1, 0, 0, 0 },
		{ "others past 5%", 0, 0.0501, 0, 0, 1, 1, 1, 0, NOISE_OTHERS, 0 },
		{ "others past 5%, under 2 ticks", 0, 2 * tick * 0.99, 0, 0,
		  0.1 * tick / 0.01, 1, 1, 0, 0, 0 },
		{ "others past 5%, at 2 ticks", 0, 2 * tick, 0, 0,
		  0.1 * tick / 0.01, 1, 1, 0, NOISE_OTHERS, 0 },
		{ "nivcsw at 100/worker-s", 0, 0, 0, 100, 0.5, 2, 2, 0, 0, 0 },
		{ "nivcsw past 100/worker-s", 0, 0, 0, 101, 0.5, 2, 2, 0, NOISE_NIVCSW, 0 },
		{ "canary just under 10%", 0, 0, 1099, 0, 1, 1, 1, 1000, 0, 0.099 },
		{ "canary past 10%", 0, 0, 1101, 0, 1, 1, 1, 1000, NOISE_CANARY, 0.101 },
		{ "canary faster than best", 0, 0, 900, 0, 1, 1, 1, 1000, 0, 0 },
		{ "canary, no best yet", 0, 0, 5000, 0, 1, 1, 1, 0, 0, 0 },
		{ "canary not run", 0, 0, 0, 0, 1, 1, 1, 1000, 0, 0 },
		{ "no time: no shares", 1, 1, 0, 100, 0, 1, 1, 0, 0, 0 },
		{ "no workers, no PUs", 1, 1, 0, 100, 1, 0, 0, 0, 0, 0 },
		{ "everything", 0.5, 0.5, 2000, 200, 1, 1, 1, 1000,
		  NOISE_STEAL | NOISE_OTHERS | NOISE_NIVCSW | NOISE_CANARY, 1 },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct noise_rep r = {
			.steal_s = cases[i].steal,
			.others_s = cases[i].others,
			.canary_ns = cases[i].canary,
			.nivcsw = cases[i].nivcsw,
			.flags = 0xff,
		};
		unsigned f = noise_judge(&r, cases[i].seconds, cases[i].workers,
					 cases[i].pus, cases[i].best);

		t_check(f == cases[i].flags && r.flags == f &&
				fabs(r.canary_drift - cases[i].drift) < 1e-9,
			"judge %s: flags %#x (want %#x), drift %.4f (want %.4f)",
			cases[i].name, f, cases[i].flags, r.canary_drift,
			cases[i].drift);
	}
	t_check(!strcmp(noise_flag_name(0), "steal") &&
			!strcmp(noise_flag_name(1), "others") &&
			!strcmp(noise_flag_name(2), "nivcsw") &&
			!strcmp(noise_flag_name(3), "canary") &&
			!strcmp(noise_flag_name(NOISE_FLAGS), "?"),
		"flag names");
}

static void test_real(void)
{
	static struct noise_snap s;
	static const int pu0[] = { 0, 0, -1 };
	uint64_t c0 = noise_canary_ns(), c1 = noise_canary_ns();

	/* Not a speed check: it runs, and ends within a second. */
	t_check(c0 > 0 && c0 < 1000000000u && c1 > 0 && c1 < 1000000000u,
		"canary: %llu and %llu ns", (unsigned long long)c0,
		(unsigned long long)c1);
	noise_snap(&s, pu0, 3);
	t_check(s.is_valid && s.n == 1 && s.pu[0] == 0 && s.busy[0] > 0 &&
			s.self >= 0,
		"real snapshot of PU 0 (given twice and -1): valid %d n %zu busy %.2f self %.2f",
		s.is_valid, s.n, s.busy[0], s.self);
}

/* The live check. */
struct spin {
	double seconds;
	uint64_t nivcsw, canary_ns[2];
	/* The thread lives on until the second snapshot, as a worker does:
	 * an ended task's time is not in /proc/self/task any more. */
	pthread_barrier_t spun, snapped;
};

static uint64_t thread_nivcsw(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : (uint64_t)ru.ru_nivcsw;
}

static int pin(pthread_t th, int pu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(pu, &set);
	return pthread_setaffinity_np(th, sizeof(set), &set);
}

static void *spin_main(void *arg)
{
	struct spin *sp = arg;
	uint64_t end, n0;

	if (pin(pthread_self(), 1))
		goto out;
	sp->canary_ns[0] = noise_canary_ns();
	n0 = thread_nivcsw();
	end = cpustat_mono_ns() + (uint64_t)(sp->seconds * 1e9);
	while (cpustat_mono_ns() < end)
		;
	sp->nivcsw = thread_nivcsw() - n0;
	sp->canary_ns[1] = noise_canary_ns();
out:
	pthread_barrier_wait(&sp->spun);
	pthread_barrier_wait(&sp->snapped);
	return NULL;
}

/* One repetition-like span on PU 1, with or without a busy child there. */
static void live_span(int is_busy)
{
	static struct noise_snap a, b;
	static const int pu1[] = { 1 };
	struct spin sp = { .seconds = 0.3 };
	struct noise_rep r = { 0 };
	pid_t child = 0;
	pthread_t th;

	if (is_busy) {
		child = fork();
		if (child == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(1, &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (;;)
				__asm__ volatile("");
		}
		usleep(20000);
	}
	pthread_barrier_init(&sp.spun, NULL, 2);
	pthread_barrier_init(&sp.snapped, NULL, 2);
	noise_snap(&a, pu1, 1);
	if (pthread_create(&th, NULL, spin_main, &sp) == 0) {
		pthread_barrier_wait(&sp.spun);
		noise_snap(&b, pu1, 1);
		pthread_barrier_wait(&sp.snapped);
		pthread_join(th, NULL);
	} else {
		noise_snap(&b, pu1, 1);
	}
	pthread_barrier_destroy(&sp.spun);
	pthread_barrier_destroy(&sp.snapped);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	noise_diff(&a, &b, &r);
	r.nivcsw = sp.nivcsw;
	r.canary_ns = ((double)sp.canary_ns[0] + (double)sp.canary_ns[1]) / 2;
	noise_judge(&r, sp.seconds, 1, 1, 0);
	printf("live %s: busy %.2f s, self %.2f s, others %.2f s, steal %.3f s, "
	       "irq %.3f s, softirq %.3f s, nivcsw %llu, canary %.0f ns, flags %#x\n",
	       is_busy ? "with a busy child" : "quiet", b.busy[0] - a.busy[0],
	       b.self - a.self, r.others_s, r.steal_s, r.irq_s, r.softirq_s,
	       (unsigned long long)r.nivcsw, r.canary_ns, r.flags);
	if (is_busy)
		t_check(a.is_valid && b.is_valid && r.others_s > 0 &&
				r.nivcsw > 0 &&
				(r.flags & (NOISE_OTHERS | NOISE_NIVCSW)) ==
					(NOISE_OTHERS | NOISE_NIVCSW),
			"live: a busy child on PU 1 shows as others (%.2f s) and nivcsw (%llu)",
			r.others_s, (unsigned long long)r.nivcsw);
}

int main(void)
{
	const char *live = getenv("NCBENCH_NOISE_LIVE");

	test_parse_stat();
	test_parse_task();
	test_diff();
	test_judge();
	test_real();
	if (live && !strcmp(live, "1")) {
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
			fprintf(stderr, "live check needs PU 1\n");
		} else {
			live_span(0);
			live_span(1);
		}
	}
	return t_done("test_noise");
}
