/* Files that hold secrets (the control channel's key, SA files): read
 * only from a regular file, not through a symbolic link, that group and
 * others can neither read nor write, as ssh treats private keys. */
#ifndef NCB_IO_SECRET_H
#define NCB_IO_SECRET_H

#include <stddef.h>
#include <sys/types.h>

#include "io/ncb.h"

/* Opens path for reading: a descriptor (the caller closes it), or
 * -errno with e naming `what` ("PSK file") and path: -ELOOP a symbolic
 * link, -EINVAL not a regular file, -EACCES permissions for group or
 * others (with the chmod that fixes them), else open's error. */
NCB_MUST_CHECK int secret_open(const char *path, const char *what,
			       struct ncb_err *e);

/* Reads up to max bytes of fd into buf (fewer only at end of file): the
 * count, or -errno. */
NCB_MUST_CHECK ssize_t secret_read(int fd, void *buf, size_t max);

#endif
