/* The `esp` workload: the data path of an IPsec gateway over loopback.
 * Inner packets travel as ESP-in-UDP (RFC 3948) from a sender that seals
 * them to a receiver that checks them against the anti-replay window and
 * opens them (workloads/flow). The headline figure is received goodput. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "workloads/flow.h"
#include "workloads/verdicts.h"
#include "workloads/wl.h"

enum {
	SPI_BASE = 0x100, /* pair i uses SPI 0x100 + i */
};

/* --esn starts sequence numbers 2^20 below 2^32, so a run crosses into
 * the high half early and ESN inference is exercised. */
#define ESN_START ((1ull << 32) - (1ull << 20))

struct esp_opts {
	struct flow_opts flow; /* first: FLOW_OPTS() point into it */
	unsigned mode, esp_mode, esn;
};

static const char *const modes[] = { "tunnel", "transport", NULL };
static const char *const esp_modes[] = { "aead", "integrity", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct esp_opts, f), d, h, c }
static const struct ncb_opt esp_opt_table[] = {
	FLOW_OPTS(struct esp_opts),
	OPT("mode", NCB_OPT_CHOICE, mode, "tunnel", "tunnel (inner IP + UDP) or transport (UDP)", modes),
	OPT("esp-mode", NCB_OPT_CHOICE, esp_mode, "aead",
	    "aead, or integrity (RFC 4543 AES-GMAC: authenticated, not encrypted)", esp_modes),
	OPT("esn", NCB_OPT_FLAG, esn, "0", "64-bit extended sequence numbers starting near 2^32", NULL),
};
#undef OPT

/* Reject counters, in the order of enum esp_verdict after ESP_V_OK. */
static const char *const reject_names[] = {
	"truncated", "unknown_spi", "replayed",  "too_old",
	"bad_icv",   "bad_padding", "oversize",
};

/* One side of a pair: the SA and the next header its packets carry. */
struct esp_side {
	struct esp_sa *sa;
	uint8_t nh;
};

static enum inner_kind kind_of(const struct esp_opts *o)
{
	if (o->mode == 1)
		return INNER_UDP;
	return o->flow.family == 1 ? INNER_IPV6 : INNER_IPV4;
}

static int side_new(void **out, const void *opts, const struct wl_case *c,
		    unsigned pair, int is_rx, const uint8_t *keymat,
		    struct ncb_err *e)
{
	const struct esp_opts *o = opts;
	struct esp_side *s = calloc(1, sizeof(*s));
	struct esp_sa_cfg sc = {
		.alg = c->cipher,
		.backend = c->backend,
		.key = keymat,
		.key_len = aead_key_len(c->cipher),
		.salt = keymat + AEAD_KEY_MAX,
		.spi = SPI_BASE + pair,
		.is_esn = (int)o->esn,
		.is_gmac = o->esp_mode == 1,
		.replay_window = o->flow.replay_window,
		.seq_start = o->esn ? ESN_START : 0,
	};
	int rc;

	(void)is_rx; /* both directions share one SA layout */
	*out = s;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	s->nh = inner_next_header(kind_of(o));
	rc = esp_sa_new(&s->sa, &sc);
	if (rc < 0)
		return ncb_errf(e, rc, "cannot create an ESP SA for %s/%s",
				c->cipher, c->backend);
	return 0;
}

static void side_free(void *arg)
{
	struct esp_side *s = arg;

	esp_sa_free(s->sa);
	free(s);
}

static size_t payload_off(const void *arg)
{
	(void)arg;
	return ESP_HDR_LEN;
}

static size_t packet_len(const void *arg, size_t len)
{
	(void)arg;
	return esp_packet_len(len);
}

static long encap(void *arg, uint8_t *pkt, size_t len, uint64_t seq)
{
	struct esp_side *s = arg;

	return esp_encap(s->sa, pkt, len, s->nh, seq, NULL);
}

static unsigned decap(void *arg, uint8_t *pkt, size_t len,
		      struct flow_out *out)
{
	struct esp_side *s = arg;
	struct esp_decap_out d;
	enum esp_verdict v = esp_decap(s->sa, pkt, len, &d);

	if (v == ESP_V_OK)
		*out = (struct flow_out){ d.payload, d.payload_len, d.seq,
					  d.next_header == s->nh };
	else if (v == ESP_V_ICV)
		out->seq = d.seq;
	return v;
}

static const uint64_t *counts(const void *arg)
{
	const struct esp_side *s = arg;

	return esp_sa_counts(s->sa);
}

static const struct flow_framing framing = {
	.sa_new = side_new,
	.sa_free = side_free,
	.payload_off = payload_off,
	.packet_len = packet_len,
	.encap = encap,
	.decap = decap,
	.counts = counts,
	.n_verdicts = ESP_V_COUNT,
	.verdict_class = verdicts_esp,
	.verdict_stage = verdict_stages_esp,
	.v_oversize = ESP_V_OVERSIZE,
};

static int esp_check(const struct wl_case *c, const void *opts,
		     struct ncb_err *e)
{
	const struct esp_opts *o = opts;

	return flow_check(c, &o->flow, inner_min(kind_of(o)),
			  esp_payload_max(), e);
}

static int esp_setup(const struct wl_case *c, const void *opts, void **state,
		     struct ncb_err *e)
{
	const struct esp_opts *o = opts;
	char name[64];
	struct flow_spec spec = {
		.framing = &framing,
		.kind = kind_of(o),
		.seq_first = o->esn ? ESN_START : 1,
		.framing_name = name,
		.transport = o->flow.family == 1 ? "udp6" : "udp",
	};

	snprintf(name, sizeof(name), "esp-%s%s%s", modes[o->mode],
		 o->esp_mode == 1 ? "-integrity" : "", o->esn ? "-esn" : "");
	return flow_setup((struct flow **)state, c, opts, sizeof(*o), &spec,
			  esp_packet_len(flow_size_max(c)), e);
}

const struct wl_ops wl_esp = {
	.name = "esp",
	.summary = "IPsec ESP over UDP on loopback: sender seals, receiver checks and opens",
	.abi = WL_ABI,
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX,
	.opts = esp_opt_table,
	.opts_count = NCB_ARRAY_SIZE(esp_opt_table),
	.opts_size = sizeof(struct esp_opts),
	.workers_per_thread = 2,
	.reject_names = reject_names,
	.n_rejects = NCB_ARRAY_SIZE(reject_names),
	.check = esp_check,
	.describe = flow_wl_describe,
	.setup = esp_setup,
	.run_rep = flow_wl_run_rep,
	.teardown = flow_wl_teardown,
};
