/* intel-ipsec-mb backend: the crypto engine under DPDK and VPP, set up
 * for the best code path this CPU has (init_mb_mgr_auto: SSE, AVX, AVX2 or
 * AVX-512/VAES; the choice is part of the backend's version string).
 * The encrypt-then-MAC suites go through the job manager
 * (crypto/ipsecmb_job.c), one operation as a burst of one, with one
 * manager per context (a manager's job queue is not thread-safe). The
 * AEADs use the direct (synchronous) GCM and ChaCha20-Poly1305 calls,
 * keyed once, then per packet IV, AAD, data and tag, in bursts too (see
 * mb_seal_burst). Those calls keep their state in our context and only
 * read the manager's function tables, so every AEAD context shares one
 * manager: a context is then about 1 KiB instead of the manager's 200,
 * which is what lets a run hold 65536 SAs. 1.3 has no SM4. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"
#include "crypto/ipsecmb_job.h"

static pthread_once_t arch_once = PTHREAD_ONCE_INIT;
static IMB_ARCH best_arch = IMB_ARCH_NONE;
/* HMAC-SHA through the SSE code path, which uses the SHA extensions. The
 * library gives its AVX and AVX2 managers the SHA-NI HMAC code only on
 * CPUs that also have GFNI (and VAES for AVX2); on one that has SHA-NI
 * without them (AMD Zen and Zen 2) those managers hash in 8 SIMD lanes,
 * measured 1.4x (SHA-1) to 3x (SHA-256) slower for bursts of 32 and 4x
 * to 10x one buffer at a time. AVX-512 keeps its 16 lanes. */
static int is_hmac_sse;
static char version[80];
/* The AEADs' shared manager: written once here, then only read. It holds
 * no key material (the direct calls take our key data), so it lives as
 * long as the process. */
static IMB_MGR *aead_mgr;

/* Probes the CPU once with the manager the AEADs then share. */
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
		is_hmac_sse = (m->features & IMB_FEATURE_SHANI) &&
			      (best_arch == IMB_ARCH_AVX ||
			       best_arch == IMB_ARCH_AVX2);
		aead_mgr = m;
	}
	snprintf(version, sizeof(version), "%s %s%s", imb_get_version_str(),
		 best_arch < IMB_ARCH_NUM && names[best_arch] ? names[best_arch]
							      : "unknown",
		 is_hmac_sse ? " (HMAC: sse sha-ni)" : "");
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
	case AEAD_ALG_AES_128_CBC_HMAC_SHA1:
	case AEAD_ALG_AES_128_CBC_HMAC_SHA256:
	case AEAD_ALG_AES_256_CBC_HMAC_SHA256:
	case AEAD_ALG_AES_128_CTR_HMAC_SHA256:
	case AEAD_ALG_ZUC_128:
		return 0;
	default:
		return -ENOTSUP;
	}
}

/* The manager lives in memory of ours, so that free can wipe what it
 * keeps of the keys: the HMAC lanes' inner and outer states, the ZUC
 * lanes' key schedules, the last jobs' pointers. */
static void mb_free(void *state)
{
	struct ipsecmb_state *s = state;

	if (!s)
		return;
	if (s->mgr_mem) {
		explicit_bzero(s->mgr_mem, s->mgr_size);
		free(s->mgr_mem);
	}
	if (s->scratch) {
		explicit_bzero(s->scratch, IPSECMB_SCRATCH);
		free(s->scratch);
	}
	if (s->slot) {
		explicit_bzero(s->slot, sizeof(*s->slot) * AEAD_BURST_MAX);
		free(s->slot);
	}
	explicit_bzero(s, sizeof(*s));
	free(s);
}

/* The AEADs' keys for the direct calls and the jobs alike. */
static int key_aead(struct ipsecmb_state *s, const uint8_t *key)
{
	switch (s->alg) {
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
		memcpy(s->key, key, 32);
		break;
	default:
		return -ENOTSUP;
	}
	return 0;
}

static int mb_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	struct ipsecmb_state *s =
		aligned_alloc(64, (sizeof(*s) + 63) & ~(size_t)63);
	int rc = 0;

	(void)key_len; /* checked by aead.c */
	*state = NULL;
	pthread_once(&arch_once, find_arch); /* is_hmac_sse */
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->alg = alg;
	s->info = aead_alg_info(alg);
	s->icv_len = icv_len;
	if (s->info->kind == AEAD_KIND_AEAD) {
		s->mgr = aead_mgr;
		rc = s->mgr ? key_aead(s, key) : -ENOMEM;
		/* The direct calls report through the thread's errno. */
		if (rc == 0 && imb_get_errno(NULL))
			rc = -EINVAL;
		if (rc < 0) {
			mb_free(s);
			return rc;
		}
		*state = s;
		return 0;
	}
	s->mgr_size = (imb_get_mb_mgr_size() + 63) & ~(size_t)63;
	s->mgr_mem = aligned_alloc(64, s->mgr_size);
	if (!s->mgr_mem) {
		mb_free(s);
		return -ENOMEM;
	}
	s->mgr = imb_set_pointers_mb_mgr(s->mgr_mem, 0, 1);
	if (!s->mgr) {
		mb_free(s);
		return -ENOMEM;
	}
	if (is_hmac_sse && alg != AEAD_ALG_ZUC_128)
		init_mb_mgr_sse(s->mgr);
	else
		init_mb_mgr_auto(s->mgr, NULL);
	rc = ipsecmb_job_key_etm(s, key);
	if (rc == 0 && imb_get_errno(s->mgr))
		rc = -EINVAL;
	if (rc < 0) {
		mb_free(s);
		return rc;
	}
	*state = s;
	return 0;
}

/* Seal (is_enc) or open op through the direct calls, the tag into tag. */
static void crypt(struct ipsecmb_state *s, int is_enc,
		  const struct aead_op *op, uint8_t *tag)
{
	if (s->alg != AEAD_ALG_CHACHA20_POLY1305) {
		(is_enc ? s->gcm_enc : s->gcm_dec)(
			&s->gcm_key, &s->gcm_ctx, op->dst, op->src, op->len,
			op->iv, op->aad, op->aad_len, tag, AEAD_TAG_LEN);
		return;
	}
	IMB_CHACHA20_POLY1305_INIT(s->mgr, s->key, &s->cc_ctx, op->iv,
				   op->aad, op->aad_len);
	if (is_enc)
		IMB_CHACHA20_POLY1305_ENC_UPDATE(s->mgr, s->key, &s->cc_ctx,
						 op->dst, op->src, op->len);
	else
		IMB_CHACHA20_POLY1305_DEC_UPDATE(s->mgr, s->key, &s->cc_ctx,
						 op->dst, op->src, op->len);
	IMB_CHACHA20_POLY1305_ENC_FINALIZE(s->mgr, &s->cc_ctx, tag,
					   AEAD_TAG_LEN);
}

static int mb_seal(void *state, struct aead_op *op)
{
	struct ipsecmb_state *s = state;

	if (s->info->kind == AEAD_KIND_ETM) {
		ipsecmb_job_seal(s, op, 1);
		return op->status;
	}
	if (op->tail_len)
		return op->status = -EINVAL;
	crypt(s, 1, op, op->icv);
	return op->status = 0;
}

static int mb_open(void *state, struct aead_op *op)
{
	struct ipsecmb_state *s = state;
	uint8_t want[AEAD_TAG_LEN];

	if (s->info->kind == AEAD_KIND_ETM) {
		ipsecmb_job_open(s, op, 1);
		return op->status;
	}
	if (op->tail_len)
		return op->status = -EINVAL;
	/* The library computes the tag; comparing it is ours, in constant
	 * time so the comparison leaks nothing of the expected tag. */
	crypt(s, 0, op, want);
	return op->status = aead_icv_cmp(want, op->icv, AEAD_TAG_LEN);
}

/* Bursts: the encrypt-then-MAC suites through the job manager. The
 * AEADs take the direct calls one operation after another: the manager
 * runs GCM and ChaCha20-Poly1305 jobs one at a time on every code path
 * of 1.3 (the same functions), so a job only adds its set-up and checks,
 * measured 7-14% of the throughput at 1420 bytes and 35% at 64. */
static unsigned mb_seal_burst(void *state, struct aead_op *ops, unsigned n)
{
	struct ipsecmb_state *s = state;
	unsigned ok = 0;

	if (s->info->kind == AEAD_KIND_ETM)
		return ipsecmb_job_seal(s, ops, n);
	for (unsigned i = 0; i < n; i++)
		ok += mb_seal(s, &ops[i]) == 0;
	return ok;
}

static unsigned mb_open_burst(void *state, struct aead_op *ops, unsigned n)
{
	struct ipsecmb_state *s = state;
	unsigned ok = 0;

	if (s->info->kind == AEAD_KIND_ETM)
		return ipsecmb_job_open(s, ops, n);
	for (unsigned i = 0; i < n; i++)
		ok += mb_open(s, &ops[i]) == 0;
	return ok;
}

static size_t mb_max_len(enum aead_alg alg)
{
	if (alg == AEAD_ALG_ZUC_128)
		return IPSECMB_ZUC_MAX;
	if (aead_alg_info(alg)->kind == AEAD_KIND_ETM)
		return IPSECMB_HMAC_MAX;
	return 0;
}

const struct aead_backend_ops aead_ipsecmb_ops = {
	.name = "ipsec-mb",
	.version = mb_version,
	.library = "ipsec_mb",
	.probe = mb_probe,
	.max_len = mb_max_len,
	.init = mb_init,
	.seal = mb_seal,
	.open = mb_open,
	.seal_burst = mb_seal_burst,
	.open_burst = mb_open_burst,
	.free = mb_free,
};
