/* libsodium backend: what many applications ship. ChaCha20-Poly1305 (IETF,
 * 96-bit nonce) everywhere; AES-256-GCM only where the CPU has AES-NI and
 * CLMUL, as libsodium itself decides. The AES-GCM key schedule is expanded
 * once per context (the beforenm/afternm API); every call is detached and
 * in place. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

struct na_state {
	crypto_aead_aes256gcm_state aes; /* first: it needs 16-byte alignment */
	uint8_t key[crypto_aead_chacha20poly1305_ietf_KEYBYTES];
	enum aead_alg alg;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_ok;

static void lib_init(void)
{
	lib_ok = sodium_init() >= 0;
}

static const char *na_version(void)
{
	return sodium_version_string();
}

static int na_probe(enum aead_alg alg)
{
	pthread_once(&lib_once, lib_init);
	if (!lib_ok)
		return -ENOTSUP;
	if (alg == AEAD_ALG_CHACHA20_POLY1305)
		return 0;
	if (alg == AEAD_ALG_AES_256_GCM && crypto_aead_aes256gcm_is_available())
		return 0;
	return -ENOTSUP;
}

static void na_free(void *state)
{
	struct na_state *s = state;

	if (!s)
		return;
	sodium_memzero(s, sizeof(*s));
	free(s);
}

static int na_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	struct na_state *s;

	(void)key_len; /* checked by aead.c */
	(void)icv_len; /* AEADs: always AEAD_TAG_LEN */
	*state = NULL;
	if (na_probe(alg) < 0)
		return -ENOTSUP;
	s = aligned_alloc(64, (sizeof(*s) + 63) & ~(size_t)63);
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->alg = alg;
	if (alg == AEAD_ALG_AES_256_GCM)
		crypto_aead_aes256gcm_beforenm(&s->aes, key);
	else
		memcpy(s->key, key, sizeof(s->key));
	*state = s;
	return 0;
}

static int na_seal(void *state, struct aead_op *op)
{
	struct na_state *s = state;
	unsigned long long tl;
	int rc;

	if (op->tail_len)
		return op->status = -EINVAL;
	if (s->alg == AEAD_ALG_AES_256_GCM)
		rc = crypto_aead_aes256gcm_encrypt_detached_afternm(
			op->dst, op->icv, &tl, op->src, op->len, op->aad,
			op->aad_len, NULL, op->iv, &s->aes);
	else
		rc = crypto_aead_chacha20poly1305_ietf_encrypt_detached(
			op->dst, op->icv, &tl, op->src, op->len, op->aad,
			op->aad_len, NULL, op->iv, s->key);
	return op->status = rc == 0 ? 0 : -EIO;
}

static int na_open(void *state, struct aead_op *op)
{
	struct na_state *s = state;
	int rc;

	if (op->tail_len)
		return op->status = -EINVAL;
	if (s->alg == AEAD_ALG_AES_256_GCM)
		rc = crypto_aead_aes256gcm_decrypt_detached_afternm(
			op->dst, NULL, op->src, op->len, op->icv, op->aad,
			op->aad_len, op->iv, &s->aes);
	else
		rc = crypto_aead_chacha20poly1305_ietf_decrypt_detached(
			op->dst, NULL, op->src, op->len, op->icv, op->aad,
			op->aad_len, op->iv, s->key);
	return op->status = rc == 0 ? 0 : -EBADMSG;
}

const struct aead_backend_ops aead_sodium_ops = {
	.name = "sodium",
	.version = na_version,
	.library = "sodium",
	.probe = na_probe,
	.init = na_init,
	.seal = na_seal,
	.open = na_open,
	.free = na_free,
};
