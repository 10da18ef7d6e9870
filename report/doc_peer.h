/* The peer fields of a two-host case (`run --peer`), read back and
 * checked: results[i].peer (address, mode, role, host, workers,
 * placement), samples[j].peer (the serve host's CPU accounting of that
 * repetition) and summary.peer (its figures). A case without them is a
 * one-host case. */
#ifndef NCB_REPORT_DOC_PEER_H
#define NCB_REPORT_DOC_PEER_H

#include <stddef.h>

#include "report/doc.h"
#include "report/doc_check.h"

/* results[i].peer of case object r into c->peer (NULL when r has none).
 * 0, -EINVAL with a->e naming the field, or -ENOMEM. c->peer is owned by
 * c (doc_free frees it), also after a failure. */
NCB_MUST_CHECK int doc_peer_load(struct doc_case *c, json_t *r,
				 const struct doc_at *a);

/* samples[j].peer of sample object s (optional in a two-host case: an
 * interrupted run may lack it; refused in a one-host case). */
NCB_MUST_CHECK int doc_peer_load_sample(struct doc_case *c,
					struct doc_rep *rep, json_t *s,
					const struct doc_at *a);

/* summary.peer of summary object sum: required in a two-host case,
 * refused in a one-host case. */
NCB_MUST_CHECK int doc_peer_load_summary(struct doc_case *c, json_t *sum,
					 const struct doc_at *a);

/* Accepts NULL. */
void doc_peer_free(struct doc_peer *p);

/* "forward", "reverse" or "bidir" ("?" out of range). */
const char *doc_peer_mode_name(enum doc_peer_mode m);

/* "ADDRESS MODE" (e.g. "10.0.0.2:7478 forward") into buf, cut to len;
 * document text, so a sink escapes it on the way out. */
void doc_peer_name(const struct doc_peer *p, char *buf, size_t len);

#endif
