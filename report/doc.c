/* Reading result documents with Jansson. Everything a reader relies on is
 * checked here, so the commands above can trust the structs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/doc.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_cases; i++) {
		free(d->cases[i].gbps);
		free(d->cases[i].pps);
	}
	free(d->cases);
	json_decref(d->root);
	free(d);
}

static int load_case(struct doc *d, json_t *r, size_t i, struct ncb_err *e)
{
	struct doc_case *c = &d->cases[i];
	json_t *samples = json_object_get(r, "samples"), *s;
	json_t *sum = json_object_get(r, "summary");
	json_t *g = json_object_get(sum, "gbps"), *ci, *lat;
	char sz[64];
	size_t j;

	if (!json_is_object(r) || !json_is_string(json_object_get(r, "workload")) ||
	    !json_is_string(json_object_get(r, "cipher")) ||
	    !json_is_integer(json_object_get(r, "size")) ||
	    !json_is_integer(json_object_get(r, "threads")))
		return ncb_errf(e, -EINVAL,
				"%s: result %zu lacks workload, cipher, size or threads",
				d->path, i);
	if (!json_is_array(samples) || !json_array_size(samples) ||
	    json_array_size(samples) > DOC_SAMPLES_MAX || !json_is_object(g))
		return ncb_errf(e, -EINVAL, "%s: result %zu has no samples or summary",
				d->path, i);
	c->workload = str(r, "workload");
	c->cipher = str(r, "cipher");
	c->backend = str(r, "backend");
	c->direction = str(r, "direction");
	c->transport = str(r, "transport");
	c->io = str(r, "io");
	c->framing = str(r, "framing");
	c->imix = str(r, "imix");
	c->size = (long)json_integer_value(json_object_get(r, "size"));
	c->threads = (unsigned)json_integer_value(json_object_get(r, "threads"));
	c->workers = json_is_integer(json_object_get(r, "workers"))
			     ? (unsigned)json_integer_value(json_object_get(r, "workers"))
			     : c->threads;
	if (*c->imix)
		snprintf(sz, sizeof(sz), "imix=%s", c->imix);
	else
		snprintf(sz, sizeof(sz), "size=%ld", c->size);
	snprintf(c->key, sizeof(c->key), "%s %s %s %s %s threads=%u%s%s%s%s%s%s",
		 c->workload, c->cipher, c->backend, c->direction, sz,
		 c->threads, *c->transport ? " " : "", c->transport,
		 *c->io ? " " : "", c->io, *c->framing ? " " : "", c->framing);
	snprintf(c->series, sizeof(c->series), "%s %s %s %s%s%s%s%s%s%s",
		 c->workload, c->cipher, c->backend, c->direction,
		 *c->transport ? " " : "", c->transport, *c->io ? " " : "",
		 c->io, *c->framing ? " " : "", c->framing);
	c->n = json_array_size(samples);
	c->gbps = calloc(c->n, sizeof(*c->gbps));
	c->pps = calloc(c->n, sizeof(*c->pps));
	if (!c->gbps || !c->pps)
		return ncb_errf(e, -ENOMEM, "%s: out of memory", d->path);
	json_array_foreach(samples, j, s) {
		double secs = num(s, "seconds");

		if (!json_is_number(json_object_get(s, "gbps")) || secs <= 0)
			return ncb_errf(e, -EINVAL,
					"%s: result %zu sample %zu lacks gbps or seconds",
					d->path, i, j);
		c->gbps[j] = num(s, "gbps");
		c->pps[j] = num(s, "packets") / secs;
	}
	ci = json_object_get(g, "ci95");
	c->gbps_median = num(g, "median");
	c->gbps_ci95[0] = json_number_value(json_array_get(ci, 0));
	c->gbps_ci95[1] = json_number_value(json_array_get(ci, 1));
	c->pps_median = num(json_object_get(sum, "pps"), "median");
	c->us_per_packet =
		num(json_object_get(sum, "service_demand"), "us_per_packet");
	c->cpu_util = num(sum, "cpu_util");
	c->cycles_per_byte = num(sum, "cycles_per_byte");
	lat = json_object_get(r, "latency_ns");
	if (json_is_object(lat)) {
		static const char *const keys[] = { "p50", "p90", "p99", "p999",
						    "max" };

		for (size_t k = 0; k < NCB_ARRAY_SIZE(keys); k++) {
			if (!json_is_number(json_object_get(lat, keys[k])))
				return ncb_errf(e, -EINVAL,
						"%s: result %zu: latency_ns lacks %s",
						d->path, i, keys[k]);
			c->lat_ns[k] = num(lat, keys[k]);
		}
		c->has_latency = 1;
	}
	return 0;
}

int doc_load(struct doc **out, const char *path, struct ncb_err *e)
{
	struct doc *d = calloc(1, sizeof(*d));
	json_t *results, *host, *libs, *tool;
	json_error_t je;
	int rc;

	*out = NULL;
	if (!d)
		return ncb_errf(e, -ENOMEM, "out of memory");
	snprintf(d->path, sizeof(d->path), "%s", path);
	d->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!d->root) {
		ncb_errf(e, -EINVAL, "%s: %s (line %d)", path, je.text, je.line);
		doc_free(d);
		return -EINVAL;
	}
	d->schema = str(d->root, "schema");
	results = json_object_get(d->root, "results");
	host = json_object_get(d->root, "host");
	libs = json_object_get(d->root, "libraries");
	tool = json_object_get(d->root, "tool");
	if (!json_is_object((json_t *)d->root) || !*d->schema ||
	    !json_is_array(results) ||
	    !json_is_object(host)) {
		ncb_errf(e, -EINVAL, "%s: not an ncbench result document (no schema, host or results)",
			 path);
		doc_free(d);
		return -EINVAL;
	}
	d->hostname = str(host, "hostname");
	d->cpu_model = str(host, "cpu_model");
	d->kernel = str(host, "kernel");
	d->pus = (unsigned)num(host, "pus");
	d->started = str(d->root, "started");
	d->version = str(tool, "version");
	d->git = str(tool, "git");
	d->lib_openssl = str(libs, "openssl");
	d->lib_gcrypt = str(libs, "gcrypt");
	d->lib_liburing = str(libs, "liburing");
	d->lib_ipsec_mb = str(libs, "ipsec_mb");
	d->lib_sodium = str(libs, "sodium");
	d->is_complete = json_is_true(json_object_get(d->root, "complete"));
	d->n_cases = json_array_size(results);
	d->cases = calloc(d->n_cases ? d->n_cases : 1, sizeof(*d->cases));
	if (!d->cases) {
		doc_free(d);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < d->n_cases; i++) {
		rc = load_case(d, json_array_get(results, i), i, e);
		if (rc < 0) {
			doc_free(d);
			return rc;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->cases[k].key, d->cases[i].key) == 0) {
				ncb_errf(e, -EINVAL, "%s: case '%s' appears twice",
					 path, d->cases[i].key);
				doc_free(d);
				return -EINVAL;
			}
	}
	*out = d;
	return 0;
}

const struct doc_case *doc_find(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->n_cases; i++)
		if (strcmp(d->cases[i].key, key) == 0)
			return &d->cases[i];
	return NULL;
}
