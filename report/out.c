/* Atomic output files and XML text escaping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/out.h"

int out_open(struct out_file *o, const char *path, struct ncb_err *e)
{
	int fd;

	if (snprintf(o->path, sizeof(o->path), "%s", path) >=
		    (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX", path) >=
		    (int)sizeof(o->tmp))
		return ncb_errf(e, -ENAMETOOLONG, "%s: path too long", path);
	fd = mkstemp(o->tmp);
	if (fd < 0)
		return ncb_errf(e, -errno, "%s: cannot create: %s", path,
				strerror(errno));
	fchmod(fd, 0644);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int err = errno;

		close(fd);
		unlink(o->tmp);
		return ncb_errf(e, -err, "%s: %s", path, strerror(err));
	}
	return 0;
}

int out_commit(struct out_file *o, struct ncb_err *e)
{
	int bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) < 0;
	int err = errno;

	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	o->f = NULL;
	if (!bad && rename(o->tmp, o->path) < 0) {
		bad = 1;
		err = errno;
	}
	if (bad) {
		unlink(o->tmp);
		return ncb_errf(e, -err, "%s: cannot write: %s", o->path,
				strerror(err));
	}
	return 0;
}

void out_abort(struct out_file *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}

void out_xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}
