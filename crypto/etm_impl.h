/* Encrypt-then-MAC suites (AEAD_KIND_ETM) of the OpenSSL and libgcrypt
 * backends, one file per library (etm_openssl.c, etm_gcrypt.c);
 * aead_openssl.c and aead_gcrypt.c hand these suites' contexts to them.
 * Not for use outside crypto/. */
#ifndef NCB_CRYPTO_ETM_IMPL_H
#define NCB_CRYPTO_ETM_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

/* RFC 3686 §4: the AES-CTR counter block is the 4-byte nonce from the
 * key material, the 8-byte IV as sent, and a 32-bit big-endian block
 * counter that starts at 1. */
enum {
	ETM_CTR_BLOCK = 16,
	ETM_CTR_NONCE = 4,
	ETM_CTR_IV = 8,
};

/* probe, init, seal, open and free as struct aead_backend_ops says, for
 * ETM suites only (name, version, library and the bursts are unset).
 * Their backend calls them once it has initialised its library. */
extern const struct aead_backend_ops etm_openssl_ops;
extern const struct aead_backend_ops etm_gcrypt_ops;

/* A context's counter block: nonce | 0 (the IV's place) | counter 1. */
static inline void etm_ctr_start(uint8_t blk[ETM_CTR_BLOCK],
				 const uint8_t *nonce)
{
	memset(blk, 0, ETM_CTR_BLOCK);
	memcpy(blk, nonce, ETM_CTR_NONCE);
	blk[ETM_CTR_BLOCK - 1] = 1;
}

/* The counter block of one operation: its IV in the middle. */
static inline void etm_ctr_set_iv(uint8_t blk[ETM_CTR_BLOCK], const uint8_t *iv)
{
	memcpy(blk + ETM_CTR_NONCE, iv, ETM_CTR_IV);
}

/* What the ICV covers, in this order (aead.h): AAD, the IV as sent, the
 * ciphertext, the tail. Pieces that follow each other in memory (SPI |
 * Seq | IV | ciphertext of an ESP packet) become one, as a MAC runs
 * faster over one buffer than over pieces that split its blocks. */
enum { ETM_MAC_PIECES = 4 };
struct etm_piece {
	const uint8_t *p;
	size_t len;
};

/* Fills in[] with the non-empty pieces; returns how many. */
static inline size_t etm_mac_input(struct etm_piece in[ETM_MAC_PIECES],
				   const struct aead_op *op, size_t iv_len,
				   const uint8_t *ciphertext)
{
	const struct etm_piece all[ETM_MAC_PIECES] = {
		{ op->aad, op->aad_len },
		{ op->iv, iv_len },
		{ ciphertext, op->len },
		{ op->tail, op->tail_len },
	};
	size_t n = 0;

	for (size_t i = 0; i < ETM_MAC_PIECES; i++) {
		if (!all[i].len)
			continue;
		if (n && in[n - 1].p + in[n - 1].len == all[i].p)
			in[n - 1].len += all[i].len;
		else
			in[n++] = all[i];
	}
	return n;
}

#endif
