/* Backend side of the AEAD interface: each backend file exports one const
 * ops struct, listed in aead.c. Not for use outside crypto/. */
#ifndef NCB_CRYPTO_AEAD_IMPL_H
#define NCB_CRYPTO_AEAD_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

/* Algorithms, by index into the table of aead.c. */
enum aead_alg {
	AEAD_ALG_AES_128_GCM,
	AEAD_ALG_AES_192_GCM,
	AEAD_ALG_AES_256_GCM,
	AEAD_ALG_CHACHA20_POLY1305,
	AEAD_ALG_SM4_GCM,
	AEAD_ALG_AES_128_CBC_HMAC_SHA1,
	AEAD_ALG_AES_128_CBC_HMAC_SHA256,
	AEAD_ALG_AES_256_CBC_HMAC_SHA256,
	AEAD_ALG_AES_128_CTR_HMAC_SHA256,
	AEAD_ALG_SM4_CBC_HMAC_SM3,
	AEAD_ALG_ZUC_128,
	AEAD_ALG_NULL,
	AEAD_ALG_COUNT,
};

struct aead_backend_ops {
	const char *name;
	const char *(*version)(void);
	/* The name its library's version goes by in a result's "libraries"
	 * ("ipsec_mb" for ipsec-mb), or NULL when it links none (null). */
	const char *library;
	/* 0 or -ENOTSUP. */
	int (*probe)(enum aead_alg alg);
	/* Returns backend state in *state, or a negative errno. The key
	 * (aead_info(alg)->key_len bytes, the parts as aead.h says) and
	 * icv_len are checked by aead.c. */
	int (*init)(void **state, enum aead_alg alg, const uint8_t *key,
		    size_t key_len, size_t icv_len);
	/* One operation (struct aead_op of aead.h): returns and sets
	 * op->status to 0 or a negative errno (-EBADMSG: not authentic). */
	int (*seal)(void *state, struct aead_op *op);
	int (*open)(void *state, struct aead_op *op);
	/* Optional, for engines that work on many buffers at once: n <=
	 * AEAD_BURST_MAX operations, each status set; returns how many
	 * have status 0. NULL: aead.c calls seal/open n times. */
	unsigned (*seal_burst)(void *state, struct aead_op *ops, unsigned n);
	unsigned (*open_burst)(void *state, struct aead_op *ops, unsigned n);
	/* Optional: the most bytes of AAD | IV | data | tail one operation
	 * of alg may have (a library's limit), 0 for none. */
	size_t (*max_len)(enum aead_alg alg);
	/* Wipes and frees; NULL is ok. */
	void (*free)(void *state);
};

extern const struct aead_backend_ops aead_openssl_ops;
extern const struct aead_backend_ops aead_gcrypt_ops;
extern const struct aead_backend_ops aead_null_ops;
extern const struct aead_backend_ops aead_ipsecmb_ops;
extern const struct aead_backend_ops aead_sodium_ops;

/* The table entry of alg (aead.c). */
const struct aead_info *aead_alg_info(enum aead_alg alg);

/* 0 if the tag/ICV a and b of len bytes are equal, else -EBADMSG; in
 * time that does not depend on where they differ. */
int aead_icv_cmp(const uint8_t *a, const uint8_t *b, size_t len);

#endif
