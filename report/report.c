/* report: turns documents into charts and two readable files. Charts:
 * with documents from several hosts the fleet view first (fleet.c); per
 * workload its rate by cipher and backend, and cycles per byte of the
 * cipher workload (chart_rate.c); cycles per packet split into crypto and
 * the rest, CPU per Gbit/s by framing (chart_cpu.c); the latency
 * spectrum (chart_latency.c); throughput against threads where a thread
 * sweep exists; cost per packet against SAs and rate against flows where
 * those were swept (scale.c); the same cases side by side across files
 * (chart_files.c); and with --target the capacity chart of `plan`. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/ncb_cli.h"
#include "report/chart.h"
#include "report/chart_build.h"
#include "report/chart_cpu.h"
#include "report/chart_files.h"
#include "report/chart_latency.h"
#include "report/chart_rate.h"
#include "report/doc.h"
#include "report/fit.h"
#include "report/fleet.h"
#include "report/page.h"
#include "report/plan.h"
#include "report/plan_series.h"
#include "report/report.h"
#include "report/scale.h"
#include "report/sink.h"

enum { DOCS_MAX = PAGE_DOCS_MAX, CHARTS_MAX = 128 };

struct report {
	struct doc *docs[DOCS_MAX];
	size_t n_docs;
	const char *dir;
	struct plan_rate target;
	int has_target;
	double headroom;
	struct chart_list charts;
};

static struct chart *new_chart(struct report *r)
{
	return chart_build_new(&r->charts);
}

/* The label of a case in the threads and capacity charts. */
static void label(const struct doc_case *c, char *buf, size_t len)
{
	chart_build_label(c, CB_WORKLOAD | CB_CIPHER | CB_BACKEND | CB_SIZE | CB_EXTRAS,
			  buf, len);
}

static void add_point(struct chart_series *s, double x, const struct doc_case *k)
{
	struct chart_point p = { .x = x };

	chart_build_gbps(k, &p);
	chart_build_point(s, &p);
}

/* Throughput against threads, one line per series and size, where a
 * series was run at two or more thread counts. */
static void thread_chart(struct report *r, size_t di)
{
	const struct doc *d = r->docs[di];
	struct chart *c = NULL;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *x = &d->cases[i];
		char t[CHART_TEXT];
		size_t counts = 0;

		for (size_t k = 0; k < d->n_cases; k++)
			counts += !strcmp(d->cases[k].series, x->series) &&
				  d->cases[k].size == x->size;
		if (counts < 2)
			continue;
		if (!c) {
			if (!(c = new_chart(r)))
				return;
			chart_stem(c, "threads-%zu", di + 1);
			snprintf(c->title, CHART_TEXT, "scaling with threads (%s, %u PUs)",
				 d->host.hostname, d->host.pus);
			snprintf(c->xlabel, CHART_TEXT, "threads (esp: sender/receiver pairs)");
			snprintf(c->ylabel, CHART_TEXT, "throughput (Gbit/s of payload)");
			c->kind = CHART_LINES;
		}
		label(x, t, sizeof(t));
		add_point(chart_build_series(c, t), x->threads, x);
	}
}

/* plan's capacity view: measured throughput against threads with the
 * scaling curve plan fits (never through a super-linear step), and the
 * target plus headroom as a line. Every series and size (or mix) is in
 * it, a series with one thread count as a lone point; CAPACITY_LINES to
 * a chart (capacity-N, capacity-N-2, ...), so each line keeps a colour
 * of its own. */
enum { CAPACITY_LINES = 10 };

static struct chart *capacity_new(struct report *r, size_t di, size_t part)
{
	const struct doc *d = r->docs[di];
	struct chart *c = new_chart(r);

	if (!c)
		return NULL;
	if (part)
		chart_stem(c, "capacity-%zu-%zu", di + 1, part + 1);
	else
		chart_stem(c, "capacity-%zu", di + 1);
	snprintf(c->title, CHART_TEXT, "capacity for %.1f Gbit/s with %.0f%% headroom (%s)%s",
		 r->target.value / 1e9, r->headroom * 100, d->host.hostname,
		 part ? ", continued" : "");
	snprintf(c->xlabel, CHART_TEXT, "threads");
	snprintf(c->ylabel, CHART_TEXT, "throughput (Gbit/s of payload)");
	c->kind = CHART_LINES;
	c->hline = r->target.value / 1e9 / (1 - r->headroom);
	snprintf(c->hline_title, CHART_TEXT, "target with headroom: %.1f Gbit/s",
		 c->hline);
	c->ymax = 1.5 * c->hline;
	return c;
}

static void capacity_line(struct chart *c, const struct doc *d,
			  const struct plan_series *ps, const struct plan_point *p)
{
	const struct fit_scaling *f = &p->sc;
	struct chart_series *s;
	char t[CHART_TEXT];

	/* A label longer than the chart's text is cut, as any is. */
	if (snprintf(t, sizeof(t), "%s %s, %s", ps->label, p->what,
		 f->super_to > 0 && !f->is_fitted ? "super-linear: no fit"
		 : f->super_to > 0 ? (f->usl.is_linear ? "linear fit above a super-linear step"
						       : "USL fit above a super-linear step")
		 : !f->is_fitted ? "one thread count: no fit"
		 : f->usl.is_linear ? "linear fit" : "USL fit") >= (int)sizeof(t))
		t[sizeof(t) - 1] = '\0';
	if (!(s = chart_build_series(c, t)))
		return;
	for (size_t k = 0; k < d->n_cases; k++) {
		const struct doc_case *x = &d->cases[k];

		if (strcmp(x->series, ps->key) ||
		    (p->imix ? strcmp(x->imix, p->imix)
			     : *x->imix || (double)x->size != p->bytes))
			continue;
		add_point(s, x->threads, x);
		/* Two at least: gnuplot refuses an empty x range. */
		c->xmax = fmax(c->xmax, fmax(x->threads, 2));
		c->ymax = fmax(c->ymax, 1.2 * x->gbps_median);
	}
	if (!f->is_fitted)
		return;
	/* Show the curve far enough to meet the target line (plan fits
	 * bit/s, the chart draws Gbit/s). */
	for (double t2 = 1; t2 <= 64; t2++) {
		c->xmax = fmax(c->xmax, t2);
		if (fit_usl_eval(&f->usl, t2) / 1e9 >= c->hline ||
		    t2 >= fit_usl_peak(&f->usl))
			break;
	}
	s->has_usl = 1;
	s->lambda = f->usl.lambda / 1e9;
	s->sigma = f->usl.sigma;
	s->kappa = f->usl.kappa;
}

/* Does some series of d run one size (or mix) at two thread counts? */
static int has_sweep(const struct doc *d)
{
	for (size_t i = 0; i < d->n_cases; i++)
		for (size_t k = i + 1; k < d->n_cases; k++) {
			const struct doc_case *a = &d->cases[i], *b = &d->cases[k];

			if (!strcmp(a->series, b->series) && a->threads != b->threads &&
			    !strcmp(a->imix, b->imix) && a->size == b->size)
				return 1;
		}
	return 0;
}

static void capacity_chart(struct report *r, size_t di)
{
	const struct doc *d = r->docs[di];
	const struct plan_ask ask = { .target = r->target, .headroom = r->headroom };
	struct plan_series *ps;
	struct chart *c = NULL;
	size_t lines = 0;

	/* Without a thread sweep there is no scaling to draw. */
	if (!r->has_target || r->target.unit != PLAN_BITS || !has_sweep(d))
		return;
	if (!(ps = malloc(sizeof(*ps))))
		return;
	for (size_t i = 0; i < d->n_cases; i++) {
		int seen = 0;

		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(d->cases[k].series, d->cases[i].series);
		if (seen)
			continue;
		plan_series_analyse(d, d->cases[i].series, &ask, ps);
		for (size_t k = 0; k < ps->n_pts; k++) {
			if (!c || c->ns >= CAPACITY_LINES)
				c = capacity_new(r, di, lines / CAPACITY_LINES);
			if (!c)
				goto out;
			capacity_line(c, d, ps, &ps->pts[k]);
			lines++;
		}
	}
out:
	free(ps);
}

/* A chart that fill draws when document di has what it shows. */
static void fill_chart(struct report *r, size_t di,
		       int (*fill)(struct chart *, const struct doc *, size_t))
{
	struct chart *c = new_chart(r);

	if (c && !fill(c, r->docs[di], di))
		chart_build_drop(&r->charts);
}

static int usage(const char *msg)
{
	char line[NCB_ERR_LEN * 2];

	snprintf(line, sizeof(line), "%s", msg);
	fprintf(stderr, "ncbench report: %s\n", ncb_clean(line));
	return 2;
}

/* Charts whose stems came out equal (two workloads that differ only in
 * bytes chart_stem replaces) are renamed, so neither overwrites the other:
 * first with their number, and if even that is taken, to chart-N (a name
 * no other chart has). */
static int stem_taken(const struct report *r, size_t i)
{
	for (size_t k = 0; k < r->charts.n; k++)
		if (k != i && !strcmp(r->charts.charts[i].stem, r->charts.charts[k].stem))
			return 1;
	return 0;
}

static void unique_stems(struct report *r)
{
	for (size_t i = 1; i < r->charts.n; i++) {
		struct chart *c = &r->charts.charts[i];
		char base[sizeof(c->stem)];

		if (!stem_taken(r, i))
			continue;
		snprintf(base, sizeof(base), "%s", c->stem);
		chart_stem(c, "%.40s-%zu", base, i + 1);
		if (stem_taken(r, i))
			chart_stem(c, "chart-%zu", i + 1);
	}
}

int report_main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "target", required_argument, NULL, 't' },
		{ "headroom", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct report r = { .headroom = 0.3 };
	struct ncb_err e = { "" };
	struct page page;
	int c, status = 2;
	struct stat st;
	char *end;

	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":o:h", longs)) != -1) {
		switch (c) {
		case 'o':
			r.dir = optarg;
			break;
		case 't':
			if (plan_parse_rate(optarg, &r.target, &e) < 0)
				return usage(e.msg);
			r.has_target = 1;
			break;
		case 'H':
			r.headroom = strtod(optarg, &end) / 100;
			if (!*optarg || *end || !(r.headroom >= 0) || r.headroom > 0.95)
				return usage("--headroom: give a percentage in 0..95");
			break;
		case 'h':
			printf("usage: ncbench report FILE.json ... -o DIR [--target RATE] [--headroom PCT]\n"
			       "  charts as SVG and PNG (with .dat and .gp to re-plot), report.html, report.md\n"
			       "  --target RATE  add the capacity chart (fitted scaling against the target)\n");
			return 0;
		case ':':
			snprintf(e.msg, sizeof(e.msg), "%s: needs a value", argv[optind - 1]);
			return usage(e.msg);
		default:
			snprintf(e.msg, sizeof(e.msg), "unknown option '%s' (%ssee ncbench report --help)",
				 ncb_cli_unknown(), ncb_cli_hint());
			return usage(e.msg);
		}
	}
	if (!r.dir || !*r.dir)
		return usage("-o DIR is required");
	if (optind >= argc || argc - optind > DOCS_MAX) {
		snprintf(e.msg, sizeof(e.msg), "give 1 to %d result documents", DOCS_MAX);
		return usage(e.msg);
	}
	for (int i = optind; i < argc; i++)
		if (doc_load(&r.docs[r.n_docs++], argv[i], &e) < 0) {
			r.n_docs--;
			usage(e.msg);
			goto out;
		}
	if (mkdir(r.dir, 0755) < 0 && errno != EEXIST) {
		snprintf(e.msg, sizeof(e.msg), "%s: cannot create: %s", r.dir,
			 strerror(errno));
		usage(e.msg);
		goto out;
	}
	if (stat(r.dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(e.msg, sizeof(e.msg), "-o %s: not a directory", r.dir);
		usage(e.msg);
		goto out;
	}
	r.charts.charts = calloc(CHARTS_MAX, sizeof(*r.charts.charts));
	r.charts.max = CHARTS_MAX;
	if (!r.charts.charts) {
		usage("out of memory");
		goto out;
	}
	r.charts.n += fleet_charts(r.charts.charts, r.charts.max, r.docs,
				   r.n_docs);
	for (size_t i = 0; i < r.n_docs; i++) {
		chart_rate_add(&r.charts, r.docs[i], i);
		chart_cpu_phases_add(&r.charts, r.docs[i], i);
		chart_latency_add(&r.charts, r.docs[i], i);
		thread_chart(&r, i);
		fill_chart(&r, i, scale_sa_chart);
		fill_chart(&r, i, scale_flow_chart);
		capacity_chart(&r, i);
	}
	chart_cpu_framing_add(&r.charts, r.docs, r.n_docs);
	chart_files_add(&r.charts, r.docs, r.n_docs);
	unique_stems(&r);
	status = 0;
	for (size_t i = 0; i < r.charts.n; i++)
		if (chart_draw(&r.charts.charts[i], r.dir, &e) < 0) {
			fprintf(stderr, "ncbench report: %s\n", e.msg);
			status = 1;
			break;
		}
	page = (struct page){ r.dir, r.docs, r.n_docs, r.charts.charts, r.charts.n };
	if (status == 0 && (page_write(&page, 0, &e) < 0 || page_write(&page, 1, &e) < 0)) {
		fprintf(stderr, "ncbench report: %s\n", e.msg);
		status = 1;
	}
	if (status == 0)
		printf("report: %zu chart%s, %s/report.html, %s/report.md\n",
		       r.charts.n, r.charts.n == 1 ? "" : "s", r.dir, r.dir);
	if (status == 0 && sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench report: %s\n", e.msg);
		status = 1;
	}
out:
	for (size_t i = 0; i < r.n_docs; i++)
		doc_free(r.docs[i]);
	free(r.charts.charts);
	return status;
}
