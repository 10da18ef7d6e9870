/* plan: group the cases of a document into series (everything but size and
 * threads), fit each series, and price the target. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/ncb_cli.h"
#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/fit.h"
#include "report/plan.h"
#include "report/plan_series.h"
#include "report/sink.h"
#include "io/imix.h"

enum { SIZES_MAX = 64, THREADS_MAX = 256 };

int plan_parse_rate(const char *s, struct plan_rate *out, struct ncb_err *e)
{
	static const struct {
		const char *suffix;
		double mult;
		enum plan_unit unit;
	} units[] = {
		{ "Tbit/s", 1e12, PLAN_BITS }, { "Tbps", 1e12, PLAN_BITS },
		{ "Tbit", 1e12, PLAN_BITS },   { "T", 1e12, PLAN_BITS },
		{ "Gbit/s", 1e9, PLAN_BITS },  { "Gbps", 1e9, PLAN_BITS },
		{ "Gbit", 1e9, PLAN_BITS },    { "G", 1e9, PLAN_BITS },
		{ "Mbit/s", 1e6, PLAN_BITS },  { "Mbps", 1e6, PLAN_BITS },
		{ "Mbit", 1e6, PLAN_BITS },    { "Mpps", 1e6, PLAN_PACKETS },
		{ "kpps", 1e3, PLAN_PACKETS }, { "Gpps", 1e9, PLAN_PACKETS },
		{ "pps", 1, PLAN_PACKETS },    { "M", 1e6, PLAN_BITS },
	};
	char *end;
	double v = strtod(s, &end);

	if (end == s || !(v > 0) || !isfinite(v))
		goto bad;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(units); i++)
		if (strcmp(end, units[i].suffix) == 0) {
			/* 1e300T is finite until the unit multiplies it. */
			if (!(v * units[i].mult <= PLAN_RATE_MAX))
				return ncb_errf(e, -EINVAL,
						"--target: '%s' is beyond %g bit/s or packet/s",
						s, PLAN_RATE_MAX);
			out->value = v * units[i].mult;
			out->unit = units[i].unit;
			return 0;
		}
bad:
	return ncb_errf(e, -EINVAL,
			"--target: '%s' is not a rate (e.g. 40G, 100Gbit, 2Mpps)",
			s);
}

struct plan_opts {
	struct plan_ask ask;
	int is_json;
	const char *path;
};

static void fmt_rate(char *buf, size_t len, enum plan_unit unit, double v)
{
	if (unit == PLAN_PACKETS)
		snprintf(buf, len, "%.3f Mpps", v / 1e6);
	else
		snprintf(buf, len, "%.2f Gbit/s", v / 1e9);
}

/* Cores as a reader takes them in: 0.42, 8.3, 82. */
static const char *fmt_cores(char *buf, size_t len, double v)
{
	snprintf(buf, len, v < 1 ? "%.2f" : v < 10 ? "%.1f" : "%.0f", v);
	return buf;
}

/* What a point's range covers, in words. */
static void range_words(const struct plan_point *p, char *buf, size_t len)
{
	if (p->src == PLAN_SRC_MODEL)
		snprintf(buf, len, "the fixed sizes' repetitions (fastest..slowest)%s",
			 p->loo > 0 ? " widened by the model's leave-one-out error" :
				      "; 2 sizes leave no point to check the model on");
	else if (p->range_reps >= 2)
		snprintf(buf, len, "the repetitions (fastest..slowest)");
	else
		snprintf(buf, len, "none (one repetition)");
}

static int is_priced(const struct plan_point *p)
{
	return p->src == PLAN_SRC_MEASURED || p->src == PLAN_SRC_MODEL;
}

/* The upper end of a thread range: a count, or "unreachable". */
static const char *hi_words(char *buf, size_t len, unsigned t)
{
	snprintf(buf, len, t ? "%u" : "unreachable", t);
	return buf;
}

/* Thread sweep of a point in a few words ("" when there is none). */
static void sweep_words(const struct plan_point *p, char *buf, size_t len)
{
	const struct fit_scaling *f = &p->sc;
	char hi[16];

	*buf = '\0';
	if (f->super_to > 0 && !f->is_fitted)
		snprintf(buf, len, "super-linear step %.0f->%.0f threads (x%.2f the rate for x%.2f the threads): not fitted, too few counts above it",
			 f->super_from, f->super_to, f->super_ratio,
			 f->super_to / f->super_from);
	else if (f->super_to > 0 && p->t_need)
		snprintf(buf, len, "%u threads (%u..%s), %.0f PUs, fitted from %.0f threads up: the super-linear step %.0f->%.0f (x%.2f the rate) is left out",
			 p->t_need, p->t_lo, hi_words(hi, sizeof(hi), p->t_hi),
			 p->t_need * p->per_thread, f->super_to, f->super_from,
			 f->super_to, f->super_ratio);
	else if (f->super_to > 0)
		snprintf(buf, len, "not reachable by the fit from %.0f threads up (the super-linear step %.0f->%.0f is left out)",
			 f->super_to, f->super_from, f->super_to);
	else if (f->is_fitted && p->t_need)
		snprintf(buf, len, "%u threads (%u..%s), %.0f PUs (%s, %zu counts, range: %s %.1f%%)",
			 p->t_need, p->t_lo, hi_words(hi, sizeof(hi), p->t_hi),
			 p->t_need * p->per_thread,
			 f->usl.is_linear ? "linear" : "USL", f->n - f->first,
			 f->has_loo ? "leave-one-out error" : "fit error", p->t_err * 100);
	else if (f->is_fitted)
		snprintf(buf, len, "not reachable on this host shape: the fitted peak, less headroom, is below the target");
}

/* The short answer for one series: the cores of each point, their
 * range and what it covers, then the thread sweep when there is one. */
static void answer(const struct plan_series *s, const struct plan_opts *o)
{
	char c1[16], c2[16], c3[16], words[160], first[160] = "", sweep[320];
	int has_sweep = 0, is_same = 1, is_one_t = 1, any = 0;

	for (size_t i = 0; i < s->n_pts; i++) {
		const struct plan_point *p = &s->pts[i];

		if (!is_priced(p))
			continue;
		range_words(p, words, sizeof(words));
		if (!any)
			snprintf(first, sizeof(first), "%s", words);
		is_same &= !strcmp(words, first);
		is_one_t &= p->threads == s->pts[0].threads;
		has_sweep |= p->sc.is_fitted || p->sc.super_to > 0;
		any = 1;
	}
	printf("  %s:", s->label);
	for (size_t i = 0; i < s->n_pts; i++) {
		const struct plan_point *p = &s->pts[i];

		printf("%s", i ? ";" : "");
		if (s->n_pts > 1 || !o->ask.mix)
			printf(" %s", p->what);
		if (!is_priced(p)) {
			printf(" %s", p->note);
			continue;
		}
		printf(" %s cores (%s..%s)", fmt_cores(c1, sizeof(c1), p->cores),
		       fmt_cores(c2, sizeof(c2), p->cores_lo),
		       fmt_cores(c3, sizeof(c3), p->cores_hi));
		if (p->src == PLAN_SRC_MODEL)
			printf(" %s", p->note);
		else if (p->imix && o->ask.mix)
			printf(" from the measured %s IMIX case, not extrapolated from fixed sizes",
			       p->imix);
		else if (p->imix)
			printf(" measured");
		if (p->eff > 0 && p->eff < 0.995)
			printf(" (with the sweep's loss of rate per thread: %.0f%% at %u threads)",
			       p->eff * 100, p->t_need);
		if (!is_same) {
			range_words(p, words, sizeof(words));
			printf(" [at %u thread%s; range: %s]", p->threads,
			       p->threads == 1 ? "" : "s", words);
		}
	}
	if (any && is_same && is_one_t)
		printf("; CPU cost measured at %u thread%s; range: %s", s->pts[0].threads,
		       s->pts[0].threads == 1 ? "" : "s", first);
	if (any && !has_sweep)
		printf("; no thread sweep, so each added core is assumed to do as much");
	printf("\n");
	for (size_t i = 0; has_sweep && i < s->n_pts; i++) {
		sweep_words(&s->pts[i], sweep, sizeof(sweep));
		if (*sweep)
			printf("    thread sweep at %s: %s\n", s->pts[i].what, sweep);
	}
}

/* Notes that change how far the answer can be trusted. */
static int notes(const struct plan_series *s, json_t *arr, int is_json)
{
	char buf[512];
	int rc = 0;

	if (s->busy_poll) {
		snprintf(buf, sizeof(buf), "%s: receivers busy-polled (%u us), so its CPU time includes polling and its cores are an upper bound: plan from runs with --busy-poll 0 (as results/suites/capacity.json does)",
			 s->label, s->busy_poll);
		rc |= json_array_append_new(arr, json_string(buf));
		if (!is_json)
			printf("  warning: %s\n", buf);
	}
	if (*s->dropped) {
		snprintf(buf, sizeof(buf), "%s: --threads-fit dropped every thread count but one (%s: more workers than this host's PUs), so there is no thread sweep and the cores assume linear scaling",
			 s->label, s->dropped);
		rc |= json_array_append_new(arr, json_string(buf));
		if (!is_json)
			printf("  note: %s\n", buf);
	}
	return rc;
}

/* A priced point of s named what, or NULL. */
static const struct plan_point *point(const struct plan_series *s,
				      const char *what)
{
	for (size_t i = 0; i < s->n_pts; i++)
		if (!strcmp(s->pts[i].what, what) && is_priced(&s->pts[i]))
			return &s->pts[i];
	return NULL;
}

/* Cores over the points every member of a family priced (members[]
 * index ss); -1 when they share none. */
static double family_cores(struct plan_series **ss, const size_t *members,
			   size_t n, size_t k)
{
	const struct plan_series *s0 = ss[members[0]];
	double sum = 0;
	int any = 0;

	for (size_t p = 0; p < s0->n_pts; p++) {
		int is_shared = 1;

		for (size_t m = 0; m < n; m++)
			is_shared &= point(ss[members[m]], s0->pts[p].what) != NULL;
		if (!is_shared)
			continue;
		sum += point(ss[k], s0->pts[p].what)->cores;
		any = 1;
	}
	return any ? sum : -1;
}

/* Per family (a series without its backend), the backend whose priced
 * points cost the fewest cores: the cheapest per Gbit/s. */
static int recommend(struct plan_series **ss, size_t n, json_t *arr,
		     int is_json)
{
	size_t *members = calloc(n ? n : 1, sizeof(*members));
	int rc = 0;

	if (!members)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char fam[1024], other[1024], why[256];
		double best = -1, second = -1;
		size_t nm = 0, bi = 0, si = 0;
		int seen = 0;

		if (!ss[i]->first || !strcmp(ss[i]->first->cipher, "null"))
			continue;
		plan_series_family(ss[i]->first, fam, sizeof(fam));
		for (size_t k = 0; k < n; k++) {
			if (!ss[k]->first)
				continue;
			plan_series_family(ss[k]->first, other, sizeof(other));
			if (strcmp(fam, other))
				continue;
			seen |= k < i;
			members[nm++] = k;
		}
		if (seen)
			continue;
		for (size_t m = 0; m < nm; m++) {
			double c = family_cores(ss, members, nm, members[m]);

			if (c < 0)
				continue;
			if (best < 0 || c < best) {
				second = best;
				si = bi;
				best = c;
				bi = members[m];
			} else if (second < 0 || c < second) {
				second = c;
				si = members[m];
			}
		}
		if (best <= 0)
			continue;
		if (second > 0)
			snprintf(why, sizeof(why), "%.2fx cheaper per Gbit/s than %s, the next of %zu",
				 second / best, ss[si]->first->backend, nm);
		else if (nm == 1)
			snprintf(why, sizeof(why), "the only backend measured for it");
		else
			snprintf(why, sizeof(why), "the only one of %zu priced", nm);
		if (!is_json)
			printf("  recommended for %s %s: %s (%s)\n",
			       ss[bi]->first->workload, ss[bi]->first->cipher,
			       ss[bi]->first->backend, why);
		rc |= json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s, s:i}", "family", fam,
				       "backend", ss[bi]->first->backend, "series",
				       ss[bi]->key, "why", why, "backends", (int)nm));
	}
	free(members);
	return rc;
}

/* The detail of one series: the cost model and its checks, each price,
 * each thread sweep. */
static void detail(const struct plan_series *s, const struct plan_opts *o)
{
	char r[32], sweep[320], c1[16], c2[16], c3[16];

	if (!s->has_model)
		printf("  cost model: needs two or more sizes at one thread count\n");
	else
		printf("  cost model (%u thread%s, %zu sizes): CPU ns/packet = %.1f + %.4f x bytes (R^2 %.3f, rms error %.1f%%)\n",
		       s->model_threads, s->model_threads == 1 ? "" : "s",
		       s->n_model, s->model.a, s->model.b, s->model.r2,
		       s->rms * 100);
	if (s->has_model && s->has_loo) {
		printf("  leave-one-out (each size predicted by the model of the others):");
		for (size_t i = 0; i < s->n_model; i++)
			printf("%s %.0f B %+.1f%%", i ? "," : "", s->mx[i],
			       s->loo[i] * 100);
		printf(" (largest %.1f%%)\n", s->loo_max * 100);
	} else if (s->has_model) {
		printf("  leave-one-out: not possible with 2 sizes (a line through both)\n");
	}
	for (size_t i = 0; i < s->n_mix_check; i++) {
		double err = s->mix_check[i].predicted / s->mix_check[i].measured - 1;

		printf("  model vs the measured %s IMIX case (not fitted): %.0f ns/packet predicted, %.0f measured (%+.1f%%)%s\n",
		       s->mix_check[i].imix, s->mix_check[i].predicted,
		       s->mix_check[i].measured, err * 100,
		       fabs(err) > 0.15 && s->is_gso
			       ? ": the fixed sizes rode UDP GSO, the mix did not"
			       : "");
	}
	for (size_t i = 0; i < s->n_pts; i++) {
		const struct plan_point *p = &s->pts[i];

		if (!is_priced(p)) {
			printf("  %s: %s\n", p->what, p->note);
			continue;
		}
		printf("  %s: %.0f ns/packet (%.0f..%.0f, %s at %u thread%s), %.3f Mpps -> %s cores busy with %.0f%% headroom (%s..%s)\n",
		       p->what, p->ns, p->ns_lo, p->ns_hi,
		       p->src == PLAN_SRC_MODEL ? "model" : "measured", p->threads,
		       p->threads == 1 ? "" : "s", p->pps / 1e6,
		       fmt_cores(c1, sizeof(c1), p->cores), o->ask.headroom * 100,
		       fmt_cores(c2, sizeof(c2), p->cores_lo),
		       fmt_cores(c3, sizeof(c3), p->cores_hi));
	}
	for (size_t i = 0; i < s->n_pts; i++) {
		const struct plan_point *p = &s->pts[i];
		const struct fit_usl *f = &p->sc.usl;

		if (!p->sc.is_fitted) {
			if (p->sc.n == 1)
				printf("  scaling at %s: one thread count (%.0f): no sweep, so no scaling is fitted\n",
				       p->what, p->sc.nn[0]);
			else if (p->sc.super_to > 0) {
				sweep_words(p, sweep, sizeof(sweep));
				printf("  scaling at %s: %s\n", p->what, sweep);
			}
			continue;
		}
		fmt_rate(r, sizeof(r), o->ask.target.unit, f->lambda);
		printf("  scaling at %s (%s, %zu points%s): %s per thread",
		       p->what, f->is_linear ? "linear" : "USL", p->sc.n - p->sc.first,
		       p->sc.first ? " above a super-linear step" : "", r);
		if (!f->is_linear)
			printf(", sigma %.4f, kappa %.5f, peak at %.0f threads",
			       f->sigma, f->kappa, fmin(fit_usl_peak(f), 256));
		printf(", rms error %.1f%%\n", f->rel_err * 100);
		if (p->sc.has_loo) {
			printf("    leave-one-out:");
			for (size_t k = p->sc.first; k < p->sc.n; k++)
				printf("%s %.0f threads %+.1f%%", k > p->sc.first ? "," : "",
				       p->sc.nn[k], p->sc.loo[k] * 100);
			printf(" (largest %.1f%%)\n", p->sc.loo_max * 100);
		}
		sweep_words(p, sweep, sizeof(sweep));
		printf("    -> %s\n", sweep);
	}
}

static const char *src_name(enum plan_src s)
{
	static const char *const names[] = { "none", "measured", "model", "refused" };

	return names[s];
}

/* The series as JSON; -1 when a figure could not go in (json_real
 * refuses NaN and infinity: --json must not print a document with
 * holes). */
static int series_json(const struct plan_series *s, const struct doc *d,
		       json_t *js)
{
	json_t *pts = json_array(), *sc = json_array(), *loo = json_array();
	json_t *mix = json_array();
	int rc = 0;

	for (size_t i = 0; i < s->n_pts; i++) {
		const struct plan_point *p = &s->pts[i];
		const struct fit_scaling *f = &p->sc;

		rc |= json_array_append_new(
			pts, json_pack("{s:s, s:f, s:s?, s:s, s:i, s:f, s:f, s:f, s:f,"
				       " s:i, s:f, s:f, s:f, s:f, s:f, s:s}",
				       "what", p->what, "bytes", p->bytes, "imix",
				       p->imix, "source", src_name(p->src),
				       "threads", (int)p->threads,
				       "ns_per_packet", p->ns, "ns_low", p->ns_lo,
				       "ns_high", p->ns_hi, "loo", p->loo,
				       "repetitions", (int)p->range_reps, "pps",
				       p->pps, "cores_busy",
				       p->pps * p->ns / 1e9, "cores_needed", p->cores,
				       "cores_low", p->cores_lo, "cores_high",
				       p->cores_hi, "note", p->note));
		if (!f->is_fitted && !f->super_to)
			continue;
		rc |= json_array_append_new(
			sc,
			json_pack("{s:s, s:f, s:s, s:i, s:f, s:f, s:f, s:f, s:f, s:f,"
				  " s:b, s:i, s:i, s:i, s:f, s:f, s:f, s:f, s:b}",
				  "what", p->what, "size", p->bytes, "model",
				  !f->is_fitted ? "none" : f->usl.is_linear ? "linear" : "usl",
				  "points", (int)(f->n - f->first), "lambda",
				  f->usl.lambda, "sigma", f->usl.sigma, "kappa",
				  f->usl.kappa, "rel_err", f->usl.rel_err,
				  "loo_max", f->loo_max, "peak_threads",
				  fmin(fit_usl_peak(&f->usl), 256),
				  "reachable", p->t_need > 0, "threads_needed",
				  (int)p->t_need, "threads_low", (int)p->t_lo,
				  "threads_high", (int)p->t_hi, "cores_needed",
				  p->t_need * p->per_thread, "super_linear_from",
				  f->super_from, "super_linear_to", f->super_to,
				  "super_linear_ratio", f->super_ratio,
				  "has_loo", f->has_loo));
	}
	for (size_t i = 0; s->has_loo && i < s->n_model; i++)
		rc |= json_array_append_new(loo, json_pack("{s:f, s:f}", "bytes", s->mx[i],
							   "err", s->loo[i]));
	for (size_t i = 0; i < s->n_mix_check; i++)
		rc |= json_array_append_new(
			mix, json_pack("{s:s, s:f, s:f, s:f}", "imix",
				       s->mix_check[i].imix, "predicted_ns",
				       s->mix_check[i].predicted, "measured_ns",
				       s->mix_check[i].measured, "err",
				       s->mix_check[i].predicted / s->mix_check[i].measured - 1));
	rc |= json_object_set_new(js, "label", json_string(s->label));
	rc |= json_object_set_new(js, "answer", pts);
	rc |= json_object_set_new(js, "scaling", sc);
	rc |= json_object_set_new(js, "busy_poll_us", json_integer(s->busy_poll));
	rc |= json_object_set_new(js, "gso", json_boolean(s->is_gso));
	rc |= json_object_set_new(js, "threads_dropped", json_string(s->dropped));
	if (s->has_model)
		rc |= json_object_set_new(
			js, "cost_model",
			json_pack("{s:i, s:f, s:f, s:f, s:f, s:o, s:f, s:o}", "threads",
				  (int)s->model_threads, "a_ns", s->model.a,
				  "b_ns_per_byte", s->model.b, "r2", s->model.r2,
				  "rel_err", s->rms, "loo", loo, "loo_max",
				  s->loo_max, "mix_check", mix));
	else {
		json_decref(loo);
		json_decref(mix);
	}
	(void)d;
	return rc < 0 ? -1 : 0;
}
/* A two-host series (its peer is part of the series, so it is never
 * fitted with one-host cases): its CPU figures are this host's end only,
 * where a one-host case's cover both ends. Said under the series and in
 * the JSON (-1 when a figure could not go in). */
static int peer_note(const struct doc_case *c, const struct plan_opts *o,
		     json_t *js)
{
	const struct doc_peer *p = c->peer;

	if (!p)
		return 0;
	if (!o->is_json)
		printf("  two hosts (peer %s at %s, %s): the costs and cores below are this host's end only; the peer ran the other end\n",
		       *p->host.hostname ? p->host.hostname : "?", p->address,
		       doc_peer_mode_name(p->mode));
	return json_object_set_new(js, "peer",
				   json_pack("{s:s, s:s, s:s, s:s, s:s}", "address",
					     p->address, "mode",
					     doc_peer_mode_name(p->mode), "hostname",
					     p->host.hostname, "cpu_model",
					     p->host.cpu_model, "priced",
					     "this host's end"));
}

/* One line on stderr when a document holds both kinds of case: their
 * figures are not of the same thing (one end, or both). */
static void warn_mixed(const struct doc *d)
{
	size_t two = 0;
	char path[sizeof(d->path)];

	for (size_t i = 0; i < d->n_cases; i++)
		two += d->cases[i].peer != NULL;
	if (!two || two == d->n_cases)
		return;
	snprintf(path, sizeof(path), "%s", d->path);
	fprintf(stderr, "ncbench plan: warning: %s mixes one-host and two-host cases (%zu of %zu): they are planned apart, and a two-host series prices this host's end only\n",
		ncb_clean(path), two, d->n_cases);
}

static int parse(int argc, char **argv, struct plan_opts *o, struct ncb_err *e)
{
	static const struct option longs[] = {
		{ "target", required_argument, NULL, 't' },
		{ "headroom", required_argument, NULL, 'H' },
		{ "imix", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, has_target = 0;
	char *end;

	*o = (struct plan_opts){ .ask.headroom = 0.3 };
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		switch (c) {
		case 't':
			if (plan_parse_rate(optarg, &o->ask.target, e) < 0)
				return -EINVAL;
			has_target = 1;
			break;
		case 'H':
			o->ask.headroom = strtod(optarg, &end) / 100;
			if (!*optarg || *end || !(o->ask.headroom >= 0) ||
			    o->ask.headroom > 0.95)
				return ncb_errf(e, -EINVAL,
						"--headroom: '%s' is not a percentage in 0..95",
						optarg);
			break;
		case 'i':
			o->ask.mix = optarg;
			if (imix_find(optarg, &o->ask.mix_sizes, &o->ask.mix_len) < 0)
				return ncb_errf(e, -EINVAL,
						"--imix: unknown mix '%s' (known: simple)",
						optarg);
			break;
		case 'j':
			o->is_json = 1;
			break;
		case 'h':
			printf("usage: ncbench plan FILE.json --target RATE [--headroom PCT] [--imix NAME] [--json]\n"
			       "  RATE: 40G, 100Gbit, 400M, 2Mpps, 500kpps\n"
			       "  --headroom PCT  capacity kept free (default 30)\n"
			       "  --imix NAME     price a traffic mix (simple): from a measured mix\n"
			       "                  case when the document has one, else from the\n"
			       "                  fixed sizes (refused when they rode UDP GSO)\n"
			       "  --json          the plan as JSON\n"
			       "The answer (cores per series, their range and what it covers, the\n"
			       "cheapest backend per cipher) comes first, the detail after.\n");
			return 1;
		case ':':
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		default:
			return ncb_errf(e, -EINVAL, "unknown option '%s' (%ssee ncbench plan --help)",
					ncb_cli_unknown(), ncb_cli_hint());
		}
	}
	if (argc - optind != 1)
		return ncb_errf(e, -EINVAL, "give one result document");
	if (!has_target)
		return ncb_errf(e, -EINVAL, "--target RATE is required (e.g. --target 40G)");
	o->path = argv[optind];
	return 0;
}

int plan_main(int argc, char **argv)
{
	struct ncb_err e = { "" };
	struct plan_opts o;
	struct plan_series **ss = NULL;
	struct doc *d = NULL;
	json_t *out, *series, *recs, *warns;
	char rate[32], mix[64] = "";
	size_t n = 0;
	int rc = parse(argc, argv, &o, &e), is_bad = 0;

	if (rc)
		return rc > 0 ? 0 : (fprintf(stderr, "ncbench plan: %s\n", e.msg), 2);
	if (doc_load(&d, o.path, &e) < 0) {
		fprintf(stderr, "ncbench plan: %s\n", e.msg);
		return 2;
	}
	ss = calloc(d->n_cases ? d->n_cases : 1, sizeof(*ss));
	if (!ss) {
		doc_free(d);
		fprintf(stderr, "ncbench plan: out of memory\n");
		return 1;
	}
	/* Every series, in the document's order, analysed before a word is
	 * printed: the answer comes first. */
	for (size_t i = 0; i < d->n_cases; i++) {
		int seen = 0;

		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(d->cases[k].series, d->cases[i].series);
		if (seen)
			continue;
		if (!(ss[n] = malloc(sizeof(**ss)))) {
			is_bad = 1;
			break;
		}
		plan_series_analyse(d, d->cases[i].series, &o.ask, ss[n++]);
	}
	fmt_rate(rate, sizeof(rate), o.ask.target.unit, o.ask.target.value);
	if (o.ask.mix)
		snprintf(mix, sizeof(mix), " of %s IMIX (mean %zu B)", o.ask.mix,
			 imix_mean(o.ask.mix_sizes, o.ask.mix_len));
	out = json_pack("{s:s, s:s, s:f, s:s, s:f, s:s?}", "document", o.path,
			"host", d->host.hostname, "target", o.ask.target.value,
			"unit", o.ask.target.unit == PLAN_BITS ? "bit/s" : "packet/s",
			"headroom", o.ask.headroom, "imix", o.ask.mix);
	series = json_array();
	recs = json_array();
	warns = json_array();
	if (!o.is_json) {
		printf("plan: %s%s with %.0f%% headroom, from %s (%s)\n", rate, mix,
		       o.ask.headroom * 100, o.path, d->host.hostname);
		printf("answer: CPU cores busy at the target with headroom (range), per series\n");
	}
	warn_mixed(d);
	for (size_t i = 0; i < n && !o.is_json; i++)
		answer(ss[i], &o);
	is_bad |= recommend(ss, n, recs, o.is_json) < 0;
	for (size_t i = 0; i < n; i++)
		is_bad |= notes(ss[i], warns, o.is_json) < 0;
	if (!o.is_json)
		printf("detail:\n");
	for (size_t i = 0; i < n; i++) {
		json_t *js = json_pack("{s:s}", "series", ss[i]->key);

		if (!o.is_json)
			printf("%s\n", ss[i]->key);
		is_bad |= peer_note(ss[i]->first, &o, js) < 0;
		if (!o.is_json)
			detail(ss[i], &o);
		is_bad |= series_json(ss[i], d, js) < 0;
		is_bad |= json_array_append_new(series, js) < 0;
	}
	is_bad |= json_object_set_new(out, "recommend", recs) < 0;
	is_bad |= json_object_set_new(out, "notes", warns) < 0;
	is_bad |= json_object_set_new(out, "series", series) < 0;
	if (o.is_json && is_bad)
		ncb_errf(&e, -ERANGE, "%s: a figure of the plan is not a finite number",
			 o.path);
	else if (o.is_json &&
		 json_dumpf(out, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(9)) == 0)
		putchar('\n');
	json_decref(out);
	for (size_t i = 0; i < n; i++)
		free(ss[i]);
	free(ss);
	doc_free(d);
	/* Output lost on the way (a full disk, /dev/full) is a failure. */
	if (*e.msg || sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench plan: %s\n", e.msg);
		return 1;
	}
	return 0;
}
