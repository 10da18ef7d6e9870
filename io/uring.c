/* Everything that touches liburing: the probe of what the running kernel
 * offers (for the environment fingerprint), and the io_uring engine of
 * io/net.h.
 *
 * Probe: a throw-away ring is created to read the kernel's feature bits and
 * opcode table, and once per setup flag of interest.
 *
 * Engine. Sender: TX_SLOTS batch buffers registered as fixed buffers,
 * the sockets (one, or --flows of them) as fixed files; a batch is one
 * submission however many sockets it goes on (one SENDMSG per GSO run of
 * a socket's packets, or one SEND per packet; the _ZC forms with
 * --zerocopy), and a buffer is reused only after every completion (and
 * zero-copy notification) for it has arrived: never on a timeout. A
 * watched sender that must give up (net_tx_watch) cancels what is in
 * flight on every socket and from then on hands out a scratch buffer
 * that is never submitted. Receiver: one multishot RECVMSG per socket,
 * all feeding from one provided-buffer ring, each re-armed when the
 * kernel ends it. Rings ask for SINGLE_ISSUER | DEFER_TASKRUN (or
 * SQPOLL) and fall back to plain rings on kernels without them. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <liburing.h>

#include "io/cpustat.h"
#include "io/ncb.h"
#include "io/net_group.h"
#include "io/net_impl.h"
#include "io/uring.h"

#ifndef NCB_LIBURING_VERSION
#define NCB_LIBURING_VERSION "unknown"
#endif

static const struct {
	unsigned bit;
	const char *name;
} feats[] = {
	{ IORING_FEAT_SINGLE_MMAP, "single_mmap" },
	{ IORING_FEAT_NODROP, "nodrop" },
	{ IORING_FEAT_SUBMIT_STABLE, "submit_stable" },
	{ IORING_FEAT_FAST_POLL, "fast_poll" },
	{ IORING_FEAT_SQPOLL_NONFIXED, "sqpoll_nonfixed" },
	{ IORING_FEAT_EXT_ARG, "ext_arg" },
	{ IORING_FEAT_NATIVE_WORKERS, "native_workers" },
	{ IORING_FEAT_RSRC_TAGS, "rsrc_tags" },
	{ IORING_FEAT_CQE_SKIP, "cqe_skip" },
	{ IORING_FEAT_LINKED_FILE, "linked_file" },
};

static const struct {
	unsigned flag;
	const char *name;
} setups[] = {
	{ IORING_SETUP_SQPOLL, "setup_sqpoll" },
	{ IORING_SETUP_COOP_TASKRUN, "setup_coop_taskrun" },
	{ IORING_SETUP_SINGLE_ISSUER, "setup_single_issuer" },
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	  "setup_defer_taskrun" },
};

static const struct {
	int op;
	const char *name;
} ops[] = {
	{ IORING_OP_SENDMSG, "op_sendmsg" },
	{ IORING_OP_RECVMSG, "op_recvmsg" },
	{ IORING_OP_SEND, "op_send" },
	{ IORING_OP_RECV, "op_recv" },
	{ IORING_OP_PROVIDE_BUFFERS, "op_provide_buffers" },
	{ IORING_OP_SEND_ZC, "op_send_zc" },
	{ IORING_OP_SENDMSG_ZC, "op_sendmsg_zc" },
};

int uring_features(const char **names, size_t max)
{
	struct io_uring_params p;
	struct io_uring_probe *probe;
	struct io_uring ring;
	size_t n = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = io_uring_queue_init_params(4, &ring, &p);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(feats) && n < max; i++)
		if (p.features & feats[i].bit)
			names[n++] = feats[i].name;
	probe = io_uring_get_probe_ring(&ring);
	for (size_t i = 0; probe && i < NCB_ARRAY_SIZE(ops) && n < max; i++)
		if (io_uring_opcode_supported(probe, ops[i].op))
			names[n++] = ops[i].name;
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);

	for (size_t i = 0; i < NCB_ARRAY_SIZE(setups) && n < max; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = setups[i].flag;
		if (io_uring_queue_init_params(4, &ring, &p) == 0) {
			names[n++] = setups[i].name;
			io_uring_queue_exit(&ring);
		}
	}
	return (int)n;
}

const char *uring_version(void)
{
	return NCB_LIBURING_VERSION;
}

enum {
	TX_SLOTS = 4,
	RX_BGID = 7,
	SQPOLL_IDLE_MS = 100,
	CANCEL_MS = 500, /* cancelled sends complete within this */
	/* A receiver over many sockets gets up to this many times the
	 * buffers of one, and at most RX_MEM_MAX bytes of them. */
	RX_BUFS_SCALE = 4,
	RX_MEM_MAX = 64 << 20,
};

/* user_data of a cancel request; a send's is count << 8 | slot. */
#define TX_CANCEL_TAG UINT64_MAX

/* System calls. Only io_uring_enter counts, and liburing decides when
 * to make it (src/queue.c, 2.3 and later), so each call here predicts
 * from the ring's state what liburing will do: a submit enters when
 * entries wait and no SQPOLL thread takes them (or it sleeps:
 * IORING_SQ_NEED_WAKEUP), or when the kernel holds completions back
 * (IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN); fetching events always
 * enters; a wait with a timeout enters once when no completion is ready
 * (with the EXT_ARG feature). With SQPOLL the flag is read before
 * liburing reads it, so a count of the thread's wake-ups may be off by
 * the races between the two. Ring set-up and registration are not
 * counted. */
static int sq_needs_enter(const struct io_uring *ring)
{
	if (!io_uring_sq_ready(ring))
		return 0;
	return !(ring->flags & IORING_SETUP_SQPOLL) ||
	       (IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_NEED_WAKEUP);
}

static int cq_needs_enter(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_IOPOLL) ||
	       (IO_URING_READ_ONCE(*ring->sq.kflags) &
		(IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN));
}

static int ring_submit(struct io_uring *ring, uint64_t *calls)
{
	*calls += sq_needs_enter(ring) || cq_needs_enter(ring);
	return io_uring_submit(ring);
}

static int ring_get_events(struct io_uring *ring, uint64_t *calls)
{
	++*calls;
	return io_uring_get_events(ring);
}

static int ring_submit_get_events(struct io_uring *ring, uint64_t *calls)
{
	++*calls;
	return io_uring_submit_and_get_events(ring);
}

/* Submits what is queued and waits up to ts for one completion. */
static int ring_submit_wait(struct io_uring *ring, struct io_uring_cqe **cqe,
			    struct __kernel_timespec *ts, uint64_t *calls)
{
	*calls += !io_uring_cq_ready(ring) || sq_needs_enter(ring);
	return io_uring_submit_and_wait_timeout(ring, cqe, 1, ts, NULL);
}

static int ring_wait(struct io_uring *ring, struct io_uring_cqe **cqe,
		     struct __kernel_timespec *ts, uint64_t *calls)
{
	*calls += !io_uring_cq_ready(ring);
	return io_uring_wait_cqe_timeout(ring, cqe, ts);
}

/* A free submission queue entry. A full queue is submitted once to make
 * room (the rings are sized so that it is never full, but a NULL entry
 * must never be written to); NULL if there is still none. */
static struct io_uring_sqe *take_sqe(struct io_uring *ring, uint64_t *calls)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe && ring_submit(ring, calls) >= 0)
		sqe = io_uring_get_sqe(ring);
	return sqe;
}

/* Sets up ring with the best flags this kernel takes; appends what it got
 * to desc. */
static int ring_init(struct io_uring *ring, unsigned entries, unsigned cq,
		     int is_sqpoll, char *desc, size_t len)
{
	struct {
		unsigned flags;
		const char *name;
	} tries[] = {
		{ IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER,
		  "sqpoll, single-issuer" },
		{ IORING_SETUP_SQPOLL, "sqpoll" },
		{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		  "single-issuer, defer-taskrun" },
		{ IORING_SETUP_COOP_TASKRUN, "coop-taskrun" },
		{ 0, "plain ring" },
	};
	int rc = -EINVAL;

	for (size_t i = is_sqpoll ? 0 : 2; i < NCB_ARRAY_SIZE(tries); i++) {
		struct io_uring_params p = { 0 };

		if (!is_sqpoll && (tries[i].flags & IORING_SETUP_SQPOLL))
			continue;
		if (is_sqpoll && !(tries[i].flags & IORING_SETUP_SQPOLL))
			break; /* asked for SQPOLL: no silent fallback */
		p.flags = tries[i].flags | IORING_SETUP_CQSIZE;
		p.cq_entries = cq;
		p.sq_thread_idle = SQPOLL_IDLE_MS;
		rc = io_uring_queue_init_params(entries, ring, &p);
		if (rc == 0) {
			size_t l = strlen(desc);

			snprintf(desc + l, len - l, ", %s%s", tries[i].name,
				 /* Saves a file lookup per io_uring_enter. */
				 io_uring_register_ring_fd(ring) == 1
					 ? ", registered ring fd"
					 : "");
			return 0;
		}
	}
	return rc;
}

struct utx {
	struct io_uring ring;
	int is_ring, is_gso, is_zc, is_stream, is_broken;
	int *fds; /* n_socks, registered in this order */
	unsigned n_socks;
	uint64_t syscalls;
	struct net_tx_link *link;
	struct net_tx_counts *cnt;
	uint8_t *mem; /* TX_SLOTS slots, then the scratch slot */
	size_t slot_bytes;
	unsigned cur;
	unsigned pending[TX_SLOTS];
	uint32_t stream_len[TX_SLOTS]; /* bytes of a stream slot's send */
	struct iovec bufs[TX_SLOTS];
	struct msghdr msg[TX_SLOTS][NET_BATCH_MAX];
	struct iovec iov[TX_SLOTS][NET_BATCH_MAX];
	union net_ctl ctl[TX_SLOTS][NET_BATCH_MAX];
	struct net_run runs[NET_BATCH_MAX];
	struct net_groups grp; /* with more than one socket */
};

static void utx_free(void *impl)
{
	struct utx *t = impl;

	if (!t)
		return;
	if (t->is_ring)
		io_uring_queue_exit(&t->ring);
	for (unsigned i = 0; i < t->n_socks; i++)
		close(t->fds[i]);
	free(t->fds);
	net_groups_fini(&t->grp);
	if (t->mem)
		munmap(t->mem, t->slot_bytes * (TX_SLOTS + 1));
	free(t);
}

static int utx_new(void **impl, const struct net_cfg *cfg, const int *fds,
		   unsigned n, struct net_tx_link *link, char *desc,
		   struct ncb_err *e)
{
	int *own;
	struct utx *t = net_state_new(sizeof(*t), fds, n, &own, e);
	char socks[NET_DESC_SOCKS];
	unsigned entries = 1;
	int rc;

	if (!t)
		return -ENOMEM;
	t->fds = own;
	t->n_socks = n;
	t->link = link;
	t->cnt = &link->cnt;
	t->is_gso = cfg->is_gso;
	t->is_zc = cfg->is_zerocopy;
	t->is_stream = cfg->is_stream;
	t->slot_bytes = (cfg->batch * cfg->pkt_max + 4095) & ~(size_t)4095;
	t->mem = mmap(NULL, t->slot_bytes * (TX_SLOTS + 1),
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->mem == MAP_FAILED)
		t->mem = NULL;
	if (!t->mem || (n > 1 && net_groups_init(&t->grp, n, cfg->batch) < 0)) {
		utx_free(t);
		return ncb_errf(e, -ENOMEM, "out of memory for send buffers");
	}
	/* Room for every slot's submissions and a cancel: with SQPOLL the
	 * kernel thread may not have taken the last batch yet, but a slot is
	 * only refilled after its completions, so this never runs out. A
	 * batch has at most one submission per packet, however many
	 * sockets it goes on. */
	while (entries < cfg->batch * TX_SLOTS + 1)
		entries <<= 1;
	snprintf(desc, NET_DESC_LEN, "uring: %s%s%s, fixed-files, fixed-buffers",
		 net_desc_socks(socks, n),
		 t->is_gso ? "sendmsg, gso"
		 : t->is_stream ? "send, waitall, one in flight"
				: "send",
		 t->is_zc ? ", zerocopy" : "");
	/* Each send may complete twice with zero copy (result, then
	 * notification), for every slot in flight. */
	rc = ring_init(&t->ring, entries, entries * 4,
		       cfg->is_sqpoll, desc, NET_DESC_LEN);
	if (rc < 0) {
		utx_free(t);
		return ncb_errf(e, rc, "cannot set up an io_uring%s: %s",
				cfg->is_sqpoll ? " with SQPOLL" : "",
				strerror(-rc));
	}
	t->is_ring = 1;
	for (unsigned i = 0; i < TX_SLOTS; i++)
		t->bufs[i] = (struct iovec){ t->mem + i * t->slot_bytes,
					     t->slot_bytes };
	/* Socket i is fixed file i: one lookup at registration, none per
	 * send. */
	rc = io_uring_register_files(&t->ring, t->fds, n);
	if (rc == 0)
		rc = io_uring_register_buffers(&t->ring, t->bufs, TX_SLOTS);
	if (rc < 0) {
		utx_free(t);
		return ncb_errf(e, rc, "cannot register the sockets and buffers: %s",
				strerror(-rc));
	}
	*impl = t;
	return 0;
}

/* Takes every completion posted. */
static void take_cqes(struct utx *t)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&t->ring, head, cqe) {
		unsigned slot = (unsigned)(cqe->user_data & 0xff);
		uint64_t count = cqe->user_data >> 8;

		n++;
		if (cqe->user_data == TX_CANCEL_TAG)
			continue;
		if (cqe->flags & IORING_CQE_F_NOTIF) {
			t->pending[slot] -= t->pending[slot] > 0;
			continue;
		}
		/* A stream send that ended short (cancelled part way, or
		 * an error after some bytes) has cut the stream. */
		if (t->is_stream && cqe->res >= 0 &&
		    (uint32_t)cqe->res != t->stream_len[slot])
			t->is_broken = 1;
		if (cqe->res < 0 || (t->is_stream && t->is_broken))
			t->cnt->failed += count;
		else
			t->cnt->sent += count;
		/* F_MORE: a zero-copy notification for this send follows. */
		if (!(cqe->flags & IORING_CQE_F_MORE))
			t->pending[slot] -= t->pending[slot] > 0;
	}
	io_uring_cq_advance(&t->ring, n);
}

static int is_busy(const struct utx *t)
{
	for (unsigned s = 0; s < TX_SLOTS; s++)
		if (t->pending[s])
			return 1;
	return 0;
}

/* Waits up to ms for a completion (entering the kernel, which with
 * DEFER_TASKRUN is what posts them), then takes what is there. */
static void wait_cqes(struct utx *t, unsigned ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe;

	(void)ring_wait(&t->ring, &cqe, &ts, &t->syscalls);
	take_cqes(t);
}

/* The watch ran out with sends in flight (a peer that stopped reading):
 * cancel them all, on every socket (IORING_ASYNC_CANCEL_ANY matches
 * every request of the ring), and wait for their completions and
 * zero-copy notifications. A slot whose completions never came stays
 * pending, so its buffer is never handed out again; the stream is cut
 * mid-batch, so the engine is broken from here. */
static void give_up(struct utx *t)
{
	struct io_uring_sqe *sqe = take_sqe(&t->ring, &t->syscalls);
	uint64_t end = cpustat_mono_ns() + CANCEL_MS * 1000000ull;

	t->is_broken = 1;
	if (sqe) {
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
		sqe->user_data = TX_CANCEL_TAG;
		ring_submit(&t->ring, &t->syscalls);
	}
	while (is_busy(t) && cpustat_mono_ns() < end)
		wait_cqes(t, NET_TX_WAIT_MS);
}

/* Waits NET_TX_WAIT_MS at most for completions; when none came and the
 * watch has run out, gives up. */
static void utx_reap(struct utx *t)
{
	unsigned before = 0, after = 0;

	for (unsigned s = 0; s < TX_SLOTS; s++)
		before += t->pending[s];
	wait_cqes(t, NET_TX_WAIT_MS);
	for (unsigned s = 0; s < TX_SLOTS; s++)
		after += t->pending[s];
	if (after == before && !net_tx_may_wait(t->link))
		give_up(t);
}

static uint8_t *utx_buf(void *impl)
{
	struct utx *t = impl;

	while (t->pending[t->cur] && !t->is_broken)
		utx_reap(t);
	if (t->is_broken)
		return t->mem + TX_SLOTS * t->slot_bytes;
	return t->bufs[t->cur].iov_base;
}

/* How a batch's sends are made, read from the engine once per batch:
 * the compiler would reload them after every SQE written. */
struct send_how {
	int flags, is_zc;
};

static struct send_how send_how(const struct utx *t)
{
	/* On a stream, a short send is carried on by the kernel until
	 * every byte is queued. */
	return (struct send_how){ t->is_stream ? MSG_WAITALL : 0, t->is_zc };
}

/* Queues a send of count packets on socket sock (a fixed file): len
 * bytes at buf, or message m (GSO runs); -EBUSY when the submission
 * queue has no room. Once per packet without GSO: inlined, so that m
 * NULL folds away and no call is made per packet. */
static inline __attribute__((always_inline)) int
prep_send(struct utx *t, struct send_how how, unsigned slot, unsigned sock,
	  uint32_t count, uint8_t *buf, uint32_t len, struct msghdr *m)
{
	struct io_uring_sqe *sqe = take_sqe(&t->ring, &t->syscalls);

	if (!sqe)
		return -EBUSY;
	if (!m) {
		if (how.is_zc)
			io_uring_prep_send_zc_fixed(sqe, (int)sock, buf, len,
						    how.flags, 0, slot);
		else
			io_uring_prep_send(sqe, (int)sock, buf, len, how.flags);
	} else if (how.is_zc) {
		io_uring_prep_sendmsg_zc(sqe, (int)sock, m, 0);
	} else {
		io_uring_prep_sendmsg(sqe, (int)sock, m, 0);
	}
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = (uint64_t)count << 8 | slot;
	return 0;
}

/* Queues the runs of one socket's batch; returns how many were queued
 * (the first that found no room ends it). */
static unsigned queue_one(struct utx *t, unsigned slot, unsigned nr)
{
	uint8_t *start = t->bufs[slot].iov_base;
	struct send_how how = send_how(t);
	unsigned i;

	if (!t->is_gso) {
		for (i = 0; i < nr; i++) {
			const struct net_run *r = &t->runs[i];

			if (prep_send(t, how, slot, 0, r->count, start + r->off,
				      r->seg, NULL) < 0)
				break;
		}
		return i;
	}
	for (i = 0; i < nr; i++) {
		const struct net_run *r = &t->runs[i];
		struct msghdr *m = &t->msg[slot][i];

		net_msg_run(m, &t->iov[slot][i], start, r, &t->ctl[slot][i]);
		if (prep_send(t, how, slot, 0, r->count, start + r->off, r->seg,
			      m) < 0)
			break;
	}
	return i;
}

/* Queues the runs of a batch grouped by socket (t->grp), every socket's
 * in one submission. Returns how many were queued; from the first run
 * that found no room in the queue on, runs count as failed. */
static unsigned queue_flows(struct utx *t, unsigned slot)
{
	const struct net_groups *g = &t->grp;
	uint8_t *start = t->bufs[slot].iov_base;
	struct send_how how = send_how(t);
	unsigned queued = 0, iv = 0;
	int is_full = 0;

	for (unsigned k = 0; k < g->n_groups; k++) {
		const struct net_group *gr = &g->groups[k];

		for (unsigned j = 0; j < gr->n_runs; j++) {
			const struct net_run *r = &g->runs[gr->first_run + j];
			struct msghdr *m = NULL;

			if (!is_full && t->is_gso) {
				m = &t->msg[slot][queued];
				iv += net_groups_msg(g, r, start, m,
						     &t->iov[slot][iv],
						     &t->ctl[slot][queued]);
			}
			if (is_full ||
			    prep_send(t, how, slot, gr->sock, r->count,
				      start + g->off[r->off], r->seg, m) < 0) {
				is_full = 1;
				t->cnt->failed += r->count;
				continue;
			}
			queued++;
		}
	}
	return queued;
}

static int utx_send(void *impl, const uint32_t *lens, const uint16_t *flows,
		    unsigned n)
{
	struct utx *t = impl;
	unsigned slot = t->cur, nr, queued = 0;
	int rc;

	/* Two sends in flight on one stream may reach it out of order
	 * (one parked for buffer space, the next going through at once):
	 * a stream has one send in flight while the next batch is built. */
	for (unsigned s = 0; t->is_stream && s < TX_SLOTS; s++)
		while (s != slot && t->pending[s] && !t->is_broken)
			utx_reap(t);
	if (t->is_broken)
		return -EPIPE;
	if (flows && t->n_socks > 1) {
		rc = net_groups_make(&t->grp, lens, flows, n, t->is_gso);
		if (rc < 0)
			return rc;
		queued = queue_flows(t, slot);
	} else {
		nr = net_runs(lens, n, t->is_gso, t->is_stream, t->runs);
		t->stream_len[slot] = t->runs[0].seg; /* one run on a stream */
		queued = queue_one(t, slot, nr);
		/* Runs with no room in the queue are not sent: they count
		 * as failed, as a send the kernel refused does; on a stream
		 * the bytes after them can no longer be framed. */
		for (unsigned i = queued; i < nr; i++)
			t->cnt->failed += t->runs[i].count;
		if (queued < nr && t->is_stream)
			t->is_broken = 1;
	}
	t->pending[slot] += queued;
	/* Every socket's sends in one io_uring_enter. */
	rc = ring_submit(&t->ring, &t->syscalls);
	if (rc < 0) {
		/* What was queued may still go: the slot stays pending. */
		t->is_broken = 1;
		return rc;
	}
	t->cur = (slot + 1) % TX_SLOTS;
	take_cqes(t);
	return 0;
}

static void utx_drain(void *impl)
{
	struct utx *t = impl;

	while (is_busy(t) && !t->is_broken)
		utx_reap(t);
}

static int utx_busy(void *impl)
{
	struct utx *t = impl;

	(void)ring_get_events(&t->ring, &t->syscalls);
	take_cqes(t);
	return is_busy(t) && !t->is_broken;
}

static uint64_t utx_syscalls(const void *impl)
{
	return ((const struct utx *)impl)->syscalls;
}

struct urx {
	struct io_uring ring;
	int is_ring, is_gro, is_stream;
	int *fds; /* n_socks, registered in this order */
	unsigned n_socks;
	/* Sockets whose multishot receive is to be armed (again): all at
	 * first, then each whose receive the kernel ended. */
	uint16_t *to_arm;
	unsigned n_to_arm;
	unsigned busy_poll_us;
	uint64_t syscalls;
	/* Each socket's drop count, as its datagrams tell it. */
	uint32_t *drops;
	struct io_uring_buf_ring *br;
	size_t br_bytes;
	unsigned nbufs;
	size_t buf_len;
	uint8_t *mem;
	struct msghdr mh;
	unsigned n_used;
	uint16_t *used;
};

static void urx_free(void *impl)
{
	struct urx *r = impl;

	if (!r)
		return;
	if (r->is_ring)
		io_uring_queue_exit(&r->ring);
	for (unsigned i = 0; i < r->n_socks; i++)
		close(r->fds[i]);
	free(r->fds);
	free(r->to_arm);
	free(r->drops);
	if (r->br)
		munmap(r->br, r->br_bytes);
	if (r->mem)
		munmap(r->mem, r->nbufs * r->buf_len);
	free(r->used);
	free(r);
}

/* Provided buffers for n sockets: twice what one call can hand out, so
 * the kernel keeps filling while the caller works through a batch (64
 * KiB buffers with GRO and on streams). Every socket's receive takes
 * from the one ring and ends when it finds it empty, so many sockets
 * get more of them (bounded, a power of two as the ring must be). */
static unsigned rx_bufs(const struct urx *r, unsigned n)
{
	unsigned nbufs = r->is_gro || r->is_stream ? 2 * NET_RX_PKTS / NET_GSO_SEGS
						   : 2 * NET_RX_PKTS;
	unsigned more = 1;

	while (more < RX_BUFS_SCALE && more < n &&
	       2 * more * nbufs * r->buf_len <= RX_MEM_MAX)
		more <<= 1;
	return nbufs * more;
}

static int urx_new(void **impl, const struct net_cfg *cfg, const int *fds,
		   unsigned n, char *desc, struct ncb_err *e)
{
	int *own;
	struct urx *r = net_state_new(sizeof(*r), fds, n, &own, e);
	struct io_uring_buf_reg reg = { 0 };
	char socks[NET_DESC_SOCKS];
	unsigned entries = 8;
	int rc;

	if (!r)
		return -ENOMEM;
	r->fds = own;
	r->n_socks = n;
	r->is_gro = cfg->is_gso;
	r->is_stream = cfg->is_stream;
	r->busy_poll_us = cfg->busy_poll_us;
	r->buf_len = net_rx_buf_len(cfg);
	for (unsigned i = 0; i < n; i++)
		net_rx_ovfl_on(fds[i], cfg);
	r->nbufs = rx_bufs(r, n);
	r->br_bytes = r->nbufs * sizeof(struct io_uring_buf);
	r->br = mmap(NULL, r->br_bytes, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->mem = mmap(NULL, r->nbufs * r->buf_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->used = calloc(r->nbufs, sizeof(*r->used));
	r->to_arm = calloc(n, sizeof(*r->to_arm));
	r->drops = calloc(n, sizeof(*r->drops));
	if (r->br == MAP_FAILED)
		r->br = NULL;
	if (r->mem == MAP_FAILED)
		r->mem = NULL;
	if (!r->br || !r->mem || !r->used || !r->to_arm || !r->drops) {
		urx_free(r);
		return ncb_errf(e, -ENOMEM, "out of memory for receive buffers");
	}
	snprintf(desc, NET_DESC_LEN,
		 "uring: %smultishot recvmsg, provided buffers%s, fixed-files, busy-poll %u us",
		 net_desc_socks(socks, n),
		 r->is_gro ? ", gro" : r->is_stream ? ", stream" : "",
		 r->busy_poll_us);
	/* Room to arm every socket at once; a completion for each socket
	 * whose receive ends comes on top of the buffers'. */
	while (entries < n)
		entries <<= 1;
	rc = ring_init(&r->ring, entries, 4 * r->nbufs + entries,
		       cfg->is_sqpoll, desc, NET_DESC_LEN);
	if (rc < 0) {
		urx_free(r);
		return ncb_errf(e, rc, "cannot set up an io_uring: %s",
				strerror(-rc));
	}
	r->is_ring = 1;
	io_uring_buf_ring_init(r->br);
	reg.ring_addr = (uint64_t)(uintptr_t)r->br;
	reg.ring_entries = r->nbufs;
	reg.bgid = RX_BGID;
	rc = io_uring_register_buf_ring(&r->ring, &reg, 0);
	if (rc == 0)
		rc = io_uring_register_files(&r->ring, r->fds, n);
	if (rc < 0) {
		urx_free(r);
		return ncb_errf(e, rc, "cannot register the buffer ring: %s",
				strerror(-rc));
	}
	for (unsigned i = 0; i < r->nbufs; i++)
		io_uring_buf_ring_add(r->br, r->mem + i * r->buf_len,
				      (unsigned)r->buf_len, (unsigned short)i,
				      io_uring_buf_ring_mask(r->nbufs), (int)i);
	io_uring_buf_ring_advance(r->br, (int)r->nbufs);
	for (unsigned i = 0; i < n; i++)
		r->to_arm[r->n_to_arm++] = (uint16_t)(n - 1 - i);
	/* Room for UDP_GRO and SO_RXQ_OVFL, inside the 128 bytes per
	 * buffer that net_rx_buf_len() adds. */
	r->mh.msg_controllen = r->is_stream ? 0 : sizeof(union net_rx_ctl);
	*impl = r;
	return 0;
}

/* The GRO segment size, and socket sock's drop count into r->drops. A
 * datagram has no control message at all unless it is a GRO train or
 * drops came before it: the common case costs nothing per socket. */
static size_t urx_read_ctl(struct urx *r, struct io_uring_recvmsg_out *o,
			   unsigned sock)
{
	size_t seg = 0;

	for (struct cmsghdr *c = io_uring_recvmsg_cmsg_firsthdr(o, &r->mh); c;
	     c = io_uring_recvmsg_cmsg_nexthdr(o, &r->mh, c)) {
		if (!seg)
			seg = net_cmsg_gro(c);
		net_cmsg_ovfl(c, &r->drops[sock]);
	}
	return seg;
}

/* Arms the multishot receive of every socket that has none; the
 * user_data of its completions is the socket. With no room, the rest
 * wait for a later call. */
static void urx_arm(struct urx *r)
{
	while (r->n_to_arm) {
		struct io_uring_sqe *sqe = take_sqe(&r->ring, &r->syscalls);
		unsigned sock;

		if (!sqe)
			return;
		sock = r->to_arm[--r->n_to_arm];
		io_uring_prep_recvmsg_multishot(sqe, (int)sock, &r->mh, 0);
		sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
		sqe->buf_group = RX_BGID;
		sqe->user_data = sock;
	}
}

static int urx_recv(void *impl, struct net_pkt *pkts, unsigned max,
		    int timeout_ms)
{
	struct urx *r = impl;
	struct __kernel_timespec ts = { .tv_sec = timeout_ms / 1000,
					.tv_nsec = (timeout_ms % 1000) * 1000000L };
	unsigned room = r->is_gro ? NET_GSO_SEGS : 1, n = 0, head, seen = 0;
	struct io_uring_cqe *cqe;
	int rc;

	/* Buffers the caller is done with go back to the kernel. */
	for (unsigned i = 0; i < r->n_used; i++)
		io_uring_buf_ring_add(r->br, r->mem + r->used[i] * r->buf_len,
				      (unsigned)r->buf_len, r->used[i],
				      io_uring_buf_ring_mask(r->nbufs), (int)i);
	io_uring_buf_ring_advance(r->br, (int)r->n_used);
	r->n_used = 0;
	urx_arm(r);
	/* With DEFER_TASKRUN, completions are posted only when this thread
	 * enters the kernel: poll by entering without waiting, then sleep.
	 * One ring serves every socket, so this is one entry however many
	 * there are. */
	rc = ring_submit_get_events(&r->ring, &r->syscalls);
	if (!io_uring_cq_ready(&r->ring)) {
		uint64_t deadline = net_poll_deadline(r->busy_poll_us);

		while (!io_uring_cq_ready(&r->ring) && net_poll_more(deadline))
			rc = ring_get_events(&r->ring, &r->syscalls);
	}
	if (!io_uring_cq_ready(&r->ring))
		rc = ring_submit_wait(&r->ring, &cqe, &ts, &r->syscalls);
	if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN)
		return rc;
	io_uring_for_each_cqe(&r->ring, head, cqe) {
		unsigned sock = (unsigned)cqe->user_data;
		struct io_uring_recvmsg_out *o;
		unsigned id;
		uint8_t *buf;
		size_t seg;

		if (n + room > max)
			break;
		seen++;
		/* -ENOBUFS, or any end: re-armed on the next call. */
		if (!(cqe->flags & IORING_CQE_F_MORE))
			r->to_arm[r->n_to_arm++] = (uint16_t)sock;
		if (cqe->res < 0 || !(cqe->flags & IORING_CQE_F_BUFFER))
			continue;
		id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		buf = r->mem + id * r->buf_len;
		r->used[r->n_used++] = (uint16_t)id;
		o = io_uring_recvmsg_validate(buf, cqe->res, &r->mh);
		if (!o)
			continue;
		seg = r->mh.msg_controllen ? urx_read_ctl(r, o, sock) : 0;
		n += net_split(io_uring_recvmsg_payload(o, &r->mh),
			       io_uring_recvmsg_payload_length(o, cqe->res,
							       &r->mh),
			       r->is_gro ? seg : 0,
			       !!(o->flags & MSG_TRUNC), pkts + n, max - n);
	}
	io_uring_cq_advance(&r->ring, seen);
	return (int)n;
}

static uint32_t urx_drops(void *impl)
{
	struct urx *r = impl;
	uint32_t sum = 0;

	for (unsigned i = 0; !r->is_stream && i < r->n_socks; i++)
		sum += net_sock_drops(r->fds[i], r->drops[i]);
	return sum;
}

static uint64_t urx_syscalls(const void *impl)
{
	return ((const struct urx *)impl)->syscalls;
}

const struct net_engine_ops uring_engine_ops = {
	.name = "uring",
	.summary = "io_uring: registered buffers and socket, batched "
		   "submission, multishot receive (the default)",
	.tx_new = utx_new,
	.tx_buf = utx_buf,
	.tx_send = utx_send,
	.tx_drain = utx_drain,
	.tx_busy = utx_busy,
	.tx_free = utx_free,
	.tx_syscalls = utx_syscalls,
	.rx_new = urx_new,
	.rx_recv = urx_recv,
	.rx_free = urx_free,
	.rx_drops = urx_drops,
	.rx_syscalls = urx_syscalls,
};
