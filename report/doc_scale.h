/* The many-SA and many-socket fields of a flow-pattern result, read back
 * and checked: results[i].sa (count, dist, bytes_per_sa, create_per_s),
 * options.flows and io_detail.syscalls_per_packet. A result without them
 * (older documents, other patterns) keeps the defaults of struct
 * doc_scale. */
#ifndef NCB_REPORT_DOC_SCALE_H
#define NCB_REPORT_DOC_SCALE_H

#include "report/doc.h"
#include "report/doc_check.h"

/* Reads those fields of case object r into c->scale. 0, or -EINVAL with
 * a->e naming the field. Strings point into the document. */
NCB_MUST_CHECK int doc_scale_load(struct doc_case *c, json_t *r,
				  const struct doc_at *a);

#endif
