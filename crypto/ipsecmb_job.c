/* intel-ipsec-mb's job manager for the ipsec-mb backend's
 * encrypt-then-MAC suites. A burst is submitted as jobs, then the manager
 * is flushed: the multi-buffer code (AES-CBC, HMAC-SHA, ZUC: 4 to 16
 * lanes) works on many buffers at once, where one buffer at a time leaves
 * all lanes but one idle.
 *
 * The ICV is the MAC of AAD | IV | ciphertext | tail (aead.h), and the
 * library hashes one run of memory. When an operation's AAD, IV and
 * ciphertext lie one after the other (ESP's layout) the job hashes them
 * where they are; the tail (the high half of an ESN) is then written
 * where the ICV goes, right after the ciphertext, for the MAC only, as
 * DPDK does (open sets the received ICV aside first). Any other layout
 * runs alone through a scratch copy. Open hashes the whole burst, checks
 * each ICV, and only then decrypts the operations that passed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ipsecmb_job.h"

/* One kind of job per pass over the manager. */
enum step {
	STEP_SEAL,    /* encrypt, then MAC the result: one chained job */
	STEP_ENCRYPT, /* cipher only */
	STEP_DECRYPT,
	STEP_MAC,     /* MAC only, over slot->region */
};

/* 0 if the library takes op in one job, else its status: -EINVAL (a
 * length that is not a multiple of the block) or -EMSGSIZE. */
static int check_op(const struct ipsecmb_state *s, const struct aead_op *op)
{
	const struct aead_info *a = s->info;
	size_t max = s->max_len;

	if (op->len % a->block)
		return -EINVAL;
	if (op->len > max || op->aad_len > max || op->tail_len > max ||
	    op->aad_len + a->iv_len + op->len + op->tail_len > max)
		return -EMSGSIZE;
	return 0;
}

/* The IVs the cipher and the MAC take, made from the IV as sent. */
static void make_ivs(const struct ipsecmb_state *s, const struct aead_op *op,
		     struct ipsecmb_slot *sl)
{
	const uint8_t *iv = op->iv;
	uint32_t count;

	if (s->alg == AEAD_ALG_AES_128_CTR_HMAC_SHA256) {
		/* RFC 3686 §4: nonce | IV; the library appends the block
		 * counter, from 1, to a 12-byte IV. */
		memcpy(sl->iv, s->ctr_nonce, sizeof(s->ctr_nonce));
		memcpy(sl->iv + sizeof(s->ctr_nonce), iv, 8);
	} else if (s->alg == AEAD_ALG_ZUC_128) {
		/* COUNT | BEARER << 3 | DIRECTION << 2 (aead.h); the library
		 * builds the 128-EEA3 and 128-EIA3 IVs of TS 35.221 from
		 * those three. The IV's other bits, zero as aead.h lays it
		 * out, are not read here; the MAC covers them with the IV
		 * as sent, so a change in them is still refused. */
		count = (uint32_t)iv[0] << 24 | (uint32_t)iv[1] << 16 |
			(uint32_t)iv[2] << 8 | iv[3];
		zuc_eea3_iv_gen(count, iv[4] >> 3, (iv[4] >> 2) & 1, sl->iv);
		zuc_eia3_iv_gen(count, iv[4] >> 3, (iv[4] >> 2) & 1,
				sl->auth_iv);
	}
}

/* Where the MAC's input starts if it lies where the operation's parts
 * are: AAD, IV and ciphertext ct one after the other, and the tail (if
 * any) fitting where the ICV goes, right after ct. NULL otherwise. */
static const uint8_t *in_place(const struct ipsecmb_state *s,
			       const struct aead_op *op, const uint8_t *ct)
{
	if (op->aad_len && op->aad + op->aad_len != op->iv)
		return NULL;
	if (op->iv + s->info->iv_len != ct)
		return NULL;
	if (op->tail_len && (op->icv != ct + op->len ||
			     op->tail_len > s->icv_len))
		return NULL;
	return op->aad_len ? op->aad : op->iv;
}

static size_t region_len(const struct ipsecmb_state *s,
			 const struct aead_op *op)
{
	return op->aad_len + s->info->iv_len + op->len + op->tail_len;
}

/* The cipher part of job j: len bytes from src + off to dst. */
static void set_cipher(const struct ipsecmb_state *s, IMB_JOB *j, int is_enc,
		       const struct aead_op *op, const uint8_t *src, size_t off,
		       const struct ipsecmb_slot *sl)
{
	j->cipher_direction = is_enc ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	j->src = src;
	j->dst = op->dst;
	j->cipher_start_src_offset_in_bytes = off;
	j->msg_len_to_cipher_in_bytes = op->len;
	/* The library refuses empty CBC, CTR and EEA3 runs. */
	j->cipher_mode = op->len ? s->cipher : IMB_CIPHER_NULL;
	j->key_len_in_bytes = s->info->enc_key_len;
	if (s->alg == AEAD_ALG_ZUC_128) {
		j->enc_keys = j->dec_keys = s->key;
		j->iv = sl->iv;
		j->iv_len_in_bytes = IPSECMB_BLOCK;
	} else if (s->alg == AEAD_ALG_AES_128_CTR_HMAC_SHA256) {
		j->enc_keys = j->dec_keys = s->enc_keys;
		j->iv = sl->iv;
		j->iv_len_in_bytes = 12;
	} else {
		j->enc_keys = s->enc_keys;
		j->dec_keys = s->dec_keys;
		j->iv = op->iv;
		j->iv_len_in_bytes = IPSECMB_BLOCK;
	}
}

/* The MAC part of job j: len bytes from j->src, into sl->tag. */
static void set_mac(const struct ipsecmb_state *s, IMB_JOB *j, size_t len,
		    struct ipsecmb_slot *sl)
{
	j->hash_alg = s->hash;
	j->hash_start_src_offset_in_bytes = 0;
	j->auth_tag_output = sl->tag;
	/* The full MAC: the library truncates HMAC to the RFCs' 96/128
	 * bits only, and the context's ICV may be longer. */
	j->auth_tag_output_len_in_bytes = s->digest_len;
	if (s->alg == AEAD_ALG_ZUC_128) {
		j->msg_len_to_hash_in_bits = len * 8;
		j->u.ZUC_EIA3._key = s->auth_key;
		j->u.ZUC_EIA3._iv = sl->auth_iv;
	} else {
		j->msg_len_to_hash_in_bytes = len;
		j->u.HMAC._hashed_auth_key_xor_ipad = s->ipad;
		j->u.HMAC._hashed_auth_key_xor_opad = s->opad;
	}
}

static void fill(struct ipsecmb_state *s, IMB_JOB *j, enum step step,
		 struct aead_op *op, struct ipsecmb_slot *sl)
{
	size_t head = op->aad_len + s->info->iv_len;

	j->user_data = op;
	switch (step) {
	case STEP_SEAL:
		/* In place: the cipher writes over the plaintext the hash
		 * then reads (the library hashes src, never dst). */
		j->chain_order = IMB_ORDER_CIPHER_HASH;
		set_cipher(s, j, 1, op, sl->region, head, sl);
		set_mac(s, j, sl->region_len, sl);
		return;
	case STEP_ENCRYPT:
	case STEP_DECRYPT:
		j->chain_order = IMB_ORDER_CIPHER_HASH;
		set_cipher(s, j, step == STEP_ENCRYPT, op, op->src, 0, sl);
		j->hash_alg = IMB_AUTH_NULL;
		return;
	case STEP_MAC:
		j->chain_order = IMB_ORDER_HASH_CIPHER;
		j->cipher_mode = IMB_CIPHER_NULL;
		j->cipher_direction = IMB_DIR_ENCRYPT;
		j->src = sl->region;
		j->msg_len_to_cipher_in_bytes = 0;
		set_mac(s, j, sl->region_len, sl);
		return;
	}
}

static void reap(IMB_JOB *const *jobs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct aead_op *op = jobs[i]->user_data;

		/* check_op lets through only what the library takes. */
		op->status =
			jobs[i]->status == IMB_STATUS_COMPLETED ? 0 : -EINVAL;
	}
}

/* One pass: the step's job for ops[idx[0..k-1]], submitted together, then
 * flushed; each op's status is its job's outcome. The manager is empty
 * before and after. */
static void run(struct ipsecmb_state *s, struct aead_op *ops,
		const uint8_t *idx, unsigned k, enum step step)
{
	IMB_JOB *jobs[AEAD_BURST_MAX];
	unsigned done;

	if (!k)
		return;
	/* An empty queue has IMB_MAX_JOBS free jobs, more than k. */
	if (IMB_GET_NEXT_BURST(s->mgr, k, jobs) != k)
		goto fail;
	for (unsigned i = 0; i < k; i++)
		fill(s, jobs[i], step, &ops[idx[i]], &s->slot[idx[i]]);
	done = IMB_SUBMIT_BURST(s->mgr, k, jobs);
	if (!done && imb_get_errno(s->mgr))
		goto fail; /* nothing was submitted */
	reap(jobs, done);
	while ((done = IMB_FLUSH_BURST(s->mgr, AEAD_BURST_MAX, jobs)))
		reap(jobs, done);
	return;
fail:
	for (unsigned i = 0; i < k; i++)
		ops[idx[i]].status = -EINVAL;
}

/* Runs op i alone in step, with the status it ends with. */
static int run_one(struct ipsecmb_state *s, struct aead_op *ops, unsigned i,
		   enum step step)
{
	const uint8_t idx = (uint8_t)i;

	run(s, ops, &idx, 1, step);
	return ops[i].status;
}

/* Points op's slot at the MAC's input, with ciphertext ct: where it
 * lies, the tail put where the ICV goes (an open sets the ICV aside
 * first), or else a copy in the scratch buffer. */
static void place(struct ipsecmb_state *s, struct aead_op *op,
		  struct ipsecmb_slot *sl, const uint8_t *ct)
{
	const uint8_t *start = in_place(s, op, ct);
	uint8_t *p = s->scratch;

	sl->region_len = region_len(s, op);
	if (start) {
		sl->region = start;
		if (op->tail_len)
			memmove(op->icv, op->tail, op->tail_len);
		return;
	}
	sl->region = p;
	if (op->aad_len)
		memcpy(p, op->aad, op->aad_len);
	p += op->aad_len;
	memcpy(p, op->iv, s->info->iv_len);
	p += s->info->iv_len;
	if (op->len)
		memcpy(p, ct, op->len);
	p += op->len;
	if (op->tail_len)
		memcpy(p, op->tail, op->tail_len);
}

/* A seal whose MAC input is not where the chained job can hash it: the
 * cipher first, then the MAC where the ciphertext landed, or on a copy. */
static void seal_alone(struct ipsecmb_state *s, struct aead_op *ops,
		       unsigned i)
{
	struct aead_op *op = &ops[i];
	struct ipsecmb_slot *sl = &s->slot[i];

	make_ivs(s, op, sl);
	if (op->len && run_one(s, ops, i, STEP_ENCRYPT) < 0)
		return;
	place(s, op, sl, op->dst);
	if (run_one(s, ops, i, STEP_MAC) == 0)
		memcpy(op->icv, sl->tag, s->icv_len);
}

/* An open whose MAC input must be copied: MAC, check, then decrypt. */
static void open_alone(struct ipsecmb_state *s, struct aead_op *ops,
		       unsigned i)
{
	struct aead_op *op = &ops[i];
	struct ipsecmb_slot *sl = &s->slot[i];

	make_ivs(s, op, sl);
	place(s, op, sl, op->src);
	if (run_one(s, ops, i, STEP_MAC) < 0)
		return;
	op->status = aead_icv_cmp(sl->tag, op->icv, s->icv_len);
	if (op->status == 0 && op->len)
		run_one(s, ops, i, STEP_DECRYPT);
}

static unsigned count_ok(const struct aead_op *ops, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += ops[i].status == 0;
	return ok;
}

static unsigned seal_burst(struct ipsecmb_state *s, struct aead_op *ops,
			   unsigned n)
{
	uint8_t idx[AEAD_BURST_MAX], alone[AEAD_BURST_MAX];
	unsigned k = 0, m = 0;

	for (unsigned i = 0; i < n; i++) {
		struct aead_op *op = &ops[i];
		struct ipsecmb_slot *sl = &s->slot[i];

		op->status = check_op(s, op);
		if (op->status < 0)
			continue;
		if (op->src == op->dst && in_place(s, op, op->dst)) {
			make_ivs(s, op, sl);
			place(s, op, sl, op->dst);
			idx[k++] = (uint8_t)i;
		} else {
			alone[m++] = (uint8_t)i;
		}
	}
	run(s, ops, idx, k, STEP_SEAL);
	for (unsigned i = 0; i < k; i++)
		if (ops[idx[i]].status == 0)
			memcpy(ops[idx[i]].icv, s->slot[idx[i]].tag,
			       s->icv_len);
	for (unsigned i = 0; i < m; i++)
		seal_alone(s, ops, alone[i]);
	return count_ok(ops, n);
}

static unsigned open_burst(struct ipsecmb_state *s, struct aead_op *ops,
			   unsigned n)
{
	uint8_t idx[AEAD_BURST_MAX], alone[AEAD_BURST_MAX];
	unsigned k = 0, m = 0, ok = 0;

	for (unsigned i = 0; i < n; i++) {
		struct aead_op *op = &ops[i];
		struct ipsecmb_slot *sl = &s->slot[i];

		op->status = check_op(s, op);
		if (op->status < 0)
			continue;
		if (in_place(s, op, op->src)) {
			make_ivs(s, op, sl);
			memcpy(sl->icv, op->icv, s->icv_len);
			place(s, op, sl, op->src);
			idx[k++] = (uint8_t)i;
		} else {
			alone[m++] = (uint8_t)i;
		}
	}
	/* Every ICV of the burst first, in constant time each; then only
	 * the authentic ones are decrypted. */
	run(s, ops, idx, k, STEP_MAC);
	for (unsigned i = 0; i < k; i++) {
		struct aead_op *op = &ops[idx[i]];
		struct ipsecmb_slot *sl = &s->slot[idx[i]];

		if (op->tail_len)
			memcpy(op->icv, sl->icv, s->icv_len);
		if (op->status == 0)
			op->status = aead_icv_cmp(sl->tag, sl->icv, s->icv_len);
		if (op->status == 0 && op->len)
			idx[ok++] = idx[i];
	}
	run(s, ops, idx, ok, STEP_DECRYPT);
	for (unsigned i = 0; i < m; i++)
		open_alone(s, ops, alone[i]);
	return count_ok(ops, n);
}

/* A longer burst than the slots go AEAD_BURST_MAX operations at a time. */
static unsigned chunk(unsigned left)
{
	return left < AEAD_BURST_MAX ? left : AEAD_BURST_MAX;
}

unsigned ipsecmb_job_seal(struct ipsecmb_state *s, struct aead_op *ops,
			  unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i += AEAD_BURST_MAX)
		ok += seal_burst(s, ops + i, chunk(n - i));
	return ok;
}

unsigned ipsecmb_job_open(struct ipsecmb_state *s, struct aead_op *ops,
			  unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i += AEAD_BURST_MAX)
		ok += open_burst(s, ops + i, chunk(n - i));
	return ok;
}

/* HMAC's keyed inner and outer starting states (RFC 2104 §2): the hash
 * of one block, key xor ipad / opad, computed once per context. */
static void hmac_pads(struct ipsecmb_state *s, const uint8_t *key, size_t len)
{
	uint8_t block[64]; /* SHA-1 and SHA-256 block; keys are shorter */

	for (int pass = 0; pass < 2; pass++) {
		memset(block, pass ? 0x5c : 0x36, sizeof(block));
		for (size_t i = 0; i < len; i++)
			block[i] ^= key[i];
		if (s->hash == IMB_AUTH_HMAC_SHA_1)
			IMB_SHA1_ONE_BLOCK(s->mgr, block,
					   pass ? s->opad : s->ipad);
		else
			IMB_SHA256_ONE_BLOCK(s->mgr, block,
					     pass ? s->opad : s->ipad);
	}
	explicit_bzero(block, sizeof(block));
}

int ipsecmb_job_key_etm(struct ipsecmb_state *s, const uint8_t *key)
{
	const struct aead_info *a = s->info;
	const uint8_t *auth = key + a->enc_key_len + a->nonce_len;

	s->max_len = IPSECMB_HMAC_MAX;
	switch (s->alg) {
	case AEAD_ALG_AES_128_CBC_HMAC_SHA1:
		s->hash = IMB_AUTH_HMAC_SHA_1;
		s->digest_len = 20;
		break;
	case AEAD_ALG_AES_128_CBC_HMAC_SHA256:
	case AEAD_ALG_AES_256_CBC_HMAC_SHA256:
	case AEAD_ALG_AES_128_CTR_HMAC_SHA256:
		s->hash = IMB_AUTH_HMAC_SHA_256;
		s->digest_len = 32;
		break;
	case AEAD_ALG_ZUC_128:
		s->cipher = IMB_CIPHER_ZUC_EEA3;
		s->hash = IMB_AUTH_ZUC_EIA3_BITLEN;
		s->digest_len = 4;
		s->max_len = IPSECMB_ZUC_MAX;
		memcpy(s->key, key, 16);
		memcpy(s->auth_key, auth, 16);
		break;
	default:
		return -ENOTSUP;
	}
	if (s->alg != AEAD_ALG_ZUC_128) {
		s->cipher = s->alg == AEAD_ALG_AES_128_CTR_HMAC_SHA256
				    ? IMB_CIPHER_CNTR
				    : IMB_CIPHER_CBC;
		if (a->enc_key_len == 32)
			IMB_AES_KEYEXP_256(s->mgr, key, s->enc_keys,
					   s->dec_keys);
		else
			IMB_AES_KEYEXP_128(s->mgr, key, s->enc_keys,
					   s->dec_keys);
		memcpy(s->ctr_nonce, key + a->enc_key_len, a->nonce_len);
		hmac_pads(s, auth, a->auth_key_len);
	}
	s->scratch = malloc(IPSECMB_SCRATCH);
	s->slot = aligned_alloc(16, sizeof(*s->slot) * AEAD_BURST_MAX);
	return s->scratch && s->slot ? 0 : -ENOMEM;
}
