/* plan's view of one series: price each size or mix, check the cost
 * model on the points it did not fit, fit thread scaling without going
 * through super-linear steps, and note what biases the figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/imix.h"
#include "report/doc_peer.h"
#include "report/plan_series.h"

enum { THREADS_MAX = 256 };

/* The value of option `name` in a case's options ("a=1 b=2"), or NULL. */
static const char *option(const struct doc_case *c, const char *name,
			  char *buf, size_t len)
{
	size_t n = strlen(name);

	for (const char *p = c->options; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t tl = end ? (size_t)(end - p) : strlen(p);

		if (tl > n && !strncmp(p, name, n) && p[n] == '=') {
			snprintf(buf, len, "%.*s", (int)(tl - n - 1), p + n + 1);
			return buf;
		}
		p = end ? end + 1 : p + tl;
	}
	return NULL;
}

/* Throughput of a case in the target's unit. */
static double case_rate(const struct plan_ask *a, const struct doc_case *c)
{
	return a->target.unit == PLAN_PACKETS ? c->pps_median
					      : c->gbps_median * 1e9;
}

/* Packets/s of the target for packets of `bytes` payload. */
static double target_pps(const struct plan_ask *a, double bytes)
{
	return a->target.unit == PLAN_PACKETS ? a->target.value
					      : a->target.value / (8 * bytes);
}

static int in_series(const struct doc_case *c, const char *key)
{
	return !strcmp(c->series, key);
}

/* Is case c one of point p's (its size, or its mix)? */
static int in_point(const struct doc_case *c, const struct plan_point *p)
{
	return p->imix ? !strcmp(c->imix, p->imix)
		       : !*c->imix && (double)c->size == p->bytes;
}

/* Smallest thread count at which the fitted rate, scaled, meets need; 0
 * if none up to the peak (or THREADS_MAX). */
static unsigned threads_for(const struct fit_usl *f, double scale, double need)
{
	double peak = fmin(fit_usl_peak(f), THREADS_MAX);

	for (unsigned t = 1; t <= (unsigned)ceil(peak); t++)
		if (fit_usl_eval(f, t) * scale >= need)
			return t;
	return 0;
}

/* The fastest and slowest kept repetition's CPU ns/packet; the count of
 * them (0 or 1: no range). */
static size_t rep_range(const struct doc_case *c, double *lo, double *hi)
{
	size_t n = 0;

	for (size_t j = 0; j < c->n; j++) {
		if (c->reps[j].is_dropped || c->ns_pkt[j] <= 0)
			continue;
		if (!n || c->ns_pkt[j] < *lo)
			*lo = c->ns_pkt[j];
		if (!n || c->ns_pkt[j] > *hi)
			*hi = c->ns_pkt[j];
		n++;
	}
	return n;
}

static void price(const struct plan_ask *a, struct plan_point *p)
{
	double keep = 1 - a->headroom;

	p->pps = target_pps(a, p->bytes);
	p->cores = p->pps * p->ns / 1e9 / keep;
	p->cores_lo = p->pps * p->ns_lo / 1e9 / keep;
	p->cores_hi = p->pps * p->ns_hi / 1e9 / keep;
}

/* The case of point p at its fewest threads. */
static const struct doc_case *cost_case(const struct doc *d, const char *key,
					const struct plan_point *p)
{
	const struct doc_case *best = NULL;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];

		if (in_series(c, key) && in_point(c, p) &&
		    (!best || c->threads < best->threads))
			best = c;
		/* Below a super-linear step the threads were not loaded:
		 * their CPU per packet is not what a loaded host pays. */
		if (in_series(c, key) && in_point(c, p) && p->sc.super_to > 0 &&
		    c->threads == p->sc.super_to)
			return c;
	}
	return best;
}

static void price_measured(const struct doc_case *c, const struct plan_ask *a,
			   struct plan_point *p)
{
	p->threads = c->threads;
	if (c->us_per_packet <= 0) {
		snprintf(p->note, sizeof(p->note), "no CPU time recorded");
		return;
	}
	p->src = PLAN_SRC_MEASURED;
	p->ns = c->us_per_packet * 1000;
	p->ns_lo = p->ns_hi = p->ns;
	p->range_reps = rep_range(c, &p->ns_lo, &p->ns_hi);
	if (p->range_reps < 2)
		p->ns_lo = p->ns_hi = p->ns;
	/* The summary pools the repetitions; keep the figure inside. */
	p->ns_lo = fmin(p->ns_lo, p->ns);
	p->ns_hi = fmax(p->ns_hi, p->ns);
	price(a, p);
}

/* Model price of a mix: the mean over its sizes, with the worst spread
 * of the fitted sizes' repetitions and the leave-one-out error. */
static void price_model(const struct doc *d, struct plan_series *s,
			const struct plan_ask *a, const uint16_t *sizes,
			size_t n, struct plan_point *p)
{
	double ns = 0, rlo = 1, rhi = 1;
	size_t reps = SIZE_MAX;

	for (size_t k = 0; k < n; k++)
		ns += s->model.a + s->model.b * sizes[k];
	ns /= (double)n;
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];
		double lo = 0, hi = 0;
		size_t r;

		if (!in_series(c, s->key) || *c->imix ||
		    c->threads != s->model_threads || c->us_per_packet <= 0)
			continue;
		r = rep_range(c, &lo, &hi);
		reps = r < reps ? r : reps;
		if (r >= 2) {
			rlo = fmin(rlo, lo / (c->us_per_packet * 1000));
			rhi = fmax(rhi, hi / (c->us_per_packet * 1000));
		}
	}
	p->src = PLAN_SRC_MODEL;
	p->threads = s->model_threads;
	p->ns = ns;
	p->loo = s->has_loo ? s->loo_max : 0;
	p->range_reps = reps == SIZE_MAX ? 0 : reps;
	p->ns_lo = ns * fmax(rlo - p->loo, 0);
	p->ns_hi = ns * (rhi + p->loo);
	price(a, p);
}

static void cost_model(const struct doc *d, struct plan_series *s)
{
	unsigned tmin = UINT32_MAX;
	size_t n = 0;
	double r2 = 0;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];

		if (in_series(c, s->key) && !*c->imix && c->us_per_packet > 0 &&
		    c->threads < tmin)
			tmin = c->threads;
	}
	for (size_t i = 0; i < d->n_cases && n < PLAN_POINTS_MAX; i++) {
		const struct doc_case *c = &d->cases[i];

		if (!in_series(c, s->key) || *c->imix || c->threads != tmin ||
		    c->us_per_packet <= 0)
			continue;
		s->mx[n] = (double)c->size;
		s->my[n++] = c->us_per_packet * 1000;
	}
	s->n_model = n;
	s->model_threads = tmin;
	if (fit_line(s->mx, s->my, n, &s->model) < 0)
		return;
	s->has_model = 1;
	for (size_t i = 0; i < n; i++) {
		double r = (s->model.a + s->model.b * s->mx[i] - s->my[i]) / s->my[i];

		r2 += r * r;
	}
	s->rms = sqrt(r2 / (double)n);
	if (fit_line_loo(s->mx, s->my, n, s->loo) == 0) {
		s->has_loo = 1;
		s->loo_max = fit_err_max(s->loo, n);
	}
	/* Measured mixes are points the model did not fit: check it there. */
	for (size_t i = 0; i < d->n_cases && s->n_mix_check < 4; i++) {
		const struct doc_case *c = &d->cases[i];
		const uint16_t *sizes;
		size_t len;
		double ns = 0;

		if (!in_series(c, s->key) || !*c->imix || c->threads != tmin ||
		    c->us_per_packet <= 0 || imix_find(c->imix, &sizes, &len) < 0)
			continue;
		for (size_t k = 0; k < len; k++)
			ns += s->model.a + s->model.b * sizes[k];
		s->mix_check[s->n_mix_check].imix = c->imix;
		s->mix_check[s->n_mix_check].predicted = ns / (double)len;
		s->mix_check[s->n_mix_check++].measured = c->us_per_packet * 1000;
	}
}

static void scaling(const struct doc *d, const struct plan_series *s,
		    const struct plan_ask *a, struct plan_point *p)
{
	double nn[FIT_POINTS_MAX], x[FIT_POINTS_MAX], keep = 1 - a->headroom;
	size_t n = 0;

	for (size_t i = 0; i < d->n_cases && n < FIT_POINTS_MAX; i++) {
		const struct doc_case *c = &d->cases[i];

		if (!in_series(c, s->key) || !in_point(c, p) || case_rate(a, c) <= 0)
			continue;
		nn[n] = c->threads;
		x[n++] = case_rate(a, c);
		p->per_thread = (double)c->workers / c->threads;
	}
	if (!n || fit_scaling(nn, x, n, &p->sc) < 0 || !p->sc.is_fitted)
		return;
	p->t_err = p->sc.has_loo ? p->sc.loo_max : p->sc.usl.rel_err;
	p->t_need = threads_for(&p->sc.usl, keep, a->target.value);
	p->t_lo = threads_for(&p->sc.usl, keep * (1 + p->t_err), a->target.value);
	p->t_hi = threads_for(&p->sc.usl, keep * (1 - p->t_err), a->target.value);
}

/* The cost was measured at p->threads; at the count the target needs,
 * contention makes each thread do less: the busy cores grow by the loss
 * of rate per thread the sweep's fit gives. */
static void apply_sweep(struct plan_point *p)
{
	const struct fit_usl *f = &p->sc.usl;
	double base;

	if (!p->sc.is_fitted || !p->t_need || !p->threads ||
	    (p->src != PLAN_SRC_MEASURED && p->src != PLAN_SRC_MODEL))
		return;
	base = fit_usl_eval(f, p->threads) / p->threads;
	p->eff = fit_usl_eval(f, p->t_need) / p->t_need / base;
	p->cores /= p->eff;
	p->cores_lo /= fit_usl_eval(f, p->t_lo) / p->t_lo / base;
	p->cores_hi /= p->t_hi ? fit_usl_eval(f, p->t_hi) / p->t_hi / base
			       : p->eff;
}

/* Adds point p (size or mix) to s unless it is there. */
static struct plan_point *add_point(struct plan_series *s, double bytes,
				    const char *imix)
{
	struct plan_point *p;

	for (size_t i = 0; i < s->n_pts; i++)
		if (imix ? s->pts[i].imix && !strcmp(s->pts[i].imix, imix)
			 : !s->pts[i].imix && s->pts[i].bytes == bytes)
			return NULL;
	if (s->n_pts >= PLAN_POINTS_MAX)
		return NULL;
	p = &s->pts[s->n_pts++];
	p->bytes = bytes;
	p->imix = imix;
	if (imix)
		snprintf(p->what, sizeof(p->what), "%.20s IMIX (mean %.0f B)",
			 imix, bytes);
	else
		snprintf(p->what, sizeof(p->what), "%.0f B", bytes);
	return p;
}

static int by_point(const void *a, const void *b)
{
	const struct plan_point *x = a, *y = b;

	if (!x->imix != !y->imix)
		return x->imix ? 1 : -1;
	return (x->bytes > y->bytes) - (x->bytes < y->bytes);
}

/* The mix asked for: its measured case, else the model, unless the
 * fixed sizes ran in another I/O regime. */
static void ask_mix(const struct doc *d, struct plan_series *s,
		    const struct plan_ask *a)
{
	double bytes = imix_mean(a->mix_sizes, a->mix_len);
	struct plan_point *p = add_point(s, bytes, a->mix);
	const struct doc_case *c;

	scaling(d, s, a, p);
	c = cost_case(d, s->key, p);

	if (c) {
		p->bytes = (double)c->size;
		price_measured(c, a, p);
		return;
	}
	if (!s->has_model) {
		snprintf(p->note, sizeof(p->note),
			 "not priced: no measured %s IMIX case, and fewer than two sizes for a model",
			 a->mix);
		return;
	}
	if (s->is_gso) {
		p->src = PLAN_SRC_REFUSED;
		snprintf(p->note, sizeof(p->note),
			 "not priced: the fixed sizes rode UDP GSO (one send carries many packets of one size) and a mix of sizes does not, so the model would cross a change of I/O regime; measure the mix (run --imix %s) or the sizes with --no-gso",
			 a->mix);
		return;
	}
	price_model(d, s, a, a->mix_sizes, a->mix_len, p);
	snprintf(p->note, sizeof(p->note), "extrapolated from %zu fixed sizes%s",
		 s->n_model, s->is_gso ? "" : " (same I/O regime: no segmentation offload)");
}

/* "2, 4, 8" when --threads-fit dropped every count of s's run but one
 * (config.threads_dropped of the group of its workload and cipher). */
static void dropped(const struct doc *d, struct plan_series *s)
{
	json_t *cfg = json_object_get(d->root, "config"), *gs, *g, *v;
	size_t i, k, used = 0;

	if (!json_is_object(cfg))
		return;
	gs = json_object_get(cfg, "groups");
	for (i = 0; i < (json_is_array(gs) ? json_array_size(gs) : 1); i++) {
		json_t *ci, *w, *drop;
		int is_match = 0;

		g = json_is_array(gs) ? json_array_get(gs, i) : cfg;
		if (!json_is_object(g))
			continue;
		w = json_object_get(g, "workload");
		ci = json_object_get(g, "cipher");
		drop = json_object_get(g, "threads_dropped");
		if ((json_is_string(w) && strcmp(json_string_value(w), s->first->workload)) ||
		    !json_is_array(drop) || !json_array_size(drop))
			continue;
		if (json_is_string(ci))
			is_match = !strcmp(json_string_value(ci), s->first->cipher);
		json_array_foreach(ci, k, v)
			is_match |= json_is_string(v) &&
				    !strcmp(json_string_value(v), s->first->cipher);
		if (!is_match)
			continue;
		json_array_foreach(drop, k, v)
			if (json_is_integer(v) && used < sizeof(s->dropped) - 16)
				used += (size_t)snprintf(s->dropped + used,
							 sizeof(s->dropped) - used,
							 "%s%lld", used ? ", " : "",
							 (long long)json_integer_value(v));
		return;
	}
}

void plan_series_analyse(const struct doc *d, const char *key,
			 const struct plan_ask *a, struct plan_series *s)
{
	unsigned tcount[2] = { 0, 0 };
	char buf[32];

	memset(s, 0, sizeof(*s));
	s->key = key;
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];
		const char *v;

		if (!in_series(c, key))
			continue;
		if (!s->first)
			s->first = c;
		if ((v = option(c, "busy-poll", buf, sizeof(buf))) &&
		    strtoul(v, NULL, 10) > s->busy_poll)
			s->busy_poll = (unsigned)strtoul(v, NULL, 10);
		if ((v = option(c, "no-gso", buf, sizeof(buf))) && !*c->imix)
			s->is_gso |= !strcmp(v, "false");
		if (!tcount[0])
			tcount[0] = c->threads;
		else if (c->threads != tcount[0])
			tcount[1] = c->threads;
	}
	if (!s->first)
		return;
	plan_series_label(d, key, s->label, sizeof(s->label));
	/* One thread count in the series and --threads-fit dropped the
	 * others: say so, or the missing sweep reads as a choice. */
	if (!tcount[1])
		dropped(d, s);
	cost_model(d, s);
	if (a->mix) {
		ask_mix(d, s, a);
	} else {
		for (size_t i = 0; i < d->n_cases; i++) {
			const struct doc_case *c = &d->cases[i];

			if (in_series(c, key))
				add_point(s, (double)c->size, *c->imix ? c->imix : NULL);
		}
		qsort(s->pts, s->n_pts, sizeof(*s->pts), by_point);
		for (size_t i = 0; i < s->n_pts; i++) {
			scaling(d, s, a, &s->pts[i]);
			price_measured(cost_case(d, key, &s->pts[i]), a, &s->pts[i]);
		}
	}
	for (size_t i = 0; i < s->n_pts; i++)
		apply_sweep(&s->pts[i]);
}

/* The words of a series key, one at a time: 0 at the end. */
static int next_word(const char **p, const char **w, size_t *len)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return 0;
	*w = *p;
	*len = strcspn(*p, " ");
	*p += *len;
	return 1;
}

static int has_word(const char *key, const char *w, size_t len)
{
	const char *p = key, *x;
	size_t n;

	while (next_word(&p, &x, &n))
		if (n == len && !strncmp(x, w, len))
			return 1;
	return 0;
}

static void short_label(const struct doc_case *c, char *buf, size_t len)
{
	char peer[DOC_PEER_ADDR_MAX + 16];

	if (c->peer)
		doc_peer_name(c->peer, peer, sizeof(peer));
	/* A long peer name is cut, visibly. */
	if (snprintf(buf, len, "%s %s %s%s%s", c->workload, c->cipher, c->backend,
		     c->peer ? " \xe2\x86\x92 " : "", c->peer ? peer : "") >= (int)len &&
	    len > 4)
		memcpy(buf + len - 4, "...", 4);
}

void plan_series_label(const struct doc *d, const char *key, char *buf,
		       size_t len)
{
	const struct doc_case *self = NULL;
	char mine[PLAN_LABEL_MAX], other[PLAN_LABEL_MAX];
	const char *p, *w;
	size_t n, used;

	for (size_t i = 0; i < d->n_cases && !self; i++)
		if (!strcmp(d->cases[i].series, key))
			self = &d->cases[i];
	if (!self) {
		snprintf(buf, len, "%s", key);
		return;
	}
	short_label(self, mine, sizeof(mine));
	snprintf(buf, len, "%s", mine);
	used = strlen(buf);
	/* Each word of the key that some same-named series lacks. */
	p = key;
	while (next_word(&p, &w, &n)) {
		int is_apart = 0;

		for (size_t i = 0; i < d->n_cases && !is_apart; i++) {
			const struct doc_case *c = &d->cases[i];

			if (!strcmp(c->series, key))
				continue;
			short_label(c, other, sizeof(other));
			is_apart = !strcmp(other, mine) && !has_word(c->series, w, n);
		}
		if (is_apart && used + n + 2 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%.*s",
						 " ", (int)n, w);
	}
}

void plan_series_family(const struct doc_case *c, char *buf, size_t len)
{
	size_t skip = strlen(c->workload) + strlen(c->cipher) + strlen(c->backend) + 2;

	snprintf(buf, len, "%s %s%s", c->workload, c->cipher,
		 strlen(c->series) >= skip ? c->series + skip : "");
}
