/* The session protocol's messages (session_msg.h). What the peer sends is
 * checked field by field before anything uses it: the serve host runs
 * only what a case message says, through the same option parser as
 * `run`, and the run host trusts a peer's fingerprint and placement only
 * as far as their shapes go. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "bench/place.h"
#include "bench/session_msg.h"
#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/net.h"
#include "workloads/peer.h"
#include "workloads/wl.h"

#ifndef NCB_VERSION
#define NCB_VERSION "0.0.0"
#endif

/* --- Checks of received values ----------------------------------------- */

/* [A-Za-z0-9._+-] and the characters of also, 1 to max - 1 bytes. */
static int is_text(const char *s, size_t len, size_t max, const char *also)
{
	if (!s || !len || len >= max || strlen(s) != len)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == '+' || *s == '-' || strchr(also, *s)))
			return 0;
	return 1;
}

/* A name as ncbench spells its backends, algorithms, framings, engines,
 * workloads and options. */
static int is_name(const char *s, size_t len, size_t max)
{
	return is_text(s, len, max, "");
}

/* An option's value: a name, a number, or a name with a parameter
 * (--sa-dist zipf:1.100). */
static int is_value(const char *s, size_t len, size_t max)
{
	return is_text(s, len, max, ":");
}

/* Copies string member key of o into buf when it is a name. */
static int get_name(const json_t *o, const char *key, char *buf, size_t max)
{
	const json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);

	if (!is_name(s, json_string_length(v), max))
		return -EPROTO;
	memcpy(buf, s, json_string_length(v) + 1);
	return 0;
}

/* Every key of o is one of keys (NULL-terminated); else the first other
 * one in *bad. */
static int has_only(const json_t *o, const char *const *keys, const char **bad)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		size_t i = 0;

		(void)v;
		while (keys[i] && strcmp(keys[i], k))
			i++;
		if (!keys[i]) {
			*bad = k;
			return 0;
		}
	}
	return 1;
}

/* The message's members are those of its type and "v", "type". */
static int check_keys(const json_t *msg, const char *type,
		      const char *const *keys, struct ncb_err *e)
{
	const char *bad = NULL;
	char clean[40];

	if (!json_is_object(msg) ||
	    strcmp(json_string_value(json_object_get(msg, "type")) ?: "", type))
		return ncb_errf(e, -EPROTO, "not a %s message", type);
	if (!has_only(msg, keys, &bad)) {
		snprintf(clean, sizeof(clean), "%s", bad);
		return ncb_errf(e, -EPROTO, "%s: unknown field '%s'", type,
				ncb_clean(clean));
	}
	return 0;
}

/* An array of names into list (max entries of SESSION_NAME bytes). */
static int get_names(const json_t *a, char (*list)[SESSION_NAME], size_t max,
		     size_t *n)
{
	const json_t *v;
	size_t i;

	*n = 0;
	if (!json_is_array(a) || json_array_size(a) > max)
		return -EPROTO;
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);

		if (!is_name(s, json_string_length(v), SESSION_NAME))
			return -EPROTO;
		memcpy(list[i], s, json_string_length(v) + 1);
	}
	*n = json_array_size(a);
	return 0;
}

/* --- Capabilities -------------------------------------------------------- */

static void put_name(char *dst, const char *src)
{
	snprintf(dst, SESSION_NAME, "%s", src);
}

void session_caps_local(struct session_caps *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t b = 0; b < aead_backend_count() && c->n_backends < SESSION_BACKENDS; b++) {
		struct session_backend *sb = &c->backends[c->n_backends++];

		put_name(sb->name, aead_backend_name(b));
		for (size_t a = 0; a < aead_alg_count() && sb->n_algs < SESSION_ALGS; a++)
			if (aead_probe(aead_alg_name(a), aead_backend_name(b)) == 0)
				put_name(sb->algs[sb->n_algs++], aead_alg_name(a));
	}
	for (size_t i = 0; i < framing_count() && c->n_framings < SESSION_FRAMINGS; i++)
		put_name(c->framings[c->n_framings++], framing_at(i)->name);
	for (size_t i = 0; i < net_engine_count() && c->n_engines < SESSION_ENGINES; i++)
		put_name(c->engines[c->n_engines++],
			 net_engine_name(net_engine_at(i)));
	for (size_t i = 0; i < wl_count() && c->n_workloads < SESSION_WORKLOADS; i++)
		if (wl_at(i)->flags & WL_F_PEER)
			put_name(c->workloads[c->n_workloads++], wl_at(i)->name);
}

static json_t *names_json(const char (*list)[SESSION_NAME], size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static json_t *caps_json(const struct session_caps *c)
{
	json_t *be = json_object();

	for (size_t b = 0; be && b < c->n_backends; b++)
		json_object_set_new(be, c->backends[b].name,
				    names_json((const char (*)[SESSION_NAME])
						       c->backends[b].algs,
					       c->backends[b].n_algs));
	return json_pack("{s:o, s:o, s:o, s:o}", "backends", be, "framings",
			 names_json((const char (*)[SESSION_NAME])c->framings,
				    c->n_framings),
			 "engines",
			 names_json((const char (*)[SESSION_NAME])c->engines,
				    c->n_engines),
			 "workloads",
			 names_json((const char (*)[SESSION_NAME])c->workloads,
				    c->n_workloads));
}

static int caps_parse(const json_t *j, struct session_caps *c,
		      struct ncb_err *e)
{
	static const char *const keys[] = { "backends", "framings", "engines",
					    "workloads", NULL };
	const json_t *be = json_object_get(j, "backends"), *algs;
	const char *bad = NULL, *name;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(j) || !has_only(j, keys, &bad))
		return ncb_errf(e, -EPROTO, "hello: caps is not {backends, framings, engines, workloads}");
	if (!json_is_object(be) || json_object_size(be) > SESSION_BACKENDS)
		return ncb_errf(e, -EPROTO, "hello: caps.backends is not an object of at most %d",
				SESSION_BACKENDS);
	json_object_foreach((json_t *)be, name, algs) {
		struct session_backend *sb = &c->backends[c->n_backends];

		if (!is_name(name, strlen(name), SESSION_NAME) ||
		    get_names(algs, sb->algs, SESSION_ALGS, &sb->n_algs) < 0)
			return ncb_errf(e, -EPROTO,
					"hello: caps.backends[%zu] is not a name with a list of at most %d algorithms",
					c->n_backends, SESSION_ALGS);
		put_name(sb->name, name);
		c->n_backends++;
	}
	if (get_names(json_object_get(j, "framings"), c->framings,
		      SESSION_FRAMINGS, &c->n_framings) < 0 ||
	    get_names(json_object_get(j, "engines"), c->engines,
		      SESSION_ENGINES, &c->n_engines) < 0 ||
	    get_names(json_object_get(j, "workloads"), c->workloads,
		      SESSION_WORKLOADS, &c->n_workloads) < 0)
		return ncb_errf(e, -EPROTO,
				"hello: caps.framings, engines or workloads is not a short list of names");
	return 0;
}

static int has_name(const char (*list)[SESSION_NAME], size_t n,
		    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

int session_caps_check(const struct session_caps *caps, const char *host,
		       const char *workload, const char *backend,
		       const char *alg, const char *framing,
		       const char *engine, struct ncb_err *e)
{
	const struct session_backend *sb = NULL;

	if (!has_name((const char (*)[SESSION_NAME])caps->workloads,
		      caps->n_workloads, workload))
		return ncb_errf(e, -EINVAL, "peer %s lacks workload %s on two hosts",
				host, workload);
	for (size_t i = 0; i < caps->n_backends; i++)
		if (!strcmp(caps->backends[i].name, backend))
			sb = &caps->backends[i];
	if (!sb)
		return ncb_errf(e, -EINVAL, "peer %s lacks backend %s", host,
				backend);
	if (!has_name((const char (*)[SESSION_NAME])sb->algs, sb->n_algs, alg))
		return ncb_errf(e, -EINVAL, "peer %s lacks algorithm %s in backend %s",
				host, alg, backend);
	if (framing && !has_name((const char (*)[SESSION_NAME])caps->framings,
				 caps->n_framings, framing))
		return ncb_errf(e, -EINVAL, "peer %s lacks framing %s", host,
				framing);
	if (engine && !has_name((const char (*)[SESSION_NAME])caps->engines,
				caps->n_engines, engine))
		return ncb_errf(e, -EINVAL, "peer %s lacks engine %s", host,
				engine);
	return 0;
}

/* --- hello ---------------------------------------------------------------- */

json_t *session_hello_json(const struct env_host *h)
{
	struct session_caps *c = malloc(sizeof(*c));
	json_t *m;

	if (!c)
		return NULL;
	session_caps_local(c);
	m = json_pack("{s:s, s:s, s:o, s:o}", "type", "hello", "ncbench",
		      NCB_VERSION, "caps", caps_json(c), "host", env_host_json(h));
	free(c);
	return m;
}

int session_hello_parse(const json_t *msg, struct session_hello *out,
			struct ncb_err *e)
{
	static const char *const keys[] = { "v", "type", "ncbench", "caps",
					    "host", NULL };
	char why[NCB_ERR_LEN];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_keys(msg, "hello", keys, e)) < 0)
		return rc;
	if (get_name(msg, "ncbench", out->version, sizeof(out->version)) < 0)
		return ncb_errf(e, -EPROTO, "hello: ncbench is not a version");
	if ((rc = caps_parse(json_object_get(msg, "caps"), &out->caps, e)) < 0)
		return rc;
	rc = env_host_from_json(json_object_get(msg, "host"), &out->host, e);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, rc, "hello: %s", why);
	}
	return 0;
}

/* --- case ------------------------------------------------------------------ */

static int put_checked(char *dst, size_t max, const char *src,
		       const char *what, struct ncb_err *e)
{
	int is_ok = strcmp(what, "value") ? is_name(src, strlen(src), max)
					  : is_value(src, strlen(src), max);

	if (!is_ok)
		return ncb_errf(e, -E2BIG, "%s '%s' cannot cross to a peer", what,
				src);
	snprintf(dst, max, "%s", src);
	return 0;
}

int session_case_from_run(const struct run_opts *o, const char *cipher,
			  const char *backend, size_t size, unsigned threads,
			  struct session_case *out, struct ncb_err *e)
{
	const struct ncb_opt *d;
	const char *v;
	char buf[32];
	int rc;

	memset(out, 0, sizeof(*out));
	out->mode = o->peer_mode;
	out->size = o->imix ? 0 : size;
	out->threads = threads;
	out->is_verify = o->is_verify;
	if ((rc = put_checked(out->workload, SESSION_NAME, o->wl->name, "workload", e)) < 0 ||
	    (rc = put_checked(out->cipher, SESSION_NAME, cipher, "cipher", e)) < 0 ||
	    (rc = put_checked(out->backend, SESSION_NAME, backend, "backend", e)) < 0 ||
	    (o->imix && (rc = put_checked(out->imix, SESSION_NAME, o->imix, "mix", e)) < 0))
		return rc;
	for (size_t i = 0; (d = opts_case_opt(o, i, &v, buf, sizeof(buf))); i++) {
		struct session_opt *so = &out->opts[out->n_opts];

		if (out->n_opts == SESSION_OPTS)
			return ncb_errf(e, -E2BIG, "more than %d workload options",
					SESSION_OPTS);
		if ((rc = put_checked(so->name, SESSION_NAME, d->name, "option", e)) < 0 ||
		    (rc = put_checked(so->value, SESSION_TEXT, v, "value", e)) < 0)
			return rc;
		out->n_opts++;
	}
	return 0;
}

json_t *session_case_json(const struct session_case *c)
{
	json_t *opts = json_object(), *k;

	for (size_t i = 0; opts && i < c->n_opts; i++)
		json_object_set_new(opts, c->opts[i].name,
				    json_string(c->opts[i].value));
	k = json_pack("{s:s, s:s, s:s, s:i, s:b, s:o}", "workload", c->workload,
		      "cipher", c->cipher, "backend", c->backend, "threads",
		      (int)c->threads, "verify", c->is_verify, "options", opts);
	if (k && *c->imix)
		json_object_set_new(k, "imix", json_string(c->imix));
	else if (k)
		json_object_set_new(k, "size", json_integer((json_int_t)c->size));
	return json_pack("{s:s, s:s, s:o}", "type", "case", "mode",
			 opts_peer_mode_name(c->mode), "case", k);
}

static int parse_mode(const json_t *msg, unsigned *mode)
{
	const char *m = json_string_value(json_object_get(msg, "mode"));

	for (unsigned i = WL_PEER_FORWARD; m && i <= WL_PEER_BIDIR; i++)
		if (!strcmp(m, opts_peer_mode_name(i))) {
			*mode = i;
			return 0;
		}
	return -EPROTO;
}

static int parse_opts(const json_t *j, struct session_case *c,
		      struct ncb_err *e)
{
	const char *name;
	json_t *v;

	if (!json_is_object(j) || json_object_size(j) > SESSION_OPTS)
		return ncb_errf(e, -EPROTO, "case: options is not an object of at most %d",
				SESSION_OPTS);
	json_object_foreach((json_t *)j, name, v) {
		struct session_opt *o = &c->opts[c->n_opts];
		const char *s = json_string_value(v);

		if (!is_name(name, strlen(name), SESSION_NAME) ||
		    !is_value(s, json_string_length(v), SESSION_TEXT))
			return ncb_errf(e, -EPROTO,
					"case: option %zu is not a name with a short value",
					c->n_opts);
		put_name(o->name, name);
		memcpy(o->value, s, json_string_length(v) + 1);
		c->n_opts++;
	}
	return 0;
}

int session_case_parse(const json_t *msg, struct session_case *out,
		       struct ncb_err *e)
{
	static const char *const keys[] = { "v", "type", "mode", "case", NULL };
	static const char *const case_keys[] = { "workload", "cipher", "backend",
						 "size", "imix", "threads",
						 "verify", "options", NULL };
	const json_t *k = json_object_get(msg, "case");
	const json_t *size = json_object_get(k, "size");
	const json_t *threads = json_object_get(k, "threads");
	const json_t *verify = json_object_get(k, "verify");
	const char *bad = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_keys(msg, "case", keys, e)) < 0)
		return rc;
	if (parse_mode(msg, &out->mode) < 0)
		return ncb_errf(e, -EPROTO, "case: mode is not forward, reverse or bidir");
	if (!json_is_object(k) || !has_only(k, case_keys, &bad))
		return ncb_errf(e, -EPROTO, "case: not an object of the case's fields");
	if (get_name(k, "workload", out->workload, SESSION_NAME) < 0 ||
	    get_name(k, "cipher", out->cipher, SESSION_NAME) < 0 ||
	    get_name(k, "backend", out->backend, SESSION_NAME) < 0)
		return ncb_errf(e, -EPROTO, "case: workload, cipher or backend is not a name");
	if (!size == !json_object_get(k, "imix"))
		return ncb_errf(e, -EPROTO, "case: needs size or imix, not both");
	if (size && (!json_is_integer(size) || json_integer_value(size) < 1 ||
		     json_integer_value(size) > OPTS_SIZE_MAX))
		return ncb_errf(e, -EPROTO, "case: size is not in 1..%d", OPTS_SIZE_MAX);
	out->size = size ? (size_t)json_integer_value(size) : 0;
	if (!size && get_name(k, "imix", out->imix, SESSION_NAME) < 0)
		return ncb_errf(e, -EPROTO, "case: imix is not a name");
	if (!json_is_integer(threads) || json_integer_value(threads) < 1 ||
	    json_integer_value(threads) > OPTS_THREADS_MAX)
		return ncb_errf(e, -EPROTO, "case: threads is not in 1..%d",
				OPTS_THREADS_MAX);
	out->threads = (unsigned)json_integer_value(threads);
	if (!json_is_boolean(verify))
		return ncb_errf(e, -EPROTO, "case: verify is not a boolean");
	out->is_verify = json_is_true(verify);
	return parse_opts(json_object_get(k, "options"), out, e);
}

/* The value of the case's option name, for wl_resolve. */
static const char *case_value(void *ctx, const char *name)
{
	const struct session_case *c = ctx;

	for (size_t i = 0; i < c->n_opts; i++)
		if (!strcmp(c->opts[i].name, name))
			return c->opts[i].value;
	return NULL;
}

static const struct ncb_opt *find_opt(const struct wl_ops *w, const char *name)
{
	for (size_t i = 0; i < w->opts_count; i++)
		if (!strcmp(w->opts[i].name, name))
			return &w->opts[i];
	return NULL;
}

/* Appends one argument made of up to three parts into the store. */
static int push_arg(struct session_argv *a, size_t *used, const char *p1,
		    const char *p2, const char *p3)
{
	size_t room = sizeof(a->store) - *used;
	int n;

	if (a->argc >= SESSION_ARGS)
		return -E2BIG;
	n = snprintf(a->store + *used, room, "%s%s%s", p1, p2 ? p2 : "",
		     p3 ? p3 : "");
	if (n < 0 || (size_t)n >= room)
		return -E2BIG;
	a->argv[a->argc++] = a->store + *used;
	*used += (size_t)n + 1;
	a->argv[a->argc] = NULL;
	return 0;
}

/* The workload's own options, each of its table at most once. */
static int push_opts(const struct session_case *c, const struct wl_ops *w,
		     struct session_argv *out, size_t *used, struct ncb_err *e)
{
	for (size_t i = 0; i < c->n_opts; i++) {
		const struct session_opt *o = &c->opts[i];
		const struct ncb_opt *d = find_opt(w, o->name);
		int rc = 0;

		if (!d)
			return ncb_errf(e, -EINVAL,
					"--%s is not an option of workload %s",
					o->name, w->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->opts[j].name, o->name))
				return ncb_errf(e, -EINVAL, "--%s given twice",
						o->name);
		if (d->type == NCB_OPT_FLAG && strcmp(o->value, "0") &&
		    strcmp(o->value, "1"))
			return ncb_errf(e, -EINVAL, "--%s: a flag is 0 or 1, not '%s'",
					o->name, o->value);
		if (d->type == NCB_OPT_FLAG && !strcmp(o->value, "1")) {
			rc = push_arg(out, used, "--", o->name, NULL);
		} else if (d->type != NCB_OPT_FLAG) {
			char arg[SESSION_NAME + SESSION_TEXT + 2];

			snprintf(arg, sizeof(arg), "%s=%s", o->name, o->value);
			rc = push_arg(out, used, "--", arg, NULL);
		}
		if (rc < 0)
			return ncb_errf(e, rc, "case: too many options");
	}
	return 0;
}

int session_case_argv(const struct session_case *c, struct session_argv *out,
		      struct ncb_err *e)
{
	const struct wl_ops *w = wl_find(c->workload);
	char num[2][24];
	size_t used = 0;
	int rc;

	out->argc = 0;
	out->argv[0] = NULL;
	if (!w)
		return ncb_errf(e, -EINVAL, "unknown workload '%s'", c->workload);
	rc = wl_resolve(&w, case_value, (void *)c, e);
	if (rc < 0)
		return rc;
	if (!(w->flags & WL_F_PEER))
		return ncb_errf(e, -EINVAL, "workload %s does not run on two hosts",
				w->name);
	snprintf(num[0], sizeof(num[0]), "%zu", c->size);
	snprintf(num[1], sizeof(num[1]), "%u", c->threads);
	if (push_arg(out, &used, "run", NULL, NULL) < 0 ||
	    push_arg(out, &used, "--workload=", c->workload, NULL) < 0 ||
	    push_arg(out, &used, "--cipher=", c->cipher, NULL) < 0 ||
	    push_arg(out, &used, "--backend=", c->backend, NULL) < 0 ||
	    push_arg(out, &used, *c->imix ? "--imix=" : "--size=",
		     *c->imix ? c->imix : num[0], NULL) < 0 ||
	    push_arg(out, &used, "--threads=", num[1], NULL) < 0 ||
	    (c->is_verify && push_arg(out, &used, "--verify", NULL, NULL) < 0))
		return ncb_errf(e, -EINVAL, "case: too long");
	return push_opts(c, w, out, &used, e);
}

/* --- ready, rep -------------------------------------------------------- */

json_t *session_ready_json(unsigned workers, const struct pin_place *p)
{
	return json_pack("{s:s, s:i, s:o}", "type", "ready", "workers",
			 (int)workers, "placement", place_json(p, workers));
}

int session_ready_parse(const json_t *msg, unsigned *workers,
			struct pin_place *place, unsigned max,
			struct ncb_err *e)
{
	static const char *const keys[] = { "v", "type", "workers", "placement",
					    NULL };
	const json_t *w = json_object_get(msg, "workers");
	char why[NCB_ERR_LEN];
	unsigned n;
	int rc;

	if ((rc = check_keys(msg, "ready", keys, e)) < 0)
		return rc;
	if (!json_is_integer(w) || json_integer_value(w) < 1 ||
	    json_integer_value(w) > max)
		return ncb_errf(e, -EPROTO, "ready: workers is not in 1..%u", max);
	*workers = (unsigned)json_integer_value(w);
	rc = place_from_json(json_object_get(msg, "placement"), place, max, &n, e);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, rc, "ready: %s", why);
	}
	if (n != *workers)
		return ncb_errf(e, -EPROTO, "ready: %u workers but %u placed",
				*workers, n);
	return 0;
}

json_t *session_rep_json(double seconds, int is_warmup)
{
	return json_pack("{s:s, s:f, s:b}", "type", "rep", "seconds", seconds,
			 "warmup", is_warmup);
}

int session_rep_parse(const json_t *msg, double *seconds, int *is_warmup,
		      struct ncb_err *e)
{
	static const char *const keys[] = { "v", "type", "seconds", "warmup",
					    NULL };
	const json_t *s = json_object_get(msg, "seconds");
	const json_t *w = json_object_get(msg, "warmup");
	int rc;

	if ((rc = check_keys(msg, "rep", keys, e)) < 0)
		return rc;
	*seconds = json_number_value(s);
	if (!json_is_number(s) || !isfinite(*seconds) || *seconds <= 0 ||
	    *seconds > SESSION_SECONDS_MAX)
		return ncb_errf(e, -EPROTO, "rep: seconds is not in (0, %d]",
				SESSION_SECONDS_MAX);
	if (!json_is_boolean(w))
		return ncb_errf(e, -EPROTO, "rep: warmup is not a boolean");
	*is_warmup = json_is_true(w);
	return 0;
}

json_t *session_msg(const char *type)
{
	return json_pack("{s:s}", "type", type);
}
