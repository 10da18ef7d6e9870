/* Where a case's workers ran, as the document's "placement" array: this
 * host's, and the one a peer reports for its own workers. */
#ifndef NCB_BENCH_PLACE_H
#define NCB_BENCH_PLACE_H

#include <jansson.h>

#include "io/ncb.h"
#include "io/pin.h"

/* [{"pu", "core", "numa", "mem_bound"}, ...] of the n entries of p (a new
 * reference, NULL without memory). */
json_t *place_json(const struct pin_place *p, unsigned n);

/* The reverse, for what a peer sent: an array of at most max such
 * objects, each number an integer in range, mem_bound a boolean, nothing
 * else. Fills out[0..*n-1]; 0, or -EPROTO with e naming the entry. */
NCB_MUST_CHECK int place_from_json(const json_t *a, struct pin_place *out,
				   unsigned max, unsigned *n,
				   struct ncb_err *e);

#endif
