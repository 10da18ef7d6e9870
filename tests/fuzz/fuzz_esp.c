/* libFuzzer target for ESP decapsulation. Input: one configuration byte,
 * then packets as (2-byte big-endian length, bytes), decapsulated in order
 * through one SA so the replay window carries state between them. Each
 * packet is copied into a buffer of exactly its length, so ASan sees any
 * read or write past it. The null AEAD (zero tag) lets inputs get past the
 * ICV into the trailer checks; a real AEAD covers the reject paths. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/esp.h"
#include "tests/fuzz/frames.h"

enum { SPI = 0x100, CONFIGS = 16 };

static struct esp_sa *sa_for(uint8_t cfg)
{
	static struct esp_sa *cache[CONFIGS];
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t salt[4] = { 9, 9, 9, 9 };
	unsigned i = cfg % CONFIGS;

	/* A fresh window per input keeps runs reproducible. */
	esp_sa_free(cache[i]);
	cache[i] = NULL;
	struct esp_sa_cfg c = {
		.aead.alg = (i & 3) == 3 ? "aes-128-gcm" : "null",
		.aead.backend = (i & 3) == 3 ? "openssl" : "null",
		.aead.key = key,
		.aead.key_len = 16, /* aes-128-gcm and null alike */
		.salt = salt,
		.spi = SPI,
		.is_esn = (i >> 2) & 1,
		.is_gmac = (i >> 3) & 1,
		.replay_window = (i & 3) == 1 ? 0 : (i & 3) == 2 ? 64 : 1024,
		.seq_start = ((i >> 2) & 1) ? 0xfffffff0ull : 0,
	};
	if (esp_sa_new(&cache[i], &c) < 0)
		abort();
	return cache[i];
}

static struct fuzz_view one(void *ctx, uint8_t *p, size_t len)
{
	struct esp_decap_out out;

	if (esp_decap(ctx, p, len, &out) != ESP_V_OK)
		return (struct fuzz_view){ NULL, 0 };
	return (struct fuzz_view){ out.payload, out.payload_len };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_frames(data + 1, size - 1, sa_for(data[0]), one);
	return 0;
}
