/* Encrypt-then-MAC suites on OpenSSL 3 (default provider): AES-CBC, AES-CTR
 * and SM4-CBC through EVP_CIPHER, HMAC through EVP_MAC. Cipher and MAC are
 * keyed once per context; an operation only sets the cipher's IV and
 * restarts the MAC from its keyed state. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"
#include "crypto/etm_impl.h"

/* ZUC is not in OpenSSL. */
static const struct {
	const char *cipher, *digest;
} names[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_CBC_HMAC_SHA1] = { "AES-128-CBC", "SHA1" },
	[AEAD_ALG_AES_128_CBC_HMAC_SHA256] = { "AES-128-CBC", "SHA2-256" },
	[AEAD_ALG_AES_256_CBC_HMAC_SHA256] = { "AES-256-CBC", "SHA2-256" },
	[AEAD_ALG_AES_128_CTR_HMAC_SHA256] = { "AES-128-CTR", "SHA2-256" },
	[AEAD_ALG_SM4_CBC_HMAC_SM3] = { "SM4-CBC", "SM3" },
};

/* An EVP_CIPHER_CTX is keyed for one direction, so there are two. */
struct etm_ossl {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	EVP_MAC_CTX *mac;
	const struct aead_info *info;
	size_t icv_len;
	/* AES-CTR: the counter block, whose IV part each operation sets. */
	uint8_t ctr[ETM_CTR_BLOCK];
};

static int eo_probe(enum aead_alg alg)
{
	EVP_CIPHER *cipher;
	EVP_MD *md;
	EVP_MAC *mac;
	int rc = -ENOTSUP;

	if (!names[alg].cipher)
		return -ENOTSUP;
	cipher = EVP_CIPHER_fetch(NULL, names[alg].cipher, NULL);
	md = EVP_MD_fetch(NULL, names[alg].digest, NULL);
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (cipher && md && mac)
		rc = 0;
	EVP_CIPHER_free(cipher);
	EVP_MD_free(md);
	EVP_MAC_free(mac);
	return rc;
}

static void eo_free(void *state)
{
	struct etm_ossl *s = state;

	if (!s)
		return;
	/* The contexts' free functions cleanse the key schedules and the
	 * HMAC key; the counter block holds the CTR nonce. */
	EVP_CIPHER_CTX_free(s->enc);
	EVP_CIPHER_CTX_free(s->dec);
	EVP_MAC_CTX_free(s->mac);
	explicit_bzero(s, sizeof(*s));
	free(s);
}

/* Keys one direction. Padding is off for good: EVP_CipherInit_ex2 with
 * only an IV keeps it (checked on 3.0), and without a Final call no
 * padding block is ever written, whatever the setting. */
static int key_cipher(EVP_CIPHER_CTX **c, const EVP_CIPHER *cipher,
		      const uint8_t *key, int is_enc)
{
	*c = EVP_CIPHER_CTX_new();
	if (!*c)
		return -ENOMEM;
	if (EVP_CipherInit_ex2(*c, cipher, key, NULL, is_enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(*c, 0) != 1)
		return -EIO;
	return 0;
}

/* HMAC keyed once: EVP_MAC_init with no key later restarts from the
 * keyed inner and outer states without hashing the key again. */
static int key_mac(struct etm_ossl *s, const char *digest, const uint8_t *key,
		   size_t key_len)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)digest, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t mac_len;

	if (!mac)
		return -ENOTSUP;
	s->mac = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac); /* the context holds its own reference */
	if (!s->mac)
		return -ENOMEM;
	if (EVP_MAC_init(s->mac, key, key_len, params) != 1)
		return -EIO;
	/* The MAC is read whole into an AEAD_ICV_MAX buffer, then cut. */
	mac_len = EVP_MAC_CTX_get_mac_size(s->mac);
	if (mac_len < s->icv_len || mac_len > AEAD_ICV_MAX)
		return -EINVAL;
	return 0;
}

static int eo_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	const struct aead_info *a = aead_alg_info(alg);
	EVP_CIPHER *cipher;
	struct etm_ossl *s;
	int rc = -ENOTSUP;

	(void)key_len; /* the parts' sum, checked by aead.c */
	if (!names[alg].cipher)
		return -ENOTSUP;
	cipher = EVP_CIPHER_fetch(NULL, names[alg].cipher, NULL);
	if (!cipher)
		return -ENOTSUP;
	/* The table of aead.c and the library agree, or nothing works:
	 * the IV is the one sent (CBC) or the counter block (CTR). */
	rc = -EINVAL;
	if ((size_t)EVP_CIPHER_get_key_length(cipher) != a->enc_key_len ||
	    (size_t)EVP_CIPHER_get_iv_length(cipher) !=
		    (a->nonce_len ? ETM_CTR_BLOCK : a->iv_len))
		goto err_free_cipher;
	rc = -ENOMEM;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto err_free_cipher;
	s->info = a;
	s->icv_len = icv_len;
	if (a->nonce_len)
		etm_ctr_start(s->ctr, key + a->enc_key_len);
	rc = key_cipher(&s->enc, cipher, key, 1);
	if (rc == 0)
		rc = key_cipher(&s->dec, cipher, key, 0);
	if (rc == 0)
		rc = key_mac(s, names[alg].digest,
			     key + a->enc_key_len + a->nonce_len,
			     a->auth_key_len);
	if (rc < 0)
		goto err_free_state;
	EVP_CIPHER_free(cipher);
	*state = s;
	return 0;

err_free_state:
	eo_free(s);
err_free_cipher:
	EVP_CIPHER_free(cipher);
	return rc;
}

/* Encrypts or decrypts op->src into op->dst (the direction is c's). */
static int apply_cipher(struct etm_ossl *s, EVP_CIPHER_CTX *c,
			const struct aead_op *op)
{
	const uint8_t *iv = op->iv;
	int n;

	if (!op->len)
		return 0;
	if (s->info->nonce_len) {
		etm_ctr_set_iv(s->ctr, op->iv);
		iv = s->ctr;
	}
	if (EVP_CipherInit_ex2(c, NULL, NULL, iv, -1, NULL) != 1)
		return -EIO;
	/* With padding off, every whole block comes out of Update. */
	if (EVP_CipherUpdate(c, op->dst, &n, op->src, (int)op->len) != 1 ||
	    (size_t)n != op->len)
		return -EIO;
	return 0;
}

/* The whole MAC over op's pieces with ciphertext ct, into out. */
static int mac(struct etm_ossl *s, const struct aead_op *op,
	       const uint8_t *ct, uint8_t out[AEAD_ICV_MAX])
{
	struct etm_piece in[ETM_MAC_PIECES];
	size_t pieces = etm_mac_input(in, op, s->info->iv_len, ct), n;

	if (EVP_MAC_init(s->mac, NULL, 0, NULL) != 1)
		return -EIO;
	for (size_t i = 0; i < pieces; i++)
		if (EVP_MAC_update(s->mac, in[i].p, in[i].len) != 1)
			return -EIO;
	if (EVP_MAC_final(s->mac, out, &n, AEAD_ICV_MAX) != 1)
		return -EIO;
	return 0;
}

static int check(const struct etm_ossl *s, const struct aead_op *op)
{
	if (op->len % s->info->block || op->len > INT_MAX)
		return -EINVAL;
	return 0;
}

static int seal_op(struct etm_ossl *s, const struct aead_op *op)
{
	uint8_t full[AEAD_ICV_MAX];
	int rc = check(s, op);

	if (rc == 0)
		rc = apply_cipher(s, s->enc, op);
	if (rc == 0)
		rc = mac(s, op, op->dst, full);
	if (rc == 0)
		memcpy(op->icv, full, s->icv_len);
	return rc;
}

/* The ICV first: nothing is decrypted unless it authenticates. */
static int open_op(struct etm_ossl *s, const struct aead_op *op)
{
	uint8_t full[AEAD_ICV_MAX];
	int rc = check(s, op);

	if (rc == 0)
		rc = mac(s, op, op->src, full);
	if (rc == 0)
		rc = aead_icv_cmp(full, op->icv, s->icv_len);
	if (rc == 0)
		rc = apply_cipher(s, s->dec, op);
	return rc;
}

static int eo_seal(void *state, struct aead_op *op)
{
	return op->status = seal_op(state, op);
}

static int eo_open(void *state, struct aead_op *op)
{
	return op->status = open_op(state, op);
}

const struct aead_backend_ops etm_openssl_ops = {
	.probe = eo_probe,
	.init = eo_init,
	.seal = eo_seal,
	.open = eo_open,
	.free = eo_free,
};
