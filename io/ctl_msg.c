/* Control messages as bytes: the checks every received message passes
 * before anyone reads it (ctl_parse, the fuzz target's entry), and
 * Jansson allocations that wipe what they held, since decoded messages
 * carry data-plane keys. */
#define _GNU_SOURCE /* malloc_usable_size */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "io/ctl.h"
#include "io/ctl_impl.h"

/* Every Jansson buffer is wiped whole before it goes back: a freed
 * string or serialisation buffer may have held a key. */
static void wiping_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void ctl_init(void)
{
	/* Idempotent; Jansson's default allocator is this malloc too, so a
	 * value made before the switch is freed correctly after it. */
	json_set_alloc_funcs(malloc, wiping_free);
}

/* Walks containers only: leaves cannot nest. */
static int depth_ok(json_t *j, unsigned level)
{
	size_t i;
	json_t *v;
	const char *k;

	if (!json_is_object(j) && !json_is_array(j))
		return 1;
	if (level > CTL_DEPTH_MAX)
		return 0;
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!depth_ok(v, level + 1))
				return 0;
		return 1;
	}
	json_object_foreach(j, k, v)
		if (!depth_ok(v, level + 1))
			return 0;
	return 1;
}

int ctl_msg_depth_ok(const struct json_t *msg)
{
	/* Jansson's iteration macros take non-const values; the walk only
	 * reads. */
	return depth_ok((json_t *)msg, 1);
}

/* Jansson's reason in our words: its own text quotes the input near the
 * error, which may be part of a key. */
static const char *json_reason(const json_error_t *err)
{
	switch (json_error_code(err)) {
	case json_error_out_of_memory:
		return "out of memory";
	case json_error_stack_overflow:
		return "nested too deep";
	case json_error_invalid_utf8:
		return "invalid UTF-8";
	case json_error_premature_end_of_input:
		return "cut short";
	case json_error_end_of_input_expected:
		return "bytes after the object";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "a NUL character";
	case json_error_duplicate_key:
		return "a key given twice";
	case json_error_numeric_overflow:
		return "a number out of range";
	default:
		return "invalid JSON";
	}
}

/* "type": 1..CTL_TYPE_MAX printable ASCII characters without spaces. */
static int type_ok(const json_t *t)
{
	const char *s = json_string_value(t);
	size_t len = json_string_length(t);

	if (!s || !len || len > CTL_TYPE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

/* The fields every message has. */
static int check_fields(json_t *msg, struct ncb_err *e)
{
	json_t *v = json_object_get(msg, "v");

	if (!json_is_integer(v))
		return ncb_errf(e, -EPROTO, "a message without a protocol version (\"v\")");
	if (json_integer_value(v) != CTL_VERSION)
		return ncb_errf(e, -EPROTONOSUPPORT,
				"the peer speaks control protocol version %lld, this end %d (use the same ncbench on both hosts)",
				(long long)json_integer_value(v), CTL_VERSION);
	if (!type_ok(json_object_get(msg, "type")))
		return ncb_errf(e, -EPROTO, "a message without a valid \"type\"");
	return 0;
}

int ctl_parse(const char *buf, size_t len, json_t **msg, struct ncb_err *e)
{
	json_error_t err;
	json_t *j;
	int rc;

	*msg = NULL;
	if (len > CTL_MSG_MAX)
		return ncb_errf(e, -EMSGSIZE, "a message of %zu bytes (the limit is %d)",
				len, CTL_MSG_MAX);
	if (memchr(buf, 0, len))
		return ncb_errf(e, -EPROTO, "a message with a NUL byte");
	/* Duplicate keys would let two readers of one message see two
	 * values; Jansson refuses "\u0000" in strings without
	 * JSON_ALLOW_NUL and stops at JSON_PARSER_MAX_DEPTH on its own. */
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		return ncb_errf(e, -EPROTO, "not a message: %s at byte %d",
				json_reason(&err), err.position);
	if (!json_is_object(j))
		rc = ncb_errf(e, -EPROTO, "not a message: not a JSON object");
	else if (!ctl_msg_depth_ok(j))
		rc = ncb_errf(e, -EPROTO, "a message nested deeper than %d levels",
			      CTL_DEPTH_MAX);
	else
		rc = check_fields(j, e);
	if (rc < 0) {
		json_decref(j);
		return rc;
	}
	*msg = j;
	return 0;
}

const char *ctl_type(const json_t *msg)
{
	const char *t = json_string_value(json_object_get(msg, "type"));

	return t ? t : "";
}
