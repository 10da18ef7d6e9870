/* Capture files (capfile.h): libpcap writes the records, report/out.c
 * makes the file appear whole or not at all. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/capfile.h"
#include "report/out.h"
#include "workloads/capture.h"

/* Dumps every packet of cap into f (libpcap closes f): 0 or -EIO with
 * e. */
static int dump(const struct capture *cap, FILE *f, unsigned *n,
		struct ncb_err *e)
{
	size_t room = cap->pkt_max + CAPTURE_HDR_MAX;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, (int)room);
	uint8_t *frame = malloc(room);
	pcap_dumper_t *d = NULL;
	int rc = 0;

	if (p && frame)
		d = pcap_dump_fopen(p, f);
	if (!d) {
		fclose(f);
		rc = ncb_errf(e, -ENOMEM, "cannot start a capture: %s",
			      p ? pcap_geterr(p) : "out of memory");
	}
	for (unsigned i = 0; rc == 0 && i < cap->n; i++) {
		uint64_t t = cap->t0_ns / 1000 + i; /* a microsecond apart */
		struct pcap_pkthdr h = {
			.ts = { .tv_sec = (time_t)(t / 1000000),
				.tv_usec = (suseconds_t)(t % 1000000) },
		};

		h.caplen = h.len = (bpf_u_int32)capture_frame(cap, i, frame, room);
		pcap_dump((u_char *)d, &h, frame);
	}
	if (d) {
		if (pcap_dump_flush(d) < 0 && rc == 0)
			rc = ncb_errf(e, -EIO, "cannot write the capture");
		pcap_dump_close(d);
	}
	*n = cap->n;
	if (p)
		pcap_close(p);
	free(frame);
	return rc;
}

void capfile_write(void *ctx, const struct capture *cap)
{
	struct capfile_job *job = ctx;
	struct ncb_err e = { "" };
	struct out_file of;
	FILE *f = NULL;
	int fd, rc;

	rc = out_open(&of, job->path, &e);
	if (rc == 0) {
		/* libpcap closes the stream it writes: a second descriptor
		 * of the temporary file, so out_commit syncs and renames it
		 * through its own. */
		fd = dup(fileno(of.f));
		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f) {
			if (fd >= 0)
				close(fd);
			rc = ncb_errf(&e, -errno, "cannot write '%s'", job->path);
		}
	}
	if (rc == 0)
		rc = dump(cap, f, &job->written, &e);
	if (rc == 0)
		rc = out_commit(&of, &e);
	else if (of.f)
		out_abort(&of);
	job->rc = rc;
	if (rc < 0)
		snprintf(job->err.msg, sizeof(job->err.msg), "--pcap %s", e.msg);
}
