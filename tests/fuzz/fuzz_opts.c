/* libFuzzer target for `ncbench run` command lines: the input, split at
 * NUL bytes, is the argument vector after "run". It goes through the option
 * parser and the plan checks (case list, workload checks, --output path),
 * as run_main does before the first case; nothing runs and nothing is
 * written. --suite, which would read a file named by the input, is left
 * to fuzz_suite. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/run.h"

enum { ARGS_MAX = 64, INPUT_MAX = 4096 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout)) /* --help */
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[INPUT_MAX + 1];
	char *argv[ARGS_MAX + 2] = { "run" };
	struct ncb_err e;
	int argc = 1;

	if (size > INPUT_MAX)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	/* Every NUL ends an argument; the parser edits them in place, as it
	 * may edit the real argv. */
	for (char *p = buf; p <= buf + size && argc <= ARGS_MAX;
	     p += strlen(p) + 1) {
		if (!strcmp(p, "--suite") || !strncmp(p, "--suite=", 8))
			return 0;
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	(void)!run_plan_check(argc, argv, &e);
	return 0;
}
