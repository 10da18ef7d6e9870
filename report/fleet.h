/* The fleet view of `ncbench report`: documents from two or more hosts
 * (ci/fleet/ runs one suite on each host of an inventory) shown as the
 * same cases across hosts, each host named by its label (`run
 * --host-label`, else its hostname) and CPU model, ranked by rate: one
 * chart (report.c) and one section of report.html and report.md
 * (page.c). Nothing when the documents come from one host. */
#ifndef NCB_REPORT_FLEET_H
#define NCB_REPORT_FLEET_H

#include <stddef.h>
#include <stdio.h>

struct chart;
struct doc;

enum {
	FLEET_CHART_CASES = 6, /* cases the chart shows: a few, not a wall */
};

/* Fills charts[0] with the fleet chart when docs[0..n) come from two or
 * more hosts and share a case, and room allows: each host's rate on up to
 * FLEET_CHART_CASES shared cases relative to the fastest host there (so
 * cases of any rate share an axis), a bar per host in rank order. Returns
 * the charts filled (0 or 1). docs are borrowed; the chart holds copies of
 * their text. */
size_t fleet_charts(struct chart *charts, size_t room, struct doc *const *docs,
		    size_t n);

/* Writes the fleet section to f (Markdown when is_md, else HTML): the
 * hosts ranked by their rate relative to the fastest host on each case
 * they share, then every shared case with its hosts sorted by rate.
 * Nothing when docs come from one host. Document text goes through
 * sink_md or sink_html. */
void fleet_section(FILE *f, struct doc *const *docs, size_t n, int is_md);

#endif
