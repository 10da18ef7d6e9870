/* compare: match, test, print, and write JUnit / Markdown on request. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/stats.h"
#include "report/compare.h"
#include "report/doc.h"
#include "report/hygiene_diff.h"
#include "report/mwu.h"
#include "report/out.h"
#include "report/sink.h"

static const char *const verdict_names[] = {
	[COMPARE_SAME] = "no change",
	[COMPARE_REGRESSION] = "REGRESSION",
	[COMPARE_IMPROVEMENT] = "improvement",
	[COMPARE_ADDED] = "added",
	[COMPARE_REMOVED] = "removed",
};

const char *compare_verdict_name(enum compare_verdict v)
{
	return verdict_names[v];
}

static double median(const double *x, size_t n)
{
	struct stats_summary s;

	stats_summarize(x, n, &s);
	return s.median;
}

int compare_pair(const struct doc_case *base, const struct doc_case *cur,
		 double threshold_pct, double alpha, struct compare_row *out)
{
	struct mwu_result m;
	int rc;

	out->key = base->key;
	out->base = median(base->gbps, base->n);
	out->current = median(cur->gbps, cur->n);
	out->change_pct = out->base > 0
				  ? (out->current - out->base) / out->base * 100
				  : 0;
	rc = mwu_test(cur->gbps, cur->n, base->gbps, base->n, &m);
	if (rc < 0)
		return rc;
	out->p = m.p;
	out->verdict = COMPARE_SAME;
	if (m.p < alpha && fabs(out->change_pct) > threshold_pct)
		out->verdict = out->change_pct < 0 ? COMPARE_REGRESSION
						   : COMPARE_IMPROVEMENT;
	return 0;
}

struct cmp_opts {
	double threshold, alpha;
	const char *junit, *markdown;
	int is_strict_host, is_quiet;
	const char *base, *current;
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

static int parse(int argc, char **argv, struct cmp_opts *o, char *msg,
		 size_t len)
{
	static const struct option longs[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "junit", required_argument, NULL, 'j' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "strict-host", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*o = (struct cmp_opts){ .threshold = 5, .alpha = 0.05 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longs, NULL)) != -1) {
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
		case 's':
			o->is_strict_host = 1;
			break;
		case 'q':
			o->is_quiet = 1;
			break;
		case 'h':
			printf("usage: ncbench compare BASE.json CURRENT.json [--threshold PCT]\n"
			       "       [--alpha A] [--junit FILE] [--markdown FILE] [--strict-host] [-q]\n"
			       "  --threshold PCT  smallest change of the median that counts (default 5)\n"
			       "  --alpha A        significance level of the Mann-Whitney U test (default 0.05)\n"
			       "  --junit FILE     JUnit XML, one test case per case, failures = regressions\n"
			       "  --markdown FILE  the table as Markdown (for a pull-request comment)\n"
			       "  --strict-host    refuse documents from different hosts (exit 2)\n"
			       "exit status: 0 no regression, 1 a regression, 2 usage or input error\n");
			return 1;
		case ':':
			snprintf(msg, len, "%s: needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			snprintf(msg, len, "unknown option '%s' (see ncbench compare --help)",
				 argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (argc - optind != 2) {
		snprintf(msg, len, "give two documents: BASE.json CURRENT.json");
		return -EINVAL;
	}
	o->base = argv[optind];
	o->current = argv[optind + 1];
	return 0;
}

/* Rows: every base case (matched or removed), then every added one. */
static int build_rows(const struct doc *b, const struct doc *c,
		      const struct cmp_opts *o, struct compare_row *rows,
		      size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < b->n_cases; i++) {
		const struct doc_case *bc = &b->cases[i];
		const struct doc_case *cc = doc_find(c, bc->key);
		struct compare_row *r = &rows[(*n)++];

		if (!cc) {
			*r = (struct compare_row){ bc->key, median(bc->gbps, bc->n),
						   NAN, NAN, NAN, COMPARE_REMOVED };
			continue;
		}
		if (compare_pair(bc, cc, o->threshold, o->alpha, r) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < c->n_cases; i++) {
		const struct doc_case *cc = &c->cases[i];

		if (!doc_find(b, cc->key))
			rows[(*n)++] = (struct compare_row){
				cc->key, NAN, median(cc->gbps, cc->n), NAN, NAN,
				COMPARE_ADDED
			};
	}
	return 0;
}

static void fmt(char *buf, size_t len, const char *f, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, f, v);
}

static void print_table(FILE *f, const struct compare_row *rows, size_t n,
			int is_md)
{
	if (is_md)
		fprintf(f, "| case | base Gbit/s | current Gbit/s | change | p | verdict |\n"
			   "|---|---:|---:|---:|---:|---|\n");
	else
		fprintf(f, "%-64s %10s %10s %8s %7s  %s\n", "case", "base",
			"current", "change", "p", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];
		char b[32], c[32], ch[32], p[32];

		fmt(b, sizeof(b), "%.3f", r->base);
		fmt(c, sizeof(c), "%.3f", r->current);
		fmt(ch, sizeof(ch), "%+.1f%%", r->change_pct);
		fmt(p, sizeof(p), "%.3f", r->p);
		if (is_md) {
			fputs("| ", f);
			sink_md(f, r->key);
			fprintf(f, " | %s | %s | %s | %s | %s%s%s |\n", b, c, ch, p,
				r->verdict == COMPARE_REGRESSION ? "**" : "",
				verdict_names[r->verdict],
				r->verdict == COMPARE_REGRESSION ? "**" : "");
		} else
			fprintf(f, "%-64s %10s %10s %8s %7s  %s\n", r->key, b, c,
				ch, p, verdict_names[r->verdict]);
	}
}

static void write_junit(FILE *f, const struct compare_row *rows, size_t n,
			const struct cmp_opts *o)
{
	size_t fails = 0;

	for (size_t i = 0; i < n; i++)
		fails += rows[i].verdict == COMPARE_REGRESSION;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<testsuites>\n<testsuite name=\"ncbench compare\" tests=\"%zu\" failures=\"%zu\">\n",
		n, fails);
	for (size_t i = 0; i < n; i++) {
		const struct compare_row *r = &rows[i];

		fputs("  <testcase classname=\"ncbench\" name=\"", f);
		sink_html(f, r->key);
		fputs("\"", f);
		if (r->verdict == COMPARE_REGRESSION) {
			fprintf(f, ">\n    <failure message=\"throughput %.1f%% (%.3f to %.3f Gbit/s), p = %.4f, threshold %.1f%%\"/>\n  </testcase>\n",
				r->change_pct, r->base, r->current, r->p,
				o->threshold);
		} else if (r->verdict == COMPARE_ADDED ||
			   r->verdict == COMPARE_REMOVED) {
			fprintf(f, ">\n    <skipped message=\"%s\"/>\n  </testcase>\n",
				verdict_names[r->verdict]);
		} else {
			fputs("/>\n", f);
		}
	}
	fputs("</testsuite>\n</testsuites>\n", f);
}

static void md_doc(FILE *f, const char *what, const struct doc *d)
{
	fprintf(f, "%s: ", what);
	sink_md(f, d->path);
	fputs(" (", f);
	sink_md(f, d->hostname);
	fputs(", ", f);
	sink_md(f, d->started);
	fputc(')', f);
}

static void write_markdown(FILE *f, const struct compare_row *rows, size_t n,
			   const struct doc *b, const struct doc *c)
{
	fputs("### ncbench compare\n\n", f);
	md_doc(f, "Base", b);
	md_doc(f, "; current", c);
	fputs(".\n\n", f);
	print_table(f, rows, n, 1);
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
		       size_t n, const struct doc *b, const struct doc *c,
		       struct ncb_err *e)
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
		write_markdown(m.f, rows, n, b, c);
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

/* With few repetitions the smallest possible p-value of the exact test is
 * 2 / C(n1 + n2, n1): above alpha, no change can ever be called. Say so. */
static void warn_power(const struct doc *b, const struct doc *c, double alpha)
{
	for (size_t i = 0; i < b->n_cases; i++) {
		const struct doc_case *k = doc_find(c, b->cases[i].key);
		double comb = 1;
		size_t n1, n2;

		if (!k)
			continue;
		n1 = b->cases[i].n;
		n2 = k->n;
		for (size_t j = 1; j <= n1; j++)
			comb = comb * (double)(n2 + j) / (double)j;
		if (2 / comb >= alpha) {
			fprintf(stderr, "ncbench compare: warning: with %zu and %zu repetitions the smallest possible p is %.3f, not below alpha %g: nothing can be called (run with --repeat 5 or more)\n",
				n1, n2, 2 / comb, alpha);
			return;
		}
	}
}

int compare_main(int argc, char **argv)
{
	struct doc *b = NULL, *c = NULL;
	struct compare_row *rows = NULL;
	struct ncb_err e = { "" };
	struct cmp_opts o;
	char msg[2048];
	size_t n = 0, regressions = 0;
	int rc, status = 2;

	rc = parse(argc, argv, &o, msg, sizeof(msg));
	if (rc)
		return rc > 0 ? 0 : usage(msg);
	if (doc_load(&b, o.base, &e) < 0 || doc_load(&c, o.current, &e) < 0) {
		usage(e.msg);
		goto out;
	}
	if (strcmp(b->schema, c->schema) != 0) {
		snprintf(msg, sizeof(msg), "%s has schema %s, %s has %s: not comparable",
			 b->path, b->schema, c->path, c->schema);
		usage(msg);
		goto out;
	}
	if (strcmp(b->hostname, c->hostname) != 0 ||
	    strcmp(b->cpu_model, c->cpu_model) != 0) {
		snprintf(msg, sizeof(msg),
			 "%s documents from different hosts: %s (%s) and %s (%s); differences may be the machines",
			 o.is_strict_host ? "refusing" : "warning:", b->hostname,
			 b->cpu_model, c->hostname, c->cpu_model);
		if (o.is_strict_host) {
			usage(msg);
			goto out;
		}
		fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
	}
	hygiene_diff_warn(stderr, "ncbench compare", b, c);
	if (!b->is_complete || !c->is_complete) {
		snprintf(msg, sizeof(msg), "warning: %s is incomplete (an interrupted run)",
			 !b->is_complete ? b->path : c->path);
		fprintf(stderr, "ncbench compare: %s\n", ncb_clean(msg));
	}
	warn_power(b, c, o.alpha);
	rows = calloc(b->n_cases + c->n_cases + 1, sizeof(*rows));
	if (!rows || build_rows(b, c, &o, rows, &n) < 0) {
		fprintf(stderr, "ncbench compare: out of memory\n");
		status = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		regressions += rows[i].verdict == COMPARE_REGRESSION;
	if (!o.is_quiet)
		print_table(stdout, rows, n, 0);
	if (write_files(&o, rows, n, b, c, &e) < 0) {
		usage(e.msg);
		goto out;
	}
	printf("compare: %zu cases, %zu regressions (threshold %.1f%%, alpha %g)\n",
	       n, regressions, o.threshold, o.alpha);
	status = regressions ? 1 : 0;
	/* A table lost on the way (a full disk, /dev/full) is a failure. */
	if (sink_stdout_close(&e) < 0) {
		fprintf(stderr, "ncbench compare: %s\n", e.msg);
		status = 1;
	}
out:
	free(rows);
	doc_free(b);
	doc_free(c);
	return status;
}
