/* Everything that touches liburing: the probe of what the running kernel
 * offers (for the environment fingerprint), and the io_uring engine of
 * io/net.h.
 *
 * Probe: a throw-away ring is created to read the kernel's feature bits and
 * opcode table, and once per setup flag of interest.
 *
 * Engine. Sender: TX_SLOTS batch buffers registered as fixed buffers, the
 * socket as a fixed file; a batch is one submission (one SENDMSG per GSO
 * run, or one SEND per packet; the _ZC forms with --zerocopy), and a buffer
 * is reused only after every completion (and zero-copy notification) for
 * it has arrived: never on a timeout. A watched sender that must give up
 * (net_tx_watch) cancels what is in flight and from then on hands out a
 * scratch buffer that is never submitted. Receiver: one multishot RECVMSG
 * feeding from a provided-buffer ring, re-armed when the kernel ends it. Rings ask for
 * SINGLE_ISSUER | DEFER_TASKRUN (or SQPOLL) and fall back to plain rings on
 * kernels without them. */
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
};

/* user_data of a cancel request; a send's is count << 8 | slot. */
#define TX_CANCEL_TAG UINT64_MAX

/* A free submission queue entry. A full queue is submitted once to make
 * room (the rings are sized so that it is never full, but a NULL entry
 * must never be written to); NULL if there is still none. */
static struct io_uring_sqe *take_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe && io_uring_submit(ring) >= 0)
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
	int is_ring, fd, is_gso, is_zc, is_stream, is_broken;
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
};

static void utx_free(void *impl)
{
	struct utx *t = impl;

	if (!t)
		return;
	if (t->is_ring)
		io_uring_queue_exit(&t->ring);
	close(t->fd);
	if (t->mem)
		munmap(t->mem, t->slot_bytes * (TX_SLOTS + 1));
	free(t);
}

static int utx_new(void **impl, const struct net_cfg *cfg, int fd,
		   struct net_tx_link *link, char *desc, struct ncb_err *e)
{
	struct utx *t = calloc(1, sizeof(*t));
	unsigned entries = 1;
	int rc;

	if (!t) {
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	t->fd = fd;
	t->link = link;
	t->cnt = &link->cnt;
	t->is_gso = cfg->is_gso;
	t->is_zc = cfg->is_zerocopy;
	t->is_stream = cfg->is_stream;
	t->slot_bytes = (cfg->batch * cfg->pkt_max + 4095) & ~(size_t)4095;
	t->mem = mmap(NULL, t->slot_bytes * (TX_SLOTS + 1),
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->mem == MAP_FAILED) {
		t->mem = NULL;
		utx_free(t);
		return ncb_errf(e, -ENOMEM, "out of memory for send buffers");
	}
	/* Room for every slot's submissions and a cancel: with SQPOLL the
	 * kernel thread may not have taken the last batch yet, but a slot is
	 * only refilled after its completions, so this never runs out. */
	while (entries < cfg->batch * TX_SLOTS + 1)
		entries <<= 1;
	snprintf(desc, NET_DESC_LEN, "uring: %s%s, fixed-files, fixed-buffers",
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
	rc = io_uring_register_files(&t->ring, &t->fd, 1);
	if (rc == 0)
		rc = io_uring_register_buffers(&t->ring, t->bufs, TX_SLOTS);
	if (rc < 0) {
		utx_free(t);
		return ncb_errf(e, rc, "cannot register the socket and buffers: %s",
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

	(void)io_uring_wait_cqe_timeout(&t->ring, &cqe, &ts);
	take_cqes(t);
}

/* The watch ran out with sends in flight (a peer that stopped reading):
 * cancel them all and wait for their completions and zero-copy
 * notifications. A slot whose completions never came stays pending, so
 * its buffer is never handed out again; the stream is cut mid-batch, so
 * the engine is broken from here. */
static void give_up(struct utx *t)
{
	struct io_uring_sqe *sqe = take_sqe(&t->ring);
	uint64_t end = cpustat_mono_ns() + CANCEL_MS * 1000000ull;

	t->is_broken = 1;
	if (sqe) {
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
		sqe->user_data = TX_CANCEL_TAG;
		io_uring_submit(&t->ring);
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

/* Queues the send of run r; -EBUSY when the submission queue has no
 * room. */
static int prep_run(struct utx *t, unsigned slot, unsigned i,
		    const struct net_run *r)
{
	uint8_t *start = t->bufs[slot].iov_base;
	struct msghdr *m = &t->msg[slot][i];
	struct io_uring_sqe *sqe = take_sqe(&t->ring);

	if (!sqe)
		return -EBUSY;
	if (!t->is_gso) {
		/* On a stream, a short send is carried on by the kernel
		 * until every byte is queued. */
		int flags = t->is_stream ? MSG_WAITALL : 0;

		if (t->is_zc)
			io_uring_prep_send_zc_fixed(sqe, 0, start + r->off,
						    r->seg, flags, 0, slot);
		else
			io_uring_prep_send(sqe, 0, start + r->off, r->seg,
					   flags);
	} else {
		net_msg_run(m, &t->iov[slot][i], start, r, &t->ctl[slot][i]);
		if (t->is_zc)
			io_uring_prep_sendmsg_zc(sqe, 0, m, 0);
		else
			io_uring_prep_sendmsg(sqe, 0, m, 0);
	}
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = (uint64_t)r->count << 8 | slot;
	return 0;
}

static int utx_send(void *impl, const uint32_t *lens, unsigned n)
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
	nr = net_runs(lens, n, t->is_gso, t->is_stream, t->runs);
	t->stream_len[slot] = t->runs[0].seg; /* one run on a stream */
	while (queued < nr && prep_run(t, slot, queued, &t->runs[queued]) == 0)
		queued++;
	/* Runs with no room in the queue are not sent: they count as
	 * failed, as a send the kernel refused does; on a stream the
	 * bytes after them can no longer be framed. */
	for (unsigned i = queued; i < nr; i++)
		t->cnt->failed += t->runs[i].count;
	if (queued < nr && t->is_stream)
		t->is_broken = 1;
	t->pending[slot] += queued;
	rc = io_uring_submit(&t->ring);
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

	(void)io_uring_get_events(&t->ring);
	take_cqes(t);
	return is_busy(t) && !t->is_broken;
}

struct urx {
	struct io_uring ring;
	int is_ring, fd, is_gro, is_armed, is_stream;
	unsigned busy_poll_us;
	uint32_t drops; /* the socket's drop count, as datagrams tell it */
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
	close(r->fd);
	if (r->br)
		munmap(r->br, r->br_bytes);
	if (r->mem)
		munmap(r->mem, r->nbufs * r->buf_len);
	free(r->used);
	free(r);
}

static int urx_new(void **impl, const struct net_cfg *cfg, int fd, char *desc,
		   struct ncb_err *e)
{
	struct urx *r = calloc(1, sizeof(*r));
	struct io_uring_buf_reg reg = { 0 };
	int rc;

	if (!r) {
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	r->fd = fd;
	r->is_gro = cfg->is_gso;
	r->is_stream = cfg->is_stream;
	r->busy_poll_us = cfg->busy_poll_us;
	r->buf_len = net_rx_buf_len(cfg);
	net_rx_ovfl_on(fd, cfg);
	/* Twice what one call can hand out, so the kernel keeps filling
	 * while the caller works through a batch (64 KiB buffers with GRO
	 * and on streams). */
	r->nbufs = r->is_gro || r->is_stream ? 2 * NET_RX_PKTS / NET_GSO_SEGS
					     : 2 * NET_RX_PKTS;
	r->br_bytes = r->nbufs * sizeof(struct io_uring_buf);
	r->br = mmap(NULL, r->br_bytes, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->mem = mmap(NULL, r->nbufs * r->buf_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->used = calloc(r->nbufs, sizeof(*r->used));
	if (r->br == MAP_FAILED)
		r->br = NULL;
	if (r->mem == MAP_FAILED)
		r->mem = NULL;
	if (!r->br || !r->mem || !r->used) {
		urx_free(r);
		return ncb_errf(e, -ENOMEM, "out of memory for receive buffers");
	}
	snprintf(desc, NET_DESC_LEN,
		 "uring: multishot recvmsg, provided buffers%s, fixed-files, busy-poll %u us",
		 r->is_gro ? ", gro" : r->is_stream ? ", stream" : "",
		 r->busy_poll_us);
	rc = ring_init(&r->ring, 8, 4 * r->nbufs, cfg->is_sqpoll, desc,
		       NET_DESC_LEN);
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
		rc = io_uring_register_files(&r->ring, &r->fd, 1);
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
	/* Room for UDP_GRO and SO_RXQ_OVFL, inside the 128 bytes per
	 * buffer that net_rx_buf_len() adds. */
	r->mh.msg_controllen = r->is_stream ? 0 : sizeof(union net_rx_ctl);
	*impl = r;
	return 0;
}

/* The GRO segment size, and the drop count into r->drops. */
static size_t urx_read_ctl(struct urx *r, struct io_uring_recvmsg_out *o)
{
	size_t seg = 0;

	for (struct cmsghdr *c = io_uring_recvmsg_cmsg_firsthdr(o, &r->mh); c;
	     c = io_uring_recvmsg_cmsg_nexthdr(o, &r->mh, c)) {
		if (!seg)
			seg = net_cmsg_gro(c);
		net_cmsg_ovfl(c, &r->drops);
	}
	return seg;
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
	if (!r->is_armed) {
		/* No room: the receive is armed on a later call, this one
		 * only takes completions already there. */
		struct io_uring_sqe *sqe = take_sqe(&r->ring);

		if (sqe) {
			io_uring_prep_recvmsg_multishot(sqe, 0, &r->mh, 0);
			sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
			sqe->buf_group = RX_BGID;
			r->is_armed = 1;
		}
	}
	/* With DEFER_TASKRUN, completions are posted only when this thread
	 * enters the kernel: poll by entering without waiting, then sleep. */
	rc = io_uring_submit_and_get_events(&r->ring);
	if (!io_uring_cq_ready(&r->ring)) {
		uint64_t deadline = net_poll_deadline(r->busy_poll_us);

		while (!io_uring_cq_ready(&r->ring) && net_poll_more(deadline))
			rc = io_uring_get_events(&r->ring);
	}
	if (!io_uring_cq_ready(&r->ring))
		rc = io_uring_submit_and_wait_timeout(&r->ring, &cqe, 1, &ts,
						      NULL);
	if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN)
		return rc;
	io_uring_for_each_cqe(&r->ring, head, cqe) {
		struct io_uring_recvmsg_out *o;
		unsigned id;
		uint8_t *buf;
		size_t seg;

		if (n + room > max)
			break;
		seen++;
		if (!(cqe->flags & IORING_CQE_F_MORE))
			r->is_armed = 0;
		if (cqe->res < 0 || !(cqe->flags & IORING_CQE_F_BUFFER))
			continue; /* -ENOBUFS: re-armed on the next call */
		id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		buf = r->mem + id * r->buf_len;
		r->used[r->n_used++] = (uint16_t)id;
		o = io_uring_recvmsg_validate(buf, cqe->res, &r->mh);
		if (!o)
			continue;
		seg = r->mh.msg_controllen ? urx_read_ctl(r, o) : 0;
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

	return r->is_stream ? 0 : net_sock_drops(r->fd, r->drops);
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
	.rx_new = urx_new,
	.rx_recv = urx_recv,
	.rx_free = urx_free,
	.rx_drops = urx_drops,
};
