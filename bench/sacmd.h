/* `ncbench sa-file -o FILE -w WORKLOAD -c CIPHER ...`: a fresh SA file
 * for a case (workloads/safile.h), which `run --sa-file FILE` then
 * reproduces. */
#ifndef NCB_BENCH_SACMD_H
#define NCB_BENCH_SACMD_H

/* argv[0] is "sa-file". Exit 0, 2 on a bad option or case, 1 when
 * writing failed. */
int sacmd_main(int argc, char **argv);

#endif
