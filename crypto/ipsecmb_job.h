/* The ipsec-mb backend's context and its job-manager path
 * (crypto/ipsecmb_job.c): bursts of independent operations of the
 * encrypt-then-MAC suites submitted as jobs to one multi-buffer manager,
 * then flushed. Internal to crypto/aead_ipsecmb.c. */
#ifndef NCB_CRYPTO_IPSECMB_JOB_H
#define NCB_CRYPTO_IPSECMB_JOB_H

#include <stddef.h>
#include <stdint.h>

#include <intel-ipsec-mb.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

enum {
	IPSECMB_AES_SCHED = 16 * 15, /* an expanded AES-256 key */
	IPSECMB_DIGEST_MAX = 32,     /* SHA-256 */
	IPSECMB_BLOCK = 16,          /* AES block, ZUC and CTR IVs */
	/* Longest run the library hashes in one job: HMAC (and CBC
	 * encryption) take up to 2^16 - 2 bytes (MB_MAX_LEN16 of its job
	 * checks), 128-EIA3 and 128-EEA3 up to 65504 bits. An operation
	 * whose AAD | IV | ciphertext | tail is longer gets -EMSGSIZE. */
	IPSECMB_HMAC_MAX = 65534,
	IPSECMB_ZUC_MAX = 65504 / 8,
	/* One operation's AAD | IV | ciphertext | tail, copied when they do
	 * not lie one after the other in memory. */
	IPSECMB_SCRATCH = 65536,
};

/* What a job of operation i of a burst points at until it completes. */
struct ipsecmb_slot {
	uint8_t tag[IPSECMB_DIGEST_MAX]; /* the MAC as computed */
	uint8_t icv[AEAD_ICV_MAX];       /* open: the received ICV, set aside */
	uint8_t iv[IPSECMB_BLOCK];       /* CTR: nonce | IV; zuc-128: EEA3 IV */
	uint8_t auth_iv[IPSECMB_BLOCK];  /* zuc-128: EIA3 IV */
	const uint8_t *region;           /* what the MAC covers, in one run */
	size_t region_len;
} __attribute__((aligned(16)));

/* One context. Key material first, aligned as the library wants it; the
 * whole struct is wiped on free. */
struct ipsecmb_state {
	struct gcm_key_data gcm_key; /* 64-byte aligned by its type */
	uint8_t enc_keys[IPSECMB_AES_SCHED] __attribute__((aligned(16)));
	uint8_t dec_keys[IPSECMB_AES_SCHED] __attribute__((aligned(16)));
	/* HMAC: the hash states after the key xor ipad and xor opad blocks. */
	uint8_t ipad[IPSECMB_DIGEST_MAX] __attribute__((aligned(16)));
	uint8_t opad[IPSECMB_DIGEST_MAX] __attribute__((aligned(16)));
	/* ChaCha20 key; zuc-128: the EEA3 key, then auth_key the EIA3 key. */
	uint8_t key[32] __attribute__((aligned(16)));
	uint8_t auth_key[16] __attribute__((aligned(16)));
	uint8_t ctr_nonce[4]; /* RFC 3686 */
	struct gcm_context_data gcm_ctx;
	struct chacha20_poly1305_context_data cc_ctx;
	/* AEADs: the backend's one shared manager, whose function tables
	 * are all the direct calls read. ETM suites: their own, in memory
	 * of ours (mgr_mem), wiped on free: the job queue is per thread. */
	IMB_MGR *mgr;
	void *mgr_mem;
	size_t mgr_size;
	/* AEADs: the manager's GCM entry points for this key size. */
	aes_gcm_enc_dec_t gcm_enc, gcm_dec;
	enum aead_alg alg;
	const struct aead_info *info;
	size_t icv_len;
	/* ETM suites: the library's names for the cipher and the MAC. */
	IMB_CIPHER_MODE cipher;
	IMB_HASH_ALG hash;
	size_t digest_len;
	size_t max_len; /* IPSECMB_HMAC_MAX or IPSECMB_ZUC_MAX; AEADs: 0 */
	/* ETM suites only, made by ipsecmb_job_key_etm: an AEAD context
	 * stays small, as a gateway with many SAs needs. */
	uint8_t *scratch;            /* IPSECMB_SCRATCH bytes */
	struct ipsecmb_slot *slot;   /* AEAD_BURST_MAX of them */
};

/* Keys an ETM suite's context (s->mgr, alg, info and icv_len set) with
 * key as aead.h lays it out, and makes its scratch buffer and slots.
 * Returns 0 or -ENOMEM; ipsecmb_state's owner frees both. */
int ipsecmb_job_key_etm(struct ipsecmb_state *s, const uint8_t *key);

/* Seal or open n operations of an ETM suite (any n; AEAD_BURST_MAX at a
 * time) through the job manager, each with its own status as aead.h
 * says; returns how many have status 0. Open checks every ICV of the
 * burst before it decrypts anything. */
unsigned ipsecmb_job_seal(struct ipsecmb_state *s, struct aead_op *ops,
			  unsigned n);
unsigned ipsecmb_job_open(struct ipsecmb_state *s, struct aead_op *ops,
			  unsigned n);

#endif
