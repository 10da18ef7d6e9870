/* libFuzzer target for ESP decapsulation. Input: one configuration byte,
 * then packets as (2-byte big-endian length, bytes). Configuration bits:
 * 0-1 the window (1024, 0, 64) or, at 3, a real suite with a window of
 * 1024: bits 4-7 pick it among every suite of crypto/aead.h (AEADs and
 * encrypt-then-MAC suites; 0 is aes-128-gcm) on the first backend that
 * offers it, else null; bit 2 ESN (starting near 2^32), bit 3 integrity
 * only (AEADs). The null AEAD (zero tag) lets inputs get past the ICV
 * into the trailer checks; a real suite covers the reject paths.
 *
 * The packets go through two SAs of the same configuration: one at a
 * time (esp_decap, in order, so the window carries state between them)
 * and as one list (esp_decap_burst, bursts of up to 64), which must give
 * the same verdicts, views and counters. Each packet sits in buffers of
 * exactly its length, so ASan sees any access past them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"

enum { SPI = 0x100, PKTS_MAX = 2 * ESP_BURST_MAX };

/* The suite and backend of cfg. */
static const char *suite_of(uint8_t cfg, const char **be)
{
	const char *alg = aead_alg_name((cfg >> 4) % aead_alg_count());

	*be = "null";
	if ((cfg & 3) != 3)
		return "null";
	for (size_t b = 0; b < aead_backend_count(); b++)
		if (aead_probe(alg, aead_backend_name(b)) == 0) {
			*be = aead_backend_name(b);
			return alg;
		}
	return "null";
}

static struct esp_sa *sa_for(uint8_t cfg)
{
	static const uint8_t key[AEAD_KEY_MAX] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t salt[4] = { 9, 9, 9, 9 };
	unsigned w = cfg & 3;
	const char *be, *alg = suite_of(cfg, &be);
	int is_etm = aead_info(alg)->kind == AEAD_KIND_ETM;
	struct esp_sa *sa;
	struct esp_sa_cfg c = {
		.aead = { alg, be, key, aead_key_len(alg), 0 },
		.salt = salt,
		.spi = SPI,
		.is_esn = (cfg >> 2) & 1,
		.is_gmac = !is_etm && ((cfg >> 3) & 1),
		.replay_window = w == 1 ? 0 : w == 2 ? 64 : 1024,
		.seq_start = ((cfg >> 2) & 1) ? 0xfffffff0ull : 0,
	};

	if (esp_sa_new(&sa, &c) < 0)
		abort();
	return sa;
}

/* A view must lie inside its packet. */
static void inside(const struct esp_decap_out *o, const uint8_t *p,
		   size_t len)
{
	if (o->payload < p || o->payload + o->payload_len > p + len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *a[PKTS_MAX], *b[PKTS_MAX];
	static size_t lens[PKTS_MAX];
	static struct esp_decap_out oa[PKTS_MAX], ob[PKTS_MAX];
	uint8_t va[PKTS_MAX], vb[PKTS_MAX];
	struct esp_sa *one, *many;
	unsigned n = 0;

	if (size < 1)
		return 0;
	one = sa_for(data[0]);
	many = sa_for(data[0]);
	for (data++, size--; size >= 2 && n < PKTS_MAX; n++) {
		size_t len = (size_t)data[0] << 8 | data[1];

		data += 2, size -= 2;
		if (len > size)
			len = size;
		a[n] = malloc(len ? len : 1);
		b[n] = malloc(len ? len : 1);
		if (!a[n] || !b[n])
			abort();
		memcpy(a[n], data, len);
		memcpy(b[n], data, len);
		lens[n] = len;
		data += len, size -= len;
	}
	for (unsigned i = 0; i < n; i++)
		va[i] = (uint8_t)esp_decap(one, a[i], lens[i], &oa[i]);
	esp_decap_burst(many, b, lens, ob, vb, n);
	for (unsigned i = 0; i < n; i++) {
		if (va[i] != vb[i])
			abort(); /* a burst's verdict differs */
		if (va[i] == ESP_V_OK) {
			inside(&oa[i], a[i], lens[i]);
			inside(&ob[i], b[i], lens[i]);
			if (oa[i].payload - a[i] != ob[i].payload - b[i] ||
			    oa[i].payload_len != ob[i].payload_len ||
			    oa[i].seq != ob[i].seq ||
			    oa[i].next_header != ob[i].next_header)
				abort();
		}
		if (va[i] == ESP_V_ICV && oa[i].seq != ob[i].seq)
			abort();
		free(a[i]);
		free(b[i]);
	}
	if (memcmp(esp_sa_counts(one), esp_sa_counts(many),
		   ESP_V_COUNT * sizeof(uint64_t)))
		abort();
	esp_sa_free(one);
	esp_sa_free(many);
	return 0;
}
