/* The bulk data path of a security gateway, for any framing: per pair, a
 * sender thread builds inner packets, frames and seals a whole batch
 * (timed) and hands it to the I/O engine; a receiver thread on another
 * PU gets batches, opens them through the framing (decap per datagram,
 * or feed per piece of a byte stream; timed) and, with --verify, checks
 * every payload and sequence number. Two patterns run on it: `flow`
 * (datagram framings) and `stream` (byte-stream framings, stream.c).
 * Each pair is a sender half and a receiver half that share only what
 * flow_half.h says. */
#ifndef NCB_WORKLOADS_FLOW_H
#define NCB_WORKLOADS_FLOW_H

#include "workloads/wl.h"

/* Flags and hooks of the workloads of flow and stream (the template
 * of struct pattern_ops.wl); their options are a struct pattern_opts,
 * their framing c->ops->framing. */
extern const struct wl_ops flow_bulk;

#endif
