/* "Simple IMIX": 7 x 64, 4 x 576, 1 x 1500 bytes per 12 packets,
 * interleaved as they would arrive rather than in runs. */
#include <errno.h>
#include <string.h>

#include "io/ncb.h"
#include "io/imix.h"

static const uint16_t simple[] = { 64, 576, 64,   64, 576, 64,
				   1500, 64, 576, 64, 64, 576 };

static const struct {
	const char *name;
	const uint16_t *sizes;
	size_t n;
} mixes[] = {
	{ "simple", simple, NCB_ARRAY_SIZE(simple) },
};

int imix_find(const char *name, const uint16_t **sizes, size_t *n)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(mixes); i++)
		if (strcmp(name, mixes[i].name) == 0) {
			*sizes = mixes[i].sizes;
			*n = mixes[i].n;
			return 0;
		}
	return -ENOENT;
}

const char *imix_name(size_t i)
{
	return i < NCB_ARRAY_SIZE(mixes) ? mixes[i].name : NULL;
}

size_t imix_mean(const uint16_t *sizes, size_t n)
{
	size_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += sizes[i];
	return n ? (sum + n / 2) / n : 0;
}
