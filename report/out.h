/* Output files: every file ncbench writes (result documents, exports,
 * compare reports, report pages) goes through here. The path must name a
 * regular file or nothing; a symlink is followed to the regular file it
 * names, and that file is replaced. The new contents are written whole to
 * a temporary file beside the target, synced and renamed into place, so a
 * reader never sees half a file and a device, fifo, socket or directory
 * at the path is never replaced. */
#ifndef NCB_REPORT_OUT_H
#define NCB_REPORT_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "io/ncb.h"

enum { OUT_PATH_LEN = 4096 };

struct out_file {
	FILE *f;
	char path[OUT_PATH_LEN];   /* as given: what messages name */
	char target[OUT_PATH_LEN]; /* symlinks resolved: what is replaced */
	char tmp[OUT_PATH_LEN];
	int mode;   /* permissions the committed file gets */
	int slot;   /* in the table out_remove_temps() reads, or -1 */
};

/* Whether path may be written: not empty, not ending in '/', every name
 * in it at most NAME_MAX bytes, its directory exists and is writable, and
 * what is there (after following symlinks) is a regular file or nothing.
 * A dangling symlink is refused. Touches nothing. 0, or -errno with e
 * naming path and the reason. */
NCB_MUST_CHECK int out_check(const char *path, struct ncb_err *e);

/* out_check(), then opens a temporary file beside the target; o->f takes
 * the contents. 0, or -errno with e filled (nothing created). */
NCB_MUST_CHECK int out_open(struct out_file *o, const char *path,
			    struct ncb_err *e);
/* Flushes, syncs and renames into place, unless the target has become
 * something other than a regular file meanwhile; on any error removes
 * the temporary file. 0 or -errno with e filled. */
NCB_MUST_CHECK int out_commit(struct out_file *o, struct ncb_err *e);
/* Drops the temporary file (an error happened while writing). */
void out_abort(struct out_file *o);

/* Removes every temporary file still open. Async-signal-safe: for a
 * signal handler that ends the process. */
void out_remove_temps(void);

#endif
