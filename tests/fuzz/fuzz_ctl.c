/* libFuzzer target for what arrives on the control channel and for
 * --peer's HOST[:PORT]: the input goes through ctl_parse as the bytes of
 * one message (exactly its length, not NUL terminated, so ASan sees any
 * read past it) and, cut at the first NUL, through ctl_split_hostport.
 * A message it accepts must satisfy every documented check, and written
 * out again it must be accepted again and equal. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/ctl.h"
#include "io/ctl_impl.h"

enum { HOSTPORT_MAX = 1024, HOST_LEN = 256 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ctl_init();
	return 0;
}

static void check_message(json_t *m)
{
	const char *type = ctl_type(m);
	size_t len;
	char *text;
	json_t *again;
	struct ncb_err e;

	if (!json_is_object(m) || !ctl_msg_depth_ok(m) ||
	    json_integer_value(json_object_get(m, "v")) != CTL_VERSION ||
	    !*type || strlen(type) > CTL_TYPE_MAX)
		abort();
	for (const char *p = type; *p; p++)
		if (*p <= ' ' || *p > '~')
			abort();
	/* What one end accepts, the other can send. */
	text = json_dumps(m, JSON_COMPACT);
	if (!text)
		abort();
	len = strlen(text);
	if (len <= CTL_MSG_MAX) {
		if (ctl_parse(text, len, &again, &e) != 0 || !json_equal(m, again))
			abort();
		json_decref(again);
	}
	free(text);
}

static void check_hostport(const uint8_t *data, size_t size)
{
	char in[HOSTPORT_MAX + 1], host[HOST_LEN];
	size_t n = strnlen((const char *)data, size < HOSTPORT_MAX ? size : HOSTPORT_MAX);
	unsigned port = 0;
	struct ncb_err e;

	memcpy(in, data, n);
	in[n] = 0;
	if (ctl_split_hostport(in, host, sizeof(host), &port, &e) == 0) {
		if (!host[0] || strlen(host) >= sizeof(host) || port < 1 || port > 65535)
			abort();
		for (const char *p = host; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == '/' || *p == '@')
				abort();
	} else if (strchr(e.msg, '\n')) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *m = NULL;
	struct ncb_err e;
	int rc = ctl_parse((const char *)data, size, &m, &e);

	if ((rc == 0) != (m != NULL))
		abort();
	if (rc == 0)
		check_message(m);
	else if (strchr(e.msg, '\n'))
		abort();
	json_decref(m);
	check_hostport(data, size);
	return 0;
}
