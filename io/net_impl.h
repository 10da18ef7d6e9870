/* Engine side of io/net.h: one const ops struct per engine, and helpers
 * the engines share. Not for use outside io/. */
#ifndef NCB_IO_NET_IMPL_H
#define NCB_IO_NET_IMPL_H

#include <sys/socket.h>

#include "io/net.h"

/* Older libc headers lack the UDP offload options (linux/udp.h). */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/* Control buffer for one UDP_SEGMENT (u16) or UDP_GRO (int) message. */
union net_ctl {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* A datagram receive's control messages: UDP_GRO (int) and SO_RXQ_OVFL
 * (u32, the socket's drop count when the datagram was queued). */
union net_rx_ctl {
	char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint32_t))];
	struct cmsghdr align;
};

/* A run of equal-sized packets that one GSO send carries; on a stream,
 * seg is every byte of a batch and count its packets. */
struct net_run {
	uint32_t off, seg, count;
};

/* What a sender engine shares with io/net.c: its counts and its watch. */
struct net_tx_link {
	struct net_tx_counts cnt;
	const atomic_int *stop; /* net_tx_watch(); NULL: never give up */
	uint64_t give_up_at;    /* CLOCK_MONOTONIC ns; 0 until stop is seen */
};

/* One I/O engine: a const table per engine file, listed in io/net.c. The
 * new hooks take ownership of the n fds (1..NET_FLOWS_MAX; closing them
 * on failure too) and write a description of what they set up into desc
 * (NET_DESC_LEN bytes), which net_tx_desc()/net_rx_desc() hand out. */
struct net_engine_ops {
	const char *name, *summary;
	/* The receiver's socket is made non-blocking: the engine reads it
	 * until EAGAIN instead of waiting in the kernel. */
	unsigned is_rx_nonblock : 1;
	int (*tx_new)(void **impl, const struct net_cfg *cfg, const int *fds,
		      unsigned n, struct net_tx_link *link, char *desc,
		      struct ncb_err *e);
	uint8_t *(*tx_buf)(void *impl);
	/* Packet i on socket flows[i]; flows NULL, or one socket: every
	 * packet on socket 0 (flows is then not read). */
	int (*tx_send)(void *impl, const uint32_t *lens, const uint16_t *flows,
		       unsigned n);
	void (*tx_drain)(void *impl);
	int (*tx_busy)(void *impl); /* NULL: sends complete inside tx_send */
	void (*tx_free)(void *impl);
	uint64_t (*tx_syscalls)(const void *impl);
	int (*rx_new)(void **impl, const struct net_cfg *cfg, const int *fds,
		      unsigned n, char *desc, struct ncb_err *e);
	int (*rx_recv)(void *impl, struct net_pkt *pkts, unsigned max,
		       int timeout_ms);
	void (*rx_free)(void *impl);
	uint32_t (*rx_drops)(void *impl);
	uint64_t (*rx_syscalls)(const void *impl);
};

/* An engine's zeroed state of size bytes (calloc) and, in *own, its
 * copy of the n sockets it was given. The engine owns the sockets from
 * its new call on, so on failure they are closed, e says so, and NULL is
 * returned. */
void *net_state_new(size_t size, const int *fds, unsigned n, int **own,
		    struct ncb_err *e);

/* The start of an engine's description: "" for one socket, else
 * "N sockets, " (in buf, NET_DESC_SOCKS bytes; returns buf). */
enum { NET_DESC_SOCKS = 24 };
const char *net_desc_socks(char *buf, unsigned n);

/* Whether a sender engine may go on waiting for the kernel: always while
 * the watch's stop flag is down, then for NET_TX_GRACE_MS after it was
 * first seen up. Waits check this at least every NET_TX_WAIT_MS. */
int net_tx_may_wait(struct net_tx_link *l);
enum { NET_TX_WAIT_MS = 20 };

/* Accepts, on listening socket ls, the connection from address peer and
 * returns its fd (accept4 flags apply), closing and counting in *n_refused
 * every other one; -ETIMEDOUT when none came within timeout_ms, or a
 * negative errno. */
int net_accept_peer(int ls, const struct sockaddr_storage *peer, int flags,
		    int timeout_ms, unsigned *n_refused);

/* SO_SNDBUF of tx and SO_RCVBUF of rx (0: leave the system default). */
void net_sock_bufs(int tx, int rx, unsigned bytes);

extern const struct net_engine_ops uring_engine_ops; /* io/uring.c */
extern const struct net_engine_ops net_epoll_ops; /* io/net_epoll.c */

/* Splits n back-to-back packets into GSO runs: equal sizes, at most
 * NET_GSO_SEGS packets and NET_GSO_BYTES bytes each. Returns the count. */
unsigned net_gso_runs(const uint32_t *lens, unsigned n, struct net_run *runs);
/* GSO runs, or without GSO one run per packet, or on a stream one run of
 * the whole batch. */
unsigned net_runs(const uint32_t *lens, unsigned n, int is_gso, int is_stream,
		  struct net_run *runs);
/* Makes m send one run from base + r->off through iov, with a UDP_SEGMENT
 * control message in ctl when the run holds more than one packet. */
void net_msg_run(struct msghdr *m, struct iovec *iov, uint8_t *base,
		 const struct net_run *r, union net_ctl *ctl);
/* A receiver's busy-poll deadline: now + cfg->busy_poll_us, in
 * CLOCK_MONOTONIC ns (0 when busy polling is off). */
uint64_t net_poll_deadline(unsigned busy_poll_us);
/* Whether a deadline from net_poll_deadline() is still ahead. */
int net_poll_more(uint64_t deadline);

/* The GRO segment size a control message carries, or 0. */
size_t net_cmsg_gro(const struct cmsghdr *c);
/* Stores in *drops the socket's drop count an SO_RXQ_OVFL control
 * message carries; other messages leave it alone. */
void net_cmsg_ovfl(const struct cmsghdr *c, uint32_t *drops);
/* Asks the kernel to tag received datagrams with the socket's drop count
 * (SO_RXQ_OVFL); a stream has no datagrams to drop. */
void net_rx_ovfl_on(int fd, const struct net_cfg *cfg);
/* The socket's drop count now (SO_MEMINFO), or seen when the kernel cannot
 * say: a datagram carries the count of drops before it, so only this
 * reading sees the drops after the last datagram that came through. */
uint32_t net_sock_drops(int fd, uint32_t seen);

/* Receive buffer bytes per datagram (or per GRO train) for cfg. */
size_t net_rx_buf_len(const struct net_cfg *cfg);

/* Splits a received payload into packets: one, or GRO segments of seg
 * bytes (the last may be shorter). Returns packets written (<= room). */
unsigned net_split(uint8_t *p, size_t len, size_t seg, int is_truncated,
		   struct net_pkt *pkts, unsigned room);

#endif
