/* Environment fingerprint of the host a result was measured on: what a
 * reader needs to trust or question a number. */
#ifndef NCB_BENCH_ENV_H
#define NCB_BENCH_ENV_H

#include <jansson.h>
#include <stddef.h>

#include "bench/hygiene.h"
#include "io/ncb.h"

struct pin_topo;

enum {
	ENV_STR = 256,
	ENV_FLAGS = 4096,
	ENV_FEATURES = 32,
	ENV_FEATURE_LEN = 32,
};

/* Plain data (no pointers): a peer's fingerprint crosses from a case's
 * process to the run's in shared memory. */
struct env_host {
	char hostname[ENV_STR];
	char kernel[ENV_STR];
	char cpu_model[ENV_STR];
	char cpu_flags[ENV_FLAGS]; /* space separated, as in /proc/cpuinfo */
	char microcode[ENV_STR];   /* "" when not readable */
	char smt[32];              /* on, off, notsupported, "" */
	char governor[64];         /* "" when not readable */
	int boost;                 /* 1, 0, or -1 when not readable */
	int is_invariant_tsc;
	double tsc_hz;
	unsigned pus, cores, numa_nodes, packages;
	char io_uring[ENV_FEATURES][ENV_FEATURE_LEN];
	int io_uring_count; /* negative errno when io_uring is unavailable */
	struct hygiene hygiene; /* of every PU this process may use */
};

/* One linked library and its version (static strings). */
struct env_lib {
	const char *name, *version;
};

/* Every library a result depends on, in the order the document lists
 * them: each AEAD backend's (crypto/aead.h), then the rest. */
enum { ENV_LIBS_MAX = 16 };

struct env_libs {
	struct env_lib libs[ENV_LIBS_MAX];
	size_t n;
};

/* Reads /proc, /sys, uname and the topology, and the hygiene facts
 * (about 100 ms). Never fails: what cannot be read is left empty. */
void env_host_read(struct env_host *h, const struct pin_topo *topo);
void env_libs_read(struct env_libs *l);

/* The document's "host" object of h (a new reference, NULL without
 * memory); the same object tells a peer what this host is. */
json_t *env_host_json(const struct env_host *h);
/* The reverse, for what a peer sent: every field present with its type
 * and within its buffer, strings free of control bytes, numbers finite
 * and in range, no unknown key. 0, or -EPROTO with e naming the field.
 * Fields the object does not carry (hygiene verdicts and hints) stay
 * empty. */
NCB_MUST_CHECK int env_host_from_json(const json_t *j, struct env_host *h,
				      struct ncb_err *e);

#endif
