/* report's charts of where the CPU goes: cycles per packet of every
 * network case split into crypto and the rest (stacked bars), and CPU per
 * Gbit/s of the workloads and framings run at one cipher and size, side
 * by side ("IPsec, MACsec or TLS?"). */
#ifndef NCB_REPORT_CHART_CPU_H
#define NCB_REPORT_CHART_CPU_H

#include <stddef.h>

struct chart_list;
struct doc;

/* Document d's cycles-per-packet chart (number di, 0-based), when a case
 * of it has summary.phases and is not of the cipher workload. */
void chart_cpu_phases_add(struct chart_list *l, const struct doc *d, size_t di);

/* The CPU per Gbit/s chart of each host (docs[0..n) grouped by host
 * name, the first document's case first when two hold one): a group of
 * bars per cipher, backend and size, a bar per workload or framing, for
 * groups with two or more of them. The request/response workload is left
 * out (its rate is set by the exchanges, not the CPU). */
void chart_cpu_framing_add(struct chart_list *l, struct doc *const *docs,
			   size_t n);

#endif
