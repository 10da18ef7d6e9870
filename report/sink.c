/* Escaping per output sink, and the check that stdout took everything.
 * Control bytes are refused by doc_load already; replacing them here too
 * keeps each sink safe on its own. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/sink.h"

static int is_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

void sink_gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else
			fputc(is_control(*s) ? '?' : *s, f);
	}
	fputc('\'', f);
}

void sink_gp_data(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(is_control(*s) ? '?' : *s == '"' ? '\'' : *s, f);
	fputc('"', f);
}

void sink_gp_data_lines(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (is_control(*s))
			fputc('?', f);
		else if (*s == '"')
			fputc('\'', f);
		else
			fputc(*s == '\\' ? '/' : *s, f);
	}
	fputc('"', f);
}

static int is_stem_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

void sink_stem(char *out, size_t len, const char *s)
{
	size_t i = 0;

	if (!len)
		return;
	for (; s[i] && i + 1 < len; i++)
		out[i] = is_stem_char(s[i]) ? s[i] : '_';
	out[i] = '\0';
	if (i == 0 && len > 1)
		snprintf(out, len, "_");
	else if (out[0] == '-' || out[0] == '.')
		out[0] = '_';
}

int sink_stem_is_safe(const char *s)
{
	if (!*s || *s == '-' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!is_stem_char(*s))
			return 0;
	return 1;
}

void sink_html(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(is_control(*s) ? '?' : *s, f);
		}
	}
}

void sink_md(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (strchr("\\`*_[]()#!|~{}", *s))
			fprintf(f, "\\%c", *s);
		else
			fputc(is_control(*s) ? '?' : *s, f);
	}
}

void sink_csv(FILE *f, const char *s)
{
	/* OWASP's advice for CSV injection: a leading ' and quotes. */
	int is_formula = *s && strchr("=+-@\t\r", *s);

	if (!is_formula && !strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputs(is_formula ? "\"'" : "\"", f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void sink_om_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(is_control(*s) ? '?' : *s, f);
	}
	fputc('"', f);
}

int sink_stdout_close(struct ncb_err *e)
{
	int is_bad = fflush(stdout) != 0;
	int err = errno;

	if (ferror(stdout)) {
		/* An earlier write failed; errno may be long gone. */
		clearerr(stdout);
		return ncb_errf(e, -EIO, "standard output: write error%s%s",
				is_bad ? ": " : "", is_bad ? strerror(err) : "");
	}
	if (is_bad)
		return ncb_errf(e, -err, "standard output: %s", strerror(err));
	return 0;
}

void sink_cell(FILE *f, const char *s, int is_md)
{
	if (is_md) {
		fputc(' ', f);
		sink_md(f, s);
		fputs(" |", f);
	} else {
		fputs("<td>", f);
		sink_html(f, s);
		fputs("</td>", f);
	}
}
