/* One measure per case, per workload: which backend is fastest for each
 * cipher, and by how much. Few sizes make groups of bars (a cipher and
 * size per group, a backend per bar), many make lines against size (log
 * scale), where a bar per size would bury the shape. A traffic mix is
 * never on a size axis: it is a group of bars of its own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/chart_build.h"
#include "report/chart_rate.h"
#include "report/doc.h"

/* What a chart measures. */
struct measure {
	const char *stem;   /* file name: STEM-D-WORKLOAD, lines SIZE_STEM-... */
	const char *size_stem;
	const char *what;   /* in the title */
	const char *ylabel, *unit;
	int is_plain;       /* no interval was computed */
	void (*point)(const struct doc_case *c, struct chart_point *p);
};

static void gbps_point(const struct doc_case *c, struct chart_point *p)
{
	chart_build_gbps(c, p);
}

/* rr: exchanges per second in thousands; the Gbit/s interval scaled to
 * it (at one size the two are proportional). */
static void tps_point(const struct doc_case *c, struct chart_point *p)
{
	double k = c->gbps_median > 0 ? c->pps_median / c->gbps_median : 0;

	chart_build_gbps(c, p);
	p->y = c->pps_median / 1e3;
	p->lo = k > 0 ? c->gbps_ci95[0] * k / 1e3 : p->y;
	p->hi = k > 0 ? c->gbps_ci95[1] * k / 1e3 : p->y;
}

static void cpb_point(const struct doc_case *c, struct chart_point *p)
{
	chart_build_gbps(c, p);
	p->y = p->lo = p->hi = c->cycles_per_byte;
}

static const struct measure gbps = {
	"rate", "size", "throughput", "throughput (Gbit/s of payload)", "Gbit/s",
	0, gbps_point,
};
static const struct measure tps = {
	"rate", "size", "exchanges per second",
	"request/response exchanges per second (thousands)", "k exchanges/s", 0,
	tps_point,
};
static const struct measure cpb = {
	"cpb", "cpb-size", "CPU cycles per byte",
	"CPU cycles per byte of payload (lower is better)", "cycles/B", 1,
	cpb_point,
};

/* The cases of workload wl a chart of d draws: each at its series'
 * fewest threads. is_more: some series ran at more threads. */
static size_t pick(const struct doc *d, const char *wl, size_t *idx, int *is_more)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_cases; i++) {
		if (strcmp(d->cases[i].workload, wl))
			continue;
		if (chart_build_is_fewest(d, &d->cases[i]))
			idx[n++] = i;
		else
			*is_more = 1;
	}
	return n;
}

static int by_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Distinct fixed sizes among the picked cases. */
static size_t count_sizes(const struct doc *d, const size_t *idx, size_t n)
{
	long *s = calloc(n + 1, sizeof(*s));
	size_t m = 0, distinct = 0;

	if (!s)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!*d->cases[idx[k]].imix)
			s[m++] = d->cases[idx[k]].size;
	qsort(s, m, sizeof(*s), by_long);
	for (size_t k = 0; k < m; k++)
		distinct += !k || s[k] != s[k - 1];
	free(s);
	return distinct;
}

/* A bar, under a numbered title when two cases share a label (they
 * differ in an option the label does not show). */
static void add_bar(struct chart *c, const char *cat, const char *title,
		    const struct chart_point *p)
{
	char t[CHART_TEXT + 8];

	if (chart_build_bar(c, cat, title, p) == 0)
		return;
	for (int k = 2; k < CHART_SERIES_MAX; k++) {
		snprintf(t, sizeof(t), "%.*s (%d)", CHART_TEXT - 8, title, k);
		if (chart_build_bar(c, cat, t, p) == 0)
			return;
	}
}

static void head(struct chart *c, const struct measure *m, const struct doc *d,
		 const char *wl, int is_lines, int is_more)
{
	snprintf(c->title, CHART_TEXT, "%s: %s by %s (%s)", wl, m->what,
		 is_lines ? "payload size" : "cipher and backend", d->host.hostname);
	snprintf(c->xlabel, CHART_TEXT, "%s",
		 is_lines ? "payload size per packet (bytes, log scale)" : "");
	snprintf(c->ylabel, CHART_TEXT, "%s", m->ylabel);
	snprintf(c->unit, sizeof(c->unit), "%s", m->unit);
	c->is_plain = m->is_plain;
	if (is_more)
		snprintf(c->note, sizeof(c->note),
			 "Each series at its fewest threads; the threads chart has the rest.");
}

/* Lines against size: a line per cipher, backend and what else sets
 * the cases apart. */
static void lines(struct chart_list *l, const struct measure *m, const struct doc *d,
		  size_t di, const char *wl, const size_t *idx, size_t n, int is_more)
{
	struct chart *c = chart_build_new(l);
	double lo = INFINITY, hi = 0;

	if (!c)
		return;
	chart_stem(c, "%s-%zu-%s", m->size_stem, di + 1, wl);
	head(c, m, d, wl, 1, is_more);
	c->kind = CHART_LINES;
	c->is_logx = 1;
	c->is_xtics_data = 1;
	for (size_t k = 0; k < n; k++) {
		const struct doc_case *x = &d->cases[idx[k]];
		struct chart_point p = { .x = (double)x->size };
		char t[CHART_TEXT];

		if (*x->imix)
			continue;
		m->point(x, &p);
		chart_build_label(x, CB_CIPHER | CB_BACKEND | CB_EXTRAS, t, sizeof(t));
		chart_build_point(chart_build_series(c, t), &p);
		if (p.y > 0) {
			lo = fmin(lo, p.y);
			hi = fmax(hi, p.y);
		}
	}
	/* Cycles per byte fall tenfold and more from small packets to
	 * large: a log axis, said so in its label. */
	if (m->is_plain && hi > 30 * lo) {
		c->is_logy = 1;
		snprintf(c->ylabel, CHART_TEXT, "%s, log scale", m->ylabel);
	}
	chart_build_common(c);
	chart_build_keep(l);
}

/* Bars: a group per cipher and size (or mix), a bar per backend. */
static void bars(struct chart_list *l, const struct measure *m, const struct doc *d,
		 size_t di, const char *wl, const size_t *idx, size_t n,
		 int is_lines, int is_more)
{
	struct chart *c = chart_build_new(l);
	size_t bars = 0;

	if (!c)
		return;
	chart_stem(c, "%s-%zu-%s", m->stem, di + 1, wl);
	head(c, m, d, wl, 0, is_more);
	if (is_lines)
		snprintf(c->title, CHART_TEXT, "%s: %s of traffic mixes (%s)", wl,
			 m->what, d->host.hostname);
	c->kind = CHART_BARS;
	for (size_t k = 0; k < n; k++) {
		const struct doc_case *x = &d->cases[idx[k]];
		struct chart_point p = { 0 };
		char cat[CHART_TEXT], t[CHART_TEXT];

		if (is_lines && !*x->imix)
			continue;
		m->point(x, &p);
		chart_build_label(x, CB_CIPHER | CB_SIZE | CB_LINES, cat, sizeof(cat));
		chart_build_label(x, CB_BACKEND | CB_EXTRAS, t, sizeof(t));
		add_bar(c, cat, t, &p);
		bars++;
	}
	/* One bar is a number, not a comparison: the table has it. */
	if (bars < 2) {
		chart_build_drop(l);
		return;
	}
	chart_build_common(c);
	chart_build_keep(l);
}

static void measure_charts(struct chart_list *l, const struct measure *m,
			   const struct doc *d, size_t di, const char *wl)
{
	size_t *idx = calloc(d->n_cases + 1, sizeof(*idx)), n;
	int is_more = 0, is_lines;

	if (!idx)
		return;
	n = pick(d, wl, idx, &is_more);
	is_lines = count_sizes(d, idx, n) > CHART_RATE_BARS_MAX;
	if (is_lines)
		lines(l, m, d, di, wl, idx, n, is_more);
	bars(l, m, d, di, wl, idx, n, is_lines, is_more);
	free(idx);
}

void chart_rate_add(struct chart_list *l, const struct doc *d, size_t di)
{
	for (size_t i = 0; i < d->n_cases; i++) {
		const char *wl = d->cases[i].workload;
		int seen = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(d->cases[k].workload, wl);
		if (seen)
			continue;
		measure_charts(l, strcmp(wl, "rr") ? &gbps : &tps, d, di, wl);
		if (!strcmp(wl, "cipher"))
			measure_charts(l, &cpb, d, di, wl);
	}
}
