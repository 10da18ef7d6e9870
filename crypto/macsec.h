/* MACsec (IEEE 802.1AE) with an AEAD: GCM-AES-128/256 with a 32-bit PN,
 * GCM-AES-XPN-128/256 with a 64-bit PN (802.1AEbw):
 *
 *   DA(6) | SA(6) | 88E5 | TCI/AN(1) | SL(1) | PN(4) | [SCI(8)] | secure data | ICV(16)
 *
 * nonce = SCI | PN, or with XPN (SSCI | PN64) XOR salt. Confidentiality
 * (E = C = 1): AAD = DA | SA | SecTAG, the user data is encrypted.
 * Integrity only (E = C = 0): the whole frame before the ICV is the AAD.
 * ChaCha20-Poly1305 and SM4-GCM run in the same layout, but no standard
 * defines them (macsec_suite_name() says NULL). Pure functions over
 * buffers; no sockets. */
#ifndef NCB_CRYPTO_MACSEC_H
#define NCB_CRYPTO_MACSEC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

#include "io/ncb.h"

enum {
	MACSEC_ETHERTYPE = 0x88e5,
	MACSEC_ADDRS_LEN = 12,   /* DA, SA */
	MACSEC_SECTAG_LEN = 8,   /* EtherType, TCI/AN, SL, PN */
	MACSEC_SCI_LEN = 8,
	MACSEC_SALT_LEN = 12,
	MACSEC_ICV_LEN = 16,
	MACSEC_SL_LIMIT = 48,    /* SL carries secure data shorter than this */
	MACSEC_FRAME_MAX = 65507, /* fits a UDP payload and a veth frame */
	MACSEC_BURST_MAX = AEAD_BURST_MAX, /* frames per burst call */
	/* TCI bits; the low two bits are the association number. */
	MACSEC_TCI_V = 0x80,   /* version, must be 0 */
	MACSEC_TCI_ES = 0x40,  /* end station: SCI = MAC SA | 00 01 */
	MACSEC_TCI_SC = 0x20,  /* SCI carried in the SecTAG */
	MACSEC_TCI_SCB = 0x10, /* EPON single copy broadcast */
	MACSEC_TCI_E = 0x08,   /* encrypted */
	MACSEC_TCI_C = 0x04,   /* changed text */
	MACSEC_AN_MASK = 0x03,
};

/* Outcome of a decapsulation; every reject has its own counter. Names
 * follow the 802.1AE receive counters where one exists. */
enum macsec_verdict {
	MACSEC_V_OK,
	MACSEC_V_TRUNCATED, /* shorter than addresses, SecTAG and ICV */
	MACSEC_V_BAD_TAG,   /* InPktsBadTag: not 88E5, V set, bad TCI or SL,
			     * PN 0 without XPN */
	MACSEC_V_SCI,       /* InPktsUnknownSCI: no SC with this SCI */
	MACSEC_V_AN,        /* InPktsNotUsingSA: AN of no receive SA */
	MACSEC_V_REPLAY,    /* PN accepted before, inside the window */
	MACSEC_V_LATE,      /* InPktsLate: PN below the lowest acceptable */
	MACSEC_V_ICV,       /* InPktsNotValid: authentication failed */
	MACSEC_V_OVERSIZE,  /* longer than MACSEC_FRAME_MAX */
	MACSEC_V_COUNT,
};

struct macsec_sa_cfg {
	struct aead_spec aead;
	/* The transmitting SC's identifier (MACSEC_SCI_LEN bytes). With ES
	 * and no SC bit it must be the frames' MAC SA | 00 01. */
	const uint8_t *sci;
	unsigned tci;   /* MACSEC_TCI_ES, _SC and _SCB as sent; E and C
			 * follow is_integrity */
	unsigned an;    /* association number, 0..3 */
	int is_integrity; /* E = C = 0 */
	int is_xpn;
	uint32_t ssci;        /* XPN: short SCI */
	const uint8_t *salt;  /* XPN: MACSEC_SALT_LEN bytes */
	unsigned replay_window; /* inbound; 0: strict order */
	/* Inbound: the first PN expected, when the SA does not start at 1
	 * (XPN runs near 2^32, vectors); 0: start at 1. */
	uint64_t pn_start;
};

struct macsec_sa;

/* One receive or transmit SA. The key is copied into the AEAD context;
 * the caller may wipe its copy. 0, -EINVAL (TCI, AN, missing SCI or
 * salt, an encrypt-then-MAC suite) or another negative errno. */
NCB_MUST_CHECK int macsec_sa_new(struct macsec_sa **out,
				 const struct macsec_sa_cfg *cfg);
void macsec_sa_free(struct macsec_sa *sa);

/* 802.1AE name of the cipher suite, or NULL where ncbench runs alg in the
 * MACsec layout although no standard defines it. */
const char *macsec_suite_name(const char *alg, int is_xpn);

/* Bytes before the user data in frames this SA sends, and in the whole
 * frame for user_len bytes of user data. */
size_t macsec_hdr_len(const struct macsec_sa *sa);
size_t macsec_frame_len(const struct macsec_sa *sa, size_t user_len);

/* Protects in place: frame holds DA | SA, then the user data (starting
 * with its EtherType) at frame + macsec_hdr_len(sa); frame has room for
 * macsec_frame_len() bytes. pn: 1..2^32-1, or 1..2^64-1 with XPN.
 * Returns the frame length or a negative errno. */
NCB_MUST_CHECK long macsec_encap(struct macsec_sa *sa, uint8_t *frame,
				 size_t user_len, uint64_t pn);

/* n frames as n macsec_encap calls would make them (rcs[i] is what call
 * i would return), sealed through one aead_seal_burst call per
 * MACSEC_BURST_MAX. */
void macsec_encap_burst(struct macsec_sa *sa, uint8_t *const *frames,
			const size_t *user_lens, const uint64_t *pns,
			long *rcs, unsigned n);

struct macsec_decap_out {
	uint8_t *user;     /* user data, from its EtherType */
	size_t user_len;
	uint64_t pn;       /* full 64-bit PN with XPN */
};

/* Checks and opens len bytes at frame in place, whatever they hold;
 * reads and writes only frame[0..len). Counts the verdict in the SA. out
 * is filled on MACSEC_V_OK; on MACSEC_V_ICV only out->pn, the PN the
 * frame claimed. */
enum macsec_verdict macsec_decap(struct macsec_sa *sa, uint8_t *frame,
				 size_t len, struct macsec_decap_out *out);

/* n frames as n macsec_decap calls in order would check them
 * (verdicts[i], outs[i] and the counters alike; a PN replayed later in
 * the same burst is still refused), opened through one aead_open_burst
 * call per MACSEC_BURST_MAX. A burst whose XPN recovery could depend on
 * an earlier frame of it (near a 2^32 wrap) is checked one frame at a
 * time. */
void macsec_decap_burst(struct macsec_sa *sa, uint8_t *const *frames,
			const size_t *lens, struct macsec_decap_out *outs,
			uint8_t *verdicts, unsigned n);

/* Counters by verdict since the SA was made (MACSEC_V_COUNT entries). */
const uint64_t *macsec_sa_counts(const struct macsec_sa *sa);

#endif
