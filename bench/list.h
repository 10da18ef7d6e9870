/* `ncbench list` and `ncbench topo`, as text or --json. */
#ifndef NCB_BENCH_LIST_H
#define NCB_BENCH_LIST_H

/* argv[0] is the command name. Return the exit status. */
int list_main(int argc, char **argv);
int list_topo_main(int argc, char **argv);

#endif
