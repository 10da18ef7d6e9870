/* IPsec ESP with an AEAD (RFC 4303 framing; RFC 4106 AES-GCM, RFC 4543
 * AES-GMAC, RFC 7634 ChaCha20-Poly1305, the same layout for SM4-GCM):
 *
 *   SPI(4) | Seq(4) | IV(8) | AEAD(payload | padding | pad len | next hdr) | ICV(16)
 *
 * nonce = salt(4) | IV(8); AAD = SPI | Seq, or SPI | Seq high | Seq low with
 * extended sequence numbers. Integrity-only (GMAC) mode encrypts nothing and
 * authenticates the whole packet before the ICV. Pure functions over
 * buffers; no sockets. */
#ifndef NCB_CRYPTO_ESP_H
#define NCB_CRYPTO_ESP_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

#include "io/ncb.h"

enum {
	ESP_HDR_LEN = 16, /* SPI, sequence number, IV */
	ESP_IV_LEN = 8,
	ESP_SALT_LEN = 4,
	ESP_ICV_LEN = 16,
	ESP_PACKET_MAX = 65507, /* largest UDP payload over IPv4 */
	ESP_NH_IPV4 = 4,        /* tunnel mode, inner IPv4 */
	ESP_NH_UDP = 17,        /* transport mode over UDP */
	ESP_NH_IPV6 = 41,       /* tunnel mode, inner IPv6 */
};

/* Outcome of a decapsulation; every reject has its own counter. */
enum esp_verdict {
	ESP_V_OK,
	ESP_V_TRUNCATED, /* shorter than header, trailer and ICV */
	ESP_V_SPI,       /* no SA with this SPI */
	ESP_V_REPLAY,    /* sequence number seen inside the window */
	ESP_V_OLD,       /* sequence number left of the window */
	ESP_V_ICV,       /* authentication failed */
	ESP_V_PAD,       /* authenticated, but padding or pad length wrong */
	ESP_V_OVERSIZE,  /* longer than any ESP packet over UDP */
	ESP_V_COUNT,
};

struct esp_sa_cfg {
	struct aead_spec aead;
	const uint8_t *salt; /* ESP_SALT_LEN bytes */
	uint32_t spi;
	int is_esn;
	int is_gmac;            /* RFC 4543 integrity only */
	unsigned replay_window; /* inbound; 0: strict order */
	/* Inbound: the first sequence number expected, when the SA does not
	 * start at 1 (ESN runs and vectors near 2^32); 0: start at 1. */
	uint64_t seq_start;
};

struct esp_sa;

/* One direction of a security association. Keys are copied into the AEAD
 * context; the caller may wipe its copy. 0 or a negative errno. */
NCB_MUST_CHECK int esp_sa_new(struct esp_sa **out, const struct esp_sa_cfg *cfg);
void esp_sa_free(struct esp_sa *sa);

/* Bytes of padding, and of the whole packet, for payload_len bytes. */
size_t esp_pad_len(size_t payload_len);
size_t esp_packet_len(size_t payload_len);
/* Largest payload whose packet fits in ESP_PACKET_MAX. */
size_t esp_payload_max(void);

/* Encapsulates in place: the payload is already at pkt + ESP_HDR_LEN and
 * pkt has room for esp_packet_len(payload_len) bytes. iv is ESP_IV_LEN
 * bytes, or NULL for the sequence number (a counter IV, RFC 4106 §3).
 * Returns the packet length or a negative errno. */
NCB_MUST_CHECK long esp_encap(struct esp_sa *sa, uint8_t *pkt,
			      size_t payload_len, uint8_t next_header,
			      uint64_t seq, const uint8_t *iv);

struct esp_decap_out {
	uint8_t *payload;
	size_t payload_len;
	uint64_t seq; /* full 64-bit number with ESN */
	uint8_t next_header;
};

/* Checks and opens len bytes at pkt in place, whatever they hold; reads
 * and writes only pkt[0..len). Counts the verdict in the SA. out is
 * filled on ESP_V_OK; on ESP_V_ICV only out->seq, the number the packet
 * claimed. */
enum esp_verdict esp_decap(struct esp_sa *sa, uint8_t *pkt, size_t len,
			   struct esp_decap_out *out);

/* Counters by verdict since the SA was made (ESP_V_COUNT entries). */
const uint64_t *esp_sa_counts(const struct esp_sa *sa);

#endif
