/* IPsec ESP (RFC 4303) with any suite of crypto/aead.h:
 *
 *   SPI(4) | Seq(4) | IV | ciphertext(payload | padding | pad len | next hdr) | ICV
 *
 * AEADs (RFC 4106 AES-GCM, RFC 4543 AES-GMAC, RFC 7634 ChaCha20-Poly1305,
 * the same layout for SM4-GCM): IV 8 bytes, nonce = salt(4) | IV; AAD =
 * SPI | Seq, or SPI | Seq high | Seq low with extended sequence numbers;
 * ICV 16. Integrity-only (GMAC) mode encrypts nothing and authenticates
 * the whole packet before the ICV.
 *
 * Encrypt-then-MAC suites (RFC 3602 AES-CBC, RFC 3686 AES-CTR, with
 * HMAC-SHA1-96 (RFC 2404) or HMAC-SHA-256-128 (RFC 4868); SM4-CBC with
 * HMAC-SM3 as GM/T 0022 runs it; zuc-128, which no ESP standard names):
 * the IV as the suite sends it (CBC: 16 unpredictable bytes, RFC 3602 §2;
 * CTR: 8, the 64-bit sequence number, unique per key as RFC 3686 §3.1
 * asks; zuc-128: COUNT = the low 32 bits of the sequence number, BEARER
 * and DIRECTION 0); ICV = the suite's MAC, truncated to the SA's ICV
 * length, over SPI | Seq | IV | ciphertext, then with ESN the high half
 * of the sequence number, which is authenticated but never sent (RFC 4303
 * §3.3.2.1). Padding aligns payload and trailer to the cipher's block
 * (16 for CBC), else to 4 bytes (RFC 4303 §2.4).
 *
 * Pure functions over buffers; no sockets. Packets go one at a time or in
 * bursts sealed or opened through one aead_seal_burst/aead_open_burst
 * call, with the verdicts one at a time would give. */
#ifndef NCB_CRYPTO_ESP_H
#define NCB_CRYPTO_ESP_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

#include "io/ncb.h"

enum {
	ESP_HDR_LEN = 16, /* SPI, sequence number, IV of an AEAD */
	ESP_IV_LEN = 8,   /* the IV of an AEAD */
	ESP_SALT_LEN = 4,
	ESP_ICV_LEN = 16, /* the ICV of an AEAD */
	ESP_SPI_SEQ_LEN = 8,
	ESP_PACKET_MAX = 65507, /* largest UDP payload over IPv4 */
	ESP_BURST_MAX = AEAD_BURST_MAX, /* packets per burst call */
	ESP_NH_IPV4 = 4,        /* tunnel mode, inner IPv4 */
	ESP_NH_UDP = 17,        /* transport mode over UDP */
	ESP_NH_IPV6 = 41,       /* tunnel mode, inner IPv6 */
};

/* Outcome of a decapsulation; every reject has its own counter. */
enum esp_verdict {
	ESP_V_OK,
	ESP_V_TRUNCATED, /* shorter than header, trailer and ICV, or a
			  * ciphertext that is no whole number of blocks */
	ESP_V_SPI,       /* no SA with this SPI */
	ESP_V_REPLAY,    /* sequence number seen inside the window */
	ESP_V_OLD,       /* sequence number left of the window */
	ESP_V_ICV,       /* authentication failed */
	ESP_V_PAD,       /* authenticated, but padding or pad length wrong */
	ESP_V_OVERSIZE,  /* longer than any ESP packet over UDP */
	ESP_V_COUNT,
};

/* Where a suite's IV comes from when the caller gives none. */
enum esp_iv_rule {
	ESP_IV_SEQ,    /* the 64-bit sequence number: AEADs, AES-CTR */
	ESP_IV_RANDOM, /* unpredictable bytes: CBC */
	ESP_IV_COUNT,  /* COUNT = the sequence number's low half, then
			* BEARER and DIRECTION 0: zuc-128 */
};

/* The rule of suite a. */
enum esp_iv_rule esp_iv_rule(const struct aead_info *a);

/* The packet layout of a suite and ICV length: what its packets' lengths
 * follow from. */
struct esp_layout {
	size_t iv_len;  /* IV on the wire */
	size_t hdr_len; /* SPI, Seq, IV: where the payload starts */
	size_t align;   /* payload and trailer end on a multiple of it */
	size_t block;   /* the ciphertext is a multiple of it */
	size_t icv_len;
};

/* The layout of alg with an ICV of icv_len bytes (0: the suite's
 * default): 0, -ENOENT (unknown alg) or -EINVAL (an ICV length the suite
 * does not allow, aead_check_icv_len). */
NCB_MUST_CHECK int esp_layout_of(struct esp_layout *l, const char *alg,
				 size_t icv_len);
/* Bytes of padding, and of the whole packet, for payload_len bytes. */
size_t esp_layout_pad(const struct esp_layout *l, size_t payload_len);
size_t esp_layout_packet_len(const struct esp_layout *l, size_t payload_len);
/* Largest payload whose packet fits in ESP_PACKET_MAX. */
size_t esp_layout_payload_max(const struct esp_layout *l);

/* The same for an AEAD (ESP_HDR_LEN, ESP_ICV_LEN, 4-byte alignment). */
size_t esp_pad_len(size_t payload_len);
size_t esp_packet_len(size_t payload_len);
size_t esp_payload_max(void);

struct esp_sa_cfg {
	struct aead_spec aead; /* icv_len: 0 for the suite's default */
	const uint8_t *salt;   /* ESP_SALT_LEN bytes; AEADs only */
	uint32_t spi;
	int is_esn;
	int is_gmac;            /* RFC 4543 integrity only (AEADs) */
	unsigned replay_window; /* inbound; 0: strict order */
	/* Inbound: the first sequence number expected, when the SA does not
	 * start at 1 (ESN runs and vectors near 2^32); 0: start at 1. */
	uint64_t seq_start;
};

struct esp_sa;

/* One direction of a security association. Keys are copied into the AEAD
 * context; the caller may wipe its copy. Caller frees with
 * esp_sa_free(). 0, -EINVAL (integrity only with an encrypt-then-MAC
 * suite, an ICV length the suite does not allow) or a negative errno of
 * the AEAD or the allocation. */
NCB_MUST_CHECK int esp_sa_new(struct esp_sa **out, const struct esp_sa_cfg *cfg);
void esp_sa_free(struct esp_sa *sa);

/* The SA's layout (borrowed, lives as long as sa). */
const struct esp_layout *esp_sa_layout(const struct esp_sa *sa);

/* Encapsulates in place: the payload is already at pkt +
 * esp_sa_layout(sa)->hdr_len and pkt has room for
 * esp_layout_packet_len() bytes. iv is the layout's iv_len bytes, or NULL
 * for the suite's rule (enum esp_iv_rule). Returns the packet length or a
 * negative errno (-EMSGSIZE: longer than ESP_PACKET_MAX). Allocates
 * nothing; a CBC SA reads the kernel's random bytes once per many IVs. */
NCB_MUST_CHECK long esp_encap(struct esp_sa *sa, uint8_t *pkt,
			      size_t payload_len, uint8_t next_header,
			      uint64_t seq, const uint8_t *iv);

/* n packets as n esp_encap calls with IVs by the suite's rule would make
 * them, sealed through one aead_seal_burst call per ESP_BURST_MAX:
 * rcs[i] is what call i would return. */
void esp_encap_burst(struct esp_sa *sa, uint8_t *const *pkts,
		     const size_t *payload_lens, uint8_t next_header,
		     const uint64_t *seqs, long *rcs, unsigned n);

struct esp_decap_out {
	uint8_t *payload;
	size_t payload_len;
	uint64_t seq; /* full 64-bit number with ESN */
	uint8_t next_header;
};

/* Checks and opens len bytes at pkt in place, whatever they hold; reads
 * and writes only pkt[0..len). Counts the verdict in the SA. out is
 * filled on ESP_V_OK; on ESP_V_ICV only out->seq, the number the packet
 * claimed. A refused packet's bytes are unspecified afterwards. */
enum esp_verdict esp_decap(struct esp_sa *sa, uint8_t *pkt, size_t len,
			   struct esp_decap_out *out);

/* n packets as n esp_decap calls in order would check them (verdicts[i],
 * outs[i] and the counters alike; a number replayed later in the same
 * burst is still refused), opened through one aead_open_burst call per
 * ESP_BURST_MAX. A burst whose ESN inference could depend on an earlier
 * packet of it (near a 2^32 wrap) is checked one packet at a time. */
void esp_decap_burst(struct esp_sa *sa, uint8_t *const *pkts,
		     const size_t *lens, struct esp_decap_out *outs,
		     uint8_t *verdicts, unsigned n);

/* Counters by verdict since the SA was made (ESP_V_COUNT entries). */
const uint64_t *esp_sa_counts(const struct esp_sa *sa);

#endif
