/* The objects two hosts swap (workloads/peer.h), built and read in one
 * way: numbers that must fit a JSON integer, and a check of every member
 * the other host sent before it is used. A member of the wrong type or
 * out of its range fails with -EPROTO and one line naming the step and
 * the member. */
#ifndef NCB_WORKLOADS_PEER_MSG_H
#define NCB_WORKLOADS_PEER_MSG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "io/hist.h"
#include "io/ncb.h"
#include "workloads/wl.h"

/* Largest count the objects carry: a JSON integer is signed. */
#define WL_PEER_U64_MAX ((uint64_t)INT64_MAX)

/* Sets member key of o to v (at most WL_PEER_U64_MAX) or to x; 0, or -1
 * when v is too large or memory ran out. */
int wl_peer_set_u64(json_t *o, const char *key, uint64_t v);
int wl_peer_set_real(json_t *o, const char *key, double x);

/* Member key of o (an object) as an integer in 0..hi, a number in 0..hi
 * (finite), or a boolean. 0 or -EPROTO with e naming step and key. */
NCB_MUST_CHECK int wl_peer_get_u64(const json_t *o, const char *step,
				   const char *key, uint64_t hi, uint64_t *out,
				   struct ncb_err *e);
NCB_MUST_CHECK int wl_peer_get_real(const json_t *o, const char *step,
				    const char *key, double hi, double *out,
				    struct ncb_err *e);
NCB_MUST_CHECK int wl_peer_get_bool(const json_t *o, const char *step,
				    const char *key, int *out,
				    struct ncb_err *e);
/* Member key of o as an array of exactly n entries (borrowed). */
NCB_MUST_CHECK int wl_peer_get_array(const json_t *o, const char *step,
				     const char *key, size_t n, json_t **arr,
				     struct ncb_err *e);
/* Entry i of a per-unit array: an object where the other host has
 * something to say (is_theirs), else null. *out NULL for null. */
NCB_MUST_CHECK int wl_peer_get_entry(const json_t *arr, const char *step,
				     const char *key, size_t i, int is_theirs,
				     json_t **out, struct ncb_err *e);

/* Member key of o set to the n counts v[] (an array), or read back:
 * exactly n integers in 0..hi. */
int wl_peer_set_u64s(json_t *o, const char *key, const uint64_t *v, size_t n);
NCB_MUST_CHECK int wl_peer_get_u64s(const json_t *o, const char *step,
				    const char *key, size_t n, uint64_t hi,
				    uint64_t *out, struct ncb_err *e);

/* Member key of o set to a latency histogram (io/hist.h) as
 * {"total", "min", "max", "buckets": [[index, count], ...]} with its
 * non-empty buckets in order, or read back checked: indexes in range
 * and rising, counts adding up to total, min <= max. */
int wl_peer_set_hist(json_t *o, const char *key, const struct hist *h);
NCB_MUST_CHECK int wl_peer_get_hist(const json_t *o, const char *step,
				    const char *key, struct hist *h,
				    struct ncb_err *e);

/* A repetition's team counters of this host (out as the team filled it,
 * and its workers) as an object; NULL when memory ran out. */
json_t *wl_peer_team_json(const struct wl_counters *out, unsigned workers);
/* What a pattern tells step "counts" about each of its slots: put
 * gives the object of this host's end of slot (NULL when memory ran
 * out); get reads the other host's end of slot from v into its mirror
 * (`at` names the entry for messages), 0 or -EPROTO with e. */
struct wl_peer_ends {
	json_t *(*put)(const void *ctx, unsigned slot);
	int (*get)(void *ctx, unsigned slot, const json_t *v, const char *at,
		   struct ncb_err *e);
	void *ctx;
	unsigned n_slots;
};

/* Step "counts" of a repetition, the same for every pattern: swaps
 * {"ends": [each slot's end here], "team": this host's team counters}
 * with the other host, fills the mirrors through ends->get and
 * out->peer, and, when the ends that feed work in run on the other host
 * only, takes its span as out->seconds (one clock). 0 or a negative
 * errno with e. */
NCB_MUST_CHECK int wl_peer_counts_swap(const struct wl_peer *p,
				       const struct wl_peer_ends *ends,
				       unsigned workers,
				       struct wl_counters *out,
				       struct ncb_err *e);
/* The other host's team counters from such an object into pe (is_set
 * 1); it runs `workers` workers too. 0 or -EPROTO with e. */
NCB_MUST_CHECK int wl_peer_team_get(const json_t *o, const char *step,
				    unsigned workers,
				    struct wl_end_counters *pe,
				    struct ncb_err *e);

#endif
