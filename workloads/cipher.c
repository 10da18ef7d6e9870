/* The `cipher` workload: seal (or open) one buffer in memory, again and
 * again, per worker thread. No framing and no I/O: the upper bound every
 * network workload is measured against. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "crypto/aead.h"
#include "io/pin.h"
#include "workloads/keys.h"
#include "workloads/team.h"
#include "workloads/wl.h"

enum cipher_dir { DIR_SEAL, DIR_OPEN };

/* ESP-sized AAD (SPI | sequence number), so the per-packet cost includes
 * the AAD pass a real framing pays. */
enum { AAD_LEN = 8 };

struct cipher_opts {
	unsigned direction;
};

static const char *const directions[] = { "seal", "open", NULL };

static const struct ncb_opt cipher_opts[] = {
	{ "direction", NCB_OPT_CHOICE, offsetof(struct cipher_opts, direction),
	  "seal", "seal or open one buffer per unit of work", directions },
};

struct worker {
	const struct wl_case *c;
	unsigned dir;
	struct aead_ctx *ctx;
	uint8_t *buf;
	uint8_t nonce[AEAD_NONCE_LEN];
	uint8_t aad[AAD_LEN];
	/* Open alternates two tags, see prepare_open(). */
	uint8_t tags[2][AEAD_TAG_LEN];
	uint64_t seq;
	/* Counters of the last repetition. */
	uint64_t packets, failures;
};

struct cipher_state {
	struct team *team;
	struct worker *w;
	void **args;
	size_t n;
};

/* Makes open measurable in place without a copy per unit. GCM and
 * ChaCha20-Poly1305 encrypt by XOR with a keystream fixed by (key, nonce),
 * so with one nonce, opening C gives P and opening P gives C. Sealing P
 * yields C with tag 0; sealing C yields P with tag 1. Each open then
 * verifies for real: counted failures must stay zero. */
static int prepare_open(struct worker *w)
{
	int rc;

	rc = aead_seal(w->ctx, w->nonce, w->aad, AAD_LEN, w->buf, w->c->size,
		       w->tags[0]);
	if (rc < 0)
		return rc;
	rc = aead_seal(w->ctx, w->nonce, w->aad, AAD_LEN, w->buf, w->c->size,
		       w->tags[1]);
	if (rc < 0)
		return rc;
	/* The buffer is P again after two seals: seal it once more to C. */
	return aead_seal(w->ctx, w->nonce, w->aad, AAD_LEN, w->buf, w->c->size,
			 w->tags[0]);
}

static int worker_prepare(void *arg, struct ncb_err *e)
{
	struct worker *w = arg;
	size_t klen = aead_key_len(w->c->cipher);
	uint8_t key[AEAD_KEY_MAX];
	int rc;

	/* Allocated here, in the pinned thread, so pages are local. */
	w->buf = aligned_alloc(64, (w->c->size + 63) & ~(size_t)63);
	if (!w->buf)
		return ncb_errf(e, -ENOMEM, "out of memory for a %zu-byte buffer",
				w->c->size);
	for (size_t i = 0; i < w->c->size; i++)
		w->buf[i] = (uint8_t)i;
	if (getrandom(w->nonce, sizeof(w->nonce), 0) != sizeof(w->nonce))
		return ncb_errf(e, -EIO, "cannot read random nonce bytes");
	memset(w->aad, 0x5a, sizeof(w->aad));
	rc = keys_fill(key, klen, e);
	if (rc == 0) {
		rc = aead_ctx_new(&w->ctx, w->c->cipher, w->c->backend, key,
				  klen);
		if (rc < 0)
			ncb_errf(e, rc, "cannot create %s context with backend %s",
				 w->c->cipher, w->c->backend);
	}
	explicit_bzero(key, sizeof(key));
	if (rc < 0)
		return rc;
	if (w->dir == DIR_OPEN && prepare_open(w) < 0)
		return ncb_errf(e, -EIO, "%s/%s: cannot prepare open buffers",
				w->c->cipher, w->c->backend);
	return 0;
}

/* Per unit: a new nonce (counter in its last 8 bytes, as ESP's IV), the
 * sequence number in the AAD, seal in place, tag out. */
static void run_seal(struct worker *w, const atomic_int *stop)
{
	uint64_t n = 0, fail = 0, seq = w->seq;
	uint8_t tag[AEAD_TAG_LEN];

	/* At least one unit, also when the stop came before this thread
	 * got its PU: a repetition never measures nothing. */
	do {
		seq++;
		ncb_put_be64(w->nonce + 4, seq);
		ncb_put_be64(w->aad, seq);
		if (aead_seal(w->ctx, w->nonce, w->aad, AAD_LEN, w->buf,
			      w->c->size, tag) < 0)
			fail++;
		n++;
	} while (!atomic_load_explicit(stop, memory_order_relaxed));
	w->seq = seq;
	w->packets = n;
	w->failures = fail;
}

static void run_open(struct worker *w, const atomic_int *stop)
{
	uint64_t n = 0, fail = 0;
	unsigned which = (unsigned)(w->seq & 1);

	do {
		if (aead_open(w->ctx, w->nonce, w->aad, AAD_LEN, w->buf,
			      w->c->size, w->tags[which]) < 0)
			fail++;
		which ^= 1;
		n++;
	} while (!atomic_load_explicit(stop, memory_order_relaxed));
	w->seq += n;
	w->packets = n;
	w->failures = fail;
}

static void worker_run(void *arg, const atomic_int *stop)
{
	struct worker *w = arg;

	if (w->dir == DIR_OPEN)
		run_open(w, stop);
	else
		run_seal(w, stop);
}

static void worker_release(void *arg)
{
	struct worker *w = arg;

	aead_ctx_free(w->ctx);
	w->ctx = NULL;
	free(w->buf);
	w->buf = NULL;
}

static const struct team_hooks hooks = {
	.prepare = worker_prepare,
	.run = worker_run,
	.release = worker_release,
};

static void cipher_teardown(void *state)
{
	struct cipher_state *s = state;

	if (!s)
		return;
	team_free(s->team);
	free(s->w);
	free(s->args);
	free(s);
}

static int cipher_setup(const struct wl_case *c, const void *opts,
			void **state, struct ncb_err *e)
{
	const struct cipher_opts *o = opts;
	struct cipher_state *s = calloc(1, sizeof(*s));
	int rc;

	*state = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	s->n = c->workers;
	s->w = calloc(s->n, sizeof(*s->w));
	s->args = calloc(s->n, sizeof(*s->args));
	if (!s->w || !s->args) {
		cipher_teardown(s);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < s->n; i++) {
		s->w[i].c = c;
		s->w[i].dir = o->direction;
		s->args[i] = &s->w[i];
	}
	rc = team_new(&s->team, c, &hooks, s->args, e);
	if (rc < 0) {
		cipher_teardown(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int cipher_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct cipher_state *s = state;
	size_t size = s->w[0].c->size;
	int rc = team_rep(s->team, seconds, out);

	for (size_t i = 0; i < s->n; i++) {
		out->packets += s->w[i].packets;
		out->auth_fail += s->w[i].failures;
	}
	out->bytes = out->packets * size;
	out->wire_bytes = out->packets * (size + AEAD_TAG_LEN);
	return rc;
}

const struct wl_ops wl_cipher = {
	.name = "cipher",
	.summary = "seal or open one buffer in memory (no framing, no I/O)",
	.abi = WL_ABI,
	.flags = 0,
	.opts = cipher_opts,
	.opts_count = NCB_ARRAY_SIZE(cipher_opts),
	.opts_size = sizeof(struct cipher_opts),
	.setup = cipher_setup,
	.run_rep = cipher_run_rep,
	.teardown = cipher_teardown,
};
