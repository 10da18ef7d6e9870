/* The sweeps of the sa-scale suite drawn: cases that differ only in one
 * value (the SA count, the sockets per pair) become one line against it.
 * A case's line is its identity key without that value, so every other
 * difference (cipher, size, engine, GSO, spread, peer) makes another
 * line; lines are kept in the order their first case has in the
 * document. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/scale.h"

/* What one sweep chart plots. */
struct sweep {
	const char *opt; /* the option that holds the x value in a key */
	double (*x)(const struct doc_case *c);  /* 0: not on this axis */
	void (*label)(const struct doc_case *c, char *buf, size_t len);
	void (*point)(const struct doc_case *c, struct chart_point *p);
	void (*finish)(struct chart_series *s); /* after the points: may be NULL */
};

/* A case on the axis and its line's key. */
struct member {
	char *line; /* owned */
	size_t i;   /* index in the document */
};

/* One line: members[start, start + n), first = the lowest index. */
struct run {
	size_t start, n, first;
};

/* The key without its last " OPT=VALUE" token (options come last in a
 * key, so the last one is the option's), or a copy when it has none. */
static char *line_key(const char *key, const char *opt)
{
	char tok[40], *out;
	const char *at = NULL, *end;

	snprintf(tok, sizeof(tok), " %s=", opt);
	for (const char *p = key; (p = strstr(p, tok)); p++)
		at = p;
	if (!at)
		return strdup(key);
	end = strchr(at + 1, ' ');
	if (!end)
		end = at + strlen(at);
	out = malloc(strlen(key) + 1);
	if (!out)
		return NULL;
	memcpy(out, key, (size_t)(at - key));
	strcpy(out + (at - key), end);
	return out;
}

static int by_line(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int d = strcmp(x->line, y->line);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static int by_first(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/* Appends " → ADDRESS MODE" for a two-host case, as report.c does. */
static void add_peer(char *buf, size_t len, const struct doc_case *c)
{
	char name[DOC_PEER_ADDR_MAX + 16];
	size_t n = strlen(buf);

	if (!c->peer || n + 1 >= len)
		return;
	doc_peer_name(c->peer, name, sizeof(name));
	if (snprintf(buf + n, len - n, " \xe2\x86\x92 %s", name) >= (int)(len - n))
		buf[len - 1] = '\0';
}

/* A new series titled from c; a title another line has already gets its
 * number, so two lines never share a key entry. */
static struct chart_series *new_series(struct chart *ch, const struct sweep *sw,
				       const struct doc_case *c)
{
	struct chart_series *s = &ch->s[ch->ns];
	size_t n;

	sw->label(c, s->title, sizeof(s->title));
	add_peer(s->title, sizeof(s->title), c);
	for (size_t i = 0; i < ch->ns; i++)
		if (!strcmp(ch->s[i].title, s->title)) {
			n = strlen(s->title);
			if (n + 8 >= sizeof(s->title))
				n = sizeof(s->title) - 8;
			snprintf(s->title + n, sizeof(s->title) - n, " (%zu)", ch->ns + 1);
			break;
		}
	ch->ns++;
	return s;
}

static void add_point(struct chart_series *s, const struct chart_point *p)
{
	size_t i = s->n;

	if (i >= CHART_POINTS_MAX)
		return;
	while (i > 0 && s->p[i - 1].x > p->x) {
		s->p[i] = s->p[i - 1];
		i--;
	}
	s->p[i] = *p;
	s->n++;
}

/* The lines of sweep sw in d: members sorted by line, runs of one line
 * with two or more x values, in document order. */
static int sweep_chart(struct chart *ch, const struct doc *d, const struct sweep *sw)
{
	struct member *m = calloc(d->n_cases + 1, sizeof(*m));
	struct run *runs = calloc(d->n_cases + 1, sizeof(*runs));
	size_t n = 0, n_runs = 0;

	for (size_t i = 0; m && runs && i < d->n_cases; i++) {
		if (!(sw->x(&d->cases[i]) > 0))
			continue;
		m[n].i = i;
		if (!(m[n++].line = line_key(d->cases[i].key, sw->opt)))
			goto out; /* out of memory: no chart */
	}
	if (!m || !runs)
		goto out;
	qsort(m, n, sizeof(*m), by_line);
	for (size_t k = 0; k < n;) {
		struct run r = { k, 0, m[k].i };
		int is_sweep = 0;

		while (k + r.n < n && !strcmp(m[k + r.n].line, m[k].line)) {
			is_sweep |= sw->x(&d->cases[m[k + r.n].i]) !=
				    sw->x(&d->cases[m[k].i]);
			r.n++;
		}
		k += r.n;
		if (is_sweep)
			runs[n_runs++] = r; /* m[start] has the lowest index */
	}
	qsort(runs, n_runs, sizeof(*runs), by_first);
	for (size_t r = 0; r < n_runs && ch->ns < CHART_SERIES_MAX; r++) {
		struct chart_series *s =
			new_series(ch, sw, &d->cases[runs[r].first]);

		for (size_t k = runs[r].start; k < runs[r].start + runs[r].n; k++) {
			struct chart_point p = { 0 };
			const struct doc_case *c = &d->cases[m[k].i];

			p.x = sw->x(c);
			for (size_t e = 0; e < CHART_EXTRA_MAX; e++)
				p.extra[e] = NAN;
			sw->point(c, &p);
			add_point(s, &p);
		}
		if (sw->finish)
			sw->finish(s);
	}
out:
	for (size_t i = 0; m && i < n; i++)
		free(m[i].line);
	free(m);
	free(runs);
	return ch->ns > 0;
}

/* SA counts: cost per packet against SAs. */

static double sa_x(const struct doc_case *c)
{
	return (double)c->scale.sa_count;
}

static void sa_label(const struct doc_case *c, char *buf, size_t len)
{
	const struct doc_scale *s = &c->scale;
	size_t n;

	n = (size_t)snprintf(buf, len, "%s %s %s %ld B", c->workload, c->cipher,
			     c->backend, c->size);
	if (n < len && c->threads > 1)
		n += (size_t)snprintf(buf + n, len - n, " x%u", c->threads);
	if (n < len && s->flows > 1)
		n += (size_t)snprintf(buf + n, len - n, ", %u flows", s->flows);
	if (n < len && *s->sa_dist && strcmp(s->sa_dist, "uniform"))
		n += (size_t)snprintf(buf + n, len - n, ", %s", s->sa_dist);
	if (n < len && *c->io && strcmp(c->io, "uring"))
		snprintf(buf + n, len - n, ", %s", c->io);
}

/* The CPU time per packet of every worker (summary.service_demand),
 * in nanoseconds. */
static void sa_point(const struct doc_case *c, struct chart_point *p)
{
	p->y = p->lo = p->hi = c->us_per_packet * 1e3;
}

/* Each point's cost over the line's first (fewest SAs). */
static void sa_finish(struct chart_series *s)
{
	for (size_t k = 0; k < s->n; k++)
		s->p[k].extra[0] = s->p[0].y > 0 ? s->p[k].y / s->p[0].y : NAN;
}

int scale_sa_chart(struct chart *c, const struct doc *d, size_t di)
{
	static const struct sweep sw = { "sas", sa_x, sa_label, sa_point, sa_finish };

	if (!sweep_chart(c, d, &sw))
		return 0;
	chart_stem(c, "sas-%zu", di + 1);
	snprintf(c->title, CHART_TEXT, "cost per packet against SAs per pair (%s)",
		 d->host.hostname);
	snprintf(c->xlabel, CHART_TEXT, "SAs per pair and direction (log scale)");
	snprintf(c->ylabel, CHART_TEXT, "CPU time per packet (ns, all workers)");
	snprintf(c->unit, sizeof(c->unit), "ns/packet");
	snprintf(c->extra[0], sizeof(c->extra[0]), "ratio to fewest SAs");
	c->n_extra = 1;
	c->kind = CHART_LINES;
	c->is_logx = 1;
	c->is_xtics_data = 1;
	c->is_plain = 1;
	return 1;
}

/* Flows: packet rate against sockets per pair, a line per engine. */

static double flow_x(const struct doc_case *c)
{
	return c->scale.flows;
}

static void flow_label(const struct doc_case *c, char *buf, size_t len)
{
	size_t n;

	n = (size_t)snprintf(buf, len, "%s: %s %s", *c->io ? c->io : "?",
			     c->workload, c->cipher);
	if (n < len && strcmp(c->cipher, "null"))
		n += (size_t)snprintf(buf + n, len - n, " %s", c->backend);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %ld B", c->size);
	if (n < len && doc_case_has_option(c, "no-gso=true"))
		n += (size_t)snprintf(buf + n, len - n, " no-gso");
	if (n < len && c->threads > 1)
		n += (size_t)snprintf(buf + n, len - n, " x%u", c->threads);
	if (n < len && c->scale.sa_count > 1)
		snprintf(buf + n, len - n, ", %ld SAs", c->scale.sa_count);
}

/* Received packets per second in millions, the interval of Gbit/s
 * scaled to it (one size: the two are proportional), and the system
 * calls per packet of both ends. */
static void flow_point(const struct doc_case *c, struct chart_point *p)
{
	double k = c->gbps_median > 0 ? c->pps_median / c->gbps_median : 0;

	p->y = c->pps_median / 1e6;
	p->lo = k > 0 ? c->gbps_ci95[0] * k / 1e6 : p->y;
	p->hi = k > 0 ? c->gbps_ci95[1] * k / 1e6 : p->y;
	if (c->scale.syscalls_tx >= 0)
		p->extra[0] = c->scale.syscalls_tx;
	if (c->scale.syscalls_rx >= 0)
		p->extra[1] = c->scale.syscalls_rx;
}

int scale_flow_chart(struct chart *c, const struct doc *d, size_t di)
{
	static const struct sweep sw = { "flows", flow_x, flow_label, flow_point, NULL };

	if (!sweep_chart(c, d, &sw))
		return 0;
	chart_stem(c, "flows-%zu", di + 1);
	snprintf(c->title, CHART_TEXT, "packet rate against sockets per pair, per I/O engine (%s)",
		 d->host.hostname);
	snprintf(c->xlabel, CHART_TEXT, "flows: UDP sockets per pair end (log scale)");
	snprintf(c->ylabel, CHART_TEXT, "packets received per second (millions)");
	snprintf(c->unit, sizeof(c->unit), "Mpps");
	snprintf(c->extra[0], sizeof(c->extra[0]), "syscalls/packet tx");
	snprintf(c->extra[1], sizeof(c->extra[1]), "syscalls/packet rx");
	c->n_extra = 2;
	c->kind = CHART_LINES;
	c->is_logx = 1;
	c->is_xtics_data = 1;
	return 1;
}
