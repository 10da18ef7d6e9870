/* Two hosts in one process: two threads, each one "host" (the run host
 * and the serve host) with its own case, CPUs and placement, run the
 * same workload for the same case, each only the ends placed on it. They
 * share nothing but text: the swap hook passes each object through an
 * in-memory queue as json_dumps text that the other side json_loads.
 * Every network pattern (flow/esp, stream, rr over UDP and TCP, wg,
 * macsec over UDP) runs forward, reverse and bidir, over IPv4 and IPv6:
 * set-up, a warm-up and three repetitions with packets and no errors,
 * both hosts summing the same figures. Then one host's channel fails in
 * a repetition: the other host's repetition fails within 5 s and both
 * tear down; a host given a wrong object (short key, port out of range,
 * a unit that is its own, a report out of step, counts of the wrong
 * shape) fails with -EPROTO naming it. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/opts.h"
#include "io/cpustat.h"
#include "io/hist.h"
#include "io/pin.h"
#include "tests/unit/helpers.h"
#include "workloads/peer.h"
#include "workloads/wl.h"

enum {
	QUEUE_MAX = 16,
	REPS = 4,    /* a warm-up and three repetitions */
	WORKERS_MAX = 8,
	FAIL_MS = 5000,
};

#define WARMUP_S 0.1
#define REP_S 0.15

/* One direction of the channel: texts of objects, each with its step. */
struct queue {
	char *text[QUEUE_MAX];
	char step[QUEUE_MAX][32];
	unsigned head, n;
};

/* The channel between the two hosts; closing it wakes both. */
struct link {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct queue q[2]; /* q[i]: to host i */
	int is_closed;
};

struct host {
	int id; /* 0: the run host, 1: the serve host */
	struct link *link;
	struct wl_peer peer;
	struct wl_case c;
	struct run_opts o;
	int cpus[WORKERS_MAX];
	struct pin_place place[WORKERS_MAX];
	unsigned swaps, fail_at; /* fail_at: the swap that closes the link */
	/* Its interrupt flag, raised before repetition interrupt_at (0:
	 * never) as bench's SIGINT handler would. */
	volatile sig_atomic_t interrupted;
	int interrupt_at;
	/* Changes the other host's object of step tamper_step, once. */
	const char *tamper_step;
	void (*tamper)(json_t *theirs);
	struct ncb_err err, run_err;
	struct wl_desc desc;
	int has_desc;
	/* Results. */
	int rc_setup, rc[REPS], n_reps, is_torn_down;
	double rep_ms[REPS];
	struct wl_counters cnt[REPS];
	uint64_t lat_total[REPS];
};

static struct pin_topo *topo;

/* Jansson's memory is wiped when freed: objects hold key material. */
static void *wipe_malloc(size_t n)
{
	return malloc(n);
}

static void wipe_free(void *p)
{
	if (p)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

static void text_free(char *t)
{
	if (t)
		explicit_bzero(t, strlen(t));
	free(t);
}

static void link_close(struct link *l)
{
	pthread_mutex_lock(&l->lock);
	l->is_closed = 1;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

static int push(struct link *l, int to, const char *step, char *text)
{
	struct queue *q = &l->q[to];
	unsigned at;
	int rc = 0;

	pthread_mutex_lock(&l->lock);
	if (l->is_closed || q->n == QUEUE_MAX) {
		rc = -EPIPE;
		text_free(text);
	} else {
		at = (q->head + q->n++) % QUEUE_MAX;
		q->text[at] = text;
		snprintf(q->step[at], sizeof(q->step[at]), "%s", step);
		pthread_cond_broadcast(&l->cond);
	}
	pthread_mutex_unlock(&l->lock);
	return rc;
}

/* The next text for host `me` within timeout_ms; -EPIPE once closed. */
static int pop(struct link *l, int me, int timeout_ms, char *step,
	       size_t len, char **text)
{
	struct queue *q = &l->q[me];
	struct timespec ts;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&l->lock);
	while (!l->is_closed && !q->n && rc == 0)
		if (pthread_cond_timedwait(&l->cond, &l->lock, &ts) == ETIMEDOUT)
			rc = -ETIMEDOUT;
	if (l->is_closed)
		rc = -EPIPE;
	if (rc == 0) {
		*text = q->text[q->head];
		snprintf(step, len, "%s", q->step[q->head]);
		q->head = (q->head + 1) % QUEUE_MAX;
		q->n--;
	}
	pthread_mutex_unlock(&l->lock);
	return rc;
}

/* The swap hook: only text crosses. */
static int swap(void *ctx, const char *step, json_t *mine, json_t **theirs,
		int timeout_ms, struct ncb_err *e)
{
	struct host *h = ctx;
	char *text = json_dumps(mine, JSON_COMPACT), got[32];
	int rc;

	json_decref(mine);
	if (!text)
		return ncb_errf(e, -ENOMEM, "cannot write %s", step);
	if (++h->swaps == h->fail_at) {
		text_free(text);
		link_close(h->link);
		return ncb_errf(e, -EPIPE, "the channel failed at %s", step);
	}
	rc = push(h->link, !h->id, step, text);
	if (rc == 0)
		rc = pop(h->link, h->id, timeout_ms, got, sizeof(got), &text);
	if (rc < 0)
		return ncb_errf(e, rc, "%s: the other host is gone", step);
	if (strcmp(got, step)) {
		text_free(text);
		return ncb_errf(e, -EPROTO, "step %s, the other host sent %s",
				step, got);
	}
	*theirs = json_loads(text, 0, NULL);
	text_free(text);
	if (*theirs && h->tamper_step && !strcmp(step, h->tamper_step)) {
		h->tamper(*theirs);
		h->tamper_step = NULL;
	}
	return *theirs ? 0 : ncb_errf(e, -EPROTO, "%s: not JSON", step);
}

static double ms_since(uint64_t t0)
{
	return (double)(cpustat_mono_ns() - t0) / 1e6;
}

static void *host_main(void *arg)
{
	struct host *h = arg;
	const struct wl_ops *w = h->c.ops;
	void *state = NULL;

	h->rc_setup = w->check(&h->c, h->o.wl_opts, &h->err);
	if (h->rc_setup == 0)
		h->rc_setup = w->setup(&h->c, h->o.wl_opts, &state, &h->err);
	for (int r = 0; h->rc_setup == 0 && r < REPS; r++) {
		uint64_t t0 = cpustat_mono_ns();

		memset(&h->cnt[r], 0, sizeof(h->cnt[r]));
		if (h->interrupt_at && r == h->interrupt_at)
			h->interrupted = 1;
		h->rc[r] = w->run_rep(state, r ? REP_S : WARMUP_S, &h->cnt[r]);
		h->rep_ms[r] = ms_since(t0);
		h->n_reps = r + 1;
		if (h->cnt[r].latency)
			h->lat_total[r] = h->cnt[r].latency->total;
		if (h->rc[r] < 0)
			break;
	}
	if (h->rc_setup == 0 && w->describe) {
		w->describe(state, &h->desc);
		h->has_desc = 1;
	}
	/* A host that failed closes its channel, as bench does. */
	if (h->rc_setup < 0 || (h->n_reps && h->rc[h->n_reps - 1] < 0))
		link_close(h->link);
	w->teardown(state);
	h->is_torn_down = 1;
	return NULL;
}

/* Splits args (spaces) into argv for opts_parse_run. */
static int parse(const char *args, struct run_opts *o, struct ncb_err *e)
{
	static char buf[512];
	char *argv[32], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "run %s", args);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	return opts_parse_run(argc, argv, o, e);
}

static void addr_of(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		return;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static int host_init(struct host *h, int id, struct link *l, const char *args,
		     enum wl_peer_mode mode, int family)
{
	unsigned pus = pin_pu_count(topo);
	int rc;

	memset(h, 0, sizeof(*h));
	h->id = id;
	h->link = l;
	rc = parse(args, &h->o, &h->err);
	if (rc < 0)
		return rc;
	h->peer = (struct wl_peer){ .is_server = id, .mode = mode,
				    .swap = swap, .ctx = h, .err = &h->run_err };
	addr_of(family, &h->peer.local);
	addr_of(family, &h->peer.remote);
	h->c = (struct wl_case){
		.ops = h->o.wl,
		.cipher = h->o.ciphers[0],
		.backend = h->o.backends[0],
		.size = h->o.sizes[0],
		.threads = h->o.threads[0],
		.cpus = h->cpus,
		.topo = topo,
		.placement = h->place,
		.is_verify = h->o.is_verify,
		.is_interrupted = &h->interrupted,
		.peer = &h->peer,
	};
	h->c.workers = h->c.threads * wl_peer_units(&h->peer);
	/* Each host's own placement: the two start on different PUs. */
	for (unsigned i = 0; i < h->c.workers && i < WORKERS_MAX; i++)
		h->cpus[i] = pin_pu_at(topo, (id + i) % pus);
	return 0;
}

static void link_init(struct link *l)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
}

static void link_fini(struct link *l)
{
	for (int i = 0; i < 2; i++)
		while (l->q[i].n) {
			text_free(l->q[i].text[l->q[i].head]);
			l->q[i].head = (l->q[i].head + 1) % QUEUE_MAX;
			l->q[i].n--;
		}
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
}

static const char *const mode_names[] = { "forward", "reverse", "bidir" };

/* Runs both hosts of one case to the end. */
static int run_pair(struct host h[2], struct link *l, const char *args,
		    enum wl_peer_mode mode, int family, const char *name)
{
	pthread_t t[2];

	link_init(l);
	for (int i = 0; i < 2; i++)
		if (host_init(&h[i], i, l, args, mode, family) < 0) {
			t_check(0, "%s: options '%s': %s", name, args, h[i].err.msg);
			link_fini(l);
			return -1;
		}
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, host_main, &h[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	link_fini(l);
	return 0;
}

/* Errors no correct run has; drops may come under load on UDP. */
static uint64_t errors_of(const struct wl_counters *c, const struct wl_ops *w)
{
	uint64_t n = c->auth_fail + c->replay + c->rejected + c->mismatch +
		     c->send_failed;

	/* rr's last reject counter is exchanges lost (counted as drops). */
	for (size_t i = 0; i + (w->pattern && !strcmp(w->pattern, "rr")) <
			   w->n_rejects;
	     i++)
		n += c->rejects[i];
	return n;
}

static void check_rep(const struct host h[2], int r, enum wl_peer_mode mode,
		      const char *name)
{
	const struct wl_counters *a = &h[0].cnt[r], *b = &h[1].cnt[r];

	for (int i = 0; i < 2; i++) {
		const struct wl_counters *c = &h[i].cnt[r];

		t_check(h[i].rc[r] == 0, "%s rep %d host %d: 0 (rc %d: %s)", name,
			r, i, h[i].rc[r], h[i].run_err.msg);
		t_check(c->packets > 0, "%s rep %d host %d: packets > 0", name,
			r, i);
		t_check(errors_of(c, h[i].c.ops) == 0,
			"%s rep %d host %d: no errors (auth %llu replay %llu rejected %llu mismatch %llu)",
			name, r, i, (unsigned long long)c->auth_fail,
			(unsigned long long)c->replay,
			(unsigned long long)c->rejected,
			(unsigned long long)c->mismatch);
		t_check(c->peer.is_set && c->peer.workers == h[!i].c.workers,
			"%s rep %d host %d: the other host's team counters", name,
			r, i);
		t_check(c->seconds > 0 && c->cpu_seconds > 0,
			"%s rep %d host %d: seconds and cpu", name, r, i);
	}
	t_check(a->packets == b->packets && a->bytes == b->bytes &&
			a->tx_packets == b->tx_packets && a->drops == b->drops &&
			a->late == b->late,
		"%s rep %d: both hosts sum the same (%llu, %llu packets)", name,
		r, (unsigned long long)a->packets,
		(unsigned long long)b->packets);
	/* One clock: the senders' host's span on both. */
	if (mode != WL_PEER_BIDIR)
		t_check(a->seconds == b->seconds,
			"%s rep %d: seconds are the senders' host's (%g, %g)",
			name, r, a->seconds, b->seconds);
	t_check(a->peer.cpu_seconds == b->cpu_seconds &&
			b->peer.cpu_seconds == a->cpu_seconds,
		"%s rep %d: each host's CPU is the other's peer CPU", name, r);
	if (a->latency || b->latency)
		t_check(a->latency && b->latency &&
				h[0].lat_total[r] == a->packets &&
				h[1].lat_total[r] == b->packets,
			"%s rep %d: both hosts have every client's latencies",
			name, r);
}

struct pcase {
	const char *name, *args;
};

static const struct pcase cases[] = {
	{ "esp", "-w esp --verify --cipher aes-128-gcm --backend openssl --size 512" },
	{ "stream", "-w stream --verify --cipher aes-128-gcm --backend openssl --size 4096" },
	{ "rr-udp", "-w rr --transport udp --verify --cipher aes-128-gcm --backend openssl --size 256" },
	{ "rr-tcp", "-w rr --transport tcp --verify --cipher aes-128-gcm --backend openssl --size 256" },
	{ "wg", "-w wg --verify --cipher chacha20-poly1305 --backend openssl --size 512" },
	{ "macsec", "-w macsec --verify --cipher aes-128-gcm --backend openssl --size 512" },
};

static void one_case(const struct pcase *pc, enum wl_peer_mode mode,
		     int family)
{
	static struct host h[2];
	struct link l;
	char name[96], args[256];

	snprintf(name, sizeof(name), "%s %s IPv%d", pc->name, mode_names[mode],
		 family);
	snprintf(args, sizeof(args), "%s --family %d", pc->args, family);
	if (run_pair(h, &l, args, mode, family, name) < 0)
		return;
	for (int i = 0; i < 2; i++)
		t_check(h[i].rc_setup == 0 && h[i].is_torn_down,
			"%s host %d: set up and torn down (%d: %s)", name, i,
			h[i].rc_setup, h[i].err.msg);
	if (h[0].rc_setup || h[1].rc_setup)
		return;
	t_check(h[0].n_reps == REPS && h[1].n_reps == REPS,
		"%s: %d repetitions on both", name, REPS);
	for (int r = 0; r < h[0].n_reps && r < h[1].n_reps; r++)
		check_rep(h, r, mode, name);
	/* describe() names the engines of the ends placed here only. */
	for (int i = 0; i < 2; i++) {
		int sends = mode == WL_PEER_BIDIR ||
			    (mode == WL_PEER_REVERSE) == (i == 1);
		int receives = mode == WL_PEER_BIDIR || !sends;
		int is_rr = !strcmp(h[i].c.ops->pattern, "rr");

		t_check(h[i].has_desc && !!h[i].desc.io_tx == (sends || is_rr) &&
				!!h[i].desc.io_rx == (receives || is_rr),
			"%s host %d: describes the engines of its own ends", name,
			i);
	}
	printf("%-24s %8llu packets, %s\n", name,
	       (unsigned long long)h[0].cnt[REPS - 1].packets,
	       h[0].desc.transport ? h[0].desc.transport : "?");
}

/* Host `failing` closes the channel at its swap number fail_at; the
 * other host's repetition then fails within FAIL_MS and both tear down. */
static void failure(const char *args, enum wl_peer_mode mode, int failing,
		    unsigned fail_at, const char *name)
{
	static struct host h[2];
	struct link l;
	pthread_t t[2];
	const struct host *o = &h[!failing];

	link_init(&l);
	for (int i = 0; i < 2; i++)
		if (host_init(&h[i], i, &l, args, mode, 4) < 0) {
			t_check(0, "%s: options", name);
			link_fini(&l);
			return;
		}
	h[failing].fail_at = fail_at;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, host_main, &h[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	link_fini(&l);
	t_check(h[0].rc_setup == 0 && h[1].rc_setup == 0, "%s: set up", name);
	t_check(o->n_reps > 0 && o->rc[o->n_reps - 1] < 0,
		"%s: the other host's repetition fails (rc %d: %s)", name,
		o->n_reps ? o->rc[o->n_reps - 1] : 0, o->run_err.msg);
	t_check(o->n_reps > 0 && o->rep_ms[o->n_reps - 1] < FAIL_MS,
		"%s: within %d ms (%.0f ms)", name, FAIL_MS,
		o->n_reps ? o->rep_ms[o->n_reps - 1] : 0.0);
	t_check(h[failing].n_reps > 0 && h[failing].rc[h[failing].n_reps - 1] < 0,
		"%s: the failing host's repetition fails too", name);
	t_check(h[0].is_torn_down && h[1].is_torn_down, "%s: both torn down",
		name);
	printf("%s: the other host's repetition %d failed in %.0f ms (%s)\n",
	       name, o->n_reps, o->n_reps ? o->rep_ms[o->n_reps - 1] : 0.0,
	       o->run_err.msg);
}

/* Host `who` is interrupted in a repetition: its repetition returns
 * -EINTR without a further step, the other host's fails once the channel
 * closes, both within FAIL_MS, and both tear down. */
static void interrupt(const char *args, enum wl_peer_mode mode, int who,
		      const char *name)
{
	static struct host h[2];
	struct link l;
	pthread_t t[2];
	const struct host *v = &h[who], *o = &h[!who];

	link_init(&l);
	for (int i = 0; i < 2; i++)
		if (host_init(&h[i], i, &l, args, mode, 4) < 0) {
			t_check(0, "%s: options", name);
			link_fini(&l);
			return;
		}
	h[who].interrupt_at = 2;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, host_main, &h[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	link_fini(&l);
	t_check(v->n_reps == 3 && v->rc[2] == -EINTR && v->rep_ms[2] < FAIL_MS,
		"%s: -EINTR in the interrupted repetition (%d, %.0f ms)", name,
		v->n_reps ? v->rc[v->n_reps - 1] : 0,
		v->n_reps ? v->rep_ms[v->n_reps - 1] : 0.0);
	t_check(o->n_reps == 3 && o->rc[2] < 0 && o->rep_ms[2] < FAIL_MS,
		"%s: the other host's repetition fails (%d, %.0f ms)", name,
		o->n_reps ? o->rc[o->n_reps - 1] : 0,
		o->n_reps ? o->rep_ms[o->n_reps - 1] : 0.0);
	t_check(h[0].is_torn_down && h[1].is_torn_down, "%s: both torn down",
		name);
	printf("%s: %.0f ms, the other host %.0f ms (%s)\n", name,
	       v->n_reps ? v->rep_ms[v->n_reps - 1] : 0.0,
	       o->n_reps ? o->rep_ms[o->n_reps - 1] : 0.0, o->run_err.msg);
}

/* Objects from a broken or hostile other host. */
static void short_key(json_t *o)
{
	json_array_set_new(json_object_get(o, "keys"), 0, json_string("abcd"));
}

static void port_too_high(json_t *o)
{
	json_object_set_new(json_array_get(json_object_get(o, "ports"), 0),
			    "port", json_integer(70000));
}

static void source_for_mine(json_t *o)
{
	json_t *v = json_object();

	json_object_set_new(v, "port", json_integer(1234));
	json_array_set_new(json_object_get(o, "sources"), 0, v);
}

static void reps_ahead(json_t *o)
{
	json_object_set_new(json_array_get(json_object_get(o, "reports"), 0),
			    "reps", json_integer(99));
}

static void ends_short(json_t *o)
{
	json_array_remove(json_object_get(o, "ends"), 0);
}

static void hist_off(json_t *o)
{
	json_t *lat = json_object_get(json_array_get(json_object_get(o, "ends"), 0),
				      "latency");

	json_object_set_new(lat, "total",
			    json_integer(json_integer_value(json_object_get(lat, "total")) + 1));
}

static void bad_idle(json_t *o)
{
	json_array_set_new(json_object_get(o, "idle"), 0, json_integer(1));
}

/* Host `who` gets a changed object at step: it fails with -EPROTO and a
 * line naming the step, and the other host's case ends soon after. */
static void hostile(const char *args, enum wl_peer_mode mode, int who,
		    const char *step, void (*tamper)(json_t *), const char *needle)
{
	static struct host h[2];
	struct link l;
	pthread_t t[2];
	const struct host *v = &h[who], *o = &h[!who];
	uint64_t t0 = cpustat_mono_ns();
	int rc;

	link_init(&l);
	for (int i = 0; i < 2; i++)
		if (host_init(&h[i], i, &l, args, mode, 4) < 0) {
			t_check(0, "hostile %s: options", step);
			link_fini(&l);
			return;
		}
	h[who].tamper_step = step;
	h[who].tamper = tamper;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, host_main, &h[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	link_fini(&l);
	rc = v->rc_setup ? v->rc_setup : v->n_reps ? v->rc[v->n_reps - 1] : 0;
	t_check(rc == -EPROTO &&
			strstr(v->rc_setup ? v->err.msg : v->run_err.msg, needle),
		"hostile %s: -EPROTO naming '%s' (rc %d: '%s%s')", step, needle,
		rc, v->err.msg, v->run_err.msg);
	t_check(o->rc_setup < 0 || (o->n_reps && o->rc[o->n_reps - 1] < 0),
		"hostile %s: the other host's case fails too", step);
	t_check(h[0].is_torn_down && h[1].is_torn_down &&
			ms_since(t0) < FAIL_MS + 2000,
		"hostile %s: both torn down in time (%.0f ms)", step, ms_since(t0));
	printf("hostile %-8s %s%s\n", step, v->err.msg, v->run_err.msg);
}

/* Every traffic pattern's workload runs on two hosts, the cipher
 * workload does not; a framing's own link is refused with a peer. */
static void registry(void)
{
	static struct host h;
	struct link l;

	for (size_t i = 0; i < wl_count(); i++) {
		const struct wl_ops *w = wl_at(i);

		t_check(!(w->flags & WL_F_PEER) == !w->pattern,
			"%s: two hosts iff a traffic pattern", w->name);
	}
	link_init(&l);
	if (host_init(&h, 0, &l, "-w macsec --transport raw --cipher aes-128-gcm --backend openssl",
		      WL_PEER_FORWARD, 4) == 0)
		t_check(h.c.ops->check(&h.c, h.o.wl_opts, &h.err) == -EINVAL &&
				strstr(h.err.msg, "needs --dev IFACE"),
			"macsec raw with a peer and no --dev: refused ('%s')", h.err.msg);
	link_fini(&l);
}

int main(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
	if (pin_topo_load(&topo) < 0) {
		fprintf(stderr, "cannot load the topology\n");
		return 1;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++)
		for (int m = WL_PEER_FORWARD; m <= WL_PEER_BIDIR; m++)
			for (int fam = 4; fam <= 6; fam += 2)
				one_case(&cases[i], (enum wl_peer_mode)m, fam);
	/* Set-up swaps keys, ports and sources; each repetition of esp
	 * swaps reports and counts: swap 6 is the second repetition's
	 * reports, 7 its counts. rr over TCP swaps idle flags too. */
	failure(cases[0].args, WL_PEER_FORWARD, 1, 6,
		"esp: the serve host's channel fails at reports");
	failure(cases[1].args, WL_PEER_BIDIR, 0, 7,
		"stream bidir: the run host's channel fails at counts");
	failure(cases[3].args, WL_PEER_REVERSE, 1, 6,
		"rr-tcp reverse: the serve host's channel fails at idle");
	interrupt(cases[0].args, WL_PEER_FORWARD, 1,
		  "esp: the serve host is interrupted");
	interrupt(cases[3].args, WL_PEER_BIDIR, 0,
		  "rr-tcp bidir: the run host is interrupted");
	hostile(cases[0].args, WL_PEER_FORWARD, 1, "keys", short_key, "keys[0]");
	hostile(cases[0].args, WL_PEER_FORWARD, 0, "ports", port_too_high,
		"port must be an integer 0..65535");
	hostile(cases[1].args, WL_PEER_FORWARD, 0, "sources", source_for_mine,
		"sources[0] must be null");
	hostile(cases[0].args, WL_PEER_FORWARD, 1, "reports", reps_ahead,
		"ended repetition 99");
	hostile(cases[4].args, WL_PEER_REVERSE, 0, "counts", ends_short,
		"an array of 1 entries");
	hostile(cases[2].args, WL_PEER_REVERSE, 0, "counts", hist_off,
		"add up to its total");
	hostile(cases[3].args, WL_PEER_FORWARD, 1, "idle", bad_idle,
		"idle[0] must be true or false");
	registry();
	pin_topo_free(topo);
	return t_done("test_peer");
}
