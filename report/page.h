/* The two readable files of `ncbench report`: report.html (SVG charts)
 * and report.md (PNG charts), the same sections in each. */
#ifndef NCB_REPORT_PAGE_H
#define NCB_REPORT_PAGE_H

#include <stddef.h>

#include "io/ncb.h"

struct chart;
struct doc;

enum {
	/* documents one report shows: a fleet of up to 16 hosts, one bar
	 * colour each (CHART_SERIES_MAX) */
	PAGE_DOCS_MAX = 16,
};

/* What a page shows; everything is borrowed. */
struct page {
	const char *dir; /* the folder the charts are in; the page goes there */
	struct doc *const *docs;
	size_t n_docs;   /* at most PAGE_DOCS_MAX */
	const struct chart *charts;
	size_t n_charts;
};

/* Writes DIR/report.md (is_md) or DIR/report.html atomically. 0, or a
 * negative errno with e naming the file. */
NCB_MUST_CHECK int page_write(const struct page *p, int is_md,
			      struct ncb_err *e);

#endif
