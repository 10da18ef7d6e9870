/* Units, test and rule for one case. Repetitions inside one process are
 * close to each other while whole runs drift apart, so when a side ran in
 * several processes the process (its median) is the independent sample,
 * as pyperf does with its worker processes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/mwu.h"
#include "report/verdict.h"

static const char *const names[VERDICT_KINDS] = {
	[VERDICT_NO_CHANGE] = "no change",
	[VERDICT_REGRESSION] = "REGRESSION",
	[VERDICT_IMPROVEMENT] = "improvement",
	[VERDICT_INCONCLUSIVE] = "inconclusive",
	[VERDICT_TOO_NOISY] = "too noisy",
	[VERDICT_ADDED] = "added",
	[VERDICT_REMOVED] = "removed",
};

const char *verdict_name(enum verdict_kind k)
{
	return k < VERDICT_KINDS ? names[k] : "?";
}

/* A kept repetition: the process it ran in (numbered over all parts). */
struct rep {
	size_t process;
	double gbps;
};

static int by_process(const void *x, const void *y)
{
	const struct rep *a = x, *b = y;

	if (a->process != b->process)
		return (a->process > b->process) - (a->process < b->process);
	return (a->gbps > b->gbps) - (a->gbps < b->gbps);
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The median of n ascending values (n > 0). */
static double sorted_median(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median, standard deviation (n - 1) and CV of the units. */
static void describe(struct verdict_side *s)
{
	double mean = 0, ss = 0;

	if (!s->n_units)
		return;
	qsort(s->units, s->n_units, sizeof(*s->units), by_value);
	s->median = sorted_median(s->units, s->n_units);
	for (size_t i = 0; i < s->n_units; i++)
		mean += s->units[i] / (double)s->n_units;
	for (size_t i = 0; i < s->n_units; i++)
		ss += (s->units[i] - mean) * (s->units[i] - mean);
	s->sd = s->n_units > 1 ? sqrt(ss / (double)(s->n_units - 1)) : 0;
	s->cv_pct = mean > 0 ? s->sd / mean * 100 : 0;
}

/* Counts, error sums and completeness of one part. */
static void account(struct verdict_side *s, const struct doc_case *c)
{
	size_t expected = (size_t)c->repeat * c->processes;

	for (size_t j = 0; j < c->n; j++) {
		const struct doc_rep *r = &c->reps[j];

		s->reps++;
		s->dropped += r->is_dropped;
		s->disturbed_all += r->is_disturbed;
		s->disturbed += r->is_disturbed && !r->is_dropped;
		for (unsigned b = 0; b < DOC_REASONS; b++)
			s->by_reason[b] += r->is_disturbed && (r->reasons >> b & 1);
	}
	s->has_noise |= c->has_noise;
	s->auth_fail += c->auth_fail;
	s->mismatch += c->mismatch;
	s->drops += c->drops + c->drops_kernel;
	s->sent += c->sent;
	/* An adaptive run stops when its CI is narrow enough: fewer samples
	 * than its maximum is then the plan, not a loss. */
	if (expected && strcmp(c->repeat_mode, "auto") != 0) {
		s->expected += expected;
		s->is_incomplete |= c->n < expected;
	}
	s->is_incomplete |= strcmp(c->repeat_stop, "interrupted") == 0;
}

int verdict_side_pool(struct verdict_side *s,
		      const struct doc_case *const *parts, size_t n)
{
	size_t total = 0, kept = 0, offset = 0, nc = 0, npc = 0;
	double *canary, *peer_canary;
	struct rep *reps;

	memset(s, 0, sizeof(*s));
	s->files = (unsigned)n;
	for (size_t i = 0; i < n; i++)
		total += parts[i]->n;
	reps = malloc((total ? total : 1) * sizeof(*reps));
	canary = malloc((total ? total : 1) * sizeof(*canary));
	peer_canary = malloc((total ? total : 1) * sizeof(*peer_canary));
	s->units = malloc((total ? total : 1) * sizeof(*s->units));
	if (!reps || !canary || !peer_canary || !s->units) {
		free(reps);
		free(canary);
		free(peer_canary);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct doc_case *c = parts[i];

		account(s, c);
		for (size_t j = 0; j < c->n; j++) {
			if (c->reps[j].is_dropped)
				continue;
			reps[kept++] = (struct rep){ offset + c->reps[j].process,
						     c->gbps[j] };
			if (c->reps[j].canary_ns > 0)
				canary[nc++] = c->reps[j].canary_ns;
			if (c->reps[j].peer_canary_ns > 0)
				peer_canary[npc++] = c->reps[j].peer_canary_ns;
		}
		/* Each document's processes are processes of their own. */
		offset += c->processes;
	}
	s->judged = kept;
	if (!kept) {
		s->judged = s->reps;
		s->disturbed = s->disturbed_all;
	}
	qsort(reps, kept, sizeof(*reps), by_process);
	for (size_t i = 0; i < kept; i++)
		s->processes += !i || reps[i].process != reps[i - 1].process;
	if (s->processes >= 2) {
		s->unit = VERDICT_PER_PROCESS;
		for (size_t i = 0, j; i < kept; i = j) {
			for (j = i; j < kept && reps[j].process == reps[i].process; j++)
				s->units[j] = reps[j].gbps;
			s->units[s->n_units++] = sorted_median(s->units + i, j - i);
		}
	} else {
		s->unit = VERDICT_PER_REPETITION;
		for (size_t i = 0; i < kept; i++)
			s->units[s->n_units++] = reps[i].gbps;
	}
	free(reps);
	if (nc) {
		qsort(canary, nc, sizeof(*canary), by_value);
		s->canary_ns = sorted_median(canary, nc);
	}
	if (npc) {
		qsort(peer_canary, npc, sizeof(*peer_canary), by_value);
		s->peer_canary_ns = sorted_median(peer_canary, npc);
	}
	free(canary);
	free(peer_canary);
	describe(s);
	return 0;
}

void verdict_side_free(struct verdict_side *s)
{
	free(s->units);
	s->units = NULL;
	s->n_units = 0;
}

static int is_disturbed(const struct verdict_side *s)
{
	return s->judged && 2 * s->disturbed > s->judged;
}

static int is_starved(const struct verdict_side *s)
{
	return s->n_units < 2 && s->dropped;
}

int verdict_side_is_noisy(const struct verdict_side *s)
{
	return is_disturbed(s) || is_starved(s);
}

/* Minimum detectable change and CI half-width, % of the base median:
 * (z_{1-alpha/2} + z_power) * sqrt(sb^2/nb + sc^2/nc) / base * 100,
 * times the U test's efficiency factor; infinite when the exact test
 * cannot reach p < alpha or a side has fewer than 2 units. */
static void detectable(const struct verdict_side *b,
		       const struct verdict_side *c, double alpha,
		       struct verdict *v)
{
	double se, za = mwu_z_upper(alpha / 2);

	v->min_p = mwu_min_p(b->n_units, c->n_units);
	v->mdc_pct = v->ci_pct = INFINITY;
	if (b->n_units < 2 || c->n_units < 2 || b->median <= 0)
		return;
	se = sqrt(b->sd * b->sd / (double)b->n_units +
		  c->sd * c->sd / (double)c->n_units) / b->median * 100;
	v->ci_pct = za * se;
	if (v->min_p < alpha)
		v->mdc_pct = (za + mwu_z_upper(1 - VERDICT_POWER)) * se *
			     VERDICT_EFFICIENCY;
}

/* Why a case that is not significant could not be decided. */
static enum verdict_why undecided(const struct verdict_side *b,
				  const struct verdict_side *c,
				  const struct verdict *v, double alpha)
{
	if (b->n_units < 2 || c->n_units < 2)
		return VERDICT_WHY_FEW_UNITS;
	if (v->min_p >= alpha)
		return VERDICT_WHY_MIN_P;
	return VERDICT_WHY_MDC;
}

/* How much slower (+) or faster (-) current's canary ran than base's, in
 * %; NAN when a side has none. */
static double drift_pct(double base_ns, double cur_ns)
{
	return base_ns > 0 && cur_ns > 0 ? (cur_ns / base_ns - 1) * 100 : NAN;
}

int verdict_judge(const struct verdict_side *b, const struct verdict_side *c,
		  double threshold_pct, double alpha, struct verdict *out)
{
	struct verdict *v = out;
	struct mwu_result m;
	int rc;

	memset(v, 0, sizeof(*v));
	v->p = NAN;
	v->change_pct = b->median > 0 ? (c->median - b->median) / b->median * 100
				      : 0;
	if (b->n_units && c->n_units) {
		rc = mwu_test(c->units, c->n_units, b->units, b->n_units, &m);
		if (rc < 0)
			return rc;
		v->p = m.p;
	}
	detectable(b, c, alpha, v);
	v->host_pct = drift_pct(b->canary_ns, c->canary_ns);
	v->peer_pct = drift_pct(b->peer_canary_ns, c->peer_canary_ns);
	/* First the data's fitness, then significance and size. */
	if (verdict_side_is_noisy(b) || verdict_side_is_noisy(c)) {
		v->why_side = !verdict_side_is_noisy(b);
		v->why = is_disturbed(v->why_side ? c : b) ? VERDICT_WHY_DISTURBED
							    : VERDICT_WHY_DROPPED;
		v->kind = VERDICT_TOO_NOISY;
	} else if (v->p < alpha && fabs(v->change_pct) > threshold_pct &&
		   fabs(v->host_pct) > VERDICT_HOST_DRIFT_PCT) {
		/* A change that the host's own change of speed can explain
		 * is not a change of the code. */
		v->kind = VERDICT_TOO_NOISY;
		v->why = VERDICT_WHY_HOST;
		v->why_side = 1;
	} else if (v->p < alpha && fabs(v->change_pct) > threshold_pct &&
		   fabs(v->peer_pct) > VERDICT_HOST_DRIFT_PCT) {
		/* On two hosts the other end's speed is in the figure too. */
		v->kind = VERDICT_TOO_NOISY;
		v->why = VERDICT_WHY_PEER;
		v->why_side = 1;
	} else if (v->p < alpha && fabs(v->change_pct) > threshold_pct) {
		v->kind = v->change_pct < 0 ? VERDICT_REGRESSION
					    : VERDICT_IMPROVEMENT;
	} else if (v->p < alpha || v->mdc_pct <= threshold_pct) {
		/* Significant but small, or a change of the threshold's size
		 * would have been seen: either way, not one that counts. */
		v->kind = VERDICT_NO_CHANGE;
	} else {
		v->kind = VERDICT_INCONCLUSIVE;
		v->why = undecided(b, c, v, alpha);
		v->why_side = b->n_units >= 2;
	}
	return 0;
}
