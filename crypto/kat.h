/* Known-answer helpers shared by `ncbench kat` (bench/kat.c) and each
 * framing's vector family (crypto/X_kat.c, reached through its framing
 * ops): hex fields of a vector, and a run on every backend. */
#ifndef NCB_CRYPTO_KAT_H
#define NCB_CRYPTO_KAT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "io/ncb.h"

struct kat_bytes {
	uint8_t *p;
	size_t n;
};

struct kat_tally {
	unsigned passed, failed, skipped;
};

/* Decodes hex field `name` of v into out (caller frees out->p); 0, or
 * -EINVAL / -ENOMEM with e (may be NULL) naming the problem. */
NCB_MUST_CHECK int kat_get_hex(json_t *v, const char *name,
			       struct kat_bytes *out, const char *where,
			       struct ncb_err *e);

/* Runs check(x, backend) on every backend that offers alg and prints one
 * "ok"/"FAIL" line each (check returns NULL or why it failed), or one
 * "skip" line when none does. */
void kat_each_backend(const char *family, const char *name, const char *alg,
		      const char *mode, const void *x,
		      const char *(*check)(const void *x, const char *backend),
		      struct kat_tally *t);

/* Decodes the n hex fields names[] of v into out[] (caller frees with
 * kat_bytes_free, also after a failure); 0 or as kat_get_hex. */
NCB_MUST_CHECK int kat_get_hexes(json_t *v, const char *const *names,
				 size_t n, struct kat_bytes *out,
				 const char *where, struct ncb_err *e);
void kat_bytes_free(struct kat_bytes *b, size_t n);
/* b's bytes as a big-endian number (its first 8 bytes). */
uint64_t kat_be_num(const struct kat_bytes *b);

/* A vector's AEAD: alg on backend with key (all borrowed). */
struct aead_spec kat_aead(const char *alg, const char *backend,
			  const struct kat_bytes *key);

/* What kat_check_sealed needs of a framing's protocol. unit names its
 * packets in failure lines ("packet", "frame"), and why_tag the failure
 * of a changed last byte (the tag). sa_new makes an SA of
 * vector x on backend (0 or a negative errno; sa_free accepts NULL).
 * encap builds x's packet in pkt (len_max bytes) and seals it: its
 * length or a negative errno. decap opens pkt and returns its verdict;
 * on v_ok it also sets *why when what came out is not x's. */
struct kat_proto {
	const char *unit, *why_tag;
	size_t len_max;
	int (*sa_new)(void **sa, const void *x, const char *backend);
	void (*sa_free)(void *sa);
	long (*encap)(void *sa, uint8_t *pkt, const void *x);
	unsigned (*decap)(void *sa, uint8_t *pkt, size_t len, const void *x,
			  const char **why);
	unsigned v_ok, v_replay, v_tag;
};

/* The kat_proto of a family's file that defines these hooks as static
 * functions sa_new, sa_free, encap and decap. */
#define KAT_PROTO(unit_, why_tag_, len_max_, ok, replay, tag)             \
	{ .unit = (unit_), .why_tag = (why_tag_), .len_max = (len_max_),  \
	  .sa_new = sa_new, .sa_free = sa_free, .encap = encap,           \
	  .decap = decap, .v_ok = (ok), .v_replay = (replay),             \
	  .v_tag = (tag) }

/* A copy of the known packet with byte `at` changed, which a fresh SA
 * must refuse at its tag check; why says what it accepted otherwise. */
struct kat_flip {
	size_t at;
	const char *why;
};

/* The known-answer check of a sealed packet on backend: x's packet
 * encapsulated is want byte for byte, opens back to x, is refused when
 * delivered twice, and a changed last byte, then each flip, is refused
 * at the tag. NULL, or why
 * not (a constant string), for kat_each_backend. */
const char *kat_check_sealed(const struct kat_proto *p, const void *x,
			     const char *backend, const struct kat_bytes *want,
			     const struct kat_flip *flips, size_t n_flips);

/* A loaded vector's run: rc -ENOTSUP prints a "skip" line saying
 * skip_why, another error a "FAIL" line, else kat_each_backend. */
void kat_run_loaded(int rc, const char *skip_why, const char *family,
		    const char *name, const char *alg, const char *mode,
		    const void *x,
		    const char *(*check)(const void *x, const char *backend),
		    struct kat_tally *t);

/* Framing families, one file each: form check of one vector, and its run. */
NCB_MUST_CHECK int kat_esp_validate(json_t *v, const char *where,
				    struct ncb_err *e);
void kat_esp_run(json_t *v, struct kat_tally *t);
NCB_MUST_CHECK int kat_macsec_validate(json_t *v, const char *where,
				       struct ncb_err *e);
void kat_macsec_run(json_t *v, struct kat_tally *t);

/* Suite families, not framings (bench/kat.c lists them): the
 * encrypt-then-MAC suites ("etm", crypto/etm_kat.c). */
NCB_MUST_CHECK int kat_etm_validate(json_t *v, const char *where,
				    struct ncb_err *e);
void kat_etm_run(json_t *v, struct kat_tally *t);

#endif
