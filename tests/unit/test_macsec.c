/* MACsec framing: round trips for every AEAD in every mode (confidential
 * and integrity only, 32-bit PN and XPN, explicit, implicit-ES and absent
 * SCI), SL set exactly below 48 bytes of secure data, each rejection
 * reason triggered and counted, the replay window's edges, XPN PN
 * recovery across 2^32, and decap of every truncation of a valid frame. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/macsec.h"
#include "tests/unit/helpers.h"

static const uint8_t addrs[MACSEC_ADDRS_LEN] = {
	0x02, 0, 0, 0, 0, 0xbb, /* DA */
	0x02, 0, 0, 0, 0, 0xaa, /* SA */
};
static const uint8_t salt[MACSEC_SALT_LEN] = { 1, 2,  3,  4,  5,  6,
					       7, 8, 9, 10, 11, 12 };
static const size_t sizes[] = { 2, 3, 46, 47, 48, 49, 64, 1422, 9000 };

enum sci_mode { SCI_EXPLICIT, SCI_ES, SCI_NONE, SCI_MODES };
static const char *const sci_names[] = { "explicit-sci", "es", "no-sci" };

struct mode {
	const char *alg, *be;
	int is_integrity, is_xpn;
	enum sci_mode sci;
};

static int sa_new(struct macsec_sa **sa, const struct mode *m, unsigned an,
		  unsigned window, uint64_t start)
{
	static const uint8_t sci_explicit[MACSEC_SCI_LEN] = {
		0x12, 0x15, 0x35, 0x24, 0xc0, 0x89, 0x5e, 0x81
	};
	static const uint8_t sci_es[MACSEC_SCI_LEN] = { 0x02, 0, 0, 0,
							0,    0xaa, 0, 1 };
	static const unsigned tcis[] = { MACSEC_TCI_SC, MACSEC_TCI_ES, 0 };
	uint8_t key[AEAD_KEY_MAX];

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	struct macsec_sa_cfg cfg = {
		.aead.alg = m->alg,
		.aead.backend = m->be,
		.aead.key = key,
		.aead.key_len = aead_key_len(m->alg),
		.sci = m->sci == SCI_ES ? sci_es : sci_explicit,
		.tci = tcis[m->sci],
		.an = an,
		.is_integrity = m->is_integrity,
		.is_xpn = m->is_xpn,
		.ssci = 0x7a30c118,
		.salt = salt,
		.replay_window = window,
		.pn_start = start,
	};
	return macsec_sa_new(sa, &cfg);
}

/* One frame of n user-data bytes with packet number pn. */
static long make(struct macsec_sa *o, uint8_t *frame, size_t n, uint64_t pn)
{
	size_t hdr = macsec_hdr_len(o);

	memcpy(frame, addrs, sizeof(addrs));
	for (size_t i = 0; i < n; i++)
		frame[hdr + i] = (uint8_t)(i ^ pn);
	return macsec_encap(o, frame, n, pn);
}

static int is_clear(const uint8_t *p, size_t n, uint64_t pn)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(i ^ pn))
			return 0;
	return 1;
}

static void round_trips(const struct mode *m)
{
	static uint8_t frame[MACSEC_FRAME_MAX];
	uint64_t pn = m->is_xpn ? 0xfffffff0ull : 1;
	const char *what = m->is_integrity ? "integrity" : "confidential";
	struct macsec_sa *o, *in;

	if (sa_new(&o, m, 1, 64, 0) < 0 || sa_new(&in, m, 1, 64, pn) < 0) {
		t_check(0, "%s/%s %s: SAs", m->alg, m->be, what);
		return;
	}
	for (size_t k = 0; k < NCB_ARRAY_SIZE(sizes); k++, pn += 9) {
		size_t n = sizes[k], hdr = macsec_hdr_len(o);
		long len = make(o, frame, n, pn);
		struct macsec_decap_out out;
		int is_ok;

		t_check(len == (long)macsec_frame_len(o, n) &&
				frame[MACSEC_ADDRS_LEN + 3] == (n < 48 ? n : 0),
			"%s/%s %s xpn %d %s size %zu: length and SL", m->alg,
			m->be, what, m->is_xpn, sci_names[m->sci], n);
		if (len < 0)
			continue;
		/* Integrity only leaves the user data in clear. */
		if (n > 8)
			t_check(is_clear(frame + hdr, n, pn) ==
					(m->is_integrity ||
					 strcmp(m->alg, "null") == 0),
				"%s/%s %s size %zu: clear only when integrity",
				m->alg, m->be, what, n);
		is_ok = macsec_decap(in, frame, (size_t)len, &out) ==
			MACSEC_V_OK;
		t_check(is_ok && out.user_len == n && out.pn == pn &&
				out.user == frame + hdr && is_clear(out.user, n, pn),
			"%s/%s %s xpn %d %s size %zu: round trip", m->alg,
			m->be, what, m->is_xpn, sci_names[m->sci], n);
	}
	t_check(macsec_sa_counts(in)[MACSEC_V_OK] == NCB_ARRAY_SIZE(sizes),
		"%s/%s %s: ok counted", m->alg, m->be, what);
	macsec_sa_free(o);
	macsec_sa_free(in);
}

/* Decaps a copy of frame with byte `at` XORed by x (x = 0: unchanged). */
static enum macsec_verdict try_copy(struct macsec_sa *in, const uint8_t *frame,
				    size_t len, size_t at, uint8_t x)
{
	static uint8_t bad[4096];
	struct macsec_decap_out out;

	memcpy(bad, frame, len);
	bad[at] ^= x;
	return macsec_decap(in, bad, len, &out);
}

/* Every reason, each counted under its own name. */
static void rejections(const struct mode *m)
{
	static uint8_t frame[4096];
	const size_t tci = MACSEC_ADDRS_LEN + 2, sl = tci + 1;
	struct macsec_sa *o, *in, *other_an;
	struct macsec_decap_out out;
	const uint64_t *cnt;
	long len, small;

	if (sa_new(&o, m, 1, 64, 0) < 0 || sa_new(&in, m, 1, 64, 0) < 0 ||
	    sa_new(&other_an, m, 2, 64, 0) < 0) {
		t_check(0, "%s/%s: SAs", m->alg, m->be);
		return;
	}
	len = make(o, frame, 100, 200);
	t_check(try_copy(in, frame, (size_t)len, 30, 1) == MACSEC_V_ICV,
		"%s/%s: tampered secure data", m->alg, m->be);
	memset(&out, 0, sizeof(out));
	{
		static uint8_t bad[4096];

		memcpy(bad, frame, (size_t)len);
		bad[len - 1] ^= 1;
		t_check(macsec_decap(in, bad, (size_t)len, &out) ==
					MACSEC_V_ICV &&
				out.pn == 200,
			"%s/%s: refused frame tells the PN it claimed", m->alg,
			m->be);
	}
	t_check(try_copy(in, frame, (size_t)len, (size_t)len - 1, 0x80) ==
			MACSEC_V_ICV,
		"%s/%s: tampered ICV", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, 0, 4) == MACSEC_V_ICV,
		"%s/%s: tampered DA (in the AAD)", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, tci + 4, 1) == MACSEC_V_ICV,
		"%s/%s: tampered PN", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, MACSEC_ADDRS_LEN, 1) ==
			MACSEC_V_BAD_TAG,
		"%s/%s: not EtherType 88E5", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, tci, MACSEC_TCI_V) ==
			MACSEC_V_BAD_TAG,
		"%s/%s: version bit", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, tci,
			 MACSEC_TCI_C * !m->is_integrity +
				 MACSEC_TCI_E * m->is_integrity) ==
			MACSEC_V_BAD_TAG,
		"%s/%s: E without C or C without E", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, sl, 100) == MACSEC_V_BAD_TAG,
		"%s/%s: SL above 47", m->alg, m->be);
	t_check(try_copy(in, frame, (size_t)len, sl, 20) == MACSEC_V_BAD_TAG,
		"%s/%s: SL set on a long frame", m->alg, m->be);
	/* With XPN a low half of 0 is a PN of the next 2^32. */
	t_check(try_copy(in, frame, (size_t)len, tci + 5, 200) ==
			(m->is_xpn ? MACSEC_V_ICV : MACSEC_V_BAD_TAG),
		"%s/%s: PN 0", m->alg, m->be);
	if (m->sci == SCI_EXPLICIT) {
		t_check(try_copy(in, frame, (size_t)len, tci, MACSEC_TCI_ES) ==
				MACSEC_V_BAD_TAG,
			"%s/%s: ES with SC", m->alg, m->be);
		t_check(try_copy(in, frame, (size_t)len, tci + 8, 1) ==
				MACSEC_V_SCI,
			"%s/%s: unknown SCI", m->alg, m->be);
	}
	if (m->sci == SCI_ES)
		t_check(try_copy(in, frame, (size_t)len, 11, 1) == MACSEC_V_SCI,
			"%s/%s: MAC SA of another station", m->alg, m->be);
	t_check(macsec_decap(other_an, frame, (size_t)len, &out) == MACSEC_V_AN,
		"%s/%s: AN of no receive SA", m->alg, m->be);
	small = make(o, frame + 2048, 10, 201);
	t_check(try_copy(in, frame + 2048, (size_t)small, sl, 1) ==
			MACSEC_V_BAD_TAG,
		"%s/%s: SL not the secure data length", m->alg, m->be);
	t_check(macsec_decap(in, frame, (size_t)len, &out) == MACSEC_V_OK,
		"%s/%s: the untouched frame still passes", m->alg, m->be);
	t_check(macsec_decap(in, frame, (size_t)len, &out) == MACSEC_V_REPLAY,
		"%s/%s: replayed", m->alg, m->be);
	len = make(o, frame, 100, 400);
	t_check(macsec_decap(in, frame, (size_t)len, &out) == MACSEC_V_OK,
		"%s/%s: jump ahead", m->alg, m->be);
	len = make(o, frame, 100, 337);
	t_check(macsec_decap(in, frame, (size_t)len, &out) == MACSEC_V_OK,
		"%s/%s: left edge of the window (400 - 63)", m->alg, m->be);
	/* XPN reads a PN below the window as one 2^32 later, which then
	 * fails authentication. */
	len = make(o, frame, 100, 336);
	t_check(macsec_decap(in, frame, (size_t)len, &out) ==
			(m->is_xpn ? MACSEC_V_ICV : MACSEC_V_LATE),
		"%s/%s: one left of the window is late", m->alg, m->be);
	t_check(macsec_decap(in, frame, 12 + 8 + 15, &out) ==
			MACSEC_V_TRUNCATED,
		"%s/%s: truncated", m->alg, m->be);
	t_check(macsec_decap(in, frame, MACSEC_FRAME_MAX + 1, &out) ==
			MACSEC_V_OVERSIZE,
		"%s/%s: oversize", m->alg, m->be);
	cnt = macsec_sa_counts(in);
	t_check(cnt[MACSEC_V_OK] == 3 && cnt[MACSEC_V_REPLAY] == 1 &&
			cnt[MACSEC_V_LATE] == (m->is_xpn ? 0u : 1u) &&
			cnt[MACSEC_V_TRUNCATED] == 1 &&
			cnt[MACSEC_V_OVERSIZE] == 1 &&
			cnt[MACSEC_V_ICV] == (m->is_xpn ? 7u : 5u) &&
			cnt[MACSEC_V_BAD_TAG] == (m->sci == SCI_EXPLICIT ? 8u : 7u) -
							 (m->is_xpn ? 1u : 0u) &&
			cnt[MACSEC_V_SCI] == (m->sci == SCI_NONE ? 0u : 1u),
		"%s/%s %s: counts by reason", m->alg, m->be,
		sci_names[m->sci]);
	macsec_sa_free(o);
	macsec_sa_free(in);
	macsec_sa_free(other_an);
}

/* Window 0: only increasing PNs pass. */
static void strict_order(const struct mode *m)
{
	static uint8_t frame[256];
	struct macsec_sa *o, *in;
	struct macsec_decap_out out;
	static const uint64_t pns[] = { 5, 6, 6, 4, 9, 7 };
	static const enum macsec_verdict want[] = {
		MACSEC_V_OK, MACSEC_V_OK, MACSEC_V_REPLAY,
		MACSEC_V_LATE, MACSEC_V_OK, MACSEC_V_LATE,
	};

	if (sa_new(&o, m, 0, 0, 0) < 0 || sa_new(&in, m, 0, 0, 0) < 0) {
		t_check(0, "strict: SAs");
		return;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(pns); i++) {
		long len = make(o, frame, 60, pns[i]);

		t_check(macsec_decap(in, frame, (size_t)len, &out) == want[i],
			"%s strict order: PN %llu", m->alg,
			(unsigned long long)pns[i]);
	}
	macsec_sa_free(o);
	macsec_sa_free(in);
}

/* XPN: only the low half of the PN is sent; the receiver recovers the
 * high half across 2^32, and a 32-bit SA refuses to go past its last PN. */
static void xpn_wrap(void)
{
	static uint8_t frame[256];
	struct mode x = { "aes-128-gcm", "openssl", 0, 1, SCI_EXPLICIT };
	struct mode p = { "aes-128-gcm", "openssl", 0, 0, SCI_EXPLICIT };
	struct macsec_sa *o, *in;
	struct macsec_decap_out out;
	uint64_t pn = 0xfffffffeull;
	int is_ok = 1;

	if (sa_new(&o, &x, 0, 64, 0) < 0 || sa_new(&in, &x, 0, 64, pn) < 0) {
		t_check(0, "xpn: SAs");
		return;
	}
	for (int i = 0; i < 5; i++, pn++) {
		long len = make(o, frame, 64, pn);

		is_ok &= macsec_decap(in, frame, (size_t)len, &out) ==
				 MACSEC_V_OK &&
			 out.pn == pn;
	}
	t_check(is_ok, "xpn: PNs 2^32-2 .. 2^32+2 recovered");
	t_check(make(o, frame, 64, 0) == -ERANGE, "xpn: PN 0 refused");
	macsec_sa_free(o);
	macsec_sa_free(in);
	if (sa_new(&o, &p, 0, 64, 0) < 0)
		return;
	t_check(make(o, frame, 64, 0xffffffffull) > 0 &&
			make(o, frame, 64, 0x100000000ull) == -ERANGE,
		"32-bit PN: the last PN is 2^32-1");
	macsec_sa_free(o);
}

/* Every prefix of a valid frame is refused, reading only its bytes. */
static void truncations(const struct mode *m)
{
	static uint8_t frame[256];
	struct macsec_sa *o, *in;
	int is_ok = 1;
	long len;

	if (sa_new(&o, m, 0, 64, 0) < 0 || sa_new(&in, m, 0, 64, 0) < 0)
		return;
	len = make(o, frame, 60, 77);
	for (long n = 0; n < len; n++) {
		uint8_t *p = malloc(n ? (size_t)n : 1);
		struct macsec_decap_out out;

		memcpy(p, frame, (size_t)n);
		is_ok &= macsec_decap(in, p, (size_t)n, &out) != MACSEC_V_OK;
		free(p);
	}
	t_check(is_ok, "%s %s: every truncation refused", m->alg,
		sci_names[m->sci]);
	macsec_sa_free(o);
	macsec_sa_free(in);
}

static void bad_configs(void)
{
	struct mode m = { "aes-128-gcm", "openssl", 0, 0, SCI_EXPLICIT };
	uint8_t key[16] = { 0 }, sci[8] = { 0 };
	struct macsec_sa_cfg cfg = {
		.aead.alg = "aes-128-gcm", .aead.backend = "openssl", .aead.key = key,
		.aead.key_len = 16, .sci = sci,
		.tci = MACSEC_TCI_SC | MACSEC_TCI_ES,
	};
	struct macsec_sa *sa;

	t_check(macsec_sa_new(&sa, &cfg) == -EINVAL, "SC with ES refused");
	cfg.tci = MACSEC_TCI_E;
	t_check(macsec_sa_new(&sa, &cfg) == -EINVAL, "E in tci refused");
	cfg.tci = 0;
	cfg.an = 4;
	t_check(macsec_sa_new(&sa, &cfg) == -EINVAL, "AN 4 refused");
	cfg.an = 0;
	cfg.is_xpn = 1;
	t_check(macsec_sa_new(&sa, &cfg) == -EINVAL, "XPN without salt");
	t_check(sa_new(&sa, &m, 3, 64, 0) == 0, "AN 3 accepted");
	macsec_sa_free(sa);
	t_check(strcmp(macsec_suite_name("aes-256-gcm", 1), "GCM-AES-XPN-256") == 0 &&
			strcmp(macsec_suite_name("aes-128-gcm", 0), "GCM-AES-128") == 0 &&
			!macsec_suite_name("chacha20-poly1305", 0) &&
			!macsec_suite_name("sm4-gcm", 1),
		"suite names; chacha and sm4 are non-standard");
}

int main(void)
{
	for (size_t a = 0; a < aead_alg_count(); a++) {
		const char *alg = aead_alg_name(a);

		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *be = aead_backend_name(b);

			/* MACsec's cipher suites are AEADs (802.1AE §14). */
			if (aead_info(alg)->kind != AEAD_KIND_AEAD ||
			    aead_probe(alg, be) < 0)
				continue;
			for (int k = 0; k < 2 * 2 * SCI_MODES; k++) {
				struct mode m = { alg, be, k & 1, (k >> 1) & 1,
						  (enum sci_mode)(k >> 2) };

				round_trips(&m);
				if (strcmp(alg, "null") != 0)
					rejections(&m);
				if (k == 0 || k == 9)
					strict_order(&m);
				truncations(&m);
			}
		}
	}
	xpn_wrap();
	bad_configs();
	return t_done("test_macsec");
}
