/* Encrypt-then-MAC suites on libgcrypt: AES-CBC, AES-CTR and SM4-CBC with
 * HMAC (SHA-1, SHA-256, SM3) through gcry_mac. Cipher and MAC handles are
 * keyed once per context; an operation sets the IV or counter and resets
 * the MAC to its keyed state. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"
#include "crypto/etm_impl.h"

/* ZUC is not in libgcrypt. */
static const struct {
	int cipher, mode, mac;
} algos[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_CBC_HMAC_SHA1] = { GCRY_CIPHER_AES128,
					     GCRY_CIPHER_MODE_CBC,
					     GCRY_MAC_HMAC_SHA1 },
	[AEAD_ALG_AES_128_CBC_HMAC_SHA256] = { GCRY_CIPHER_AES128,
					       GCRY_CIPHER_MODE_CBC,
					       GCRY_MAC_HMAC_SHA256 },
	[AEAD_ALG_AES_256_CBC_HMAC_SHA256] = { GCRY_CIPHER_AES256,
					       GCRY_CIPHER_MODE_CBC,
					       GCRY_MAC_HMAC_SHA256 },
	[AEAD_ALG_AES_128_CTR_HMAC_SHA256] = { GCRY_CIPHER_AES128,
					       GCRY_CIPHER_MODE_CTR,
					       GCRY_MAC_HMAC_SHA256 },
	[AEAD_ALG_SM4_CBC_HMAC_SM3] = { GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_CBC,
					GCRY_MAC_HMAC_SM3 },
};

/* One cipher handle does both directions: the IV or counter is set
 * before every operation anyway. */
struct etm_gc {
	gcry_cipher_hd_t cipher;
	gcry_mac_hd_t mac;
	const struct aead_info *info;
	size_t icv_len;
	/* AES-CTR: the counter block, whose IV part each operation sets. */
	uint8_t ctr[ETM_CTR_BLOCK];
};

static int eg_probe(enum aead_alg alg)
{
	if (!algos[alg].cipher)
		return -ENOTSUP;
	if (gcry_cipher_algo_info(algos[alg].cipher, GCRYCTL_TEST_ALGO, NULL,
				  NULL) ||
	    gcry_mac_test_algo(algos[alg].mac))
		return -ENOTSUP;
	return 0;
}

static void eg_free(void *state)
{
	struct etm_gc *s = state;

	if (!s)
		return;
	/* Closing wipes the handles, key schedule and HMAC pads included;
	 * the counter block holds the CTR nonce. */
	if (s->cipher)
		gcry_cipher_close(s->cipher);
	if (s->mac)
		gcry_mac_close(s->mac);
	explicit_bzero(s, sizeof(*s));
	free(s);
}

static int eg_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	const struct aead_info *a = aead_alg_info(alg);
	struct etm_gc *s;

	(void)key_len; /* the parts' sum, checked by aead.c */
	if (eg_probe(alg) < 0)
		return -ENOTSUP;
	/* The table of aead.c and the library agree, or nothing works;
	 * the MAC is read into an AEAD_ICV_MAX buffer. */
	if (gcry_cipher_get_algo_keylen(algos[alg].cipher) != a->enc_key_len ||
	    gcry_mac_get_algo_maclen(algos[alg].mac) < icv_len ||
	    gcry_mac_get_algo_maclen(algos[alg].mac) > AEAD_ICV_MAX)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->info = a;
	s->icv_len = icv_len;
	if (a->nonce_len)
		etm_ctr_start(s->ctr, key + a->enc_key_len);
	if (gcry_cipher_open(&s->cipher, algos[alg].cipher, algos[alg].mode, 0) ||
	    gcry_mac_open(&s->mac, algos[alg].mac, 0, NULL))
		goto err_free;
	if (gcry_cipher_setkey(s->cipher, key, a->enc_key_len) ||
	    gcry_mac_setkey(s->mac, key + a->enc_key_len + a->nonce_len,
			    a->auth_key_len))
		goto err_free;
	*state = s;
	return 0;

err_free:
	eg_free(s);
	return -EIO;
}

/* In place when src is dst: libgcrypt's in-place form has no input. */
static int apply_cipher(struct etm_gc *s, const struct aead_op *op, int is_enc)
{
	const uint8_t *in = op->src == op->dst ? NULL : op->src;
	size_t in_len = in ? op->len : 0;
	gcry_error_t err;

	if (!op->len)
		return 0;
	if (s->info->nonce_len) {
		etm_ctr_set_iv(s->ctr, op->iv);
		err = gcry_cipher_setctr(s->cipher, s->ctr, ETM_CTR_BLOCK);
	} else {
		err = gcry_cipher_setiv(s->cipher, op->iv, s->info->iv_len);
	}
	if (err)
		return -EIO;
	err = is_enc ? gcry_cipher_encrypt(s->cipher, op->dst, op->len, in,
					   in_len)
		     : gcry_cipher_decrypt(s->cipher, op->dst, op->len, in,
					   in_len);
	return err ? -EIO : 0;
}

/* The MAC over op's pieces with ciphertext ct, icv_len bytes into out
 * (libgcrypt's HMAC read truncates to the length asked for). */
static int mac(struct etm_gc *s, const struct aead_op *op, const uint8_t *ct,
	       uint8_t *out)
{
	struct etm_piece in[ETM_MAC_PIECES];
	size_t pieces = etm_mac_input(in, op, s->info->iv_len, ct);
	size_t n = s->icv_len;

	if (gcry_mac_reset(s->mac))
		return -EIO;
	for (size_t i = 0; i < pieces; i++)
		if (gcry_mac_write(s->mac, in[i].p, in[i].len))
			return -EIO;
	if (gcry_mac_read(s->mac, out, &n) || n != s->icv_len)
		return -EIO;
	return 0;
}

static int seal_op(struct etm_gc *s, const struct aead_op *op)
{
	int rc = op->len % s->info->block ? -EINVAL : 0;

	if (rc == 0)
		rc = apply_cipher(s, op, 1);
	if (rc == 0)
		rc = mac(s, op, op->dst, op->icv);
	return rc;
}

/* The ICV first: nothing is decrypted unless it authenticates. */
static int open_op(struct etm_gc *s, const struct aead_op *op)
{
	uint8_t icv[AEAD_ICV_MAX];
	int rc = op->len % s->info->block ? -EINVAL : 0;

	if (rc == 0)
		rc = mac(s, op, op->src, icv);
	if (rc == 0)
		rc = aead_icv_cmp(icv, op->icv, s->icv_len);
	if (rc == 0)
		rc = apply_cipher(s, op, 0);
	return rc;
}

static int eg_seal(void *state, struct aead_op *op)
{
	return op->status = seal_op(state, op);
}

static int eg_open(void *state, struct aead_op *op)
{
	return op->status = open_op(state, op);
}

const struct aead_backend_ops etm_gcrypt_ops = {
	.probe = eg_probe,
	.init = eg_init,
	.seal = eg_seal,
	.open = eg_open,
	.free = eg_free,
};
