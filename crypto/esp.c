/* ESP encap/decap over a suite context (crypto/aead.h). A packet is framed
 * into one struct aead_op, then sealed or opened in place; a burst frames
 * all its packets, seals or opens them with one call and finishes each in
 * order. The nonces, AADs and ESN tails of a burst's operations live in
 * the thread's burst slots. Only integrity-only mode with ESN, whose AAD is
 * not contiguous in the packet, copies into a scratch buffer made with
 * the SA, and so goes one packet at a time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/replay.h"

enum {
	IV_POOL = 16384, /* random bytes per getrandom(): 1024 CBC IVs */
	AAD_MAX = 12,    /* SPI | Seq high | Seq low */
	ESN_TAIL = 4,    /* Seq high, after the ciphertext (ETM) */
};

/* What one operation needs beside its packet. */
struct slot {
	uint8_t nonce[AEAD_NONCE_LEN]; /* AEAD: salt | IV */
	uint8_t aad[AAD_MAX];          /* AEAD: SPI | [Seq high] | Seq low */
	uint8_t tail[ESN_TAIL];        /* ETM with ESN: Seq high */
};

struct esp_sa {
	struct aead_ctx *aead;
	struct esp_layout lay;
	enum esp_iv_rule iv_rule;
	int is_etm;
	uint8_t salt[ESP_SALT_LEN];
	uint32_t spi;
	int is_esn, is_gmac;
	struct replay_win win;
	uint8_t *scratch; /* GMAC with ESN only */
	uint8_t *pool;    /* CBC: random IV bytes, the first pool_at used */
	size_t pool_at;
	uint64_t counts[ESP_V_COUNT];
};

/* One burst: its operations; the packet each seals (at), and per packet
 * opened the operation (op_of, -1: none), the number and the
 * ciphertext's length. It lives only during one burst call, and a thread
 * makes one at a time, so the thread's SAs share it: an SA is its key
 * and window, not a burst's worth of state more, when a direction has
 * thousands (crypto/sadb.h). */
struct burst {
	struct aead_op ops[ESP_BURST_MAX];
	struct slot slots[ESP_BURST_MAX];
	unsigned at[ESP_BURST_MAX];
	int op_of[ESP_BURST_MAX];
	uint64_t seqs[ESP_BURST_MAX];
	size_t bodies[ESP_BURST_MAX];
};

static _Thread_local struct burst burst;

static const struct esp_layout aead_layout = {
	.iv_len = ESP_IV_LEN, .hdr_len = ESP_HDR_LEN, .align = 4, .block = 1,
	.icv_len = ESP_ICV_LEN,
};

enum esp_iv_rule esp_iv_rule(const struct aead_info *a)
{
	if (a->kind == AEAD_KIND_AEAD)
		return ESP_IV_SEQ; /* RFC 4106 §3: a counter is fine */
	if (a->block > 1)
		return ESP_IV_RANDOM;
	/* A counter mode with the RFC 3686 nonce in its key, or the 3GPP
	 * layout whose COUNT is the packet's number. */
	return a->nonce_len ? ESP_IV_SEQ : ESP_IV_COUNT;
}

int esp_layout_of(struct esp_layout *l, const char *alg, size_t icv_len)
{
	const struct aead_info *a = aead_info(alg);

	if (!a)
		return -ENOENT;
	if (aead_check_icv_len(alg, icv_len) < 0)
		return -EINVAL;
	l->iv_len = a->kind == AEAD_KIND_ETM ? a->iv_len : ESP_IV_LEN;
	l->hdr_len = ESP_SPI_SEQ_LEN + l->iv_len;
	l->block = a->block ? a->block : 1;
	/* RFC 4303 §2.4: the cipher's block, and never less than 4. */
	l->align = l->block > 4 ? l->block : 4;
	l->icv_len = icv_len ? icv_len : a->icv_len;
	return 0;
}

size_t esp_layout_pad(const struct esp_layout *l, size_t payload_len)
{
	return (l->align - (payload_len + 2) % l->align) % l->align;
}

size_t esp_layout_packet_len(const struct esp_layout *l, size_t payload_len)
{
	return l->hdr_len + payload_len + esp_layout_pad(l, payload_len) + 2 +
	       l->icv_len;
}

size_t esp_layout_payload_max(const struct esp_layout *l)
{
	size_t room = ESP_PACKET_MAX - l->hdr_len - l->icv_len;

	return room / l->align * l->align - 2;
}

size_t esp_pad_len(size_t payload_len)
{
	return esp_layout_pad(&aead_layout, payload_len);
}

size_t esp_packet_len(size_t payload_len)
{
	return esp_layout_packet_len(&aead_layout, payload_len);
}

size_t esp_payload_max(void)
{
	return esp_layout_payload_max(&aead_layout);
}

void esp_sa_free(struct esp_sa *sa)
{
	if (!sa)
		return;
	aead_ctx_free(sa->aead);
	replay_free(&sa->win);
	free(sa->scratch);
	/* IVs not sent yet: unpredictable only while nobody reads them. */
	if (sa->pool)
		explicit_bzero(sa->pool, IV_POOL);
	free(sa->pool);
	explicit_bzero(sa->salt, sizeof(sa->salt));
	free(sa);
}

/* The pool of CBC IVs, filled again from the kernel's generator. */
static int refill(struct esp_sa *sa)
{
	size_t done = 0;

	while (done < IV_POOL) {
		ssize_t n = getrandom(sa->pool + done, IV_POOL - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	sa->pool_at = 0;
	return 0;
}

int esp_sa_new(struct esp_sa **out, const struct esp_sa_cfg *cfg)
{
	const struct aead_info *a = aead_info(cfg->aead.alg);
	struct esp_sa *sa;
	int rc;

	*out = NULL;
	if (!a)
		return -ENOENT;
	if (a->kind == AEAD_KIND_ETM ? cfg->is_gmac : !cfg->salt)
		return -EINVAL; /* GMAC is an AEAD's mode; AEADs need salt */
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	sa->spi = cfg->spi;
	sa->is_esn = cfg->is_esn;
	sa->is_gmac = cfg->is_gmac;
	sa->is_etm = a->kind == AEAD_KIND_ETM;
	sa->iv_rule = esp_iv_rule(a);
	if (cfg->salt)
		memcpy(sa->salt, cfg->salt, ESP_SALT_LEN);
	rc = esp_layout_of(&sa->lay, cfg->aead.alg, cfg->aead.icv_len);
	if (rc == 0)
		rc = replay_init(&sa->win, cfg->replay_window);
	if (rc == 0 && cfg->seq_start)
		replay_seed(&sa->win, cfg->seq_start);
	if (rc == 0)
		rc = aead_ctx_open(&sa->aead, &cfg->aead);
	if (rc == 0 && sa->is_gmac && sa->is_esn) {
		sa->scratch = malloc(ESP_PACKET_MAX + 4);
		if (!sa->scratch)
			rc = -ENOMEM;
	}
	if (rc == 0 && sa->iv_rule == ESP_IV_RANDOM) {
		sa->pool = malloc(IV_POOL);
		rc = sa->pool ? refill(sa) : -ENOMEM;
	}
	if (rc < 0) {
		esp_sa_free(sa);
		return rc;
	}
	*out = sa;
	return 0;
}

const struct esp_layout *esp_sa_layout(const struct esp_sa *sa)
{
	return &sa->lay;
}

/* The IV of a packet by the suite's rule. */
static int make_iv(struct esp_sa *sa, uint8_t *iv, uint64_t seq)
{
	size_t n = sa->lay.iv_len;

	switch (sa->iv_rule) {
	case ESP_IV_SEQ:
		ncb_put_be32(iv, (uint32_t)(seq >> 32));
		ncb_put_be32(iv + 4, (uint32_t)seq);
		return 0;
	case ESP_IV_COUNT:
		ncb_put_be32(iv, (uint32_t)seq);
		memset(iv + 4, 0, n - 4);
		return 0;
	case ESP_IV_RANDOM:
		if (sa->pool_at + n > IV_POOL && refill(sa) < 0)
			return -EIO;
		memcpy(iv, sa->pool + sa->pool_at, n);
		sa->pool_at += n;
		return 0;
	}
	return -EINVAL;
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

/* The operation that seals or opens a framed packet's body (body bytes
 * after the header) in place, the ICV right after it. An ETM suite's ICV
 * covers SPI | Seq | IV | ciphertext and, with ESN, the high half as the
 * tail; an AEAD's nonce is salt | IV and its AAD SPI | Seq. */
static void prepare(struct esp_sa *sa, uint8_t *pkt, size_t body,
		    uint64_t seq, struct aead_op *op, struct slot *sl)
{
	uint8_t *t = pkt + sa->lay.hdr_len;

	*op = (struct aead_op){ .src = t, .dst = t, .len = body,
				.icv = t + body };
	if (sa->is_etm) {
		op->iv = pkt + ESP_SPI_SEQ_LEN;
		op->aad = pkt;
		op->aad_len = ESP_SPI_SEQ_LEN;
		if (sa->is_esn) {
			ncb_put_be32(sl->tail, (uint32_t)(seq >> 32));
			op->tail = sl->tail;
			op->tail_len = ESN_TAIL;
		}
		return;
	}
	memcpy(sl->nonce, sa->salt, ESP_SALT_LEN);
	memcpy(sl->nonce + ESP_SALT_LEN, pkt + ESP_SPI_SEQ_LEN, ESP_IV_LEN);
	op->iv = sl->nonce;
	if (sa->is_gmac) {
		op->aad = gmac_aad(sa, pkt, sa->lay.hdr_len + body, seq,
				   &op->aad_len);
		op->len = 0;
	} else {
		op->aad = sl->aad;
		op->aad_len = make_aad(sa, seq, sl->aad);
	}
}

/* Frames a packet (trailer, header, IV) and prepares its operation: the
 * packet length, or a negative errno. */
static long frame(struct esp_sa *sa, uint8_t *pkt, size_t payload_len,
		  uint8_t next_header, uint64_t seq, const uint8_t *iv,
		  struct aead_op *op, struct slot *sl)
{
	const struct esp_layout *l = &sa->lay;
	size_t pad = esp_layout_pad(l, payload_len);
	size_t body = payload_len + pad + 2; /* what is encrypted */
	uint8_t *t = pkt + l->hdr_len;

	if (esp_layout_packet_len(l, payload_len) > ESP_PACKET_MAX)
		return -EMSGSIZE;
	for (size_t i = 0; i < pad; i++)
		t[payload_len + i] = (uint8_t)(i + 1);
	t[payload_len + pad] = (uint8_t)pad;
	t[payload_len + pad + 1] = next_header;
	ncb_put_be32(pkt, sa->spi);
	ncb_put_be32(pkt + 4, (uint32_t)seq);
	if (iv) {
		memcpy(pkt + ESP_SPI_SEQ_LEN, iv, l->iv_len);
	} else {
		int rc = make_iv(sa, pkt + ESP_SPI_SEQ_LEN, seq);

		if (rc < 0)
			return rc;
	}
	prepare(sa, pkt, body, seq, op, sl);
	return (long)(l->hdr_len + body + l->icv_len);
}

long esp_encap(struct esp_sa *sa, uint8_t *pkt, size_t payload_len,
	       uint8_t next_header, uint64_t seq, const uint8_t *iv)
{
	struct aead_op op;
	struct slot sl;
	long len = frame(sa, pkt, payload_len, next_header, seq, iv, &op, &sl);

	if (len < 0)
		return len;
	aead_seal_burst(sa->aead, &op, 1);
	return op.status < 0 ? op.status : len;
}

/* Up to ESP_BURST_MAX packets: frame each, seal the framed ones with one
 * call. */
static void seal_chunk(struct esp_sa *sa, uint8_t *const *pkts,
		       const size_t *lens, uint8_t nh, const uint64_t *seqs,
		       long *rcs, unsigned n)
{
	struct burst *b = &burst;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		rcs[i] = frame(sa, pkts[i], lens[i], nh, seqs[i], NULL,
			       &b->ops[k], &b->slots[k]);
		if (rcs[i] >= 0)
			b->at[k++] = i;
	}
	aead_seal_burst(sa->aead, b->ops, k);
	for (unsigned j = 0; j < k; j++)
		if (b->ops[j].status < 0)
			rcs[b->at[j]] = b->ops[j].status;
}

void esp_encap_burst(struct esp_sa *sa, uint8_t *const *pkts,
		     const size_t *payload_lens, uint8_t next_header,
		     const uint64_t *seqs, long *rcs, unsigned n)
{
	for (unsigned i = 0; i < n; i += ESP_BURST_MAX) {
		unsigned k = n - i < ESP_BURST_MAX ? n - i : ESP_BURST_MAX;

		if (sa->is_gmac && sa->is_esn) { /* one scratch AAD */
			for (unsigned j = i; j < i + k; j++)
				rcs[j] = esp_encap(sa, pkts[j], payload_lens[j],
						   next_header, seqs[j], NULL);
			continue;
		}
		seal_chunk(sa, pkts + i, payload_lens + i, next_header,
			   seqs + i, rcs + i, k);
	}
}

static enum esp_verdict count(struct esp_sa *sa, enum esp_verdict v)
{
	sa->counts[v]++;
	return v;
}

/* The checks before the replay window, which depend on the packet alone:
 * ESP_V_OK with the number it claims (inferred from the window with ESN)
 * and the length of its ciphertext, or why it is refused. */
static enum esp_verdict precheck(const struct esp_sa *sa, const uint8_t *pkt,
				 size_t len, uint64_t *seq, size_t *body)
{
	const struct esp_layout *l = &sa->lay;

	if (len < l->hdr_len + 2 + l->icv_len)
		return ESP_V_TRUNCATED;
	if (len > ESP_PACKET_MAX)
		return ESP_V_OVERSIZE;
	*body = len - l->hdr_len - l->icv_len;
	/* A CBC ciphertext is whole blocks: anything else is malformed,
	 * refused before the ICV is computed. */
	if (*body % l->block)
		return ESP_V_TRUNCATED;
	if (ncb_get_be32(pkt) != sa->spi)
		return ESP_V_SPI;
	*seq = ncb_get_be32(pkt + 4);
	if (sa->is_esn)
		*seq = replay_esn_infer(&sa->win, (uint32_t)*seq);
	return ESP_V_OK;
}

static enum esp_verdict window_verdict(const struct esp_sa *sa, uint64_t seq)
{
	switch (replay_check(&sa->win, seq)) {
	case REPLAY_SEEN:
		return ESP_V_REPLAY;
	case REPLAY_TOO_OLD:
		return ESP_V_OLD;
	case REPLAY_OK:
		break;
	}
	return ESP_V_OK;
}

/* After the open: the ICV's verdict, then (authentic) the window and the
 * trailer. */
static enum esp_verdict finish(struct esp_sa *sa, uint8_t *pkt, size_t body,
			       uint64_t seq, int status,
			       struct esp_decap_out *out)
{
	uint8_t *t = pkt + sa->lay.hdr_len;
	size_t pad;

	/* A failed ICV still tells the caller which number the packet
	 * claimed: its own peer's, or one no peer has sent. */
	out->seq = seq;
	if (status < 0)
		return ESP_V_ICV;
	/* Authentic: the window moves even if the trailer is bad, since
	 * the sender did send this number (RFC 4303 §3.4.3). */
	replay_update(&sa->win, seq);
	pad = t[body - 2];
	if (pad + 2 > body)
		return ESP_V_PAD;
	for (size_t i = 0; i < pad; i++)
		if (t[body - 2 - pad + i] != (uint8_t)(i + 1))
			return ESP_V_PAD;
	out->payload = t;
	out->payload_len = body - 2 - pad;
	out->next_header = t[body - 1];
	return ESP_V_OK;
}

/* Opens one prepared packet alone. */
static int open_one(struct esp_sa *sa, uint8_t *pkt, size_t body,
		    uint64_t seq)
{
	struct aead_op op;
	struct slot sl;

	prepare(sa, pkt, body, seq, &op, &sl);
	aead_open_burst(sa->aead, &op, 1);
	return op.status;
}

enum esp_verdict esp_decap(struct esp_sa *sa, uint8_t *pkt, size_t len,
			   struct esp_decap_out *out)
{
	uint64_t seq = 0;
	size_t body = 0;
	enum esp_verdict v = precheck(sa, pkt, len, &seq, &body);

	if (v == ESP_V_OK)
		v = window_verdict(sa, seq);
	if (v != ESP_V_OK)
		return count(sa, v);
	return count(sa, finish(sa, pkt, body, seq,
				open_one(sa, pkt, body, seq), out));
}

/* Whether the ESN inference of every packet that passed its prechecks
 * holds whatever earlier packets of the burst do to the window. */
static int esn_holds(const struct esp_sa *sa, const struct burst *b,
		     uint8_t *const *pkts, const uint8_t *vs, unsigned n)
{
	uint64_t top = sa->win.top;

	for (unsigned i = 0; i < n; i++)
		if (vs[i] == ESP_V_OK && b->seqs[i] > top)
			top = b->seqs[i];
	for (unsigned i = 0; i < n; i++)
		if (vs[i] == ESP_V_OK &&
		    !replay_esn_holds(&sa->win, ncb_get_be32(pkts[i] + 4),
				      b->seqs[i], top))
			return 0;
	return 1;
}

/* Up to ESP_BURST_MAX packets. The prechecks depend on each packet
 * alone; the window only ever refuses more as it moves, so a packet it
 * refuses now is refused in its turn too, and the others are opened
 * together. Then, in order, the window is asked again (an earlier packet
 * of the burst may have moved it), and only then moved. */
static void open_chunk(struct esp_sa *sa, uint8_t *const *pkts,
		       const size_t *lens, struct esp_decap_out *outs,
		       uint8_t *vs, unsigned n)
{
	struct burst *b = &burst;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		vs[i] = (uint8_t)precheck(sa, pkts[i], lens[i], &b->seqs[i],
					  &b->bodies[i]);
	if (sa->is_esn && !esn_holds(sa, b, pkts, vs, n)) {
		for (unsigned i = 0; i < n; i++)
			vs[i] = (uint8_t)esp_decap(sa, pkts[i], lens[i], &outs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		b->op_of[i] = -1;
		if (vs[i] != ESP_V_OK || window_verdict(sa, b->seqs[i]))
			continue;
		prepare(sa, pkts[i], b->bodies[i], b->seqs[i], &b->ops[k],
			&b->slots[k]);
		b->op_of[i] = (int)k++;
	}
	aead_open_burst(sa->aead, b->ops, k);
	for (unsigned i = 0; i < n; i++) {
		enum esp_verdict v = (enum esp_verdict)vs[i];
		int status;

		if (v == ESP_V_OK)
			v = window_verdict(sa, b->seqs[i]);
		if (v != ESP_V_OK) {
			vs[i] = (uint8_t)count(sa, v);
			continue;
		}
		/* The window only narrows, so this one was opened; alone
		 * if not, to stay exact whatever the window does. */
		status = b->op_of[i] >= 0
				 ? b->ops[b->op_of[i]].status
				 : open_one(sa, pkts[i], b->bodies[i], b->seqs[i]);
		vs[i] = (uint8_t)count(sa, finish(sa, pkts[i], b->bodies[i],
						  b->seqs[i], status, &outs[i]));
	}
}

void esp_decap_burst(struct esp_sa *sa, uint8_t *const *pkts,
		     const size_t *lens, struct esp_decap_out *outs,
		     uint8_t *verdicts, unsigned n)
{
	for (unsigned i = 0; i < n; i += ESP_BURST_MAX) {
		unsigned k = n - i < ESP_BURST_MAX ? n - i : ESP_BURST_MAX;

		if (sa->is_gmac && sa->is_esn) { /* one scratch AAD */
			for (unsigned j = i; j < i + k; j++)
				verdicts[j] = (uint8_t)esp_decap(sa, pkts[j], lens[j],
								 &outs[j]);
			continue;
		}
		open_chunk(sa, pkts + i, lens + i, outs + i, verdicts + i, k);
	}
}

const uint64_t *esp_sa_counts(const struct esp_sa *sa)
{
	return sa->counts;
}
