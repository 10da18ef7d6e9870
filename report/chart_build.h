/* Filling charts from documents: the list the report's charts live in,
 * bars found or added by category and series label, points added to a
 * line in x order, and the label of a case as the charts write it
 * (workload, cipher and backend, size or mix name, threads, and what else
 * sets the case apart). */
#ifndef NCB_REPORT_CHART_BUILD_H
#define NCB_REPORT_CHART_BUILD_H

#include <stddef.h>

struct chart;
struct chart_point;
struct chart_series;
struct doc;
struct doc_case;

/* The report's charts: an array of max (owned by the caller). */
struct chart_list {
	struct chart *charts;
	size_t n, max;
};

/* Parts of a case label (enum chart_build_part bits). */
enum chart_build_part {
	CB_WORKLOAD = 1u << 0, /* "esp tunnel", "rr esp-transport" */
	CB_CIPHER = 1u << 1,   /* "aes-256-gcm openssl", "no crypto" */
	CB_BACKEND = 1u << 2,  /* "openssl", "null (no crypto)" */
	CB_SIZE = 1u << 3,     /* "1420 B", "IMIX simple" */
	CB_THREADS = 1u << 4,  /* " x2" when more than one */
	CB_EXTRAS = 1u << 5,   /* direction, SAs, flows, engine, peer */
	CB_LINES = 1u << 6,    /* parts on lines of their own (bar labels) */
};

/* A new chart, zeroed, at the end of l; NULL when l is full. */
struct chart *chart_build_new(struct chart_list *l);
/* Drops the last chart (it turned out to have nothing to draw). */
void chart_build_drop(struct chart_list *l);
/* chart_build_drop() when c, the last chart, has no data; 1 if kept. */
int chart_build_keep(struct chart_list *l);

/* Moves the words every label shares at its start or end (the bars'
 * categories, or the lines' titles) to the end of the chart's title:
 * "esp tunnel" under every bar is said once. Each label keeps a word. */
void chart_build_common(struct chart *c);

/* The label of case c made of parts (enum chart_build_part) into buf.
 * The cipher part of the null cipher is "no crypto" (its backend is
 * none), a mix shows its name, never its mean size. */
void chart_build_label(const struct doc_case *c, unsigned parts, char *buf,
		       size_t len);

/* The workload as a chart names it: the workload and, when the workload
 * takes any, its framing ("esp tunnel", "flow wg", "stream"). */
void chart_build_workload(const struct doc_case *c, char *buf, size_t len);

/* The series titled title, added when new; NULL when the chart is full. */
struct chart_series *chart_build_series(struct chart *c, const char *title);

/* Bars: sets the bar of series title in category cat (both added when
 * new). -1 when the chart is full or the bar is already set (two cases
 * with one label: the caller's label misses what sets them apart). */
int chart_build_bar(struct chart *c, const char *cat, const char *title,
		    const struct chart_point *p);

/* Lines: adds p to s keeping x ascending; nothing when s is NULL or
 * full. */
void chart_build_point(struct chart_series *s, const struct chart_point *p);

/* The point of a case's throughput: median Gbit/s and its 95% CI. */
void chart_build_gbps(const struct doc_case *c, struct chart_point *p);

/* Whether, in d, c ran at the fewest threads of its series. */
int chart_build_is_fewest(const struct doc *d, const struct doc_case *c);

#endif
