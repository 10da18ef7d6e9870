/* libFuzzer target for MACsec decapsulation. Input: one configuration
 * byte, then frames as (2-byte big-endian length, bytes), decapsulated in
 * order through one receive SA so the replay window carries state between
 * them. Each frame is copied into a buffer of exactly its length, so ASan
 * sees any read or write past it. The null AEAD (zero ICV) lets inputs
 * through to PN recovery and the window; a real AEAD covers the rest. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/macsec.h"
#include "tests/fuzz/frames.h"

enum { CONFIGS = 32 };

static struct macsec_sa *sa_for(uint8_t cfg)
{
	static struct macsec_sa *cache[CONFIGS];
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t salt[MACSEC_SALT_LEN] = { 9, 9, 9, 9 };
	/* Explicit SCI; MAC SA 02:00:00:00:00:aa | 00 01 for ES. */
	static const uint8_t sci[2][MACSEC_SCI_LEN] = {
		{ 0x12, 0x15, 0x35, 0x24, 0xc0, 0x89, 0x5e, 0x81 },
		{ 0x02, 0, 0, 0, 0, 0xaa, 0, 1 },
	};
	static const unsigned tcis[4] = { MACSEC_TCI_SC, MACSEC_TCI_ES, 0,
					   MACSEC_TCI_SCB };
	unsigned i = cfg % CONFIGS, is_aes = (i & 3) == 3;

	/* A fresh window per input keeps runs reproducible. */
	macsec_sa_free(cache[i]);
	cache[i] = NULL;
	struct macsec_sa_cfg c = {
		.aead.alg = is_aes ? "aes-128-gcm" : "null",
		.aead.backend = is_aes ? "openssl" : "null",
		.aead.key = key,
		.aead.key_len = 16, /* aes-128-gcm and null alike */
		.sci = sci[((i >> 2) & 3) == 1],
		.tci = tcis[(i >> 2) & 3],
		.an = i & 1,
		.is_integrity = (i >> 4) & 1,
		.is_xpn = (i >> 1) & 1,
		.ssci = 0x7a30c118,
		.salt = salt,
		.replay_window = (i & 3) == 1 ? 0 : 64,
		.pn_start = (i >> 1) & 1 ? 0xfffffff0ull : 0,
	};
	if (macsec_sa_new(&cache[i], &c) < 0)
		abort();
	return cache[i];
}

static struct fuzz_view one(void *ctx, uint8_t *p, size_t len)
{
	struct macsec_decap_out out;

	if (macsec_decap(ctx, p, len, &out) != MACSEC_V_OK)
		return (struct fuzz_view){ NULL, 0 };
	return (struct fuzz_view){ out.user, out.user_len };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_frames(data + 1, size - 1, sa_for(data[0]), one);
	return 0;
}
