/* The verdict on one case seen on two sides (base and current), each side
 * pooled over its documents: the unit of the test (per-process medians
 * when the side ran in two or more processes, else repetitions), the
 * Mann-Whitney U test on those units, the smallest change they could have
 * detected, and the rule that turns these into a verdict. */
#ifndef NCB_REPORT_VERDICT_H
#define NCB_REPORT_VERDICT_H

#include <stddef.h>

#include "io/ncb.h"
#include "report/doc.h"

/* The defaults of compare, in one place. */
#define VERDICT_THRESHOLD_PCT 5.0 /* smallest change of the median that counts */
#define VERDICT_ALPHA 0.05        /* significance level of the U test */
#define VERDICT_POWER 0.80        /* power the minimum detectable change is for */
/* The U test needs about 1/0.955 (3/pi, its efficiency against the t
 * test on normal data) as many units as the t test; applied to the
 * change, which makes the figure a little conservative. */
#define VERDICT_EFFICIENCY 1.05
/* Two sides whose canaries' medians differ by more than this ran on a
 * host going at different speeds: measured on a VM, runs seconds apart
 * differed by up to 88% with the canary 18-30% apart, while a CPU quota
 * on one side (a slower build) left the canary alone. */
#define VERDICT_HOST_DRIFT_PCT 10.0

enum verdict_kind {
	VERDICT_NO_CHANGE,
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_INCONCLUSIVE,
	VERDICT_TOO_NOISY,
	VERDICT_ADDED,
	VERDICT_REMOVED,
	VERDICT_KINDS,
};

enum verdict_unit {
	VERDICT_PER_REPETITION,
	VERDICT_PER_PROCESS,
};

/* Why a case was not decided (verdict.why). */
enum verdict_why {
	VERDICT_DECIDED,
	VERDICT_WHY_DISTURBED, /* most repetitions of a side disturbed */
	VERDICT_WHY_DROPPED,   /* drops left fewer than 2 units on a side */
	VERDICT_WHY_FEW_UNITS, /* a side has fewer than 2 units */
	VERDICT_WHY_MIN_P,     /* the exact test cannot reach p < alpha */
	VERDICT_WHY_MDC,       /* a change of the threshold's size could be missed */
	VERDICT_WHY_HOST,      /* the canaries say the host's speed changed */
	VERDICT_WHY_PEER,      /* the peer's canaries say its speed changed */
};

/* One side of a case, pooled over the documents that hold it. */
struct verdict_side {
	enum verdict_unit unit;
	double *units; /* n_units Gbit/s, ascending (owned) */
	size_t n_units;
	double median, sd, cv_pct; /* of the units; sd 0 below 2 units */
	unsigned processes;        /* distinct processes with a kept repetition */
	unsigned files;            /* documents pooled */
	/* Repetitions: all, dropped, and disturbed among those judged (the
	 * kept ones, or all when every one was dropped). */
	size_t reps, dropped, judged, disturbed;
	size_t disturbed_all;          /* dropped ones included */
	size_t by_reason[DOC_REASONS]; /* disturbed repetitions per reason */
	int has_noise;                 /* some document recorded disturbance */
	/* Fewer samples than repeat x processes, or an interrupted case: */
	size_t expected; /* repeat x processes summed, 0 when not known */
	int is_incomplete;
	double auth_fail, mismatch, drops, sent; /* summed */
	double canary_ns; /* median canary of the kept repetitions, 0: none */
	double peer_canary_ns; /* the same of a two-host case's peer, 0: none */
};

struct verdict {
	enum verdict_kind kind;
	enum verdict_why why;
	int why_side;        /* 0 base, 1 current: the side why is about */
	double change_pct;   /* of the median of the units; 0 for a base of 0 */
	double p;            /* two-sided; NAN when a side has no unit */
	double min_p;        /* smallest p the exact test can give here */
	double mdc_pct;      /* INFINITY when nothing could be detected */
	double ci_pct;       /* half-width of the (1 - alpha) CI of the change */
	double host_pct;     /* current's canary over base's, -1, in %; NAN: none */
	double peer_pct;     /* the same for the peer's canaries (two hosts) */
};

/* Pools the n parts of one case (one per document; each document's
 * processes are distinct processes) into s. 0 or -ENOMEM; free s with
 * verdict_side_free() either way. */
NCB_MUST_CHECK int verdict_side_pool(struct verdict_side *s,
				     const struct doc_case *const *parts,
				     size_t n);
void verdict_side_free(struct verdict_side *s);

/* Is this side too disturbed to be judged (more than half of its
 * judged repetitions disturbed, or drops left fewer than 2 units)? */
int verdict_side_is_noisy(const struct verdict_side *s);

/* The verdict on base b and current c at threshold_pct and alpha.
 * 0, or -ENOMEM. */
NCB_MUST_CHECK int verdict_judge(const struct verdict_side *b,
				 const struct verdict_side *c,
				 double threshold_pct, double alpha,
				 struct verdict *out);

/* "no change", "REGRESSION", ..., "added", "removed". */
const char *verdict_name(enum verdict_kind k);

#endif
