/* compare: read both sides, pool each case over a side's documents,
 * judge it (report/verdict.c), print the table, the notes and each side's
 * noise, and write JUnit / Markdown on request. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/ncb_cli.h"
#include "report/compare.h"
#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/hygiene_diff.h"
#include "report/out.h"
#include "report/pool.h"
#include "report/sink.h"
#include "report/verdict.h"

enum { SIDES = 2, CELL = 48 };

static const char *const side_names[SIDES] = { "base", "current" };

struct cmp_opts {
	double threshold, alpha;
	const char *junit, *markdown;
	int is_strict_host, is_quiet;
	const char *files[SIDES][POOL_DOCS_MAX];
	size_t n_files[SIDES];
};

struct compare_row {
	const char *key;
	int has[SIDES];
	struct verdict_side s[SIDES];
	struct verdict v;
	int is_doc_incomplete[SIDES];
	/* Two hosts: the peer (of a side's first document holding the case;
	 * NULL on one host) and both ends' cycles per byte, the median over
	 * the side's documents. */
	const struct doc_peer *peer[SIDES];
	double cpb[SIDES], peer_cpb[SIDES];
};

/* Messages quote document strings and file names: one clean line. */
static int usage(char *msg)
{
	fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
	return 2;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s && !*end && *out >= lo && *out <= hi ? 0 : -EINVAL;
}

static void help(void)
{
	printf("usage: ncbench compare BASE.json CURRENT.json [OPTIONS]\n"
	       "       ncbench compare --base FILE... --current FILE... [OPTIONS]\n"
	       "  --base FILE      a base document; repeat to pool runs (e.g. A B A B)\n"
	       "  --current FILE   a current document; repeat to pool runs\n"
	       "  --threshold PCT  smallest change of the median that counts (default %g)\n"
	       "  --alpha A        significance level of the Mann-Whitney U test (default %g)\n"
	       "  --junit FILE     JUnit XML: failure = regression, error = inconclusive\n"
	       "                   or too noisy, skipped = added or removed\n"
	       "  --markdown FILE  the table as Markdown (for a pull-request comment)\n"
	       "  --strict-host    refuse documents from different hosts (exit 2)\n"
	       "Units: per-process medians when a side ran in 2 or more processes\n"
	       "(run --processes, or several files pooled), else repetitions.\n"
	       "Verdicts: too noisy (most repetitions disturbed, or drops left < 2\n"
	       "units), REGRESSION/improvement (p < alpha, |change| > threshold), no\n"
	       "change (significant but small, or MDC <= threshold), inconclusive (the\n"
	       "data could have missed a change of the threshold's size).\n"
	       "exit status: 0 no regression and every case decided, 1 a regression,\n"
	       "3 a case inconclusive or too noisy, 2 usage or input error\n",
	       VERDICT_THRESHOLD_PCT, VERDICT_ALPHA);
}

static int add_file(struct cmp_opts *o, int side, const char *path,
		    char *msg, size_t len)
{
	if (o->n_files[side] == POOL_DOCS_MAX) {
		snprintf(msg, len, "--%s: at most %d documents per side",
			 side_names[side], POOL_DOCS_MAX);
		return -EINVAL;
	}
	o->files[side][o->n_files[side]++] = path;
	return 0;
}

static int parse(int argc, char **argv, struct cmp_opts *o, char *msg,
		 size_t len)
{
	static const struct option longs[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "junit", required_argument, NULL, 'j' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "base", required_argument, NULL, 'B' },
		{ "current", required_argument, NULL, 'C' },
		{ "strict-host", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, rc;

	*o = (struct cmp_opts){ .threshold = VERDICT_THRESHOLD_PCT,
				.alpha = VERDICT_ALPHA };
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":qh", longs)) != -1) {
		switch (c) {
		case 't':
			if (parse_num(optarg, 0, 1000, &o->threshold) < 0) {
				snprintf(msg, len, "--threshold: '%s' is not a percentage in 0..1000", optarg);
				return -EINVAL;
			}
			break;
		case 'a':
			if (parse_num(optarg, 1e-9, 0.5, &o->alpha) < 0) {
				snprintf(msg, len, "--alpha: '%s' is not a level in (0, 0.5]", optarg);
				return -EINVAL;
			}
			break;
		case 'j':
			o->junit = optarg;
			break;
		case 'm':
			o->markdown = optarg;
			break;
		case 'B':
		case 'C':
			if ((rc = add_file(o, c == 'C', optarg, msg, len)) < 0)
				return rc;
			break;
		case 's':
			o->is_strict_host = 1;
			break;
		case 'q':
			o->is_quiet = 1;
			break;
		case 'h':
			help();
			return 1;
		case ':':
			snprintf(msg, len, "%s: needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			snprintf(msg, len, "unknown option '%s' (%ssee ncbench compare --help)",
				 ncb_cli_unknown(), ncb_cli_hint());
			return -EINVAL;
		}
	}
	if (o->n_files[0] || o->n_files[1]) {
		if (argc > optind) {
			snprintf(msg, len, "'%s': give the documents either as BASE CURRENT or with --base and --current, not both",
				 argv[optind]);
			return -EINVAL;
		}
		if (!o->n_files[0] || !o->n_files[1]) {
			snprintf(msg, len, "--%s: missing (both sides need a document)",
				 side_names[!o->n_files[1]]);
			return -EINVAL;
		}
		return 0;
	}
	if (argc - optind != 2) {
		snprintf(msg, len, "give two documents: BASE.json CURRENT.json (or --base and --current)");
		return -EINVAL;
	}
	o->files[0][0] = argv[optind];
	o->files[1][0] = argv[optind + 1];
	o->n_files[0] = o->n_files[1] = 1;
	return 0;
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The median of the parts' figure at offset (a double of struct
 * doc_case, or of struct doc_peer when is_peer); NAN when none has it. */
static double parts_median(const struct pool_group *g, size_t offset,
			   int is_peer)
{
	double v[POOL_DOCS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < g->n_parts && n < POOL_DOCS_MAX; i++) {
		const void *o = is_peer ? (const void *)g->parts[i]->peer
					: (const void *)g->parts[i];

		if (o)
			v[n++] = *(const double *)(const void *)((const char *)o + offset);
	}
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int row_side(struct compare_row *r, int side, const struct pool_group *g)
{
	r->has[side] = 1;
	r->is_doc_incomplete[side] = g->is_doc_incomplete;
	/* The peer's address and mode are in the key: every part has one,
	 * or none does. */
	r->peer[side] = g->parts[0]->peer;
	r->cpb[side] = parts_median(g, offsetof(struct doc_case, cycles_per_byte), 0);
	r->peer_cpb[side] = parts_median(g, offsetof(struct doc_peer, cycles_per_byte), 1);
	return verdict_side_pool(&r->s[side], g->parts, g->n_parts);
}

/* Rows: every base case (matched or removed), then every added one. */
static int build_rows(const struct pool *sd, const struct cmp_opts *o,
		      struct compare_row *rows, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < sd[0].n_groups; i++) {
		const struct pool_group *bg = &sd[0].groups[i];
		const struct pool_group *cg = pool_find(&sd[1], bg->key);
		struct compare_row *r = &rows[(*n)++];

		r->key = bg->key;
		if (row_side(r, 0, bg) < 0 || (cg && row_side(r, 1, cg) < 0))
			return -ENOMEM;
		if (!cg) {
			r->v = (struct verdict){ .kind = VERDICT_REMOVED, .p = NAN,
						 .change_pct = NAN, .mdc_pct = NAN };
			continue;
		}
		if (verdict_judge(&r->s[0], &r->s[1], o->threshold, o->alpha,
				  &r->v) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < sd[1].n_groups; i++) {
		const struct pool_group *cg = &sd[1].groups[i];
		struct compare_row *r;

		if (pool_find(&sd[0], cg->key))
			continue;
		r = &rows[(*n)++];
		r->key = cg->key;
		r->v = (struct verdict){ .kind = VERDICT_ADDED, .p = NAN,
					 .change_pct = NAN, .mdc_pct = NAN };
		if (row_side(r, 1, cg) < 0)
			return -ENOMEM;
	}
	return 0;
}

static void fmt(char *buf, size_t len, const char *f, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (isinf(v))
		snprintf(buf, len, "inf");
	else
		snprintf(buf, len, f, v);
}

/* The cells of a row after the case name. */
struct cells {
	char base[CELL], cur[CELL], change[CELL], p[CELL], mdc[CELL];
	char unit[CELL], noise[SIDES][CELL];
};

static void make_cells(const struct compare_row *r, struct cells *c)
{
	char u[SIDES][CELL / 2];

	fmt(c->base, CELL, "%.3f", r->has[0] ? r->s[0].median : NAN);
	fmt(c->cur, CELL, "%.3f", r->has[1] ? r->s[1].median : NAN);
	fmt(c->change, CELL, "%+.1f%%", r->v.change_pct);
	fmt(c->p, CELL, "%.3f", r->v.p);
	fmt(c->mdc, CELL, "%.1f%%", r->v.mdc_pct);
	for (int i = 0; i < SIDES; i++) {
		const struct verdict_side *s = &r->s[i];

		if (!r->has[i]) {
			snprintf(u[i], CELL, "-");
			snprintf(c->noise[i], CELL, "-");
			continue;
		}
		snprintf(u[i], CELL, "%zu%c", s->n_units,
			 s->unit == VERDICT_PER_PROCESS ? 'p' : 'r');
		if (s->has_noise)
			snprintf(c->noise[i], CELL, "%zu/%zu %.1f%%", s->disturbed,
				 s->judged, s->cv_pct);
		else
			snprintf(c->noise[i], CELL, "-/%zu %.1f%%", s->judged,
				 s->cv_pct);
	}
	snprintf(c->unit, CELL, "%s/%s", u[0], u[1]);
}

static void print_table(FILE *f, const struct compare_row *rows, size_t n,
			int is_md)
{
	if (is_md)
		fprintf(f, "| case | base Gbit/s | current Gbit/s | change | p | MDC | units | noise base | noise current | verdict |\n"
			   "|---|---:|---:|---:|---:|---:|---|---|---|---|\n");
	else
		fprintf(f, "%-64s %9s %9s %8s %6s %7s %9s %13s %13s  %s\n",
			"case", "base", "current", "change", "p", "MDC", "units",
			"noise base", "noise cur", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];
		int is_bold = r->v.kind == VERDICT_REGRESSION;
		struct cells c;

		make_cells(r, &c);
		if (is_md) {
			fputs("| ", f);
			sink_md(f, r->key);
			fprintf(f, " | %s | %s | %s | %s | %s | %s | %s | %s | %s%s%s |\n",
				c.base, c.cur, c.change, c.p, c.mdc, c.unit,
				c.noise[0], c.noise[1], is_bold ? "**" : "",
				verdict_name(r->v.kind), is_bold ? "**" : "");
		} else
			fprintf(f, "%-64s %9s %9s %8s %6s %7s %9s %13s %13s  %s\n",
				r->key, c.base, c.cur, c.change, c.p, c.mdc,
				c.unit, c.noise[0], c.noise[1],
				verdict_name(r->v.kind));
	}
	fprintf(f, "%sunits: p = per-process medians, r = repetitions (base/current); "
		   "noise: disturbed/judged repetitions, CV of the units; "
		   "MDC: smallest change the units could detect (80%% power)\n",
		is_md ? "\n" : "");
}

/* Why a case was not decided, in one sentence. */
static void why_text(char *buf, size_t len, const struct compare_row *r,
		     const struct cmp_opts *o)
{
	const struct verdict_side *s = &r->s[r->v.why_side];
	const char *side = side_names[r->v.why_side];

	switch (r->v.why) {
	case VERDICT_WHY_DISTURBED:
		snprintf(buf, len, "%s: %zu of %zu repetitions disturbed (more than half)",
			 side, s->disturbed, s->judged);
		break;
	case VERDICT_WHY_DROPPED:
		snprintf(buf, len, "%s: %zu repetitions dropped as disturbed, %zu unit%s left",
			 side, s->dropped, s->n_units, s->n_units == 1 ? "" : "s");
		break;
	case VERDICT_WHY_FEW_UNITS:
		snprintf(buf, len, "%s has %zu unit%s: no spread to judge (run more repetitions or processes)",
			 side, s->n_units, s->n_units == 1 ? "" : "s");
		break;
	case VERDICT_WHY_MIN_P:
		snprintf(buf, len, "with %zu and %zu units the smallest possible p is %.3f, not below alpha %g (run more processes or repetitions)",
			 r->s[0].n_units, r->s[1].n_units, r->v.min_p, o->alpha);
		break;
	case VERDICT_WHY_MDC:
		snprintf(buf, len, "the smallest detectable change is %.1f%%, above the threshold %.1f%% (more processes or repetitions narrow it)",
			 r->v.mdc_pct, o->threshold);
		break;
	case VERDICT_WHY_HOST:
		snprintf(buf, len, "the host ran at another speed: the canary took %+.0f%% on current against base (runs interleaved A B A B cancel this)",
			 r->v.host_pct);
		break;
	case VERDICT_WHY_PEER:
		snprintf(buf, len, "the peer ran at another speed: its canary took %+.0f%% on current against base (runs interleaved A B A B cancel this)",
			 r->v.peer_pct);
		break;
	default:
		snprintf(buf, len, "decided");
	}
}

/* One note line per case, its parts joined by "; ". */
struct note {
	FILE *f;
	int is_md;
	const char *key;
	int parts;
};

static void note(struct note *nt, const char *fmt_, ...) NCB_PRINTF(2, 3);

static void note(struct note *nt, const char *fmt_, ...)
{
	char part[2048];
	va_list ap;

	if (!nt->parts++) {
		fputs(nt->is_md ? "- " : "note: ", nt->f);
		if (nt->is_md)
			sink_md(nt->f, nt->key);
		else
			fputs(nt->key, nt->f);
		fputs(": ", nt->f);
	} else
		fputs("; ", nt->f);
	va_start(ap, fmt_);
	vsnprintf(part, sizeof(part), fmt_, ap);
	va_end(ap);
	/* A part may quote the document (a peer's host name): Markdown gets
	 * it through its sink; the terminal's has no control bytes (doc_load). */
	if (nt->is_md)
		sink_md(nt->f, part);
	else
		fputs(part, nt->f);
}

static void side_notes(struct note *nt, const struct compare_row *r, int i)
{
	const struct verdict_side *s = &r->s[i];
	const char *side = side_names[i];

	if (s->dropped)
		note(nt, "%s: %zu of %zu repetitions dropped as disturbed (not tested)",
		     side, s->dropped, s->reps);
	if (s->drops > 0 && s->sent > 0)
		note(nt, "%s: %.0f packets dropped (%.2f%% of %.0f sent)", side,
		     s->drops, s->drops / s->sent * 100, s->sent);
	else if (s->drops > 0)
		note(nt, "%s: %.0f packets dropped", side, s->drops);
	if (s->auth_fail > 0 || s->mismatch > 0)
		note(nt, "%s: errors: %.0f authentication failures, %.0f mismatches",
		     side, s->auth_fail, s->mismatch);
	if (s->is_incomplete && s->expected)
		note(nt, "%s: incomplete, %zu of %zu repetitions (repeat x processes)",
		     side, s->reps, s->expected);
	else if (s->is_incomplete)
		note(nt, "%s: incomplete (interrupted)", side);
	if (r->is_doc_incomplete[i])
		note(nt, "%s: from an incomplete document (an interrupted run)", side);
}

/* A two-host case: the peer by name, and both ends' CPU on each side,
 * since either end can be the one that changed. */
static void peer_notes(struct note *nt, const struct compare_row *r)
{
	const struct doc_peer *p = r->peer[r->has[0] ? 0 : 1];
	const struct doc_peer *q = r->peer[r->has[0] ? 1 : 0];
	char cpu[SIDES][4 * CELL];

	if (!p)
		return;
	note(nt, "two hosts: the peer %s (%s) at %s, %s",
	     *p->host.hostname ? p->host.hostname : "?",
	     *p->host.cpu_model ? p->host.cpu_model : "CPU not recorded",
	     p->address, doc_peer_mode_name(p->mode));
	for (int i = 0; i < SIDES; i++) {
		char here[CELL], there[CELL];

		cpu[i][0] = '\0';
		if (!r->has[i])
			continue;
		fmt(here, sizeof(here), "%.3f", r->cpb[i]);
		fmt(there, sizeof(there), "%.3f", r->peer_cpb[i]);
		/* "~": the peer's cycles are a TSC estimate, as in run's table. */
		snprintf(cpu[i], sizeof(cpu[i]), "%s %s here, %s%s on the peer",
			 side_names[i], here, r->peer[i]->is_estimate ? "~" : "",
			 there);
	}
	note(nt, "cycles/B %s%s%s", cpu[0], *cpu[0] && *cpu[1] ? "; " : "",
	     cpu[1]);
	if (q && (strcmp(p->host.hostname, q->host.hostname) ||
		  strcmp(p->host.cpu_model, q->host.cpu_model)))
		note(nt, "the peer differs: base %s (%s), current %s (%s)",
		     p->host.hostname, p->host.cpu_model, q->host.hostname,
		     q->host.cpu_model);
}

static void print_notes(FILE *f, const struct compare_row *rows, size_t n,
			const struct cmp_opts *o, int is_md)
{
	for (size_t i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];
		struct note nt = { f, is_md, r->key, 0 };
		char why[256];

		if (r->v.why != VERDICT_DECIDED) {
			why_text(why, sizeof(why), r, o);
			note(&nt, "%s: %s", verdict_name(r->v.kind), why);
		}
		peer_notes(&nt, r);
		for (int s = 0; s < SIDES; s++)
			if (r->has[s])
				side_notes(&nt, r, s);
		if (r->has[0] && r->has[1] && r->s[0].unit != r->s[1].unit)
			note(&nt, "units mixed: base %s, current %s",
			     r->s[0].unit == VERDICT_PER_PROCESS ? "per process" : "per repetition",
			     r->s[1].unit == VERDICT_PER_PROCESS ? "per process" : "per repetition");
		/* A change past the threshold that the spread could explain. */
		if (r->has[0] && r->has[1] && fabs(r->v.change_pct) > o->threshold &&
		    r->v.ci_pct >= fabs(r->v.change_pct))
			note(&nt, "the %g%% interval of the change (+-%.1f%%) is wider than the change (%+.1f%%)",
			     (1 - o->alpha) * 100, r->v.ci_pct, r->v.change_pct);
		if (nt.parts)
			fputc('\n', f);
	}
}

/* Each side's disturbance over all its cases. */
static void print_noise(FILE *f, const struct compare_row *rows, size_t n,
			const struct pool *sd, int is_md)
{
	for (int i = 0; i < SIDES; i++) {
		size_t reps = 0, dist = 0, dropped = 0, by[DOC_REASONS] = { 0 };
		int has_noise = 0, first = 1;

		for (size_t k = 0; k < n; k++) {
			const struct verdict_side *s = &rows[k].s[i];

			if (!rows[k].has[i])
				continue;
			reps += s->reps;
			dist += s->disturbed_all;
			dropped += s->dropped;
			has_noise |= s->has_noise;
			for (int b = 0; b < DOC_REASONS; b++)
				by[b] += s->by_reason[b];
		}
		fprintf(f, "%snoise %s: %zu document%s, %zu repetitions", is_md ? "- " : "",
			side_names[i], sd[i].n_docs, sd[i].n_docs == 1 ? "" : "s", reps);
		if (!has_noise) {
			fputs(", disturbance not recorded\n", f);
			continue;
		}
		fprintf(f, ", %zu disturbed", dist);
		for (int b = 0; b < DOC_REASONS; b++)
			if (by[b]) {
				fprintf(f, "%s%s %zu", first ? " (" : ", ",
					doc_reason_name((unsigned)b), by[b]);
				first = 0;
			}
		fprintf(f, "%s, %zu dropped\n", first ? "" : ")", dropped);
	}
}

struct tally {
	size_t regressions, improvements, inconclusive, noisy;
};

static void count(const struct compare_row *rows, size_t n, struct tally *t)
{
	*t = (struct tally){ 0 };
	for (size_t i = 0; i < n; i++) {
		t->regressions += rows[i].v.kind == VERDICT_REGRESSION;
		t->improvements += rows[i].v.kind == VERDICT_IMPROVEMENT;
		t->inconclusive += rows[i].v.kind == VERDICT_INCONCLUSIVE;
		t->noisy += rows[i].v.kind == VERDICT_TOO_NOISY;
	}
}

static void print_summary(FILE *f, const struct compare_row *rows, size_t n,
			  const struct cmp_opts *o)
{
	struct tally t;

	count(rows, n, &t);
	fprintf(f, "compare: %zu cases: %zu regressions, %zu improvements, %zu inconclusive, %zu too noisy (threshold %.1f%%, alpha %g)\n",
		n, t.regressions, t.improvements, t.inconclusive, t.noisy,
		o->threshold, o->alpha);
}

/* Inconclusive and too noisy are <error>s: the gate could not judge the
 * case, and CI systems show an error as not passed, where a skipped test
 * reads as fine. Added and removed cases are skipped. */
static void write_junit(FILE *f, const struct compare_row *rows, size_t n,
			const struct cmp_opts *o)
{
	struct tally t;
	size_t skipped = 0;
	char why[256];

	count(rows, n, &t);
	for (size_t i = 0; i < n; i++)
		skipped += rows[i].v.kind == VERDICT_ADDED ||
			   rows[i].v.kind == VERDICT_REMOVED;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites>\n<testsuite name=\"ncbench compare\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
		n, t.regressions, t.inconclusive + t.noisy, skipped);
	for (size_t i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];

		fputs("  <testcase classname=\"ncbench\" name=\"", f);
		sink_html(f, r->key);
		fputs("\"", f);
		switch (r->v.kind) {
		case VERDICT_REGRESSION:
			fprintf(f, ">\n    <failure message=\"throughput %.1f%% (%.3f to %.3f Gbit/s), p = %.4f, threshold %.1f%%\"/>\n  </testcase>\n",
				r->v.change_pct, r->s[0].median, r->s[1].median,
				r->v.p, o->threshold);
			break;
		case VERDICT_INCONCLUSIVE:
		case VERDICT_TOO_NOISY:
			why_text(why, sizeof(why), r, o);
			fprintf(f, ">\n    <error type=\"%s\" message=\"%s: change %+.1f%%, ",
				verdict_name(r->v.kind), verdict_name(r->v.kind),
				r->v.change_pct);
			sink_html(f, why);
			fputs("\"/>\n  </testcase>\n", f);
			break;
		case VERDICT_ADDED:
		case VERDICT_REMOVED:
			fprintf(f, ">\n    <skipped message=\"%s\"/>\n  </testcase>\n",
				verdict_name(r->v.kind));
			break;
		default:
			fputs("/>\n", f);
		}
	}
	fputs("</testsuite>\n</testsuites>\n", f);
}

static void md_docs(FILE *f, const char *what, const struct pool *s)
{
	fprintf(f, "%s: ", what);
	for (size_t i = 0; i < s->n_docs; i++) {
		const struct doc *d = s->docs[i];

		fputs(i ? ", " : "", f);
		sink_md(f, d->path);
		fputs(" (", f);
		sink_md(f, d->host.hostname);
		fputs(", ", f);
		sink_md(f, d->started);
		fputc(')', f);
	}
}

static void write_markdown(FILE *f, const struct compare_row *rows, size_t n,
			   const struct pool *sd, const struct cmp_opts *o)
{
	fputs("### ncbench compare\n\n", f);
	md_docs(f, "Base", &sd[0]);
	md_docs(f, "; current", &sd[1]);
	fputs(".\n\n", f);
	print_table(f, rows, n, 1);
	fputc('\n', f);
	print_notes(f, rows, n, o, 1);
	print_noise(f, rows, n, sd, 1);
	fputc('\n', f);
	print_summary(f, rows, n, o);
}

/* Did a stream take everything written to it so far? */
static int stream_ok(FILE *f)
{
	return !f || (fflush(f) == 0 && !ferror(f));
}

/* --junit and --markdown: both files or neither. Both are written to
 * temporary files and checked before either is renamed into place; if the
 * second rename fails, the first file is removed again. */
static int write_files(const struct cmp_opts *o, const struct compare_row *rows,
		       size_t n, const struct pool *sd, struct ncb_err *e)
{
	struct out_file j = { 0 }, m = { 0 };
	struct stat st;
	int rc = 0;

	if (o->junit && (rc = out_open(&j, o->junit, e)) < 0)
		return rc;
	if (o->markdown && (rc = out_open(&m, o->markdown, e)) < 0)
		goto err_abort_junit;
	if (j.f)
		write_junit(j.f, rows, n, o);
	if (m.f)
		write_markdown(m.f, rows, n, sd, o);
	if (!stream_ok(j.f) || !stream_ok(m.f)) {
		rc = ncb_errf(e, -EIO, "%s: cannot write",
			      !stream_ok(j.f) ? o->junit : o->markdown);
		goto err_abort_markdown;
	}
	if (j.f && (rc = out_commit(&j, e)) < 0)
		goto err_abort_markdown;
	if (m.f && (rc = out_commit(&m, e)) < 0) {
		/* Only a file we just put there (never a device). */
		if (j.path[0] && lstat(j.path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(j.path);
		return rc;
	}
	return 0;

err_abort_markdown:
	if (m.f)
		out_abort(&m);
err_abort_junit:
	if (j.f)
		out_abort(&j);
	return rc;
}

/* Every document against the first base one: a pooled side from other
 * hosts mixes machines as much as two sides do. */
static int check_pool_hosts(const struct pool *sd, const struct cmp_opts *o,
			    char *msg, size_t len)
{
	const struct doc *b = sd[0].docs[0];

	for (int i = 0; i < SIDES; i++)
		for (size_t k = 1; k < sd[i].n_docs; k++) {
			const struct doc *d = sd[i].docs[k];

			if (strcmp(b->host.hostname, d->host.hostname) == 0 &&
			    strcmp(b->host.cpu_model, d->host.cpu_model) == 0)
				continue;
			snprintf(msg, len, "%s documents from different hosts: %s (%s) and %s (%s); differences may be the machines",
				 o->is_strict_host ? "refusing" : "warning:",
				 b->host.hostname, b->host.cpu_model, d->host.hostname,
				 d->host.cpu_model);
			if (o->is_strict_host)
				return -EINVAL;
			fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
			return 0;
		}
	return 0;
}

int compare_main(int argc, char **argv)
{
	struct pool sd[SIDES] = { 0 };
	struct compare_row *rows = NULL;
	struct ncb_err e = { "" };
	const struct doc *b, *c;
	struct cmp_opts o;
	struct tally t;
	char msg[2048];
	size_t n = 0;
	int rc, status = 2;

	rc = parse(argc, argv, &o, msg, sizeof(msg));
	if (rc)
		return rc > 0 ? 0 : usage(msg);
	for (int i = 0; i < SIDES; i++)
		for (size_t k = 0; k < o.n_files[i]; k++, sd[i].n_docs++)
			if (doc_load(&sd[i].docs[k], o.files[i][k], &e) < 0) {
				usage(e.msg);
				goto out;
			}
	b = sd[0].docs[0];
	c = sd[1].docs[0];
	if (strcmp(b->schema, c->schema) != 0) {
		snprintf(msg, sizeof(msg), "%s has schema %s, %s has %s: not comparable",
			 b->path, b->schema, c->path, c->schema);
		usage(msg);
		goto out;
	}
	if (strcmp(b->host.hostname, c->host.hostname) != 0 ||
	    strcmp(b->host.cpu_model, c->host.cpu_model) != 0) {
		snprintf(msg, sizeof(msg),
			 "%s documents from different hosts: %s (%s) and %s (%s); differences may be the machines",
			 o.is_strict_host ? "refusing" : "warning:", b->host.hostname,
			 b->host.cpu_model, c->host.hostname, c->host.cpu_model);
		if (o.is_strict_host) {
			usage(msg);
			goto out;
		}
		fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
	}
	hygiene_diff_warn(stderr, "ncbench compare", b, c);
	if (check_pool_hosts(sd, &o, msg, sizeof(msg)) < 0) {
		usage(msg);
		goto out;
	}
	for (int i = 0; i < SIDES; i++)
		for (size_t k = 0; k < sd[i].n_docs; k++)
			if (!sd[i].docs[k]->is_complete) {
				snprintf(msg, sizeof(msg), "warning: %s is incomplete (an interrupted run)",
					 sd[i].docs[k]->path);
				fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
			}
	if (pool_index(&sd[0]) < 0 || pool_index(&sd[1]) < 0 ||
	    !(rows = calloc(sd[0].n_groups + sd[1].n_groups + 1, sizeof(*rows))) ||
	    build_rows(sd, &o, rows, &n) < 0) {
		fprintf(stderr, "ncbench compare: out of memory\n");
		status = 1;
		goto out;
	}
	if (!o.is_quiet) {
		print_table(stdout, rows, n, 0);
		print_notes(stdout, rows, n, &o, 0);
		print_noise(stdout, rows, n, sd, 0);
	}
	if (write_files(&o, rows, n, sd, &e) < 0) {
		usage(e.msg);
		goto out;
	}
	print_summary(stdout, rows, n, &o);
	count(rows, n, &t);
	status = t.regressions ? 1 : t.inconclusive || t.noisy ? 3 : 0;
	/* A table lost on the way (a full disk, /dev/full) is a failure. */
	if (sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench compare: %s\n", e.msg);
		status = 1;
	}
out:
	for (size_t i = 0; rows && i < n; i++)
		for (int s = 0; s < SIDES; s++)
			verdict_side_free(&rows[i].s[s]);
	free(rows);
	for (int i = 0; i < SIDES; i++)
		pool_free(&sd[i]);
	return status;
}
