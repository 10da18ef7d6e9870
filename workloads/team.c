/* Worker team: threads are created once per case, pinned with hwloc, and
 * released for each repetition by a barrier; the coordinating thread sleeps
 * for the duration and raises a stop flag that workers poll with a relaxed
 * load, the cheapest check a loop can make. Drainers (receivers) have a
 * second flag, raised once the others have returned. */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "io/cpustat.h"
#include "io/noise.h"
#include "io/pin.h"
#include "workloads/team.h"
#include "workloads/wl.h"

struct member {
	struct team *team;
	void *arg;
	int pu;
	struct pin_place place;
	pthread_t thread;
	int is_started;
	int is_drainer;
	int is_receiver;
	int rc;
	struct ncb_err err;
	int cycles_fd;
	/* Written by the worker, read after the done barrier. */
	uint64_t t0, t1, cpu_ns, cycles;
	uint64_t nivcsw, canary_ns[2]; /* canaries before and after */
};

struct team {
	const struct team_hooks *h;
	const struct pin_topo *topo;
	const volatile sig_atomic_t *is_interrupted;
	unsigned n;
	/* Start-up handshake: workers report ready, then learn whether the
	 * whole team came up (is_go) or must quit. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned ready_count;
	int is_decided, is_go;
	pthread_barrier_t start, done;
	atomic_int stop[2]; /* [1]: drainers' */
	atomic_int quit;
	/* Workers other than drainers still in run; workers that have
	 * begun this repetition's measured span. Guarded by lock. */
	unsigned running, n_feeders, entered;
	struct member *m;
};

/* Involuntary context switches of the calling thread so far. */
static uint64_t thread_nivcsw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) < 0)
		return 0;
	return (uint64_t)ru.ru_nivcsw;
}

static void *worker_main(void *arg)
{
	struct member *m = arg;
	struct team *t = m->team;

	m->cycles_fd = -1;
	m->rc = pin_worker(t->topo, m->pu, &m->place);
	if (m->rc < 0)
		ncb_errf(&m->err, m->rc, "cannot pin a worker to PU %d", m->pu);
	else
		m->rc = t->h->prepare(m->arg, &m->err);
	if (m->rc == 0)
		m->cycles_fd = cpustat_cycles_open();
	pthread_mutex_lock(&t->lock);
	t->ready_count++;
	pthread_cond_broadcast(&t->cond);
	while (!t->is_decided)
		pthread_cond_wait(&t->cond, &t->lock);
	pthread_mutex_unlock(&t->lock);
	while (t->is_go) {
		uint64_t c0 = 0, cpu0, nivcsw0;

		pthread_barrier_wait(&t->start);
		if (atomic_load(&t->quit))
			break;
		/* The canaries and context switch counts bracket the
		 * measured span from outside: neither is time or CPU of
		 * the repetition. */
		m->canary_ns[0] = noise_canary_ns();
		nivcsw0 = thread_nivcsw();
		cpu0 = cpustat_thread_ns();
		if (m->cycles_fd >= 0)
			c0 = cpustat_cycles_read(m->cycles_fd);
		pthread_mutex_lock(&t->lock);
		t->entered++;
		pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
		m->t0 = cpustat_mono_ns();
		t->h->run(m->arg, &t->stop[m->is_drainer]);
		m->t1 = cpustat_mono_ns();
		if (!m->is_drainer) {
			pthread_mutex_lock(&t->lock);
			if (--t->running == 0)
				pthread_cond_broadcast(&t->cond);
			pthread_mutex_unlock(&t->lock);
		}
		if (m->cycles_fd >= 0)
			m->cycles = cpustat_cycles_read(m->cycles_fd) - c0;
		m->cpu_ns = cpustat_thread_ns() - cpu0;
		m->nivcsw = thread_nivcsw() - nivcsw0;
		m->canary_ns[1] = noise_canary_ns();
		pthread_barrier_wait(&t->done);
	}
	if (m->cycles_fd >= 0)
		close(m->cycles_fd);
	t->h->release(m->arg);
	/* Per-packet crypto calls left key words in frames below this
	 * one, and glibc hands this stack to the next thread as it is. */
	aead_wipe_stack();
	return NULL;
}

void team_free(struct team *t)
{
	if (!t)
		return;
	/* A running team waits at the start barrier: release it with quit
	 * set. A team that never went has left its loop already. */
	atomic_store(&t->quit, 1);
	if (t->is_go)
		pthread_barrier_wait(&t->start);
	for (unsigned i = 0; i < t->n; i++)
		if (t->m[i].is_started)
			pthread_join(t->m[i].thread, NULL);
	pthread_barrier_destroy(&t->start);
	pthread_barrier_destroy(&t->done);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	free(t->m);
	free(t);
}

int team_new(struct team **out, const struct wl_case *c,
	     const struct team_hooks *h, void *const *args, struct ncb_err *e)
{
	struct team *t = calloc(1, sizeof(*t));
	pthread_condattr_t ca;
	sigset_t all, old;
	unsigned started;
	int rc = 0;

	*out = NULL;
	if (!t)
		return ncb_errf(e, -ENOMEM, "out of memory");
	t->h = h;
	t->topo = c->topo;
	t->is_interrupted = c->is_interrupted;
	t->n = c->workers;
	t->m = calloc(t->n, sizeof(*t->m));
	if (!t->m) {
		free(t);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	pthread_mutex_init(&t->lock, NULL);
	/* Timed waits for the drain use the monotonic clock. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->cond, &ca);
	pthread_condattr_destroy(&ca);
	/* Barriers count the workers and the coordinating thread. */
	pthread_barrier_init(&t->start, NULL, t->n + 1);
	pthread_barrier_init(&t->done, NULL, t->n + 1);

	/* Workers inherit a full signal mask, so SIGINT reaches the
	 * coordinating thread and cuts its sleep short. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; i < t->n; i++) {
		struct member *m = &t->m[i];

		m->team = t;
		m->arg = args[i];
		m->pu = c->cpus[i];
		m->is_drainer = h->is_drainer && h->is_drainer(args[i]);
		m->is_receiver = h->is_receiver && h->is_receiver(args[i]);
		t->n_feeders += !m->is_drainer;
		rc = -pthread_create(&m->thread, NULL, worker_main, m);
		if (rc < 0)
			break;
		m->is_started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		ncb_errf(e, rc, "cannot start worker threads");
	started = 0;
	for (unsigned i = 0; i < t->n; i++)
		started += (unsigned)t->m[i].is_started;
	pthread_mutex_lock(&t->lock);
	while (t->ready_count < started)
		pthread_cond_wait(&t->cond, &t->lock);
	for (unsigned i = 0; i < started; i++) {
		c->placement[i] = t->m[i].place;
		if (t->m[i].rc && !rc) {
			rc = t->m[i].rc;
			*e = t->m[i].err;
		}
	}
	t->is_go = rc == 0;
	t->is_decided = 1;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	if (rc < 0) {
		team_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* Sleeps until deadline (CLOCK_MONOTONIC ns) unless interrupted: in
 * slices of TEAM_POLL_MS, since the flag may be raised by another
 * thread (a two-host server whose run host left), not only by a signal
 * that cuts the sleep short. */
static int sleep_until(struct team *t, uint64_t deadline)
{
	for (;;) {
		uint64_t now = cpustat_mono_ns(), next;
		struct timespec ts;

		if (t->is_interrupted && *t->is_interrupted)
			return -EINTR;
		if (now >= deadline)
			return 0;
		next = now + TEAM_POLL_MS * 1000000ull;
		if (next > deadline)
			next = deadline;
		ts = (struct timespec){ .tv_sec = (time_t)(next / 1000000000u),
					.tv_nsec = (long)(next % 1000000000u) };
		(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

/* Waits until every worker has begun its measured span, at most
 * TEAM_START_MS: on a machine whose PUs other processes keep busy a
 * worker may get its PU only after a short repetition would be over,
 * and would then find the stop raised before doing any work. */
static void wait_entered(struct team *t)
{
	uint64_t end = cpustat_mono_ns() + TEAM_START_MS * 1000000ull;
	struct timespec ts = {
		.tv_sec = (time_t)(end / 1000000000u),
		.tv_nsec = (long)(end % 1000000000u),
	};

	pthread_mutex_lock(&t->lock);
	while (t->entered < t->n &&
	       !(t->is_interrupted && *t->is_interrupted) &&
	       pthread_cond_timedwait(&t->cond, &t->lock, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&t->lock);
}

/* Raises the drainers' stop once every other worker has returned from
 * run, or at the drain deadline. */
static void stop_drainers(struct team *t)
{
	uint64_t end = cpustat_mono_ns() + TEAM_DRAIN_MS * 1000000ull;
	struct timespec ts = {
		.tv_sec = (time_t)(end / 1000000000u),
		.tv_nsec = (long)(end % 1000000000u),
	};

	pthread_mutex_lock(&t->lock);
	while (t->running > 0 &&
	       pthread_cond_timedwait(&t->cond, &t->lock, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&t->lock);
	atomic_store(&t->stop[1], 1);
}

int team_rep(struct team *t, double seconds, struct wl_counters *out)
{
	return team_rep_sync(t, seconds, NULL, NULL, out);
}

int team_rep_sync(struct team *t, double seconds, int (*sync)(void *ctx),
		  void *ctx, struct wl_counters *out)
{
	uint64_t first = UINT64_MAX, last = 0;
	int rc;

	atomic_store(&t->stop[0], 0);
	atomic_store(&t->stop[1], 0);
	t->running = t->n_feeders; /* no worker runs before the barrier */
	t->entered = 0;
	pthread_barrier_wait(&t->start);
	wait_entered(t);
	rc = sleep_until(t, cpustat_mono_ns() + (uint64_t)(seconds * 1e9));
	atomic_store(&t->stop[0], 1);
	/* Runs also when interrupted: the step must let the drainers end
	 * (sync knows the interrupt flag too). */
	if (sync) {
		int s = sync(ctx);

		rc = rc ? rc : s;
	}
	stop_drainers(t);
	pthread_barrier_wait(&t->done);

	out->cpu_seconds = 0;
	out->rx_cpu_seconds = 0;
	out->cycles = 0;
	out->is_cycles_pmu = 1;
	out->nivcsw = 0;
	out->canary_ns = 0;
	for (unsigned i = 0; i < t->n; i++) {
		struct member *m = &t->m[i];
		/* The faster of the two: a preemption inflates one run, a
		 * host that slowed down inflates both. */
		double canary = (double)(m->canary_ns[0] < m->canary_ns[1]
						 ? m->canary_ns[0]
						 : m->canary_ns[1]);

		/* The repetition lasts while work is fed in: a drainer
		 * only takes in, after the stop, what was sent before it,
		 * so its drain is not time of the repetition (its CPU
		 * time is, below). */
		if (!m->is_drainer || !t->n_feeders) {
			if (m->t0 < first)
				first = m->t0;
			if (m->t1 > last)
				last = m->t1;
		}
		out->cpu_seconds += (double)m->cpu_ns / 1e9;
		if (m->is_receiver)
			out->rx_cpu_seconds += (double)m->cpu_ns / 1e9;
		out->cycles += m->cycles;
		if (m->cycles_fd < 0)
			out->is_cycles_pmu = 0;
		out->nivcsw += m->nivcsw;
		if (canary > out->canary_ns)
			out->canary_ns = canary;
	}
	out->seconds = (double)(last - first) / 1e9;
	return rc;
}
