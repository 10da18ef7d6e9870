/* One connection to `ncbench serve` (serve_case.h). The case the run
 * host sends is rebuilt into a `run` command line of the case's axes and
 * its workload's own options only, and goes through the same parser and
 * checks as on the run host: nothing else of the message reaches the
 * workload. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/env.h"
#include "bench/opts.h"
#include "bench/serve_case.h"
#include "bench/serve_watch.h"
#include "bench/session.h"
#include "crypto/aead.h"
#include "io/ctl.h"
#include "io/pin.h"
#include "workloads/peer.h"
#include "workloads/wl.h"

enum {
	WORKERS_MAX = 2 * OPTS_THREADS_MAX,
	LINE_MAX_LEN = 512,
};

/* One line on stderr in one write: the parent and other connections'
 * processes write there too. */
static NCB_PRINTF(2, 3) void say(const char *peer, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;
	int n = snprintf(line, sizeof(line), "serve: %s: ", peer);

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	ncb_clean(line);
	n = (int)strlen(line);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

/* What a session works with once its case is accepted. */
struct served {
	struct session *s;
	struct session_case sc;
	struct session_argv args; /* o's strings point into it */
	struct run_opts o;
	struct wl_peer peer;
	int cpus[WORKERS_MAX];
	struct pin_place place[WORKERS_MAX];
	unsigned workers;
	int is_refused;  /* the run host heard why already */
	struct serve_watch watch;
	char label[160]; /* "esp aes-128-gcm/openssl 1420 forward" */
};

/* The run host's hello, within SESSION_HELLO_MS of the handshake. */
static int read_hello(struct session *s, struct ncb_err *e)
{
	static struct session_hello h;
	json_t *msg;
	int rc = session_recv(s, "hello", SESSION_HELLO_MS, &msg, e);

	if (rc == -ETIMEDOUT)
		return ncb_errf(e, rc, "no hello within %d s",
				SESSION_HELLO_MS / 1000);
	if (rc < 0)
		return rc;
	rc = session_hello_parse(msg, &h, e);
	json_decref(msg);
	return rc;
}

/* Takes the one session slot, or answers busy. */
static int claim(struct session *s, const struct serve_cfg *cfg,
		 struct ncb_err *e)
{
	pid_t none = 0;

	if (atomic_compare_exchange_strong(cfg->slot, &none, getpid()))
		return 0;
	(void)!session_send(s, session_msg("busy"), e);
	return ncb_errf(e, -EBUSY, "busy (another test is running)");
}

/* Frees the slot once this host's side is torn down, before the run
 * host hears "bye": its next case process may connect at once. (The
 * parent frees it too, for a process that dies holding it.) */
static void release(const struct serve_cfg *cfg)
{
	pid_t me = getpid();

	atomic_compare_exchange_strong(cfg->slot, &me, 0);
}

/* The case's command line through `run`'s parser, one of each axis, the
 * cipher offered here, workers this host can place, the workload's own
 * check as this host's side of the case. */
static int rebuild(struct served *v, const struct serve_cfg *cfg,
		   struct ncb_err *e)
{
	struct run_opts *o = &v->o;
	int rc = session_case_argv(&v->sc, &v->args, e);

	if (rc < 0)
		return rc;
	rc = opts_parse_run(v->args.argc, v->args.argv, o, e);
	if (rc != 0)
		return rc < 0 ? rc : ncb_errf(e, -EINVAL, "not a case");
	if (!(o->wl->flags & WL_F_PEER) || o->n_ciphers != 1 ||
	    o->n_backends != 1 || !strcmp(o->backends[0], "all") ||
	    o->n_sizes != 1 || o->n_threads != 1)
		return ncb_errf(e, -EINVAL, "not one case of a two-host workload");
	if (!aead_key_len(o->ciphers[0]) ||
	    aead_probe(o->ciphers[0], o->backends[0]) < 0)
		return ncb_errf(e, -EINVAL, "backend %s does not offer %s here",
				o->backends[0], o->ciphers[0]);
	o->peer_mode = v->sc.mode;
	/* The workload's check sees the case as it will run here. */
	rc = session_wl_peer(v->s, &v->peer, 1, v->sc.mode, cfg->dev, e);
	if (rc < 0)
		return rc;
	v->workers = o->threads[0] * wl_peer_units(&v->peer);
	if (!cfg->n_cpus && v->workers > pin_pu_count(cfg->topo))
		return ncb_errf(e, -EINVAL, "%u workers but this host has %u PUs",
				v->workers, pin_pu_count(cfg->topo));
	struct wl_case c = {
		.ops = o->wl,
		.cipher = o->ciphers[0],
		.backend = o->backends[0],
		.size = o->sizes[0],
		.mix = o->mix,
		.mix_len = o->mix_len,
		.threads = o->threads[0],
		.workers = v->workers,
		.is_verify = o->is_verify,
		.peer = &v->peer,
	};
	return o->wl->check ? o->wl->check(&c, o->wl_opts, e) : 0;
}

/* case -> accept, or refuse with why. */
static int take_case(struct served *v, const struct serve_cfg *cfg,
		     struct ncb_err *e)
{
	json_t *msg;
	int rc = session_recv(v->s, "case", CTL_READ_MS, &msg, e);

	if (rc < 0)
		return rc;
	rc = session_case_parse(msg, &v->sc, e);
	json_decref(msg);
	if (rc < 0)
		return rc;
	if (*v->sc.imix)
		snprintf(v->label, sizeof(v->label), "%s %s/%s imix %s %s",
			 v->sc.workload, v->sc.cipher, v->sc.backend,
			 v->sc.imix, opts_peer_mode_name(v->sc.mode));
	else
		snprintf(v->label, sizeof(v->label), "%s %s/%s %zu %s",
			 v->sc.workload, v->sc.cipher, v->sc.backend,
			 v->sc.size, opts_peer_mode_name(v->sc.mode));
	rc = rebuild(v, cfg, e);
	if (rc < 0) {
		struct ncb_err ignored;

		(void)!session_send(v->s, json_pack("{s:s, s:s}", "type", "refuse",
						    "message", e->msg), &ignored);
		v->is_refused = 1;
		return rc;
	}
	return session_send(v->s, session_msg("accept"), e);
}

/* Repetitions until "end": each "rep" runs one (the swaps inside carry
 * what the run host counts). Returns the timed repetitions run, or a
 * negative errno with e. */
static int serve_reps(struct served *v, void *state,
		      const struct serve_cfg *cfg, struct ncb_err *e)
{
	struct wl_counters cnt;
	int reps = 0;

	for (;;) {
		double seconds;
		int is_warmup, rc;
		json_t *msg;

		rc = session_recv(v->s, NULL, SESSION_REP_WAIT_MS, &msg, e);
		if (rc < 0)
			return rc;
		if (!strcmp(ctl_type(msg), "end")) {
			json_decref(msg);
			return reps;
		}
		rc = session_rep_parse(msg, &seconds, &is_warmup, e);
		json_decref(msg);
		if (rc < 0)
			return rc;
		memset(&cnt, 0, sizeof(cnt));
		rc = v->o.wl->run_rep(state, seconds, &cnt);
		/* The run host hung up: its last word if it said one
		 * ("peer: interrupted"), else that it left. */
		if (rc == -EINTR && v->watch.is_gone)
			return session_pending(v->s, e) == -EPIPE
				       ? -EPIPE
				       : ncb_errf(e, -EPIPE, "the run host left mid-repetition");
		if (rc == -EINTR && *cfg->is_stopping)
			return ncb_errf(e, rc, "the server is stopping");
		if (rc < 0 && *session_error(v->s))
			return ncb_errf(e, rc, "%s", session_error(v->s));
		if (rc < 0)
			return ncb_errf(e, rc, "repetition failed");
		reps += !is_warmup;
	}
}

/* Set-up with the run host, ready, repetitions, teardown, bye. */
static int serve_session(struct served *v, const struct serve_cfg *cfg,
			 struct ncb_err *e)
{
	void *state;
	int rc, reps;

	for (unsigned i = 0; cfg->n_cpus && i < v->workers; i++)
		v->cpus[i] = cfg->cpus[i % cfg->n_cpus];
	if (!cfg->n_cpus)
		pin_choose(cfg->topo, v->workers, v->cpus);
	struct wl_case c = {
		.ops = v->o.wl,
		.cipher = v->o.ciphers[0],
		.backend = v->o.backends[0],
		.size = v->o.sizes[0],
		.mix = v->o.mix,
		.mix_len = v->o.mix_len,
		.threads = v->o.threads[0],
		.workers = v->workers,
		.cpus = v->cpus,
		.topo = cfg->topo,
		.placement = v->place,
		.is_interrupted = &v->watch.halt,
		.is_verify = v->o.is_verify,
		.peer = &v->peer,
	};
	rc = serve_watch_start(&v->watch, session_fd(v->s), cfg->is_stopping, e);
	if (rc == 0)
		rc = v->o.wl->setup(&c, v->o.wl_opts, &state, e);
	if (rc < 0) {
		serve_watch_stop(&v->watch);
		return rc;
	}
	rc = session_send(v->s, session_ready_json(v->workers, v->place), e);
	reps = rc < 0 ? rc : serve_reps(v, state, cfg, e);
	if (reps < 0)
		/* The run host hears why before this host tears down, so
		 * its waiting swap ends now. */
		session_fail(v->s, e->msg);
	v->o.wl->teardown(state);
	serve_watch_stop(&v->watch);
	release(cfg);
	if (reps >= 0)
		rc = session_send(v->s, session_msg("bye"), e);
	return reps < 0 ? reps : rc < 0 ? rc : reps;
}

int serve_case_run(int fd, const char *peer, const struct serve_cfg *cfg)
{
	static struct served v;
	static struct env_host host;
	struct ncb_err e = { "" };
	struct ctl *c;
	int rc;

	memset(&v, 0, sizeof(v));
	rc = ctl_server(&c, fd, cfg->psk, &e);
	if (rc < 0) {
		say(peer, "%s", e.msg);
		return SERVE_CASE_REFUSED;
	}
	ctl_set_interrupt(c, cfg->is_stopping);
	if (session_new(&v.s, c) < 0) {
		say(peer, "out of memory");
		return SERVE_CASE_REFUSED;
	}
	rc = read_hello(v.s, &e);
	if (rc == 0)
		rc = claim(v.s, cfg, &e);
	if (rc < 0) {
		if (rc != -EBUSY)
			session_fail(v.s, e.msg);
		session_free(v.s);
		say(peer, "%s", e.msg);
		return rc == -EBUSY ? SERVE_CASE_BUSY : SERVE_CASE_REFUSED;
	}
	/* Read now: the fingerprint of this host as the case finds it. */
	env_host_read(&host, cfg->topo);
	rc = session_send(v.s, session_hello_json(&host), &e);
	if (rc == 0)
		rc = take_case(&v, cfg, &e);
	if (rc == 0)
		rc = serve_session(&v, cfg, &e);
	if (rc < 0 && !v.is_refused)
		session_fail(v.s, e.msg);
	session_free(v.s);
	release(cfg);
	if (rc < 0 && !*v.label)
		say(peer, "failed: %s", e.msg);
	else if (v.is_refused)
		say(peer, "%s: refused: %s", v.label, e.msg);
	else if (rc < 0)
		say(peer, "%s: failed: %s", v.label, e.msg);
	else
		say(peer, "%s: ok, %d repetition%s", v.label, rc, rc == 1 ? "" : "s");
	return rc < 0 ? SERVE_CASE_FAILED : SERVE_CASE_OK;
}
