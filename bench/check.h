/* `ncbench check`: what on this host makes numbers noisy, one line per
 * fact with a verdict and a hint (bench/hygiene.c reads them). */
#ifndef NCB_BENCH_CHECK_H
#define NCB_BENCH_CHECK_H

/* argv[0] is "check". Exit 0 (warnings included), 2 on a bad option. */
int check_main(int argc, char **argv);

#endif
