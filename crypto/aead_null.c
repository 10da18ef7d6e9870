/* The null backend: no cipher at all, so a workload run with it measures
 * everything but the crypto (the I/O-only baseline). The tag is all zeros
 * and open checks that, so a changed tag is still rejected. */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/aead_impl.h"

static const char *null_version(void)
{
	return "none";
}

static int null_probe(enum aead_alg alg)
{
	return alg == AEAD_ALG_NULL ? 0 : -ENOTSUP;
}

static int null_init(void **state, enum aead_alg alg, const uint8_t *key,
		     size_t key_len, size_t icv_len)
{
	(void)alg;
	(void)key;
	(void)key_len;
	(void)icv_len;
	/* Nothing to keep; a non-NULL token keeps callers' checks uniform. */
	*state = (void *)&aead_null_ops;
	return 0;
}

/* Out of place, the data still has to arrive: a copy, as a cipher's
 * output would. */
static void move(const struct aead_op *op)
{
	if (op->dst != op->src)
		memmove(op->dst, op->src, op->len);
}

static int null_seal(void *state, struct aead_op *op)
{
	(void)state;
	move(op);
	memset(op->icv, 0, AEAD_TAG_LEN);
	return op->status = 0;
}

static int null_open(void *state, struct aead_op *op)
{
	uint8_t acc = 0;

	(void)state;
	for (int i = 0; i < AEAD_TAG_LEN; i++)
		acc |= op->icv[i];
	if (acc)
		return op->status = -EBADMSG;
	move(op);
	return op->status = 0;
}

static void null_free(void *state)
{
	(void)state;
}

const struct aead_backend_ops aead_null_ops = {
	.name = "null",
	.version = null_version,
	.probe = null_probe,
	.init = null_init,
	.seal = null_seal,
	.open = null_open,
	.free = null_free,
};
