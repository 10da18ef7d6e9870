/* libFuzzer target for WireGuard decapsulation. Input: one configuration
 * byte, then packets as (2-byte big-endian length, bytes), decapsulated
 * in order through one receiving SA so the window carries state between
 * them. Configuration bits: 0-1 the window (0, 64, 2048, 65536), 2 the
 * AEAD (null, whose zero tag lets arbitrary bytes reach the inner length
 * checks, or ChaCha20-Poly1305), 3 the mode: raw bytes as the message, or
 * a message sealed by wg_encap from the packet's fields
 *
 *   counter (8, LE) | offset (2, BE) | xor (1) | family (1) | inner bytes
 *
 * with byte offset of the message then changed by xor. With the real
 * AEAD a changed message is never accepted, and an unchanged one is never
 * refused at the tag. Every message sits in a buffer of exactly its
 * length, so ASan sees any access past it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/wg.h"
#include "tests/fuzz/frames.h"

enum { INDEX = 0x01020304, CONFIGS = 16, FIELDS = 12 };

static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };

struct fuzz_wg {
	struct wg_sa *rx, *tx;
	int is_sealed, is_aead;
};

static struct wg_sa *sa_make(int is_aead, unsigned window)
{
	struct wg_sa *sa;
	struct wg_sa_cfg c = {
		.aead.alg = is_aead ? "chacha20-poly1305" : "null",
		.aead.backend = is_aead ? "openssl" : "null",
		.aead.key = key,
		.aead.key_len = is_aead ? 32 : 16,
		.index = INDEX,
		.replay_window = window,
	};

	if (wg_sa_new(&sa, &c) < 0)
		abort();
	return sa;
}

static struct fuzz_wg *ctx_for(uint8_t cfg)
{
	static const unsigned windows[] = { 0, 64, 2048, 65536 };
	static struct fuzz_wg cache[CONFIGS];
	struct fuzz_wg *f = &cache[cfg % CONFIGS];

	/* A fresh window per input keeps runs reproducible. */
	wg_sa_free(f->rx);
	f->is_aead = (cfg >> 2) & 1;
	f->is_sealed = (cfg >> 3) & 1;
	f->rx = sa_make(f->is_aead, windows[cfg & 3]);
	if (!f->tx)
		f->tx = sa_make(f->is_aead, 0);
	return f;
}

/* Seals the packet's inner bytes with its counter, changes one byte,
 * decapsulates, and checks what the verdict may be. */
static void sealed(struct fuzz_wg *f, const uint8_t *p, size_t len)
{
	struct wg_decap_out out;
	enum wg_verdict v;
	size_t n, at, plen;
	uint64_t counter;
	uint8_t xor, *m;
	long mlen;

	if (len < FIELDS)
		return;
	counter = wg_get_le64(p);
	at = (size_t)p[8] << 8 | p[9];
	xor = p[10];
	n = len - FIELDS;
	if (n > wg_inner_max())
		n = wg_inner_max();
	plen = wg_packet_len(n);
	m = malloc(plen);
	if (!m)
		abort();
	memcpy(m + WG_HDR_LEN, p + FIELDS, n);
	/* Make the inner bytes an IP packet of their own length, or of a
	 * wrong one when the family byte is odd. */
	if (p[11] & 2 && n >= 40) {
		m[WG_HDR_LEN] = 0x60;
		ncb_put_be16(m + WG_HDR_LEN + 4, (uint16_t)(n - 40 + (p[11] & 1)));
	} else if (n >= 20) {
		m[WG_HDR_LEN] = 0x45;
		ncb_put_be16(m + WG_HDR_LEN + 2, (uint16_t)(n + (p[11] & 1)));
	}
	mlen = wg_encap(f->tx, m, n, counter);
	if (mlen < 0) {
		if (counter < WG_REJECT_AFTER_MESSAGES)
			abort(); /* only the limit refuses a fitting packet */
		free(m);
		return;
	}
	if ((size_t)mlen != plen)
		abort();
	m[at % plen] ^= xor;
	v = wg_decap(f->rx, m, plen, &out);
	if (v == WG_V_OK && (out.payload < m + WG_HDR_LEN ||
			     out.payload + out.len > m + plen - WG_TAG_LEN))
		abort(); /* a view outside the plaintext */
	if (f->is_aead && xor && v == WG_V_OK)
		abort(); /* a changed message accepted */
	if (!xor && (v == WG_V_BAD_TAG || v == WG_V_TRUNCATED ||
		     v == WG_V_BAD_TYPE || v == WG_V_UNKNOWN_INDEX))
		abort(); /* an unchanged message refused before its inner */
	free(m);
}

static struct fuzz_view one(void *arg, uint8_t *p, size_t len)
{
	struct fuzz_wg *f = arg;
	struct wg_decap_out out;

	if (f->is_sealed) {
		sealed(f, p, len);
		return (struct fuzz_view){ NULL, 0 };
	}
	if (wg_decap(f->rx, p, len, &out) != WG_V_OK)
		return (struct fuzz_view){ NULL, 0 };
	return (struct fuzz_view){ out.payload, out.len };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_frames(data + 1, size - 1, ctx_for(data[0]), one);
	return 0;
}
