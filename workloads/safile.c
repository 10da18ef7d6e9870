/* SA files in: parse and check a file (hostile bytes), then give a case
 * its keys and identifiers (safile.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/sadb.h"
#include "io/ctl.h"
#include "io/secret.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/peer.h"
#include "workloads/safile.h"

enum {
	SHOWN_MAX = 96,          /* bytes of a file name in messages */
	NAME_SHOWN = 32,         /* bytes of a name from the file */
	PAIRS_MAX = 1 << 16,     /* pair indexes a file may name */
	OPTS_NAMED_MAX = 64,     /* framing options a file may name */
	HEX_MAX = 2 * AEAD_KEY_MAX,
};

struct safile {
	char name[SHOWN_MAX + 1]; /* the file, as messages name it */
	const struct framing_ops *f;
	const struct aead_info *a;
	_Alignas(8) unsigned char fopts[FRAMING_OPTS_MAX];
	uint64_t named;          /* bit i: the file gives f->opts[i] */
	size_t n;
	struct safile_sa *sas;
};

void safile_wipe_json(struct json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_string(j)) {
		explicit_bzero((char *)json_string_value(j), json_string_length(j));
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			safile_wipe_json(v);
	} else if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			safile_wipe_json(v);
			explicit_bzero((char *)k, strlen(k));
		}
	}
}

void safile_free(struct safile *sf)
{
	if (!sf)
		return;
	if (sf->sas) {
		explicit_bzero(sf->sas, sf->n * sizeof(*sf->sas));
		free(sf->sas);
	}
	explicit_bzero(sf, sizeof(*sf));
	free(sf);
}

/* Messages start with the file's name. */
static NCB_PRINTF(3, 4) int fail(const struct safile *sf, struct ncb_err *e,
				 const char *fmt, ...)
{
	char why[NCB_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return ncb_errf(e, -EINVAL, "SA file '%s': %s", sf->name, why);
}

/* A JSON integer in [0, max]: 0, or -1. */
static int get_uint(const json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t x;

	if (!json_is_integer(v))
		return -1;
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x > max)
		return -1;
	*out = (uint64_t)x;
	return 0;
}

/* Exactly want bytes of hex digits in v into buf: 0 or -1. The message
 * never quotes the string: it may be a key. */
static int get_hex(const json_t *v, uint8_t *buf, size_t want)
{
	const char *s = json_string_value(v);
	size_t got = 0;
	int ok;

	if (!s || json_string_length(v) != 2 * want || !want)
		return -1;
	ok = OPENSSL_hexstr2buf_ex(buf, want, &got, s, '\0') && got == want;
	ERR_clear_error();
	return ok ? 0 : -1;
}

/* The file's "options": names of f's options with a string (a choice),
 * an integer or a boolean (a flag), over the framing's defaults. */
static int parse_options(struct safile *sf, const json_t *opts,
			 struct ncb_err *e)
{
	const struct framing_ops *f = sf->f;
	const char *k;
	json_t *v;

	for (size_t i = 0; i < f->opts_count; i++) {
		unsigned d = pattern_opt_default(&f->opts[i]);

		memcpy(sf->fopts + f->opts[i].offset, &d, sizeof(d));
	}
	if (!opts)
		return 0;
	if (!json_is_object(opts))
		return fail(sf, e, "\"options\" must be an object");
	json_object_foreach((json_t *)opts, k, v) {
		const struct ncb_opt *d = NULL;
		unsigned val = 0, i;
		uint64_t x;

		for (i = 0; i < f->opts_count && i < OPTS_NAMED_MAX; i++)
			if (!strcmp(f->opts[i].name, k)) {
				d = &f->opts[i];
				break;
			}
		if (!d)
			return fail(sf, e, "options: %s has no option '%.*s'",
				    f->name, NAME_SHOWN, k);
		if (d->type == NCB_OPT_FLAG) {
			if (!json_is_boolean(v))
				return fail(sf, e, "options.%s: true or false", d->name);
			val = json_is_true(v);
		} else if (d->type == NCB_OPT_UINT) {
			if (get_uint(v, UINT32_MAX, &x) < 0)
				return fail(sf, e, "options.%s: an integer 0..%u",
					    d->name, UINT32_MAX);
			val = (unsigned)x;
		} else {
			const char *s = json_string_value(v);

			while (s && d->choices[val] && strcmp(d->choices[val], s))
				val++;
			if (!s || !d->choices[val])
				return fail(sf, e, "options.%s: not one of its values",
					    d->name);
		}
		memcpy(sf->fopts + d->offset, &val, sizeof(val));
		sf->named |= 1ull << i;
	}
	return 0;
}

/* "src" and "dst" of framings carried in IP: both, of one family. */
static int parse_addrs(struct safile *sf, struct safile_sa *sa,
		       const json_t *o, size_t i, struct ncb_err *e)
{
	const char *src = json_string_value(json_object_get(o, "src"));
	const char *dst = json_string_value(json_object_get(o, "dst"));
	int need = sf->f->capture.ip_proto != 0;

	if (!need) {
		if (json_object_get(o, "src") || json_object_get(o, "dst"))
			return fail(sf, e, "sas[%zu]: %s packets carry no IP addresses (no src, dst)",
				    i, sf->f->name);
		return 0;
	}
	if (!src || !dst)
		return fail(sf, e, "sas[%zu]: src and dst, the outer IP addresses, are required",
			    i);
	if (inet_pton(AF_INET, src, sa->src) == 1 &&
	    inet_pton(AF_INET, dst, sa->dst) == 1)
		sa->family = 4;
	else if (inet_pton(AF_INET6, src, sa->src) == 1 &&
		 inet_pton(AF_INET6, dst, sa->dst) == 1)
		sa->family = 6;
	else
		return fail(sf, e, "sas[%zu]: src and dst must be IPv4 or IPv6 addresses of one family",
			    i);
	return 0;
}

/* The framing's identifier: 32 bits as an integer, 64 as 16 hex digits;
 * at least its smallest valid value. */
static int parse_ident(struct safile *sf, struct safile_sa *sa,
		       const json_t *o, size_t i, struct ncb_err *e)
{
	const struct framing_ident *id = &sf->f->ident;
	const json_t *v = id->key ? json_object_get(o, id->key) : NULL;
	uint8_t b[8];

	if (!id->key)
		return 0;
	if (!v)
		return fail(sf, e, "sas[%zu]: no \"%s\"", i, id->key);
	if (id->bits == 64) {
		if (get_hex(v, b, sizeof(b)) < 0)
			return fail(sf, e, "sas[%zu].%s: 16 hex digits", i, id->key);
		sa->ident = ncb_get_be64(b);
	} else if (get_uint(v, UINT32_MAX, &sa->ident) < 0) {
		return fail(sf, e, "sas[%zu].%s: an integer 0..%u", i, id->key,
			    UINT32_MAX);
	}
	if (sa->ident < id->min)
		return fail(sf, e, "sas[%zu].%s: %llu is reserved (at least %llu)",
			    i, id->key, (unsigned long long)sa->ident,
			    (unsigned long long)id->min);
	return 0;
}

/* "key" (the encryption key, with AES-CTR's nonce), "auth_key" (an
 * encrypt-then-MAC suite's) and "salt" (what the framing reads after the
 * key), each exactly as long as the suite and the file's options say. */
static int parse_keys(struct safile *sf, struct safile_sa *sa,
		      const json_t *o, size_t i, struct ncb_err *e)
{
	const struct aead_info *a = sf->a;
	size_t enc = a->key_len - a->auth_key_len;
	const json_t *auth = json_object_get(o, "auth_key");
	const json_t *salt = json_object_get(o, "salt");

	sa->key_len = a->key_len;
	sa->salt_len = framing_salt_len(sf->f, sf->fopts, a->name);
	if (sa->salt_len > SAFILE_SALT_MAX)
		return fail(sf, e, "%s: salt longer than %d bytes", sf->f->name,
			    SAFILE_SALT_MAX);
	if (get_hex(json_object_get(o, "key"), sa->key, enc) < 0)
		return fail(sf, e, "sas[%zu].key: %zu bytes of %s as %zu hex digits",
			    i, enc, a->name, 2 * enc);
	if (a->auth_key_len &&
	    get_hex(auth, sa->key + enc, a->auth_key_len) < 0)
		return fail(sf, e, "sas[%zu].auth_key: %zu bytes as %zu hex digits",
			    i, a->auth_key_len, 2 * a->auth_key_len);
	if (!a->auth_key_len && auth)
		return fail(sf, e, "sas[%zu]: %s has no auth_key", i, a->name);
	if (sa->salt_len && get_hex(salt, sa->salt, sa->salt_len) < 0)
		return fail(sf, e, "sas[%zu].salt: %zu bytes as %zu hex digits",
			    i, sa->salt_len, 2 * sa->salt_len);
	if (!sa->salt_len && salt)
		return fail(sf, e, "sas[%zu]: %s with %s takes no salt", i,
			    sf->f->name, a->name);
	return 0;
}

static int is_sa_key(const struct safile *sf, const char *k)
{
	static const char *const keys[] = { "pair", "direction", "sa", "key",
					    "auth_key", "salt", "src", "dst" };

	for (size_t i = 0; i < NCB_ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i], k))
			return 1;
	return sf->f->ident.key && !strcmp(sf->f->ident.key, k);
}

static int parse_sa(struct safile *sf, const json_t *o, size_t i,
		    struct ncb_err *e)
{
	struct safile_sa *sa = &sf->sas[i];
	uint64_t pair, dir, k;
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(o))
		return fail(sf, e, "sas[%zu] must be an object", i);
	json_object_foreach((json_t *)o, key, v)
		if (!is_sa_key(sf, key))
			return fail(sf, e, "sas[%zu]: unknown key '%.*s'", i,
				    NAME_SHOWN, key);
	if (get_uint(json_object_get(o, "pair"), PAIRS_MAX - 1, &pair) < 0 ||
	    get_uint(json_object_get(o, "direction"), SAFILE_DIRS - 1, &dir) < 0 ||
	    get_uint(json_object_get(o, "sa"), SADB_MAX - 1, &k) < 0)
		return fail(sf, e, "sas[%zu]: pair (0..%d), direction (0 or 1) and sa (0..%d) are required",
			    i, PAIRS_MAX - 1, SADB_MAX - 1);
	sa->pair = (uint32_t)pair;
	sa->dir = (uint32_t)dir;
	sa->sa = (uint32_t)k;
	rc = parse_ident(sf, sa, o, i, e);
	if (rc == 0)
		rc = parse_keys(sf, sa, o, i, e);
	if (rc == 0)
		rc = parse_addrs(sf, sa, o, i, e);
	return rc;
}

/* Orders of the SAs for finding repeats: by (pair, direction, sa), and
 * by identifier. */
static int by_slot(const void *x, const void *y)
{
	const struct safile_sa *a = *(const struct safile_sa *const *)x;
	const struct safile_sa *b = *(const struct safile_sa *const *)y;

	if (a->pair != b->pair)
		return a->pair < b->pair ? -1 : 1;
	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	return a->sa < b->sa ? -1 : a->sa > b->sa;
}

static int by_ident(const void *x, const void *y)
{
	const struct safile_sa *a = *(const struct safile_sa *const *)x;
	const struct safile_sa *b = *(const struct safile_sa *const *)y;

	return a->ident < b->ident ? -1 : a->ident > b->ident;
}

/* Each (pair, direction, sa) once, each identifier once, and one pair of
 * outer addresses per direction of a pair. */
static int check_repeats(struct safile *sf, struct ncb_err *e)
{
	const struct safile_sa **v = malloc(sf->n * sizeof(*v));
	int rc = 0;

	if (!v)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < sf->n; i++)
		v[i] = &sf->sas[i];
	qsort(v, sf->n, sizeof(*v), by_slot);
	for (size_t i = 1; rc == 0 && i < sf->n; i++) {
		const struct safile_sa *a = v[i - 1], *b = v[i];

		if (!by_slot(&a, &b))
			rc = fail(sf, e, "pair %u, direction %u, sa %u appears twice",
				  b->pair, b->dir, b->sa);
		else if (a->pair == b->pair && a->dir == b->dir &&
			 (memcmp(a->src, b->src, sizeof(a->src)) ||
			  memcmp(a->dst, b->dst, sizeof(a->dst))))
			rc = fail(sf, e, "pair %u, direction %u: its SAs name different src or dst",
				  b->pair, b->dir);
	}
	if (sf->f->ident.key) {
		qsort(v, sf->n, sizeof(*v), by_ident);
		for (size_t i = 1; rc == 0 && i < sf->n; i++)
			if (v[i - 1]->ident == v[i]->ident)
				rc = fail(sf, e, "%s %#llx appears twice (pairs %u and %u)",
					  sf->f->ident.key,
					  (unsigned long long)v[i]->ident,
					  v[i - 1]->pair, v[i]->pair);
	}
	free(v);
	return rc;
}

static int is_top_key(const char *k)
{
	static const char *const keys[] = { "version", "framing", "cipher",
					    "options", "sas" };

	for (size_t i = 0; i < NCB_ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

static int parse_doc(struct safile *sf, const json_t *root, struct ncb_err *e)
{
	const char *framing, *cipher, *k;
	const json_t *sas;
	uint64_t version;
	json_t *v;
	int rc;

	if (!json_is_object(root))
		return fail(sf, e, "not a JSON object");
	json_object_foreach((json_t *)root, k, v)
		if (!is_top_key(k))
			return fail(sf, e, "unknown key '%.*s'", NAME_SHOWN, k);
	if (get_uint(json_object_get(root, "version"), UINT32_MAX, &version) < 0)
		return fail(sf, e, "no \"version\" (this ncbench reads version %d)",
			    SAFILE_VERSION);
	if (version != SAFILE_VERSION)
		return fail(sf, e, "version %llu; this ncbench reads version %d",
			    (unsigned long long)version, SAFILE_VERSION);
	framing = json_string_value(json_object_get(root, "framing"));
	cipher = json_string_value(json_object_get(root, "cipher"));
	if (!framing || !cipher)
		return fail(sf, e, "\"framing\" and \"cipher\" are required");
	sf->f = framing_find(framing);
	if (!sf->f)
		return fail(sf, e, "unknown framing '%.*s'", NAME_SHOWN, framing);
	sf->a = aead_info(cipher);
	if (!sf->a)
		return fail(sf, e, "unknown cipher '%.*s'", NAME_SHOWN, cipher);
	rc = parse_options(sf, json_object_get(root, "options"), e);
	if (rc < 0)
		return rc;
	sas = json_object_get(root, "sas");
	if (!json_is_array(sas) || !json_array_size(sas) ||
	    json_array_size(sas) > SAFILE_SAS_MAX)
		return fail(sf, e, "\"sas\" must be a list of 1..%d SAs",
			    SAFILE_SAS_MAX);
	sf->n = json_array_size(sas);
	sf->sas = calloc(sf->n, sizeof(*sf->sas));
	if (!sf->sas)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < sf->n; i++) {
		rc = parse_sa(sf, json_array_get(sas, i), i, e);
		if (rc < 0)
			return rc;
	}
	return check_repeats(sf, e);
}

int safile_parse(struct safile **out, const char *text, size_t len,
		 const char *name, struct ncb_err *e)
{
	struct safile *sf = calloc(1, sizeof(*sf));
	json_error_t jerr;
	json_t *root;
	int rc;

	*out = NULL;
	if (!sf)
		return ncb_errf(e, -ENOMEM, "out of memory");
	snprintf(sf->name, sizeof(sf->name), "%s", name);
	/* Jansson's buffers wipe what they held when freed. */
	ctl_init();
	/* Its message may quote the text near the error, which may be a
	 * key: only where. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		rc = fail(sf, e, "not valid JSON (line %d, column %d), or a key given twice",
			  jerr.line, jerr.column);
		explicit_bzero(&jerr, sizeof(jerr));
		safile_free(sf);
		return rc;
	}
	explicit_bzero(&jerr, sizeof(jerr));
	rc = parse_doc(sf, root, e);
	safile_wipe_json(root);
	json_decref(root);
	if (rc < 0) {
		safile_free(sf);
		return rc;
	}
	*out = sf;
	return 0;
}

int safile_load(struct safile **out, const char *path, struct ncb_err *e)
{
	int fd = secret_open(path, "SA file", e);
	struct stat st;
	ssize_t n;
	char *text;
	int rc;

	*out = NULL;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || st.st_size > SAFILE_BYTES_MAX) {
		close(fd);
		return ncb_errf(e, -EINVAL, "SA file '%.*s': larger than %d MiB",
				SHOWN_MAX, path, SAFILE_BYTES_MAX >> 20);
	}
	/* One byte more than the file, to see it grow meanwhile. */
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	n = secret_read(fd, text, (size_t)st.st_size + 1);
	close(fd);
	if (n < 0)
		rc = ncb_errf(e, (int)n, "SA file '%.*s': %s", SHOWN_MAX, path,
			      strerror((int)-n));
	else if (n > st.st_size)
		rc = ncb_errf(e, -EINVAL, "SA file '%.*s' changed while read",
			      SHOWN_MAX, path);
	else
		rc = safile_parse(out, text, (size_t)n, path, e);
	explicit_bzero(text, (size_t)st.st_size + 1);
	free(text);
	return rc;
}

const struct framing_ops *safile_framing(const struct safile *sf)
{
	return sf->f;
}

const char *safile_cipher(const struct safile *sf)
{
	return sf->a->name;
}

const void *safile_fopts(const struct safile *sf)
{
	return sf->fopts;
}

size_t safile_count(const struct safile *sf)
{
	return sf->n;
}

const struct safile_sa *safile_at(const struct safile *sf, size_t i)
{
	return i < sf->n ? &sf->sas[i] : NULL;
}

/* An option's value in a struct, as a file or a command line names it. */
static void opt_text(const struct ncb_opt *d, const unsigned char *opts,
		     char *buf, size_t len)
{
	unsigned v;

	memcpy(&v, opts + d->offset, sizeof(v));
	if (d->type == NCB_OPT_CHOICE)
		snprintf(buf, len, "%s", d->choices[v]);
	else
		snprintf(buf, len, "%u", v);
}

static size_t slot_of(const struct safile_case *k, const struct safile_sa *s)
{
	return ((size_t)s->pair * k->dirs + s->dir) * k->sas + s->sa;
}

static int is_in_case(const struct safile_case *k, const struct safile_sa *s)
{
	return s->pair < k->pairs && s->dir < k->dirs && s->sa < k->sas;
}

/* The options the file names, as the case has them. */
static int check_options(const struct safile *sf, const struct safile_case *k,
			 struct ncb_err *e)
{
	const struct framing_ops *f = sf->f;
	char mine[32], theirs[32];

	for (size_t i = 0; i < f->opts_count && i < OPTS_NAMED_MAX; i++) {
		if (!(sf->named >> i & 1))
			continue;
		opt_text(&f->opts[i], sf->fopts, mine, sizeof(mine));
		opt_text(&f->opts[i], k->fopts, theirs, sizeof(theirs));
		if (strcmp(mine, theirs))
			return fail(sf, e, "made for --%s %s, the case has %s",
				    f->opts[i].name, mine, theirs);
	}
	return 0;
}

int safile_check(const struct safile *sf, const struct safile_case *k,
		 struct ncb_err *e)
{
	size_t salt = framing_salt_len(k->f, k->fopts, k->cipher);
	size_t n = (size_t)k->pairs * k->dirs * k->sas;
	unsigned char *seen;
	int rc;

	if (sf->f != k->f || strcmp(sf->a->name, k->cipher))
		return fail(sf, e, "made for %s with %s, the case runs %s with %s",
			    sf->f->name, sf->a->name, k->f->name, k->cipher);
	rc = check_options(sf, k, e);
	if (rc < 0)
		return rc;
	seen = calloc(n ? n : 1, 1);
	if (!seen)
		return ncb_errf(e, -ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < sf->n; i++) {
		const struct safile_sa *s = &sf->sas[i];

		if (s->salt_len != salt)
			rc = fail(sf, e, "sas[%zu]: the case's SAs take %zu bytes of salt",
				  i, salt);
		else if (s->family && s->family != k->family)
			rc = fail(sf, e, "sas[%zu]: IPv%d addresses for an IPv%d case (--family)",
				  i, s->family, k->family);
		else if (is_in_case(k, s))
			seen[slot_of(k, s)] = 1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!seen[i])
			rc = fail(sf, e, "no SA for pair %zu, direction %zu, sa %zu (the case: %u pair%s, %u direction%s, --sas %u)",
				  i / k->sas / k->dirs, i / k->sas % k->dirs,
				  i % k->sas, k->pairs, k->pairs == 1 ? "" : "s",
				  k->dirs, k->dirs == 1 ? "" : "s", k->sas);
	free(seen);
	return rc;
}

void safile_apply(const struct safile *sf, const struct safile_case *k,
		  struct framing_sa_desc *descs)
{
	for (size_t i = 0; i < sf->n; i++) {
		const struct safile_sa *s = &sf->sas[i];
		struct framing_sa_desc *d;

		if (!is_in_case(k, s))
			continue;
		d = &descs[slot_of(k, s)];
		explicit_bzero(d->keymat, sizeof(d->keymat));
		memcpy(d->keymat, s->key, s->key_len);
		memcpy(d->keymat + AEAD_KEY_MAX, s->salt, s->salt_len);
		d->ident = s->ident;
	}
}

void safile_case_of(struct safile_case *k, const struct wl_case *c,
		    const struct pattern_opts *o, unsigned dirs,
		    unsigned char *fopts)
{
	pattern_fopts(c, o, fopts);
	*k = (struct safile_case){
		.f = pattern_framing(c),
		.fopts = fopts,
		.cipher = c->cipher,
		.pairs = c->threads * wl_peer_units(c->peer),
		.dirs = dirs,
		.sas = o->net.sas ? o->net.sas : 1,
		.family = o->net.family == 1 ? 6 : 4,
	};
}

int safile_check_path(const struct wl_case *c, const struct pattern_opts *o,
		      unsigned dirs, struct ncb_err *e)
{
	_Alignas(8) unsigned char fopts[FRAMING_OPTS_MAX];
	struct safile_case k;
	struct safile *sf;
	int rc;

	if (!c->sa_file)
		return 0;
	safile_case_of(&k, c, o, dirs, fopts);
	rc = safile_load(&sf, c->sa_file, e);
	if (rc == 0)
		rc = safile_check(sf, &k, e);
	safile_free(sf);
	return rc;
}

int safile_apply_pairs(struct pairs *p, struct ncb_err *e)
{
	const struct safile_case k = {
		.f = p->f,
		.fopts = p->fopts,
		.cipher = p->c->cipher,
		.pairs = p->n_slots,
		.dirs = p->n_dirs,
		.sas = p->n_sas,
		.family = p->cfg.family,
	};
	struct safile *sf;
	int rc = safile_load(&sf, p->c->sa_file, e);

	if (rc == 0)
		rc = safile_check(sf, &k, e);
	if (rc == 0) {
		safile_apply(sf, &k, p->descs);
		for (size_t i = 0; i < sf->n; i++) {
			const struct safile_sa *s = &sf->sas[i];

			if (s->pair || s->dir || !s->family)
				continue;
			p->outer_family = s->family;
			memcpy(p->outer_src, s->src, sizeof(p->outer_src));
			memcpy(p->outer_dst, s->dst, sizeof(p->outer_dst));
		}
	}
	safile_free(sf);
	return rc;
}
