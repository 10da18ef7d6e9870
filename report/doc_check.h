/* Checked reads of a result document's JSON (Jansson) for report/doc*.c:
 * each getter takes the place in the document it reads (struct doc_at)
 * and, when the field is of the wrong type or out of range, fills the
 * error with one line naming the file and the field. Documents are
 * hostile input; nothing here trusts a type or a range. */
#ifndef NCB_REPORT_DOC_CHECK_H
#define NCB_REPORT_DOC_CHECK_H

#include <jansson.h>

#include "io/ncb.h"

enum { DOC_AT_LEN = 128 };

/* Where in the document a check is, for the message:
 * "results[3].summary". file and e are borrowed. */
struct doc_at {
	const char *file;
	char where[DOC_AT_LEN];
	struct ncb_err *e;
};

/* Fills a->e with "FILE: WHERE.K: WHAT" (k may be NULL) and returns
 * -EINVAL. */
int doc_check_bad(const struct doc_at *a, const char *k, const char *fmt, ...)
	NCB_PRINTF(3, 4);

/* sub = a one level deeper: "a.KEY" or, for a format starting with '[',
 * "a[I]". */
void doc_check_at(struct doc_at *sub, const struct doc_at *a,
		  const char *fmt, ...) NCB_PRINTF(3, 4);

/* -ENOMEM with "FILE: out of memory". */
int doc_check_oom(const struct doc_at *a);

/* A string field of o: "" when absent or null, unless it is required
 * (then it must also not be empty). *out points into the document. */
NCB_MUST_CHECK int doc_check_str(const struct doc_at *a, json_t *o,
				 const char *k, int is_required,
				 const char **out);
/* An integer field in lo..hi. */
NCB_MUST_CHECK int doc_check_int(const struct doc_at *a, json_t *o,
				 const char *k, long long lo, long long hi,
				 long long *out);
/* A finite number v (named k) in lo..hi; v may be NULL (missing). */
NCB_MUST_CHECK int doc_check_value(const struct doc_at *a, const char *k,
				   json_t *v, double lo, double hi,
				   double *out);
/* A number field of o in lo..hi. */
NCB_MUST_CHECK int doc_check_num(const struct doc_at *a, json_t *o,
				 const char *k, double lo, double hi,
				 double *out);
/* An object field of o; *out NULL when absent and not required. */
NCB_MUST_CHECK int doc_check_obj(const struct doc_at *a, json_t *o,
				 const char *k, int is_required, json_t **out);
/* Optional fields: *out keeps its value when the field is absent. */
NCB_MUST_CHECK int doc_check_opt_int(const struct doc_at *a, json_t *o,
				     const char *k, long long lo, long long hi,
				     long long *out);
NCB_MUST_CHECK int doc_check_opt_num(const struct doc_at *a, json_t *o,
				     const char *k, double lo, double hi,
				     double *out);
NCB_MUST_CHECK int doc_check_opt_bool(const struct doc_at *a, json_t *o,
				      const char *k, int *out);

/* A string made with printf, or NULL when out of memory; the caller
 * frees it. */
char *doc_check_strf(const char *fmt, ...) NCB_PRINTF(1, 2);

#endif
