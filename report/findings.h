/* The first section of a report: a few sentences computed from the
 * documents (fastest backend, crypto share and the null baseline, framing
 * against framing, what the crypto adds to a request/response, cases to
 * check), so a reader gets the answer before the tables. */
#ifndef NCB_REPORT_FINDINGS_H
#define NCB_REPORT_FINDINGS_H

#include <stddef.h>
#include <stdio.h>

#include "io/ncb.h"

struct doc;

enum {
	FINDINGS_LIST_MAX = 6,    /* sentences a list shows before "and N more" */
	FINDINGS_CI_WIDE_PCT = 10, /* a 95% CI wider than this % of the median */
};

/* Writes the "Findings" section of report.md (is_md) or report.html to f:
 * a heading and one list per kind of finding that has a sentence; nothing
 * at all when none has. Document text goes through sink_md or sink_html
 * only. docs are borrowed. 0, or -ENOMEM (f then holds part of it). */
NCB_MUST_CHECK int findings_write(FILE *f, struct doc *const *docs,
				  size_t n_docs, int is_md);

/* 1 when the 95% CI [lo, hi] is wider than FINDINGS_CI_WIDE_PCT percent
 * of median (hi - lo against median; any interval of a median of 0 that
 * is not a point), else 0. The run's table marks the same cases. */
int findings_is_wide(double lo, double hi, double median);

#endif
