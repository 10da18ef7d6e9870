/* The text parsers behind io/noise.c, apart from the reading of /proc so
 * a unit test and a fuzz target can feed them any text. */
#ifndef NCB_IO_NOISE_IMPL_H
#define NCB_IO_NOISE_IMPL_H

#include <stddef.h>

struct noise_snap;

/* One line of /proc/self/task/<tid>/stat. */
struct noise_task {
	unsigned long long ticks; /* utime + stime (fields 14 and 15) */
	int pu;                   /* the PU it last ran on (field 39) */
};

/* Reads the lines of /proc/stat text (len bytes, no NUL needed; a last
 * line without a newline counts as a line). For each "cpuN" line whose N
 * is one of s->pu[0..s->n) (sorted ascending, distinct), stores busy,
 * steal, irq and softirq in seconds: ticks / hz. Malformed lines are
 * skipped. Returns the number of followed PUs' lines read; *is_end (if
 * not NULL) becomes 1 once a line that is not a "cpu" line was seen, as
 * the per-CPU lines come first and the rest need not be read. */
size_t noise_parse_stat(const char *text, size_t len, double hz,
			struct noise_snap *s, int *is_end);

/* Parses one task stat line of len bytes. The command name in
 * parentheses may hold spaces and parentheses, so fields are counted
 * after the last ')'. 0, or -EINVAL when a field is missing or is not a
 * number. */
int noise_parse_task_stat(const char *text, size_t len, struct noise_task *out);

#endif
