/* gnuplot scripts. Each chart is drawn twice from one script: SVG (sharp
 * in a browser) and PNG (for Markdown viewers and slides). */
#include <errno.h>
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

static int write_data(const struct chart *c, FILE *f)
{
	if (c->kind == CHART_BARS) {
		/* One row per category: label, then y lo hi per series. */
		for (size_t k = 0; k < c->n_cats; k++) {
			sink_gp_data(f, c->cats[k]);
			for (size_t i = 0; i < c->ns; i++) {
				const struct chart_point *p = &c->s[i].p[k];

				if (k < c->s[i].n)
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

static void write_plot(const struct chart *c, FILE *f)
{
	fprintf(f, "plot ");
	if (c->kind == CHART_BARS) {
		for (size_t i = 0; i < c->ns; i++) {
			fputs(i ? ", \\\n     " : "", f);
			gp_file(f, c, "dat");
			fprintf(f, " using %zu:%zu:%zu%s title ", 2 + 3 * i,
				3 + 3 * i, 4 + 3 * i, i ? "" : ":xtic(1)");
			sink_gp_str(f, c->s[i].title);
		}
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

int chart_height(const struct chart *c)
{
	/* Bars carry their case names below, written vertically. */
	return c->kind == CHART_BARS ? 820 : 560;
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

static void write_script(const struct chart *c, FILE *f)
{
	static const char *const colors[] = {
		"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
		"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
		"#8c6d31", "#843c39", "#7b4173", "#3182bd",
	};

	fprintf(f, "# ncbench chart %s: re-plot with `gnuplot %s.gp` here.\n",
		c->stem, c->stem);
	fputs("set encoding utf8\nset title ", f);
	sink_gp_str(f, c->title);
	fputs(" font ',13'\nset xlabel ", f);
	sink_gp_str(f, c->xlabel);
	fputs("\nset ylabel ", f);
	sink_gp_str(f, c->ylabel);
	fputs("\nset grid ytics lc rgb '#dddddd'\nset border 3\nset tics nomirror\n"
	      "set key outside right top vertical spacing 1.2 font ',10' box lc rgb '#cccccc'\n"
	      "",
	      f);
	if (c->is_logy)
		fputs("set logscale y 10\nset format y '%g'\nset yrange [*:*]\n"
		      "set grid mytics lc rgb '#eeeeee'\n", f);
	else if (c->ymax > 0)
		fprintf(f, "set yrange [0:%g]\n", c->ymax);
	else
		fputs("set yrange [0:*]\n", f);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(colors); i++)
		fprintf(f, "set style line %zu lc rgb '%s' lw 2 pt 7 ps 0.8\n",
			i + 1, colors[i]);
	if (c->kind == CHART_BARS) {
		fputs("set style data histogram\nset style histogram errorbars gap 2 lw 1\n"
		      "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
		      "set xtics rotate by 90 right font ',9'\nset bmargin 19\n"
		      "unset xlabel\nset key outside top center horizontal\n",
		      f);
		for (size_t i = 0; i < c->ns; i++)
			fprintf(f, "set linetype %zu lc rgb '%s'\n", i + 1,
				colors[i % NCB_ARRAY_SIZE(colors)]);
	} else if (c->is_logx) {
		fputs("set logscale x 2\nset format x '%g'\n", f);
	}
	if (c->kind == CHART_LINES && !c->is_logx && c->xmax > 0)
		fprintf(f, "set xrange [1:%g]\n%sset samples 200\n", c->xmax,
			c->xmax <= 16 ? "set xtics 1\n" : "");
	else if (c->kind == CHART_LINES && !c->is_logx)
		fputs("set xrange [0.5:*]\nset xtics 1\n", f);
	if (c->kind == CHART_LINES && c->is_xtics_data)
		write_xtics(c, f);
	fprintf(f, "set terminal svg size 1000,%d dynamic enhanced font 'sans,14' background '#ffffff'\n"
		   "set output ", chart_height(c));
	gp_file(f, c, "svg");
	fputc('\n', f);
	write_plot(c, f);
	fprintf(f, "set terminal pngcairo size 1000,%d enhanced font 'sans,11' background '#ffffff'\n"
		   "set output ", chart_height(c));
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
