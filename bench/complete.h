/* `ncbench complete values OPTION`: the words an option's value can be,
 * for shell completion (docs/ncbench.bash), from the same tables the
 * parsers use. */
#ifndef NCB_BENCH_COMPLETE_H
#define NCB_BENCH_COMPLETE_H

/* Prints the values of option opt ("--cipher", "-c", "--io"), one a
 * line; nothing for an option whose values are not a known set (a
 * file, a number). Returns 0. */
int complete_values(const char *opt);

#endif
