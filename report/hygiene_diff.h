/* compare's warning about hosts set up differently: one line per
 * host.hygiene fact whose value differs between two documents. */
#ifndef NCB_REPORT_HYGIENE_DIFF_H
#define NCB_REPORT_HYGIENE_DIFF_H

#include <stddef.h>
#include <stdio.h>

struct doc;

/* Writes to f, for each fact that differs (or is in one document only),
 * "<prog>: warning: hosts differ in NAME: BASE-VALUE vs CURRENT-VALUE",
 * and one line when only one of the documents records any fact (an
 * older document). Returns the number of lines written. The documents
 * are borrowed; their strings are already free of control bytes. */
size_t hygiene_diff_warn(FILE *f, const char *prog, const struct doc *base,
			 const struct doc *cur);

#endif
