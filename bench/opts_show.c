/* `run --help` and the result's config, both read off the option tables:
 * the common table of opts.c and the workloads' own (opts_src.c). An
 * option several workloads share is shown once, with their names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts_impl.h"
#include "bench/opts_show.h"
#include "bench/results.h"
#include "workloads/wl.h"

enum {
	HELP_COL = 23,   /* where the help text starts */
	HELP_WIDTH = 79, /* where lines end */
	SHARED_MAX = 16, /* tables that may share one option name */
};

/* Prints left, then text from column HELP_COL, wrapped at spaces. */
static void put_wrapped(FILE *f, const char *left, const char *text)
{
	int col = fprintf(f, "%s", left);

	if (col >= HELP_COL - 1) {
		fputc('\n', f);
		col = 0;
	}
	while (*text) {
		size_t room = HELP_WIDTH - HELP_COL, n = strlen(text);

		fprintf(f, "%*s", HELP_COL - col, "");
		if (n > room) {
			n = room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0) /* one word longer than a line */
				n = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", (int)n, text);
		text += n;
		text += strspn(text, " ");
		col = 0;
	}
	if (col) /* no text at all */
		fputc('\n', f);
}

static void help_common(FILE *f, const struct opts_desc *d)
{
	char left[64], text[512], who[200] = "";

	snprintf(left, sizeof(left), "  %c%c%s --%s%s%s", d->letter ? '-' : ' ',
		 d->letter ? d->letter : ' ', d->letter ? "," : " ", d->name,
		 d->arg ? " " : "", d->arg ? d->arg : "");
	if (d->wl_flags) {
		opts_src_takers(NULL, d, who, sizeof(who));
		snprintf(text, sizeof(text), "[%s] ", who);
	} else {
		*text = 0;
	}
	snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s%s%s",
		 d->help, d->def ? " (default " : "", d->def ? d->def : "",
		 d->def ? ")" : "");
	put_wrapped(f, left, text);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Option d of table i, first seen there: printed once, with one line per
 * distinct help and default among the tables that have it. */
static void help_shared(FILE *f, size_t i, const struct ncb_opt *d)
{
	const struct ncb_opt *seen[SHARED_MAX];
	const char *names[SHARED_MAX];
	unsigned char is_done[SHARED_MAX] = { 0 };
	size_t n = 0;
	struct opts_src s;
	char left[64], text[512];

	for (size_t k = i; opts_src_at(k, &s) == 0 && n < SHARED_MAX; k++) {
		const struct ncb_opt *x = opts_src_find(&s, d->name);

		if (x) {
			seen[n] = x;
			names[n++] = s.name;
		}
	}
	snprintf(left, sizeof(left), "      --%s", d->name);
	for (size_t a = 0; a < n; a++) {
		size_t used;

		if (is_done[a])
			continue;
		used = (size_t)snprintf(text, sizeof(text), "[%s", names[a]);
		for (size_t b = a + 1; b < n; b++)
			if (same_text(seen[a]->help, seen[b]->help) &&
			    same_text(seen[a]->def, seen[b]->def)) {
				is_done[b] = 1;
				used += (size_t)snprintf(text + used,
							 sizeof(text) - used,
							 ", %s", names[b]);
			}
		if (seen[a]->type == NCB_OPT_FLAG)
			snprintf(text + used, sizeof(text) - used, "] %s",
				 seen[a]->help);
		else
			snprintf(text + used, sizeof(text) - used,
				 "] %s (default %s)", seen[a]->help,
				 seen[a]->def);
		put_wrapped(f, left, text);
		*left = 0;
	}
}

/* Whether table i is the first to have option name. */
static int is_first(size_t i, const char *name)
{
	struct opts_src s;

	for (size_t k = 0; k < i && opts_src_at(k, &s) == 0; k++)
		if (opts_src_find(&s, name))
			return 0;
	return 1;
}

void opts_show_help(FILE *f)
{
	struct opts_src s;

	fprintf(f, "usage: ncbench run [options]\n");
	for (size_t i = 0; i < opts_table_len; i++)
		help_common(f, &opts_table[i]);
	fprintf(f, "options of some workloads (in brackets: those that take "
		   "it):\n");
	for (size_t i = 0; opts_src_at(i, &s) == 0; i++)
		for (size_t j = 0; j < s.count; j++)
			if (is_first(i, s.opts[j].name))
				help_shared(f, i, &s.opts[j]);
}

/* A common option's value by its type. */
static void record_by_type(const struct opts_desc *d, const struct run_opts *o,
			   struct results_doc *doc)
{
	const void *v = opts_at_ro(o, d->off);
	const size_t *n = opts_at_ro(o, d->n_off);

	switch (d->type) {
	case OPTS_T_NAMES:
		for (size_t i = 0; i < *n; i++)
			results_config_push_str(doc, d->key,
						((const char *const *)v)[i]);
		break;
	case OPTS_T_SIZES:
		for (size_t i = 0; i < *n; i++)
			results_config_push_int(doc, d->key,
						(long long)((const size_t *)v)[i]);
		break;
	case OPTS_T_UINTS:
		for (size_t i = 0; i < *n; i++)
			results_config_push_int(doc, d->key,
						((const unsigned *)v)[i]);
		break;
	case OPTS_T_COUNT:
		results_config_int(doc, d->key, *(const unsigned *)v);
		break;
	case OPTS_T_SECONDS:
	case OPTS_T_PCT:
		results_config_num(doc, d->key, *(const double *)v);
		break;
	case OPTS_T_FLAG:
		results_config_bool(doc, d->key, *(const int *)v);
		break;
	case OPTS_T_NAME:
	case OPTS_T_PATH:
		results_config_str(doc, d->key, *(const char *const *)v);
		break;
	}
}

void opts_show_config(const struct run_opts *o, struct results_doc *doc)
{
	const struct ncb_opt *d;
	const char *v;
	char buf[32];

	for (size_t i = 0; i < opts_table_len; i++) {
		const struct opts_desc *c = &opts_table[i];

		if (!c->key)
			continue;
		if (c->record)
			c->record(c, o, doc);
		else
			record_by_type(c, o, doc);
	}
	for (size_t i = 0; (d = opts_case_opt(o, i, &v, buf, sizeof(buf))); i++)
		if (d->type == NCB_OPT_FLAG)
			results_config_bool(doc, d->name, strcmp(v, "1") == 0);
		else if (d->type == NCB_OPT_UINT)
			results_config_int(doc, d->name, strtoll(v, NULL, 10));
		else
			results_config_str(doc, d->name, v);
}
