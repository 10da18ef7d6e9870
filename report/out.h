/* Output files of report/: written whole to a temporary file beside the
 * target, then renamed, so a reader never sees half a file. */
#ifndef NCB_REPORT_OUT_H
#define NCB_REPORT_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "io/ncb.h"

struct out_file {
	FILE *f;
	char path[4096], tmp[4096];
};

/* Opens a temporary file for path. 0 or -errno with e filled. */
NCB_MUST_CHECK int out_open(struct out_file *o, const char *path,
			    struct ncb_err *e);
/* Flushes, syncs and renames into place; on any error removes the
 * temporary file. 0 or -errno with e filled. */
NCB_MUST_CHECK int out_commit(struct out_file *o, struct ncb_err *e);
/* Drops the temporary file (an error happened while writing). */
void out_abort(struct out_file *o);

/* Text with the five XML special characters escaped. */
void out_xml(FILE *f, const char *s);

#endif
