/* Where the CPU goes. The phases split comes from the run: TSC ticks
 * inside the AEAD calls against the workers' cycles (PMU, or CPU time at
 * the TSC rate). A worker preempted inside a call makes the crypto ticks
 * exceed the cycles on a busy host: such a bar is all crypto, capped at
 * the total, and its label marked. CPU per Gbit/s is 1 / gbps_per_core:
 * the cores a Gbit/s of payload takes, sender and receiver together. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/chart_build.h"
#include "report/chart_cpu.h"
#include "report/doc.h"
#include "report/doc_cost.h"

void chart_cpu_phases_add(struct chart_list *l, const struct doc *d, size_t di)
{
	struct chart *c = chart_build_new(l);
	int is_over = 0;

	if (!c)
		return;
	chart_stem(c, "cycles-%zu", di + 1);
	snprintf(c->title, CHART_TEXT, "CPU cycles per packet: crypto and the rest (%s)",
		 d->host.hostname);
	snprintf(c->ylabel, CHART_TEXT, "CPU cycles per packet, all workers");
	snprintf(c->unit, sizeof(c->unit), "cycles/packet");
	snprintf(c->extra[0], sizeof(c->extra[0]), "crypto share %%");
	c->n_extra = 1;
	c->kind = CHART_STACKED;
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *x = &d->cases[i];
		double total = doc_cost_cycles_per_packet(x), crypto;
		struct chart_point p = { 0 };
		char cat[CHART_TEXT];

		if (!strcmp(x->workload, "cipher") || total < 0)
			continue;
		crypto = fmin(x->cost.crypto_cycles, total);
		chart_build_label(x, CB_WORKLOAD | CB_CIPHER | CB_BACKEND | CB_SIZE |
					     CB_THREADS | CB_EXTRAS | CB_LINES,
				  cat, sizeof(cat));
		if (x->cost.crypto_share > 1) {
			strncat(cat, " *", sizeof(cat) - strlen(cat) - 1);
			is_over = 1;
		}
		p.extra[0] = x->cost.crypto_share * 100;
		p.extra[1] = NAN;
		p.y = p.lo = p.hi = crypto;
		if (chart_build_bar(c, cat, "crypto (in AEAD calls)", &p) < 0)
			continue;
		p.y = p.lo = p.hi = total - crypto;
		if (chart_build_bar(c, cat, "the rest (I/O, framing, kernel, waiting)", &p) < 0)
			break;
	}
	snprintf(c->note, sizeof(c->note),
		 "Crypto: TSC ticks inside the AEAD calls per packet received; the rest: "
		 "the workers' other cycles.%s",
		 is_over ? " * crypto ticks exceeded the workers' cycles (a worker was "
			   "preempted inside a call): the bar is capped at the total." : "");
	chart_build_common(c);
	chart_build_keep(l);
}

/* Whether documents a and b are of one host. */
static int same_host(const struct doc *a, const struct doc *b)
{
	return !strcmp(a->host.hostname, b->host.hostname) &&
	       !strcmp(a->host.cpu_model, b->host.cpu_model);
}

/* Whether an earlier document of the host holds the case. */
static int is_earlier(struct doc *const *docs, size_t di, const struct doc_case *x)
{
	for (size_t k = 0; k < di; k++)
		if (same_host(docs[k], docs[di]) && doc_find(docs[k], x->key))
			return 1;
	return 0;
}

/* A group (category) keeps its bars when it has two or more: drops the
 * categories of one bar, keeping the order of the rest. */
static void keep_compared(struct chart *c)
{
	size_t to = 0;

	for (size_t k = 0; k < c->n_cats; k++) {
		size_t bars = 0;

		for (size_t i = 0; i < c->ns; i++)
			bars += k < c->s[i].n && isfinite(c->s[i].p[k].y);
		if (bars < 2)
			continue;
		if (to != k) {
			memcpy(c->cats[to], c->cats[k], sizeof(c->cats[to]));
			for (size_t i = 0; i < c->ns; i++)
				c->s[i].p[to] = c->s[i].p[k];
		}
		to++;
	}
	c->n_cats = to;
	/* A series left without a bar leaves the key too. */
	to = 0;
	for (size_t i = 0; i < c->ns; i++) {
		int is_any = 0;

		c->s[i].n = c->n_cats;
		for (size_t k = 0; k < c->n_cats; k++)
			is_any |= isfinite(c->s[i].p[k].y);
		if (is_any && to != i)
			c->s[to] = c->s[i];
		to += is_any;
	}
	c->ns = to;
}

static void framing_chart(struct chart_list *l, struct doc *const *docs, size_t n,
			  size_t first)
{
	struct chart *c = chart_build_new(l);

	if (!c)
		return;
	chart_stem(c, "framing-%zu", first + 1);
	snprintf(c->title, CHART_TEXT, "CPU per Gbit/s by workload and framing (%s)",
		 docs[first]->host.hostname);
	snprintf(c->ylabel, CHART_TEXT, "CPU cores per Gbit/s of payload (lower is better)");
	snprintf(c->unit, sizeof(c->unit), "cores per Gbit/s");
	snprintf(c->extra[0], sizeof(c->extra[0]), "Gbit/s per core");
	c->n_extra = 1;
	c->kind = CHART_BARS;
	c->is_plain = 1;
	snprintf(c->note, sizeof(c->note),
		 "The CPU time of sender and receiver together over the payload "
		 "they moved (1 / gbps_per_core).");
	for (size_t di = first; di < n; di++) {
		const struct doc *d = docs[di];

		if (!same_host(d, docs[first]))
			continue;
		for (size_t i = 0; i < d->n_cases; i++) {
			const struct doc_case *x = &d->cases[i];
			struct chart_point p = { .extra = { NAN, NAN } };
			char cat[CHART_TEXT], t[CHART_TEXT];

			if (!strcmp(x->workload, "cipher") || !strcmp(x->workload, "rr") ||
			    !(x->cost.gbps_per_core > 0) || is_earlier(docs, di, x))
				continue;
			p.y = p.lo = p.hi = 1 / x->cost.gbps_per_core;
			p.extra[0] = x->cost.gbps_per_core;
			chart_build_label(x, CB_CIPHER | CB_BACKEND | CB_SIZE | CB_THREADS |
						     CB_EXTRAS | CB_LINES,
					  cat, sizeof(cat));
			chart_build_workload(x, t, sizeof(t));
			/* A second case of one label (another option) keeps
			 * the first: the table of cases has both. */
			(void)chart_build_bar(c, cat, t, &p);
		}
	}
	keep_compared(c);
	chart_build_common(c);
	chart_build_keep(l);
}

void chart_cpu_framing_add(struct chart_list *l, struct doc *const *docs,
			   size_t n)
{
	for (size_t di = 0; di < n; di++) {
		int seen = 0;

		for (size_t k = 0; k < di && !seen; k++)
			seen = same_host(docs[k], docs[di]);
		if (!seen)
			framing_chart(l, docs, n, di);
	}
}
