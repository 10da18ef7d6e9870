/* What every command's parser shares: getopt_long with a suggestion for
 * a mistyped option ("did you mean --size?"), the same closest-name
 * search for commands and names, and the hidden listing of a command's
 * options that `ncbench complete` (shell completion, the man page check)
 * reads, so neither keeps its own list. */
#ifndef NCB_IO_NCB_CLI_H
#define NCB_IO_NCB_CLI_H

#include <getopt.h>
#include <stddef.h>

enum {
	NCB_CLI_HINT_LEN = 160,
	NCB_CLI_NAME_MAX = 64, /* longer words are compared by their start */
};

/* getopt_long(argc, argv, shorts, longs, NULL). On '?', ncb_cli_hint()
 * says what the unknown argument was probably meant to be. Once
 * ncb_cli_dump_next() was called, it prints the options of shorts and
 * longs instead, one a line ("-o=" and "--output=" take a value, "-q"
 * and "--quiet" do not), and exits 0 without parsing anything. */
int ncb_cli_getopt(int argc, char **argv, const char *shorts,
		   const struct option *longs);

/* After ncb_cli_getopt returned '?': "did you mean --size? " (with its
 * trailing space), or "" when no option is close. A static string, valid
 * until the next call. */
const char *ncb_cli_hint(void);

/* After '?': the unknown option as given ("--sise=64"), or its letter
 * ("-x") when it was one of a bundle ("-qx"). Static, as above. */
const char *ncb_cli_unknown(void);

/* The next ncb_cli_getopt lists its options and exits (ncbench complete
 * options CMD). */
void ncb_cli_dump_next(void);
int ncb_cli_is_dumping(void);

/* The name of names[0..n-1] closest to word (NULL entries skipped) by
 * edit distance, a swap of two neighbours counting one; NULL when none is
 * close enough to be a typo of it (distance 1, 2 from 5 letters on, 3
 * from 9). */
const char *ncb_cli_closest(const char *word, const char *const *names,
			    size_t n);

#endif
