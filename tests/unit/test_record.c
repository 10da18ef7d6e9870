/* TLS-style records: round trips for every AEAD, the nonce built as RFC
 * 8446 §5.3 says (checked against a direct AEAD call), every rejection,
 * and the re-framer fed one stream cut every way: 1-byte pieces, every
 * single cut, random pieces, records of every size class. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/record.h"
#include "tests/unit/helpers.h"

static const uint8_t iv[RECORD_IV_LEN] = { 0x5b, 0x78, 0x92, 0x3d, 0xee, 0x08,
					   0x57, 0x90, 0x33, 0xe5, 0x23, 0xd9 };

static void key_of(uint8_t *key)
{
	for (int i = 0; i < AEAD_KEY_MAX; i++)
		key[i] = (uint8_t)(i * 29 + 1);
}

static int sa_new(struct record_sa **sa, const char *alg, const char *be,
		  size_t data_max)
{
	uint8_t key[AEAD_KEY_MAX];
	struct record_cfg cfg = { { alg, be, key, aead_key_len(alg), 0 }, iv,
				  data_max };

	key_of(key);
	return record_sa_new(sa, &cfg);
}

static void fill(uint8_t *p, size_t n, unsigned salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + salt);
}

static int is_filled(const uint8_t *p, size_t n, unsigned salt)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(i * 7 + salt))
			return 0;
	return 1;
}

static void round_trips(const char *alg, const char *be)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 1420, RECORD_DATA_MAX };
	static uint8_t rec[RECORD_MAX], ref[RECORD_MAX];
	struct record_sa *o, *in;
	uint8_t key[AEAD_KEY_MAX], nonce[RECORD_IV_LEN];
	struct aead_ctx *c = NULL;

	key_of(key);
	if (sa_new(&o, alg, be, 0) < 0 || sa_new(&in, alg, be, 0) < 0 ||
	    aead_ctx_new(&c, alg, be, key, aead_key_len(alg)) < 0) {
		t_check(0, "%s/%s: contexts", alg, be);
		return;
	}
	for (size_t k = 0; k < NCB_ARRAY_SIZE(sizes); k++) {
		size_t n = sizes[k];
		struct record_out out;
		long len;

		fill(rec + RECORD_HDR_LEN, n, (unsigned)k);
		len = record_seal(o, rec, n, RECORD_APP_DATA);
		/* The same record by hand: header 17 03 03 len, nonce = IV
		 * with the sequence number k XORed into its last bytes. */
		memcpy(ref, rec, RECORD_HDR_LEN);
		fill(ref + RECORD_HDR_LEN, n, (unsigned)k);
		ref[RECORD_HDR_LEN + n] = RECORD_APP_DATA;
		memcpy(nonce, iv, sizeof(nonce));
		nonce[11] ^= (uint8_t)k;
		t_check(len == (long)record_len(n) && rec[0] == 23 &&
				rec[1] == 3 && rec[2] == 3 &&
				record_wire_len(rec) == (size_t)len &&
				aead_seal(c, nonce, ref, RECORD_HDR_LEN,
					  ref + RECORD_HDR_LEN, n + 1,
					  ref + RECORD_HDR_LEN + n + 1) == 0 &&
				memcmp(rec, ref, (size_t)len) == 0,
			"%s/%s size %zu: layout and nonce", alg, be, n);
		t_check(record_open(in, rec, (size_t)len, &out) == RECORD_V_OK &&
				out.len == n && out.seq == k &&
				out.content_type == RECORD_APP_DATA &&
				is_filled(out.data, n, (unsigned)k),
			"%s/%s size %zu: round trip", alg, be, n);
	}
	aead_ctx_free(c);
	record_sa_free(o);
	record_sa_free(in);
}

static void rejections(const char *alg, const char *be)
{
	static uint8_t rec[2048], bad[2048];
	struct record_sa *o, *in, *small;
	struct record_out out;
	long len;

	if (sa_new(&o, alg, be, 0) < 0 || sa_new(&small, alg, be, 100) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	fill(rec + RECORD_HDR_LEN, 200, 1);
	len = record_seal(o, rec, 200, RECORD_APP_DATA);
	/* Each case opens as record 0 with a fresh SA. */
	static const struct {
		size_t at;
		uint8_t x;
		enum record_verdict want;
		const char *what;
	} cases[] = {
		{ 0, 0, RECORD_V_OK, "untouched" },
		{ 0, 1, RECORD_V_BAD_HEADER, "outer type" },
		{ 2, 1, RECORD_V_BAD_HEADER, "version" },
		{ 10, 1, RECORD_V_BAD_MAC, "ciphertext" },
		{ 205, 1, RECORD_V_BAD_MAC, "encrypted content type" },
		{ 220, 0x80, RECORD_V_BAD_MAC, "tag" },
	};
	for (size_t k = 0; k < NCB_ARRAY_SIZE(cases); k++) {
		if (sa_new(&in, alg, be, 0) < 0)
			break;
		memcpy(bad, rec, (size_t)len);
		bad[cases[k].at] ^= cases[k].x;
		t_check(record_open(in, bad, (size_t)len, &out) == cases[k].want &&
				record_sa_counts(in)[cases[k].want] == 1,
			"%s/%s: %s", alg, be, cases[k].what);
		record_sa_free(in);
	}
	if (sa_new(&in, alg, be, 0) < 0)
		return;
	t_check(record_open(in, rec, (size_t)len - 1, &out) == RECORD_V_BAD_HEADER,
		"%s/%s: length differs from the header", alg, be);
	/* That consumed record 0: the same record as record 1 fails. */
	t_check(record_open(in, rec, (size_t)len, &out) == RECORD_V_BAD_MAC,
		"%s/%s: out of sequence", alg, be);
	t_check(record_open(small, rec, (size_t)len, &out) == RECORD_V_OVERFLOW,
		"%s/%s: above the reader's record size limit", alg, be);
	record_sa_free(in);
	if (sa_new(&in, alg, be, 0) < 0)
		return;
	memset(rec + RECORD_HDR_LEN, 0, 10);
	len = record_seal(o, rec, 10, 0);
	record_open(in, bad, 0, &out); /* skip record 0 */
	t_check(record_open(in, rec, (size_t)len, &out) == RECORD_V_NO_TYPE,
		"%s/%s: all-zero inner plaintext", alg, be);
	t_check(record_seal(o, rec, RECORD_DATA_MAX + 1, 23) == -EMSGSIZE,
		"%s/%s: more than 2^14 bytes refused", alg, be);
	record_sa_free(in);
	record_sa_free(o);
	record_sa_free(small);
}

/* A stream of records of sizes 0..., sealed back to back. */
static size_t make_stream(uint8_t *s, const size_t *sizes, size_t n)
{
	struct record_sa *o;
	size_t off = 0;

	if (sa_new(&o, "aes-128-gcm", "openssl", 0) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		fill(s + off + RECORD_HDR_LEN, sizes[i], (unsigned)i);
		off += (size_t)record_seal(o, s + off, sizes[i], RECORD_APP_DATA);
	}
	record_sa_free(o);
	return off;
}

/* Feeds stream s cut at the given piece lengths (cycled), checking each
 * call's records at once; 1 if every record came back whole, in order. */
static int reframe(const uint8_t *s, size_t len, const size_t *sizes,
		   size_t n, const size_t *cuts, size_t ncuts)
{
	static uint8_t copy[1 << 20];
	static struct record_out outs[1 << 16];
	static uint8_t vs[1 << 16];
	struct record_sa *in;
	struct record_reader *r;
	size_t got = 0, off = 0, c = 0;
	int ok = 1;

	if (sa_new(&in, "aes-128-gcm", "openssl", 0) < 0 ||
	    record_reader_new(&r, in) < 0)
		return 0;
	memcpy(copy, s, len);
	while (off < len) {
		size_t piece = cuts[c++ % ncuts];
		int k;

		if (piece > len - off)
			piece = len - off;
		/* Each piece in its own exact-size buffer: ASan sees any
		 * read past it. */
		uint8_t *p = malloc(piece ? piece : 1);

		memcpy(p, copy + off, piece);
		k = record_reader_feed(r, p, piece, outs, vs, NCB_ARRAY_SIZE(vs));
		for (int i = 0; i < k; i++, got++)
			ok &= got < n && vs[i] == RECORD_V_OK &&
			      outs[i].seq == got && outs[i].len == sizes[got] &&
			      is_filled(outs[i].data, sizes[got], (unsigned)got);
		ok &= k >= 0;
		free(p);
		off += piece;
	}
	ok &= got == n && !record_reader_is_lost(r);
	record_reader_free(r);
	record_sa_free(in);
	return ok;
}

static void reframer(void)
{
	static const size_t sizes[] = { 0, 1, 16383, 5, 1420, 16384, 0, 300, 2, 64 };
	static const size_t small[] = { 3, 0, 40, 1 };
	static uint8_t s[1 << 17], t[512];
	static size_t cuts[64];
	size_t len = make_stream(s, sizes, NCB_ARRAY_SIZE(sizes));
	size_t tlen = make_stream(t, small, NCB_ARRAY_SIZE(small));
	size_t one = 1, whole = len;
	unsigned seed = 12345;
	int ok = 1;

	t_check(reframe(s, len, sizes, NCB_ARRAY_SIZE(sizes), &whole, 1),
		"reframer: the whole stream at once");
	t_check(reframe(s, len, sizes, NCB_ARRAY_SIZE(sizes), &one, 1),
		"reframer: 1-byte pieces");
	/* Every single cut, and every pair of cuts, of a short stream. */
	for (size_t a = 0; a <= tlen; a++) {
		size_t c1[2] = { a, tlen };

		ok &= reframe(t, tlen, small, NCB_ARRAY_SIZE(small), c1, 2);
		for (size_t b = 0; a + b <= tlen; b++) {
			size_t c2[3] = { a, b, tlen };

			ok &= reframe(t, tlen, small, NCB_ARRAY_SIZE(small), c2, 3);
		}
	}
	t_check(ok, "reframer: every one or two cuts of a %zu-byte stream", tlen);
	ok = 1;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < NCB_ARRAY_SIZE(cuts); i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly small pieces, sometimes one larger than a
			 * record. */
			cuts[i] = (seed >> 16) % (round % 3 == 0 ? 20000 : 700);
		}
		ok &= reframe(s, len, sizes, NCB_ARRAY_SIZE(sizes), cuts,
			      NCB_ARRAY_SIZE(cuts));
	}
	t_check(ok, "reframer: 200 streams cut at random");
}

static void lost_stream(void)
{
	static struct record_out outs[64];
	uint8_t vs[64], hdr[8] = { 23, 3, 3, 0xff, 0xff, 0, 0, 0 };
	struct record_sa *in;
	struct record_reader *r;

	if (sa_new(&in, "aes-128-gcm", "openssl", 0) < 0 ||
	    record_reader_new(&r, in) < 0)
		return;
	t_check(record_reader_feed(r, hdr, 3, outs, vs, 64) == 0 &&
			record_reader_feed(r, hdr + 3, 5, outs, vs, 64) == 1 &&
			vs[0] == RECORD_V_OVERFLOW && record_reader_is_lost(r) &&
			record_reader_feed(r, hdr, 8, outs, vs, 64) == 0,
		"reframer: a 65535-byte record ends the stream");
	t_check(record_reader_feed(r, hdr, 8, outs, vs, 1) == -EMSGSIZE,
		"reframer: too little room for views refused");
	record_reader_free(r);
	record_sa_free(in);
}

/* Hostile framing: headers announcing fewer bytes than any record has
 * (zero-length records are 5 bytes each, so a piece holds far more of them
 * than its length / RECORD_OVERHEAD). Each case is fed in the given piece
 * size to arrays of the documented size, with guard entries behind them:
 * nothing may be written past max, the first verdict is bad_header and the
 * stream is lost. */
static void short_records(void)
{
	enum { GUARD = 64, SENT = 0xa5 };
	static const struct {
		const char *name;
		uint8_t hdr[5];
		size_t count, piece; /* headers repeated; bytes per feed */
	} cases[] = {
		{ "15 bytes of empty records at once", { 23, 3, 3, 0, 0 }, 3, 15 },
		{ "3000 empty records at once", { 23, 3, 3, 0, 0 }, 3000, 15000 },
		{ "empty records in 7-byte pieces", { 23, 3, 3, 0, 0 }, 40, 7 },
		{ "empty records a byte at a time", { 23, 3, 3, 0, 0 }, 40, 1 },
		{ "records of 16 bytes, one short of a tag", { 23, 3, 3, 0, 16 }, 400, 8400 },
		{ "empty records, bad type too", { 22, 3, 1, 0, 0 }, 1000, 5000 },
	};
	static uint8_t stream[16000];
	static struct record_out outs[16000 / RECORD_OVERHEAD + 2 + GUARD];
	static uint8_t vs[sizeof(outs) / sizeof(outs[0])];

	for (size_t k = 0; k < NCB_ARRAY_SIZE(cases); k++) {
		size_t len = cases[k].count * 5, off = 0;
		struct record_sa *in;
		struct record_reader *r;
		int ok = 1, first = -1;

		if (sa_new(&in, "aes-128-gcm", "openssl", 0) < 0 ||
		    record_reader_new(&r, in) < 0) {
			t_check(0, "short records: contexts");
			return;
		}
		for (size_t i = 0; i < cases[k].count; i++)
			memcpy(stream + 5 * i, cases[k].hdr, 5);
		while (off < len) {
			size_t piece = cases[k].piece < len - off ? cases[k].piece
								  : len - off;
			unsigned max = (unsigned)(piece / RECORD_OVERHEAD + 2);
			int n;

			memset(outs, SENT, sizeof(outs));
			memset(vs, SENT, sizeof(vs));
			n = record_reader_feed(r, stream + off, piece, outs, vs,
					       max);
			ok &= n >= 0 && (unsigned)n <= max;
			for (size_t g = max; g < max + GUARD; g++)
				ok &= vs[g] == SENT &&
				      ((uint8_t *)&outs[g])[0] == SENT;
			if (n > 0 && first < 0)
				first = vs[0];
			off += piece;
		}
		t_check(ok && first == RECORD_V_BAD_HEADER &&
				record_reader_is_lost(r),
			"short records: %s: written within max, bad_header, lost (first verdict %d)",
			cases[k].name, first);
		record_reader_free(r);
		record_sa_free(in);
	}
}

int main(void)
{
	for (size_t a = 0; a < aead_alg_count(); a++)
		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *alg = aead_alg_name(a), *be = aead_backend_name(b);

			struct record_sa *sa;

			if (aead_probe(alg, be) < 0)
				continue;
			if (aead_info(alg)->kind == AEAD_KIND_ETM) {
				t_check(sa_new(&sa, alg, be, 0) == -EINVAL && !sa,
					"%s/%s: an encrypt-then-MAC suite refused", alg, be);
				continue;
			}
			round_trips(alg, be);
			if (strcmp(alg, "null") != 0)
				rejections(alg, be);
		}
	reframer();
	lost_stream();
	short_records();
	return t_done("test_record");
}
