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

/* Bursts: a list of frames in two copies, one opened a frame at a time,
 * the other in bursts (of 1, 32 and the whole list), gives the same
 * verdicts, views and counters; the list holds good frames (a pair
 * swapped each round), a copy right behind its original (in the same
 * burst), forgeries of a PN that arrives later, truncated frames, bad
 * tags, an unused AN, late and oversize frames. Sealing in bursts makes
 * the frames one at a time makes. */
enum { LIST = 90, FBUF = 512 };

static uint8_t list_o[LIST][FBUF], list_a[LIST][FBUF], list_b[LIST][FBUF];
static uint8_t big_a[MACSEC_FRAME_MAX + 1], big_b[MACSEC_FRAME_MAX + 1];

/* The mixed list of frames from base on, in list_o. */
static void mixed(struct macsec_sa *o, uint64_t base, size_t *lens)
{
	uint64_t pn = base;
	long len = 0;

	for (unsigned i = 0; i < LIST; i++) {
		uint8_t *frame = list_o[i];

		if (i % 10 == 3) { /* the same frame again, at once */
			memcpy(frame, list_o[i - 1], lens[i - 1]);
			lens[i] = lens[i - 1];
			continue;
		}
		switch (i % 10) {
		case 1:
			len = make(o, frame, 30 + i, pn + 1);
			break;
		case 2:
			len = make(o, frame, 30 + i, pn);
			pn += 2;
			break;
		case 5: /* a forgery of the PN that comes next */
			len = make(o, frame, 60, pn);
			frame[len - 1] ^= 1;
			break;
		case 7: /* shorter than any frame */
			len = i % 20 == 7 ? 10 : 30;
			break;
		case 8: /* an AN no SA uses, or another EtherType */
			len = make(o, frame, 40, pn++);
			frame[i % 20 == 8 ? MACSEC_ADDRS_LEN + 2 : 12] ^= 1;
			break;
		case 9: /* oversize, or left of a window of 64 */
			len = i % 20 == 9 ? MACSEC_FRAME_MAX + 1
					  : make(o, frame, 40, base - 100);
			break;
		default:
			len = make(o, frame, 30 + i * 7 % 200, pn++);
			break;
		}
		lens[i] = (size_t)len;
	}
}

static void bursts(const struct mode *m)
{
	static const unsigned runs[] = { 1, 32, LIST };
	static struct macsec_decap_out oa[LIST], ob[LIST];
	uint64_t base = m->is_xpn ? 0xffffffd0ull : 1000;
	uint8_t *pa[LIST], *pb[LIST], va[LIST], vb[LIST];
	size_t lens[LIST], sl[LIST];
	uint64_t pns[LIST];
	long ra[LIST], rb[LIST];
	struct macsec_sa *o, *o2, *one, *many;
	/* Every verdict but an unknown SCI; with XPN a PN left of the
	 * window stands for one of the next 2^32 and fails the ICV. */
	unsigned want = ((1u << MACSEC_V_COUNT) - 1) & ~(1u << MACSEC_V_SCI) &
			~(m->is_xpn ? 1u << MACSEC_V_LATE : 0u);
	int is_same = 1;

	if (sa_new(&o, m, 0, 64, 0) < 0 || sa_new(&o2, m, 0, 64, 0) < 0) {
		t_check(0, "%s/%s: SAs", m->alg, m->be);
		return;
	}
	mixed(o, base, lens);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(runs); k++) {
		unsigned b = runs[k], seen = 0;

		if (sa_new(&one, m, 0, 64, base - 1) < 0) {
			t_check(0, "%s/%s: SA", m->alg, m->be);
			break;
		}
		if (sa_new(&many, m, 0, 64, base - 1) < 0) {
			t_check(0, "%s/%s: SA", m->alg, m->be);
			macsec_sa_free(one);
			break;
		}
		for (unsigned i = 0; i < LIST; i++) {
			pa[i] = lens[i] > FBUF ? big_a : list_a[i];
			pb[i] = lens[i] > FBUF ? big_b : list_b[i];
			if (lens[i] <= FBUF) {
				memcpy(list_a[i], list_o[i], lens[i]);
				memcpy(list_b[i], list_o[i], lens[i]);
			}
		}
		for (unsigned i = 0; i < LIST; i++)
			va[i] = (uint8_t)macsec_decap(one, pa[i], lens[i], &oa[i]);
		for (unsigned i = 0; i < LIST; i += b)
			macsec_decap_burst(many, pb + i, lens + i, ob + i, vb + i,
					   LIST - i < b ? LIST - i : b);
		for (unsigned i = 0; i < LIST; i++) {
			int ok = va[i] == vb[i];

			seen |= 1u << va[i];
			if (ok && va[i] == MACSEC_V_OK)
				ok = oa[i].user - pa[i] == ob[i].user - pb[i] &&
				     oa[i].user_len == ob[i].user_len &&
				     oa[i].pn == ob[i].pn &&
				     !memcmp(oa[i].user, ob[i].user, oa[i].user_len);
			if (ok && va[i] == MACSEC_V_ICV)
				ok = oa[i].pn == ob[i].pn;
			if (!ok)
				t_check(0, "%s/%s %s: frame %u: %u alone, %u in bursts of %u",
					m->alg, m->be, sci_names[m->sci], i, va[i],
					vb[i], b);
			is_same &= ok;
		}
		t_check(is_same && !memcmp(macsec_sa_counts(one), macsec_sa_counts(many),
					   MACSEC_V_COUNT * sizeof(uint64_t)),
			"%s/%s xpn %d integrity %d %s: bursts of %u give what one at a time gives",
			m->alg, m->be, m->is_xpn, m->is_integrity, sci_names[m->sci], b);
		t_check((seen & want) == want && (b == 1 || vb[3] == MACSEC_V_REPLAY),
			"%s/%s: every kind in the list (%#x), a copy in its burst replayed",
			m->alg, m->be, seen);
		macsec_sa_free(one);
		macsec_sa_free(many);
	}
	/* Sealed in a burst, as one at a time. */
	for (unsigned i = 0; i < LIST; i++) {
		pa[i] = list_a[i];
		pb[i] = list_b[i];
		sl[i] = 20 + i * 5;
		pns[i] = base + i;
		memcpy(list_a[i], addrs, sizeof(addrs));
		memcpy(list_b[i], addrs, sizeof(addrs));
		for (size_t j = 0; j < sl[i]; j++)
			list_a[i][macsec_hdr_len(o) + j] =
				list_b[i][macsec_hdr_len(o) + j] = (uint8_t)(i + j);
		ra[i] = macsec_encap(o, pa[i], sl[i], pns[i]);
	}
	macsec_encap_burst(o2, pb, sl, pns, rb, LIST);
	for (unsigned i = 0; i < LIST; i++)
		is_same &= ra[i] == rb[i] && ra[i] > 0 &&
			   !memcmp(list_a[i], list_b[i], (size_t)ra[i]);
	t_check(is_same, "%s/%s: a burst seals as one at a time", m->alg, m->be);
	macsec_sa_free(o);
	macsec_sa_free(o2);
}

/* Near 2^32 the PN a later frame's low half stands for depends on what an
 * earlier frame of the same burst did to the window: such a burst goes
 * a frame at a time, as without bursts. */
static void xpn_burst_wrap(void)
{
	static uint8_t f1[256], f2[256], g1[256], g2[256];
	struct mode x = { "aes-128-gcm", "openssl", 0, 1, SCI_EXPLICIT };
	uint64_t top = 0x100000000ull - 2000;
	struct macsec_sa *o, *one, *many;
	struct macsec_decap_out oa[2], ob[2];
	uint8_t *a[2] = { f1, f2 }, *b[2] = { g1, g2 }, va[2], vb[2];
	size_t lens[2];

	if (sa_new(&o, &x, 0, 1024, 0) < 0 || sa_new(&one, &x, 0, 1024, top) < 0 ||
	    sa_new(&many, &x, 0, 1024, top) < 0) {
		t_check(0, "xpn burst: SAs");
		return;
	}
	lens[0] = (size_t)make(o, f1, 40, 0x100000000ull + 100);
	lens[1] = (size_t)make(o, f2, 40, 0xfffff500ull);
	memcpy(g1, f1, lens[0]);
	memcpy(g2, f2, lens[1]);
	for (int i = 0; i < 2; i++)
		va[i] = (uint8_t)macsec_decap(one, a[i], lens[i], &oa[i]);
	macsec_decap_burst(many, b, lens, ob, vb, 2);
	t_check(va[0] == MACSEC_V_OK && va[1] == MACSEC_V_ICV &&
			vb[0] == va[0] && vb[1] == va[1] && ob[1].pn == oa[1].pn &&
			!memcmp(macsec_sa_counts(one), macsec_sa_counts(many),
				MACSEC_V_COUNT * sizeof(uint64_t)),
		"xpn: a burst across 2^32 gives what one frame at a time gives (%u %u / %u %u)",
		va[0], va[1], vb[0], vb[1]);
	macsec_sa_free(o);
	macsec_sa_free(one);
	macsec_sa_free(many);
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

			struct mode etm = { alg, be, 0, 0, SCI_EXPLICIT };
			struct macsec_sa *sa;

			if (aead_probe(alg, be) < 0)
				continue;
			if (aead_info(alg)->kind == AEAD_KIND_ETM) {
				t_check(sa_new(&sa, &etm, 0, 64, 0) == -EINVAL && !sa,
					"%s/%s: an encrypt-then-MAC suite refused", alg, be);
				continue;
			}
			for (int k = 0; k < 2 * 2 * SCI_MODES; k++) {
				struct mode m = { alg, be, k & 1, (k >> 1) & 1,
						  (enum sci_mode)(k >> 2) };

				round_trips(&m);
				if (strcmp(alg, "null") != 0)
					rejections(&m);
				if (k == 0 || k == 9)
					strict_order(&m);
				truncations(&m);
				if (strcmp(alg, "null") != 0)
					bursts(&m);
			}
		}
	}
	xpn_wrap();
	xpn_burst_wrap();
	bad_configs();
	return t_done("test_macsec");
}
