/* Known-answer tests. Every file is read and checked for form first, so a
 * malformed file is refused (exit 2) before any result line is printed.
 * Each AEAD vector is then sealed and opened on every backend offering its
 * algorithm, and opened again with a changed tag, AAD and ciphertext, which
 * must be rejected. Other families bring their own form check and run: a
 * framing's (its ops) or a suite family's (the table below). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench/kat.h"
#include "crypto/kat.h"
#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/ncb_cli.h"

enum { KAT_FILES_MAX = 64 };

/* Families whose framing is not implemented yet: accepted, skipped. */
static const char *const aead_families[] = { "aes-gcm", "chacha20-poly1305",
					     "sm4" };

/* A family with its own vector form: a suite family of this table, or a
 * framing's (crypto/framing.h). */
struct kat_family {
	int (*validate)(json_t *v, const char *where, struct ncb_err *e);
	void (*run)(json_t *v, struct kat_tally *t);
};

static const struct {
	const char *name;
	struct kat_family f;
} suite_families[] = {
	{ "etm", { kat_etm_validate, kat_etm_run } },
};

/* The family called name, or NULL for the plain AEAD families. */
static const struct kat_family *find_family(const char *name,
					    struct kat_family *buf)
{
	const struct framing_ops *f = framing_find_kat(name);

	for (size_t i = 0; i < NCB_ARRAY_SIZE(suite_families); i++)
		if (strcmp(name, suite_families[i].name) == 0)
			return &suite_families[i].f;
	if (!f)
		return NULL;
	*buf = (struct kat_family){ f->kat_validate, f->kat_run };
	return buf;
}

/* Names and algorithms are printed on every result line: a control byte
 * (newline, escape sequence) would forge lines or drive the terminal. */
static int is_printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int is_in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Checks the form of a whole file. */
static int validate(json_t *root, const char *file, struct ncb_err *e)
{
	const char *family = json_string_value(json_object_get(root, "family"));
	json_t *vectors = json_object_get(root, "vectors");
	const struct kat_family *fam;
	struct kat_family buf;
	size_t i;
	json_t *v;

	if (!json_is_object(root) || !family)
		return ncb_errf(e, -EINVAL, "%s: no \"family\" string", file);
	if (!json_is_array(vectors))
		return ncb_errf(e, -EINVAL, "%s: no \"vectors\" array", file);
	fam = find_family(family, &buf);
	if (!is_in(family, aead_families, NCB_ARRAY_SIZE(aead_families)) && !fam)
		return ncb_errf(e, -EINVAL, "%s: unknown family '%s'", file,
				family);
	json_array_foreach(vectors, i, v) {
		static const char *const hex[] = { "key", "nonce", "aad",
						   "plaintext", "ciphertext",
						   "tag" };
		char where[512];
		const char *alg, *name = json_string_value(json_object_get(v, "name"));

		snprintf(where, sizeof(where), "%s: vector %zu", file, i);
		if (!json_is_object(v) || !name)
			return ncb_errf(e, -EINVAL, "%s: no \"name\"", where);
		if (!is_printable(name) ||
		    !is_printable(json_string_value(json_object_get(v, "algorithm"))))
			return ncb_errf(e, -EINVAL,
					"%s: \"name\" or \"algorithm\" holds control characters",
					where);
		snprintf(where, sizeof(where), "%s: vector %s", file, name);
		if (fam) {
			int rc = fam->validate(v, where, e);

			if (rc < 0)
				return rc;
			continue;
		}
		alg = json_string_value(json_object_get(v, "algorithm"));
		if (!alg)
			return ncb_errf(e, -EINVAL, "%s: no \"algorithm\"", where);
		if (!aead_key_len(alg))
			continue; /* not an ncbench AEAD: skipped later */
		for (size_t k = 0; k < NCB_ARRAY_SIZE(hex); k++) {
			struct kat_bytes b;
			int rc = kat_get_hex(v, hex[k], &b, where, e);

			free(b.p);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* Seal, open, and three forgeries. NULL on success, else what failed. */
static const char *check(struct aead_ctx *c, const struct kat_bytes *nonce,
			 const struct kat_bytes *aad, const struct kat_bytes *pt,
			 const struct kat_bytes *ct, const struct kat_bytes *tag)
{
	size_t n = pt->n;
	uint8_t *buf = malloc(n + 1), *aad2 = malloc(aad->n + 1);
	uint8_t t[AEAD_TAG_LEN], bad[AEAD_TAG_LEN];
	const char *why = NULL;

	if (!buf || !aad2) {
		why = "out of memory";
		goto out;
	}
	memcpy(buf, pt->p, n);
	if (aead_seal(c, nonce->p, aad->p, aad->n, buf, n, t) < 0)
		why = "seal returned an error";
	else if (!same(buf, ct->p, n))
		why = "seal: ciphertext differs";
	else if (!same(t, tag->p, AEAD_TAG_LEN))
		why = "seal: tag differs";
	if (why)
		goto out;
	if (aead_open(c, nonce->p, aad->p, aad->n, buf, n, tag->p) < 0)
		why = "open rejected the expected tag";
	else if (!same(buf, pt->p, n))
		why = "open: plaintext differs";
	if (why)
		goto out;
	memcpy(bad, tag->p, AEAD_TAG_LEN);
	bad[AEAD_TAG_LEN - 1] ^= 0x01;
	memcpy(buf, ct->p, n);
	if (aead_open(c, nonce->p, aad->p, aad->n, buf, n, bad) != -EBADMSG) {
		why = "open accepted a changed tag";
		goto out;
	}
	if (aad->n) {
		memcpy(aad2, aad->p, aad->n);
		aad2[0] ^= 0x80;
		memcpy(buf, ct->p, n);
		if (aead_open(c, nonce->p, aad2, aad->n, buf, n, tag->p) !=
		    -EBADMSG) {
			why = "open accepted a changed AAD";
			goto out;
		}
	}
	if (n) {
		memcpy(buf, ct->p, n);
		buf[n / 2] ^= 0x04;
		if (aead_open(c, nonce->p, aad->p, aad->n, buf, n, tag->p) !=
		    -EBADMSG)
			why = "open accepted a changed ciphertext";
	}
out:
	free(buf);
	free(aad2);
	return why;
}

static void run_vector(const char *family, json_t *v, struct kat_tally *t)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	const char *alg = json_string_value(json_object_get(v, "algorithm"));
	struct kat_bytes key, nonce, aad, pt, ct, tag;
	size_t offered = 0;

	if (!aead_key_len(alg) || strcmp(alg, "null") == 0) {
		printf("skip %s/%s %s: not an AEAD algorithm ncbench offers\n",
		       family, name, alg);
		t->skipped++;
		return;
	}
	/* Form was validated: these cannot fail but for memory. */
	if (kat_get_hex(v, "key", &key, name, NULL) < 0 ||
	    kat_get_hex(v, "nonce", &nonce, name, NULL) < 0 ||
	    kat_get_hex(v, "aad", &aad, name, NULL) < 0 ||
	    kat_get_hex(v, "plaintext", &pt, name, NULL) < 0 ||
	    kat_get_hex(v, "ciphertext", &ct, name, NULL) < 0 ||
	    kat_get_hex(v, "tag", &tag, name, NULL) < 0) {
		printf("FAIL %s/%s: out of memory\n", family, name);
		t->failed++;
		goto out;
	}
	if (nonce.n != AEAD_NONCE_LEN) {
		printf("skip %s/%s %s: %zu-bit nonce; ncbench uses 96-bit nonces\n",
		       family, name, alg, nonce.n * 8);
		t->skipped++;
		goto out;
	}
	if (tag.n != AEAD_TAG_LEN || ct.n != pt.n) {
		printf("skip %s/%s %s: %zu-byte tag; ncbench uses 16-byte tags\n",
		       family, name, alg, tag.n);
		t->skipped++;
		goto out;
	}
	for (size_t b = 0; b < aead_backend_count(); b++) {
		const char *backend = aead_backend_name(b);
		struct aead_ctx *c;
		const char *why;

		if (aead_probe(alg, backend) < 0)
			continue;
		offered++;
		if (aead_ctx_new(&c, alg, backend, key.p, key.n) < 0)
			why = "cannot create a context with this key";
		else
			why = check(c, &nonce, &aad, &pt, &ct, &tag);
		aead_ctx_free(c);
		if (why) {
			printf("FAIL %s/%s %s %s: %s\n", family, name, alg,
			       backend, why);
			t->failed++;
		} else {
			printf("ok   %s/%s %s %s\n", family, name, alg, backend);
			t->passed++;
		}
	}
	if (!offered) {
		printf("skip %s/%s %s: no backend offers it on this machine\n",
		       family, name, alg);
		t->skipped++;
	}
out:
	free(key.p);
	free(nonce.p);
	free(aad.p);
	free(pt.p);
	free(ct.p);
	free(tag.p);
}

static void run_file(json_t *root, struct kat_tally *t)
{
	const char *family = json_string_value(json_object_get(root, "family"));
	struct kat_family buf;
	/* Framing families: each vector is a whole packet or frame; suite
	 * families: a call of the suite. */
	const struct kat_family *f = find_family(family, &buf);
	json_t *vectors = json_object_get(root, "vectors"), *v;
	size_t i;

	json_array_foreach(vectors, i, v) {
		if (f)
			f->run(v, t);
		else
			run_vector(family, v, t);
	}
}

int kat_check_buf(const char *name, const void *data, size_t len, int is_run,
		  struct ncb_err *e)
{
	struct kat_tally t = { 0, 0, 0 };
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	int rc;

	if (!root)
		return ncb_errf(e, -EINVAL, "%s: %s (line %d)", name, je.text,
				je.line);
	rc = validate(root, name, e);
	if (rc == 0 && is_run)
		run_file(root, &t);
	json_decref(root);
	return rc;
}

static void help(void)
{
	printf("usage: ncbench kat FILE.json ...\n"
	       "  runs every vector of the files (tests/vectors/*.json) on every backend\n"
	       "  that offers its suite, and each framing's vectors through the framing;\n"
	       "  one line per vector that fails, then \"kat: N passed, N failed, N skipped\"\n"
	       "  -h, --help  this text\n"
	       "exit status: 0 all passed, 1 a vector failed, 2 usage error or bad file\n");
}

/* Options first: a file named like an option follows "--". 0, 1 after
 * --help, or 2 after a message. */
static int parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct ncb_err e;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		if (c == 'h') {
			help();
			return 1;
		}
		ncb_errf(&e, -EINVAL, "unknown option '%s' (%ssee ncbench kat --help)",
			 ncb_cli_unknown(), ncb_cli_hint());
		fprintf(stderr, "ncbench kat: %s\n", e.msg);
		return 2;
	}
	return 0;
}

int kat_main(int argc, char **argv)
{
	json_t *roots[KAT_FILES_MAX] = { NULL };
	struct kat_tally t = { 0, 0, 0 };
	struct ncb_err e = { "" };
	int nfiles, status = parse(argc, argv);

	if (status)
		return status == 1 ? 0 : status;
	argv += optind - 1;
	nfiles = argc - optind;
	if (nfiles < 1 || nfiles > KAT_FILES_MAX) {
		fprintf(stderr, "ncbench kat: give 1 to %d vector files (usage: ncbench kat FILE.json ...)\n",
			KAT_FILES_MAX);
		return 2;
	}
	for (int i = 0; i < nfiles; i++) {
		json_error_t je;

		roots[i] = json_load_file(argv[i + 1], JSON_REJECT_DUPLICATES, &je);
		if (!roots[i]) {
			ncb_errf(&e, -EINVAL, "%s: %s (line %d)", argv[i + 1],
				 je.text, je.line);
			status = 2;
		} else if (validate(roots[i], argv[i + 1], &e) < 0) {
			status = 2;
		}
		if (status) {
			fprintf(stderr, "ncbench kat: %s\n", e.msg);
			goto out;
		}
	}
	for (int i = 0; i < nfiles; i++)
		run_file(roots[i], &t);
	printf("kat: %u passed, %u failed, %u skipped\n", t.passed, t.failed,
	       t.skipped);
	status = t.failed ? 1 : 0;
out:
	for (int i = 0; i < nfiles; i++)
		json_decref(roots[i]);
	return status;
}
