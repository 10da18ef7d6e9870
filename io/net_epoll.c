/* Baseline engine: what a careful program does without io_uring. The
 * sender hands a batch to sendmmsg (one GSO message per run of equal
 * sizes), one call per socket the batch goes on; the receiver sleeps in
 * epoll_wait and drains with recvmmsg. Over many sockets (--flows) the
 * receiver is a level-triggered epoll server: one epoll_wait, then one
 * recvmmsg per socket it reported ready (a socket with more waiting is
 * reported again by the next wait), so no call is spent on the EAGAIN
 * that reading until empty ends with. Both calls copy synchronously, so
 * one buffer per side is enough. Every sendmmsg, send, poll, recvmmsg and
 * epoll_wait counts as a system call, whatever it returned. */
#define _GNU_SOURCE /* sendmmsg, recvmmsg */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/net_group.h"
#include "io/net_impl.h"

struct etx {
	int fd, is_gso, is_stream, is_broken;
	int *fds; /* n_socks; fd is fds[0] */
	unsigned n_socks;
	uint64_t syscalls;
	struct net_tx_link *link;
	struct net_tx_counts *cnt;
	uint8_t *mem;
	struct net_groups grp; /* with more than one socket */
	struct mmsghdr msgs[NET_BATCH_MAX];
	struct iovec iov[NET_BATCH_MAX];
	union net_ctl ctl[NET_BATCH_MAX];
	struct net_run runs[NET_BATCH_MAX];
};

static void etx_free(void *impl)
{
	struct etx *t = impl;

	if (!t)
		return;
	for (unsigned i = 0; i < t->n_socks; i++)
		close(t->fds[i]);
	net_groups_fini(&t->grp);
	free(t->fds);
	free(t->mem);
	free(t);
}

static int etx_new(void **impl, const struct net_cfg *cfg, const int *fds,
		   unsigned n, struct net_tx_link *link, char *desc,
		   struct ncb_err *e)
{
	int *own;
	struct etx *t = net_state_new(sizeof(*t), fds, n, &own, e);
	char socks[NET_DESC_SOCKS];

	if (!t)
		return -ENOMEM;
	t->fds = own;
	t->n_socks = n;
	t->fd = fds[0];
	t->is_gso = cfg->is_gso;
	t->is_stream = cfg->is_stream;
	t->link = link;
	t->cnt = &link->cnt;
	t->mem = aligned_alloc(4096, (cfg->batch * cfg->pkt_max + 4095) &
					     ~(size_t)4095);
	if (!t->mem || (n > 1 && net_groups_init(&t->grp, n, cfg->batch) < 0)) {
		etx_free(t);
		return ncb_errf(e, -ENOMEM, "out of memory for send buffers");
	}
	snprintf(desc, NET_DESC_LEN, "epoll: %s%s", net_desc_socks(socks, n),
		 t->is_stream ? "send" : t->is_gso ? "sendmmsg, gso" : "sendmmsg");
	*impl = t;
	return 0;
}

static uint8_t *etx_buf(void *impl)
{
	return ((struct etx *)impl)->mem;
}

/* A stream socket: every byte of the batch goes out, in order, or the
 * stream is broken. Sends never block in the kernel (MSG_DONTWAIT):
 * waiting for buffer space is a poll of NET_TX_WAIT_MS at a time, so a
 * watched sender whose peer stopped reading gives up (net_tx_watch)
 * instead of sleeping in send() for ever. */
static int stream_send(struct etx *t, const struct net_run *r)
{
	size_t off = 0;

	if (t->is_broken)
		return -EPIPE;
	while (off < r->seg) {
		ssize_t rc = send(t->fd, t->mem + off, r->seg - off,
				  MSG_DONTWAIT | MSG_NOSIGNAL);
		struct pollfd pfd = { .fd = t->fd, .events = POLLOUT };
		int err = errno;

		t->syscalls++;
		if (rc >= 0) {
			off += (size_t)rc;
			continue;
		}
		if (err == EINTR)
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK) {
			int p = poll(&pfd, 1, NET_TX_WAIT_MS);

			t->syscalls++;
			if (p != 0 || net_tx_may_wait(t->link))
				continue;
			err = ETIMEDOUT;
		}
		/* Part of a batch may have gone out: the peer can no
		 * longer frame what follows. */
		t->is_broken = 1;
		t->cnt->failed += r->count;
		return -err;
	}
	t->cnt->sent += r->count;
	return 0;
}

/* Sends the nm messages of runs on fd. A blocking socket: sendmmsg
 * waits for buffer space, as the io_uring engine's sends do. */
static void send_msgs(struct etx *t, int fd, struct mmsghdr *msgs,
		      const struct net_run *runs, unsigned nm)
{
	unsigned done = 0;

	while (done < nm) {
		int rc = sendmmsg(fd, msgs + done, nm - done, 0);

		t->syscalls++;
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			t->cnt->failed += runs[done].count;
			done++;
			continue;
		}
		for (int i = 0; i < rc; i++)
			t->cnt->sent += runs[done + (unsigned)i].count;
		done += (unsigned)rc;
	}
}

/* A batch over several sockets: one sendmmsg per socket, its packets in
 * their order, as a program without io_uring must. */
static int send_flows(struct etx *t, const uint32_t *lens,
		      const uint16_t *flows, unsigned n)
{
	struct net_groups *g = &t->grp;
	unsigned m = 0, iv = 0;
	int rc = net_groups_make(g, lens, flows, n, t->is_gso);

	if (rc < 0)
		return rc;
	for (unsigned k = 0; k < g->n_groups; k++) {
		const struct net_group *gr = &g->groups[k];
		const struct net_run *r = g->runs + gr->first_run;

		for (unsigned j = 0; j < gr->n_runs; j++)
			iv += net_groups_msg(g, &r[j], t->mem,
					     &t->msgs[m + j].msg_hdr, &t->iov[iv],
					     &t->ctl[m + j]);
		send_msgs(t, t->fds[gr->sock], t->msgs + m, r, gr->n_runs);
		m += gr->n_runs;
	}
	return 0;
}

static int etx_send(void *impl, const uint32_t *lens, const uint16_t *flows,
		    unsigned n)
{
	struct etx *t = impl;
	unsigned nm;

	if (flows && t->n_socks > 1)
		return send_flows(t, lens, flows, n);
	nm = net_runs(lens, n, t->is_gso, t->is_stream, t->runs);
	if (t->is_stream)
		return stream_send(t, &t->runs[0]);
	for (unsigned i = 0; i < nm; i++)
		net_msg_run(&t->msgs[i].msg_hdr, &t->iov[i], t->mem,
			    &t->runs[i], &t->ctl[i]);
	send_msgs(t, t->fd, t->msgs, t->runs, nm);
	return 0;
}

static void etx_drain(void *impl)
{
	(void)impl; /* every send completed inside sendmmsg */
}

static uint64_t etx_syscalls(const void *impl)
{
	return ((const struct etx *)impl)->syscalls;
}

enum { ERX_MSGS = NET_RX_PKTS / NET_GSO_SEGS };

struct erx {
	int fd, ep, is_gro, is_dgram;
	int *fds; /* n_socks; fd is fds[0] */
	unsigned n_socks;
	unsigned busy_poll_us;
	uint64_t syscalls;
	/* Each socket's drop count, as its datagrams tell it. */
	uint32_t *drops;
	/* The sockets the last epoll_wait reported (n_socks room), and the
	 * next of them to read. */
	struct epoll_event *ready;
	unsigned n_ready, next;
	int err; /* a socket's error that came after packets, for next call */
	size_t buf_len;
	uint8_t *mem;
	unsigned nmsgs;
	struct mmsghdr msgs[NET_RX_PKTS];
	struct iovec iov[NET_RX_PKTS];
	union net_rx_ctl *ctl;
};

static void erx_free(void *impl)
{
	struct erx *r = impl;

	if (!r)
		return;
	if (r->ep >= 0)
		close(r->ep);
	for (unsigned i = 0; i < r->n_socks; i++)
		close(r->fds[i]);
	free(r->fds);
	free(r->drops);
	free(r->ready);
	free(r->mem);
	free(r->ctl);
	free(r);
}

static int erx_new(void **impl, const struct net_cfg *cfg, const int *fds,
		   unsigned n, char *desc, struct ncb_err *e)
{
	int *own;
	struct erx *r = net_state_new(sizeof(*r), fds, n, &own, e);
	char socks[NET_DESC_SOCKS];
	int err = 0;

	if (!r)
		return -ENOMEM;
	r->fds = own;
	r->n_socks = n;
	r->fd = fds[0];
	r->is_gro = cfg->is_gso;
	r->is_dgram = !cfg->is_stream;
	r->busy_poll_us = cfg->busy_poll_us;
	r->buf_len = net_rx_buf_len(cfg);
	/* With GRO one message may hold 64 packets; a stream's pieces
	 * are 64 KiB. */
	r->nmsgs = r->is_gro || cfg->is_stream ? ERX_MSGS : NET_BATCH_MAX;
	r->mem = malloc(r->nmsgs * r->buf_len);
	r->ctl = calloc(r->nmsgs, sizeof(*r->ctl));
	r->drops = calloc(n, sizeof(*r->drops));
	r->ready = calloc(n, sizeof(*r->ready));
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (r->ep < 0)
		err = errno;
	for (unsigned i = 0; !err && i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		net_rx_ovfl_on(fds[i], cfg);
		if (epoll_ctl(r->ep, EPOLL_CTL_ADD, fds[i], &ev) < 0)
			err = errno;
	}
	if (!r->mem || !r->ctl || !r->drops || !r->ready || err) {
		erx_free(r);
		return ncb_errf(e, err ? -err : -ENOMEM,
				"cannot set up the epoll receiver: %s",
				strerror(err ? err : ENOMEM));
	}
	for (unsigned i = 0; i < r->nmsgs; i++)
		r->iov[i] = (struct iovec){ r->mem + i * r->buf_len, r->buf_len };
	snprintf(desc, NET_DESC_LEN, "epoll: %srecvmmsg%s, busy-poll %u us",
		 net_desc_socks(socks, n),
		 r->is_gro ? ", gro" : cfg->is_stream ? ", stream" : "",
		 r->busy_poll_us);
	*impl = r;
	return 0;
}

/* The GRO segment size, and socket sock's drop count into r->drops (a
 * datagram has control messages only as a GRO train or after drops). */
static inline __attribute__((always_inline)) size_t
read_ctl(struct erx *r, unsigned sock, struct msghdr *m)
{
	size_t seg = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (!seg)
			seg = net_cmsg_gro(c);
		net_cmsg_ovfl(c, &r->drops[sock]);
	}
	return seg;
}

/* Messages first..first + vlen - 1 read into their own buffers. */
static void prep_msgs(struct erx *r, unsigned first, unsigned vlen)
{
	for (unsigned i = first; i < first + vlen; i++) {
		r->msgs[i].msg_hdr = (struct msghdr){
			.msg_iov = &r->iov[i],
			.msg_iovlen = 1,
			.msg_control = r->is_dgram ? r->ctl[i].buf : NULL,
			.msg_controllen = r->is_dgram ? sizeof(r->ctl[i].buf) : 0,
		};
	}
}

/* recvmmsg of up to vlen messages from fd into the messages from first
 * on (prep_msgs), without waiting: the count, or -1 with errno. */
static int recv_msgs(struct erx *r, int fd, unsigned first, unsigned vlen)
{
	r->syscalls++;
	return recvmmsg(fd, r->msgs + first, vlen, MSG_DONTWAIT, NULL);
}

/* The got messages from first on, of socket sock, into packets from
 * pkts + n (room up to max). Returns the new packet count. Its loop is
 * per packet: inlined into both callers, as the one-socket receive was
 * before there were many. */
static inline __attribute__((always_inline)) unsigned take_msgs(struct erx *r, unsigned sock, unsigned first,
			  int got, struct net_pkt *pkts, unsigned n,
			  unsigned max)
{
	for (unsigned i = first; i < first + (unsigned)got && n < max; i++) {
		struct msghdr *m = &r->msgs[i].msg_hdr;
		size_t seg = r->is_dgram ? read_ctl(r, sock, m) : 0;

		n += net_split(r->iov[i].iov_base, r->msgs[i].msg_len,
			       r->is_gro ? seg : 0,
			       !!(m->msg_flags & MSG_TRUNC), pkts + n, max - n);
	}
	return n;
}

/* One socket, as before there were many: read first, and sleep in
 * epoll_wait only when nothing is there. */
static int recv_one(struct erx *r, struct net_pkt *pkts, unsigned max,
		    int timeout_ms)
{
	unsigned vlen = r->is_gro ? max / NET_GSO_SEGS : max;
	int got;

	if (vlen > r->nmsgs)
		vlen = r->nmsgs;
	if (!vlen)
		return -EINVAL;
	prep_msgs(r, 0, vlen);
	got = recv_msgs(r, r->fd, 0, vlen);
	if (got < 0 && errno == EAGAIN) {
		uint64_t deadline = net_poll_deadline(r->busy_poll_us);

		while (got < 0 && errno == EAGAIN && net_poll_more(deadline))
			got = recv_msgs(r, r->fd, 0, vlen);
	}
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		struct epoll_event ev;

		r->syscalls++;
		if (epoll_wait(r->ep, &ev, 1, timeout_ms) <= 0)
			return 0;
		got = recv_msgs(r, r->fd, 0, vlen);
	}
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return (int)take_msgs(r, 0, 0, got, pkts, 0, max);
}

/* The sockets ready now, into r->ready: with busy polling, epoll_wait
 * without sleeping until the deadline, then one that sleeps up to
 * timeout_ms. The count, 0, or a negative errno. */
static int wait_ready(struct erx *r, int timeout_ms)
{
	uint64_t deadline = net_poll_deadline(r->busy_poll_us);
	int k = 0;

	while (k == 0 && net_poll_more(deadline)) {
		r->syscalls++;
		k = epoll_wait(r->ep, r->ready, (int)r->n_socks, 0);
	}
	if (k == 0) {
		r->syscalls++;
		k = epoll_wait(r->ep, r->ready, (int)r->n_socks, timeout_ms);
	}
	if (k < 0)
		return errno == EINTR ? 0 : -errno;
	r->n_ready = (unsigned)k;
	r->next = 0;
	return k;
}

/* Many sockets: one recvmmsg per socket the last epoll_wait reported,
 * as long as there is room; a new wait only once every one of them was
 * read. */
static int recv_flows(struct erx *r, struct net_pkt *pkts, unsigned max,
		      int timeout_ms)
{
	unsigned per = r->is_gro ? NET_GSO_SEGS : 1, used = 0, n = 0;

	if (r->err) {
		int err = r->err;

		r->err = 0;
		return -err;
	}
	if (r->next == r->n_ready) {
		int k = wait_ready(r, timeout_ms);

		if (k <= 0)
			return k;
	}
	while (r->next < r->n_ready) {
		unsigned sock = r->ready[r->next].data.u32;
		unsigned vlen = (max - n) / per;
		int got;

		if (vlen > r->nmsgs - used)
			vlen = r->nmsgs - used;
		if (!vlen)
			break;
		r->next++;
		prep_msgs(r, used, vlen);
		got = recv_msgs(r, r->fds[sock], used, vlen);
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (!n)
				return -errno;
			/* Said on the next call, after these packets. */
			r->err = errno;
			break;
		}
		n = take_msgs(r, sock, used, got, pkts, n, max);
		used += (unsigned)got;
	}
	return (int)n;
}

static int erx_recv(void *impl, struct net_pkt *pkts, unsigned max,
		    int timeout_ms)
{
	struct erx *r = impl;

	if (r->n_socks > 1)
		return recv_flows(r, pkts, max, timeout_ms);
	return recv_one(r, pkts, max, timeout_ms);
}

static uint32_t erx_drops(void *impl)
{
	struct erx *r = impl;
	uint32_t sum = 0;

	for (unsigned i = 0; r->is_dgram && i < r->n_socks; i++)
		sum += net_sock_drops(r->fds[i], r->drops[i]);
	return sum;
}

static uint64_t erx_syscalls(const void *impl)
{
	return ((const struct erx *)impl)->syscalls;
}

const struct net_engine_ops net_epoll_ops = {
	.name = "epoll",
	.summary = "epoll + sendmmsg/recvmmsg: the baseline without io_uring",
	.is_rx_nonblock = 1,
	.tx_new = etx_new,
	.tx_buf = etx_buf,
	.tx_send = etx_send,
	.tx_drain = etx_drain,
	.tx_free = etx_free,
	.tx_syscalls = etx_syscalls,
	.rx_new = erx_new,
	.rx_recv = erx_recv,
	.rx_free = erx_free,
	.rx_drops = erx_drops,
	.rx_syscalls = erx_syscalls,
};
