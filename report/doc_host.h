/* A host of a result document read back: the top-level "host", or a
 * two-host case's peer.host, which has the same shape (names, PUs,
 * hygiene facts). */
#ifndef NCB_REPORT_DOC_HOST_H
#define NCB_REPORT_DOC_HOST_H

#include "report/doc.h"
#include "report/doc_check.h"

/* Reads the host object o (a says where it is) into h: hostname,
 * cpu_model, kernel and label (strings of at most DOC_HOST_TEXT_MAX bytes, ""
 * when absent; they point into the document), pus (0..DOC_PUS_MAX, 0
 * when absent) and hygiene (optional). 0, -EINVAL with a->e naming the
 * field, or -ENOMEM; free h with doc_host_free() either way. */
NCB_MUST_CHECK int doc_host_load(struct doc_host *h, json_t *o,
				 const struct doc_at *a);

/* The name a report gives the host: its label when it has one, else its
 * hostname (borrowed from the document). */
const char *doc_host_name(const struct doc_host *h);

/* Frees what h owns (the hygiene facts); h itself is the caller's. */
void doc_host_free(struct doc_host *h);

#endif
