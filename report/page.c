/* report.html and report.md: the files and hosts, the library versions,
 * each chart with its figures as a table, and every case of every
 * document. Document text reaches them only through sink_html and
 * sink_md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/findings.h"
#include "report/fleet.h"
#include "report/out.h"
#include "report/page.h"
#include "report/sink.h"

/* Whether any case of d ran on two hosts. */
static int has_peers(const struct doc *d)
{
	for (size_t i = 0; i < d->n_cases; i++)
		if (d->cases[i].peer)
			return 1;
	return 0;
}

/* Host of every document. */
static void hosts_table(FILE *f, const struct page *r, int is_md)
{
	if (is_md)
		fputs("| # | file | host | CPU | PUs | kernel | started | ncbench | complete |\n"
		      "|---|---|---|---|---:|---|---|---|---|\n", f);
	else
		fputs("<table><tr><th>#</th><th>file</th><th>host</th><th>CPU</th><th>PUs</th><th>kernel</th><th>started</th><th>ncbench</th><th>complete</th></tr>\n", f);
	for (size_t i = 0; i < r->n_docs; i++) {
		const struct doc *d = r->docs[i];
		const char *cells[] = { d->path,    d->host.hostname, d->host.cpu_model,
					NULL,       d->host.kernel,   d->started,
					d->version, d->is_complete ? "yes" : "no (interrupted)" };
		char pus[16];

		snprintf(pus, sizeof(pus), "%u", d->host.pus);
		cells[3] = pus;
		fprintf(f, is_md ? "| %zu |" : "<tr><td>%zu</td>", i + 1);
		for (size_t k = 0; k < NCB_ARRAY_SIZE(cells); k++)
			sink_cell(f, cells[k], is_md);
		fputs(is_md ? "\n" : "</tr>\n", f);
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* The other host of every two-host case, one row per document, peer
 * address and mode, with the number of cases it served; nothing when
 * every case ran on one host. */
static void peers_table(FILE *f, const struct page *r, int is_md)
{
	int is_any = 0;

	for (size_t i = 0; i < r->n_docs; i++)
		is_any |= has_peers(r->docs[i]);
	if (!is_any)
		return;
	if (is_md)
		fputs("Two-host cases: this host (above) ran `run`, the peer `serve`.\n\n"
		      "| # | peer | mode | peer host | CPU | PUs | kernel | cases |\n"
		      "|---|---|---|---|---|---:|---|---:|\n", f);
	else
		fputs("<p>Two-host cases: this host (above) ran <code>run</code>, the peer <code>serve</code>.</p>\n"
		      "<table><tr><th>#</th><th>peer</th><th>mode</th><th>peer host</th><th>CPU</th><th>PUs</th><th>kernel</th><th>cases</th></tr>\n", f);
	for (size_t i = 0; i < r->n_docs; i++) {
		const struct doc *d = r->docs[i];

		for (size_t k = 0; k < d->n_cases; k++) {
			const struct doc_peer *p = d->cases[k].peer;
			size_t n = 0;
			int seen = 0;
			char pus[16], cases[24];

			if (!p)
				continue;
			for (size_t j = 0; j < d->n_cases && !seen; j++) {
				const struct doc_peer *q = d->cases[j].peer;
				int is_same = q && q->mode == p->mode &&
					      !strcmp(q->address, p->address) &&
					      !strcmp(q->host.hostname, p->host.hostname);

				seen = j < k && is_same;
				n += is_same;
			}
			if (seen)
				continue;
			snprintf(pus, sizeof(pus), "%u", p->host.pus);
			snprintf(cases, sizeof(cases), "%zu", n);
			fprintf(f, is_md ? "| %zu |" : "<tr><td>%zu</td>", i + 1);
			sink_cell(f, p->address, is_md);
			sink_cell(f, doc_peer_mode_name(p->mode), is_md);
			sink_cell(f, p->host.hostname, is_md);
			sink_cell(f, p->host.cpu_model, is_md);
			sink_cell(f, pus, is_md);
			sink_cell(f, p->host.kernel, is_md);
			sink_cell(f, cases, is_md);
			fputs(is_md ? "\n" : "</tr>\n", f);
		}
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* The version document d names for library name, or NULL. */
static const char *lib_version(const struct doc *d, const char *name)
{
	for (size_t i = 0; i < d->n_libs; i++)
		if (!strcmp(d->libs[i].name, name))
			return d->libs[i].version;
	return NULL;
}

/* Library versions: a row per library any document names (in the order
 * they first appear), a column per document, "-" where one names none. */
static void libs_table(FILE *f, const struct page *r, int is_md)
{
	const char *names[PAGE_DOCS_MAX * DOC_LIBS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < r->n_docs; i++)
		for (size_t j = 0; j < r->docs[i]->n_libs; j++) {
			const char *name = r->docs[i]->libs[j].name;
			size_t k = 0;

			while (k < n && strcmp(names[k], name))
				k++;
			if (k == n)
				names[n++] = name;
		}
	if (!n)
		return;
	fputs(is_md ? "| library |" : "<table><tr><th>library</th>", f);
	for (size_t i = 0; i < r->n_docs; i++)
		fprintf(f, is_md ? " #%zu |" : "<th>#%zu</th>", i + 1);
	if (is_md) {
		fputs("\n|---|", f);
		for (size_t i = 0; i < r->n_docs; i++)
			fputs("---|", f);
	}
	fputs(is_md ? "\n" : "</tr>\n", f);
	for (size_t k = 0; k < n; k++) {
		fputs(is_md ? "|" : "<tr>", f);
		sink_cell(f, names[k], is_md);
		for (size_t i = 0; i < r->n_docs; i++) {
			const char *v = lib_version(r->docs[i], names[k]);

			sink_cell(f, v ? v : "-", is_md);
		}
		fputs(is_md ? "\n" : "</tr>\n", f);
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* A bar's label on one line: its line breaks as spaces. */
static void flat_label(char *buf, size_t len, const char *cat)
{
	snprintf(buf, len, "%s", cat);
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* A chart's figures: series, x, y, the interval unless the chart has
 * none, and the points' extra figures ("-" where a point has none). */
static void chart_table(FILE *f, const struct chart *c, int is_md)
{
	const char *x = c->kind != CHART_LINES ? "case" : *c->xname ? c->xname : c->xlabel;
	int is_us = !*c->unit && strstr(c->ylabel, "microseconds");
	const char *y = *c->unit ? c->unit
			: is_us  ? (is_md ? "us" : "&micro;s")
				 : "Gbit/s";
	/* Only an interval that was computed is shown. */
	int has_ci = !c->is_plain && c->kind != CHART_STACKED;

	if (is_md) {
		fprintf(f, "| series | %s | %s |%s", x, y, has_ci ? " 95% CI |" : "");
		for (size_t e = 0; e < c->n_extra; e++)
			fprintf(f, " %s |", c->extra[e]);
		fprintf(f, "\n|---|---|---:|%s", has_ci ? "---|" : "");
		for (size_t e = 0; e < c->n_extra; e++)
			fputs("---:|", f);
		fputc('\n', f);
	} else {
		fprintf(f, "<table><tr><th>series</th><th>%s</th><th>%s</th>%s", x, y,
			has_ci ? "<th>95% CI</th>" : "");
		for (size_t e = 0; e < c->n_extra; e++)
			fprintf(f, "<th>%s</th>", c->extra[e]);
		fputs("</tr>\n", f);
	}
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++) {
			const struct chart_point *p = &c->s[i].p[k];
			char xv[CHART_TEXT];

			if (isnan(p->y))
				continue;
			if (c->kind != CHART_LINES)
				flat_label(xv, sizeof(xv), c->cats[k]);
			else if (c->is_tail_x && p->x > 0)
				snprintf(xv, sizeof(xv), "%.7g", 100 * (1 - 1 / p->x));
			else
				snprintf(xv, sizeof(xv), "%g", p->x);
			fputs(is_md ? "| " : "<tr><td>", f);
			if (is_md)
				sink_md(f, c->s[i].title);
			else
				sink_html(f, c->s[i].title);
			fputs(is_md ? " | " : "</td><td>", f);
			if (is_md)
				sink_md(f, xv);
			else
				sink_html(f, xv);
			fprintf(f, is_md ? " | %.3f |" : "</td><td>%.3f</td>", p->y);
			if (has_ci)
				fprintf(f, is_md ? " %.3f .. %.3f |" : "<td>%.3f .. %.3f</td>",
					p->lo, p->hi);
			for (size_t e = 0; e < c->n_extra && e < CHART_EXTRA_MAX; e++) {
				if (isnan(p->extra[e]))
					fputs(is_md ? " - |" : "<td>-</td>", f);
				else
					fprintf(f, is_md ? " %.3f |" : "<td>%.3f</td>",
						p->extra[e]);
			}
			fputs(is_md ? "\n" : "</tr>\n", f);
		}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* The header of a document's case table: with two-host cases, a column
 * group for each end's CPU (this host ran `run`, the peer `serve`). */
static void cases_head(FILE *f, const struct doc *d, size_t di, int is_md)
{
	int is_two = has_peers(d);

	if (is_md) {
		fprintf(f, "#### File %zu: every case\n\n| case | Gbit/s | 95%% CI | Mpps | cycles/B | CPU us/packet |%s\n|---|---:|---|---:|---:|---:|%s\n",
			di + 1, is_two ? " peer cycles/B | peer CPU us/packet |" : "",
			is_two ? "---:|---:|" : "");
		return;
	}
	fprintf(f, "<h3>File %zu: every case</h3>\n<table>", di + 1);
	if (is_two) {
		fputs("<tr><th colspan=\"4\"></th><th colspan=\"2\">this host (", f);
		sink_html(f, d->host.hostname);
		fputs(")</th><th colspan=\"2\">peer</th></tr>", f);
	}
	fprintf(f, "<tr><th>case</th><th>Gbit/s</th><th>95%% CI</th><th>Mpps</th><th>cycles/B</th><th>CPU &micro;s/packet</th>%s</tr>\n",
		is_two ? "<th>cycles/B</th><th>CPU &micro;s/packet</th>" : "");
}

/* Every case of every document; the case is its key, which names the
 * peer of a two-host case. */
static void cases_table(FILE *f, const struct doc *d, size_t di, int is_md)
{
	int is_two = has_peers(d);

	cases_head(f, d, di, is_md);
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];

		if (is_md) {
			fputs("| ", f);
			sink_md(f, c->key);
			fputs(" |", f);
		} else {
			fputs("<tr><td>", f);
			sink_html(f, c->key);
			fputs("</td>", f);
		}
		fprintf(f, is_md ? " %.3f | %.3f .. %.3f | %.3f | %.3f | %.4f |"
				 : "<td>%.3f</td><td>%.3f .. %.3f</td><td>%.3f</td><td>%.3f</td><td>%.4f</td>",
			c->gbps_median, c->gbps_ci95[0], c->gbps_ci95[1],
			c->pps_median / 1e6, c->cycles_per_byte, c->us_per_packet);
		if (is_two && c->peer)
			fprintf(f, is_md ? " %s%.3f | %.4f |" : "<td>%s%.3f</td><td>%.4f</td>",
				c->peer->is_estimate ? "~" : "",
				c->peer->cycles_per_byte, c->peer->us_per_packet);
		else if (is_two)
			fputs(is_md ? " - | - |" : "<td>-</td><td>-</td>", f);
		fputs(is_md ? "\n" : "</tr>\n", f);
	}
	fputs(is_md ? "\n" : "</table>\n", f);
}

/* A flow case's SAs, for sorting: by workload, cipher, backend, then
 * the largest count first. */
struct sa_row {
	const struct doc_case *c;
};

static int by_sa(const void *a, const void *b)
{
	const struct doc_case *x = ((const struct sa_row *)a)->c;
	const struct doc_case *y = ((const struct sa_row *)b)->c;
	int d = strcmp(x->workload, y->workload);

	if (!d)
		d = strcmp(x->cipher, y->cipher);
	if (!d)
		d = strcmp(x->backend, y->backend);
	if (!d)
		d = (x->scale.sa_count < y->scale.sa_count) -
		    (x->scale.sa_count > y->scale.sa_count);
	return d;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the values >= 0 among v[0..n) (sorted in place), or -1. */
static double median_known(double *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] >= 0)
			v[k++] = v[i];
	if (!k)
		return -1;
	qsort(v, k, sizeof(*v), by_double);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

static void sa_cell(FILE *f, double v, int is_md)
{
	char buf[32];

	if (v < 0)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%.0f", v);
	sink_cell(f, buf, is_md);
}

/* Memory and set-up of a document's SAs: per workload, cipher and
 * backend, at the largest SA count it ran, bytes per SA and SAs set up
 * per second (key schedules included), medians over the cases at that
 * count. Nothing when no case ran more than one SA. */
static void sa_table(FILE *f, const struct doc *d, size_t di, int is_md)
{
	struct sa_row *rows;
	double *bytes, *rate;
	size_t n = 0;
	int is_many = 0;

	for (size_t i = 0; i < d->n_cases; i++)
		is_many |= d->cases[i].scale.sa_count > 1;
	if (!is_many)
		return;
	rows = calloc(d->n_cases, sizeof(*rows));
	bytes = calloc(d->n_cases, sizeof(*bytes));
	rate = calloc(d->n_cases, sizeof(*rate));
	if (!rows || !bytes || !rate)
		goto out;
	for (size_t i = 0; i < d->n_cases; i++)
		if (d->cases[i].scale.sa_count > 0)
			rows[n++].c = &d->cases[i];
	qsort(rows, n, sizeof(*rows), by_sa);
	if (is_md)
		fprintf(f, "### File %zu: SA memory and set-up\n\n"
			   "| workload | cipher | backend | SAs | bytes per SA | SAs set up per second | cases |\n"
			   "|---|---|---|---:|---:|---:|---:|\n", di + 1);
	else
		fprintf(f, "<h3>File %zu: SA memory and set-up</h3>\n<table><tr><th>workload</th>"
			   "<th>cipher</th><th>backend</th><th>SAs</th><th>bytes per SA</th>"
			   "<th>SAs set up per second</th><th>cases</th></tr>\n", di + 1);
	for (size_t k = 0; k < n;) {
		const struct doc_case *top = rows[k].c;
		size_t m = 0, same = 0;
		char text[32];

		/* The rows at the group's largest count come first. */
		while (k + same < n && !by_sa(&rows[k], &rows[k + same])) {
			bytes[same] = rows[k + same].c->scale.sa_bytes;
			rate[same] = rows[k + same].c->scale.sa_create_per_s;
			same++;
		}
		while (k + m < n && !strcmp(rows[k + m].c->workload, top->workload) &&
		       !strcmp(rows[k + m].c->cipher, top->cipher) &&
		       !strcmp(rows[k + m].c->backend, top->backend))
			m++;
		fputs(is_md ? "|" : "<tr>", f);
		sink_cell(f, top->workload, is_md);
		sink_cell(f, top->cipher, is_md);
		sink_cell(f, top->backend, is_md);
		snprintf(text, sizeof(text), "%ld", top->scale.sa_count);
		sink_cell(f, text, is_md);
		sa_cell(f, median_known(bytes, same), is_md);
		sa_cell(f, median_known(rate, same), is_md);
		snprintf(text, sizeof(text), "%zu", same);
		sink_cell(f, text, is_md);
		fputs(is_md ? "\n" : "</tr>\n", f);
		k += m;
	}
	fputs(is_md ? "\n" : "</table>\n", f);
out:
	free(rows);
	free(bytes);
	free(rate);
}

static const char css[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}"
	"table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em;display:block;overflow-x:auto}"
	"th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left}"
	"th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}"
	"figcaption{font-size:0.9em;color:#555}p.note{font-size:0.9em;color:#444;margin:0 0 0.5em}";

int page_write(const struct page *r, int is_md, struct ncb_err *e)
{
	static const struct {
		const char *ext, *text;
	} links[] = { { "png", "PNG" }, { "dat", "data" }, { "gp", "gnuplot script" } };
	struct out_file of;
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/report.%s", r->dir, is_md ? "md" : "html");
	rc = out_open(&of, path, e);
	if (rc < 0)
		return rc;
	f = of.f;
	if (is_md)
		fputs("# ncbench report\n\n", f);
	else
		fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			   "<title>ncbench report</title><style>%s</style></head><body>\n"
			   "<h1>ncbench report</h1>\n", css);
	/* What the figures say comes first; the files and tables after. */
	if (findings_write(f, r->docs, r->n_docs, is_md) < 0) {
		out_abort(&of);
		return ncb_errf(e, -ENOMEM, "%s: out of memory", path);
	}
	fputs(is_md ? "## Files\n\n" : "<h2>Files</h2>\n", f);
	hosts_table(f, r, is_md);
	peers_table(f, r, is_md);
	libs_table(f, r, is_md);
	fleet_section(f, r->docs, r->n_docs, is_md);
	fputs(is_md ? "## Charts\n\n" : "<h2>Charts</h2>\n", f);
	for (size_t i = 0; i < r->n_charts; i++) {
		const struct chart *c = &r->charts[i];

		/* Stems are [A-Za-z0-9._-] (chart_stem), escaped all the same. */
		if (is_md) {
			fputs("### ", f);
			sink_md(f, c->title);
			fputs("\n\n![", f);
			sink_md(f, c->title);
			fputs("](", f);
			sink_md(f, c->stem);
			fputs(".png)\n\n", f);
		} else {
			fputs("<figure id=\"", f);
			sink_html(f, c->stem);
			fputs("\"><img src=\"", f);
			sink_html(f, c->stem);
			fputs(".svg\" alt=\"", f);
			sink_html(f, c->title);
			fprintf(f, "\" width=\"1000\" height=\"%d\"><figcaption>",
				chart_height(c));
			sink_html(f, c->title);
			fputs(" (", f);
			for (size_t k = 0; k < NCB_ARRAY_SIZE(links); k++) {
				fprintf(f, "%s<a href=\"", k ? ", " : "");
				sink_html(f, c->stem);
				fprintf(f, ".%s\">%s</a>", links[k].ext,
					links[k].text);
			}
			fputs(")</figcaption></figure>\n", f);
		}
		if (*c->note) {
			fputs(is_md ? "" : "<p class=\"note\">", f);
			if (is_md)
				sink_md(f, c->note);
			else
				sink_html(f, c->note);
			fputs(is_md ? "\n\n" : "</p>\n", f);
		}
		chart_table(f, c, is_md);
	}
	if (!r->n_charts)
		fputs(is_md ? "No chart: the documents hold no two cases to set side by side.\n\n"
			    : "<p>No chart: the documents hold no two cases to set side by side.</p>\n",
		      f);
	for (size_t i = 0; i < r->n_docs; i++)
		sa_table(f, r->docs[i], i, is_md);
	fputs(is_md ? "## Results\n\n" : "<h2>Results</h2>\n", f);
	for (size_t i = 0; i < r->n_docs; i++)
		cases_table(f, r->docs[i], i, is_md);
	if (!is_md)
		fputs("</body></html>\n", f);
	return out_commit(&of, e);
}
