/* `export --format openmetrics`: a result document in the OpenMetrics text
 * exposition format, which a Prometheus Pushgateway also takes (its
 * Prometheus text parser reads `# UNIT` and `# EOF` as comments): one
 * gauge family per measure, a summary for request/response latency, and
 * the case identity as labels on every sample. */
#ifndef NCB_REPORT_OPENMETRICS_H
#define NCB_REPORT_OPENMETRICS_H

#include <stdio.h>

#include "io/ncb.h"

struct doc;

/* Writes d to f, ending with "# EOF". 0, or -EINVAL with e naming the
 * file and field when a figure the document struct does not carry (read
 * here from the result objects) is malformed; nothing is written then. */
NCB_MUST_CHECK int openmetrics_write(FILE *f, const struct doc *d,
				     struct ncb_err *e);

#endif
