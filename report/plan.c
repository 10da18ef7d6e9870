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
	struct plan_rate target;
	double headroom; /* fraction, 0..0.95 */
	const char *mix; /* --imix name, or NULL */
	const uint16_t *mix_sizes;
	size_t mix_len;
	int is_json;
	const char *path;
};

/* Packets/s of the target for packets of `bytes` payload. */
static double target_pps(const struct plan_opts *o, double bytes)
{
	return o->target.unit == PLAN_PACKETS ? o->target.value
					      : o->target.value / (8 * bytes);
}

/* Throughput of a case in the target's unit. */
static double case_rate(const struct plan_opts *o, const struct doc_case *c)
{
	return o->target.unit == PLAN_PACKETS ? c->pps_median
					      : c->gbps_median * 1e9;
}

static void fmt_rate(char *buf, size_t len, const struct plan_opts *o,
		     double v)
{
	if (o->target.unit == PLAN_PACKETS)
		snprintf(buf, len, "%.3f Mpps", v / 1e6);
	else
		snprintf(buf, len, "%.2f Gbit/s", v / 1e9);
}

/* " (+-0.12)": an error bar as text (static buffer: one use per call). */
static const char *pm(double v)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), " (+-%.2f)", v);
	return buf;
}

/* Per-packet CPU cost of one series over the sizes it was run at (at its
 * smallest thread count), priced at each size or at the mix. */
/* cost_model and scaling return -1 when a figure could not go into the
 * JSON (json_real refuses NaN and infinity): --json must not print a
 * document with holes. */
static int cost_model(const struct doc *d, const char *series,
		      const struct plan_opts *o, json_t *js)
{
	double x[SIZES_MAX], y[SIZES_MAX], sizes[SIZES_MAX], rms = 0;
	unsigned tmin = UINT32_MAX;
	struct fit_line f;
	json_t *priced = json_array();
	size_t n = 0, n_fit;
	int rc = 0;

	for (size_t i = 0; i < d->n_cases; i++)
		if (!strcmp(d->cases[i].series, series) && d->cases[i].threads < tmin)
			tmin = d->cases[i].threads;
	for (size_t i = 0; i < d->n_cases && n < SIZES_MAX; i++) {
		const struct doc_case *c = &d->cases[i];

		if (strcmp(c->series, series) || c->threads != tmin || *c->imix ||
		    c->us_per_packet <= 0)
			continue;
		x[n] = (double)c->size;
		y[n] = c->us_per_packet * 1000;
		sizes[n] = x[n];
		n++;
	}
	if (fit_line(x, y, n, &f) < 0) {
		if (!o->is_json)
			printf("  cost model: needs two or more sizes at one thread count\n");
		json_decref(priced);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		double r = (f.a + f.b * x[i] - y[i]) / y[i];

		rms += r * r;
	}
	rms = sqrt(rms / (double)n);
	if (!o->is_json && n == 2)
		printf("  cost model (%u thread%s, 2 sizes: a line through both, no error estimate): CPU ns/packet = %.1f + %.4f x bytes\n",
		       tmin, tmin == 1 ? "" : "s", f.a, f.b);
	else if (!o->is_json)
		printf("  cost model (%u thread%s, %zu sizes): CPU ns/packet = %.1f + %.4f x bytes (R^2 %.3f, rms error %.1f%%)\n",
		       tmin, tmin == 1 ? "" : "s", n, f.a, f.b, f.r2, rms * 100);
	n_fit = n;
	if (o->mix) {
		double bytes = 0, ns = 0;

		for (size_t k = 0; k < o->mix_len; k++) {
			bytes += o->mix_sizes[k];
			ns += f.a + f.b * o->mix_sizes[k];
		}
		sizes[0] = bytes / (double)o->mix_len;
		y[0] = ns / (double)o->mix_len;
		n = 1;
	} else {
		for (size_t i = 0; i < n; i++)
			y[i] = f.a + f.b * sizes[i];
	}
	for (size_t i = 0; i < n; i++) {
		double pps = target_pps(o, sizes[i]);
		double cores = pps * y[i] / 1e9;
		double need = cores / (1 - o->headroom);

		if (!o->is_json)
			printf("  %s %.0f B: %.0f ns/packet, %.3f Mpps -> %.2f CPU cores busy, %.2f with %.0f%% headroom%s\n",
			       o->mix ? "mix" : "at", sizes[i], y[i],
			       pps / 1e6, cores, need, o->headroom * 100,
			       n_fit > 2 ? pm(need * rms) : "");
		rc |= json_array_append_new(
			priced, json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "bytes",
					  sizes[i], "ns_per_packet", y[i], "pps",
					  pps, "cores_busy", cores, "cores_needed",
					  need, "cores_error", need * rms));
	}
	rc |= json_object_set_new(
		js, "cost_model",
		json_pack("{s:i, s:f, s:f, s:f, s:f, s:o}", "threads", (int)tmin,
			  "a_ns", f.a, "b_ns_per_byte", f.b, "r2", f.r2,
			  "rel_err", rms, "priced", priced));
	return rc < 0 ? -1 : 0;
}

/* Smallest thread count at which the fitted rate, less headroom, meets
 * the target; 0 if none up to the peak (or THREADS_MAX). */
static unsigned threads_for(const struct fit_usl *f, double scale, double need)
{
	double peak = fmin(fit_usl_peak(f), THREADS_MAX);

	for (unsigned t = 1; t <= (unsigned)ceil(peak); t++)
		if (fit_usl_eval(f, t) * scale >= need)
			return t;
	return 0;
}

static int scaling(const struct doc *d, const char *series,
		   const struct plan_opts *o, json_t *js)
{
	json_t *arr = json_array();
	long done[SIZES_MAX];
	size_t ndone = 0;
	int rc = 0;

	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c0 = &d->cases[i];
		double nn[THREADS_MAX], x[THREADS_MAX], need, per_thread = 1;
		char r1[32], r2[32], lo_s[16], hi_s[16];
		unsigned t, lo, hi;
		struct fit_usl f;
		size_t n = 0, k;
		int seen = 0;

		if (strcmp(c0->series, series))
			continue;
		for (k = 0; k < ndone; k++)
			seen |= done[k] == c0->size;
		if (seen || ndone >= SIZES_MAX)
			continue;
		done[ndone++] = c0->size;
		for (size_t j = 0; j < d->n_cases && n < THREADS_MAX; j++) {
			const struct doc_case *c = &d->cases[j];

			if (strcmp(c->series, series) || c->size != c0->size ||
			    case_rate(o, c) <= 0)
				continue;
			nn[n] = c->threads;
			x[n] = case_rate(o, c);
			per_thread = (double)c->workers / c->threads;
			n++;
		}
		if (n < 2 || fit_usl(nn, x, n, &f) < 0)
			continue;
		need = o->target.value;
		t = threads_for(&f, 1 - o->headroom, need);
		lo = threads_for(&f, (1 - o->headroom) * (1 + f.rel_err), need);
		hi = threads_for(&f, (1 - o->headroom) * (1 - f.rel_err), need);
		fmt_rate(r1, sizeof(r1), o, f.lambda);
		fmt_rate(r2, sizeof(r2), o,
			 fit_usl_eval(&f, fmin(fit_usl_peak(&f), THREADS_MAX)));
		snprintf(lo_s, sizeof(lo_s), "%u", lo);
		snprintf(hi_s, sizeof(hi_s), hi ? "%u" : "unreachable", hi);
		if (!o->is_json) {
			if (f.is_linear)
				printf("  scaling at %ld B (linear, %zu points, rms error %.1f%%): %s per thread; fewer than 3 thread counts, so no peak is fitted\n",
				       c0->size, n, f.rel_err * 100, r1);
			else
				printf("  scaling at %ld B (USL, %zu points, rms error %.1f%%): %s per thread, sigma %.4f, kappa %.5f, peak %s at %.0f threads\n",
				       c0->size, n, f.rel_err * 100, r1, f.sigma,
				       f.kappa, r2,
				       fmin(fit_usl_peak(&f), THREADS_MAX));
			if (t)
				printf("    -> %u threads (%s..%s), %.0f cores, for the target with %.0f%% headroom%s\n",
				       t, lo_s, hi_s, t * per_thread,
				       o->headroom * 100,
				       t * per_thread > d->host.pus
					       ? " (beyond this host's PUs: extrapolated)"
					       : "");
			else
				printf("    -> not reachable on this host shape: the fitted peak, less headroom, is below the target\n");
		}
		rc |= json_array_append_new(
			arr,
			json_pack("{s:I, s:s, s:i, s:f, s:f, s:f, s:f, s:f, s:f,"
				  " s:b, s:i, s:i, s:i, s:f}",
				  "size", (json_int_t)c0->size, "model",
				  f.is_linear ? "linear" : "usl", "points",
				  (int)n, "lambda", f.lambda, "sigma", f.sigma,
				  "kappa", f.kappa, "rel_err", f.rel_err,
				  "peak_threads",
				  fmin(fit_usl_peak(&f), THREADS_MAX), "peak",
				  fit_usl_eval(&f, fmin(fit_usl_peak(&f),
							THREADS_MAX)),
				  "reachable", t > 0, "threads_needed", (int)t,
				  "threads_low", (int)lo, "threads_high",
				  (int)hi, "cores_needed", t * per_thread));
	}
	rc |= json_object_set_new(js, "scaling", arr);
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

	*o = (struct plan_opts){ .headroom = 0.3 };
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		switch (c) {
		case 't':
			if (plan_parse_rate(optarg, &o->target, e) < 0)
				return -EINVAL;
			has_target = 1;
			break;
		case 'H':
			o->headroom = strtod(optarg, &end) / 100;
			if (!*optarg || *end || !(o->headroom >= 0) ||
			    o->headroom > 0.95)
				return ncb_errf(e, -EINVAL,
						"--headroom: '%s' is not a percentage in 0..95",
						optarg);
			break;
		case 'i':
			o->mix = optarg;
			if (imix_find(optarg, &o->mix_sizes, &o->mix_len) < 0)
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
			       "  --headroom PCT  capacity kept free (default 30)\n");
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
	struct doc *d = NULL;
	json_t *out, *series;
	char rate[32];
	int rc = parse(argc, argv, &o, &e), is_bad = 0;

	if (rc)
		return rc > 0 ? 0 : (fprintf(stderr, "ncbench plan: %s\n", e.msg), 2);
	if (doc_load(&d, o.path, &e) < 0) {
		fprintf(stderr, "ncbench plan: %s\n", e.msg);
		return 2;
	}
	fmt_rate(rate, sizeof(rate), &o, o.target.value);
	out = json_pack("{s:s, s:s, s:f, s:s, s:f, s:s?}", "document", o.path,
			"host", d->host.hostname, "target", o.target.value, "unit",
			o.target.unit == PLAN_BITS ? "bit/s" : "packet/s",
			"headroom", o.headroom, "imix",
			o.mix);
	series = json_array();
	if (!o.is_json)
		printf("plan for %s with %.0f%% headroom, from %s (%s)\n", rate,
		       o.headroom * 100, o.path, d->host.hostname);
	warn_mixed(d);
	for (size_t i = 0; i < d->n_cases; i++) {
		int seen = 0;
		json_t *js;

		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(d->cases[k].series, d->cases[i].series);
		if (seen)
			continue;
		js = json_pack("{s:s}", "series", d->cases[i].series);
		if (!o.is_json)
			printf("%s\n", d->cases[i].series);
		is_bad |= peer_note(&d->cases[i], &o, js) < 0;
		is_bad |= cost_model(d, d->cases[i].series, &o, js) < 0;
		is_bad |= scaling(d, d->cases[i].series, &o, js) < 0;
		is_bad |= json_array_append_new(series, js) < 0;
	}
	is_bad |= json_object_set_new(out, "series", series) < 0;
	if (o.is_json && is_bad)
		ncb_errf(&e, -ERANGE, "%s: a figure of the plan is not a finite number",
			 o.path);
	else if (o.is_json &&
		 json_dumpf(out, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(9)) == 0)
		putchar('\n');
	json_decref(out);
	doc_free(d);
	/* Output lost on the way (a full disk, /dev/full) is a failure. */
	if (*e.msg || sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench plan: %s\n", e.msg);
		return 1;
	}
	return 0;
}
