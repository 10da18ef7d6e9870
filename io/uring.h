/* io_uring probing: what the running kernel offers, for the environment
 * fingerprint of every result document. The io_uring engine itself is
 * reached through io/net.h (it lives in io/uring.c, beside this probe,
 * so that liburing is included in one file only). */
#ifndef NCB_IO_URING_H
#define NCB_IO_URING_H

#include <stddef.h>

/* Fills names[0..max-1] with static names of the io_uring features, setup
 * flags and operations this kernel offers (those ncbench cares about).
 * Returns the count, or a negative errno if io_uring is unavailable. */
int uring_features(const char **names, size_t max);

/* liburing version ncbench was built against (static string). */
const char *uring_version(void);

#endif
