/* The table `run` prints as its cases finish. Its columns follow what a
 * workload is about: an in-memory cipher shows Gbit/s, Mpps and cycles
 * per byte; a network flow Gbit/s, each side's CPU per Gbit/s and drops;
 * a request/response p50 and p99 latency, exchanges a second, each side's
 * CPU per Gbit/s and drops. A header comes whenever the kind changes, and
 * a legend of the marks shown comes under the last row. */
#ifndef NCB_BENCH_TABLE_H
#define NCB_BENCH_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct summary;

enum {
	TABLE_COLS = 100, /* no line is wider */
};

/* What a row is about; strings borrowed. */
struct table_case {
	const char *workload, *cipher, *backend;
	size_t size;
	unsigned threads;
	int is_net;    /* ran over a transport */
	int peer_mode; /* two hosts: an enum wl_peer_mode; -1 on one host */
};

/* What a table printed so far: zero it before the first row. Not
 * thread-safe; one per run. */
struct table {
	int kind;       /* of the last header printed; 0 before any */
	unsigned marks; /* the marks shown, for the legend */
};

/* Prints c's row (and a header first when its kind differs from the last
 * row's) to f and flushes f. */
void table_row(struct table *t, FILE *f, const struct table_case *c,
	       const struct summary *s);

/* The legend of the marks the rows showed; nothing when none. */
void table_end(struct table *t, FILE *f);

#endif
