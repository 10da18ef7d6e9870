/* report's charts across documents: per workload, the same cases side by
 * side, a bar per file with its change from the first file above it, the
 * files named by what differs between them (host, an option, a library
 * version), not by when they ran. */
#ifndef NCB_REPORT_CHART_FILES_H
#define NCB_REPORT_CHART_FILES_H

#include <stddef.h>

struct chart_list;
struct doc;

enum { CHART_FILES_LABEL = 96 }; /* bytes of a file's label */

/* The label of each of docs[0..n) into labels (n of them): what sets
 * each file apart from the others (host name, CPU, config options,
 * library versions, kernel, ncbench build), else its file name. */
void chart_files_labels(struct doc *const *docs, size_t n,
			char (*labels)[CHART_FILES_LABEL]);

/* Adds the comparison charts of docs[0..n) to l: per workload of the
 * first document, its cases found in another document (by identity, or
 * by identity without the workload options when that finds one case)
 * side by side. Nothing with one document or no shared case. */
void chart_files_add(struct chart_list *l, struct doc *const *docs, size_t n);

#endif
