/* ESP framing and anti-replay: round trips for every AEAD in both modes
 * (AEAD and integrity only, with and without ESN), each rejection reason
 * triggered and counted, the window's edges, ESN inference across 2^32,
 * and decap of every truncation of a valid packet. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/replay.h"
#include "tests/unit/helpers.h"
#include "crypto/inner.h"

static const uint8_t salt[ESP_SALT_LEN] = { 0xca, 0xfe, 0xba, 0xbe };
static const size_t sizes[] = { 0, 1, 2, 3, 4, 61, 64, 1420, 9000 };

static int sa_new(struct esp_sa **sa, const char *alg, const char *be,
		  int is_gmac, int is_esn, unsigned window, uint64_t start)
{
	uint8_t key[AEAD_KEY_MAX];

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	struct esp_sa_cfg cfg = {
		.aead.alg = alg,
		.aead.backend = be,
		.aead.key = key,
		.aead.key_len = aead_key_len(alg),
		.salt = salt,
		.spi = 0x1000abcd,
		.is_esn = is_esn,
		.is_gmac = is_gmac,
		.replay_window = window,
		.seq_start = start,
	};
	return esp_sa_new(sa, &cfg);
}

/* Builds one packet of n payload bytes with sequence number seq. */
static long make(struct esp_sa *o, uint8_t *pkt, size_t n, uint64_t seq)
{
	for (size_t i = 0; i < n; i++)
		pkt[ESP_HDR_LEN + i] = (uint8_t)(i ^ seq);
	return esp_encap(o, pkt, n, ESP_NH_IPV4, seq, NULL);
}

static void round_trips(const char *alg, const char *be, int is_gmac,
			int is_esn)
{
	static uint8_t pkt[ESP_PACKET_MAX];
	uint64_t seq = is_esn ? 0xfffffff0ull : 1;
	struct esp_sa *o, *in;
	const char *mode = is_gmac ? "gmac" : "aead";

	if (sa_new(&o, alg, be, is_gmac, is_esn, 1024, 0) < 0 ||
	    sa_new(&in, alg, be, is_gmac, is_esn, 1024, seq) < 0) {
		t_check(0, "%s/%s %s: SAs", alg, be, mode);
		return;
	}
	for (size_t k = 0; k < NCB_ARRAY_SIZE(sizes); k++, seq += 7) {
		size_t n = sizes[k];
		long len = make(o, pkt, n, seq);
		struct esp_decap_out out;
		int is_ok;

		t_check(len == (long)esp_packet_len(n) && len % 4 == 0,
			"%s/%s %s size %zu: packet length", alg, be, mode, n);
		if (len < 0)
			continue;
		/* Integrity only leaves the payload in clear on the wire. */
		if (is_gmac && n > 8)
			t_check(pkt[ESP_HDR_LEN + 5] == (uint8_t)(5 ^ seq),
				"%s/%s gmac size %zu: payload in clear", alg, be, n);
		is_ok = esp_decap(in, pkt, (size_t)len, &out) == ESP_V_OK;
		t_check(is_ok && out.payload_len == n && out.seq == seq &&
				out.next_header == ESP_NH_IPV4,
			"%s/%s %s esn %d size %zu: round trip", alg, be, mode,
			is_esn, n);
		for (size_t i = 0; is_ok && i < n; i++)
			if (out.payload[i] != (uint8_t)(i ^ seq)) {
				t_check(0, "%s/%s %s size %zu: payload", alg, be,
					mode, n);
				break;
			}
	}
	t_check(esp_sa_counts(in)[ESP_V_OK] == NCB_ARRAY_SIZE(sizes),
		"%s/%s %s: ok counted", alg, be, mode);
	esp_sa_free(o);
	esp_sa_free(in);
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

			inner_build(kinds[k], pkt + ESP_HDR_LEN, len, seq, pattern);
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

/* An ESP packet whose AEAD plaintext is exactly body (trailer included),
 * sealed with the key sa_new() uses: how a peer with a broken trailer
 * would send it. */
static long seal_raw(const char *alg, const char *be, uint8_t *pkt,
		     uint64_t seq, const uint8_t *body, size_t n)
{
	uint8_t key[AEAD_KEY_MAX], nonce[AEAD_NONCE_LEN];
	struct aead_ctx *c;
	int rc;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	if (aead_ctx_new(&c, alg, be, key, aead_key_len(alg)) < 0)
		return -1;
	pkt[0] = 0x10, pkt[1] = 0x00, pkt[2] = 0xab, pkt[3] = 0xcd;
	for (int i = 0; i < 4; i++)
		pkt[4 + i] = pkt[12 + i] = (uint8_t)(seq >> (24 - 8 * i));
	memset(pkt + 8, 0, 4);
	memcpy(nonce, salt, 4);
	memcpy(nonce + 4, pkt + 8, 8);
	memcpy(pkt + ESP_HDR_LEN, body, n);
	rc = aead_seal(c, nonce, pkt, 8, pkt + ESP_HDR_LEN, n,
		       pkt + ESP_HDR_LEN + n);
	aead_ctx_free(c);
	return rc < 0 ? -1 : (long)(ESP_HDR_LEN + n + ESP_ICV_LEN);
}

/* Every reason, each counted once under its own name. */
static void rejections(const char *alg, const char *be)
{
	static uint8_t pkt[2048], bad[2048];
	struct esp_sa *o, *in;
	struct esp_decap_out out;
	const uint64_t *cnt;
	long len;

	if (sa_new(&o, alg, be, 0, 0, 64, 0) < 0 ||
	    sa_new(&in, alg, be, 0, 0, 64, 0) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	len = make(o, pkt, 100, 200);
	memcpy(bad, pkt, (size_t)len);
	bad[ESP_HDR_LEN + 10] ^= 1; /* ciphertext byte */
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
	bad[0] ^= 1;
	t_check(esp_decap(in, bad, (size_t)len, &out) == ESP_V_SPI,
		"%s/%s: unknown SPI", alg, be);
	t_check(esp_decap(in, pkt, ESP_HDR_LEN + ESP_ICV_LEN + 1, &out) ==
			ESP_V_TRUNCATED,
		"%s/%s: truncated", alg, be);
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
	/* Authentic packets with a bad trailer: wrong pad bytes, and a pad
	 * length longer than the body. */
	static const uint8_t bad_pad[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 1, 4 };
	static const uint8_t long_pad[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 4 };
	len = seal_raw(alg, be, pkt, 202, bad_pad, sizeof(bad_pad));
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_PAD,
		"%s/%s: wrong padding bytes", alg, be);
	len = seal_raw(alg, be, pkt, 203, long_pad, sizeof(long_pad));
	t_check(esp_decap(in, pkt, (size_t)len, &out) == ESP_V_PAD,
		"%s/%s: pad length beyond the body", alg, be);
	t_check(esp_decap(in, pkt, ESP_PACKET_MAX + 1, &out) == ESP_V_OVERSIZE,
		"%s/%s: oversize", alg, be);
	cnt = esp_sa_counts(in);
	t_check(cnt[ESP_V_OK] == 2 && cnt[ESP_V_ICV] == 3 &&
			cnt[ESP_V_SPI] == 1 && cnt[ESP_V_TRUNCATED] == 1 &&
			cnt[ESP_V_REPLAY] == 1 && cnt[ESP_V_OLD] == 1 &&
			cnt[ESP_V_PAD] == 2 && cnt[ESP_V_OVERSIZE] == 1,
		"%s/%s: each reason counted once per packet", alg, be);
	esp_sa_free(in);
	esp_sa_free(o);
}

/* The window alone: edges, a jump past the whole ring, strict order. */
static void window(void)
{
	struct replay_win w;

	if (replay_init(&w, 1024) < 0) {
		t_check(0, "replay_init 1024");
		return;
	}
	t_check(replay_check(&w, 5) == REPLAY_OK, "empty window accepts");
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

/* Every prefix of a valid packet and every single-byte change is refused
 * without touching memory past the length (ASan watches). */
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

int main(void)
{
	static const char *const algs[] = { "aes-128-gcm", "aes-192-gcm",
					    "aes-256-gcm", "chacha20-poly1305",
					    "sm4-gcm", "null" };

	window();
	for (size_t a = 0; a < NCB_ARRAY_SIZE(algs); a++)
		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *be = aead_backend_name(b);

			if (aead_probe(algs[a], be) < 0)
				continue;
			for (int gmac = 0; gmac < 2; gmac++)
				for (int esn = 0; esn < 2; esn++)
					round_trips(algs[a], be, gmac, esn);
			modes(algs[a], be);
			if (strcmp(algs[a], "null") == 0)
				continue; /* no tag to forge against */
			rejections(algs[a], be);
			truncations(algs[a], be);
		}
	return t_done("test_esp");
}
