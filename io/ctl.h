/* The control channel between `ncbench run --peer` and `ncbench serve`:
 * TLS 1.3 over TCP with an external pre-shared key (OpenSSL; no
 * certificates, no tickets, no resumption; an ephemeral (EC)DHE share
 * with the PSK, psk_dhe_ke, for forward secrecy), so parameters,
 * data-plane SA keys and results are encrypted, integrity-protected and
 * bound to holders of the key. The key is bound to SHA-384 (RFC 8446
 * §4.2.11), so the suite is TLS_AES_256_GCM_SHA384. On it travel
 * messages: a 4-byte big-endian length, then that many bytes of one JSON
 * object (Jansson) with "v" (CTL_VERSION) and "type" (a string). Every
 * read has a timeout and a size limit; what arrives is hostile until
 * ctl_parse() accepted it.
 *
 * The PSK: 32 random bytes kept as 64 hex digits in a file that only its
 * owner may read (as ssh insists for private keys). Key bytes are wiped
 * after use; Jansson's allocations are wiped when freed (ctl_init), since
 * decoded messages carry data-plane keys. */
#ifndef NCB_IO_CTL_H
#define NCB_IO_CTL_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "io/ncb.h"

enum {
	CTL_VERSION = 1,
	CTL_PORT = 7478,          /* serve's default port */
	CTL_PSK_LEN = 32,
	CTL_MSG_MAX = 1 << 20,    /* bytes of one message's JSON */
	CTL_DEPTH_MAX = 32,       /* nested objects and arrays, the message's included */
	CTL_TYPE_MAX = 63,        /* bytes of "type" */
	CTL_HANDSHAKE_MS = 5000,  /* TCP connect plus TLS handshake */
	CTL_READ_MS = 10000,      /* a reply expected now */
};

struct ctl;

/* Once per process, before any other call: Jansson allocations wipe
 * what they held when freed (decoded messages hold SA keys). */
void ctl_init(void);

/* Reads the PSK file: refuses one readable or writable by group or
 * others (-EACCES: "permissions 0644 for 'FILE' are too open (chmod 600
 * FILE)"), a symbolic link (-ELOOP), one that is not a regular file or
 * not exactly 64 hex digits (an optional final newline) (-EINVAL), or
 * missing (-ENOENT). 0 or a negative errno with e (one line naming the
 * file); psk is wiped on failure. */
NCB_MUST_CHECK int ctl_psk_load(const char *path, uint8_t psk[CTL_PSK_LEN],
				struct ncb_err *e);
/* Writes a new random key (getrandom) to path, mode 0600 whatever the
 * umask, synced, refusing to overwrite an existing file or follow a
 * symbolic link (-EEXIST, -ELOOP). 0 or a negative errno with e. */
NCB_MUST_CHECK int ctl_psk_write(const char *path, struct ncb_err *e);

/* A listening TCP socket on addr (NULL: every address, IPv6 and IPv4 in
 * one dual-stack socket; a literal or a name, its first address; an IPv4
 * one gives an IPv4 socket) and port (0: the kernel picks one;
 * getsockname tells). Blocking and close-on-exec, SO_REUSEADDR: poll it
 * to accept with a timeout. 0 or a negative errno with e. */
NCB_MUST_CHECK int ctl_listen(const char *addr, unsigned port, int *fd,
			      struct ncb_err *e);

/* The server side of an accepted connection fd (taken, closed on
 * failure; made non-blocking here): the TLS handshake with psk (copied;
 * the copy is wiped once the handshake is over) within
 * CTL_HANDSHAKE_MS. A client with another key fails the handshake:
 * -EACCES with e saying authentication failed; -ETIMEDOUT for one that
 * says nothing; -EPROTO for one that speaks something else (e names
 * what OpenSSL found); -EPIPE for one that hangs up. *out: free with
 * ctl_free. Not interruptible: the time limit bounds it. */
NCB_MUST_CHECK int ctl_server(struct ctl **out, int fd,
			      const uint8_t psk[CTL_PSK_LEN],
			      struct ncb_err *e);
/* Connects to host:port (a name or a literal, IPv4 or IPv6, each
 * address of a name in turn) and runs the client handshake within
 * CTL_HANDSHAKE_MS in all. -EACCES with e "authentication failed (the
 * peer has another PSK)" when the server refuses the key, also when a
 * server ignores it (a TLS server with a certificate is never trusted);
 * -ENXIO when host does not resolve; -ECONNREFUSED, -ETIMEDOUT,
 * -EHOSTUNREACH as the network says; -EPROTO for a peer that is not
 * ncbench serve. *out: free with ctl_free. */
NCB_MUST_CHECK int ctl_client(struct ctl **out, const char *host, unsigned port,
			      const uint8_t psk[CTL_PSK_LEN], struct ncb_err *e);

/* Reads and writes give up early with -EINTR once *flag is non-zero
 * (checked when they start and at least every 100 ms while they wait).
 * NULL: never (a session that must still say goodbye after an
 * interrupt sets NULL first). */
void ctl_set_interrupt(struct ctl *c, const volatile sig_atomic_t *flag);

/* Sends msg, an object (adds "v" to it; reference kept by the caller).
 * The serialised bytes are wiped after the write. 0, -EPIPE (peer
 * gone), -EINTR, -ETIMEDOUT (the peer does not read for CTL_READ_MS),
 * -EMSGSIZE (over CTL_MSG_MAX: nothing sent), -EINVAL (not an object,
 * nested deeper than CTL_DEPTH_MAX: nothing sent). A send that failed
 * part-way leaves the channel out of step: later calls fail with
 * -EPROTO. */
NCB_MUST_CHECK int ctl_send(struct ctl *c, json_t *msg, struct ncb_err *e);
/* Receives one message within timeout_ms (< 0: CTL_READ_MS): a length
 * over CTL_MSG_MAX is refused before reading it (-EMSGSIZE), and the
 * bytes go through ctl_parse. *msg is a new reference (NULL on
 * failure). 0, -ETIMEDOUT, -EPIPE (closed), -EINTR, -EPROTO (not a
 * message), -EPROTONOSUPPORT, -EMSGSIZE. After -ETIMEDOUT or -EINTR a
 * message that had begun to arrive is kept and the next call goes on
 * with it; a message ctl_parse refused was read whole, so the next one
 * can be; any other failure ends the channel (later calls return it
 * again). */
NCB_MUST_CHECK int ctl_recv(struct ctl *c, json_t **msg, int timeout_ms,
			    struct ncb_err *e);

/* Checks the bytes of one message: at most CTL_MSG_MAX (-EMSGSIZE), a
 * JSON object, no NUL bytes, no key twice, at most CTL_DEPTH_MAX deep,
 * "v" an integer (-EPROTO) equal to CTL_VERSION (else -EPROTONOSUPPORT
 * naming both versions) and "type" a string of 1..CTL_TYPE_MAX printable
 * ASCII characters without spaces (-EPROTO). 0 with *msg a new
 * reference, or a negative errno with e, which never quotes the bytes.
 * The fuzz target's entry. */
NCB_MUST_CHECK int ctl_parse(const char *buf, size_t len, json_t **msg,
			     struct ncb_err *e);

/* The "type" of a parsed message (never NULL after ctl_parse). */
const char *ctl_type(const json_t *msg);

/* The socket's addresses: this end's and the peer's (either may be
 * NULL); an IPv4 peer of the dual-stack listener comes as AF_INET, not
 * as ::ffff:a.b.c.d. 0 or -errno. */
int ctl_addrs(const struct ctl *c, struct sockaddr_storage *local,
	      struct sockaddr_storage *peer);

/* What protects the channel, for logs and documents: protocol, suite,
 * key exchange group, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384 psk_dhe_ke
 * x25519". */
void ctl_describe(const struct ctl *c, char *buf, size_t n);

/* Splits --peer's HOST[:PORT]: a name, an IPv4 address, a bare IPv6
 * address (no port) or [IPv6]:PORT (a %zone allowed); port 1..65535,
 * CTL_PORT when none is given. host gets n bytes at most. 0, or -EINVAL
 * (-ENAMETOOLONG) with e. Pure: no resolution. */
NCB_MUST_CHECK int ctl_split_hostport(const char *s, char *host, size_t n,
				      unsigned *port, struct ncb_err *e);

/* The connection's socket, to poll for the peer's hang-up (POLLRDHUP)
 * while nothing is read; never read or write it directly. */
int ctl_fd(const struct ctl *c);

/* Closes the connection (a TLS close_notify when it is up) and frees c;
 * NULL is ok. */
void ctl_free(struct ctl *c);

#endif
