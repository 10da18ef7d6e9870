/* Suites: `ncbench run --suite FILE.json`. A suite is a list of case
 * groups, each a set of `run` options written as JSON keys (values: a
 * string, a number, a list, or true for a flag), with optional defaults
 * for every group:
 *
 *   {"name": "quick", "defaults": {"duration": 0.5, "repeat": 5},
 *    "groups": [{"workload": "cipher", "size": [64, 1420]},
 *               {"workload": "esp", "cipher": ["null", "aes-256-gcm"],
 *                "verify": true}]}
 *
 * Each group becomes an argument vector for the same option parser as the
 * command line, so a suite accepts what `run` accepts, keys spelled in
 * full; help, output, suite, quiet and progress belong to the command
 * line and are refused. */
#ifndef NCB_BENCH_SUITE_H
#define NCB_BENCH_SUITE_H

#include <stddef.h>

#include "io/ncb.h"

enum {
	SUITE_GROUPS_MAX = 32,
	SUITE_ARGS_MAX = 128,
};

struct suite {
	char name[64];
	size_t n_groups;
	int argc[SUITE_GROUPS_MAX];
	char *argv[SUITE_GROUPS_MAX][SUITE_ARGS_MAX + 1]; /* owned */
};

/* Loads path; every group's vector is "run", the defaults, the group's
 * options, then extra[0..n_extra) (command-line options, which win).
 * 0, or -EINVAL with e naming the file and the group. Caller frees with
 * suite_free(). */
NCB_MUST_CHECK int suite_load(struct suite **out, const char *path,
			      char *const *extra, int n_extra,
			      struct ncb_err *e);
/* The same from bytes in memory; name stands for the file in messages. */
NCB_MUST_CHECK int suite_load_buf(struct suite **out, const char *name,
				  const void *data, size_t len,
				  char *const *extra, int n_extra,
				  struct ncb_err *e);
void suite_free(struct suite *s);

#endif
