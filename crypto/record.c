/* TLS 1.3-style record seal/open and the stream re-framer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/record.h"

struct record_sa {
	struct aead_ctx *aead;
	uint8_t iv[RECORD_IV_LEN];
	uint64_t seq;
	size_t data_max;
	uint64_t counts[RECORD_V_COUNT];
};

void record_sa_free(struct record_sa *sa)
{
	if (!sa)
		return;
	aead_ctx_free(sa->aead);
	explicit_bzero(sa->iv, sizeof(sa->iv));
	free(sa);
}

int record_sa_new(struct record_sa **out, const struct record_cfg *cfg)
{
	struct record_sa *sa;
	int rc;

	*out = NULL;
	if (!cfg->iv || cfg->data_max > RECORD_DATA_MAX)
		return -EINVAL;
	if (aead_info(cfg->aead.alg) &&
	    aead_info(cfg->aead.alg)->kind != AEAD_KIND_AEAD)
		return -EINVAL; /* a nonce from the IV, a 16-byte tag: AEADs */
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return -ENOMEM;
	memcpy(sa->iv, cfg->iv, RECORD_IV_LEN);
	sa->data_max = cfg->data_max ? cfg->data_max : RECORD_DATA_MAX;
	rc = aead_ctx_new(&sa->aead, cfg->aead.alg, cfg->aead.backend,
			  cfg->aead.key, cfg->aead.key_len);
	if (rc < 0) {
		record_sa_free(sa);
		return rc;
	}
	*out = sa;
	return 0;
}

/* RFC 8446 §5.3: the sequence number, big-endian and left-padded to the
 * IV length, XORed into the static IV. */
static void make_nonce(const struct record_sa *sa, uint64_t seq,
		       uint8_t *nonce)
{
	memcpy(nonce, sa->iv, RECORD_IV_LEN);
	for (int i = 0; i < 8; i++)
		nonce[RECORD_IV_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
}

long record_seal(struct record_sa *sa, uint8_t *rec, size_t data_len,
		 uint8_t content_type)
{
	uint8_t nonce[RECORD_IV_LEN], *body = rec + RECORD_HDR_LEN;
	size_t inner = data_len + 1;
	int rc;

	if (data_len > RECORD_DATA_MAX)
		return -EMSGSIZE;
	if (sa->seq == UINT64_MAX)
		return -ERANGE; /* RFC 8446 §5.5: rekey before the wrap */
	rec[0] = RECORD_APP_DATA;
	rec[1] = 3;
	rec[2] = 3;
	ncb_put_be16(rec + 3, (uint16_t)(inner + RECORD_TAG_LEN));
	body[data_len] = content_type;
	make_nonce(sa, sa->seq++, nonce);
	rc = aead_seal(sa->aead, nonce, rec, RECORD_HDR_LEN, body, inner,
		       body + inner);
	return rc < 0 ? rc : (long)record_len(data_len);
}

static enum record_verdict count(struct record_sa *sa, enum record_verdict v)
{
	sa->counts[v]++;
	return v;
}

enum record_verdict record_open(struct record_sa *sa, uint8_t *rec,
				size_t len, struct record_out *out)
{
	uint8_t nonce[RECORD_IV_LEN], *body = rec + RECORD_HDR_LEN;
	uint64_t seq = sa->seq++;
	size_t inner;

	if (len < RECORD_HDR_LEN + 1 + RECORD_TAG_LEN ||
	    len != record_wire_len(rec) || rec[0] != RECORD_APP_DATA ||
	    rec[1] != 3 || rec[2] != 3)
		return count(sa, RECORD_V_BAD_HEADER);
	inner = len - RECORD_HDR_LEN - RECORD_TAG_LEN;
	/* §5.2: at most 2^14 + 256 bytes of ciphertext; here the inner
	 * plaintext carries no padding, so data + type. */
	if (inner > sa->data_max + 1)
		return count(sa, RECORD_V_OVERFLOW);
	make_nonce(sa, seq, nonce);
	if (aead_open(sa->aead, nonce, rec, RECORD_HDR_LEN, body, inner,
		      body + inner) < 0)
		return count(sa, RECORD_V_BAD_MAC);
	/* §5.4: the content type is the last non-zero byte. */
	while (inner > 0 && body[inner - 1] == 0)
		inner--;
	if (inner == 0)
		return count(sa, RECORD_V_NO_TYPE);
	out->data = body;
	out->len = inner - 1;
	out->seq = seq;
	out->content_type = body[inner - 1];
	return count(sa, RECORD_V_OK);
}

const uint64_t *record_sa_counts(const struct record_sa *sa)
{
	return sa->counts;
}

struct record_reader {
	struct record_sa *sa;
	uint8_t *stage[2]; /* RECORD_MAX bytes each */
	unsigned cur;      /* the staging buffer being filled */
	size_t have;       /* bytes of it filled */
	int is_lost;
};

int record_reader_new(struct record_reader **out, struct record_sa *sa)
{
	struct record_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->sa = sa;
	r->stage[0] = malloc(RECORD_MAX);
	r->stage[1] = malloc(RECORD_MAX);
	if (!r->stage[0] || !r->stage[1]) {
		record_reader_free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

void record_reader_free(struct record_reader *r)
{
	if (!r)
		return;
	free(r->stage[0]);
	free(r->stage[1]);
	free(r);
}

int record_reader_is_lost(const struct record_reader *r)
{
	return r->is_lost;
}

/* Length of the record whose first `have` bytes are at p, or 0 while
 * the header is incomplete. */
static size_t need_of(const uint8_t *p, size_t have)
{
	return have < RECORD_HDR_LEN ? 0 : record_wire_len(p);
}

/* A header that cannot be framed past ends the stream, as TLS would close
 * the connection (RFC 8446 §5.1, §6): one announcing more than any buffer
 * holds, or fewer bytes than the smallest record (header, content type and
 * tag). Refusing the short ones also means every record framed consumes at
 * least RECORD_OVERHEAD bytes of input, which is what bounds the verdicts
 * one piece can produce. */
static int is_unframeable(struct record_reader *r, size_t need, uint8_t *vs,
			  unsigned *n)
{
	enum record_verdict v;

	if (need > RECORD_MAX)
		v = RECORD_V_OVERFLOW;
	else if (need < RECORD_OVERHEAD)
		v = RECORD_V_BAD_HEADER;
	else
		return 0;
	r->is_lost = 1;
	vs[(*n)++] = (uint8_t)count(r->sa, v);
	return 1;
}

/* The caller's arrays hold max entries and every write below checks that
 * one is left: the bound comes from the capacity given, never from an
 * assumption about what the bytes hold. One entry is kept back for the
 * verdict that may end the stream. Should the input ever complete more
 * records than max allows (it cannot after the size check, see
 * is_unframeable), the stream is marked lost rather than written past. */
int record_reader_feed(struct record_reader *r, uint8_t *p, size_t len,
		       struct record_out *outs, uint8_t *vs, unsigned max)
{
	unsigned n = 0;

	if (max < 2 || max - 2 < len / RECORD_OVERHEAD)
		return -EMSGSIZE;
	if (r->is_lost)
		return 0;
	/* First finish the record cut at the end of an earlier piece. */
	if (r->have) {
		uint8_t *s = r->stage[r->cur];
		size_t need, take;

		if (r->have < RECORD_HDR_LEN) {
			take = RECORD_HDR_LEN - r->have < len
				       ? RECORD_HDR_LEN - r->have
				       : len;
			memcpy(s + r->have, p, take);
			r->have += take, p += take, len -= take;
		}
		need = need_of(s, r->have);
		if (!need)
			return 0;
		if (is_unframeable(r, need, vs, &n))
			return (int)n;
		take = need - r->have < len ? need - r->have : len;
		memcpy(s + r->have, p, take);
		r->have += take, p += take, len -= take;
		if (r->have < need)
			return 0;
		vs[n] = (uint8_t)record_open(r->sa, s, need, &outs[n]);
		n++;
		r->have = 0;
		r->cur ^= 1; /* keep that view; fill the other buffer next */
	}
	/* Whole records inside this piece: opened where they are. */
	while (len >= RECORD_HDR_LEN) {
		size_t need = record_wire_len(p);

		if (is_unframeable(r, need, vs, &n))
			return (int)n;
		if (need > len)
			break;
		if (n + 1 >= max) {
			r->is_lost = 1; /* keep the last entry unwritten */
			return (int)n;
		}
		vs[n] = (uint8_t)record_open(r->sa, p, need, &outs[n]);
		n++;
		p += need, len -= need;
	}
	/* The start of a record cut here. */
	if (len) {
		memcpy(r->stage[r->cur], p, len);
		r->have = len;
	}
	return (int)n;
}
