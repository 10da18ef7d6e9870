/* ncbench entry point: signal handling from the first instruction on,
 * then dispatch to a subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/check.h"
#include "bench/kat.h"
#include "bench/list.h"
#include "bench/psk.h"
#include "bench/run.h"
#include "bench/sacmd.h"
#include "bench/serve.h"
#include "bench/wireshark.h"
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
	fprintf(f, "ncbench COMMAND --help for the options of a command\n");
}

int main(int argc, char **argv)
{
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
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("ncbench %s\n", NCB_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++) {
		int rc;

		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (start_command(commands[i].interrupt) < 0)
			return EXIT_SIGNAL;
		rc = commands[i].fn(argc - 1, argv + 1);
		keys_wipe_stack();
		/* Test hook: every case is torn down here. */
		keys_test_stop();
		return rc;
	}
	fprintf(stderr, "ncbench: unknown command '%s' (ncbench --help lists them)\n",
		ncb_clean(argv[1]));
	return 2;
}
