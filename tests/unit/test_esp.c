/* ESP framing and anti-replay, for every suite of crypto/aead.h on every
 * backend that offers it: round trips (AEADs also integrity only; with
 * and without ESN; every ICV length an encrypt-then-MAC suite allows),
 * the IV each suite's rule makes, each rejection reason triggered and
 * counted, the ESN high half authenticated though never sent, the
 * window's edges, ESN inference across 2^32, decap of every truncation;
 * and bursts: sealed as one packet at a time seals, and a mixed list of
 * good, forged, replayed (also twice in one burst), malformed and old
 * packets opened with the verdicts, views and counters one at a time
 * gives, near a 2^32 wrap too; then the same through the framing's ops
 * (tunnel and transport, ESN, bursts of 1 and 32), its option checks and
 * labels; and the ESP packets of tests/vectors/etm.json rebuilt byte for
 * byte. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/framing.h"
#include "crypto/inner.h"
#include "crypto/kat.h"
#include "crypto/replay.h"
#include "tests/unit/helpers.h"

static const uint8_t salt[ESP_SALT_LEN] = { 0xca, 0xfe, 0xba, 0xbe };
static const size_t sizes[] = { 0, 1, 2, 3, 4, 13, 14, 15, 16, 61, 64, 1420, 9000 };

enum {
	ZUC_MAC_MAX = 65504 / 8, /* intel-ipsec-mb 1.3's 128-EIA3, in bytes */
	SPI = 0x1000abcd,
	LIST = 100,    /* packets of a mixed list */
	PKT_BUF = 2048,
};

static void fill_key(uint8_t *key)
{
	for (size_t i = 0; i < AEAD_KEY_MAX; i++)
		key[i] = (uint8_t)(i * 7 + 3);
}

static int sa_open(struct esp_sa **sa, const char *alg, const char *be,
		   int is_gmac, int is_esn, unsigned window, uint64_t start,
		   size_t icv_len)
{
	uint8_t key[AEAD_KEY_MAX];

	fill_key(key);
	struct esp_sa_cfg cfg = {
		.aead = { alg, be, key, aead_key_len(alg), icv_len },
		.salt = salt,
		.spi = SPI,
		.is_esn = is_esn,
		.is_gmac = is_gmac,
		.replay_window = window,
		.seq_start = start,
	};
	return esp_sa_new(sa, &cfg);
}

static int sa_new(struct esp_sa **sa, const char *alg, const char *be,
		  int is_gmac, int is_esn, unsigned window, uint64_t start)
{
	return sa_open(sa, alg, be, is_gmac, is_esn, window, start, 0);
}

static size_t hdr_of(const struct esp_sa *sa)
{
	return esp_sa_layout(sa)->hdr_len;
}

static int is_etm(const char *alg)
{
	return aead_info(alg)->kind == AEAD_KIND_ETM;
}

/* Builds one packet of n payload bytes with sequence number seq. */
static long make(struct esp_sa *o, uint8_t *pkt, size_t n, uint64_t seq)
{
	for (size_t i = 0; i < n; i++)
		pkt[hdr_of(o) + i] = (uint8_t)(i ^ seq);
	return esp_encap(o, pkt, n, ESP_NH_IPV4, seq, NULL);
}

static void round_trips(const char *alg, const char *be, int is_gmac,
			int is_esn, size_t icv_len)
{
	static uint8_t pkt[ESP_PACKET_MAX];
	uint64_t seq = is_esn ? 0xfffffff0ull : 1;
	struct esp_sa *o, *in;
	const char *mode = is_gmac ? "gmac" : "aead";
	const struct esp_layout *l;
	size_t skipped = 0;

	if (sa_open(&o, alg, be, is_gmac, is_esn, 1024, 0, icv_len) < 0 ||
	    sa_open(&in, alg, be, is_gmac, is_esn, 1024, seq, icv_len) < 0) {
		t_check(0, "%s/%s %s icv %zu: SAs", alg, be, mode, icv_len);
		return;
	}
	l = esp_sa_layout(o);
	t_check(l->icv_len == (icv_len ? icv_len : aead_info(alg)->icv_len) &&
			l->hdr_len == 8 + (is_etm(alg) ? aead_info(alg)->iv_len : 8),
		"%s/%s: layout (header %zu, ICV %zu)", alg, be, l->hdr_len,
		l->icv_len);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(sizes); k++, seq += 7) {
		size_t n = sizes[k];
		long len = make(o, pkt, n, seq);
		struct esp_decap_out out;
		int is_ok;

		/* A backend may take less in one operation than ESP carries
		 * (intel-ipsec-mb's 128-EIA3: 65504 bits of MAC input); the
		 * packet is then refused whole, as such. */
		if (len == -EMSGSIZE && n > ZUC_MAC_MAX && !strcmp(alg, "zuc-128")) {
			skipped++;
			continue;
		}
		t_check(len == (long)esp_layout_packet_len(l, n) &&
				(n + esp_layout_pad(l, n) + 2) % l->align == 0 &&
				(l->align == 4 || l->align == aead_info(alg)->block),
			"%s/%s %s size %zu: packet length", alg, be, mode, n);
		if (len < 0)
			continue;
		/* Integrity only leaves the payload in clear on the wire. */
		if (is_gmac && n > 8)
			t_check(pkt[l->hdr_len + 5] == (uint8_t)(5 ^ seq),
				"%s/%s gmac size %zu: payload in clear", alg, be, n);
		is_ok = esp_decap(in, pkt, (size_t)len, &out) == ESP_V_OK;
		t_check(is_ok && out.payload_len == n && out.seq == seq &&
				out.next_header == ESP_NH_IPV4,
			"%s/%s %s esn %d icv %zu size %zu: round trip", alg, be,
			mode, is_esn, icv_len, n);
		for (size_t i = 0; is_ok && i < n; i++)
			if (out.payload[i] != (uint8_t)(i ^ seq)) {
				t_check(0, "%s/%s %s size %zu: payload", alg, be,
					mode, n);
				break;
			}
	}
	t_check(esp_sa_counts(in)[ESP_V_OK] + skipped == NCB_ARRAY_SIZE(sizes),
		"%s/%s %s: ok counted", alg, be, mode);
	esp_sa_free(o);
	esp_sa_free(in);
}

static int cmp_iv(const void *a, const void *b)
{
	return memcmp(a, b, AEAD_IV_MAX);
}

/* The IV each rule makes: the sequence number (AEADs, CTR), COUNT with
 * BEARER and DIRECTION 0 (zuc-128), or bytes that never repeat (CBC: more
 * than one pool's worth, so the pool is refilled on the way). */
static void ivs(const char *alg, const char *be)
{
	enum { N = 1100 };
	static uint8_t pkt[256], seen[N][AEAD_IV_MAX];
	enum esp_iv_rule rule = esp_iv_rule(aead_info(alg));
	struct esp_sa *o;
	size_t iv_len;
	int is_ok = 1;

	if (sa_new(&o, alg, be, 0, 1, 64, 0) < 0) {
		t_check(0, "%s/%s: SA", alg, be);
		return;
	}
	iv_len = esp_sa_layout(o)->iv_len;
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < N; i++) {
		uint64_t seq = 0x123456789ull + i;
		uint8_t want[AEAD_IV_MAX] = { 0 };

		if (make(o, pkt, 20, seq) < 0) {
			is_ok = 0;
			break;
		}
		memcpy(seen[i], pkt + 8, iv_len);
		if (rule == ESP_IV_SEQ) {
			ncb_put_be64(want, seq);
			is_ok &= !memcmp(want, pkt + 8, iv_len);
		} else if (rule == ESP_IV_COUNT) {
			ncb_put_be32(want, (uint32_t)seq);
			is_ok &= !memcmp(want, pkt + 8, iv_len);
		}
	}
	if (rule == ESP_IV_RANDOM) {
		qsort(seen, N, sizeof(seen[0]), cmp_iv);
		for (unsigned i = 1; i < N; i++)
			is_ok &= memcmp(seen[i - 1], seen[i], iv_len) != 0;
	}
	t_check(is_ok && iv_len == (is_etm(alg) ? aead_info(alg)->iv_len : 8),
		"%s/%s: IVs by rule %d over %d packets", alg, be, (int)rule, N);
	esp_sa_free(o);
}

/* Tunnel (inner IPv4, IPv6) and transport mode payloads through encap and
 * decap: next header and every byte survive; a payload checked against
 * the wrong sequence number or length is refused. */
static void modes(const char *alg, const char *be)
{
	static const enum inner_kind kinds[] = { INNER_IPV4, INNER_IPV6,
						 INNER_UDP };
	static const char *const names[] = { "tunnel-ipv4", "tunnel-ipv6",
					     "transport" };
	static uint8_t pkt[2048], pattern[1500];
	struct esp_sa *o, *in;

	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 131 + 7);
	if (sa_new(&o, alg, be, 0, 0, 1024, 0) < 0 ||
	    sa_new(&in, alg, be, 0, 0, 1024, 0) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	for (size_t k = 0; k < NCB_ARRAY_SIZE(kinds); k++) {
		for (size_t len = inner_min(kinds[k]); len <= 1500; len += 293) {
			uint64_t seq = 1000 * (k + 1) + len;
			struct esp_decap_out out;
			long n;

			inner_build(kinds[k], pkt + hdr_of(o), len, seq, pattern);
			n = esp_encap(o, pkt, len, inner_next_header(kinds[k]),
				      seq, NULL);
			t_check(n > 0 &&
					esp_decap(in, pkt, (size_t)n, &out) == ESP_V_OK &&
					out.next_header == inner_next_header(kinds[k]) &&
					out.payload_len == len &&
					inner_check(kinds[k], out.payload, len, seq,
						    pattern) == 0,
				"%s/%s %s size %zu: round trip", alg, be, names[k],
				len);
			t_check(inner_check(kinds[k], out.payload, len, seq + 1,
					    pattern) < 0 &&
					inner_check(kinds[k], out.payload, len - 1,
						    seq, pattern) < 0,
				"%s/%s %s size %zu: wrong stamp or length refused",
				alg, be, names[k], len);
		}
	}
	esp_sa_free(o);
	esp_sa_free(in);
}

/* An ESP packet whose ciphertext is exactly body (trailer included),
 * sealed with the key sa_new() uses and no ESN: how a peer with a broken
 * trailer would send it. */
static long seal_raw(const char *alg, const char *be, uint8_t *pkt,
		     uint64_t seq, const uint8_t *body, size_t n)
{
	uint8_t key[AEAD_KEY_MAX], nonce[AEAD_NONCE_LEN];
	struct esp_layout l;
	struct aead_ctx *c;
	struct aead_op op;

	fill_key(key);
	if (esp_layout_of(&l, alg, 0) < 0 ||
	    aead_ctx_new(&c, alg, be, key, aead_key_len(alg)) < 0)
		return -1;
	ncb_put_be32(pkt, SPI);
	ncb_put_be32(pkt + 4, (uint32_t)seq);
	for (size_t i = 0; i < l.iv_len; i++)
		pkt[8 + i] = (uint8_t)(i * 29 + seq);
	memcpy(pkt + l.hdr_len, body, n);
	op = (struct aead_op){ .iv = pkt + 8, .aad = pkt, .aad_len = 8,
			       .src = pkt + l.hdr_len, .dst = pkt + l.hdr_len,
			       .len = n, .icv = pkt + l.hdr_len + n };
	if (!is_etm(alg)) { /* nonce = salt | IV */
		memcpy(nonce, salt, ESP_SALT_LEN);
		memcpy(nonce + ESP_SALT_LEN, pkt + 8, ESP_IV_LEN);
		op.iv = nonce;
	}
	aead_seal_burst(c, &op, 1);
	aead_ctx_free(c);
	return op.status < 0 ? -1 : (long)(l.hdr_len + n + l.icv_len);
}

/* Bodies with a broken trailer, as long as the suite's alignment wants:
 * wrong padding bytes, and a pad length beyond the body. */
static size_t bad_body(uint8_t *body, size_t align, int is_long)
{
	size_t n = align > 12 ? align : 12;

	memset(body, 0, n);
	for (size_t i = 0; i < n - 6; i++)
		body[i] = (uint8_t)(i + 100);
	body[n - 6] = 1, body[n - 5] = 2, body[n - 4] = 3, body[n - 3] = 7;
	body[n - 2] = is_long ? 200 : 4;
	body[n - 1] = 4;
	return n;
}

/* Every reason, each counted once under its own name (a CBC suite's
 * ragged ciphertext is malformed, counted as truncated). */
static void rejections(const char *alg, const char *be)
{
	static uint8_t pkt[2048], bad[2048], body[64];
	struct esp_sa *o, *in;
	struct esp_decap_out out;
	const struct esp_layout *l;
	const uint64_t *cnt;
	int is_cbc;
	long len;

	if (sa_new(&o, alg, be, 0, 0, 64, 0) < 0 ||
	    sa_new(&in, alg, be, 0, 0, 64, 0) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	l = esp_sa_layout(in);
	is_cbc = l->block > 1;
	len = make(o, pkt, 100, 200);
	memcpy(bad, pkt, (size_t)len);
	bad[l->hdr_len + 10] ^= 1; /* ciphertext byte */
	out.seq = 0;
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_ICV &&
			out.seq == 200,
		"%s/%s: tampered body (refused, claimed number told)", alg, be);
	memcpy(bad, pkt, (size_t)len);
	bad[len - 1] ^= 0x80; /* ICV byte */
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_ICV,
		"%s/%s: tampered ICV", alg, be);
	memcpy(bad, pkt, (size_t)len);
	bad[4] ^= 1; /* sequence number: in the AAD */
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_ICV,
		"%s/%s: tampered sequence number", alg, be);
	memcpy(bad, pkt, (size_t)len);
	bad[9] ^= 1; /* IV: the nonce's, or authenticated as sent */
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_ICV,
		"%s/%s: tampered IV", alg, be);
	memcpy(bad, pkt, (size_t)len);
	bad[0] ^= 1;
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_SPI,
		"%s/%s: unknown SPI", alg, be);
	t_check(esp_decap(in, pkt, l->hdr_len + l->icv_len + 1, &out) ==
			ESP_V_TRUNCATED,
		"%s/%s: truncated", alg, be);
	/* One byte short: a CBC ciphertext of no whole number of blocks
	 * is malformed before any ICV; other suites fail the ICV. */
	memcpy(bad, pkt, (size_t)len);
	t_check(esp_decap(in, bad, (size_t)len - 1, &out) ==
			(is_cbc ? ESP_V_TRUNCATED : ESP_V_ICV),
		"%s/%s: ciphertext one byte short", alg, be);
	memcpy(bad, pkt, (size_t)len);
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_OK,
		"%s/%s: valid after the forgeries (window not moved)", alg, be);
	memcpy(bad, pkt, (size_t)len);
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_REPLAY,
		"%s/%s: replayed", alg, be);
	/* Window 64 with top 200: 137 is the left edge, 136 too old. */
	len = make(o, pkt, 10, 137);
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_OK,
		"%s/%s: window left edge accepted", alg, be);
	len = make(o, pkt, 10, 136);
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_OLD,
		"%s/%s: one left of the window too old", alg, be);
	len = seal_raw(alg, be, pkt, 202, body, bad_body(body, l->align, 0));
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_PAD,
		"%s/%s: wrong padding bytes", alg, be);
	len = seal_raw(alg, be, pkt, 203, body, bad_body(body, l->align, 1));
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_PAD,
		"%s/%s: pad length beyond the body", alg, be);
	t_check(esp_decap(in, pkt, ESP_PACKET_MAX + 1, &out) == ESP_V_OVERSIZE,
		"%s/%s: oversize", alg, be);
	cnt = esp_sa_counts(in);
	t_check(cnt[ESP_V_OK] == 2 && cnt[ESP_V_ICV] == 4u + !is_cbc &&
			cnt[ESP_V_SPI] == 1 && cnt[ESP_V_TRUNCATED] == 1u + (unsigned)is_cbc &&
			cnt[ESP_V_REPLAY] == 1 && cnt[ESP_V_OLD] == 1 &&
			cnt[ESP_V_PAD] == 2 && cnt[ESP_V_OVERSIZE] == 1,
		"%s/%s: each reason counted once per packet", alg, be);
	esp_sa_free(in);
	esp_sa_free(o);
}

/* With ESN the high half of the number is authenticated (the AEAD's AAD,
 * an ETM suite's tail) though never sent: a receiver that infers another
 * high half refuses the packet at the ICV. */
static void esn_high_half(const char *alg, const char *be)
{
	static uint8_t pkt[512], copy[512];
	uint64_t seq = (5ull << 32) | 1000;
	struct esp_sa *o, *same, *other;
	struct esp_decap_out out;
	long len;

	if (sa_new(&o, alg, be, 0, 1, 64, 0) < 0 ||
	    sa_new(&same, alg, be, 0, 1, 64, seq - 10) < 0 ||
	    sa_new(&other, alg, be, 0, 1, 64, seq - 10 + (1ull << 32)) < 0) {
		t_check(0, "%s/%s: ESN SAs", alg, be);
		return;
	}
	len = make(o, pkt, 300, seq);
	t_check(len > 0 && esp_sa_layout(o)->hdr_len + 300 < (size_t)len &&
			ncb_get_be32(pkt + 4) == (uint32_t)seq,
		"%s/%s: only the low half is sent", alg, be);
	memcpy(copy, pkt, (size_t)len);
	out.seq = 0;
	t_check(esp_decap(other, copy, (size_t)len, &out) == ESP_V_ICV &&
			out.seq == seq + (1ull << 32),
		"%s/%s: another high half fails the ICV", alg, be);
	t_check(esp_decap(same, pkt, (size_t)len, &out) == ESP_V_OK &&
			out.seq == seq,
		"%s/%s: the high half sealed with opens", alg, be);
	esp_sa_free(o);
	esp_sa_free(same);
	esp_sa_free(other);
}

/* The window alone: edges, a jump past the whole ring, strict order, and
 * whether an inference holds while the window moves. */
static void window(void)
{
	struct replay_win w;

	if (replay_init(&w, 1024) < 0) {
		t_check(0, "replay_init 1024");
		return;
	}
	t_check(replay_check(&w, 5) == REPLAY_OK, "empty window accepts");
	t_check(!replay_esn_holds(&w, 5, 5, 5),
		"esn: nothing holds in an empty window");
	replay_update(&w, 5000);
	t_check(replay_check(&w, 5000) == REPLAY_SEEN, "top seen");
	t_check(replay_check(&w, 5000 - 1023) == REPLAY_OK, "left edge open");
	t_check(replay_check(&w, 5000 - 1024) == REPLAY_TOO_OLD, "left of edge");
	replay_update(&w, 4990);
	t_check(replay_check(&w, 4990) == REPLAY_SEEN, "reordered marked");
	t_check(replay_check(&w, 4991) == REPLAY_OK, "neighbour still open");
	/* Slide by less than a block, by blocks, and past the ring. */
	replay_update(&w, 5010);
	t_check(replay_check(&w, 4990) == REPLAY_SEEN &&
			replay_check(&w, 5000) == REPLAY_SEEN,
		"bits kept after a short slide");
	replay_update(&w, 5010 + 1000);
	t_check(replay_check(&w, 5010) == REPLAY_SEEN &&
			replay_check(&w, 5011) == REPLAY_OK,
		"bits kept after a slide by blocks");
	replay_update(&w, 1000000);
	t_check(replay_check(&w, 1000000 - 1000) == REPLAY_OK &&
			replay_check(&w, 1000000 - 64) == REPLAY_OK,
		"a jump past the ring clears stale bits");
	/* ESN: a low half just past 2^32 with top just below it. */
	replay_seed(&w, 0xfffffff0ull);
	t_check(replay_esn_infer(&w, 0x00000005) == 0x100000005ull,
		"esn: wraps into the next subspace");
	t_check(replay_esn_infer(&w, 0xffffffe0) == 0xffffffe0ull,
		"esn: stays below 2^32 inside the window");
	t_check(replay_esn_holds(&w, 0xffffffe0, 0xffffffe0ull, 0x100000005ull),
		"esn: a number inside the window holds while it moves a little");
	replay_seed(&w, 0xfffff830ull); /* 2^32 - 2000 */
	t_check(replay_esn_infer(&w, 0xfffff500) == 0xfffff500ull &&
			!replay_esn_holds(&w, 0xfffff500, 0xfffff500ull,
					  0x100000064ull),
		"esn: an inference a move past 2^32 would change does not hold");
	replay_seed(&w, 0x100000003ull);
	t_check(replay_esn_infer(&w, 0xfffffffe) == 0xfffffffeull,
		"esn: window spanning 2^32 maps back");
	t_check(replay_esn_infer(&w, 0x00000009) == 0x100000009ull,
		"esn: ahead in the current subspace");
	replay_free(&w);

	t_check(replay_init(&w, 0) == 0, "replay_init 0");
	replay_update(&w, 10);
	t_check(replay_check(&w, 10) == REPLAY_SEEN &&
			replay_check(&w, 9) == REPLAY_TOO_OLD &&
			replay_check(&w, 11) == REPLAY_OK,
		"window 0: strict order");
	replay_free(&w);
	t_check(replay_init(&w, REPLAY_WINDOW_MAX + 1) == -EINVAL,
		"window too large refused");
}

/* Every prefix of a valid packet is refused without touching memory past
 * the length (ASan watches). */
static void truncations(const char *alg, const char *be)
{
	struct esp_sa *o, *in;
	struct esp_decap_out out;
	uint8_t pkt[256];
	long len;
	size_t refused = 0, tries = 0;

	if (sa_new(&o, alg, be, 0, 0, 64, 0) < 0 ||
	    sa_new(&in, alg, be, 0, 0, 64, 0) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	len = make(o, pkt, 64, 9);
	for (long n = 0; n < len; n++, tries++) {
		uint8_t *copy = malloc((size_t)n + 1);

		memcpy(copy, pkt, (size_t)n);
		refused += esp_decap(in, copy, (size_t)n, &out) != ESP_V_OK;
		free(copy);
	}
	t_check(refused == tries, "%s/%s: all %zu truncations refused", alg,
		be, tries);
	esp_sa_free(o);
	esp_sa_free(in);
}

/* Bursts. A list of packets in two identical copies, one opened one at a
 * time, the other in bursts. */
struct list {
	uint8_t *a[LIST], *b[LIST];
	size_t lens[LIST];
	unsigned n;
};

static uint8_t store_a[LIST][PKT_BUF], store_b[LIST][PKT_BUF];
static uint8_t big_a[ESP_PACKET_MAX + 1], big_b[ESP_PACKET_MAX + 1];

static void add(struct list *ls, const uint8_t *pkt, long len)
{
	unsigned i = ls->n++;

	if (len > PKT_BUF) { /* the oversize one: only its length counts */
		ls->a[i] = big_a;
		ls->b[i] = big_b;
		ncb_put_be32(big_a, SPI);
		memcpy(big_b, big_a, sizeof(big_a));
	} else {
		ls->a[i] = store_a[i];
		ls->b[i] = store_b[i];
		memcpy(store_a[i], pkt, len > 0 ? (size_t)len : 0);
		memcpy(store_b[i], pkt, len > 0 ? (size_t)len : 0);
	}
	ls->lens[i] = len > 0 ? (size_t)len : 0;
}

/* Good packets from base on (each round a pair swapped), with copies
 * (the one just before, in the same burst; one sent long before),
 * forgeries of a number that arrives authentic later, truncated, ragged
 * (malformed for CBC), foreign, old, oversize and (no ESN, no GMAC: the
 * raw sealer has neither) badly padded packets among them. */
static void mixed(struct list *ls, struct esp_sa *o, const char *alg,
		  const char *be, int is_raw, uint64_t base)
{
	static uint8_t pkt[PKT_BUF], body[64];
	const struct esp_layout *l = esp_sa_layout(o);
	uint64_t seq = base;
	long len = 0;

	memset(ls, 0, sizeof(*ls));
	while (ls->n < LIST) {
		unsigned i = ls->n;

		switch (i % 12) {
		case 1: /* seq + 1 first, then seq */
			len = make(o, pkt, 20 + i * 13 % 300, seq + 1);
			break;
		case 2:
			len = make(o, pkt, 20 + i * 13 % 300, seq);
			seq += 2;
			break;
		case 3: /* the same packet again, at once */
			break;
		case 5: /* a copy of one long before */
			if (i > 40) {
				add(ls, store_a[i - 40], (long)ls->lens[i - 40]);
				continue;
			}
			break;
		case 7: /* a forgery of the number that comes next */
			len = make(o, pkt, 90, seq);
			pkt[len - 1] ^= 1;
			break;
		case 8:
			len = (long)(l->hdr_len + l->icv_len + 1);
			break;
		case 9: /* one byte short: ragged for CBC */
			len = make(o, pkt, 77, seq + 1000) - 1;
			break;
		case 10:
			if (i % 24 == 10) {
				len = make(o, pkt, 50, seq++);
				pkt[0] ^= 0x40; /* another SPI */
			} else if (is_raw) {
				len = seal_raw(alg, be, pkt, seq++, body,
					       bad_body(body, l->align, i % 2));
			} else {
				len = make(o, pkt, 50, seq++);
			}
			break;
		case 11:
			if (i % 24 == 11)
				len = ESP_PACKET_MAX + 1;
			else /* left of a window of 64 without ESN */
				len = make(o, pkt, 30, base - 100);
			break;
		default:
			len = make(o, pkt, 20 + i * 13 % 300, seq++);
			break;
		}
		add(ls, pkt, len);
	}
}

/* Whether two opens of the list, a one at a time and b in bursts of
 * `burst`, gave the same verdicts, views and counters, with every kind
 * of verdict in want among them. */
static void same_open(const char *what, const struct list *ls,
		      struct esp_sa *one, struct esp_sa *many, unsigned burst,
		      unsigned want)
{
	static struct esp_decap_out oa[LIST], ob[LIST];
	uint8_t va[LIST], vb[LIST];
	unsigned seen = 0, pairs = 0;
	int is_same = 1;

	memset(oa, 0, sizeof(oa));
	memset(ob, 0, sizeof(ob));
	for (unsigned i = 0; i < ls->n; i++)
		va[i] = (uint8_t)esp_decap(one, ls->a[i], ls->lens[i], &oa[i]);
	for (unsigned i = 0; i < ls->n; i += burst)
		esp_decap_burst(many, ls->b + i, ls->lens + i, ob + i, vb + i,
				ls->n - i < burst ? ls->n - i : burst);
	for (unsigned i = 0; i < ls->n; i++) {
		int ok = va[i] == vb[i];

		seen |= 1u << va[i];
		if (ok && va[i] == ESP_V_OK)
			ok = oa[i].payload - ls->a[i] == ob[i].payload - ls->b[i] &&
			     oa[i].payload_len == ob[i].payload_len &&
			     oa[i].seq == ob[i].seq &&
			     oa[i].next_header == ob[i].next_header &&
			     !memcmp(oa[i].payload, ob[i].payload, oa[i].payload_len);
		if (ok && va[i] == ESP_V_ICV)
			ok = oa[i].seq == ob[i].seq;
		if (!ok)
			t_check(0, "%s: packet %u: verdict %u one at a time, %u in bursts of %u",
				what, i, va[i], vb[i], burst);
		is_same &= ok;
		/* A copy right behind its original, in the same burst. */
		pairs += i % burst && i % 12 == 3 && va[i - 1] == ESP_V_OK &&
			 vb[i] == ESP_V_REPLAY;
	}
	t_check(is_same && !memcmp(esp_sa_counts(one), esp_sa_counts(many),
				   ESP_V_COUNT * sizeof(uint64_t)),
		"%s: bursts of %u give the verdicts, views and counters of one at a time",
		what, burst);
	t_check((seen & want) == want,
		"%s: the list has every kind (verdicts seen %#x, wanted %#x)",
		what, seen, want);
	t_check(burst == 1 || pairs > 0,
		"%s: a copy in the same burst refused as replayed", what);
}

static void burst_open(const char *alg, const char *be, int is_gmac,
		       int is_esn, uint64_t base)
{
	static struct list ls;
	static const unsigned bursts[] = { 1, 32, LIST };
	int is_raw = !is_esn && !is_gmac;
	unsigned want = 1u << ESP_V_OK | 1u << ESP_V_REPLAY | 1u << ESP_V_ICV |
			1u << ESP_V_SPI | 1u << ESP_V_TRUNCATED |
			1u << ESP_V_OVERSIZE;
	struct esp_sa *o, *one, *many;
	char what[128];

	/* With ESN a number left of the window is taken for one of the
	 * next 2^32: it fails the ICV, never "too old". */
	if (!is_esn)
		want |= 1u << ESP_V_OLD;
	if (is_raw)
		want |= 1u << ESP_V_PAD;
	if (sa_new(&o, alg, be, is_gmac, is_esn, 1024, 0) < 0) {
		t_check(0, "%s/%s: SA", alg, be);
		return;
	}
	snprintf(what, sizeof(what), "%s/%s gmac %d esn %d from %#llx", alg,
		 be, is_gmac, is_esn, (unsigned long long)base);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(bursts); k++) {
		if (sa_new(&one, alg, be, is_gmac, is_esn, 64, base - 1) < 0) {
			t_check(0, "%s: SA", what);
			break;
		}
		if (sa_new(&many, alg, be, is_gmac, is_esn, 64, base - 1) < 0) {
			t_check(0, "%s: SA", what);
			esp_sa_free(one);
			break;
		}
		mixed(&ls, o, alg, be, is_raw, base);
		same_open(what, &ls, one, many, bursts[k], want);
		esp_sa_free(one);
		esp_sa_free(many);
	}
	esp_sa_free(o);
}

/* Near 2^32 the number a later packet's low half stands for depends on
 * what an earlier packet of the same burst did to the window: such a
 * burst goes one packet at a time, so a packet the window moved past
 * 2^32 fails as it would alone, and the others pass. */
static void burst_esn_wrap(const char *alg, const char *be)
{
	static uint8_t p1[PKT_BUF], p2[PKT_BUF], q1[PKT_BUF], q2[PKT_BUF];
	uint64_t top = 0x100000000ull - 2000;
	struct esp_sa *o, *one, *many;
	struct esp_decap_out oa[2], ob[2];
	uint8_t *a[2] = { p1, p2 }, *b[2] = { q1, q2 }, va[2], vb[2];
	size_t lens[2];

	if (sa_new(&o, alg, be, 0, 1, 1024, 0) < 0 ||
	    sa_new(&one, alg, be, 0, 1, 1024, top) < 0 ||
	    sa_new(&many, alg, be, 0, 1, 1024, top) < 0) {
		t_check(0, "%s/%s: ESN SAs", alg, be);
		return;
	}
	lens[0] = (size_t)make(o, p1, 40, 0x100000000ull + 100);
	lens[1] = (size_t)make(o, p2, 40, 0xfffff500ull);
	memcpy(q1, p1, lens[0]);
	memcpy(q2, p2, lens[1]);
	for (int i = 0; i < 2; i++)
		va[i] = (uint8_t)esp_decap(one, a[i], lens[i], &oa[i]);
	esp_decap_burst(many, b, lens, ob, vb, 2);
	t_check(va[0] == ESP_V_OK && va[1] == ESP_V_ICV && vb[0] == va[0] &&
			vb[1] == va[1] && ob[1].seq == oa[1].seq &&
			oa[1].seq == 0x1fffff500ull &&
			!memcmp(esp_sa_counts(one), esp_sa_counts(many),
				ESP_V_COUNT * sizeof(uint64_t)),
		"%s/%s: a burst across 2^32 gives what one at a time gives (%u %u / %u %u)",
		alg, be, va[0], va[1], vb[0], vb[1]);
	esp_sa_free(o);
	esp_sa_free(one);
	esp_sa_free(many);
}

/* A burst seals as one packet at a time does: the same packets where
 * the IV follows the number, and packets that open where it is random;
 * a payload too long fails alone. */
static void burst_seal(const char *alg, const char *be, int is_esn)
{
	enum { N = 70 };
	static uint8_t a[N][PKT_BUF], b[N][PKT_BUF];
	static const size_t too_long = ESP_PACKET_MAX;
	uint8_t *pa[N], *pb[N];
	size_t lens[N];
	uint64_t seqs[N];
	long ra[N], rb[N];
	struct esp_sa *o1, *o2, *in;
	int is_random = esp_iv_rule(aead_info(alg)) == ESP_IV_RANDOM;
	int is_same = 1, opened = 0;
	uint64_t base = is_esn ? 0xfffffff0ull : 1000;

	if (sa_new(&o1, alg, be, 0, is_esn, 1024, 0) < 0 ||
	    sa_new(&o2, alg, be, 0, is_esn, 1024, 0) < 0 ||
	    sa_new(&in, alg, be, 0, is_esn, 1024, base) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	for (unsigned i = 0; i < N; i++) {
		pa[i] = a[i];
		pb[i] = b[i];
		lens[i] = i == 33 ? too_long : i * 17 % 1500;
		seqs[i] = base + i;
		for (size_t j = 0; i != 33 && j < lens[i]; j++)
			a[i][hdr_of(o1) + j] = b[i][hdr_of(o1) + j] = (uint8_t)(i + j);
		ra[i] = esp_encap(o1, pa[i], lens[i], ESP_NH_UDP, seqs[i], NULL);
	}
	esp_encap_burst(o2, pb, lens, ESP_NH_UDP, seqs, rb, N);
	for (unsigned i = 0; i < N; i++) {
		struct esp_decap_out out;

		is_same &= ra[i] == rb[i] && (i == 33) == (rb[i] == -EMSGSIZE);
		if (rb[i] < 0)
			continue;
		if (!is_random)
			is_same &= !memcmp(a[i], b[i], (size_t)ra[i]);
		opened += esp_decap(in, pb[i], (size_t)rb[i], &out) == ESP_V_OK &&
			  out.payload_len == lens[i] && out.seq == seqs[i] &&
			  (!lens[i] || out.payload[lens[i] - 1] == (uint8_t)(i + lens[i] - 1));
	}
	t_check(is_same && opened == N - 1,
		"%s/%s esn %d: a burst of %d seals as one at a time (%d opened)",
		alg, be, is_esn, N, opened);
	esp_sa_free(o1);
	esp_sa_free(o2);
	esp_sa_free(in);
}

/* The framing's view. Sets option name of f's table in opts. */
static void set_opt(const struct framing_ops *f, unsigned char *opts,
		    const char *name, unsigned v)
{
	for (size_t i = 0; i < f->opts_count; i++)
		if (!strcmp(f->opts[i].name, name))
			memcpy(opts + f->opts[i].offset, &v, sizeof(v));
}

/* Tunnel and transport, with and without ESN, through the framing's
 * hooks one packet a call and in bursts of 32: packets as long as the
 * framing says, open whole, carry the next header of their kind. */
static void framing_trips(const char *alg, const char *be, unsigned mode,
			  int is_esn, unsigned burst)
{
	enum { N = 80 };
	static uint8_t bufs[N][PKT_BUF], pattern[1500];
	const struct framing_ops *f = framing_find("esp");
	struct framing_sa_desc d = { .id = 2, .family = 4 };
	struct framing_out outs[N];
	struct ncb_err e = { "" };
	uint8_t *pkts[N], vs[N];
	size_t lens[N], plens[N];
	uint64_t seqs[N];
	long rcs[N];
	void *tx = NULL, *rx = NULL;
	enum inner_kind k;
	unsigned good = 0;

	snprintf(d.framing, sizeof(d.framing), "esp");
	snprintf(d.cipher, sizeof(d.cipher), "%s", alg);
	snprintf(d.backend, sizeof(d.backend), "%s", be);
	for (size_t i = 0; i < sizeof(d.keymat); i++)
		d.keymat[i] = (uint8_t)(i * 13 + 5);
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 131 + 7);
	t_framing_defaults(f, d.opts);
	set_opt(f, d.opts, "mode", mode);
	set_opt(f, d.opts, "esn", (unsigned)is_esn);
	d.seq_first = framing_seq_first(f, d.opts);
	k = framing_inner(f, d.opts, 4);
	if (framing_sa_new(f, &tx, &d, 0, &e) < 0 ||
	    framing_sa_new(f, &rx, &d, 1, &e) < 0) {
		t_check(0, "%s/%s framing: %s", alg, be, e.msg);
		goto out;
	}
	for (unsigned i = 0; i < N; i++) {
		pkts[i] = bufs[i];
		plens[i] = inner_min(k) + i * 19 % 1200;
		seqs[i] = d.seq_first + i;
		inner_build(k, pkts[i] + framing_payload_off(tx), plens[i],
			    seqs[i], pattern);
		if (burst == 1)
			rcs[i] = f->encap(tx, pkts[i], plens[i], seqs[i]);
	}
	if (burst > 1)
		for (unsigned i = 0; i < N; i += burst)
			framing_encap_burst(f, tx, pkts + i, plens + i, seqs + i,
					    rcs + i, N - i < burst ? N - i : burst);
	for (unsigned i = 0; i < N; i++) {
		lens[i] = rcs[i] > 0 ? (size_t)rcs[i] : 0;
		good += rcs[i] == (long)framing_packet_len(tx, plens[i]) &&
			framing_packet_len(tx, plens[i]) ==
				f->packet_max(d.opts, alg, plens[i]);
		if (burst == 1)
			vs[i] = (uint8_t)f->decap(rx, pkts[i], lens[i], &outs[i]);
	}
	if (burst > 1)
		for (unsigned i = 0; i < N; i += burst)
			framing_decap_burst(f, rx, pkts + i, lens + i, outs + i,
					    vs + i, N - i < burst ? N - i : burst);
	for (unsigned i = 0; i < N; i++)
		good += vs[i] == 0 && outs[i].is_proto_ok &&
			outs[i].seq == seqs[i] && outs[i].len == plens[i] &&
			inner_check(k, outs[i].payload, plens[i], seqs[i],
				    pattern) == 0;
	t_check(good == 2 * N && framing_counts(rx)[0] == N,
		"%s/%s framing mode %u esn %d burst %u: %u of %d checks",
		alg, be, mode, is_esn, burst, good, 2 * N);
out:
	framing_sa_free(tx);
	framing_sa_free(rx);
}

/* What the framing makes of suites and options: refusals with one line,
 * labels, notes. */
static void framing_options(void)
{
	const struct framing_ops *f = framing_find("esp");
	unsigned char o[FRAMING_OPTS_MAX];
	struct ncb_err e = { "" };
	char label[64];
	size_t lo, hi;

	t_framing_defaults(f, o);
	set_opt(f, o, "icv-len", 10);
	t_check(f->check(o, "aes-128-cbc-hmac-sha1", 4, &lo, &hi, &e) == -EINVAL &&
			strstr(e.msg, "--icv-len") && strstr(e.msg, "12") &&
			!strchr(e.msg, '\n'),
		"--icv-len 10 refused for HMAC-SHA1-96 (%s)", e.msg);
	set_opt(f, o, "icv-len", 12);
	t_check(f->check(o, "aes-256-gcm", 4, &lo, &hi, &e) == -EINVAL &&
			strstr(e.msg, "16"),
		"--icv-len 12 refused for an AEAD (%s)", e.msg);
	set_opt(f, o, "icv-len", 32);
	t_check(f->check(o, "sm4-cbc-hmac-sm3", 4, &lo, &hi, &e) == 0,
		"--icv-len 32 for sm4-cbc-hmac-sm3 (%s)", e.msg);
	f->label(o, "sm4-cbc-hmac-sm3", label, sizeof(label));
	t_check(!strcmp(label, "esp-tunnel-icv32"), "label %s", label);
	t_check(f->packet_max(o, "sm4-cbc-hmac-sm3", 100) ==
			8 + 16 + 112 + 32,
		"packet_max: CBC IV, 16-byte alignment, the ICV asked for");
	set_opt(f, o, "icv-len", 12);
	f->label(o, "sm4-cbc-hmac-sm3", label, sizeof(label));
	t_check(!strcmp(label, "esp-tunnel"), "the default ICV unnamed: %s",
		label);
	t_framing_defaults(f, o);
	set_opt(f, o, "esp-mode", 1);
	t_check(f->check(o, "aes-128-cbc-hmac-sha256", 4, &lo, &hi, &e) == -EINVAL &&
			strstr(e.msg, "integrity"),
		"integrity only with an ETM suite refused (%s)", e.msg);
	t_check(f->check(o, "chacha20-poly1305", 4, &lo, &hi, &e) == -EINVAL,
		"integrity only with ChaCha20 refused (%s)", e.msg);
	t_check(f->check(o, "aes-192-gcm", 4, &lo, &hi, &e) == 0,
		"integrity only with AES-GCM (%s)", e.msg);
	t_framing_defaults(f, o);
	t_check(f->check(o, "aes-128-cbc-hmac-sha1", 4, &lo, &hi, &e) == 0 &&
			hi + 2 + 24 + 12 <= ESP_PACKET_MAX &&
			hi + 2 + 24 + 12 + 16 > ESP_PACKET_MAX,
		"largest CBC payload fits, one block more does not (%zu)", hi);
	t_check(!strcmp(framing_alg_note(f, "aes-128-cbc-hmac-sha1"),
			"RFC 3602 + RFC 2404") &&
			!strncmp(framing_alg_note(f, "zuc-128"), "non-standard", 12) &&
			!strncmp(framing_alg_note(f, "sm4-cbc-hmac-sm3"), "GM/T 0022", 9),
		"notes per suite");
	for (size_t i = 0; i < framing_count(); i++) {
		const struct framing_ops *g = framing_at(i);

		if (g == f)
			continue;
		t_framing_defaults(g, o);
		t_check(g->check(o, "aes-128-cbc-hmac-sha1", 4, &lo, &hi, &e) ==
					-EINVAL &&
				strstr(e.msg, "AEADs only") &&
				!framing_alg_note(g, "zuc-128"),
			"%s refuses ETM suites (%s)", g->name, e.msg);
	}
}

/* One ESP vector of tests/vectors/etm.json (f: its hex fields) on
 * backend be: esp_encap with the vector's IV rebuilds its packet byte for
 * byte, which opens back to the payload; a flipped ICV byte is refused. */
enum { V_ENC, V_AUTH, V_IV, V_SPI, V_SEQ, V_PLAIN, V_PACKET, V_FIELDS };

static void esp_vector(const char *name, const char *alg, const char *be,
		       const struct kat_bytes *f, const struct kat_bytes *nonce,
		       size_t icv_len, unsigned nh, size_t pad)
{
	static uint8_t pkt[4096];
	uint8_t key[AEAD_KEY_MAX];
	size_t klen = f[V_ENC].n + nonce->n + f[V_AUTH].n;
	size_t n = f[V_PLAIN].n - pad - 2;
	uint64_t seq = kat_be_num(&f[V_SEQ]);
	struct esp_sa *o = NULL, *in = NULL, *fresh = NULL;
	struct esp_decap_out out;
	long len;

	if (klen > sizeof(key) || f[V_PLAIN].n < pad + 2) {
		t_check(0, "%s: key or plaintext lengths", name);
		return;
	}
	memcpy(key, f[V_ENC].p, f[V_ENC].n);
	if (nonce->n) /* AES-CTR's RFC 3686 nonce */
		memcpy(key + f[V_ENC].n, nonce->p, nonce->n);
	memcpy(key + f[V_ENC].n + nonce->n, f[V_AUTH].p, f[V_AUTH].n);
	struct esp_sa_cfg cfg = {
		.aead = { alg, be, key, klen, icv_len },
		.spi = (uint32_t)kat_be_num(&f[V_SPI]),
		.replay_window = 64,
		.seq_start = seq,
	};
	if (esp_sa_new(&o, &cfg) < 0 || esp_sa_new(&in, &cfg) < 0 ||
	    esp_sa_new(&fresh, &cfg) < 0) {
		t_check(0, "%s/%s: SAs", name, be);
		goto out;
	}
	memcpy(pkt + hdr_of(o), f[V_PLAIN].p, n);
	len = esp_encap(o, pkt, n, (uint8_t)nh, seq, f[V_IV].p);
	t_check(len == (long)f[V_PACKET].n &&
			!memcmp(pkt, f[V_PACKET].p, f[V_PACKET].n),
		"%s/%s: esp_encap rebuilds the packet byte for byte", name, be);
	t_check(esp_decap(in, pkt, f[V_PACKET].n, &out) == ESP_V_OK &&
			out.payload_len == n && out.next_header == nh &&
			out.seq == seq && !memcmp(out.payload, f[V_PLAIN].p, n),
		"%s/%s: the packet opens to its payload", name, be);
	memcpy(pkt, f[V_PACKET].p, f[V_PACKET].n);
	pkt[f[V_PACKET].n - 1] ^= 1;
	t_check(esp_decap(fresh, pkt, f[V_PACKET].n, &out) == ESP_V_ICV,
		"%s/%s: a changed ICV byte refused", name, be);
out:
	explicit_bzero(key, sizeof(key));
	esp_sa_free(o);
	esp_sa_free(in);
	esp_sa_free(fresh);
}

static void etm_vectors(void)
{
	static const char *const names[V_FIELDS] = {
		"enc_key", "auth_key", "iv", "spi", "seq", "plaintext", "packet",
	};
	const char *path = getenv("NCB_ETM_VECTORS");
	unsigned packets = 0, ran = 0;
	json_error_t je;
	json_t *root, *v;
	size_t i;

	root = json_load_file(path ? path : "tests/vectors/etm.json", 0, &je);
	if (!root) {
		t_check(0, "etm vectors: cannot load etm.json: %s", je.text);
		return;
	}
	json_array_foreach(json_object_get(root, "vectors"), i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *alg = json_string_value(json_object_get(v, "algorithm"));
		struct kat_bytes f[V_FIELDS] = { { 0 } }, nonce = { 0 };
		struct ncb_err e = { "" };

		if (!json_object_get(v, "packet"))
			continue;
		packets++;
		if (!name || !alg || !aead_info(alg) ||
		    kat_get_hexes(v, names, V_FIELDS, f, name, &e) < 0 ||
		    (json_object_get(v, "nonce") &&
		     kat_get_hex(v, "nonce", &nonce, name, &e) < 0)) {
			t_check(0, "etm vector %zu: %s", i, e.msg);
		} else {
			for (size_t b = 0; b < aead_backend_count(); b++) {
				if (aead_probe(alg, aead_backend_name(b)) < 0)
					continue;
				esp_vector(name, alg, aead_backend_name(b), f, &nonce,
					   (size_t)json_integer_value(json_object_get(v, "icv_len")),
					   (unsigned)json_integer_value(json_object_get(v, "next_header")),
					   (size_t)json_integer_value(json_object_get(v, "pad_length")));
				ran++;
			}
		}
		kat_bytes_free(f, V_FIELDS);
		kat_bytes_free(&nonce, 1);
	}
	json_decref(root);
	t_check(packets >= 4, "etm vectors: %u ESP packets (RFC 3602 cases 5-8)",
		packets);
	printf("test_esp: %u ESP packet vector/backend runs\n", ran);
}

/* Every suite on every backend that offers it. */
static void suite(const char *alg, const char *be)
{
	const struct aead_info *a = aead_info(alg);
	int is_aead = a->kind == AEAD_KIND_AEAD;

	for (int gmac = 0; gmac <= is_aead; gmac++)
		for (int esn = 0; esn < 2; esn++)
			round_trips(alg, be, gmac, esn, 0);
	for (size_t icv = 1; !is_aead && icv <= a->icv_max; icv++)
		if (icv != a->icv_len && aead_check_icv_len(alg, icv) == 0)
			round_trips(alg, be, 0, 1, icv);
	ivs(alg, be);
	modes(alg, be);
	for (unsigned mode = 0; mode < 2; mode++)
		for (int esn = 0; esn < 2; esn++) {
			framing_trips(alg, be, mode, esn, 1);
			framing_trips(alg, be, mode, esn, 32);
		}
	for (int esn = 0; esn < 2; esn++)
		burst_seal(alg, be, esn);
	if (strcmp(alg, "null") == 0)
		return; /* no tag to forge against */
	rejections(alg, be);
	esn_high_half(alg, be);
	truncations(alg, be);
	for (int gmac = 0; gmac <= is_aead; gmac++) {
		burst_open(alg, be, gmac, 0, 1000);
		burst_open(alg, be, gmac, 1, (3ull << 32) + 1000);
		burst_open(alg, be, gmac, 1, 0xffffffc0ull);
	}
	burst_esn_wrap(alg, be);
}

int main(void)
{
	unsigned etm = 0;

	window();
	framing_options();
	etm_vectors();
	for (size_t i = 0; i < aead_alg_count(); i++)
		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *alg = aead_alg_name(i);
			const char *be = aead_backend_name(b);

			if (aead_probe(alg, be) < 0)
				continue;
			suite(alg, be);
			etm += is_etm(alg);
		}
	printf("test_esp: %u encrypt-then-MAC suite/backend pairs\n", etm);
	return t_done("test_esp");
}
