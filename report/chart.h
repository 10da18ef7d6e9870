/* Charts drawn by gnuplot: a chart is series of points (or, for bars,
 * groups of values per category); chart_draw writes STEM.dat and STEM.gp
 * into a folder (so a user can re-plot) and feeds the script to a gnuplot
 * child process that writes STEM.svg and STEM.png. */
#ifndef NCB_REPORT_CHART_H
#define NCB_REPORT_CHART_H

#include <stddef.h>

#include "io/ncb.h"

enum {
	CHART_SERIES_MAX = 16,
	CHART_POINTS_MAX = 64,
	CHART_TEXT = 160,
	CHART_EXTRA_MAX = 2, /* figures a point carries beside x and y */
	CHART_UNIT = 32,     /* bytes of a table column's name */
	CHART_TICS_MAX = 12, /* named x tics of a lines chart */
	CHART_WIDTH = 1000,  /* pixels, every chart */
};

enum chart_kind {
	CHART_LINES,   /* x numeric, one line per series, error bars */
	CHART_BARS,    /* x = categories, one bar per series, error bars */
	CHART_STACKED, /* x = categories, the series stacked in one bar */
};

/* A named tic of the x axis ("99.9" at 1000). */
struct chart_tic {
	double at;
	char label[16];
};

struct chart_point {
	double x, y, lo, hi; /* lo/hi: error bar; both = y for none */
	/* Figures for the table beside the chart (chart.n_extra of them),
	 * written to the data file after hi; NaN where there is none. */
	double extra[CHART_EXTRA_MAX];
};

struct chart_series {
	char title[CHART_TEXT];
	struct chart_point p[CHART_POINTS_MAX];
	size_t n;
	/* Optional fitted curve drawn under the points: y = lambda x /
	 * (1 + sigma (x - 1) + kappa x (x - 1)). */
	int has_usl;
	double lambda, sigma, kappa;
};

struct chart {
	char stem[64];        /* set with chart_stem(): [A-Za-z0-9._-] only */
	char title[CHART_TEXT], xlabel[CHART_TEXT], ylabel[CHART_TEXT];
	enum chart_kind kind;
	int is_logx;
	int is_logy;          /* log y axis: values spanning decades */
	int is_xtics_data;    /* lines: x tics at the points' x values only */
	int is_plain;         /* points carry no interval (lo, hi unused) */
	/* Lines: x is 1/(1 - p) of a percentile p (the latency spectrum):
	 * the table gives p in percent. */
	int is_tail_x;
	/* Bars: above each bar of series 1.. its change from series 0's bar
	 * of the same category, in percent. */
	int is_change_labels;
	double hline;         /* > 0: a dashed horizontal line (a target) */
	double xmax;          /* > 0: the x axis runs from 1 to here */
	double ymax;          /* > 0: the y axis stops here */
	char hline_title[CHART_TEXT];
	/* A sentence under the chart: what a reader needs to read it right
	 * (how a figure was measured, what a mark means); "" for none. */
	char note[2 * CHART_TEXT];
	/* Lines: named x tics instead of gnuplot's (n_tics > 0). */
	struct chart_tic tics[CHART_TICS_MAX];
	size_t n_tics;
	char xname[CHART_UNIT]; /* the table's name for x ("" = the x label) */
	/* The table's name for y ("" = from the y label: Gbit/s or us) and
	 * for each extra figure of the points. */
	char unit[CHART_UNIT];
	char extra[CHART_EXTRA_MAX][CHART_UNIT];
	size_t n_extra;
	/* Bars: category labels, one per point index of every series; a
	 * newline breaks a label into lines under its bars. */
	char cats[CHART_POINTS_MAX][CHART_TEXT];
	size_t n_cats;
	struct chart_series s[CHART_SERIES_MAX];
	size_t ns;
};

/* Pixel height of the chart's images (the width is CHART_WIDTH): bars
 * make room for their category labels, level or turned on end. */
int chart_height(const struct chart *c);

/* Whether the chart has anything to draw: a point with a finite y. */
int chart_has_data(const struct chart *c);

/* Sets the chart's file-name stem from a printf format; document strings
 * in it are restricted to a safe charset (sink_stem), so the stem is
 * harmless in a shell, a gnuplot script and HTML alike. */
void chart_stem(struct chart *c, const char *fmt, ...) NCB_PRINTF(2, 3);

/* Writes the data and script and runs gnuplot in dir. 0, or a negative
 * errno with e naming the chart (-EINVAL for a stem chart_stem would not
 * have made). */
NCB_MUST_CHECK int chart_draw(const struct chart *c, const char *dir,
			      struct ncb_err *e);

#endif
