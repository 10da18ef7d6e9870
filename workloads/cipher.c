/* The `cipher` workload: seal (or open) a burst of buffers in memory,
 * again and again, per worker thread, one crypto call per burst (--burst;
 * 1 is one call per buffer). No framing and no I/O: the upper bound every
 * network workload is measured against. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "io/pin.h"
#include "workloads/keys.h"
#include "workloads/team.h"
#include "workloads/wl.h"

enum cipher_dir { DIR_SEAL, DIR_OPEN };

enum {
	/* ESP-sized AAD (SPI | sequence number), so the per-packet cost
	 * includes the AAD pass a real framing pays. */
	AAD_LEN = 8,
	BURST_DEFAULT = 32,
};

struct cipher_opts {
	unsigned direction, burst, icv_len;
};

static const char *const directions[] = { "seal", "open", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct cipher_opts, f), d, h, c }
static const struct ncb_opt cipher_opts[] = {
	OPT("direction", NCB_OPT_CHOICE, direction, "seal",
	    "seal or open one buffer per unit of work", directions),
	OPT("burst", NCB_OPT_UINT, burst, "32",
	    "buffers per crypto call (1..64; 1: one call per buffer)", NULL),
	OPT("icv-len", NCB_OPT_UINT, icv_len, "0",
	    "ICV bytes of an encrypt-then-MAC suite (0: the suite's own)", NULL),
};
#undef OPT

/* One buffer of a burst, laid out as a packet: AAD | IV | data | ICV,
 * contiguous, so an engine can hash AAD, IV and ciphertext in one pass
 * as it does inside an ESP packet. Open reads src (sealed once, at
 * prepare) and writes dst, so every open verifies for real. */
struct slot {
	uint8_t *src, *dst;
};

struct worker {
	const struct wl_case *c;
	const struct aead_info *info;
	unsigned dir, burst;
	size_t len, icv_len; /* data bytes (padded to the block), ICV */
	struct aead_ctx *ctx;
	uint8_t *mem;
	struct slot slots[AEAD_BURST_MAX];
	struct aead_op ops[AEAD_BURST_MAX];
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

/* Data bytes per buffer: the size, padded to the suite's block as ESP
 * pads it (a CBC suite encrypts whole blocks). */
static size_t data_len(const struct aead_info *a, size_t size)
{
	return (size + a->block - 1) / a->block * a->block;
}

static size_t slot_len(const struct worker *w)
{
	return (AAD_LEN + AEAD_IV_MAX + w->len + AEAD_ICV_MAX + 63) &
	       ~(size_t)63;
}

/* The IV field of a buffer for number seq: a counter, as ESP's IV is for
 * the AEADs and AES-CTR (in its last 8 bytes); zuc-128's COUNT is its
 * first 4, BEARER and DIRECTION 0 (aead.h). */
static void set_iv(const struct worker *w, uint8_t *iv, uint64_t seq)
{
	if (w->info->iv_len >= 8 && strcmp(w->info->name, "zuc-128"))
		ncb_put_be64(iv + w->info->iv_len - 8, seq);
	else
		ncb_put_be32(iv, (uint32_t)seq);
}

/* Points op i at its slot for number seq (sealed in place). */
static void aim(struct worker *w, unsigned i, uint64_t seq)
{
	struct aead_op *op = &w->ops[i];
	uint8_t *p = w->slots[i].src;
	uint8_t *iv = p + AAD_LEN;
	uint8_t *data = iv + w->info->iv_len;

	ncb_put_be64(p, seq);
	memset(iv, 0, w->info->iv_len);
	set_iv(w, iv, seq);
	*op = (struct aead_op){ .iv = iv, .aad = p, .aad_len = AAD_LEN,
				.src = data, .dst = data, .len = w->len,
				.icv = data + w->len };
}

static int worker_prepare(void *arg, struct ncb_err *e)
{
	struct worker *w = arg;
	uint8_t key[AEAD_KEY_MAX];
	struct aead_spec spec = { w->c->cipher, w->c->backend, key,
				  w->info->key_len, w->icv_len };
	size_t sl = slot_len(w);
	int rc;

	/* Allocated here, in the pinned thread, so pages are local. */
	w->mem = aligned_alloc(64, sl * 2 * w->burst);
	if (!w->mem)
		return ncb_errf(e, -ENOMEM, "out of memory for %u buffers of %zu bytes",
				w->burst, w->c->size);
	for (size_t i = 0; i < sl * 2 * w->burst; i++)
		w->mem[i] = (uint8_t)i;
	for (unsigned i = 0; i < w->burst; i++) {
		w->slots[i].src = w->mem + sl * 2 * i;
		w->slots[i].dst = w->slots[i].src + sl;
	}
	rc = keys_fill(key, w->info->key_len, e);
	if (rc == 0) {
		rc = aead_ctx_open(&w->ctx, &spec);
		if (rc < 0)
			ncb_errf(e, rc, "cannot create %s context with backend %s",
				 w->c->cipher, w->c->backend);
	}
	explicit_bzero(key, sizeof(key));
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < w->burst; i++)
		aim(w, i, ++w->seq);
	if (w->dir == DIR_SEAL)
		return 0;
	/* Open: each slot holds a packet sealed once, opened again and
	 * again out of place. */
	if (aead_seal_burst(w->ctx, w->ops, w->burst) != w->burst)
		return ncb_errf(e, -EIO, "%s/%s: cannot prepare open buffers",
				w->c->cipher, w->c->backend);
	for (unsigned i = 0; i < w->burst; i++)
		w->ops[i].dst = w->slots[i].dst;
	return 0;
}

/* Per burst: new numbers in every buffer's AAD and IV, then one call.
 * At least one burst, also when the stop came before this thread got
 * its PU: a repetition never measures nothing. */
static void run_seal(struct worker *w, const atomic_int *stop)
{
	uint64_t n = 0, fail = 0, seq = w->seq;
	unsigned k = w->burst;

	do {
		for (unsigned i = 0; i < k; i++) {
			seq++;
			ncb_put_be64(w->slots[i].src, seq);
			set_iv(w, (uint8_t *)w->ops[i].iv, seq);
		}
		fail += k - aead_seal_burst(w->ctx, w->ops, k);
		n += k;
	} while (!atomic_load_explicit(stop, memory_order_relaxed));
	w->seq = seq;
	w->packets = n;
	w->failures = fail;
}

static void run_open(struct worker *w, const atomic_int *stop)
{
	uint64_t n = 0, fail = 0;
	unsigned k = w->burst;

	do {
		fail += k - aead_open_burst(w->ctx, w->ops, k);
		n += k;
	} while (!atomic_load_explicit(stop, memory_order_relaxed));
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
	free(w->mem);
	w->mem = NULL;
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

static int cipher_check(const struct wl_case *c, const void *opts,
			struct ncb_err *e)
{
	const struct cipher_opts *o = opts;
	const struct aead_info *a = aead_info(c->cipher);
	size_t max;

	if (o->burst < 1 || o->burst > AEAD_BURST_MAX)
		return ncb_errf(e, -EINVAL, "--burst: %u is out of range 1..%d",
				o->burst, AEAD_BURST_MAX);
	if (aead_check_icv_len(c->cipher, o->icv_len) < 0)
		return ncb_errf(e, -EINVAL,
				"--icv-len: %s has no %u-byte ICV", c->cipher,
				o->icv_len);
	max = aead_max_len(c->cipher, c->backend);
	if (max && AAD_LEN + a->iv_len + data_len(a, c->size) > max)
		return ncb_errf(e, -EMSGSIZE,
				"--size %zu: %s on %s authenticates at most %zu bytes a call (AAD and IV included)",
				c->size, c->cipher, c->backend, max);
	return 0;
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
		s->w[i].info = aead_info(c->cipher);
		s->w[i].dir = o->direction;
		s->w[i].burst = o->burst;
		s->w[i].len = data_len(s->w[i].info, c->size);
		s->w[i].icv_len = o->icv_len ? o->icv_len
					     : s->w[i].info->icv_len;
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
	const struct worker *w = &s->w[0];
	int rc = team_rep(s->team, seconds, out);

	for (size_t i = 0; i < s->n; i++) {
		out->packets += s->w[i].packets;
		out->auth_fail += s->w[i].failures;
	}
	out->bytes = out->packets * w->c->size;
	out->wire_bytes = out->packets * (w->len + w->icv_len);
	return rc;
}

const struct wl_ops wl_cipher = {
	.name = "cipher",
	.summary = "seal or open buffers in memory, a burst per crypto call (no framing, no I/O)",
	.abi = WL_ABI,
	.flags = 0,
	.opts = cipher_opts,
	.opts_count = NCB_ARRAY_SIZE(cipher_opts),
	.opts_size = sizeof(struct cipher_opts),
	.check = cipher_check,
	.setup = cipher_setup,
	.run_rep = cipher_run_rep,
	.teardown = cipher_teardown,
};
