/* report's charts of the many-SA and many-socket sweeps (the sa-scale
 * suite): CPU time per packet against the number of SAs, and packet rate
 * against the sockets per pair (flows), one line per I/O engine. */
#ifndef NCB_REPORT_SCALE_H
#define NCB_REPORT_SCALE_H

#include <stddef.h>

struct chart;
struct doc;

/* Fill c (zeroed, borrowed) with document d's chart, number di (0-based)
 * in the file names, when some of d's cases differ only in the swept
 * value (sa.count, options.flows); one line per such set. Return 1 when
 * the chart has a line, 0 when d has no sweep (c is then to be dropped). */
int scale_sa_chart(struct chart *c, const struct doc *d, size_t di);
int scale_flow_chart(struct chart *c, const struct doc *d, size_t di);

#endif
