/* Where the options beyond the common ones come from: the option tables
 * of the registered workloads. Parsing, suites, --help and the refusal of
 * an option a case does not take all go through these few functions, so
 * another kind of table (a framing's) is one more branch in each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/opts_impl.h"
#include "workloads/sadist.h"
#include "workloads/wl.h"

/* To add framings: count framing_count() here too, and in opts_src_at
 * take framing_at(i - wl_count()) the same way. */
size_t opts_src_count(void)
{
	return wl_count();
}

int opts_src_at(size_t i, struct opts_src *s)
{
	const struct wl_ops *w = wl_at(i);

	if (!w)
		return -ENOENT;
	*s = (struct opts_src){ .name = w->name, .opts = w->opts,
				.count = w->opts_count, .size = w->opts_size };
	return 0;
}

/* To add framings: append the case's framing with the offset and size of
 * its option struct in struct run_opts. */
size_t opts_src_active(const struct run_opts *o, struct opts_src *out,
		       size_t max)
{
	size_t n = 0;

	if (o->wl && n < max) {
		out[n] = (struct opts_src){
			.name = o->wl->name, .opts = o->wl->opts,
			.count = o->wl->opts_count, .size = o->wl->opts_size,
			.base = offsetof(struct run_opts, wl_opts),
			.room = sizeof(o->wl_opts),
		};
		n++;
	}
	return n;
}

size_t opts_choices(const char *name, const char **out, size_t max)
{
	struct opts_src s;
	size_t n = 0;

	for (size_t i = 0; opts_src_at(i, &s) == 0; i++) {
		const struct ncb_opt *d = opts_src_find(&s, name);

		for (size_t c = 0; d && d->choices && d->choices[c]; c++) {
			size_t k = 0;

			while (k < n && strcmp(out[k], d->choices[c]))
				k++;
			if (k == n && n < max)
				out[n++] = d->choices[c];
		}
	}
	return n;
}

const struct ncb_opt *opts_src_find(const struct opts_src *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->opts[i].name, name) == 0)
			return &s->opts[i];
	return NULL;
}

const char *opts_src_value(const struct ncb_opt *d, const unsigned char *base,
			   char *buf, size_t len)
{
	unsigned v;

	memcpy(&v, base + d->offset, sizeof(v));
	if (d->type == NCB_OPT_CHOICE)
		return d->choices[v];
	if (d->type == NCB_OPT_SA_DIST) {
		struct sadist sd = { .kind = (enum sadist_kind)v };

		memcpy(&sd.zipf_milli, base + d->offset + sizeof(v), sizeof(v));
		sadist_name(&sd, buf, len);
		return buf;
	}
	snprintf(buf, len, "%u", v);
	return buf;
}

/* Appends name to the list in buf unless it is there already (a
 * workload and the framing it stands for may share a name); returns how
 * many names buf holds. */
static size_t add_name(char *buf, size_t len, size_t n, const char *name)
{
	size_t used = strlen(buf), k = strlen(name);

	for (const char *p = buf; (p = strstr(p, name)); p += k)
		if ((p == buf || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return n;
	snprintf(buf + used, len - used, "%s%s", n ? ", " : "", name);
	return n + 1;
}

size_t opts_src_takers(const char *name, const struct opts_desc *d,
		       char *buf, size_t len)
{
	struct opts_src s;
	size_t n = 0;

	*buf = 0;
	if (d) {
		for (size_t i = 0; i < wl_count(); i++)
			if (opts_applies(d, wl_at(i)))
				n = add_name(buf, len, n, wl_at(i)->name);
		return n;
	}
	for (size_t i = 0; opts_src_at(i, &s) == 0; i++)
		if (opts_src_find(&s, name))
			n = add_name(buf, len, n, s.name);
	return n;
}
