/* WireGuard known answers: each message is rebuilt byte for byte from its
 * fields (key, receiver index, counter, inner packet) by wg_encap, then
 * decapsulated back to the inner packet; a second delivery must be
 * refused as a replay, and a changed tag, ciphertext or counter byte as
 * a failed tag. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/kat.h"
#include "crypto/wg.h"
#include "crypto/wg_kat.h"

static const char *const hex_fields[] = { "key", "plaintext", "packet" };

enum { F_KEY, F_PLAIN, F_PACKET };

struct wg_vec {
	char alg[32];
	uint32_t index;
	uint64_t counter;
	struct kat_bytes f[NCB_ARRAY_SIZE(hex_fields)];
};

/* A number written as exactly digits hex digits, most significant first
 * (the receiver index and the counter: little-endian only on the wire).
 * 0, or -EINVAL with e naming the field. */
static int get_num(json_t *v, const char *name, size_t digits, uint64_t *out,
		   const char *where, struct ncb_err *e)
{
	const char *s = json_string_value(json_object_get(v, name));

	*out = 0;
	if (!s || strlen(s) != digits ||
	    strspn(s, "0123456789abcdefABCDEF") != digits)
		return ncb_errf(e, -EINVAL, "%s: field '%s' is not %zu hex digits",
				where, name, digits);
	for (; *s; s++)
		*out = *out << 4 |
		       (uint64_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
	return 0;
}

/* The vector's AEAD as ncbench names it; 0, or -ENOTSUP for one ncbench
 * does not have. ChaCha20-Poly1305 is WireGuard's; the AES-GCM vectors
 * check the non-standard variant in the same layout. */
static int map_alg(json_t *v, struct wg_vec *x)
{
	static const char *const names[][2] = {
		{ "ChaCha20-Poly1305", "chacha20-poly1305" },
		{ "AES-128-GCM", "aes-128-gcm" },
		{ "AES-256-GCM", "aes-256-gcm" },
	};
	const char *a = json_string_value(json_object_get(v, "algorithm"));

	if (!a)
		return -EINVAL;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(names); i++)
		if (strcmp(a, names[i][0]) == 0) {
			snprintf(x->alg, sizeof(x->alg), "%s", names[i][1]);
			return 0;
		}
	return -ENOTSUP;
}

static int vec_load(json_t *v, struct wg_vec *x, const char *where,
		    struct ncb_err *e)
{
	uint64_t index;
	int rc;

	memset(x, 0, sizeof(*x));
	rc = map_alg(v, x);
	if (rc == -EINVAL)
		return ncb_errf(e, rc, "%s: \"algorithm\" missing", where);
	if (kat_get_hexes(v, hex_fields, NCB_ARRAY_SIZE(hex_fields), x->f,
			  where, e) < 0)
		return -EINVAL;
	if (get_num(v, "receiver_index", 8, &index, where, e) < 0 ||
	    get_num(v, "counter", 16, &x->counter, where, e) < 0)
		return -EINVAL;
	x->index = (uint32_t)index;
	if (x->counter >= WG_REJECT_AFTER_MESSAGES)
		return ncb_errf(e, -EINVAL, "%s: counter at or past the reject limit",
				where);
	if (x->f[F_PLAIN].n > wg_inner_max() ||
	    x->f[F_PACKET].n != wg_packet_len(x->f[F_PLAIN].n))
		return ncb_errf(e, -EINVAL, "%s: packet length does not fit the plaintext",
				where);
	if (rc == 0 && x->f[F_KEY].n != aead_key_len(x->alg))
		return ncb_errf(e, -EINVAL, "%s: key length is not %zu bytes",
				where, aead_key_len(x->alg));
	return rc;
}

int wg_kat_validate(json_t *v, const char *where, struct ncb_err *e)
{
	struct wg_vec x;
	int rc = vec_load(v, &x, where, e);

	kat_bytes_free(x.f, NCB_ARRAY_SIZE(x.f));
	return rc == -ENOTSUP ? 0 : rc; /* skipped when run */
}

static int sa_new(void **sa, const void *arg, const char *backend)
{
	const struct wg_vec *x = arg;
	struct wg_sa_cfg cfg = {
		.aead = kat_aead(x->alg, backend, &x->f[F_KEY]),
		.index = x->index,
		.replay_window = 64,
	};

	return wg_sa_new((struct wg_sa **)sa, &cfg);
}

static void sa_free(void *sa)
{
	wg_sa_free(sa);
}

static long encap(void *sa, uint8_t *pkt, const void *arg)
{
	const struct wg_vec *x = arg;
	const struct kat_bytes *pt = &x->f[F_PLAIN];

	memcpy(pkt + WG_HDR_LEN, pt->p, pt->n);
	return wg_encap(sa, pkt, pt->n, x->counter);
}

static unsigned decap(void *sa, uint8_t *pkt, size_t len, const void *arg,
		      const char **why)
{
	const struct wg_vec *x = arg;
	const struct kat_bytes *pt = &x->f[F_PLAIN];
	struct wg_decap_out out;
	enum wg_verdict v = wg_decap(sa, pkt, len, &out);

	if (v != WG_V_OK)
		return v;
	if (out.len != pt->n ||
	    (pt->n && memcmp(out.payload, pt->p, pt->n) != 0))
		*why = "decap: plaintext differs";
	else if (out.counter != x->counter)
		*why = "decap: counter differs";
	return v;
}

static const struct kat_proto proto =
	KAT_PROTO("packet", "decap accepted a changed tag", WG_PACKET_MAX,
		  WG_V_OK, WG_V_REPLAYED, WG_V_BAD_TAG);

static const struct kat_flip flips[] = {
	{ WG_HDR_LEN, "decap accepted a changed ciphertext" },
	{ 8, "decap accepted a changed counter" },
};

static const char *check(const void *arg, const char *backend)
{
	const struct wg_vec *x = arg;
	/* A keepalive has no ciphertext to change. */
	const struct kat_flip *from = x->f[F_PLAIN].n ? flips : flips + 1;

	return kat_check_sealed(&proto, x, backend, &x->f[F_PACKET], from,
				(size_t)(flips + NCB_ARRAY_SIZE(flips) - from));
}

void wg_kat_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct wg_vec x;
	int rc = vec_load(v, &x, name, NULL);

	kat_run_loaded(rc, "not an AEAD ncbench has", "wg", name, x.alg,
		       strcmp(x.alg, "chacha20-poly1305") == 0 ? "standard"
							       : "non-standard",
		       &x, check, t);
	kat_bytes_free(x.f, NCB_ARRAY_SIZE(x.f));
}
