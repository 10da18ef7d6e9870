/* `ncbench run`: expand the options into cases, run each (warm-up, then
 * timed repetitions), print the table and write the result document. */
#ifndef NCB_BENCH_RUN_H
#define NCB_BENCH_RUN_H

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

#endif
