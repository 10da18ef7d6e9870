/* Where document text leaves report/: one escaping function per sink
 * (gnuplot script, gnuplot data file, file-name stem, HTML, Markdown,
 * CSV, OpenMetrics label) and the final check of stdout. Documents are hostile input: every
 * string from one reaches a sink only through the function for that sink,
 * so nothing in it is read as a command, markup or a formula. */
#ifndef NCB_REPORT_SINK_H
#define NCB_REPORT_SINK_H

#include <stddef.h>
#include <stdio.h>

#include "io/ncb.h"

/* A gnuplot string literal in single quotes: gnuplot substitutes neither
 * backquotes (shell commands) nor @macros there and knows no backslash
 * escapes; a quote is doubled, and control bytes (a newline would end the
 * command) become '?'. */
void sink_gp_str(FILE *f, const char *s);

/* A string column of a gnuplot data file: double quotes, inside which a
 * double quote becomes ' and control bytes become '?', so a row stays one
 * row of the columns it started with. */
void sink_gp_data(FILE *f, const char *s);

/* The same for a tic label the report broke into lines: a newline
 * becomes gnuplot's \n escape (a line break), a backslash from the text
 * becomes '/', so no other escape is ever formed. */
void sink_gp_data_lines(FILE *f, const char *s);

/* A file-name stem for charts (STEM.svg, STEM.gp, ...) made of s: bytes
 * outside [A-Za-z0-9._-] become '_', as does a leading '-' or '.' (an
 * option to gnuplot, a hidden file, ".."), so the stem means the same in a
 * shell, a gnuplot script and an HTML attribute. Always NUL-terminates;
 * an empty s gives "_". */
void sink_stem(char *out, size_t len, const char *s);

/* 1 if s is a stem sink_stem could have made, else 0. */
int sink_stem_is_safe(const char *s);

/* HTML text or a double- or single-quoted attribute value: & < > " '
 * as entities, control bytes as '?'. */
void sink_html(FILE *f, const char *s);

/* Markdown text or a table cell: characters Markdown reads as markup
 * (emphasis, links, code, cell separators, raw HTML) escaped, control bytes
 * as '?'. */
void sink_md(FILE *f, const char *s);

/* One table cell holding s, escaped for its sink: " s |" in Markdown
 * (is_md), <td>s</td> in HTML. */
void sink_cell(FILE *f, const char *s, int is_md);

/* One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) gets a leading ' so it stays text;
 * cells with a comma, quote, newline or that prefix are quoted. */
void sink_csv(FILE *f, const char *s);

/* An OpenMetrics (and Prometheus text) label value in double quotes:
 * backslash, double quote and newline escaped as both formats read them,
 * other control bytes as '?'. The text is UTF-8 already (Jansson
 * checked it when the document was read). */
void sink_om_label(FILE *f, const char *s);

/* Flushes stdout and checks it for write errors (a full disk, a closed
 * pipe, /dev/full): output a command lost must not exit 0. 0, or -EIO
 * with e saying so. */
NCB_MUST_CHECK int sink_stdout_close(struct ncb_err *e);

#endif
