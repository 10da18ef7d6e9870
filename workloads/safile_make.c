/* SA files out: the text of a fresh file for a case (safile.h), made of
 * the descriptions pair.c makes for it, so its keys, identifiers and
 * options are the ones a run of that case would use. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

#include "io/ctl.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/safile.h"

enum {
	HEX_MAX = 2 * AEAD_KEY_MAX + 1,
};

/* len bytes of key material as a new JSON string of lowercase hex
 * digits; the text made on the way is wiped. NULL when out of memory. */
static json_t *hex_string(const uint8_t *buf, size_t len)
{
	char hex[HEX_MAX];
	size_t n = 0;
	json_t *s = NULL;

	if (len && 2 * len < sizeof(hex) &&
	    OPENSSL_buf2hexstr_ex(hex, sizeof(hex), &n, buf, len, '\0')) {
		for (size_t i = 0; hex[i]; i++)
			hex[i] = (char)tolower((unsigned char)hex[i]);
		s = json_string(hex);
	}
	ERR_clear_error();
	explicit_bzero(hex, sizeof(hex));
	return s;
}

/* Sets key of o to v (taken); -1 when v is NULL or setting fails. */
static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

/* The framing's options as the case has them: a choice by name, a
 * number, a flag as a boolean. */
static json_t *options_json(const struct framing_ops *f,
			    const unsigned char *fopts)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < f->opts_count; i++) {
		const struct ncb_opt *d = &f->opts[i];
		unsigned v;
		json_t *j;

		memcpy(&v, fopts + d->offset, sizeof(v));
		j = d->type == NCB_OPT_CHOICE ? json_string(d->choices[v])
		    : d->type == NCB_OPT_FLAG ? json_boolean(v)
					      : json_integer(v);
		if (set(o, d->name, j) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* The identifier as a file writes it: 16 hex digits for 64 bits, else
 * a number. */
static json_t *ident_json(const struct framing_ident *id, uint64_t v)
{
	char hex[17];

	if (id->bits != 64)
		return json_integer((json_int_t)v);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)v);
	return json_string(hex);
}

/* One SA of p's descriptions: (pair, dir, sa), identifier, key parts and
 * the outer addresses (loopback, where the case's sockets are). */
static json_t *sa_json(const struct pairs *p, const struct framing_sa_desc *d,
		       unsigned pair, unsigned dir, unsigned k,
		       struct ncb_err *e)
{
	const struct framing_ops *f = p->f;
	const struct aead_info *a = aead_info(d->cipher);
	size_t enc = a->key_len - a->auth_key_len;
	size_t salt = framing_salt_len(f, p->fopts, d->cipher);
	uint64_t ident = framing_sa_ident(f, d);
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	if (f->ident.key && ident < f->ident.min) {
		json_decref(o);
		ncb_errf(e, -EINVAL, "%s chooses no valid %s for pair %u, direction %u, sa %u",
			 f->name, f->ident.key, pair, dir, k);
		return NULL;
	}
	rc |= set(o, "pair", json_integer(pair));
	rc |= set(o, "direction", json_integer(dir));
	rc |= set(o, "sa", json_integer(k));
	if (f->ident.key)
		rc |= set(o, f->ident.key, ident_json(&f->ident, ident));
	rc |= set(o, "key", hex_string(d->keymat, enc));
	if (a->auth_key_len)
		rc |= set(o, "auth_key", hex_string(d->keymat + enc, a->auth_key_len));
	if (salt)
		rc |= set(o, "salt", hex_string(d->keymat + AEAD_KEY_MAX, salt));
	if (f->capture.ip_proto) {
		const char *lo = p->cfg.family == 6 ? "::1" : "127.0.0.1";

		rc |= set(o, "src", json_string(lo));
		rc |= set(o, "dst", json_string(lo));
	}
	if (rc) {
		json_decref(o);
		ncb_errf(e, -ENOMEM, "out of memory");
		return NULL;
	}
	return o;
}

static json_t *doc_json(const struct pairs *p, struct ncb_err *e)
{
	json_t *root = json_object(), *sas = json_array();
	int rc = root && sas ? 0 : -1;

	rc |= set(root, "version", json_integer(SAFILE_VERSION));
	rc |= set(root, "framing", json_string(p->f->name));
	rc |= set(root, "cipher", json_string(p->c->cipher));
	rc |= set(root, "options", options_json(p->f, p->fopts));
	for (unsigned s = 0; rc == 0 && s < p->n_slots; s++)
		for (unsigned d = 0; rc == 0 && d < p->n_dirs; d++)
			for (unsigned k = 0; rc == 0 && k < p->n_sas; k++) {
				json_t *o = sa_json(p, pairs_desc(p, s, d) + k,
						    s, d, k, e);

				if (!o)
					rc = -2;
				else if (json_array_append_new(sas, o) < 0)
					rc = -1;
			}
	if (rc == 0)
		rc = set(root, "sas", sas);
	else
		json_decref(sas);
	if (rc) {
		if (rc == -1)
			ncb_errf(e, -ENOMEM, "out of memory");
		json_decref(root);
		return NULL;
	}
	return root;
}

int safile_make(const struct wl_case *c, const struct pattern_opts *o,
		char **text, size_t *len, struct ncb_err *e)
{
	struct pairs p;
	json_t *doc = NULL;
	size_t n;
	int rc;

	*text = NULL;
	*len = 0;
	/* Jansson's buffers wipe what they held when freed. */
	ctl_init();
	pairs_init(&p, c, o, SAFILE_DIRS);
	n = (size_t)p.n_slots * p.n_dirs * p.n_sas;
	if (n > SAFILE_SAS_MAX) {
		rc = ncb_errf(e, -EINVAL,
			      "%zu SAs (pairs x 2 directions x --sas): an SA file holds at most %d",
			      n, SAFILE_SAS_MAX);
		goto out;
	}
	rc = pairs_descs(&p, e);
	if (rc == 0) {
		doc = doc_json(&p, e);
		rc = doc ? 0 : -EINVAL;
	}
	if (rc == 0) {
		*text = json_dumps(doc, JSON_INDENT(1));
		rc = *text ? 0 : ncb_errf(e, -ENOMEM, "out of memory");
	}
	if (rc == 0)
		*len = strlen(*text);
	if (doc)
		safile_wipe_json(doc);
	json_decref(doc);
out:
	pairs_close(&p);
	return rc;
}
