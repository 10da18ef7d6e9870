/* TLS 1.3-style records (RFC 8446 §5.2-5.3) over an AEAD:
 *
 *   type 23 | 0x0303 | length(2) | AEAD(data | content type) | tag(16)
 *
 * The 5-byte header is the AAD; nonce = static IV XOR the 64-bit record
 * sequence number (left-padded to 12 bytes); each direction counts its
 * records from 0. A record carries at most RECORD_DATA_MAX bytes of data.
 * A reader re-frames records out of a byte stream cut anywhere (TCP
 * receive boundaries). Pure functions over buffers; no sockets. */
#ifndef NCB_CRYPTO_RECORD_H
#define NCB_CRYPTO_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"

#include "io/ncb.h"

enum {
	RECORD_HDR_LEN = 5,
	RECORD_TAG_LEN = 16,
	RECORD_IV_LEN = 12,
	RECORD_DATA_MAX = 1 << 14, /* 16384 bytes of plaintext */
	RECORD_APP_DATA = 23,      /* outer type, and inner application data */
	/* Whole record: header, data, inner content type, tag. */
	RECORD_OVERHEAD = RECORD_HDR_LEN + 1 + RECORD_TAG_LEN,
	RECORD_MAX = RECORD_DATA_MAX + RECORD_OVERHEAD,
};

/* Outcome of opening a record; every reject has its own counter. */
enum record_verdict {
	RECORD_V_OK,
	RECORD_V_BAD_HEADER, /* outer type not 23 or version not 0x0303 */
	RECORD_V_OVERFLOW,   /* record_overflow: longer than allowed */
	RECORD_V_BAD_MAC,    /* bad_record_mac: authentication failed */
	RECORD_V_NO_TYPE,    /* authentic, but all zeros: no content type */
	RECORD_V_COUNT,
};

struct record_cfg {
	struct aead_spec aead;
	const uint8_t *iv; /* RECORD_IV_LEN bytes */
	/* Largest data a record may carry here (1..RECORD_DATA_MAX; 0:
	 * RECORD_DATA_MAX): what the reader accepts, as record_size_limit
	 * (RFC 8449) tells a peer. */
	size_t data_max;
};

struct record_sa;

/* One direction. The key is copied into the AEAD context. 0 or a
 * negative errno (-EINVAL for an encrypt-then-MAC suite). */
NCB_MUST_CHECK int record_sa_new(struct record_sa **out,
				 const struct record_cfg *cfg);
void record_sa_free(struct record_sa *sa);

static inline size_t record_len(size_t data_len)
{
	return data_len + RECORD_OVERHEAD;
}

/* Seals one record in place: the data is at rec + RECORD_HDR_LEN and rec
 * has room for record_len(data_len) bytes. Uses and advances the SA's
 * sequence number. Returns the record length or a negative errno. */
NCB_MUST_CHECK long record_seal(struct record_sa *sa, uint8_t *rec,
				size_t data_len, uint8_t content_type);

struct record_out {
	uint8_t *data;
	size_t len;
	uint64_t seq;        /* the record's sequence number */
	uint8_t content_type;
};

/* Opens one whole record of len bytes in place (len must be what its
 * header says) with the next sequence number, which a record consumes
 * whatever the verdict, as in TLS. Counts the verdict. */
enum record_verdict record_open(struct record_sa *sa, uint8_t *rec,
				size_t len, struct record_out *out);

/* Bytes of the record starting at hdr (RECORD_HDR_LEN bytes). */
static inline size_t record_wire_len(const uint8_t *hdr)
{
	return RECORD_HDR_LEN + ((size_t)hdr[3] << 8 | hdr[4]);
}

const uint64_t *record_sa_counts(const struct record_sa *sa);

/* Re-framing: records out of stream pieces cut at any boundary. A record
 * whole inside a piece is opened in place (its view lives as long as the
 * piece); one cut across pieces is put together in a staging buffer, and
 * its view stays valid until the next call. */
struct record_reader;

NCB_MUST_CHECK int record_reader_new(struct record_reader **out,
				     struct record_sa *sa);
void record_reader_free(struct record_reader *r);

/* Feeds len bytes; opens every record completed by them, writing up to
 * max verdicts and views (vs[i] != RECORD_V_OK: outs[i] unset). Returns
 * how many (never more than max, whatever the bytes), or -EMSGSIZE when
 * max < len / RECORD_OVERHEAD + 2: that much room always suffices, as a
 * header announcing fewer than RECORD_OVERHEAD bytes (a zero-length record
 * is 5) or more than RECORD_MAX cannot be framed past: it is answered
 * RECORD_V_BAD_HEADER or RECORD_V_OVERFLOW and the stream is lost:
 * record_reader_is_lost() says so and later bytes are ignored, as TLS
 * would close the connection. */
int record_reader_feed(struct record_reader *r, uint8_t *p, size_t len,
		       struct record_out *outs, uint8_t *vs, unsigned max);
int record_reader_is_lost(const struct record_reader *r);

#endif
