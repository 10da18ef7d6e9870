/* The sender half of a bulk pair (flow_half.h): builds inner packets,
 * frames and seals a whole batch (timed) and hands it to the I/O engine;
 * at the end of a repetition it reports what it sent. With --sas each
 * packet takes the SA its table names and the pair's next sequence
 * number: every SA sees rising numbers with gaps, which its replay
 * window slides over, and the report's seq_hi stays the pair's one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sadb.h"
#include "io/cpustat.h"
#include "workloads/flow_half.h"

enum { PCT_SCALE = 100 };

/* Seeds the SA table of pair index pair: fixed, so a case draws the same
 * spread in every process. */
#define SA_SEED 0x5a5eed5a5eed0000ull

void flow_mailbox_post(struct flow_mailbox *m, const struct flow_report *r)
{
	atomic_store_explicit(&m->sent, r->sent, memory_order_relaxed);
	atomic_store_explicit(&m->seq_hi, r->seq_hi, memory_order_relaxed);
	atomic_store_explicit(&m->reps, r->reps, memory_order_release);
}

void flow_mailbox_take(const struct flow_mailbox *m, struct flow_report *r)
{
	/* The sender posts once per repetition and starts the next only
	 * after the receiver ended this one: reps first, then the rest. */
	r->reps = atomic_load_explicit(&m->reps, memory_order_acquire);
	r->sent = atomic_load_explicit(&m->sent, memory_order_relaxed);
	r->seq_hi = atomic_load_explicit(&m->seq_hi, memory_order_relaxed);
}

int flow_tx_prepare(struct flow_tx *t, const struct flow_half *h,
		    const struct framing_sa_desc *d, unsigned pair,
		    const int *fds, struct ncb_err *e)
{
	int rc = net_tx_new_flows(&t->tx, &h->cfg, fds, h->flows, e);

	t->h = h;
	if (rc < 0)
		return rc;
	rc = sadb_new(&t->db, h->f, d, h->n_sas, 0, h->c->is_interrupted, e);
	if (rc < 0)
		return rc;
	t->sa = sadb_at(t->db, 0);
	if (h->n_sas > 1) {
		rc = sadist_table(&h->dist, h->n_sas, SA_SEED ^ pair, &t->sa_tab,
				  &t->sa_len, e);
		if (rc < 0)
			return rc;
	}
	t->syscalls_prev = net_tx_syscalls(t->tx);
	t->pattern = inner_pattern_new(h->size_max);
	if (!t->pattern)
		return ncb_errf(e, -ENOMEM, "out of memory");
	t->seq = d->seq_first;
	t->cap = pair == 0 ? h->cap : NULL;
	t->rng = 0x9e3779b97f4a7c15ull ^ pair;
	return 0;
}

/* xorshift64*: a few cycles, no syscall, per-thread state. */
static unsigned rand_pct(struct flow_tx *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return (unsigned)((t->rng * 0x2545f4914f6cdd1dull) >> 33) % PCT_SCALE;
}

/* Sequence numbers of the next batch: --loss skips numbers, --reorder
 * swaps neighbours, as a lossy, reordering path would deliver them. */
static void next_seqs(struct flow_tx *t, unsigned n)
{
	const struct flow_half *h = t->h;

	for (unsigned i = 0; i < n; i++) {
		if (h->loss && rand_pct(t) < h->loss)
			t->seq++;
		t->seqs[i] = t->seq++;
	}
	for (unsigned i = 0; h->reorder && i + 1 < n; i++)
		if (rand_pct(t) < h->reorder) {
			uint64_t x = t->seqs[i];

			t->seqs[i] = t->seqs[i + 1];
			t->seqs[i + 1] = x;
			i++;
		}
}

/* The sizes of the next batch (the case's size, or its mix in order)
 * and its packets' lengths; the inner packets go where the framing puts
 * them. */
static void build(struct flow_tx *t, uint8_t *p, unsigned n)
{
	const struct wl_case *c = t->h->c;
	size_t off = framing_payload_off(t->sa);

	for (unsigned i = 0; i < n; i++) {
		size_t sz = c->size;

		if (c->mix) {
			sz = c->mix[t->mix_i];
			if (++t->mix_i == c->mix_len)
				t->mix_i = 0;
		}
		inner_build(t->h->kind, p + off, sz, t->seqs[i], t->pattern);
		t->ptrs[i] = p;
		t->psize[i] = sz;
		t->lens[i] = (uint32_t)framing_packet_len(t->sa, sz);
		p += t->lens[i];
	}
}

/* With --sas > 1: the SA of each packet of the next batch, from the
 * table in order, and the flow it goes on. */
static void pick_sas(struct flow_tx *t, unsigned n)
{
	unsigned flows = t->h->flows;

	for (unsigned i = 0; i < n; i++) {
		uint32_t k = t->sa_tab[t->sa_pos];

		if (++t->sa_pos == t->sa_len)
			t->sa_pos = 0;
		t->sai[i] = k;
		t->flow[i] = (uint16_t)(flows > 1 ? k % flows : 0);
	}
}

/* Frames and seals a built batch, each packet with its SA: one packet
 * per call with --burst 1, else runs of one SA through the framing's
 * bursts (crypto/sadb.h; one SA: every packet, as one framing call). */
static void seal(struct flow_tx *t, unsigned n)
{
	sadb_encap(t->db, t->sa_tab ? t->sai : NULL, t->ptrs, t->psize,
		   t->seqs, t->rcs, n, t->h->burst);
	for (unsigned i = 0; i < n; i++)
		if (t->rcs[i] < 0)
			t->is_failed = 1;
}

/* The batch to the engine: with --flows > 1 each packet on its SA's
 * socket. */
static int send_batch(struct flow_tx *t, unsigned n)
{
	if (t->h->flows > 1)
		return net_tx_send_flows(t->tx, t->lens, t->flow, n);
	return net_tx_send(t->tx, t->lens, n);
}

void flow_tx_run(struct flow_tx *t, const atomic_int *stop,
		 struct flow_mailbox *m)
{
	unsigned n = t->h->cfg.batch;
	uint64_t crypto = 0;
	struct net_tx_counts cnt;
	struct flow_report r;

	net_tx_watch(t->tx, stop);
	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		uint8_t *buf = net_tx_buf(t->tx);
		uint64_t t0;

		next_seqs(t, n);
		if (t->sa_tab)
			pick_sas(t, n);
		build(t, buf, n);
		t0 = cpustat_ticks();
		seal(t, n);
		crypto += cpustat_ticks() - t0;
		if (t->cap)
			capture_take(t->cap, t->ptrs, t->lens, n);
		if (send_batch(t, n) < 0) {
			t->is_failed = 1;
			break;
		}
	}
	net_tx_drain(t->tx, &cnt);
	t->sent = cnt.sent - t->prev.sent;
	t->failed = cnt.failed - t->prev.failed;
	t->prev = cnt;
	t->crypto = crypto;
	t->syscalls = net_tx_syscalls(t->tx) - t->syscalls_prev;
	t->syscalls_prev += t->syscalls;
	r = (struct flow_report){ .sent = t->sent, .seq_hi = t->seq,
				  .reps = ++t->reps };
	flow_mailbox_post(m, &r);
}

void flow_tx_release(struct flow_tx *t)
{
	net_tx_free(t->tx);
	sadb_free(t->db);
	free(t->sa_tab);
	free(t->pattern);
	t->tx = NULL;
	t->db = NULL;
	t->sa = NULL;
	t->sa_tab = NULL;
	t->pattern = NULL;
}
