/* Backend side of the AEAD interface: each backend file exports one const
 * ops struct, listed in aead.c. Not for use outside crypto/. */
#ifndef NCB_CRYPTO_AEAD_IMPL_H
#define NCB_CRYPTO_AEAD_IMPL_H

#include <stddef.h>
#include <stdint.h>

/* Algorithms, by index into the table of aead.c. */
enum aead_alg {
	AEAD_ALG_AES_128_GCM,
	AEAD_ALG_AES_192_GCM,
	AEAD_ALG_AES_256_GCM,
	AEAD_ALG_CHACHA20_POLY1305,
	AEAD_ALG_SM4_GCM,
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
	/* Returns backend state in *state, or a negative errno. */
	int (*init)(void **state, enum aead_alg alg, const uint8_t *key,
		    size_t key_len);
	int (*seal)(void *state, const uint8_t *nonce, const uint8_t *aad,
		    size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag);
	int (*open)(void *state, const uint8_t *nonce, const uint8_t *aad,
		    size_t aad_len, uint8_t *buf, size_t len,
		    const uint8_t *tag);
	/* Wipes and frees; NULL is ok. */
	void (*free)(void *state);
};

extern const struct aead_backend_ops aead_openssl_ops;
extern const struct aead_backend_ops aead_gcrypt_ops;
extern const struct aead_backend_ops aead_null_ops;
extern const struct aead_backend_ops aead_ipsecmb_ops;
extern const struct aead_backend_ops aead_sodium_ops;

#endif
