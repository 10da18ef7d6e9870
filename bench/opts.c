/* `ncbench run` options: the table of the common options and the parser
 * that every option goes through, with the workloads' own tables merged
 * in (opts_src.c). getopt's array, parsing, defaults, --help and the
 * result's config (opts_show.c) all come from these tables. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "bench/opts_impl.h"
#include "bench/opts_show.h"
#include "bench/results.h"
#include "crypto/aead.h"
#include "io/ctl.h"
#include "io/imix.h"
#include "io/ncb_cli.h"
#include "workloads/capture.h"
#include "workloads/peer.h"
#include "workloads/sadist.h"
#include "workloads/wl.h"

enum {
	OPT_BASE = 1000,     /* + index into opts_table */
	OPT_SRC_BASE = 2000, /* + index into the merged source options */
	SRC_OPTS_MAX = 96,   /* distinct names over every source table */
	DEFAULTS_TEXT = 512, /* bytes of the defaults' text, kept parsed */
	OPTS_HELP = 1,       /* a setter's return: --help was asked for */
};

#define NCB_STR_(x) #x
#define NCB_STR(x) NCB_STR_(x)

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

/* The parser of each type; hooks (d->set) replace it where an option
 * needs more. */
static int set_by_type(const struct opts_desc *d, char *val,
		       struct run_opts *o, struct ncb_err *e)
{
	char what[40];
	unsigned long v;
	char *end;
	double *real = opts_at(o, d->off);

	snprintf(what, sizeof(what), "--%s", d->name);
	switch (d->type) {
	case OPTS_T_NAMES:
		return split_names(val, what, opts_at(o, d->off), OPTS_LIST_MAX,
				   opts_at(o, d->n_off), e);
	case OPTS_T_SIZES:
		return opts_parse_sizes(val, opts_at(o, d->off), OPTS_LIST_MAX,
					opts_at(o, d->n_off), e);
	case OPTS_T_UINTS:
		return opts_parse_uints(val, what, (unsigned)d->lo,
					(unsigned)d->hi, opts_at(o, d->off),
					OPTS_LIST_MAX, opts_at(o, d->n_off), e);
	case OPTS_T_COUNT:
		if (parse_ulong(val, &v) < 0 || v < d->lo || v > d->hi)
			return ncb_errf(e, -EINVAL,
					"%s: '%s' is not a count in %g..%g", what,
					val, d->lo, d->hi);
		*(unsigned *)opts_at(o, d->off) = (unsigned)v;
		return 0;
	case OPTS_T_SECONDS:
		return opts_parse_seconds(val, what, d->lo, d->hi, real, e);
	case OPTS_T_PCT:
		errno = 0;
		*real = strtod(val, &end);
		if (!*val || *end || errno || !(*real >= d->lo && *real <= d->hi))
			return ncb_errf(e, -EINVAL,
					"%s: '%s' is not a percentage in %g..%g",
					what, val, d->lo, d->hi);
		return 0;
	case OPTS_T_FLAG:
		*(int *)opts_at(o, d->off) = 1;
		return 0;
	case OPTS_T_NAME:
		*(const char **)opts_at(o, d->off) = val;
		return 0;
	case OPTS_T_PATH:
		if (!*val)
			return ncb_errf(e, -EINVAL, "%s: empty path", what);
		*(const char **)opts_at(o, d->off) = val;
		return 0;
	}
	return ncb_errf(e, -EINVAL, "%s: no parser", what);
}

static int set_workload(const struct opts_desc *d, char *val,
			struct run_opts *o, struct ncb_err *e)
{
	const char *names[OPTS_LIST_MAX] = { NULL };
	const char *best;

	(void)d;
	o->wl = wl_find(val);
	if (o->wl)
		return 0;
	for (size_t i = 0; i < wl_count() && i < OPTS_LIST_MAX; i++)
		names[i] = wl_at(i)->name;
	best = ncb_cli_closest(val, names, OPTS_LIST_MAX);
	return ncb_errf(e, -EINVAL,
			"--workload: unknown workload '%s' (%s%s%ssee ncbench list)",
			val, best ? "did you mean " : "", best ? best : "",
			best ? "? " : "");
}

static void record_workload(const struct opts_desc *d,
			    const struct run_opts *o, struct results_doc *doc)
{
	results_config_str(doc, d->key, o->wl->name);
}

/* "all" already names every backend: with another name, that one would
 * run twice. */
static int set_backends(const struct opts_desc *d, char *val,
			struct run_opts *o, struct ncb_err *e)
{
	int rc = set_by_type(d, val, o, e);

	for (size_t i = 0; rc == 0 && o->n_backends > 1 && i < o->n_backends; i++)
		if (strcmp(o->backends[i], "all") == 0)
			return ncb_errf(e, -EINVAL,
					"--backend: 'all' already includes '%s'",
					o->backends[i ? 0 : 1]);
	return rc;
}

/* PUs are OS indexes, kept as int for the placement code. */
static int set_cpus(const struct opts_desc *d, char *val, struct run_opts *o,
		    struct ncb_err *e)
{
	unsigned cpus[OPTS_LIST_MAX];
	size_t n;
	int rc = opts_parse_uints(val, "--cpus", (unsigned)d->lo,
				  (unsigned)d->hi, cpus, OPTS_LIST_MAX, &n, e);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		o->cpus[i] = (int)cpus[i];
	o->n_cpus = n;
	return 0;
}

static void record_cpus(const struct opts_desc *d, const struct run_opts *o,
			struct results_doc *doc)
{
	for (size_t i = 0; i < o->n_cpus; i++)
		results_config_push_int(doc, d->key, o->cpus[i]);
	if (!o->n_cpus)
		results_config_str(doc, d->key, "auto");
}

/* "R" or "auto" or "auto:MAX". */
static int set_repeat(const struct opts_desc *d, char *s, struct run_opts *o,
		      struct ncb_err *e)
{
	unsigned long v;

	(void)d;
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

static void record_repeat(const struct opts_desc *d, const struct run_opts *o,
			  struct results_doc *doc)
{
	char r[32];

	if (!o->is_repeat_auto) {
		results_config_int(doc, d->key, o->repeat);
		return;
	}
	snprintf(r, sizeof(r), "auto:%u", o->repeat);
	results_config_str(doc, d->key, r);
}

/* The target means nothing without --repeat auto: not written then. */
static void record_ci_target(const struct opts_desc *d,
			     const struct run_opts *o, struct results_doc *doc)
{
	if (o->is_repeat_auto)
		results_config_num(doc, d->key, o->ci_target);
}

static int set_imix(const struct opts_desc *d, char *val, struct run_opts *o,
		    struct ncb_err *e)
{
	(void)d;
	if (imix_find(val, &o->mix, &o->mix_len) < 0)
		return ncb_errf(e, -EINVAL,
				"--imix: unknown mix '%s' (known: simple)", val);
	o->imix = val;
	return 0;
}

static void record_imix(const struct opts_desc *d, const struct run_opts *o,
			struct results_doc *doc)
{
	if (o->imix)
		results_config_str(doc, d->key, o->imix);
}

/* HOST, HOST:PORT, [V6]:PORT, split now so a bad one costs no run. */
static int set_peer(const struct opts_desc *d, char *val, struct run_opts *o,
		    struct ncb_err *e)
{
	char why[NCB_ERR_LEN];
	int rc;

	(void)d;
	rc = ctl_split_hostport(val, o->peer_host, sizeof(o->peer_host),
				&o->peer_port, e);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, -EINVAL, "--peer: %s", why);
	}
	o->peer = val;
	return 0;
}

static const char *const peer_modes[] = {
	[WL_PEER_FORWARD] = "forward",
	[WL_PEER_REVERSE] = "reverse",
	[WL_PEER_BIDIR] = "bidir",
};

const char *opts_peer_mode_name(unsigned mode)
{
	return mode < NCB_ARRAY_SIZE(peer_modes) ? peer_modes[mode] : "?";
}

/* The peer as given and which way the traffic goes; nothing on one
 * host, whose config stays as it was. */
static void record_peer(const struct opts_desc *d, const struct run_opts *o,
			struct results_doc *doc)
{
	if (!o->peer)
		return;
	results_config_str(doc, d->key, o->peer);
	results_config_str(doc, "peer_mode", opts_peer_mode_name(o->peer_mode));
}

/* Where the keys came from, never the keys: the file's name. */
static void record_sa_file(const struct opts_desc *d, const struct run_opts *o,
			   struct results_doc *doc)
{
	if (!o->sa_file)
		return;
	results_config_str(doc, "keys", "sa-file");
	results_config_str(doc, d->key, o->sa_file);
}

/* "pcap": {"file", "count"}: capturing costs the senders of pair 0 a
 * copy of their first packets, which the document says. */
static void record_pcap(const struct opts_desc *d, const struct run_opts *o,
			struct results_doc *doc)
{
	if (!o->pcap)
		return;
	results_config_sub_str(doc, d->key, "file", o->pcap);
	results_config_sub_int(doc, d->key, "count", o->pcap_count);
}

/* A label goes into titles, cells and one-line messages: printable
 * text (UTF-8 allowed), no control bytes, at most OPTS_LABEL_MAX bytes. */
static int set_host_label(const struct opts_desc *d, char *val,
			  struct run_opts *o, struct ncb_err *e)
{
	(void)d;
	if (!*val || strlen(val) > OPTS_LABEL_MAX)
		return ncb_errf(e, -EINVAL, "--host-label: give 1 to %d bytes",
				OPTS_LABEL_MAX);
	for (const char *c = val; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ncb_errf(e, -EINVAL,
					"--host-label: control bytes are not allowed");
	o->host_label = val;
	return 0;
}

/* The label names the host, so it goes into the document's host too;
 * the hostname stays what the host says it is. */
static void record_host_label(const struct opts_desc *d,
			      const struct run_opts *o, struct results_doc *doc)
{
	if (!o->host_label)
		return;
	results_config_str(doc, d->key, o->host_label);
	results_host_label(doc, o->host_label);
}

static int set_help(const struct opts_desc *d, char *val, struct run_opts *o,
		    struct ncb_err *e)
{
	(void)d, (void)val, (void)o, (void)e;
	return OPTS_HELP;
}

#define V(member) offsetof(struct run_opts, member)
#define L(member, count) V(member), V(count)

const struct opts_desc opts_table[] = {
	{ "workload", 'w', OPTS_T_NAME, V(wl), 0, 0, 0, "cipher", "W",
	  "workload (see ncbench list)", 0, "workload", set_workload,
	  record_workload },
	{ "cipher", 'c', OPTS_T_NAMES, L(ciphers, n_ciphers), 0, 0,
	  "aes-128-gcm,aes-256-gcm,chacha20-poly1305,sm4-gcm", "C,..", "AEADs",
	  0, "cipher", NULL, NULL },
	{ "backend", 'b', OPTS_T_NAMES, L(backends, n_backends), 0, 0, "all",
	  "B,..", "backends, or 'all': every backend that offers each cipher",
	  0, "backend", set_backends, NULL },
	{ "size", 's', OPTS_T_SIZES, L(sizes, n_sizes), 1, OPTS_SIZE_MAX,
	  "64,1420,16384", "N,..",
	  "payload bytes; lists and start:step:end ranges", 0, "size", NULL,
	  NULL },
	{ "threads", 't', OPTS_T_UINTS, L(threads, n_threads), 1,
	  OPTS_THREADS_MAX, "1", "N,..", "worker threads per case", 0,
	  "threads", NULL, NULL },
	{ "threads-fit", 0, OPTS_T_FLAG, V(is_threads_fit), 0, 0, 0, NULL, NULL,
	  "skip thread counts whose workers exceed this host's PUs (for "
	  "portable sweeps in suites)", 0, "threads_fit", NULL, NULL },
	{ "cpus", 0, OPTS_T_UINTS, L(cpus, n_cpus), 0, 65535, NULL, "LIST",
	  "PUs for the workers (OS indexes, e.g. 1 or 0,1 or 0-3; default: "
	  "spread over cores)", 0, "cpus", set_cpus, record_cpus },
	{ "oversubscribe", 0, OPTS_T_FLAG, V(is_oversubscribe), 0, 0, 0, NULL,
	  NULL, "allow more workers than PUs", 0, "oversubscribe", NULL, NULL },
	{ "duration", 'd', OPTS_T_SECONDS, V(duration), 0, 0.01, 3600, "0.3",
	  "SEC", "seconds per repetition", 0, "duration", NULL, NULL },
	{ "warmup", 0, OPTS_T_SECONDS, V(warmup), 0, 0, 3600, "0.1", "SEC",
	  "discarded warm-up seconds", 0, "warmup", NULL, NULL },
	{ "repeat", 'r', OPTS_T_COUNT, V(repeat), 0, 1, OPTS_SAMPLES_MAX, "1",
	  "R", "timed repetitions per case and process; 'auto[:MAX]' repeats "
	  "until the 95% CI half-width is within --ci-target of the median, "
	  "at most MAX times (" NCB_STR(OPTS_REPEAT_AUTO_MAX) " without :MAX)", 0, "repeat",
	  set_repeat, record_repeat },
	{ "ci-target", 0, OPTS_T_PCT, V(ci_target), 0, 0.01, 100, "2", "PCT",
	  "with --repeat auto: the CI half-width to reach, in percent of the "
	  "median", 0, "ci_target", NULL, record_ci_target },
	{ "processes", 0, OPTS_T_COUNT, V(processes), 0, 1, OPTS_PROCESSES_MAX,
	  "5", "N", "run each case in N fresh processes, cases alternating, so "
	  "the samples hold run-to-run variation", 0, "processes", NULL, NULL },
	{ "drop-disturbed", 0, OPTS_T_FLAG, V(is_drop_disturbed), 0, 0, 0, NULL,
	  NULL, "leave repetitions flagged as disturbed out of the statistics "
	  "(they stay in the document, marked)", 0, "drop_disturbed", NULL,
	  NULL },
	{ "output", 'o', OPTS_T_PATH, V(out_path), 0, 0, 0, NULL, "FILE",
	  "result document (default results/<UTC time>-<host>.json); a new or "
	  "regular file, a symlink is followed", 0, NULL, NULL, NULL },
	{ "json-stream", 0, OPTS_T_PATH, V(json_stream), 0, 0, 0, NULL,
	  "FILE|-", "JSON lines (ncbench.stream/1) as the run goes: "
	  "start, one per repetition, one per finished case (its result as "
	  "the document holds it), end; to a file, a FIFO or '-' (stdout, "
	  "the table then goes to stderr)", 0, NULL, NULL, NULL },
	{ "quiet", 'q', OPTS_T_FLAG, V(is_quiet), 0, 0, 0, NULL, NULL,
	  "no table on stdout, no progress line", 0, NULL, NULL, NULL },
	{ "progress", 0, OPTS_T_FLAG, V(is_progress), 0, 0, 0, NULL, NULL,
	  "a progress line on stderr even when it is not a terminal", 0, NULL,
	  NULL, NULL },
	{ "suite", 0, OPTS_T_PATH, V(suite), 0, 0, 0, NULL, "FILE",
	  "run the case groups of a suite file (results/suites/*.json); other "
	  "options given here apply to every group", 0, NULL, NULL, NULL },
	{ "verify", 0, OPTS_T_FLAG, V(is_verify), 0, 0, 0, NULL, NULL,
	  "receiver checks every payload and sequence", WL_F_VERIFY, "verify",
	  NULL, NULL },
	{ "imix", 0, OPTS_T_NAME, V(imix), 0, 0, 0, NULL, "NAME",
	  "a traffic mix (simple: 7x64, 4x576, 1x1500) instead of --size",
	  WL_F_IMIX, "imix", set_imix, record_imix },
	{ "peer", 0, OPTS_T_NAME, V(peer), 0, 0, 0, NULL, "HOST[:PORT]",
	  "run each case with `ncbench serve` on HOST (port 7478 unless "
	  "given; [ADDR]:PORT for IPv6): this host runs one end of every "
	  "pair, HOST the other", WL_F_PEER, "peer", set_peer, record_peer },
	{ "psk-file", 0, OPTS_T_PATH, V(psk_file), 0, 0, 0, NULL, "FILE",
	  "with --peer: the key both hosts hold (ncbench psk -o FILE; mode "
	  "0600)", WL_F_PEER, NULL, NULL, NULL },
	{ "reverse", 0, OPTS_T_FLAG, V(is_reverse), 0, 0, 0, NULL, NULL,
	  "with --peer: the peer sends (or asks), this host receives (or "
	  "answers)", WL_F_PEER, NULL, NULL, NULL },
	{ "bidir", 0, OPTS_T_FLAG, V(is_bidir), 0, 0, 0, NULL, NULL,
	  "with --peer: both hosts send and receive, two units per pair",
	  WL_F_PEER, NULL, NULL, NULL },
	{ "dev", 0, OPTS_T_NAME, V(dev), 0, 0, 0, NULL, "IFACE",
	  "with --peer and --transport raw: the Ethernet interface toward "
	  "the peer (which names its own: serve --dev)", WL_F_PEER, NULL,
	  NULL, NULL },
	{ "sa-file", 0, OPTS_T_PATH, V(sa_file), 0, 0, 0, NULL, "FILE",
	  "the SAs' keys and identifiers from FILE instead of random keys "
	  "(ncbench sa-file -o FILE makes one; mode 0600; one host only)",
	  WL_F_NET, "sa_file", NULL, record_sa_file },
	{ "pcap", 0, OPTS_T_PATH, V(pcap), 0, 0, 0, NULL, "FILE",
	  "write the first --pcap-count packets pair 0 sends, as sent, to "
	  "FILE (pcap, Ethernet frames) when the case ends; one case, one "
	  "host", WL_F_CAPTURE, "pcap", NULL, record_pcap },
	{ "pcap-count", 0, OPTS_T_COUNT, V(pcap_count), 0, 1,
	  CAPTURE_COUNT_MAX, "1000", "N", "packets --pcap keeps",
	  WL_F_CAPTURE, NULL, NULL, NULL },
	{ "host-label", 0, OPTS_T_NAME, V(host_label), 0, 0, 0, NULL, "NAME",
	  "this host's name in the document's host.label and in reports "
	  "(e.g. its inventory name in a fleet); the hostname stays", 0,
	  "host_label", set_host_label, record_host_label },
	{ "help", 'h', OPTS_T_FLAG, 0, 0, 0, 0, NULL, NULL, "this text", 0,
	  NULL, set_help, NULL },
};

#undef L
#undef V

const size_t opts_table_len = NCB_ARRAY_SIZE(opts_table);

int opts_applies(const struct opts_desc *d, const struct wl_ops *w)
{
	return !d->wl_flags || (w->flags & d->wl_flags);
}

static int set_opt(const struct opts_desc *d, char *val, struct run_opts *o,
		   struct ncb_err *e)
{
	return d->set ? d->set(d, val, o, e) : set_by_type(d, val, o, e);
}

static const struct opts_desc *find_desc(const char *name)
{
	for (size_t i = 0; i < opts_table_len; i++)
		if (strcmp(opts_table[i].name, name) == 0)
			return &opts_table[i];
	return NULL;
}

/* Every default parsed once, as if typed, into a copy each parse starts
 * from; the names parsed from the text point into its store, which
 * stays. */
static int set_defaults(struct run_opts *o, struct ncb_err *e)
{
	static struct run_opts defaults;
	static char text[DEFAULTS_TEXT];
	static int is_made;
	size_t used = 0;

	for (size_t i = 0; !is_made && i < opts_table_len; i++) {
		const struct opts_desc *d = &opts_table[i];
		size_t n;
		int rc;

		if (!d->def)
			continue;
		n = strlen(d->def) + 1;
		if (used + n > sizeof(text))
			return ncb_errf(e, -EINVAL, "defaults: too long");
		memcpy(text + used, d->def, n);
		rc = set_opt(d, text + used, &defaults, e);
		if (rc != 0) {
			char why[NCB_ERR_LEN];

			snprintf(why, sizeof(why), "%s", e->msg);
			return ncb_errf(e, -EINVAL, "--%s: bad default '%s': %s",
					d->name, d->def, why);
		}
		used += n;
	}
	is_made = 1;
	*o = defaults;
	return 0;
}

/* A source option as getopt sees it: the first table that has the name
 * stands for all (their types agree; opts_parse_run checks). */
struct src_ref {
	const struct ncb_opt *d;
	const char *val; /* what the user gave, or NULL */
};

static int add_src_opts(struct option *longs, size_t *nl, size_t max_l,
			struct src_ref *refs, size_t *nrefs,
			struct ncb_err *e)
{
	struct opts_src s;

	for (size_t i = 0; opts_src_at(i, &s) == 0; i++)
		for (size_t j = 0; j < s.count; j++) {
			const struct ncb_opt *d = &s.opts[j];
			size_t k = 0;

			while (k < *nrefs && strcmp(refs[k].d->name, d->name))
				k++;
			if (k < *nrefs) { /* shared by several tables */
				if ((refs[k].d->type == NCB_OPT_FLAG) !=
				    (d->type == NCB_OPT_FLAG))
					return ncb_errf(e, -EINVAL,
							"--%s: a flag in one table, a value in another",
							d->name);
				continue;
			}
			if (find_desc(d->name))
				return ncb_errf(e, -EINVAL,
						"--%s of %s: a common option already",
						d->name, s.name);
			if (*nrefs >= SRC_OPTS_MAX || *nl >= max_l)
				return ncb_errf(e, -EINVAL, "too many options");
			refs[*nrefs] = (struct src_ref){ d, NULL };
			longs[(*nl)++] = (struct option){
				d->name,
				d->type == NCB_OPT_FLAG ? no_argument
							: required_argument,
				NULL, OPT_SRC_BASE + (int)*nrefs
			};
			(*nrefs)++;
		}
	return 0;
}

static int set_src_opt(const struct ncb_opt *d, unsigned char *base,
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
	if (d->type == NCB_OPT_SA_DIST) {
		struct sadist sd;
		int rc = sadist_parse(val, &sd, e);

		if (rc < 0)
			return rc;
		dst[0] = (unsigned)sd.kind;
		dst[1] = sd.zipf_milli;
		return 0;
	}
	for (unsigned i = 0; d->choices[i]; i++)
		if (strcmp(d->choices[i], val) == 0) {
			*dst = i;
			return 0;
		}
	return ncb_errf(e, -EINVAL, "--%s: unknown value '%s'", d->name, val);
}

/* The one line for an option the case does not take. A workload option
 * is explained by the registry, which knows the framings behind each
 * pattern. */
static int not_taken(const char *name, const struct opts_desc *d,
		     const struct run_opts *o, struct ncb_err *e)
{
	char who[200];
	size_t n;

	if (!d)
		return wl_opt_refuse(o->wl, name, e);
	n = opts_src_takers(name, d, who, sizeof(who));

	if (!n)
		return ncb_errf(e, -EINVAL,
				"--%s does not apply to workload %s (no workload takes it)",
				name, o->wl->name);
	return ncb_errf(e, -EINVAL,
			"--%s does not apply to workload %s (it applies to %s)",
			name, o->wl->name, who);
}

/* The case's own tables: their defaults, then what the user gave; an
 * option none of them has is refused. */
static int set_case_opts(struct run_opts *o, const struct src_ref *refs,
			 size_t nrefs, struct ncb_err *e)
{
	struct opts_src act[OPTS_SRC_ACTIVE_MAX];
	size_t na = opts_src_active(o, act, OPTS_SRC_ACTIVE_MAX);
	int rc;

	for (size_t i = 0; i < na; i++) {
		if (act[i].size > act[i].room)
			return ncb_errf(e, -EINVAL, "%s: options too large",
					act[i].name);
		for (size_t j = 0; j < act[i].count; j++) {
			rc = set_src_opt(&act[i].opts[j],
					 opts_at(o, act[i].base),
					 act[i].opts[j].def, e);
			if (rc < 0)
				return rc;
		}
	}
	for (size_t k = 0; k < nrefs; k++) {
		int is_taken = 0;

		if (!refs[k].val)
			continue;
		for (size_t i = 0; i < na; i++) {
			const struct ncb_opt *d = opts_src_find(&act[i],
							       refs[k].d->name);

			if (!d)
				continue;
			is_taken = 1;
			rc = set_src_opt(d, opts_at(o, act[i].base),
					 refs[k].val, e);
			if (rc < 0)
				return rc;
		}
		if (!is_taken)
			return not_taken(refs[k].d->name, NULL, o, e);
	}
	return 0;
}

static int is_given(const unsigned char *given, const char *name)
{
	const struct opts_desc *d = find_desc(name);

	return d && given[d - opts_table];
}

struct given_refs {
	const struct src_ref *r;
	size_t n;
};

/* What the user gave for workload option name, or NULL. */
static const char *ref_value(void *ctx, const char *name)
{
	const struct given_refs *g = ctx;

	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->r[i].d->name, name) == 0)
			return g->r[i].val;
	return NULL;
}

/* Two hosts: the data path runs in the family of the address the peer
 * is named by (an IPv6 literal: 6), unless --family says otherwise. */
static void peer_family(const struct run_opts *o, struct src_ref *refs,
			size_t nrefs)
{
	struct in6_addr a;

	if (!o->peer || inet_pton(AF_INET6, o->peer_host, &a) != 1)
		return;
	for (size_t i = 0; i < nrefs; i++)
		if (!strcmp(refs[i].d->name, "family") && !refs[i].val)
			refs[i].val = "6";
}

/* Whether common option name is one of only (NULL: all); --help always. */
static int is_taken_by(const char *const *only, const char *name)
{
	for (size_t k = 0; only && only[k]; k++)
		if (strcmp(only[k], name) == 0)
			return 1;
	return !only || strcmp(name, "help") == 0;
}

/* Whether a command that takes only some common options (only, NULL:
 * all) takes the given ones: 0, or -EINVAL naming the first it does
 * not. */
static int check_only(const unsigned char *given, const char *const *only,
		      const char *cmd, struct ncb_err *e)
{
	for (size_t i = 0; only && i < opts_table_len; i++) {
		size_t k = 0;

		if (!given[i])
			continue;
		while (only[k] && strcmp(only[k], opts_table[i].name))
			k++;
		if (!only[k])
			return ncb_errf(e, -EINVAL,
					"--%s does not apply to ncbench %s (see ncbench %s --help)",
					opts_table[i].name, cmd, cmd);
	}
	return 0;
}

/* What no single option can check: combinations, and options the case
 * does not take. */
static int check_run(struct run_opts *o, const unsigned char *given,
		     struct src_ref *refs, size_t nrefs,
		     struct ncb_err *e)
{
	int rc;

	if (is_given(given, "ci-target") && !o->is_repeat_auto)
		return ncb_errf(e, -EINVAL, "--ci-target applies only with --repeat auto");
	if ((size_t)o->repeat * o->processes > OPTS_SAMPLES_MAX)
		return ncb_errf(e, -EINVAL,
				"--repeat %u x --processes %u: more than %d repetitions per case",
				o->repeat, o->processes, OPTS_SAMPLES_MAX);
	for (size_t i = 0; i < opts_table_len; i++)
		if (given[i] && !opts_applies(&opts_table[i], o->wl))
			return not_taken(opts_table[i].name, &opts_table[i], o,
					 e);
	if (o->is_reverse && o->is_bidir)
		return ncb_errf(e, -EINVAL, "--reverse and --bidir exclude each other");
	if ((o->is_reverse || o->is_bidir) && !o->peer)
		return ncb_errf(e, -EINVAL, "--%s applies only with --peer",
				o->is_reverse ? "reverse" : "bidir");
	if (o->peer && !o->psk_file)
		return ncb_errf(e, -EINVAL,
				"--peer needs --psk-file FILE (ncbench psk -o FILE makes one)");
	if (o->psk_file && !o->peer)
		return ncb_errf(e, -EINVAL, "--psk-file applies only with --peer");
	if (o->dev && !o->peer)
		return ncb_errf(e, -EINVAL, "--dev applies only with --peer");
	if (o->sa_file && o->peer)
		return ncb_errf(e, -EINVAL,
				"--sa-file runs on one host only (two-host runs make their keys on the run host)");
	if (o->pcap && o->peer)
		return ncb_errf(e, -EINVAL, "--pcap captures on one host only");
	if (is_given(given, "pcap-count") && !o->pcap)
		return ncb_errf(e, -EINVAL, "--pcap-count applies only with --pcap");
	o->peer_mode = o->is_bidir	 ? WL_PEER_BIDIR
		       : o->is_reverse ? WL_PEER_REVERSE
				       : WL_PEER_FORWARD;
	if (o->imix && is_given(given, "size"))
		return ncb_errf(e, -EINVAL, "--imix and --size exclude each other");
	if (o->imix) {
		o->sizes[0] = imix_mean(o->mix, o->mix_len);
		o->n_sizes = 1;
	}
	peer_family(o, refs, nrefs);
	/* A traffic pattern's options follow its --framing. */
	rc = wl_resolve(&o->wl, ref_value, &(struct given_refs){ refs, nrefs },
			e);
	if (rc < 0)
		return rc;
	return set_case_opts(o, refs, nrefs, e);
}

/* opts_parse_run, and opts_parse_case with the common options only
 * names (NULL: every one) for command cmd. */
static int parse(int argc, char **argv, struct run_opts *o,
		 const char *const *only, const char *cmd, struct ncb_err *e)
{
	enum { LONGS_MAX = NCB_ARRAY_SIZE(opts_table) + SRC_OPTS_MAX + 1 };
	struct option longs[LONGS_MAX];
	struct src_ref refs[SRC_OPTS_MAX];
	unsigned char given[NCB_ARRAY_SIZE(opts_table)] = { 0 };
	char shorts[2 * NCB_ARRAY_SIZE(opts_table) + 2] = ":";
	size_t nl = 0, nrefs = 0, ns = 1;
	int c, rc;

	rc = set_defaults(o, e);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < opts_table_len; i++) {
		const struct opts_desc *d = &opts_table[i];
		int has_arg = d->type == OPTS_T_FLAG ? no_argument
						     : required_argument;

		/* The listing for completion and the man page shows what
		 * cmd takes; parsing knows every option, to say which
		 * command takes it. */
		if (ncb_cli_is_dumping() && !is_taken_by(only, d->name))
			continue;
		longs[nl++] = (struct option){
			d->name, has_arg, NULL,
			d->letter ? d->letter : OPT_BASE + (int)i
		};
		if (d->letter) {
			shorts[ns++] = d->letter;
			if (has_arg == required_argument)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = 0;
	rc = add_src_opts(longs, &nl, LONGS_MAX - 1, refs, &nrefs, e);
	if (rc < 0)
		return rc;
	longs[nl] = (struct option){ 0 };

	optind = 0; /* full reset: parse may run more than once (tests) */
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, shorts, longs)) != -1) {
		const struct opts_desc *d = NULL;

		if (c == ':')
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		if (c == '?')
			return ncb_errf(e, -EINVAL,
					"unknown option '%s' (%ssee ncbench %s --help)",
					ncb_cli_unknown(), ncb_cli_hint(), cmd);
		if (c >= OPT_SRC_BASE) {
			refs[c - OPT_SRC_BASE].val = optarg ? optarg : "1";
			continue;
		}
		for (size_t i = 0; !d && i < opts_table_len; i++)
			if (c == (opts_table[i].letter ? opts_table[i].letter
						       : OPT_BASE + (int)i))
				d = &opts_table[i];
		if (!d)
			return ncb_errf(e, -EINVAL, "option %d: not in the table", c);
		given[d - opts_table] = 1;
		rc = set_opt(d, optarg, o, e);
		if (rc == OPTS_HELP) {
			opts_show_help(stdout);
			return 1;
		}
		if (rc < 0)
			return rc;
	}
	if (optind < argc)
		return ncb_errf(e, -EINVAL, "unexpected argument '%s'",
				argv[optind]);
	rc = check_only(given, only, cmd, e);
	return rc ? rc : check_run(o, given, refs, nrefs, e);
}

int opts_parse_run(int argc, char **argv, struct run_opts *o,
		   struct ncb_err *e)
{
	return parse(argc, argv, o, NULL, "run", e);
}

int opts_parse_case(int argc, char **argv, const char *const *only,
		    struct run_opts *o, struct ncb_err *e)
{
	return parse(argc, argv, o, only, argv[0], e);
}

const char *opts_long_of(char letter)
{
	for (size_t i = 0; letter && i < opts_table_len; i++)
		if (opts_table[i].letter == letter)
			return opts_table[i].name;
	return NULL;
}

int opts_find_long(const char *name)
{
	const struct opts_desc *d = find_desc(name);
	struct opts_src s;

	if (d)
		return d->type != OPTS_T_FLAG;
	for (size_t i = 0; opts_src_at(i, &s) == 0; i++) {
		const struct ncb_opt *x = opts_src_find(&s, name);

		if (x)
			return x->type != NCB_OPT_FLAG;
	}
	return -ENOENT;
}

const struct ncb_opt *opts_case_opt(const struct run_opts *o, size_t i,
				    const char **val, char *buf, size_t len)
{
	struct opts_src act[OPTS_SRC_ACTIVE_MAX];
	size_t na = opts_src_active(o, act, OPTS_SRC_ACTIVE_MAX);

	for (size_t k = 0; k < na; i -= act[k].count, k++)
		if (i < act[k].count) {
			*val = opts_src_value(&act[k].opts[i],
					      opts_at_ro(o, act[k].base), buf,
					      len);
			return &act[k].opts[i];
		}
	return NULL;
}

const char *opts_wl_value(const struct run_opts *o, const char *name,
			  char *buf, size_t len)
{
	const struct ncb_opt *d;
	const char *v;

	for (size_t i = 0; (d = opts_case_opt(o, i, &v, buf, len)); i++)
		if (strcmp(d->name, name) == 0)
			return v;
	return NULL;
}

const char *opts_name_hint(const char *word, int is_backend, char *buf,
			   size_t len)
{
	const char *names[OPTS_LIST_MAX];
	size_t n = is_backend ? aead_backend_count() : aead_alg_count();
	const char *best;

	if (n > OPTS_LIST_MAX)
		n = OPTS_LIST_MAX;
	for (size_t i = 0; i < n; i++)
		names[i] = is_backend ? aead_backend_name(i) : aead_alg_name(i);
	best = ncb_cli_closest(word, names, n);
	snprintf(buf, len, "%s%s%ssee ncbench list", best ? "did you mean " : "",
		 best ? best : "", best ? "? " : "");
	return buf;
}
