/* TLS 1.3-style records as a framing (crypto/framing.h) of a byte stream:
 * the sender seals records of --size bytes of data back to back; the
 * receiver feeds whatever pieces TCP hands it to the re-framer, which
 * opens the records they complete in order. Each direction counts its own
 * record sequence numbers from 0, which is also the payload's stamp. */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/record.h"

enum {
	/* Records one receive piece of a stream can complete, for pieces
	 * up to io/net.h's NET_PIECE_MAX (record_reader_feed's rule). */
	PIECE_MAX = 65536 + 128,
	FEED_MAX = PIECE_MAX / RECORD_OVERHEAD + 2,
};

static const struct framing_verdict verdicts[RECORD_V_COUNT] = {
	[RECORD_V_OK] = FRAMING_VERDICT_OK,
	[RECORD_V_BAD_HEADER] = { "bad_header", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[RECORD_V_OVERFLOW] = { "record_overflow", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[RECORD_V_BAD_MAC] = { "bad_record_mac", VERDICT_AUTH, VERDICT_AT_TAG },
	[RECORD_V_NO_TYPE] = { "no_content_type", VERDICT_BROKEN, VERDICT_AFTER_AUTH },
};

struct side {
	struct framing_side base;
	struct record_sa *sa;
	struct record_reader *reader; /* receiver only */
	struct record_out outs[FEED_MAX];
};

/* --size is the data of one record: the knob a TLS stack tunes (16 KiB
 * for bulk transfer, about one TCP segment for latency). */
static int check(const void *opts, const char *cipher, int family,
		 size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	(void)opts;
	(void)family;
	if (framing_check_aead("tls13-records", cipher, e) < 0)
		return -EINVAL;
	*min_len = inner_min(INNER_DATA);
	*max_len = RECORD_DATA_MAX;
	return 0;
}

static void label(const void *opts, const char *cipher, char *buf,
		  size_t len)
{
	(void)opts;
	(void)cipher;
	snprintf(buf, len, "tls13-records");
}

static size_t packet_max(const void *opts, const char *cipher, size_t len)
{
	(void)opts;
	(void)cipher;
	return record_len(len);
}

static const char *alg_note(const char *alg)
{
	if (framing_is_etm(alg))
		return NULL;
	if (!strcmp(alg, "aes-128-gcm") || !strcmp(alg, "aes-256-gcm") ||
	    !strcmp(alg, "chacha20-poly1305"))
		return "RFC 8446 cipher suite";
	if (!strcmp(alg, "sm4-gcm"))
		return "RFC 8998 (TLS_SM4_GCM_SM3)";
	return "non-standard: RFC 8446 record layout";
}

/* The per-record nonce is this write IV XORed with the sequence number
 * (RFC 8446 §5.3); SA files give it as the salt. */
static size_t salt_len(const void *opts, const char *cipher)
{
	(void)opts;
	(void)cipher;
	return RECORD_IV_LEN;
}

static int sa_init(struct framing_side *base, const struct framing_sa_desc *d)
{
	struct side *s = (struct side *)base;
	struct record_cfg cfg = {
		.aead = framing_aead(d),
		.iv = d->keymat + AEAD_KEY_MAX,
	};
	int rc = record_sa_new(&s->sa, &cfg);

	if (rc == 0 && base->is_rx)
		rc = record_reader_new(&s->reader, s->sa);
	if (rc == 0)
		base->counts = record_sa_counts(s->sa);
	return rc;
}

static void sa_fini(struct framing_side *base)
{
	struct side *s = (struct side *)base;

	record_reader_free(s->reader);
	record_sa_free(s->sa);
}

static long encap(void *arg, uint8_t *rec, size_t len, uint64_t seq)
{
	struct side *s = arg;

	(void)seq; /* records count their own sequence numbers */
	return record_seal(s->sa, rec, len, RECORD_APP_DATA);
}

static int feed(void *arg, uint8_t *piece, size_t len,
		struct framing_out *outs, uint8_t *verdicts_out, unsigned max)
{
	struct side *s = arg;
	int n = record_reader_feed(s->reader, piece, len, s->outs,
				   verdicts_out, max < FEED_MAX ? max : FEED_MAX);

	for (int i = 0; i < n; i++)
		if (verdicts_out[i] == RECORD_V_OK)
			outs[i] = (struct framing_out){
				s->outs[i].data, s->outs[i].len,
				s->outs[i].seq,
				s->outs[i].content_type == RECORD_APP_DATA,
			};
	return n;
}

const struct framing_ops record_framing = {
	.name = "tls13-records",
	.summary = "TLS 1.3-style records (RFC 8446 5.2) on a byte stream, re-framed across receive boundaries",
	.salt_len = salt_len,
	FRAMING_COMMON(struct side),
	.inner_kind = INNER_DATA,
	/* The stamp is the record's own sequence number, from 0. */
	.flags = FRAMING_F_STREAM | FRAMING_F_SEQ0,
	.hdr_len = RECORD_HDR_LEN,
	.sa_what = "a record context",
	.feed = feed,
	.feed_max = FEED_MAX,
	.verdicts = verdicts,
	.n_verdicts = NCB_ARRAY_SIZE(verdicts),
};
