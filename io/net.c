/* UDP and TCP socket halves (on loopback, or on a bind address), the
 * table of I/O engines and the dispatch of io/net.h through the chosen
 * one. */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/sock_diag.h> /* SK_MEMINFO_* */

#include "io/cpustat.h"
#include "io/net.h"
#include "io/net_impl.h"

struct net_tx {
	const struct net_engine_ops *eng;
	void *impl;
	struct net_tx_link link;
	char desc[NET_DESC_LEN];
};

struct net_rx {
	const struct net_engine_ops *eng;
	void *impl;
	char desc[NET_DESC_LEN];
};

/* Adding an engine is a file exporting its ops and a line here; the
 * order is that of enum net_io. */
static const struct net_engine_ops *const engines[] = {
	[NET_IO_URING] = &uring_engine_ops,
	[NET_IO_EPOLL] = &net_epoll_ops,
};

size_t net_engine_count(void)
{
	return NCB_ARRAY_SIZE(engines);
}

const struct net_engine_ops *net_engine_at(size_t i)
{
	return i < NCB_ARRAY_SIZE(engines) ? engines[i] : NULL;
}

const struct net_engine_ops *net_engine_find(const char *name)
{
	for (size_t i = 0; name && i < NCB_ARRAY_SIZE(engines); i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

const struct net_engine_ops *net_engine_of(const struct net_cfg *cfg)
{
	return cfg->engine ? net_engine_find(cfg->engine)
			   : net_engine_at((size_t)cfg->io);
}

const char *net_engine_name(const struct net_engine_ops *ops)
{
	return ops->name;
}

const char *net_engine_summary(const struct net_engine_ops *ops)
{
	return ops->summary;
}

/* The engine of cfg into *ops: 0, or -EINVAL with e. */
static int engine_of(const struct net_cfg *cfg,
		     const struct net_engine_ops **ops, struct ncb_err *e)
{
	*ops = net_engine_of(cfg);
	if (*ops)
		return 0;
	if (cfg->engine)
		return ncb_errf(e, -EINVAL, "unknown I/O engine '%s'",
				cfg->engine);
	return ncb_errf(e, -EINVAL, "unknown I/O engine number %d",
			(int)cfg->io);
}

/* Larger socket buffers absorb bursts of a batch; as root the FORCE
 * variants pass the sysctl ceiling (net.core.rmem_max/wmem_max). */
static void set_buf(int fd, int opt, int force, unsigned bytes)
{
	int v = (int)bytes;

	if (!bytes || fd < 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

void net_sock_bufs(int tx, int rx, unsigned bytes)
{
	set_buf(rx, SO_RCVBUF, SO_RCVBUFFORCE, bytes);
	set_buf(tx, SO_SNDBUF, SO_SNDBUFFORCE, bytes);
}

static socklen_t loopback(int family, unsigned port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons((uint16_t)port);
		return sizeof(*a);
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons((uint16_t)port);
	return sizeof(*a);
}

/* Where cfg's data sockets bind: cfg->bind_addr with port, or loopback
 * of cfg->family. */
static socklen_t bind_addr(const struct net_cfg *cfg, unsigned port,
			   struct sockaddr_storage *ss)
{
	if (!cfg->bind_addr)
		return loopback(cfg->family, port, ss);
	*ss = *cfg->bind_addr;
	if (ss->ss_family == AF_INET6) {
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		return sizeof(struct sockaddr_in6);
	}
	((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	return sizeof(struct sockaddr_in);
}

/* The socket family of cfg's data sockets. */
static int sock_family(const struct net_cfg *cfg)
{
	if (cfg->bind_addr)
		return cfg->bind_addr->ss_family;
	return cfg->family == 6 ? AF_INET6 : AF_INET;
}

/* The bind address for messages: "loopback" or the address. */
static const char *where(const struct net_cfg *cfg, char *buf, size_t len)
{
	const struct sockaddr_storage *ss = cfg->bind_addr;
	const void *a;

	if (!ss)
		return "loopback";
	a = ss->ss_family == AF_INET6
		    ? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
		    : (const void *)&((const struct sockaddr_in *)ss)->sin_addr;
	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* Whether a and b name the same IPv4 or IPv6 address and port. */
static int is_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

	return a->ss_family == AF_INET && x->sin_port == y->sin_port &&
	       x->sin_addr.s_addr == y->sin_addr.s_addr;
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC ns), at least 0. */
static int ms_left(uint64_t deadline)
{
	uint64_t now = cpustat_mono_ns();

	return now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
}

int net_accept_peer(int ls, const struct sockaddr_storage *peer, int flags,
		    int timeout_ms, unsigned *n_refused)
{
	uint64_t deadline = cpustat_mono_ns() + (uint64_t)timeout_ms * 1000000;

	for (;;) {
		struct pollfd pfd = { .fd = ls, .events = POLLIN };
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		int fd, rc = poll(&pfd, 1, ms_left(deadline));

		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc <= 0) {
			if (!ms_left(deadline))
				return -ETIMEDOUT;
			continue;
		}
		fd = accept4(ls, (struct sockaddr *)&from, &len,
			     flags | SOCK_NONBLOCK);
		if (fd < 0) {
			/* The peer gave up before it was taken. */
			if (errno == EAGAIN || errno == ECONNABORTED ||
			    errno == EINTR)
				continue;
			return -errno;
		}
		if (is_same_addr(&from, peer)) {
			if (!(flags & SOCK_NONBLOCK) &&
			    fcntl(fd, F_SETFL,
				  fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
				rc = -errno;
				close(fd);
				return rc;
			}
			return fd;
		}
		/* Anyone on this host may connect to a listening port:
		 * only the sender's own connection carries the stream. */
		close(fd);
		(*n_refused)++;
	}
}

/* Waits for a non-blocking connect on fd to finish; 0 or a negative
 * errno (-ETIMEDOUT past deadline). */
static int connect_wait(int fd, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int err = 0, rc;
	socklen_t len = sizeof(err);

	while ((rc = poll(&pfd, 1, ms_left(deadline))) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

/* bind() that waits up to NET_BIND_WAIT_MS for a fixed port that is
 * still in use: sockets of a process that just exited (run --processes
 * starts the next one at once) are released only when its io_uring
 * ring's teardown, which the kernel runs after the exit, lets go of
 * them. Port 0 never waits. */
static int bind_wait(int fd, const struct sockaddr_storage *ss, socklen_t len,
		     unsigned port)
{
	const struct timespec nap = { 0, 10 * 1000 * 1000 };
	uint64_t deadline = cpustat_mono_ns() + NET_BIND_WAIT_MS * 1000000ull;

	while (bind(fd, (const struct sockaddr *)ss, len) < 0) {
		if (errno != EADDRINUSE || !port ||
		    cpustat_mono_ns() > deadline)
			return -1;
		nanosleep(&nap, NULL);
	}
	return 0;
}

static int udp_socket(const struct net_cfg *cfg, int family, int is_rx)
{
	const struct net_engine_ops *ops = net_engine_of(cfg);
	int nb = is_rx && ops && ops->is_rx_nonblock ? SOCK_NONBLOCK : 0;

	return socket(family, SOCK_DGRAM | SOCK_CLOEXEC | nb, 0);
}

int net_rx_open(struct net_cfg *cfg, unsigned index, int *fd,
		struct net_addr *addr, struct ncb_err *e)
{
	unsigned port = cfg->port ? cfg->port + index : 0;
	struct sockaddr_storage *ss = &addr->ss;
	socklen_t len = bind_addr(cfg, port, ss);
	const struct net_engine_ops *ops;
	char buf[INET6_ADDRSTRLEN];
	int one = 1, s, rc;

	*fd = -1;
	/* An unknown engine is refused before any socket is made. */
	rc = engine_of(cfg, &ops, e);
	if (rc < 0)
		return rc;
	if (cfg->is_stream) {
		cfg->is_gso = 0;
		s = socket(sock_family(cfg), SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s >= 0)
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	} else {
		s = udp_socket(cfg, sock_family(cfg), 1);
	}
	if (s < 0)
		return ncb_errf(e, -errno, "cannot create a socket: %s",
				strerror(errno));
	if (!cfg->is_stream) {
		net_sock_bufs(-1, s, cfg->sockbuf);
		if (cfg->is_gso &&
		    setsockopt(s, SOL_UDP, UDP_GRO, &one, sizeof(one)) < 0)
			cfg->is_gso = 0;
	}
	if (bind_wait(s, ss, len, port) < 0 ||
	    (cfg->is_stream && listen(s, NET_BACKLOG) < 0) ||
	    getsockname(s, (struct sockaddr *)ss, &len) < 0) {
		int err = errno;

		close(s);
		return ncb_errf(e, -err, "cannot bind %s port %u on %s: %s",
				cfg->is_stream ? "TCP" : "UDP", port,
				where(cfg, buf, sizeof(buf)), strerror(err));
	}
	addr->len = len;
	*fd = s;
	return 0;
}

/* A sender's source address is the bind address when there is one, so
 * the receiving end, told only its port, knows the whole address. */
static int bind_source(const struct net_cfg *cfg, int s)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (!cfg->bind_addr)
		return 0;
	len = bind_addr(cfg, 0, &ss);
	return bind(s, (const struct sockaddr *)&ss, len);
}

/* UDP segmentation sends each segment whole: one longer than the path
 * MTU fails every send (EINVAL), where without it the kernel would cut
 * the datagram into IP fragments. So a case whose largest datagram does
 * not fit is refused while segmentation is on; --no-gso is the user's
 * choice of fragments. Loopback's MTU (64 KiB) never refuses. */
static int check_mtu(const struct net_cfg *cfg, int s, int family,
		     struct ncb_err *e)
{
	size_t hdr = family == AF_INET6 ? 40 + 8 : 20 + 8;
	int mtu = 0;
	socklen_t len = sizeof(mtu);

	if (!cfg->is_gso)
		return 0;
	if (getsockopt(s, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu, &len) < 0 ||
	    mtu <= 0 || cfg->pkt_max + hdr <= (size_t)mtu)
		return 0;
	return ncb_errf(e, -EMSGSIZE,
			"datagrams of up to %zu bytes (%zu with UDP/IP headers) exceed the path MTU %d: use a smaller --size, or --no-gso to let the kernel fragment them",
			cfg->pkt_max, cfg->pkt_max + hdr, mtu);
}

int net_tx_open(struct net_cfg *cfg, const struct net_addr *to, int *fd,
		struct net_addr *local, struct ncb_err *e)
{
	int zero = 0, s, err = 0;

	*fd = -1;
	/* A receiver elsewhere: this end must settle the offloads too. */
	if (cfg->is_stream)
		cfg->is_gso = 0;
	s = cfg->is_stream ? socket(to->ss.ss_family,
				    SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)
			   : udp_socket(cfg, to->ss.ss_family, 0);
	if (s < 0)
		return ncb_errf(e, -errno, "cannot create a socket: %s",
				strerror(errno));
	if (bind_source(cfg, s) < 0) {
		err = errno;
		close(s);
		return ncb_errf(e, -err, "cannot bind a sender's socket: %s",
				strerror(err));
	}
	if (!cfg->is_stream) {
		net_sock_bufs(s, -1, cfg->sockbuf);
		/* Without segmentation offload neither side uses it, so the
		 * two stay comparable. */
		if (cfg->is_gso &&
		    setsockopt(s, SOL_UDP, UDP_SEGMENT, &zero, sizeof(zero)) < 0)
			cfg->is_gso = 0;
	}
	/* A stream's connect does not block: connections from elsewhere
	 * queued ahead of it cannot hold it up (net_rx_accept waits). */
	if (connect(s, (const struct sockaddr *)&to->ss, to->len) < 0 &&
	    !(cfg->is_stream && errno == EINPROGRESS))
		err = errno;
	local->len = sizeof(local->ss);
	/* The port is chosen at connect: the address the receiver waits
	 * for. */
	if (!err && getsockname(s, (struct sockaddr *)&local->ss, &local->len) < 0)
		err = errno;
	if (err) {
		close(s);
		return ncb_errf(e, -err, "cannot connect to the receiver: %s",
				strerror(err));
	}
	if (!cfg->is_stream && (err = check_mtu(cfg, s, to->ss.ss_family, e)) < 0) {
		close(s);
		return err;
	}
	*fd = s;
	return 0;
}

/* The sending end of a stream once its connect completed: blocking,
 * and requests and responses go out when written, not after the next
 * acknowledgement. 0 or a positive errno. */
static int tx_connected(const struct net_cfg *cfg, int tx_fd, uint64_t deadline)
{
	int one = 1, err = -connect_wait(tx_fd, deadline);

	if (!err && fcntl(tx_fd, F_SETFL, fcntl(tx_fd, F_GETFL) & ~O_NONBLOCK) < 0)
		err = errno;
	if (err)
		return err;
	setsockopt(tx_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	net_sock_bufs(tx_fd, -1, cfg->sockbuf);
	return 0;
}

int net_tx_connected(const struct net_cfg *cfg, int tx_fd, struct ncb_err *e)
{
	char buf[INET6_ADDRSTRLEN];
	int err;

	if (!cfg->is_stream)
		return 0;
	err = tx_connected(cfg, tx_fd,
			   cpustat_mono_ns() + NET_CONNECT_MS * 1000000ull);
	if (err)
		return ncb_errf(e, -err, "cannot connect TCP from %s: %s",
				where(cfg, buf, sizeof(buf)), strerror(err));
	return 0;
}

/* The receiver of a stream is the accepted end, and only the connection
 * from the sender's own address is taken; every wait has the deadline
 * NET_CONNECT_MS. */
int net_rx_accept(struct net_cfg *cfg, int *rx_fd, int tx_fd,
		  const struct net_addr *peer, struct ncb_err *e)
{
	uint64_t deadline = cpustat_mono_ns() + NET_CONNECT_MS * 1000000ull;
	char buf[INET6_ADDRSTRLEN];
	int one = 1, rx, err = 0;

	if (!cfg->is_stream)
		return 0;
	rx = net_accept_peer(*rx_fd, &peer->ss,
			     SOCK_CLOEXEC | (net_engine_of(cfg) &&
					     net_engine_of(cfg)->is_rx_nonblock
				     ? SOCK_NONBLOCK
				     : 0),
			     ms_left(deadline), &cfg->n_refused);
	err = rx < 0 ? -rx : 0;
	if (!err && tx_fd >= 0)
		err = tx_connected(cfg, tx_fd, deadline);
	if (err) {
		if (rx >= 0)
			close(rx);
		return ncb_errf(e, -err, "cannot connect TCP on %s: %s",
				where(cfg, buf, sizeof(buf)), strerror(err));
	}
	close(*rx_fd); /* the listener */
	*rx_fd = rx;
	setsockopt(rx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	net_sock_bufs(-1, rx, cfg->sockbuf);
	return 0;
}

int net_pair_open(struct net_cfg *cfg, unsigned index, int *tx_fd,
		  int *rx_fd, struct ncb_err *e)
{
	struct net_addr to, local;
	int rc;

	*tx_fd = -1;
	rc = net_rx_open(cfg, index, rx_fd, &to, e);
	if (rc == 0)
		rc = net_tx_open(cfg, &to, tx_fd, &local, e);
	if (rc == 0)
		rc = net_rx_accept(cfg, rx_fd, *tx_fd, &local, e);
	if (rc < 0) {
		if (*tx_fd >= 0)
			close(*tx_fd);
		if (*rx_fd >= 0)
			close(*rx_fd);
		*tx_fd = *rx_fd = -1;
	}
	return rc;
}

int net_connect_to(int fd, const struct net_addr *to, struct ncb_err *e)
{
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) < 0)
		return ncb_errf(e, -errno, "cannot connect the answering socket: %s",
				strerror(errno));
	return 0;
}

int net_connect_back(int rx_fd, int tx_fd, struct ncb_err *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(tx_fd, (struct sockaddr *)&ss, &len) < 0 ||
	    connect(rx_fd, (struct sockaddr *)&ss, len) < 0)
		return ncb_errf(e, -errno, "cannot connect the answering socket: %s",
				strerror(errno));
	return 0;
}

unsigned net_gso_runs(const uint32_t *lens, unsigned n, struct net_run *runs)
{
	unsigned nr = 0;
	uint32_t off = 0;

	for (unsigned i = 0; i < n; i++) {
		struct net_run *r = nr ? &runs[nr - 1] : NULL;

		if (r && r->seg == lens[i] && r->count < NET_GSO_SEGS &&
		    (r->count + 1) * r->seg <= NET_GSO_BYTES)
			r->count++;
		else
			runs[nr++] = (struct net_run){ off, lens[i], 1 };
		off += lens[i];
	}
	return nr;
}

unsigned net_runs(const uint32_t *lens, unsigned n, int is_gso, int is_stream,
		  struct net_run *runs)
{
	uint32_t off = 0;

	if (is_stream) {
		/* One send of every byte; count is the packets in it. */
		for (unsigned i = 0; i < n; i++)
			off += lens[i];
		runs[0] = (struct net_run){ 0, off, n };
		return 1;
	}
	if (is_gso)
		return net_gso_runs(lens, n, runs);
	for (unsigned i = 0; i < n; i++) {
		runs[i] = (struct net_run){ off, lens[i], 1 };
		off += lens[i];
	}
	return n;
}

void net_msg_run(struct msghdr *m, struct iovec *iov, uint8_t *base,
		 const struct net_run *r, union net_ctl *ctl)
{
	struct cmsghdr *c;
	uint16_t seg = (uint16_t)r->seg;

	*iov = (struct iovec){ base + r->off, (size_t)r->seg * r->count };
	*m = (struct msghdr){ .msg_iov = iov, .msg_iovlen = 1 };
	if (r->count < 2)
		return;
	m->msg_control = ctl->buf;
	m->msg_controllen = CMSG_SPACE(sizeof(seg));
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(seg));
	memcpy(CMSG_DATA(c), &seg, sizeof(seg));
}

/* Spinning on a non-blocking check before sleeping spares the sender the
 * cost of waking the receiver for every burst (a scheduler round trip and,
 * on a VM, an IPI), as SO_BUSY_POLL does for sockets. */
uint64_t net_poll_deadline(unsigned busy_poll_us)
{
	return busy_poll_us ? cpustat_mono_ns() + busy_poll_us * 1000ull : 0;
}

int net_poll_more(uint64_t deadline)
{
	return deadline && cpustat_mono_ns() < deadline;
}

size_t net_cmsg_gro(const struct cmsghdr *c)
{
	int v;

	if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO)
		return 0;
	memcpy(&v, CMSG_DATA(c), sizeof(v));
	return v > 0 ? (size_t)v : 0;
}

void net_cmsg_ovfl(const struct cmsghdr *c, uint32_t *drops)
{
	if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
		memcpy(drops, CMSG_DATA(c), sizeof(*drops));
}

void net_rx_ovfl_on(int fd, const struct net_cfg *cfg)
{
	int one = 1;

	if (!cfg->is_stream)
		setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
}

uint32_t net_sock_drops(int fd, uint32_t seen)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mem[0]))
		return seen;
	return mem[SK_MEMINFO_DROPS];
}

size_t net_rx_buf_len(const struct net_cfg *cfg)
{
	/* A GRO train is at most 64 KiB of payload; room for the io_uring
	 * recvmsg header and the control message comes on top. A stream
	 * is read in pieces of NET_PIECE_MAX. */
	size_t payload = cfg->is_gso ? 65536 : cfg->pkt_max;

	if (cfg->is_stream)
		return NET_PIECE_MAX; /* a multiple of 64 */
	return (payload + 128 + 63) & ~(size_t)63;
}

unsigned net_split(uint8_t *p, size_t len, size_t seg, int is_truncated,
		   struct net_pkt *pkts, unsigned room)
{
	unsigned n = 0;

	if (!seg || seg > len)
		seg = len;
	/* An empty datagram is one packet of length 0. */
	do {
		size_t l = len < seg ? len : seg;

		pkts[n++] = (struct net_pkt){ p, (uint32_t)l,
					      (uint32_t)is_truncated };
		p += l;
		len -= l;
	} while (len && n < room);
	return n;
}

const char *net_desc_socks(char *buf, unsigned n)
{
	buf[0] = 0;
	if (n > 1)
		snprintf(buf, NET_DESC_SOCKS, "%u sockets, ", n);
	return buf;
}

static void close_fds(const int *fds, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void *net_state_new(size_t size, const int *fds, unsigned n, int **own,
		    struct ncb_err *e)
{
	void *state = calloc(1, size);

	*own = state ? malloc(n * sizeof(**own)) : NULL;
	if (!*own) {
		free(state);
		close_fds(fds, n);
		ncb_errf(e, -ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(*own, fds, n * sizeof(**own));
	return state;
}

/* What every engine needs of its sockets: 1..NET_FLOWS_MAX of them, and
 * one only on a stream. 0, or -EINVAL with e and the fds closed. */
static int check_socks(const struct net_cfg *cfg, const int *fds, unsigned n,
		       struct ncb_err *e)
{
	if (n >= 1 && n <= NET_FLOWS_MAX && (n == 1 || !cfg->is_stream))
		return 0;
	close_fds(fds, n);
	if (cfg->is_stream && n > 1)
		return ncb_errf(e, -EINVAL,
				"a stream has one socket, not %u", n);
	return ncb_errf(e, -EINVAL, "%u sockets for one engine: 1 to %d",
			n, NET_FLOWS_MAX);
}

int net_tx_new_flows(struct net_tx **out, const struct net_cfg *cfg,
		     const int *fds, unsigned n, struct ncb_err *e)
{
	struct net_tx *t;
	int rc;

	*out = NULL;
	rc = check_socks(cfg, fds, n, e);
	if (rc < 0)
		return rc;
	t = calloc(1, sizeof(*t));
	if (!t) {
		close_fds(fds, n);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	rc = engine_of(cfg, &t->eng, e);
	if (rc < 0) {
		free(t);
		close_fds(fds, n);
		return rc;
	}
	rc = t->eng->tx_new(&t->impl, cfg, fds, n, &t->link, t->desc, e);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int net_tx_new(struct net_tx **out, const struct net_cfg *cfg, int fd,
	       struct ncb_err *e)
{
	return net_tx_new_flows(out, cfg, &fd, 1, e);
}

int net_tx_may_wait(struct net_tx_link *l)
{
	uint64_t now;

	if (!l->stop || !atomic_load_explicit(l->stop, memory_order_relaxed)) {
		l->give_up_at = 0;
		return 1;
	}
	now = cpustat_mono_ns();
	if (!l->give_up_at)
		l->give_up_at = now + NET_TX_GRACE_MS * 1000000ull;
	return now < l->give_up_at;
}

void net_tx_watch(struct net_tx *tx, const atomic_int *stop)
{
	tx->link.stop = stop;
	tx->link.give_up_at = 0;
}

int net_tx_busy(struct net_tx *tx)
{
	return tx->eng->tx_busy ? tx->eng->tx_busy(tx->impl) : 0;
}

uint8_t *net_tx_buf(struct net_tx *tx)
{
	return tx->eng->tx_buf(tx->impl);
}

int net_tx_send(struct net_tx *tx, const uint32_t *lens, unsigned n)
{
	return tx->eng->tx_send(tx->impl, lens, NULL, n);
}

int net_tx_send_flows(struct net_tx *tx, const uint32_t *lens,
		      const uint16_t *flows, unsigned n)
{
	return tx->eng->tx_send(tx->impl, lens, flows, n);
}

uint64_t net_tx_syscalls(const struct net_tx *tx)
{
	return tx->eng->tx_syscalls(tx->impl);
}

void net_tx_drain(struct net_tx *tx, struct net_tx_counts *out)
{
	tx->eng->tx_drain(tx->impl);
	*out = tx->link.cnt;
}

const char *net_tx_desc(const struct net_tx *tx)
{
	return tx->desc;
}

void net_tx_free(struct net_tx *tx)
{
	if (!tx)
		return;
	tx->eng->tx_free(tx->impl);
	free(tx);
}

int net_rx_new_flows(struct net_rx **out, const struct net_cfg *cfg,
		     const int *fds, unsigned n, struct ncb_err *e)
{
	struct net_rx *r;
	int rc;

	*out = NULL;
	rc = check_socks(cfg, fds, n, e);
	if (rc < 0)
		return rc;
	r = calloc(1, sizeof(*r));
	if (!r) {
		close_fds(fds, n);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	rc = engine_of(cfg, &r->eng, e);
	if (rc < 0) {
		free(r);
		close_fds(fds, n);
		return rc;
	}
	rc = r->eng->rx_new(&r->impl, cfg, fds, n, r->desc, e);
	if (rc < 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int net_rx_new(struct net_rx **out, const struct net_cfg *cfg, int fd,
	       struct ncb_err *e)
{
	return net_rx_new_flows(out, cfg, &fd, 1, e);
}

int net_rx_recv(struct net_rx *rx, struct net_pkt *pkts, unsigned max,
		int timeout_ms)
{
	return rx->eng->rx_recv(rx->impl, pkts, max, timeout_ms);
}

uint32_t net_rx_drops(struct net_rx *rx)
{
	return rx->eng->rx_drops(rx->impl);
}

uint64_t net_rx_syscalls(const struct net_rx *rx)
{
	return rx->eng->rx_syscalls(rx->impl);
}

const char *net_rx_desc(const struct net_rx *rx)
{
	return rx->desc;
}

void net_rx_free(struct net_rx *rx)
{
	if (!rx)
		return;
	rx->eng->rx_free(rx->impl);
	free(rx);
}
