/* The `wg` framing (WireGuard data messages, crypto/wg.h) as an entry of
 * the framing registry (crypto/framing.h). */
#ifndef NCB_CRYPTO_WG_FRAMING_H
#define NCB_CRYPTO_WG_FRAMING_H

#include <stdint.h>

struct framing_ops;

extern const struct framing_ops wg_framing;

/* The receiver index of the SA a framing_sa_desc with this id describes
 * (pair * 2 + direction), its SA 0 (--sas): both halves of a pair, and
 * tests/unit/inject, derive it alike. */
static inline uint32_t wg_framing_index(uint32_t id)
{
	return id + 1;
}

#endif
