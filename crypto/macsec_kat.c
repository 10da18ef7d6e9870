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

static uint64_t be_num(const struct kat_bytes *b)
{
	uint64_t v = 0;

	for (size_t i = 0; i < b->n && i < 8; i++)
		v = v << 8 | b->p[i];
	return v;
}

static void vec_free(struct macsec_vec *x)
{
	for (size_t i = 0; i < F_COUNT; i++)
		free(x->f[i].p);
	free(x->salt.p);
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
	for (size_t i = 0; i < F_COUNT; i++) {
		rc = kat_get_hex(v, hex_fields[i], &x->f[i], where, e);
		if (rc < 0)
			return rc;
	}
	if (x->f[F_DA].n != 6 || x->f[F_SA].n != 6 || x->f[F_TCI].n != 1 ||
	    x->f[F_PN].n != 4 || x->f[F_SCI].n != MACSEC_SCI_LEN)
		return ncb_errf(e, -EINVAL, "%s: mac_da, mac_sa, tci_an, pn or sci has the wrong length",
				where);
	if (x->f[F_FRAME].n > MACSEC_FRAME_MAX || x->f[F_FRAME].n < 12)
		return ncb_errf(e, -EINVAL, "%s: protected_frame length out of range",
				where);
	x->pn = be_num(&x->f[F_PN]);
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
		x->pn |= be_num(&hi) << 32;
		x->ssci = (uint32_t)be_num(&ssci);
		free(hi.p);
		free(ssci.p);
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

static int sa_make(struct macsec_sa **sa, const struct macsec_vec *x,
		   const char *backend)
{
	unsigned tci = x->f[F_TCI].p[0];
	struct macsec_sa_cfg cfg = {
		.alg = x->alg,
		.backend = backend,
		.key = x->f[F_KEY].p,
		.key_len = x->f[F_KEY].n,
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

	return macsec_sa_new(sa, &cfg);
}

/* Decaps a copy of the vector's frame with byte `flip` changed. */
static enum macsec_verdict decap_copy(const struct macsec_vec *x,
				      const char *backend, size_t flip)
{
	const struct kat_bytes *want = &x->f[F_FRAME];
	uint8_t buf[MACSEC_FRAME_MAX];
	struct macsec_decap_out out;
	struct macsec_sa *in;
	enum macsec_verdict v;

	if (sa_make(&in, x, backend) < 0)
		return MACSEC_V_COUNT;
	memcpy(buf, want->p, want->n);
	buf[flip] ^= 0x20;
	v = macsec_decap(in, buf, want->n, &out);
	macsec_sa_free(in);
	return v;
}

static const char *check(const void *arg, const char *backend)
{
	const struct macsec_vec *x = arg;
	const struct kat_bytes *user = &x->f[F_USER], *want = &x->f[F_FRAME];
	uint8_t frame[MACSEC_FRAME_MAX];
	struct macsec_decap_out out;
	struct macsec_sa *o = NULL, *in = NULL;
	const char *why = NULL;
	size_t hdr;
	long len;

	if (sa_make(&o, x, backend) < 0 || sa_make(&in, x, backend) < 0) {
		why = "cannot create the SAs";
		goto out;
	}
	hdr = macsec_hdr_len(o);
	if (macsec_frame_len(o, user->n) != want->n) {
		why = "frame length differs";
		goto out;
	}
	memcpy(frame, x->f[F_DA].p, 6);
	memcpy(frame + 6, x->f[F_SA].p, 6);
	memcpy(frame + hdr, user->p, user->n);
	len = macsec_encap(o, frame, user->n, x->pn);
	if (len < 0)
		why = "encap returned an error";
	else if (memcmp(frame, want->p, want->n) != 0)
		why = "encap: frame bytes differ";
	else if (macsec_decap(in, frame, (size_t)len, &out) != MACSEC_V_OK)
		why = "decap refused the frame";
	else if (out.user_len != user->n ||
		 memcmp(out.user, user->p, user->n) != 0 || out.pn != x->pn)
		why = "decap: user data or PN differs";
	else if (macsec_decap(in, frame, (size_t)len, &out) != MACSEC_V_REPLAY)
		why = "decap accepted the same frame twice";
	else if (decap_copy(x, backend, want->n - 1) != MACSEC_V_ICV)
		why = "decap accepted a changed ICV";
	else if (decap_copy(x, backend, hdr) != MACSEC_V_ICV)
		why = "decap accepted changed secure data";
	else if (decap_copy(x, backend, MACSEC_ADDRS_LEN + 7) != MACSEC_V_ICV)
		why = "decap accepted a changed PN";
out:
	macsec_sa_free(o);
	macsec_sa_free(in);
	return why;
}

void kat_macsec_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct macsec_vec x;

	if (vec_load(v, &x, name, NULL) == 0)
		kat_each_backend("macsec", name, x.alg,
				 x.f[F_TCI].p[0] & MACSEC_TCI_E ? "confidentiality"
								: "integrity",
				 &x, check, t);
	vec_free(&x);
}
