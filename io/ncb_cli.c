/* getopt_long with "did you mean", and the option listing behind shell
 * completion and the man page check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ncb.h"
#include "io/ncb_cli.h"

enum {
	LIST_MAX = 3,       /* names an ambiguous abbreviation lists */
	ARG_LEN = 80,       /* bytes of the unknown option kept */
};

static int is_dump;
static char hint[NCB_CLI_HINT_LEN];
static char unknown[ARG_LEN];

void ncb_cli_dump_next(void)
{
	is_dump = 1;
}

int ncb_cli_is_dumping(void)
{
	return is_dump;
}

const char *ncb_cli_hint(void)
{
	return hint;
}

const char *ncb_cli_unknown(void)
{
	return unknown;
}

/* Optimal string alignment distance over the first NCB_CLI_NAME_MAX
 * bytes: insertions, deletions, substitutions and swaps of neighbours
 * ("josn" for "json") cost one each. Three rows, no VLA. */
static size_t distance(const char *a, const char *b)
{
	size_t rows[3][NCB_CLI_NAME_MAX + 1];
	size_t la = strnlen(a, NCB_CLI_NAME_MAX), lb = strnlen(b, NCB_CLI_NAME_MAX);
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t;

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* How far a typo may be from what was meant: short words get one slip,
 * longer ones more, so "-x" never becomes "--io". */
static size_t typo_limit(const char *word)
{
	size_t n = strlen(word);

	return n >= 9 ? 3 : n >= 5 ? 2 : 1;
}

const char *ncb_cli_closest(const char *word, const char *const *names,
			    size_t n)
{
	const char *best = NULL;
	size_t best_d = typo_limit(word) + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (!names[i])
			continue;
		d = distance(word, names[i]);
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

/* The hint for word (the unknown option without its dashes and value):
 * the options it abbreviates when it is ambiguous, else the closest. */
static void make_hint(const char *word, const struct option *longs)
{
	const char *names[LIST_MAX];
	size_t n_prefix = 0, len = strlen(word), used;
	const char *best = NULL;
	size_t best_d = typo_limit(word) + 1;

	for (size_t i = 0; longs && longs[i].name; i++) {
		size_t d;

		if (len && strncmp(longs[i].name, word, len) == 0) {
			if (n_prefix < LIST_MAX)
				names[n_prefix] = longs[i].name;
			n_prefix++;
		}
		d = distance(word, longs[i].name);
		if (d < best_d) {
			best = longs[i].name;
			best_d = d;
		}
	}
	if (n_prefix > 1) {
		used = (size_t)snprintf(hint, sizeof(hint), "ambiguous: ");
		for (size_t i = 0; i < n_prefix && i < LIST_MAX && used < sizeof(hint); i++)
			used += (size_t)snprintf(hint + used, sizeof(hint) - used,
						 "%s--%s", i ? ", " : "", names[i]);
		if (used < sizeof(hint))
			snprintf(hint + used, sizeof(hint) - used, "%s; ",
				 n_prefix > LIST_MAX ? ", ..." : "");
		return;
	}
	if (best)
		snprintf(hint, sizeof(hint), "did you mean --%s? ", best);
}

/* For `ncbench complete options CMD`: every option, as typed. */
static void dump(const char *shorts, const struct option *longs)
{
	for (const char *s = shorts; *s; s++) {
		if (*s == ':' || *s == '+' || *s == '-')
			continue;
		printf("-%c%s\n", *s, s[1] == ':' ? "=" : "");
	}
	for (size_t i = 0; longs && longs[i].name; i++)
		printf("--%s%s\n", longs[i].name,
		       longs[i].has_arg == no_argument ? "" : "=");
	fflush(stdout);
	exit(0);
}

int ncb_cli_getopt(int argc, char **argv, const char *shorts,
		   const struct option *longs)
{
	int before = optind ? optind : 1, c;
	const char *arg;
	char word[NCB_CLI_NAME_MAX + 1];

	if (is_dump)
		dump(shorts, longs);
	optopt = 0;
	c = getopt_long(argc, argv, shorts, longs, NULL);
	if (c != '?')
		return c;
	hint[0] = 0;
	/* An unknown letter leaves optind on its argument until the last
	 * letter of a bundle ("-qx"); a long option always moves it. */
	arg = optind > before || optind >= argc ? argv[optind - 1] : argv[optind];
	if (optopt) {
		snprintf(unknown, sizeof(unknown), "-%c", optopt);
		if (arg[0] != '-' || arg[1] == '-' || strlen(arg) < 4)
			return c;
	} else {
		snprintf(unknown, sizeof(unknown), "%s", arg);
	}
	/* "--sise=64" and "-json" alike: the name without dashes or value. */
	arg += strspn(arg, "-");
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg, "="), arg);
	make_hint(word, longs);
	return c;
}
