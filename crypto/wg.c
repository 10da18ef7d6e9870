/* WireGuard data messages over an AEAD context: the nonce is built on the
 * stack, the padding written in place, and the message sealed or opened
 * in place. The receive checks follow the Linux implementation's order,
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

long wg_encap(struct wg_sa *sa, uint8_t *pkt, size_t len, uint64_t counter)
{
	uint8_t nonce[AEAD_NONCE_LEN], *t = pkt + WG_HDR_LEN;
	size_t n = padded(len);
	int rc;

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
	make_nonce(nonce, counter);
	rc = aead_seal(sa->aead, nonce, NULL, 0, t, n, t + n);
	return rc < 0 ? rc : (long)(WG_OVERHEAD + n);
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

enum wg_verdict wg_decap(struct wg_sa *sa, uint8_t *pkt, size_t len,
			 struct wg_decap_out *out)
{
	uint8_t nonce[AEAD_NONCE_LEN], *t = pkt + WG_HDR_LEN;
	uint64_t counter;
	size_t n, inner;
	int family = 0;

	if (len > WG_PACKET_MAX)
		return count(sa, WG_V_OVERSIZE);
	/* The Linux receiver takes any length from 32 on, since it pads
	 * only up to the path MTU; ncbench's sender always pads to 16, so
	 * a ragged ciphertext is malformed here and costs no AEAD call. */
	if (len < WG_OVERHEAD || (len - WG_OVERHEAD) % WG_PAD)
		return count(sa, WG_V_TRUNCATED);
	if (pkt[0] != WG_TYPE_DATA || pkt[1] || pkt[2] || pkt[3])
		return count(sa, WG_V_BAD_TYPE);
	if (wg_get_le32(pkt + 4) != sa->index)
		return count(sa, WG_V_UNKNOWN_INDEX);
	counter = wg_get_le64(pkt + 8);
	/* The window is read before the tag and moved only after it: the
	 * Linux receiver decrypts first because it decrypts on many CPUs
	 * and then validates counters in order on one; an SA here is one
	 * thread, so reading first spares the AEAD for replays, and a
	 * forgery still cannot move the window. A counter at the limit is
	 * outside every window the SA will ever have. */
	if (counter >= WG_REJECT_AFTER_MESSAGES)
		return count(sa, WG_V_TOO_OLD);
	switch (replay_check(&sa->win, counter)) {
	case REPLAY_SEEN:
		return count(sa, WG_V_REPLAYED);
	case REPLAY_TOO_OLD:
		return count(sa, WG_V_TOO_OLD);
	case REPLAY_OK:
		break;
	}
	n = len - WG_OVERHEAD;
	/* A failed tag still tells the caller which counter the message
	 * claimed: its own peer's, or one no peer has sent. */
	out->counter = counter;
	make_nonce(nonce, counter);
	if (aead_open(sa->aead, nonce, NULL, 0, t, n, t + n) < 0)
		return count(sa, WG_V_BAD_TAG);
	/* Authentic: the peer did send this counter, whatever it holds. */
	replay_update(&sa->win, counter);
	if (n == 0) {
		/* A keepalive: authentic, carrying no packet. */
		*out = (struct wg_decap_out){ t, 0, counter, 0 };
		return count(sa, WG_V_OK);
	}
	inner = inner_len(t, n, &family);
	if (!inner)
		return count(sa, WG_V_BAD_INNER);
	*out = (struct wg_decap_out){ t, inner, counter, family };
	return count(sa, WG_V_OK);
}

const uint64_t *wg_sa_counts(const struct wg_sa *sa)
{
	return sa->counts;
}
