/* `ncbench report FILE... -o DIR [--target RATE] [--headroom PCT]`: charts
 * (SVG and PNG, with their data and gnuplot scripts), report.html (opens
 * offline from the folder) and report.md. */
#ifndef NCB_REPORT_REPORT_H
#define NCB_REPORT_REPORT_H

/* argv[0] is "report". 0, 1 if a chart could not be drawn, 2 on a usage
 * or input error. */
int report_main(int argc, char **argv);

#endif
