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

static int vec_load(json_t *v, struct esp_vec *x, const char *where,
		    struct ncb_err *e)
{
	json_t *nh = json_object_get(v, "next_header");
	json_t *esn = json_object_get(v, "esn");
	int rc, is_ours;

	memset(x, 0, sizeof(*x));
	rc = map_alg(v, x);
	if (rc == -EINVAL)
		return ncb_errf(e, rc, "%s: \"algorithm\" or \"key_bits\" missing or invalid",
				where);
	is_ours = rc == 0;
	if (!json_is_integer(nh) || json_integer_value(nh) < 0 ||
	    json_integer_value(nh) > 255)
		return ncb_errf(e, -EINVAL, "%s: \"next_header\" is not 0..255",
				where);
	if (!json_is_boolean(esn))
		return ncb_errf(e, -EINVAL, "%s: \"esn\" is not a boolean", where);
	x->next_header = (unsigned)json_integer_value(nh);
	x->is_esn = json_is_true(esn);
	rc = kat_get_hexes(v, hex_fields, NCB_ARRAY_SIZE(hex_fields), x->f,
			   where, e);
	if (rc < 0)
		return rc;
	if (x->f[F_SALT].n != ESP_SALT_LEN || x->f[F_SPI].n != 4 ||
	    x->f[F_IV].n != ESP_IV_LEN ||
	    x->f[F_SEQ].n != (x->is_esn ? 8u : 4u))
		return ncb_errf(e, -EINVAL, "%s: salt, spi, iv or seq has the wrong length",
				where);
	if (esp_packet_len(x->f[F_PAYLOAD].n) > ESP_PACKET_MAX)
		return ncb_errf(e, -EINVAL, "%s: esp_payload too long", where);
	return is_ours ? 0 : -ENOTSUP;
}

int kat_esp_validate(json_t *v, const char *where, struct ncb_err *e)
{
	struct esp_vec x;
	int rc = vec_load(v, &x, where, e);

	kat_bytes_free(x.f, NCB_ARRAY_SIZE(x.f));
	return rc == -ENOTSUP ? 0 : rc; /* skipped when run */
}

static int sa_new(void **sa, const void *arg, const char *backend)
{
	const struct esp_vec *x = arg;
	struct esp_sa_cfg cfg = {
		.aead = kat_aead(x->alg, backend, &x->f[F_KEY]),
		.salt = x->f[F_SALT].p,
		.spi = (uint32_t)kat_be_num(&x->f[F_SPI]),
		.is_esn = x->is_esn,
		.is_gmac = x->is_gmac,
		.replay_window = 64,
		.seq_start = kat_be_num(&x->f[F_SEQ]),
	};

	return esp_sa_new((struct esp_sa **)sa, &cfg);
}

static void sa_free(void *sa)
{
	esp_sa_free(sa);
}

/* The vector's packet, with its IV rather than the counter IV. */
static long encap(void *sa, uint8_t *pkt, const void *arg)
{
	const struct esp_vec *x = arg;
	const struct kat_bytes *pay = &x->f[F_PAYLOAD];

	memcpy(pkt + ESP_HDR_LEN, pay->p, pay->n);
	return esp_encap(sa, pkt, pay->n, (uint8_t)x->next_header,
			 kat_be_num(&x->f[F_SEQ]), x->f[F_IV].p);
}

static unsigned decap(void *sa, uint8_t *pkt, size_t len, const void *arg,
		      const char **why)
{
	const struct esp_vec *x = arg;
	const struct kat_bytes *pay = &x->f[F_PAYLOAD];
	struct esp_decap_out out;
	enum esp_verdict v = esp_decap(sa, pkt, len, &out);

	if (v != ESP_V_OK)
		return v;
	if (out.payload_len != pay->n ||
	    (pay->n && memcmp(out.payload, pay->p, pay->n) != 0))
		*why = "decap: payload differs";
	else if (out.next_header != x->next_header ||
		 out.seq != kat_be_num(&x->f[F_SEQ]))
		*why = "decap: next header or sequence number differs";
	return v;
}

static const struct kat_proto proto =
	KAT_PROTO("packet", "decap accepted a changed ICV", ESP_PACKET_MAX,
		  ESP_V_OK, ESP_V_REPLAY, ESP_V_ICV);

static const struct kat_flip flips[] = {
	{ ESP_HDR_LEN, "decap accepted a changed body" },
	{ 8, "decap accepted a changed IV" },
};

static const char *check(const void *arg, const char *backend)
{
	const struct esp_vec *x = arg;

	return kat_check_sealed(&proto, x, backend, &x->f[F_PACKET], flips,
				NCB_ARRAY_SIZE(flips));
}

void kat_esp_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct esp_vec x;
	int rc = vec_load(v, &x, name, NULL);

	kat_run_loaded(rc, "not an ESP algorithm ncbench frames", "esp", name,
		       x.alg, x.is_gmac ? "gmac" : "aead", &x, check, t);
	kat_bytes_free(x.f, NCB_ARRAY_SIZE(x.f));
}
