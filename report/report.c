/* report: turns documents into charts and two readable files. Charts:
 * throughput against size per workload (log-scale size), throughput
 * against threads where a thread sweep exists, cost per packet against
 * SAs and rate against flows where those were swept (scale.c), the same
 * cases side by side across files, and with --target the capacity chart
 * of `plan`. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/chart.h"
#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/fit.h"
#include "report/page.h"
#include "report/plan.h"
#include "report/plan_series.h"
#include "report/report.h"
#include "report/scale.h"
#include "report/sink.h"

enum { DOCS_MAX = PAGE_DOCS_MAX, CHARTS_MAX = 64 };

struct report {
	struct doc *docs[DOCS_MAX];
	size_t n_docs;
	const char *dir;
	struct plan_rate target;
	int has_target;
	double headroom;
	struct chart *charts;
	size_t n_charts;
};

static struct chart *new_chart(struct report *r)
{
	struct chart *c;

	if (r->n_charts >= CHARTS_MAX)
		return NULL;
	c = &r->charts[r->n_charts++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* Appends " → ADDRESS MODE" to the label in buf for a two-host case, so
 * a chart never draws one-host and two-host cases (or two modes) as one
 * series or one bar. */
static void add_peer(char *buf, size_t len, const struct doc_case *c)
{
	char name[DOC_PEER_ADDR_MAX + 16];
	size_t n = strlen(buf);

	if (!c->peer || n + 1 >= len)
		return;
	doc_peer_name(c->peer, name, sizeof(name));
	/* "\xe2\x86\x92" is U+2192 (a right arrow) in UTF-8, the charts'
	 * encoding. A label longer than the chart's text is cut, as any is. */
	if (snprintf(buf + n, len - n, " \xe2\x86\x92 %s", name) >= (int)(len - n))
		buf[len - 1] = '\0';
}

/* Series label of a case inside one workload's chart: more SAs or
 * sockets than one, or the epoll engine, make a line of their own. */
static void label(const struct doc_case *c, char *buf, size_t len)
{
	size_t n;

	if (!strcmp(c->cipher, "null"))
		n = (size_t)snprintf(buf, len, "null (no crypto)");
	else
		n = (size_t)snprintf(buf, len, "%s %s%s%s", c->cipher, c->backend,
				     *c->direction && strcmp(c->direction, "seal") &&
						     strcmp(c->direction, "both")
					     ? " "
					     : "",
				     strcmp(c->direction, "seal") &&
						     strcmp(c->direction, "both")
					     ? c->direction
					     : "");
	if (n < len && c->scale.sa_count > 1)
		n += (size_t)snprintf(buf + n, len - n, ", %ld SAs", c->scale.sa_count);
	if (n < len && c->scale.flows > 1)
		n += (size_t)snprintf(buf + n, len - n, ", %u flows", c->scale.flows);
	if (n < len && *c->io && strcmp(c->io, "uring"))
		snprintf(buf + n, len - n, ", %s", c->io);
	add_peer(buf, len, c);
}

static struct chart_series *series_for(struct chart *c, const char *title)
{
	for (size_t i = 0; i < c->ns; i++)
		if (!strcmp(c->s[i].title, title))
			return &c->s[i];
	if (c->ns >= CHART_SERIES_MAX)
		return NULL;
	snprintf(c->s[c->ns].title, CHART_TEXT, "%s", title);
	return &c->s[c->ns++];
}

static void add_point(struct chart_series *s, double x, const struct doc_case *k)
{
	size_t i = s ? s->n : CHART_POINTS_MAX;

	if (i >= CHART_POINTS_MAX)
		return;
	/* Keep x ascending: insertion sort. */
	while (i > 0 && s->p[i - 1].x > x) {
		s->p[i] = s->p[i - 1];
		i--;
	}
	s->p[i] = (struct chart_point){ .x = x, .y = k->gbps_median,
					.lo = k->gbps_ci95[0],
					.hi = k->gbps_ci95[1] };
	s->n++;
}

/* Throughput against size for each workload of document di, at each
 * series' smallest thread count. */
static void size_charts(struct report *r, size_t di)
{
	const struct doc *d = r->docs[di];

	for (size_t i = 0; i < d->n_cases; i++) {
		const char *wl = d->cases[i].workload;
		struct chart *c;
		int seen = 0, is_sweep = 0;

		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(d->cases[k].workload, wl);
		if (seen)
			continue;
		/* Worth a chart when the workload ran at two sizes. */
		for (size_t k = 0; k < d->n_cases; k++)
			is_sweep |= !strcmp(d->cases[k].workload, wl) &&
				    !*d->cases[k].imix &&
				    d->cases[k].size != d->cases[i].size;
		if (!is_sweep || !(c = new_chart(r)))
			continue;
		chart_stem(c, "size-%zu-%s", di + 1, wl);
		snprintf(c->title, CHART_TEXT, "%s: throughput by payload size (%s)",
			 wl, d->host.hostname);
		snprintf(c->xlabel, CHART_TEXT, "payload size per packet (bytes, log scale)");
		snprintf(c->ylabel, CHART_TEXT, "throughput (Gbit/s of payload)");
		c->kind = CHART_LINES;
		c->is_logx = 1;
		for (size_t k = 0; k < d->n_cases; k++) {
			const struct doc_case *x = &d->cases[k];
			unsigned tmin = UINT32_MAX;
			char t[CHART_TEXT];

			if (strcmp(x->workload, wl) || *x->imix)
				continue;
			for (size_t j = 0; j < d->n_cases; j++)
				if (!strcmp(d->cases[j].series, x->series) &&
				    d->cases[j].threads < tmin)
					tmin = d->cases[j].threads;
			if (x->threads != tmin)
				continue;
			label(x, t, sizeof(t));
			add_point(series_for(c, t), (double)x->size, x);
		}
	}
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
		snprintf(t, sizeof(t), "%s %s %s %ld B", x->workload, x->cipher,
			 x->backend, x->size);
		add_peer(t, sizeof(t), x);
		add_point(series_for(c, t), x->threads, x);
	}
}

/* The first document's cases, side by side with the same case (matched
 * by identity) in every other document that shares any. */
static void compare_chart(struct report *r)
{
	const struct doc *ds[CHART_SERIES_MAX];
	size_t nd = 1;
	struct chart *c;

	ds[0] = r->docs[0];
	for (size_t di = 1; di < r->n_docs && nd < CHART_SERIES_MAX; di++) {
		int shared = 0;

		for (size_t i = 0; i < ds[0]->n_cases && !shared; i++)
			shared = doc_find(r->docs[di], ds[0]->cases[i].key) != NULL;
		if (shared)
			ds[nd++] = r->docs[di];
	}
	if (nd < 2 || !(c = new_chart(r)))
		return;
	chart_stem(c, "compare");
	snprintf(c->title, CHART_TEXT, "same cases across files (median, 95%% CI)");
	snprintf(c->xlabel, CHART_TEXT, "case");
	snprintf(c->ylabel, CHART_TEXT, "throughput (Gbit/s of payload)");
	c->kind = CHART_BARS;
	c->ns = nd;
	for (size_t di = 0; di < nd; di++)
		snprintf(c->s[di].title, CHART_TEXT, "%s %s", ds[di]->host.hostname,
			 ds[di]->started);
	for (size_t i = 0; i < ds[0]->n_cases && c->n_cats < CHART_POINTS_MAX; i++) {
		const struct doc_case *b = &ds[0]->cases[i];
		int others = 0;
		size_t l;

		for (size_t di = 1; di < nd; di++)
			others += doc_find(ds[di], b->key) != NULL;
		if (!others)
			continue;
		l = (size_t)snprintf(c->cats[c->n_cats], CHART_TEXT, "%s %s %ld B",
				     b->cipher, b->backend, b->size);
		if (b->threads > 1 && l < CHART_TEXT)
			snprintf(c->cats[c->n_cats] + l, CHART_TEXT - l, " x%u",
				 b->threads);
		add_peer(c->cats[c->n_cats], CHART_TEXT, b);
		for (size_t di = 0; di < nd; di++) {
			const struct doc_case *k = doc_find(ds[di], b->key);

			c->s[di].p[c->n_cats] =
				k ? (struct chart_point){ .y = k->gbps_median,
							  .lo = k->gbps_ci95[0],
							  .hi = k->gbps_ci95[1] }
				  : (struct chart_point){ .y = NAN, .lo = NAN, .hi = NAN };
			c->s[di].n = c->n_cats + 1;
		}
		c->n_cats++;
	}
}

/* Latency percentiles of request/response cases: a group of bars per
 * case, one bar per percentile. */
static void latency_chart(struct report *r, size_t di)
{
	static const char *const names[] = { "p50", "p90", "p99", "p99.9",
					     "max" };
	const struct doc *d = r->docs[di];
	struct chart *c = NULL;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *x = &d->cases[i];

		if (!x->has_latency)
			continue;
		if (!c) {
			if (!(c = new_chart(r)))
				return;
			chart_stem(c, "latency-%zu", di + 1);
			snprintf(c->title, CHART_TEXT, "request/response latency (%s)",
				 d->host.hostname);
			snprintf(c->ylabel, CHART_TEXT, "latency per exchange (microseconds)");
			c->kind = CHART_BARS;
			/* The tail is often 100x the median. */
			c->is_logy = 1;
			c->ns = NCB_ARRAY_SIZE(names);
			for (size_t k = 0; k < c->ns; k++)
				snprintf(c->s[k].title, CHART_TEXT, "%s", names[k]);
		}
		if (c->n_cats >= CHART_POINTS_MAX)
			break;
		snprintf(c->cats[c->n_cats], CHART_TEXT, "%s %s %s %ld B",
			 x->workload, x->cipher, x->backend, x->size);
		add_peer(c->cats[c->n_cats], CHART_TEXT, x);
		for (size_t k = 0; k < c->ns; k++) {
			double us = x->lat_ns[k] / 1e3;

			c->s[k].p[c->n_cats] = (struct chart_point){ .y = us, .lo = us, .hi = us };
			c->s[k].n = c->n_cats + 1;
		}
		c->n_cats++;
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
	if (!(s = series_for(c, t)))
		return;
	for (size_t k = 0; k < d->n_cases; k++) {
		const struct doc_case *x = &d->cases[k];

		if (strcmp(x->series, ps->key) ||
		    (p->imix ? strcmp(x->imix, p->imix)
			     : *x->imix || (double)x->size != p->bytes))
			continue;
		add_point(s, x->threads, x);
		c->xmax = fmax(c->xmax, x->threads);
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

static void capacity_chart(struct report *r, size_t di)
{
	const struct doc *d = r->docs[di];
	const struct plan_ask ask = { .target = r->target, .headroom = r->headroom };
	struct plan_series *ps;
	struct chart *c = NULL;
	size_t lines = 0;

	if (!r->has_target || r->target.unit != PLAN_BITS)
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
		r->n_charts--;
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
	for (size_t k = 0; k < r->n_charts; k++)
		if (k != i && !strcmp(r->charts[i].stem, r->charts[k].stem))
			return 1;
	return 0;
}

static void unique_stems(struct report *r)
{
	for (size_t i = 1; i < r->n_charts; i++) {
		struct chart *c = &r->charts[i];
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
	while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
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
			snprintf(e.msg, sizeof(e.msg), "unknown option '%s' (see ncbench report --help)",
				 argv[optind - 1]);
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
	r.charts = calloc(CHARTS_MAX, sizeof(*r.charts));
	if (!r.charts) {
		usage("out of memory");
		goto out;
	}
	for (size_t i = 0; i < r.n_docs; i++) {
		size_charts(&r, i);
		thread_chart(&r, i);
		fill_chart(&r, i, scale_sa_chart);
		fill_chart(&r, i, scale_flow_chart);
		latency_chart(&r, i);
		capacity_chart(&r, i);
	}
	compare_chart(&r);
	unique_stems(&r);
	status = 0;
	for (size_t i = 0; i < r.n_charts; i++)
		if (chart_draw(&r.charts[i], r.dir, &e) < 0) {
			fprintf(stderr, "ncbench report: %s\n", e.msg);
			status = 1;
			break;
		}
	page = (struct page){ r.dir, r.docs, r.n_docs, r.charts, r.n_charts };
	if (status == 0 && (page_write(&page, 0, &e) < 0 || page_write(&page, 1, &e) < 0)) {
		fprintf(stderr, "ncbench report: %s\n", e.msg);
		status = 1;
	}
	if (status == 0)
		printf("report: %zu chart%s, %s/report.html, %s/report.md\n",
		       r.n_charts, r.n_charts == 1 ? "" : "s", r.dir, r.dir);
	if (status == 0 && sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench report: %s\n", e.msg);
		status = 1;
	}
out:
	for (size_t i = 0; i < r.n_docs; i++)
		doc_free(r.docs[i]);
	free(r.charts);
	return status;
}
