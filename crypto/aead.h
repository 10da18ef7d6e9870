/* Cipher suite interface: one context per thread, keyed once; the
 * per-packet path only sets the IV. Backends (OpenSSL EVP, libgcrypt,
 * intel-ipsec-mb, libsodium, null) sit behind it. Two kinds of suite:
 *
 *  - AEADs (AES-GCM, ChaCha20-Poly1305, SM4-GCM): a 96-bit nonce as the
 *    IV, a 128-bit tag over AAD and ciphertext;
 *  - encrypt-then-MAC suites (AES-CBC/CTR + HMAC, SM4-CBC + HMAC-SM3,
 *    ZUC 128-EEA3 + 128-EIA3): the IV is the one the packet carries ("IV
 *    as sent"), and the ICV is the MAC, truncated to icv_len, over
 *    AAD || IV || ciphertext || tail (tail: what RFC 4303 §3.3.2.1 adds
 *    for the ICV only, the high half of an extended sequence number).
 *    Open checks the ICV, in constant time, before it decrypts anything.
 *
 * Per suite (struct aead_info): the key is the encryption key, then for
 * AES-CTR the 4-byte nonce of RFC 3686 (counter block = nonce | IV |
 * 32-bit counter from 1), then the authentication key. zuc-128: the IV is
 * COUNT (4 bytes, big-endian) | BEARER << 3 | DIRECTION << 2 | 0 0 0, the
 * first half of the 128-EEA3 IV of 3GPP TS 35.221, from which both the
 * EEA3 and the EIA3 IV follow; the ICV is the 4-byte 128-EIA3 MAC.
 *
 * Buffers go one at a time (aead_seal/aead_open, in place) or in bursts
 * of independent operations (aead_seal_burst/aead_open_burst, DPDK
 * cryptodev style): a multi-buffer engine (intel-ipsec-mb's job manager)
 * works on a whole burst at once; the other backends loop. */
#ifndef NCB_CRYPTO_AEAD_H
#define NCB_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

enum {
	AEAD_NONCE_LEN = 12, /* the IV of every AEAD */
	AEAD_TAG_LEN = 16,   /* the tag of every AEAD */
	AEAD_KEY_MAX = 64,   /* longest key of any suite, all parts */
	AEAD_IV_MAX = 16,
	AEAD_ICV_MAX = 32,
	AEAD_BURST_MAX = 64, /* most operations in one burst call */
};

enum aead_kind {
	AEAD_KIND_AEAD, /* combined mode */
	AEAD_KIND_ETM,  /* cipher, then a MAC over the ciphertext */
};

/* What a suite is; static, from aead_info(). */
struct aead_info {
	const char *name;
	enum aead_kind kind;
	size_t key_len;      /* all of it: enc | [ctr nonce] | auth */
	size_t enc_key_len;  /* AEAD: key_len */
	size_t nonce_len;    /* AES-CTR: the RFC 3686 nonce in the key; 0 */
	size_t auth_key_len; /* AEAD: 0 */
	size_t iv_len;       /* AEAD: the nonce; ETM: the IV as sent */
	size_t icv_len;      /* the default tag/ICV length */
	size_t icv_max;      /* the longest an ICV may be (--icv-len) */
	size_t block;        /* ciphertext length is a multiple of it */
	const char *standard; /* where it is defined, for `list` */
};

struct aead_ctx;

/* Algorithm table: names, key lengths. Index 0..aead_alg_count()-1. */
size_t aead_alg_count(void);
const char *aead_alg_name(size_t i);
/* Key length in bytes of alg, or 0 if alg is unknown. */
size_t aead_key_len(const char *alg);
/* The suite alg, or NULL if unknown. */
const struct aead_info *aead_info(const char *alg);
/* 0 if icv_len (0: the default) is a length suite alg allows, else
 * -EINVAL: the default, or for an ETM suite any even length from 4 to
 * icv_max at which its MAC is defined to be truncated (12 and 16 for
 * HMAC-SHA1 (RFC 2404), 16..32 for SHA-256 (RFC 4868), 12..32 for SM3). */
NCB_MUST_CHECK int aead_check_icv_len(const char *alg, size_t icv_len);

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

/* The most bytes of AAD | IV | data | tail one operation of alg may have
 * on backend (its library's limit: intel-ipsec-mb's 128-EIA3 takes 65504
 * bits), or 0 when there is none. Longer operations fail with
 * -EMSGSIZE. */
size_t aead_max_len(const char *alg, const char *backend);

/* What opens a context: algorithm and backend names and the key (all
 * borrowed), as the protocol SAs' configurations take it; icv_len 0 is
 * the suite's default. */
struct aead_spec {
	const char *alg, *backend;
	const uint8_t *key;
	size_t key_len;
	size_t icv_len;
};

/* Creates a context keyed with the spec's key (copied; the caller may
 * wipe its copy). Caller frees with aead_ctx_free(). Returns 0, -ENOENT
 * (unknown name), -ENOTSUP (pair not offered), -EINVAL (key or ICV
 * length) or -ENOMEM. */
NCB_MUST_CHECK int aead_ctx_open(struct aead_ctx **out,
				 const struct aead_spec *spec);
/* The same with the default ICV length. */
NCB_MUST_CHECK int aead_ctx_new(struct aead_ctx **out, const char *alg,
				const char *backend, const uint8_t *key,
				size_t key_len);
/* The suite of c, and the tag/ICV length its operations use. */
const struct aead_info *aead_ctx_info(const struct aead_ctx *c);
size_t aead_ctx_icv_len(const struct aead_ctx *c);

/* One operation of a burst, independent of the others. src and dst may
 * be the same buffer (in place) or not overlap; len is a multiple of the
 * suite's block. iv is iv_len bytes; aad may be NULL when aad_len is 0;
 * tail (ETM suites only; an AEAD refuses tail_len > 0) is authenticated
 * after the ciphertext and never encrypted. icv: the context's ICV length
 * in bytes, written by seal and checked by open. status is set by the
 * call: 0, -EBADMSG (open: the ICV did not authenticate; dst then holds
 * unspecified bytes, and an ETM suite has decrypted nothing) or another
 * negative errno. */
struct aead_op {
	const uint8_t *iv;
	const uint8_t *aad;
	size_t aad_len;
	const uint8_t *src;
	uint8_t *dst;
	size_t len;
	const uint8_t *tail;
	size_t tail_len;
	uint8_t *icv;
	int status;
};

/* Seal or open n (<= AEAD_BURST_MAX) operations, each with its own
 * status; returns how many have status 0. Not thread-safe on one
 * context. */
unsigned aead_seal_burst(struct aead_ctx *c, struct aead_op *ops, unsigned n);
unsigned aead_open_burst(struct aead_ctx *c, struct aead_op *ops, unsigned n);

/* One buffer in place: seal len bytes of buf and write the tag/ICV.
 * nonce is the suite's iv_len bytes; aad may be NULL when aad_len is 0.
 * Not thread-safe on one context. Returns 0 or a negative errno. */
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
/* Between aead_wipe_hold() and aead_wipe_release() a thread's
 * aead_ctx_new calls leave their wipe to the release, which wipes once
 * below its caller's frame, the one that made them all: a set-up of
 * thousands of contexts (an SA database) pays one wipe, not 64 KiB of
 * stores per context. Pairs nest; the outermost release wipes. */
void aead_wipe_hold(void);
void aead_wipe_release(void);

#endif
