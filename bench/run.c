/* Orchestration of a run. Everything that can be refused is checked before
 * the first case starts, so bad input costs no time and leaves no file. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/env.h"
#include "bench/opts.h"
#include "bench/results.h"
#include "bench/run.h"
#include "bench/suite.h"
#include "crypto/aead.h"
#include "io/cpustat.h"
#include "io/hist.h"
#include "io/pin.h"
#include "report/out.h"
#include "workloads/wl.h"

enum { CASES_MAX = 4096 };

struct run_case {
	const char *cipher, *backend;
	size_t size;
	unsigned threads;
	size_t group; /* index of its options (suite group) */
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

static int usage_error(const struct ncb_err *e)
{
	fprintf(stderr, "ncbench run: %s\n", e->msg);
	return 2;
}

/* Cipher × backend × size × threads, in that nesting order, keeping only
 * the pairs a backend offers; an explicitly named pair that does not work
 * here is an input error. */
static int expand_cases(const struct run_opts *o, struct run_case *cases,
			size_t max, size_t *n, struct ncb_err *e)
{
	*n = 0;
	for (size_t ci = 0; ci < o->n_ciphers; ci++) {
		const char *cipher = o->ciphers[ci];
		size_t pairs = 0;

		if (!aead_key_len(cipher))
			return ncb_errf(e, -EINVAL,
					"--cipher: unknown cipher '%s' (see ncbench list)",
					cipher);
		for (size_t bi = 0; bi < o->n_backends; bi++) {
			int is_all = strcmp(o->backends[bi], "all") == 0;
			size_t nb = is_all ? aead_backend_count() : 1;

			for (size_t k = 0; k < nb; k++) {
				const char *b = is_all ? aead_backend_name(k)
						       : o->backends[bi];
				int rc = aead_probe(cipher, b);

				if (rc == -ENOENT)
					return ncb_errf(e, -EINVAL,
							"--backend: unknown backend '%s' (see ncbench list)",
							b);
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
							o->threads[ti], 0
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
		if (o->threads[i] * per_thread(o->wl) > most)
			most = o->threads[i] * per_thread(o->wl);
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
	for (size_t i = 0; o->wl->check && i < n; i++) {
		struct wl_case c = {
			.cipher = cases[i].cipher,
			.backend = cases[i].backend,
			.size = cases[i].size,
			.mix = o->mix,
			.mix_len = o->mix_len,
			.threads = cases[i].threads,
			.workers = cases[i].threads * per_thread(o->wl),
			.is_verify = o->is_verify,
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

static void record_config(struct results_doc *d, const struct run_opts *o)
{
	char buf[32];

	results_config_str(d, "workload", o->wl->name);
	for (size_t i = 0; i < o->n_ciphers; i++)
		results_config_push_str(d, "cipher", o->ciphers[i]);
	for (size_t i = 0; i < o->n_backends; i++)
		results_config_push_str(d, "backend", o->backends[i]);
	for (size_t i = 0; i < o->n_sizes; i++)
		results_config_push_num(d, "size", (double)o->sizes[i]);
	for (size_t i = 0; i < o->n_threads; i++)
		results_config_push_num(d, "threads", o->threads[i]);
	for (size_t i = 0; i < o->n_cpus; i++)
		results_config_push_num(d, "cpus", o->cpus[i]);
	if (!o->n_cpus)
		results_config_str(d, "cpus", "auto");
	results_config_num(d, "duration", o->duration);
	results_config_num(d, "warmup", o->warmup);
	results_config_num(d, "repeat", o->repeat);
	results_config_bool(d, "oversubscribe", o->is_oversubscribe);
	results_config_bool(d, "verify", o->is_verify);
	results_config_bool(d, "threads_fit", o->is_threads_fit);
	if (o->imix)
		results_config_str(d, "imix", o->imix);
	for (size_t i = 0; i < o->wl->opts_count; i++) {
		const struct wl_opt *w = &o->wl->opts[i];
		const char *v = opts_wl_value(o, w->name, buf, sizeof(buf));

		if (w->type == WL_OPT_FLAG)
			results_config_bool(d, w->name, strcmp(v, "1") == 0);
		else if (w->type == WL_OPT_UINT)
			results_config_num(d, w->name, strtod(v, NULL));
		else
			results_config_str(d, w->name, v);
	}
}

static void print_header(void)
{
	printf("%-8s %-18s %-8s %7s %4s %23s %8s %9s\n", "workload", "cipher",
	       "backend", "size", "thr", "Gbit/s median ±CI95", "Mpps",
	       "cycles/B");
}

static void print_row(const char *wl, const struct run_case *k,
		      const struct results_summary *s, int is_estimate)
{
	char gb[40];

	snprintf(gb, sizeof(gb), "%.3f ± %.3f", s->gbps_median,
		 (s->gbps_ci95[1] - s->gbps_ci95[0]) / 2);
	/* The ± sign is two bytes in UTF-8: pad by one more. */
	printf("%-8s %-18s %-8s %7zu %4u %23s %8.3f %8.3f%s\n", wl, k->cipher,
	       k->backend, k->size, k->threads, gb, s->pps_median / 1e6,
	       s->cycles_per_byte, is_estimate ? "~" : "");
	fflush(stdout);
}

/* Runs one case: setup, warm-up, repetitions. Adds it to the document if
 * at least one repetition completed. Returns 0, -EINTR or -errno. */
static int run_case(const struct run_opts *o, const struct run_case *k,
		    const struct pin_topo *topo, struct results_doc *doc,
		    double tsc_hz, uint64_t *errors, struct ncb_err *e,
		    int is_clear_line)
{
	static struct results_sample samples[1000];
	static struct hist latency;
	static struct pin_place place[2 * OPTS_THREADS_MAX];
	static int cpus[2 * OPTS_THREADS_MAX];
	unsigned workers = k->threads * per_thread(o->wl);
	struct wl_desc desc = { 0 };
	struct wl_counters cnt, total = { 0 };
	struct results_summary sum;
	char buf[32];
	size_t n = 0;
	void *state;
	int rc, is_latency = 0;

	hist_reset(&latency);
	if (o->n_cpus)
		for (unsigned i = 0; i < workers; i++)
			cpus[i] = o->cpus[i % o->n_cpus];
	else
		pin_choose(topo, workers, cpus);
	struct wl_case c = {
		.cipher = k->cipher,
		.backend = k->backend,
		.size = k->size,
		.mix = o->mix,
		.mix_len = o->mix_len,
		.threads = k->threads,
		.workers = workers,
		.cpus = cpus,
		.topo = topo,
		.placement = place,
		.is_interrupted = &interrupted,
		.is_verify = o->is_verify,
	};
	rc = o->wl->setup(&c, o->wl_opts, &state, e);
	if (rc < 0)
		return rc;
	if (o->warmup > 0) {
		memset(&cnt, 0, sizeof(cnt));
		rc = o->wl->run_rep(state, o->warmup, &cnt);
	}
	while (rc == 0 && n < o->repeat) {
		struct cpustat_sys s0, s1;
		int is_sys = cpustat_sys_read(&s0) == 0;

		memset(&cnt, 0, sizeof(cnt));
		rc = o->wl->run_rep(state, o->duration, &cnt);
		if (rc < 0)
			break;
		is_sys = is_sys && cpustat_sys_read(&s1) == 0;
		samples[n] = (struct results_sample){
			.bytes = cnt.bytes,
			.wire_bytes = cnt.wire_bytes,
			.packets = cnt.packets,
			.tx_packets = cnt.tx_packets,
			.seconds = cnt.seconds,
			.cpu_seconds = cnt.cpu_seconds,
			.cycles = cnt.cycles,
			.crypto_ticks = cnt.crypto_ticks,
		};
		if (is_sys)
			cpustat_sys_diff(&s0, &s1, &samples[n].sys);
		total.auth_fail += cnt.auth_fail;
		total.replay += cnt.replay;
		total.rejected += cnt.rejected;
		total.drops += cnt.drops;
		total.drops_kernel += cnt.drops_kernel;
		total.send_failed += cnt.send_failed;
		total.mismatch += cnt.mismatch;
		total.is_cycles_pmu = cnt.is_cycles_pmu;
		for (size_t i = 0; i < o->wl->n_rejects; i++)
			total.rejects[i] += cnt.rejects[i];
		if (cnt.latency) {
			hist_merge(&latency, cnt.latency);
			is_latency = 1;
		}
		n++;
	}
	if (o->wl->describe)
		o->wl->describe(state, &desc);
	/* Strings of desc live in the state: copy before teardown. */
	char d_tr[32], d_io[32], d_fr[64], d_tx[NCB_ERR_LEN], d_rx[NCB_ERR_LEN];
	snprintf(d_tr, sizeof(d_tr), "%s", desc.transport ? desc.transport : "");
	snprintf(d_io, sizeof(d_io), "%s", desc.io ? desc.io : "");
	snprintf(d_fr, sizeof(d_fr), "%s", desc.framing ? desc.framing : "");
	snprintf(d_tx, sizeof(d_tx), "%s", desc.io_tx ? desc.io_tx : "");
	snprintf(d_rx, sizeof(d_rx), "%s", desc.io_rx ? desc.io_rx : "");
	o->wl->teardown(state);
	if (n) {
		const char *dir = opts_wl_value(o, "direction", buf, sizeof(buf));
		struct results_case r = {
			.workload = o->wl->name,
			.cipher = k->cipher,
			.backend = k->backend,
			.direction = dir ? dir : "both",
			.transport = *d_tr ? d_tr : NULL,
			.io = *d_io ? d_io : NULL,
			.framing = *d_fr ? d_fr : NULL,
			.io_tx = *d_tx ? d_tx : NULL,
			.io_rx = *d_rx ? d_rx : NULL,
			.imix = o->imix,
			.size = k->size,
			.threads = k->threads,
			.workers = workers,
			.placement = place,
			.repeat = o->repeat,
			.duration_s = o->duration,
			.samples = samples,
			.n_samples = n,
			.is_cycles_pmu = total.is_cycles_pmu,
			.tsc_hz = tsc_hz,
			.auth_fail = total.auth_fail,
			.replay = total.replay,
			.rejected = total.rejected,
			.drops = total.drops,
			.drops_kernel = total.drops_kernel,
			.send_failed = total.send_failed,
			.mismatch = total.mismatch,
			.reject_names = o->wl->reject_names,
			.rejects = total.rejects,
			.n_rejects = o->wl->n_rejects,
			/* Open checks every tag; seal has nothing to check. */
			.latency = is_latency ? &latency : NULL,
			.is_verified = o->is_verify ||
				       (dir && strcmp(dir, "open") == 0),
		};
		int arc = results_add(doc, &r, &sum);

		if (arc < 0)
			return ncb_errf(e, arc, "out of memory for results");
		if (is_clear_line)
			fputs("\r\033[K", stderr); /* the progress line */
		if (!o->is_quiet)
			print_row(o->wl->name, k, &sum, !r.is_cycles_pmu);
		*errors += total.auth_fail + total.mismatch;
	}
	if (rc < 0 && rc != -EINTR)
		return ncb_errf(e, rc, "%s/%s size %zu: repetition failed",
				k->cipher, k->backend, k->size);
	return rc;
}

/* The groups of this run: one from the command line, or one per suite
 * group. Everything is parsed and checked before the first case runs. */
struct plan {
	struct run_opts o[SUITE_GROUPS_MAX];
	size_t n_groups;
	struct run_case cases[CASES_MAX];
	size_t n_cases;
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

int run_plan_check(int argc, char **argv, struct ncb_err *e)
{
	static struct plan p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = make_plan(&p, argc, argv, e);
	if (rc == 0 && p.o[0].out_path)
		rc = check_output(p.o[0].out_path, e);
	suite_free(p.suite);
	return rc;
}

/* --threads-fit: thread counts this host cannot place are dropped (from
 * the cases and from the group's list, which check_placement reads). */
static void drop_unfit(struct plan *p, unsigned pus)
{
	size_t n = 0;

	for (size_t g = 0; g < p->n_groups; g++) {
		struct run_opts *o = &p->o[g];
		size_t k = 0;

		if (!o->is_threads_fit)
			continue;
		for (size_t i = 0; i < o->n_threads; i++)
			if (o->threads[i] * per_thread(o->wl) <= pus ||
			    o->threads[i] == 1)
				o->threads[k++] = o->threads[i];
		o->n_threads = k;
	}
	for (size_t i = 0; i < p->n_cases; i++) {
		const struct run_opts *o = &p->o[p->cases[i].group];

		if (o->is_threads_fit && p->cases[i].threads > 1 &&
		    p->cases[i].threads * per_thread(o->wl) > pus)
			continue;
		p->cases[n++] = p->cases[i];
	}
	p->n_cases = n;
}

/* Seconds a case should take, from its options. */
static double case_estimate(const struct run_opts *o)
{
	return o->warmup + o->repeat * o->duration + 0.1;
}

/* "[3/21] esp aes-256-gcm openssl 1420 B x1, about 0:42 left" on stderr:
 * one line rewritten in place on a terminal, a line per case otherwise. */
static void progress(const struct plan *p, size_t i, double elapsed,
		     double est_done, int is_tty)
{
	const struct run_case *k = &p->cases[i];
	double left = 0, scale = est_done > 0 ? elapsed / est_done : 1;

	for (size_t j = i; j < p->n_cases; j++)
		left += case_estimate(&p->o[p->cases[j].group]);
	left *= scale;
	fprintf(stderr, "%s[%zu/%zu] %s %s %s %zu B x%u, about %d:%02d left%s",
		is_tty ? "\r\033[K" : "", i + 1, p->n_cases,
		p->o[k->group].wl->name, k->cipher, k->backend, k->size,
		k->threads, (int)left / 60, (int)left % 60, is_tty ? "" : "\n");
	fflush(stderr);
}

int run_main(int argc, char **argv)
{
	static struct plan p;
	struct pin_topo *topo = NULL;
	struct results_doc *doc = NULL;
	const struct run_opts *o0 = &p.o[0];
	struct env_host host;
	struct env_libs libs;
	struct ncb_err e = { "" };
	char path[PATH_MAX];
	size_t done = 0;
	uint64_t errors = 0, t0;
	double est_done = 0;
	int rc, status = 0, is_tty, is_progress;

	memset(&p, 0, sizeof(p));
	rc = make_plan(&p, argc, argv, &e);
	if (rc == 0 && o0->out_path)
		rc = check_output(o0->out_path, &e);
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
			record_config(doc, &p.o[g]);
		}
	} else {
		record_config(doc, o0);
	}

	is_tty = isatty(STDERR_FILENO);
	is_progress = o0->is_progress || (is_tty && !o0->is_quiet);
	if (!o0->is_quiet)
		print_header();
	t0 = cpustat_mono_ns();
	for (size_t i = 0; i < p.n_cases && !interrupted; i++) {
		const struct run_opts *o = &p.o[p.cases[i].group];

		if (is_progress)
			progress(&p, i, (double)(cpustat_mono_ns() - t0) / 1e9,
				 est_done, is_tty);
		rc = run_case(o, &p.cases[i], topo, doc, host.tsc_hz, &errors,
			      &e, is_progress && is_tty);
		est_done += case_estimate(o);
		if (rc == -EINTR || interrupted)
			break;
		if (rc < 0) {
			fprintf(stderr, "ncbench run: %s\n", e.msg);
			status = 1;
			break;
		}
		done++;
	}
	if (is_progress && is_tty)
		fputs("\r\033[K", stderr);
	if (interrupted)
		status = 130;
	else if (!status && errors) {
		fprintf(stderr, "ncbench run: %llu authentication failures or mismatches counted\n",
			(unsigned long long)errors);
		status = 1;
	}
	if (results_write(doc, path, !interrupted && done == p.n_cases, &e) <
	    0) {
		fprintf(stderr, "ncbench run: %s\n", e.msg);
		status = 1;
	} else if (!o0->is_quiet) {
		printf("%s%s\n", interrupted ? "interrupted; partial results in " : "results: ",
		       ncb_clean(path));
	}
	results_free(doc);
	pin_topo_free(topo);
	suite_free(p.suite);
	return status;
}
