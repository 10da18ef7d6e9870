/* The control channel proper: TLS 1.3 with an external PSK (OpenSSL)
 * over a non-blocking TCP socket, and length-prefixed JSON messages on
 * it. Every wait has a deadline and looks at the interrupt flag; every
 * buffer that held a message or the key is wiped. */
#define _GNU_SOURCE /* MSG_NOSIGNAL */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "io/ctl.h"
#include "io/ctl_impl.h"

/* Both ends are ncbench: one identity, the key decides. */
#define PSK_IDENTITY "ncbench"
/* The PSK's own suite comes first and the server takes the client's
 * order, so the suite is always TLS_AES_256_GCM_SHA384 (a PSK is bound
 * to its hash, RFC 8446 §4.2.11); ChaCha20 only completes the list. */
#define SUITES "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

enum { HDR_LEN = 4 };

/* TLS_AES_256_GCM_SHA384 (RFC 8446 §B.4): the suite, and so the hash,
 * the PSK is bound to. */
static const unsigned char psk_suite_id[2] = { 0x13, 0x02 };

/* The message being received, kept across calls that time out. */
struct rx {
	uint8_t hdr[HDR_LEN];
	size_t hdr_got;
	char *body; /* made once the length is known and checked */
	size_t len, got;
};

struct ctl {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	int is_server;
	int is_up;          /* handshake done: a close_notify on free */
	int is_eof;         /* the socket read end of file */
	int sys_errno;      /* the socket's last error */
	int is_id_refused;  /* a client offered another identity */
	/* After a failure that leaves the stream out of step, every call
	 * fails with the first error. */
	int dead_rc;
	struct ncb_err dead;
	const volatile sig_atomic_t *flag;
	struct rx rx;
	uint8_t psk[CTL_PSK_LEN]; /* wiped once the handshake is over */
};

/* A socket BIO of our own: send() with MSG_NOSIGNAL, so a peer gone is
 * -EPIPE for this call and not SIGPIPE for the process, and the errno
 * kept where the error mapping finds it. */
static int bio_write(BIO *b, const char *buf, int len)
{
	struct ctl *c = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = send(c->fd, buf, (size_t)len, MSG_NOSIGNAL);
	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		BIO_set_retry_write(b);
	else
		c->sys_errno = errno;
	return -1;
}

static int bio_read(BIO *b, char *buf, int len)
{
	struct ctl *c = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = recv(c->fd, buf, (size_t)len, 0);
	if (n > 0)
		return (int)n;
	if (n == 0) {
		c->is_eof = 1;
		return 0;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		BIO_set_retry_read(b);
	else
		c->sys_errno = errno;
	return -1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct ctl *c = BIO_get_data(b);

	(void)num;
	(void)ptr;
	if (cmd == BIO_CTRL_FLUSH)
		return 1; /* nothing is buffered here */
	if (cmd == BIO_CTRL_EOF) /* how OpenSSL tells EOF from an error */
		return c->is_eof;
	return 0;
}

static BIO_METHOD *bio_method;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

static void make_bio_method(void)
{
	int type = BIO_get_new_index();
	BIO_METHOD *m = type < 0 ? NULL
				 : BIO_meth_new(type | BIO_TYPE_SOURCE_SINK,
						"ncbench control socket");

	if (m && BIO_meth_set_write(m, bio_write) &&
	    BIO_meth_set_read(m, bio_read) && BIO_meth_set_ctrl(m, bio_ctrl))
		bio_method = m;
	else
		BIO_meth_free(m);
}

/* A session that carries the PSK, as OpenSSL takes external keys. */
static SSL_SESSION *psk_session(SSL *ssl, const uint8_t *psk)
{
	const SSL_CIPHER *suite = SSL_CIPHER_find(ssl, psk_suite_id);
	SSL_SESSION *s = SSL_SESSION_new();

	if (!s || !suite || !SSL_SESSION_set1_master_key(s, psk, CTL_PSK_LEN) ||
	    !SSL_SESSION_set_cipher(s, suite) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s); /* cleanses its copy of the key */
		return NULL;
	}
	return s;
}

/* Client: the PSK to offer. md is set after a HelloRetryRequest, once
 * the server chose a suite; a key bound to another hash is not offered
 * then (the handshake fails, as it must). */
static int use_session(SSL *ssl, const EVP_MD *md, const unsigned char **id,
		       size_t *id_len, SSL_SESSION **sess)
{
	struct ctl *c = SSL_get_app_data(ssl);
	const SSL_CIPHER *suite = SSL_CIPHER_find(ssl, psk_suite_id);

	*sess = NULL;
	*id = NULL;
	*id_len = 0;
	if (md && (!suite || EVP_MD_get_type(md) !=
				     EVP_MD_get_type(SSL_CIPHER_get_handshake_digest(suite))))
		return 1;
	*sess = psk_session(ssl, c->psk);
	if (!*sess)
		return 0;
	*id = (const unsigned char *)PSK_IDENTITY;
	*id_len = strlen(PSK_IDENTITY);
	return 1;
}

/* Server: the PSK of the identity the client names. OpenSSL checks the
 * client's binder with it: a client with another key fails there. */
static int find_session(SSL *ssl, const unsigned char *id, size_t id_len,
			SSL_SESSION **sess)
{
	struct ctl *c = SSL_get_app_data(ssl);

	*sess = NULL;
	if (id_len != strlen(PSK_IDENTITY) || memcmp(id, PSK_IDENTITY, id_len)) {
		c->is_id_refused = 1;
		return 1; /* no key for it: the handshake fails */
	}
	*sess = psk_session(ssl, c->psk);
	return *sess != NULL;
}

/* A certificate means the server did not take the PSK: whoever it is,
 * it has not shown it holds the key. */
static int refuse_cert(int is_ok, X509_STORE_CTX *store)
{
	(void)is_ok;
	(void)store;
	return 0;
}

static int setup_failed(struct ncb_err *e)
{
	ERR_clear_error();
	return ncb_errf(e, -ENOMEM, "cannot set up TLS (OpenSSL)");
}

/* The context: TLS 1.3 only, the PSK from the callbacks, no tickets,
 * no session cache, no renegotiation (TLS 1.3 has none; the option
 * says so for any other version), decrypted records wiped. (EC)DHE
 * stays required with the PSK (SSL_OP_ALLOW_NO_DHE_KEX is left off):
 * psk_dhe_ke, so a key stolen later does not open a recorded session. */
static int make_ctx(struct ctl *c, struct ncb_err *e)
{
	c->ctx = SSL_CTX_new(c->is_server ? TLS_server_method()
					  : TLS_client_method());
	if (!c->ctx || !SSL_CTX_set_min_proto_version(c->ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(c->ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(c->ctx, SUITES) ||
	    !SSL_CTX_set_num_tickets(c->ctx, 0))
		return setup_failed(e);
	SSL_CTX_set_options(c->ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
					    SSL_OP_CLEANSE_PLAINTEXT);
	SSL_CTX_clear_options(c->ctx, SSL_OP_ALLOW_NO_DHE_KEX);
	SSL_CTX_set_session_cache_mode(c->ctx, SSL_SESS_CACHE_OFF);
	/* Progress on a large message restarts the send timeout. */
	SSL_CTX_set_mode(c->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (c->is_server) {
		SSL_CTX_set_psk_find_session_callback(c->ctx, find_session);
	} else {
		SSL_CTX_set_psk_use_session_callback(c->ctx, use_session);
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, refuse_cert);
	}
	return 0;
}

static int make_ssl(struct ctl *c, struct ncb_err *e)
{
	BIO *bio;

	pthread_once(&bio_once, make_bio_method);
	if (!bio_method || make_ctx(c, e) < 0)
		return setup_failed(e);
	c->ssl = SSL_new(c->ctx);
	bio = BIO_new(bio_method);
	if (!c->ssl || !bio) {
		BIO_free(bio);
		return setup_failed(e);
	}
	BIO_set_data(bio, c);
	BIO_set_init(bio, 1);
	SSL_set_bio(c->ssl, bio, bio); /* one reference for both ends */
	SSL_set_app_data(c->ssl, c);
	if (c->is_server)
		SSL_set_accept_state(c->ssl);
	else
		SSL_set_connect_state(c->ssl);
	return 0;
}

/* A new channel on fd (taken: closed on failure). */
static int make_ctl(struct ctl **out, int fd, int is_server,
		   const uint8_t *psk, struct ncb_err *e)
{
	struct ctl *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c) {
		close(fd);
		return ncb_errf(e, -ENOMEM, "out of memory");
	}
	c->fd = fd;
	c->is_server = is_server;
	memcpy(c->psk, psk, CTL_PSK_LEN);
	rc = make_ssl(c, e);
	if (rc < 0) {
		ctl_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* A TLS error in our words; OpenSSL's queue is emptied. */
static int tls_failed(struct ctl *c, struct ncb_err *e)
{
	unsigned long code = ERR_peek_last_error();
	int reason = ERR_GET_LIB(code) == ERR_LIB_SSL ? ERR_GET_REASON(code) : 0;
	const char *text = ERR_reason_error_string(code);
	int rc;

	if (reason == SSL_R_BINDER_DOES_NOT_VERIFY || c->is_id_refused)
		rc = ncb_errf(e, -EACCES, "authentication failed (the client has another PSK)");
	else if (!c->is_server && !c->is_up &&
		 (reason == SSL_R_TLSV1_ALERT_DECRYPT_ERROR ||
		  reason == SSL_R_SSLV3_ALERT_ILLEGAL_PARAMETER))
		/* RFC 8446 §6.2 answers a binder that does not verify with
		 * decrypt_error; OpenSSL 3.0's server sends illegal_parameter. */
		rc = ncb_errf(e, -EACCES, "authentication failed (the peer has another PSK)");
	else if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED)
		rc = ncb_errf(e, -EACCES,
			      "authentication failed (the peer showed a certificate, not the PSK)");
	else if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING || c->is_eof)
		rc = ncb_errf(e, -EPIPE, "the peer closed the control connection");
	else
		rc = ncb_errf(e, -EPROTO, "the peer does not speak ncbench's control protocol (TLS: %s)",
			      text ? text : "unknown error");
	ERR_clear_error();
	return rc;
}

static int sys_failed(struct ctl *c, struct ncb_err *e)
{
	int err = c->sys_errno;

	ERR_clear_error();
	if (!err || c->is_eof || err == ECONNRESET || err == EPIPE)
		return ncb_errf(e, -EPIPE, "the peer closed the control connection");
	return ncb_errf(e, -err, "control connection: %s", strerror(err));
}

/* After an SSL call that returned r <= 0: 1 when it should be called
 * again (the socket was waited for), else a negative errno with e.
 * -ETIMEDOUT and -EINTR come with a plain message the caller may
 * replace. */
static int after_ssl(struct ctl *c, int r, int64_t deadline,
		     struct ncb_err *e)
{
	int err = SSL_get_error(c->ssl, r), rc;

	switch (err) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		rc = ctl_sock_wait(c->fd,
				   err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
				   deadline, c->flag);
		if (rc == 0)
			return 1;
		if (rc == -EINTR)
			return ncb_errf(e, rc, "interrupted");
		return ncb_errf(e, rc, "control connection: %s", strerror(-rc));
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		return ncb_errf(e, -EPIPE, "the peer closed the control connection");
	case SSL_ERROR_SYSCALL:
		return sys_failed(c, e);
	default:
		return tls_failed(c, e);
	}
}

static int handshake(struct ctl *c, int64_t deadline, struct ncb_err *e)
{
	for (;;) {
		int r, rc;

		ERR_clear_error();
		r = SSL_do_handshake(c->ssl);
		if (r == 1)
			break;
		rc = after_ssl(c, r, deadline, e);
		if (rc == -ETIMEDOUT)
			return ncb_errf(e, rc, c->is_server
					? "no TLS handshake within %d ms (the client said nothing)"
					: "no TLS handshake with the peer within %d ms",
					CTL_HANDSHAKE_MS);
		if (rc < 0)
			return rc;
	}
	/* The callbacks and the refused certificate already make the PSK
	 * the only way in; this says so once more, at the end. */
	if (!SSL_session_reused(c->ssl))
		return ncb_errf(e, -EACCES,
				"authentication failed (the peer did not use the PSK)");
	c->is_up = 1;
	explicit_bzero(c->psk, sizeof(c->psk));
	return 0;
}

/* The channel on connected socket fd (taken): TLS set up for this
 * side, then the handshake by the deadline. */
static int start(struct ctl **out, int fd, int is_server,
		 const uint8_t psk[CTL_PSK_LEN], int64_t deadline,
		 struct ncb_err *e)
{
	struct ctl *c;
	int rc = make_ctl(&c, fd, is_server, psk, e);

	if (rc == 0)
		rc = handshake(c, deadline, e);
	if (rc < 0) {
		ctl_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int ctl_server(struct ctl **out, int fd, const uint8_t psk[CTL_PSK_LEN],
	       struct ncb_err *e)
{
	int64_t deadline = ctl_sock_now_ms() + CTL_HANDSHAKE_MS;
	int rc = ctl_sock_prepare(fd);

	*out = NULL;
	if (rc < 0) {
		close(fd);
		return ncb_errf(e, rc, "control connection: %s", strerror(-rc));
	}
	return start(out, fd, 1, psk, deadline, e);
}

int ctl_client(struct ctl **out, const char *host, unsigned port,
	       const uint8_t psk[CTL_PSK_LEN], struct ncb_err *e)
{
	int64_t deadline = ctl_sock_now_ms() + CTL_HANDSHAKE_MS;
	int fd, rc = ctl_sock_connect(host, port, deadline, &fd, e);

	*out = NULL;
	if (rc < 0)
		return rc;
	return start(out, fd, 0, psk, deadline, e);
}

void ctl_set_interrupt(struct ctl *c, const volatile sig_atomic_t *flag)
{
	c->flag = flag;
}

/* Whether the channel can take a call now: 0, the first fatal error
 * again, or -EINTR when the flag is up. */
static int usable(const struct ctl *c, struct ncb_err *e)
{
	if (c->dead_rc) {
		if (e)
			*e = c->dead;
		return c->dead_rc;
	}
	if (c->flag && *c->flag)
		return ncb_errf(e, -EINTR, "interrupted");
	return 0;
}

/* Remembers a failure that leaves the stream out of step. */
static int die(struct ctl *c, int rc, const struct ncb_err *e)
{
	c->dead_rc = rc;
	if (e)
		c->dead = *e;
	else
		snprintf(c->dead.msg, sizeof(c->dead.msg), "the control channel failed");
	return rc;
}

/* Writes all of buf; the timeout restarts whenever the peer takes
 * bytes. Any failure leaves a record half written: the channel dies. */
static int write_all(struct ctl *c, const void *buf, size_t len,
		     struct ncb_err *e)
{
	const char *p = buf;
	int64_t deadline = ctl_sock_now_ms() + CTL_READ_MS;

	while (len) {
		size_t n = 0;
		int r, rc;

		ERR_clear_error();
		r = SSL_write_ex(c->ssl, p, len, &n);
		if (r == 1) {
			p += n;
			len -= n;
			deadline = ctl_sock_now_ms() + CTL_READ_MS;
			continue;
		}
		rc = after_ssl(c, r, deadline, e);
		if (rc == -ETIMEDOUT)
			rc = ncb_errf(e, rc, "the peer has read nothing for %d ms",
				      CTL_READ_MS);
		if (rc < 0)
			return die(c, rc, e);
	}
	return 0;
}

int ctl_write_raw(struct ctl *c, const void *buf, size_t len,
		  struct ncb_err *e)
{
	int rc = usable(c, e);

	return rc < 0 ? rc : write_all(c, buf, len, e);
}

int ctl_send(struct ctl *c, json_t *msg, struct ncb_err *e)
{
	size_t len;
	char *buf;
	int rc = usable(c, e);

	if (rc < 0)
		return rc;
	if (!json_is_object(msg))
		return ncb_errf(e, -EINVAL, "a message must be a JSON object");
	if (json_object_set_new(msg, "v", json_integer(CTL_VERSION)) < 0)
		return ncb_errf(e, -ENOMEM, "out of memory");
	/* What the peer would refuse is not sent. */
	if (!ctl_msg_depth_ok(msg))
		return ncb_errf(e, -EINVAL, "a message nested deeper than %d levels",
				CTL_DEPTH_MAX);
	len = json_dumpb(msg, NULL, 0, JSON_COMPACT);
	if (!len)
		return ncb_errf(e, -EINVAL, "a message that is not JSON");
	if (len > CTL_MSG_MAX)
		return ncb_errf(e, -EMSGSIZE, "a message of %zu bytes (the limit is %d)",
				len, CTL_MSG_MAX);
	buf = malloc(HDR_LEN + len);
	if (!buf)
		return ncb_errf(e, -ENOMEM, "out of memory");
	if (json_dumpb(msg, buf + HDR_LEN, len, JSON_COMPACT) != len) {
		rc = ncb_errf(e, -EINVAL, "a message that changed while written");
	} else {
		ncb_put_be32((uint8_t *)buf, (uint32_t)len);
		rc = write_all(c, buf, HDR_LEN + len, e);
	}
	explicit_bzero(buf, HDR_LEN + len);
	free(buf);
	return rc;
}

/* Reads until buf holds len bytes (*got of them already there). */
static int read_upto(struct ctl *c, void *buf, size_t len, size_t *got,
		     int64_t deadline, struct ncb_err *e)
{
	while (*got < len) {
		size_t n = 0;
		int r, rc;

		ERR_clear_error();
		r = SSL_read_ex(c->ssl, (char *)buf + *got, len - *got, &n);
		if (r == 1) {
			*got += n;
			continue;
		}
		rc = after_ssl(c, r, deadline, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void rx_reset(struct rx *rx)
{
	if (rx->body) {
		explicit_bzero(rx->body, rx->len);
		free(rx->body);
	}
	memset(rx, 0, sizeof(*rx));
}

/* The length is known: checked before a byte of the body is read. */
static int start_body(struct ctl *c, struct ncb_err *e)
{
	struct rx *rx = &c->rx;
	uint32_t len = ncb_get_be32(rx->hdr);

	if (len > CTL_MSG_MAX)
		return ncb_errf(e, -EMSGSIZE,
				"the peer announced a message of %u bytes (the limit is %d)",
				len, CTL_MSG_MAX);
	rx->body = malloc(len ? len : 1);
	if (!rx->body)
		return ncb_errf(e, -ENOMEM, "out of memory");
	rx->len = len;
	return 0;
}

int ctl_recv(struct ctl *c, json_t **msg, int timeout_ms, struct ncb_err *e)
{
	int64_t deadline = ctl_sock_now_ms() +
			   (timeout_ms < 0 ? CTL_READ_MS : timeout_ms);
	struct rx *rx = &c->rx;
	int rc = usable(c, e);

	*msg = NULL;
	if (rc < 0)
		return rc;
	rc = read_upto(c, rx->hdr, HDR_LEN, &rx->hdr_got, deadline, e);
	if (rc == 0 && !rx->body)
		rc = start_body(c, e);
	if (rc == 0)
		rc = read_upto(c, rx->body, rx->len, &rx->got, deadline, e);
	/* A wait that ended keeps what arrived; the next call goes on. */
	if (rc == -ETIMEDOUT)
		return ncb_errf(e, rc, "no message from the peer within %d ms",
				timeout_ms < 0 ? CTL_READ_MS : timeout_ms);
	if (rc == -EINTR)
		return rc;
	if (rc < 0)
		return die(c, rc, e);
	rc = ctl_parse(rx->body, rx->len, msg, e);
	rx_reset(rx);
	return rc;
}

/* An IPv4 peer of the dual-stack listener shows as ::ffff:a.b.c.d; the
 * data plane wants it as the IPv4 address it is. */
static void unmap(struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
	struct sockaddr_in a4 = { .sin_family = AF_INET };

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
		return;
	a4.sin_port = a6->sin6_port;
	memcpy(&a4.sin_addr, &a6->sin6_addr.s6_addr[12], sizeof(a4.sin_addr));
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &a4, sizeof(a4));
}

int ctl_addrs(const struct ctl *c, struct sockaddr_storage *local,
	      struct sockaddr_storage *peer)
{
	socklen_t len = sizeof(*local);

	if (local) {
		if (getsockname(c->fd, (struct sockaddr *)local, &len) < 0)
			return -errno;
		unmap(local);
	}
	len = sizeof(*peer);
	if (peer) {
		if (getpeername(c->fd, (struct sockaddr *)peer, &len) < 0)
			return -errno;
		unmap(peer);
	}
	return 0;
}

void ctl_describe(const struct ctl *c, char *buf, size_t n)
{
	const SSL_CIPHER *suite = SSL_get_current_cipher(c->ssl);
	int group = (int)SSL_get_negotiated_group(c->ssl);
	const char *name = group > 0 ? SSL_group_to_name(c->ssl, group) : NULL;

	snprintf(buf, n, "%s %s %s%s", SSL_get_version(c->ssl),
		 suite ? SSL_CIPHER_get_name(suite) : "(no suite)",
		 name ? "psk_dhe_ke " : "psk_ke", name ? name : "");
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	if (c->ssl && c->is_up && !c->dead_rc) {
		/* One try: the close_notify fits in the socket buffer, and
		 * the peer's answer is not waited for. */
		ERR_clear_error();
		SSL_shutdown(c->ssl);
		ERR_clear_error();
	}
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	rx_reset(&c->rx);
	explicit_bzero(c, sizeof(*c));
	free(c);
}

int ctl_fd(const struct ctl *c)
{
	return c->fd;
}
