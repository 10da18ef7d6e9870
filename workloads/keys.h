/* Key material of every workload comes from one place: random bytes, or a
 * known pattern when the test hook NCBENCH_TEST_KEY_BYTE is set, so a test
 * can search a core dump for copies that outlived their use. */
#ifndef NCB_WORKLOADS_KEYS_H
#define NCB_WORKLOADS_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

/* Fills len bytes of buf with fresh random key material. With the test
 * hook NCBENCH_TEST_KEY_BYTE=SEED (0..255) set, byte i is a fixed function
 * of (SEED, i) instead (docs/HACKING.md). Thread-safe. Returns 0, or
 * -EIO (no random bytes) or -EINVAL (bad hook value) with a message. */
NCB_MUST_CHECK int keys_fill(uint8_t *buf, size_t len, struct ncb_err *e);

/* Overwrites the KEYS_STACK_WIPE bytes of stack below the caller, where
 * frames that have returned may still hold key bytes no wipe of ours
 * reaches, then zeroes the vector registers: SIMD string and copy
 * functions leave key material (or its hex digits) in them, and the
 * dynamic linker saves them on the stack at a symbol's first call. main
 * calls it after each command. */
enum { KEYS_STACK_WIPE = 64 << 10 };
void keys_wipe_stack(void);

/* Test hook NCBENCH_TEST_STOP=1: stops the process (SIGSTOP) so a test can
 * take a core dump after every case is torn down; continues on SIGCONT.
 * Nothing happens when the variable is not set. */
void keys_test_stop(void);

#endif
