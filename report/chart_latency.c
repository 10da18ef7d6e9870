/* The latency spectrum. x is 1/(1-p): p50 at 2, p90 at 10, p99 at 100,
 * each tic ten times rarer than the last, so the tail gets the room the
 * median would otherwise take. The maximum is drawn at 1 - 1/count (the
 * rank of the slowest of count exchanges) when the count is known and
 * beyond p99.9. No interval: the run keeps one set of percentiles over
 * every exchange, none per repetition to compute one from. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"
#include "report/chart_build.h"
#include "report/chart_latency.h"
#include "report/doc.h"

/* The tics: "50" at 2 up to "99.9999" at 10^6. */
static void set_tics(struct chart *c, double xmax)
{
	static const char *const names[] = { "50", "90", "99", "99.9", "99.99",
					     "99.999", "99.9999" };
	double at = 2;

	c->n_tics = 0;
	for (size_t k = 0; k < NCB_ARRAY_SIZE(names); k++) {
		/* Up to 99.99 always, further only as far as a maximum is
		 * (the axis runs a little beyond its last point). */
		if (k > 4 && at > xmax * 1.5)
			break;
		c->tics[c->n_tics].at = at;
		snprintf(c->tics[c->n_tics].label, sizeof(c->tics[0].label), "%s", names[k]);
		c->n_tics++;
		at = k ? at * 10 : 10;
	}
}

void chart_latency_add(struct chart_list *l, const struct doc *d, size_t di)
{
	/* x of p50, p90, p99, p99.9 (doc_case.lat_ns[0..3]). */
	static const double at[] = { 2, 10, 100, 1000 };
	struct chart *c = chart_build_new(l);
	double lo = INFINITY, hi = 0, xmax = 0;

	if (!c)
		return;
	chart_stem(c, "latency-%zu", di + 1);
	snprintf(c->title, CHART_TEXT, "request/response latency by percentile (%s)",
		 d->host.hostname);
	snprintf(c->xlabel, CHART_TEXT, "percentile (each tic ten times rarer)");
	snprintf(c->xname, sizeof(c->xname), "percentile");
	c->kind = CHART_LINES;
	c->is_logx = 1;
	c->is_tail_x = 1;
	c->is_plain = 1;
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *x = &d->cases[i];
		struct chart_series *s;
		char t[CHART_TEXT];

		if (!x->has_latency)
			continue;
		chart_build_label(x, CB_WORKLOAD | CB_CIPHER | CB_BACKEND | CB_SIZE |
					     CB_THREADS | CB_EXTRAS,
				  t, sizeof(t));
		if (!(s = chart_build_series(c, t)) || s->n)
			continue; /* the chart is full, or a label repeats */
		for (size_t k = 0; k < NCB_ARRAY_SIZE(at); k++) {
			struct chart_point p = { .x = at[k], .extra = { NAN, NAN } };

			p.y = p.lo = p.hi = x->lat_ns[k] / 1e3;
			chart_build_point(s, &p);
		}
		if (x->cost.lat_count > at[3]) {
			struct chart_point p = { .x = x->cost.lat_count,
						 .extra = { NAN, NAN } };

			p.y = p.lo = p.hi = x->lat_ns[4] / 1e3;
			chart_build_point(s, &p);
			xmax = fmax(xmax, p.x);
		}
		for (size_t k = 0; k < s->n; k++) {
			lo = fmin(lo, s->p[k].y);
			hi = fmax(hi, s->p[k].y);
		}
	}
	set_tics(c, xmax);
	/* A tail a hundred times the median would flatten the rest to the
	 * floor of a linear axis: then log, and the label says so. */
	c->is_logy = lo > 0 && hi > 30 * lo;
	snprintf(c->ylabel, CHART_TEXT, "latency per exchange (microseconds%s)",
		 c->is_logy ? ", log scale" : "");
	snprintf(c->note, sizeof(c->note),
		 "p50 to p99.9 of every exchange timed%s; no interval: the run keeps "
		 "no percentiles per repetition to compute one from.",
		 xmax > 0 ? ", and the maximum at 1 - 1/count" : "");
	chart_build_common(c);
	chart_build_keep(l);
}
