/* A team of pinned worker threads that run repetitions in lock step: the
 * shared machinery of every workload (pinning, start/stop, per-worker wall
 * time, thread CPU time and cycles), so a workload only writes its loop. */
#ifndef NCB_WORKLOADS_TEAM_H
#define NCB_WORKLOADS_TEAM_H

#include <stdatomic.h>

#include "io/ncb.h"

struct team;
struct wl_case;
struct wl_counters;

/* Called in each worker thread with that worker's argument. */
struct team_hooks {
	/* After pinning, before the first repetition: allocate buffers and
	 * contexts here so memory is local to the worker's NUMA node.
	 * 0 or a negative errno (and a message in e). */
	int (*prepare)(void *w, struct ncb_err *e);
	/* One repetition: work until *stop reads non-zero. */
	void (*run)(void *w, const atomic_int *stop);
	/* Before the thread exits, also after a failed prepare. */
	void (*release)(void *w);
	/* Optional: non-zero for a worker that must outlast the others at
	 * the end of a repetition: a receiver that keeps reading so its
	 * sender's last send can complete (a stream must not be cut, and a
	 * sender blocked on a peer that stopped reading never returns).
	 * Such a worker's stop is raised once every other worker has
	 * returned from run, or TEAM_DRAIN_MS after the others' stop. */
	int (*is_drainer)(const void *w);
	/* Optional: non-zero for a worker on the receiving side of its pair
	 * (a flow receiver, an rr server). Its CPU time is also summed apart
	 * (wl_counters.rx_cpu_seconds), so each side's CPU per Gbit/s can be
	 * told. */
	int (*is_receiver)(const void *w);
};

enum {
	/* Longer than a watched sender's grace (io/net.h NET_TX_GRACE_MS),
	 * so senders give up before their receivers stop reading. */
	TEAM_DRAIN_MS = 1500,
	/* A repetition's time starts once every worker has begun, or after
	 * this long (a worker kept off its PU). */
	TEAM_START_MS = 1000,
	/* The coordinating thread looks at the interrupt flag this often
	 * while a repetition runs. */
	TEAM_POLL_MS = 50,
};

/* Starts c->workers workers, worker i pinned to c->cpus[i] with argument
 * args[i] (borrowed; must outlive the team), and waits until all have
 * prepared. Fills c->placement. Caller frees with team_free(). */
NCB_MUST_CHECK int team_new(struct team **out, const struct wl_case *c,
			    const struct team_hooks *h, void *const *args,
			    struct ncb_err *e);

/* Runs one repetition of `seconds` on every worker. Fills seconds (first
 * start to last stop of the workers that feed work in; drainers run
 * after that), cpu_seconds (rx_cpu_seconds: the receivers' part), cycles, nivcsw and canary_ns (io/noise.h:
 * each worker times the canary just before and just after its measured
 * span) of out; the workload adds
 * its own counters, which the workers wrote before this returns. Ends
 * within `seconds` + TEAM_DRAIN_MS as long as workers return from run
 * within that of their stop. Returns 0 or -EINTR when c->is_interrupted
 * cut the repetition short. */
NCB_MUST_CHECK int team_rep(struct team *t, double seconds,
			    struct wl_counters *out);

/* team_rep with one step in the coordinating thread between the stop of
 * the workers that feed work in and the drainers' stop: sync(ctx) runs
 * once the feeders' stop is raised (they may still be ending their
 * loops), before TEAM_DRAIN_MS starts counting; a two-host case swaps
 * its senders' reports there. It runs also when the repetition was
 * interrupted, so it can let the drainers end. A negative return of sync
 * becomes the result unless the repetition failed otherwise. */
NCB_MUST_CHECK int team_rep_sync(struct team *t, double seconds,
				 int (*sync)(void *ctx), void *ctx,
				 struct wl_counters *out);

/* Stops and joins the workers. NULL is ok. */
void team_free(struct team *t);

#endif
