/* Known-answer helpers shared by `ncbench kat` (bench/kat.c) and each
 * framing's vector family (crypto/X_kat.c, reached through its framing
 * ops): hex fields of a vector, and a run on every backend. */
#ifndef NCB_CRYPTO_KAT_H
#define NCB_CRYPTO_KAT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "io/ncb.h"

struct kat_bytes {
	uint8_t *p;
	size_t n;
};

struct kat_tally {
	unsigned passed, failed, skipped;
};

/* Decodes hex field `name` of v into out (caller frees out->p); 0, or
 * -EINVAL / -ENOMEM with e (may be NULL) naming the problem. */
NCB_MUST_CHECK int kat_get_hex(json_t *v, const char *name,
			       struct kat_bytes *out, const char *where,
			       struct ncb_err *e);

/* Runs check(x, backend) on every backend that offers alg and prints one
 * "ok"/"FAIL" line each (check returns NULL or why it failed), or one
 * "skip" line when none does. */
void kat_each_backend(const char *family, const char *name, const char *alg,
		      const char *mode, const void *x,
		      const char *(*check)(const void *x, const char *backend),
		      struct kat_tally *t);

/* Framing families, one file each: form check of one vector, and its run. */
NCB_MUST_CHECK int kat_esp_validate(json_t *v, const char *where,
				    struct ncb_err *e);
void kat_esp_run(json_t *v, struct kat_tally *t);
NCB_MUST_CHECK int kat_macsec_validate(json_t *v, const char *where,
				       struct ncb_err *e);
void kat_macsec_run(json_t *v, struct kat_tally *t);

#endif
