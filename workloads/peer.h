/* A case on two hosts (`ncbench run --peer` and `ncbench serve`): both
 * hosts run the same workload code for the same case, each only the ends
 * placed on it, and at fixed steps of set-up and of every repetition
 * they swap one JSON object (both send theirs, then both read the
 * other's). bench/ carries the objects over the control channel
 * (io/ctl.h); the workload only sees struct wl_peer.
 *
 * Units and ends. A pattern's pair carries one unit each way it runs:
 * a flow (sender end, receiver end) or an rr exchange (client end,
 * server end). The initiating end is the sender or the rr client. On
 * one host a pair has one unit and both its ends run there. On two
 * hosts a pair has wl_peer_units() units; unit 0 is initiated by the
 * `run` host (by the `serve` host with --reverse) and, with --bidir,
 * unit 1 by the `serve` host. Each host runs one end of every unit, so
 * its team has threads * units workers: worker pair * units + unit runs
 * that unit's end here.
 *
 * What crosses: key material (made by the `run` host, fresh per case),
 * the ports the responding ends bound (the address is always the one the
 * control connection links: never one the other end names), the
 * initiating ends' source ports, and per repetition what the workload
 * needs to count (a sender's report, each end's counters). Every
 * received object is checked before use: a wrong shape fails the case
 * with -EPROTO. */
#ifndef NCB_WORKLOADS_PEER_H
#define NCB_WORKLOADS_PEER_H

#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include "io/ncb.h"

enum wl_peer_mode {
	WL_PEER_FORWARD, /* the run host initiates (sends, asks) */
	WL_PEER_REVERSE, /* the serve host does */
	WL_PEER_BIDIR,   /* both: two units per pair */
};

enum {
	/* How long a step waits beyond a repetition's own time for the
	 * other host's object (it may still be draining). */
	WL_PEER_STEP_MS = 15000,
};

struct wl_peer {
	int is_server;         /* this host is the `serve` end */
	enum wl_peer_mode mode;
	/* The control connection's two addresses: data sockets here bind
	 * to `local` (its port ignored) and send to `remote` (its port
	 * ignored; ports come from the swaps). */
	struct sockaddr_storage local, remote;
	const char *dev;       /* raw Ethernet interface here (--dev), or NULL */
	/* Swaps one object of step `step` with the other host: sends mine
	 * (a reference the call takes, also on failure), then waits up to
	 * timeout_ms for the other host's object of the same step, a new
	 * reference in *theirs. 0, -EINTR (interrupted here), -ETIMEDOUT,
	 * -EPIPE (the other host is gone or failed; e carries its message),
	 * -EPROTO (a message out of step); e says which. */
	int (*swap)(void *ctx, const char *step, json_t *mine, json_t **theirs,
		    int timeout_ms, struct ncb_err *e);
	void *ctx;
	/* Where run_rep, which has no struct ncb_err, says why a two-host
	 * repetition failed (a swap's error, a wrong object from the other
	 * host); NULL: not kept. Written by the thread that calls run_rep. */
	struct ncb_err *err;
};

/* Units per pair: 1 on one host (p NULL) or forward/reverse, 2 with
 * --bidir. */
unsigned wl_peer_units(const struct wl_peer *p);

/* Whether unit u's initiating end (sender, rr client) runs on this host,
 * and whether its responding end does: both on one host (p NULL). */
int wl_peer_initiates(const struct wl_peer *p, unsigned u);
int wl_peer_responds(const struct wl_peer *p, unsigned u);

/* Whether this host runs an initiating end (p NULL: yes). A two-host
 * repetition's seconds are the span of the host that does (with --bidir
 * both: each its own), so no figure mixes the two hosts' clocks. */
int wl_peer_feeds_here(const struct wl_peer *p);

/* Where a two-host repetition's failure is described: p->err, else
 * fallback. */
struct ncb_err *wl_peer_err(const struct wl_peer *p, struct ncb_err *fallback);

/* One short wait of a step that waits for the workers here: 0, -EINTR
 * once *flag (NULL: never) is up, -ETIMEDOUT past deadline_ns
 * (CLOCK_MONOTONIC), each with e naming what was awaited. */
NCB_MUST_CHECK int wl_peer_nap(const volatile sig_atomic_t *flag,
			       uint64_t deadline_ns, const char *what,
			       struct ncb_err *e);

/* The swap, wl_peer's hook; mine is taken. */
NCB_MUST_CHECK int wl_peer_swap(const struct wl_peer *p, const char *step,
				json_t *mine, json_t **theirs, int timeout_ms,
				struct ncb_err *e);

#endif
