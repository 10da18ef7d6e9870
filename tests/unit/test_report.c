/* report/ numerics: the Mann-Whitney U test against hand-computed exact
 * p-values and the normal approximation, least-squares lines, the USL fit
 * recovering the parameters of a synthetic curve, and rate parsing.
 * report/ input: the escaping of every output sink, and doc_load refusing
 * documents outside the schema (the SA, flows and system-call fields
 * included) while keeping long identities whole. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/fit.h"
#include "report/mwu.h"
#include "report/plan.h"
#include "report/sink.h"
#include "tests/unit/helpers.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fmax(1, fabs(b));
}

static void mwu(void)
{
	static const double lo[] = { 1, 2, 3, 4, 5 }, hi[] = { 6, 7, 8, 9, 10 };
	static const double mixed[] = { 1, 3, 5, 7, 9 }, other[] = { 2, 4, 6, 8, 10 };
	static const double same[] = { 4, 4, 4, 4, 4 };
	double big_a[40], big_b[40];
	struct mwu_result r = { 0 };
	int rc;

	/* Complete separation, 5 and 5: U = 0, p = 2 / C(10, 5). */
	rc = mwu_test(lo, 5, hi, 5, &r);
	t_check(rc == 0 && r.is_exact && r.u == 0 &&
			near(r.p, 2.0 / 252, 1e-12),
		"mwu: separated 5+5 exact p = 2/252 (got U %g p %g)", r.u, r.p);
	t_check(mwu_test(hi, 5, lo, 5, &r) == 0 && r.u == 25 &&
			near(r.p, 2.0 / 252, 1e-12),
		"mwu: symmetric in the order of the samples");
	/* Interleaved: U = 10 of 25; P(U <= 10) = 0.3452 for 5+5. */
	rc = mwu_test(mixed, 5, other, 5, &r);
	t_check(rc == 0 && r.u == 10 && near(r.p, 2 * 87.0 / 252, 1e-12),
		"mwu: interleaved exact p = 174/252 (got %g)", r.p);
	t_check(mwu_test(same, 5, same, 5, &r) == 0 && r.p == 1,
		"mwu: identical samples p = 1");
	t_check(mwu_test(lo, 3, hi, 3, &r) == 0 && near(r.p, 0.1, 1e-12),
		"mwu: 3+3 cannot go below p = 0.1");
	for (int i = 0; i < 40; i++) {
		big_a[i] = i;
		big_b[i] = i + 10.5;
	}
	/* Large samples use the normal approximation with continuity
	 * correction: U = 435 of 1600, z = 3.509 (scipy agrees). */
	rc = mwu_test(big_a, 40, big_b, 40, &r);
	t_check(rc == 0 && !r.is_exact && r.u == 435 &&
			near(r.p, 4.5250348643e-4, 1e-6),
		"mwu: 40+40 normal approximation (U %g p %g)", r.u, r.p);
	t_check(mwu_test(lo, 0, hi, 5, &r) < 0, "mwu: empty sample refused");
}

static void lines(void)
{
	double x[] = { 64, 576, 1420, 9000 }, y[4];
	struct fit_line f;

	for (int i = 0; i < 4; i++)
		y[i] = 150 + 0.25 * x[i];
	t_check(fit_line(x, y, 4, &f) == 0 && near(f.a, 150, 1e-9) &&
			near(f.b, 0.25, 1e-9) && near(f.r2, 1, 1e-12),
		"line: exact recovery");
	x[1] = x[2] = x[3] = 64;
	t_check(fit_line(x, y, 4, &f) < 0, "line: one x value refused");
}

static void usl(void)
{
	double n[16], x[16];
	struct fit_usl f = { 0 };

	for (int i = 0; i < 16; i++) {
		n[i] = i + 1;
		x[i] = 10 * n[i] / (1 + 0.05 * (n[i] - 1) + 0.002 * n[i] * (n[i] - 1));
	}
	int rc = fit_usl(n, x, 16, &f);

	t_check(rc == 0 && !f.is_linear &&
			near(f.lambda, 10, 1e-6) && near(f.sigma, 0.05, 1e-6) &&
			near(f.kappa, 0.002, 1e-6) && f.rel_err < 1e-9,
		"usl: recovers lambda 10 sigma 0.05 kappa 0.002 (got %g %g %g)",
		f.lambda, f.sigma, f.kappa);
	t_check(near(fit_usl_peak(&f), sqrt(0.95 / 0.002), 1e-6),
		"usl: peak at sqrt((1 - sigma) / kappa)");
	/* Perfect scaling: kappa and sigma fall back to zero. */
	for (int i = 0; i < 4; i++)
		x[i] = 5 * n[i];
	t_check(fit_usl(n, x, 4, &f) == 0 && near(f.lambda, 5, 1e-9) &&
			f.sigma == 0 && f.kappa == 0,
		"usl: linear data gives sigma = kappa = 0");
	t_check(fit_usl(n, x, 2, &f) == 0 && f.is_linear && near(f.lambda, 5, 1e-9),
		"usl: two points give a line");
}

static void rates(void)
{
	static const struct {
		const char *s;
		double v;
		enum plan_unit u;
	} ok[] = {
		{ "40G", 40e9, PLAN_BITS },      { "100Gbit", 100e9, PLAN_BITS },
		{ "2.5Gbps", 2.5e9, PLAN_BITS }, { "400M", 400e6, PLAN_BITS },
		{ "1T", 1e12, PLAN_BITS },       { "2Mpps", 2e6, PLAN_PACKETS },
		{ "500kpps", 5e5, PLAN_PACKETS },
	};
	/* 1e300T and 1e309 overflow to infinity once multiplied or parsed. */
	static const char *const bad[] = { "", "G", "40", "40X", "-1G", "0G",
					   "1e300T", "1e309G", "inf", "nanG",
					   "2e15pps" };
	struct ncb_err e = { "" };
	struct plan_rate r;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(ok); i++)
		t_check(plan_parse_rate(ok[i].s, &r, &e) == 0 &&
				near(r.value, ok[i].v, 1e-12) && r.unit == ok[i].u,
			"rate '%s'", ok[i].s);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(bad); i++)
		t_check(plan_parse_rate(bad[i], &r, &e) < 0 &&
				strstr(e.msg, "--target"),
			"rate '%s' refused", bad[i]);
}

/* What a sink function writes for s. */
static char *sunk(void (*fn)(FILE *, const char *), const char *s)
{
	static char buf[1024];
	FILE *f;

	buf[0] = '\0';
	f = fmemopen(buf, sizeof(buf), "w");
	if (!f)
		return strcpy(buf, "(fmemopen failed)");
	fn(f, s);
	fclose(f);
	return buf;
}

static void sinks(void)
{
	static const struct {
		const char *name;
		void (*fn)(FILE *, const char *);
		const char *in, *out;
	} cases[] = {
		/* gnuplot: single quotes (no backquote or @macro substitution
		 * there), quotes doubled, a newline never ends the command. */
		{ "gp plain", sink_gp_str, "aes-128-gcm openssl", "'aes-128-gcm openssl'" },
		{ "gp newline", sink_gp_str, "openssl\nsystem 'id > PWNED'\n#",
		  "'openssl?system ''id > PWNED''?#'" },
		{ "gp quotes", sink_gp_str, "a'.system('id').'", "'a''.system(''id'').'''" },
		{ "gp backquote", sink_gp_str, "`id` @m \\ \"", "'`id` @m \\ \"'" },
		{ "gp CR, DEL, tab", sink_gp_str, "a\rb\x7f\tc", "'a?b??c'" },
		{ "gp data", sink_gp_data, "a\"b\nc", "\"a'b?c\"" },
		{ "html", sink_html, "cipher\" onerror=\"x'<&>",
		  "cipher&quot; onerror=&quot;x&#39;&lt;&amp;&gt;" },
		{ "md", sink_md, "a|b <img src=x> [l](u) *e* `c` _u_\n",
		  "a\\|b &lt;img src=x&gt; \\[l\\]\\(u\\) \\*e\\* \\`c\\` \\_u\\_?" },
		{ "csv plain", sink_csv, "aes-128-gcm", "aes-128-gcm" },
		{ "csv comma", sink_csv, "a,b\"c", "\"a,b\"\"c\"" },
		{ "csv =", sink_csv, "=HYPERLINK(\"http://x\",\"y\")",
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "csv +", sink_csv, "+1", "\"'+1\"" },
		{ "csv -", sink_csv, "-2+3", "\"'-2+3\"" },
		{ "csv @", sink_csv, "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "csv tab", sink_csv, "\t=1", "\"'\t=1\"" },
		{ "csv CR", sink_csv, "\r=1", "\"'\r=1\"" },
		{ "csv inner CR", sink_csv, "a\rb", "\"a\rb\"" },
		{ "csv empty", sink_csv, "", "" },
	};
	static const struct {
		const char *in, *out;
	} stems[] = {
		{ "size-1-cipher", "size-1-cipher" },
		{ "size-1-cipher\" onerror=\"alert(1)", "size-1-cipher__onerror__alert_1_" },
		{ "x'.system('id').'", "x_.system__id__._" },
		{ "-e", "_e" },
		{ "..", "_." },
		{ "a/../b", "a_.._b" },
		{ "", "_" },
	};
	char out[64];

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		const char *got = sunk(cases[i].fn, cases[i].in);

		t_check(strcmp(got, cases[i].out) == 0, "sink %s: got [%s], want [%s]",
			cases[i].name, got, cases[i].out);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(stems); i++) {
		sink_stem(out, sizeof(out), stems[i].in);
		t_check(strcmp(out, stems[i].out) == 0 && sink_stem_is_safe(out),
			"stem '%s': got '%s', want '%s'", stems[i].in, out,
			stems[i].out);
	}
	sink_stem(out, 8, "abcdefghijkl");
	t_check(strcmp(out, "abcdefg") == 0, "stem: cut to the buffer");
	t_check(!sink_stem_is_safe("a b") && !sink_stem_is_safe("-x") &&
			!sink_stem_is_safe("") && !sink_stem_is_safe("a'b"),
		"stem: unsafe stems refused");
}

/* A one-result document; each %s is a field the cases below replace. */
enum { F_SCHEMA, F_PUS, F_COMPLETE, F_WORKLOAD, F_BACKEND, F_SIZE, F_THREADS,
       F_WORKERS, F_GBPS, F_SECONDS, F_MEDIAN, F_CI, F_LAT, F_LIBS, F_EXTRA,
       F_N };

static const char *const defaults[F_N] = {
	"\"ncbench.result/1\"", "4", "true", "\"cipher\"", "\"openssl\"",
	"64", "1", "1", "1.5", "0.5", "1.5", "[1.4, 1.6]", "",
	"{\"openssl\": \"3.0\", \"liburing\": \"2.3\"}", "",
};

static int load_with(const char *const v[F_N], struct doc **d,
		     struct ncb_err *e)
{
	const char *f[F_N];
	char buf[8192];
	int n;

	for (int i = 0; i < F_N; i++)
		f[i] = v[i] ? v[i] : defaults[i];
	n = snprintf(buf, sizeof(buf),
		     "{\"schema\": %s, \"host\": {\"hostname\": \"h\", \"pus\": %s},"
		     " \"libraries\": %s, \"complete\": %s, \"config\": {}, \"results\": [{"
		     "\"workload\": %s, \"cipher\": \"aes-128-gcm\", \"backend\": %s,"
		     " \"direction\": \"seal\", \"size\": %s, \"threads\": %s,"
		     " \"workers\": %s, \"samples\": [{\"gbps\": %s, \"seconds\": %s,"
		     " \"packets\": 1000}], \"summary\": {\"gbps\": {\"median\": %s,"
		     " \"ci95\": %s}, \"pps\": {\"median\": 2000},"
		     " \"service_demand\": {\"us_per_packet\": 0.5},"
		     " \"cpu_util\": 1, \"cycles_per_byte\": 2}%s%s%s}]}",
		     f[F_SCHEMA], f[F_PUS], f[F_LIBS], f[F_COMPLETE], f[F_WORKLOAD],
		     f[F_BACKEND], f[F_SIZE], f[F_THREADS], f[F_WORKERS],
		     f[F_GBPS], f[F_SECONDS], f[F_MEDIAN], f[F_CI],
		     *f[F_LAT] ? ", \"latency_ns\": " : "", f[F_LAT], f[F_EXTRA]);
	return doc_load_buf(d, "t.json", buf, (size_t)n, e);
}

/* An sa{} object with this count and the other fields valid. */
#define SA(count)                                                            \
	", \"sa\": {\"count\": " #count ", \"dist\": \"zipf:1.100\","       \
	" \"bytes_per_sa\": 1184, \"create_per_s\": 250000.5}"

static void documents(void)
{
	static const struct {
		const char *name;
		const char *v[F_N];
		const char *field; /* NULL: accepted */
	} cases[] = {
		{ "valid", { NULL }, NULL },
		{ "rr latency", { [F_LAT] = "{\"p50\": 1, \"p90\": 2, \"p99\": 3, \"p999\": 4, \"max\": 5}" }, NULL },
		{ "negative ci95 low", { [F_CI] = "[-0.5, 1.6]" }, NULL },
		{ "newline in backend", { [F_BACKEND] = "\"openssl\\nsystem 'id > PWNED'\\n#\"" },
		  "results[0].backend: a string holds a control character" },
		{ "escape in workload", { [F_WORKLOAD] = "\"a\\u001b[2Jb\"" }, "results[0].workload" },
		{ "other schema", { [F_SCHEMA] = "\"other/2\"" }, "schema" },
		{ "schema 9", { [F_SCHEMA] = "\"ncbench.result/9\"" }, "schema" },
		{ "no schema", { [F_SCHEMA] = "null" }, "schema: missing" },
		{ "negative size", { [F_SIZE] = "-64" }, "results[0].size" },
		{ "zero size", { [F_SIZE] = "0" }, "results[0].size" },
		{ "fractional size", { [F_SIZE] = "64.5" }, "results[0].size" },
		{ "huge size", { [F_SIZE] = "9223372036854775807" }, "results[0].size" },
		{ "0 threads", { [F_THREADS] = "0" }, "results[0].threads" },
		{ "negative threads", { [F_THREADS] = "-1" }, "results[0].threads" },
		{ "4G threads", { [F_THREADS] = "4294967297" }, "results[0].threads" },
		{ "0 workers", { [F_WORKERS] = "0" }, "results[0].workers" },
		{ "complete 1", { [F_COMPLETE] = "1" }, "complete" },
		{ "complete string", { [F_COMPLETE] = "\"yes\"" }, "complete" },
		{ "negative pus", { [F_PUS] = "-1" }, "host.pus" },
		{ "empty workload", { [F_WORKLOAD] = "\"\"" }, "results[0].workload" },
		{ "numeric workload", { [F_WORKLOAD] = "5" }, "results[0].workload" },
		{ "backend missing", { [F_BACKEND] = "null" }, "results[0].backend" },
		{ "negative gbps", { [F_GBPS] = "-1" }, "results[0].samples[0].gbps" },
		{ "gbps as text", { [F_GBPS] = "\"NaN\"" }, "results[0].samples[0].gbps" },
		{ "zero seconds", { [F_SECONDS] = "0" }, "results[0].samples[0].seconds" },
		{ "median 1e300", { [F_MEDIAN] = "1e300" }, "results[0].summary.gbps.median" },
		{ "median overflow", { [F_MEDIAN] = "1e999" }, "t.json" },
		{ "one ci95", { [F_CI] = "[1]" }, "results[0].summary.gbps.ci95" },
		{ "latency short", { [F_LAT] = "{\"p50\": 1}" }, "results[0].latency_ns.p90" },
		{ "no libraries", { [F_LIBS] = "{}" }, NULL },
		{ "library unknown here", { [F_LIBS] = "{\"wolfssl\": \"5.6\"}" }, NULL },
		{ "library version null", { [F_LIBS] = "{\"gcrypt\": null}" }, NULL },
		{ "library version number", { [F_LIBS] = "{\"openssl\": 3}" },
		  "libraries.openssl: must be a string" },
		{ "libraries an array", { [F_LIBS] = "[\"openssl\"]" }, "libraries" },
		{ "library name empty", { [F_LIBS] = "{\"\": \"1\"}" }, "libraries" },
		{ "library escape", { [F_LIBS] = "{\"x\": \"1\\u001b[2J\"}" },
		  "libraries.x: a string holds a control character" },
		/* Many SAs and flows (report/doc_scale.c). */
		{ "sa", { [F_EXTRA] = SA(4096) }, NULL },
		{ "sa count alone", { [F_EXTRA] = ", \"sa\": {\"count\": 1}" }, NULL },
		{ "sa count 0", { [F_EXTRA] = SA(0) }, "results[0].sa.count" },
		{ "sa count 2^24 + 1", { [F_EXTRA] = SA(16777217) }, "results[0].sa.count" },
		{ "sa count 1.5", { [F_EXTRA] = SA(1.5) }, "results[0].sa.count" },
		{ "sa count missing", { [F_EXTRA] = ", \"sa\": {\"dist\": \"uniform\"}" },
		  "results[0].sa.count: missing" },
		{ "sa an array", { [F_EXTRA] = ", \"sa\": [1]" }, "results[0].sa: must be an object" },
		{ "sa negative bytes", { [F_EXTRA] = ", \"sa\": {\"count\": 2, \"bytes_per_sa\": -1}" },
		  "results[0].sa.bytes_per_sa" },
		{ "sa rate as text", { [F_EXTRA] = ", \"sa\": {\"count\": 2, \"create_per_s\": \"fast\"}" },
		  "results[0].sa.create_per_s" },
		{ "sa dist a number", { [F_EXTRA] = ", \"sa\": {\"count\": 2, \"dist\": 1}" },
		  "results[0].sa.dist: must be a string" },
		{ "sa dist 65 bytes", { [F_EXTRA] = ", \"sa\": {\"count\": 2, \"dist\": \""
						    "zipf:1.100000000000000000000000000000000000000000000000000000000000\"}" },
		  "results[0].sa.dist: longer than 64" },
		{ "sa dist escape", { [F_EXTRA] = ", \"sa\": {\"count\": 2, \"dist\": \"a\\nb\"}" },
		  "results[0].sa.dist: a string holds a control character" },
		{ "flows 16", { [F_EXTRA] = ", \"options\": {\"flows\": 16}" }, NULL },
		{ "flows 0", { [F_EXTRA] = ", \"options\": {\"flows\": 0}" }, "results[0].options.flows" },
		{ "flows 65537", { [F_EXTRA] = ", \"options\": {\"flows\": 65537}" }, "results[0].options.flows" },
		{ "flows as text", { [F_EXTRA] = ", \"options\": {\"flows\": \"16\"}" },
		  "results[0].options.flows: must be an integer" },
		{ "io_detail texts only", { [F_EXTRA] = ", \"io_detail\": {\"tx\": \"uring\", \"rx\": \"uring\"}" },
		  NULL },
		{ "io_detail a string", { [F_EXTRA] = ", \"io_detail\": \"uring\"" },
		  "results[0].io_detail: must be an object" },
		{ "syscalls negative", { [F_EXTRA] = ", \"io_detail\": {\"syscalls_per_packet\": {\"tx\": -0.5}}" },
		  "results[0].io_detail.syscalls_per_packet.tx" },
		{ "syscalls an array", { [F_EXTRA] = ", \"io_detail\": {\"syscalls_per_packet\": [1, 2]}" },
		  "results[0].io_detail.syscalls_per_packet: must be an object" },
		{ "syscalls rx true", { [F_EXTRA] = ", \"io_detail\": {\"syscalls_per_packet\": {\"rx\": true}}" },
		  "results[0].io_detail.syscalls_per_packet.rx" },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		int rc = load_with(cases[i].v, &d, &e);

		if (!cases[i].field)
			t_check(rc == 0 && d && d->n_cases == 1,
				"doc %s: accepted (%s)", cases[i].name, e.msg);
		else
			t_check(rc == -EINVAL && !d && strstr(e.msg, "t.json") &&
					strstr(e.msg, cases[i].field) &&
					!strchr(e.msg, '\n'),
				"doc %s: refused naming %s (rc %d: %s)",
				cases[i].name, cases[i].field, rc, e.msg);
		doc_free(d);
	}
}

/* The SA, flows and system-call figures as read, and their defaults
 * when a result has none. */
static void scale_fields(void)
{
	const char *v[F_N] = {
		[F_EXTRA] = SA(65536) ", \"options\": {\"flows\": 256, \"sas\": 65536},"
			    " \"io_detail\": {\"tx\": \"uring: 256 sockets\","
			    " \"syscalls_per_packet\": {\"tx\": 0.03125, \"rx\": 0.5}}",
	};
	const struct doc_scale *s;
	struct ncb_err e = { "" };
	struct doc *d = NULL;

	t_check(load_with(v, &d, &e) == 0, "scale: loaded (%s)", e.msg);
	if (d) {
		s = &d->cases[0].scale;
		t_check(s->sa_count == 65536 && !strcmp(s->sa_dist, "zipf:1.100") &&
				s->sa_bytes == 1184 && s->sa_create_per_s == 250000.5 &&
				s->flows == 256 && s->syscalls_tx == 0.03125 &&
				s->syscalls_rx == 0.5,
			"scale: every figure read (count %ld flows %u tx %g rx %g)",
			s->sa_count, s->flows, s->syscalls_tx, s->syscalls_rx);
		t_check(strstr(d->cases[0].key, " flows=256 sas=65536") != NULL,
			"scale: sas and flows are part of the identity (%s)",
			d->cases[0].key);
	}
	doc_free(d);
	d = NULL;
	v[F_EXTRA] = "";
	t_check(load_with(v, &d, &e) == 0, "scale: a result without them loads");
	if (d) {
		s = &d->cases[0].scale;
		t_check(s->sa_count == 0 && !*s->sa_dist && s->sa_bytes == -1 &&
				s->sa_create_per_s == -1 && s->flows == 0 &&
				s->syscalls_tx == -1 && s->syscalls_rx == -1,
			"scale: defaults when absent");
	}
	doc_free(d);
}

/* libraries is read as a map: any name, in the document's order, so a
 * backend added later needs no reader change; too many are refused. */
static void libraries(void)
{
	const char *v[F_N] = {
		[F_LIBS] = "{\"openssl\": \"3.0.22\", \"ipsec_mb\": \"1.3.0 avx512\","
			   " \"wolfssl\": \"5.6.4\", \"gcrypt\": null}",
	};
	char many[4096];
	struct ncb_err e = { "" };
	struct doc *d = NULL;
	size_t k = 0;

	t_check(load_with(v, &d, &e) == 0 && d->n_libs == 4,
		"libraries: four loaded (%s)", e.msg);
	if (d && d->n_libs == 4)
		t_check(!strcmp(d->libs[0].name, "openssl") &&
				!strcmp(d->libs[0].version, "3.0.22") &&
				!strcmp(d->libs[1].name, "ipsec_mb") &&
				!strcmp(d->libs[2].name, "wolfssl") &&
				!strcmp(d->libs[2].version, "5.6.4") &&
				!strcmp(d->libs[3].name, "gcrypt") &&
				!strcmp(d->libs[3].version, ""),
			"libraries: names and versions in the document's order");
	doc_free(d);
	d = NULL;
	k += (size_t)snprintf(many + k, sizeof(many) - k, "{");
	for (int i = 0; i <= DOC_LIBS_MAX; i++)
		k += (size_t)snprintf(many + k, sizeof(many) - k, "%s\"l%d\": \"1\"",
				      i ? ", " : "", i);
	snprintf(many + k, sizeof(many) - k, "}");
	v[F_LIBS] = many;
	t_check(load_with(v, &d, &e) == -EINVAL && !d &&
			strstr(e.msg, "libraries: more than"),
		"libraries: %d refused (%s)", DOC_LIBS_MAX + 1, e.msg);
}

static const char one_result[] =
	"{\"workload\": \"cipher\", \"cipher\": \"%s\", \"backend\": \"b\","
	" \"direction\": \"seal\", \"size\": %d, \"threads\": 1,"
	" \"samples\": [{\"gbps\": 1, \"seconds\": 1, \"packets\": 1}],"
	" \"summary\": {\"gbps\": {\"median\": %d, \"ci95\": [1, 1]},"
	" \"pps\": {\"median\": 1}, \"service_demand\": {\"us_per_packet\": 1},"
	" \"cpu_util\": 1, \"cycles_per_byte\": 1}}";

/* A document of n results: cipher names[i], size sizes[i], median i. */
static int load_many(struct doc **d, const char *const *names,
		     const int *sizes, size_t n, struct ncb_err *e)
{
	size_t len = 256 + n * (sizeof(one_result) + 400), k = 0;
	char *buf = malloc(len);
	int rc;

	if (!buf)
		return -ENOMEM;
	k += (size_t)snprintf(buf, len, "{\"schema\": \"ncbench.result/1\","
				   " \"host\": {}, \"complete\": true, \"results\": [");
	for (size_t i = 0; i < n && k < len; i++) {
		k += (size_t)snprintf(buf + k, len - k, "%s", i ? ", " : "");
		k += (size_t)snprintf(buf + k, len - k, one_result, names[i],
				      sizes[i], (int)i);
	}
	k += (size_t)snprintf(buf + k, len - k, "]}");
	rc = k < len ? doc_load_buf(d, "many.json", buf, k, e) : -E2BIG;
	free(buf);
	return rc;
}

/* Identities are whole: two cases differing after byte 256 are two
 * cases; two equal ones are refused. */
static void identities(void)
{
	static const int sizes[] = { 64, 64 };
	char a[310], b[310], key[512];
	const char *names[2] = { a, b };
	struct ncb_err e = { "" };
	struct doc *d = NULL;
	int rc;

	memset(a, 'c', 300);
	snprintf(a + 300, sizeof(a) - 300, "1");
	memset(b, 'c', 300);
	snprintf(b + 300, sizeof(b) - 300, "2");
	rc = load_many(&d, names, sizes, 2, &e);
	snprintf(key, sizeof(key), "cipher %s b seal size=64 threads=1", b);
	t_check(rc == 0 && d->n_cases == 2 && strlen(d->cases[1].key) > 300 &&
			doc_find(d, key) == &d->cases[1] &&
			doc_find(d, d->cases[0].key) == &d->cases[0],
		"identity: cases differing after byte 300 both kept (rc %d: %s)",
		rc, e.msg);
	doc_free(d);
	d = NULL;
	names[1] = a;
	rc = load_many(&d, names, sizes, 2, &e);
	t_check(rc == -EINVAL && !d && strstr(e.msg, "results[1] repeats results[0]"),
		"identity: a repeated case refused (rc %d: %s)", rc, e.msg);
}

/* doc_find over many cases (the sorted index) finds each and no other. */
static void lookups(void)
{
	enum { N = 500 };
	static const char *names[N];
	static int sizes[N];
	struct ncb_err e = { "" };
	struct doc *d = NULL;
	size_t found = 0;
	int rc;

	for (int i = 0; i < N; i++) {
		names[i] = i % 2 ? "aes" : "chacha";
		sizes[i] = N - i;
	}
	rc = load_many(&d, names, sizes, N, &e);
	t_check(rc == 0, "lookups: %d cases load (%s)", N, e.msg);
	if (rc < 0)
		return;
	for (int i = 0; i < N; i++) {
		char key[128];
		const struct doc_case *c;

		snprintf(key, sizeof(key), "cipher %s b seal size=%d threads=1",
			 names[i], N - i);
		c = doc_find(d, key);
		found += c == &d->cases[i] && c->gbps_median == i;
	}
	t_check(found == N, "lookups: every case found by key (%zu of %d)", found, N);
	t_check(!doc_find(d, "cipher aes b seal size=0 threads=1") &&
			!doc_find(d, "cipher aes b seal size=2 threads=1") &&
			!doc_find(d, ""),
		"lookups: an absent key is not found");
	doc_free(d);
}

int main(void)
{
	mwu();
	lines();
	usl();
	rates();
	sinks();
	documents();
	scale_fields();
	libraries();
	identities();
	lookups();
	return t_done("test_report");
}
