/* Inside the options of `ncbench run`: the descriptor table of the common
 * options and the sources of per-workload option tables, shared by the
 * parser (opts.c), the sources (opts_src.c) and what shows them
 * (opts_show.c: --help and the result's config). Not for use outside
 * bench/opts*.c. */
#ifndef NCB_BENCH_OPTS_IMPL_H
#define NCB_BENCH_OPTS_IMPL_H

#include <stddef.h>

#include "bench/opts.h"
#include "io/ncb.h"

struct results_doc;

/* How a common option's value is parsed, stored and written to config. */
enum opts_type {
	OPTS_T_NAMES,   /* comma list, no repeats: const char *[], size_t n */
	OPTS_T_SIZES,   /* sizes and ranges: size_t[], size_t n */
	OPTS_T_UINTS,   /* integers and ranges in lo..hi: unsigned[], size_t n */
	OPTS_T_COUNT,   /* one integer in lo..hi: unsigned */
	OPTS_T_SECONDS, /* decimal seconds in lo..hi: double */
	OPTS_T_PCT,     /* decimal percentage in lo..hi: double */
	OPTS_T_FLAG,    /* no value: int 0 or 1 */
	OPTS_T_NAME,    /* one name: const char * */
	OPTS_T_PATH,    /* a non-empty path: const char * */
};

/* One common option of `run`. Everything the program knows about it is
 * here: getopt's entry, the parser, --help, the default and its key in
 * the result's config. */
struct opts_desc {
	const char *name; /* --name */
	char letter;      /* -x as well, or 0 */
	enum opts_type type;
	size_t off;       /* the value in struct run_opts */
	size_t n_off;     /* lists: their count in struct run_opts */
	double lo, hi;    /* range of numbers */
	const char *def;  /* default, as it would be typed; NULL: none */
	const char *arg;  /* the value's name in --help */
	const char *help; /* one sentence; --help wraps it */
	/* 0: every workload takes it; else only workloads with one of these
	 * flags (enum wl_flags). */
	unsigned wl_flags;
	const char *key;  /* name in the result's config; NULL: not written */
	/* Optional, instead of the type's: parse val (writable, may be kept:
	 * it lives as long as argv) into o; 0 or -EINVAL with e filled. */
	int (*set)(const struct opts_desc *d, char *val, struct run_opts *o,
		   struct ncb_err *e);
	/* Optional, instead of the type's: write the value to config. */
	void (*record)(const struct opts_desc *d, const struct run_opts *o,
		       struct results_doc *doc);
};

/* Where a value lives in o: base is a member's offset. */
static inline void *opts_at(struct run_opts *o, size_t off)
{
	return (unsigned char *)o + off;
}

static inline const void *opts_at_ro(const struct run_opts *o, size_t off)
{
	return (const unsigned char *)o + off;
}

/* The common options (opts.c), in --help and config order. */
extern const struct opts_desc opts_table[];
extern const size_t opts_table_len;

/* Whether workload w takes common option d. */
int opts_applies(const struct opts_desc *d, const struct wl_ops *w);

/* A table of options besides the common ones: a workload's, and later a
 * framing's. name says whose it is in messages and --help. */
struct opts_src {
	const char *name;
	const struct ncb_opt *opts;
	size_t count;
	size_t size; /* bytes of the option struct its offsets point into */
	/* Active tables only: where that struct is in struct run_opts, and
	 * the room there. */
	size_t base, room;
};

/* Every registered table (opts_src.c), for getopt, suites and --help:
 * 0..opts_src_count()-1; at fills s and returns 0, or -ENOENT. */
size_t opts_src_count(void);
int opts_src_at(size_t i, struct opts_src *s);

/* The tables that apply to the case o describes, with base and room set:
 * up to max (OPTS_SRC_ACTIVE_MAX); returns how many. */
enum { OPTS_SRC_ACTIVE_MAX = 4 };
size_t opts_src_active(const struct run_opts *o, struct opts_src *out,
		       size_t max);

/* The descriptor named name in s, or NULL. */
const struct ncb_opt *opts_src_find(const struct opts_src *s,
				    const char *name);

/* The names of the tables that have option name (d NULL), or of the
 * workloads that take common option d, as "esp, macsec" into buf; returns
 * how many. */
size_t opts_src_takers(const char *name, const struct opts_desc *d,
		       char *buf, size_t len);

/* The value of source option d stored at base, as text: a choice's name,
 * an SA spread as --sa-dist spells it ("zipf:1.100") or a decimal number
 * ("0"/"1" for a flag). */
const char *opts_src_value(const struct ncb_opt *d, const unsigned char *base,
			   char *buf, size_t len);

#endif
