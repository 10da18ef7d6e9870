/* Reading result documents with Jansson. A document is hostile input:
 * everything a reader relies on is checked here against the schema (types,
 * ranges, finite numbers, no control bytes in any string, unique cases),
 * so the commands above can trust the structs. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/doc.h"
#include "report/doc_check.h"
#include "report/doc_config.h"
#include "report/doc_cost.h"
#include "report/doc_host.h"
#include "report/doc_peer.h"
#include "report/doc_scale.h"

static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* No string or key anywhere holds a control byte: no legitimate document
 * has one, and a newline is what turns a name into a gnuplot command.
 * Depth is bounded by the parser (JSON_PARSER_MAX_DEPTH). */
static int check_strings(json_t *v, const struct doc_at *a)
{
	struct doc_at sub;
	const char *k;
	json_t *x;
	size_t i;
	int rc;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (has_control(json_string_value(v), json_string_length(v)))
			return doc_check_bad(a, NULL, "a string holds a control character");
		return 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) {
			doc_check_at(&sub, a, "[%zu]", i);
			rc = check_strings(x, &sub);
			if (rc < 0)
				return rc;
		}
		return 0;
	case JSON_OBJECT:
		json_object_foreach(v, k, x) {
			doc_check_at(&sub, a, "%s", k);
			if (has_control(k, strlen(k)))
				return doc_check_bad(&sub, NULL, "a key holds a control character");
			rc = check_strings(x, &sub);
			if (rc < 0)
				return rc;
		}
		return 0;
	default:
		return 0;
	}
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_cases; i++) {
		free(d->cases[i].key);
		free(d->cases[i].series);
		free(d->cases[i].options);
		free(d->cases[i].gbps);
		free(d->cases[i].pps);
		free(d->cases[i].ns_pkt);
		free(d->cases[i].reps);
		doc_peer_free(d->cases[i].peer);
	}
	doc_host_free(&d->host);
	for (size_t i = 0; i < d->n_config; i++)
		free(d->config[i].value);
	free(d->config);
	free(d->libs);
	free(d->cases);
	free(d->by_key);
	json_decref(d->root);
	free(d);
}

/* The identity strings of a case: every identity field, whole, then the
 * peer of a two-host case ("peer=ADDRESS/MODE") and the options (so runs
 * with different options, peers or modes never pair). A one-host case's
 * key is what it was before two hosts existed. */
static int make_key(struct doc_case *c)
{
	const char *sp_t = *c->transport ? " " : "", *sp_i = *c->io ? " " : "";
	const char *sp_f = *c->framing ? " " : "";
	const char *sp_o = *c->options ? " " : "";
	char size[32], *tail;

	tail = doc_check_strf("%s%s%s%s%s%s%s%s%s%s%s%s", sp_t, c->transport,
			      sp_i, c->io, sp_f, c->framing,
			      c->peer ? " peer=" : "",
			      c->peer ? c->peer->address : "",
			      c->peer ? "/" : "",
			      c->peer ? doc_peer_mode_name(c->peer->mode) : "",
			      sp_o, c->options);
	if (!tail)
		return -ENOMEM;
	snprintf(size, sizeof(size), "size=%ld", c->size);
	c->key = doc_check_strf("%s %s %s %s %s%s threads=%u%s", c->workload,
				c->cipher, c->backend, c->direction,
				*c->imix ? "imix=" : size, c->imix, c->threads,
				tail);
	c->series = doc_check_strf("%s %s %s %s%s", c->workload, c->cipher,
				   c->backend, c->direction, tail);
	free(tail);
	return c->key && c->series ? 0 : -ENOMEM;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An option's value as text: a string as it is, an integer in decimal, a
 * real in the fewest digits that read back to the same double (so 50 and
 * 50.0 are one value, 0.1 and 0.1000000000000001 two), true or false. */
static int option_value(const struct doc_at *a, const char *k, json_t *v,
			char *buf, size_t len)
{
	double x;

	switch (json_typeof(v)) {
	case JSON_STRING:
		snprintf(buf, len, "%s", json_string_value(v));
		return 0;
	case JSON_INTEGER:
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_REAL:
		x = json_real_value(v);
		if (!isfinite(x))
			return doc_check_bad(a, k, "must be a finite number");
		snprintf(buf, len, "%.15g", x);
		if (strtod(buf, NULL) != x)
			snprintf(buf, len, "%.17g", x);
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
		return 0;
	default:
		return doc_check_bad(a, k, "must be a string, a number or true/false");
	}
}

/* options{}: every option that changes what is measured, so part of the
 * identity. Sorted by name; values whole (a long string is not cut). */
static int load_options(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	const char *names[DOC_OPTIONS_MAX], *k;
	json_t *o, *v;
	struct doc_at ao;
	size_t n = 0, len = 1, used = 0;
	char num[64];
	int rc;

	if ((rc = doc_check_obj(a, r, "options", 0, &o)) < 0)
		return rc;
	if (!o || !json_object_size(o)) {
		c->options = strdup("");
		return c->options ? 0 : doc_check_oom(a);
	}
	if (json_object_size(o) > DOC_OPTIONS_MAX)
		return doc_check_bad(a, "options", "more than %d options", DOC_OPTIONS_MAX);
	doc_check_at(&ao, a, "options");
	json_object_foreach(o, k, v) {
		if (!*k)
			return doc_check_bad(&ao, NULL, "an option has an empty name");
		if ((rc = option_value(&ao, k, v, num, sizeof(num))) < 0)
			return rc;
		names[n++] = k;
		len += strlen(k) + 2 + (json_is_string(v) ? json_string_length(v)
							  : strlen(num));
	}
	qsort(names, n, sizeof(*names), by_str);
	c->options = malloc(len);
	if (!c->options)
		return doc_check_oom(a);
	for (size_t i = 0; i < n; i++) {
		v = json_object_get(o, names[i]);
		if ((rc = option_value(&ao, names[i], v, num, sizeof(num))) < 0)
			return rc;
		used += (size_t)snprintf(c->options + used, len - used, "%s%s=%s",
					 i ? " " : "", names[i],
					 json_is_string(v) ? json_string_value(v) : num);
	}
	return 0;
}

static int load_identity(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	long long v;
	int rc;

	if ((rc = doc_check_str(a, r, "workload", 1, &c->workload)) < 0 ||
	    (rc = doc_check_str(a, r, "cipher", 1, &c->cipher)) < 0 ||
	    (rc = doc_check_str(a, r, "backend", 1, &c->backend)) < 0 ||
	    (rc = doc_check_str(a, r, "direction", 1, &c->direction)) < 0 ||
	    (rc = doc_check_str(a, r, "transport", 0, &c->transport)) < 0 ||
	    (rc = doc_check_str(a, r, "io", 0, &c->io)) < 0 ||
	    (rc = doc_check_str(a, r, "framing", 0, &c->framing)) < 0 ||
	    (rc = doc_check_str(a, r, "imix", 0, &c->imix)) < 0)
		return rc;
	if ((rc = doc_check_int(a, r, "size", 1, DOC_SIZE_MAX, &v)) < 0)
		return rc;
	c->size = (long)v;
	if ((rc = doc_check_int(a, r, "threads", 1, DOC_THREADS_MAX, &v)) < 0)
		return rc;
	c->threads = (unsigned)v;
	c->workers = c->threads;
	if (json_object_get(r, "workers")) {
		if ((rc = doc_check_int(a, r, "workers", 1, DOC_WORKERS_MAX, &v)) < 0)
			return rc;
		c->workers = (unsigned)v;
	}
	return 0;
}

/* disturbed_by[]: the reasons, as bits. */
static int load_reasons(struct doc_rep *rep, json_t *s, const struct doc_at *a)
{
	static const char *const known[] = { "steal", "others", "nivcsw", "canary" };
	json_t *by = json_object_get(s, "disturbed_by"), *x;
	size_t i;

	if (!by)
		return 0;
	if (!json_is_array(by) || json_array_size(by) > DOC_REASONS_MAX)
		return doc_check_bad(a, "disturbed_by", "must be an array of at most %d names",
				     DOC_REASONS_MAX);
	json_array_foreach(by, i, x) {
		unsigned bit = DOC_R_OTHER;

		if (!json_is_string(x))
			return doc_check_bad(a, "disturbed_by", "must hold names (strings)");
		for (size_t k = 0; k < NCB_ARRAY_SIZE(known); k++)
			if (strcmp(json_string_value(x), known[k]) == 0)
				bit = 1u << k;
		rep->reasons |= bit;
	}
	return 0;
}

/* noise{} of a sample: figures >= 0; the canary's kept. */
static int load_sample_noise(struct doc_rep *rep, json_t *s, const struct doc_at *a)
{
	const char *k;
	struct doc_at an;
	json_t *no, *v;
	double x;
	int rc;

	if ((rc = doc_check_obj(a, s, "noise", 0, &no)) < 0 || !no)
		return rc;
	doc_check_at(&an, a, "noise");
	json_object_foreach(no, k, v) {
		if ((rc = doc_check_value(&an, k, v, 0, DOC_NUM_MAX, &x)) < 0)
			return rc;
		if (strcmp(k, "canary_drift") == 0)
			rep->canary_drift = x;
		if (strcmp(k, "canary_ns") == 0)
			rep->canary_ns = x;
	}
	return 0;
}

static int load_sample(struct doc_case *c, size_t j, json_t *s,
		       const struct doc_at *sa)
{
	struct doc_rep *rep = &c->reps[j];
	double secs, packets, sent = 0, cpu = -1;
	long long proc = 0;
	int rc;

	if (!json_is_object(s))
		return doc_check_bad(sa, NULL, "must be an object");
	rep->canary_drift = -1;
	rep->canary_ns = 0;
	if ((rc = doc_check_num(sa, s, "gbps", 0, DOC_NUM_MAX, &c->gbps[j])) < 0 ||
	    (rc = doc_check_num(sa, s, "seconds", DOC_SECONDS_MIN, DOC_NUM_MAX, &secs)) < 0 ||
	    (rc = doc_check_num(sa, s, "packets", 0, DOC_NUM_MAX, &packets)) < 0 ||
	    (rc = doc_check_opt_num(sa, s, "sent_packets", 0, DOC_NUM_MAX, &sent)) < 0 ||
	    (rc = doc_check_opt_num(sa, s, "cpu_seconds", 0, DOC_NUM_MAX, &cpu)) < 0 ||
	    (rc = doc_check_opt_int(sa, s, "process", 0, (long long)c->processes - 1,
				    &proc)) < 0 ||
	    (rc = doc_check_opt_bool(sa, s, "disturbed", &rep->is_disturbed)) < 0 ||
	    (rc = doc_check_opt_bool(sa, s, "dropped", &rep->is_dropped)) < 0 ||
	    (rc = load_reasons(rep, s, sa)) < 0 ||
	    (rc = load_sample_noise(rep, s, sa)) < 0 ||
	    (rc = doc_peer_load_sample(c, rep, s, sa)) < 0)
		return rc;
	c->pps[j] = packets / secs;
	c->ns_pkt[j] = cpu >= 0 && packets > 0 ? cpu * 1e9 / packets : -1;
	c->sent += sent;
	c->packets += packets;
	rep->process = (unsigned)proc;
	c->has_noise |= json_object_get(s, "disturbed") != NULL;
	return 0;
}

static int load_samples(struct doc_case *c, json_t *samples, const struct doc_at *a)
{
	struct doc_at sa;
	json_t *s;
	size_t j;
	int rc;

	if (!json_is_array(samples) || !json_array_size(samples) ||
	    json_array_size(samples) > DOC_SAMPLES_MAX)
		return doc_check_bad(a, "samples", "must be an array of 1..%d samples",
				     DOC_SAMPLES_MAX);
	c->n = json_array_size(samples);
	c->gbps = calloc(c->n, sizeof(*c->gbps));
	c->pps = calloc(c->n, sizeof(*c->pps));
	c->reps = calloc(c->n, sizeof(*c->reps));
	c->ns_pkt = calloc(c->n, sizeof(*c->ns_pkt));
	if (!c->gbps || !c->pps || !c->reps || !c->ns_pkt)
		return doc_check_oom(a);
	json_array_foreach(samples, j, s) {
		doc_check_at(&sa, a, "samples[%zu]", j);
		if ((rc = load_sample(c, j, s, &sa)) < 0)
			return rc;
	}
	return 0;
}

/* noise{} of a case: the counts, and figures (numbers >= 0) or text. */
static int load_case_noise(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	const char *k;
	struct doc_at an;
	json_t *no, *v;
	double x;
	int rc;

	c->noise_reps = c->noise_disturbed = c->noise_dropped = -1;
	if ((rc = doc_check_obj(a, r, "noise", 0, &no)) < 0 || !no)
		return rc;
	doc_check_at(&an, a, "noise");
	c->has_noise = 1;
	if ((rc = doc_check_opt_int(&an, no, "repetitions", 0, DOC_SAMPLES_MAX,
				    &c->noise_reps)) < 0 ||
	    (rc = doc_check_opt_int(&an, no, "disturbed", 0, DOC_SAMPLES_MAX,
				    &c->noise_disturbed)) < 0 ||
	    (rc = doc_check_opt_int(&an, no, "dropped", 0, DOC_SAMPLES_MAX,
				    &c->noise_dropped)) < 0)
		return rc;
	if (c->noise_reps >= 0 && (c->noise_disturbed > c->noise_reps ||
				   c->noise_dropped > c->noise_reps))
		return doc_check_bad(&an, NULL, "more repetitions disturbed or dropped than there were");
	json_object_foreach(no, k, v)
		if (!json_is_string(v) &&
		    (rc = doc_check_value(&an, k, v, 0, DOC_NUM_MAX, &x)) < 0)
			return rc;
	return 0;
}

/* How the samples were drawn, and the error counts. */
static int load_run(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	/* The errors{} counters a reader uses, by name. */
	static const struct {
		const char *name;
		size_t offset; /* of a double in struct doc_case */
	} counts[] = {
		{ "auth_fail", offsetof(struct doc_case, auth_fail) },
		{ "replay", offsetof(struct doc_case, replay) },
		{ "mismatch", offsetof(struct doc_case, mismatch) },
		{ "drops", offsetof(struct doc_case, drops) },
		{ "drops_kernel", offsetof(struct doc_case, drops_kernel) },
	};
	long long procs = 1, repeat = 0;
	struct doc_at ae;
	json_t *err;
	int rc;

	if ((rc = doc_check_opt_int(a, r, "processes", 1, DOC_SAMPLES_MAX, &procs)) < 0 ||
	    (rc = doc_check_opt_int(a, r, "repeat", 0, DOC_SAMPLES_MAX, &repeat)) < 0 ||
	    (rc = doc_check_str(a, r, "repeat_mode", 0, &c->repeat_mode)) < 0 ||
	    (rc = doc_check_str(a, r, "repeat_stop", 0, &c->repeat_stop)) < 0 ||
	    (rc = doc_check_obj(a, r, "errors", 0, &err)) < 0 ||
	    (rc = load_case_noise(c, r, a)) < 0)
		return rc;
	c->processes = (unsigned)procs;
	c->repeat = (unsigned)repeat;
	doc_check_at(&ae, a, "errors");
	for (size_t k = 0; err && k < NCB_ARRAY_SIZE(counts); k++)
		if ((rc = doc_check_opt_num(&ae, err, counts[k].name, 0, DOC_NUM_MAX,
					    (double *)(void *)((char *)c + counts[k].offset))) < 0)
			return rc;
	return 0;
}

static int load_summary(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	json_t *sum, *g, *pps, *sd, *ci, *ph;
	struct doc_at as, ag;
	int rc;

	c->gbps_per_core = c->crypto_share = -1;

	if ((rc = doc_check_obj(a, r, "summary", 1, &sum)) < 0)
		return rc;
	doc_check_at(&as, a, "summary");
	if ((rc = doc_check_obj(&as, sum, "gbps", 1, &g)) < 0 ||
	    (rc = doc_check_obj(&as, sum, "pps", 1, &pps)) < 0 ||
	    (rc = doc_check_obj(&as, sum, "service_demand", 1, &sd)) < 0)
		return rc;
	doc_check_at(&ag, &as, "gbps");
	ci = json_object_get(g, "ci95");
	if (!json_is_array(ci) || json_array_size(ci) != 2)
		return doc_check_bad(&ag, "ci95", "must be an array of two numbers");
	if ((rc = doc_check_num(&ag, g, "median", 0, DOC_NUM_MAX, &c->gbps_median)) < 0 ||
	    (rc = doc_check_value(&ag, "ci95[0]", json_array_get(ci, 0), -DOC_NUM_MAX,
				  DOC_NUM_MAX, &c->gbps_ci95[0])) < 0 ||
	    (rc = doc_check_value(&ag, "ci95[1]", json_array_get(ci, 1), -DOC_NUM_MAX,
				  DOC_NUM_MAX, &c->gbps_ci95[1])) < 0)
		return rc;
	doc_check_at(&ag, &as, "pps");
	if ((rc = doc_check_num(&ag, pps, "median", 0, DOC_NUM_MAX, &c->pps_median)) < 0)
		return rc;
	doc_check_at(&ag, &as, "service_demand");
	if ((rc = doc_check_num(&ag, sd, "us_per_packet", 0, DOC_NUM_MAX,
				&c->us_per_packet)) < 0 ||
	    (rc = doc_check_num(&as, sum, "cpu_util", 0, DOC_NUM_MAX, &c->cpu_util)) < 0 ||
	    (rc = doc_check_num(&as, sum, "cycles_per_byte", 0, DOC_NUM_MAX,
				&c->cycles_per_byte)) < 0 ||
	    (rc = doc_check_opt_num(&as, sum, "gbps_per_core", 0, DOC_NUM_MAX,
				    &c->gbps_per_core)) < 0 ||
	    (rc = doc_check_obj(&as, sum, "phases", 0, &ph)) < 0)
		return rc;
	doc_check_at(&ag, &as, "phases");
	if (ph && (rc = doc_check_opt_num(&ag, ph, "crypto_share", 0, DOC_NUM_MAX,
					  &c->crypto_share)) < 0)
		return rc;
	return doc_peer_load_summary(c, sum, &as);
}

static int load_latency(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	static const char *const keys[] = { "p50", "p90", "p99", "p999", "max" };
	struct doc_at al;
	json_t *lat;
	int rc;

	if ((rc = doc_check_obj(a, r, "latency_ns", 0, &lat)) < 0 || !lat)
		return rc;
	doc_check_at(&al, a, "latency_ns");
	for (size_t k = 0; k < NCB_ARRAY_SIZE(keys); k++)
		if ((rc = doc_check_num(&al, lat, keys[k], 0, DOC_NUM_MAX,
					&c->lat_ns[k])) < 0)
			return rc;
	c->has_latency = 1;
	return 0;
}

static int load_case(struct doc *d, json_t *r, size_t i, const struct doc_at *top)
{
	struct doc_case *c = &d->cases[i];
	struct doc_at a;
	int rc;

	doc_check_at(&a, top, "results[%zu]", i);
	if (!json_is_object(r))
		return doc_check_bad(&a, NULL, "must be an object");
	if ((rc = load_identity(c, r, &a)) < 0 ||
	    (rc = doc_peer_load(c, r, &a)) < 0 ||
	    (rc = load_run(c, r, &a)) < 0 ||
	    (rc = load_samples(c, json_object_get(r, "samples"), &a)) < 0 ||
	    (rc = load_summary(c, r, &a)) < 0 ||
	    (rc = load_latency(c, r, &a)) < 0 ||
	    (rc = load_options(c, r, &a)) < 0 ||
	    (rc = doc_scale_load(c, r, &a)) < 0 ||
	    (rc = doc_cost_load(c, r, &a)) < 0)
		return rc;
	if (make_key(c) < 0)
		return doc_check_oom(top);
	return 0;
}

/* libraries: {name: version} of at most DOC_LIBS_MAX short strings (or
 * null), whichever libraries the run names: a reader lists them all. */
static int load_libs(struct doc *d, json_t *libs, const struct doc_at *a)
{
	const char *k;
	struct doc_at sub;
	json_t *v;
	int rc;

	if (!libs)
		return 0;
	doc_check_at(&sub, a, "libraries");
	if (json_object_size(libs) > DOC_LIBS_MAX)
		return doc_check_bad(&sub, NULL, "more than %d libraries", DOC_LIBS_MAX);
	d->libs = calloc(json_object_size(libs) + 1, sizeof(*d->libs));
	if (!d->libs)
		return doc_check_oom(a);
	json_object_foreach(libs, k, v) {
		struct doc_lib *l = &d->libs[d->n_libs];

		if (!*k || strlen(k) > DOC_LIB_NAME_MAX)
			return doc_check_bad(&sub, NULL, "a library's name is empty or longer than %d bytes",
					     DOC_LIB_NAME_MAX);
		if ((rc = doc_check_str(&sub, libs, k, 0, &l->version)) < 0)
			return rc;
		if (strlen(l->version) > DOC_LIB_VERSION_MAX)
			return doc_check_bad(&sub, k, "longer than %d bytes", DOC_LIB_VERSION_MAX);
		l->name = k;
		d->n_libs++;
	}
	return 0;
}

static int load_header(struct doc *d, const struct doc_at *a)
{
	json_t *root = d->root, *host, *tool, *libs, *v;
	struct doc_at sub;
	int rc;

	if (!json_is_object(root))
		return doc_check_bad(a, NULL, "not an ncbench result document (not a JSON object)");
	if ((rc = doc_check_str(a, root, "schema", 1, &d->schema)) < 0)
		return rc;
	if (strcmp(d->schema, DOC_SCHEMA) != 0)
		return doc_check_bad(a, "schema", "'%.40s' is not %s", d->schema, DOC_SCHEMA);
	if ((rc = doc_check_obj(a, root, "host", 1, &host)) < 0 ||
	    (rc = doc_check_obj(a, root, "tool", 0, &tool)) < 0 ||
	    (rc = doc_check_obj(a, root, "libraries", 0, &libs)) < 0 ||
	    (rc = doc_check_str(a, root, "started", 0, &d->started)) < 0)
		return rc;
	v = json_object_get(root, "complete");
	if (!json_is_boolean(v))
		return doc_check_bad(a, "complete", "%s true or false",
				     v ? "must be" : "missing,");
	d->is_complete = json_is_true(v);
	doc_check_at(&sub, a, "host");
	if ((rc = doc_host_load(&d->host, host, &sub)) < 0)
		return rc;
	doc_check_at(&sub, a, "tool");
	if ((rc = doc_check_str(&sub, tool, "version", 0, &d->version)) < 0 ||
	    (rc = doc_check_str(&sub, tool, "git", 0, &d->git)) < 0)
		return rc;
	if ((rc = load_libs(d, libs, a)) < 0 ||
	    (rc = doc_config_load(d, root, a)) < 0)
		return rc;
	if (!json_is_array(json_object_get(root, "results")))
		return doc_check_bad(a, "results", "%s an array",
				     json_object_get(root, "results") ? "must be" : "missing,");
	return 0;
}

static int by_key_cmp(const void *a, const void *b)
{
	const struct doc_case *x = *(const struct doc_case *const *)a;
	const struct doc_case *y = *(const struct doc_case *const *)b;

	return strcmp(x->key, y->key);
}

/* Sorts the identities and compares neighbours: O(n log n), where a
 * pairwise check took seconds on 20,000 cases. */
static int index_cases(struct doc *d, const struct doc_at *a)
{
	d->by_key = malloc((d->n_cases ? d->n_cases : 1) * sizeof(*d->by_key));
	if (!d->by_key)
		return doc_check_oom(a);
	for (size_t i = 0; i < d->n_cases; i++)
		d->by_key[i] = &d->cases[i];
	qsort(d->by_key, d->n_cases, sizeof(*d->by_key), by_key_cmp);
	for (size_t i = 1; i < d->n_cases; i++)
		if (strcmp(d->by_key[i - 1]->key, d->by_key[i]->key) == 0) {
			size_t x = (size_t)(d->by_key[i - 1] - d->cases);
			size_t y = (size_t)(d->by_key[i] - d->cases);

			/* qsort is not stable: name the later one as the repeat. */
			return ncb_errf(a->e, -EINVAL, "%s: results[%zu] repeats results[%zu]: the case '%s'",
					a->file, x > y ? x : y, x > y ? y : x,
					d->by_key[i]->key);
		}
	return 0;
}

/* Checks a parsed document (d->root) and fills d from it. */
static int load_root(struct doc *d, struct ncb_err *e)
{
	struct doc_at a = { .file = d->path, .where = "", .e = e };
	json_t *results;
	int rc;

	if ((rc = load_header(d, &a)) < 0 || (rc = check_strings(d->root, &a)) < 0)
		return rc;
	results = json_object_get(d->root, "results");
	d->cases = calloc(json_array_size(results) + 1, sizeof(*d->cases));
	if (!d->cases)
		return ncb_errf(e, -ENOMEM, "%s: out of memory", d->path);
	d->n_cases = json_array_size(results); /* doc_free frees this many */
	for (size_t i = 0; i < d->n_cases; i++) {
		rc = load_case(d, json_array_get(results, i), i, &a);
		if (rc < 0)
			return rc;
	}
	return index_cases(d, &a);
}

static int load(struct doc **out, const char *name, const char *path,
		const char *buf, size_t len, struct ncb_err *e)
{
	struct doc *d = calloc(1, sizeof(*d));
	json_error_t je;
	int rc;

	*out = NULL;
	if (!d)
		return ncb_errf(e, -ENOMEM, "out of memory");
	snprintf(d->path, sizeof(d->path), "%s", name);
	d->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je)
		       : json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!d->root) {
		ncb_errf(e, -EINVAL, "%s: %s (line %d)", name, je.text, je.line);
		doc_free(d);
		return -EINVAL;
	}
	rc = load_root(d, e);
	if (rc < 0) {
		doc_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int doc_load(struct doc **out, const char *path, struct ncb_err *e)
{
	return load(out, path, path, NULL, 0, e);
}

int doc_load_buf(struct doc **out, const char *name, const char *buf,
		 size_t len, struct ncb_err *e)
{
	return load(out, name, NULL, buf, len, e);
}

const char *doc_reason_name(unsigned bit)
{
	static const char *const names[DOC_REASONS] = { "steal", "others",
							 "nivcsw", "canary",
							 "other" };

	return bit < DOC_REASONS ? names[bit] : "?";
}

static int find_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct doc_case *const *)elem)->key);
}

const struct doc_case *doc_find(const struct doc *d, const char *key)
{
	const struct doc_case *const *c;

	if (!d->n_cases)
		return NULL;
	c = bsearch(key, d->by_key, d->n_cases, sizeof(*d->by_key), find_cmp);
	return c ? *c : NULL;
}

int doc_case_has_option(const struct doc_case *c, const char *tok)
{
	size_t len = strlen(tok);

	for (const char *p = c->options; (p = strstr(p, tok)); p += len)
		if ((p == c->options || p[-1] == ' ') && (!p[len] || p[len] == ' '))
			return 1;
	return 0;
}
