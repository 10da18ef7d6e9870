/* WireGuard data messages: the known answers of tests/vectors/wg.json on
 * every backend, round trips of every inner size, each reject reason
 * triggered and counted, the padding stripped by the inner IP length,
 * the 2048-message window with reordering, the reject limit, bursts
 * with the verdicts of one message at a time, the wg framing ops as a
 * traffic pattern drives them, and what
 * tests/unit/inject --framing wg sends, each kind refused for its reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/inner.h"
#include "crypto/kat.h"
#include "crypto/replay.h"
#include "crypto/wg.h"
#include "crypto/wg_framing.h"
#include "crypto/wg_kat.h"
#include "tests/unit/helpers.h"

enum { INDEX = 0x0a0b0c0d };

static uint8_t key[AEAD_KEY_MAX];
static uint8_t pkt[WG_PACKET_MAX + 16], bad[WG_PACKET_MAX + 16];

static int sa_new(struct wg_sa **sa, const char *alg, const char *be,
		  unsigned window)
{
	struct wg_sa_cfg cfg = {
		.aead.alg = alg,
		.aead.backend = be,
		.aead.key = key,
		.aead.key_len = aead_key_len(alg),
		.index = INDEX,
		.replay_window = window,
	};

	return wg_sa_new(sa, &cfg);
}

/* len bytes at p that are an IPv4 (family 4) or IPv6 packet of exactly
 * len bytes by their header's length field; the rest a pattern. */
static void ip_packet(uint8_t *p, size_t len, int family, uint64_t seq)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + seq);
	if (len < (family == 4 ? 20u : 40u))
		return; /* too short for a header: no IP packet */
	if (family == 4) {
		p[0] = 0x45;
		ncb_put_be16(p + 2, (uint16_t)len);
	} else {
		p[0] = 0x60;
		ncb_put_be16(p + 4, (uint16_t)(len - 40));
	}
}

/* A message whose AEAD plaintext is exactly body[0..n), sealed with the
 * test key: what a peer that pads or frames differently would send. */
static long seal_raw(const char *alg, const char *be, uint8_t *p,
		     uint32_t index, uint64_t counter, const uint8_t *body,
		     size_t n)
{
	uint8_t nonce[AEAD_NONCE_LEN] = { 0 };
	struct aead_ctx *c;
	int rc;

	if (aead_ctx_new(&c, alg, be, key, aead_key_len(alg)) < 0)
		return -1;
	p[0] = WG_TYPE_DATA, p[1] = p[2] = p[3] = 0;
	wg_put_le32(p + 4, index);
	wg_put_le64(p + 8, counter);
	wg_put_le64(nonce + 4, counter);
	memmove(p + WG_HDR_LEN, body, n);
	rc = aead_seal(c, nonce, NULL, 0, p + WG_HDR_LEN, n, p + WG_HDR_LEN + n);
	aead_ctx_free(c);
	return rc < 0 ? -1 : (long)(WG_OVERHEAD + n);
}

/* Opens a message with the AEAD directly: 0 if it authenticates, the
 * padded plaintext left at p + WG_HDR_LEN. */
static int open_raw(const char *alg, const char *be, uint8_t *p, size_t len)
{
	uint8_t nonce[AEAD_NONCE_LEN] = { 0 };
	struct aead_ctx *c;
	int rc;

	if (aead_ctx_new(&c, alg, be, key, aead_key_len(alg)) < 0)
		return -1;
	memcpy(nonce + 4, p + 8, 8);
	rc = aead_open(c, nonce, NULL, 0, p + WG_HDR_LEN, len - WG_OVERHEAD,
		       p + len - WG_TAG_LEN);
	aead_ctx_free(c);
	return rc;
}

/* Every size 0..300 and some large ones: sizes an IP header can describe
 * come back whole; a non-empty plaintext too short for one is authentic
 * but refused as bad_inner; 0 is a keepalive. */
static void round_trips(const char *alg, const char *be)
{
	static const size_t large[] = { 1420, 1500, 9000, 65000 };
	struct wg_sa *o, *in;
	uint64_t counter = 0, ok = 0, inner_bad = 0;
	size_t n_sizes = 301 + NCB_ARRAY_SIZE(large) + 1;

	if (sa_new(&o, alg, be, WG_WINDOW_DEFAULT) < 0 ||
	    sa_new(&in, alg, be, WG_WINDOW_DEFAULT) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	for (size_t k = 0; k < n_sizes; k++) {
		size_t n = k <= 300 ? k
			   : k - 301 < NCB_ARRAY_SIZE(large) ? large[k - 301]
							     : wg_inner_max();
		int family = k % 2 && n >= 40 ? 6 : 4;
		struct wg_decap_out out = { 0 };
		enum wg_verdict v;
		long len;
		int is_padded = 1;

		ip_packet(pkt + WG_HDR_LEN, n, family, counter);
		len = wg_encap(o, pkt, n, counter);
		t_check(len == (long)wg_packet_len(n) && len % 16 == 0 &&
				(size_t)len >= n + WG_OVERHEAD &&
				(size_t)len < n + WG_OVERHEAD + WG_PAD,
			"%s/%s size %zu: message length %ld", alg, be, n, len);
		if (len < 0)
			continue;
		memcpy(bad, pkt, (size_t)len);
		if (open_raw(alg, be, bad, (size_t)len) == 0)
			for (size_t i = n; i < (size_t)len - WG_OVERHEAD; i++)
				is_padded &= bad[WG_HDR_LEN + i] == 0;
		else
			is_padded = 0;
		t_check(is_padded, "%s/%s size %zu: zero padding sealed", alg,
			be, n);
		v = wg_decap(in, pkt, (size_t)len, &out);
		if (n == 0) {
			ok += v == WG_V_OK;
			t_check(v == WG_V_OK && out.len == 0 &&
					out.inner_family == 0 && out.counter == counter,
				"%s/%s: keepalive accepted, empty", alg, be);
		} else if (n < 20) {
			inner_bad += v == WG_V_BAD_INNER;
			t_check(v == WG_V_BAD_INNER && out.counter == counter,
				"%s/%s size %zu: no IP packet, bad_inner (got %d)",
				alg, be, n, v);
		} else {
			int same = v == WG_V_OK && out.len == n &&
				   out.payload == pkt + WG_HDR_LEN;

			ip_packet(bad, n, family, counter);
			ok += v == WG_V_OK;
			t_check(same && memcmp(out.payload, bad, n) == 0 &&
					out.counter == counter &&
					out.inner_family == family,
				"%s/%s size %zu family %d: round trip (verdict %d)",
				alg, be, n, family, v);
		}
		/* Accepted or bad_inner, the counter is now used. */
		t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_REPLAYED,
			"%s/%s size %zu: second delivery replayed", alg, be, n);
		counter += 1 + k % 3;
	}
	t_check(wg_sa_counts(in)[WG_V_OK] == ok && ok == n_sizes - 19 &&
			wg_sa_counts(in)[WG_V_BAD_INNER] == inner_bad &&
			inner_bad == 19 &&
			wg_sa_counts(in)[WG_V_REPLAYED] == n_sizes,
		"%s/%s: counted", alg, be);
	t_check(wg_encap(o, pkt, wg_inner_max() + 1, counter) == -EMSGSIZE,
		"%s/%s: one byte over the largest inner packet refused", alg, be);
	wg_sa_free(o);
	wg_sa_free(in);
}

/* The inner packet's IP length says where the padding starts, as the
 * Linux receiver reads it; a length the plaintext cannot hold, or no IP
 * version, is bad_inner, after authentication. */
static void padding(const char *alg, const char *be)
{
	static const struct {
		int version;
		size_t claimed, plain; /* IP length field, plaintext bytes */
		int is_ok;
	} cases[] = {
		{ 4, 40, 48, 1 },   /* 8 bytes of padding */
		{ 4, 33, 48, 1 },   /* 15 */
		{ 4, 20, 48, 1 },   /* more than 16: Linux trims it too */
		{ 4, 48, 48, 1 },   /* none */
		{ 4, 49, 48, 0 },   /* longer than the plaintext */
		{ 4, 19, 48, 0 },   /* shorter than an IPv4 header */
		{ 6, 40, 48, 1 },   /* IPv6 header only */
		{ 6, 47, 48, 1 },
		{ 6, 49, 48, 0 },
		{ 6, 40, 32, 0 },   /* shorter than an IPv6 header */
		{ 5, 40, 48, 0 },   /* no IP version */
		{ 0, 48, 48, 0 },
	};
	uint8_t body[64];
	struct wg_sa *in;

	if (sa_new(&in, alg, be, 64) < 0) {
		t_check(0, "%s/%s: SA", alg, be);
		return;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct wg_decap_out out = { 0 };
		enum wg_verdict v;
		long len;

		memset(body, 0xa5, sizeof(body));
		body[0] = (uint8_t)(cases[i].version << 4 | 5);
		if (cases[i].version == 6)
			ncb_put_be16(body + 4, (uint16_t)(cases[i].claimed - 40));
		else
			ncb_put_be16(body + 2, (uint16_t)cases[i].claimed);
		len = seal_raw(alg, be, pkt, INDEX, 100 + i, body, cases[i].plain);
		v = wg_decap(in, pkt, (size_t)len, &out);
		if (cases[i].is_ok)
			t_check(v == WG_V_OK && out.len == cases[i].claimed &&
					out.inner_family == cases[i].version,
				"padding case %zu (%s/%s): stripped to %zu", i, alg,
				be, cases[i].claimed);
		else
			t_check(v == WG_V_BAD_INNER,
				"padding case %zu (%s/%s): bad_inner (got %d)", i,
				alg, be, v);
	}
	wg_sa_free(in);
}

/* Every reason, each counted once under its own name; nothing refused
 * moves the window or is handed out. */
static void rejections(const char *alg, const char *be)
{
	static const uint8_t other_key[AEAD_KEY_MAX] = { 0x55 };
	struct wg_sa *o, *in, *forger;
	struct wg_decap_out out;
	struct wg_sa_cfg fc = {
		.aead.alg = alg, .aead.backend = be, .aead.key = other_key,
		.aead.key_len = aead_key_len(alg), .index = INDEX,
	};
	const uint64_t *cnt;
	long len, flen;

	if (sa_new(&o, alg, be, 64) < 0 || sa_new(&in, alg, be, 64) < 0 ||
	    wg_sa_new(&forger, &fc) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	ip_packet(pkt + WG_HDR_LEN, 100, 4, 200);
	len = wg_encap(o, pkt, 100, 200);
	/* Forgeries: a changed ciphertext, tag or counter byte, and a
	 * message sealed with another key for the right index. */
	static const size_t flips[] = { WG_HDR_LEN + 10, WG_HDR_LEN + 112 + 15, 8 };
	for (size_t i = 0; i < NCB_ARRAY_SIZE(flips); i++) {
		memcpy(bad, pkt, (size_t)len);
		bad[flips[i]] ^= 1;
		out = (struct wg_decap_out){ .payload = NULL };
		t_check(wg_decap(in, bad, (size_t)len, &out) == WG_V_BAD_TAG &&
				!out.payload &&
				out.counter == wg_get_le64(bad + 8),
			"%s/%s: flipped byte %zu is bad_tag, not delivered, claimed counter told",
			alg, be, flips[i]);
	}
	ip_packet(bad + WG_HDR_LEN, 100, 4, 0);
	flen = wg_encap(forger, bad, 100, 1u << 30);
	t_check(wg_decap(in, bad, (size_t)flen, &out) == WG_V_BAD_TAG,
		"%s/%s: wrong key far ahead is bad_tag", alg, be);
	memcpy(bad, pkt, (size_t)len);
	t_check(wg_decap(in, bad, (size_t)len, &out) == WG_V_OK &&
			out.counter == 200,
		"%s/%s: the genuine message after the forgeries (window not moved)",
		alg, be);
	memcpy(bad, pkt, (size_t)len);
	t_check(wg_decap(in, bad, (size_t)len, &out) == WG_V_REPLAYED,
		"%s/%s: replayed", alg, be);
	/* Window 64, top 200: 137 is the left edge, 136 too old. */
	ip_packet(pkt + WG_HDR_LEN, 40, 4, 137);
	len = wg_encap(o, pkt, 40, 137);
	t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_OK,
		"%s/%s: window's left edge accepted", alg, be);
	ip_packet(pkt + WG_HDR_LEN, 40, 4, 136);
	len = wg_encap(o, pkt, 40, 136);
	t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_TOO_OLD,
		"%s/%s: one left of the window too old", alg, be);
	/* Lengths: below a keepalive, ragged ciphertexts, past UDP. */
	ip_packet(pkt + WG_HDR_LEN, 40, 4, 300);
	len = wg_encap(o, pkt, 40, 300);
	t_check(wg_decap(in, pkt, WG_OVERHEAD - 1, &out) == WG_V_TRUNCATED &&
			wg_decap(in, pkt, (size_t)len - 1, &out) == WG_V_TRUNCATED &&
			wg_decap(in, pkt, WG_OVERHEAD + 1, &out) == WG_V_TRUNCATED,
		"%s/%s: truncated", alg, be);
	t_check(wg_decap(in, pkt, WG_PACKET_MAX + 1, &out) == WG_V_OVERSIZE,
		"%s/%s: oversize", alg, be);
	/* Type 1..3 (handshake, cookie) and reserved bytes not zero. */
	static const uint8_t types[][2] = { { 0, 1 }, { 0, 2 }, { 0, 3 },
					    { 0, 0x84 }, { 1, 1 }, { 3, 0x80 } };
	for (size_t i = 0; i < NCB_ARRAY_SIZE(types); i++) {
		memcpy(bad, pkt, (size_t)len);
		bad[types[i][0]] = types[i][1];
		t_check(wg_decap(in, bad, (size_t)len, &out) == WG_V_BAD_TYPE,
			"%s/%s: header byte %u = %#x is bad_type", alg, be,
			types[i][0], types[i][1]);
	}
	memcpy(bad, pkt, (size_t)len);
	bad[4] ^= 1;
	t_check(wg_decap(in, bad, (size_t)len, &out) == WG_V_UNKNOWN_INDEX,
		"%s/%s: unknown index", alg, be);
	t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_OK,
		"%s/%s: counter 300 still fresh after the malformed copies",
		alg, be);
	/* The reject limit: the last counter a sender may use passes; the
	 * limit itself, and beyond, are refused before the tag. */
	uint8_t body[48];
	ip_packet(body, 48, 4, 0);
	len = seal_raw(alg, be, pkt, INDEX, WG_REJECT_AFTER_MESSAGES - 1, body,
		       sizeof(body));
	t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_OK &&
			out.counter == WG_REJECT_AFTER_MESSAGES - 1,
		"%s/%s: last counter below the limit accepted", alg, be);
	static const uint64_t beyond[] = { WG_REJECT_AFTER_MESSAGES,
					   WG_REJECT_AFTER_MESSAGES + 1,
					   UINT64_MAX };
	for (size_t i = 0; i < NCB_ARRAY_SIZE(beyond); i++) {
		len = seal_raw(alg, be, pkt, INDEX, beyond[i], body, sizeof(body));
		t_check(wg_decap(in, pkt, (size_t)len, &out) == WG_V_TOO_OLD,
			"%s/%s: counter %#llx at or past the limit refused", alg,
			be, (unsigned long long)beyond[i]);
	}
	t_check(wg_encap(o, pkt, 40, WG_REJECT_AFTER_MESSAGES) == -ERANGE &&
			wg_encap(o, pkt, 40, WG_REJECT_AFTER_MESSAGES - 1) > 0,
		"%s/%s: a sender stops at the limit", alg, be);
	cnt = wg_sa_counts(in);
	t_check(cnt[WG_V_OK] == 4 && cnt[WG_V_BAD_TAG] == 4 &&
			cnt[WG_V_REPLAYED] == 1 && cnt[WG_V_TOO_OLD] == 4 &&
			cnt[WG_V_TRUNCATED] == 3 && cnt[WG_V_OVERSIZE] == 1 &&
			cnt[WG_V_BAD_TYPE] == 6 && cnt[WG_V_UNKNOWN_INDEX] == 1 &&
			cnt[WG_V_BAD_INNER] == 0,
		"%s/%s: each reason counted once per message", alg, be);
	wg_sa_free(forger);
	wg_sa_free(in);
	wg_sa_free(o);
}

/* Every prefix of a valid message is refused without reading past it
 * (ASan watches). */
static void truncations(const char *alg, const char *be)
{
	struct wg_sa *o, *in;
	struct wg_decap_out out;
	size_t refused = 0, tries = 0;
	long len;

	if (sa_new(&o, alg, be, 64) < 0 || sa_new(&in, alg, be, 64) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	ip_packet(pkt + WG_HDR_LEN, 70, 4, 9);
	len = wg_encap(o, pkt, 70, 9);
	for (long n = 0; n < len; n++, tries++) {
		uint8_t *copy = malloc((size_t)n + 1);

		memcpy(copy, pkt, (size_t)n);
		refused += wg_decap(in, copy, (size_t)n, &out) != WG_V_OK;
		free(copy);
	}
	t_check(refused == tries, "%s/%s: all %zu truncations refused", alg,
		be, tries);
	wg_sa_free(o);
	wg_sa_free(in);
}

/* The window through wg_decap: numbered cases in order, each a counter
 * and its verdict. Window 2048 (the default): reordering inside it is
 * accepted once; left of it is too old. */
static void window(const char *alg, const char *be)
{
	static const struct {
		uint64_t counter;
		enum wg_verdict want;
	} cases[] = {
		/* 0 */ { 0, WG_V_OK },      { 0, WG_V_REPLAYED },
		/* 2 */ { 5, WG_V_OK },      { 3, WG_V_OK },
		/* 4 */ { 4, WG_V_OK },      { 3, WG_V_REPLAYED },
		/* 6 */ { 1, WG_V_OK },      { 2, WG_V_OK },
		/* 8 */ { 5, WG_V_REPLAYED }, { 3000, WG_V_OK },
		/* 10 */ { 953, WG_V_OK },   { 952, WG_V_TOO_OLD },
		/* 12 */ { 953, WG_V_REPLAYED }, { 2999, WG_V_OK },
		/* 14 */ { 1500, WG_V_OK },  { 1500, WG_V_REPLAYED },
		/* 16 */ { 3001, WG_V_OK },  { 953, WG_V_TOO_OLD },
		/* 18 */ { 954, WG_V_OK },   { 100000, WG_V_OK },
		/* 20 */ { 2999, WG_V_TOO_OLD }, { 99999, WG_V_OK },
		/* 22 */ { 97953, WG_V_OK }, { 97952, WG_V_TOO_OLD },
		/* 24 */ { 100000, WG_V_REPLAYED }, { 100001, WG_V_OK },
	};
	struct wg_sa *o, *in;
	struct wg_decap_out out;

	if (sa_new(&o, alg, be, 0) < 0 ||
	    sa_new(&in, alg, be, WG_WINDOW_DEFAULT) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		long len;

		ip_packet(pkt + WG_HDR_LEN, 40, 4, cases[i].counter);
		len = wg_encap(o, pkt, 40, cases[i].counter);
		t_check(wg_decap(in, pkt, (size_t)len, &out) == cases[i].want,
			"%s/%s window case %zu: counter %llu", alg, be, i,
			(unsigned long long)cases[i].counter);
	}
	/* A shuffled block of 2048 right of the top: every one once. */
	unsigned accepted = 0, again = 0;
	for (uint64_t i = 0; i < 2048; i++) {
		uint64_t c = 200000 + (i * 1237) % 2048;
		long len;

		ip_packet(pkt + WG_HDR_LEN, 40, 4, c);
		len = wg_encap(o, pkt, 40, c);
		memcpy(bad, pkt, (size_t)len);
		accepted += wg_decap(in, pkt, (size_t)len, &out) == WG_V_OK;
		again += wg_decap(in, bad, (size_t)len, &out) == WG_V_REPLAYED;
	}
	t_check(accepted == 2048 && again == 2048,
		"%s/%s: 2048 reordered counters accepted once (%u, %u)", alg, be,
		accepted, again);
	wg_sa_free(in);
	/* Window 0: strict order. */
	if (sa_new(&in, alg, be, 0) < 0) {
		t_check(0, "%s/%s: SA window 0", alg, be);
		wg_sa_free(o);
		return;
	}
	static const uint64_t strict[] = { 10, 9, 10, 11 };
	static const enum wg_verdict strict_want[] = { WG_V_OK, WG_V_TOO_OLD,
						       WG_V_REPLAYED, WG_V_OK };
	for (size_t i = 0; i < NCB_ARRAY_SIZE(strict); i++) {
		long len;

		ip_packet(pkt + WG_HDR_LEN, 40, 4, strict[i]);
		len = wg_encap(o, pkt, 40, strict[i]);
		t_check(wg_decap(in, pkt, (size_t)len, &out) == strict_want[i],
			"%s/%s window 0 case %zu", alg, be, i);
	}
	wg_sa_free(in);
	wg_sa_free(o);
}

/* Runs the kat hook on every vector of root with stdout in a file; the
 * per-backend "ok" lines in ok[], FAIL lines in *fails, tally in t. */
static void run_kat(json_t *root, const char *const *bes, unsigned *ok,
		    size_t n_bes, unsigned *fails, struct kat_tally *t)
{
	FILE *f = tmpfile();
	char line[512];
	int saved;
	size_t i;
	json_t *v;

	*t = (struct kat_tally){ 0, 0, 0 };
	*fails = 0;
	memset(ok, 0, n_bes * sizeof(*ok));
	if (!f) {
		t_check(0, "tmpfile");
		return;
	}
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(f), STDOUT_FILENO);
	json_array_foreach(json_object_get(root, "vectors"), i, v)
		wg_kat_run(v, t);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *end = line + strcspn(line, "\n");

		*end = '\0';
		*fails += strncmp(line, "FAIL", 4) == 0;
		for (size_t b = 0; b < n_bes; b++) {
			size_t bl = strlen(bes[b]);

			if (strncmp(line, "ok   wg/", 8) == 0 &&
			    (size_t)(end - line) > bl && end[-(long)bl - 1] == ' ' &&
			    strcmp(end - bl, bes[b]) == 0)
				ok[b]++;
		}
	}
	fclose(f);
}

/* tests/vectors/wg.json through the framing's kat hooks: valid, every
 * vector passes on every backend offering its AEAD, and a changed packet
 * byte fails on each of them. */
static void vectors(void)
{
	static const char *const bes[] = { "openssl", "gcrypt", "ipsec-mb",
					   "sodium" };
	const char *path = getenv("NCB_WG_VECTORS");
	unsigned ok[NCB_ARRAY_SIZE(bes)], want[NCB_ARRAY_SIZE(bes)] = { 0 };
	unsigned fails, n_chacha = 0, want_all = 0;
	const char *family;
	struct kat_tally t;
	struct ncb_err e = { "" };
	json_error_t je;
	json_t *root, *v;
	size_t i;

	root = json_load_file(path ? path : "tests/vectors/wg.json", 0, &je);
	if (!root) {
		t_check(0, "vectors: cannot load wg.json: %s", je.text);
		return;
	}
	family = json_string_value(json_object_get(root, "family"));
	t_check(family && strcmp(family, wg_framing.kat_family) == 0,
		"vectors: family is the framing's");
	json_array_foreach(json_object_get(root, "vectors"), i, v) {
		const char *alg = json_string_value(json_object_get(v, "algorithm"));
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *a = strcmp(alg, "ChaCha20-Poly1305") == 0 ? "chacha20-poly1305"
				: strcmp(alg, "AES-256-GCM") == 0 ? "aes-256-gcm"
								  : "aes-128-gcm";

		t_check(wg_framing.kat_validate(v, name, &e) == 0,
			"vector %s valid: %s", name, e.msg);
		n_chacha += strcmp(a, "chacha20-poly1305") == 0;
		for (size_t b = 0; b < NCB_ARRAY_SIZE(bes); b++)
			want[b] += aead_probe(a, bes[b]) == 0;
		for (size_t b = 0; b < aead_backend_count(); b++)
			want_all += aead_probe(a, aead_backend_name(b)) == 0;
	}
	t_check(i >= 4 && n_chacha >= 4, "vectors: at least 4 ChaCha20-Poly1305 ones");
	run_kat(root, bes, ok, NCB_ARRAY_SIZE(bes), &fails, &t);
	for (size_t b = 0; b < NCB_ARRAY_SIZE(bes); b++) {
		/* The four backends all offer ChaCha20-Poly1305 here;
		 * a machine without one would show it as 0 of 0. */
		t_check(aead_probe("chacha20-poly1305", bes[b]) == 0,
			"vectors: %s offers chacha20-poly1305", bes[b]);
		t_check(ok[b] == want[b] && want[b] >= n_chacha,
			"vectors: %s passed %u of %u", bes[b], ok[b], want[b]);
	}
	t_check(fails == 0 && t.failed == 0 && t.skipped == 0 &&
			t.passed == want_all,
		"vectors: tally %u passed, %u failed, %u skipped", t.passed,
		t.failed, t.skipped);

	/* One changed byte per vector: the receiver index of the first,
	 * a ciphertext byte of the others. Every backend fails each. */
	json_array_foreach(json_object_get(root, "vectors"), i, v) {
		char *hex = strdup(json_string_value(json_object_get(v, "packet")));
		size_t at = i == 0 ? 2 * 4 : 2 * WG_HDR_LEN;

		hex[at] = hex[at] == '0' ? '1' : '0';
		json_object_set_new(v, "packet", json_string(hex));
		free(hex);
	}
	run_kat(root, bes, ok, NCB_ARRAY_SIZE(bes), &fails, &t);
	t_check(t.passed == 0 && t.failed == fails && fails == want_all,
		"vectors: changed packets fail everywhere (%u failed)", t.failed);

	/* Malformed vectors are refused by the form check. */
	v = json_deep_copy(json_array_get(json_object_get(root, "vectors"), 1));
	json_object_set_new(v, "counter", json_string("00000001"));
	t_check(wg_framing.kat_validate(v, "short counter", &e) == -EINVAL,
		"vectors: a 4-byte counter refused");
	json_object_set_new(v, "counter", json_string("ffffffffffffdfff"));
	t_check(wg_framing.kat_validate(v, "limit", &e) == -EINVAL,
		"vectors: a counter at the limit refused");
	json_object_set_new(v, "counter", json_string("0000000000000001"));
	json_object_set_new(v, "plaintext", json_string("00"));
	t_check(wg_framing.kat_validate(v, "length", &e) == -EINVAL,
		"vectors: a packet length that does not fit refused");
	json_object_del(v, "key");
	t_check(wg_framing.kat_validate(v, "no key", &e) == -EINVAL,
		"vectors: a missing key refused");
	json_decref(v);
	json_decref(root);
}

/* The wg framing through its ops, as a traffic pattern uses them. */
static void framing(const char *alg, const char *be)
{
	const struct framing_ops *f = &wg_framing;
	struct framing_sa_desc d = { .id = 4, .family = 6 };
	static uint8_t pattern[2048];
	void *tx = NULL, *rx = NULL, *other = NULL;
	struct ncb_err e = { "" };
	struct framing_out out;
	unsigned v, sent = 0;
	long len;

	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 31 + 1);
	snprintf(d.framing, sizeof(d.framing), "wg");
	snprintf(d.cipher, sizeof(d.cipher), "%s", alg);
	snprintf(d.backend, sizeof(d.backend), "%s", be);
	memcpy(d.keymat, key, sizeof(key));
	/* Defaults as a pattern would set them: 2048. */
	*(unsigned *)(void *)d.opts = WG_WINDOW_DEFAULT;
	if (framing_sa_new(f, &tx, &d, 0, &e) < 0 || framing_sa_new(f, &rx, &d, 1, &e) < 0) {
		t_check(0, "framing %s/%s: sa_new: %s", alg, be, e.msg);
		goto out;
	}
	for (size_t n = inner_min(INNER_IPV6); n <= 1500; n += 97) {
		uint64_t seq = n * 3;

		inner_build(INNER_IPV6, pkt + framing_payload_off(tx), n, seq, pattern);
		len = f->encap(tx, pkt, n, seq);
		v = f->decap(rx, pkt, (size_t)len, &out);
		t_check(len == (long)framing_packet_len(tx, n) && v == 0 &&
				out.len == n && out.seq == seq && out.is_proto_ok &&
				inner_check(INNER_IPV6, out.payload, n, seq,
					    pattern) == 0,
			"framing %s/%s size %zu: round trip", alg, be, n);
		sent++;
		t_check(f->decap(rx, pkt, (size_t)len, &out) == WG_V_REPLAYED &&
				f->verdicts[WG_V_REPLAYED].cls == VERDICT_REPLAY,
			"framing %s/%s size %zu: replay refused", alg, be, n);
	}
	/* An IPv4 packet on an IPv6 path: authentic, but not the kind. */
	inner_build(INNER_IPV4, pkt + WG_HDR_LEN, 100, 5000, pattern);
	len = f->encap(tx, pkt, 100, 5000);
	t_check(f->decap(rx, pkt, (size_t)len, &out) == 0 && !out.is_proto_ok,
		"framing %s/%s: other IP version is not the proto", alg, be);
	inner_build(INNER_IPV6, pkt + WG_HDR_LEN, 100, 5001, pattern);
	len = f->encap(tx, pkt, 100, 5001);
	pkt[len - 3] ^= 4;
	out.seq = 0;
	v = f->decap(rx, pkt, (size_t)len, &out);
	t_check(v == WG_V_BAD_TAG && f->verdicts[v].cls == VERDICT_AUTH &&
			f->verdicts[v].stage == VERDICT_AT_TAG && out.seq == 5001,
		"framing %s/%s: flipped byte refused at the tag", alg, be);
	/* Another pair's SA (id 5) does not take id 4's messages. */
	d.id = 5;
	if (framing_sa_new(f, &other, &d, 1, &e) < 0) {
		t_check(0, "framing %s/%s: sa_new id 5", alg, be);
		goto out;
	}
	inner_build(INNER_IPV6, pkt + WG_HDR_LEN, 100, 5002, pattern);
	len = f->encap(tx, pkt, 100, 5002);
	v = f->decap(other, pkt, (size_t)len, &out);
	t_check(v == WG_V_UNKNOWN_INDEX && f->verdicts[v].cls == VERDICT_AUTH &&
			f->verdicts[v].stage == VERDICT_BEFORE_AUTH &&
			wg_get_le32(pkt + 4) == wg_framing_index(4),
		"framing %s/%s: other pair's index refused", alg, be);
	t_check(sent > 10 && framing_counts(rx)[0] == sent + 1 &&
			framing_counts(rx)[WG_V_REPLAYED] == sent &&
			framing_counts(rx)[WG_V_BAD_TAG] == 1 &&
			framing_counts(other)[WG_V_UNKNOWN_INDEX] == 1,
		"framing %s/%s: counts", alg, be);
out:
	if (tx)
		framing_sa_free(tx);
	if (rx)
		framing_sa_free(rx);
	if (other)
		framing_sa_free(other);
	explicit_bzero(&d, sizeof(d));
}

/* The ops table itself: hooks, names, options, sizes, notes. */
static void ops_table(void)
{
	const struct framing_ops *f = &wg_framing;
	unsigned window = 0, big = REPLAY_WINDOW_MAX + 1, zero = 0;
	struct ncb_err e = { "" };
	size_t min = 0, max = 0;
	char label[32];

	t_check(strcmp(f->name, "wg") == 0 && f->abi == FRAMING_ABI &&
			f->flags == (FRAMING_F_DATAGRAM | FRAMING_F_SEQ0) &&
			f->decap && !f->feed && f->encap && f->sa_init &&
			f->sa_fini && f->hdr_len == WG_HDR_LEN &&
			!f->packet_len && f->check && f->inner && f->label &&
			!f->transport && !f->seq_first && f->kat_run &&
			f->kat_validate && strcmp(f->kat_family, "wg") == 0,
		"ops: hooks of a datagram framing");
	t_check(f->opts_count == 1 &&
			strcmp(f->opts[0].name, "replay-window") == 0 &&
			strcmp(f->opts[0].def, "2048") == 0 &&
			f->opts[0].type == NCB_OPT_UINT &&
			f->opts_size <= FRAMING_OPTS_MAX,
		"ops: --replay-window, default 2048");
	t_check(f->n_verdicts == WG_V_COUNT &&
			f->n_verdicts <= FRAMING_VERDICTS_MAX &&
			strcmp(f->verdicts[0].name, "ok") == 0 &&
			strcmp(f->verdicts[f->v_oversize].name, "oversize") == 0,
		"ops: verdict table");
	for (unsigned i = 0; i < f->n_verdicts; i++) {
		const char *n = f->verdicts[i].name;

		t_check(n && *n && strspn(n, "abcdefghijklmnopqrstuvwxyz_") ==
					   strlen(n),
			"ops: verdict %u name is snake_case", i);
		for (unsigned j = 0; j < i; j++)
			t_check(strcmp(n, f->verdicts[j].name) != 0,
				"ops: verdict names %u and %u differ", i, j);
	}
	t_check(f->verdicts[WG_V_BAD_INNER].cls == VERDICT_BROKEN &&
			f->verdicts[WG_V_BAD_INNER].stage == VERDICT_AFTER_AUTH &&
			f->verdicts[WG_V_TOO_OLD].cls == VERDICT_REPLAY &&
			f->verdicts[WG_V_TOO_OLD].stage == VERDICT_BEFORE_AUTH,
		"ops: classes and stages");
	window = 2048;
	t_check(f->check(&window, "chacha20-poly1305", 4, &min, &max, &e) == 0 &&
			min == inner_min(INNER_IPV4) && max == 65472 &&
			wg_packet_len(max) <= WG_PACKET_MAX &&
			wg_packet_len(max + 1) > WG_PACKET_MAX,
		"ops: check family 4 gives %zu..%zu", min, max);
	t_check(f->check(&zero, "aes-128-gcm", 6, &min, &max, &e) == 0 &&
			min == inner_min(INNER_IPV6),
		"ops: check family 6, window 0");
	t_check(f->check(&big, "chacha20-poly1305", 4, &min, &max, &e) == -EINVAL &&
			strstr(e.msg, "--replay-window"),
		"ops: window past REPLAY_WINDOW_MAX refused: %s", e.msg);
	t_check(f->check(&window, "rot13", 4, &min, &max, &e) == -EINVAL &&
			f->check(&window, "null", 5, &min, &max, &e) == -EINVAL,
		"ops: unknown cipher and family refused");
	t_check(f->inner(&window, 4) == INNER_IPV4 &&
			f->inner(&window, 6) == INNER_IPV6 &&
			strcmp(framing_transport(f, &window, 4), "udp") == 0 &&
			strcmp(framing_transport(f, &window, 6), "udp6") == 0 &&
			framing_seq_first(f, &window) == 0,
		"ops: inner kind, transport, first counter 0");
	f->label(&window, "chacha20-poly1305", label, sizeof(label));
	t_check(strcmp(label, "wg") == 0, "ops: label");
	f->label(&window, "aes-256-gcm", label, sizeof(label));
	t_check(strcmp(label, "wg-nonstandard") == 0,
		"ops: label of another AEAD says non-standard");
	t_check(f->packet_max(&window, "chacha20-poly1305", 100) == 16 + 112 + 16,
		"ops: packet_max pads to 16 and adds header and tag");
	t_check(strcmp(f->alg_note("chacha20-poly1305"), "WireGuard") == 0 &&
			strcmp(f->alg_note("aes-256-gcm"), "non-standard") == 0 &&
			strcmp(f->alg_note("sm4-gcm"), "non-standard") == 0 &&
			strcmp(framing_alg_note(f, "null"),
			       "I/O baseline: no protection") == 0 &&
			!f->alg_note("rot13"),
		"ops: alg notes");
}

/* Spawns `inject --framing wg` (beside this program) at a UDP socket of
 * ours and decaps what arrives through pair 0's receiving SA, whose
 * window a genuine message has moved past the replays: every kind must
 * be refused for its own reason, and none accepted. Datagrams the kernel
 * dropped on a loaded machine are allowed for, not hidden. */
static void injected(const char *self)
{
	static const char *const kinds[] = { "random", "truncated", "oversize",
					     "replayed", "forged" };
	static const enum wg_verdict reasons[] = { WG_V_BAD_TYPE, WG_V_TRUNCATED,
						   WG_V_OVERSIZE, WG_V_TOO_OLD,
						   WG_V_BAD_TAG };
	static uint8_t buf[2048];
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	unsigned long sent[NCB_ARRAY_SIZE(kinds)] = { 0 }, total = 0, got = 0;
	uint64_t seen[WG_V_COUNT] = { 0 };
	char path[4096], port[16], line[256] = "", *dir = strdup(self);
	char *argv[] = { path, "--framing", "wg", "--port", port, "--count",
			 "2000", "--pps", "20000", NULL };
	struct wg_sa *tx, *rx;
	struct wg_decap_out out;
	posix_spawn_file_actions_t fa;
	int fd, pipefd[2], status = -1, rcv = 1 << 22, is_done = 0;
	pid_t pid;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/inject", dirname(dir));
	free(dir);
	struct wg_sa_cfg cfg = {
		.aead.alg = "chacha20-poly1305", .aead.backend = "openssl", .aead.key = key,
		.aead.key_len = 32, .index = wg_framing_index(0),
		.replay_window = WG_WINDOW_DEFAULT,
	};
	if (wg_sa_new(&tx, &cfg) < 0 || wg_sa_new(&rx, &cfg) < 0) {
		t_check(0, "inject: SAs");
		return;
	}
	ip_packet(pkt + WG_HDR_LEN, 60, 4, 1);
	len = wg_encap(tx, pkt, 60, 100000);
	t_check(wg_decap(rx, pkt, (size_t)len, &out) == WG_V_OK,
		"inject: the genuine message moves the window");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0 || pipe(pipefd) < 0) {
		t_check(0, "inject: socket");
		return;
	}
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	if (posix_spawn(&pid, path, &fa, NULL, argv, NULL) != 0) {
		t_check(0, "inject: cannot run %s", path);
		return;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	/* Receive until the injector has exited and the socket is quiet. */
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, 200) <= 0) {
			if (is_done)
				break;
			is_done = waitpid(pid, &status, WNOHANG) == pid;
			continue;
		}
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0)
			continue;
		got++;
		if ((size_t)n > sizeof(buf))
			seen[WG_V_OVERSIZE]++; /* the pattern counts a cut one */
		else
			seen[wg_decap(rx, buf, (size_t)n, &out)]++;
	}
	close(fd);
	f = fdopen(pipefd[0], "r");
	if (!f || !fgets(line, sizeof(line), f))
		line[0] = '\0';
	if (f)
		fclose(f);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(kinds); k++) {
		char key_eq[32], *at;

		snprintf(key_eq, sizeof(key_eq), " %s=", kinds[k]);
		at = strstr(line, key_eq);
		sent[k] = at ? strtoul(at + strlen(key_eq), NULL, 10) : 0;
		total += sent[k];
	}
	t_check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && total == 2000 &&
			strstr(line, " failed=0"),
		"inject --framing wg ran: %s", line);
	t_check(seen[WG_V_OK] == 0 && wg_sa_counts(rx)[WG_V_OK] == 1 &&
			seen[WG_V_REPLAYED] == 0 &&
			seen[WG_V_UNKNOWN_INDEX] == 0 && seen[WG_V_BAD_INNER] == 0,
		"inject: nothing accepted, no stray reason");
	t_check(got <= total && got >= total * 9 / 10,
		"inject: %lu of %lu received", got, total);
	for (size_t k = 0; k < NCB_ARRAY_SIZE(kinds); k++) {
		uint64_t c = k == 2 ? seen[reasons[k]] : wg_sa_counts(rx)[reasons[k]];

		/* Exact when the kernel dropped nothing. */
		t_check(sent[k] > 0 && c <= sent[k] &&
				(got < total || c == sent[k]),
			"inject: %s sent %lu, refused as %s %llu", kinds[k],
			sent[k], wg_framing.verdicts[reasons[k]].name,
			(unsigned long long)c);
	}
	wg_sa_free(tx);
	wg_sa_free(rx);
}

/* Bursts: a list of messages in two copies, one opened a message at a
 * time, the other in bursts (of 1, 32 and the whole list), gives the
 * same verdicts, views and counters; the list holds good messages (a
 * pair swapped each round, keepalives), a copy right behind its original
 * (in the same burst), forgeries of a counter that arrives later,
 * ragged, mistyped, foreign, old, oversize, past-the-limit and
 * authentic-but-not-IP messages. Sealing in bursts makes the messages
 * one at a time makes, and refuses the same. */
enum { LIST = 90, MBUF = 512 };

static uint8_t list_o[LIST][MBUF], list_a[LIST][MBUF], list_b[LIST][MBUF];

/* One message of the list in list_o[i]: its length. */
static long message(const char *alg, const char *be, struct wg_sa *o,
		    unsigned i, uint64_t *counter, uint64_t base)
{
	static const uint8_t junk[16] = { 0x11, 0x22, 0x33 };
	uint8_t *p = list_o[i];
	size_t n = 30 + i * 7 % 300;
	long len;

	switch (i % 10) {
	case 1:
		ip_packet(p + WG_HDR_LEN, n, 4, *counter + 1);
		return wg_encap(o, p, n, *counter + 1);
	case 2:
		ip_packet(p + WG_HDR_LEN, n, 4, *counter);
		len = wg_encap(o, p, n, *counter);
		*counter += 2;
		return len;
	case 5: /* a forgery of the counter that comes next */
		ip_packet(p + WG_HDR_LEN, 60, 6, *counter);
		len = wg_encap(o, p, 60, *counter);
		p[len - 1] ^= 1;
		return len;
	case 6: /* a keepalive */
		return wg_encap(o, p, 0, (*counter)++);
	case 7:
		return 33; /* ragged */
	case 8: /* another type, or another index */
		ip_packet(p + WG_HDR_LEN, 40, 4, *counter);
		len = wg_encap(o, p, 40, (*counter)++);
		p[i % 20 == 8 ? 0 : 4] ^= 1;
		return len;
	case 9:
		switch (i % 40) {
		case 9:
			return WG_PACKET_MAX + 1;
		case 19:
			return seal_raw(alg, be, p, INDEX, WG_REJECT_AFTER_MESSAGES,
					junk, 16);
		case 29: /* authentic, no IP packet */
			return seal_raw(alg, be, p, INDEX, (*counter)++, junk, 16);
		default: /* left of a window of 64 */
			ip_packet(p + WG_HDR_LEN, 40, 4, base - 100);
			return wg_encap(o, p, 40, base - 100);
		}
	default:
		ip_packet(p + WG_HDR_LEN, n, i % 2 ? 6 : 4, *counter);
		return wg_encap(o, p, n, (*counter)++);
	}
}

static void bursts(const char *alg, const char *be)
{
	static const unsigned runs[] = { 1, 32, LIST };
	static struct wg_decap_out oa[LIST], ob[LIST];
	static uint8_t big_a[WG_PACKET_MAX + 1], big_b[WG_PACKET_MAX + 1];
	uint64_t base = 1000, counter = base, cs[LIST];
	uint8_t *pa[LIST], *pb[LIST], va[LIST], vb[LIST];
	size_t lens[LIST];
	long ra[LIST], rb[LIST];
	struct wg_sa *o, *o2, *one, *many;
	int is_same = 1;

	if (sa_new(&o, alg, be, 64) < 0 || sa_new(&o2, alg, be, 64) < 0) {
		t_check(0, "%s/%s: SAs", alg, be);
		return;
	}
	for (unsigned i = 0; i < LIST; i++) {
		if (i % 10 == 3) { /* the same message again, at once */
			memcpy(list_o[i], list_o[i - 1], lens[i - 1]);
			lens[i] = lens[i - 1];
			continue;
		}
		lens[i] = (size_t)message(alg, be, o, i, &counter, base);
	}
	for (size_t k = 0; k < NCB_ARRAY_SIZE(runs); k++) {
		unsigned b = runs[k], seen = 0;

		if (sa_new(&one, alg, be, 64) < 0) {
			t_check(0, "%s/%s: SA", alg, be);
			break;
		}
		if (sa_new(&many, alg, be, 64) < 0) {
			t_check(0, "%s/%s: SA", alg, be);
			wg_sa_free(one);
			break;
		}
		for (unsigned i = 0; i < LIST; i++) {
			pa[i] = lens[i] > MBUF ? big_a : list_a[i];
			pb[i] = lens[i] > MBUF ? big_b : list_b[i];
			if (lens[i] <= MBUF) {
				memcpy(list_a[i], list_o[i], lens[i]);
				memcpy(list_b[i], list_o[i], lens[i]);
			}
		}
		for (unsigned i = 0; i < LIST; i++)
			va[i] = (uint8_t)wg_decap(one, pa[i], lens[i], &oa[i]);
		for (unsigned i = 0; i < LIST; i += b)
			wg_decap_burst(many, pb + i, lens + i, ob + i, vb + i,
				       LIST - i < b ? LIST - i : b);
		for (unsigned i = 0; i < LIST; i++) {
			int ok = va[i] == vb[i];

			seen |= 1u << va[i];
			if (ok && va[i] == WG_V_OK)
				ok = oa[i].payload - pa[i] == ob[i].payload - pb[i] &&
				     oa[i].len == ob[i].len &&
				     oa[i].counter == ob[i].counter &&
				     oa[i].inner_family == ob[i].inner_family &&
				     !memcmp(oa[i].payload, ob[i].payload, oa[i].len);
			if (ok && (va[i] == WG_V_BAD_TAG || va[i] == WG_V_BAD_INNER))
				ok = oa[i].counter == ob[i].counter;
			if (!ok)
				t_check(0, "%s/%s: message %u: %u alone, %u in bursts of %u",
					alg, be, i, va[i], vb[i], b);
			is_same &= ok;
		}
		t_check(is_same && !memcmp(wg_sa_counts(one), wg_sa_counts(many),
					   WG_V_COUNT * sizeof(uint64_t)),
			"%s/%s: bursts of %u give what one at a time gives", alg,
			be, b);
		t_check(seen == (1u << WG_V_COUNT) - 1 &&
				(b == 1 || vb[3] == WG_V_REPLAYED),
			"%s/%s: every kind in the list (%#x), a copy in its burst replayed",
			alg, be, seen);
		wg_sa_free(one);
		wg_sa_free(many);
	}
	/* Sealed in a burst, as one at a time; past the limit refused. */
	for (unsigned i = 0; i < LIST; i++) {
		pa[i] = list_a[i];
		pb[i] = list_b[i];
		lens[i] = i * 5 % 400;
		cs[i] = i == 50 ? WG_REJECT_AFTER_MESSAGES : base + i;
		ip_packet(list_a[i] + WG_HDR_LEN, lens[i], 4, i);
		ip_packet(list_b[i] + WG_HDR_LEN, lens[i], 4, i);
		ra[i] = wg_encap(o, pa[i], lens[i], cs[i]);
	}
	wg_encap_burst(o2, pb, lens, cs, rb, LIST);
	for (unsigned i = 0; i < LIST; i++)
		is_same &= ra[i] == rb[i] && (ra[i] > 0) == (i != 50) &&
			   (ra[i] < 0 || !memcmp(list_a[i], list_b[i], (size_t)ra[i]));
	t_check(is_same && rb[50] == -ERANGE,
		"%s/%s: a burst seals as one at a time", alg, be);
	wg_sa_free(o);
	wg_sa_free(o2);
}

int main(int argc, char **argv)
{
	static const char *const algs[] = { "chacha20-poly1305", "aes-128-gcm",
					    "aes-256-gcm" };

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	ops_table();
	vectors();
	for (size_t a = 0; a < NCB_ARRAY_SIZE(algs); a++)
		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *be = aead_backend_name(b);

			if (aead_probe(algs[a], be) < 0)
				continue;
			round_trips(algs[a], be);
			padding(algs[a], be);
			rejections(algs[a], be);
			truncations(algs[a], be);
			window(algs[a], be);
			framing(algs[a], be);
			bursts(algs[a], be);
		}
	(void)argc;
	injected(argv[0]);
	explicit_bzero(key, sizeof(key));
	return t_done("test_wg");
}
