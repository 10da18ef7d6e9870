/* Encrypt-then-MAC known answers (family "etm", tests/vectors/etm.json):
 * suites rather than a framing, so `kat` reaches them through its own
 * table. Each vector is sealed in place and out of place to its
 * ciphertext and ICV exactly, opened back to its plaintext, and refused
 * (-EBADMSG, and out of place with nothing written to dst) when a byte of
 * its ICV, ciphertext, AAD, IV or tail is changed; twice in one burst, it
 * gives the same answers, and a changed ICV between good operations of a
 * burst fails alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/kat.h"

/* Required fields, then optional ones (absent: empty). */
static const char *const hex_fields[] = {
	"enc_key", "auth_key", "iv",  "aad", "plaintext", "ciphertext", "icv",
	"nonce",   "tail",     "spi", "seq", "packet",
};

enum { F_ENC, F_AUTH, F_IV, F_AAD, F_PT, F_CT, F_ICV, F_REQUIRED,
       F_NONCE = F_REQUIRED, F_TAIL, F_SPI, F_SEQ, F_PACKET, F_COUNT };

enum {
	ETM_KAT_LEN_MAX = 65536, /* plaintext */
	ETM_KAT_AAD_MAX = 1024,
	ETM_KAT_TAIL_MAX = 16,
	ETM_KAT_MARK = 0xa5,	 /* dst before an open that must fail */
	ETM_KAT_OPS = 3,	 /* operations in the burst checks */
	ETM_KAT_SPI_SEQ = 8,	 /* an ESP packet's SPI | Seq */
};

struct etm_vec {
	const char *alg, *origin;
	const struct aead_info *info;
	size_t icv_len;
	uint8_t key[AEAD_KEY_MAX];
	struct kat_bytes f[F_COUNT];
};

static int get_byte(json_t *v, const char *name, const char *where,
		    struct ncb_err *e)
{
	json_t *n = json_object_get(v, name);

	if (!json_is_integer(n) || json_integer_value(n) < 0 ||
	    json_integer_value(n) > 255)
		return ncb_errf(e, -EINVAL, "%s: \"%s\" is not 0..255", where,
				name);
	return 0;
}

/* The ESP fields of an RFC 3602 packet vector, when it has "packet". */
static int check_esp(json_t *v, const struct etm_vec *x, const char *where,
		     struct ncb_err *e)
{
	const struct kat_bytes *f = x->f;

	if (!json_object_get(v, "packet"))
		return 0;
	if (f[F_SPI].n != 4 || f[F_SEQ].n != 4)
		return ncb_errf(e, -EINVAL, "%s: a packet needs a 4-byte \"spi\" and \"seq\"",
				where);
	if (get_byte(v, "next_header", where, e) < 0 ||
	    get_byte(v, "pad_length", where, e) < 0)
		return -EINVAL;
	if (f[F_PACKET].n != ETM_KAT_SPI_SEQ + f[F_IV].n + f[F_CT].n + f[F_ICV].n)
		return ncb_errf(e, -EINVAL, "%s: \"packet\" is not as long as spi | seq | iv | ciphertext | icv",
				where);
	return 0;
}

/* Lengths against the suite: key parts, IV, ICV, block. */
static int check_lengths(const struct etm_vec *x, const char *where,
			 struct ncb_err *e)
{
	const struct aead_info *a = x->info;
	const struct kat_bytes *f = x->f;

	if (a->kind != AEAD_KIND_ETM)
		return ncb_errf(e, -EINVAL, "%s: '%s' is not an encrypt-then-MAC suite",
				where, x->alg);
	if (f[F_ENC].n != a->enc_key_len || f[F_AUTH].n != a->auth_key_len ||
	    f[F_NONCE].n != a->nonce_len)
		return ncb_errf(e, -EINVAL, "%s: enc_key, nonce or auth_key is not as long as %s takes",
				where, x->alg);
	if (f[F_IV].n != a->iv_len)
		return ncb_errf(e, -EINVAL, "%s: iv is not %zu bytes", where,
				a->iv_len);
	if (aead_check_icv_len(x->alg, x->icv_len) < 0 ||
	    f[F_ICV].n != x->icv_len)
		return ncb_errf(e, -EINVAL, "%s: icv_len is not one %s allows, or icv is not as long",
				where, x->alg);
	if (f[F_CT].n != f[F_PT].n || f[F_PT].n % a->block)
		return ncb_errf(e, -EINVAL, "%s: ciphertext and plaintext differ in length or are not whole blocks",
				where);
	return 0;
}

/* Loads v into x (x->f freed by the caller, also after a failure): 0,
 * -ENOTSUP for a suite ncbench does not have, or -EINVAL. */
static int vec_load(json_t *v, struct etm_vec *x, const char *where,
		    struct ncb_err *e)
{
	json_t *icv_len = json_object_get(v, "icv_len");
	struct kat_bytes *f = x->f;
	int rc;

	memset(x, 0, sizeof(*x));
	x->alg = json_string_value(json_object_get(v, "algorithm"));
	x->origin = json_string_value(json_object_get(v, "origin"));
	if (!x->alg)
		return ncb_errf(e, -EINVAL, "%s: \"algorithm\" missing", where);
	if (!x->origin || (strcmp(x->origin, "published") != 0 &&
			   strcmp(x->origin, "constructed") != 0))
		return ncb_errf(e, -EINVAL, "%s: \"origin\" is not \"published\" or \"constructed\"",
				where);
	if (!json_is_integer(icv_len) || json_integer_value(icv_len) < 1 ||
	    json_integer_value(icv_len) > AEAD_ICV_MAX)
		return ncb_errf(e, -EINVAL, "%s: \"icv_len\" is not 1..%d", where,
				AEAD_ICV_MAX);
	x->icv_len = (size_t)json_integer_value(icv_len);
	rc = kat_get_hexes(v, hex_fields, F_REQUIRED, f, where, e);
	for (size_t i = F_REQUIRED; rc == 0 && i < F_COUNT; i++)
		if (json_object_get(v, hex_fields[i]))
			rc = kat_get_hex(v, hex_fields[i], &f[i], where, e);
	if (rc < 0)
		return rc;
	if (f[F_PT].n > ETM_KAT_LEN_MAX || f[F_AAD].n > ETM_KAT_AAD_MAX ||
	    f[F_TAIL].n > ETM_KAT_TAIL_MAX)
		return ncb_errf(e, -EINVAL, "%s: plaintext, aad or tail longer than %d, %d or %d bytes",
				where, ETM_KAT_LEN_MAX, ETM_KAT_AAD_MAX,
				ETM_KAT_TAIL_MAX);
	rc = check_esp(v, x, where, e);
	if (rc < 0)
		return rc;
	x->info = aead_info(x->alg);
	if (!x->info)
		return -ENOTSUP; /* a later suite: skipped when run */
	rc = check_lengths(x, where, e);
	if (rc < 0)
		return rc;
	memcpy(x->key, f[F_ENC].p, f[F_ENC].n);
	if (f[F_NONCE].n)
		memcpy(x->key + f[F_ENC].n, f[F_NONCE].p, f[F_NONCE].n);
	memcpy(x->key + f[F_ENC].n + f[F_NONCE].n, f[F_AUTH].p, f[F_AUTH].n);
	return 0;
}

static void vec_free(struct etm_vec *x)
{
	explicit_bzero(x->key, sizeof(x->key));
	kat_bytes_free(x->f, F_COUNT);
}

int kat_etm_validate(json_t *v, const char *where, struct ncb_err *e)
{
	struct etm_vec x;
	int rc = vec_load(v, &x, where, e);

	vec_free(&x);
	return rc == -ENOTSUP ? 0 : rc;
}

/* Scratch of one check: ETM_KAT_OPS destinations and ICVs, a source, and
 * copies of the authenticated inputs to change. */
struct etm_run {
	struct aead_ctx *c;
	const struct etm_vec *x;
	size_t n;
	uint8_t *dst[ETM_KAT_OPS], *src, *aad;
	uint8_t icv[ETM_KAT_OPS][AEAD_ICV_MAX];
	uint8_t iv[AEAD_IV_MAX], tail[ETM_KAT_TAIL_MAX];
};

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static int untouched(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ETM_KAT_MARK)
			return 0;
	return 1;
}

/* Operation i of r on src into dst[i], the vector's IV, AAD and tail
 * (r's copies, which a tamper check changes). */
static struct aead_op op_of(struct etm_run *r, unsigned i, const uint8_t *src)
{
	const struct kat_bytes *f = r->x->f;

	return (struct aead_op){ .iv = r->iv, .aad = r->aad,
				 .aad_len = f[F_AAD].n, .src = src,
				 .dst = r->dst[i], .len = r->n,
				 .tail = f[F_TAIL].n ? r->tail : NULL,
				 .tail_len = f[F_TAIL].n, .icv = r->icv[i] };
}

static void restore(struct etm_run *r)
{
	const struct kat_bytes *f = r->x->f;

	memcpy(r->iv, f[F_IV].p, f[F_IV].n);
	memcpy(r->aad, f[F_AAD].p, f[F_AAD].n);
	if (f[F_TAIL].n)
		memcpy(r->tail, f[F_TAIL].p, f[F_TAIL].n);
	memcpy(r->src, f[F_CT].p, r->n);
	for (unsigned i = 0; i < ETM_KAT_OPS; i++) {
		memset(r->dst[i], ETM_KAT_MARK, r->n);
		memcpy(r->icv[i], f[F_ICV].p, f[F_ICV].n);
	}
}

/* One operation; 0 or its status. */
static int one(struct etm_run *r, struct aead_op *op, int is_seal)
{
	if (is_seal)
		aead_seal_burst(r->c, op, 1);
	else
		aead_open_burst(r->c, op, 1);
	return op->status;
}

static const char *check_seal(struct etm_run *r)
{
	const struct kat_bytes *f = r->x->f;
	struct aead_op op;

	restore(r);
	memcpy(r->dst[0], f[F_PT].p, r->n);
	op = op_of(r, 0, r->dst[0]);
	if (one(r, &op, 1) != 0)
		return "seal in place returned an error";
	if (!same(r->dst[0], f[F_CT].p, r->n))
		return "seal in place: ciphertext differs";
	if (!same(r->icv[0], f[F_ICV].p, f[F_ICV].n))
		return "seal in place: ICV differs";
	restore(r);
	memcpy(r->src, f[F_PT].p, r->n);
	op = op_of(r, 0, r->src);
	if (one(r, &op, 1) != 0)
		return "seal out of place returned an error";
	if (!same(r->dst[0], f[F_CT].p, r->n) ||
	    !same(r->icv[0], f[F_ICV].p, f[F_ICV].n))
		return "seal out of place: ciphertext or ICV differs";
	if (!same(r->src, f[F_PT].p, r->n))
		return "seal out of place changed its source";
	return NULL;
}

static const char *check_open(struct etm_run *r)
{
	const struct kat_bytes *f = r->x->f;
	struct aead_op op;

	restore(r);
	memcpy(r->dst[0], f[F_CT].p, r->n);
	op = op_of(r, 0, r->dst[0]);
	if (one(r, &op, 0) != 0)
		return "open in place refused the expected ICV";
	if (!same(r->dst[0], f[F_PT].p, r->n))
		return "open in place: plaintext differs";
	restore(r);
	op = op_of(r, 0, r->src);
	if (one(r, &op, 0) != 0)
		return "open out of place refused the expected ICV";
	if (!same(r->dst[0], f[F_PT].p, r->n))
		return "open out of place: plaintext differs";
	if (!same(r->src, f[F_CT].p, r->n))
		return "open out of place changed its source";
	return NULL;
}

/* What a tamper check changes: which byte of which copy. */
enum { T_ICV, T_CT, T_AAD, T_IV, T_TAIL, T_COUNT };

static uint8_t *tamper_at(struct etm_run *r, int what, size_t *len)
{
	const struct kat_bytes *f = r->x->f;
	uint8_t *const at[T_COUNT] = { r->icv[0], r->src, r->aad, r->iv,
				       r->tail };
	const size_t lens[T_COUNT] = { f[F_ICV].n, r->n, f[F_AAD].n,
				       f[F_IV].n, f[F_TAIL].n };

	*len = lens[what];
	return at[what];
}

/* A changed byte of each authenticated input: open out of place must
 * refuse it and leave dst as it was; a changed ICV in place too. */
static const char *check_tamper(struct etm_run *r)
{
	static const char *const whys[T_COUNT][2] = {
		{ "open accepted a changed ICV", "open wrote dst for a changed ICV" },
		{ "open accepted a changed ciphertext", "open wrote dst for a changed ciphertext" },
		{ "open accepted a changed AAD", "open wrote dst for a changed AAD" },
		{ "open accepted a changed IV", "open wrote dst for a changed IV" },
		{ "open accepted a changed tail", "open wrote dst for a changed tail" },
	};
	struct aead_op op;

	for (int t = 0; t < T_COUNT; t++) {
		size_t len;
		uint8_t *p;

		restore(r);
		p = tamper_at(r, t, &len);
		if (!len)
			continue;
		p[t == T_ICV ? len - 1 : len / 2] ^= 0x04;
		op = op_of(r, 0, r->src);
		if (one(r, &op, 0) != -EBADMSG)
			return whys[t][0];
		if (!untouched(r->dst[0], r->n))
			return whys[t][1];
	}
	restore(r);
	memcpy(r->dst[0], r->x->f[F_CT].p, r->n);
	r->icv[0][0] ^= 0x80;
	op = op_of(r, 0, r->dst[0]);
	if (one(r, &op, 0) != -EBADMSG)
		return "open in place accepted a changed ICV";
	return NULL;
}

/* The vector twice in one sealing burst; then three times in one opening
 * burst, the middle one with a changed ICV. */
static const char *check_burst(struct etm_run *r)
{
	const struct kat_bytes *f = r->x->f;
	struct aead_op ops[ETM_KAT_OPS];

	restore(r);
	memcpy(r->src, f[F_PT].p, r->n);
	for (unsigned i = 0; i < 2; i++)
		ops[i] = op_of(r, i, r->src);
	if (aead_seal_burst(r->c, ops, 2) != 2 || ops[0].status ||
	    ops[1].status)
		return "seal burst: an operation returned an error";
	for (unsigned i = 0; i < 2; i++)
		if (!same(r->dst[i], f[F_CT].p, r->n) ||
		    !same(r->icv[i], f[F_ICV].p, f[F_ICV].n))
			return "seal burst: ciphertext or ICV differs";
	restore(r);
	r->icv[1][f[F_ICV].n - 1] ^= 0x01;
	for (unsigned i = 0; i < ETM_KAT_OPS; i++)
		ops[i] = op_of(r, i, r->src);
	if (aead_open_burst(r->c, ops, ETM_KAT_OPS) != ETM_KAT_OPS - 1 ||
	    ops[0].status || ops[2].status || ops[1].status != -EBADMSG)
		return "open burst: statuses are not ok, -EBADMSG, ok";
	if (!same(r->dst[0], f[F_PT].p, r->n) ||
	    !same(r->dst[2], f[F_PT].p, r->n))
		return "open burst: plaintext differs";
	if (!untouched(r->dst[1], r->n))
		return "open burst wrote dst for a changed ICV";
	return NULL;
}

/* An RFC 3602 packet: SPI | Seq | IV | ciphertext | ICV, as sealed. */
static const char *check_packet(struct etm_run *r)
{
	const struct kat_bytes *f = r->x->f;
	const uint8_t *p = f[F_PACKET].p;
	size_t iv = f[F_IV].n, icv = f[F_ICV].n;
	struct aead_op op;

	if (!f[F_PACKET].n)
		return NULL;
	if (f[F_AAD].n != ETM_KAT_SPI_SEQ || !same(f[F_AAD].p, f[F_SPI].p, 4) ||
	    !same(f[F_AAD].p + 4, f[F_SEQ].p, 4))
		return "aad is not spi | seq";
	restore(r);
	memcpy(r->src, f[F_PT].p, r->n);
	op = op_of(r, 0, r->src);
	if (one(r, &op, 1) != 0)
		return "seal returned an error";
	if (!same(p, f[F_AAD].p, ETM_KAT_SPI_SEQ) ||
	    !same(p + ETM_KAT_SPI_SEQ, r->iv, iv) ||
	    !same(p + ETM_KAT_SPI_SEQ + iv, r->dst[0], r->n) ||
	    !same(p + ETM_KAT_SPI_SEQ + iv + r->n, r->icv[0], icv))
		return "packet is not spi | seq | iv | sealed ciphertext | ICV";
	return NULL;
}

static const char *check_all(struct etm_run *r)
{
	const char *(*const steps[])(struct etm_run *) = {
		check_seal, check_open, check_tamper, check_burst, check_packet,
	};
	const char *why = NULL;

	for (size_t i = 0; !why && i < NCB_ARRAY_SIZE(steps); i++)
		why = steps[i](r);
	return why;
}

static const char *check(const void *arg, const char *backend)
{
	const struct etm_vec *x = arg;
	const struct aead_spec spec = { x->alg, backend, x->key,
					x->info->key_len, x->icv_len };
	struct etm_run r = { .x = x, .n = x->f[F_PT].n };
	uint8_t *mem = malloc((ETM_KAT_OPS + 1) * (r.n + 1) + x->f[F_AAD].n + 1);
	const char *why;

	if (!mem)
		return "out of memory";
	for (unsigned i = 0; i < ETM_KAT_OPS; i++)
		r.dst[i] = mem + i * (r.n + 1);
	r.src = mem + ETM_KAT_OPS * (r.n + 1);
	r.aad = r.src + r.n + 1;
	if (aead_ctx_open(&r.c, &spec) < 0)
		why = "cannot create a context with this key";
	else
		why = check_all(&r);
	aead_ctx_free(r.c);
	free(mem);
	return why;
}

void kat_etm_run(json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	struct etm_vec x;
	int rc = vec_load(v, &x, name, NULL);

	kat_run_loaded(rc, "not a suite ncbench offers", "etm", name, x.alg,
		       x.origin, &x, check, t);
	vec_free(&x);
}
