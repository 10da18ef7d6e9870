/* WireGuard transport data messages (the WireGuard paper §5.4.6; the
 * Linux implementation's receive checks):
 *
 *   type 4 (1) | reserved 0 (3) | receiver index (4, LE) | counter (8, LE)
 *   | AEAD(inner packet | zero padding to a multiple of 16) | tag (16)
 *
 * nonce = 4 zero bytes | counter (64-bit LE), empty AAD. The key is one
 * direction's transport key; ChaCha20-Poly1305 is the standard AEAD, the
 * others run in the same layout as a non-standard variant. Pure functions
 * over buffers; no sockets. */
#ifndef NCB_CRYPTO_WG_H
#define NCB_CRYPTO_WG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

#include "io/ncb.h"

enum {
	WG_TYPE_DATA = 4,
	WG_HDR_LEN = 16,        /* type, reserved, receiver index, counter */
	WG_TAG_LEN = 16,
	WG_OVERHEAD = WG_HDR_LEN + WG_TAG_LEN, /* a keepalive's length */
	WG_PAD = 16,            /* plaintext is a multiple of this */
	WG_PACKET_MAX = 65507,  /* largest UDP payload over IPv4 */
	WG_WINDOW_DEFAULT = 2048,
	WG_BURST_MAX = AEAD_BURST_MAX, /* messages per burst call */
};

/* A counter at or past this is never sent nor accepted: the key must be
 * replaced first (WireGuard's REJECT_AFTER_MESSAGES, 2^64 - 2^13 - 1). */
#define WG_REJECT_AFTER_MESSAGES (UINT64_MAX - (1ull << 13))

/* Outcome of a decapsulation; every reject has its own counter. The
 * names of crypto/wg_framing.c follow this order. */
enum wg_verdict {
	WG_V_OK,
	WG_V_TRUNCATED,     /* < 32 bytes, or ciphertext not a multiple of 16 */
	WG_V_BAD_TYPE,      /* type is not 4, or reserved bytes not zero */
	WG_V_UNKNOWN_INDEX, /* receiver index of no SA here */
	WG_V_REPLAYED,      /* counter seen inside the window */
	WG_V_TOO_OLD,       /* left of the window, or >= the reject limit */
	WG_V_BAD_TAG,       /* authentication failed */
	WG_V_BAD_INNER,     /* authentic, but not an IP packet that fits */
	WG_V_OVERSIZE,      /* longer than any message over UDP */
	WG_V_COUNT,
};

struct wg_sa_cfg {
	struct aead_spec aead;
	uint32_t index;         /* the receiver index messages carry */
	unsigned replay_window; /* inbound; 0: strict order */
};

struct wg_sa;

/* One direction of a session. The key is copied into the AEAD context;
 * the caller may wipe its copy. Caller frees with wg_sa_free(), which
 * wipes the key. 0 or a negative errno (-EINVAL for an encrypt-then-MAC
 * suite). */
NCB_MUST_CHECK int wg_sa_new(struct wg_sa **out, const struct wg_sa_cfg *cfg);
void wg_sa_free(struct wg_sa *sa);

/* Bytes of the whole message for an inner packet of len bytes. */
size_t wg_packet_len(size_t len);
/* Largest inner packet whose message fits in WG_PACKET_MAX. */
size_t wg_inner_max(void);

/* Encapsulates in place: the inner packet is already at pkt + WG_HDR_LEN
 * and pkt has room for wg_packet_len(len) bytes. Returns the message
 * length, -EMSGSIZE if it would not fit, -ERANGE for a counter at the
 * reject limit, or an AEAD error. Allocates nothing. */
NCB_MUST_CHECK long wg_encap(struct wg_sa *sa, uint8_t *pkt, size_t len,
			     uint64_t counter);

/* n messages as n wg_encap calls would make them (rcs[i] is what call i
 * would return), sealed through one aead_seal_burst call per
 * WG_BURST_MAX. Allocates nothing. */
void wg_encap_burst(struct wg_sa *sa, uint8_t *const *pkts, const size_t *lens,
		    const uint64_t *counters, long *rcs, unsigned n);

struct wg_decap_out {
	uint8_t *payload;  /* the inner packet, padding stripped */
	size_t len;        /* 0: a keepalive */
	uint64_t counter;
	int inner_family;  /* 4 or 6; 0 for a keepalive */
};

/* Checks and opens len bytes at pkt in place, whatever they hold; reads
 * and writes only pkt[0..len). Counts the verdict in the SA. out is
 * filled on WG_V_OK; on WG_V_BAD_TAG and WG_V_BAD_INNER only
 * out->counter, the number the message claimed. Allocates nothing. */
enum wg_verdict wg_decap(struct wg_sa *sa, uint8_t *pkt, size_t len,
			 struct wg_decap_out *out);

/* n messages as n wg_decap calls in order would check them (verdicts[i],
 * outs[i] and the counters alike; a counter replayed later in the same
 * burst is still refused), opened through one aead_open_burst call per
 * WG_BURST_MAX. Allocates nothing. */
void wg_decap_burst(struct wg_sa *sa, uint8_t *const *pkts, const size_t *lens,
		    struct wg_decap_out *outs, uint8_t *verdicts, unsigned n);

/* Counters by verdict since the SA was made (WG_V_COUNT entries). */
const uint64_t *wg_sa_counts(const struct wg_sa *sa);

/* Little-endian fields of the header, at any alignment. */
static inline void wg_put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void wg_put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t wg_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t wg_get_le64(const uint8_t *p)
{
	return (uint64_t)wg_get_le32(p) | (uint64_t)wg_get_le32(p + 4) << 32;
}

#endif
