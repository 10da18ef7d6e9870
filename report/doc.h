/* Result documents read back (schema ncbench.result/1) for report,
 * compare, plan and export: each case with its identity and samples. */
#ifndef NCB_REPORT_DOC_H
#define NCB_REPORT_DOC_H

#include <stddef.h>

#include "io/ncb.h"

enum {
	DOC_KEY_LEN = 256,
	DOC_SAMPLES_MAX = 1000,
};

struct doc_case {
	/* Identity: what compare matches on. Strings are "" when absent. */
	const char *workload, *cipher, *backend, *direction;
	const char *transport, *io, *framing, *imix;
	long size;
	unsigned threads;
	unsigned workers;      /* threads x workers per thread (esp: 2) */
	char key[DOC_KEY_LEN]; /* all of the above in one line */
	char series[DOC_KEY_LEN]; /* the key without size and threads */
	/* Per sample. */
	double *gbps, *pps;
	size_t n;
	/* From the summary. */
	double gbps_median, gbps_ci95[2], pps_median;
	double us_per_packet, cpu_util, cycles_per_byte;
	/* Request/response latency (rr workload), when the result has it. */
	int has_latency;
	double lat_ns[5]; /* p50, p90, p99, p99.9, max */
};

struct doc {
	char path[512];
	const char *schema, *hostname, *cpu_model, *kernel, *started;
	const char *version, *git;
	const char *lib_openssl, *lib_gcrypt, *lib_liburing;
	const char *lib_ipsec_mb, *lib_sodium;
	unsigned pus;
	int is_complete;
	struct doc_case *cases;
	size_t n_cases;
	void *root; /* the parsed document; strings above point into it */
};

/* Reads and checks path. 0, or -EINVAL (unreadable or malformed, with e
 * naming the file and the problem). Caller frees with doc_free(). */
NCB_MUST_CHECK int doc_load(struct doc **out, const char *path,
			    struct ncb_err *e);
void doc_free(struct doc *d);

/* The case with this identity key, or NULL. */
const struct doc_case *doc_find(const struct doc *d, const char *key);

#endif
