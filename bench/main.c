/* ncbench entry point: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "bench/kat.h"
#include "bench/list.h"
#include "bench/run.h"
#include "report/compare.h"
#include "report/export.h"
#include "report/plan.h"
#include "report/report.h"
#include "workloads/keys.h"
#include "workloads/wl.h"

#ifndef NCB_VERSION
#define NCB_VERSION "0.0.0"
#endif

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", run_main, "run benchmark cases, write a result document" },
	{ "list", list_main, "workloads, algorithms, backends that work here" },
	{ "topo", list_topo_main, "hwloc topology summary" },
	{ "kat", kat_main, "check vector files against every backend" },
	{ "report", report_main, "charts, report.html and report.md from documents" },
	{ "compare", compare_main, "regression gate: BASE against CURRENT" },
	{ "plan", plan_main, "cores needed for a target rate" },
	{ "export", export_main, "a document as CSV or Bencher Metric Format" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ncbench COMMAND [options]   (ncbench %s)\n",
		NCB_VERSION);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "ncbench COMMAND --help for the options of a command\n");
}

int main(int argc, char **argv)
{
	struct ncb_err e = { "" };

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
	for (size_t i = 0; i < NCB_ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].fn(argc - 1, argv + 1);

			/* Test hook: every case is torn down here. */
			keys_test_stop();
			return rc;
		}
	fprintf(stderr, "ncbench: unknown command '%s' (ncbench --help lists them)\n",
		argv[1]);
	return 2;
}
