/* Known answers of the `wg` vector family (tests/vectors/wg.json): the
 * kat hooks of the wg framing. */
#ifndef NCB_CRYPTO_WG_KAT_H
#define NCB_CRYPTO_WG_KAT_H

#include <jansson.h>

#include "io/ncb.h"

struct kat_tally;

/* Form check of one vector: 0, or -EINVAL with e naming the problem. */
NCB_MUST_CHECK int wg_kat_validate(json_t *v, const char *where,
				   struct ncb_err *e);
/* Runs one vector on every backend offering its AEAD; one line each. */
void wg_kat_run(json_t *v, struct kat_tally *t);

#endif
