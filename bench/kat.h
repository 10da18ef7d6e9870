/* `ncbench kat FILE...`: known-answer checks of vector files against every
 * backend that offers each vector's algorithm. */
#ifndef NCB_BENCH_KAT_H
#define NCB_BENCH_KAT_H

#include <stddef.h>

#include "io/ncb.h"

/* argv[0] is "kat". Returns 0 (all passed or skipped), 1 (a mismatch),
 * 2 (usage error, unreadable or malformed file). */
int kat_main(int argc, char **argv);

/* One vector file given as bytes (name stands for it in messages): its
 * form is checked as kat_main checks a file, and if is_run and it is well
 * formed, its vectors run, result lines on stdout. 0, or -EINVAL with e
 * filled. For fuzzing. */
NCB_MUST_CHECK int kat_check_buf(const char *name, const void *data,
				 size_t len, int is_run, struct ncb_err *e);

#endif
