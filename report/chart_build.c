/* Chart filling shared by the report's charts. Labels carry what tells
 * two cases of one chart apart, and nothing twice: the null cipher has
 * no backend to name ("no crypto", never "null null"), a traffic mix
 * shows its name (its mean size is no size anyone sent). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"
#include "report/chart_build.h"
#include "report/doc.h"
#include "report/doc_peer.h"

struct chart *chart_build_new(struct chart_list *l)
{
	struct chart *c;

	if (l->n >= l->max)
		return NULL;
	c = &l->charts[l->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

void chart_build_drop(struct chart_list *l)
{
	if (l->n)
		l->n--;
}

int chart_build_keep(struct chart_list *l)
{
	if (l->n && !chart_has_data(&l->charts[l->n - 1])) {
		l->n--;
		return 0;
	}
	return l->n > 0;
}

void chart_build_workload(const struct doc_case *c, char *buf, size_t len)
{
	size_t wl = strlen(c->workload);

	/* "esp-tunnel" of esp is "esp tunnel"; a framing named as its
	 * workload ("macsec") adds nothing; any other is shown whole. */
	if (!*c->framing || !strcmp(c->framing, c->workload))
		snprintf(buf, len, "%s", c->workload);
	else if (!strncmp(c->framing, c->workload, wl) && c->framing[wl] == '-')
		snprintf(buf, len, "%s %s", c->workload, c->framing + wl + 1);
	else
		snprintf(buf, len, "%s %s", c->workload, c->framing);
}

/* What sets a case apart beside its identity's main fields. */
static void add_extras(const struct doc_case *c, char *buf, size_t len)
{
	char name[DOC_PEER_ADDR_MAX + 16];

	if (*c->direction && strcmp(c->direction, "seal") && strcmp(c->direction, "both"))
		ncb_appendf(buf, len, ", %s", c->direction);
	if (c->scale.sa_count > 1)
		ncb_appendf(buf, len, ", %ld SAs", c->scale.sa_count);
	if (c->scale.flows > 1)
		ncb_appendf(buf, len, ", %u flows", c->scale.flows);
	if (*c->io && strcmp(c->io, "uring"))
		ncb_appendf(buf, len, ", %s", c->io);
	if (doc_case_has_option(c, "no-gso=true"))
		ncb_appendf(buf, len, ", no GSO");
	if (c->peer) {
		doc_peer_name(c->peer, name, sizeof(name));
		/* U+2192, a right arrow, in UTF-8 (the charts' encoding). */
		ncb_appendf(buf, len, " \xe2\x86\x92 %s", name);
	}
}

void chart_build_label(const struct doc_case *c, unsigned parts, char *buf,
		       size_t len)
{
	const char *sep = parts & CB_LINES ? "\n" : " ";
	int is_null = !strcmp(c->cipher, "null");
	char wl[CHART_TEXT];

	buf[0] = '\0';
	if (parts & CB_WORKLOAD) {
		chart_build_workload(c, wl, sizeof(wl));
		ncb_appendf(buf, len, "%s", wl);
	}
	if (parts & CB_CIPHER)
		ncb_appendf(buf, len, "%s%s", *buf ? sep : "", is_null ? "no crypto" : c->cipher);
	if ((parts & CB_BACKEND) && !is_null)
		ncb_appendf(buf, len, "%s%s", *buf ? sep : "", c->backend);
	else if ((parts & CB_BACKEND) && !(parts & CB_CIPHER))
		ncb_appendf(buf, len, "%snull (no crypto)", *buf ? sep : "");
	/* A size and its unit, a mix and its name, are one word: U+00A0, a
	 * no-break space, keeps chart_build_common from parting them. */
	if ((parts & CB_SIZE) && *c->imix)
		ncb_appendf(buf, len, "%sIMIX\xc2\xa0%s", *buf ? sep : "", c->imix);
	else if (parts & CB_SIZE)
		ncb_appendf(buf, len, "%s%ld\xc2\xa0" "B", *buf ? sep : "", c->size);
	if ((parts & CB_THREADS) && c->threads > 1)
		ncb_appendf(buf, len, " x%u", c->threads);
	if (parts & CB_EXTRAS)
		add_extras(c, buf, len);
}

struct chart_series *chart_build_series(struct chart *c, const char *title)
{
	struct chart_series *s;

	for (size_t i = 0; i < c->ns; i++)
		if (!strcmp(c->s[i].title, title))
			return &c->s[i];
	if (c->ns >= CHART_SERIES_MAX)
		return NULL;
	s = &c->s[c->ns++];
	snprintf(s->title, CHART_TEXT, "%s", title);
	/* Bars: a new series has no bar in the categories so far. */
	for (size_t k = 0; k < c->n_cats; k++)
		s->p[k] = (struct chart_point){ .y = NAN, .lo = NAN, .hi = NAN };
	s->n = c->n_cats;
	return s;
}

int chart_build_bar(struct chart *c, const char *cat, const char *title,
		    const struct chart_point *p)
{
	struct chart_series *s;
	size_t k = 0;

	while (k < c->n_cats && strcmp(c->cats[k], cat))
		k++;
	if (k == c->n_cats) {
		if (k >= CHART_POINTS_MAX)
			return -1;
		snprintf(c->cats[k], CHART_TEXT, "%s", cat);
		c->n_cats++;
		for (size_t i = 0; i < c->ns; i++) {
			c->s[i].p[k] = (struct chart_point){ .y = NAN, .lo = NAN, .hi = NAN };
			c->s[i].n = c->n_cats;
		}
	}
	s = chart_build_series(c, title);
	if (!s || isfinite(s->p[k].y))
		return -1;
	s->p[k] = *p;
	return 0;
}

void chart_build_point(struct chart_series *s, const struct chart_point *p)
{
	size_t i = s ? s->n : CHART_POINTS_MAX;

	if (i >= CHART_POINTS_MAX)
		return;
	while (i > 0 && s->p[i - 1].x > p->x) {
		s->p[i] = s->p[i - 1];
		i--;
	}
	s->p[i] = *p;
	s->n++;
}

void chart_build_gbps(const struct doc_case *c, struct chart_point *p)
{
	p->y = c->gbps_median;
	p->lo = c->gbps_ci95[0];
	p->hi = c->gbps_ci95[1];
	for (size_t e = 0; e < CHART_EXTRA_MAX; e++)
		p->extra[e] = NAN;
}

int chart_build_is_fewest(const struct doc *d, const struct doc_case *c)
{
	unsigned tmin = UINT32_MAX;

	for (size_t j = 0; j < d->n_cases; j++)
		if (!strcmp(d->cases[j].series, c->series) && d->cases[j].threads < tmin)
			tmin = d->cases[j].threads;
	return c->threads == tmin;
}

/* Word i of s: its start and length (words are split by spaces and line
 * breaks); 0 when s has fewer words. */
static int word(const char *s, size_t i, const char **at, size_t *len)
{
	for (;;) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!*s)
			return 0;
		*len = strcspn(s, " \n");
		if (!i--) {
			*at = s;
			return 1;
		}
		s += *len;
	}
}

static size_t words(const char *s)
{
	const char *at;
	size_t n = 0, len;

	while (word(s, n, &at, &len))
		n++;
	return n;
}

/* Whether word i (from the start, or from the end with is_end) is the
 * same in every label. */
static int is_common(char (*items)[CHART_TEXT], size_t n, const size_t *nw,
		     size_t i, int is_end)
{
	const char *a, *b;
	size_t la, lb;

	for (size_t k = 0; k < n; k++)
		if (i >= nw[k])
			return 0;
	if (!word(items[0], is_end ? nw[0] - 1 - i : i, &a, &la))
		return 0;
	for (size_t k = 1; k < n; k++)
		if (!word(items[k], is_end ? nw[k] - 1 - i : i, &b, &lb) ||
		    la != lb || memcmp(a, b, la))
			return 0;
	return 1;
}

/* Cuts the words every label of items shares at its start and end into
 * out, keeping at least one word of each label. */
static void cut_common(char (*items)[CHART_TEXT], size_t n, char *out, size_t len)
{
	size_t nw[CHART_POINTS_MAX], pre = 0, suf = 0, least = SIZE_MAX;

	out[0] = '\0';
	if (n < 2 || n > CHART_POINTS_MAX)
		return;
	for (size_t k = 0; k < n; k++) {
		nw[k] = words(items[k]);
		least = nw[k] < least ? nw[k] : least;
	}
	while (pre + 1 < least && is_common(items, n, nw, pre, 0))
		pre++;
	while (pre + suf + 1 < least && is_common(items, n, nw, suf, 1))
		suf++;
	if (!pre && !suf)
		return;
	for (size_t k = 0; k < n; k++) {
		char kept[CHART_TEXT], cut[CHART_TEXT] = "";
		const char *from, *to;
		size_t l1, l2;

		if (!word(items[k], pre, &from, &l1) ||
		    !word(items[k], nw[k] - 1 - suf, &to, &l2))
			continue;
		snprintf(kept, sizeof(kept), "%.*s", (int)(to + l2 - from), from);
		if (k == 0) {
			for (size_t i = 0; i < pre; i++) {
				word(items[0], i, &from, &l1);
				ncb_appendf(cut, sizeof(cut), "%s%.*s", *cut ? " " : "", (int)l1, from);
			}
			for (size_t i = nw[0] - suf; i < nw[0]; i++) {
				word(items[0], i, &from, &l1);
				ncb_appendf(cut, sizeof(cut), "%s%.*s", *cut ? " " : "", (int)l1, from);
			}
			snprintf(out, len, "%s", cut);
		}
		memcpy(items[k], kept, sizeof(kept));
	}
}

void chart_build_common(struct chart *c)
{
	char cut[CHART_TEXT], titles[CHART_SERIES_MAX][CHART_TEXT];

	if (c->kind == CHART_LINES) {
		for (size_t i = 0; i < c->ns; i++)
			memcpy(titles[i], c->s[i].title, CHART_TEXT);
		cut_common(titles, c->ns, cut, sizeof(cut));
		for (size_t i = 0; *cut && i < c->ns; i++)
			memcpy(c->s[i].title, titles[i], CHART_TEXT);
	} else {
		cut_common(c->cats, c->n_cats, cut, sizeof(cut));
	}
	if (*cut)
		ncb_appendf(c->title, CHART_TEXT, ": %s", cut);
}
