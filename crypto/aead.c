/* AEAD front end: algorithm and backend tables, context life cycle, and the
 * thin per-packet dispatch to a backend. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

#define AEAD_SUITE(n, k, std) \
	{ .name = (n), .kind = AEAD_KIND_AEAD, .key_len = (k),            \
	  .enc_key_len = (k), .iv_len = AEAD_NONCE_LEN,                   \
	  .icv_len = AEAD_TAG_LEN, .icv_max = AEAD_TAG_LEN, .block = 1,   \
	  .standard = (std) }
#define ETM_SUITE(n, ek, nl, ak, iv, icv, max, blk, std) \
	{ .name = (n), .kind = AEAD_KIND_ETM,                             \
	  .key_len = (ek) + (nl) + (ak), .enc_key_len = (ek),             \
	  .nonce_len = (nl), .auth_key_len = (ak), .iv_len = (iv),        \
	  .icv_len = (icv), .icv_max = (max), .block = (blk),             \
	  .standard = (std) }

static const struct aead_info algs[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_GCM] = AEAD_SUITE("aes-128-gcm", 16, "NIST SP 800-38D"),
	[AEAD_ALG_AES_192_GCM] = AEAD_SUITE("aes-192-gcm", 24, "NIST SP 800-38D"),
	[AEAD_ALG_AES_256_GCM] = AEAD_SUITE("aes-256-gcm", 32, "NIST SP 800-38D"),
	[AEAD_ALG_CHACHA20_POLY1305] =
		AEAD_SUITE("chacha20-poly1305", 32, "RFC 8439"),
	[AEAD_ALG_SM4_GCM] = AEAD_SUITE("sm4-gcm", 16, "RFC 8998"),
	/* HMAC-SHA1-96 (RFC 2404); SHA-256-128 (RFC 4868); the key sizes
	 * are the RFCs' (the MAC's output length). */
	[AEAD_ALG_AES_128_CBC_HMAC_SHA1] =
		ETM_SUITE("aes-128-cbc-hmac-sha1", 16, 0, 20, 16, 12, 20, 16,
			  "RFC 3602 + RFC 2404"),
	[AEAD_ALG_AES_128_CBC_HMAC_SHA256] =
		ETM_SUITE("aes-128-cbc-hmac-sha256", 16, 0, 32, 16, 16, 32, 16,
			  "RFC 3602 + RFC 4868"),
	[AEAD_ALG_AES_256_CBC_HMAC_SHA256] =
		ETM_SUITE("aes-256-cbc-hmac-sha256", 32, 0, 32, 16, 16, 32, 16,
			  "RFC 3602 + RFC 4868"),
	[AEAD_ALG_AES_128_CTR_HMAC_SHA256] =
		ETM_SUITE("aes-128-ctr-hmac-sha256", 16, 4, 32, 8, 16, 32, 1,
			  "RFC 3686 + RFC 4868"),
	/* GM/T 0022 truncates to 96 bits; Linux keeps all 256. */
	[AEAD_ALG_SM4_CBC_HMAC_SM3] =
		ETM_SUITE("sm4-cbc-hmac-sm3", 16, 0, 32, 16, 12, 32, 16,
			  "GM/T 0022 (SM4-CBC, HMAC-SM3)"),
	[AEAD_ALG_ZUC_128] = ETM_SUITE("zuc-128", 16, 0, 16, 8, 4, 4, 1,
				       "3GPP TS 35.221 (128-EEA3, 128-EIA3)"),
	[AEAD_ALG_NULL] = AEAD_SUITE("null", 16, "no cipher"),
};

/* Preference order: the first backend offering an algorithm is its
 * default. */
static const struct aead_backend_ops *const backends[] = {
	&aead_openssl_ops,
	&aead_gcrypt_ops,
	&aead_ipsecmb_ops,
	&aead_sodium_ops,
	&aead_null_ops,
};

/* aead_wipe_hold() calls not yet released on this thread. */
static _Thread_local unsigned wipe_held;

struct aead_ctx {
	const struct aead_backend_ops *ops;
	void *state;
	const struct aead_info *info;
	size_t icv_len;
};

size_t aead_alg_count(void)
{
	return AEAD_ALG_COUNT;
}

const char *aead_alg_name(size_t i)
{
	return i < AEAD_ALG_COUNT ? algs[i].name : NULL;
}

static int find_alg(const char *name)
{
	for (int i = 0; i < AEAD_ALG_COUNT; i++)
		if (strcmp(algs[i].name, name) == 0)
			return i;
	return -ENOENT;
}

size_t aead_key_len(const char *alg)
{
	int i = find_alg(alg);

	return i < 0 ? 0 : algs[i].key_len;
}

const struct aead_info *aead_info(const char *alg)
{
	int i = find_alg(alg);

	return i < 0 ? NULL : &algs[i];
}

const struct aead_info *aead_alg_info(enum aead_alg alg)
{
	return &algs[alg];
}

int aead_check_icv_len(const char *alg, size_t icv_len)
{
	const struct aead_info *a = aead_info(alg);

	if (!a)
		return -ENOENT;
	if (icv_len == 0 || icv_len == a->icv_len)
		return 0;
	/* Truncations the RFCs define: not below half the MAC's output
	 * (RFC 2104 §5) and never below 96 bits for HMAC. */
	if (a->kind != AEAD_KIND_ETM || icv_len > a->icv_max ||
	    icv_len % 2 || icv_len < 12 || icv_len < a->icv_max / 2)
		return -EINVAL;
	return 0;
}

int aead_icv_cmp(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff ? -EBADMSG : 0;
}

size_t aead_backend_count(void)
{
	return NCB_ARRAY_SIZE(backends);
}

const char *aead_backend_name(size_t i)
{
	return i < NCB_ARRAY_SIZE(backends) ? backends[i]->name : NULL;
}

const char *aead_backend_library(size_t i)
{
	return i < NCB_ARRAY_SIZE(backends) ? backends[i]->library : NULL;
}

static const struct aead_backend_ops *find_backend(const char *name)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(backends); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

const char *aead_backend_version(const char *backend)
{
	const struct aead_backend_ops *ops = find_backend(backend);

	return ops ? ops->version() : NULL;
}

int aead_probe(const char *alg, const char *backend)
{
	const struct aead_backend_ops *ops = find_backend(backend);
	int a = find_alg(alg);

	if (!ops || a < 0)
		return -ENOENT;
	return ops->probe((enum aead_alg)a);
}

size_t aead_max_len(const char *alg, const char *backend)
{
	const struct aead_backend_ops *ops = find_backend(backend);
	int a = find_alg(alg);

	if (!ops || a < 0 || !ops->max_len)
		return 0;
	return ops->max_len((enum aead_alg)a);
}

int aead_ctx_open(struct aead_ctx **out, const struct aead_spec *spec)
{
	const struct aead_backend_ops *ops = find_backend(spec->backend);
	int a = find_alg(spec->alg);
	size_t icv_len = spec->icv_len;
	struct aead_ctx *c;
	int rc;

	*out = NULL;
	if (!ops || a < 0)
		return -ENOENT;
	if (spec->key_len != algs[a].key_len ||
	    aead_check_icv_len(spec->alg, icv_len) < 0)
		return -EINVAL;
	if (!icv_len)
		icv_len = algs[a].icv_len;
	rc = ops->probe((enum aead_alg)a);
	if (rc < 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ops = ops;
	c->info = &algs[a];
	c->icv_len = icv_len;
	rc = ops->init(&c->state, (enum aead_alg)a, spec->key, spec->key_len,
		       icv_len);
	/* The key schedule is in the context now; the library's scratch
	 * copies are below this frame. */
	if (!wipe_held)
		aead_wipe_stack();
	if (rc < 0) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int aead_ctx_new(struct aead_ctx **out, const char *alg, const char *backend,
		 const uint8_t *key, size_t key_len)
{
	const struct aead_spec spec = { alg, backend, key, key_len, 0 };

	return aead_ctx_open(out, &spec);
}

const struct aead_info *aead_ctx_info(const struct aead_ctx *c)
{
	return c->info;
}

size_t aead_ctx_icv_len(const struct aead_ctx *c)
{
	return c->icv_len;
}

unsigned aead_seal_burst(struct aead_ctx *c, struct aead_op *ops, unsigned n)
{
	unsigned ok = 0;

	if (c->ops->seal_burst)
		return c->ops->seal_burst(c->state, ops, n);
	for (unsigned i = 0; i < n; i++)
		ok += c->ops->seal(c->state, &ops[i]) == 0;
	return ok;
}

unsigned aead_open_burst(struct aead_ctx *c, struct aead_op *ops, unsigned n)
{
	unsigned ok = 0;

	if (c->ops->open_burst)
		return c->ops->open_burst(c->state, ops, n);
	for (unsigned i = 0; i < n; i++)
		ok += c->ops->open(c->state, &ops[i]) == 0;
	return ok;
}

/* The one-buffer calls are bursts of one in place; the op lives on the
 * stack, and the tag pointer loses const only for the op's sake (open
 * reads it). */
int aead_seal(struct aead_ctx *c, const uint8_t *nonce, const uint8_t *aad,
	      size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag)
{
	struct aead_op op = { .iv = nonce, .aad = aad, .aad_len = aad_len,
			      .src = buf, .dst = buf, .len = len, .icv = tag };

	return c->ops->seal(c->state, &op);
}

int aead_open(struct aead_ctx *c, const uint8_t *nonce, const uint8_t *aad,
	      size_t aad_len, uint8_t *buf, size_t len, const uint8_t *tag)
{
	struct aead_op op = { .iv = nonce, .aad = aad, .aad_len = aad_len,
			      .src = buf, .dst = buf, .len = len,
			      .icv = (uint8_t *)tag };

	return c->ops->open(c->state, &op);
}

void aead_ctx_free(struct aead_ctx *c)
{
	if (!c)
		return;
	c->ops->free(c->state);
	free(c);
}

/* noinline: the buffer must lie below the caller's frame, where the
 * library's frames were; explicit_bzero is never optimised away. */
__attribute__((noinline)) void aead_wipe_stack(void)
{
	uint8_t pad[AEAD_STACK_WIPE];

	explicit_bzero(pad, sizeof(pad));
}

void aead_wipe_hold(void)
{
	wipe_held++;
}

/* noinline: the wipe must start below the frame of our caller, which
 * made the contexts. */
__attribute__((noinline)) void aead_wipe_release(void)
{
	if (wipe_held && --wipe_held == 0)
		aead_wipe_stack();
}
