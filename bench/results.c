/* Result document with Jansson: host, libraries, config and one object per
 * case with its samples and their summary. The figures come from
 * bench/summary.c and the counters' names from bench/counters.c; this file
 * only writes them. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench/counters.h"
#include "bench/env.h"
#include "bench/place.h"
#include "bench/results.h"
#include "bench/stats.h"
#include "bench/summary.h"
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

const char *results_jansson_version(void)
{
	return jansson_version_str();
}

/* A string, or null when empty (unknown). */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* {name: version} in the order env_libs_read found them. */
static json_t *libs_json(const struct env_libs *l)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < l->n; i++)
		json_object_set_new(o, l->libs[i].name,
				    json_string(l->libs[i].version));
	return o;
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
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:o, s:s, s:b, s:O, s:O}",
		"schema", "ncbench.result/1", "tool", "name", "ncbench",
		"version", NCB_VERSION, "git", NCB_GIT, "host", env_host_json(host),
		"libraries", libs_json(libs), "started", started, "complete", 0,
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

void results_config_int(struct results_doc *d, const char *key, long long val)
{
	json_object_set_new(d->target, key, json_integer((json_int_t)val));
}

void results_config_bool(struct results_doc *d, const char *key, int val)
{
	json_object_set_new(d->target, key, json_boolean(val));
}

static json_t *config_object(struct results_doc *d, const char *key)
{
	json_t *o = json_object_get(d->target, key);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(d->target, key, o);
	}
	return o;
}

void results_config_sub_str(struct results_doc *d, const char *obj,
			    const char *key, const char *val)
{
	json_object_set_new(config_object(d, obj), key, str_or_null(val));
}

void results_config_sub_int(struct results_doc *d, const char *obj,
			    const char *key, long long val)
{
	json_object_set_new(config_object(d, obj), key,
			    json_integer((json_int_t)val));
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

void results_config_push_int(struct results_doc *d, const char *key,
			     long long val)
{
	json_array_append_new(config_array(d, key),
			      json_integer((json_int_t)val));
}

static json_t *stats_json(const struct stats_summary *s)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f, f]}", "median",
			 s->median, "mean", s->mean, "stddev", s->stddev, "min",
			 s->min, "max", s->max, "ci95", s->ci95[0], s->ci95[1]);
}

/* The counters of table place `place` (bench/counters.h) into o; with
 * COUNTERS_SAMPLE, the COUNTERS_SAMPLE_NONZERO ones that are not 0 too. */
static void counters_json(json_t *o, const struct wl_counters *c,
			  enum counters_place place)
{
	for (size_t i = 0; i < counters_count(); i++) {
		const struct counters_field *f = counters_at(i);
		int is_here = f->place == place ||
			      (place == COUNTERS_SAMPLE &&
			       f->place == COUNTERS_SAMPLE_NONZERO &&
			       counters_value(c, f) != 0);

		if (!is_here)
			continue;
		json_object_set_new(o, f->name,
				    f->type == COUNTERS_U64
					    ? json_integer((json_int_t)counters_u64(c, f))
					    : json_real(counters_value(c, f)));
	}
}

static json_t *noise_json(const struct noise_rep *r)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:I, s:f, s:f}", "steal_s",
			 r->steal_s, "others_s", r->others_s, "irq_s", r->irq_s,
			 "softirq_s", r->softirq_s, "nivcsw",
			 (json_int_t)r->nivcsw, "canary_ns", r->canary_ns,
			 "canary_drift", r->canary_drift);
}

/* The other host's workers in one repetition, on its own clock. */
static json_t *sample_peer_json(const struct wl_end_counters *p)
{
	return json_pack("{s:f, s:f, s:I, s:s, s:I, s:f}", "seconds",
			 p->seconds, "cpu_seconds", p->cpu_seconds, "cycles",
			 (json_int_t)p->cycles, "cycles_source",
			 p->is_cycles_pmu ? "pmu" : "tsc", "nivcsw",
			 (json_int_t)p->nivcsw, "canary_ns", p->canary_ns);
}

static json_t *sample_json(const struct results_sample *s)
{
	json_t *j = json_object();

	if (!j)
		return NULL;
	counters_json(j, &s->cnt, COUNTERS_SAMPLE);
	if (s->cnt.peer.is_set)
		json_object_set_new(j, "peer", sample_peer_json(&s->cnt.peer));
	json_object_set_new(j, "system_cpu",
			    json_pack("{s:f, s:f, s:f}", "user", s->sys.user,
				      "system", s->sys.system, "softirq",
				      s->sys.softirq));
	json_object_set_new(j, "gbps",
			    json_real(summary_gbps(s->cnt.bytes, s->cnt.seconds)));
	json_object_set_new(j, "process", json_integer(s->process));
	json_object_set_new(j, "noise", noise_json(&s->noise));
	json_object_set_new(j, "disturbed", json_boolean(s->noise.flags != 0));
	json_object_set_new(j, "dropped", json_boolean(s->is_dropped));
	if (s->noise.flags) {
		json_t *by = json_array();

		for (unsigned b = 0; b < NOISE_FLAGS; b++)
			if (s->noise.flags & (1u << b))
				json_array_append_new(by, json_string(noise_flag_name(b)));
		json_object_set_new(j, "disturbed_by", by);
	}
	return j;
}

/* The case's "noise": how many repetitions were disturbed and by how
 * much at worst, so a reader sees the disturbance next to the figure. */
static json_t *noise_summary_json(const struct summary *s)
{
	return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:s}",
			 "repetitions", (json_int_t)s->n, "disturbed",
			 (json_int_t)s->disturbed, "dropped",
			 (json_int_t)s->dropped, "steal_share_max",
			 s->steal_share_max, "others_share_max",
			 s->others_share_max, "nivcsw_per_s_max",
			 s->nivcsw_per_s_max, "canary_drift_max",
			 s->canary_drift_max, "canary_ns_median",
			 s->canary_ns_median, "rule", NOISE_RULE);
}

static json_t *summary_json(const struct summary *s)
{
	json_t *su = json_pack(
		"{s:o, s:o, s:f, s:f, s:s, s:f, s:f, s:{s:f, s:f}}", "gbps",
		stats_json(&s->gbps), "pps", stats_json(&s->pps), "wire_gbps",
		s->wire_gbps.median, "cycles_per_byte", s->cycles_per_byte,
		"cycles_source", s->is_cycles_pmu ? "pmu" : "tsc-estimate",
		"cpu_util", s->cpu_util, "gbps_per_core", s->gbps_per_core,
		"service_demand", "us_per_mb", s->us_per_mb, "us_per_packet",
		s->us_per_packet);

	if (!su)
		return NULL;
	if (s->has_sent) {
		json_object_set_new(su, "sent_pps", stats_json(&s->sent_pps));
		json_object_set_new(su, "delivered", json_real(s->delivered));
	}
	if (s->has_sides)
		json_object_set_new(su, "sides",
				    json_pack("{s:f, s:f}", "tx_gbps_per_core",
					      s->tx_gbps_per_core, "rx_gbps_per_core",
					      s->rx_gbps_per_core));
	if (s->has_phases)
		json_object_set_new(su, "phases",
				    json_pack("{s:f, s:f, s:f}", "crypto_cycles",
					      s->crypto_cycles, "other_cycles",
					      s->other_cycles, "crypto_share",
					      s->crypto_share));
	if (s->has_peer)
		json_object_set_new(su, "peer",
				    json_pack("{s:f, s:f, s:f, s:f}",
					      "cycles_per_byte",
					      s->peer_cycles_per_byte, "cpu_util",
					      s->peer_cpu_util, "gbps_per_core",
					      s->peer_gbps_per_core,
					      "us_per_packet",
					      s->peer_us_per_packet));
	/* Request/response: the transaction rate, as pps. */
	if (s->has_latency)
		json_object_set_new(su, "tps", stats_json(&s->pps));
	if (s->has_processes) {
		json_t *arr = json_array();

		for (size_t i = 0; i < s->n_process_medians; i++)
			json_array_append_new(arr, json_real(s->process_medians[i]));
		json_object_set_new(su, "process_medians", arr);
		json_object_set_new(su, "between_process_cv",
				    json_real(s->between_process_cv));
		json_object_set_new(su, "within_process_cv",
				    json_real(s->within_process_cv));
	}
	return su;
}

/* latency_ns{} of every unit of work in the timed repetitions. */
static json_t *latency_json(const struct summary *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "p50",
			 (json_int_t)s->lat_p50, "p90", (json_int_t)s->lat_p90,
			 "p99", (json_int_t)s->lat_p99, "p999",
			 (json_int_t)s->lat_p999, "max", (json_int_t)s->lat_max,
			 "min", (json_int_t)s->lat_min, "count",
			 (json_int_t)s->lat_count);
}

static json_t *errors_json(const struct summary *s)
{
	json_t *err = json_object();

	if (err)
		counters_json(err, &s->all_sum, COUNTERS_ERRORS);
	return err;
}

static json_t *rejects_json(const struct results_case *c,
			    const struct summary *s)
{
	json_t *rej = json_object();

	for (size_t i = 0; rej && i < c->n_rejects && i < WL_REJECTS_MAX; i++)
		json_object_set_new(rej, c->reject_names[i],
				    json_integer((json_int_t)s->all_sum.rejects[i]));
	return rej;
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

/* What each engine side used and, where the engines count them, their
 * system calls per packet sent (tx) and received (rx). */
static json_t *io_detail_json(const struct results_case *c,
			      const struct summary *s)
{
	json_t *o = json_pack("{s:s?, s:s?}", "tx", c->io_tx, "rx", c->io_rx);

	if (o && s->has_syscalls)
		json_object_set_new(o, "syscalls_per_packet",
				    json_pack("{s:f, s:f}", "tx", s->syscalls_tx,
					      "rx", s->syscalls_rx));
	return o;
}

/* The SAs of each pair and direction: how many, how the sender spread
 * its packets over them, and what one database cost to make. */
static json_t *sa_json(const struct wl_sa_desc *sa)
{
	return json_pack("{s:i, s:s, s:f, s:f}", "count", (int)sa->count,
			 "dist", sa->dist, "bytes_per_sa", sa->bytes_per_sa,
			 "create_per_s", sa->create_per_s);
}

/* The case's other host: where it is, which way the traffic went, what
 * it is and where its workers ran. */
static json_t *peer_json(const struct results_peer *p)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:i, s:o}", "address",
			 p->address, "mode", p->mode, "role", "run", "host",
			 env_host_json(p->host), "workers", (int)p->workers,
			 "placement", place_json(p->placement, p->workers));
}

/* The placement, and the PUs alone as "cpus". */
static json_t *placement_json(const struct results_case *c, json_t *cpus)
{
	unsigned workers = c->workers ? c->workers : c->threads;

	for (unsigned i = 0; i < workers; i++)
		json_array_append_new(cpus, json_integer(c->placement[i].pu));
	return place_json(c->placement, workers);
}

int results_add(struct results_doc *d, const struct results_case *c,
		struct summary *sum)
{
	struct summary own, *s = sum ? sum : &own;
	json_t *samples = json_array(), *cpus = json_array(), *r;
	int rc = summary_case(c, s);

	if (rc < 0) {
		json_decref(samples);
		json_decref(cpus);
		return rc;
	}
	for (size_t i = 0; i < c->n_samples; i++)
		json_array_append_new(samples, sample_json(&c->samples[i]));
	r = json_pack(
		"{s:s, s:s, s:s, s:s, s:I, s:i, s:o, s:s?, s:s?, s:s?, s:o,"
		" s:i, s:f, s:o, s:o, s:o}",
		"workload", c->workload, "cipher", c->cipher, "backend",
		c->backend, "direction", c->direction, "size",
		(json_int_t)c->size, "threads", (int)c->threads, "cpus", cpus,
		"transport", c->transport, "io", c->io, "framing", c->framing,
		"placement", placement_json(c, cpus), "repeat", (int)c->repeat,
		"duration_s", c->duration_s, "samples", samples, "summary",
		summary_json(s), "errors", errors_json(s));
	if (!r)
		return -ENOMEM;
	if (c->pattern)
		json_object_set_new(r, "pattern", json_string(c->pattern));
	if (c->imix)
		json_object_set_new(r, "imix", json_string(c->imix));
	if (c->io_tx || c->io_rx || s->has_syscalls)
		json_object_set_new(r, "io_detail", io_detail_json(c, s));
	if (c->sa && c->sa->count)
		json_object_set_new(r, "sa", sa_json(c->sa));
	if (c->n_rejects)
		json_object_set_new(r, "rejects", rejects_json(c, s));
	if (s->has_latency)
		json_object_set_new(r, "latency_ns", latency_json(s));
	if (c->peer)
		json_object_set_new(r, "peer", peer_json(c->peer));
	json_object_set_new(r, "workers",
			    json_integer(c->workers ? c->workers : c->threads));
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
	json_object_set_new(r, "noise", noise_summary_json(s));
	json_array_append_new(d->results, r);
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
