/* Orchestration of a run. Everything that can be refused is checked before
 * the first case starts, so bad input costs no time and leaves no file. */
#include <errno.h>
#include <libgen.h>
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
#include "crypto/aead.h"
#include "io/cpustat.h"
#include "io/pin.h"
#include "workloads/wl.h"

enum { CASES_MAX = 4096 };

struct run_case {
	const char *cipher, *backend;
	size_t size;
	unsigned threads;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
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
			size_t *n, struct ncb_err *e)
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
						if (*n >= CASES_MAX)
							return ncb_errf(e, -EINVAL,
									"more than %d cases",
									CASES_MAX);
						cases[(*n)++] = (struct run_case){
							cipher, b, o->sizes[si],
							o->threads[ti]
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

static int check_writable(const char *path, struct ncb_err *e)
{
	char copy[PATH_MAX];
	const char *dir;

	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (access(dir, W_OK) < 0)
		return ncb_errf(e, -errno, "--output: cannot write in '%s': %s",
				dir, strerror(errno));
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
	printf("%-18s %-8s %7s %4s %23s %8s %9s\n", "cipher", "backend", "size",
	       "thr", "Gbit/s median ±CI95", "Mpps", "cycles/B");
}

static void print_row(const struct run_case *k,
		      const struct results_summary *s, int is_estimate)
{
	char gb[40];

	snprintf(gb, sizeof(gb), "%.3f ± %.3f", s->gbps_median,
		 (s->gbps_ci95[1] - s->gbps_ci95[0]) / 2);
	/* The ± sign is two bytes in UTF-8: pad by one more. */
	printf("%-18s %-8s %7zu %4u %23s %8.3f %8.3f%s\n", k->cipher,
	       k->backend, k->size, k->threads, gb, s->pps_median / 1e6,
	       s->cycles_per_byte, is_estimate ? "~" : "");
	fflush(stdout);
}

/* Runs one case: setup, warm-up, repetitions. Adds it to the document if
 * at least one repetition completed. Returns 0, -EINTR or -errno. */
static int run_case(const struct run_opts *o, const struct run_case *k,
		    const struct pin_topo *topo, struct results_doc *doc,
		    double tsc_hz, uint64_t *errors, struct ncb_err *e)
{
	static struct results_sample samples[1000];
	static struct pin_place place[2 * OPTS_THREADS_MAX];
	static int cpus[2 * OPTS_THREADS_MAX];
	unsigned workers = k->threads * per_thread(o->wl);
	struct wl_desc desc = { 0 };
	struct wl_counters cnt, total = { 0 };
	struct results_summary sum;
	char buf[32];
	size_t n = 0;
	void *state;
	int rc;

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
		total.drops += cnt.drops;
		total.mismatch += cnt.mismatch;
		total.is_cycles_pmu = cnt.is_cycles_pmu;
		for (size_t i = 0; i < o->wl->n_rejects; i++)
			total.rejects[i] += cnt.rejects[i];
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
			.drops = total.drops,
			.mismatch = total.mismatch,
			.reject_names = o->wl->reject_names,
			.rejects = total.rejects,
			.n_rejects = o->wl->n_rejects,
			/* Open checks every tag; seal has nothing to check. */
			.is_verified = o->is_verify ||
				       (dir && strcmp(dir, "open") == 0),
		};
		int arc = results_add(doc, &r, &sum);

		if (arc < 0)
			return ncb_errf(e, arc, "out of memory for results");
		if (!o->is_quiet)
			print_row(k, &sum, !r.is_cycles_pmu);
		*errors += total.auth_fail + total.mismatch;
	}
	if (rc < 0 && rc != -EINTR)
		return ncb_errf(e, rc, "%s/%s size %zu: repetition failed",
				k->cipher, k->backend, k->size);
	return rc;
}

int run_main(int argc, char **argv)
{
	static struct run_opts o;
	static struct run_case cases[CASES_MAX];
	struct pin_topo *topo = NULL;
	struct results_doc *doc = NULL;
	struct env_host host;
	struct env_libs libs;
	struct sigaction sa;
	struct ncb_err e = { "" };
	char path[PATH_MAX];
	size_t ncases, done = 0;
	uint64_t errors = 0;
	int rc, status = 0;

	rc = opts_parse_run(argc, argv, &o, &e);
	if (rc)
		return rc > 0 ? 0 : usage_error(&e);
	if (expand_cases(&o, cases, &ncases, &e) < 0 ||
	    check_cases(&o, cases, ncases, &e) < 0)
		return usage_error(&e);
	if (pin_topo_load(&topo) < 0) {
		fprintf(stderr, "ncbench run: cannot load the hwloc topology\n");
		return 1;
	}
	if (check_placement(&o, topo, &e) < 0) {
		pin_topo_free(topo);
		return usage_error(&e);
	}
	if (o.out_path)
		snprintf(path, sizeof(path), "%s", o.out_path);
	if ((!o.out_path && default_path(path, sizeof(path), &e) < 0) ||
	    check_writable(path, &e) < 0) {
		pin_topo_free(topo);
		return usage_error(&e);
	}

	env_host_read(&host, topo);
	env_libs_read(&libs);
	if (results_new(&doc, &host, &libs) < 0) {
		pin_topo_free(topo);
		fprintf(stderr, "ncbench run: out of memory\n");
		return 1;
	}
	record_config(doc, &o);

	/* No SA_RESTART: the signal must cut the coordinator's sleep. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!o.is_quiet)
		print_header();
	for (size_t i = 0; i < ncases && !interrupted; i++) {
		rc = run_case(&o, &cases[i], topo, doc, host.tsc_hz, &errors, &e);
		if (rc == -EINTR || interrupted)
			break;
		if (rc < 0) {
			fprintf(stderr, "ncbench run: %s\n", e.msg);
			status = 1;
			break;
		}
		done++;
	}
	if (interrupted)
		status = 130;
	else if (!status && errors) {
		fprintf(stderr, "ncbench run: %llu authentication failures or mismatches counted\n",
			(unsigned long long)errors);
		status = 1;
	}
	if (results_write(doc, path, done == ncases, &e) < 0) {
		fprintf(stderr, "ncbench run: %s\n", e.msg);
		status = 1;
	} else if (!o.is_quiet) {
		printf("%s%s\n", interrupted ? "interrupted; partial results in " : "results: ",
		       path);
	}
	results_free(doc);
	pin_topo_free(topo);
	return status;
}
