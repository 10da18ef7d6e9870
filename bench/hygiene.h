/* System hygiene: what on this host makes benchmark numbers noisy or
 * incomparable (frequency scaling, turbo, SMT siblings, isolation, IRQs,
 * THP, mitigations, clock source, virtualisation, steal, PMU), read from
 * /proc and /sys as `pyperf system show` does. Each fact has a verdict and
 * a one-line hint; what cannot be read is "unknown", never an error. */
#ifndef NCB_BENCH_HYGIENE_H
#define NCB_BENCH_HYGIENE_H

#include <stddef.h>
#include <stdint.h>

enum hygiene_verdict { HYGIENE_OK, HYGIENE_WARN, HYGIENE_UNKNOWN };

enum {
	HYGIENE_PUS_MAX = 4096, /* PU numbers a set can hold (0..max-1) */
	HYGIENE_VALUE = 96,
	HYGIENE_HINT = 200,
	HYGIENE_ITEMS = 16,
	HYGIENE_NAME = 32,
};

/* Busy share above which a sibling PU counts as in use. */
#define HYGIENE_BUSY_SHARE 0.10

/* A set of PU numbers, as in /sys cpu lists ("0-3,8"). */
struct hygiene_set {
	uint8_t bits[HYGIENE_PUS_MAX / 8];
};

struct hygiene_item {
	/* "governor", "thp", ...: a copy, so the struct is plain data (a
	 * peer's fingerprint crosses processes in shared memory). */
	char name[HYGIENE_NAME];
	char value[HYGIENE_VALUE];
	enum hygiene_verdict verdict;
	char hint[HYGIENE_HINT];
};

struct hygiene {
	char pus[HYGIENE_VALUE]; /* the PUs examined, as a cpu list */
	struct hygiene_item items[HYGIENE_ITEMS];
	size_t n;
};

/* Per-PU counters of one /proc/stat, in clock ticks since boot. */
struct hygiene_stat {
	int has_pu[HYGIENE_PUS_MAX];
	unsigned long long busy[HYGIENE_PUS_MAX];  /* user nice system irq softirq */
	unsigned long long total[HYGIENE_PUS_MAX]; /* every field but guest */
	unsigned long long steal[HYGIENE_PUS_MAX];
	unsigned long long steal_all; /* of the aggregate "cpu" line */
};

/* Counts of /sys/devices/system/cpu/vulnerabilities/ files by state. */
struct hygiene_vulns {
	unsigned mitigated, vulnerable, unaffected, unknown;
};

/* Reads every fact for the PUs in `pus` (n of them; n == 0: every PU this
 * process may run on). Takes about 100 ms (a /proc/stat window for steal
 * and busy siblings). Never fails. Not thread-safe (uses static
 * buffers). */
void hygiene_read(struct hygiene *h, const int *pus, size_t n);

/* The item named name, or NULL. */
const struct hygiene_item *hygiene_find(const struct hygiene *h,
					const char *name);

/* "ok", "warn", "unknown". */
const char *hygiene_verdict_name(enum hygiene_verdict v);

/* Pure parsers, over the text of one file (NUL-terminated), for tests. */

/* A cpu list ("0-3,8", "" or "\n" for none) into set. Returns the number
 * of PUs in it, or -EINVAL for anything else (or a PU >= HYGIENE_PUS_MAX). */
int hygiene_parse_list(const char *text, struct hygiene_set *set);
int hygiene_set_has(const struct hygiene_set *s, int pu);
void hygiene_set_add(struct hygiene_set *s, int pu);
/* Writes set as a cpu list ("0-3,8", "none" when empty) into buf. */
void hygiene_set_format(const struct hygiene_set *s, char *buf, size_t len);

/* The value of the last key=value word of a kernel command line (as the
 * kernel takes the last), into out. 1 found, 0 not. Words after " -- "
 * belong to init and are not looked at. */
int hygiene_cmdline_value(const char *cmdline, const char *key, char *out,
			  size_t len);

/* Adds one vulnerabilities file's text to counts: "Not affected",
 * "Mitigation: ..." (and "Vulnerable" anywhere in it makes it
 * vulnerable), "Vulnerable...", anything else unknown. */
void hygiene_vuln_add(const char *text, struct hygiene_vulns *counts);

/* The per-PU "cpuN ..." lines and the aggregate steal of /proc/stat.
 * 0, or -EINVAL when there is no cpu line at all. */
int hygiene_parse_stat(const char *text, struct hygiene_stat *out);

/* The bracketed choice of a sysfs selector ("always [madvise] never"),
 * into out; 0, or -EINVAL when there is none. */
int hygiene_selected(const char *text, char *out, size_t len);

/* 1 when the "flags" line of /proc/cpuinfo text lists flag. */
int hygiene_cpuinfo_flag(const char *text, const char *flag);

#endif
