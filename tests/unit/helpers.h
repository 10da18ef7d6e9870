/* Test helpers: count checks, one stderr line per failure naming the
 * case, a summary line CI can read. */
#ifndef NCB_TESTS_UNIT_HELPERS_H
#define NCB_TESTS_UNIT_HELPERS_H

#include "io/ncb.h"

/* Records one check; on failure prints "FAIL: <case>" to stderr. */
NCB_PRINTF(2, 3) void t_check(int ok, const char *fmt, ...);
/* Prints "<name>: N passed, N failed" and returns the exit status. */
int t_done(const char *name);

struct framing_ops;
/* Fills opts (FRAMING_OPTS_MAX bytes) with the defaults of f's option
 * table, as `ncbench run` would before parsing. */
void t_framing_defaults(const struct framing_ops *f, unsigned char *opts);

#endif
