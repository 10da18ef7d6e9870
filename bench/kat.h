/* `ncbench kat FILE...`: known-answer checks of vector files against every
 * backend that offers each vector's algorithm. */
#ifndef NCB_BENCH_KAT_H
#define NCB_BENCH_KAT_H

/* argv[0] is "kat". Returns 0 (all passed or skipped), 1 (a mismatch),
 * 2 (usage error, unreadable or malformed file). */
int kat_main(int argc, char **argv);

#endif
