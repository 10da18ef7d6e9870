/* OpenMetrics text from a document: a table of families (name, type,
 * unit, help, how to read the figure of a case), each written with its
 * metadata and one sample per case that has the figure. Label values go
 * through sink_om_label; names and help texts are this file's own. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/doc_host.h"
#include "report/doc_peer.h"
#include "report/openmetrics.h"
#include "report/sink.h"

/* A case as the families read it. */
struct om_case {
	const struct doc_case *c;
};

/* One metric family. A family with a label of its own (sub) has one
 * sample per value of it for each case; get answers 1 with *v set, or 0
 * when the case has no such figure (no sample then). */
struct om_family {
	const char *name, *type, *unit, *help;
	const char *sub;               /* "quantile", "kind", or NULL */
	const char *const *sub_values; /* NULL-terminated */
	int (*get)(const struct om_case *k, size_t sub, double *v);
};

static int get_gbps(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->gbps_median;
	return 1;
}

static int get_ci_low(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->gbps_ci95[0];
	return 1;
}

static int get_ci_high(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->gbps_ci95[1];
	return 1;
}

static int get_pps(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->pps_median;
	return 1;
}

static int get_cpb(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->cycles_per_byte;
	return 1;
}

static int get_upp(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->us_per_packet;
	return 1;
}

static int get_util(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->cpu_util;
	return 1;
}

static int get_per_core(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->cost.gbps_per_core;
	return *v >= 0;
}

/* A share above 1 (an older run counting preempted time) is no share. */
static int get_crypto_share(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->cost.crypto_share;
	return k->c->cost.has_phases && *v >= 0 && *v <= 1;
}

/* p50, p90, p99, p99.9 and the maximum, the 1.0 quantile. */
static const char *const quantiles[] = { "0.5", "0.9", "0.99", "0.999", "1.0",
					 NULL };

static int get_latency(const struct om_case *k, size_t i, double *v)
{
	*v = k->c->lat_ns[i] / 1e9;
	return k->c->has_latency;
}

static const char *const error_kinds[] = { "auth_fail", "replay", "mismatch",
					   "drops", "drops_kernel", NULL };

static int get_errors(const struct om_case *k, size_t i, double *v)
{
	const double n[] = { k->c->auth_fail, k->c->replay, k->c->mismatch,
			     k->c->drops, k->c->drops_kernel };

	*v = n[i];
	return 1;
}

static int get_reps(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = (double)k->c->n;
	return 1;
}

static int get_peer_cpb(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->peer ? k->c->peer->cycles_per_byte : 0;
	return k->c->peer != NULL;
}

static int get_peer_upp(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->peer ? k->c->peer->us_per_packet : 0;
	return k->c->peer != NULL;
}

static int get_peer_util(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->peer ? k->c->peer->cpu_util : 0;
	return k->c->peer != NULL;
}

static int get_peer_per_core(const struct om_case *k, size_t i, double *v)
{
	(void)i;
	*v = k->c->peer ? k->c->peer->gbps_per_core : 0;
	return k->c->peer != NULL;
}

/* Help texts hold no double quote or backslash: the Prometheus text
 * format would not read them back as OpenMetrics does. */
static const struct om_family families[] = {
	{ "ncbench_throughput_gbps", "gauge", "gbps",
	  "Payload throughput, median of the repetitions, in 10^9 bit/s",
	  NULL, NULL, get_gbps },
	{ "ncbench_throughput_ci95_low_gbps", "gauge", "gbps",
	  "Lower bound of the 95% confidence interval of the mean throughput",
	  NULL, NULL, get_ci_low },
	{ "ncbench_throughput_ci95_high_gbps", "gauge", "gbps",
	  "Upper bound of the 95% confidence interval of the mean throughput",
	  NULL, NULL, get_ci_high },
	{ "ncbench_pps", "gauge", NULL,
	  "Packets (rr: exchanges) per second, median of the repetitions",
	  NULL, NULL, get_pps },
	{ "ncbench_cycles_per_byte", "gauge", NULL,
	  "CPU cycles of the workers per payload byte", NULL, NULL, get_cpb },
	{ "ncbench_us_per_packet", "gauge", NULL,
	  "CPU microseconds of the workers per packet (service demand)", NULL,
	  NULL, get_upp },
	{ "ncbench_cpu_util", "gauge", NULL,
	  "CPU time of the workers over wall time (1 = one core busy)", NULL,
	  NULL, get_util },
	{ "ncbench_gbps_per_core", "gauge", NULL,
	  "Payload 10^9 bit/s per core of CPU time the workers used", NULL,
	  NULL, get_per_core },
	{ "ncbench_crypto_share", "gauge", NULL,
	  "Share of the workers' cycles spent sealing and opening (0..1)",
	  NULL, NULL, get_crypto_share },
	{ "ncbench_latency_seconds", "summary", "seconds",
	  "Request/response latency of one exchange (rr), 1.0 is the maximum",
	  "quantile", quantiles, get_latency },
	{ "ncbench_errors", "gauge", NULL,
	  "Errors counted over the case's repetitions, by kind", "kind",
	  error_kinds, get_errors },
	{ "ncbench_repetitions", "gauge", NULL,
	  "Timed repetitions the figures come from", NULL, NULL, get_reps },
	{ "ncbench_peer_cycles_per_byte", "gauge", NULL,
	  "The serve host's CPU cycles per payload byte (two hosts)", NULL,
	  NULL, get_peer_cpb },
	{ "ncbench_peer_us_per_packet", "gauge", NULL,
	  "The serve host's CPU microseconds per packet (two hosts)", NULL,
	  NULL, get_peer_upp },
	{ "ncbench_peer_cpu_util", "gauge", NULL,
	  "The serve host's CPU time over wall time (two hosts)", NULL, NULL,
	  get_peer_util },
	{ "ncbench_peer_gbps_per_core", "gauge", NULL,
	  "Payload 10^9 bit/s per core of the serve host's CPU (two hosts)",
	  NULL, NULL, get_peer_per_core },
};

/* The shortest text that reads back as v: integers as integers, other
 * values with as many digits as it takes (at most 17). */
static void put_num(FILE *f, double v)
{
	char buf[40];

	if (v == floor(v) && fabs(v) < 1e15) {
		fprintf(f, "%.0f", v == 0 ? 0.0 : v);
		return;
	}
	for (int p = 6; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

static void put_label(FILE *f, const char *name, const char *value, int is_first)
{
	fprintf(f, "%s%s=", is_first ? "" : ",", name);
	sink_om_label(f, value);
}

/* Every case's labels are the same names, empty where a case has no
 * value ("" reads as absent in both formats): the identity a document's
 * key is made of, and the host. */
static void put_labels(FILE *f, const struct doc *d, const struct doc_case *c,
		       const char *sub, const char *sub_value)
{
	char size[32], threads[32], peer[DOC_PEER_ADDR_MAX + 32] = "";

	snprintf(size, sizeof(size), "%ld", c->size);
	snprintf(threads, sizeof(threads), "%u", c->threads);
	if (c->peer)
		snprintf(peer, sizeof(peer), "%s/%s", c->peer->address,
			 doc_peer_mode_name(c->peer->mode));
	fputc('{', f);
	put_label(f, "workload", c->workload, 1);
	put_label(f, "cipher", c->cipher, 0);
	put_label(f, "backend", c->backend, 0);
	put_label(f, "direction", c->direction, 0);
	put_label(f, "size", size, 0);
	put_label(f, "imix", c->imix, 0);
	put_label(f, "threads", threads, 0);
	put_label(f, "transport", c->transport, 0);
	put_label(f, "io", c->io, 0);
	put_label(f, "framing", c->framing, 0);
	put_label(f, "options", c->options, 0);
	put_label(f, "peer", peer, 0);
	put_label(f, "host", doc_host_name(&d->host), 0);
	if (sub)
		put_label(f, sub, sub_value, 0);
	fputc('}', f);
}

static size_t family_samples(const struct om_family *m,
			     const struct om_case *k, size_t n)
{
	size_t count = 0;
	double v;

	for (size_t i = 0; i < n; i++)
		count += m->get(&k[i], 0, &v);
	return count;
}

static void put_family(FILE *f, const struct doc *d, const struct om_family *m,
		       const struct om_case *k, size_t n)
{
	double v;

	if (!family_samples(m, k, n))
		return;
	fprintf(f, "# TYPE %s %s\n", m->name, m->type);
	if (m->unit)
		fprintf(f, "# UNIT %s %s\n", m->name, m->unit);
	fprintf(f, "# HELP %s %s\n", m->name, m->help);
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; !m->sub || m->sub_values[s]; s++) {
			if (m->get(&k[i], s, &v)) {
				fputs(m->name, f);
				put_labels(f, d, k[i].c, m->sub,
					   m->sub ? m->sub_values[s] : NULL);
				fputc(' ', f);
				put_num(f, v);
				fputc('\n', f);
			}
			if (!m->sub)
				break;
		}
}

/* The run itself: an info-style gauge of value 1 (the Prometheus text
 * format has no info type). */
static void put_run(FILE *f, const struct doc *d)
{
	fputs("# TYPE ncbench_run_info gauge\n"
	      "# HELP ncbench_run_info The run the figures come from (value 1)\n"
	      "ncbench_run_info{",
	      f);
	put_label(f, "host", doc_host_name(&d->host), 1);
	put_label(f, "cpu_model", d->host.cpu_model, 0);
	put_label(f, "kernel", d->host.kernel, 0);
	put_label(f, "version", d->version ? d->version : "", 0);
	put_label(f, "git", d->git ? d->git : "", 0);
	put_label(f, "started", d->started ? d->started : "", 0);
	put_label(f, "complete", d->is_complete ? "true" : "false", 0);
	fputs("} 1\n", f);
}

int openmetrics_write(FILE *f, const struct doc *d, struct ncb_err *e)
{
	struct om_case *k = calloc(d->n_cases ? d->n_cases : 1, sizeof(*k));

	if (!k)
		return ncb_errf(e, -ENOMEM, "%s: out of memory", d->path);
	for (size_t i = 0; i < d->n_cases; i++)
		k[i].c = &d->cases[i];
	put_run(f, d);
	for (size_t m = 0; m < NCB_ARRAY_SIZE(families); m++)
		put_family(f, d, &families[m], k, d->n_cases);
	fputs("# EOF\n", f);
	free(k);
	return 0;
}
