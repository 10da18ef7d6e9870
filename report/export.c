/* export: CSV by hand (RFC 4180 quoting and formula neutralising, in
 * sink_csv), BMF with Jansson. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "io/ncb_cli.h"
#include "report/doc.h"
#include "report/doc_host.h"
#include "report/doc_peer.h"
#include "report/export.h"
#include "report/openmetrics.h"
#include "report/out.h"
#include "report/sink.h"

static void write_csv_peer(FILE *f, const struct doc_peer *p)
{
	if (!p) {
		fputs(",,,,,,", f); /* the six peer columns, empty */
		return;
	}
	fputc(',', f);
	sink_csv(f, p->address);
	fputc(',', f);
	sink_csv(f, doc_peer_mode_name(p->mode));
	fputc(',', f);
	sink_csv(f, p->host.hostname);
	fprintf(f, ",%.4f,%.6f,%.4f", p->cycles_per_byte, p->us_per_packet,
		p->cpu_util);
}

/* One row per case; the peer columns (after the older ones, so a
 * reader by position keeps working) are empty for a one-host case. */
/* ",X" for a figure the case has (x >= 0), "," for one it lacks. */
static void csv_num(FILE *f, const char *fmt, double x)
{
	fputc(',', f);
	if (x >= 0)
		fprintf(f, fmt, x);
}

/* CPU per Gbit/s and a flow case's SAs, sockets and system calls: empty
 * cells where the document has none. */
static void write_csv_scale(FILE *f, const struct doc_case *c)
{
	const struct doc_scale *s = &c->scale;

	csv_num(f, "%.6f", c->cost.gbps_per_core);
	csv_num(f, "%.0f", s->sa_count ? (double)s->sa_count : -1);
	fputc(',', f);
	sink_csv(f, s->sa_dist ? s->sa_dist : "");
	csv_num(f, "%.0f", s->sa_bytes);
	csv_num(f, "%.1f", s->sa_create_per_s);
	csv_num(f, "%.0f", s->flows ? (double)s->flows : -1);
	csv_num(f, "%.4f", s->syscalls_tx);
	csv_num(f, "%.4f", s->syscalls_rx);
}

static void write_csv(FILE *f, const struct doc *d)
{
	fputs("workload,cipher,backend,direction,size,imix,threads,transport,io,"
	      "framing,gbps_median,gbps_ci95_low,gbps_ci95_high,pps_median,"
	      "us_per_packet,cpu_util,cycles_per_byte,samples,host,peer,"
	      "peer_mode,peer_host,peer_cycles_per_byte,peer_us_per_packet,"
	      "peer_cpu_util,gbps_per_core,sas,sa_dist,bytes_per_sa,"
	      "sa_create_per_s,flows,syscalls_per_packet_tx,"
	      "syscalls_per_packet_rx\n",
	      f);
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];
		const char *s[] = { c->workload, c->cipher, c->backend,
				    c->direction };

		for (size_t k = 0; k < 4; k++) {
			sink_csv(f, s[k]);
			fputc(',', f);
		}
		fprintf(f, "%ld,", c->size);
		sink_csv(f, c->imix);
		fprintf(f, ",%u,", c->threads);
		sink_csv(f, c->transport);
		fputc(',', f);
		sink_csv(f, c->io);
		fputc(',', f);
		sink_csv(f, c->framing);
		fprintf(f, ",%.6f,%.6f,%.6f,%.1f,%.6f,%.4f,%.4f,%zu,", c->gbps_median,
			c->gbps_ci95[0], c->gbps_ci95[1], c->pps_median,
			c->us_per_packet, c->cpu_util, c->cycles_per_byte, c->n);
		sink_csv(f, doc_host_name(&d->host));
		write_csv_peer(f, c->peer);
		write_csv_scale(f, c);
		fputc('\n', f);
	}
}

/* BMF: {"<case key>": {"throughput": {...}, "packet-rate": {...}}}; the
 * key of a two-host case names its peer, and the case has the peer's CPU
 * as measures of their own. */
static int write_bmf(FILE *f, const struct doc *d)
{
	json_t *root = json_object();
	int rc;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];
		json_t *m = json_pack("{s:{s:f, s:f, s:f}, s:{s:f}, s:{s:f}}",
				      "throughput", "value", c->gbps_median,
				      "lower_value", c->gbps_ci95[0], "upper_value",
				      c->gbps_ci95[1], "packet-rate", "value",
				      c->pps_median, "cpu-us-per-packet", "value",
				      c->us_per_packet);

		if (m && c->peer) {
			json_object_set_new(m, "peer-cycles-per-byte",
					    json_pack("{s:f}", "value",
						      c->peer->cycles_per_byte));
			json_object_set_new(m, "peer-cpu-us-per-packet",
					    json_pack("{s:f}", "value",
						      c->peer->us_per_packet));
		}
		json_object_set_new(root, c->key, m);
	}
	rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_REAL_PRECISION(9));
	fputc('\n', f);
	json_decref(root);
	return rc;
}

int export_main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *format = NULL, *path = NULL;
	struct ncb_err e = { "" };
	struct out_file of;
	struct doc *d = NULL;
	FILE *f = stdout;
	int c, rc = 0;

	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":f:o:h", longs)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		case 'h':
			printf("usage: ncbench export FILE.json --format csv|bmf|openmetrics [-o OUT]\n"
			       "  csv: one row per case; bmf: Bencher Metric Format (JSON);\n"
			       "  openmetrics: OpenMetrics text (one family per measure, the case\n"
			       "  identity as labels, ends with # EOF), which a Prometheus\n"
			       "  Pushgateway takes: curl --data-binary @OUT\n"
			       "  http://GATEWAY:9091/metrics/job/ncbench\n");
			return 0;
		case ':':
			fprintf(stderr, "ncbench export: %s: needs a value\n",
				argv[optind - 1]);
			return 2;
		default:
			ncb_errf(&e, -EINVAL, "unknown option '%s' (%ssee ncbench export --help)",
				 ncb_cli_unknown(), ncb_cli_hint());
			fprintf(stderr, "ncbench export: %s\n", e.msg);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "ncbench export: give one document (usage: ncbench export FILE.json --format csv|bmf|openmetrics)\n");
		return 2;
	}
	if (!format || (strcmp(format, "csv") && strcmp(format, "bmf") &&
			strcmp(format, "openmetrics"))) {
		fprintf(stderr, "ncbench export: --format: give csv, bmf or openmetrics\n");
		return 2;
	}
	if (doc_load(&d, argv[optind], &e) < 0) {
		fprintf(stderr, "ncbench export: %s\n", e.msg);
		return 2;
	}
	if (path) {
		if (out_open(&of, path, &e) < 0) {
			fprintf(stderr, "ncbench export: %s\n", e.msg);
			doc_free(d);
			return 2;
		}
		f = of.f;
	}
	if (!strcmp(format, "csv")) {
		write_csv(f, d);
	} else if (!strcmp(format, "bmf")) {
		rc = write_bmf(f, d);
	} else if (openmetrics_write(f, d, &e) < 0) {
		/* A malformed figure: input error, nothing kept. */
		if (path)
			out_abort(&of);
		doc_free(d);
		fprintf(stderr, "ncbench export: %s\n", e.msg);
		return 2;
	}
	doc_free(d);
	if (rc < 0) {
		if (path)
			out_abort(&of);
		fprintf(stderr, "ncbench export: %s: cannot write the document\n",
			path ? path : "standard output");
		return 1;
	}
	/* Data lost on the way out (a full disk, /dev/full) is a failure. */
	if ((path && out_commit(&of, &e) < 0) ||
	    (!path && sink_stdout_close(&e) < 0)) {
		fprintf(stderr, "ncbench export: %s\n", e.msg);
		return 1;
	}
	return 0;
}
