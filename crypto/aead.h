/* AEAD interface: one context per thread, keyed once; the per-packet path
 * only sets the nonce. Backends (OpenSSL EVP, libgcrypt, null) sit behind
 * it. Every nonce is 96 bits and every tag 128 bits. */
#ifndef NCB_CRYPTO_AEAD_H
#define NCB_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

enum {
	AEAD_NONCE_LEN = 12,
	AEAD_TAG_LEN = 16,
	AEAD_KEY_MAX = 32,
};

struct aead_ctx;

/* Algorithm table: names, key lengths. Index 0..aead_alg_count()-1. */
size_t aead_alg_count(void);
const char *aead_alg_name(size_t i);
/* Key length in bytes of alg, or 0 if alg is unknown. */
size_t aead_key_len(const char *alg);

/* Backend table: names in preference order. */
size_t aead_backend_count(void);
const char *aead_backend_name(size_t i);
/* Library name and version the backend was linked with (static string). */
const char *aead_backend_version(const char *backend);
/* Name of the library behind backend i in a result's "libraries" object,
 * or NULL when it links none (the null backend) or i is past the table. */
const char *aead_backend_library(size_t i);

/* 0 if backend offers alg on this machine, -ENOENT for an unknown name,
 * -ENOTSUP if the pair does not work here. */
NCB_MUST_CHECK int aead_probe(const char *alg, const char *backend);

/* What opens an AEAD context: algorithm and backend names and the key
 * (all borrowed), as the protocol SAs' configurations take it. */
struct aead_spec {
	const char *alg, *backend;
	const uint8_t *key;
	size_t key_len;
};

/* Creates a context keyed with key (copied; the caller may wipe its copy).
 * Caller frees with aead_ctx_free(). Returns 0, -ENOENT (unknown name),
 * -ENOTSUP (pair not offered), -EINVAL (key length) or -ENOMEM. */
NCB_MUST_CHECK int aead_ctx_new(struct aead_ctx **out, const char *alg,
				const char *backend, const uint8_t *key,
				size_t key_len);

/* Seal len bytes of buf in place and write the tag. nonce is
 * AEAD_NONCE_LEN bytes; aad may be NULL when aad_len is 0. Not
 * thread-safe on one context. Returns 0 or a negative errno. */
NCB_MUST_CHECK int aead_seal(struct aead_ctx *c, const uint8_t *nonce,
			     const uint8_t *aad, size_t aad_len, uint8_t *buf,
			     size_t len, uint8_t *tag);

/* Open in place. Returns 0, or -EBADMSG if the tag does not authenticate
 * (buf then holds unspecified bytes). */
NCB_MUST_CHECK int aead_open(struct aead_ctx *c, const uint8_t *nonce,
			     const uint8_t *aad, size_t aad_len, uint8_t *buf,
			     size_t len, const uint8_t *tag);

/* Wipes key material and frees. NULL is ok. */
void aead_ctx_free(struct aead_ctx *c);

/* Overwrites AEAD_STACK_WIPE bytes of stack below the caller's frame.
 * Libraries expand or copy a key in frames they do not clear (libsodium's
 * ChaCha20 on every call), and glibc keeps an exited thread's stack for
 * the next thread: a thread that used a context calls this last, from
 * the frame that made the calls. aead_ctx_new calls it itself. */
enum { AEAD_STACK_WIPE = 64 * 1024 };
void aead_wipe_stack(void);

#endif
