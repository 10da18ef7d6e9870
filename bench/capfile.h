/* run --pcap FILE: the writer of a case's capture (struct wl_capture,
 * workloads/capture.h), in libpcap's file format with Ethernet frames
 * (LINKTYPE_ETHERNET), written whole through report/out.c (a temporary
 * file beside FILE, fsync, rename). */
#ifndef NCB_BENCH_CAPFILE_H
#define NCB_BENCH_CAPFILE_H

#include "io/ncb.h"

struct capture;

/* What one case's writing did (the ctx of its struct wl_capture). */
struct capfile_job {
	const char *path;    /* borrowed */
	int rc;              /* 0, or -errno of the last write */
	unsigned written;    /* packets in the file */
	struct ncb_err err;
};

/* struct wl_capture's write: cap's packets, as frames, into job->path
 * (ctx, a struct capfile_job). Keeps its result in the job. */
void capfile_write(void *ctx, const struct capture *cap);

#endif
