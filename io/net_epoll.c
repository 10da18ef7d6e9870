/* Baseline engine: what a careful program does without io_uring. The
 * sender hands a batch to sendmmsg (one GSO message per run of equal
 * sizes); the receiver sleeps in epoll_wait and drains with recvmmsg. Both
 * calls copy synchronously, so one buffer per side is enough. */
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

#include "io/net_impl.h"

struct etx {
	int fd, is_gso, is_stream, is_broken;
	struct net_tx_link *link;
	struct net_tx_counts *cnt;
	uint8_t *mem;
	struct mmsghdr msgs[NET_BATCH_MAX];
	struct iovec iov[NET_BATCH_MAX];
	union net_ctl ctl[NET_BATCH_MAX];
	struct net_run runs[NET_BATCH_MAX];
};

static int etx_new(void **impl, const struct net_cfg *cfg, int fd,
		   struct net_tx_link *link, char *desc, struct ncb_err *e)
{
	struct etx *t = calloc(1, sizeof(*t));

	if (t)
		t->mem = aligned_alloc(4096, (cfg->batch * cfg->pkt_max + 4095) &
						     ~(size_t)4095);
	if (!t || !t->mem) {
		if (t)
			free(t);
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory for send buffers");
	}
	t->fd = fd;
	t->is_gso = cfg->is_gso;
	t->is_stream = cfg->is_stream;
	t->link = link;
	t->cnt = &link->cnt;
	snprintf(desc, NET_DESC_LEN, "epoll: %s",
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

		if (rc >= 0) {
			off += (size_t)rc;
			continue;
		}
		if (err == EINTR)
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK) {
			int p = poll(&pfd, 1, NET_TX_WAIT_MS);

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

static int etx_send(void *impl, const uint32_t *lens, unsigned n)
{
	struct etx *t = impl;
	unsigned nm, done = 0;

	nm = net_runs(lens, n, t->is_gso, t->is_stream, t->runs);
	if (t->is_stream)
		return stream_send(t, &t->runs[0]);
	for (unsigned i = 0; i < nm; i++)
		net_msg_run(&t->msgs[i].msg_hdr, &t->iov[i], t->mem,
			    &t->runs[i], &t->ctl[i]);
	/* A blocking socket: sendmmsg waits for buffer space, as the
	 * io_uring engine's sends do. */
	while (done < nm) {
		int rc = sendmmsg(t->fd, t->msgs + done, nm - done, 0);

		if (rc < 0) {
			if (errno == EINTR)
				continue;
			t->cnt->failed += t->runs[done].count;
			done++;
			continue;
		}
		for (int i = 0; i < rc; i++)
			t->cnt->sent += t->runs[done + (unsigned)i].count;
		done += (unsigned)rc;
	}
	return 0;
}

static void etx_drain(void *impl)
{
	(void)impl; /* every send completed inside sendmmsg */
}

static void etx_free(void *impl)
{
	struct etx *t = impl;

	if (!t)
		return;
	close(t->fd);
	free(t->mem);
	free(t);
}

enum { ERX_MSGS = NET_RX_PKTS / NET_GSO_SEGS };

struct erx {
	int fd, ep, is_gro, is_dgram;
	unsigned busy_poll_us;
	uint32_t drops; /* the socket's drop count, as datagrams tell it */
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
	close(r->fd);
	free(r->mem);
	free(r->ctl);
	free(r);
}

static int erx_new(void **impl, const struct net_cfg *cfg, int fd, char *desc,
		   struct ncb_err *e)
{
	struct erx *r = calloc(1, sizeof(*r));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!r) {
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	r->fd = fd;
	r->is_gro = cfg->is_gso;
	r->is_dgram = !cfg->is_stream;
	r->busy_poll_us = cfg->busy_poll_us;
	r->buf_len = net_rx_buf_len(cfg);
	net_rx_ovfl_on(fd, cfg);
	/* With GRO one message may hold 64 packets; a stream's pieces
	 * are 64 KiB. */
	r->nmsgs = r->is_gro || cfg->is_stream ? ERX_MSGS : NET_BATCH_MAX;
	r->mem = malloc(r->nmsgs * r->buf_len);
	r->ctl = calloc(r->nmsgs, sizeof(*r->ctl));
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (!r->mem || !r->ctl || r->ep < 0 ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		erx_free(r);
		return ncb_errf(e, -ENOMEM, "cannot set up the epoll receiver");
	}
	for (unsigned i = 0; i < r->nmsgs; i++)
		r->iov[i] = (struct iovec){ r->mem + i * r->buf_len, r->buf_len };
	snprintf(desc, NET_DESC_LEN, "epoll: recvmmsg%s, busy-poll %u us",
		 r->is_gro ? ", gro" : cfg->is_stream ? ", stream" : "",
		 r->busy_poll_us);
	*impl = r;
	return 0;
}

/* The GRO segment size, and the drop count into r->drops. */
static size_t read_ctl(struct erx *r, struct msghdr *m)
{
	size_t seg = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (!seg)
			seg = net_cmsg_gro(c);
		net_cmsg_ovfl(c, &r->drops);
	}
	return seg;
}

static int erx_recv(void *impl, struct net_pkt *pkts, unsigned max,
		    int timeout_ms)
{
	struct erx *r = impl;
	unsigned vlen = r->is_gro ? max / NET_GSO_SEGS : max, n = 0;
	int got;

	if (vlen > r->nmsgs)
		vlen = r->nmsgs;
	if (!vlen)
		return -EINVAL;
	for (unsigned i = 0; i < vlen; i++) {
		r->msgs[i].msg_hdr = (struct msghdr){
			.msg_iov = &r->iov[i],
			.msg_iovlen = 1,
			.msg_control = r->is_dgram ? r->ctl[i].buf : NULL,
			.msg_controllen = r->is_dgram ? sizeof(r->ctl[i].buf) : 0,
		};
	}
	got = recvmmsg(r->fd, r->msgs, vlen, MSG_DONTWAIT, NULL);
	if (got < 0 && errno == EAGAIN) {
		uint64_t deadline = net_poll_deadline(r->busy_poll_us);

		while (got < 0 && errno == EAGAIN && net_poll_more(deadline))
			got = recvmmsg(r->fd, r->msgs, vlen, MSG_DONTWAIT, NULL);
	}
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		struct epoll_event ev;

		if (epoll_wait(r->ep, &ev, 1, timeout_ms) <= 0)
			return 0;
		got = recvmmsg(r->fd, r->msgs, vlen, MSG_DONTWAIT, NULL);
	}
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (int i = 0; i < got && n < max; i++) {
		struct msghdr *m = &r->msgs[i].msg_hdr;
		size_t seg = r->is_dgram ? read_ctl(r, m) : 0;

		n += net_split(r->iov[i].iov_base, r->msgs[i].msg_len,
			       r->is_gro ? seg : 0,
			       !!(m->msg_flags & MSG_TRUNC), pkts + n, max - n);
	}
	return (int)n;
}

static uint32_t erx_drops(void *impl)
{
	struct erx *r = impl;

	return r->is_dgram ? net_sock_drops(r->fd, r->drops) : 0;
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
	.rx_new = erx_new,
	.rx_recv = erx_recv,
	.rx_free = erx_free,
	.rx_drops = erx_drops,
};
