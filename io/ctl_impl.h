/* Internals of the control channel (io/ctl.h) shared by its files
 * (ctl.c: TLS and messages; ctl_sock.c: sockets and addresses;
 * ctl_msg.c: checks of message bytes) and by its unit test. */
#ifndef NCB_IO_CTL_IMPL_H
#define NCB_IO_CTL_IMPL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

struct ctl;
struct json_t;

enum {
	CTL_SLICE_MS = 100, /* the longest wait between looks at the flag */
	CTL_BACKLOG = 8,    /* one test at a time; a few waiting to be told */
};

/* CLOCK_MONOTONIC in milliseconds: the clock of every deadline here. */
int64_t ctl_sock_now_ms(void);

/* Waits until fd is ready for events (POLLIN, POLLOUT; an error or
 * hang-up counts as ready, so the caller's next call sees it) or the
 * deadline passes, looking at *flag (NULL: never) at least every
 * CTL_SLICE_MS. 0, -ETIMEDOUT, -EINTR (the flag) or -errno of poll. */
NCB_MUST_CHECK int ctl_sock_wait(int fd, short events, int64_t deadline,
				 const volatile sig_atomic_t *flag);

/* Makes a connected socket ready for the channel: non-blocking,
 * close-on-exec, TCP_NODELAY (messages are small and wait for each
 * other). 0 or -errno. */
NCB_MUST_CHECK int ctl_sock_prepare(int fd);

/* Resolves host and connects a TCP socket to port by the deadline,
 * trying each address in turn (each gets its share of the time left).
 * *fd: a connected, prepared socket. 0, -ENXIO (the name does not
 * resolve), or the last address's -ECONNREFUSED, -ETIMEDOUT,
 * -EHOSTUNREACH... with e naming that address. */
NCB_MUST_CHECK int ctl_sock_connect(const char *host, unsigned port,
				    int64_t deadline, int *fd,
				    struct ncb_err *e);

/* Whether a decoded value nests no deeper than CTL_DEPTH_MAX containers
 * (the message object is the first). */
int ctl_msg_depth_ok(const struct json_t *msg);

/* Test hook: writes len raw bytes inside the TLS channel, no framing
 * added, so a test can send a hostile length prefix or message. 0 or
 * what ctl_send returns. */
NCB_MUST_CHECK int ctl_write_raw(struct ctl *c, const void *buf, size_t len,
				 struct ncb_err *e);

#endif
