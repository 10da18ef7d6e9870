/* Shared by the known-answer modules of bench/ (kat.c and one file per
 * framing family). */
#ifndef NCB_BENCH_KAT_IMPL_H
#define NCB_BENCH_KAT_IMPL_H

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

/* ESP family (kat_esp.c): form check of one vector, and its run. */
NCB_MUST_CHECK int kat_esp_validate(json_t *v, const char *where,
				    struct ncb_err *e);
void kat_esp_run(json_t *v, struct kat_tally *t);

#endif
