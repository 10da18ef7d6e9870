/* MACsec known answers (IEEE 802.1AE Annex C): each protected frame is
 * rebuilt byte for byte from its fields (addresses, TCI/AN, PN, SCI, XPN
 * SSCI and salt, user data) by macsec_encap, then decapsulated back; a
 * second delivery must be refused as a replay, and a changed ICV, secure
 * data or PN byte as an authentication failure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/kat.h"
#include "crypto/aead.h"
#include "crypto/macsec.h"

static const char *const hex_fields[] = { "key",      "mac_da", "mac_sa",
					  "tci_an",   "pn",     "sci",
					  "user_data", "protected_frame" };
enum { F_KEY, F_DA, F_SA, F_TCI, F_PN, F_SCI, F_USER, F_FRAME, F_COUNT };

struct macsec_vec {
	char alg[32];
	int is_xpn;
	uint64_t pn;
	uint32_t ssci;
	struct kat_bytes f[F_COUNT], salt;
};

static void vec_free(struct macsec_vec *x)
{
	kat_bytes_free(x->f, F_COUNT);
	kat_bytes_free(&x->salt, 1);
}

/* "GCM-AES-128", "GCM-AES-XPN-256", ... to an ncbench AEAD. */
static int map_suite(json_t *v, struct macsec_vec *x)
{
	const char *s = json_string_value(json_object_get(v, "cipher_suite"));
	int bits;

	if (!s)
		return -EINVAL;
	x->is_xpn = strncmp(s, "GCM-AES-XPN-", 12) == 0;
	if (x->is_xpn)
		s += 12;
	else if (strncmp(s, "GCM-AES-", 8) == 0)
		s += 8;
	else
		return -EINVAL;
	bits = atoi(s);
	if (bits != 128 && bits != 256)
		return -EINVAL;
	snprintf(x->alg, sizeof(x->alg), "aes-%d-gcm", bits);
	return 0;
}

static int vec_load(json_t *v, struct macsec_vec *x, const char *where,
		    struct ncb_err *e)
{
	int rc;

	memset(x, 0, sizeof(*x));
	if (map_suite(v, x) < 0)
		return ncb_errf(e, -EINVAL, "%s: \"cipher_suite\" missing or not GCM-AES[-XPN]-128/256",
				where);
	rc = kat_get_hexes(v, hex_fields, F_COUNT, x->f, where, e);
	if (rc < 0)
		return rc;
	if (x->f[F_DA].n != 6 || x->f[F_SA].n != 6 || x->f[F_TCI].n != 1 ||
	    x->f[F_PN].n != 4 || x->f[F_SCI].n != MACSEC_SCI_LEN)
		return ncb_errf(e, -EINVAL, "%s: mac_da, mac_sa, tci_an, pn or sci has the wrong length",
				where);
	if (x->f[F_FRAME].n > MACSEC_FRAME_MAX || x->f[F_FRAME].n < 12)
		return ncb_errf(e, -EINVAL, "%s: protected_frame length out of range",
				where);
	x->pn = kat_be_num(&x->f[F_PN]);
	if (x->is_xpn) {
		struct kat_bytes hi = { 0 }, ssci = { 0 };

		rc = kat_get_hex(v, "pn_high32", &hi, where, e);
		if (rc == 0)
			rc = kat_get_hex(v, "ssci", &ssci, where, e);
		if (rc == 0)
			rc = kat_get_hex(v, "salt", &x->salt, where, e);
		if (rc == 0 && (hi.n != 4 || ssci.n != 4 ||
				x->salt.n != MACSEC_SALT_LEN))
			rc = ncb_errf(e, -EINVAL, "%s: pn_high32, ssci or salt has the wrong length",
				      where);
		x->pn |= kat_be_num(&hi) << 32;
		x->ssci = (uint32_t)kat_be_num(&ssci);
		kat_bytes_free(&hi, 1);
		kat_bytes_free(&ssci, 1);
	}
	return rc;
}

int kat_macsec_validate(json_t *v, const char *where, struct ncb_err *e)
{
	struct macsec_vec x;
	int rc = vec_load(v, &x, where, e);

	vec_free(&x);
	return rc;
}

static int sa_new(void **sa, const void *arg, const char *backend)
{
	const struct macsec_vec *x = arg;
	unsigned tci = x->f[F_TCI].p[0];
	struct macsec_sa_cfg cfg = {
		.aead = kat_aead(x->alg, backend, &x->f[F_KEY]),
		.sci = x->f[F_SCI].p,
		.tci = tci & (MACSEC_TCI_ES | MACSEC_TCI_SC | MACSEC_TCI_SCB),
		.an = tci & MACSEC_AN_MASK,
		.is_integrity = !(tci & MACSEC_TCI_E),
		.is_xpn = x->is_xpn,
		.ssci = x->ssci,
		.salt = x->salt.p,
		.replay_window = 64,
		.pn_start = x->pn,
	};

	return macsec_sa_new((struct macsec_sa **)sa, &cfg);
}

static void sa_free(void *sa)
{
	macsec_sa_free(sa);
}

/* The vector's frame; when the SA would make a frame of another length
 * than the vector's, that length without sealing anything. */
static long encap(void *sa, uint8_t *frame, const void *arg)
{
	const struct macsec_vec *x = arg;
	const struct kat_bytes *user = &x->f[F_USER];
	size_t len = macsec_frame_len(sa, user->n);

	if (len != x->f[F_FRAME].n)
		return (long)len;
	memcpy(frame, x->f[F_DA].p, 6);
	memcpy(frame + 6, x->f[F_SA].p, 6);
	memcpy(frame + macsec_hdr_len(sa), user->p, user->n);
	return macsec_encap(sa, frame, user->n, x->pn);
}

static unsigned decap(void *sa, uint8_t *frame, size_t len, const void *arg,
		      const char **why)
{
	const struct macsec_vec *x = arg;
	const struct kat_bytes *user = &x->f[F_USER];
	struct macsec_decap_out out;
	enum macsec_verdict v = macsec_decap(sa, frame, len, &out);

	if (v == MACSEC_V_OK &&
	    (out.user_len != user->n ||
	     memcmp(out.user, user->p, user->n) != 0 || out.pn != x->pn))
		*why = "decap: user data or PN differs";
	return v;
}

static const struct kat_proto proto =
	KAT_PROTO("frame", "decap accepted a changed ICV", MACSEC_FRAME_MAX,
		  MACSEC_V_OK, MACSEC_V_REPLAY, MACSEC_V_ICV);

static const char *check(const void *arg, const char *backend)
{
	const struct macsec_vec *x = arg;
	const struct kat_bytes *want = &x->f[F_FRAME];
	/* The secure data starts after the SecTAG, which its TCI sizes. */
	size_t hdr = want->n - x->f[F_USER].n - MACSEC_ICV_LEN;
	const struct kat_flip flips[] = {
		{ hdr, "decap accepted changed secure data" },
		{ MACSEC_ADDRS_LEN + 7, "decap accepted a changed PN" },
	};

	return kat_check_sealed(&proto, x, backend, want, flips,
				NCB_ARRAY_SIZE(flips));
}

void kat_macsec_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct macsec_vec x;
	int rc = vec_load(v, &x, name, NULL);

	kat_run_loaded(rc, "", "macsec", name, x.alg,
		       rc == 0 && x.f[F_TCI].p[0] & MACSEC_TCI_E ?
			       "confidentiality" : "integrity",
		       &x, check, t);
	vec_free(&x);
}
