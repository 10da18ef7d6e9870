/* WireGuard data messages over an AEAD context: the nonce is built on the
 * stack (a burst's in the thread's slots), the padding written in place, and
 * the message sealed or opened in place, alone or with a whole burst in
 * one call. The receive checks follow the Linux implementation's order,
 * except that the replay window is read before the tag (see wg_decap). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/replay.h"
#include "crypto/wg.h"

enum {
	IP4_HDR = 20,
	IP6_HDR = 40,
};

struct wg_sa {
	struct aead_ctx *aead;
	uint32_t index;
	struct replay_win win;
	uint64_t counts[WG_V_COUNT];
};

/* One burst: its operations and their nonces; the message each seals
 * (at), and per message opened the operation (op_of, -1: none). It lives
 * only during one burst call, and a thread makes one at a time, so the
 * thread's SAs share it (crypto/esp.c's reason: thousands of SAs per
 * direction). */
struct burst {
	struct aead_op ops[WG_BURST_MAX];
	uint8_t nonces[WG_BURST_MAX][AEAD_NONCE_LEN];
	unsigned at[WG_BURST_MAX];
	int op_of[WG_BURST_MAX];
};

static _Thread_local struct burst burst;

void wg_sa_free(struct wg_sa *sa)
{
	if (!sa)
		return;
	aead_ctx_free(sa->aead); /* wipes the key */
	replay_free(&sa->win);
	free(sa);
}

int wg_sa_new(struct wg_sa **out, const struct wg_sa_cfg *cfg)
{
	struct wg_sa *sa = calloc(1, sizeof(*sa));
	int rc;

	*out = NULL;
	if (!sa)
		return -ENOMEM;
	if (aead_info(cfg->aead.alg) &&
	    aead_info(cfg->aead.alg)->kind != AEAD_KIND_AEAD) {
		free(sa);
		return -EINVAL; /* the counter is a nonce: AEADs only */
	}
	sa->index = cfg->index;
	/* Senders keep a window too (a few hundred bytes): any SA can
	 * decap whatever it is given. */
	rc = replay_init(&sa->win, cfg->replay_window);
	if (rc == 0)
		rc = aead_ctx_new(&sa->aead, cfg->aead.alg, cfg->aead.backend,
				  cfg->aead.key, cfg->aead.key_len);
	if (rc < 0) {
		wg_sa_free(sa);
		return rc;
	}
	*out = sa;
	return 0;
}

static size_t padded(size_t len)
{
	return (len + WG_PAD - 1) & ~(size_t)(WG_PAD - 1);
}

size_t wg_packet_len(size_t len)
{
	return WG_OVERHEAD + padded(len);
}

size_t wg_inner_max(void)
{
	return (WG_PACKET_MAX - WG_OVERHEAD) & ~(size_t)(WG_PAD - 1);
}

/* nonce = 32 zero bits | counter, little-endian (the paper §5.4.6). */
static void make_nonce(uint8_t *nonce, uint64_t counter)
{
	memset(nonce, 0, 4);
	wg_put_le64(nonce + 4, counter);
}

/* Writes header and padding of a message: its plaintext's length, or a
 * negative errno. */
static long frame(const struct wg_sa *sa, uint8_t *pkt, size_t len,
		  uint64_t counter)
{
	uint8_t *t = pkt + WG_HDR_LEN;
	size_t n = padded(len);

	if (len > wg_inner_max())
		return -EMSGSIZE;
	/* A sender stops before the limit (WireGuard's send path drops the
	 * message and wants a new handshake). */
	if (counter >= WG_REJECT_AFTER_MESSAGES)
		return -ERANGE;
	memset(t + len, 0, n - len);
	pkt[0] = WG_TYPE_DATA;
	pkt[1] = pkt[2] = pkt[3] = 0;
	wg_put_le32(pkt + 4, sa->index);
	wg_put_le64(pkt + 8, counter);
	return (long)n;
}

/* The operation that seals or opens n plaintext bytes in place, the tag
 * right after them. */
static void prepare(uint8_t *pkt, size_t n, uint64_t counter,
		    struct aead_op *op, uint8_t *nonce)
{
	uint8_t *t = pkt + WG_HDR_LEN;

	make_nonce(nonce, counter);
	*op = (struct aead_op){ .iv = nonce, .src = t, .dst = t, .len = n,
				.icv = t + n };
}

long wg_encap(struct wg_sa *sa, uint8_t *pkt, size_t len, uint64_t counter)
{
	uint8_t nonce[AEAD_NONCE_LEN], *t = pkt + WG_HDR_LEN;
	long n = frame(sa, pkt, len, counter);
	int rc;

	if (n < 0)
		return n;
	make_nonce(nonce, counter);
	rc = aead_seal(sa->aead, nonce, NULL, 0, t, (size_t)n, t + n);
	return rc < 0 ? rc : WG_OVERHEAD + n;
}

/* Up to WG_BURST_MAX messages: frame each, seal them with one call. */
static void seal_chunk(struct wg_sa *sa, uint8_t *const *pkts,
		       const size_t *lens, const uint64_t *counters,
		       long *rcs, unsigned n)
{
	struct burst *b = &burst;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		long m = frame(sa, pkts[i], lens[i], counters[i]);

		rcs[i] = m < 0 ? m : WG_OVERHEAD + m;
		if (m < 0)
			continue;
		prepare(pkts[i], (size_t)m, counters[i], &b->ops[k],
			b->nonces[k]);
		b->at[k++] = i;
	}
	aead_seal_burst(sa->aead, b->ops, k);
	for (unsigned j = 0; j < k; j++)
		if (b->ops[j].status < 0)
			rcs[b->at[j]] = b->ops[j].status;
}

void wg_encap_burst(struct wg_sa *sa, uint8_t *const *pkts, const size_t *lens,
		    const uint64_t *counters, long *rcs, unsigned n)
{
	for (unsigned i = 0; i < n; i += WG_BURST_MAX) {
		unsigned k = n - i < WG_BURST_MAX ? n - i : WG_BURST_MAX;

		seal_chunk(sa, pkts + i, lens + i, counters + i, rcs + i, k);
	}
}

static enum wg_verdict count(struct wg_sa *sa, enum wg_verdict v)
{
	sa->counts[v]++;
	return v;
}

/* The inner packet's own length, from its IP header, as the Linux
 * receive path reads it (IPv4 total length, IPv6 payload length + 40):
 * 0 if p[0..n) is no IP packet or claims more than it holds. The rest of
 * the plaintext is padding and is dropped unread, as WireGuard does. */
static size_t inner_len(const uint8_t *p, size_t n, int *family)
{
	size_t len;

	if (n >= IP4_HDR && p[0] >> 4 == 4) {
		*family = 4;
		len = ncb_get_be16(p + 2);
		if (len < IP4_HDR)
			return 0;
	} else if (n >= IP6_HDR && p[0] >> 4 == 6) {
		*family = 6;
		len = (size_t)ncb_get_be16(p + 4) + IP6_HDR;
	} else {
		return 0;
	}
	return len <= n ? len : 0;
}

/* The checks before the replay window, which depend on the message
 * alone: WG_V_OK with its counter, or why it is refused. */
static enum wg_verdict precheck(const struct wg_sa *sa, const uint8_t *pkt,
				size_t len, uint64_t *counter)
{
	if (len > WG_PACKET_MAX)
		return WG_V_OVERSIZE;
	/* The Linux receiver takes any length from 32 on, since it pads
	 * only up to the path MTU; ncbench's sender always pads to 16, so
	 * a ragged ciphertext is malformed here and costs no AEAD call. */
	if (len < WG_OVERHEAD || (len - WG_OVERHEAD) % WG_PAD)
		return WG_V_TRUNCATED;
	if (pkt[0] != WG_TYPE_DATA || pkt[1] || pkt[2] || pkt[3])
		return WG_V_BAD_TYPE;
	if (wg_get_le32(pkt + 4) != sa->index)
		return WG_V_UNKNOWN_INDEX;
	*counter = wg_get_le64(pkt + 8);
	/* A counter at the limit is outside every window the SA will ever
	 * have. */
	if (*counter >= WG_REJECT_AFTER_MESSAGES)
		return WG_V_TOO_OLD;
	return WG_V_OK;
}

/* The window is read before the tag and moved only after it: the Linux
 * receiver decrypts first because it decrypts on many CPUs and then
 * validates counters in order on one; an SA here is one thread, so
 * reading first spares the AEAD for replays, and a forgery still cannot
 * move the window. */
static enum wg_verdict window_verdict(const struct wg_sa *sa, uint64_t counter)
{
	switch (replay_check(&sa->win, counter)) {
	case REPLAY_SEEN:
		return WG_V_REPLAYED;
	case REPLAY_TOO_OLD:
		return WG_V_TOO_OLD;
	case REPLAY_OK:
		break;
	}
	return WG_V_OK;
}

/* After the open: the tag's verdict, then (authentic) the window and the
 * inner packet. */
static enum wg_verdict finish(struct wg_sa *sa, uint8_t *pkt, size_t len,
			      uint64_t counter, int status,
			      struct wg_decap_out *out)
{
	uint8_t *t = pkt + WG_HDR_LEN;
	size_t n = len - WG_OVERHEAD, inner;
	int family = 0;

	/* A failed tag still tells the caller which counter the message
	 * claimed: its own peer's, or one no peer has sent. */
	out->counter = counter;
	if (status < 0)
		return WG_V_BAD_TAG;
	/* Authentic: the peer did send this counter, whatever it holds. */
	replay_update(&sa->win, counter);
	if (n == 0) {
		/* A keepalive: authentic, carrying no packet. */
		*out = (struct wg_decap_out){ t, 0, counter, 0 };
		return WG_V_OK;
	}
	inner = inner_len(t, n, &family);
	if (!inner)
		return WG_V_BAD_INNER;
	*out = (struct wg_decap_out){ t, inner, counter, family };
	return WG_V_OK;
}

/* One message's open alone, in place. */
static int open_one(struct wg_sa *sa, uint8_t *pkt, size_t len,
		    uint64_t counter)
{
	uint8_t nonce[AEAD_NONCE_LEN], *t = pkt + WG_HDR_LEN;
	size_t n = len - WG_OVERHEAD;

	make_nonce(nonce, counter);
	return aead_open(sa->aead, nonce, NULL, 0, t, n, t + n);
}

enum wg_verdict wg_decap(struct wg_sa *sa, uint8_t *pkt, size_t len,
			 struct wg_decap_out *out)
{
	uint64_t counter = 0;
	enum wg_verdict v = precheck(sa, pkt, len, &counter);

	if (v == WG_V_OK)
		v = window_verdict(sa, counter);
	if (v != WG_V_OK)
		return count(sa, v);
	return count(sa, finish(sa, pkt, len, counter,
				open_one(sa, pkt, len, counter), out));
}

/* Up to WG_BURST_MAX messages, as crypto/esp.c's open_chunk: the
 * prechecks, one open of every message the window takes now, then in
 * order the window again (an earlier message may have moved it) before
 * it moves. Counters are whole on the wire: nothing to infer. */
static void open_chunk(struct wg_sa *sa, uint8_t *const *pkts,
		       const size_t *lens, struct wg_decap_out *outs,
		       uint8_t *vs, unsigned n)
{
	struct burst *b = &burst;
	uint64_t counters[WG_BURST_MAX];
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		b->op_of[i] = -1;
		vs[i] = (uint8_t)precheck(sa, pkts[i], lens[i], &counters[i]);
		if (vs[i] != WG_V_OK || window_verdict(sa, counters[i]))
			continue;
		prepare(pkts[i], lens[i] - WG_OVERHEAD, counters[i],
			&b->ops[k], b->nonces[k]);
		b->op_of[i] = (int)k++;
	}
	aead_open_burst(sa->aead, b->ops, k);
	for (unsigned i = 0; i < n; i++) {
		enum wg_verdict v = (enum wg_verdict)vs[i];
		int status;

		if (v == WG_V_OK)
			v = window_verdict(sa, counters[i]);
		if (v != WG_V_OK) {
			vs[i] = (uint8_t)count(sa, v);
			continue;
		}
		/* The window only narrows, so this one was opened; alone
		 * if not, to stay exact whatever the window does. */
		status = b->op_of[i] >= 0
				 ? b->ops[b->op_of[i]].status
				 : open_one(sa, pkts[i], lens[i], counters[i]);
		vs[i] = (uint8_t)count(sa, finish(sa, pkts[i], lens[i],
						  counters[i], status, &outs[i]));
	}
}

void wg_decap_burst(struct wg_sa *sa, uint8_t *const *pkts, const size_t *lens,
		    struct wg_decap_out *outs, uint8_t *verdicts, unsigned n)
{
	for (unsigned i = 0; i < n; i += WG_BURST_MAX) {
		unsigned k = n - i < WG_BURST_MAX ? n - i : WG_BURST_MAX;

		open_chunk(sa, pkts + i, lens + i, outs + i, verdicts + i, k);
	}
}

const uint64_t *wg_sa_counts(const struct wg_sa *sa)
{
	return sa->counts;
}
