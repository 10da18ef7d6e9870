/* Orchestration of a run. Everything that can be refused is checked before
 * the first case starts, so bad input costs no time and leaves no file. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/capfile.h"
#include "bench/env.h"
#include "bench/opts.h"
#include "bench/opts_show.h"
#include "bench/results.h"
#include "bench/run.h"
#include "bench/run_peer.h"
#include "bench/session.h"
#include "bench/stats.h"
#include "bench/stream.h"
#include "bench/suite.h"
#include "bench/summary.h"
#include "bench/table.h"
#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/cpustat.h"
#include "io/ctl.h"
#include "io/hist.h"
#include "io/noise.h"
#include "io/pin.h"
#include "report/out.h"
#include "workloads/peer.h"
#include "workloads/wl.h"

enum { CASES_MAX = 4096, WL_OPTS_MAX_RESULT = 64 };

struct run_case {
	const char *cipher, *backend;
	size_t size;
	unsigned threads;
	size_t group; /* index of its options (suite group) */
	size_t index; /* its place in the run, once the plan is final */
};

/* Set by run_interrupt() from the signal handler main installs first
 * thing; polled between cases and by the workloads' repetition loops. */
static volatile sig_atomic_t interrupted;

void run_interrupt(void)
{
	interrupted = 1;
}

static unsigned per_thread(const struct wl_ops *w)
{
	return w->workers_per_thread ? w->workers_per_thread : 1;
}

/* Workers of a case here: on two hosts this host's end of each unit of
 * every pair (workloads/peer.h), on one host threads x the workload's
 * workers per thread. */
static unsigned case_workers(const struct run_opts *o, unsigned threads)
{
	struct wl_peer p = { .mode = (enum wl_peer_mode)o->peer_mode };

	return threads * (o->peer ? wl_peer_units(&p) : per_thread(o->wl));
}

static int usage_error(const struct ncb_err *e)
{
	fprintf(stderr, "ncbench run: %s\n", e->msg);
	return 2;
}

/* Cipher × backend × size × threads, in that nesting order, keeping only
 * the pairs a backend offers; an explicitly named pair that does not work
 * here is an input error. The null cipher is the baseline beside any
 * library: whatever -b names, it runs once, on the null backend. */
static int expand_cases(const struct run_opts *o, struct run_case *cases,
			size_t max, size_t *n, struct ncb_err *e)
{
	char hint[80];

	*n = 0;
	for (size_t ci = 0; ci < o->n_ciphers; ci++) {
		const char *cipher = o->ciphers[ci];
		int is_null = strcmp(cipher, "null") == 0, has_null = 0;
		size_t pairs = 0;

		if (!aead_key_len(cipher))
			return ncb_errf(e, -EINVAL, "--cipher: unknown cipher '%s' (%s)",
					cipher, opts_name_hint(cipher, 0, hint, sizeof(hint)));
		for (size_t bi = 0; bi < o->n_backends; bi++) {
			int is_all = strcmp(o->backends[bi], "all") == 0;
			size_t nb = is_all ? aead_backend_count() : 1;

			for (size_t k = 0; k < nb; k++) {
				const char *b = is_all ? aead_backend_name(k)
						       : o->backends[bi];
				int rc = aead_probe(cipher, b);

				if (rc == -ENOENT)
					return ncb_errf(e, -EINVAL,
							"--backend: unknown backend '%s' (%s)", b,
							opts_name_hint(b, 1, hint, sizeof(hint)));
				if (is_null && rc < 0 && !is_all) {
					b = "null";
					rc = aead_probe(cipher, b);
				}
				if (is_null && rc == 0 && has_null++)
					continue;
				if (rc < 0 && !is_all)
					return ncb_errf(e, -EINVAL,
							"--backend: %s does not offer %s on this machine",
							b, cipher);
				if (rc < 0)
					continue;
				pairs++;
				for (size_t si = 0; si < o->n_sizes; si++)
					for (size_t ti = 0; ti < o->n_threads; ti++) {
						if (*n >= max)
							return ncb_errf(e, -EINVAL,
									"more than %d cases",
									CASES_MAX);
						cases[(*n)++] = (struct run_case){
							cipher, b, o->sizes[si],
							o->threads[ti], 0, 0
						};
					}
			}
		}
		if (!pairs)
			return ncb_errf(e, -EINVAL,
					"--cipher: no backend offers %s on this machine",
					cipher);
	}
	return 0;
}

static int check_placement(const struct run_opts *o,
			   const struct pin_topo *topo, struct ncb_err *e)
{
	unsigned pus = pin_pu_count(topo), most = 0;

	for (size_t i = 0; i < o->n_threads; i++)
		if (case_workers(o, o->threads[i]) > most)
			most = case_workers(o, o->threads[i]);
	for (size_t i = 0; i < o->n_cpus; i++)
		if (pin_pu_check(topo, o->cpus[i]) < 0)
			return ncb_errf(e, -EINVAL,
					"--cpus: PU %d does not exist or is not allowed here",
					o->cpus[i]);
	if (o->is_oversubscribe)
		return 0;
	if (most > pus)
		return ncb_errf(e, -EINVAL,
				"--threads: %u worker threads but this machine has %u PUs (add --oversubscribe to allow)",
				most, pus);
	if (o->n_cpus && most > o->n_cpus)
		return ncb_errf(e, -EINVAL,
				"--cpus: %zu PUs listed for %u workers (add --oversubscribe to share)",
				o->n_cpus, most);
	return 0;
}

/* The workload's own refusals (sizes it cannot frame, option clashes),
 * before anything runs. */
static int check_cases(const struct run_opts *o, const struct run_case *cases,
		       size_t n, struct ncb_err *e)
{
	/* A two-host case is checked as this host's side of it. */
	struct wl_peer peer = { .mode = (enum wl_peer_mode)o->peer_mode,
				.dev = o->dev };
	const struct wl_capture capture = { .count = o->pcap_count };

	for (size_t i = 0; o->wl->check && i < n; i++) {
		struct wl_case c = {
			.ops = o->wl,
			.cipher = cases[i].cipher,
			.backend = cases[i].backend,
			.size = cases[i].size,
			.mix = o->mix,
			.mix_len = o->mix_len,
			.threads = cases[i].threads,
			.workers = case_workers(o, cases[i].threads),
			.is_verify = o->is_verify,
			.peer = o->peer ? &peer : NULL,
			.sa_file = o->sa_file,
			.capture = o->pcap ? &capture : NULL,
		};
		int rc = o->wl->check(&c, o->wl_opts, e);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* results/<UTC time>-<host>.json, creating results/ if needed. */
static int default_path(char *buf, size_t len, struct ncb_err *e)
{
	char host[128] = "host", stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (mkdir("results", 0755) < 0 && errno != EEXIST)
		return ncb_errf(e, -errno, "results/: cannot create: %s",
				strerror(errno));
	snprintf(buf, len, "results/%s-%s.json", stamp, host);
	return 0;
}

/* The document's path is checked before anything runs, so a directory,
 * a device or an impossible name costs no run (results_write checks it
 * again when it writes). */
static int check_output(const char *path, struct ncb_err *e)
{
	char why[NCB_ERR_LEN];
	int rc = out_check(path, e);

	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, -EINVAL, "--output: %s", why);
	}
	return 0;
}

/* --json-stream: a target the stream may take, and not the document's
 * (which would replace it at the end). */
static int check_stream(const struct run_opts *o, struct ncb_err *e)
{
	struct stat a, b;
	int rc = stream_check(o->json_stream, e);

	if (rc < 0 || !o->out_path || stream_is_stdout(o->json_stream))
		return rc;
	if (!strcmp(o->out_path, o->json_stream) ||
	    (stat(o->out_path, &a) == 0 && stat(o->json_stream, &b) == 0 &&
	     a.st_dev == b.st_dev && a.st_ino == b.st_ino))
		return ncb_errf(e, -EINVAL,
				"--json-stream %s: that is the --output document",
				o->json_stream);
	return 0;
}

/* How a process's repetitions of a case ended (--repeat auto); in the
 * order of how much it says, which merging several processes relies on. */
enum rep_stop { STOP_FIXED, STOP_CI, STOP_MAX, STOP_INTERRUPTED };

static const char *const stop_names[] = {
	[STOP_FIXED] = "fixed",
	[STOP_CI] = "ci_target",
	[STOP_MAX] = "max",
	[STOP_INTERRUPTED] = "interrupted",
};

/* What one process measured of one case. Fixed size and free of
 * pointers, so a forked child hands it over in shared memory. */
struct case_out {
	int rc;
	struct ncb_err err;
	size_t n;
	struct results_sample samples[OPTS_SAMPLES_MAX];
	enum rep_stop stop;
	int is_latency;
	struct hist latency;
	struct pin_place place[2 * OPTS_THREADS_MAX];
	char tr[32], io[32], fr[64], tx[NCB_ERR_LEN], rx[NCB_ERR_LEN];
	struct wl_sa_desc sa;
	/* Two hosts: the peer, and whether a failure is the user's to fix
	 * (authentication, busy, a case the peer lacks or refused). */
	struct run_peer_info peer;
	int is_usage;
};

/* A case over its processes, until its row is printed. */
struct case_acc {
	struct results_sample *samples; /* processes x repeat entries */
	size_t n;
	unsigned processes; /* that measured at least one repetition */
	enum rep_stop stop;
	struct hist *latency;
	struct pin_place *place; /* from the first process */
	char tr[32], io[32], fr[64], tx[NCB_ERR_LEN], rx[NCB_ERR_LEN];
	struct wl_sa_desc sa;
	struct run_peer_info *peer; /* the first process's, or NULL */
};

/* What every case process needs besides its case: the topology, and on
 * two hosts how to reach the peer (NULL on one host). */
struct case_env {
	const struct pin_topo *topo;
	const struct run_peer_cfg *peer;
	struct stream *stream; /* --json-stream, or NULL */
	unsigned round;        /* which of the case's processes this is */
};

static size_t distinct(const int *pus, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < i && pus[j] != pus[i])
			j++;
		k += j == i;
	}
	return k;
}

/* --repeat auto: is the 95% CI half-width within the target? Flagged
 * repetitions do not count when --drop-disturbed leaves them out. */
static int is_ci_reached(const struct run_opts *o, const struct case_out *out)
{
	double x[OPTS_SAMPLES_MAX];
	struct stats_summary s;
	size_t k = 0;

	for (size_t i = 0; i < out->n; i++) {
		const struct results_sample *r = &out->samples[i];

		if (!o->is_drop_disturbed || !r->noise.flags)
			x[k++] = summary_gbps(r->cnt.bytes, r->cnt.seconds);
	}
	if (k < OPTS_REPEAT_AUTO_MIN || stats_summarize(x, k, &s) < 0)
		return 0;
	return s.median > 0 &&
	       (s.ci95[1] - s.ci95[0]) / 2 <= o->ci_target / 100 * s.median;
}

/* Two hosts: the session with the peer for this case process, opened
 * before this host's set-up (the case crosses first), and the case's
 * wl_peer. A refusal that is the user's to fix is marked is_usage. */
static struct session *peer_open(const struct run_opts *o,
				 const struct run_case *k,
				 const struct run_peer_cfg *cfg,
				 struct wl_peer *p, struct case_out *out)
{
	static struct session_case sc;
	struct session *s = NULL;
	char buf[32];
	const char *engine = opts_wl_value(o, "io", buf, sizeof(buf));
	int rc = session_case_from_run(o, k->cipher, k->backend, k->size,
				       k->threads, &sc, &out->err);

	if (rc == 0)
		rc = run_peer_open(&s, cfg, &sc,
				   o->wl->framing ? o->wl->framing->name : NULL,
				   engine, p, &out->peer, &out->err);
	out->rc = rc;
	out->is_usage = rc == -EACCES || rc == -EBUSY || rc == -EINVAL ||
			rc == -ENXIO || rc == -E2BIG;
	return s;
}

/* One repetition: on two hosts the peer is told first, and a failure of
 * the repetition is explained by what the session saw. */
static int rep_run(const struct run_opts *o, void *state, struct session *s,
		   double seconds, int is_warmup, struct wl_counters *cnt,
		   struct ncb_err *why)
{
	int rc = s ? run_peer_rep(s, seconds, is_warmup, why) : 0;

	memset(cnt, 0, sizeof(*cnt));
	if (rc == 0)
		rc = o->wl->run_rep(state, seconds, cnt);
	if (rc < 0 && s && *session_error(s))
		snprintf(why->msg, sizeof(why->msg), "%s", session_error(s));
	return rc;
}

/* One process's part of a case: setup, warm-up, repetitions with their
 * disturbance, teardown. Fills out (out->rc: 0, -EINTR or -errno). */
static void case_exec(const struct run_opts *o, const struct run_case *k,
		      const struct case_env *env, struct case_out *out)
{
	static int cpus[2 * OPTS_THREADS_MAX];
	static struct noise_snap n0, n1;
	unsigned workers = case_workers(o, k->threads);
	struct wl_desc desc = { 0 };
	struct wl_counters cnt;
	struct ncb_err why = { "" };
	struct session *sess = NULL;
	struct wl_peer peer;
	double best = 0;
	size_t pus;
	void *state;
	int rc;
	/* --pcap: the case's capture, written at its teardown. */
	struct capfile_job job = { .path = o->pcap };
	const struct wl_capture capture = { .count = o->pcap_count,
					    .write = capfile_write,
					    .ctx = &job };

	out->n = 0;
	out->is_latency = 0;
	out->is_usage = 0;
	out->peer.is_set = 0;
	out->stop = o->is_repeat_auto ? STOP_MAX : STOP_FIXED;
	hist_reset(&out->latency);
	if (o->n_cpus)
		for (unsigned i = 0; i < workers; i++)
			cpus[i] = o->cpus[i % o->n_cpus];
	else
		pin_choose(env->topo, workers, cpus);
	pus = distinct(cpus, workers);
	if (env->peer) {
		sess = peer_open(o, k, env->peer, &peer, out);
		if (!sess)
			return;
	}
	struct wl_case c = {
		.ops = o->wl,
		.cipher = k->cipher,
		.backend = k->backend,
		.size = k->size,
		.mix = o->mix,
		.mix_len = o->mix_len,
		.threads = k->threads,
		.workers = workers,
		.cpus = cpus,
		.topo = env->topo,
		.placement = out->place,
		.is_interrupted = &interrupted,
		.is_verify = o->is_verify,
		.peer = sess ? &peer : NULL,
		.sa_file = o->sa_file,
		.capture = o->pcap ? &capture : NULL,
	};
	rc = o->wl->setup(&c, o->wl_opts, &state, &out->err);
	if (rc < 0) {
		run_peer_fail(sess, out->err.msg);
		out->rc = rc;
		return;
	}
	if (sess)
		rc = run_peer_ready(sess, workers, &out->peer, &why);
	if (rc == 0 && o->warmup > 0) {
		rc = rep_run(o, state, sess, o->warmup, 1, &cnt, &why);
		best = cnt.canary_ns;
	}
	while (rc == 0 && out->n < o->repeat) {
		struct results_sample *r = &out->samples[out->n];
		struct cpustat_sys s0, s1;
		int is_sys = cpustat_sys_read(&s0) == 0;

		noise_snap(&n0, cpus, workers);
		rc = rep_run(o, state, sess, o->duration, 0, &cnt, &why);
		if (rc < 0)
			break;
		noise_snap(&n1, cpus, workers);
		is_sys = is_sys && cpustat_sys_read(&s1) == 0;
		/* The histogram is the state's: it is merged below, and the
		 * sample stays free of pointers for the shared page. */
		*r = (struct results_sample){ .cnt = cnt };
		r->cnt.latency = NULL;
		if (is_sys)
			cpustat_sys_diff(&s0, &s1, &r->sys);
		noise_diff(&n0, &n1, &r->noise);
		r->noise.nivcsw = cnt.nivcsw;
		r->noise.canary_ns = cnt.canary_ns;
		/* Judged here for --repeat auto with --drop-disturbed;
		 * case_finish judges again over all the case's processes. */
		noise_judge(&r->noise, cnt.seconds, workers, pus, best);
		if (cnt.canary_ns > 0 && (best == 0 || cnt.canary_ns < best))
			best = cnt.canary_ns;
		if (cnt.latency) {
			hist_merge(&out->latency, cnt.latency);
			out->is_latency = 1;
		}
		/* Between repetitions: the next one has not started. The
		 * process is acc_merge's to set; the stream's guess is the
		 * round, which it is unless an earlier round measured nothing. */
		r->process = env->round;
		stream_rep(env->stream,
			   &(struct stream_rep_id){ .index = k->index,
						    .workload = o->wl->name,
						    .cipher = k->cipher,
						    .backend = k->backend,
						    .imix = o->imix,
						    .size = k->size,
						    .threads = k->threads,
						    .process = env->round,
						    .rep = out->n },
			   r);
		out->n++;
		if (o->is_repeat_auto && is_ci_reached(o, out)) {
			out->stop = STOP_CI;
			break;
		}
	}
	if (rc == -EINTR)
		out->stop = STOP_INTERRUPTED;
	/* The peer ends its side (or hears why not) before this host
	 * tears down: its last swap must not wait for ours. */
	if (rc == 0)
		rc = run_peer_close(sess, &why);
	else
		run_peer_fail(sess, rc == -EINTR ? "interrupted" : why.msg);
	if (o->wl->describe)
		o->wl->describe(state, &desc);
	/* Strings of desc live in the state: copy before teardown. */
	snprintf(out->tr, sizeof(out->tr), "%s", desc.transport ? desc.transport : "");
	snprintf(out->io, sizeof(out->io), "%s", desc.io ? desc.io : "");
	snprintf(out->fr, sizeof(out->fr), "%s", desc.framing ? desc.framing : "");
	snprintf(out->tx, sizeof(out->tx), "%s", desc.io_tx ? desc.io_tx : "");
	snprintf(out->rx, sizeof(out->rx), "%s", desc.io_rx ? desc.io_rx : "");
	out->sa = desc.sa;
	o->wl->teardown(state);
	/* A capture that could not be written fails the run, not its
	 * figures. */
	if (rc == 0 && job.rc < 0) {
		rc = job.rc;
		snprintf(why.msg, sizeof(why.msg), "%s", job.err.msg);
	}
	if (rc < 0 && rc != -EINTR && why.msg[0])
		ncb_errf(&out->err, rc, "%s/%s size %zu: %s", k->cipher,
			 k->backend, k->size, why.msg);
	else if (rc < 0 && rc != -EINTR)
		ncb_errf(&out->err, rc, "%s/%s size %zu: repetition failed",
			 k->cipher, k->backend, k->size);
	out->rc = rc;
}

/* The shared page a child process fills (MAP_SHARED, made once). */
static struct case_out *shared_out(void)
{
	static struct case_out *out;

	if (!out) {
		void *p = mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		out = p == MAP_FAILED ? NULL : p;
	}
	return out;
}

/* --processes: the case in a fresh process. fork() without exec: the
 * child sets up its own threads, contexts, buffers and sockets, keeps
 * the parsed plan and topology, and leaves the document to the parent.
 * The parent waits in short sleeps that a signal cuts, and passes a
 * stop on to the child, which ends its repetition and hands over what
 * it measured. */
static void case_exec_child(const struct run_opts *o, const struct run_case *k,
			    const struct case_env *env, struct case_out *out)
{
	const struct timespec nap = { 0, 50 * 1000 * 1000 };
	pid_t parent = getpid(), pid;
	int st, is_told = 0;

	out->rc = -ECHILD;
	out->n = 0;
	out->is_usage = 0;
	out->peer.is_set = 0;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		out->rc = ncb_errf(&out->err, -err, "cannot start a process: %s",
				   strerror(err));
		return;
	}
	if (pid == 0) {
		/* Not outliving a parent killed outright. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		case_exec(o, k, env, out);
		_exit(0);
	}
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
		if (interrupted && !is_told) {
			kill(pid, SIGTERM);
			is_told = 1;
		}
		nanosleep(&nap, NULL);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		out->n = 0;
		out->rc = -ECHILD;
		if (WIFSIGNALED(st))
			ncb_errf(&out->err, -ECHILD, "%s/%s size %zu: its process died of signal %d",
				 k->cipher, k->backend, k->size, WTERMSIG(st));
		else
			ncb_errf(&out->err, -ECHILD, "%s/%s size %zu: its process failed",
				 k->cipher, k->backend, k->size);
	}
}

/* Adds one process's repetitions to its case. 0 or -ENOMEM. */
static int acc_merge(struct case_acc *a, const struct run_opts *o,
		     unsigned workers, const struct case_out *out)
{
	size_t cap = (size_t)o->repeat * o->processes;

	if (!out->n)
		return 0;
	if (!a->samples) {
		a->samples = calloc(cap, sizeof(*a->samples));
		a->place = calloc(workers, sizeof(*a->place));
		if (!a->samples || !a->place)
			return -ENOMEM;
		memcpy(a->place, out->place, workers * sizeof(*a->place));
		memcpy(a->tr, out->tr, sizeof(a->tr));
		memcpy(a->io, out->io, sizeof(a->io));
		memcpy(a->fr, out->fr, sizeof(a->fr));
		memcpy(a->tx, out->tx, sizeof(a->tx));
		memcpy(a->rx, out->rx, sizeof(a->rx));
		a->sa = out->sa;
		a->stop = out->stop;
	}
	if (out->peer.is_set && !a->peer) {
		a->peer = malloc(sizeof(*a->peer));
		if (!a->peer)
			return -ENOMEM;
		*a->peer = out->peer;
	}
	for (size_t i = 0; i < out->n && a->n < cap; i++) {
		a->samples[a->n] = out->samples[i];
		a->samples[a->n].process = a->processes;
		a->n++;
	}
	a->processes++;
	/* The stop that says most (the enum's order): interrupted, then
	 * max, then ci_target. */
	if (out->stop > a->stop)
		a->stop = out->stop;
	if (out->is_latency) {
		if (!a->latency) {
			a->latency = malloc(sizeof(*a->latency));
			if (!a->latency)
				return -ENOMEM;
			hist_reset(a->latency);
		}
		hist_merge(a->latency, &out->latency);
	}
	return 0;
}

static void acc_free(struct case_acc *a)
{
	free(a->samples);
	free(a->place);
	free(a->latency);
	free(a->peer);
	memset(a, 0, sizeof(*a));
}

/* The case's resolved options, its identity beyond the axes. */
static size_t case_opts(const struct run_opts *o, struct results_opt *out,
			char (*bufs)[32])
{
	const struct ncb_opt *w;
	const char *v;
	size_t n = 0;

	for (size_t i = 0; n + 1 < WL_OPTS_MAX_RESULT &&
			   (w = opts_case_opt(o, i, &v, bufs[n], sizeof(bufs[n])));
	     i++) {
		/* The result names it already, as an identity field. */
		if (!strcmp(w->name, "direction"))
			continue;
		out[n] = (struct results_opt){ .name = w->name, .str = v };
		if (w->type == NCB_OPT_FLAG) {
			out[n].type = RESULTS_OPT_BOOL;
			out[n].num = strcmp(v, "1") == 0;
		} else if (w->type == NCB_OPT_UINT) {
			out[n].type = RESULTS_OPT_NUM;
			out[n].num = strtod(v, NULL);
		}
		n++;
	}
	out[n++] = (struct results_opt){ .name = "verify",
					 .type = RESULTS_OPT_BOOL,
					 .num = o->is_verify };
	return n;
}

/* The case's repetitions from every process into the document and its
 * row into the table. 0 or a negative errno with e filled. */
static int case_finish(const struct run_opts *o, const struct run_case *k,
		       struct case_acc *a, struct results_doc *doc,
		       struct stream *live, double tsc_hz, uint64_t *errors,
		       int is_clear_line, struct table *tab, struct ncb_err *e)
{
	static struct results_opt opts[WL_OPTS_MAX_RESULT];
	static char bufs[WL_OPTS_MAX_RESULT][32];
	unsigned workers = case_workers(o, k->threads);
	struct results_peer peer = { 0 };
	struct summary sum;
	size_t flagged = 0;
	char buf[32];
	int rc;

	if (!a->n)
		return 0;
	/* The canary is judged against the fastest of the whole case: a
	 * process that ran in a slow spell from its warm-up on would look
	 * steady against its own. */
	int pus_of[2 * OPTS_THREADS_MAX];
	double best = 0;

	for (unsigned i = 0; i < workers; i++)
		pus_of[i] = a->place[i].pu;
	for (size_t i = 0; i < a->n; i++) {
		double c = a->samples[i].noise.canary_ns;

		if (c > 0 && (best == 0 || c < best))
			best = c;
	}
	for (size_t i = 0; i < a->n; i++)
		noise_judge(&a->samples[i].noise, a->samples[i].cnt.seconds, workers,
			    distinct(pus_of, workers), best);
	/* --drop-disturbed leaves flagged repetitions out, unless that
	 * would leave nothing: then all stay, and the count says so. */
	for (size_t i = 0; i < a->n; i++)
		flagged += a->samples[i].noise.flags != 0;
	for (size_t i = 0; o->is_drop_disturbed && flagged < a->n && i < a->n; i++)
		a->samples[i].is_dropped = a->samples[i].noise.flags != 0;

	const char *dir = opts_wl_value(o, "direction", buf, sizeof(buf));
	struct results_case r = {
		.workload = o->wl->name,
		.cipher = k->cipher,
		.backend = k->backend,
		.direction = dir ? dir : "both",
		.transport = *a->tr ? a->tr : NULL,
		.io = *a->io ? a->io : NULL,
		.framing = *a->fr ? a->fr : NULL,
		.pattern = o->wl->pattern,
		.io_tx = *a->tx ? a->tx : NULL,
		.io_rx = *a->rx ? a->rx : NULL,
		.imix = o->imix,
		.size = k->size,
		.threads = k->threads,
		.workers = workers,
		.placement = a->place,
		.repeat = o->repeat,
		.processes = a->processes,
		.repeat_stop = stop_names[a->stop],
		.ci_target_pct = o->is_repeat_auto ? o->ci_target : 0,
		.opts = opts,
		.n_opts = case_opts(o, opts, bufs),
		.duration_s = o->duration,
		.samples = a->samples,
		.n_samples = a->n,
		.tsc_hz = tsc_hz,
		.reject_names = o->wl->reject_names,
		.n_rejects = o->wl->n_rejects,
		.latency = a->latency,
		.sa = a->sa.count ? &a->sa : NULL,
		.peer = a->peer ? &peer : NULL,
		/* Open checks every tag; seal has nothing to check. */
		.is_verified = o->is_verify || (dir && strcmp(dir, "open") == 0),
	};
	if (a->peer)
		peer = (struct results_peer){
			.address = a->peer->address,
			.mode = opts_peer_mode_name(a->peer->mode),
			.host = &a->peer->host,
			.workers = a->peer->workers,
			.placement = a->peer->place,
		};
	rc = results_add(doc, &r, &sum);
	if (rc < 0)
		return ncb_errf(e, rc, "%s", rc == -E2BIG ? "too many samples for a summary"
							 : "out of memory for results");
	stream_case(live, k->index, doc);
	if (is_clear_line)
		fputs("\r\033[K", stderr); /* the progress line */
	if (!o->is_quiet)
		table_row(tab, stdout,
			  &(struct table_case){ .workload = o->wl->name,
						.cipher = k->cipher,
						.backend = k->backend,
						.size = k->size,
						.threads = k->threads,
						.is_net = *a->tr != 0,
						.peer_mode = a->peer ? (int)a->peer->mode : -1 },
			  &sum);
	*errors += sum.all_sum.auth_fail + sum.all_sum.mismatch;
	return 0;
}

/* The groups of this run: one from the command line, or one per suite
 * group. Everything is parsed and checked before the first case runs. */
struct plan {
	struct run_opts o[SUITE_GROUPS_MAX];
	size_t n_groups;
	struct run_case cases[CASES_MAX];
	size_t n_cases;
	/* Per group, the thread counts --threads-fit dropped. */
	unsigned dropped[SUITE_GROUPS_MAX][OPTS_LIST_MAX];
	size_t n_dropped[SUITE_GROUPS_MAX];
	const char *suite_file;
	struct suite *suite; /* the groups' option strings point into it */
};

/* Command-line arguments other than --suite FILE, for every group. */
static int strip_suite(int argc, char **argv, char **out)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--suite")) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--suite=", 8))
			continue;
		out[n++] = argv[i];
	}
	return n;
}

static int add_group(struct plan *p, int argc, char **argv, struct ncb_err *e)
{
	struct run_opts *o = &p->o[p->n_groups];
	size_t n;
	int rc = opts_parse_run(argc, argv, o, e);

	if (rc)
		return rc;
	rc = expand_cases(o, p->cases + p->n_cases, CASES_MAX - p->n_cases, &n,
			  e);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		p->cases[p->n_cases + i].group = p->n_groups;
	rc = check_cases(o, p->cases + p->n_cases, n, e);
	if (rc < 0)
		return rc;
	p->n_cases += n;
	p->n_groups++;
	return 0;
}

static int is_same_case(const struct plan *p, const struct run_case *a,
			const struct run_case *b)
{
	const struct run_opts *x = &p->o[a->group], *y = &p->o[b->group];

	return x->wl == y->wl && a->size == b->size &&
	       a->threads == b->threads && !strcmp(a->cipher, b->cipher) &&
	       !strcmp(a->backend, b->backend) &&
	       !strcmp(x->imix ? x->imix : "", y->imix ? y->imix : "") &&
	       !memcmp(x->wl_opts, y->wl_opts, x->wl->opts_size);
}

/* Two suite groups that produce the same case would write it twice, and
 * a document holding a case twice is refused by every reader. Within a
 * group, the option lists are free of repeats already. */
static int check_repeats(const struct plan *p, struct ncb_err *e)
{
	for (size_t i = 0; p->n_groups > 1 && i < p->n_cases; i++)
		for (size_t j = i + 1; j < p->n_cases; j++) {
			const struct run_case *a = &p->cases[i], *b = &p->cases[j];

			if (a->group != b->group && is_same_case(p, a, b))
				return ncb_errf(e, -EINVAL,
						"--suite %s: group %zu repeats a case of group %zu (%s %s %s size %zu threads %u)",
						p->suite_file, b->group + 1,
						a->group + 1, p->o[a->group].wl->name,
						a->cipher, a->backend, a->size,
						a->threads);
		}
	return 0;
}

/* 0, 1 after --help, or -EINVAL with e filled. */
static int make_plan(struct plan *p, int argc, char **argv, struct ncb_err *e)
{
	static char *extra[256];
	const char *file = NULL;
	struct suite *s = NULL;
	int rc, n_extra;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--suite"))
			file = i + 1 < argc ? argv[i + 1] : "";
		else if (!strncmp(argv[i], "--suite=", 8))
			file = argv[i] + 8;
	}
	if (!file)
		return add_group(p, argc, argv, e);
	if (!*file)
		return ncb_errf(e, -EINVAL, "--suite: needs a file");
	/* A suite: the command line only carries options for every group. */
	if (argc > (int)NCB_ARRAY_SIZE(extra))
		return ncb_errf(e, -EINVAL, "too many arguments");
	n_extra = strip_suite(argc, argv, extra);
	rc = suite_load(&s, file, extra, n_extra, e);
	if (rc < 0)
		return rc;
	p->suite = s;
	p->suite_file = file;
	for (size_t g = 0; rc == 0 && g < s->n_groups; g++) {
		char prefix[512];

		rc = add_group(p, s->argc[g], s->argv[g], e);
		if (rc < 0) {
			snprintf(prefix, sizeof(prefix), "%s", e->msg);
			ncb_errf(e, rc, "--suite %s: group %zu: %s", file,
				 g + 1, prefix);
		}
	}
	return rc ? rc : check_repeats(p, e);
}

/* --pcap writes one file: one case, and a path it may write. */
static int check_pcap(const struct plan *p, struct ncb_err *e)
{
	char why[NCB_ERR_LEN];
	int rc;

	if (p->n_cases != 1)
		return ncb_errf(e, -EINVAL,
				"--pcap captures one case and this run has %zu (give one --cipher, --backend, --size and --threads)",
				p->n_cases);
	rc = out_check(p->o[0].pcap, e);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, rc, "--pcap %s", why);
	}
	return 0;
}

int run_plan_check(int argc, char **argv, struct ncb_err *e)
{
	static struct plan p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = make_plan(&p, argc, argv, e);
	if (rc == 0 && p.o[0].out_path)
		rc = check_output(p.o[0].out_path, e);
	if (rc == 0 && p.o[0].json_stream)
		rc = check_stream(&p.o[0], e);
	suite_free(p.suite);
	return rc;
}

/* --threads-fit: thread counts this host cannot place are dropped (from
 * the cases and from the group's list, which check_placement reads);
 * the dropped counts are kept for the document ("threads_dropped"), so
 * plan can say why a series has no thread sweep. */
static void drop_unfit(struct plan *p, unsigned pus)
{
	size_t n = 0;

	for (size_t g = 0; g < p->n_groups; g++) {
		struct run_opts *o = &p->o[g];
		size_t k = 0;

		p->n_dropped[g] = 0;
		if (!o->is_threads_fit)
			continue;
		for (size_t i = 0; i < o->n_threads; i++)
			if (case_workers(o, o->threads[i]) <= pus ||
			    o->threads[i] == 1)
				o->threads[k++] = o->threads[i];
			else
				p->dropped[g][p->n_dropped[g]++] = o->threads[i];
		o->n_threads = k;
	}
	for (size_t i = 0; i < p->n_cases; i++) {
		const struct run_opts *o = &p->o[p->cases[i].group];

		if (o->is_threads_fit && p->cases[i].threads > 1 &&
		    case_workers(o, p->cases[i].threads) > pus)
			continue;
		p->cases[n++] = p->cases[i];
	}
	p->n_cases = n;
}

/* "threads_dropped": [2, 4] in the group's config, when --threads-fit
 * dropped any count. */
static void show_dropped(const struct plan *p, size_t g,
			 struct results_doc *doc)
{
	for (size_t i = 0; i < p->n_dropped[g]; i++)
		results_config_push_int(doc, "threads_dropped", p->dropped[g][i]);
}

/* Seconds a case should take, from its options. */
static double case_estimate(const struct run_opts *o)
{
	return o->processes * (o->warmup + o->repeat * o->duration + 0.1);
}

/* "[3/21] esp aes-256-gcm openssl 1420 B x1, about 0:42 left" on stderr
 * (with --processes, also which process of the case this is): one line
 * rewritten in place on a terminal, a line per case otherwise. */
static void progress(const struct plan *p, size_t i, unsigned round,
		     double left, int is_tty)
{
	const struct run_case *k = &p->cases[i];
	const struct run_opts *o = &p->o[k->group];
	char proc[48] = "";

	if (o->processes > 1)
		snprintf(proc, sizeof(proc), ", process %u/%u", round + 1,
			 o->processes);
	fprintf(stderr, "%s[%zu/%zu] %s %s %s %zu B x%u%s, about %d:%02d left%s",
		is_tty ? "\r\033[K" : "", i + 1, p->n_cases, o->wl->name,
		k->cipher, k->backend, k->size, k->threads, proc,
		(int)left / 60, (int)left % 60, is_tty ? "" : "\n");
	fflush(stderr);
}

/* The key of --psk-file, wiped when run_main returns. */
static uint8_t psk[CTL_PSK_LEN];

/* --peer: the key (a file others may read is refused, as ssh refuses a
 * private key), the channel's allocator, and SIGPIPE off (a peer that
 * leaves must fail a write, not end the run). cfg->self is set later. */
static int peer_prepare(const struct run_opts *o, struct run_peer_cfg *cfg,
			struct ncb_err *e)
{
	int rc = ctl_psk_load(o->psk_file, psk, e);

	if (rc < 0)
		return rc;
	ctl_init();
	signal(SIGPIPE, SIG_IGN);
	*cfg = (struct run_peer_cfg){
		.name = o->peer,
		.host = o->peer_host,
		.port = o->peer_port,
		.psk = psk,
		.dev = o->dev,
		.is_interrupted = &interrupted,
	};
	return 0;
}

static int run_cases(int argc, char **argv)
{
	static struct plan p;
	struct run_peer_cfg peer;
	struct case_env env = { 0 };
	struct pin_topo *topo = NULL;
	struct results_doc *doc = NULL;
	struct stream *live = NULL;
	const struct run_opts *o0 = &p.o[0];
	struct env_host host;
	struct env_libs libs;
	struct ncb_err e = { "" };
	struct table tab = { 0 };
	char path[PATH_MAX];
	size_t done = 0, n_results = 0, n_reps = 0;
	uint64_t errors = 0, t0;
	double est_done = 0, est_all = 0;
	struct case_acc *acc;
	struct case_out *out;
	unsigned rounds = 1;
	char *is_done;
	int is_shared, is_measured = 0, is_written, is_saved = 0;
	int rc, status = 0, is_tty, is_progress;

	memset(&p, 0, sizeof(p));
	rc = make_plan(&p, argc, argv, &e);
	if (rc == 0 && o0->out_path)
		rc = check_output(o0->out_path, &e);
	if (rc == 0 && o0->pcap)
		rc = check_pcap(&p, &e);
	if (rc == 0 && o0->json_stream)
		rc = check_stream(o0, &e);
	/* --peer is the command line's: every group shares it. */
	if (rc == 0 && o0->peer)
		rc = peer_prepare(o0, &peer, &e);
	if (rc) {
		suite_free(p.suite);
		return rc > 0 ? 0 : usage_error(&e);
	}
	if (pin_topo_load(&topo) < 0) {
		fprintf(stderr, "ncbench run: cannot load the hwloc topology\n");
		suite_free(p.suite);
		return 1;
	}
	drop_unfit(&p, pin_pu_count(topo));
	for (size_t i = 0; i < p.n_cases; i++)
		p.cases[i].index = i;
	for (size_t g = 0; g < p.n_groups; g++)
		if (check_placement(&p.o[g], topo, &e) < 0) {
			pin_topo_free(topo);
			suite_free(p.suite);
			return usage_error(&e);
		}
	if (o0->out_path)
		snprintf(path, sizeof(path), "%s", o0->out_path);
	if (!o0->out_path && (default_path(path, sizeof(path), &e) < 0 ||
			      check_output(path, &e) < 0)) {
		pin_topo_free(topo);
		suite_free(p.suite);
		return usage_error(&e);
	}

	env_host_read(&host, topo);
	env_libs_read(&libs);
	env.topo = topo;
	if (o0->peer) {
		peer.self = &host;
		env.peer = &peer;
	}
	if (results_new(&doc, &host, &libs) < 0) {
		pin_topo_free(topo);
		suite_free(p.suite);
		fprintf(stderr, "ncbench run: out of memory\n");
		return 1;
	}
	if (p.suite) {
		results_config_str(doc, "suite", p.suite->name);
		results_config_str(doc, "suite_file", p.suite_file);
		for (size_t g = 0; g < p.n_groups; g++) {
			results_config_begin_group(doc);
			opts_show_config(&p.o[g], doc);
			show_dropped(&p, g, doc);
		}
	} else {
		opts_show_config(o0, doc);
		show_dropped(&p, 0, doc);
	}
	/* With "-", stdout becomes the stream's alone: the table moves to
	 * stderr. A signal while a FIFO waits for its reader ends the run
	 * (interrupted) without a stream. */
	if (o0->json_stream) {
		rc = stream_open(&live, o0->json_stream, &interrupted, &e);
		if (rc < 0 && rc != -EINTR) {
			results_free(doc);
			pin_topo_free(topo);
			suite_free(p.suite);
			return usage_error(&e);
		}
	}
	env.stream = live;
	stream_start(live, doc, path, p.n_cases);

	is_tty = isatty(STDERR_FILENO);
	is_progress = o0->is_progress || (is_tty && !o0->is_quiet);
	for (size_t g = 0; g < p.n_groups; g++)
		rounds = p.o[g].processes > rounds ? p.o[g].processes : rounds;
	for (size_t i = 0; i < p.n_cases; i++)
		est_all += case_estimate(&p.o[p.cases[i].group]);
	acc = calloc(p.n_cases ? p.n_cases : 1, sizeof(*acc));
	is_done = calloc(p.n_cases ? p.n_cases : 1, 1);
	is_shared = rounds > 1;
	out = is_shared ? shared_out() : malloc(sizeof(*out));
	if (!acc || !is_done || !out) {
		fprintf(stderr, "ncbench run: out of memory\n");
		status = 1;
		rounds = 0;
	}
	t0 = cpustat_mono_ns();
	/* Round r runs every case's r-th process: cases alternate, so a
	 * drift of the host during the run spreads over all of them. */
	for (unsigned r = 0; r < rounds && !status && !interrupted; r++) {
		for (size_t i = 0; i < p.n_cases && !interrupted; i++) {
			const struct run_opts *o = &p.o[p.cases[i].group];
			const struct run_case *k = &p.cases[i];
			unsigned workers = case_workers(o, k->threads);
			double part = case_estimate(o) / o->processes;

			if (r >= o->processes)
				continue;
			if (is_progress) {
				double spent = (double)(cpustat_mono_ns() - t0) / 1e9;
				double scale = est_done > 0 ? spent / est_done : 1;

				progress(&p, i, r, (est_all - est_done) * scale,
					 is_tty);
			}
			env.round = r;
			if (o->processes > 1)
				case_exec_child(o, k, &env, out);
			else
				case_exec(o, k, &env, out);
			est_done += part;
			if (acc_merge(&acc[i], o, workers, out) < 0) {
				ncb_errf(&out->err, -ENOMEM, "out of memory");
				out->rc = -ENOMEM;
			}
			if (out->rc < 0 && out->rc != -EINTR) {
				fprintf(stderr, "%sncbench run: %s\n",
					is_progress && is_tty ? "\r\033[K" : "",
					out->err.msg);
				status = out->is_usage ? 2 : 1;
				break;
			}
			if (out->rc == -EINTR || interrupted)
				break;
			if (r + 1 < o->processes)
				continue;
			is_done[i] = 1;
			rc = case_finish(o, k, &acc[i], doc, live, host.tsc_hz,
					 &errors, is_progress && is_tty, &tab, &e);
			if (rc < 0) {
				fprintf(stderr, "ncbench run: %s\n", e.msg);
				status = 1;
				break;
			}
			n_results += acc[i].n > 0;
			done++;
		}
	}
	/* What an interruption or a failure cut short: the repetitions
	 * measured so far, in a document marked incomplete. */
	for (size_t i = 0; acc && is_done && i < p.n_cases; i++) {
		is_measured |= acc[i].n > 0;
		n_reps += acc[i].n;
		if (!is_done[i] &&
		    case_finish(&p.o[p.cases[i].group], &p.cases[i], &acc[i],
				doc, live, host.tsc_hz, &errors,
				is_progress && is_tty, &tab, &e) < 0) {
			if (!status)
				fprintf(stderr, "ncbench run: %s\n", e.msg);
			status = status ? status : 1;
		} else if (!is_done[i]) {
			n_results += acc[i].n > 0;
		}
		acc_free(&acc[i]);
	}
	free(acc);
	free(is_done);
	if (!is_shared)
		free(out);
	if (is_progress && is_tty)
		fputs("\r\033[K", stderr);
	if (interrupted)
		status = 130;
	else if (!status && errors) {
		fprintf(stderr, "ncbench run: %llu authentication failures or mismatches counted\n",
			(unsigned long long)errors);
		status = 1;
	}
	/* A peer that refused the first case (wrong key, busy, lacking) is
	 * an input error, which leaves no file. */
	is_written = status != 2 || is_measured;
	if (is_written &&
	    results_write(doc, path, !interrupted && done == p.n_cases, &e) < 0) {
		fprintf(stderr, "ncbench run: %s\n", e.msg);
		status = 1;
	} else if (is_written) {
		is_saved = 1;
		if (!o0->is_quiet) {
			table_end(&tab, stdout);
			printf("%s%s\n", interrupted ? "interrupted; partial results in " : "results: ",
			       ncb_clean(path));
		}
	}
	stream_end(live, &(struct stream_end){
				 .is_complete = is_saved && !interrupted &&
						done == p.n_cases,
				 .is_interrupted = interrupted != 0,
				 .cases = p.n_cases,
				 .done = done,
				 .results = n_results,
				 .repetitions = n_reps,
				 .errors = errors,
				 .status = status,
				 .document = is_saved ? path : NULL,
			 });
	if (stream_close(live, &e) < 0) {
		fprintf(stderr, "ncbench run: %s\n", e.msg);
		status = status ? status : 1;
	}
	results_free(doc);
	pin_topo_free(topo);
	suite_free(p.suite);
	return status;
}

int run_main(int argc, char **argv)
{
	int rc = run_cases(argc, argv);

	explicit_bzero(psk, sizeof(psk));
	return rc;
}
