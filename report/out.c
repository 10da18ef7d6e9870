/* Output files: the target is checked (a regular file or nothing, symlinks
 * followed), written to a temporary file beside it, synced and renamed into
 * place. And XML text escaping. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/out.h"

enum {
	TEMPS_MAX = 8,       /* output files open at once (report has 2) */
	TMP_SUFFIX_LEN = 11, /* ".tmp.XXXXXX" */
	SHOWN_LEN = 48,      /* bytes of an over-long name in a message */
};

/* Temporary files in flight, for out_remove_temps() in a signal handler:
 * a slot's name is written before it is marked used. */
static char temps[TEMPS_MAX][OUT_PATH_LEN];
static volatile sig_atomic_t is_temp_used[TEMPS_MAX];

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISFIFO(m))
		return "a fifo";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* The directory part of path ("." when there is none). */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* What the string alone says: refused before any system call. */
static int check_names(const char *path, struct ncb_err *e)
{
	size_t n = strlen(path), run = 0;

	if (!n)
		return ncb_errf(e, -EINVAL, "empty path");
	if (n >= OUT_PATH_LEN)
		return ncb_errf(e, -ENAMETOOLONG, "%.*s...: path longer than %d bytes",
				SHOWN_LEN, path, OUT_PATH_LEN - 1);
	if (path[n - 1] == '/')
		return ncb_errf(e, -EISDIR,
				"%s: names a directory (ends in '/'); give a file name",
				path);
	for (const char *p = path;; p++) {
		if (*p && *p != '/') {
			run++;
			continue;
		}
		if (run > NAME_MAX)
			return ncb_errf(e, -ENAMETOOLONG,
					"%.*s...: a name in the path is longer than %d bytes",
					SHOWN_LEN, path, NAME_MAX);
		run = 0;
		if (!*p)
			break;
	}
	return 0;
}

/* Fills target with what path names after symlinks, and st and is_there
 * with what is there; refuses anything but a regular file or nothing, and
 * a directory that is missing or not writable. */
static int resolve(const char *path, char *target, struct stat *st,
		   int *is_there, struct ncb_err *e)
{
	char dir[OUT_PATH_LEN], real[PATH_MAX];
	struct stat ds;

	*is_there = 0;
	snprintf(target, OUT_PATH_LEN, "%s", path);
	if (lstat(path, st) == 0) {
		*is_there = 1;
		/* A symlink is followed, as a shell's '>' would: the file it
		 * names is replaced and the link stays. The temporary file
		 * goes beside that file, so the rename stays on its file
		 * system. A link to nothing is refused rather than creating
		 * a file wherever it points. */
		if (S_ISLNK(st->st_mode)) {
			if (!realpath(path, real))
				return ncb_errf(e, -errno, "%s: symlink to %s", path,
						errno == ENOENT ? "nothing"
								: strerror(errno));
			if (strlen(real) >= OUT_PATH_LEN)
				return ncb_errf(e, -ENAMETOOLONG,
						"%s: symlink target path too long", path);
			snprintf(target, OUT_PATH_LEN, "%s", real);
			if (stat(target, st) < 0)
				return ncb_errf(e, -errno, "%s: %s", path,
						strerror(errno));
		}
	} else if (errno != ENOENT) {
		return ncb_errf(e, -errno, "%s: %s", path, strerror(errno));
	}
	if (*is_there && !S_ISREG(st->st_mode))
		return ncb_errf(e, S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL,
				"%s: is %s, not a regular file; give a file path",
				path, kind_of(st->st_mode));
	dir_of(target, dir, sizeof(dir));
	if (stat(dir, &ds) < 0)
		return ncb_errf(e, -errno, "%s: directory '%s': %s", path, dir,
				strerror(errno));
	if (!S_ISDIR(ds.st_mode))
		return ncb_errf(e, -ENOTDIR, "%s: '%s' is not a directory", path,
				dir);
	if (access(dir, W_OK) < 0)
		return ncb_errf(e, -errno, "%s: cannot write in '%s': %s", path,
				dir, strerror(errno));
	return 0;
}

int out_check(const char *path, struct ncb_err *e)
{
	char target[OUT_PATH_LEN];
	struct stat st;
	int is_there, rc = check_names(path, e);

	return rc < 0 ? rc : resolve(path, target, &st, &is_there, e);
}

static int hold_temp(const char *tmp)
{
	for (int i = 0; i < TEMPS_MAX; i++) {
		if (is_temp_used[i])
			continue;
		snprintf(temps[i], sizeof(temps[i]), "%s", tmp);
		atomic_signal_fence(memory_order_seq_cst);
		is_temp_used[i] = 1;
		return i;
	}
	return -1; /* not removed on a signal; still removed on errors */
}

/* After the rename or unlink: a signal before it still finds the file. */
static void release_temp(struct out_file *o)
{
	if (o->slot >= 0)
		is_temp_used[o->slot] = 0;
	o->slot = -1;
}

void out_remove_temps(void)
{
	for (int i = 0; i < TEMPS_MAX; i++)
		if (is_temp_used[i])
			unlink(temps[i]);
}

int out_open(struct out_file *o, const char *path, struct ncb_err *e)
{
	const char *base;
	struct stat st;
	mode_t mask;
	int fd, is_there, rc;

	o->f = NULL;
	o->slot = -1;
	o->tmp[0] = 0;
	rc = check_names(path, e);
	if (rc == 0)
		rc = resolve(path, o->target, &st, &is_there, e);
	if (rc < 0)
		return rc;
	snprintf(o->path, sizeof(o->path), "%s", path);
	/* A replaced file keeps its permissions; a new one gets what any
	 * new file gets (umask has no read-only form). */
	if (is_there) {
		o->mode = (int)(st.st_mode & 07777);
	} else {
		mask = umask(0);
		umask(mask);
		o->mode = (int)(0666 & ~mask);
	}
	/* The temporary name is the target's, cut so that it fits NAME_MAX
	 * with its suffix: "NAME.tmp.XXXXXX". */
	base = strrchr(o->target, '/');
	base = base ? base + 1 : o->target;
	if (snprintf(o->tmp, sizeof(o->tmp), "%.*s%.*s.tmp.XXXXXX",
		     (int)(base - o->target), o->target,
		     NAME_MAX - TMP_SUFFIX_LEN, base) >= (int)sizeof(o->tmp))
		return ncb_errf(e, -ENAMETOOLONG, "%s: path too long", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = 0;
		return ncb_errf(e, -errno, "%s: cannot create: %s", path,
				strerror(errno));
	}
	o->slot = hold_temp(o->tmp);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int err = errno;

		close(fd);
		unlink(o->tmp);
		release_temp(o);
		return ncb_errf(e, -err, "%s: %s", path, strerror(err));
	}
	return 0;
}

int out_commit(struct out_file *o, struct ncb_err *e)
{
	struct stat st;
	int bad, err;

	errno = 0;
	bad = ferror(o->f) || fflush(o->f) != 0 ||
	      fchmod(fileno(o->f), (mode_t)o->mode) < 0 ||
	      fsync(fileno(o->f)) < 0;
	err = errno ? errno : EIO;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	o->f = NULL;
	/* Checked again: the target may have been replaced by a device or
	 * a directory while the contents were written. */
	if (!bad && lstat(o->target, &st) == 0 && !S_ISREG(st.st_mode)) {
		unlink(o->tmp);
		release_temp(o);
		return ncb_errf(e, -EINVAL,
				"%s: is now %s, not a regular file; not replaced",
				o->path, kind_of(st.st_mode));
	}
	if (!bad && rename(o->tmp, o->target) < 0) {
		bad = 1;
		err = errno;
	}
	if (bad)
		unlink(o->tmp);
	release_temp(o);
	if (bad)
		return ncb_errf(e, -err, "%s: cannot write: %s", o->path,
				strerror(err));
	return 0;
}

void out_abort(struct out_file *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	release_temp(o);
}
