/* Shared by the decap fuzz targets: an input after its configuration byte
 * is a list of (2-byte big-endian length, bytes) packets. Each goes to
 * one(ctx, p, len) in a buffer of exactly its length, so ASan sees any
 * access past it; one returns the view the decap accepted (NULL if it
 * refused), which must lie inside the buffer. */
#ifndef NCB_TESTS_FUZZ_FRAMES_H
#define NCB_TESTS_FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_view {
	const uint8_t *p;
	size_t len;
};

static inline void fuzz_frames(const uint8_t *data, size_t size, void *ctx,
			       struct fuzz_view (*one)(void *ctx, uint8_t *p,
						       size_t len))
{
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];
		struct fuzz_view v;
		uint8_t *p;

		data += 2, size -= 2;
		if (len > size)
			len = size;
		p = malloc(len ? len : 1);
		if (!p)
			abort();
		memcpy(p, data, len);
		v = one(ctx, p, len);
		if (v.p && (v.p < p || v.p + v.len > p + len))
			abort(); /* a view outside the packet */
		free(p);
		data += len, size -= len;
	}
}

#endif
