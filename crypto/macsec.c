/* MACsec encap/decap over an AEAD context. Nonce and AAD need no copies:
 * the AAD (addresses and SecTAG, or the whole frame in integrity mode) is
 * contiguous in the frame, and the nonce is built on the stack, or for a
 * burst (frames sealed or opened through one call) in the thread's slots.
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

/* One burst: its operations and their nonces; the frame each seals (at),
 * and per frame opened the operation (op_of, -1: none), the PN, the
 * header's and the secure data's lengths. It lives only during one burst
 * call, and a thread makes one at a time, so the thread's SAs share it
 * (crypto/esp.c's reason: thousands of SAs per direction). */
struct burst {
	struct aead_op ops[MACSEC_BURST_MAX];
	uint8_t nonces[MACSEC_BURST_MAX][AEAD_NONCE_LEN];
	unsigned at[MACSEC_BURST_MAX];
	int op_of[MACSEC_BURST_MAX];
	uint64_t pns[MACSEC_BURST_MAX];
	size_t hdrs[MACSEC_BURST_MAX], data_lens[MACSEC_BURST_MAX];
};

static _Thread_local struct burst burst;

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
	if (aead_info(cfg->aead.alg) &&
	    aead_info(cfg->aead.alg)->kind != AEAD_KIND_AEAD)
		return -EINVAL; /* SCI | PN is a nonce, not an IV as sent */
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

/* The operation that seals or opens the frame's secure data (user_len
 * bytes after hdr) in place, the ICV right after it. The SCI is the SA's:
 * a received frame's has been found equal to it. */
static void prepare(const struct macsec_sa *sa, uint8_t *frame, size_t hdr,
		    size_t user_len, uint64_t pn, struct aead_op *op,
		    uint8_t *nonce)
{
	uint8_t *data = frame + hdr;

	make_nonce(sa, sa->sci, pn, nonce);
	*op = (struct aead_op){ .iv = nonce, .aad = frame, .aad_len = hdr,
				.src = data, .dst = data, .len = user_len,
				.icv = data + user_len };
	if (!(frame[MACSEC_ADDRS_LEN + 2] & MACSEC_TCI_E)) {
		op->aad_len = hdr + user_len;
		op->len = 0;
	}
}

/* One frame's operation alone, as one call: in place, as aead_seal and
 * aead_open take it. */
static int crypt(struct macsec_sa *sa, int is_seal, uint8_t *frame,
		 size_t hdr, size_t user_len, uint64_t pn)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	struct aead_op op;

	prepare(sa, frame, hdr, user_len, pn, &op, nonce);
	return is_seal ? aead_seal(sa->aead, nonce, op.aad, op.aad_len,
				   op.dst, op.len, op.icv)
		       : aead_open(sa->aead, nonce, op.aad, op.aad_len,
				   op.dst, op.len, op.icv);
}

/* Writes the SecTAG of a frame: its header length, or a negative errno
 * (the frame would not fit, or the PN is exhausted). */
static long tag_frame(const struct macsec_sa *sa, uint8_t *frame,
		      size_t user_len, uint64_t pn)
{
	uint8_t *tag = frame + MACSEC_ADDRS_LEN;
	size_t hdr = tag_len(sa->tci_an);

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
	return (long)hdr;
}

long macsec_encap(struct macsec_sa *sa, uint8_t *frame, size_t user_len,
		  uint64_t pn)
{
	long hdr = tag_frame(sa, frame, user_len, pn);
	int rc;

	if (hdr < 0)
		return hdr;
	rc = crypt(sa, 1, frame, (size_t)hdr, user_len, pn);
	return rc < 0 ? rc : hdr + (long)(user_len + MACSEC_ICV_LEN);
}

/* Up to MACSEC_BURST_MAX frames: tag each, seal them with one call. */
static void seal_chunk(struct macsec_sa *sa, uint8_t *const *frames,
		       const size_t *user_lens, const uint64_t *pns,
		       long *rcs, unsigned n)
{
	struct burst *b = &burst;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		long hdr = tag_frame(sa, frames[i], user_lens[i], pns[i]);

		rcs[i] = hdr;
		if (hdr < 0)
			continue;
		rcs[i] = hdr + (long)(user_lens[i] + MACSEC_ICV_LEN);
		prepare(sa, frames[i], (size_t)hdr, user_lens[i], pns[i],
			&b->ops[k], b->nonces[k]);
		b->at[k++] = i;
	}
	aead_seal_burst(sa->aead, b->ops, k);
	for (unsigned j = 0; j < k; j++)
		if (b->ops[j].status < 0)
			rcs[b->at[j]] = b->ops[j].status;
}

void macsec_encap_burst(struct macsec_sa *sa, uint8_t *const *frames,
			const size_t *user_lens, const uint64_t *pns,
			long *rcs, unsigned n)
{
	for (unsigned i = 0; i < n; i += MACSEC_BURST_MAX) {
		unsigned k = n - i < MACSEC_BURST_MAX ? n - i : MACSEC_BURST_MAX;

		seal_chunk(sa, frames + i, user_lens + i, pns + i, rcs + i, k);
	}
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

/* The checks before the replay window, which depend on the frame alone:
 * MACSEC_V_OK with the PN it claims (recovered from the window with XPN)
 * and the lengths of its header and secure data, or why it is refused. */
static enum macsec_verdict precheck(const struct macsec_sa *sa,
				    const uint8_t *frame, size_t len,
				    uint64_t *pn, size_t *hdr, size_t *data_len)
{
	const uint8_t *tag = frame + MACSEC_ADDRS_LEN, *sci = sa->sci;
	uint8_t implicit[MACSEC_SCI_LEN];

	if (len < MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_ICV_LEN)
		return MACSEC_V_TRUNCATED;
	if (len > MACSEC_FRAME_MAX)
		return MACSEC_V_OVERSIZE;
	*hdr = tag_len(tag[2]);
	if (len < *hdr + MACSEC_ICV_LEN)
		return MACSEC_V_TRUNCATED;
	*data_len = len - *hdr - MACSEC_ICV_LEN;
	if (!tag_valid(tag, *data_len))
		return MACSEC_V_BAD_TAG;
	if (tag[2] & MACSEC_TCI_SC) {
		sci = tag + MACSEC_SECTAG_LEN;
	} else if (tag[2] & MACSEC_TCI_ES) {
		memcpy(implicit, frame + 6, 6); /* MAC SA | port 1 */
		implicit[6] = 0;
		implicit[7] = 1;
		sci = implicit;
	}
	if (memcmp(sci, sa->sci, MACSEC_SCI_LEN) != 0)
		return MACSEC_V_SCI;
	if ((tag[2] & MACSEC_AN_MASK) != (sa->tci_an & MACSEC_AN_MASK))
		return MACSEC_V_AN;
	*pn = ncb_get_be32(tag + 4);
	if (sa->is_xpn)
		*pn = replay_esn_infer(&sa->win, (uint32_t)*pn);
	else if (*pn == 0) /* XPN sends a low half of 0 every 2^32 PNs */
		return MACSEC_V_BAD_TAG;
	return MACSEC_V_OK;
}

static enum macsec_verdict window_verdict(const struct macsec_sa *sa,
					  uint64_t pn)
{
	switch (replay_check(&sa->win, pn)) {
	case REPLAY_SEEN:
		return MACSEC_V_REPLAY;
	case REPLAY_TOO_OLD:
		return MACSEC_V_LATE;
	case REPLAY_OK:
		break;
	}
	return MACSEC_V_OK;
}

/* After the open: the ICV's verdict, then (authentic) the window. */
static enum macsec_verdict finish(struct macsec_sa *sa, uint8_t *frame,
				  size_t hdr, size_t data_len, uint64_t pn,
				  int status, struct macsec_decap_out *out)
{
	out->pn = pn; /* also on a failed ICV: the PN the frame claimed */
	if (status < 0)
		return MACSEC_V_ICV;
	replay_update(&sa->win, pn);
	out->user = frame + hdr;
	out->user_len = data_len;
	return MACSEC_V_OK;
}

enum macsec_verdict macsec_decap(struct macsec_sa *sa, uint8_t *frame,
				 size_t len, struct macsec_decap_out *out)
{
	size_t hdr = 0, data_len = 0;
	uint64_t pn = 0;
	enum macsec_verdict v = precheck(sa, frame, len, &pn, &hdr, &data_len);

	if (v == MACSEC_V_OK)
		v = window_verdict(sa, pn);
	if (v != MACSEC_V_OK)
		return count(sa, v);
	return count(sa, finish(sa, frame, hdr, data_len, pn,
				crypt(sa, 0, frame, hdr, data_len, pn), out));
}

/* Whether the XPN recovery of every frame that passed its prechecks
 * holds whatever earlier frames of the burst do to the window. */
static int xpn_holds(const struct macsec_sa *sa, const struct burst *b,
		     uint8_t *const *frames, const uint8_t *vs, unsigned n)
{
	uint64_t top = sa->win.top;

	for (unsigned i = 0; i < n; i++)
		if (vs[i] == MACSEC_V_OK && b->pns[i] > top)
			top = b->pns[i];
	for (unsigned i = 0; i < n; i++)
		if (vs[i] == MACSEC_V_OK &&
		    !replay_esn_holds(&sa->win,
				      ncb_get_be32(frames[i] + MACSEC_ADDRS_LEN + 4),
				      b->pns[i], top))
			return 0;
	return 1;
}

/* Up to MACSEC_BURST_MAX frames, as crypto/esp.c's open_chunk: the
 * prechecks, one open of every frame the window takes now, then in order
 * the window again (an earlier frame may have moved it) before it moves. */
static void open_chunk(struct macsec_sa *sa, uint8_t *const *frames,
		       const size_t *lens, struct macsec_decap_out *outs,
		       uint8_t *vs, unsigned n)
{
	struct burst *b = &burst;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		vs[i] = (uint8_t)precheck(sa, frames[i], lens[i], &b->pns[i],
					  &b->hdrs[i], &b->data_lens[i]);
	if (sa->is_xpn && !xpn_holds(sa, b, frames, vs, n)) {
		for (unsigned i = 0; i < n; i++)
			vs[i] = (uint8_t)macsec_decap(sa, frames[i], lens[i],
						      &outs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		b->op_of[i] = -1;
		if (vs[i] != MACSEC_V_OK || window_verdict(sa, b->pns[i]))
			continue;
		prepare(sa, frames[i], b->hdrs[i], b->data_lens[i],
			b->pns[i], &b->ops[k], b->nonces[k]);
		b->op_of[i] = (int)k++;
	}
	aead_open_burst(sa->aead, b->ops, k);
	for (unsigned i = 0; i < n; i++) {
		enum macsec_verdict v = (enum macsec_verdict)vs[i];
		int status;

		if (v == MACSEC_V_OK)
			v = window_verdict(sa, b->pns[i]);
		if (v != MACSEC_V_OK) {
			vs[i] = (uint8_t)count(sa, v);
			continue;
		}
		/* The window only narrows, so this one was opened; alone
		 * if not, to stay exact whatever the window does. */
		status = b->op_of[i] >= 0
				 ? b->ops[b->op_of[i]].status
				 : crypt(sa, 0, frames[i], b->hdrs[i],
					 b->data_lens[i], b->pns[i]);
		vs[i] = (uint8_t)count(sa, finish(sa, frames[i], b->hdrs[i],
						  b->data_lens[i], b->pns[i],
						  status, &outs[i]));
	}
}

void macsec_decap_burst(struct macsec_sa *sa, uint8_t *const *frames,
			const size_t *lens, struct macsec_decap_out *outs,
			uint8_t *verdicts, unsigned n)
{
	for (unsigned i = 0; i < n; i += MACSEC_BURST_MAX) {
		unsigned k = n - i < MACSEC_BURST_MAX ? n - i : MACSEC_BURST_MAX;

		open_chunk(sa, frames + i, lens + i, outs + i, verdicts + i, k);
	}
}

const uint64_t *macsec_sa_counts(const struct macsec_sa *sa)
{
	return sa->counts;
}
