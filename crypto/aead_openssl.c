/* OpenSSL EVP backend. The cipher is fetched and keyed once per context;
 * a packet only sets the IV (EVP_*Init_ex2 with NULL cipher and key), which
 * keeps the key schedule out of the per-packet path. The encrypt-then-MAC
 * suites are in etm_openssl.c; this file hands their contexts over. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"
#include "crypto/etm_impl.h"

static const char *const evp_names[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_GCM] = "AES-128-GCM",
	[AEAD_ALG_AES_192_GCM] = "AES-192-GCM",
	[AEAD_ALG_AES_256_GCM] = "AES-256-GCM",
	[AEAD_ALG_CHACHA20_POLY1305] = "ChaCha20-Poly1305",
	/* OpenSSL has SM4-GCM from 3.2 (when built with SM4); probed. */
	[AEAD_ALG_SM4_GCM] = "SM4-GCM",
};

/* One EVP context per direction: an EVP_CIPHER_CTX is either an encrypting
 * or a decrypting one. An ETM suite's context has only etm. */
struct ossl_state {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	void *etm; /* etm_openssl.c's state, or NULL */
};

static int is_etm(enum aead_alg alg)
{
	return aead_alg_info(alg)->kind == AEAD_KIND_ETM;
}

static const char *ossl_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION_STRING);
}

static EVP_CIPHER *fetch(enum aead_alg alg)
{
	if (!evp_names[alg])
		return NULL;
	return EVP_CIPHER_fetch(NULL, evp_names[alg], NULL);
}

static int ossl_probe(enum aead_alg alg)
{
	EVP_CIPHER *cipher;

	if (is_etm(alg))
		return etm_openssl_ops.probe(alg);
	cipher = fetch(alg);
	if (!cipher)
		return -ENOTSUP;
	EVP_CIPHER_free(cipher);
	return 0;
}

static void ossl_free(void *state)
{
	struct ossl_state *s = state;

	if (!s)
		return;
	/* EVP_CIPHER_CTX_free cleanses the key schedule. */
	EVP_CIPHER_CTX_free(s->enc);
	EVP_CIPHER_CTX_free(s->dec);
	etm_openssl_ops.free(s->etm);
	free(s);
}

/* Keys both directions of an AEAD's context. */
static int key_aead(struct ossl_state *s, enum aead_alg alg,
		    const uint8_t *key, size_t key_len)
{
	EVP_CIPHER *cipher = fetch(alg);
	int rc = -EINVAL;

	if (!cipher)
		return -ENOTSUP;
	if ((size_t)EVP_CIPHER_get_key_length(cipher) != key_len ||
	    EVP_CIPHER_get_iv_length(cipher) != AEAD_NONCE_LEN)
		goto out;
	rc = -ENOMEM;
	s->enc = EVP_CIPHER_CTX_new();
	s->dec = EVP_CIPHER_CTX_new();
	if (!s->enc || !s->dec)
		goto out;
	rc = -EIO;
	if (EVP_EncryptInit_ex2(s->enc, cipher, key, NULL, NULL) != 1 ||
	    EVP_DecryptInit_ex2(s->dec, cipher, key, NULL, NULL) != 1)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_free(cipher);
	return rc;
}

static int ossl_init(void **state, enum aead_alg alg, const uint8_t *key,
		     size_t key_len, size_t icv_len)
{
	struct ossl_state *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	/* AEADs: icv_len is always AEAD_TAG_LEN. */
	if (is_etm(alg))
		rc = etm_openssl_ops.init(&s->etm, alg, key, key_len, icv_len);
	else
		rc = key_aead(s, alg, key, key_len);
	if (rc < 0) {
		ossl_free(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int seal_op(EVP_CIPHER_CTX *c, const struct aead_op *op)
{
	int n;

	if (op->len > INT_MAX || op->aad_len > INT_MAX || op->tail_len)
		return -EINVAL;
	if (EVP_EncryptInit_ex2(c, NULL, NULL, op->iv, NULL) != 1)
		return -EIO;
	if (op->aad_len &&
	    EVP_EncryptUpdate(c, NULL, &n, op->aad, (int)op->aad_len) != 1)
		return -EIO;
	if (op->len &&
	    EVP_EncryptUpdate(c, op->dst, &n, op->src, (int)op->len) != 1)
		return -EIO;
	/* GCM and ChaCha20-Poly1305 are stream modes: Final writes nothing. */
	if (EVP_EncryptFinal_ex(c, op->dst + op->len, &n) != 1)
		return -EIO;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_LEN,
				op->icv) != 1)
		return -EIO;
	return 0;
}

static int open_op(EVP_CIPHER_CTX *c, const struct aead_op *op)
{
	int n;

	if (op->len > INT_MAX || op->aad_len > INT_MAX || op->tail_len)
		return -EINVAL;
	if (EVP_DecryptInit_ex2(c, NULL, NULL, op->iv, NULL) != 1)
		return -EIO;
	if (op->aad_len &&
	    EVP_DecryptUpdate(c, NULL, &n, op->aad, (int)op->aad_len) != 1)
		return -EIO;
	if (op->len &&
	    EVP_DecryptUpdate(c, op->dst, &n, op->src, (int)op->len) != 1)
		return -EIO;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_LEN,
				op->icv) != 1)
		return -EIO;
	/* Any result other than 1 means the tag did not verify. */
	if (EVP_DecryptFinal_ex(c, op->dst + op->len, &n) != 1)
		return -EBADMSG;
	return 0;
}

static int ossl_seal(void *state, struct aead_op *op)
{
	struct ossl_state *s = state;

	if (s->etm)
		return etm_openssl_ops.seal(s->etm, op);
	return op->status = seal_op(s->enc, op);
}

static int ossl_open(void *state, struct aead_op *op)
{
	struct ossl_state *s = state;

	if (s->etm)
		return etm_openssl_ops.open(s->etm, op);
	return op->status = open_op(s->dec, op);
}

const struct aead_backend_ops aead_openssl_ops = {
	.name = "openssl",
	.version = ossl_version,
	.library = "openssl",
	.probe = ossl_probe,
	.init = ossl_init,
	.seal = ossl_seal,
	.open = ossl_open,
	.free = ossl_free,
};
