/* libFuzzer target for vector files of `ncbench kat`: the input is one
 * file. Its form is checked as kat_main checks it, and a well-formed file
 * runs against every backend (result lines go to /dev/null), so the
 * lengths the checks let through reach the AEAD, framing and suite
 * family code (seeds: one file per family, etm included). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/kat.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ncb_err e;

	(void)!kat_check_buf("fuzz.json", data, size, 1, &e);
	return 0;
}
