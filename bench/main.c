/* ncbench entry point: signal handling from the first instruction on,
 * then dispatch to a subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/check.h"
#include "bench/complete.h"
#include "bench/env.h"
#include "bench/kat.h"
#include "bench/list.h"
#include "bench/psk.h"
#include "bench/run.h"
#include "bench/sacmd.h"
#include "bench/serve.h"
#include "bench/wireshark.h"
#include "io/ncb_cli.h"
#include "report/compare.h"
#include "report/export.h"
#include "report/out.h"
#include "report/plan.h"
#include "report/report.h"
#include "workloads/keys.h"
#include "workloads/wl.h"

#ifndef NCB_VERSION
#define NCB_VERSION "0.0.0"
#endif
#ifndef NCB_GIT
#define NCB_GIT "unknown"
#endif

/* interrupt: the command polls a flag this sets and ends in good order
 * (run writes its document, serve stops its children); the others end at
 * once on a signal, with exit status 130 and no temporary file left. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*interrupt)(void);
	const char *help;
} commands[] = {
	{ "run", run_main, run_interrupt, "run benchmark cases, write a result document" },
	{ "serve", serve_main, serve_interrupt, "the other end of run --peer, on a second host" },
	{ "list", list_main, NULL, "workloads, algorithms, backends that work here" },
	{ "topo", list_topo_main, NULL, "hwloc topology summary" },
	{ "kat", kat_main, NULL, "check vector files against every backend" },
	{ "report", report_main, NULL, "charts, report.html and report.md from documents" },
	{ "compare", compare_main, NULL, "regression gate: BASE against CURRENT" },
	{ "plan", plan_main, NULL, "cores needed for a target rate" },
	{ "export", export_main, NULL, "a document as CSV, Bencher Metric Format or OpenMetrics" },
	{ "check", check_main, NULL, "what on this host makes numbers noisy" },
	{ "psk", psk_main, NULL, "a new key for two-host runs (mode 0600)" },
	{ "sa-file", sacmd_main, NULL, "a new SA file for a case, for run --sa-file (mode 0600)" },
	{ "wireshark", wireshark_main, NULL, "an SA file's ESP SAs for Wireshark's ESP SA table (prints keys)" },
};

enum { EXIT_SIGNAL = 130 };

/* Until the command is known, a signal is only noted (MODE_NOTE); then it
 * goes to the command's interrupt (MODE_POLL) or ends the process
 * (MODE_EXIT). */
enum { MODE_NOTE, MODE_POLL, MODE_EXIT };

static volatile sig_atomic_t sig_mode = MODE_NOTE, is_signalled;
static void (*volatile on_interrupt)(void);

static void on_signal(int sig)
{
	(void)sig;
	is_signalled = 1;
	if (sig_mode == MODE_POLL) {
		on_interrupt();
	} else if (sig_mode == MODE_EXIT) {
		out_remove_temps();
		_exit(EXIT_SIGNAL);
	}
}

/* Before anything else: a signal that arrives while libraries and the
 * topology load must not kill a run without its document. No SA_RESTART:
 * the signal must cut run's sleeps. A mask inherited from the parent
 * that blocks them is lifted, so Ctrl-C always works; a signal the
 * parent sent while they were blocked is delivered here. */
static void catch_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Hands signals to the command from now on; a signal noted before is
 * handed over too. The mode is set before the note is read, so no signal
 * falls between the two. */
static int start_command(void (*interrupt)(void))
{
	on_interrupt = interrupt;
	sig_mode = interrupt ? MODE_POLL : MODE_EXIT;
	if (is_signalled) {
		if (!interrupt)
			return -1;
		interrupt();
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ncbench COMMAND [options]   (ncbench %s)\n",
		NCB_VERSION);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "ncbench COMMAND --help (or ncbench help COMMAND): the options of a command;\n"
		   "man ncbench: all of them; ncbench --version: versions\n");
}

/* ncbench's version and the libraries a result depends on, as the
 * document's "libraries" names them. */
static void version(void)
{
	struct env_libs libs;

	printf("ncbench %s (git %s)\n", NCB_VERSION, NCB_GIT);
	env_libs_read(&libs);
	for (size_t i = 0; i < libs.n; i++)
		printf("  %-10s %s\n", libs.libs[i].name, libs.libs[i].version);
}

static int find_command(const char *name)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return (int)i;
	return -1;
}

/* One line, exit 2, with the command a typo most likely meant. */
static int unknown_command(char *name)
{
	const char *names[NCB_ARRAY_SIZE(commands)];
	const char *best;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	best = ncb_cli_closest(name, names, NCB_ARRAY_SIZE(names));
	fprintf(stderr, "ncbench: unknown command '%s' (%s%s%sncbench --help lists them)\n",
		ncb_clean(name), best ? "did you mean " : "", best ? best : "",
		best ? "? " : "");
	return 2;
}

/* `ncbench complete commands | options CMD | values OPTION`: words for
 * shell completion (docs/ncbench.bash) and the man page check
 * (tests/e2e/cli_help.sh), one a line, from the tables the parsers use.
 * Hidden from --help: it is for those two. options runs CMD's parser,
 * which lists its options and exits before it parses anything. */
static int complete(int argc, char **argv)
{
	int i;

	if (argc == 2 && strcmp(argv[1], "commands") == 0) {
		for (size_t k = 0; k < NCB_ARRAY_SIZE(commands); k++)
			puts(commands[k].name);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "values") == 0)
		return complete_values(argv[2]);
	if (argc == 3 && strcmp(argv[1], "options") == 0) {
		char *args[] = { argv[2], NULL };

		i = find_command(argv[2]);
		if (i < 0)
			return unknown_command(argv[2]);
		ncb_cli_dump_next();
		commands[i].fn(1, args);
		return 0;
	}
	fprintf(stderr, "ncbench complete: give commands, options CMD or values OPTION\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i;

	struct ncb_err e = { "" };

	catch_signals();
	if (wl_registry_check(&e) < 0) {
		fprintf(stderr, "ncbench: %s\n", e.msg);
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	/* `ncbench help CMD` is `ncbench CMD --help`. */
	if (strcmp(argv[1], "help") == 0 && argc == 3) {
		static char help_arg[] = "--help";
		char *args[] = { argv[2], help_arg, NULL };

		i = find_command(argv[2]);
		if (i < 0)
			return unknown_command(argv[2]);
		if (start_command(NULL) < 0)
			return EXIT_SIGNAL;
		return commands[i].fn(2, args);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		version();
		return 0;
	}
	if (strcmp(argv[1], "complete") == 0) {
		if (start_command(NULL) < 0)
			return EXIT_SIGNAL;
		return complete(argc - 1, argv + 1);
	}
	i = find_command(argv[1]);
	if (i >= 0) {
		int rc;

		if (start_command(commands[i].interrupt) < 0)
			return EXIT_SIGNAL;
		rc = commands[i].fn(argc - 1, argv + 1);
		keys_wipe_stack();
		/* Test hook: every case is torn down here. */
		keys_test_stop();
		return rc;
	}
	return unknown_command(argv[1]);
}
