/* Environment fingerprint of the host a result was measured on: what a
 * reader needs to trust or question a number. */
#ifndef NCB_BENCH_ENV_H
#define NCB_BENCH_ENV_H

#include <stddef.h>

#include "bench/hygiene.h"

struct pin_topo;

enum { ENV_STR = 256, ENV_FLAGS = 4096, ENV_FEATURES = 32 };

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
	const char *io_uring[ENV_FEATURES];
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

#endif
