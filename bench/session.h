/* A two-host case's session: the protocol's messages (session_msg.h)
 * over one control connection (io/ctl.h), the peer's failures, and the
 * swap hook of struct wl_peer. */
#ifndef NCB_BENCH_SESSION_H
#define NCB_BENCH_SESSION_H

#include <jansson.h>
#include <stddef.h>
#include <sys/socket.h>

#include "bench/session_msg.h"
#include "io/ncb.h"

struct ctl;
struct wl_peer;

/* One control connection's protocol state. */
struct session;

/* "1.2.3.4:7478" or "[fd00::2]:7478" (an IPv4-mapped address as IPv4). */
void session_addr_format(const struct sockaddr_storage *a, char *buf,
			 size_t len);

/* Takes c (freed by session_free, also when this fails). -ENOMEM. */
NCB_MUST_CHECK int session_new(struct session **out, struct ctl *c);
/* Closes the connection; NULL is ok. */
void session_free(struct session *s);

/* The peer's address, as session_addr_format writes it. */
const char *session_peer_address(const struct session *s);

/* The control connection's socket, to watch for a hang-up
 * (io/ctl.h ctl_fd). */
int session_fd(const struct session *s);

/* Sends msg (taken, also on failure). 0 or a negative errno with e. */
NCB_MUST_CHECK int session_send(struct session *s, json_t *msg,
				struct ncb_err *e);
/* Receives one message of type `type` (NULL: any) within timeout_ms, a
 * new reference in *msg. An "error" from the peer is -EPIPE with e
 * "peer: MESSAGE"; a closed connection -EPIPE; another type -EPROTO. */
NCB_MUST_CHECK int session_recv(struct session *s, const char *type,
				int timeout_ms, json_t **msg,
				struct ncb_err *e);
/* Before a message the peer does not answer at once ("rep"): whether
 * the peer said something meanwhile. 0 if nothing waits; a waiting
 * "error" is -EPIPE with e "peer: MESSAGE", anything else -EPROTO. */
NCB_MUST_CHECK int session_pending(struct session *s, struct ncb_err *e);
/* Something failed here: tells the peer (best effort: an "error" with
 * why, unless the peer already failed or left) and closes the
 * connection, so the peer's waiting swap or recv ends at once. */
void session_fail(struct session *s, const char *why);

/* The swap hook of struct wl_peer, with ctx a struct session: sends
 * {"type": "swap", "step", "data": mine}, waits for the peer's swap of
 * the same step. The failure is also kept for session_error. */
int session_swap(void *ctx, const char *step, json_t *mine, json_t **theirs,
		 int timeout_ms, struct ncb_err *e);
/* Fills p for a case on this connection: the control connection's two
 * addresses (IPv4-mapped ones as IPv4), the swap hook, and the session's
 * buffer for a repetition's failure (session_error reads it). */
NCB_MUST_CHECK int session_wl_peer(struct session *s, struct wl_peer *p,
				   int is_server, unsigned mode,
				   const char *dev, struct ncb_err *e);
/* Why the last repetition, swap or recv failed ("" if none): run_rep
 * returns only an errno; the workload (wl_peer.err) and the session know
 * what happened, the workload's word first. */
const char *session_error(const struct session *s);

#endif
