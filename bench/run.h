/* `ncbench run`: expand the options into cases, run each (warm-up, then
 * timed repetitions), print the table and write the result document. */
#ifndef NCB_BENCH_RUN_H
#define NCB_BENCH_RUN_H

#include "io/ncb.h"

/* argv[0] is "run". Returns the process exit status: 0, 1 (a case failed
 * or errors were counted), 2 (usage or input error), 130 (interrupted;
 * the document is still written, with "complete": false). */
int run_main(int argc, char **argv);

/* Asks a run to stop: no new case starts, the current repetition ends,
 * the document is written with "complete": false and run_main returns
 * 130. Async-signal-safe: main's SIGINT/SIGTERM handler calls it, and is
 * installed before anything else, so a signal during start-up is not
 * lost either. */
void run_interrupt(void);

/* Everything run_main refuses before the first case, without running or
 * writing anything: options, suite file, case list, workload checks,
 * repeated cases, the --output path (placement on this host's PUs is not
 * checked). 0, 1 if --help was given (help printed), or -EINVAL with e
 * filled. Not thread-safe (getopt state, one static plan). */
NCB_MUST_CHECK int run_plan_check(int argc, char **argv, struct ncb_err *e);

#endif
