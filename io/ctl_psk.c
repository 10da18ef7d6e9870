/* The PSK file: 32 random bytes as 64 hex digits and a newline, mode
 * 0600. Read only from a regular file that group and others cannot
 * touch (io/secret.h); every buffer that held the key is wiped. */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/ctl.h"
#include "io/secret.h"

enum {
	HEX_LEN = 2 * CTL_PSK_LEN,
	FILE_LEN = HEX_LEN + 1, /* with the newline */
	SHOWN_MAX = 128,        /* characters of a file name in a message */
};

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* 64 hex digits into 32 bytes: 0 or -1. */
static int decode(const char *hex, uint8_t *psk)
{
	for (size_t i = 0; i < CTL_PSK_LEN; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		psk[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int ctl_psk_load(const char *path, uint8_t psk[CTL_PSK_LEN],
		 struct ncb_err *e)
{
	/* One byte more than a valid file, to see a longer one. */
	char buf[FILE_LEN + 1];
	ssize_t n;
	int fd = secret_open(path, "PSK file", e), rc = 0;

	if (fd < 0) {
		explicit_bzero(psk, CTL_PSK_LEN);
		return fd;
	}
	n = secret_read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		rc = ncb_errf(e, (int)n, "PSK file '%.*s': %s", SHOWN_MAX, path,
			      strerror((int)-n));
	else if ((n != HEX_LEN && (n != FILE_LEN || buf[HEX_LEN] != '\n')) ||
		 decode(buf, psk) < 0)
		rc = ncb_errf(e, -EINVAL,
			      "PSK file '%.*s' does not hold a key (64 hex digits; ncbench psk -o FILE makes one)",
			      SHOWN_MAX, path);
	explicit_bzero(buf, sizeof(buf));
	if (rc < 0)
		explicit_bzero(psk, CTL_PSK_LEN);
	return rc;
}

/* Fills buf with n random bytes: 0 or -errno. */
static int random_bytes(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	return 0;
}

/* Writes all of buf, then forces it to the disk: 0 or -errno. */
static int write_synced(int fd, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)n;
	}
	return fsync(fd) < 0 ? -errno : 0;
}

int ctl_psk_write(const char *path, struct ncb_err *e)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t key[CTL_PSK_LEN];
	char text[FILE_LEN];
	int fd, rc = random_bytes(key, sizeof(key));

	if (rc < 0)
		return ncb_errf(e, rc, "no random bytes: %s", strerror(-rc));
	for (size_t i = 0; i < CTL_PSK_LEN; i++) {
		text[2 * i] = digits[key[i] >> 4];
		text[2 * i + 1] = digits[key[i] & 15];
	}
	text[HEX_LEN] = '\n';
	explicit_bzero(key, sizeof(key));
	/* O_EXCL: never replace a key someone relies on, nor follow a
	 * link planted where the file should go. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
				O_NOCTTY, 0600);
	if (fd < 0) {
		rc = -errno;
		explicit_bzero(text, sizeof(text));
		if (rc == -EEXIST)
			return ncb_errf(e, rc, "'%.*s' exists (a key is never overwritten)",
					SHOWN_MAX, path);
		return ncb_errf(e, rc, "cannot create '%.*s': %s", SHOWN_MAX, path,
				strerror(-rc));
	}
	/* The umask could only take bits away; fchmod makes it exactly 0600
	 * whatever the umask and the file system's defaults. */
	rc = fchmod(fd, 0600) < 0 ? -errno : write_synced(fd, text, sizeof(text));
	explicit_bzero(text, sizeof(text));
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0) {
		unlink(path);
		return ncb_errf(e, rc, "cannot write '%.*s': %s", SHOWN_MAX, path,
				strerror(-rc));
	}
	return 0;
}
