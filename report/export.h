/* `ncbench export FILE --format csv|bmf|openmetrics [-o OUT]`: a result
 * document as CSV (one row per case, for spreadsheets), as the Bencher
 * Metric Format (JSON: benchmark -> measure -> value with lower/upper
 * bounds, for CI dashboards) or as OpenMetrics text (report/openmetrics.h,
 * for a Prometheus Pushgateway). */
#ifndef NCB_REPORT_EXPORT_H
#define NCB_REPORT_EXPORT_H

/* argv[0] is "export". 0; 1 if the output could not be written whole;
 * 2 on a usage or input error. */
int export_main(int argc, char **argv);

#endif
