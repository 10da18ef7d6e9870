/* ESP encap/decap over an AEAD context. The per-packet path builds the
 * nonce and the AAD on the stack and seals or opens in place; only
 * integrity-only mode with ESN, whose AAD is not contiguous in the packet,
 * copies into a scratch buffer made with the SA. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/replay.h"

struct esp_sa {
	struct aead_ctx *aead;
	uint8_t salt[ESP_SALT_LEN];
	uint32_t spi;
	int is_esn, is_gmac;
	struct replay_win win;
	uint8_t *scratch; /* GMAC with ESN only */
	uint64_t counts[ESP_V_COUNT];
};

void esp_sa_free(struct esp_sa *sa)
{
	if (!sa)
		return;
	aead_ctx_free(sa->aead);
	replay_free(&sa->win);
	free(sa->scratch);
	explicit_bzero(sa->salt, sizeof(sa->salt));
	free(sa);
}

int esp_sa_new(struct esp_sa **out, const struct esp_sa_cfg *cfg)
{
	struct esp_sa *sa = calloc(1, sizeof(*sa));
	int rc;

	*out = NULL;
	if (!sa)
		return -ENOMEM;
	sa->spi = cfg->spi;
	sa->is_esn = cfg->is_esn;
	sa->is_gmac = cfg->is_gmac;
	memcpy(sa->salt, cfg->salt, ESP_SALT_LEN);
	rc = replay_init(&sa->win, cfg->replay_window);
	if (rc == 0 && cfg->seq_start)
		replay_seed(&sa->win, cfg->seq_start);
	if (rc == 0)
		rc = aead_ctx_new(&sa->aead, cfg->aead.alg, cfg->aead.backend,
				  cfg->aead.key, cfg->aead.key_len);
	if (rc == 0 && sa->is_gmac && sa->is_esn) {
		sa->scratch = malloc(ESP_PACKET_MAX + 4);
		if (!sa->scratch)
			rc = -ENOMEM;
	}
	if (rc < 0) {
		esp_sa_free(sa);
		return rc;
	}
	*out = sa;
	return 0;
}

size_t esp_pad_len(size_t payload_len)
{
	/* Payload and the two trailer bytes end on a 4-byte boundary
	 * (RFC 4303 §2.4; every AEAD here has a block size of 1). */
	return (4 - (payload_len + 2) % 4) % 4;
}

size_t esp_packet_len(size_t payload_len)
{
	return ESP_HDR_LEN + payload_len + esp_pad_len(payload_len) + 2 +
	       ESP_ICV_LEN;
}

size_t esp_payload_max(void)
{
	return ((ESP_PACKET_MAX - ESP_HDR_LEN - ESP_ICV_LEN) & ~(size_t)3) - 2;
}

/* AAD of AEAD mode: SPI | Seq, or SPI | Seq high | Seq low. */
static size_t make_aad(const struct esp_sa *sa, uint64_t seq, uint8_t *aad)
{
	ncb_put_be32(aad, sa->spi);
	if (!sa->is_esn) {
		ncb_put_be32(aad + 4, (uint32_t)seq);
		return 8;
	}
	ncb_put_be32(aad + 4, (uint32_t)(seq >> 32));
	ncb_put_be32(aad + 8, (uint32_t)seq);
	return 12;
}

/* Integrity-only mode authenticates SPI | Seq [| Seq high ...] | IV |
 * payload | trailer: with ESN the high half goes between SPI and the low
 * half, which the packet does not hold contiguously. */
static const uint8_t *gmac_aad(struct esp_sa *sa, const uint8_t *pkt,
			       size_t body_end, uint64_t seq, size_t *aad_len)
{
	if (!sa->is_esn) {
		*aad_len = body_end;
		return pkt;
	}
	memcpy(sa->scratch, pkt, 4);
	ncb_put_be32(sa->scratch + 4, (uint32_t)(seq >> 32));
	memcpy(sa->scratch + 8, pkt + 4, body_end - 4);
	*aad_len = body_end + 4;
	return sa->scratch;
}

/* Seals (or opens) the body of a framed packet in place: nonce = salt |
 * IV from the packet; the ICV follows the body. */
static int crypt(struct esp_sa *sa, int is_seal, uint8_t *pkt, size_t body,
		 uint64_t seq)
{
	uint8_t nonce[AEAD_NONCE_LEN], aad[12], *t = pkt + ESP_HDR_LEN;
	const uint8_t *a = aad;
	size_t aad_len, n = body;

	memcpy(nonce, sa->salt, ESP_SALT_LEN);
	memcpy(nonce + ESP_SALT_LEN, pkt + 8, ESP_IV_LEN);
	if (sa->is_gmac) {
		a = gmac_aad(sa, pkt, ESP_HDR_LEN + body, seq, &aad_len);
		n = 0;
	} else {
		aad_len = make_aad(sa, seq, aad);
	}
	return is_seal ? aead_seal(sa->aead, nonce, a, aad_len, t, n, t + body)
		       : aead_open(sa->aead, nonce, a, aad_len, t, n, t + body);
}

long esp_encap(struct esp_sa *sa, uint8_t *pkt, size_t payload_len,
	       uint8_t next_header, uint64_t seq, const uint8_t *iv)
{
	size_t pad = esp_pad_len(payload_len);
	size_t body = payload_len + pad + 2; /* AEAD plaintext */
	uint8_t *t = pkt + ESP_HDR_LEN;
	int rc;

	if (esp_packet_len(payload_len) > ESP_PACKET_MAX)
		return -EMSGSIZE;
	for (size_t i = 0; i < pad; i++)
		t[payload_len + i] = (uint8_t)(i + 1);
	t[payload_len + pad] = (uint8_t)pad;
	t[payload_len + pad + 1] = next_header;
	ncb_put_be32(pkt, sa->spi);
	ncb_put_be32(pkt + 4, (uint32_t)seq);
	if (iv) {
		memcpy(pkt + 8, iv, ESP_IV_LEN);
	} else {
		ncb_put_be32(pkt + 8, (uint32_t)(seq >> 32));
		ncb_put_be32(pkt + 12, (uint32_t)seq);
	}
	rc = crypt(sa, 1, pkt, body, seq);
	return rc < 0 ? rc : (long)(ESP_HDR_LEN + body + ESP_ICV_LEN);
}

static enum esp_verdict count(struct esp_sa *sa, enum esp_verdict v)
{
	sa->counts[v]++;
	return v;
}

enum esp_verdict esp_decap(struct esp_sa *sa, uint8_t *pkt, size_t len,
			   struct esp_decap_out *out)
{
	uint8_t *t = pkt + ESP_HDR_LEN;
	size_t body, pad;
	uint64_t seq;

	if (len < ESP_HDR_LEN + 2 + ESP_ICV_LEN)
		return count(sa, ESP_V_TRUNCATED);
	if (len > ESP_PACKET_MAX)
		return count(sa, ESP_V_OVERSIZE);
	if (ncb_get_be32(pkt) != sa->spi)
		return count(sa, ESP_V_SPI);
	seq = ncb_get_be32(pkt + 4);
	if (sa->is_esn)
		seq = replay_esn_infer(&sa->win, (uint32_t)seq);
	switch (replay_check(&sa->win, seq)) {
	case REPLAY_SEEN:
		return count(sa, ESP_V_REPLAY);
	case REPLAY_TOO_OLD:
		return count(sa, ESP_V_OLD);
	case REPLAY_OK:
		break;
	}
	body = len - ESP_HDR_LEN - ESP_ICV_LEN;
	/* A failed ICV still tells the caller which number the packet
	 * claimed: its own peer's, or one no peer has sent. */
	out->seq = seq;
	if (crypt(sa, 0, pkt, body, seq) < 0)
		return count(sa, ESP_V_ICV);
	/* Authentic: the window moves even if the trailer is bad, since
	 * the sender did send this number (RFC 4303 §3.4.3). */
	replay_update(&sa->win, seq);
	pad = t[body - 2];
	if (pad + 2 > body)
		return count(sa, ESP_V_PAD);
	for (size_t i = 0; i < pad; i++)
		if (t[body - 2 - pad + i] != (uint8_t)(i + 1))
			return count(sa, ESP_V_PAD);
	out->payload = t;
	out->payload_len = body - 2 - pad;
	out->seq = seq;
	out->next_header = t[body - 1];
	return count(sa, ESP_V_OK);
}

const uint64_t *esp_sa_counts(const struct esp_sa *sa)
{
	return sa->counts;
}
