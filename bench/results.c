/* Result document with Jansson: host, libraries, config and one object per
 * case with its samples and their summary. Every derived figure is computed
 * here, from the samples, so the document agrees with itself. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench/env.h"
#include "bench/results.h"
#include "io/hist.h"
#include "bench/stats.h"
#include "report/out.h"

#ifndef NCB_VERSION
#define NCB_VERSION "0.0.0"
#endif
#ifndef NCB_GIT
#define NCB_GIT "unknown"
#endif

struct results_doc {
	json_t *root;
	json_t *config;
	json_t *target; /* where config writes go: config, or a group in it */
	json_t *results;
};

double results_gbps(uint64_t bytes, double seconds)
{
	return seconds > 0 ? (double)bytes * 8 / seconds / 1e9 : 0;
}

/* A string, or null when empty (unknown). */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The hygiene facts as {name: value}, and the PUs they are about. */
static json_t *hygiene_json(const struct hygiene *hy)
{
	json_t *o = json_pack("{s:s}", "pus", hy->pus);

	for (size_t i = 0; o && i < hy->n; i++)
		json_object_set_new(o, hy->items[i].name,
				    json_string(hy->items[i].value));
	return o;
}

static json_t *host_json(const struct env_host *h)
{
	json_t *flags = json_array(), *iou = json_array();
	char buf[ENV_FLAGS];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", h->cpu_flags);
	for (char *f = strtok_r(buf, " ", &save); f;
	     f = strtok_r(NULL, " ", &save))
		json_array_append_new(flags, json_string(f));
	for (int i = 0; i < h->io_uring_count; i++)
		json_array_append_new(iou, json_string(h->io_uring[i]));
	return json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:f, s:i, s:i,"
		" s:i, s:i, s:o, s:o}",
		"hostname", h->hostname, "kernel", h->kernel, "cpu_model",
		str_or_null(h->cpu_model), "cpu_flags", flags, "microcode",
		str_or_null(h->microcode), "smt", str_or_null(h->smt),
		"governor", str_or_null(h->governor), "boost",
		h->boost < 0 ? json_null() : json_boolean(h->boost),
		"invariant_tsc", h->is_invariant_tsc, "tsc_hz", h->tsc_hz, "pus",
		(int)h->pus, "cores", (int)h->cores, "numa_nodes",
		(int)h->numa_nodes, "packages", (int)h->packages,
		"io_uring_features", iou, "hygiene", hygiene_json(&h->hygiene));
}

int results_new(struct results_doc **out, const struct env_host *host,
		const struct env_libs *libs)
{
	struct results_doc *d = calloc(1, sizeof(*d));
	char started[32];
	time_t now = time(NULL);
	struct tm tm;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	gmtime_r(&now, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	d->config = json_object();
	d->target = d->config;
	d->results = json_array();
	d->root = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:s, s:s, s:s?, s:s?, s:s, s:s,"
		" s:s}, s:s, s:b, s:O, s:O}",
		"schema", "ncbench.result/1", "tool", "name", "ncbench",
		"version", NCB_VERSION, "git", NCB_GIT, "host", host_json(host),
		"libraries", "openssl", libs->openssl, "gcrypt", libs->gcrypt,
		"ipsec_mb", libs->ipsec_mb, "sodium", libs->sodium,
		"liburing", libs->liburing, "hwloc", libs->hwloc, "jansson",
		jansson_version_str(), "started", started, "complete", 0,
		"config", d->config, "results", d->results);
	if (!d->root || !d->config || !d->results) {
		results_free(d);
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

void results_free(struct results_doc *d)
{
	if (!d)
		return;
	json_decref(d->config);
	json_decref(d->results);
	json_decref(d->root);
	free(d);
}

void results_config_str(struct results_doc *d, const char *key,
			const char *val)
{
	json_object_set_new(d->target, key, str_or_null(val));
}

void results_config_num(struct results_doc *d, const char *key, double val)
{
	json_object_set_new(d->target, key, json_real(val));
}

void results_config_bool(struct results_doc *d, const char *key, int val)
{
	json_object_set_new(d->target, key, json_boolean(val));
}

void results_config_begin_group(struct results_doc *d)
{
	json_t *groups = json_object_get(d->config, "groups");

	if (!json_is_array(groups)) {
		groups = json_array();
		json_object_set_new(d->config, "groups", groups);
	}
	d->target = json_object();
	json_array_append_new(groups, d->target);
}

static json_t *config_array(struct results_doc *d, const char *key)
{
	json_t *a = json_object_get(d->target, key);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(d->target, key, a);
	}
	return a;
}

void results_config_push_str(struct results_doc *d, const char *key,
			     const char *val)
{
	json_array_append_new(config_array(d, key), json_string(val));
}

void results_config_push_num(struct results_doc *d, const char *key,
			     double val)
{
	json_array_append_new(config_array(d, key), json_real(val));
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f, f]}", "median",
			 s->median, "mean", s->mean, "stddev", s->stddev, "min",
			 s->min, "max", s->max, "ci95", s->ci95[0], s->ci95[1]);
}

/* latency_ns{} of every unit of work in the timed repetitions, and the
 * transaction rate (units per second, as pps). */
static void add_latency(json_t *r, const struct hist *h,
			const struct stats_summary *rate)
{
	json_object_set_new(
		r, "latency_ns",
		json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "p50",
			  (json_int_t)hist_percentile(h, 50), "p90",
			  (json_int_t)hist_percentile(h, 90), "p99",
			  (json_int_t)hist_percentile(h, 99), "p999",
			  (json_int_t)hist_percentile(h, 99.9), "max",
			  (json_int_t)h->max, "min", (json_int_t)h->min,
			  "count", (json_int_t)h->total));
	json_object_set_new(json_object_get(r, "summary"), "tps",
			    summary_json(rate));
}

static json_t *noise_json(const struct noise_rep *r)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:I, s:f, s:f}", "steal_s",
			 r->steal_s, "others_s", r->others_s, "irq_s", r->irq_s,
			 "softirq_s", r->softirq_s, "nivcsw",
			 (json_int_t)r->nivcsw, "canary_ns", r->canary_ns,
			 "canary_drift", r->canary_drift);
}

static json_t *sample_json(const struct results_sample *s, double gbps)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:f, s:f, s:{s:f, s:f, s:f},"
			      " s:f, s:i, s:o, s:b, s:b}",
			      "bytes", (json_int_t)s->bytes, "wire_bytes",
			      (json_int_t)s->wire_bytes, "packets",
			      (json_int_t)s->packets, "seconds", s->seconds,
			      "cpu_seconds", s->cpu_seconds, "system_cpu",
			      "user", s->sys.user, "system", s->sys.system,
			      "softirq", s->sys.softirq, "gbps", gbps,
			      "process", (int)s->process, "noise",
			      noise_json(&s->noise), "disturbed",
			      s->noise.flags != 0, "dropped", s->is_dropped);

	if (j && s->noise.flags) {
		json_t *by = json_array();

		for (unsigned b = 0; b < NOISE_FLAGS; b++)
			if (s->noise.flags & (1u << b))
				json_array_append_new(by, json_string(noise_flag_name(b)));
		json_object_set_new(j, "disturbed_by", by);
	}
	if (j && s->tx_packets)
		json_object_set_new(j, "sent_packets",
				    json_integer((json_int_t)s->tx_packets));
	return j;
}

/* The case's "noise": how many repetitions were disturbed and by how
 * much at worst, so a reader sees the disturbance next to the figure. */
static json_t *noise_summary(const struct results_case *c, size_t *disturbed,
			     size_t *dropped)
{
	double steal = 0, others = 0, csw = 0, drift = 0;
	double canary[c->n_samples ? c->n_samples : 1];
	size_t nc = 0, pus = 0;
	unsigned workers = c->workers ? c->workers : c->threads;
	struct stats_summary cs;

	/* Shares as the rule takes them: steal and others' time per PU
	 * (workers sharing one count it once), switches per worker. */
	for (unsigned i = 0; i < workers; i++) {
		unsigned j = 0;

		while (j < i && c->placement[j].pu != c->placement[i].pu)
			j++;
		pus += j == i;
	}
	*disturbed = *dropped = 0;
	for (size_t i = 0; i < c->n_samples; i++) {
		const struct results_sample *s = &c->samples[i];
		double pu_s = s->seconds * (double)(pus ? pus : 1);
		double worker_s = s->seconds * (double)(workers ? workers : 1);

		*disturbed += s->noise.flags != 0;
		*dropped += s->is_dropped != 0;
		if (pu_s > 0) {
			steal = fmax(steal, s->noise.steal_s / pu_s);
			others = fmax(others, s->noise.others_s / pu_s);
			csw = fmax(csw, (double)s->noise.nivcsw / worker_s);
		}
		drift = fmax(drift, s->noise.canary_drift);
		if (s->noise.canary_ns > 0)
			canary[nc++] = s->noise.canary_ns;
	}
	stats_summarize(canary, nc, &cs);
	return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:s}",
			 "repetitions", (json_int_t)c->n_samples, "disturbed",
			 (json_int_t)*disturbed, "dropped", (json_int_t)*dropped,
			 "steal_share_max", steal, "others_share_max", others,
			 "nivcsw_per_s_max", csw, "canary_drift_max", drift,
			 "canary_ns_median", cs.median, "rule", NOISE_RULE);
}

static double cv(const struct stats_summary *s)
{
	return s->mean > 0 ? s->stddev / s->mean : 0;
}

/* With several processes: each process's median, and the spread between
 * processes against the spread inside them. Repetitions of one process
 * are close to each other while whole runs drift apart; the first
 * figure is the one the next run will see. */
static void add_process_stats(json_t *su, const struct results_case *c,
			      const double *gbps, const int *kept)
{
	unsigned np = c->processes;
	double med[np], within = 0, x[c->n_samples ? c->n_samples : 1];
	size_t nw = 0, nm = 0;
	struct stats_summary s;
	json_t *arr = json_array();

	for (unsigned p = 0; p < np; p++) {
		size_t k = 0;

		for (size_t i = 0; i < c->n_samples; i++)
			if (kept[i] && c->samples[i].process == p)
				x[k++] = gbps[i];
		if (!k)
			continue;
		stats_summarize(x, k, &s);
		med[nm++] = s.median;
		json_array_append_new(arr, json_real(s.median));
		if (k > 1) {
			within += cv(&s);
			nw++;
		}
	}
	stats_summarize(med, nm, &s);
	json_object_set_new(su, "process_medians", arr);
	json_object_set_new(su, "between_process_cv", json_real(cv(&s)));
	json_object_set_new(su, "within_process_cv",
			    json_real(nw ? within / (double)nw : 0));
}

static json_t *options_json(const struct results_case *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < c->n_opts; i++) {
		const struct results_opt *x = &c->opts[i];

		json_object_set_new(o, x->name,
				    x->type == RESULTS_OPT_STR ? json_string(x->str)
				    : x->type == RESULTS_OPT_BOOL
					    ? json_boolean(x->num != 0)
					    : json_integer((json_int_t)x->num));
	}
	return o;
}

int results_add(struct results_doc *d, const struct results_case *c,
		struct results_summary *sum)
{
	size_t n = c->n_samples, k = 0, disturbed, dropped;
	double gbps[n ? n : 1], pps[n ? n : 1], wire[n ? n : 1], spps[n ? n : 1];
	double all[n ? n : 1];
	int kept[n ? n : 1];
	double secs = 0, cpu = 0, cycles = 0, bytes = 0, packets = 0;
	double crypto = 0, sent = 0;
	unsigned workers = c->workers ? c->workers : c->threads;
	struct stats_summary g, p, w, sp;
	json_t *samples = json_array(), *place = json_array(), *r, *noise;

	noise = noise_summary(c, &disturbed, &dropped);
	for (size_t i = 0; i < n; i++) {
		const struct results_sample *s = &c->samples[i];

		all[i] = results_gbps(s->bytes, s->seconds);
		json_array_append_new(samples, sample_json(s, all[i]));
		/* Statistics leave out what --drop-disturbed dropped; the
		 * samples stay in the document, marked. */
		kept[i] = !s->is_dropped || dropped == n;
		if (!kept[i])
			continue;
		gbps[k] = all[i];
		wire[k] = results_gbps(s->wire_bytes, s->seconds);
		pps[k] = s->seconds > 0 ? (double)s->packets / s->seconds : 0;
		spps[k] = s->seconds > 0 ? (double)s->tx_packets / s->seconds : 0;
		k++;
		secs += s->seconds;
		cpu += s->cpu_seconds;
		bytes += (double)s->bytes;
		packets += (double)s->packets;
		sent += (double)s->tx_packets;
		crypto += (double)s->crypto_ticks;
		/* Without a PMU, cycles are CPU time at the TSC rate: exact
		 * for a core running at its base clock, labelled as such. */
		cycles += c->is_cycles_pmu ? (double)s->cycles
					   : s->cpu_seconds * c->tsc_hz;
	}
	n = k;
	stats_summarize(gbps, n, &g);
	stats_summarize(pps, n, &p);
	stats_summarize(wire, n, &w);
	stats_summarize(spps, n, &sp);
	for (unsigned i = 0; i < workers; i++)
		json_array_append_new(
			place, json_pack("{s:i, s:i, s:i, s:b}", "pu",
					 c->placement[i].pu, "core",
					 c->placement[i].core, "numa",
					 c->placement[i].numa, "mem_bound",
					 c->placement[i].is_mem_bound));

	r = json_pack(
		"{s:s, s:s, s:s, s:s, s:I, s:i, s:o, s:s?, s:s?, s:s?, s:o,"
		" s:i, s:f, s:o}",
		"workload", c->workload, "cipher", c->cipher, "backend",
		c->backend, "direction", c->direction, "size",
		(json_int_t)c->size, "threads", (int)c->threads, "cpus",
		json_array(), "transport", c->transport, "io", c->io, "framing",
		c->framing, "placement", place, "repeat", (int)c->repeat,
		"duration_s", c->duration_s, "samples", samples);
	if (!r)
		return -ENOMEM;
	for (unsigned i = 0; i < workers; i++)
		json_array_append_new(json_object_get(r, "cpus"),
				      json_integer(c->placement[i].pu));
	if (c->pattern)
		json_object_set_new(r, "pattern", json_string(c->pattern));
	json_object_set_new(
		r, "summary",
		json_pack("{s:o, s:o, s:f, s:f, s:s, s:f, s:f,"
			  " s:{s:f, s:f}}",
			  "gbps", summary_json(&g), "pps", summary_json(&p),
			  "wire_gbps", w.median, "cycles_per_byte",
			  bytes > 0 ? cycles / bytes : 0, "cycles_source",
			  c->is_cycles_pmu ? "pmu" : "tsc-estimate", "cpu_util",
			  secs > 0 ? cpu / secs : 0, "gbps_per_core",
			  cpu > 0 ? bytes * 8 / cpu / 1e9 : 0,
			  "service_demand", "us_per_mb",
			  bytes > 0 ? cpu * 1e6 / (bytes / 1e6) : 0,
			  "us_per_packet",
			  packets > 0 ? cpu * 1e6 / packets : 0));
	json_object_set_new(r, "errors",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				      "auth_fail", (json_int_t)c->auth_fail,
				      "replay", (json_int_t)c->replay,
				      "rejected", (json_int_t)c->rejected,
				      "drops", (json_int_t)c->drops,
				      "drops_kernel",
				      (json_int_t)c->drops_kernel,
				      "send_failed", (json_int_t)c->send_failed,
				      "mismatch", (json_int_t)c->mismatch));
	if (c->imix)
		json_object_set_new(r, "imix", json_string(c->imix));
	if (c->io_tx || c->io_rx)
		json_object_set_new(r, "io_detail",
				    json_pack("{s:s?, s:s?}", "tx", c->io_tx,
					      "rx", c->io_rx));
	if (sent > 0) {
		json_t *su = json_object_get(r, "summary");

		json_object_set_new(su, "sent_pps", summary_json(&sp));
		json_object_set_new(su, "delivered",
				    json_real(packets / sent));
	}
	if (crypto > 0 && packets > 0) {
		/* Per packet received (or sealed): TSC ticks inside the
		 * AEAD calls, and the rest of the workers' cycles. */
		double other = cycles > crypto ? cycles - crypto : 0;

		json_object_set_new(json_object_get(r, "summary"), "phases",
				    json_pack("{s:f, s:f, s:f}", "crypto_cycles",
					      crypto / packets, "other_cycles",
					      other / packets, "crypto_share",
					      cycles > 0 ? crypto / cycles : 0));
	}
	if (c->n_rejects) {
		json_t *rej = json_object();

		for (size_t i = 0; i < c->n_rejects; i++)
			json_object_set_new(rej, c->reject_names[i],
					    json_integer((json_int_t)c->rejects[i]));
		json_object_set_new(r, "rejects", rej);
	}
	if (c->latency)
		add_latency(r, c->latency, &p);
	json_object_set_new(r, "workers", json_integer(workers));
	json_object_set_new(r, "verified", json_boolean(c->is_verified));
	json_object_set_new(r, "options", options_json(c));
	json_object_set_new(r, "processes",
			    json_integer(c->processes ? c->processes : 1));
	json_object_set_new(r, "repeat_mode",
			    json_string(c->ci_target_pct > 0 ? "auto" : "fixed"));
	json_object_set_new(r, "repeat_stop",
			    json_string(c->repeat_stop ? c->repeat_stop : "fixed"));
	if (c->ci_target_pct > 0)
		json_object_set_new(r, "ci_target_pct",
				    json_real(c->ci_target_pct));
	json_object_set_new(r, "noise", noise);
	if (c->processes > 1)
		add_process_stats(json_object_get(r, "summary"), c, all, kept);
	json_array_append_new(d->results, r);
	if (sum) {
		sum->n = c->n_samples;
		sum->disturbed = disturbed;
		sum->dropped = n == c->n_samples ? 0 : dropped;
		sum->gbps_median = g.median;
		sum->gbps_ci95[0] = g.ci95[0];
		sum->gbps_ci95[1] = g.ci95[1];
		sum->pps_median = p.median;
		sum->cycles_per_byte = bytes > 0 ? cycles / bytes : 0;
	}
	return 0;
}

int results_write(struct results_doc *d, const char *path, int is_complete,
		  struct ncb_err *e)
{
	struct out_file of;
	int rc;

	json_object_set_new(d->root, "complete", json_boolean(is_complete));
	rc = out_open(&of, path, e);
	if (rc < 0)
		return rc;
	if (json_dumpf(d->root, of.f,
		       JSON_INDENT(1) | JSON_REAL_PRECISION(12)) < 0 ||
	    fputc('\n', of.f) == EOF) {
		out_abort(&of);
		return ncb_errf(e, -EIO, "%s: cannot write", path);
	}
	return out_commit(&of, e);
}
