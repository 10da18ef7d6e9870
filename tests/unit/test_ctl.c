/* The control channel over real TCP connections on loopback (IPv4, IPv6
 * and the dual-stack wildcard), a thread playing the server: handshake
 * and a large message both ways; a wrong PSK, garbage, silence, a
 * certificate instead of the PSK; hostile length prefixes, versions
 * and sizes; timeouts, the interrupt flag and a peer that leaves; what
 * crosses the wire (captured by a relay) holds neither the key nor the
 * plaintext. Then the PSK files, the message checks and the HOST[:PORT]
 * syntax, as tables. */
#define _GNU_SOURCE /* accept4, mkdtemp */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "io/ctl.h"
#include "io/ctl_impl.h"
#include "tests/unit/helpers.h"

enum {
	ACCEPT_MS = 10000,
	BIG_STRING = 900 * 1024,
	CAPTURE_MAX = 4 << 20,
	SLOTS = 4,
};

static const uint8_t key_a[CTL_PSK_LEN] = {
	0x3c, 0x91, 0x0e, 0x5a, 0xd4, 0x27, 0x88, 0x6b, 0x1f, 0xe2, 0x40,
	0x9d, 0x73, 0xa5, 0x0b, 0xc8, 0x56, 0x2e, 0xf1, 0x64, 0x9a, 0x13,
	0xbd, 0x07, 0x4f, 0xe8, 0x35, 0xca, 0x71, 0x2b, 0x96, 0x5d,
};
static uint8_t key_b[CTL_PSK_LEN];

/* The server thread: accepts one connection, runs ctl_server, then its
 * scenario, which records what it saw in the slots. */
struct srv {
	int lfd;
	const uint8_t *psk;
	void (*then)(struct srv *s, struct ctl *c);
	int rc;
	int64_t ms;
	struct ncb_err e;
	int rcs[SLOTS];
	int64_t mss[SLOTS];
	struct ncb_err es[SLOTS];
	json_t *got;
	struct sockaddr_storage local, peer; /* the server's view */
	sem_t step;  /* the scenario tells the client it may go on */
	sem_t go;    /* the client tells the scenario */
	pthread_t th;
};

static int accept_one(int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, ACCEPT_MS) != 1)
		return -ETIMEDOUT;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void *srv_main(void *arg)
{
	struct srv *s = arg;
	struct ctl *c = NULL;
	int fd = accept_one(s->lfd);
	int64_t t0 = ctl_sock_now_ms();

	if (fd < 0) {
		s->rc = fd;
		return NULL;
	}
	s->rc = ctl_server(&c, fd, s->psk, &s->e);
	s->ms = ctl_sock_now_ms() - t0;
	if (s->rc == 0 && ctl_addrs(c, &s->local, &s->peer) < 0)
		s->local.ss_family = s->peer.ss_family = AF_UNSPEC;
	if (s->rc == 0 && s->then)
		s->then(s, c);
	ctl_free(c);
	return NULL;
}

/* A listening socket on addr, port 0; *port: the one the kernel chose. */
static int listen_on(const char *addr, int *lfd, unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ncb_err e = { "" };

	if (ctl_listen(addr, 0, lfd, &e) < 0) {
		fprintf(stderr, "listen on %s: %s\n", addr ? addr : "(any)", e.msg);
		return -1;
	}
	getsockname(*lfd, (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET6
			      ? ((struct sockaddr_in6 *)&ss)->sin6_port
			      : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static void srv_start(struct srv *s, int lfd, const uint8_t *psk,
		      void (*then)(struct srv *, struct ctl *))
{
	memset(s, 0, sizeof(*s));
	s->lfd = lfd;
	s->psk = psk;
	s->then = then;
	sem_init(&s->step, 0, 0);
	sem_init(&s->go, 0, 0);
	pthread_create(&s->th, NULL, srv_main, s);
}

static void srv_join(struct srv *s)
{
	pthread_join(s->th, NULL);
	json_decref(s->got);
	sem_destroy(&s->step);
	sem_destroy(&s->go);
}

/* recv into slot i, timed. */
static void timed_recv(struct srv *s, struct ctl *c, int i, int timeout_ms)
{
	int64_t t0 = ctl_sock_now_ms();

	json_decref(s->got);
	s->got = NULL;
	s->rcs[i] = ctl_recv(c, &s->got, timeout_ms, &s->es[i]);
	s->mss[i] = ctl_sock_now_ms() - t0;
}

/* Echo one message, then wait for the client to leave. */
static void then_echo(struct srv *s, struct ctl *c)
{
	timed_recv(s, c, 0, -1);
	if (s->rcs[0] == 0)
		s->rcs[1] = ctl_send(c, s->got, &s->es[1]);
	timed_recv(s, c, 2, 5000);
}

static json_t *big_message(const char *type, size_t big)
{
	char *text = malloc(big + 1);
	json_t *m;

	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[big] = 0;
	m = json_pack("{s:s, s:{s:[i, {s:b, s:n, s:f}], s:s}, s:s%}", "type", type,
		      "nested", "list", 1, "deep", 1, "none", "pi", 3.25,
		      "unicode", "\xc3\xa9t\xc3\xa9", "big", text, big);
	free(text);
	return m;
}

static void test_roundtrip(const char *listen_addr, const char *host,
			   size_t big)
{
	struct srv s;
	struct ctl *c = NULL;
	struct ncb_err e = { "" };
	struct sockaddr_storage local, peer;
	char desc[128] = "";
	json_t *m, *back = NULL;
	unsigned port;
	int lfd, rc;

	if (listen_on(listen_addr, &lfd, &port) < 0) {
		t_check(0, "%s: listen", host);
		return;
	}
	srv_start(&s, lfd, key_a, then_echo);
	rc = ctl_client(&c, host, port, key_a, &e);
	t_check(rc == 0, "%s via %s: handshake (%d: %s)", host,
		listen_addr ? listen_addr : "any", rc, e.msg);
	if (rc == 0) {
		ctl_describe(c, desc, sizeof(desc));
		/* (EC)DHE with the PSK: a group was negotiated. */
		t_check(strncmp(desc, "TLSv1.3 TLS_AES_256_GCM_SHA384 psk_dhe_ke ", 42) == 0 &&
				strlen(desc) > 42,
			"%s: TLS 1.3, AES-256-GCM, PSK with (EC)DHE (%s)", host, desc);
		t_check(ctl_addrs(c, &local, &peer) == 0 &&
				ntohs(((struct sockaddr_in *)&peer)->sin_port) == port,
			"%s: addresses", host);
		m = big_message("probe", big);
		rc = ctl_send(c, m, &e);
		t_check(rc == 0, "%s: send %zu bytes (%s)", host, big, e.msg);
		rc = ctl_recv(c, &back, -1, &e);
		t_check(rc == 0 && json_equal(m, back), "%s: the echo is the message (%d %s)",
			host, rc, e.msg);
		t_check(json_integer_value(json_object_get(m, "v")) == CTL_VERSION,
			"%s: send adds v", host);
		t_check(rc == 0 && strcmp(ctl_type(back), "probe") == 0,
			"%s: ctl_type", host);
		json_decref(back);
		json_decref(m);
	}
	ctl_free(c);
	srv_join(&s);
	t_check(s.rc == 0, "%s: server handshake (%d: %s)", host, s.rc, s.e.msg);
	t_check(s.rcs[0] == 0 && s.rcs[1] == 0, "%s: server echo (%d %d: %s %s)",
		host, s.rcs[0], s.rcs[1], s.es[0].msg, s.es[1].msg);
	t_check(s.rcs[2] == -EPIPE, "%s: server sees the client leave: -EPIPE (%d: %s)",
		host, s.rcs[2], s.es[2].msg);
	/* The server sees the family the client used, also through the
	 * dual-stack wildcard. */
	{
		int family = strchr(host, ':') ? AF_INET6 : AF_INET;

		if (!strcmp(host, "localhost"))
			family = s.peer.ss_family; /* either, as resolved */
		t_check(s.rc || (s.peer.ss_family == family &&
				 s.local.ss_family == family),
			"%s: the server's addresses are of family %d (%d %d)", host,
			family, s.local.ss_family, s.peer.ss_family);
	}
	close(lfd);
}

static int has_ipv6(void)
{
	int lfd;
	unsigned port;
	struct ncb_err e;

	if (ctl_listen("::1", 0, &lfd, &e) < 0)
		return 0;
	close(lfd);
	(void)port;
	return 1;
}

static void test_wrong_psk(void)
{
	struct srv s;
	struct ctl *c = NULL;
	struct ncb_err e = { "" };
	unsigned port;
	int lfd, rc;
	int64_t t0;

	if (listen_on("127.0.0.1", &lfd, &port) < 0)
		return;
	srv_start(&s, lfd, key_a, NULL);
	t0 = ctl_sock_now_ms();
	rc = ctl_client(&c, "127.0.0.1", port, key_b, &e);
	t0 = ctl_sock_now_ms() - t0;
	t_check(rc == -EACCES && strstr(e.msg, "authentication failed") && t0 < 5000,
		"wrong PSK: client -EACCES within 5 s (%d: %s, %lld ms)", rc, e.msg,
		(long long)t0);
	ctl_free(c);
	srv_join(&s);
	t_check(s.rc == -EACCES && strstr(s.e.msg, "authentication failed") &&
			s.ms < 5000,
		"wrong PSK: server -EACCES within 5 s (%d: %s, %lld ms)", s.rc,
		s.e.msg, (long long)s.ms);
	close(lfd);
}

/* A plain TCP client to port on 127.0.0.1. */
static int raw_connect(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_garbage(void)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t len;
	} cases[] = {
		{ "an HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27 },
		{ "a TLS header with a huge length", "\x16\x03\x01\xff\xff\x01\x02\x03", 8 },
		{ "an SSH banner", "SSH-2.0-OpenSSH_9.2\r\n", 21 },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct srv s;
		unsigned port;
		int lfd, fd;

		if (listen_on("127.0.0.1", &lfd, &port) < 0)
			return;
		srv_start(&s, lfd, key_a, NULL);
		fd = raw_connect(port);
		if (fd < 0 || write(fd, cases[i].bytes, cases[i].len) !=
				      (ssize_t)cases[i].len)
			t_check(0, "garbage: connect and write");
		/* The connection stays open: the verdict is on the bytes. */
		srv_join(&s);
		t_check(s.rc == -EPROTO && s.ms < 1000,
			"garbage (%s): server -EPROTO at once (%d: %s, %lld ms)",
			cases[i].name, s.rc, s.e.msg, (long long)s.ms);
		close(fd);
		close(lfd);
	}
}

/* A client that connects and says nothing: the server gives up after
 * CTL_HANDSHAKE_MS. Started first and checked last, so the wait
 * overlaps the other tests. */
static struct srv silent;
static int silent_lfd = -1, silent_fd = -1;

static void silent_start(void)
{
	unsigned port;

	if (listen_on("127.0.0.1", &silent_lfd, &port) < 0)
		return;
	srv_start(&silent, silent_lfd, key_a, NULL);
	silent_fd = raw_connect(port);
}

static void silent_check(void)
{
	if (silent_lfd < 0)
		return;
	srv_join(&silent);
	t_check(silent.rc == -ETIMEDOUT && silent.ms >= CTL_HANDSHAKE_MS - 100 &&
			silent.ms < CTL_HANDSHAKE_MS + 1500,
		"silent client: server -ETIMEDOUT after %d ms (%d: %s, %lld ms)",
		CTL_HANDSHAKE_MS, silent.rc, silent.e.msg, (long long)silent.ms);
	close(silent_fd);
	close(silent_lfd);
}

/* A connected pair through the server thread running then. */
static int pair_up(struct srv *s, int *lfd, struct ctl **c,
		   void (*then)(struct srv *, struct ctl *))
{
	struct ncb_err e = { "" };
	unsigned port;
	int rc;

	*c = NULL;
	if (listen_on("127.0.0.1", lfd, &port) < 0)
		return -1;
	srv_start(s, *lfd, key_a, then);
	rc = ctl_client(c, "127.0.0.1", port, key_a, &e);
	if (rc < 0)
		fprintf(stderr, "client: %s\n", e.msg);
	return rc;
}

static void pair_down(struct srv *s, int lfd, struct ctl *c)
{
	ctl_free(c);
	srv_join(s);
	close(lfd);
}

/* Two messages read with a short timeout each, the client told in
 * between. */
static void then_two_short(struct srv *s, struct ctl *c)
{
	timed_recv(s, c, 0, 300);
	sem_post(&s->step);
	timed_recv(s, c, 1, 3000);
	sem_post(&s->step);
	sem_wait(&s->go);
}

static void raw(struct ctl *c, const void *bytes, size_t len, const char *what)
{
	struct ncb_err e = { "" };
	int rc = ctl_write_raw(c, bytes, len, &e);

	t_check(rc == 0, "%s: raw write (%d: %s)", what, rc, e.msg);
}

/* A frame around text: the length prefix, then the bytes. */
static size_t frame(uint8_t *buf, const char *text)
{
	size_t len = strlen(text);

	ncb_put_be32(buf, (uint32_t)len);
	memcpy(buf + 4, text, len);
	return len + 4;
}

static void test_oversize(void)
{
	static const uint32_t lens[] = { CTL_MSG_MAX + 1, 0x7fffffff, 0xffffffff };

	for (size_t i = 0; i < NCB_ARRAY_SIZE(lens); i++) {
		struct srv s;
		struct ctl *c;
		uint8_t hdr[14] = { 0 };
		int lfd;

		if (pair_up(&s, &lfd, &c, then_two_short) < 0) {
			t_check(0, "oversize: pair");
			pair_down(&s, lfd, c);
			continue;
		}
		/* The body does not follow: refusing must not wait for it. */
		ncb_put_be32(hdr, lens[i]);
		memcpy(hdr + 4, "{\"v\":1,\"ty", 10);
		raw(c, hdr, sizeof(hdr), "oversize");
		sem_wait(&s.step);
		sem_wait(&s.step);
		sem_post(&s.go);
		pair_down(&s, lfd, c);
		t_check(s.rcs[0] == -EMSGSIZE && s.mss[0] < 250,
			"length %u: -EMSGSIZE before any body (%d: %s, %lld ms)", lens[i],
			s.rcs[0], s.es[0].msg, (long long)s.mss[0]);
		t_check(s.rcs[1] == -EMSGSIZE && s.mss[1] < 50,
			"length %u: the channel stays refused (%d)", lens[i], s.rcs[1]);
	}
}

/* Exactly the limit is a length, not an error: it waits for the body. */
static void test_limit_is_a_length(void)
{
	struct srv s;
	struct ctl *c;
	uint8_t hdr[4];
	int lfd;

	if (pair_up(&s, &lfd, &c, then_two_short) < 0) {
		pair_down(&s, lfd, c);
		return;
	}
	ncb_put_be32(hdr, CTL_MSG_MAX);
	raw(c, hdr, sizeof(hdr), "limit");
	sem_wait(&s.step);
	sem_wait(&s.step);
	sem_post(&s.go);
	pair_down(&s, lfd, c);
	t_check(s.rcs[0] == -ETIMEDOUT, "length CTL_MSG_MAX: waits for the body (%d: %s)",
		s.rcs[0], s.es[0].msg);
}

/* A message in two pieces across a timeout, then a wrong version, then
 * a good message: a timeout keeps the half message, a refused version
 * keeps the channel in step. */
static void then_pieces(struct srv *s, struct ctl *c)
{
	timed_recv(s, c, 0, 300);
	sem_post(&s->step);
	timed_recv(s, c, 1, 3000);
	s->rcs[3] = s->rcs[1] == 0 && !strcmp(ctl_type(s->got), "half") ? 0 : -1;
	timed_recv(s, c, 2, 3000);
	sem_post(&s->step);
	sem_wait(&s->go);
	timed_recv(s, c, 3, 3000);
	if (s->rcs[3] == 0 && strcmp(ctl_type(s->got), "after"))
		s->rcs[3] = -1;
	sem_post(&s->step);
}

static void test_pieces_and_version(void)
{
	struct srv s;
	struct ctl *c;
	struct ncb_err e = { "" };
	uint8_t buf[128];
	size_t len;
	json_t *m;
	int lfd;

	if (pair_up(&s, &lfd, &c, then_pieces) < 0) {
		pair_down(&s, lfd, c);
		return;
	}
	len = frame(buf, "{\"v\":1,\"type\":\"half\",\"n\":12345}");
	raw(c, buf, 10, "pieces");
	sem_wait(&s.step);
	raw(c, buf + 10, len - 10, "pieces");
	len = frame(buf, "{\"v\":2,\"type\":\"hello\"}");
	raw(c, buf, len, "version");
	sem_wait(&s.step);
	/* What the peer would refuse is not sent at all. */
	m = big_message("toobig", CTL_MSG_MAX);
	t_check(ctl_send(c, m, &e) == -EMSGSIZE, "send over the limit: -EMSGSIZE (%s)",
		e.msg);
	json_decref(m);
	m = json_array();
	t_check(ctl_send(c, m, &e) == -EINVAL, "send an array: -EINVAL");
	json_decref(m);
	m = json_pack("{s:s}", "type", "deep");
	{
		json_t *in = m;

		for (int i = 0; i < CTL_DEPTH_MAX; i++) {
			json_t *next = json_object();

			json_object_set_new(in, "d", next);
			in = next;
		}
	}
	t_check(ctl_send(c, m, &e) == -EINVAL, "send too deep: -EINVAL (%s)", e.msg);
	json_decref(m);
	m = json_pack("{s:s}", "type", "after");
	t_check(ctl_send(c, m, &e) == 0, "send after refusals (%s)", e.msg);
	json_decref(m);
	sem_post(&s.go);
	sem_wait(&s.step);
	pair_down(&s, lfd, c);
	t_check(s.rcs[0] == -ETIMEDOUT && s.mss[0] >= 290 && s.mss[0] < 800,
		"half a message: -ETIMEDOUT after 300 ms (%d, %lld ms)", s.rcs[0],
		(long long)s.mss[0]);
	t_check(s.rcs[1] == 0 && s.rcs[3] == 0,
		"the rest arrives: the whole message (%d: %s)", s.rcs[1], s.es[1].msg);
	t_check(s.rcs[2] == -EPROTONOSUPPORT && strstr(s.es[2].msg, "version 2") &&
			strstr(s.es[2].msg, "this end 1"),
		"v 2: -EPROTONOSUPPORT naming both versions (%d: %s)", s.rcs[2],
		s.es[2].msg);
	t_check(s.rcs[3] == 0, "a message after the refusals arrives (%d: %s)",
		s.rcs[3], s.es[3].msg);
}

/* The interrupt flag: raised by another thread 100 ms into a read that
 * would wait 5 s. */
static volatile sig_atomic_t stop_flag;
static int64_t stop_at;

static void *raise_later(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	stop_at = ctl_sock_now_ms();
	stop_flag = 1;
	return NULL;
}

static void then_interrupted(struct srv *s, struct ctl *c)
{
	pthread_t th;
	json_t *m = json_pack("{s:s}", "type", "x");

	stop_flag = 0;
	ctl_set_interrupt(c, &stop_flag);
	pthread_create(&th, NULL, raise_later, NULL);
	timed_recv(s, c, 0, 5000);
	s->mss[0] = ctl_sock_now_ms() - stop_at;
	pthread_join(th, NULL);
	s->rcs[1] = ctl_send(c, m, &s->es[1]);
	json_decref(m);
	/* Lowered: the channel works again. */
	ctl_set_interrupt(c, NULL);
	sem_post(&s->step);
	timed_recv(s, c, 2, 3000);
}

static void test_interrupt(void)
{
	struct srv s;
	struct ctl *c;
	struct ncb_err e = { "" };
	json_t *m = json_pack("{s:s}", "type", "late");
	int lfd;

	if (pair_up(&s, &lfd, &c, then_interrupted) == 0) {
		sem_wait(&s.step);
		t_check(ctl_send(c, m, &e) == 0, "interrupt: send (%s)", e.msg);
	}
	json_decref(m);
	pair_down(&s, lfd, c);
	t_check(s.rcs[0] == -EINTR && s.mss[0] < 200,
		"flag raised: recv -EINTR within 200 ms (%d, %lld ms after)", s.rcs[0],
		(long long)s.mss[0]);
	t_check(s.rcs[1] == -EINTR, "flag up: send -EINTR (%d)", s.rcs[1]);
	t_check(s.rcs[2] == 0, "flag lowered: recv works (%d: %s)", s.rcs[2],
		s.es[2].msg);
}

/* The client leaves at once: the server's writes see -EPIPE (the
 * socket's own error: nothing was read before), no SIGPIPE kills the
 * process, and a read after them says the same. */
static void then_peer_gone(struct srv *s, struct ctl *c)
{
	json_t *m = json_pack("{s:s, s:s%}", "type", "x", "pad",
			      "0123456789abcdef0123456789abcdef", (size_t)32);
	int64_t t0;

	sem_wait(&s->go);
	usleep(50 * 1000); /* the client's FIN arrives */
	t0 = ctl_sock_now_ms();
	for (int i = 0; i < 100; i++) {
		s->rcs[1] = ctl_send(c, m, &s->es[1]);
		if (s->rcs[1] < 0)
			break;
		usleep(10 * 1000);
	}
	s->mss[1] = ctl_sock_now_ms() - t0;
	json_decref(m);
	timed_recv(s, c, 0, 3000);
}

static void test_peer_gone(void)
{
	struct srv s;
	struct ctl *c;
	int lfd;

	if (pair_up(&s, &lfd, &c, then_peer_gone) == 0) {
		ctl_free(c);
		c = NULL;
		sem_post(&s.go);
	}
	pair_down(&s, lfd, c);
	t_check(s.rcs[1] == -EPIPE, "client gone: send -EPIPE (%d: %s, %lld ms)",
		s.rcs[1], s.es[1].msg, (long long)s.mss[1]);
	t_check(s.rcs[0] == -EPIPE, "client gone: then recv -EPIPE (%d: %s)",
		s.rcs[0], s.es[0].msg);
}

/* A relay between the client and the server that keeps every byte it
 * forwards, both ways. */
struct relay {
	int lfd;
	unsigned to_port;
	uint8_t *cap;
	size_t len;
	pthread_t th;
};

static void block_sigpipe(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	struct pollfd p[2];
	int fd[2], open = 2;
	char buf[16384];

	block_sigpipe();
	fd[0] = accept_one(r->lfd);
	fd[1] = raw_connect(r->to_port);
	if (fd[0] < 0 || fd[1] < 0)
		return NULL;
	for (int i = 0; i < 2; i++)
		p[i] = (struct pollfd){ .fd = fd[i], .events = POLLIN };
	while (open && poll(p, 2, ACCEPT_MS) > 0) {
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!p[i].revents)
				continue;
			n = read(fd[i], buf, sizeof(buf));
			if (n <= 0) {
				shutdown(fd[1 - i], SHUT_WR);
				p[i].fd = -1;
				open--;
				continue;
			}
			if (write(fd[1 - i], buf, (size_t)n) != n)
				open = 0;
			if (r->len + (size_t)n <= CAPTURE_MAX) {
				memcpy(r->cap + r->len, buf, (size_t)n);
				r->len += (size_t)n;
			}
		}
	}
	close(fd[0]);
	close(fd[1]);
	return NULL;
}

static int captured(const struct relay *r, const void *needle, size_t len)
{
	return memmem(r->cap, r->len, needle, len) != NULL;
}

static void test_wire(void)
{
	static const char marker[] = "PLAINTEXT-MARKER-5f3a";
	struct relay r = { .cap = malloc(CAPTURE_MAX) };
	struct srv s;
	struct ctl *c = NULL;
	struct ncb_err e = { "" };
	char hex[2 * CTL_PSK_LEN + 1], upper[sizeof(hex)];
	unsigned port, relay_port;
	json_t *m, *back = NULL;
	int lfd, rc;

	if (listen_on("127.0.0.1", &lfd, &port) < 0 ||
	    listen_on("127.0.0.1", &r.lfd, &relay_port) < 0)
		return;
	r.to_port = port;
	pthread_create(&r.th, NULL, relay_main, &r);
	srv_start(&s, lfd, key_a, then_echo);
	rc = ctl_client(&c, "127.0.0.1", relay_port, key_a, &e);
	t_check(rc == 0, "wire: handshake through the relay (%s)", e.msg);
	m = json_pack("{s:s, s:s}", "type", "secret", "text", marker);
	if (rc == 0) {
		t_check(ctl_send(c, m, &e) == 0 && ctl_recv(c, &back, -1, &e) == 0,
			"wire: echo through the relay (%s)", e.msg);
	}
	json_decref(back);
	json_decref(m);
	ctl_free(c);
	srv_join(&s);
	pthread_join(r.th, NULL);
	for (size_t i = 0; i < CTL_PSK_LEN; i++) {
		snprintf(hex + 2 * i, 3, "%02x", key_a[i]);
		snprintf(upper + 2 * i, 3, "%02X", key_a[i]);
	}
	t_check(r.len > 200 && r.cap[0] == 0x16,
		"wire: TLS records crossed (%zu bytes, first 0x%02x)", r.len,
		r.len ? r.cap[0] : 0);
	t_check(!captured(&r, key_a, 8) && !captured(&r, hex, 16) &&
			!captured(&r, upper, 16),
		"wire: no part of the PSK, raw or hex");
	t_check(!captured(&r, marker, strlen(marker)) && !captured(&r, "secret", 6),
		"wire: no plaintext of the message");
	free(r.cap);
	close(lfd);
	close(r.lfd);
}

/* A TLS server with a certificate that ignores the PSK: the client must
 * not trust it, whatever it shows. */
struct cert_srv {
	int lfd;
	SSL_CTX *ctx;
	int rc;
	pthread_t th;
};

static void *cert_srv_main(void *arg)
{
	struct cert_srv *s = arg;
	struct timeval tv = { .tv_sec = 5 };
	int fd;
	SSL *ssl;

	block_sigpipe();
	fd = accept_one(s->lfd);
	if (fd < 0)
		return NULL;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssl = SSL_new(s->ctx);
	SSL_set_fd(ssl, fd);
	s->rc = SSL_accept(ssl);
	SSL_free(ssl);
	close(fd);
	return NULL;
}

static SSL_CTX *cert_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"impostor", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_sign(x, pk, EVP_sha256());
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	SSL_CTX_use_certificate(ctx, x);
	SSL_CTX_use_PrivateKey(ctx, pk);
	X509_free(x);
	EVP_PKEY_free(pk);
	return ctx;
}

static void test_certificate_refused(void)
{
	struct cert_srv s = { .ctx = cert_ctx() };
	struct ctl *c = NULL;
	struct ncb_err e = { "" };
	unsigned port;
	int rc;

	if (listen_on("127.0.0.1", &s.lfd, &port) < 0)
		return;
	pthread_create(&s.th, NULL, cert_srv_main, &s);
	rc = ctl_client(&c, "127.0.0.1", port, key_a, &e);
	t_check(rc == -EACCES && strstr(e.msg, "authentication failed"),
		"a server with a certificate and no PSK: -EACCES (%d: %s)", rc, e.msg);
	ctl_free(c);
	pthread_join(s.th, NULL);
	t_check(s.rc != 1, "the impostor's handshake did not complete");
	SSL_CTX_free(s.ctx);
	close(s.lfd);
}

static void test_connect_errors(void)
{
	struct ctl *c = NULL;
	struct ncb_err e = { "" };
	unsigned port;
	int lfd, rc;

	/* A port nothing listens on: bound and closed again. */
	if (listen_on("127.0.0.1", &lfd, &port) < 0)
		return;
	close(lfd);
	rc = ctl_client(&c, "127.0.0.1", port, key_a, &e);
	t_check(rc == -ECONNREFUSED && strstr(e.msg, "127.0.0.1"),
		"closed port: -ECONNREFUSED naming the address (%d: %s)", rc, e.msg);
	rc = ctl_client(&c, "no-such-host.invalid", 7478, key_a, &e);
	t_check(rc == -ENXIO, "unresolvable name: -ENXIO (%d: %s)", rc, e.msg);
	rc = ctl_client(&c, "127.0.0.1", 70000, key_a, &e);
	t_check(rc == -EINVAL, "port 70000: -EINVAL (%d)", rc);
	rc = ctl_listen(NULL, 70000, &lfd, &e);
	t_check(rc == -EINVAL, "listen on port 70000: -EINVAL (%d)", rc);
	rc = ctl_listen("not an address", 0, &lfd, &e);
	t_check(rc == -ENXIO, "listen on a bad address: -ENXIO (%d: %s)", rc, e.msg);
	t_check(c == NULL, "no channel after failures");
}

/* A listener on 127.0.0.1 is IPv4; the wildcard takes both families. */
static void test_listen_families(void)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ncb_err e;
	int lfd, v6only = 1;
	socklen_t olen = sizeof(v6only);

	if (ctl_listen("127.0.0.1", 0, &lfd, &e) == 0) {
		getsockname(lfd, (struct sockaddr *)&ss, &len);
		t_check(ss.ss_family == AF_INET, "127.0.0.1: an IPv4 socket");
		close(lfd);
	}
	if (ctl_listen(NULL, 0, &lfd, &e) == 0) {
		len = sizeof(ss);
		getsockname(lfd, (struct sockaddr *)&ss, &len);
		getsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &olen);
		t_check(ss.ss_family != AF_INET6 || v6only == 0,
			"wildcard: dual-stack (family %d, v6only %d)", ss.ss_family, v6only);
		t_check(fcntl(lfd, F_GETFD) & FD_CLOEXEC, "wildcard: close-on-exec");
		close(lfd);
	}
}

/* PSK files in a private folder. */
static char dir[64];

static const char *put_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		t_check(0, "psk: cannot write %s", path);
	close(fd);
	chmod(path, mode);
	return path;
}

static void test_psk_files(void)
{
	static const char hex64[] =
		"3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965d";
	static const struct {
		const char *name, *text;
		mode_t mode;
		int rc;
	} cases[] = {
		{ "ok-nl", hex64 /* + "\n" below */, 0600, 0 },
		{ "ok-bare", hex64, 0400, 0 },
		{ "mode-644", hex64, 0644, -EACCES },
		{ "mode-640", hex64, 0640, -EACCES },
		{ "mode-604", hex64, 0604, -EACCES },
		{ "mode-620", hex64, 0620, -EACCES },
		{ "mode-602", hex64, 0602, -EACCES },
		{ "short", "3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965", 0600, -EINVAL },
		{ "long", "3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965d0", 0600, -EINVAL },
		{ "non-hex", "3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965g", 0600, -EINVAL },
		{ "two-newlines", "3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965d\n\n", 0600, -EINVAL },
		{ "crlf", "3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965d\r\n", 0600, -EINVAL },
		{ "space", " 3c910e5ad427886b1fe2409d73a50bc8562ef1649a13bd074fe835ca712b965", 0600, -EINVAL },
		{ "empty", "", 0600, -EINVAL },
		{ "upper", "3C910E5AD427886B1FE2409D73A50BC8562EF1649A13BD074FE835CA712B965D", 0600, 0 },
	};
	struct ncb_err e = { "" };
	uint8_t psk[CTL_PSK_LEN];
	char path[128], link[128], text[80], want[256];
	struct stat st;
	int rc;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		const char *p;

		snprintf(text, sizeof(text), "%s%s", cases[i].text, i == 0 ? "\n" : "");
		p = put_file(cases[i].name, text, cases[i].mode);
		memset(psk, 0xaa, sizeof(psk));
		rc = ctl_psk_load(p, psk, &e);
		t_check(rc == cases[i].rc, "psk %s: %d (got %d: %s)", cases[i].name,
			cases[i].rc, rc, rc ? e.msg : "");
		if (rc == 0)
			t_check(memcmp(psk, key_a, sizeof(psk)) == 0, "psk %s: the key",
				cases[i].name);
		else
			t_check(psk[0] == 0 && psk[CTL_PSK_LEN - 1] == 0,
				"psk %s: refused, the output wiped", cases[i].name);
	}
	put_file("mode-644", hex64, 0644);
	rc = ctl_psk_load(put_file("mode-644", hex64, 0644), psk, &e);
	snprintf(want, sizeof(want), "permissions 0644 for '%s/mode-644' are too open (chmod 600 %s/mode-644)",
		 dir, dir);
	t_check(rc == -EACCES && strcmp(e.msg, want) == 0, "psk 0644: the message (%s)",
		e.msg);

	snprintf(path, sizeof(path), "%s/missing", dir);
	t_check(ctl_psk_load(path, psk, &e) == -ENOENT, "psk missing: -ENOENT");
	t_check(ctl_psk_load(dir, psk, &e) == -EINVAL, "psk a folder: -EINVAL (%s)", e.msg);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(path, sizeof(path), "%s/ok-nl", dir);
	t_check(symlink(path, link) == 0 && ctl_psk_load(link, psk, &e) == -ELOOP,
		"psk through a symbolic link: -ELOOP (%s)", e.msg);

	/* Writing: mode 0600 even with umask 0, never over a file. */
	{
		mode_t old = umask(0);
		uint8_t first[CTL_PSK_LEN];

		snprintf(path, sizeof(path), "%s/new", dir);
		rc = ctl_psk_write(path, &e);
		umask(old);
		t_check(rc == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 &&
				st.st_size == 65,
			"psk write: mode 0600 with umask 0, 65 bytes (%d: %s, %o)", rc,
			e.msg, (unsigned)(st.st_mode & 07777));
		t_check(ctl_psk_load(path, first, &e) == 0, "psk write: loads (%s)", e.msg);
		rc = ctl_psk_write(path, &e);
		t_check(rc == -EEXIST && ctl_psk_load(path, psk, &e) == 0 &&
				memcmp(psk, first, sizeof(psk)) == 0,
			"psk write: refuses to overwrite, the key kept (%d)", rc);
		t_check(ctl_psk_write(link, &e) == -EEXIST,
			"psk write: refuses a symbolic link");
		snprintf(path, sizeof(path), "%s/new2", dir);
		t_check(ctl_psk_write(path, &e) == 0 && ctl_psk_load(path, psk, &e) == 0 &&
				memcmp(psk, first, sizeof(psk)) != 0,
			"psk write: a second key differs");
		snprintf(path, sizeof(path), "%s/no/such/dir", dir);
		t_check(ctl_psk_write(path, &e) == -ENOENT, "psk write: missing folder");
	}
}

/* A message whose object holds arrays nested to `levels` in all. */
static void make_nested(char *buf, size_t n, int levels)
{
	size_t len = (size_t)snprintf(buf, n, "{\"v\":1,\"type\":\"x\",\"d\":");

	for (int i = 1; i < levels && len < n - 1; i++)
		buf[len++] = '[';
	for (int i = 1; i < levels && len < n - 1; i++)
		buf[len++] = ']';
	if (len < n - 1)
		buf[len++] = '}';
	buf[len] = 0;
}

static void test_parse(void)
{
	static char deep[10001];
	static char nested[512];
	static const struct {
		const char *name, *text;
		int rc;
	} cases[] = {
		{ "ok", "{\"v\":1,\"type\":\"hello\"}", 0 },
		{ "ok with fields", "{\"type\":\"x\",\"a\":[1,{\"b\":null}],\"v\":1}", 0 },
		{ "empty", "", -EPROTO },
		{ "array", "[]", -EPROTO },
		{ "number", "1", -EPROTO },
		{ "string", "\"x\"", -EPROTO },
		{ "empty object", "{}", -EPROTO },
		{ "no type", "{\"v\":1}", -EPROTO },
		{ "no v", "{\"type\":\"x\"}", -EPROTO },
		{ "v a string", "{\"v\":\"1\",\"type\":\"x\"}", -EPROTO },
		{ "v a real", "{\"v\":1.0,\"type\":\"x\"}", -EPROTO },
		{ "v 2", "{\"v\":2,\"type\":\"x\"}", -EPROTONOSUPPORT },
		{ "v 0", "{\"v\":0,\"type\":\"x\"}", -EPROTONOSUPPORT },
		{ "v huge", "{\"v\":99999999999999999999,\"type\":\"x\"}", -EPROTO },
		{ "type a number", "{\"v\":1,\"type\":5}", -EPROTO },
		{ "type empty", "{\"v\":1,\"type\":\"\"}", -EPROTO },
		{ "type with a space", "{\"v\":1,\"type\":\"a b\"}", -EPROTO },
		{ "type with a newline", "{\"v\":1,\"type\":\"a\\nb\"}", -EPROTO },
		{ "type 63 bytes", "{\"v\":1,\"type\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", 0 },
		{ "type 64 bytes", "{\"v\":1,\"type\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", -EPROTO },
		{ "type twice", "{\"v\":1,\"type\":\"x\",\"type\":\"y\"}", -EPROTO },
		{ "key twice", "{\"v\":1,\"type\":\"x\",\"k\":1,\"k\":2}", -EPROTO },
		{ "bytes after", "{\"v\":1,\"type\":\"x\"} {}", -EPROTO },
		{ "escaped NUL", "{\"v\":1,\"type\":\"x\",\"s\":\"a\\u0000b\"}", -EPROTO },
		{ "bad UTF-8", "{\"v\":1,\"type\":\"x\",\"s\":\"\xff\xfe\"}", -EPROTO },
		{ "cut short", "{\"v\":1,\"type\":\"x\"", -EPROTO },
		{ "10000 [", deep, -EPROTO },
		{ "33 levels", nested, -EPROTO },
	};
	struct ncb_err e = { "" };
	json_t *m;
	int rc;

	memset(deep, '[', sizeof(deep) - 1);
	/* CTL_DEPTH_MAX levels are fine, one more is not. */
	make_nested(nested, sizeof(nested), CTL_DEPTH_MAX);
	rc = ctl_parse(nested, strlen(nested), &m, &e);
	t_check(rc == 0, "parse %d levels: ok (%d: %s)", CTL_DEPTH_MAX, rc, e.msg);
	json_decref(m);
	make_nested(nested, sizeof(nested), CTL_DEPTH_MAX + 1);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		rc = ctl_parse(cases[i].text, strlen(cases[i].text), &m, &e);
		t_check(rc == cases[i].rc && (rc == 0) == (m != NULL),
			"parse %s: %d (got %d: %s)", cases[i].name, cases[i].rc, rc,
			rc ? e.msg : "");
		if (rc == 0)
			t_check(ctl_type(m)[0] != 0, "parse %s: a type", cases[i].name);
		json_decref(m);
	}
	/* Bytes the JSON would not show: a NUL inside, the length exact. */
	rc = ctl_parse("{\"v\":1,\"type\":\"x\"}\0{}", 22, &m, &e);
	t_check(rc == -EPROTO && !m, "parse a NUL byte: -EPROTO (%d)", rc);
	rc = ctl_parse("{\"v\":1,\"type\":\"x\"}", (size_t)CTL_MSG_MAX + 1, &m, &e);
	t_check(rc == -EMSGSIZE, "parse over the limit: -EMSGSIZE (%d)", rc);
	/* A refusal never quotes the message: it may hold a key. */
	rc = ctl_parse("{\"v\":1,\"type\":\"x\",\"key\":\"SECRETSECRET\\q\"}", 41, &m, &e);
	t_check(rc == -EPROTO && !strstr(e.msg, "SECRET"),
		"parse error does not quote the input (%s)", e.msg);
}

static void test_hostport(void)
{
	static const struct {
		const char *in, *host;
		unsigned port;
		int rc;
	} cases[] = {
		{ "server", "server", CTL_PORT, 0 },
		{ "server:9000", "server", 9000, 0 },
		{ "10.0.0.2", "10.0.0.2", CTL_PORT, 0 },
		{ "10.0.0.2:1", "10.0.0.2", 1, 0 },
		{ "10.0.0.2:65535", "10.0.0.2", 65535, 0 },
		{ "host.example.org:7478", "host.example.org", 7478, 0 },
		{ "[::1]", "::1", CTL_PORT, 0 },
		{ "[::1]:9000", "::1", 9000, 0 },
		{ "[fe80::1%eth0]:9000", "fe80::1%eth0", 9000, 0 },
		{ "fd00::2", "fd00::2", CTL_PORT, 0 },
		{ "::ffff:10.0.0.1", "::ffff:10.0.0.1", CTL_PORT, 0 },
		{ "", NULL, 0, -EINVAL },
		{ ":9000", NULL, 0, -EINVAL },
		{ "server:", NULL, 0, -EINVAL },
		{ "server:0", NULL, 0, -EINVAL },
		{ "server:65536", NULL, 0, -EINVAL },
		{ "server:99999999999999999999", NULL, 0, -EINVAL },
		{ "server:-1", NULL, 0, -EINVAL },
		{ "server:+80", NULL, 0, -EINVAL },
		{ "server:80x", NULL, 0, -EINVAL },
		{ "server:80:81", NULL, 0, -EINVAL },
		{ "fd00::2:9000x", NULL, 0, -EINVAL },
		{ "[::1", NULL, 0, -EINVAL },
		{ "[::1]x", NULL, 0, -EINVAL },
		{ "[::1]:", NULL, 0, -EINVAL },
		{ "[]:80", NULL, 0, -EINVAL },
		{ "[server]:80", NULL, 0, -EINVAL },
		{ "[10.0.0.1]:80", NULL, 0, -EINVAL },
		{ "[::1%]:80", NULL, 0, -EINVAL },
		{ "a b", NULL, 0, -EINVAL },
		{ "host\n:80", NULL, 0, -EINVAL },
		{ "user@host", NULL, 0, -EINVAL },
		{ "host/path", NULL, 0, -EINVAL },
	};
	struct ncb_err e = { "" };
	char host[64], tiny[4], name[300];
	unsigned port;
	int rc;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		port = 0;
		rc = ctl_split_hostport(cases[i].in, host, sizeof(host), &port, &e);
		if (cases[i].rc == 0)
			t_check(rc == 0 && !strcmp(host, cases[i].host) &&
					port == cases[i].port,
				"hostport '%s': %s %u (got %d '%s' %u: %s)", cases[i].in,
				cases[i].host, cases[i].port, rc, host, port, rc ? e.msg : "");
		else
			t_check(rc == cases[i].rc && strchr(e.msg, '\n') == NULL,
				"hostport '%s': refused (got %d '%s')", cases[i].in, rc, host);
	}
	rc = ctl_split_hostport("server:80", tiny, sizeof(tiny), &port, &e);
	t_check(rc == -ENAMETOOLONG, "hostport into a small buffer: -ENAMETOOLONG (%d)", rc);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	rc = ctl_split_hostport(name, host, sizeof(host), &port, &e);
	t_check(rc == -EINVAL, "hostport a 299-byte name: refused (%d)", rc);
}

int main(void)
{
	int v6;

	ctl_init();
	for (size_t i = 0; i < CTL_PSK_LEN; i++)
		key_b[i] = key_a[i] ^ (i == 31 ? 1 : 0); /* one bit apart */
	snprintf(dir, sizeof(dir), "/tmp/ncbench-test-ctl.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	silent_start();
	v6 = has_ipv6();
	test_roundtrip("127.0.0.1", "127.0.0.1", BIG_STRING);
	test_roundtrip(NULL, "127.0.0.1", 100);
	test_roundtrip(NULL, "localhost", 100);
	if (v6) {
		test_roundtrip("::1", "::1", BIG_STRING);
		test_roundtrip(NULL, "::1", 100);
	} else {
		fprintf(stderr, "test_ctl: no IPv6 loopback here; IPv6 cases skipped\n");
	}
	test_wrong_psk();
	test_garbage();
	test_oversize();
	test_limit_is_a_length();
	test_pieces_and_version();
	test_interrupt();
	test_peer_gone();
	test_wire();
	test_certificate_refused();
	test_connect_errors();
	test_listen_families();
	test_psk_files();
	test_parse();
	test_hostport();
	silent_check();
	{
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "test_ctl: could not remove %s\n", dir);
	}
	return t_done("test_ctl");
}
