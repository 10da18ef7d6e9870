/* Cross-cutting helpers shared by every module: error reporting buffer,
 * attributes and small macros. Header only; no dependencies. */
#ifndef NCB_IO_NCB_H
#define NCB_IO_NCB_H

#include <stdarg.h>
#include <stdio.h>

#define NCB_MUST_CHECK __attribute__((warn_unused_result))
#define NCB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NCB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { NCB_ERR_LEN = 256 };

/* A one-line message naming the option or file and what is wrong. Lower
 * layers fill it; only bench/ prints it. */
struct ncb_err {
	char msg[NCB_ERR_LEN];
};

/* Fills e (if not NULL) and returns rc, so callers can write
 * `return ncb_errf(e, -EINVAL, "...")`. */
static inline NCB_PRINTF(3, 4) int ncb_errf(struct ncb_err *e, int rc,
					    const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return rc;
}

#endif
