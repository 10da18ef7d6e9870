/* intel-ipsec-mb backend: the crypto engine under DPDK and VPP. One
 * multi-buffer manager per context (managers are not thread-safe), set up
 * for the best code path this CPU has (init_mb_mgr_auto: SSE, AVX, AVX2 or
 * AVX-512/VAES; the choice is part of the backend's version string). The
 * direct (synchronous) GCM and ChaCha20-Poly1305 calls take the expanded
 * key once, then per packet: IV, AAD, data, tag. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

struct mb_state {
	/* Key material first: both need 16-byte (or 64-byte) alignment. */
	struct gcm_key_data gcm_key;
	uint8_t chacha_key[32];
	struct gcm_context_data gcm_ctx;
	struct chacha20_poly1305_context_data cc_ctx;
	IMB_MGR *mgr;
	/* The manager's GCM entry points for this key size, taken once. */
	aes_gcm_enc_dec_t gcm_enc, gcm_dec;
	enum aead_alg alg;
};

static pthread_once_t arch_once = PTHREAD_ONCE_INIT;
static IMB_ARCH best_arch = IMB_ARCH_NONE;
static char version[64];

/* Probes the CPU once with a throw-away manager. */
static void find_arch(void)
{
	static const char *const names[IMB_ARCH_NUM] = {
		[IMB_ARCH_NONE] = "none", [IMB_ARCH_NOAESNI] = "no-aesni",
		[IMB_ARCH_SSE] = "sse",   [IMB_ARCH_AVX] = "avx",
		[IMB_ARCH_AVX2] = "avx2", [IMB_ARCH_AVX512] = "avx512",
	};
	IMB_MGR *m = alloc_mb_mgr(0);

	if (m) {
		init_mb_mgr_auto(m, &best_arch);
		free_mb_mgr(m);
	}
	snprintf(version, sizeof(version), "%s %s", imb_get_version_str(),
		 best_arch < IMB_ARCH_NUM && names[best_arch] ? names[best_arch]
							      : "unknown");
}

static const char *mb_version(void)
{
	pthread_once(&arch_once, find_arch);
	return version;
}

static int mb_probe(enum aead_alg alg)
{
	pthread_once(&arch_once, find_arch);
	/* Without AES-NI the library falls back to slow generic code that
	 * no gateway would run: not offered. */
	if (best_arch < IMB_ARCH_SSE)
		return -ENOTSUP;
	switch (alg) {
	case AEAD_ALG_AES_128_GCM:
	case AEAD_ALG_AES_192_GCM:
	case AEAD_ALG_AES_256_GCM:
	case AEAD_ALG_CHACHA20_POLY1305:
		return 0;
	default:
		return -ENOTSUP;
	}
}

static void mb_free(void *state)
{
	struct mb_state *s = state;

	if (!s)
		return;
	if (s->mgr)
		free_mb_mgr(s->mgr);
	explicit_bzero(s, sizeof(*s));
	free(s);
}

static int mb_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	struct mb_state *s = aligned_alloc(64, (sizeof(*s) + 63) & ~(size_t)63);

	(void)key_len; /* checked by aead.c */
	(void)icv_len; /* AEADs: always AEAD_TAG_LEN */
	*state = NULL;
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->alg = alg;
	s->mgr = alloc_mb_mgr(0);
	if (!s->mgr) {
		free(s);
		return -ENOMEM;
	}
	init_mb_mgr_auto(s->mgr, NULL);
	switch (alg) {
	case AEAD_ALG_AES_128_GCM:
		IMB_AES128_GCM_PRE(s->mgr, key, &s->gcm_key);
		s->gcm_enc = s->mgr->gcm128_enc;
		s->gcm_dec = s->mgr->gcm128_dec;
		break;
	case AEAD_ALG_AES_192_GCM:
		IMB_AES192_GCM_PRE(s->mgr, key, &s->gcm_key);
		s->gcm_enc = s->mgr->gcm192_enc;
		s->gcm_dec = s->mgr->gcm192_dec;
		break;
	case AEAD_ALG_AES_256_GCM:
		IMB_AES256_GCM_PRE(s->mgr, key, &s->gcm_key);
		s->gcm_enc = s->mgr->gcm256_enc;
		s->gcm_dec = s->mgr->gcm256_dec;
		break;
	case AEAD_ALG_CHACHA20_POLY1305:
		memcpy(s->chacha_key, key, 32);
		break;
	default:
		mb_free(s);
		return -ENOTSUP;
	}
	if (imb_get_errno(s->mgr)) {
		mb_free(s);
		return -EINVAL;
	}
	*state = s;
	return 0;
}

/* Seal (is_enc) or open op, the tag into tag. */
static void crypt(struct mb_state *s, int is_enc, const struct aead_op *op,
		  uint8_t *tag)
{
	if (s->alg != AEAD_ALG_CHACHA20_POLY1305) {
		(is_enc ? s->gcm_enc : s->gcm_dec)(
			&s->gcm_key, &s->gcm_ctx, op->dst, op->src, op->len,
			op->iv, op->aad, op->aad_len, tag, AEAD_TAG_LEN);
		return;
	}
	IMB_CHACHA20_POLY1305_INIT(s->mgr, s->chacha_key, &s->cc_ctx, op->iv,
				   op->aad, op->aad_len);
	if (is_enc)
		IMB_CHACHA20_POLY1305_ENC_UPDATE(s->mgr, s->chacha_key,
						 &s->cc_ctx, op->dst, op->src,
						 op->len);
	else
		IMB_CHACHA20_POLY1305_DEC_UPDATE(s->mgr, s->chacha_key,
						 &s->cc_ctx, op->dst, op->src,
						 op->len);
	IMB_CHACHA20_POLY1305_ENC_FINALIZE(s->mgr, &s->cc_ctx, tag,
					   AEAD_TAG_LEN);
}

static int mb_seal(void *state, struct aead_op *op)
{
	if (op->tail_len)
		return op->status = -EINVAL;
	crypt(state, 1, op, op->icv);
	return op->status = 0;
}

static int mb_open(void *state, struct aead_op *op)
{
	uint8_t want[AEAD_TAG_LEN];

	if (op->tail_len)
		return op->status = -EINVAL;
	/* The library computes the tag; comparing it is ours, in constant
	 * time so the comparison leaks nothing of the expected tag. */
	crypt(state, 0, op, want);
	return op->status = aead_icv_cmp(want, op->icv, AEAD_TAG_LEN);
}

const struct aead_backend_ops aead_ipsecmb_ops = {
	.name = "ipsec-mb",
	.version = mb_version,
	.library = "ipsec_mb",
	.probe = mb_probe,
	.init = mb_init,
	.seal = mb_seal,
	.open = mb_open,
	.free = mb_free,
};
