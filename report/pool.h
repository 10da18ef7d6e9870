/* One side of a comparison: its documents, and their cases grouped by
 * identity. A side's documents are runs of one build (e.g. the A runs of
 * an A B A B sequence), so a case found in several of them is pooled. */
#ifndef NCB_REPORT_POOL_H
#define NCB_REPORT_POOL_H

#include <stddef.h>

#include "io/ncb.h"

struct doc;
struct doc_case;

enum {
	POOL_DOCS_MAX = 64, /* documents per side */
};

struct pool_group {
	const char *key;               /* borrowed from a document */
	const struct doc_case **parts; /* one per document holding the case */
	size_t n_parts;
	size_t first;          /* where the case first appears, for the order */
	int is_doc_incomplete; /* a document holding it was interrupted */
};

struct pool {
	struct doc *docs[POOL_DOCS_MAX]; /* owned: pool_free() frees them */
	size_t n_docs;
	const struct doc_case **parts; /* every case, grouped (owned) */
	struct pool_group *groups;     /* in order of first appearance (owned) */
	struct pool_group **by_key;    /* the groups sorted by key (owned) */
	size_t n_groups;
};

/* Groups the cases of p->docs[0..n_docs). 0 or -ENOMEM. O(n log n). */
NCB_MUST_CHECK int pool_index(struct pool *p);

/* The group with this key, or NULL. O(log n). */
const struct pool_group *pool_find(const struct pool *p, const char *key);

/* Frees the documents and the groups; p itself is the caller's. */
void pool_free(struct pool *p);

#endif
