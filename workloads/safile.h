/* SA files: the key material and wire identifiers of a case's SAs from a
 * file instead of random keys (run --sa-file), and a fresh file for a
 * case (`ncbench sa-file`). A JSON object (docs/DESIGN.md, "SA files"):
 *
 *   {"version": 1, "framing": "esp", "cipher": "aes-256-gcm",
 *    "options": {"mode": "tunnel", "esn": false, ...},
 *    "sas": [{"pair": 0, "direction": 0, "sa": 0, "spi": 256,
 *             "key": HEX, "salt": HEX, "src": "127.0.0.1",
 *             "dst": "127.0.0.1"}, ...]}
 *
 * The identifier's key and width are the framing's (struct
 * framing_ident: esp "spi", macsec "sci" as 16 hex digits, wg "index");
 * "key" is the encryption key (with AES-CTR's RFC 3686 nonce after it),
 * "auth_key" the authentication key of an encrypt-then-MAC suite, "salt"
 * what the framing reads after the key; "src"/"dst" are the outer
 * addresses of framings carried in IP (their captures' headers).
 *
 * Every byte of a file is hostile until checked; a file holds keys, so
 * it is read only when private (io/secret.h), and every buffer that
 * held its text or keys is wiped (Jansson's included). No message quotes
 * a key. */
#ifndef NCB_WORKLOADS_SAFILE_H
#define NCB_WORKLOADS_SAFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/ncb.h"

struct json_t;
struct pairs;
struct wl_case;
struct pattern_opts;

enum {
	SAFILE_VERSION = 1,
	SAFILE_BYTES_MAX = 64 << 20, /* a file's size */
	SAFILE_SAS_MAX = 1 << 18,    /* SAs in one file */
	SAFILE_SALT_MAX = FRAMING_KEYMAT - AEAD_KEY_MAX,
	SAFILE_DIRS = 2,             /* directions of a pair */
};

/* One SA of a file, decoded (holds keys: safile_free wipes it). */
struct safile_sa {
	uint32_t pair, dir, sa;
	uint64_t ident;              /* 0: the file gives none */
	uint8_t key[AEAD_KEY_MAX];   /* enc | [nonce] | auth, as keymat */
	size_t key_len;              /* the suite's whole key */
	uint8_t salt[SAFILE_SALT_MAX];
	size_t salt_len;
	int family;                  /* of src and dst: 4, 6, or 0: none */
	uint8_t src[16], dst[16];    /* network order, 4 or 16 bytes */
};

struct safile;

/* What a file is checked against and applied to: a case of framing f
 * with its option struct fopts and cipher, `pairs` pairs of `dirs`
 * directions (1 or 2) with `sas` SAs each, over IP `family`. */
struct safile_case {
	const struct framing_ops *f;
	const void *fopts;
	const char *cipher;
	unsigned pairs, dirs, sas;
	int family;
};

/* Parses len bytes of text (borrowed; the caller wipes it) from a file
 * named name (for messages): the form, versions, names, hex, lengths,
 * addresses, repeats. 0 and *out (caller frees with safile_free()), or
 * -EINVAL (-ENOMEM) with e. */
NCB_MUST_CHECK int safile_parse(struct safile **out, const char *text,
				size_t len, const char *name,
				struct ncb_err *e);
/* Reads path (a private regular file: io/secret.h, at most
 * SAFILE_BYTES_MAX bytes) and parses it; the text is wiped. As
 * safile_parse, and -EACCES, -ELOOP or -errno of the file. */
NCB_MUST_CHECK int safile_load(struct safile **out, const char *path,
			       struct ncb_err *e);
/* Wipes every key and frees; accepts NULL. */
void safile_free(struct safile *sf);
/* Wipes every string of j, object keys included, before it is freed: a
 * file's document may hold key material anywhere, a malformed one too.
 * (With ctl_init(), Jansson's own buffers are wiped when freed.) */
void safile_wipe_json(struct json_t *j);

/* The file's framing (found in the registry by safile_parse), cipher
 * (known to crypto/aead.h), option struct (the framing's defaults and
 * the file's "options") and SAs, borrowed from sf. */
const struct framing_ops *safile_framing(const struct safile *sf);
const char *safile_cipher(const struct safile *sf);
const void *safile_fopts(const struct safile *sf);
size_t safile_count(const struct safile *sf);
const struct safile_sa *safile_at(const struct safile *sf, size_t i);

/* Whether sf fits case k: its framing and cipher, the options it names
 * equal to the case's, key and salt lengths the case's, addresses of
 * the case's family, and exactly one SA of each (pair, direction, sa) of
 * the case (SAs beyond it are allowed and unused). 0 or -EINVAL with e. */
NCB_MUST_CHECK int safile_check(const struct safile *sf,
				const struct safile_case *k,
				struct ncb_err *e);
/* Once checked: each SA of the case into its description descs[(pair *
 * k->dirs + dir) * k->sas + sa] (key material, salt and identifier; the
 * rest of the description is left as it is). */
void safile_apply(const struct safile *sf, const struct safile_case *k,
		  struct framing_sa_desc *descs);

/* The case of c (a pattern's workload with options o) with dirs
 * directions, as SA files see it; fopts is the room for its framing's
 * option struct (FRAMING_OPTS_MAX bytes). */
void safile_case_of(struct safile_case *k, const struct wl_case *c,
		    const struct pattern_opts *o, unsigned dirs,
		    unsigned char *fopts);
/* run --sa-file: loads c->sa_file and checks it against the case of c
 * (a refusal before anything runs). 0 or a negative errno with e. */
NCB_MUST_CHECK int safile_check_path(const struct wl_case *c,
				     const struct pattern_opts *o,
				     unsigned dirs, struct ncb_err *e);
/* In pairs_open, after the descriptions are made: loads p's case's
 * c->sa_file, checks it and applies it to p->descs; the outer addresses
 * of pair 0's direction 0 go to p->outer for a capture. 0 or a negative
 * errno with e. */
NCB_MUST_CHECK int safile_apply_pairs(struct pairs *p, struct ncb_err *e);

/* `ncbench sa-file`: the text of a fresh file for case c (options o):
 * both directions of every pair with --sas SAs each, keys from
 * workloads/keys.c, identifiers as the framing chooses them, the
 * loopback addresses of the case's family. *text (NUL-terminated,
 * *len bytes) is the caller's: wipe it, then free(). 0 or a negative
 * errno with e. */
NCB_MUST_CHECK int safile_make(const struct wl_case *c,
			       const struct pattern_opts *o, char **text,
			       size_t *len, struct ncb_err *e);

#endif
