/* AEAD front end: algorithm and backend tables, context life cycle, and the
 * thin per-packet dispatch to a backend. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

static const struct {
	const char *name;
	size_t key_len;
} algs[AEAD_ALG_COUNT] = {
	[AEAD_ALG_AES_128_GCM] = { "aes-128-gcm", 16 },
	[AEAD_ALG_AES_192_GCM] = { "aes-192-gcm", 24 },
	[AEAD_ALG_AES_256_GCM] = { "aes-256-gcm", 32 },
	[AEAD_ALG_CHACHA20_POLY1305] = { "chacha20-poly1305", 32 },
	[AEAD_ALG_SM4_GCM] = { "sm4-gcm", 16 },
	[AEAD_ALG_NULL] = { "null", 16 },
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

struct aead_ctx {
	const struct aead_backend_ops *ops;
	void *state;
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

int aead_ctx_new(struct aead_ctx **out, const char *alg, const char *backend,
		 const uint8_t *key, size_t key_len)
{
	const struct aead_backend_ops *ops = find_backend(backend);
	int a = find_alg(alg);
	struct aead_ctx *c;
	int rc;

	*out = NULL;
	if (!ops || a < 0)
		return -ENOENT;
	if (key_len != algs[a].key_len)
		return -EINVAL;
	rc = ops->probe((enum aead_alg)a);
	if (rc < 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ops = ops;
	rc = ops->init(&c->state, (enum aead_alg)a, key, key_len);
	/* The key schedule is in the context now; the library's scratch
	 * copies are below this frame. */
	aead_wipe_stack();
	if (rc < 0) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int aead_seal(struct aead_ctx *c, const uint8_t *nonce, const uint8_t *aad,
	      size_t aad_len, uint8_t *buf, size_t len, uint8_t *tag)
{
	return c->ops->seal(c->state, nonce, aad, aad_len, buf, len, tag);
}

int aead_open(struct aead_ctx *c, const uint8_t *nonce, const uint8_t *aad,
	      size_t aad_len, uint8_t *buf, size_t len, const uint8_t *tag)
{
	return c->ops->open(c->state, nonce, aad, aad_len, buf, len, tag);
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
