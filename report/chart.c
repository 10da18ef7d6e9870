/* gnuplot scripts. Each chart is drawn twice from one script: SVG (sharp
 * in a browser) and PNG (for Markdown viewers and slides). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/chart.h"
#include "report/out.h"
#include "report/sink.h"

/* A file of the chart as a gnuplot string: 'STEM.ext'. */
static void gp_file(FILE *f, const struct chart *c, const char *ext)
{
	char name[sizeof(c->stem) + 8];

	snprintf(name, sizeof(name), "%s.%s", c->stem, ext);
	sink_gp_str(f, name);
}

/* Bars turn their labels on end when the level ones would not fit
 * under their group; on end a label is one line. */
struct bar_layout {
	int is_turned;
	size_t lines, width, flat; /* most lines, longest line, longest label */
};

static void bar_layout(const struct chart *c, struct bar_layout *l)
{
	/* The plot's width in pixels (the y axis and its label take the
	 * rest) and a 9-point character's. */
	const double plot_px = CHART_WIDTH - 140, char_px = 6.4;

	*l = (struct bar_layout){ .lines = 1 };
	for (size_t k = 0; k < c->n_cats; k++) {
		size_t lines = 1, width = 0, run = 0, len = strlen(c->cats[k]);

		for (const char *p = c->cats[k]; *p; p++) {
			/* UTF-8 continuation bytes take no room. */
			if ((*p & 0xc0) == 0x80)
				continue;
			if (*p == '\n') {
				lines++;
				run = 0;
				continue;
			}
			if (++run > width)
				width = run;
		}
		if (lines > l->lines)
			l->lines = lines;
		if (width > l->width)
			l->width = width;
		if (len > l->flat)
			l->flat = len;
	}
	l->is_turned = c->n_cats &&
		       (double)l->width * char_px + 6 > plot_px / (double)c->n_cats;
}

/* Pixels under the plot for the tic labels. */
static int bar_label_px(const struct bar_layout *l)
{
	return l->is_turned ? (int)((double)l->flat * 6.4) + 34
			    : (int)l->lines * 14 + 24;
}

/* A category label as the layout writes it: on end, one line. */
static void write_cat(FILE *f, const char *cat, const struct bar_layout *l)
{
	char flat[CHART_TEXT];

	if (!l->is_turned) {
		sink_gp_data_lines(f, cat);
		return;
	}
	snprintf(flat, sizeof(flat), "%s", cat);
	for (char *p = flat; *p; p++)
		if (*p == '\n')
			*p = ' ';
	sink_gp_data(f, flat);
}

static int write_data(const struct chart *c, FILE *f)
{
	struct bar_layout l;

	if (c->kind != CHART_LINES) {
		/* One row per category: label, then y (lo hi) per series. */
		bar_layout(c, &l);
		for (size_t k = 0; k < c->n_cats; k++) {
			write_cat(f, c->cats[k], &l);
			for (size_t i = 0; i < c->ns; i++) {
				const struct chart_point *p = &c->s[i].p[k];
				int is_set = k < c->s[i].n && isfinite(p->y);

				if (c->is_plain || c->kind == CHART_STACKED)
					fprintf(f, is_set ? " %.9g" : " NaN", p->y);
				else if (is_set)
					fprintf(f, " %.9g %.9g %.9g", p->y, p->lo, p->hi);
				else
					fputs(" NaN NaN NaN", f);
			}
			fputc('\n', f);
		}
		return 0;
	}
	/* Lines: one block per series, separated for `index`. */
	for (size_t i = 0; i < c->ns; i++) {
		fputs("# ", f);
		sink_gp_data(f, c->s[i].title);
		fputc('\n', f);
		for (size_t k = 0; k < c->s[i].n; k++) {
			const struct chart_point *p = &c->s[i].p[k];

			fprintf(f, "%.9g %.9g %.9g %.9g", p->x, p->y, p->lo,
				p->hi);
			for (size_t e = 0; e < c->n_extra && e < CHART_EXTRA_MAX; e++)
				fprintf(f, " %.9g", p->extra[e]);
			fputc('\n', f);
		}
		fputs("\n\n", f);
	}
	return 0;
}

/* Bars: series i's columns in the data file (y, then lo and hi). */
static size_t bar_col(const struct chart *c, size_t i)
{
	return 2 + (c->is_plain || c->kind == CHART_STACKED ? i : 3 * i);
}

/* Above each bar of series 1.., its change from series 0's bar: the
 * bar's centre in a cluster of ns bars and a gap of 2 bar widths. */
static void write_change_labels(const struct chart *c, FILE *f)
{
	for (size_t i = 1; i < c->ns; i++) {
		size_t y = bar_col(c, i), top = c->is_plain ? y : y + 2;

		fputs(", \\\n     ", f);
		gp_file(f, c, "dat");
		fprintf(f, " using ($0 + %.6g):(column(%zu)):(pct(column(%zu), column(%zu)))"
			   " with labels offset 0,0.7 font ',8' notitle",
			((double)i - (double)(c->ns - 1) / 2) / (double)(c->ns + 2),
			top, y, bar_col(c, 0));
	}
}

static void write_plot(const struct chart *c, FILE *f)
{
	fprintf(f, "plot ");
	if (c->kind != CHART_LINES) {
		for (size_t i = 0; i < c->ns; i++) {
			size_t y = bar_col(c, i);

			fputs(i ? ", \\\n     " : "", f);
			gp_file(f, c, "dat");
			if (c->is_plain || c->kind == CHART_STACKED)
				fprintf(f, " using %zu%s title ", y, i ? "" : ":xtic(1)");
			else
				fprintf(f, " using %zu:%zu:%zu%s title ", y, y + 1,
					y + 2, i ? "" : ":xtic(1)");
			sink_gp_str(f, c->s[i].title);
		}
		if (c->is_change_labels && c->kind == CHART_BARS)
			write_change_labels(c, f);
	} else {
		for (size_t i = 0; i < c->ns; i++) {
			const struct chart_series *s = &c->s[i];

			fputs(i ? ", \\\n     " : "", f);
			gp_file(f, c, "dat");
			fprintf(f, c->is_plain
					   ? " index %zu using 1:2 with linespoints ls %zu title "
					   : " index %zu using 1:2:3:4 with yerrorlines ls %zu title ",
				i, i + 1);
			sink_gp_str(f, s->title);
			if (s->has_usl)
				fprintf(f, ", \\\n     %.9g*x/(1+%.9g*(x-1)+%.9g*x*(x-1)) with lines ls %zu dt 2 notitle",
					s->lambda, s->sigma, s->kappa, i + 1);
		}
	}
	if (c->hline > 0) {
		fprintf(f, ", \\\n     %.9g with lines lc rgb '#b00000' dt 3 lw 2 title ",
			c->hline);
		sink_gp_str(f, c->hline_title);
	}
	fputc('\n', f);
}

/* The key sits under the title in as many columns as its longest entry
 * lets fit the width; its rows. */
static size_t key_rows(const struct chart *c, size_t *cols)
{
	size_t n = c->ns + (c->hline > 0), longest = strlen(c->hline_title);

	for (size_t i = 0; i < c->ns; i++)
		if (strlen(c->s[i].title) > longest)
			longest = strlen(c->s[i].title);
	/* A 10-point character is about 6.4 pixels; the sample line and
	 * the gaps take 70. */
	*cols = (size_t)((CHART_WIDTH - 60) / ((double)longest * 6.4 + 70));
	if (*cols < 1)
		*cols = 1;
	if (*cols > n)
		*cols = n ? n : 1;
	return n ? (n + *cols - 1) / *cols : 0;
}

/* Pixels above the plot: the title and the key's rows. */
static int top_px(const struct chart *c)
{
	size_t cols;

	return 40 + (int)key_rows(c, &cols) * 17 + 10;
}

int chart_height(const struct chart *c)
{
	struct bar_layout l;

	if (c->kind == CHART_LINES)
		return 500 + top_px(c);
	bar_layout(c, &l);
	return 430 + top_px(c) + bar_label_px(&l);
}

int chart_has_data(const struct chart *c)
{
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++)
			if (isfinite(c->s[i].p[k].y))
				return 1;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "set xtics (1, 16, 256)": a tic at each x value of the points, so a
 * sweep over powers of 16 is not drowned in the powers of 2 between;
 * the range leaves room beyond the end points, whose tics gnuplot would
 * otherwise drop when a bound falls on them. */
static void write_xtics(const struct chart *c, FILE *f)
{
	double xs[CHART_SERIES_MAX * CHART_POINTS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++)
			xs[n++] = c->s[i].p[k].x;
	if (!n)
		return;
	qsort(xs, n, sizeof(*xs), by_value);
	fprintf(f, "set xtics (%.9g", xs[0]);
	for (size_t k = 1; k < n; k++)
		if (xs[k] != xs[k - 1])
			fprintf(f, ", %.9g", xs[k]);
	fputs(")\n", f);
	if (c->is_logx && xs[0] > 0)
		fprintf(f, "set xrange [%.9g:%.9g]\n", xs[0] / 1.5, xs[n - 1] * 1.5);
	else if (xs[n - 1] > xs[0])
		fprintf(f, "set xrange [%.9g:%.9g]\n",
			xs[0] - (xs[n - 1] - xs[0]) / 20, xs[n - 1] + (xs[n - 1] - xs[0]) / 20);
}

/* "set xtics ('50' 2, '90' 10)": the chart's named tics, and a range
 * a little beyond the points and the tics. */
static void write_named_tics(const struct chart *c, FILE *f)
{
	double lo = c->tics[0].at, hi = c->tics[0].at;

	fputs("set xtics (", f);
	for (size_t k = 0; k < c->n_tics && k < CHART_TICS_MAX; k++) {
		fputs(k ? ", " : "", f);
		sink_gp_str(f, c->tics[k].label);
		fprintf(f, " %.9g", c->tics[k].at);
		lo = fmin(lo, c->tics[k].at);
		hi = fmax(hi, c->tics[k].at);
	}
	fputs(")\n", f);
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++)
			hi = fmax(hi, c->s[i].p[k].x);
	if (c->is_logx && lo > 0)
		fprintf(f, "set xrange [%.9g:%.9g]\n", lo / 1.25, hi * 1.6);
}

/* Bars with intervals: gnuplot scales to the bars alone and would cut
 * the intervals off unseen. The axis reaches the highest interval, up to
 * 2.5 times the highest bar (a wider one runs off the top, as its table
 * row shows), with room for the change labels; 0 for gnuplot's own. */
static double bars_top(const struct chart *c)
{
	double y = 0, hi = 0;

	if (c->kind != CHART_BARS || c->is_plain)
		return 0;
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++)
			if (isfinite(c->s[i].p[k].y)) {
				y = fmax(y, c->s[i].p[k].y);
				hi = fmax(hi, isfinite(c->s[i].p[k].hi) ? c->s[i].p[k].hi : 0);
			}
	if (!(y > 0))
		return 0;
	return fmax(y, fmin(hi, 2.5 * y)) * (c->is_change_labels ? 1.12 : 1.05);
}

/* The title on top, the key under it, then the plot. */
static void write_key(const struct chart *c, FILE *f)
{
	size_t cols, rows = key_rows(c, &cols);
	double h = chart_height(c);

	fprintf(f, "set key at screen 0.5, screen %.4f center top horizontal maxcols %zu "
		   "maxrows %zu samplen 2 spacing 1.1 font ',10' box lc rgb '#cccccc'\n"
		   "set tmargin at screen %.4f\n",
		1 - 38 / h, cols, rows ? rows : 1, 1 - top_px(c) / h);
}

/* Bars: level labels under their group, or turned on end, with the room
 * under the plot they need; stacked bars stack. */
static void write_bar_style(const struct chart *c, FILE *f)
{
	struct bar_layout l;
	int h = chart_height(c);

	bar_layout(c, &l);
	fputs("set style data histogram\n", f);
	if (c->kind == CHART_STACKED)
		fputs("set style histogram rowstacked\nset boxwidth 0.6\n", f);
	else if (c->is_plain)
		fputs("set style histogram clustered gap 2\nset boxwidth 0.9\n", f);
	else
		fputs("set style histogram errorbars gap 2 lw 1\nset boxwidth 0.9\n", f);
	fputs("set style fill solid 1.0 border -1\nunset xlabel\nset grid noxtics\n", f);
	fprintf(f, "set xrange [-0.5:%.1f]\n", (double)c->n_cats - 0.5);
	if (l.is_turned)
		fputs("set xtics rotate by 90 right scale 0 font ',9'\n", f);
	else
		fputs("set xtics norotate center scale 0 font ',9'\n", f);
	fprintf(f, "set bmargin at screen %.4f\n", (double)bar_label_px(&l) / h);
	if (c->is_change_labels)
		fputs("pct(y, b) = b > 0 ? (abs(y / b - 1) < 0.1 ? sprintf('%+.1f%%', (y / b - 1) * 100) "
		      ": sprintf('%+.0f%%', (y / b - 1) * 100)) : ''\n",
		      f);
}

static void write_script(const struct chart *c, FILE *f)
{
	static const char *const colors[] = {
		"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
		"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
		"#8c6d31", "#843c39", "#7b4173", "#3182bd",
	};

	fprintf(f, "# ncbench chart %s: re-plot with `gnuplot %s.gp` here.\n",
		c->stem, c->stem);
	fputs("set encoding utf8\nset label 1 ", f);
	sink_gp_str(f, c->title);
	fprintf(f, " at screen 0.5, screen %.4f center font ',13'\nset xlabel ",
		1 - 22.0 / chart_height(c));
	sink_gp_str(f, c->xlabel);
	fputs("\nset ylabel ", f);
	sink_gp_str(f, c->ylabel);
	fputs("\nset grid ytics lc rgb '#dddddd'\nset border 3\nset tics nomirror\n", f);
	write_key(c, f);
	if (c->is_logy)
		fputs("set logscale y 10\nset format y '%g'\nset yrange [*:*]\n"
		      "set grid mytics lc rgb '#eeeeee'\n", f);
	else if (c->ymax > 0)
		fprintf(f, "set yrange [0:%g]\n", c->ymax);
	else if (bars_top(c) > 0)
		fprintf(f, "set yrange [0:%.9g]\n", bars_top(c));
	else
		fputs("set yrange [0:*]\n", f);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(colors); i++)
		fprintf(f, "set style line %zu lc rgb '%s' lw 2 pt 7 ps 0.8\n",
			i + 1, colors[i]);
	if (c->kind != CHART_LINES) {
		write_bar_style(c, f);
		for (size_t i = 0; i < c->ns; i++)
			fprintf(f, "set linetype %zu lc rgb '%s'\n", i + 1,
				colors[i % NCB_ARRAY_SIZE(colors)]);
	} else if (c->is_logx) {
		fprintf(f, "set logscale x %d\nset format x '%%g'\n",
			c->is_tail_x ? 10 : 2);
	}
	if (c->kind == CHART_LINES && !c->is_logx && c->xmax > 0)
		fprintf(f, "set xrange [1:%g]\n%sset samples 200\n", c->xmax,
			c->xmax <= 16 ? "set xtics 1\n" : "");
	else if (c->kind == CHART_LINES && !c->is_logx)
		fputs("set xrange [0.5:*]\nset xtics 1\n", f);
	if (c->kind == CHART_LINES && c->n_tics)
		write_named_tics(c, f);
	else if (c->kind == CHART_LINES && c->is_xtics_data)
		write_xtics(c, f);
	/* noenhanced: a '_' or '^' in a name is text, not a subscript. */
	fprintf(f, "set terminal svg size %d,%d dynamic noenhanced font 'sans,14' background '#ffffff'\n"
		   "set output ", CHART_WIDTH, chart_height(c));
	gp_file(f, c, "svg");
	fputc('\n', f);
	write_plot(c, f);
	fprintf(f, "set terminal pngcairo size %d,%d noenhanced font 'sans,11' background '#ffffff'\n"
		   "set output ", CHART_WIDTH, chart_height(c));
	gp_file(f, c, "png");
	fputc('\n', f);
	write_plot(c, f);
	fputs("unset output\n", f);
}

static int write_file(const char *dir, const struct chart *c, const char *ext,
		      int is_data, struct ncb_err *e)
{
	struct out_file of;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, c->stem, ext);
	rc = out_open(&of, path, e);
	if (rc < 0)
		return rc;
	if (is_data)
		write_data(c, of.f);
	else
		write_script(c, of.f);
	return out_commit(&of, e);
}

/* Runs `gnuplot STEM.gp` with dir as its working directory. */
static int run_gnuplot(const char *dir, const char *stem, struct ncb_err *e)
{
	char script[128];
	int status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s.gp", stem);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return ncb_errf(e, -errno, "cannot start gnuplot: %s",
				strerror(errno));
	if (pid == 0) {
		if (chdir(dir) == 0)
			execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return ncb_errf(e, -errno, "gnuplot: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return ncb_errf(e, -ENOENT,
				"gnuplot is not installed (make deps installs gnuplot-nox)");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ncb_errf(e, -EIO, "gnuplot failed on %s/%s.gp", dir, stem);
	return 0;
}

void chart_stem(struct chart *c, const char *fmt, ...)
{
	char raw[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sink_stem(c->stem, sizeof(c->stem), raw);
}

int chart_draw(const struct chart *c, const char *dir, struct ncb_err *e)
{
	int rc;

	/* The stem is written unquoted into file names and the command line
	 * of gnuplot: only a stem chart_stem made goes there. */
	if (!sink_stem_is_safe(c->stem))
		return ncb_errf(e, -EINVAL, "chart '%s': unsafe file name",
				c->stem);
	rc = write_file(dir, c, "dat", 1, e);

	if (rc == 0)
		rc = write_file(dir, c, "gp", 0, e);
	if (rc == 0)
		rc = run_gnuplot(dir, c->stem, e);
	return rc;
}
