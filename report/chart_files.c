/* Several documents. A bar per file, so a file needs a name a reader
 * can tell apart: the facts of its header that differ between the files
 * (the host, an option of config{}, a library version, the kernel, the
 * build), and only when nothing differs, its file name. A case is found
 * in another file by its identity, or when the files ran with other
 * options (a --busy-poll 0 run against the default), by its identity
 * without the options, if that finds exactly one case. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/chart_build.h"
#include "report/chart_files.h"
#include "report/doc.h"
#include "report/doc_config.h"

enum { FILES_MAX = CHART_SERIES_MAX };

static void add(char *buf, size_t len, const char *fmt, ...) NCB_PRINTF(3, 4);

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	if (n)
		snprintf(buf + n, len - n, ", ");
	n = strlen(buf);
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static const char *lib(const struct doc *d, const char *name)
{
	for (size_t i = 0; i < d->n_libs; i++)
		if (!strcmp(d->libs[i].name, name))
			return d->libs[i].version;
	return NULL;
}

/* config entries that name the cases (they are in each case's identity)
 * or only where output went: never what sets a file apart. */
static int is_identity(const char *name)
{
	static const char *const names[] = { "workload", "cipher", "backend", "size",
					     "threads", "imix", "direction", "output",
					     "suite" };

	for (size_t k = 0; k < NCB_ARRAY_SIZE(names); k++)
		if (!strcmp(names[k], name))
			return 1;
	return 0;
}

/* Config: the entries of any file whose text is not the same in all. */
static void add_config(struct doc *const *docs, size_t n, size_t di, char *buf,
		       size_t len)
{
	for (size_t k = 0; k < n; k++)
		for (size_t j = 0; j < docs[k]->n_config; j++) {
			const char *name = docs[k]->config[j].name;
			int is_first = 1, is_diff = 0;

			for (size_t m = 0; m < k && is_first; m++)
				is_first = !doc_config_get(docs[m], name);
			if (!is_first || is_identity(name))
				continue;
			for (size_t m = 0; m < n; m++)
				is_diff |= !same(doc_config_get(docs[m], name),
						 docs[k]->config[j].value);
			if (is_diff)
				add(buf, len, "%s=%s", name,
				    doc_config_get(docs[di], name)
					    ? doc_config_get(docs[di], name) : "-");
		}
}

static void add_libs(struct doc *const *docs, size_t n, size_t di, char *buf,
		     size_t len)
{
	for (size_t k = 0; k < n; k++)
		for (size_t j = 0; j < docs[k]->n_libs; j++) {
			const char *name = docs[k]->libs[j].name;
			int is_first = 1, is_diff = 0;

			for (size_t m = 0; m < k && is_first; m++)
				is_first = !lib(docs[m], name);
			for (size_t m = 0; m < n && is_first; m++)
				is_diff |= !same(lib(docs[m], name), docs[k]->libs[j].version);
			if (is_first && is_diff)
				add(buf, len, "%s %s", name,
				    lib(docs[di], name) ? lib(docs[di], name) : "-");
		}
}

/* The file's name without its folder and ".json". */
static void base_name(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b) < len ? strlen(b) : len - 1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	if (n > 5 && !strcmp(buf + n - 5, ".json"))
		buf[n - 5] = '\0';
}

void chart_files_labels(struct doc *const *docs, size_t n,
			char (*labels)[CHART_FILES_LABEL])
{
	int is_host = 0, is_cpu = 0, is_kernel = 0, is_build = 0;

	for (size_t k = 1; k < n; k++) {
		is_host |= !same(docs[k]->host.hostname, docs[0]->host.hostname);
		is_cpu |= !same(docs[k]->host.cpu_model, docs[0]->host.cpu_model);
		is_kernel |= !same(docs[k]->host.kernel, docs[0]->host.kernel);
		is_build |= !same(docs[k]->version, docs[0]->version) ||
			    !same(docs[k]->git, docs[0]->git);
	}
	for (size_t di = 0; di < n; di++) {
		char *buf = labels[di];
		const struct doc *d = docs[di];

		buf[0] = '\0';
		if (is_host)
			add(buf, CHART_FILES_LABEL, "%s", d->host.hostname);
		if (is_cpu)
			add(buf, CHART_FILES_LABEL, "%s", d->host.cpu_model);
		add_config(docs, n, di, buf, CHART_FILES_LABEL);
		add_libs(docs, n, di, buf, CHART_FILES_LABEL);
		if (is_kernel)
			add(buf, CHART_FILES_LABEL, "kernel %s", d->host.kernel);
		if (is_build)
			add(buf, CHART_FILES_LABEL, "ncbench %s%s%s", d->version,
			    *d->git ? " " : "", d->git);
		if (!*buf)
			base_name(d->path, buf, CHART_FILES_LABEL);
	}
	/* Two files alike in all of that (a repeat run) get their number. */
	for (size_t di = 1; di < n; di++)
		for (size_t k = 0; k < di; k++)
			if (!strcmp(labels[k], labels[di])) {
				size_t len = strlen(labels[di]);

				if (len > CHART_FILES_LABEL - 12)
					len = CHART_FILES_LABEL - 12;
				snprintf(labels[di] + len, CHART_FILES_LABEL - len,
					 " (file %zu)", di + 1);
				break;
			}
}

/* The case's identity without its workload options; its length. */
static size_t loose_len(const struct doc_case *c)
{
	size_t n = strlen(c->key), o = strlen(c->options);

	if (o && n > o && !strcmp(c->key + n - o, c->options))
		return n - o - 1;
	return n;
}

/* The case of d matching b: its identity, else the only one whose
 * identity without options is b's. */
static const struct doc_case *find(const struct doc *d, const struct doc_case *b)
{
	const struct doc_case *c = doc_find(d, b->key), *m = NULL;
	size_t n = loose_len(b);

	if (c)
		return c;
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *x = &d->cases[i];

		if (loose_len(x) != n || strncmp(x->key, b->key, n))
			continue;
		if (m)
			return NULL; /* two candidates: no match */
		m = x;
	}
	return m;
}

/* The value of a case: Gbit/s, or thousands of exchanges per second. */
static void value(const struct doc_case *c, struct chart_point *p)
{
	double k = c->gbps_median > 0 ? c->pps_median / c->gbps_median / 1e3 : 0;

	chart_build_gbps(c, p);
	if (strcmp(c->workload, "rr") || !(k > 0))
		return;
	p->y = c->pps_median / 1e3;
	p->lo *= k;
	p->hi *= k;
}

static void workload_chart(struct chart_list *l, struct doc *const *ds, size_t nd,
			   char (*labels)[CHART_FILES_LABEL], const char *wl)
{
	const struct doc *b = ds[0];
	struct chart *c = chart_build_new(l);
	int is_rr = !strcmp(wl, "rr");

	if (!c)
		return;
	chart_stem(c, "compare-%s", wl);
	snprintf(c->title, CHART_TEXT, "%s: the same cases across files (median, 95%% CI)", wl);
	snprintf(c->ylabel, CHART_TEXT, "%s",
		 is_rr ? "request/response exchanges per second (thousands)"
		       : "throughput (Gbit/s of payload)");
	snprintf(c->unit, sizeof(c->unit), "%s", is_rr ? "k exchanges/s" : "Gbit/s");
	snprintf(c->extra[0], sizeof(c->extra[0]), "change from file 1 %%");
	c->n_extra = 1;
	c->kind = CHART_BARS;
	c->is_change_labels = 1;
	/* The files in their order, whichever holds a case first. */
	for (size_t di = 0; di < nd; di++)
		(void)chart_build_series(c, labels[di]);
	snprintf(c->note, sizeof(c->note),
		 "Above each bar: its change from the bar of \"%s\" (file 1).", labels[0]);
	for (size_t i = 0; i < b->n_cases && c->n_cats < CHART_POINTS_MAX; i++) {
		const struct doc_case *x = &b->cases[i], *m[FILES_MAX] = { x };
		char cat[CHART_TEXT];
		int others = 0;

		if (strcmp(x->workload, wl))
			continue;
		for (size_t di = 1; di < nd; di++)
			others += (m[di] = find(ds[di], x)) != NULL;
		if (!others)
			continue;
		chart_build_label(x, CB_CIPHER | CB_BACKEND | CB_SIZE | CB_THREADS |
					     CB_EXTRAS | CB_LINES,
				  cat, sizeof(cat));
		for (size_t di = 0; di < nd; di++) {
			struct chart_point p = { 0 }, p0 = { 0 };

			if (!m[di])
				continue;
			value(m[di], &p);
			value(x, &p0);
			p.extra[0] = p0.y > 0 ? (p.y / p0.y - 1) * 100 : NAN;
			/* A label seen twice in file 1 keeps its first case. */
			if (chart_build_bar(c, cat, labels[di], &p) < 0)
				break;
		}
	}
	chart_build_common(c);
	chart_build_keep(l);
}

void chart_files_add(struct chart_list *l, struct doc *const *docs, size_t n)
{
	char (*labels)[CHART_FILES_LABEL];
	struct doc *ds[FILES_MAX];
	size_t nd = 1;

	ds[0] = docs[0];
	for (size_t di = 1; di < n && nd < FILES_MAX; di++) {
		int shared = 0;

		for (size_t i = 0; i < docs[0]->n_cases && !shared; i++)
			shared = find(docs[di], &docs[0]->cases[i]) != NULL;
		if (shared)
			ds[nd++] = docs[di];
	}
	if (nd < 2 || !(labels = calloc(nd, sizeof(*labels))))
		return;
	chart_files_labels(ds, nd, labels);
	for (size_t i = 0; i < ds[0]->n_cases; i++) {
		const char *wl = ds[0]->cases[i].workload;
		int seen = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(ds[0]->cases[k].workload, wl);
		if (!seen)
			workload_chart(l, ds, nd, labels, wl);
	}
	free(labels);
}
