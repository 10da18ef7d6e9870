/* `ncbench wireshark --sa-file FILE`: the ESP SAs of an SA file as
 * records of Wireshark's ESP SA table (UAT "esp_sa"), which make
 * Wireshark and tshark decrypt and authenticate a --pcap capture. */
#ifndef NCB_BENCH_WIRESHARK_H
#define NCB_BENCH_WIRESHARK_H

/* argv[0] is "wireshark". Exit 0 when at least one SA was printed, 2 on
 * a bad option or file, or when Wireshark can decrypt none of them. */
int wireshark_main(int argc, char **argv);

#endif
