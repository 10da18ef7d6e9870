/* Check counting for the unit tests. */
#include <stdarg.h>
#include <stdio.h>

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
