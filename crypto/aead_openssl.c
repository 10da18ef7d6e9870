/* OpenSSL EVP backend. The cipher is fetched and keyed once per context;
 * a packet only sets the IV (EVP_*Init_ex2 with NULL cipher and key), which
 * keeps the key schedule out of the per-packet path. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

static const char *const evp_names[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_GCM] = "AES-128-GCM",
	[AEAD_ALG_AES_192_GCM] = "AES-192-GCM",
	[AEAD_ALG_AES_256_GCM] = "AES-256-GCM",
	[AEAD_ALG_CHACHA20_POLY1305] = "ChaCha20-Poly1305",
	/* OpenSSL has SM4-GCM from 3.2 (when built with SM4); probed. */
	[AEAD_ALG_SM4_GCM] = "SM4-GCM",
};

/* One EVP context per direction: an EVP_CIPHER_CTX is either an encrypting
 * or a decrypting one. */
struct ossl_state {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
};

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
	EVP_CIPHER *cipher = fetch(alg);

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
	free(s);
}

static int ossl_init(void **state, enum aead_alg alg, const uint8_t *key,
		     size_t key_len)
{
	EVP_CIPHER *cipher = fetch(alg);
	struct ossl_state *s;
	int rc = -ENOMEM;

	if (!cipher)
		return -ENOTSUP;
	if ((size_t)EVP_CIPHER_get_key_length(cipher) != key_len ||
	    EVP_CIPHER_get_iv_length(cipher) != AEAD_NONCE_LEN) {
		rc = -EINVAL;
		goto err_free_cipher;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto err_free_cipher;
	s->enc = EVP_CIPHER_CTX_new();
	s->dec = EVP_CIPHER_CTX_new();
	if (!s->enc || !s->dec)
		goto err_free_state;
	rc = -EIO;
	if (EVP_EncryptInit_ex2(s->enc, cipher, key, NULL, NULL) != 1 ||
	    EVP_DecryptInit_ex2(s->dec, cipher, key, NULL, NULL) != 1)
		goto err_free_state;
	EVP_CIPHER_free(cipher);
	*state = s;
	return 0;

err_free_state:
	ossl_free(s);
err_free_cipher:
	EVP_CIPHER_free(cipher);
	return rc;
}

static int ossl_seal(void *state, const uint8_t *nonce, const uint8_t *aad,
		     size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag)
{
	EVP_CIPHER_CTX *c = ((struct ossl_state *)state)->enc;
	int n;

	if (len > INT_MAX || aad_len > INT_MAX)
		return -EINVAL;
	if (EVP_EncryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1)
		return -EIO;
	if (aad_len && EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1)
		return -EIO;
	if (len && EVP_EncryptUpdate(c, buf, &n, buf, (int)len) != 1)
		return -EIO;
	/* GCM and ChaCha20-Poly1305 are stream modes: Final writes nothing. */
	if (EVP_EncryptFinal_ex(c, buf + len, &n) != 1)
		return -EIO;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_LEN, tag) != 1)
		return -EIO;
	return 0;
}

static int ossl_open(void *state, const uint8_t *nonce, const uint8_t *aad,
		     size_t aad_len, uint8_t *buf, size_t len,
		     const uint8_t *tag)
{
	EVP_CIPHER_CTX *c = ((struct ossl_state *)state)->dec;
	int n;

	if (len > INT_MAX || aad_len > INT_MAX)
		return -EINVAL;
	if (EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1)
		return -EIO;
	if (aad_len && EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1)
		return -EIO;
	if (len && EVP_DecryptUpdate(c, buf, &n, buf, (int)len) != 1)
		return -EIO;
	/* SET_TAG takes a non-const pointer but only reads it. */
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_LEN,
				(void *)tag) != 1)
		return -EIO;
	/* Any result other than 1 means the tag did not verify. */
	if (EVP_DecryptFinal_ex(c, buf + len, &n) != 1)
		return -EBADMSG;
	return 0;
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
