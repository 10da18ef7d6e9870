/* libgcrypt backend. The handle is opened and keyed once per context;
 * gcry_cipher_setiv resets the AEAD state for the next packet. libgcrypt
 * is the backend that offers SM4-GCM next to OpenSSL 3.0. The
 * encrypt-then-MAC suites are in etm_gcrypt.c; this file hands their
 * contexts over. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <gcrypt.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"
#include "crypto/etm_impl.h"

static const struct {
	int algo, mode;
} gcry_algs[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_GCM] = { GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM },
	[AEAD_ALG_AES_192_GCM] = { GCRY_CIPHER_AES192, GCRY_CIPHER_MODE_GCM },
	[AEAD_ALG_AES_256_GCM] = { GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM },
	[AEAD_ALG_CHACHA20_POLY1305] = { GCRY_CIPHER_CHACHA20,
					 GCRY_CIPHER_MODE_POLY1305 },
	[AEAD_ALG_SM4_GCM] = { GCRY_CIPHER_SM4, GCRY_CIPHER_MODE_GCM },
};

/* An AEAD's context has the handle, an ETM suite's only etm. */
struct gc_state {
	gcry_cipher_hd_t h;
	void *etm; /* etm_gcrypt.c's state, or NULL */
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static const char *lib_version;

/* libgcrypt must be initialised once before use. Secure memory is not
 * needed: keys of a benchmark are random and wiped on free. */
static void lib_init(void)
{
	lib_version = gcry_check_version(GCRYPT_VERSION);
	if (!lib_version)
		return;
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

static const char *gc_version(void)
{
	pthread_once(&lib_once, lib_init);
	return lib_version ? lib_version : "unusable";
}

static int gc_probe(enum aead_alg alg)
{
	pthread_once(&lib_once, lib_init);
	if (!lib_version)
		return -ENOTSUP;
	if (aead_alg_info(alg)->kind == AEAD_KIND_ETM)
		return etm_gcrypt_ops.probe(alg);
	if (!gcry_algs[alg].algo)
		return -ENOTSUP;
	if (gcry_cipher_algo_info(gcry_algs[alg].algo, GCRYCTL_TEST_ALGO,
				  NULL, NULL))
		return -ENOTSUP;
	return 0;
}

static void gc_free(void *state)
{
	struct gc_state *s = state;

	if (!s)
		return;
	/* gcry_cipher_close wipes the handle, key schedule included. */
	if (s->h)
		gcry_cipher_close(s->h);
	etm_gcrypt_ops.free(s->etm);
	free(s);
}

static int open_aead(gcry_cipher_hd_t *h, enum aead_alg alg,
		     const uint8_t *key, size_t key_len)
{
	if (gcry_cipher_open(h, gcry_algs[alg].algo, gcry_algs[alg].mode, 0))
		return -ENOMEM;
	if (gcry_cipher_setkey(*h, key, key_len))
		return -EINVAL;
	return 0;
}

static int gc_init(void **state, enum aead_alg alg, const uint8_t *key,
		   size_t key_len, size_t icv_len)
{
	struct gc_state *s;
	int rc;

	if (gc_probe(alg) < 0)
		return -ENOTSUP;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	/* AEADs: icv_len is always AEAD_TAG_LEN. */
	if (aead_alg_info(alg)->kind == AEAD_KIND_ETM)
		rc = etm_gcrypt_ops.init(&s->etm, alg, key, key_len, icv_len);
	else
		rc = open_aead(&s->h, alg, key, key_len);
	if (rc < 0) {
		gc_free(s);
		return rc;
	}
	*state = s;
	return 0;
}

/* Sets the nonce and AAD of the next packet; final marks the coming call
 * as the last piece of data, as libgcrypt's AEAD modes require. */
static int start(gcry_cipher_hd_t h, const uint8_t *nonce, const uint8_t *aad,
		 size_t aad_len)
{
	if (gcry_cipher_setiv(h, nonce, AEAD_NONCE_LEN))
		return -EIO;
	if (aad_len && gcry_cipher_authenticate(h, aad, aad_len))
		return -EIO;
	if (gcry_cipher_final(h))
		return -EIO;
	return 0;
}

/* In place when src is dst: libgcrypt's in-place form has no input. */
static int seal_op(gcry_cipher_hd_t h, const struct aead_op *op)
{
	int rc = op->tail_len ? -EINVAL : start(h, op->iv, op->aad, op->aad_len);

	if (rc < 0)
		return rc;
	if (gcry_cipher_encrypt(h, op->dst, op->len,
				op->src == op->dst ? NULL : op->src,
				op->src == op->dst ? 0 : op->len))
		return -EIO;
	if (gcry_cipher_gettag(h, op->icv, AEAD_TAG_LEN))
		return -EIO;
	return 0;
}

static int open_op(gcry_cipher_hd_t h, const struct aead_op *op)
{
	int rc = op->tail_len ? -EINVAL : start(h, op->iv, op->aad, op->aad_len);

	if (rc < 0)
		return rc;
	if (gcry_cipher_decrypt(h, op->dst, op->len,
				op->src == op->dst ? NULL : op->src,
				op->src == op->dst ? 0 : op->len))
		return -EIO;
	if (gcry_cipher_checktag(h, op->icv, AEAD_TAG_LEN))
		return -EBADMSG;
	return 0;
}

static int gc_seal(void *state, struct aead_op *op)
{
	struct gc_state *s = state;

	if (s->etm)
		return etm_gcrypt_ops.seal(s->etm, op);
	return op->status = seal_op(s->h, op);
}

static int gc_open(void *state, struct aead_op *op)
{
	struct gc_state *s = state;

	if (s->etm)
		return etm_gcrypt_ops.open(s->etm, op);
	return op->status = open_op(s->h, op);
}

const struct aead_backend_ops aead_gcrypt_ops = {
	.name = "gcrypt",
	.version = gc_version,
	.library = "gcrypt",
	.probe = gc_probe,
	.init = gc_init,
	.seal = gc_seal,
	.open = gc_open,
	.free = gc_free,
};
