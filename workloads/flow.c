/* The coordinator of bulk pairs (flow.h): builds the pairs (pair.h),
 * runs each pair's sender half and receiver half (flow_half.h) on pinned
 * threads of a team, carries the sender's end-of-repetition report to
 * its receiver, and sums what the halves counted. The `flow` pattern is
 * defined at the end. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/framing.h"
#include "crypto/sadb.h"
#include "workloads/flow.h"
#include "workloads/flow_half.h"
#include "workloads/flow_impl.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/peer.h"
#include "workloads/safile.h"
#include "workloads/team.h"

static int flow_check(const struct wl_case *c, const void *opts, struct ncb_err *e)
{
	const struct pattern_opts *o = opts;
	int rc;

	if (o->reorder > 100 || o->loss > 99)
		return ncb_errf(e, -EINVAL,
				"--reorder must be 0..100 and --loss 0..99 percent");
	rc = pattern_check(c, o, e);
	if (rc == 0)
		rc = safile_check_path(c, o, 1, e);
	return rc ? rc : capture_check(c, o, e);
}

/* The ends here prepare one at a time (set-up only): what an SA
 * database holds is the allocator's count before and after its making
 * (crypto/sadb.h), which another end making its buffers or SA table at
 * the same time would add to. */
static pthread_mutex_t prepare_lock = PTHREAD_MUTEX_INITIALIZER;

/* Both halves of a unit use direction 0: the sender seals with its SAs,
 * the receiver opens with them. Each takes its sockets. */
static int end_prepare(void *arg, struct ncb_err *e)
{
	struct end *w = arg;
	struct flow *f = w->f;
	const struct framing_sa_desc *d = pairs_desc(&f->pairs, w->slot, 0);
	int fds[NET_FLOWS_MAX];
	int rc;

	pairs_take_fds(&f->pairs, 2 * w->slot + (unsigned)w->is_rx, fds);
	pthread_mutex_lock(&prepare_lock);
	if (w->is_rx)
		rc = flow_rx_prepare(&f->rx[w->slot], &f->h, d, fds, e);
	else
		rc = flow_tx_prepare(&f->tx[w->slot], &f->h, d, w->slot, fds, e);
	pthread_mutex_unlock(&prepare_lock);
	return rc;
}

static void end_run(void *arg, const atomic_int *stop)
{
	struct end *w = arg;
	struct flow *f = w->f;

	if (w->is_rx)
		flow_rx_run(&f->rx[w->slot], stop, &f->mail[w->slot]);
	else
		flow_tx_run(&f->tx[w->slot], stop, &f->mail[w->slot]);
}

static void end_release(void *arg)
{
	struct end *w = arg;

	if (w->is_rx)
		flow_rx_release(&w->f->rx[w->slot]);
	else
		flow_tx_release(&w->f->tx[w->slot]);
}

/* Receivers read on until their senders' last sends are through. */
static int end_is_drainer(const void *arg)
{
	return ((const struct end *)arg)->is_rx;
}

static const struct team_hooks hooks = {
	.prepare = end_prepare,
	.run = end_run,
	.release = end_release,
	.is_drainer = end_is_drainer,
	.is_receiver = end_is_drainer,
};

static void flow_teardown(void *state)
{
	struct flow *f = state;

	if (!f)
		return;
	pairs_close(&f->pairs);
	free(f->ends);
	free(f->tx);
	free(f->rx);
	free(f->mail);
	free(f);
}

/* MemAvailable of /proc/meminfo in bytes, or 0 when it cannot be read. */
static double mem_available(void)
{
	FILE *fp = fopen("/proc/meminfo", "r");
	unsigned long long kb = 0;
	char line[128];

	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (fp)
		fclose(fp);
	return (double)kb * 1024;
}

/* The probe of sas_fit: a database of a few of pair 0's SAs, made and
 * freed on a thread of its own. */
struct probe {
	const struct pairs *p;
	unsigned n;
	struct sadb_stats st;
	struct ncb_err err;
	int rc;
};

enum {
	PROBE_SAS = 64,            /* SAs of the probe database */
	PROBE_STACK = 1024 * 1024, /* its thread's stack */
};

static void *probe_main(void *arg)
{
	struct probe *pr = arg;
	struct sadb *db = NULL;

	pr->rc = sadb_new(&db, pr->p->f, pairs_desc(pr->p, 0, 0), pr->n, 1,
			  NULL, &pr->err);
	if (pr->rc == 0)
		sadb_stats(db, &pr->st);
	sadb_free(db);
	return NULL;
}

/* What one SA costs: the probe on a thread whose stack is cleared whole
 * afterwards, since making an SA leaves key bytes in library frames (on
 * libsodium deeper than aead_wipe_stack reaches) and a stack of the
 * process's own threads outlives the case. 0 or a negative errno. */
static int probe_sas(const struct pairs *p, struct sadb_stats *st,
		     struct ncb_err *e)
{
	struct probe pr = { .p = p, .n = PROBE_SAS };
	void *stack = aligned_alloc(4096, PROBE_STACK);
	pthread_attr_t attr;
	pthread_t th;
	int rc = stack ? pthread_attr_init(&attr) : ENOMEM;

	if (rc == 0) {
		rc = pthread_attr_setstack(&attr, stack, PROBE_STACK);
		if (rc == 0)
			rc = pthread_create(&th, &attr, probe_main, &pr);
		if (rc == 0)
			pthread_join(th, NULL);
		pthread_attr_destroy(&attr);
	}
	if (stack) {
		explicit_bzero(stack, PROBE_STACK);
		free(stack);
	}
	if (rc)
		return ncb_errf(e, -rc, "cannot start a thread to size the SAs");
	*st = pr.st;
	if (pr.rc < 0)
		*e = pr.err;
	return pr.rc;
}

/* --sas: the SA databases of every end here must fit in the memory the
 * host has available (an SA's key schedules cost from about one to more
 * than ten KiB, by backend): a probe database of a few of pair 0's SAs
 * says what one costs, and a set that would not fit is refused in one
 * line rather than left to swap or to the OOM killer. */
static int sas_fit(struct flow *f, struct ncb_err *e)
{
	const struct pairs *p = &f->pairs;
	struct sadb_stats st;
	unsigned ends = 0;
	double need, avail;
	int rc;

	if (p->n_sas <= PROBE_SAS)
		return 0;
	rc = probe_sas(p, &st, e);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < 2 * p->n_slots; i++)
		ends += pairs_is_here(p, i) != 0;
	need = (double)st.bytes / PROBE_SAS * p->n_sas * ends;
	avail = mem_available();
	if (avail > 0 && need > 0.8 * avail)
		return ncb_errf(e, -ENOMEM,
				"--sas %u: the SAs of %u ends would take about %.1f GiB (%.0f bytes each on %s), more than 80%% of the %.1f GiB available",
				p->n_sas, ends, need / (1 << 30),
				(double)st.bytes / PROBE_SAS, f->c->backend,
				avail / (1 << 30));
	return 0;
}

static int flow_setup(const struct wl_case *c, const void *opts, void **state,
	       struct ncb_err *e)
{
	struct flow *f = calloc(1, sizeof(*f));
	unsigned slots;
	int rc;

	*state = NULL;
	if (!f)
		return ncb_errf(e, -ENOMEM, "out of memory");
	f->c = c;
	f->peer = c->peer;
	memcpy(&f->o, opts, sizeof(f->o));
	pairs_init(&f->pairs, c, &f->o, 1);
	slots = f->pairs.n_slots;
	f->ends = calloc(2 * slots, sizeof(*f->ends));
	f->tx = calloc(slots, sizeof(*f->tx));
	f->rx = calloc(slots, sizeof(*f->rx));
	f->mail = calloc(slots, sizeof(*f->mail));
	rc = f->ends && f->tx && f->rx && f->mail
		     ? pairs_open(&f->pairs, e)
		     : ncb_errf(e, -ENOMEM, "out of memory");
	/* The sockets settled the offloads: both halves are told. */
	f->h = (struct flow_half){ .c = c, .f = f->pairs.f,
				   .cfg = f->pairs.cfg, .kind = f->pairs.kind,
				   .reorder = f->o.reorder, .loss = f->o.loss,
				   .burst = pattern_burst(&f->o),
				   .size_max = pattern_size_max(c),
				   .n_sas = f->pairs.n_sas,
				   .flows = f->pairs.flows,
				   .dist = { (enum sadist_kind)f->o.net.sa_dist,
					     f->o.net.sa_zipf_milli },
				   .cap = f->pairs.cap };
	for (unsigned i = 0; rc == 0 && i < 2 * slots; i++)
		f->ends[i] = (struct end){ .f = f, .slot = i / 2,
					   .is_rx = (int)(i % 2) };
	if (rc == 0)
		rc = sas_fit(f, e);
	if (rc == 0)
		rc = pairs_start(&f->pairs, &hooks, f->ends, sizeof(*f->ends), e);
	if (rc < 0) {
		flow_teardown(f);
		return rc;
	}
	*state = f;
	return 0;
}

/* A stream comes from the peer only: every refusal is the peer's
 * packet, so an auth failure or a malformed record is the peer's. */
static void count_stream(const struct flow *f, const struct flow_rx *rx,
			 struct wl_counters *out)
{
	const struct framing_verdict *vd = f->h.f->verdicts;

	for (unsigned v = 1; v < f->h.f->n_verdicts; v++) {
		uint64_t n = rx->rejects[v];

		if (vd[v].cls == VERDICT_AUTH)
			out->auth_fail += n;
		else if (vd[v].cls == VERDICT_REPLAY)
			out->replay += n;
		else if (vd[v].cls == VERDICT_BROKEN)
			out->mismatch += n;
	}
}

/* Datagrams may come from anyone. A refusal before authentication is
 * rejected (or replay, by the window), whoever sent it; a failed tag
 * check is an auth failure when the packet claimed a number the pair's
 * sender used (rx->own_icv), else rejected; wrong after authentication
 * is a mismatch. Drops are the sender's packets not accepted: only
 * authentic packets are, so strangers' rejects cannot offset them. */
static void count_datagrams(const struct flow *f, const struct flow_tx *tx,
			    const struct flow_rx *rx, struct wl_counters *out)
{
	const struct framing_verdict *vd = f->h.f->verdicts;
	uint64_t at_tag = 0;

	for (unsigned v = 1; v < f->h.f->n_verdicts; v++) {
		uint64_t n = rx->rejects[v];

		if (vd[v].stage == VERDICT_AFTER_AUTH)
			out->mismatch += n;
		else if (vd[v].stage == VERDICT_AT_TAG)
			at_tag += n;
		else if (vd[v].cls == VERDICT_REPLAY)
			out->replay += n;
		else
			out->rejected += n;
	}
	/* own_icv <= at_tag: both count the same packets. */
	out->auth_fail += rx->own_icv;
	out->rejected += at_tag - rx->own_icv;
	/* The receiver drained what its sender sent before it ended the
	 * repetition; a packet held up longer arrives in the next one,
	 * which counts it as late (by its sequence number), not as its
	 * own: each packet counts once, and a drop count never goes
	 * negative. */
	out->drops += tx->sent > rx->packets ? tx->sent - rx->packets : 0;
	out->drops_kernel += rx->kdrops;
}

/* Sums what both halves of every unit counted (on two hosts, one half
 * of each is the other host's mirror). crypto_ticks are this host's
 * only: the other host's TSC ticks at another rate. */
static int flow_sum(const struct flow *f, struct wl_counters *out)
{
	const struct framing_ops *fr = f->h.f;
	int rc = 0;

	for (unsigned s = 0; s < f->pairs.n_slots; s++) {
		const struct flow_tx *tx = &f->tx[s];
		const struct flow_rx *rx = &f->rx[s];

		if (tx->is_failed || rx->is_failed)
			rc = -EIO;
		out->packets += rx->packets;
		out->bytes += rx->bytes;
		out->wire_bytes += rx->wire;
		out->tx_packets += tx->sent;
		out->send_failed += tx->failed;
		out->crypto_ticks += tx->crypto + rx->crypto;
		out->syscalls_tx += tx->syscalls;
		out->syscalls_rx += rx->syscalls;
		out->mismatch += rx->mismatch;
		out->late += rx->late;
		for (unsigned v = 1; v < fr->n_verdicts; v++)
			out->rejects[v - 1] += rx->rejects[v];
		if (f->h.cfg.is_stream)
			count_stream(f, rx, out);
		else
			count_datagrams(f, tx, rx, out);
	}
	return rc;
}

/* On two hosts an interrupt or a failed step ends the repetition at
 * once: no further step, the other host learns of it when the control
 * channel closes. */
static int flow_run_rep(void *state, double seconds, struct wl_counters *out)
{
	struct flow *f = state;
	int rc, sum;

	f->reps++;
	if (!f->peer) {
		rc = team_rep(f->pairs.team, seconds, out);
	} else {
		rc = team_rep_sync(f->pairs.team, seconds, flow_peer_sync, f,
				   out);
		if (rc == 0)
			rc = flow_peer_counts(f, out);
		if (rc < 0)
			return rc;
	}
	sum = flow_sum(f, out);
	return rc ? rc : sum;
}

/* The SAs of a datagram case: their count and spread, and what the
 * database of the first receiver here (else of the first sender here)
 * cost to make. A stream has one SA and no spread. */
static void describe_sas(struct flow *f, const struct sadb *db,
			 struct wl_desc *d)
{
	struct sadb_stats st;

	if (f->h.cfg.is_stream || !db)
		return;
	sadb_stats(db, &st);
	d->sa.count = f->h.n_sas;
	sadist_name(&f->h.dist, d->sa.dist, sizeof(d->sa.dist));
	d->sa.bytes_per_sa = st.count ? (double)st.bytes / st.count : 0;
	d->sa.create_per_s = st.create_s > 0 ? st.count / st.create_s : 0;
}

/* The engines of the first sender and the first receiver here. */
static void flow_describe(void *state, struct wl_desc *d)
{
	struct flow *f = state;
	const struct net_tx *tx = NULL;
	const struct net_rx *rx = NULL;
	const struct sadb *tx_db = NULL, *rx_db = NULL;

	for (unsigned s = 0; s < f->pairs.n_slots; s++) {
		if (!tx && pairs_is_here(&f->pairs, 2 * s)) {
			tx = f->tx[s].tx;
			tx_db = f->tx[s].db;
		}
		if (!rx && pairs_is_here(&f->pairs, 2 * s + 1)) {
			rx = f->rx[s].rx;
			rx_db = f->rx[s].db;
		}
	}
	pairs_describe(&f->pairs, tx, rx, d);
	describe_sas(f, rx_db ? rx_db : tx_db, d);
}

const struct wl_ops flow_bulk = {
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX | WL_F_PEER | WL_F_CAPTURE,
	.check = flow_check,
	.describe = flow_describe,
	.setup = flow_setup,
	.run_rep = flow_run_rep,
	.teardown = flow_teardown,
};

/* What a lossy, reordering path would do to the packets. */
#define OPT(n, t, f, d, h) { n, t, offsetof(struct pattern_opts, f), d, h, NULL }
static const struct ncb_opt flow_opts[] = {
	OPT("reorder", NCB_OPT_UINT, reorder, "0",
	    "percent of packets swapped with the next one"),
	OPT("loss", NCB_OPT_UINT, loss, "0",
	    "percent of sequence numbers the sender skips"),
};
#undef OPT

const struct pattern_ops flow_pattern = {
	.name = "flow",
	.summary = "datagram bulk with any datagram framing (--framing): sender seals, receiver checks and opens",
	.kind = FRAMING_F_DATAGRAM,
	.opts = flow_opts,
	.opts_count = NCB_ARRAY_SIZE(flow_opts),
	.wl = &flow_bulk,
};
