/* The fleet view: the same cases on several hosts. A host is a name (the
 * document's host.label, else its hostname); its documents are read in
 * the order given and the first that holds a case gives its figures. A
 * case is shared when two or more hosts ran it; a two-host case matches
 * whatever its peer's address (each host of a fleet runs against its own
 * serve host), not its mode. Hosts are ranked by the geometric mean, over
 * the shared cases they ran, of their rate over the fastest host's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/doc.h"
#include "report/doc_host.h"
#include "report/doc_peer.h"
#include "report/fleet.h"
#include "report/page.h"
#include "report/sink.h"

enum {
	HOSTS_MAX = PAGE_DOCS_MAX,
	RATIO_MIN_LOG = -20, /* log of the ratio of a host that moved nothing */
};

struct fleet_host {
	const char *name;         /* label or hostname (borrowed) */
	const struct doc_host *h; /* its first document's host */
	size_t docs[HOSTS_MAX];   /* its documents' indexes, in order */
	size_t n_docs;
	size_t n_cases;           /* shared cases it ran */
	double score;             /* geometric mean of rate / fastest */
};

/* One document's cases by fleet key, sorted for bsearch. */
struct fleet_key {
	char *key; /* owned */
	const struct doc_case *c;
};

struct fleet_case {
	const char *key;              /* borrowed from a fleet_key */
	const struct doc_case *first; /* where it first appears: its label */
	const struct doc_case *on[HOSTS_MAX]; /* per host; NULL: not run */
	double best;                  /* the fastest host's median Gbit/s */
	size_t n_hosts;
	/* A few words for it (case_label); its key where another shared case
	 * has the same words. */
	char name[CHART_TEXT];
	int is_keyed;
};

struct fleet {
	struct doc *const *docs;
	size_t n_docs;
	struct fleet_host hosts[HOSTS_MAX];
	size_t n_hosts;
	size_t order[HOSTS_MAX]; /* hosts, best score first */
	struct fleet_key *keys[HOSTS_MAX];
	struct fleet_case *cases;
	size_t n_cases;
};

/* A case's identity across hosts: its key without the peer's address
 * ("peer=*" + "/MODE"), so the cases each host ran against its own serve
 * host match. NULL without memory. */
static char *make_key(const struct doc_case *c)
{
	const char *at;
	char pat[DOC_PEER_ADDR_MAX + 16], *out;
	size_t pre, n;

	if (!c->peer)
		return strdup(c->key);
	snprintf(pat, sizeof(pat), " peer=%s/", c->peer->address);
	at = strstr(c->key, pat);
	if (!at)
		return strdup(c->key);
	pre = (size_t)(at - c->key);
	n = strlen(c->key) + 8;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s peer=*/%s", (int)pre, c->key, at + strlen(pat));
	return out;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct fleet_key *)a)->key,
		      ((const struct fleet_key *)b)->key);
}

static const struct doc_case *find(const struct fleet *fl, size_t di,
				   const char *key)
{
	const struct fleet_key k = { (char *)key, NULL }, *hit;

	hit = bsearch(&k, fl->keys[di], fl->docs[di]->n_cases,
		      sizeof(*fl->keys[di]), by_key);
	return hit ? hit->c : NULL;
}

static void free_fleet(struct fleet *fl)
{
	for (size_t i = 0; i < fl->n_docs; i++) {
		for (size_t k = 0; fl->keys[i] && k < fl->docs[i]->n_cases; k++)
			free(fl->keys[i][k].key);
		free(fl->keys[i]);
	}
	free(fl->cases);
}

static void group_hosts(struct fleet *fl)
{
	for (size_t i = 0; i < fl->n_docs; i++) {
		const char *name = doc_host_name(&fl->docs[i]->host);
		size_t h = 0;

		while (h < fl->n_hosts && strcmp(fl->hosts[h].name, name))
			h++;
		if (h == fl->n_hosts) {
			fl->hosts[h] = (struct fleet_host){ .name = name,
							    .h = &fl->docs[i]->host };
			fl->n_hosts++;
		}
		fl->hosts[h].docs[fl->hosts[h].n_docs++] = i;
	}
}

static int make_keys(struct fleet *fl)
{
	for (size_t i = 0; i < fl->n_docs; i++) {
		const struct doc *d = fl->docs[i];

		fl->keys[i] = calloc(d->n_cases + 1, sizeof(*fl->keys[i]));
		if (!fl->keys[i])
			return -1;
		for (size_t k = 0; k < d->n_cases; k++) {
			fl->keys[i][k] = (struct fleet_key){ make_key(&d->cases[k]),
							     &d->cases[k] };
			if (!fl->keys[i][k].key)
				return -1;
		}
		qsort(fl->keys[i], d->n_cases, sizeof(*fl->keys[i]), by_key);
	}
	return 0;
}

/* Every case two or more hosts ran, in the order of first appearance. */
static int collect_cases(struct fleet *fl)
{
	size_t total = 0;

	for (size_t i = 0; i < fl->n_docs; i++)
		total += fl->docs[i]->n_cases;
	fl->cases = calloc(total + 1, sizeof(*fl->cases));
	if (!fl->cases)
		return -1;
	for (size_t i = 0; i < fl->n_docs; i++)
		for (size_t k = 0; k < fl->docs[i]->n_cases; k++) {
			const struct fleet_key *fk = &fl->keys[i][k];
			struct fleet_case *c = &fl->cases[fl->n_cases];
			int seen = 0;

			for (size_t j = 0; j < fl->n_cases && !seen; j++)
				seen = !strcmp(fl->cases[j].key, fk->key);
			if (seen)
				continue;
			*c = (struct fleet_case){ .key = fk->key, .first = fk->c };
			for (size_t h = 0; h < fl->n_hosts; h++)
				for (size_t m = 0; m < fl->hosts[h].n_docs && !c->on[h]; m++)
					c->on[h] = find(fl, fl->hosts[h].docs[m], fk->key);
			for (size_t h = 0; h < fl->n_hosts; h++)
				if (c->on[h]) {
					c->n_hosts++;
					c->best = fmax(c->best, c->on[h]->gbps_median);
				}
			/* The first document's order is the suite's. */
			if (c->n_hosts >= 2)
				fl->n_cases++;
		}
	return 0;
}

/* Whether host a ranks before host b: the better score, then the name. */
static int is_before(const struct fleet *fl, size_t a, size_t b)
{
	const struct fleet_host *x = &fl->hosts[a], *y = &fl->hosts[b];

	if (x->score != y->score)
		return x->score > y->score;
	return strcmp(x->name, y->name) < 0;
}

/* A host's score: exp of the mean log of its rate over the fastest
 * host's on each shared case it ran. */
static void rank_hosts(struct fleet *fl)
{
	for (size_t h = 0; h < fl->n_hosts; h++) {
		struct fleet_host *fh = &fl->hosts[h];
		double sum = 0;

		for (size_t k = 0; k < fl->n_cases; k++) {
			const struct doc_case *c = fl->cases[k].on[h];
			double best = fl->cases[k].best;

			if (!c)
				continue;
			sum += c->gbps_median > 0 && best > 0
				       ? log(c->gbps_median / best)
				       : RATIO_MIN_LOG;
			fh->n_cases++;
		}
		fh->score = fh->n_cases ? exp(sum / (double)fh->n_cases) : 0;
	}
	/* Insertion sort: a report holds a few hosts. */
	for (size_t h = 0; h < fl->n_hosts; h++) {
		size_t i = h;

		while (i > 0 && is_before(fl, h, fl->order[i - 1])) {
			fl->order[i] = fl->order[i - 1];
			i--;
		}
		fl->order[i] = h;
	}
}

static void name_cases(struct fleet *fl);

/* 1 when the documents come from two or more hosts that share a case;
 * free_fleet() either way. */
static int build_fleet(struct fleet *fl, struct doc *const *docs, size_t n)
{
	memset(fl, 0, sizeof(*fl));
	fl->docs = docs;
	fl->n_docs = n > HOSTS_MAX ? HOSTS_MAX : n;
	group_hosts(fl);
	if (fl->n_hosts < 2 || make_keys(fl) < 0 || collect_cases(fl) < 0 ||
	    !fl->n_cases)
		return 0;
	rank_hosts(fl);
	name_cases(fl);
	return 1;
}

/* "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz" -> "Intel Xeon Gold 6338 @
 * 2.00GHz": the marks and filler words a legend has no room for. */
static void cpu_short(const char *model, char *buf, size_t len)
{
	static const char *const drop[] = { "(R)", "(r)", "(TM)", "(tm)",
					    " CPU", " Processor" };
	size_t n = 0;

	if (!*model)
		model = "unknown CPU";
	for (const char *p = model; *p && n + 1 < len;) {
		size_t skip = 0;

		for (size_t i = 0; i < NCB_ARRAY_SIZE(drop) && !skip; i++)
			if (!strncmp(p, drop[i], strlen(drop[i])))
				skip = strlen(drop[i]);
		if (skip) {
			p += skip;
			continue;
		}
		if (*p == ' ' && (n == 0 || buf[n - 1] == ' ')) {
			p++;
			continue;
		}
		buf[n++] = *p++;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

/* "NAME (CPU model)": how a host appears in the chart and the tables. */
static void host_title(const struct fleet_host *fh, char *buf, size_t len)
{
	char cpu[DOC_HOST_TEXT_MAX + 1];

	cpu_short(fh->h->cpu_model, cpu, sizeof(cpu));
	/* A long name is cut, as any chart text is. */
	if (snprintf(buf, len, "%s (%s)", fh->name, cpu) >= (int)len)
		buf[len - 1] = '\0';
}

/* A case in a few words: workload, cipher, backend, size or mix, threads,
 * and what else makes it another case than its neighbours. */
static void case_label(const struct doc_case *c, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s %s%s%s", c->workload, c->cipher,
				    strcmp(c->cipher, "null") ? " " : "",
				    strcmp(c->cipher, "null") ? c->backend : "");

	if (n < len && *c->imix)
		n += (size_t)snprintf(buf + n, len - n, " %s", c->imix);
	else if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %ld B", c->size);
	if (n < len && c->threads > 1)
		n += (size_t)snprintf(buf + n, len - n, " x%u", c->threads);
	if (n < len && *c->direction && strcmp(c->direction, "seal") &&
	    strcmp(c->direction, "both"))
		n += (size_t)snprintf(buf + n, len - n, " %s", c->direction);
	if (n < len && *c->io && strcmp(c->io, "uring"))
		n += (size_t)snprintf(buf + n, len - n, " %s", c->io);
	if (n < len && c->peer)
		snprintf(buf + n, len - n, " (two hosts, %s)",
			 doc_peer_mode_name(c->peer->mode));
}

/* Each case's label, or its whole key where another shared case has the
 * same label (they differ in an option the label leaves out). */
static void name_cases(struct fleet *fl)
{
	for (size_t k = 0; k < fl->n_cases; k++)
		case_label(fl->cases[k].first, fl->cases[k].name, CHART_TEXT);
	for (size_t k = 0; k < fl->n_cases; k++)
		for (size_t j = k + 1; j < fl->n_cases; j++)
			if (!strcmp(fl->cases[k].name, fl->cases[j].name))
				fl->cases[k].is_keyed = fl->cases[j].is_keyed = 1;
	for (size_t k = 0; k < fl->n_cases; k++)
		if (fl->cases[k].is_keyed)
			snprintf(fl->cases[k].name, CHART_TEXT, "%s", fl->cases[k].key);
}

size_t fleet_charts(struct chart *charts, size_t room, struct doc *const *docs,
		    size_t n)
{
	struct chart *c = charts;
	struct fleet fl;
	size_t picked[FLEET_CHART_CASES], np = 0;

	if (!room)
		return 0;
	if (!build_fleet(&fl, docs, n)) {
		free_fleet(&fl);
		return 0;
	}
	/* The cases every host ran first, then those most did. */
	for (size_t want = fl.n_hosts; want >= 2 && np < FLEET_CHART_CASES; want--)
		for (size_t k = 0; k < fl.n_cases && np < FLEET_CHART_CASES; k++)
			if (fl.cases[k].n_hosts == want)
				picked[np++] = k;
	memset(c, 0, sizeof(*c));
	chart_stem(c, "fleet");
	snprintf(c->title, CHART_TEXT,
		 "fleet: %zu hosts on the same cases (rate against the fastest host, median, 95%% CI)",
		 fl.n_hosts);
	snprintf(c->xlabel, CHART_TEXT, "case");
	snprintf(c->ylabel, CHART_TEXT, "rate, %% of the fastest host on the case");
	snprintf(c->unit, CHART_UNIT, "%% of fastest");
	snprintf(c->extra[0], CHART_UNIT, "Gbit/s");
	c->n_extra = 1;
	c->kind = CHART_BARS;
	c->ns = fl.n_hosts < CHART_SERIES_MAX ? fl.n_hosts : CHART_SERIES_MAX;
	for (size_t s = 0; s < c->ns; s++)
		host_title(&fl.hosts[fl.order[s]], c->s[s].title, CHART_TEXT);
	for (size_t i = 0; i < np; i++) {
		const struct fleet_case *fc = &fl.cases[picked[i]];

		snprintf(c->cats[i], CHART_TEXT, "%s", fc->name);
		for (size_t s = 0; s < c->ns; s++) {
			const struct doc_case *x = fc->on[fl.order[s]];
			double scale = fc->best > 0 ? 100 / fc->best : 0;

			c->s[s].p[i] = x ? (struct chart_point){
						   .y = x->gbps_median * scale,
						   .lo = x->gbps_ci95[0] * scale,
						   .hi = x->gbps_ci95[1] * scale,
						   .extra = { x->gbps_median } }
					 : (struct chart_point){ .y = NAN, .lo = NAN,
								 .hi = NAN,
								 .extra = { NAN } };
			c->s[s].n = i + 1;
		}
	}
	c->n_cats = np;
	/* Room above the fastest bar (100) and its interval; a wide interval
	 * is cut at 150% rather than squash the bars. */
	c->ymax = 110;
	for (size_t s = 0; s < c->ns; s++)
		for (size_t i = 0; i < np; i++)
			if (c->s[s].p[i].hi * 1.05 > c->ymax)
				c->ymax = fmin(150, c->s[s].p[i].hi * 1.05);
	free_fleet(&fl);
	return 1;
}

static void row_start(FILE *f, int is_md)
{
	fputs(is_md ? "|" : "<tr>", f);
}

static void row_end(FILE *f, int is_md)
{
	fputs(is_md ? "\n" : "</tr>\n", f);
}

/* A table's header from "|"-separated names; md_align is Markdown's
 * alignment row. */
static void table_head(FILE *f, const char *const *names, size_t n,
		       const char *md_align, int is_md)
{
	fputs(is_md ? "|" : "<table><tr>", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, is_md ? " %s |" : "<th>%s</th>", names[i]);
	fputs(is_md ? "\n" : "</tr>\n", f);
	if (is_md)
		fprintf(f, "%s\n", md_align);
}

static void hosts_table(FILE *f, const struct fleet *fl, int is_md)
{
	static const char *const head[] = { "rank", "host", "hostname", "CPU", "PUs",
					    "kernel", "files", "cases",
					    "rate against the fastest" };

	table_head(f, head, NCB_ARRAY_SIZE(head),
		   "|---:|---|---|---|---:|---|---|---:|---:|", is_md);
	for (size_t r = 0; r < fl->n_hosts; r++) {
		const struct fleet_host *fh = &fl->hosts[fl->order[r]];
		char text[64], files[HOSTS_MAX * 4 + 1] = "";
		size_t n = 0;

		for (size_t i = 0; i < fh->n_docs; i++)
			n += (size_t)snprintf(files + n, sizeof(files) - n, "%s%zu",
					      i ? ", " : "", fh->docs[i] + 1);
		row_start(f, is_md);
		snprintf(text, sizeof(text), "%zu", r + 1);
		sink_cell(f, text, is_md);
		sink_cell(f, fh->name, is_md);
		sink_cell(f, fh->h->hostname, is_md);
		sink_cell(f, *fh->h->cpu_model ? fh->h->cpu_model : "-", is_md);
		snprintf(text, sizeof(text), "%u", fh->h->pus);
		sink_cell(f, text, is_md);
		sink_cell(f, fh->h->kernel, is_md);
		sink_cell(f, files, is_md);
		snprintf(text, sizeof(text), "%zu", fh->n_cases);
		sink_cell(f, text, is_md);
		snprintf(text, sizeof(text), "%.1f%%", fh->score * 100);
		sink_cell(f, text, is_md);
		row_end(f, is_md);
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* Every shared case, its hosts fastest first. */
static void cases_table(FILE *f, const struct fleet *fl, int is_md)
{
	static const char *const head[] = { "case", "rank", "host", "Gbit/s", "95% CI",
					    "Mpps", "against the fastest" };

	table_head(f, head, NCB_ARRAY_SIZE(head), "|---|---:|---|---:|---|---:|---:|",
		   is_md);
	for (size_t k = 0; k < fl->n_cases; k++) {
		const struct fleet_case *fc = &fl->cases[k];
		size_t idx[HOSTS_MAX], n = 0;

		for (size_t h = 0; h < fl->n_hosts; h++) {
			size_t i = n;

			if (!fc->on[h])
				continue;
			/* Insertion sort, fastest first. */
			while (i > 0 && fc->on[idx[i - 1]]->gbps_median <
						fc->on[h]->gbps_median) {
				idx[i] = idx[i - 1];
				i--;
			}
			idx[i] = h;
			n++;
		}
		for (size_t r = 0; r < n; r++) {
			const struct fleet_host *fh = &fl->hosts[idx[r]];
			const struct doc_case *x = fc->on[idx[r]];
			char text[CHART_TEXT + DOC_HOST_TEXT_MAX];

			row_start(f, is_md);
			sink_cell(f, r ? "" : fc->name, is_md);
			snprintf(text, sizeof(text), "%zu", r + 1);
			sink_cell(f, text, is_md);
			host_title(fh, text, sizeof(text));
			sink_cell(f, text, is_md);
			snprintf(text, sizeof(text), "%.3f", x->gbps_median);
			sink_cell(f, text, is_md);
			snprintf(text, sizeof(text), "%.3f .. %.3f", x->gbps_ci95[0],
				 x->gbps_ci95[1]);
			sink_cell(f, text, is_md);
			snprintf(text, sizeof(text), "%.3f", x->pps_median / 1e6);
			sink_cell(f, text, is_md);
			snprintf(text, sizeof(text), "%.1f%%",
				 fc->best > 0 ? 100 * x->gbps_median / fc->best : 0);
			sink_cell(f, text, is_md);
			row_end(f, is_md);
		}
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

void fleet_section(FILE *f, struct doc *const *docs, size_t n, int is_md)
{
	struct fleet fl;

	if (!build_fleet(&fl, docs, n)) {
		free_fleet(&fl);
		return;
	}
	fprintf(f, is_md ? "## Fleet\n\n%zu hosts ran %zu case%s in common. "
			 : "<h2>Fleet</h2>\n<p>%zu hosts ran %zu case%s in common. ",
		fl.n_hosts, fl.n_cases, fl.n_cases == 1 ? "" : "s");
	fprintf(f, "A host is named by its label (%s) or its hostname; where it "
		   "has several files, the first that holds a case gives its figures. "
		   "Hosts are ranked by their rate against the fastest host on each "
		   "shared case they ran (geometric mean):",
		is_md ? "`run --host-label`" : "<code>run --host-label</code>");
	fputs(is_md ? "\n\n" : "</p>\n", f);
	hosts_table(f, &fl, is_md);
	fputs(is_md ? "Each shared case, its hosts fastest first:\n\n"
		    : "<p>Each shared case, its hosts fastest first:</p>\n",
	      f);
	cases_table(f, &fl, is_md);
	free_fleet(&fl);
}
