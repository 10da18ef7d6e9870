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

/* Zeroes the vector registers, which SIMD copy and string functions
 * leave holding key material, and which the dynamic linker saves on the
 * stack at the next symbol's first call (and a core dump keeps). Every
 * vector register is call-clobbered, so nothing of the caller's lives
 * in them here. */
static __attribute__((noinline)) void clear_vectors(void)
{
#if defined(__x86_64__)
	if (__builtin_cpu_supports("avx512f"))
		__asm__ volatile("vzeroall\n\t"
				 "vpxord %zmm16, %zmm16, %zmm16\n\t"
				 "vpxord %zmm17, %zmm17, %zmm17\n\t"
				 "vpxord %zmm18, %zmm18, %zmm18\n\t"
				 "vpxord %zmm19, %zmm19, %zmm19\n\t"
				 "vpxord %zmm20, %zmm20, %zmm20\n\t"
				 "vpxord %zmm21, %zmm21, %zmm21\n\t"
				 "vpxord %zmm22, %zmm22, %zmm22\n\t"
				 "vpxord %zmm23, %zmm23, %zmm23\n\t"
				 "vpxord %zmm24, %zmm24, %zmm24\n\t"
				 "vpxord %zmm25, %zmm25, %zmm25\n\t"
				 "vpxord %zmm26, %zmm26, %zmm26\n\t"
				 "vpxord %zmm27, %zmm27, %zmm27\n\t"
				 "vpxord %zmm28, %zmm28, %zmm28\n\t"
				 "vpxord %zmm29, %zmm29, %zmm29\n\t"
				 "vpxord %zmm30, %zmm30, %zmm30\n\t"
				 "vpxord %zmm31, %zmm31, %zmm31");
	else if (__builtin_cpu_supports("avx"))
		__asm__ volatile("vzeroall");
	else
		__asm__ volatile("pxor %xmm0, %xmm0\n\tpxor %xmm1, %xmm1\n\t"
				 "pxor %xmm2, %xmm2\n\tpxor %xmm3, %xmm3\n\t"
				 "pxor %xmm4, %xmm4\n\tpxor %xmm5, %xmm5\n\t"
				 "pxor %xmm6, %xmm6\n\tpxor %xmm7, %xmm7\n\t"
				 "pxor %xmm8, %xmm8\n\tpxor %xmm9, %xmm9\n\t"
				 "pxor %xmm10, %xmm10\n\tpxor %xmm11, %xmm11\n\t"
				 "pxor %xmm12, %xmm12\n\tpxor %xmm13, %xmm13\n\t"
				 "pxor %xmm14, %xmm14\n\tpxor %xmm15, %xmm15");
#endif
}

__attribute__((noinline)) void keys_wipe_stack(void)
{
	unsigned char below[KEYS_STACK_WIPE];

	explicit_bzero(below, sizeof(below));
	clear_vectors();
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
