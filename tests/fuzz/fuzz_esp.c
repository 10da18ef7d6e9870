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
 * the same verdicts, views and counters. Then through two SA databases
 * (crypto/sadb.h) of SAS SAs of the esp framing, SA 0 that SA, the
 * others with SPIs of their own: the list in one call and one packet a
 * call must agree too, and a packet the database gives SA 0 (its SPI,
 * or too short or long to read one) the plain SA's verdict. Each packet sits in buffers of
 * exactly its length, so ASan sees any access past them. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/framing.h"
#include "crypto/sadb.h"

/* SPI: the esp framing's SA 0 of pair 0, direction 0. */
enum { SPI = 0x100, PKTS_MAX = 2 * ESP_BURST_MAX, SAS = 4 };

static const uint8_t key[AEAD_KEY_MAX] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t salt[4] = { 9, 9, 9, 9 };

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

/* Option name of f's struct in opts set to v (all are unsigned). */
static void set_opt(const struct framing_ops *f, unsigned char *opts,
		    const char *name, unsigned v)
{
	for (size_t i = 0; i < f->opts_count; i++)
		if (!strcmp(f->opts[i].name, name))
			memcpy(opts + f->opts[i].offset, &v, sizeof(v));
}

/* The database of cfg: SA 0 is sa_for(cfg)'s SA. */
static struct sadb *db_for(uint8_t cfg)
{
	const struct framing_ops *f = framing_find("esp");
	static struct framing_sa_desc d[SAS];
	unsigned w = cfg & 3, is_esn = (cfg >> 2) & 1;
	const char *be, *alg = suite_of(cfg, &be);
	int is_etm = aead_info(alg)->kind == AEAD_KIND_ETM;
	struct ncb_err e = { "" };
	struct sadb *db;

	memset(d, 0, sizeof(d));
	for (unsigned k = 0; k < SAS; k++) {
		snprintf(d[k].cipher, sizeof(d[k].cipher), "%s", alg);
		snprintf(d[k].backend, sizeof(d[k].backend), "%s", be);
		memcpy(d[k].keymat, key, sizeof(key));
		memcpy(d[k].keymat + AEAD_KEY_MAX, salt, sizeof(salt));
		d[k].sa = k;
		d[k].family = 4;
		d[k].seq_first = is_esn ? 0xfffffff0ull : 1;
		set_opt(f, d[k].opts, "esn", is_esn);
		set_opt(f, d[k].opts, "esp-mode", !is_etm && ((cfg >> 3) & 1));
		set_opt(f, d[k].opts, "replay-window",
			w == 1 ? 0 : w == 2 ? 64 : 1024);
	}
	if (sadb_new(&db, f, d, SAS, 1, NULL, &e) < 0)
		abort();
	return db;
}

/* A view must lie inside its packet. */
static void inside(const struct esp_decap_out *o, const uint8_t *p,
		   size_t len)
{
	if (o->payload < p || o->payload + o->payload_len > p + len)
		abort();
}

static void out_inside(const struct framing_out *o, const uint8_t *p,
		       size_t len)
{
	if (o->payload < p || o->payload + o->len > p + len)
		abort();
}

/* The packets c (in one call) and d (one a call) through two databases
 * of cfg; va: the plain SA's verdicts, is_sa0: whether the database
 * gives a packet to SA 0 (its SPI, or none read). */
static void through_db(uint8_t cfg, uint8_t *const *c, uint8_t *const *d,
		       const size_t *lens, const uint8_t *va,
		       const uint8_t *is_sa0, unsigned n)
{
	static struct framing_out oc[PKTS_MAX], od[PKTS_MAX];
	const struct framing_ops *f = framing_find("esp");
	struct sadb *db_c = db_for(cfg), *db_d = db_for(cfg);
	uint8_t vc[PKTS_MAX], vd[PKTS_MAX];

	sadb_decap(db_c, c, lens, oc, vc, n, ESP_BURST_MAX);
	for (unsigned i = 0; i < n; i++)
		sadb_decap(db_d, &d[i], &lens[i], &od[i], &vd[i], 1, 1);
	for (unsigned i = 0; i < n; i++) {
		if (vc[i] != vd[i] || (is_sa0[i] && vc[i] != va[i]))
			abort(); /* one call differs, or SA 0 from the plain SA */
		if (vc[i] == ESP_V_OK) {
			out_inside(&oc[i], c[i], lens[i]);
			out_inside(&od[i], d[i], lens[i]);
			if (oc[i].payload - c[i] != od[i].payload - d[i] ||
			    oc[i].len != od[i].len || oc[i].seq != od[i].seq)
				abort();
		}
	}
	if (memcmp(sadb_counts(db_c), sadb_counts(db_d),
		   f->n_verdicts * sizeof(uint64_t)))
		abort();
	for (unsigned k = 0; k < SAS; k++)
		if (memcmp(framing_counts(sadb_at(db_c, k)),
			   framing_counts(sadb_at(db_d, k)),
			   f->n_verdicts * sizeof(uint64_t)))
			abort();
	sadb_free(db_c);
	sadb_free(db_d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *a[PKTS_MAX], *b[PKTS_MAX], *c[PKTS_MAX], *d[PKTS_MAX];
	static size_t lens[PKTS_MAX];
	static struct esp_decap_out oa[PKTS_MAX], ob[PKTS_MAX];
	uint8_t va[PKTS_MAX], vb[PKTS_MAX], is_sa0[PKTS_MAX];
	struct esp_sa *one, *many;
	unsigned n = 0;
	uint8_t cfg;

	if (size < 1)
		return 0;
	cfg = data[0];
	one = sa_for(cfg);
	many = sa_for(cfg);
	for (data++, size--; size >= 2 && n < PKTS_MAX; n++) {
		size_t len = (size_t)data[0] << 8 | data[1];

		data += 2, size -= 2;
		if (len > size)
			len = size;
		a[n] = malloc(len ? len : 1);
		b[n] = malloc(len ? len : 1);
		c[n] = malloc(len ? len : 1);
		d[n] = malloc(len ? len : 1);
		if (!a[n] || !b[n] || !c[n] || !d[n])
			abort();
		memcpy(a[n], data, len);
		memcpy(b[n], data, len);
		memcpy(c[n], data, len);
		memcpy(d[n], data, len);
		is_sa0[n] = len < ESP_SPI_SEQ_LEN || len > ESP_PACKET_MAX ||
			    ncb_get_be32(data) == SPI;
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
	through_db(cfg, c, d, lens, va, is_sa0, n);
	for (unsigned i = 0; i < n; i++) {
		free(c[i]);
		free(d[i]);
	}
	if (memcmp(esp_sa_counts(one), esp_sa_counts(many),
		   ESP_V_COUNT * sizeof(uint64_t)))
		abort();
	esp_sa_free(one);
	esp_sa_free(many);
	return 0;
}
