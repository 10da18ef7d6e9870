/* report's latency percentile spectrum of request/response cases:
 * latency against percentile on a 1/(1-p) axis, a line per case, as
 * HdrHistogram plots a distribution. */
#ifndef NCB_REPORT_CHART_LATENCY_H
#define NCB_REPORT_CHART_LATENCY_H

#include <stddef.h>

struct chart_list;
struct doc;

/* Adds document d's spectrum (number di, 0-based, in its file name) to
 * l when a case of d has latency_ns. */
void chart_latency_add(struct chart_list *l, const struct doc *d, size_t di);

#endif
