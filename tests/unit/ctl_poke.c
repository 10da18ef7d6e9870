/* ctl_poke HOST PORT PSKFILE HOW: a client that holds the key and then
 * does one wrong thing against `ncbench serve` (tests/e2e/peer_robust.sh),
 * and checks that the server answers as it should:
 *
 *   oversize          a length prefix of 2^31 - 1     the server closes
 *   not-json          a framed message of non-JSON    the server closes
 *   bad-version       {"v": 99, "type": "hello"}      the server closes
 *   no-hello          nothing after the handshake     closed in 15 s
 *   unknown-workload  hello, a case of workload nope  "refuse"
 *   unknown-cipher    hello, an esp case cipher nope  "refuse"
 *
 * "Closes" allows one "error" message first. Exit 0 when the server did
 * what it should, 1 when not, 2 for bad use. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/env.h"
#include "bench/session_msg.h"
#include "io/ctl.h"
#include "io/ctl_impl.h"
#include "io/pin.h"

enum { WAIT_MS = 15000 };

/* Whether the server ends the connection within WAIT_MS, after at most
 * an "error" message. */
static int closes(struct ctl *c)
{
	struct ncb_err e = { "" };
	json_t *msg = NULL;
	int rc;

	while ((rc = ctl_recv(c, &msg, WAIT_MS, &e)) == 0) {
		int is_error = !strcmp(ctl_type(msg), "error");

		json_decref(msg);
		if (!is_error) {
			fprintf(stderr, "ctl_poke: the server answered, not closed\n");
			return 1;
		}
	}
	if (rc == -EPIPE)
		return 0;
	fprintf(stderr, "ctl_poke: %s\n", e.msg);
	return 1;
}

/* A hello, then a case the server must refuse. */
static int bad_case(struct ctl *c, const char *workload, const char *cipher)
{
	struct ncb_err e = { "" };
	struct pin_topo *topo = NULL;
	static struct env_host host;
	struct session_case sc = { .threads = 1, .size = 256 };
	json_t *msg = NULL;
	int rc;

	if (pin_topo_load(&topo) == 0)
		env_host_read(&host, topo);
	pin_topo_free(topo);
	snprintf(sc.workload, sizeof(sc.workload), "%s", workload);
	snprintf(sc.cipher, sizeof(sc.cipher), "%s", cipher);
	snprintf(sc.backend, sizeof(sc.backend), "openssl");
	msg = session_hello_json(&host);
	rc = ctl_send(c, msg, &e);
	json_decref(msg);
	if (rc == 0)
		rc = ctl_recv(c, &msg, WAIT_MS, &e);
	if (rc == 0) {
		rc = strcmp(ctl_type(msg), "hello") ? -EPROTO : 0;
		json_decref(msg);
	}
	if (rc == 0) {
		msg = session_case_json(&sc);
		rc = ctl_send(c, msg, &e);
		json_decref(msg);
	}
	if (rc == 0)
		rc = ctl_recv(c, &msg, WAIT_MS, &e);
	if (rc < 0) {
		fprintf(stderr, "ctl_poke: %s\n", e.msg);
		return 1;
	}
	rc = strcmp(ctl_type(msg), "refuse") != 0;
	if (rc)
		fprintf(stderr, "ctl_poke: the server answered %s, not refuse\n",
			ctl_type(msg));
	json_decref(msg);
	return rc;
}

static int raw(struct ctl *c, const void *buf, size_t len)
{
	struct ncb_err e = { "" };

	if (ctl_write_raw(c, buf, len, &e) < 0) {
		fprintf(stderr, "ctl_poke: %s\n", e.msg);
		return 1;
	}
	return closes(c);
}

int main(int argc, char **argv)
{
	static const char not_json[] = "\0\0\0\x0bnot json!\r\n";
	static const char bad_v[] = "\0\0\0\x1a{\"v\": 99, \"type\": \"hello\"}";
	uint8_t psk[CTL_PSK_LEN];
	struct ncb_err e = { "" };
	struct ctl *c;
	const char *how;
	int rc;

	if (argc != 5) {
		fprintf(stderr, "usage: ctl_poke HOST PORT PSKFILE HOW\n");
		return 2;
	}
	how = argv[4];
	ctl_init();
	if (ctl_psk_load(argv[3], psk, &e) < 0 ||
	    ctl_client(&c, argv[1], (unsigned)atoi(argv[2]), psk, &e) < 0) {
		fprintf(stderr, "ctl_poke: %s\n", e.msg);
		return 1;
	}
	explicit_bzero(psk, sizeof(psk));
	if (!strcmp(how, "oversize"))
		rc = raw(c, "\x7f\xff\xff\xff", 4);
	else if (!strcmp(how, "not-json"))
		rc = raw(c, not_json, sizeof(not_json) - 1);
	else if (!strcmp(how, "bad-version"))
		rc = raw(c, bad_v, sizeof(bad_v) - 1);
	else if (!strcmp(how, "no-hello"))
		rc = closes(c);
	else if (!strcmp(how, "unknown-workload"))
		rc = bad_case(c, "nope", "aes-256-gcm");
	else if (!strcmp(how, "unknown-cipher"))
		rc = bad_case(c, "esp", "nope");
	else {
		fprintf(stderr, "ctl_poke: unknown HOW '%s'\n", how);
		rc = 2;
	}
	ctl_free(c);
	return rc;
}
