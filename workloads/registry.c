/* The list of workloads: plain ones (a file each), traffic patterns run
 * with every framing of their kind (workloads/pattern.h), and aliases, the
 * workload names that came before patterns (`-w esp` is flow with
 * --framing esp; results keep the alias's name). Adding a workload or a
 * pattern is a file plus a line here; a framing registered in
 * crypto/framing.c needs no line here. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crypto/framing.h"
#include "workloads/pattern.h"
#include "workloads/wl.h"

extern const struct wl_ops wl_cipher;
extern const struct pattern_ops flow_pattern;
extern const struct pattern_ops stream_pattern;
extern const struct pattern_ops rr_pattern;

static const struct wl_ops *const plain[] = {
	&wl_cipher,
};

static const struct pattern_ops *const patterns[] = {
	&flow_pattern,
	&stream_pattern,
	&rr_pattern,
};

/* name → pattern + framing, in the order `list` shows them. An alias
 * named as its pattern also takes --framing (then it is the pattern). */
static const struct alias {
	const char *name, *summary, *pattern, *framing;
} aliases[] = {
	{ "esp", "IPsec ESP over UDP on loopback: sender seals, receiver checks and opens (flow --framing esp)",
	  "flow", "esp" },
	{ "macsec", "IEEE 802.1AE MACsec frames over UDP or a veth pair: sender protects, receiver checks and opens (flow --framing macsec)",
	  "flow", "macsec" },
	{ "wg", "WireGuard data messages over UDP on loopback: sender seals, receiver checks and opens (flow --framing wg)",
	  "flow", "wg" },
	{ "stream", "TLS 1.3-style records over one TCP connection per pair: sender seals, receiver re-frames and opens (--framing tls13-records)",
	  "stream", "tls13-records" },
};

enum {
	FRAMINGS_MAX = 16,
	VARIANTS_MAX = 64,
	VARIANT_OPTS_MAX = 48,
	VISIBLE_MAX = 32,
	HELP_LEN = 160,
};

/* One workload made of a pattern and a framing. */
struct variant {
	struct wl_ops ops;
	const struct pattern_ops *pattern;
	int is_alias;
	struct ncb_opt opts[VARIANT_OPTS_MAX];
	const char *rejects[FRAMING_VERDICTS_MAX];
};

static struct {
	pthread_once_t once;
	struct variant v[VARIANTS_MAX];
	size_t n;
	const struct wl_ops *visible[VISIBLE_MAX];
	size_t n_visible;
	/* --framing choices of each pattern, NULL-terminated, as text
	 * ("esp|macsec") and its help line. */
	const char *names[NCB_ARRAY_SIZE(patterns)][FRAMINGS_MAX + 1];
	char choices[NCB_ARRAY_SIZE(patterns)][HELP_LEN];
	char help[NCB_ARRAY_SIZE(patterns)][HELP_LEN];
	char err[NCB_ERR_LEN]; /* why building failed, for the check */
} reg = { .once = PTHREAD_ONCE_INIT };

static int is_named(const char *const *list, const char *name)
{
	for (size_t i = 0; list && list[i]; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

static struct ncb_opt *find_opt(struct variant *v, const char *name)
{
	for (size_t i = 0; i < v->ops.opts_count; i++)
		if (!strcmp(v->opts[i].name, name))
			return &v->opts[i];
	return NULL;
}

static int add_opt(struct variant *v, const struct ncb_opt *d, size_t base)
{
	if (find_opt(v, d->name))
		return 0; /* the pattern's own option shadows the framing's */
	if (v->ops.opts_count == VARIANT_OPTS_MAX)
		return -ENOSPC;
	v->opts[v->ops.opts_count] = *d;
	v->opts[v->ops.opts_count++].offset += base;
	return 0;
}

/* The combined option table: network, --framing, pattern, framing. */
static int build_opts(struct variant *v, size_t pi, const struct framing_ops *f)
{
	const struct pattern_ops *p = v->pattern;
	struct ncb_opt fr = { "framing", NCB_OPT_CHOICE,
			      offsetof(struct pattern_opts, framing), f->name,
			      reg.help[pi], reg.names[pi] };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < pattern_net_count; i++)
		if (!is_named(p->net_unused, pattern_net_opts[i].name))
			rc = add_opt(v, &pattern_net_opts[i],
				     offsetof(struct pattern_opts, net));
	if (rc == 0 && !v->is_alias)
		rc = add_opt(v, &fr, 0);
	for (size_t i = 0; rc == 0 && i < p->opts_count; i++)
		rc = add_opt(v, &p->opts[i], 0);
	for (size_t i = 0; rc == 0 && i < f->opts_count; i++)
		rc = add_opt(v, &f->opts[i], offsetof(struct pattern_opts, fopts));
	for (size_t i = 0; rc == 0 && i < p->n_defaults; i++) {
		const struct pattern_default *d = &p->defaults[i];
		struct ncb_opt *o = find_opt(v, d->name);

		if (o && (!d->kind || (f->flags & d->kind)))
			o->def = d->def;
	}
	return rc;
}

static struct variant *add_variant(size_t pi, const struct framing_ops *f,
				   const struct alias *a)
{
	const struct pattern_ops *p = patterns[pi];
	struct variant *v;

	if (reg.n == VARIANTS_MAX) {
		snprintf(reg.err, sizeof(reg.err), "more than %d pattern workloads",
			 VARIANTS_MAX);
		return NULL;
	}
	v = &reg.v[reg.n++];
	v->pattern = p;
	v->is_alias = a != NULL;
	v->ops = *p->wl;
	v->ops.name = a ? a->name : p->name;
	v->ops.summary = a ? a->summary : p->summary;
	v->ops.abi = WL_ABI;
	v->ops.pattern = p->name;
	v->ops.framing = f;
	v->ops.opts = v->opts;
	v->ops.opts_count = 0;
	v->ops.opts_size = sizeof(struct pattern_opts);
	v->ops.workers_per_thread = 2; /* the two ends of a pair */
	if (!p->wl->reject_names) {
		v->ops.reject_names = v->rejects;
		v->ops.n_rejects = f->n_verdicts - 1;
	}
	for (unsigned i = 1; i < f->n_verdicts && i < FRAMING_VERDICTS_MAX; i++)
		v->rejects[i - 1] = f->verdicts[i].name;
	if (build_opts(v, pi, f) < 0) {
		snprintf(reg.err, sizeof(reg.err),
			 "workload %s with framing %s: more than %d options",
			 v->ops.name, f->name, VARIANT_OPTS_MAX);
		return NULL;
	}
	return v;
}

static void show(const struct wl_ops *w)
{
	if (reg.n_visible < VISIBLE_MAX)
		reg.visible[reg.n_visible++] = w;
}

static size_t pattern_index(const char *name)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(patterns); i++)
		if (!strcmp(patterns[i]->name, name))
			return i;
	return NCB_ARRAY_SIZE(patterns);
}

static void build(void)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(plain); i++)
		show(plain[i]);
	/* Every pattern with every framing of its kind. */
	for (size_t pi = 0; pi < NCB_ARRAY_SIZE(patterns); pi++) {
		size_t n = 0, len = 0;

		for (size_t k = 0; k < framing_count() && n < FRAMINGS_MAX; k++) {
			const struct framing_ops *f = framing_at(k);

			if (!(f->flags & patterns[pi]->kind))
				continue;
			if (len < HELP_LEN)
				len += (size_t)snprintf(reg.choices[pi] + len,
							HELP_LEN - len, "%s%s",
							n ? "|" : "", f->name);
			reg.names[pi][n++] = f->name;
			if (!add_variant(pi, f, NULL))
				return;
		}
		snprintf(reg.help[pi], HELP_LEN, "framing: %s (see ncbench list)",
			 reg.choices[pi]);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(aliases); i++) {
		const struct alias *a = &aliases[i];
		size_t pi = pattern_index(a->pattern);
		const struct framing_ops *f = framing_find(a->framing);
		struct variant *v;

		if (pi == NCB_ARRAY_SIZE(patterns) || !f ||
		    !(f->flags & patterns[pi]->kind)) {
			snprintf(reg.err, sizeof(reg.err),
				 "alias %s: no pattern %s with framing %s", a->name,
				 a->pattern, a->framing);
			return;
		}
		v = add_variant(pi, f, a);
		if (!v)
			return;
		show(&v->ops);
	}
	/* A pattern's own entry runs its first framing, unless an alias
	 * took its name. */
	for (size_t pi = 0; pi < NCB_ARRAY_SIZE(patterns); pi++) {
		int is_taken = 0;

		for (size_t i = 0; i < NCB_ARRAY_SIZE(aliases); i++)
			is_taken |= !strcmp(aliases[i].name, patterns[pi]->name);
		for (size_t i = 0; !is_taken && i < reg.n; i++)
			if (!reg.v[i].is_alias && reg.v[i].pattern == patterns[pi]) {
				show(&reg.v[i].ops);
				break;
			}
	}
}

static void init(void)
{
	pthread_once(&reg.once, build);
}

size_t wl_count(void)
{
	init();
	return reg.n_visible;
}

const struct wl_ops *wl_at(size_t i)
{
	init();
	return i < reg.n_visible ? reg.visible[i] : NULL;
}

const struct wl_ops *wl_find(const char *name)
{
	init();
	for (size_t i = 0; name && i < reg.n_visible; i++)
		if (strcmp(reg.visible[i]->name, name) == 0)
			return reg.visible[i];
	return NULL;
}

static const struct variant *variant_of(const struct wl_ops *w)
{
	for (size_t i = 0; i < reg.n; i++)
		if (&reg.v[i].ops == w)
			return &reg.v[i];
	return NULL;
}

static const struct variant *find_variant(const struct pattern_ops *p,
					  const struct framing_ops *f)
{
	for (size_t i = 0; i < reg.n; i++)
		if (!reg.v[i].is_alias && reg.v[i].pattern == p &&
		    reg.v[i].ops.framing == f)
			return &reg.v[i];
	return NULL;
}

/* The framing an older spelling (rr's --transport) names, or NULL. */
static const char *mapped(const struct pattern_ops *p, const char *transport)
{
	for (size_t i = 0; transport && p->transport_map &&
			   p->transport_map[i] && p->transport_map[i + 1];
	     i += 2)
		if (!strcmp(p->transport_map[i], transport))
			return p->transport_map[i + 1];
	return NULL;
}

int wl_resolve(const struct wl_ops **w,
	       const char *(*value)(void *ctx, const char *name), void *ctx,
	       struct ncb_err *e)
{
	const struct variant *v, *to;
	const struct framing_ops *f, *by_tr;
	const char *name, *tr;
	size_t pi;

	init();
	v = variant_of(*w);
	if (!v)
		return 0;
	name = value(ctx, "framing");
	if (v->is_alias && (!name || strcmp(v->ops.name, v->pattern->name)))
		return 0; /* an alias's framing is fixed: bench refuses it */
	tr = mapped(v->pattern, value(ctx, "transport"));
	if (!name)
		name = tr;
	if (!name)
		return 0;
	f = framing_find(name);
	to = f ? find_variant(v->pattern, f) : NULL;
	pi = pattern_index(v->pattern->name);
	if (!to)
		return ncb_errf(e, -EINVAL,
				"--framing: workload %s does not run '%s' (it runs %s)",
				v->pattern->name, name, reg.choices[pi]);
	by_tr = framing_find(tr ? tr : "");
	if (by_tr && (by_tr->flags & f->flags) == 0)
		return ncb_errf(e, -EINVAL,
				"--transport %s: framing %s does not run over it",
				value(ctx, "transport"), f->name);
	*w = &to->ops;
	return 0;
}

static int has_opt(const struct wl_ops *w, const char *name)
{
	for (size_t i = 0; i < w->opts_count; i++)
		if (!strcmp(w->opts[i].name, name))
			return 1;
	return 0;
}

/* Appends ", s" (or s first) to buf of len at *at. */
static void put(char *buf, size_t len, size_t *at, const char *fmt,
		const char *a, const char *b)
{
	if (*at < len)
		*at += (size_t)snprintf(buf + *at, len - *at, fmt, a, b);
}

int wl_opt_refuse(const struct wl_ops *w, const char *name,
		  struct ncb_err *e)
{
	char takers[NCB_ERR_LEN] = "", with[64] = "";
	size_t at = 0;

	init();
	if (w->framing && !variant_of(w)->is_alias)
		snprintf(with, sizeof(with), " with --framing %s", w->framing->name);
	for (size_t i = 0; i < reg.n_visible; i++) {
		const struct variant *v = variant_of(reg.visible[i]);

		if ((!v || v->is_alias) && has_opt(reg.visible[i], name))
			put(takers, sizeof(takers), &at, "%s%s", at ? ", " : "",
			    reg.visible[i]->name);
	}
	for (size_t pi = 0; pi < NCB_ARRAY_SIZE(patterns); pi++) {
		size_t n = 0, of = 0, mark;
		char fr[HELP_LEN] = "";

		for (size_t i = 0; i < reg.n; i++) {
			const struct variant *v = &reg.v[i];

			if (v->is_alias || v->pattern != patterns[pi])
				continue;
			of++;
			if (has_opt(&v->ops, name)) {
				mark = strlen(fr);
				snprintf(fr + mark, sizeof(fr) - mark, "%s%s",
					 n++ ? "|" : "", v->ops.framing->name);
			}
		}
		const struct wl_ops *same = wl_find(patterns[pi]->name);

		/* An alias of the pattern's name was listed already. */
		if (!n || (same && variant_of(same)->is_alias &&
			   has_opt(same, name) && n == of))
			continue;
		put(takers, sizeof(takers), &at, "%s%s", at ? ", " : "",
		    patterns[pi]->name);
		if (n < of)
			put(takers, sizeof(takers), &at, "%s%s", " --framing ", fr);
	}
	return ncb_errf(e, -EINVAL, "--%s does not apply to workload %s%s (%s%s)",
			name, w->name, with, at ? "it applies to " : "no workload takes it",
			takers);
}

static int check_plain(const struct wl_ops *w, size_t i, struct ncb_err *e)
{
	if (!w->name)
		return ncb_errf(e, -EINVAL, "workload %zu: no name", i);
	if (w->abi != WL_ABI)
		return ncb_errf(e, -EINVAL, "workload %s: ABI %u, expected %u",
				w->name, w->abi, WL_ABI);
	if (!w->setup || !w->run_rep || !w->teardown)
		return ncb_errf(e, -EINVAL, "workload %s: missing hook", w->name);
	if (w->n_rejects > WL_REJECTS_MAX)
		return ncb_errf(e, -EINVAL, "workload %s: too many reject counters",
				w->name);
	return 0;
}

/* bench merges the options of the entries -w names for its parser: an
 * option of a pattern's other framings must be among them, taking a
 * value alike. */
static int check_reachable(const struct ncb_opt *d, struct ncb_err *e)
{
	for (size_t i = 0; i < reg.n_visible; i++)
		for (size_t j = 0; j < reg.visible[i]->opts_count; j++) {
			const struct ncb_opt *o = &reg.visible[i]->opts[j];

			if (!strcmp(o->name, d->name))
				return (o->type == NCB_OPT_FLAG) ==
						       (d->type == NCB_OPT_FLAG)
					       ? 0
					       : ncb_errf(e, -EINVAL,
							  "option --%s is a flag in one workload and takes a value in another",
							  d->name);
		}
	return ncb_errf(e, -EINVAL, "option --%s: no workload -w names has it",
			d->name);
}

int wl_registry_check(struct ncb_err *e)
{
	/* Patterns run framings: those are checked first. */
	int rc = framing_registry_check(e);

	if (rc < 0)
		return rc;
	init();
	if (*reg.err)
		return ncb_errf(e, -EINVAL, "%s", reg.err);
	for (size_t i = 0; i < reg.n_visible; i++) {
		rc = check_plain(reg.visible[i], i, e);
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(reg.visible[j]->name, reg.visible[i]->name) == 0)
				return ncb_errf(e, -EINVAL,
						"workload %s registered twice",
						reg.visible[i]->name);
	}
	for (size_t i = 0; i < reg.n; i++) {
		rc = check_plain(&reg.v[i].ops, i, e);
		for (size_t j = 0; rc == 0 && j < reg.v[i].ops.opts_count; j++)
			rc = check_reachable(&reg.v[i].opts[j], e);
		if (rc < 0)
			return rc;
	}
	return 0;
}
