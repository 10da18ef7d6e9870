/* `ncbench psk -o FILE`: a new key for the control channel of two-host
 * runs (`serve --psk-file`, `run --peer --psk-file`). */
#ifndef NCB_BENCH_PSK_H
#define NCB_BENCH_PSK_H

/* argv[0] is "psk". Exit 0, 2 on a bad option or a file that exists or
 * cannot be made, 1 when writing it failed. */
int psk_main(int argc, char **argv);

#endif
