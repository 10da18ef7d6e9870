/* The control channel's TCP side: the listening socket, connecting with
 * a deadline, waiting in slices that watch an interrupt flag, and the
 * HOST[:PORT] syntax of --peer. */
#define _GNU_SOURCE /* SOCK_CLOEXEC, SOCK_NONBLOCK */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io/ctl.h"
#include "io/ctl_impl.h"

enum {
	PORT_MAX = 65535,
	NAME_MAX_LEN = 253, /* the longest DNS name (RFC 1035 §2.3.4) */
	SHOWN_MAX = 64,     /* characters of hostile input a message quotes */
};

int64_t ctl_sock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ctl_sock_wait(int fd, short events, int64_t deadline,
		  const volatile sig_atomic_t *flag)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int64_t left = deadline - ctl_sock_now_ms();
		int n;

		if (flag && *flag)
			return -EINTR;
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left < CTL_SLICE_MS ? (int)left : CTL_SLICE_MS);
		if (n > 0)
			return 0;
		/* A signal cuts poll short; the flag says whether it was
		 * meant for us. */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int ctl_sock_prepare(int fd)
{
	int one = 1, fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	/* Not fatal: a socket that is not TCP fails in the handshake. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

/* The numeric form of a socket address, for messages. */
static void addr_text(const struct sockaddr *sa, socklen_t len, char *buf,
		      size_t n)
{
	if (getnameinfo(sa, len, buf, (socklen_t)n, NULL, 0, NI_NUMERICHOST))
		snprintf(buf, n, "?");
}

static int socket_failed(int err, struct ncb_err *e)
{
	return ncb_errf(e, -err, "cannot make a TCP socket: %s", strerror(err));
}

/* The dual-stack wildcard: "::" with IPV6_V6ONLY off, so IPv4 clients
 * arrive as ::ffff:a.b.c.d. Without IPv6 in the kernel, 0.0.0.0. */
static int wildcard_socket(unsigned port, struct sockaddr_storage *ss,
			   socklen_t *len, struct ncb_err *e)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0), off = 0;

	memset(ss, 0, sizeof(*ss));
	if (fd >= 0) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_any;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
		return fd;
	}
	if (errno != EAFNOSUPPORT)
		return socket_failed(errno, e);
	{
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_ANY);
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? socket_failed(errno, e) : fd;
}

/* A socket of addr's family (an IPv4 literal gives AF_INET) and its
 * address: the first getaddrinfo answer. */
static int addr_socket(const char *addr, unsigned port,
		       struct sockaddr_storage *ss, socklen_t *len,
		       struct ncb_err *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res;
	char serv[8];
	int rc, fd;

	snprintf(serv, sizeof(serv), "%u", port);
	rc = getaddrinfo(addr, serv, &hints, &res);
	if (rc)
		return ncb_errf(e, -ENXIO, "cannot resolve '%.*s': %s", SHOWN_MAX,
				addr, gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	rc = fd < 0 ? socket_failed(errno, e) : fd;
	freeaddrinfo(res);
	return rc;
}

int ctl_listen(const char *addr, unsigned port, int *fd, struct ncb_err *e)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	char shown[INET6_ADDRSTRLEN];
	int s, one = 1, rc;

	*fd = -1;
	if (port > PORT_MAX)
		return ncb_errf(e, -EINVAL, "port %u is not a TCP port", port);
	s = addr ? addr_socket(addr, port, &ss, &len, e)
		 : wildcard_socket(port, &ss, &len, e);
	if (s < 0)
		return s;
	/* A restarted serve must not wait for TIME_WAIT of the last test. */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, len) < 0 ||
	    listen(s, CTL_BACKLOG) < 0) {
		rc = -errno;
		addr_text((struct sockaddr *)&ss, len, shown, sizeof(shown));
		close(s);
		return ncb_errf(e, rc, "cannot listen on %s port %u: %s", shown,
				port, strerror(-rc));
	}
	*fd = s;
	return 0;
}

/* One connect attempt to ai by the deadline: the socket or -errno. */
static int try_connect(const struct addrinfo *ai, int64_t deadline)
{
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			0), rc = 0;
	socklen_t len = sizeof(rc);

	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		rc = errno == EINPROGRESS ? ctl_sock_wait(fd, POLLOUT, deadline,
							  NULL)
					  : -errno;
		if (rc == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &rc, &len) == 0)
			rc = -rc;
	}
	if (rc == 0)
		rc = ctl_sock_prepare(fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int ctl_sock_connect(const char *host, unsigned port, int64_t deadline,
		     int *fd, struct ncb_err *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char serv[8], shown[INET6_ADDRSTRLEN];
	size_t left = 0;
	int rc;

	*fd = -1;
	snprintf(shown, sizeof(shown), "%.40s", host);
	if (port == 0 || port > PORT_MAX)
		return ncb_errf(e, -EINVAL, "port %u is not a TCP port", port);
	snprintf(serv, sizeof(serv), "%u", port);
	/* A name goes to the resolver, whose own timeouts apply; literals
	 * and /etc/hosts answer at once. */
	rc = getaddrinfo(host, serv, &hints, &res);
	if (rc)
		return ncb_errf(e, -ENXIO, "cannot resolve '%.*s': %s",
				SHOWN_MAX, host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next)
		left++;
	rc = -ETIMEDOUT;
	for (ai = res; ai; ai = ai->ai_next, left--) {
		int64_t now = ctl_sock_now_ms();

		if (now >= deadline)
			break;
		/* An address that drops SYNs takes only its share. */
		rc = try_connect(ai, now + (deadline - now) / (int64_t)left);
		addr_text(ai->ai_addr, ai->ai_addrlen, shown, sizeof(shown));
		if (rc >= 0) {
			*fd = rc;
			freeaddrinfo(res);
			return 0;
		}
	}
	freeaddrinfo(res);
	if (rc == -ECONNREFUSED)
		return ncb_errf(e, rc,
				"connection refused by %s port %u (is ncbench serve running there?)",
				shown, port);
	if (rc == -ETIMEDOUT)
		return ncb_errf(e, rc, "no answer from %s port %u within %d ms",
				shown, port, CTL_HANDSHAKE_MS);
	return ncb_errf(e, rc, "cannot connect to %s port %u: %s", shown, port,
			strerror(-rc));
}

/* Characters of a host name or an IPv4 literal. */
static int is_name(const char *s, size_t len)
{
	if (!len || len > NAME_MAX_LEN)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    !(ch >= '0' && ch <= '9') && ch != '.' && ch != '-' &&
		    ch != '_')
			return 0;
	}
	return 1;
}

/* An IPv6 literal, with an optional "%zone" (an interface name). */
static int is_v6(const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;
	const char *zone = memchr(s, '%', len);
	size_t addr_len = zone ? (size_t)(zone - s) : len;

	if (!addr_len || addr_len >= sizeof(buf))
		return 0;
	if (zone && !is_name(zone + 1, len - addr_len - 1))
		return 0;
	memcpy(buf, s, addr_len);
	buf[addr_len] = 0;
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* Decimal 1..65535, digits only. */
static int parse_port(const char *s, unsigned *port)
{
	unsigned v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > PORT_MAX)
			return -1;
	}
	if (!v)
		return -1;
	*port = v;
	return 0;
}

int ctl_split_hostport(const char *s, char *host, size_t n, unsigned *port,
		       struct ncb_err *e)
{
	const char *h = s, *colon, *rest;
	size_t len;
	int is_bracket = s[0] == '[';

	*port = CTL_PORT;
	if (n)
		host[0] = 0;
	if (is_bracket) {
		const char *end = strchr(s, ']');

		if (!end)
			return ncb_errf(e, -EINVAL, "'%.*s': no ']' after the IPv6 address",
					SHOWN_MAX, s);
		h = s + 1;
		len = (size_t)(end - h);
		rest = end + 1;
		if (!is_v6(h, len))
			return ncb_errf(e, -EINVAL, "'%.*s': not an IPv6 address in brackets",
					SHOWN_MAX, s);
	} else {
		colon = strchr(s, ':');
		/* Two colons: a bare IPv6 address, which cannot carry a port. */
		if (colon && strchr(colon + 1, ':')) {
			len = strlen(s);
			rest = s + len;
			if (!is_v6(s, len))
				return ncb_errf(e, -EINVAL,
						"'%.*s': not a host (an IPv6 address with a port is written [ADDR]:PORT)",
						SHOWN_MAX, s);
		} else {
			len = colon ? (size_t)(colon - s) : strlen(s);
			rest = s + len;
			if (!is_name(s, len))
				return ncb_errf(e, -EINVAL,
						"'%.*s': not a host name or address", SHOWN_MAX,
						s);
		}
	}
	if (*rest && (*rest != ':' || parse_port(rest + 1, port) < 0))
		return ncb_errf(e, -EINVAL, "'%.*s': the port must be 1..65535",
				SHOWN_MAX, s);
	if (len >= n)
		return ncb_errf(e, -ENAMETOOLONG, "'%.*s': the host is too long",
				SHOWN_MAX, s);
	memcpy(host, h, len);
	host[len] = 0;
	return 0;
}
