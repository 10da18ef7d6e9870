/* io/ncb_cli.c: the closest name to a typo (a swap of neighbours counts
 * one, short words get one slip), the hint ncb_cli_getopt leaves for an
 * unknown long option, an ambiguous abbreviation and an unknown letter,
 * and options that parse as getopt_long parses them. */
#include <string.h>

#include "io/ncb_cli.h"
#include "tests/unit/helpers.h"

static const char *const names[] = { "run", "report", "serve", "sa-file",
				     "wireshark", "list", NULL, "topo" };

static void closest(const char *word, const char *want)
{
	const char *got = ncb_cli_closest(word, names, sizeof(names) / sizeof(*names));

	t_check(want ? got && strcmp(got, want) == 0 : !got,
		"closest('%s'): %s (got %s)", word, want ? want : "none",
		got ? got : "none");
}

static const struct option longs[] = {
	{ "size", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "pcap", required_argument, NULL, 'p' },
	{ "pcap-count", required_argument, NULL, 'P' },
	{ "threads", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* Parses args (argv[0] is "cmd") up to the first '?': what getopt
 * returned last, and then the unknown option and the hint. */
static void parse(const char *what, int argc, const char **args,
		  int want_c, const char *want_unknown, const char *want_hint)
{
	char *argv[8];
	int c, got_c = -1;

	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":s:jh", longs)) != -1) {
		got_c = c;
		if (c == '?')
			break;
	}
	t_check(got_c == want_c, "%s: getopt returns %d (got %d)", what, want_c,
		got_c);
	if (want_c != '?')
		return;
	t_check(strcmp(ncb_cli_unknown(), want_unknown) == 0,
		"%s: unknown '%s' (got '%s')", what, want_unknown,
		ncb_cli_unknown());
	t_check(strcmp(ncb_cli_hint(), want_hint) == 0,
		"%s: hint '%s' (got '%s')", what, want_hint, ncb_cli_hint());
}

int main(void)
{
	closest("rnu", "run");
	closest("reprot", "report");
	closest("serv", "serve");
	closest("safile", "sa-file");
	closest("wiresharc", "wireshark");
	closest("wrieshakr", "wireshark"); /* two swaps in nine letters */
	closest("xyzzy", NULL);
	closest("r", NULL);       /* one letter is no typo of "run" */
	closest("tpoo", "topo");  /* a NULL entry is skipped */
	closest("", NULL);

	parse("a known option", 3, (const char *[]){ "cmd", "--size", "64" },
	      's', NULL, NULL);
	parse("an abbreviation", 2, (const char *[]){ "cmd", "--thr=2" }, 't',
	      NULL, NULL);
	parse("a swap", 3, (const char *[]){ "cmd", "--sise", "64" }, '?',
	      "--sise", "did you mean --size? ");
	parse("a swap with =", 2, (const char *[]){ "cmd", "--thraeds=2" }, '?',
	      "--thraeds=2", "did you mean --threads? ");
	parse("nothing close", 2, (const char *[]){ "cmd", "--bogus" }, '?',
	      "--bogus", "");
	parse("ambiguous", 3, (const char *[]){ "cmd", "--pca", "x" }, '?',
	      "--pca", "ambiguous: --pcap, --pcap-count; ");
	parse("a long option with one dash", 2, (const char *[]){ "cmd", "-josn" },
	      '?', "-o", "did you mean --json? ");
	parse("a letter in a bundle", 2, (const char *[]){ "cmd", "-jx" }, '?',
	      "-x", "");
	parse("after a file name", 3, (const char *[]){ "cmd", "a.json", "--jsno" },
	      '?', "--jsno", "did you mean --json? ");
	return t_done("test_cli");
}
