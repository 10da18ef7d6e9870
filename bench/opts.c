/* `ncbench run` options with getopt_long. Workload options come from each
 * workload's declarative table, so --help, parsing, defaults and the
 * result's config share one source. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "io/imix.h"
#include "workloads/wl.h"

enum {
	OPT_CPUS = 1000,
	OPT_WARMUP,
	OPT_OVERSUB,
	OPT_VERIFY,
	OPT_IMIX,
	OPT_SUITE,
	OPT_PROGRESS,
	OPT_THREADS_FIT,
	OPT_PROCESSES,
	OPT_CI_TARGET,
	OPT_DROP_DISTURBED,
	OPT_WL_BASE = 2000, /* + index into the merged workload options */
};

enum { WL_OPTS_MAX = 64 };

static const struct option common_opts[] = {
	{ "workload", required_argument, NULL, 'w' },
	{ "cipher", required_argument, NULL, 'c' },
	{ "backend", required_argument, NULL, 'b' },
	{ "size", required_argument, NULL, 's' },
	{ "threads", required_argument, NULL, 't' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "duration", required_argument, NULL, 'd' },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "repeat", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "oversubscribe", no_argument, NULL, OPT_OVERSUB },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "imix", required_argument, NULL, OPT_IMIX },
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "threads-fit", no_argument, NULL, OPT_THREADS_FIT },
	{ "processes", required_argument, NULL, OPT_PROCESSES },
	{ "ci-target", required_argument, NULL, OPT_CI_TARGET },
	{ "drop-disturbed", no_argument, NULL, OPT_DROP_DISTURBED },
	{ "help", no_argument, NULL, 'h' },
};

static const char *const default_ciphers[] = {
	"aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "sm4-gcm",
};
static const size_t default_sizes[] = { 64, 1420, 16384 };

static int opts_parse_pct(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !*s || *end || errno || !(*out >= 0.01 && *out <= 100) ? -EINVAL
								       : 0;
}

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

int opts_parse_sizes(const char *s, size_t *out, size_t max, size_t *n,
		     struct ncb_err *e)
{
	char buf[512], *p = buf, *tok;

	*n = 0;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return ncb_errf(e, -EINVAL, "--size: list too long");
	while ((tok = strsep(&p, ","))) {
		unsigned long v[3] = { 0, 1, 0 };
		char *part[3] = { tok, NULL, NULL };
		int parts = 1;

		for (char *c = tok; *c && parts < 3; c++)
			if (*c == ':') {
				*c = 0;
				part[parts++] = c + 1;
			}
		if (parts == 2)
			return ncb_errf(e, -EINVAL,
					"--size: range '%s' must be start:step:end",
					tok);
		for (int i = 0; i < parts; i++)
			if (parse_ulong(part[i], &v[i]) < 0)
				return ncb_errf(e, -EINVAL,
						"--size: '%s' is not a number",
						part[i]);
		if (parts == 1)
			v[2] = v[0];
		if (v[0] < 1 || v[2] > OPTS_SIZE_MAX || v[0] > OPTS_SIZE_MAX)
			return ncb_errf(e, -EINVAL,
					"--size: %lu is out of range 1..%d",
					v[0] < 1 ? v[0] : (v[0] > v[2] ? v[0] : v[2]),
					OPTS_SIZE_MAX);
		if (v[1] == 0 || v[2] < v[0])
			return ncb_errf(e, -EINVAL,
					"--size: range needs step > 0 and end >= start");
		/* x + step could wrap past end: compare the distance left. */
		for (unsigned long x = v[0];; x += v[1]) {
			if (*n >= max)
				return ncb_errf(e, -EINVAL,
						"--size: more than %zu sizes", max);
			for (size_t i = 0; i < *n; i++)
				if (out[i] == x)
					return ncb_errf(e, -EINVAL,
							"--size: %lu appears twice", x);
			out[(*n)++] = x;
			if (v[2] - x < v[1])
				break;
		}
	}
	return 0;
}

int opts_parse_uints(const char *s, const char *what, unsigned lo,
		     unsigned hi, unsigned *out, size_t max, size_t *n,
		     struct ncb_err *e)
{
	char buf[512], *p = buf, *tok;

	*n = 0;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return ncb_errf(e, -EINVAL, "%s: list too long", what);
	while ((tok = strsep(&p, ","))) {
		char *dash = strchr(tok, '-');
		unsigned long a, b;

		if (dash && dash != tok)
			*dash = 0;
		else
			dash = NULL;
		if (parse_ulong(tok, &a) < 0 ||
		    (dash && parse_ulong(dash + 1, &b) < 0))
			return ncb_errf(e, -EINVAL, "%s: '%s' is not a number",
					what, dash ? s : tok);
		if (!dash)
			b = a;
		if (a < lo || b > hi || a > hi || b < a)
			return ncb_errf(e, -EINVAL, "%s: %s is out of range %u..%u",
					what, s, lo, hi);
		for (unsigned long x = a; x <= b; x++) {
			if (*n >= max)
				return ncb_errf(e, -EINVAL, "%s: more than %zu values",
						what, max);
			for (size_t i = 0; i < *n; i++)
				if (out[i] == x)
					return ncb_errf(e, -EINVAL,
							"%s: %lu appears twice", what, x);
			out[(*n)++] = (unsigned)x;
		}
	}
	return 0;
}

int opts_parse_seconds(const char *s, const char *what, double lo, double hi,
		       double *out, struct ncb_err *e)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end || errno || !(*out >= lo && *out <= hi))
		return ncb_errf(e, -EINVAL,
				"%s: '%s' is not a number of seconds in %g..%g",
				what, s, lo, hi);
	return 0;
}

/* Splits a comma list in place into out (pointers into s); a name given
 * twice is refused: it would run its cases twice, and a document holding
 * the same case twice is refused by every reader. */
static int split_names(char *s, const char *what, const char **out,
		       size_t max, size_t *n, struct ncb_err *e)
{
	char *tok;

	*n = 0;
	while ((tok = strsep(&s, ","))) {
		if (!*tok)
			return ncb_errf(e, -EINVAL, "%s: empty name in list", what);
		if (*n >= max)
			return ncb_errf(e, -EINVAL, "%s: more than %zu names", what,
					max);
		for (size_t i = 0; i < *n; i++)
			if (strcmp(out[i], tok) == 0)
				return ncb_errf(e, -EINVAL, "%s: '%s' appears twice",
						what, tok);
		out[(*n)++] = tok;
	}
	return 0;
}

/* "all" already names every backend: with another name, that one would
 * run twice. */
static int check_all(const char *const *names, size_t n, struct ncb_err *e)
{
	for (size_t i = 0; n > 1 && i < n; i++)
		if (strcmp(names[i], "all") == 0)
			return ncb_errf(e, -EINVAL,
					"--backend: 'all' already includes '%s'",
					names[i ? 0 : 1]);
	return 0;
}

static int set_wl_opt(const struct ncb_opt *d, unsigned char *base,
		      const char *val, struct ncb_err *e)
{
	unsigned *dst = (unsigned *)(void *)(base + d->offset);
	unsigned long v;

	if (d->type == NCB_OPT_FLAG) {
		*dst = strcmp(val, "1") == 0;
		return 0;
	}
	if (d->type == NCB_OPT_UINT) {
		if (parse_ulong(val, &v) < 0 || v > 0xffffffffu)
			return ncb_errf(e, -EINVAL, "--%s: '%s' is not a number",
					d->name, val);
		*dst = (unsigned)v;
		return 0;
	}
	for (unsigned i = 0; d->choices[i]; i++)
		if (strcmp(d->choices[i], val) == 0) {
			*dst = i;
			return 0;
		}
	return ncb_errf(e, -EINVAL, "--%s: unknown value '%s'", d->name, val);
}

struct wl_opt_ref {
	const char *name;
	const char *val;
};

static const struct wl_opt_ref *find_ref(const struct wl_opt_ref *refs,
					 size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(refs[i].name, name) == 0)
			return &refs[i];
	return NULL;
}

struct refs {
	const struct wl_opt_ref *r;
	size_t n;
};

/* What the user gave for workload option name, or NULL. */
static const char *ref_value(void *ctx, const char *name)
{
	const struct refs *rs = ctx;
	const struct wl_opt_ref *r = find_ref(rs->r, rs->n, name);

	return r ? r->val : NULL;
}

static const struct ncb_opt *find_wl_opt(const struct wl_ops *w,
					const char *name)
{
	for (size_t i = 0; i < w->opts_count; i++)
		if (strcmp(w->opts[i].name, name) == 0)
			return &w->opts[i];
	return NULL;
}

const char *opts_wl_value(const struct run_opts *o, const char *name,
			  char *buf, size_t len)
{
	const struct ncb_opt *d = find_wl_opt(o->wl, name);
	unsigned v;

	if (!d)
		return NULL;
	memcpy(&v, o->wl_opts + d->offset, sizeof(v));
	if (d->type == NCB_OPT_CHOICE)
		return d->choices[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

int opts_find_long(const char *name)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(common_opts); i++)
		if (strcmp(common_opts[i].name, name) == 0)
			return common_opts[i].has_arg == required_argument;
	for (size_t i = 0; i < wl_count(); i++) {
		const struct ncb_opt *d = find_wl_opt(wl_at(i), name);

		if (d)
			return d->type != NCB_OPT_FLAG;
	}
	return -ENOENT;
}

static void print_help(void)
{
	printf("usage: ncbench run [options]\n"
	       "  -w, --workload W     workload (see ncbench list; default cipher)\n"
	       "  -c, --cipher C,..    AEADs (default aes-128-gcm,aes-256-gcm,\n"
	       "                       chacha20-poly1305,sm4-gcm)\n"
	       "  -b, --backend B,..   backends or 'all' (default all that offer\n"
	       "                       each cipher)\n"
	       "  -s, --size N,..      payload bytes; lists and start:step:end\n"
	       "                       ranges (default 64,1420,16384)\n"
	       "  -t, --threads N,..   worker threads per case (default 1)\n"
	       "      --threads-fit    skip thread counts whose workers exceed this\n"
	       "                       host's PUs (for portable sweeps in suites)\n"
	       "      --cpus LIST      PUs for the workers (OS indexes, e.g. 1 or\n"
	       "                       0,1 or 0-3; default: spread over cores)\n"
	       "      --oversubscribe  allow more workers than PUs\n"
	       "  -d, --duration SEC   seconds per repetition (default 0.3)\n"
	       "      --warmup SEC     discarded warm-up seconds (default 0.1)\n"
	       "  -r, --repeat R       timed repetitions per case and process\n"
	       "                       (default 1); 'auto[:MAX]' repeats until the\n"
	       "                       95%% CI half-width is within --ci-target of\n"
	       "                       the median, at most MAX (default 30) times\n"
	       "      --ci-target PCT  with --repeat auto (default 2)\n"
	       "      --processes N    run each case in N fresh processes, cases\n"
	       "                       alternating (default %d), so the samples\n"
	       "                       hold run-to-run variation\n"
	       "      --drop-disturbed leave repetitions flagged as disturbed out\n"
	       "                       of the statistics (they stay in the\n"
	       "                       document, marked)\n"
	       "  -o, --output FILE    result document (default\n"
	       "                       results/<UTC time>-<host>.json); a new or\n"
	       "                       regular file, a symlink is followed\n"
	       "  -q, --quiet          no table on stdout, no progress line\n"
	       "      --progress       a progress line on stderr even when it is\n"
	       "                       not a terminal\n"
	       "      --suite FILE     run the case groups of a suite file\n"
	       "                       (results/suites/*.json); other options\n"
	       "                       given here apply to every group\n"
	       "      --verify         receiver checks every payload and sequence\n"
	       "      --imix simple    a traffic mix (7x64, 4x576, 1x1500) instead\n"
	       "                       of --size\n",
	       OPTS_PROCESSES_DEFAULT);
	for (size_t i = 0; i < wl_count(); i++) {
		const struct wl_ops *w = wl_at(i);

		for (size_t j = 0; j < w->opts_count; j++) {
			const struct ncb_opt *d = &w->opts[j];

			if (d->type == NCB_OPT_FLAG)
				printf("      --%-15s [%s] %s\n", d->name, w->name,
				       d->help);
			else
				printf("      --%-15s [%s] %s (default %s)\n",
				       d->name, w->name, d->help, d->def);
		}
	}
}

/* Workload options of every workload, merged for getopt_long. */
static void set_defaults(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->wl = wl_find("cipher");
	o->n_ciphers = NCB_ARRAY_SIZE(default_ciphers);
	memcpy(o->ciphers, default_ciphers, sizeof(default_ciphers));
	o->backends[0] = "all";
	o->n_backends = 1;
	o->n_sizes = NCB_ARRAY_SIZE(default_sizes);
	memcpy(o->sizes, default_sizes, sizeof(default_sizes));
	o->threads[0] = 1;
	o->n_threads = 1;
	o->duration = 0.3;
	o->warmup = 0.1;
	o->repeat = 1;
	o->processes = OPTS_PROCESSES_DEFAULT;
	o->ci_target = OPTS_CI_TARGET_DEFAULT;
}

/* "R" or "auto" or "auto:MAX". */
static int parse_repeat(const char *s, struct run_opts *o, struct ncb_err *e)
{
	unsigned long v;

	o->is_repeat_auto = strncmp(s, "auto", 4) == 0 &&
			    (s[4] == 0 || s[4] == ':');
	if (o->is_repeat_auto && s[4] == 0) {
		o->repeat = OPTS_REPEAT_AUTO_MAX;
		return 0;
	}
	if (parse_ulong(o->is_repeat_auto ? s + 5 : s, &v) < 0 || v < 1 ||
	    v > OPTS_SAMPLES_MAX || (o->is_repeat_auto && v < OPTS_REPEAT_AUTO_MIN))
		return ncb_errf(e, -EINVAL,
				o->is_repeat_auto
					? "--repeat: '%s' is not auto:MAX with MAX in 3..1000"
					: "--repeat: '%s' is not a count in 1..1000 or auto[:MAX]",
				s);
	o->repeat = (unsigned)v;
	return 0;
}

int opts_parse_run(int argc, char **argv, struct run_opts *o,
		   struct ncb_err *e)
{
	struct option longs[NCB_ARRAY_SIZE(common_opts) + WL_OPTS_MAX + 1];
	struct wl_opt_ref refs[WL_OPTS_MAX];
	size_t nl = NCB_ARRAY_SIZE(common_opts), nrefs = 0, n;
	unsigned cpus[OPTS_LIST_MAX];
	unsigned long v;
	int c, rc, is_size_set = 0, is_ci_target_set = 0;

	set_defaults(o);
	memcpy(longs, common_opts, sizeof(common_opts));
	for (size_t i = 0; i < wl_count(); i++) {
		const struct wl_ops *w = wl_at(i);

		for (size_t j = 0; j < w->opts_count && nrefs < WL_OPTS_MAX; j++) {
			if (find_ref(refs, nrefs, w->opts[j].name))
				continue; /* shared by several workloads */
			refs[nrefs] = (struct wl_opt_ref){ w->opts[j].name, NULL };
			longs[nl++] = (struct option){
				w->opts[j].name,
				w->opts[j].type == NCB_OPT_FLAG ? no_argument
							       : required_argument,
				NULL, OPT_WL_BASE + (int)nrefs
			};
			nrefs++;
		}
	}
	longs[nl] = (struct option){ 0 };

	optind = 0; /* full reset: parse may run more than once (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:c:b:s:t:d:r:o:qh", longs,
				NULL)) != -1) {
		switch (c) {
		case 'w':
			o->wl = wl_find(optarg);
			if (!o->wl)
				return ncb_errf(e, -EINVAL,
						"--workload: unknown workload '%s' (see ncbench list)",
						optarg);
			break;
		case 'c':
			rc = split_names(optarg, "--cipher", o->ciphers,
					 OPTS_LIST_MAX, &o->n_ciphers, e);
			if (rc < 0)
				return rc;
			break;
		case 'b':
			rc = split_names(optarg, "--backend", o->backends,
					 OPTS_LIST_MAX, &o->n_backends, e);
			if (rc == 0)
				rc = check_all(o->backends, o->n_backends, e);
			if (rc < 0)
				return rc;
			break;
		case 's':
			is_size_set = 1;
			rc = opts_parse_sizes(optarg, o->sizes, OPTS_LIST_MAX,
					      &o->n_sizes, e);
			if (rc < 0)
				return rc;
			break;
		case 't':
			rc = opts_parse_uints(optarg, "--threads", 1,
					      OPTS_THREADS_MAX, o->threads,
					      OPTS_LIST_MAX, &o->n_threads, e);
			if (rc < 0)
				return rc;
			break;
		case OPT_CPUS:
			rc = opts_parse_uints(optarg, "--cpus", 0, 65535, cpus,
					      OPTS_LIST_MAX, &n, e);
			if (rc < 0)
				return rc;
			for (size_t i = 0; i < n; i++)
				o->cpus[i] = (int)cpus[i];
			o->n_cpus = n;
			break;
		case 'd':
			rc = opts_parse_seconds(optarg, "--duration", 0.01, 3600,
						&o->duration, e);
			if (rc < 0)
				return rc;
			break;
		case OPT_WARMUP:
			rc = opts_parse_seconds(optarg, "--warmup", 0, 3600,
						&o->warmup, e);
			if (rc < 0)
				return rc;
			break;
		case 'r':
			rc = parse_repeat(optarg, o, e);
			if (rc < 0)
				return rc;
			break;
		case OPT_PROCESSES:
			if (parse_ulong(optarg, &v) < 0 || v < 1 ||
			    v > OPTS_PROCESSES_MAX)
				return ncb_errf(e, -EINVAL,
						"--processes: '%s' is not a count in 1..%d",
						optarg, OPTS_PROCESSES_MAX);
			o->processes = (unsigned)v;
			break;
		case OPT_CI_TARGET:
			is_ci_target_set = 1;
			if (opts_parse_pct(optarg, &o->ci_target) < 0)
				return ncb_errf(e, -EINVAL,
						"--ci-target: '%s' is not a percentage in 0.01..100",
						optarg);
			break;
		case OPT_DROP_DISTURBED:
			o->is_drop_disturbed = 1;
			break;
		case 'o':
			if (!*optarg)
				return ncb_errf(e, -EINVAL, "--output: empty path");
			o->out_path = optarg;
			break;
		case 'q':
			o->is_quiet = 1;
			break;
		case OPT_OVERSUB:
			o->is_oversubscribe = 1;
			break;
		case OPT_VERIFY:
			o->is_verify = 1;
			break;
		case OPT_SUITE:
			o->suite = optarg;
			break;
		case OPT_PROGRESS:
			o->is_progress = 1;
			break;
		case OPT_THREADS_FIT:
			o->is_threads_fit = 1;
			break;
		case OPT_IMIX:
			if (imix_find(optarg, &o->mix, &o->mix_len) < 0)
				return ncb_errf(e, -EINVAL,
						"--imix: unknown mix '%s' (known: simple)",
						optarg);
			o->imix = optarg;
			break;
		case 'h':
			print_help();
			return 1;
		case ':':
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		case '?':
			return ncb_errf(e, -EINVAL, "unknown option '%s' (see ncbench run --help)",
					argv[optind - 1]);
		default:
			refs[c - OPT_WL_BASE].val = optarg ? optarg : "1";
			break;
		}
	}
	if (optind < argc)
		return ncb_errf(e, -EINVAL, "unexpected argument '%s'",
				argv[optind]);
	if (is_ci_target_set && !o->is_repeat_auto)
		return ncb_errf(e, -EINVAL, "--ci-target applies only with --repeat auto");
	if ((size_t)o->repeat * o->processes > OPTS_SAMPLES_MAX)
		return ncb_errf(e, -EINVAL,
				"--repeat %u x --processes %u: more than %d repetitions per case",
				o->repeat, o->processes, OPTS_SAMPLES_MAX);
	if (o->is_verify && !(o->wl->flags & WL_F_VERIFY))
		return ncb_errf(e, -EINVAL, "--verify does not apply to workload %s",
				o->wl->name);
	if (o->imix && is_size_set)
		return ncb_errf(e, -EINVAL, "--imix and --size exclude each other");
	if (o->imix) {
		o->sizes[0] = imix_mean(o->mix, o->mix_len);
		o->n_sizes = 1;
	}
	if (o->imix && !(o->wl->flags & WL_F_IMIX))
		return ncb_errf(e, -EINVAL, "--imix does not apply to workload %s",
				o->wl->name);
	/* A traffic pattern's options follow its --framing. */
	rc = wl_resolve(&o->wl, ref_value, &(struct refs){ refs, nrefs }, e);
	if (rc < 0)
		return rc;
	if (o->wl->opts_size > sizeof(o->wl_opts))
		return ncb_errf(e, -EINVAL, "workload %s: options too large",
				o->wl->name);
	/* Defaults of the chosen workload, then what the user gave. */
	for (size_t i = 0; i < o->wl->opts_count; i++) {
		rc = set_wl_opt(&o->wl->opts[i], o->wl_opts, o->wl->opts[i].def,
				e);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < nrefs; i++) {
		const struct ncb_opt *d = find_wl_opt(o->wl, refs[i].name);

		if (!refs[i].val)
			continue;
		if (!d)
			return wl_opt_refuse(o->wl, refs[i].name, e);
		rc = set_wl_opt(d, o->wl_opts, refs[i].val, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}
