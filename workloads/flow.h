/* The bulk data path of a security gateway, for any framing: per pair, a
 * sender thread builds inner packets, frames and seals a whole batch
 * (timed) and hands it to the I/O engine; a receiver thread on another
 * PU gets batches, opens them through the framing (decap per datagram,
 * or feed per piece of a byte stream; timed) and, with --verify, checks
 * every payload and sequence number. Two patterns run on it: `flow`
 * (datagram framings) and `stream` (byte-stream framings, stream.c). */
#ifndef NCB_WORKLOADS_FLOW_H
#define NCB_WORKLOADS_FLOW_H

#include "io/ncb.h"
#include "workloads/wl.h"

/* struct pattern_ops hooks of flow and stream; opts is a struct
 * pattern_opts, the framing is c->ops->framing. */
NCB_MUST_CHECK int flow_check(const struct wl_case *c, const void *opts,
			      struct ncb_err *e);
NCB_MUST_CHECK int flow_setup(const struct wl_case *c, const void *opts,
			      void **state, struct ncb_err *e);
int flow_run_rep(void *state, double seconds, struct wl_counters *out);
void flow_describe(void *state, struct wl_desc *d);
void flow_teardown(void *state);

#endif
