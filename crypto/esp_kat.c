/* ESP known answers: each packet is rebuilt byte for byte from its fields
 * (SPI, sequence number, IV, payload, next header) by esp_encap, then
 * decapsulated back; a second delivery must be refused as a replay and a
 * changed ICV or body byte as an authentication failure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/kat.h"
#include "crypto/aead.h"
#include "crypto/esp.h"

static const char *const hex_fields[] = { "key",	 "salt", "spi", "seq",
					  "iv",		 "esp_payload", "packet" };

struct esp_vec {
	char alg[32];
	int is_gmac, is_esn;
	unsigned next_header;
	struct kat_bytes f[NCB_ARRAY_SIZE(hex_fields)];
};

enum { F_KEY, F_SALT, F_SPI, F_SEQ, F_IV, F_PAYLOAD, F_PACKET };

static uint64_t be_num(const struct kat_bytes *b)
{
	uint64_t v = 0;

	for (size_t i = 0; i < b->n; i++)
		v = v << 8 | b->p[i];
	return v;
}

/* Maps the vector's algorithm to an ncbench AEAD; 0, or -ENOTSUP for an
 * algorithm ncbench does not frame. */
static int map_alg(json_t *v, struct esp_vec *x)
{
	const char *a = json_string_value(json_object_get(v, "algorithm"));
	json_int_t bits = json_integer_value(json_object_get(v, "key_bits"));

	if (!a)
		return -EINVAL;
	x->is_gmac = strcmp(a, "AES-GMAC-ESP") == 0;
	if (strcmp(a, "AES-GCM-ESP") == 0 || x->is_gmac) {
		if (bits != 128 && bits != 192 && bits != 256)
			return -EINVAL;
		snprintf(x->alg, sizeof(x->alg), "aes-%d-gcm", (int)bits);
		return 0;
	}
	if (strcmp(a, "CHACHA20-POLY1305-ESP") == 0) {
		snprintf(x->alg, sizeof(x->alg), "chacha20-poly1305");
		return 0;
	}
	return -ENOTSUP;
}

static void vec_free(struct esp_vec *x)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(x->f); i++)
		free(x->f[i].p);
}

static int vec_load(json_t *v, struct esp_vec *x, const char *where,
		    struct ncb_err *e)
{
	json_t *nh = json_object_get(v, "next_header");
	json_t *esn = json_object_get(v, "esn");
	int rc;

	memset(x, 0, sizeof(*x));
	rc = map_alg(v, x);
	if (rc == -EINVAL)
		return ncb_errf(e, rc, "%s: \"algorithm\" or \"key_bits\" missing or invalid",
				where);
	if (!json_is_integer(nh) || json_integer_value(nh) < 0 ||
	    json_integer_value(nh) > 255)
		return ncb_errf(e, -EINVAL, "%s: \"next_header\" is not 0..255",
				where);
	if (!json_is_boolean(esn))
		return ncb_errf(e, -EINVAL, "%s: \"esn\" is not a boolean", where);
	x->next_header = (unsigned)json_integer_value(nh);
	x->is_esn = json_is_true(esn);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(hex_fields); i++) {
		rc = kat_get_hex(v, hex_fields[i], &x->f[i], where, e);
		if (rc < 0)
			return rc;
	}
	if (x->f[F_SALT].n != ESP_SALT_LEN || x->f[F_SPI].n != 4 ||
	    x->f[F_IV].n != ESP_IV_LEN ||
	    x->f[F_SEQ].n != (x->is_esn ? 8u : 4u))
		return ncb_errf(e, -EINVAL, "%s: salt, spi, iv or seq has the wrong length",
				where);
	if (esp_packet_len(x->f[F_PAYLOAD].n) > ESP_PACKET_MAX)
		return ncb_errf(e, -EINVAL, "%s: esp_payload too long", where);
	return 0;
}

int kat_esp_validate(json_t *v, const char *where, struct ncb_err *e)
{
	struct esp_vec x;
	int rc = vec_load(v, &x, where, e);

	vec_free(&x);
	return rc;
}

static int sa_make(struct esp_sa **sa, const struct esp_vec *x,
		   const char *backend)
{
	struct esp_sa_cfg cfg = {
		.alg = x->alg,
		.backend = backend,
		.key = x->f[F_KEY].p,
		.key_len = x->f[F_KEY].n,
		.salt = x->f[F_SALT].p,
		.spi = (uint32_t)be_num(&x->f[F_SPI]),
		.is_esn = x->is_esn,
		.is_gmac = x->is_gmac,
		.replay_window = 64,
		.seq_start = be_num(&x->f[F_SEQ]),
	};

	return esp_sa_new(sa, &cfg);
}

/* Decaps a copy of pkt with a fresh inbound SA; the verdict. */
static enum esp_verdict decap_copy(const struct esp_vec *x, const char *backend,
				   const uint8_t *pkt, size_t len, size_t flip)
{
	uint8_t buf[ESP_PACKET_MAX];
	struct esp_decap_out out;
	struct esp_sa *in;
	enum esp_verdict v;

	if (sa_make(&in, x, backend) < 0)
		return ESP_V_COUNT;
	memcpy(buf, pkt, len);
	buf[flip] ^= 0x20;
	v = esp_decap(in, buf, len, &out);
	esp_sa_free(in);
	return v;
}

static const char *check(const void *arg, const char *backend)
{
	const struct esp_vec *x = arg;
	const struct kat_bytes *pay = &x->f[F_PAYLOAD], *want = &x->f[F_PACKET];
	uint64_t seq = be_num(&x->f[F_SEQ]);
	uint8_t pkt[ESP_PACKET_MAX];
	struct esp_decap_out out;
	struct esp_sa *o = NULL, *in = NULL;
	const char *why = NULL;
	long len;

	if (sa_make(&o, x, backend) < 0 || sa_make(&in, x, backend) < 0) {
		why = "cannot create the SAs";
		goto out;
	}
	memcpy(pkt + ESP_HDR_LEN, pay->p, pay->n);
	len = esp_encap(o, pkt, pay->n, (uint8_t)x->next_header, seq,
			x->f[F_IV].p);
	if (len < 0)
		why = "encap returned an error";
	else if ((size_t)len != want->n)
		why = "encap: packet length differs";
	else if (memcmp(pkt, want->p, want->n) != 0)
		why = "encap: packet bytes differ";
	if (why)
		goto out;
	if (esp_decap(in, pkt, (size_t)len, &out) != ESP_V_OK)
		why = "decap refused the packet";
	else if (out.payload_len != pay->n ||
		 (pay->n && memcmp(out.payload, pay->p, pay->n) != 0))
		why = "decap: payload differs";
	else if (out.next_header != x->next_header || out.seq != seq)
		why = "decap: next header or sequence number differs";
	else if (esp_decap(in, pkt, (size_t)len, &out) != ESP_V_REPLAY)
		why = "decap accepted the same packet twice";
	else if (decap_copy(x, backend, want->p, want->n, want->n - 1) !=
		 ESP_V_ICV)
		why = "decap accepted a changed ICV";
	else if (decap_copy(x, backend, want->p, want->n, ESP_HDR_LEN) !=
		 ESP_V_ICV)
		why = "decap accepted a changed body";
	else if (decap_copy(x, backend, want->p, want->n, 8) != ESP_V_ICV)
		why = "decap accepted a changed IV";
out:
	esp_sa_free(o);
	esp_sa_free(in);
	return why;
}

void kat_esp_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct esp_vec x;

	if (vec_load(v, &x, name, NULL) == -ENOTSUP) {
		printf("skip esp/%s: not an ESP algorithm ncbench frames\n", name);
		t->skipped++;
		goto out;
	}
	kat_each_backend("esp", name, x.alg, x.is_gmac ? "gmac" : "aead", &x,
			 check, t);
out:
	vec_free(&x);
}
