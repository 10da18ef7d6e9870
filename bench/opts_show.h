/* What the option tables show: `run --help`, and the resolved options as
 * the result document's "config". Both read the tables of bench/opts.c
 * and the workloads, so they list every option once and as parsed. */
#ifndef NCB_BENCH_OPTS_SHOW_H
#define NCB_BENCH_OPTS_SHOW_H

#include <stdio.h>

struct results_doc;
struct run_opts;

/* Prints the help of `run` to f: the common options, then each option of
 * the workloads once, with the workloads that take it. */
void opts_show_help(FILE *f);

/* Writes o into the document's config (or the current suite group of
 * it): integers as integers, reals only for real quantities. */
void opts_show_config(const struct run_opts *o, struct results_doc *doc);

#endif
