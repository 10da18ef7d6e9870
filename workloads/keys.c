/* Where workloads get key bytes, and the two test hooks that let a test
 * prove none of them survives teardown (tests/e2e/keys.sh). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>

#include "workloads/keys.h"

/* Byte i of the test pattern: a 64-bit mix of (seed, i), so every window
 * of a key is distinct, no window is zeros, and the test can compute the
 * same bytes (tests/e2e/keys.sh has the same function). */
static uint8_t pattern_byte(unsigned seed, size_t i)
{
	uint64_t x = ((uint64_t)seed << 32 | (uint64_t)i) *
		     0x9e3779b97f4a7c15ull;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint8_t)x;
}

int keys_fill(uint8_t *buf, size_t len, struct ncb_err *e)
{
	const char *hook = getenv("NCBENCH_TEST_KEY_BYTE");
	size_t done = 0;

	if (hook) {
		char *end;
		unsigned long seed = strtoul(hook, &end, 0);

		if (!*hook || *end || seed > 0xff)
			return ncb_errf(e, -EINVAL,
					"NCBENCH_TEST_KEY_BYTE: '%.16s' is not a byte (0..255)",
					hook);
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern_byte((unsigned)seed, i);
		return 0;
	}
	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ncb_errf(e, -EIO, "cannot read random key bytes");
		done += (size_t)n;
	}
	return 0;
}

void keys_test_stop(void)
{
	const char *hook = getenv("NCBENCH_TEST_STOP");

	if (!hook || strcmp(hook, "1") != 0)
		return;
	/* Where Yama restricts ptrace to ancestors, let the test's gcore
	 * (a sibling) attach. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	raise(SIGSTOP);
}
