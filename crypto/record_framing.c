/* TLS 1.3-style records as a framing (crypto/framing.h) of a byte stream:
 * the sender seals records of --size bytes of data back to back; the
 * receiver feeds whatever pieces TCP hands it to the re-framer, which
 * opens the records they complete in order. Each direction counts its own
 * record sequence numbers from 0, which is also the payload's stamp. */
#include <errno.h>
#include <stdlib.h>
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
	struct record_sa *sa;
	struct record_reader *reader; /* receiver only */
	struct record_out outs[FEED_MAX];
};

static enum inner_kind inner(const void *opts, int family)
{
	(void)opts;
	(void)family;
	return INNER_DATA;
}

/* --size is the data of one record: the knob a TLS stack tunes (16 KiB
 * for bulk transfer, about one TCP segment for latency). */
static int check(const void *opts, const char *cipher, int family,
		 size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	(void)opts;
	(void)cipher;
	(void)family;
	(void)e;
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

static const char *transport(const void *opts, int family)
{
	(void)opts;
	return family == 6 ? "tcp6" : "tcp";
}

/* The stamp is the record's own sequence number, which starts at 0. */
static size_t packet_max(const void *opts, size_t len)
{
	(void)opts;
	return record_len(len);
}

static uint64_t seq_first(const void *opts)
{
	(void)opts;
	return 0;
}

static const char *alg_note(const char *alg)
{
	if (!strcmp(alg, "aes-128-gcm") || !strcmp(alg, "aes-256-gcm") ||
	    !strcmp(alg, "chacha20-poly1305"))
		return "RFC 8446 cipher suite";
	if (!strcmp(alg, "null"))
		return "I/O baseline: no protection";
	if (!strcmp(alg, "sm4-gcm"))
		return "RFC 8998 (TLS_SM4_GCM_SM3)";
	return "non-standard: RFC 8446 record layout";
}

static void sa_free(void *arg)
{
	struct side *s = arg;

	if (!s)
		return;
	record_reader_free(s->reader);
	record_sa_free(s->sa);
	free(s);
}

static int sa_new(void **out, const struct framing_sa_desc *d, int is_rx,
		  struct ncb_err *e)
{
	struct side *s = calloc(1, sizeof(*s));
	struct record_cfg cfg = {
		.alg = d->cipher,
		.backend = d->backend,
		.key = d->keymat,
		.key_len = aead_key_len(d->cipher),
		.iv = d->keymat + AEAD_KEY_MAX,
	};
	int rc;

	*out = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	rc = record_sa_new(&s->sa, &cfg);
	if (rc < 0) {
		sa_free(s);
		return ncb_errf(e, rc, "cannot create a record context for %s/%s",
				d->cipher, d->backend);
	}
	if (is_rx && record_reader_new(&s->reader, s->sa) < 0) {
		sa_free(s);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

static size_t payload_off(const void *arg)
{
	(void)arg;
	return RECORD_HDR_LEN;
}

static size_t packet_len(const void *arg, size_t len)
{
	(void)arg;
	return record_len(len);
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

static const uint64_t *counts(const void *arg)
{
	const struct side *s = arg;

	return record_sa_counts(s->sa);
}

const struct framing_ops record_framing = {
	.name = "tls13-records",
	.summary = "TLS 1.3-style records (RFC 8446 5.2) on a byte stream, re-framed across receive boundaries",
	.abi = FRAMING_ABI,
	.flags = FRAMING_F_STREAM,
	.check = check,
	.inner = inner,
	.label = label,
	.transport = transport,
	.packet_max = packet_max,
	.seq_first = seq_first,
	.alg_note = alg_note,
	.sa_new = sa_new,
	.sa_free = sa_free,
	.payload_off = payload_off,
	.packet_len = packet_len,
	.encap = encap,
	.feed = feed,
	.feed_max = FEED_MAX,
	.counts = counts,
	.verdicts = verdicts,
	.n_verdicts = RECORD_V_COUNT,
};
