/* The control channel between `ncbench run --peer` and `ncbench serve`:
 * TLS 1.3 over TCP with an external pre-shared key (OpenSSL; no
 * certificates; TLS_AES_256_GCM_SHA384 or TLS_CHACHA20_POLY1305_SHA256),
 * so parameters, data-plane SA keys and results are encrypted,
 * integrity-protected and bound to holders of the key. On it travel
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
	CTL_HANDSHAKE_MS = 5000,  /* TCP connect plus TLS handshake */
	CTL_READ_MS = 10000,      /* a reply expected now */
};

struct ctl;

/* Once per process, before any other call: Jansson allocations wipe
 * what they held when freed (decoded messages hold SA keys). */
void ctl_init(void);

/* Reads the PSK file: refuses one readable or writable by group or
 * others (-EACCES: "permissions 0644 for FILE are too open"), one that
 * is not exactly 64 hex digits (an optional final newline), or missing.
 * 0 or a negative errno with e (one line naming the file). */
NCB_MUST_CHECK int ctl_psk_load(const char *path, uint8_t psk[CTL_PSK_LEN],
				struct ncb_err *e);
/* Writes a new random key to path, mode 0600, refusing to overwrite an
 * existing file (-EEXIST). 0 or a negative errno with e. */
NCB_MUST_CHECK int ctl_psk_write(const char *path, struct ncb_err *e);

/* A listening TCP socket on addr (NULL: every address, IPv6 and IPv4 in
 * one dual-stack socket) and port. 0 or a negative errno with e. */
NCB_MUST_CHECK int ctl_listen(const char *addr, unsigned port, int *fd,
			      struct ncb_err *e);

/* The server side of an accepted connection fd (taken, closed on
 * failure): the TLS handshake with psk within CTL_HANDSHAKE_MS. A
 * client with another key fails the handshake: -EACCES with e saying
 * authentication failed; -ETIMEDOUT for one that says nothing; -EPROTO
 * for one that speaks something else. */
NCB_MUST_CHECK int ctl_server(struct ctl **out, int fd,
			      const uint8_t psk[CTL_PSK_LEN],
			      struct ncb_err *e);
/* Connects to host:port (a name or a literal, IPv4 or IPv6) and runs the
 * client handshake within CTL_HANDSHAKE_MS. -EACCES with e "authentication
 * failed (the peer has another PSK)" when the server refuses the key;
 * -ECONNREFUSED, -ETIMEDOUT, -EHOSTUNREACH as the network says. */
NCB_MUST_CHECK int ctl_client(struct ctl **out, const char *host, unsigned port,
			      const uint8_t psk[CTL_PSK_LEN], struct ncb_err *e);

/* Reads and writes give up early with -EINTR once *flag is non-zero
 * (checked at least every 100 ms). NULL: never. */
void ctl_set_interrupt(struct ctl *c, const volatile sig_atomic_t *flag);

/* Sends msg (adds "v"; reference kept by the caller). The serialised
 * bytes are wiped after the write. 0, -EPIPE (peer gone), -EINTR,
 * -ETIMEDOUT (the peer does not read for CTL_READ_MS), -EMSGSIZE. */
NCB_MUST_CHECK int ctl_send(struct ctl *c, json_t *msg, struct ncb_err *e);
/* Receives one message within timeout_ms (< 0: CTL_READ_MS): a length
 * over CTL_MSG_MAX is refused before reading it (-EMSGSIZE), and the
 * bytes go through ctl_parse. *msg is a new reference. 0, -ETIMEDOUT,
 * -EPIPE (closed), -EINTR, -EPROTO (not a message), -EMSGSIZE. */
NCB_MUST_CHECK int ctl_recv(struct ctl *c, json_t **msg, int timeout_ms,
			    struct ncb_err *e);

/* Checks the bytes of one message: a JSON object, no NUL bytes, depth
 * and size bounded, "v" equal to CTL_VERSION (else -EPROTONOSUPPORT
 * naming both versions) and "type" a string. 0 with *msg a new
 * reference, or a negative errno with e. The fuzz target's entry. */
NCB_MUST_CHECK int ctl_parse(const char *buf, size_t len, json_t **msg,
			     struct ncb_err *e);

/* The "type" of a parsed message (never NULL after ctl_parse). */
const char *ctl_type(const json_t *msg);

/* The socket's addresses: this end's and the peer's. 0 or -errno. */
int ctl_addrs(const struct ctl *c, struct sockaddr_storage *local,
	      struct sockaddr_storage *peer);

/* Closes the connection (a TLS close_notify when it is up) and frees c;
 * NULL is ok. */
void ctl_free(struct ctl *c);

#endif
