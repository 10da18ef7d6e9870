/* libFuzzer target for the record re-framer (crypto/record.c). Input: one
 * configuration byte, then stream pieces as (2-byte big-endian length,
 * bytes), fed in order to one reader, so records cut across pieces and the
 * staging buffers carry state between them. Each piece sits in a buffer of
 * exactly its length and the verdict and view arrays are heap arrays of
 * exactly the documented size (len / RECORD_OVERHEAD + 2), so ASan sees
 * any access past either. The null AEAD (zero tag) lets inputs past the
 * tag into the content-type scan; a real AEAD covers the reject paths. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/record.h"
#include "tests/fuzz/frames.h"

enum { CONFIGS = 8 };

struct feed_ctx {
	struct record_reader *r;
	struct record_sa *sa;
};

static volatile unsigned sink;

static struct fuzz_view one(void *arg, uint8_t *p, size_t len)
{
	struct feed_ctx *x = arg;
	unsigned max = (unsigned)(len / RECORD_OVERHEAD + 2);
	struct record_out *outs = malloc(max * sizeof(*outs));
	uint8_t *vs = malloc(max);
	int n;

	if (!outs || !vs)
		abort();
	n = record_reader_feed(x->r, p, len, outs, vs, max);
	if (n < 0 || (unsigned)n > max)
		abort(); /* the documented size must always do */
	for (int i = 0; i < n; i++) {
		if (vs[i] >= RECORD_V_COUNT)
			abort();
		/* An accepted view is read at both ends, wherever it
		 * lies (the piece or a staging buffer): ASan checks it. */
		if (vs[i] == RECORD_V_OK && outs[i].len)
			sink += outs[i].data[0] + outs[i].data[outs[i].len - 1];
	}
	free(outs);
	free(vs);
	return (struct fuzz_view){ NULL, 0 };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t iv[RECORD_IV_LEN] = { 9, 9, 9, 9 };
	static const size_t data_max[] = { 0, 1, 16, 1420 };
	struct feed_ctx x;
	struct record_cfg c;
	unsigned i;

	if (size < 1)
		return 0;
	i = data[0] % CONFIGS;
	c = (struct record_cfg){
		.aead.alg = (i & 4) ? "aes-128-gcm" : "null",
		.aead.backend = (i & 4) ? "openssl" : "null",
		.aead.key = key,
		.aead.key_len = 16, /* aes-128-gcm and null alike */
		.iv = iv,
		.data_max = data_max[i & 3],
	};
	/* A fresh reader per input keeps runs reproducible. */
	if (record_sa_new(&x.sa, &c) < 0 || record_reader_new(&x.r, x.sa) < 0)
		abort();
	fuzz_frames(data + 1, size - 1, &x, one);
	record_reader_free(x.r);
	record_sa_free(x.sa);
	return 0;
}
