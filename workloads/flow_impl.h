/* The state of a bulk case (flow.h), shared by its coordinator (flow.c)
 * and its two-host steps (flow_peer.c). Not for use elsewhere. */
#ifndef NCB_WORKLOADS_FLOW_IMPL_H
#define NCB_WORKLOADS_FLOW_IMPL_H

#include <stdint.h>

#include "workloads/flow_half.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"

struct flow;

/* A team worker: one end (half) of one unit slot (pair.h). */
struct end {
	struct flow *f;
	unsigned slot;
	int is_rx;
};

struct flow {
	const struct wl_case *c;
	const struct wl_peer *peer; /* c->peer */
	struct pattern_opts o;
	struct flow_half h;
	struct pairs pairs;
	struct end *ends;          /* by end (pair.h) */
	/* By slot. On two hosts the half that runs on the other host is a
	 * mirror: only its last repetition's counts, from step "counts". */
	struct flow_tx *tx;
	struct flow_rx *rx;
	struct flow_mailbox *mail; /* by slot: the sender's reports */
	uint32_t reps;             /* repetitions begun */
	struct ncb_err err;        /* why a repetition failed, when
				    * peer->err is NULL */
};

/* Two hosts (flow_peer.c). The step of team_rep_sync (ctx: the flow):
 * waits for the senders here to report, swaps the reports ("reports")
 * and posts the other host's into the mailboxes of the receivers here.
 * On any failure or an interrupt it posts final reports so the receivers
 * here end their drain, and returns the negative errno. */
int flow_peer_sync(void *ctx);
/* After the repetition: swaps each host's half results and team counters
 * ("counts"), fills the mirrors, out->peer and out->seconds (the span of
 * the host that runs the senders). 0 or a negative errno. */
NCB_MUST_CHECK int flow_peer_counts(struct flow *f, struct wl_counters *out);

#endif
