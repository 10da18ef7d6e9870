/* libFuzzer target for suite files (`ncbench run --suite FILE`): the input
 * is the file. It is loaded and every group goes through the run option
 * parser and the plan checks, as run_main does before the first case;
 * nothing runs and nothing is written. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench/run.h"

static char path[] = "/tmp/ncbench-fuzz-suite.XXXXXX";
static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Help text and the like are not what is fuzzed. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { "run", "--suite", path, NULL };
	struct ncb_err e;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	(void)!run_plan_check(3, argv, &e);
	return 0;
}
