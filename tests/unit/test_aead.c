/* AEAD layer: round trips at awkward sizes on every AEAD × backend pair
 * that works here, rejection of changed tag, AAD and ciphertext,
 * agreement between backends, and refusal of bad names and keys. The
 * encrypt-then-MAC suites have their own test, test_etm. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "tests/unit/helpers.h"

enum { AAD_LEN = 13 }; /* TLS-like: not a multiple of 16 */

static const size_t sizes[] = { 0, 1, 15, 16, 17, 63, 64, 1420, 16384 };

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed);
}

/* Restores the plaintext and seals it again, so a forgery starts from a
 * valid (ciphertext, tag) pair. */
static void reseal(struct aead_ctx *c, const uint8_t *nonce,
		   const uint8_t *aad, uint8_t *buf, const uint8_t *ref,
		   size_t n, uint8_t *tag, const char *alg, const char *be)
{
	memcpy(buf, ref, n);
	t_check(aead_seal(c, nonce, aad, AAD_LEN, buf, n, tag) == 0,
		"%s/%s size %zu: reseal", alg, be, n);
}

static void round_trip(const char *alg, const char *be)
{
	uint8_t key[AEAD_KEY_MAX], nonce[AEAD_NONCE_LEN], aad[AAD_LEN], tag[16];
	size_t klen = aead_key_len(alg);
	uint8_t *buf = malloc(16384), *ref = malloc(16384);
	struct aead_ctx *c;
	int is_null = strcmp(alg, "null") == 0;

	fill(key, sizeof(key), 1);
	fill(nonce, sizeof(nonce), 2);
	fill(aad, sizeof(aad), 3);
	t_check(aead_ctx_new(&c, alg, be, key, klen) == 0, "%s/%s: new", alg, be);
	if (!c)
		goto out;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];

		fill(ref, n, 4);
		memcpy(buf, ref, n);
		t_check(aead_seal(c, nonce, aad, sizeof(aad), buf, n, tag) == 0,
			"%s/%s size %zu: seal", alg, be, n);
		if (n >= 16 && !is_null)
			t_check(memcmp(buf, ref, n) != 0,
				"%s/%s size %zu: seal left plaintext", alg, be, n);
		t_check(aead_open(c, nonce, aad, sizeof(aad), buf, n, tag) == 0,
			"%s/%s size %zu: open", alg, be, n);
		t_check(n == 0 || memcmp(buf, ref, n) == 0,
			"%s/%s size %zu: round trip differs", alg, be, n);

		/* Forgeries, one changed bit each: the tag always; AAD,
		 * nonce and ciphertext where the algorithm authenticates
		 * them (null checks only its tag). */
		const struct {
			const char *what;
			uint8_t *byte;
			uint8_t mask;
		} forged[] = {
			{ "tag", &tag[3], 0x10 },
			{ "AAD", &aad[0], 0x01 },
			{ "nonce", &nonce[11], 0x01 },
			{ "ciphertext", n ? &buf[n - 1] : NULL, 0x80 },
		};
		for (size_t f = 0; f < NCB_ARRAY_SIZE(forged); f++) {
			if (!forged[f].byte || (is_null && f > 0))
				continue;
			reseal(c, nonce, aad, buf, ref, n, tag, alg, be);
			*forged[f].byte ^= forged[f].mask;
			t_check(aead_open(c, nonce, aad, sizeof(aad), buf, n,
					  tag) == -EBADMSG,
				"%s/%s size %zu: changed %s accepted", alg, be,
				n, forged[f].what);
			*forged[f].byte ^= forged[f].mask;
		}
	}
	aead_ctx_free(c);
out:
	free(buf);
	free(ref);
}

/* Sealed by one backend, opened by another: same bytes on the wire. */
static void cross(const char *alg, const char *a, const char *b)
{
	uint8_t key[AEAD_KEY_MAX], nonce[AEAD_NONCE_LEN], aad[8], tag[16];
	uint8_t buf[1420], ref[1420];
	struct aead_ctx *ca, *cb;

	fill(key, sizeof(key), 9);
	fill(nonce, sizeof(nonce), 8);
	fill(aad, sizeof(aad), 7);
	fill(ref, sizeof(ref), 6);
	memcpy(buf, ref, sizeof(buf));
	if (aead_ctx_new(&ca, alg, a, key, aead_key_len(alg)) < 0 ||
	    aead_ctx_new(&cb, alg, b, key, aead_key_len(alg)) < 0) {
		t_check(0, "%s: contexts for %s and %s", alg, a, b);
		return;
	}
	t_check(aead_seal(ca, nonce, aad, sizeof(aad), buf, sizeof(buf), tag) == 0 &&
			aead_open(cb, nonce, aad, sizeof(aad), buf, sizeof(buf),
				  tag) == 0 &&
			memcmp(buf, ref, sizeof(buf)) == 0,
		"%s: sealed by %s, opened by %s", alg, a, b);
	aead_ctx_free(ca);
	aead_ctx_free(cb);
}

int main(void)
{
	uint8_t key[32] = { 0 };
	struct aead_ctx *c;
	unsigned pairs = 0;

	for (size_t a = 0; a < aead_alg_count(); a++)
		for (size_t b = 0; b < aead_backend_count(); b++)
			if (aead_info(aead_alg_name(a))->kind == AEAD_KIND_AEAD &&
			    aead_probe(aead_alg_name(a), aead_backend_name(b)) == 0) {
				round_trip(aead_alg_name(a), aead_backend_name(b));
				pairs++;
			}
	/* OpenSSL 3.0 and libgcrypt both offer these on any x86-64/arm64. */
	t_check(pairs >= 8, "only %u algorithm/backend pairs work", pairs);
	cross("aes-128-gcm", "openssl", "gcrypt");
	cross("aes-256-gcm", "gcrypt", "openssl");
	cross("chacha20-poly1305", "openssl", "gcrypt");
	t_check(aead_probe("sm4-gcm", "gcrypt") == 0, "gcrypt offers sm4-gcm");
	if (aead_probe("sm4-gcm", "openssl") == 0)
		cross("sm4-gcm", "openssl", "gcrypt");

	t_check(aead_ctx_new(&c, "aes-128-gcm", "openssl", key, 32) == -EINVAL && !c,
		"wrong key length refused");
	t_check(aead_ctx_new(&c, "aes-999-gcm", "openssl", key, 16) == -ENOENT,
		"unknown algorithm refused");
	t_check(aead_ctx_new(&c, "aes-128-gcm", "nope", key, 16) == -ENOENT,
		"unknown backend refused");
	t_check(aead_probe("aes-128-gcm", "null") == -ENOTSUP,
		"null backend offers no cipher");
	t_check(aead_ctx_new(&c, "null", "openssl", key, 16) == -ENOTSUP,
		"pair not offered refused");
	aead_ctx_free(NULL);
	return t_done("test_aead");
}
