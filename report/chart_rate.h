/* report's charts of one measure per case: throughput per workload and
 * cycles per byte of the cipher workload. With few sizes (at most
 * CHART_RATE_BARS_MAX) a group of bars per cipher and size, a bar per
 * backend; with more, a line per cipher and backend against size. */
#ifndef NCB_REPORT_CHART_RATE_H
#define NCB_REPORT_CHART_RATE_H

#include <stddef.h>

struct chart_list;
struct doc;

enum { CHART_RATE_BARS_MAX = 3 };

/* Adds document d's charts (number di, 0-based, in the file names) to l:
 * per workload its rate (Gbit/s; exchanges per second for rr), and for
 * the cipher workload its cycles per byte. Each case at its series'
 * fewest threads. A chart with nothing to draw is not added. */
void chart_rate_add(struct chart_list *l, const struct doc *d, size_t di);

#endif
