/* MACsec encap/decap over an AEAD context. Nonce and AAD need no copies:
 * the AAD (addresses and SecTAG, or the whole frame in integrity mode) is
 * contiguous in the frame, and the nonce is built on the stack.
 *
 * Replay protection uses the anti-replay bitmap of crypto/replay: 802.1AE
 * only asks for PN >= LowestPN (= highest PN + 1 - window); the bitmap
 * keeps that rule and also refuses a PN inside the window that was
 * already accepted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/macsec.h"
#include "crypto/replay.h"

struct macsec_sa {
	struct aead_ctx *aead;
	uint8_t sci[MACSEC_SCI_LEN];
	uint8_t salt[MACSEC_SALT_LEN];
	uint32_t ssci;
	uint8_t tci_an; /* as sent */
	int is_xpn;
	struct replay_win win;
	uint64_t counts[MACSEC_V_COUNT];
};

const char *macsec_suite_name(const char *alg, int is_xpn)
{
	if (strcmp(alg, "aes-128-gcm") == 0)
		return is_xpn ? "GCM-AES-XPN-128" : "GCM-AES-128";
	if (strcmp(alg, "aes-256-gcm") == 0)
		return is_xpn ? "GCM-AES-XPN-256" : "GCM-AES-256";
	return NULL;
}

void macsec_sa_free(struct macsec_sa *sa)
{
	if (!sa)
		return;
	aead_ctx_free(sa->aead);
	replay_free(&sa->win);
	explicit_bzero(sa->salt, sizeof(sa->salt));
	free(sa);
}

/* 802.1AE 9.5: ES and SCB each exclude SC; nothing else may be set. */
static int tci_valid(unsigned tci)
{
	if (tci & ~(unsigned)(MACSEC_TCI_ES | MACSEC_TCI_SC | MACSEC_TCI_SCB))
		return 0;
	return !((tci & MACSEC_TCI_SC) &&
		 (tci & (MACSEC_TCI_ES | MACSEC_TCI_SCB)));
}

int macsec_sa_new(struct macsec_sa **out, const struct macsec_sa_cfg *cfg)
{
	struct macsec_sa *sa;
	int rc;

	*out = NULL;
	if (!tci_valid(cfg->tci) || cfg->an > MACSEC_AN_MASK || !cfg->sci ||
	    (cfg->is_xpn && !cfg->salt))
		return -EINVAL;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	memcpy(sa->sci, cfg->sci, MACSEC_SCI_LEN);
	if (cfg->is_xpn)
		memcpy(sa->salt, cfg->salt, MACSEC_SALT_LEN);
	sa->ssci = cfg->ssci;
	sa->is_xpn = cfg->is_xpn;
	sa->tci_an = (uint8_t)(cfg->tci | cfg->an |
			       (cfg->is_integrity ? 0
						  : MACSEC_TCI_E | MACSEC_TCI_C));
	rc = replay_init(&sa->win, cfg->replay_window);
	if (rc == 0 && cfg->pn_start)
		replay_seed(&sa->win, cfg->pn_start);
	if (rc == 0)
		rc = aead_ctx_new(&sa->aead, cfg->aead.alg, cfg->aead.backend,
				  cfg->aead.key, cfg->aead.key_len);
	if (rc < 0) {
		macsec_sa_free(sa);
		return rc;
	}
	*out = sa;
	return 0;
}

static size_t tag_len(uint8_t tci_an)
{
	return MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN +
	       (tci_an & MACSEC_TCI_SC ? MACSEC_SCI_LEN : 0);
}

size_t macsec_hdr_len(const struct macsec_sa *sa)
{
	return tag_len(sa->tci_an);
}

size_t macsec_frame_len(const struct macsec_sa *sa, size_t user_len)
{
	return tag_len(sa->tci_an) + user_len + MACSEC_ICV_LEN;
}

static void make_nonce(const struct macsec_sa *sa, const uint8_t *sci,
		       uint64_t pn, uint8_t *nonce)
{
	if (!sa->is_xpn) {
		memcpy(nonce, sci, MACSEC_SCI_LEN);
		ncb_put_be32(nonce + MACSEC_SCI_LEN, (uint32_t)pn);
		return;
	}
	ncb_put_be32(nonce, sa->ssci);
	ncb_put_be64(nonce + 4, pn);
	for (int i = 0; i < MACSEC_SALT_LEN; i++)
		nonce[i] ^= sa->salt[i];
}

/* Seals or opens the frame's secure data; the ICV follows it. */
static int crypt(struct macsec_sa *sa, int is_seal, const uint8_t *sci,
		 uint8_t *frame, size_t hdr, size_t user_len, uint64_t pn)
{
	uint8_t nonce[AEAD_NONCE_LEN], *data = frame + hdr;
	uint8_t *icv = data + user_len;
	size_t aad_len = hdr, n = user_len;

	make_nonce(sa, sci, pn, nonce);
	if (!(frame[MACSEC_ADDRS_LEN + 2] & MACSEC_TCI_E)) {
		aad_len = hdr + user_len;
		n = 0;
	}
	return is_seal ? aead_seal(sa->aead, nonce, frame, aad_len, data, n, icv)
		       : aead_open(sa->aead, nonce, frame, aad_len, data, n, icv);
}

long macsec_encap(struct macsec_sa *sa, uint8_t *frame, size_t user_len,
		  uint64_t pn)
{
	uint8_t *tag = frame + MACSEC_ADDRS_LEN;
	size_t hdr = tag_len(sa->tci_an);
	int rc;

	if (hdr + user_len + MACSEC_ICV_LEN > MACSEC_FRAME_MAX)
		return -EMSGSIZE;
	if (pn == 0 || (!sa->is_xpn && pn > UINT32_MAX))
		return -ERANGE; /* PN exhausted: the SA must be replaced */
	ncb_put_be16(tag, MACSEC_ETHERTYPE);
	tag[2] = sa->tci_an;
	tag[3] = (uint8_t)(user_len < MACSEC_SL_LIMIT ? user_len : 0);
	ncb_put_be32(tag + 4, (uint32_t)pn);
	if (sa->tci_an & MACSEC_TCI_SC)
		memcpy(tag + MACSEC_SECTAG_LEN, sa->sci, MACSEC_SCI_LEN);
	rc = crypt(sa, 1, sa->sci, frame, hdr, user_len, pn);
	return rc < 0 ? rc : (long)(hdr + user_len + MACSEC_ICV_LEN);
}

static enum macsec_verdict count(struct macsec_sa *sa, enum macsec_verdict v)
{
	sa->counts[v]++;
	return v;
}

/* 802.1AE 9.5 and 10.6.1: the SecTAG checks made before any lookup. */
static int tag_valid(const uint8_t *tag, size_t data_len)
{
	uint8_t tci = tag[2], sl = tag[3];
	int is_e = !!(tci & MACSEC_TCI_E), is_c = !!(tci & MACSEC_TCI_C);

	if (ncb_get_be16(tag) != MACSEC_ETHERTYPE || (tci & MACSEC_TCI_V))
		return 0;
	if (!tci_valid(tci & (MACSEC_TCI_ES | MACSEC_TCI_SC | MACSEC_TCI_SCB)))
		return 0;
	if (is_e != is_c) /* ncbench sends E = C; E without C is invalid */
		return 0;
	if (sl >= MACSEC_SL_LIMIT)
		return 0;
	return sl ? sl == data_len : data_len >= MACSEC_SL_LIMIT;
}

enum macsec_verdict macsec_decap(struct macsec_sa *sa, uint8_t *frame,
				 size_t len, struct macsec_decap_out *out)
{
	const uint8_t *tag = frame + MACSEC_ADDRS_LEN, *sci = sa->sci;
	uint8_t implicit[MACSEC_SCI_LEN];
	size_t hdr, data_len;
	uint64_t pn;

	if (len < MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_ICV_LEN)
		return count(sa, MACSEC_V_TRUNCATED);
	if (len > MACSEC_FRAME_MAX)
		return count(sa, MACSEC_V_OVERSIZE);
	hdr = tag_len(tag[2]);
	if (len < hdr + MACSEC_ICV_LEN)
		return count(sa, MACSEC_V_TRUNCATED);
	data_len = len - hdr - MACSEC_ICV_LEN;
	if (!tag_valid(tag, data_len))
		return count(sa, MACSEC_V_BAD_TAG);
	if (tag[2] & MACSEC_TCI_SC) {
		sci = tag + MACSEC_SECTAG_LEN;
	} else if (tag[2] & MACSEC_TCI_ES) {
		memcpy(implicit, frame + 6, 6); /* MAC SA | port 1 */
		implicit[6] = 0;
		implicit[7] = 1;
		sci = implicit;
	}
	if (memcmp(sci, sa->sci, MACSEC_SCI_LEN) != 0)
		return count(sa, MACSEC_V_SCI);
	if ((tag[2] & MACSEC_AN_MASK) != (sa->tci_an & MACSEC_AN_MASK))
		return count(sa, MACSEC_V_AN);
	pn = ncb_get_be32(tag + 4);
	if (sa->is_xpn)
		pn = replay_esn_infer(&sa->win, (uint32_t)pn);
	else if (pn == 0) /* XPN sends a low half of 0 every 2^32 PNs */
		return count(sa, MACSEC_V_BAD_TAG);
	switch (replay_check(&sa->win, pn)) {
	case REPLAY_SEEN:
		return count(sa, MACSEC_V_REPLAY);
	case REPLAY_TOO_OLD:
		return count(sa, MACSEC_V_LATE);
	case REPLAY_OK:
		break;
	}
	out->pn = pn; /* also on a failed ICV: the PN the frame claimed */
	if (crypt(sa, 0, sci, frame, hdr, data_len, pn) < 0)
		return count(sa, MACSEC_V_ICV);
	replay_update(&sa->win, pn);
	out->user = frame + hdr;
	out->user_len = data_len;
	out->pn = pn;
	return count(sa, MACSEC_V_OK);
}

const uint64_t *macsec_sa_counts(const struct macsec_sa *sa)
{
	return sa->counts;
}
