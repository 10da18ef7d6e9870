/* Check counting for the unit tests, and set-up more than one test
 * needs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/framing.h"
#include "tests/unit/helpers.h"

static unsigned passed, failed;

void t_check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	fputs("FAIL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int t_done(const char *name)
{
	printf("%s: %u passed, %u failed\n", name, passed, failed);
	return failed || !passed ? 1 : 0;
}

void t_framing_defaults(const struct framing_ops *f, unsigned char *opts)
{
	memset(opts, 0, FRAMING_OPTS_MAX);
	for (size_t i = 0; i < f->opts_count; i++) {
		const struct ncb_opt *d = &f->opts[i];
		unsigned v = 0;

		if (d->type == NCB_OPT_CHOICE)
			while (strcmp(d->choices[v], d->def))
				v++;
		else
			v = (unsigned)strtoul(d->def, NULL, 10);
		memcpy(opts + d->offset, &v, sizeof(v));
	}
}
