/* Opening and reading files that hold secrets (secret.h). */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/secret.h"

enum {
	SHOWN_MAX = 128, /* characters of a file name in a message */
};

int secret_open(const char *path, const char *what, struct ncb_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY), rc;

	if (fd < 0) {
		rc = -errno;
		if (rc == -ELOOP)
			return ncb_errf(e, rc, "%s '%.*s' is a symbolic link (name the file itself)",
					what, SHOWN_MAX, path);
		return ncb_errf(e, rc, "%s '%.*s': %s", what, SHOWN_MAX, path,
				strerror(-rc));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ncb_errf(e, -EINVAL, "%s '%.*s' is not a regular file",
				what, SHOWN_MAX, path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return ncb_errf(e, -EACCES,
				"permissions %04o for '%.*s' are too open (chmod 600 %.*s)",
				(unsigned)(st.st_mode & 07777), SHOWN_MAX, path,
				SHOWN_MAX, path);
	}
	return fd;
}

ssize_t secret_read(int fd, void *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		ssize_t n = read(fd, (char *)buf + got, max - got);

		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}
