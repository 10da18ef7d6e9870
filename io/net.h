/* Datagram I/O engines behind one interface, chosen by name from a table
 * (io/net.c): io_uring (liburing) and an epoll + sendmmsg/recvmmsg
 * baseline, so a result can show what io_uring buys. A sender fills a batch of packets back to back in the engine's
 * buffer and sends them with one call; a receiver gets a batch of packet
 * views per call. UDP GSO/GRO carry many packets per kernel crossing. */
#ifndef NCB_IO_NET_H
#define NCB_IO_NET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "io/ncb.h"

/* The engines by their place in the table of io/net.c, for callers that
 * hold the choice as a number (net_cfg.io); a name (net_cfg.engine) says
 * the same and reaches any engine. */
enum net_io {
	NET_IO_URING,
	NET_IO_EPOLL,
};

enum {
	NET_BATCH_MAX = 256,
	NET_RX_PKTS = 1024,  /* packets one net_rx_recv() may return */
	NET_GSO_SEGS = 64,   /* kernel limit of segments per GSO send */
	NET_GSO_BYTES = 65000, /* bytes per GSO send, under the IP limit */
	NET_DESC_LEN = 160,
	NET_PIECE_MAX = 65536 + 128, /* largest piece a stream receive returns */
	NET_FLOWS_MAX = 1024, /* sockets of one engine (--flows) */
};

enum {
	NET_CONNECT_MS = 2000, /* a TCP pair is connected this fast or fails */
	NET_BIND_WAIT_MS = 2000, /* a fixed port still held is waited for */
	NET_BACKLOG = 16,      /* room for strangers queued ahead of the sender */
	/* How long a watched sender still waits for the kernel once its stop
	 * flag is up, before it cancels what is in flight. */
	NET_TX_GRACE_MS = 1000,
};

struct net_cfg {
	enum net_io io;
	const char *engine; /* engine name (borrowed); NULL: the one io names */
	int family;        /* 4 or 6: 127.0.0.1 or ::1 */
	unsigned batch;    /* packets per send call, 1..NET_BATCH_MAX */
	unsigned sockbuf;  /* SO_SNDBUF / SO_RCVBUF bytes; 0: system default */
	size_t pkt_max;    /* largest datagram the sender writes */
	unsigned port;     /* receiver port of pair 0; 0: ephemeral */
	/* The address data sockets bind to (borrowed; its port is not
	 * used), its family that of the sockets; NULL: loopback of
	 * `family`. Two hosts bind where their control connection runs. */
	const struct sockaddr_storage *bind_addr;
	unsigned busy_poll_us; /* receiver polls this long before sleeping */
	int is_gso;        /* UDP_SEGMENT on send, UDP_GRO on receive */
	int is_stream;     /* TCP: a batch is one send of bytes, a receive
			    * hands out pieces cut anywhere */
	int is_zerocopy;   /* io_uring SEND_ZC */
	int is_sqpoll;     /* io_uring kernel submission thread */
	/* Out, summed over pairs: connections a TCP receiver closed because
	 * they did not come from its sender. */
	unsigned n_refused;
};

/* One received datagram, valid until the next net_rx_recv(). */
struct net_pkt {
	uint8_t *data;
	uint32_t len;
	uint32_t is_truncated; /* larger than the receive buffer */
};

/* Packets the sender's sends completed or failed. */
struct net_tx_counts {
	uint64_t sent, failed;
};

struct net_tx;
struct net_rx;
struct net_engine_ops; /* io/net_impl.h */

/* The I/O engines of this build, in table order (net_engine_at(NET_IO_x)
 * is engine x). Static; NULL past the end or for an unknown name. */
size_t net_engine_count(void);
const struct net_engine_ops *net_engine_at(size_t i);
const struct net_engine_ops *net_engine_find(const char *name);
/* The engine cfg asks for: cfg->engine by name when set, else cfg->io;
 * NULL when there is no such engine. */
const struct net_engine_ops *net_engine_of(const struct net_cfg *cfg);
/* Its name ("uring", "epoll") and a one-line description (static). */
const char *net_engine_name(const struct net_engine_ops *ops);
const char *net_engine_summary(const struct net_engine_ops *ops);

/* A socket address (IPv4 or IPv6): plain data that can cross a control
 * channel. */
struct net_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* The two halves of a pair's set-up, for ends that share nothing but
 * addresses: net_rx_open binds the receiving end of pair `index` on
 * loopback or cfg->bind_addr (port cfg->port + index when cfg->port is
 * set, else ephemeral; a TCP listener with is_stream) and gives its
 * address; net_tx_open makes a sending end (its source bound to
 * cfg->bind_addr when set) connected to `to` (a stream's connect
 * completes in net_rx_accept, or net_tx_connected when the receiving
 * end is elsewhere) and gives its own address; net_rx_accept then
 * takes, for a stream, only the connection from `peer` (others are
 * closed and counted in cfg->n_refused) in place of the listener
 * *rx_fd, within NET_CONNECT_MS, and completes the connect of tx_fd
 * (-1: a sender elsewhere); for UDP it does nothing. Each clears
 * cfg->is_gso when its side lacks the offload (UDP_GRO, UDP_SEGMENT),
 * and for TCP. 0 or a negative errno with e; on error the fd it was to
 * make is -1 (net_rx_accept leaves *rx_fd to its caller). */
NCB_MUST_CHECK int net_rx_open(struct net_cfg *cfg, unsigned index, int *fd,
			       struct net_addr *addr, struct ncb_err *e);
NCB_MUST_CHECK int net_tx_open(struct net_cfg *cfg, const struct net_addr *to,
			       int *fd, struct net_addr *local,
			       struct ncb_err *e);
NCB_MUST_CHECK int net_rx_accept(struct net_cfg *cfg, int *rx_fd, int tx_fd,
				 const struct net_addr *peer,
				 struct ncb_err *e);
/* A stream's sending end whose receiver runs elsewhere: waits up to
 * NET_CONNECT_MS for its connect to complete (the other end's kernel
 * completes it before any accept). For UDP it does nothing. */
NCB_MUST_CHECK int net_tx_connected(const struct net_cfg *cfg, int tx_fd,
				    struct ncb_err *e);

/* net_rx_open, net_tx_open and net_rx_accept in one: a connected sender
 * socket and a bound receiver socket on loopback for pair `index` (port cfg->port + index when cfg->port is set): UDP, or
 * with is_stream both ends of one TCP connection (TCP_NODELAY); the
 * receiver takes only its sender's connection (others are closed and
 * counted in cfg->n_refused) and gives up after NET_CONNECT_MS. Clears
 * cfg->is_gso when the kernel lacks UDP_SEGMENT or UDP_GRO, and for TCP.
 * -EINVAL with e for an unknown engine (net_engine_of). Sockets are plain
 * fds: made here, used by engines in the worker
 * threads. */
NCB_MUST_CHECK int net_pair_open(struct net_cfg *cfg, unsigned index,
				 int *tx_fd, int *rx_fd, struct ncb_err *e);

/* For traffic both ways on a UDP pair: connects the receiver's socket
 * to the sender's address, so each end sends to and hears from the other.
 * 0 or a negative errno with e. */
NCB_MUST_CHECK int net_connect_back(int rx_fd, int tx_fd, struct ncb_err *e);
/* The same with the sender's address given: the receiving end's socket
 * fd then sends to and hears from `to` only. */
NCB_MUST_CHECK int net_connect_to(int fd, const struct net_addr *to,
				  struct ncb_err *e);

/* The engine of net_engine_of(cfg), which takes ownership of fd (closed on
 * failure too; -EINVAL with e for an unknown engine). Create them in the
 * thread that uses them (io_uring rings are single-issuer). */
NCB_MUST_CHECK int net_tx_new(struct net_tx **out, const struct net_cfg *cfg,
			      int fd, struct ncb_err *e);
/* Gives every wait of the sender a way out: once *stop (borrowed; NULL:
 * none) reads non-zero, a wait for the kernel (buffer space, a send's
 * completion) goes on at most NET_TX_GRACE_MS more, then what is in
 * flight is cancelled and waited for, so no buffer the kernel may still
 * read is handed out again. A stream cut that way is broken for good:
 * later sends fail with -EPIPE. Call from the sending thread. */
void net_tx_watch(struct net_tx *tx, const atomic_int *stop);
/* Where the next batch goes: room for batch packets of pkt_max bytes.
 * May wait for the kernel to finish with an earlier batch (see
 * net_tx_watch); a broken sender hands out a buffer that is never sent. */
uint8_t *net_tx_buf(struct net_tx *tx);
/* Sends n packets of lens[i] bytes laid back to back in net_tx_buf().
 * 0, or a negative errno when the engine cannot go on. */
NCB_MUST_CHECK int net_tx_send(struct net_tx *tx, const uint32_t *lens,
			       unsigned n);
/* Waits for every send in flight (see net_tx_watch), then reads the
 * counts: a send given up on counts as failed. */
void net_tx_drain(struct net_tx *tx, struct net_tx_counts *out);
/* Whether sends are still in flight; takes completions without waiting,
 * so a thread can keep reading while its last sends complete. */
int net_tx_busy(struct net_tx *tx);
/* What the engine uses, e.g. "uring: gso, fixed-files, defer-taskrun". */
const char *net_tx_desc(const struct net_tx *tx);
void net_tx_free(struct net_tx *tx);

NCB_MUST_CHECK int net_rx_new(struct net_rx **out, const struct net_cfg *cfg,
			      int fd, struct ncb_err *e);

/* Engines over several UDP sockets of one pair (--flows, 1..
 * NET_FLOWS_MAX, distinct ports): net_tx_new and net_rx_new are these
 * with one fd. They take ownership of every fd (closed on failure too).
 * A sender puts each packet on one of its sockets; a receiver serves
 * all of its sockets (io_uring: one ring, a multishot receive on each;
 * epoll: epoll_wait, then recvmmsg on each ready socket). */
NCB_MUST_CHECK int net_tx_new_flows(struct net_tx **out,
				    const struct net_cfg *cfg, const int *fds,
				    unsigned n, struct ncb_err *e);
NCB_MUST_CHECK int net_rx_new_flows(struct net_rx **out,
				    const struct net_cfg *cfg, const int *fds,
				    unsigned n, struct ncb_err *e);
/* net_tx_send with packet i sent on socket flows[i] (below the
 * engine's socket count; flows NULL: every packet on socket 0). The
 * io_uring engine submits the sends of every socket at once; the epoll
 * one calls sendmmsg per socket. */
NCB_MUST_CHECK int net_tx_send_flows(struct net_tx *tx, const uint32_t *lens,
				     const uint16_t *flows, unsigned n);
/* System calls the engine made since it was created (io_uring_enter,
 * sendmmsg, sendmsg, recvmmsg, recvmsg, epoll_wait, ...; reading its
 * drop counters excluded): with the packets, the syscalls per packet a
 * result records. */
uint64_t net_tx_syscalls(const struct net_tx *tx);
uint64_t net_rx_syscalls(const struct net_rx *rx);
/* Up to max (>= NET_GSO_SEGS) packets; waits at most timeout_ms when
 * none is ready. Returns the count, 0 on timeout, or a negative errno. */
int net_rx_recv(struct net_rx *rx, struct net_pkt *pkts, unsigned max,
		int timeout_ms);
/* Datagrams the kernel dropped at the receiver's socket (its receive
 * queue was full), whoever sent them, since the socket was made: a count
 * that wraps at 2^32, so take differences in uint32_t. A GRO train counts
 * once; a stream counts 0. Call from the receiving thread. */
uint32_t net_rx_drops(struct net_rx *rx);
const char *net_rx_desc(const struct net_rx *rx);
void net_rx_free(struct net_rx *rx);

#endif
