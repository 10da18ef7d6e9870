/* Findings: sentences computed from the loaded documents, written first in
 * report.html and report.md. Each sentence comes from figures a document
 * carries and is left out when one is absent. Cases are grouped by sorting
 * identity keys that leave out the field a sentence compares (backend,
 * cipher, framing): a group is every case of one document that differs
 * in that field only. O(n log n) in the cases, as doc_load is. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/doc_check.h"
#include "report/doc_peer.h"
#include "report/findings.h"
#include "report/sink.h"

enum {
	TEXT_MAX = 1024, /* bytes of one sentence; a longer one is cut */
	PART_MAX = 512,  /* bytes of a case's name */
	/* Fields a grouping key leaves out. */
	SKIP_BACKEND = 1u << 0,
	SKIP_CIPHER = 1u << 1,
	SKIP_FRAMING = 1u << 2, /* workload, framing, transport and options */
};

/* The section as it is written: its heading comes with the first item
 * of any list, so a report without findings has no empty section. */
struct out {
	FILE *f;
	int is_md, is_started;
	int is_multi; /* several documents: each item names its file */
};

/* One list of the section: a heading, at most FINDINGS_LIST_MAX items,
 * then how many more there were. */
struct list {
	struct out *o;
	const char *title;
	size_t n;
};

struct row {
	const struct doc_case *c;
	size_t doc, i; /* document and case: the report's order */
	char *key;
};

/* One group: a run of rows with one key, and its earliest case. */
struct group {
	size_t first, len; /* rows */
	size_t doc, i;
};

/* Rows sorted by key; groups in the order of their earliest case. */
struct groups {
	struct row *rows;
	size_t n;
	struct group *g;
	size_t n_groups;
};

int findings_is_wide(double lo, double hi, double median)
{
	double width = hi - lo;

	if (!(width > 0))
		return 0;
	return median > 0 ? width * 100 > FINDINGS_CI_WIDE_PCT * median : 1;
}

static void list_item(struct list *l, size_t doc, const char *fmt, ...)
	NCB_PRINTF(3, 4);

static void list_item(struct list *l, size_t doc, const char *fmt, ...)
{
	struct out *o = l->o;
	char text[TEXT_MAX];
	va_list ap;

	if (l->n++ >= FINDINGS_LIST_MAX)
		return;
	if (!o->is_started)
		fputs(o->is_md ? "## Findings\n\n" : "<h2 id=\"findings\">Findings</h2>\n", o->f);
	o->is_started = 1;
	if (l->n == 1)
		fprintf(o->f, o->is_md ? "### %s\n\n" : "<h3>%s</h3>\n<ul>\n", l->title);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fputs(o->is_md ? "- " : "<li>", o->f);
	if (o->is_multi)
		fprintf(o->f, "File %zu: ", doc + 1);
	/* The sentence holds document text: it goes out whole through the
	 * sink (our own words use nothing either sink would escape). */
	if (o->is_md)
		sink_md(o->f, text);
	else
		sink_html(o->f, text);
	fputs(o->is_md ? "\n" : "</li>\n", o->f);
}

static void list_end(struct list *l)
{
	FILE *f = l->o->f;

	if (!l->n)
		return;
	if (l->n > FINDINGS_LIST_MAX)
		fprintf(f, l->o->is_md ? "- and %zu more\n" : "<li>and %zu more</li>\n",
			l->n - FINDINGS_LIST_MAX);
	fputs(l->o->is_md ? "\n" : "</ul>\n", f);
}

/* A figure in three significant digits, without an exponent. */
static void add_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	ncb_appendf(buf, len, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%#.3g", v);
}

static void add_pct(char *buf, size_t len, double share)
{
	ncb_appendf(buf, len, share >= 0.001 ? "%.1f%%" : "%.2g%%", share * 100);
}

/* "1420 B" or "imix simple", and ", 4 threads" beyond one. */
static void add_size(char *buf, size_t len, const struct doc_case *c)
{
	if (*c->imix)
		ncb_appendf(buf, len, "imix %s", c->imix);
	else
		ncb_appendf(buf, len, "%ld B", c->size);
	if (c->threads > 1)
		ncb_appendf(buf, len, ", %u threads", c->threads);
}

static const char *framing_of(const struct doc_case *c)
{
	return *c->framing ? c->framing : c->workload;
}

/* What a case is: "aes-256-gcm" for the cipher workload, else the
 * workload and, when its name does not say it, the framing ("esp
 * aes-256-gcm", "rr esp-transport aes-256-gcm"); "open" for an open
 * direction, the backend when asked, and a two-host case's peer. */
static int is_null(const struct doc_case *c)
{
	return !strcmp(c->cipher, "null");
}

static void add_name(char *buf, size_t len, const struct doc_case *c,
		     int has_backend)
{
	if (strcmp(c->workload, "cipher")) {
		ncb_appendf(buf, len, "%s ", c->workload);
		if (*c->framing && strncmp(c->framing, c->workload, strlen(c->workload)))
			ncb_appendf(buf, len, "%s ", c->framing);
	}
	/* The null baseline runs on no library: "no crypto", as the charts
	 * say, not "null on null". */
	if (is_null(c)) {
		ncb_appendf(buf, len, "no crypto");
		has_backend = 0;
	} else {
		ncb_appendf(buf, len, "%s", c->cipher);
	}
	if (!strcmp(c->direction, "open"))
		ncb_appendf(buf, len, " open");
	if (has_backend)
		ncb_appendf(buf, len, " on %s", c->backend);
	if (c->peer)
		ncb_appendf(buf, len, " with peer %s", c->peer->address);
}

static int is_network(const struct doc_case *c)
{
	return *c->transport != 0;
}

static char *group_key(const struct doc_case *c, size_t doc, unsigned skip)
{
	int is_fr = (skip & SKIP_FRAMING) != 0;

	return doc_check_strf("%zu\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%ld\x1f%u\x1f%s\x1f%s\x1f%s",
			      doc, is_fr ? "" : c->workload,
			      skip & SKIP_CIPHER ? "" : c->cipher,
			      skip & SKIP_BACKEND ? "" : c->backend, c->direction,
			      is_fr ? "" : c->transport, c->io,
			      is_fr ? "" : c->framing, c->imix, c->size, c->threads,
			      is_fr ? "" : c->options, c->peer ? c->peer->address : "",
			      c->peer ? doc_peer_mode_name(c->peer->mode) : "");
}

static int by_key(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	if (!d)
		d = (x->doc > y->doc) - (x->doc < y->doc);
	if (!d)
		d = (x->i > y->i) - (x->i < y->i);
	return d;
}

static int by_first(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int d = (x->doc > y->doc) - (x->doc < y->doc);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static void groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->rows[i].key);
	free(g->rows);
	free(g->g);
	memset(g, 0, sizeof(*g));
}

/* The cases is_in takes, grouped by their key without the skip fields. */
static int groups_make(struct groups *g, struct doc *const *docs, size_t n_docs,
		       unsigned skip, int (*is_in)(const struct doc_case *))
{
	size_t total = 0;

	memset(g, 0, sizeof(*g));
	for (size_t d = 0; d < n_docs; d++)
		total += docs[d]->n_cases;
	g->rows = calloc(total + 1, sizeof(*g->rows));
	g->g = calloc(total + 1, sizeof(*g->g));
	if (!g->rows || !g->g)
		goto err;
	for (size_t d = 0; d < n_docs; d++)
		for (size_t i = 0; i < docs[d]->n_cases; i++) {
			const struct doc_case *c = &docs[d]->cases[i];
			struct row *r = &g->rows[g->n];

			if (!is_in(c))
				continue;
			*r = (struct row){ .c = c, .doc = d, .i = i };
			r->key = group_key(c, d, skip);
			if (!r->key)
				goto err;
			g->n++;
		}
	/* Rows of one key are sorted by case, so a group's first row is its
	 * earliest case. */
	qsort(g->rows, g->n, sizeof(*g->rows), by_key);
	for (size_t i = 0; i < g->n; i++) {
		struct group *x;

		if (i && !strcmp(g->rows[i - 1].key, g->rows[i].key)) {
			g->g[g->n_groups - 1].len++;
			continue;
		}
		x = &g->g[g->n_groups++];
		*x = (struct group){ .first = i, .len = 1, .doc = g->rows[i].doc,
				     .i = g->rows[i].i };
	}
	qsort(g->g, g->n_groups, sizeof(*g->g), by_first);
	return 0;
err:
	groups_free(g);
	return -ENOMEM;
}

static int any_case(const struct doc_case *c)
{
	(void)c;
	return 1;
}

static int by_gbps_desc(const void *a, const void *b)
{
	const struct doc_case *x = ((const struct row *)a)->c;
	const struct doc_case *y = ((const struct row *)b)->c;

	return (x->gbps_median < y->gbps_median) - (x->gbps_median > y->gbps_median);
}

/* Whether the 95% intervals of two cases' rates overlap (both known). */
static int overlaps(const struct doc_case *a, const struct doc_case *b)
{
	return a->gbps_ci95[1] > a->gbps_ci95[0] &&
	       b->gbps_ci95[1] > b->gbps_ci95[0] &&
	       a->gbps_ci95[0] <= b->gbps_ci95[1] &&
	       b->gbps_ci95[0] <= a->gbps_ci95[1];
}

/* Per cipher and size, the fastest backend and its ratio to each other. */
static int fastest_backend(struct out *o, struct doc *const *docs, size_t n_docs)
{
	struct list l = { .o = o, .title = "Fastest backend" };
	struct groups g;
	int rc = groups_make(&g, docs, n_docs, SKIP_BACKEND, any_case);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < g.n_groups; k++) {
		struct row *r = &g.rows[g.g[k].first];
		char text[TEXT_MAX] = "";
		size_t n = g.g[k].len, shown = 0;

		if (n < 2)
			continue;
		/* Sorting inside the group leaves the group order alone. */
		qsort(r, n, sizeof(*r), by_gbps_desc);
		if (!(r[0].c->gbps_median > 0))
			continue;
		ncb_appendf(text, sizeof(text), "At ");
		add_size(text, sizeof(text), r[0].c);
		ncb_appendf(text, sizeof(text), ", ");
		add_name(text, sizeof(text), r[0].c, 0);
		ncb_appendf(text, sizeof(text), " is fastest on %s: ", r[0].c->backend);
		for (size_t i = 1; i < n; i++) {
			if (!(r[i].c->gbps_median > 0))
				continue;
			ncb_appendf(text, sizeof(text), "%s%.2fx %s", shown++ ? ", " : "",
			    r[0].c->gbps_median / r[i].c->gbps_median, r[i].c->backend);
			/* A reader should not pick a backend on a lead the
			 * intervals do not carry. */
			if (overlaps(r[0].c, r[i].c))
				ncb_appendf(text, sizeof(text), " with overlapping 95%% CIs");
		}
		if (shown)
			list_item(&l, r[0].doc, "%s.", text);
	}
	list_end(&l);
	groups_free(&g);
	return 0;
}

/* The null case of a group, or NULL. */
static const struct doc_case *group_null(const struct row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_null(r[i].c))
			return r[i].c;
	return NULL;
}

static int is_bulk_net(const struct doc_case *c)
{
	return is_network(c) && !c->has_latency;
}

/* Per network case: the share of its cycles in crypto, and its rate
 * against the null baseline of the same workload and size. */
static int crypto_share(struct out *o, struct doc *const *docs, size_t n_docs)
{
	struct list l = { .o = o, .title = "Crypto share and the null baseline" };
	struct groups g;
	int rc = groups_make(&g, docs, n_docs, SKIP_CIPHER | SKIP_BACKEND, is_bulk_net);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < g.n_groups; k++) {
		const struct row *r = &g.rows[g.g[k].first];
		const struct doc_case *base = group_null(r, g.g[k].len);
		int has_base = base && base->gbps_median > 0;

		for (size_t i = 0; i < g.g[k].len; i++) {
			const struct doc_case *c = r[i].c;
			/* Above 1, an older document's share counted
			 * preempted time: no share to state. */
			int has_share = c->crypto_share >= 0 && c->crypto_share <= 1;
			char text[TEXT_MAX] = "";

			if (is_null(c) || (!has_share && !has_base))
				continue;
			add_name(text, sizeof(text), c, 1);
			ncb_appendf(text, sizeof(text), " at ");
			add_size(text, sizeof(text), c);
			ncb_appendf(text, sizeof(text), ": ");
			if (has_share) {
				ncb_appendf(text, sizeof(text), "%.0f%% of cycles in crypto",
				    c->crypto_share * 100);
				ncb_appendf(text, sizeof(text), has_base ? "; " : "");
			}
			if (has_base) {
				ncb_appendf(text, sizeof(text), "%.2fx the rate of the null baseline, ",
				    c->gbps_median / base->gbps_median);
				add_num(text, sizeof(text), c->gbps_median);
				ncb_appendf(text, sizeof(text), " against ");
				add_num(text, sizeof(text), base->gbps_median);
				ncb_appendf(text, sizeof(text), " Gbit/s");
			}
			list_item(&l, r[i].doc, "%s.", text);
		}
	}
	list_end(&l);
	groups_free(&g);
	return 0;
}

static int has_cpu(const struct doc_case *c)
{
	return is_bulk_net(c) && c->gbps_per_core > 0;
}

static int by_cost(const void *a, const void *b)
{
	const struct doc_case *x = ((const struct row *)a)->c;
	const struct doc_case *y = ((const struct row *)b)->c;

	/* The most Gbit/s per core is the least CPU per Gbit/s. */
	return (x->gbps_per_core < y->gbps_per_core) - (x->gbps_per_core > y->gbps_per_core);
}

/* Framing against framing at one size and cipher: CPU per Gbit/s (cores
 * per Gbit/s, the inverse of gbps_per_core), the cheapest first. */
static int framing_cost(struct out *o, struct doc *const *docs, size_t n_docs)
{
	struct list l = { .o = o, .title = "Framing against framing: CPU per Gbit/s" };
	struct groups g;
	int rc = groups_make(&g, docs, n_docs, SKIP_FRAMING, has_cpu);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < g.n_groups; k++) {
		struct row *r = &g.rows[g.g[k].first];
		const struct doc_case *best;
		char text[TEXT_MAX] = "";
		size_t shown = 0;

		if (g.g[k].len < 2)
			continue;
		qsort(r, g.g[k].len, sizeof(*r), by_cost);
		best = r[0].c;
		ncb_appendf(text, sizeof(text), "At ");
		add_size(text, sizeof(text), best);
		if (is_null(best))
			ncb_appendf(text, sizeof(text), " without crypto");
		else
			ncb_appendf(text, sizeof(text), " with %s on %s", best->cipher,
			    best->backend);
		ncb_appendf(text, sizeof(text), ", %s costs the least CPU, ", framing_of(best));
		add_num(text, sizeof(text), 1 / best->gbps_per_core);
		ncb_appendf(text, sizeof(text), " cores per Gbit/s");
		for (size_t i = 1; i < g.g[k].len; i++) {
			size_t j = 0;

			/* A framing twice (an alias and its pattern, other
			 * options): its cheapest case speaks for it. */
			while (j < i && strcmp(framing_of(r[j].c), framing_of(r[i].c)))
				j++;
			if (j < i)
				continue;
			ncb_appendf(text, sizeof(text), "%s%s %.2fx that", shown++ ? ", " : "; ",
			    framing_of(r[i].c), best->gbps_per_core / r[i].c->gbps_per_core);
		}
		if (shown)
			list_item(&l, r[0].doc, "%s.", text);
	}
	list_end(&l);
	groups_free(&g);
	return 0;
}

static int is_rr(const struct doc_case *c)
{
	return c->has_latency;
}

/* "p50 15.14 µs, 2.75 µs more than null" (lat_ns holds p50, p90, p99,
 * p99.9, max). Less than null is noise, and said as it is. */
static void add_latency(char *buf, size_t len, const char *name, double ns,
			double base_ns)
{
	double d = (ns - base_ns) / 1e3;

	ncb_appendf(buf, len, "%s %.2f µs, %.2f µs %s than null", name, ns / 1e3, fabs(d),
	    d < 0 ? "less" : "more");
}

/* Per request/response case, the latency its crypto adds over the null
 * case of the same workload and size, at p50 and p99. */
static int rr_latency(struct out *o, struct doc *const *docs, size_t n_docs)
{
	struct list l = { .o = o, .title = "What the crypto adds to a request/response" };
	struct groups g;
	int rc = groups_make(&g, docs, n_docs, SKIP_CIPHER | SKIP_BACKEND, is_rr);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < g.n_groups; k++) {
		const struct row *r = &g.rows[g.g[k].first];
		const struct doc_case *base = group_null(r, g.g[k].len);

		for (size_t i = 0; base && i < g.g[k].len; i++) {
			const struct doc_case *c = r[i].c;
			char text[TEXT_MAX] = "";

			if (is_null(c))
				continue;
			add_name(text, sizeof(text), c, 1);
			ncb_appendf(text, sizeof(text), " at ");
			add_size(text, sizeof(text), c);
			ncb_appendf(text, sizeof(text), ": ");
			add_latency(text, sizeof(text), "p50", c->lat_ns[0], base->lat_ns[0]);
			ncb_appendf(text, sizeof(text), "; ");
			add_latency(text, sizeof(text), "p99", c->lat_ns[2], base->lat_ns[2]);
			list_item(&l, r[i].doc, "%s.", text);
		}
	}
	list_end(&l);
	groups_free(&g);
	return 0;
}

/* Every case with errors, drops or a wide interval, and why. */
static void check_these(struct out *o, struct doc *const *docs, size_t n_docs)
{
	struct list l = { .o = o, .title = "Check these" };

	for (size_t d = 0; d < n_docs; d++)
		for (size_t i = 0; i < docs[d]->n_cases; i++) {
			const struct doc_case *c = &docs[d]->cases[i];
			/* Drops over what was sent; a case that does not count
			 * its sends apart: over what arrived and what did not. */
			double sent = c->sent > 0 ? c->sent : c->packets + c->drops;
			char text[TEXT_MAX] = "", why[TEXT_MAX] = "";

			if (c->auth_fail > 0)
				ncb_appendf(why, sizeof(why), "; %.0f authentication failures", c->auth_fail);
			if (c->replay > 0)
				ncb_appendf(why, sizeof(why), "; %.0f replays", c->replay);
			if (c->mismatch > 0)
				ncb_appendf(why, sizeof(why), "; %.0f mismatches", c->mismatch);
			if (c->drops > 0 && sent > 0) {
				ncb_appendf(why, sizeof(why), "; ");
				add_pct(why, sizeof(why), c->drops / sent);
				ncb_appendf(why, sizeof(why), " of packets dropped");
			}
			if (findings_is_wide(c->gbps_ci95[0], c->gbps_ci95[1], c->gbps_median)) {
				ncb_appendf(why, sizeof(why), "; 95%% CI ");
				add_num(why, sizeof(why), c->gbps_ci95[0]);
				ncb_appendf(why, sizeof(why), " .. ");
				add_num(why, sizeof(why), c->gbps_ci95[1]);
				ncb_appendf(why, sizeof(why), " Gbit/s");
				if (c->gbps_median > 0)
					ncb_appendf(why, sizeof(why), ", %.0f%% of the median",
					    (c->gbps_ci95[1] - c->gbps_ci95[0]) * 100 /
						    c->gbps_median);
			}
			if (!*why)
				continue;
			add_name(text, sizeof(text), c, 1);
			ncb_appendf(text, sizeof(text), " at ");
			add_size(text, sizeof(text), c);
			list_item(&l, d, "%s: %s.", text, why + 2);
		}
	list_end(&l);
}

int findings_write(FILE *f, struct doc *const *docs, size_t n_docs, int is_md)
{
	struct out o = { .f = f, .is_md = is_md, .is_multi = n_docs > 1 };
	int rc;

	if ((rc = fastest_backend(&o, docs, n_docs)) < 0 ||
	    (rc = crypto_share(&o, docs, n_docs)) < 0 ||
	    (rc = framing_cost(&o, docs, n_docs)) < 0 ||
	    (rc = rr_latency(&o, docs, n_docs)) < 0)
		return rc;
	check_these(&o, docs, n_docs);
	return 0;
}
