/* Command line of `ncbench run`: parse, check, resolve defaults. Pure
 * functions; messages go to struct ncb_err, never to stderr (--help
 * prints). The options are described once, in the table of opts.c and
 * the workloads' own tables; bench/opts_show.h writes them out. */
#ifndef NCB_BENCH_OPTS_H
#define NCB_BENCH_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

struct wl_ops;

enum opts_limits {
	OPTS_LIST_MAX = 64,      /* entries of any list option */
	OPTS_SIZE_MAX = 1 << 20, /* bytes per unit of work */
	OPTS_THREADS_MAX = 1024,
	OPTS_WL_OPTS_BYTES = 256,
	OPTS_PROCESSES_MAX = 100,
	OPTS_SAMPLES_MAX = 1000, /* repetitions x processes per case */
	OPTS_REPEAT_AUTO_MIN = 3,  /* repetitions before the CI is judged */
	OPTS_HOST_MAX = 256,     /* bytes of --peer's host */
	OPTS_LABEL_MAX = 64,     /* bytes of --host-label */
};

/* --repeat auto without :MAX; a macro, as --help quotes it. */
#define OPTS_REPEAT_AUTO_MAX 30

struct run_opts {
	const struct wl_ops *wl;
	const char *ciphers[OPTS_LIST_MAX];
	size_t n_ciphers;
	const char *backends[OPTS_LIST_MAX]; /* "all" expands later */
	size_t n_backends;
	size_t sizes[OPTS_LIST_MAX];
	size_t n_sizes;
	unsigned threads[OPTS_LIST_MAX];
	size_t n_threads;
	int cpus[OPTS_LIST_MAX];
	size_t n_cpus; /* 0: automatic placement */
	double duration, warmup;
	unsigned repeat;        /* per process; --repeat auto: the most */
	int is_repeat_auto;     /* --repeat auto[:MAX] */
	double ci_target;       /* --ci-target PCT (auto only) */
	unsigned processes;     /* --processes N: fresh processes per case */
	int is_drop_disturbed;  /* --drop-disturbed */
	const char *out_path; /* NULL: results/<UTC time>-<host>.json */
	const char *json_stream; /* --json-stream FILE|-: NULL for none */
	int is_quiet;
	int is_oversubscribe;
	int is_verify;
	int is_progress;        /* --progress: a progress line even off a tty */
	int is_threads_fit;     /* --threads-fit: drop counts above the PUs */
	const char *suite;      /* --suite FILE */
	const char *imix;       /* NULL, or a mix name: one case per cipher */
	const uint16_t *mix;    /* its sizes in sending order */
	size_t mix_len;
	/* --peer HOST[:PORT]: each case runs with `ncbench serve` there
	 * (workloads/peer.h); NULL on one host. peer_host and peer_port
	 * are its two parts, peer_mode an enum wl_peer_mode. */
	const char *peer;
	char peer_host[OPTS_HOST_MAX];
	unsigned peer_port;
	const char *psk_file;   /* --psk-file FILE */
	int is_reverse, is_bidir;
	unsigned peer_mode;
	const char *dev;        /* --dev IFACE: raw Ethernet to the peer */
	const char *sa_file;    /* --sa-file FILE: the SAs' keys */
	const char *pcap;       /* --pcap FILE: pair 0's first packets */
	unsigned pcap_count;    /* --pcap-count N */
	/* --host-label NAME: the document's host.label (a fleet's name for
	 * this host, e.g. its inventory name); NULL: none. */
	const char *host_label;
	/* The workload's own option struct, filled from its table. */
	_Alignas(16) unsigned char wl_opts[OPTS_WL_OPTS_BYTES];
};

/* Lists: "64,1420" and ranges "start:step:end" (dpdk-test-crypto-perf
 * style); every value in [1, OPTS_SIZE_MAX]. */
NCB_MUST_CHECK int opts_parse_sizes(const char *s, size_t *out, size_t max,
				    size_t *n, struct ncb_err *e);
/* Comma list of integers in [lo, hi], "a-b" ranges allowed. */
NCB_MUST_CHECK int opts_parse_uints(const char *s, const char *what,
				    unsigned lo, unsigned hi, unsigned *out,
				    size_t max, size_t *n, struct ncb_err *e);
/* Seconds as a decimal ("0.3"), in [lo, hi]. */
NCB_MUST_CHECK int opts_parse_seconds(const char *s, const char *what,
				      double lo, double hi, double *out,
				      struct ncb_err *e);

/* Parses argv of `run` (argv[0] is "run") into o. Strings in o point into
 * argv. Returns 0, 1 after printing --help, or -EINVAL with e filled. */
NCB_MUST_CHECK int opts_parse_run(int argc, char **argv, struct run_opts *o,
				  struct ncb_err *e);

/* The same for a command that describes a case with run's options
 * (argv[0] is its name, e.g. "sa-file"): of the common options it takes
 * only those named in only (NULL-terminated), every workload option.
 * 0, 1 after printing run's --help (if only names "help"), or -EINVAL. */
NCB_MUST_CHECK int opts_parse_case(int argc, char **argv,
				   const char *const *only,
				   struct run_opts *o, struct ncb_err *e);

/* "forward", "reverse" or "bidir" for an enum wl_peer_mode. */
const char *opts_peer_mode_name(unsigned mode);

/* Whether `--name` (exactly that, no abbreviation) is an option of run,
 * common or of some workload: 1 if it takes a value, 0 for a flag,
 * -ENOENT if there is no such option. */
int opts_find_long(const char *name);

/* For completion: the values some workload's option --name takes when it
 * is a choice, each once, into out (up to max); returns how many. */
size_t opts_choices(const char *name, const char **out, size_t max);

/* The long name of run's option -letter, or NULL. */
const char *opts_long_of(char letter);

/* What follows the refusal of an unknown cipher (is_backend 0) or
 * backend name word: "did you mean NAME? see ncbench list" when one is
 * close, else "see ncbench list"; in buf, which it returns. */
const char *opts_name_hint(const char *word, int is_backend, char *buf,
			   size_t len);

/* The value of the case's own option `name` (the workload's) as text,
 * for the result's direction, or NULL if the case has no such option. */
const char *opts_wl_value(const struct run_opts *o, const char *name,
			  char *buf, size_t len);

/* The case's own options one by one (i from 0): the descriptor of the
 * i-th and, in *val, its value as text (a choice's name, a number, "0"
 * or "1" for a flag; in buf or in the table); NULL past the last. */
const struct ncb_opt *opts_case_opt(const struct run_opts *o, size_t i,
				    const char **val, char *buf, size_t len);

#endif
