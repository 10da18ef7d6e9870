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
