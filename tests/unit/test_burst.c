/* Bursts: on every suite × backend that works here, a burst of 32
 * operations of mixed lengths and layouts (AAD | IV | data | ICV in one
 * buffer, pieces apart, out of place, with a tail) seals and opens to the
 * same bytes and statuses as 32 single calls; a changed ICV fails only
 * its own operation, and an encrypt-then-MAC suite decrypts nothing of
 * it; an operation the backend refuses fails alone. Also one published
 * answer for zuc-128, the suite only one backend offers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "tests/unit/helpers.h"

enum {
	N = 32,
	BUF = 20480, /* one operation's buffer: AAD | IV | data | ICV */
	AAD_LEN = 8, /* ESP's SPI | sequence number */
	TAIL_LEN = 4, /* ESP's high ESN half */
	MARK = 0xa5,  /* what an untouched destination holds */
};

/* How operation i lies in memory. */
enum layout {
	L_JOINED,      /* AAD | IV | data | ICV in one buffer, in place */
	L_JOINED_TAIL, /* the same with a tail (ETM suites) */
	L_APART,       /* AAD, IV, data and ICV in separate places */
	L_OUT,         /* joined source, separate destination and ICV */
	L_COUNT,
};

struct op_buf {
	uint8_t mem[BUF], out[BUF];
	uint8_t aad[AAD_LEN], iv[AEAD_IV_MAX], icv[AEAD_ICV_MAX];
	uint8_t tail[TAIL_LEN];
};

struct side {
	struct op_buf b[N];
	struct aead_op ops[N];
};

static struct side burst, single;
static uint8_t plain[N][BUF];

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 29 + seed * 7 + (i >> 8));
}

/* Lengths to mix: multiples of 16 for CBC, any for the stream modes;
 * zuc-128 stays within what the library takes in one run. */
static size_t op_len(const struct aead_info *a, unsigned i)
{
	static const size_t lens[] = { 0, 16, 48, 64, 208, 1408, 1424, 4096 };
	size_t n = lens[i % NCB_ARRAY_SIZE(lens)];

	if (a->block == 1 && n)
		n -= i % 13;
	return n;
}

/* Lays out operation i of side s: the burst side in layout i % L_COUNT,
 * the single side apart (with a tail where the burst has one), so that
 * the two take different paths to the same bytes. */
static void lay_out(struct side *s, const struct aead_info *a, unsigned i)
{
	struct op_buf *b = &s->b[i];
	struct aead_op *op = &s->ops[i];
	enum layout l = (enum layout)(i % L_COUNT);
	size_t len = op_len(a, i), at = 3; /* not aligned on purpose */
	uint8_t iv[AEAD_IV_MAX], aad[AAD_LEN], tail[TAIL_LEN];
	int has_tail = l == L_JOINED_TAIL && a->kind == AEAD_KIND_ETM;

	if (l == L_JOINED_TAIL && !has_tail)
		l = L_JOINED;
	if (s == &single)
		l = L_APART;
	fill(iv, sizeof(iv), i + 1);
	if (strcmp(a->name, "zuc-128") == 0) { /* COUNT | BEARER, DIR | 0 */
		memset(iv + 4, 0, 4);
		iv[4] = (uint8_t)(i << 3 | 4);
	}
	fill(aad, sizeof(aad), i + 2);
	fill(tail, sizeof(tail), i + 3);
	fill(plain[i], len, i + 4);
	memset(b->mem, MARK, sizeof(b->mem));
	memset(b->out, MARK, sizeof(b->out));
	memset(op, 0, sizeof(*op));
	op->aad_len = AAD_LEN;
	op->len = len;
	if (l == L_APART) {
		memcpy(b->aad, aad, AAD_LEN);
		memcpy(b->iv, iv, a->iv_len);
		memcpy(b->mem, plain[i], len);
		op->aad = b->aad;
		op->iv = b->iv;
		op->src = op->dst = b->mem;
		op->icv = b->icv;
	} else {
		memcpy(b->mem + at, aad, AAD_LEN);
		memcpy(b->mem + at + AAD_LEN, iv, a->iv_len);
		memcpy(b->mem + at + AAD_LEN + a->iv_len, plain[i], len);
		op->aad = b->mem + at;
		op->iv = op->aad + AAD_LEN;
		op->src = op->iv + a->iv_len;
		op->dst = (uint8_t *)op->src;
		op->icv = op->dst + len;
	}
	if (l == L_OUT) {
		op->dst = b->out;
		op->icv = b->icv;
	}
	if (has_tail) {
		memcpy(b->tail, tail, TAIL_LEN);
		op->tail = b->tail;
		op->tail_len = TAIL_LEN;
	}
}

/* Turns sealed operation i into the open of what it wrote. Out of place,
 * the ciphertext moves to the source and the destination is marked. */
static void to_open(struct side *s, unsigned i)
{
	struct aead_op *op = &s->ops[i];
	struct op_buf *b = &s->b[i];

	if (op->dst == op->src)
		return;
	memcpy((uint8_t *)op->src, op->dst, op->len);
	memset(b->out, MARK, sizeof(b->out));
}

/* One operation at a time: the per-packet call where it fits (in place,
 * no tail), else a burst of one. */
static int one(struct aead_ctx *c, struct aead_op *op, int is_seal)
{
	if (op->src == op->dst && !op->tail_len) {
		int rc = is_seal ? aead_seal(c, op->iv, op->aad, op->aad_len,
					     op->dst, op->len, op->icv)
				 : aead_open(c, op->iv, op->aad, op->aad_len,
					     op->dst, op->len, op->icv);
		return op->status = rc;
	}
	return is_seal ? (aead_seal_burst(c, op, 1) ? 0 : op->status)
		       : (aead_open_burst(c, op, 1) ? 0 : op->status);
}

static int is_marked(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != MARK)
			return 0;
	return 1;
}

static void suite(const char *alg, const char *be)
{
	const struct aead_info *a = aead_info(alg);
	static uint8_t ct[N][BUF];
	uint8_t key[AEAD_KEY_MAX];
	struct aead_ctx *c;
	size_t icv_len;
	unsigned ok;
	/* Forged: the ICV of one in place (its ciphertext must stay) and of
	 * one out of place (its destination must stay marked), the last IV
	 * byte of one apart (for zuc-128 a bit only the MAC reads). */
	const unsigned bad_in = 13, bad_out = 19, bad_iv = 22;

	fill(key, sizeof(key), 5);
	if (aead_ctx_new(&c, alg, be, key, a->key_len) < 0) {
		t_check(0, "%s/%s: context", alg, be);
		return;
	}
	icv_len = aead_ctx_icv_len(c);
	for (unsigned i = 0; i < N; i++) {
		lay_out(&burst, a, i);
		lay_out(&single, a, i);
	}
	ok = aead_seal_burst(c, burst.ops, N);
	t_check(ok == N, "%s/%s: burst seal: %u of %d", alg, be, ok, N);
	for (unsigned i = 0; i < N; i++) {
		struct aead_op *x = &burst.ops[i], *y = &single.ops[i];

		t_check(one(c, y, 1) == 0 && x->status == 0,
			"%s/%s op %u: seal statuses %d, %d", alg, be, i,
			x->status, y->status);
		t_check(memcmp(x->dst, y->dst, x->len) == 0 &&
				memcmp(x->icv, y->icv, icv_len) == 0,
			"%s/%s op %u (len %zu): burst and single seal differ",
			alg, be, i, x->len);
		t_check(x->len < 16 || memcmp(x->dst, plain[i], x->len) != 0,
			"%s/%s op %u: sealed data is the plaintext", alg, be,
			i);
		to_open(&burst, i);
		to_open(&single, i);
	}
	burst.ops[bad_in].icv[0] ^= 0x01;
	burst.ops[bad_out].icv[icv_len - 1] ^= 0x80;
	burst.b[bad_iv].iv[a->iv_len - 1] ^= 0x01;
	for (unsigned i = 0; i < N; i++)
		memcpy(ct[i], burst.ops[i].src, burst.ops[i].len);
	ok = aead_open_burst(c, burst.ops, N);
	t_check(ok == N - 3, "%s/%s: burst open: %u of %d", alg, be, ok, N - 3);
	for (unsigned i = 0; i < N; i++) {
		struct aead_op *x = &burst.ops[i], *y = &single.ops[i];
		int is_bad = i == bad_in || i == bad_out || i == bad_iv;

		t_check(one(c, y, 0) == 0, "%s/%s op %u: single open %d", alg,
			be, i, y->status);
		t_check(memcmp(y->dst, plain[i], y->len) == 0,
			"%s/%s op %u: single round trip differs", alg, be, i);
		if (!is_bad) {
			t_check(x->status == 0 &&
					memcmp(x->dst, plain[i], x->len) == 0,
				"%s/%s op %u: burst open %d or differs", alg,
				be, i, x->status);
			continue;
		}
		t_check(x->status == -EBADMSG, "%s/%s op %u: forged: status %d",
			alg, be, i, x->status);
		if (a->kind != AEAD_KIND_ETM)
			continue;
		t_check(x->dst != x->src ? is_marked(x->dst, x->len)
					 : memcmp(x->dst, ct[i], x->len) == 0,
			"%s/%s op %u: forged operation was decrypted", alg, be,
			i);
	}

	/* Operations the suite refuses fail alone: a length off the block
	 * (CBC) or a tail on an AEAD. */
	for (unsigned i = 0; i < N; i++)
		lay_out(&burst, a, i);
	if (a->block > 1) {
		burst.ops[5].len = 15;
	} else if (a->kind == AEAD_KIND_AEAD) {
		burst.ops[5].tail = burst.b[5].tail;
		burst.ops[5].tail_len = TAIL_LEN;
	} else {
		burst.ops[5].len = 0; /* stream suites take any length */
	}
	ok = aead_seal_burst(c, burst.ops, N);
	if (a->block > 1 || a->kind == AEAD_KIND_AEAD)
		t_check(ok == N - 1 && burst.ops[5].status == -EINVAL,
			"%s/%s: refused op: %u ok, status %d", alg, be, ok,
			burst.ops[5].status);
	else
		t_check(ok == N, "%s/%s: empty op: %u ok", alg, be, ok);
	aead_ctx_free(c);
}

static size_t unhex(uint8_t *out, const char *s)
{
	size_t n = 0;

	for (; s[0] && s[1]; s += 2) {
		const char byte[3] = { s[0], s[1], 0 };

		out[n++] = (uint8_t)strtoul(byte, NULL, 16);
	}
	return n;
}

/* 128-EEA3 test set 2 (ETSI/SAGE "Specification of the 3GPP
 * Confidentiality and Integrity Algorithms 128-EEA3 & 128-EIA3, Document
 * 3: Implementors' Test Data" (3GPP TS 35.223) §4): COUNT 0x56823, BEARER
 * 0x18, DIRECTION 1, 800 bits, byte-aligned, so the suite's ciphertext
 * must be the set's. It checks the IV made from the IV as sent, which a
 * round trip cannot. */
static void zuc_published(const char *be)
{
	static const char key_hex[] = "e5bd3ea0eb55ade866c6ac58bd54302a";
	static const char pt_hex[] =
		"14a8ef693d678507bbe7270a7f67ff5006c3525b9807e467"
		"c4e56000ba338f5d429559036751822246c80d3b38f07f4b"
		"e2d8ff5805f5132229bde93bbbdcaf382bf1ee972fbf9977"
		"bada8945847a2a6c9ad34a667554e04d1f7fa2c33241bd8f"
		"01ba220d";
	static const char ct_hex[] =
		"131d43e0dea1be5c5a1bfd971d852cbf712d7b4f57961fea"
		"3208afa8bca433f456ad09c7417e58bc69cf8866d1353f74"
		"865e80781d202dfb3ecff7fcbc3b190fe82a204ed0e350fc"
		"0f6f2613b2f2bca6df5a473a57a4a00d985ebad880d6f238"
		"64a07b01";
	const uint8_t iv[8] = { 0x00, 0x05, 0x68, 0x23, 0x18 << 3 | 1 << 2 };
	uint8_t key[32] = { 0 }, buf[100], want[100], icv[4];
	struct aead_ctx *c;

	unhex(key, key_hex);
	unhex(buf, pt_hex);
	unhex(want, ct_hex);
	if (aead_ctx_new(&c, "zuc-128", be, key, sizeof(key)) < 0) {
		t_check(0, "zuc-128/%s: context", be);
		return;
	}
	t_check(aead_seal(c, iv, NULL, 0, buf, sizeof(buf), icv) == 0 &&
			memcmp(buf, want, sizeof(want)) == 0,
		"zuc-128/%s: 128-EEA3 test set 2", be);
	aead_ctx_free(c);
}

int main(void)
{
	unsigned pairs = 0;

	for (size_t a = 0; a < aead_alg_count(); a++)
		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *alg = aead_alg_name(a);
			const char *be = aead_backend_name(b);

			if (strcmp(alg, "null") == 0 || aead_probe(alg, be) < 0)
				continue;
			suite(alg, be);
			if (strcmp(alg, "zuc-128") == 0)
				zuc_published(be);
			pairs++;
		}
	t_check(pairs >= 8, "only %u suite/backend pairs work", pairs);
	return t_done("test_burst");
}
