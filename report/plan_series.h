/* One series of a result document (everything but size and threads) as
 * `plan` sees it: what each size, or a traffic mix, costs in CPU per
 * packet and where that figure comes from (the measured case, or the
 * cost model), how far it can be trusted (the repetitions' spread, the
 * model's leave-one-out error), how throughput scales with threads (never
 * fitted through a super-linear step), and the run conditions that bias
 * it (busy polling, UDP segmentation offload, thread counts dropped).
 * Pure analysis: nothing here prints. */
#ifndef NCB_REPORT_PLAN_SERIES_H
#define NCB_REPORT_PLAN_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "report/doc.h"
#include "report/fit.h"
#include "report/plan.h"

enum { PLAN_POINTS_MAX = 64, PLAN_LABEL_MAX = 160, PLAN_NOTE_MAX = 320 };

/* Where a point's CPU cost per packet comes from. */
enum plan_src {
	PLAN_SRC_NONE,     /* nothing to price it from */
	PLAN_SRC_MEASURED, /* its own measured case */
	PLAN_SRC_MODEL,    /* the cost model over the fixed sizes */
	PLAN_SRC_REFUSED,  /* the model would cross a change of I/O regime */
};

/* What a plan is asked: the target and, for a mix, its sizes. */
struct plan_ask {
	struct plan_rate target;
	double headroom;          /* fraction, 0..0.95 */
	const char *mix;          /* --imix name, or NULL */
	const uint16_t *mix_sizes;
	size_t mix_len;
};

/* One size of a series, or a mix, priced for the target. */
struct plan_point {
	char what[48];      /* "1420 B", "simple IMIX (mean 354 B)" */
	double bytes;       /* payload bytes per packet (a mix: the mean) */
	const char *imix;   /* the mix's name, or NULL for a fixed size */
	enum plan_src src;
	unsigned threads;   /* thread count the cost was measured at */
	/* CPU ns per packet and its range; range_reps repetitions spread
	 * it (0: one or none), loo the model's leave-one-out error folded
	 * in (0 for a measured cost). */
	double ns, ns_lo, ns_hi, loo;
	size_t range_reps;
	double pps;         /* the target in packets/s */
	double cores, cores_lo, cores_hi; /* busy cores with headroom */
	/* Thread sweep at this size (or mix): the fit plan uses, and the
	 * threads (and PUs: threads x workers per thread) the target needs
	 * by it; 0 when not reachable. threads_fit says whether scaling
	 * was fitted at all. */
	struct fit_scaling sc;
	double per_thread;  /* workers per thread */
	unsigned t_need, t_lo, t_hi;
	double t_err;       /* the error the range covers */
	/* Rate per thread at t_need over that at `threads`, by the fit: the
	 * cores above are divided by it (0: not applied). */
	double eff;
	char note[PLAN_NOTE_MAX]; /* why not priced / how extrapolated */
};

struct plan_series {
	const char *key;              /* doc_case.series (borrowed) */
	const struct doc_case *first; /* its first case (borrowed) */
	char label[PLAN_LABEL_MAX];   /* short name, unique in the document */
	/* Cost model: CPU ns/packet = a + b x bytes over the fixed sizes
	 * at model_threads, with each size's leave-one-out error. */
	int has_model;
	unsigned model_threads;
	struct fit_line model;
	size_t n_model;
	double mx[PLAN_POINTS_MAX], my[PLAN_POINTS_MAX];
	int has_loo;
	double loo[PLAN_POINTS_MAX], loo_max, rms;
	/* The model against each measured mix case (a point it did not
	 * fit): predicted and measured ns/packet. */
	size_t n_mix_check;
	struct {
		const char *imix;
		double predicted, measured;
	} mix_check[4];
	int is_gso;          /* the fixed sizes rode UDP GSO */
	unsigned busy_poll;  /* largest busy-poll (us) among its cases */
	/* --threads-fit dropped every count but one: the counts dropped,
	 * as text ("2, 4, 8"), "" otherwise. */
	char dropped[96];
	struct plan_point pts[PLAN_POINTS_MAX];
	size_t n_pts;
};

/* Analyses series `key` of d for ask into *s (which the caller owns; it
 * is large, so best on the heap). Never fails: what cannot be priced is
 * said in the points. */
void plan_series_analyse(const struct doc *d, const char *key,
			 const struct plan_ask *ask, struct plan_series *s);

/* A short name for series `key` of d: "esp aes-256-gcm openssl", with
 * the peer of a two-host case and, when another series of d would get
 * the same name, the options that set them apart. */
void plan_series_label(const struct doc *d, const char *key, char *buf,
		       size_t len);

/* The series without its backend ("esp aes-256-gcm both udp ..."): the
 * cases one recommendation compares. */
void plan_series_family(const struct doc_case *c, char *buf, size_t len);

#endif
