/* Where a case's CPU goes, read back and checked: summary.gbps_per_core,
 * summary.phases{crypto_cycles, other_cycles, crypto_share} and
 * latency_ns.count. A result without them (older documents, the cipher
 * workload has no phases) keeps the defaults of struct doc_cost. */
#ifndef NCB_REPORT_DOC_COST_H
#define NCB_REPORT_DOC_COST_H

#include "report/doc.h"
#include "report/doc_check.h"

/* Reads those fields of case object r into c->cost. 0, or -EINVAL with
 * a->e naming the field. */
NCB_MUST_CHECK int doc_cost_load(struct doc_case *c, json_t *r,
				 const struct doc_at *a);

/* The case's workers' cycles per packet (crypto and the rest together),
 * or -1 without phases. Crypto is TSC ticks inside the AEAD calls, the
 * total the workers' cycles: on a busy host a worker preempted inside a
 * call makes crypto exceed the total (crypto_share > 1). */
double doc_cost_cycles_per_packet(const struct doc_case *c);

#endif
