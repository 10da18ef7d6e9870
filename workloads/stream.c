/* The `stream` workload: encrypted bulk transfer over TCP, as TLS 1.3
 * carries it. Per connection (--threads of them), a sender seals records
 * of --size bytes of data (at most 16384, RFC 8446 §5.1) back to back and
 * sends each batch with one call; the receiver takes whatever pieces TCP
 * hands it, re-frames the records across the piece boundaries, opens them
 * in order and, with --verify, checks every byte (workloads/flow). The
 * headline figure is received goodput: record data per second. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/record.h"
#include "io/net.h"
#include "workloads/flow.h"
#include "workloads/verdicts.h"
#include "workloads/wl.h"

/* --size is the data of one record: the knob a TLS stack tunes (16 KiB
 * for bulk transfer, about one TCP segment for latency). */
struct stream_opts {
	struct flow_opts flow; /* first: FLOW_NET_OPTS() point into it */
};

/* TCP delivers every byte once and in order: no replay window, reorder
 * or loss, and no UDP offloads. */
static const struct ncb_opt stream_opt_table[] = {
	FLOW_NET_OPTS(struct stream_opts),
};

/* Reject counters, in the order of enum record_verdict after OK. */
static const char *const reject_names[] = {
	"bad_header", "record_overflow", "bad_record_mac", "no_content_type",
};

enum {
	/* Records one receive piece can complete. */
	FEED_MAX = NET_PIECE_MAX / RECORD_OVERHEAD + 2,
};

struct stream_side {
	struct record_sa *sa;
	struct record_reader *reader; /* receiver only */
	struct record_out outs[FEED_MAX];
};

static void side_free(void *arg)
{
	struct stream_side *s = arg;

	record_reader_free(s->reader);
	record_sa_free(s->sa);
	free(s);
}

static int side_new(void **out, const void *opts, const struct wl_case *c,
		    unsigned pair, int is_rx, const uint8_t *keymat,
		    struct ncb_err *e)
{
	struct stream_side *s = calloc(1, sizeof(*s));
	struct record_cfg rc_cfg = {
		.alg = c->cipher,
		.backend = c->backend,
		.key = keymat,
		.key_len = aead_key_len(c->cipher),
		.iv = keymat + AEAD_KEY_MAX,
	};
	int rc;

	(void)opts;
	(void)pair;
	*out = s;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	rc = record_sa_new(&s->sa, &rc_cfg);
	if (rc < 0)
		return ncb_errf(e, rc, "cannot create a record context for %s/%s",
				c->cipher, c->backend);
	if (is_rx && record_reader_new(&s->reader, s->sa) < 0)
		return ncb_errf(e, -ENOMEM, "out of memory");
	return 0;
}

static size_t payload_off(const void *arg)
{
	(void)arg;
	return RECORD_HDR_LEN;
}

static size_t packet_len(const void *arg, size_t len)
{
	(void)arg;
	return record_len(len);
}

static long encap(void *arg, uint8_t *rec, size_t len, uint64_t seq)
{
	struct stream_side *s = arg;

	(void)seq; /* records count their own sequence numbers */
	return record_seal(s->sa, rec, len, RECORD_APP_DATA);
}

static int feed(void *arg, uint8_t *piece, size_t len, struct flow_out *outs,
		uint8_t *verdicts, unsigned max)
{
	struct stream_side *s = arg;
	int n = record_reader_feed(s->reader, piece, len, s->outs, verdicts,
				   max < FEED_MAX ? max : FEED_MAX);

	for (int i = 0; i < n; i++)
		if (verdicts[i] == RECORD_V_OK)
			outs[i] = (struct flow_out){
				s->outs[i].data, s->outs[i].len, s->outs[i].seq,
				s->outs[i].content_type == RECORD_APP_DATA,
			};
	return n;
}

static const uint64_t *counts(const void *arg)
{
	const struct stream_side *s = arg;

	return record_sa_counts(s->sa);
}

static const struct flow_framing framing = {
	.sa_new = side_new,
	.sa_free = side_free,
	.payload_off = payload_off,
	.packet_len = packet_len,
	.encap = encap,
	.feed = feed,
	.feed_max = FEED_MAX,
	.counts = counts,
	.n_verdicts = RECORD_V_COUNT,
	.verdict_class = verdicts_record,
};

static int stream_check(const struct wl_case *c, const void *opts,
			struct ncb_err *e)
{
	const struct stream_opts *o = opts;

	if (flow_size_max(c) > RECORD_DATA_MAX)
		return ncb_errf(e, -EINVAL,
				"--size: a record carries at most %d bytes of data (RFC 8446 5.1), got %zu",
				RECORD_DATA_MAX, flow_size_max(c));
	return flow_check(c, &o->flow, inner_min(INNER_DATA), RECORD_DATA_MAX,
			  e);
}

static int stream_setup(const struct wl_case *c, const void *opts,
			void **state, struct ncb_err *e)
{
	const struct stream_opts *o = opts;
	struct flow_spec spec = {
		.framing = &framing,
		.kind = INNER_DATA,
		.is_stream = 1,
		.seq_first = 0, /* the stamp is the record's sequence number */
		.framing_name = "tls13-records",
		.transport = o->flow.family == 1 ? "tcp6" : "tcp",
	};

	return flow_setup((struct flow **)state, c, opts, sizeof(*o), &spec,
			  record_len(flow_size_max(c)), e);
}

const struct wl_ops wl_stream = {
	.name = "stream",
	.summary = "TLS 1.3-style records over one TCP connection per pair: sender seals, receiver re-frames and opens",
	.abi = WL_ABI,
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX,
	.opts = stream_opt_table,
	.opts_count = NCB_ARRAY_SIZE(stream_opt_table),
	.opts_size = sizeof(struct stream_opts),
	.workers_per_thread = 2,
	.reject_names = reject_names,
	.n_rejects = NCB_ARRAY_SIZE(reject_names),
	.check = stream_check,
	.describe = flow_wl_describe,
	.setup = stream_setup,
	.run_rep = flow_wl_run_rep,
	.teardown = flow_wl_teardown,
};
