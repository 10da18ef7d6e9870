/* Helpers of the known-answer hooks (crypto/kat.h): hex fields of a
 * vector, and one vector run on every backend that offers its algorithm. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/kat.h"

void kat_each_backend(const char *family, const char *name, const char *alg,
		      const char *mode, const void *x,
		      const char *(*check)(const void *x, const char *backend),
		      struct kat_tally *t)
{
	size_t offered = 0;

	for (size_t b = 0; b < aead_backend_count(); b++) {
		const char *backend = aead_backend_name(b);
		const char *why;

		if (aead_probe(alg, backend) < 0)
			continue;
		offered++;
		why = check(x, backend);
		printf("%s %s/%s %s %s %s%s%s\n", why ? "FAIL" : "ok  ", family,
		       name, alg, mode, backend, why ? ": " : "", why ? why : "");
		if (why)
			t->failed++;
		else
			t->passed++;
	}
	if (!offered) {
		printf("skip %s/%s %s: no backend offers it on this machine\n",
		       family, name, alg);
		t->skipped++;
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes field `name` of v; 0, or -EINVAL with e naming the problem. */
int kat_get_hex(json_t *v, const char *name, struct kat_bytes *out,
		const char *where, struct ncb_err *e)
{
	const char *s = json_string_value(json_object_get(v, name));
	size_t len;

	out->p = NULL;
	out->n = 0;
	if (!s)
		return ncb_errf(e, -EINVAL, "%s: field '%s' missing or not a string",
				where, name);
	len = strlen(s);
	if (len % 2)
		return ncb_errf(e, -EINVAL, "%s: field '%s' has an odd number of hex digits",
				where, name);
	out->n = len / 2;
	out->p = malloc(out->n + 1);
	if (!out->p)
		return ncb_errf(e, -ENOMEM, "%s: out of memory", where);
	for (size_t i = 0; i < out->n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			/* Empty on error: callers may read out before
			 * they look at the status. */
			free(out->p);
			out->p = NULL;
			out->n = 0;
			return ncb_errf(e, -EINVAL, "%s: field '%s' is not hex",
					where, name);
		}
		out->p[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int kat_get_hexes(json_t *v, const char *const *names, size_t n,
		  struct kat_bytes *out, const char *where, struct ncb_err *e)
{
	for (size_t i = 0; i < n; i++) {
		int rc = kat_get_hex(v, names[i], &out[i], where, e);

		if (rc < 0)
			return rc;
	}
	return 0;
}

void kat_bytes_free(struct kat_bytes *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].p);
		b[i] = (struct kat_bytes){ NULL, 0 };
	}
}

struct aead_spec kat_aead(const char *alg, const char *backend,
			  const struct kat_bytes *key)
{
	return (struct aead_spec){ alg, backend, key->p, key->n, 0 };
}

uint64_t kat_be_num(const struct kat_bytes *b)
{
	uint64_t v = 0;

	for (size_t i = 0; i < b->n && i < 8; i++)
		v = v << 8 | b->p[i];
	return v;
}

/* Failure lines of kat_check_sealed, for packets and for frames. */
enum { W_LEN, W_BYTES, W_REFUSED, W_TWICE, W_COUNT };
static const char *const whys[][W_COUNT] = {
	{ "encap: packet length differs", "encap: packet bytes differ",
	  "decap refused the packet", "decap accepted the same packet twice" },
	{ "encap: frame length differs", "encap: frame bytes differ",
	  "decap refused the frame", "decap accepted the same frame twice" },
};

/* Opens a copy of want with byte `at` changed through a fresh SA; the
 * verdict, or v_ok when no SA could be made. */
static unsigned open_flipped(const struct kat_proto *p, const void *x,
			     const char *backend, const struct kat_bytes *want,
			     size_t at, uint8_t *buf)
{
	const char *why;
	void *in = NULL;
	unsigned v = p->v_ok;

	if (p->sa_new(&in, x, backend) == 0) {
		memcpy(buf, want->p, want->n);
		buf[at] ^= 0x20;
		v = p->decap(in, buf, want->n, x, &why);
	}
	p->sa_free(in);
	return v;
}

const char *kat_check_sealed(const struct kat_proto *p, const void *x,
			     const char *backend, const struct kat_bytes *want,
			     const struct kat_flip *flips, size_t n_flips)
{
	const char *const *w = whys[strcmp(p->unit, "frame") == 0];
	uint8_t *pkt = malloc(p->len_max);
	void *o = NULL, *in = NULL;
	const char *why = NULL;
	long len;

	if (!pkt || p->sa_new(&o, x, backend) < 0 ||
	    p->sa_new(&in, x, backend) < 0) {
		why = "cannot create the SAs";
		goto out;
	}
	len = p->encap(o, pkt, x);
	if (len < 0)
		why = "encap returned an error";
	else if ((size_t)len != want->n)
		why = w[W_LEN];
	else if (memcmp(pkt, want->p, want->n) != 0)
		why = w[W_BYTES];
	if (why)
		goto out;
	if (p->decap(in, pkt, (size_t)len, x, &why) != p->v_ok)
		why = w[W_REFUSED];
	else if (!why && p->decap(in, pkt, (size_t)len, x, &why) != p->v_replay)
		why = w[W_TWICE];
	if (!why && open_flipped(p, x, backend, want, want->n - 1, pkt) != p->v_tag)
		why = p->why_tag;
	for (size_t i = 0; !why && i < n_flips; i++)
		if (open_flipped(p, x, backend, want, flips[i].at, pkt) != p->v_tag)
			why = flips[i].why;
out:
	p->sa_free(o);
	p->sa_free(in);
	free(pkt);
	return why;
}

void kat_run_loaded(int rc, const char *skip_why, const char *family,
		    const char *name, const char *alg, const char *mode,
		    const void *x,
		    const char *(*check)(const void *x, const char *backend),
		    struct kat_tally *t)
{
	if (rc == -ENOTSUP) {
		printf("skip %s/%s: %s\n", family, name, skip_why);
		t->skipped++;
	} else if (rc < 0) { /* the form check passed: only memory fails */
		printf("FAIL %s/%s: cannot load the vector\n", family, name);
		t->failed++;
	} else {
		kat_each_backend(family, name, alg, mode, x, check, t);
	}
}
