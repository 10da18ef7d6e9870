/* The `macsec` workload: hop-by-hop link encryption (IEEE 802.1AE). Each
 * inner IPv4 packet becomes the user data of an Ethernet frame (EtherType
 * 0800) that the sender protects with MACsec and the receiver checks
 * through the replay window and opens (workloads/flow). Frames travel as
 * UDP payloads on loopback (default), or with --transport raw as real
 * Ethernet frames over AF_PACKET sockets on a veth pair between two
 * network namespaces made for the run. --size is the inner packet, as
 * for esp, so both carry the same traffic. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/macsec.h"
#include "io/veth.h"
#include "workloads/flow.h"
#include "workloads/verdicts.h"
#include "workloads/wl.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_LEN = 2,
	/* Largest SecTAG with an SCI, and the user data's EtherType. */
	OVERHEAD_MAX = MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_SCI_LEN +
		       ETHERTYPE_LEN + MACSEC_ICV_LEN,
};

/* --xpn starts PNs 2^20 below 2^32, so a run crosses into the high half
 * and the receiver's PN recovery is exercised. */
#define XPN_START ((1ull << 32) - (1ull << 20))

struct macsec_opts {
	struct flow_opts flow; /* first: FLOW_OPTS() point into it */
	unsigned transport, protection, sci, xpn;
};

static const char *const transports[] = { "udp", "raw", NULL };
static const char *const protections[] = { "confidentiality", "integrity",
					    NULL };
static const char *const scis[] = { "explicit", "es", "none", NULL };

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct macsec_opts, f), d, h, c }
static const struct ncb_opt macsec_opt_table[] = {
	FLOW_OPTS(struct macsec_opts),
	OPT("transport", NCB_OPT_CHOICE, transport, "udp",
	    "udp (frames as UDP payloads on loopback) or raw (Ethernet over a veth pair in private namespaces; root)",
	    transports),
	OPT("protection", NCB_OPT_CHOICE, protection, "confidentiality",
	    "confidentiality (E = C = 1) or integrity (E = C = 0: authenticated, in clear)",
	    protections),
	OPT("sci", NCB_OPT_CHOICE, sci, "explicit",
	    "SCI in the SecTAG (explicit), implied by the MAC SA (es), or not sent (none)",
	    scis),
	OPT("xpn", NCB_OPT_FLAG, xpn, "0",
	    "extended packet numbers (GCM-AES-XPN, 64-bit PN) starting near 2^32", NULL),
};
#undef OPT

/* Reject counters, in the order of enum macsec_verdict after OK. */
static const char *const reject_names[] = {
	"truncated", "bad_tag", "unknown_sci", "unused_an",
	"replayed",  "late",    "bad_icv",     "oversize",
};

struct macsec_side {
	struct macsec_sa *sa;
	uint8_t addrs[MACSEC_ADDRS_LEN]; /* DA, SA */
	size_t hdr;
};

struct macsec_state {
	struct flow *flow;
	struct veth_lab *lab;
};

static int side_new(void **out, const void *opts, const struct wl_case *c,
		    unsigned pair, int is_rx, const uint8_t *keymat,
		    struct ncb_err *e)
{
	static const unsigned tcis[] = { MACSEC_TCI_SC, MACSEC_TCI_ES, 0 };
	const struct macsec_opts *o = opts;
	struct macsec_side *s = calloc(1, sizeof(*s));
	uint8_t sci[MACSEC_SCI_LEN];
	int rc;

	(void)is_rx; /* both directions share one SA layout */
	*out = s;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	veth_macs(pair, s->addrs + 6, s->addrs);
	/* The SCI of a port: its MAC address and port number 1, which is
	 * also what ES implies. */
	memcpy(sci, s->addrs + 6, 6);
	sci[6] = 0;
	sci[7] = 1;
	struct macsec_sa_cfg sc = {
		.alg = c->cipher,
		.backend = c->backend,
		.key = keymat,
		.key_len = aead_key_len(c->cipher),
		.sci = sci,
		.tci = tcis[o->sci],
		.an = 0,
		.is_integrity = o->protection == 1,
		.is_xpn = (int)o->xpn,
		.ssci = pair + 1,
		.salt = keymat + AEAD_KEY_MAX,
		.replay_window = o->flow.replay_window,
		.pn_start = o->xpn ? XPN_START : 0,
	};
	rc = macsec_sa_new(&s->sa, &sc);
	if (rc < 0)
		return ncb_errf(e, rc, "cannot create a MACsec SA for %s/%s",
				c->cipher, c->backend);
	s->hdr = macsec_hdr_len(s->sa);
	return 0;
}

static void side_free(void *arg)
{
	struct macsec_side *s = arg;

	macsec_sa_free(s->sa);
	free(s);
}

static size_t payload_off(const void *arg)
{
	const struct macsec_side *s = arg;

	return s->hdr + ETHERTYPE_LEN;
}

static size_t packet_len(const void *arg, size_t len)
{
	const struct macsec_side *s = arg;

	return macsec_frame_len(s->sa, len + ETHERTYPE_LEN);
}

static long encap(void *arg, uint8_t *frame, size_t len, uint64_t pn)
{
	struct macsec_side *s = arg;

	memcpy(frame, s->addrs, sizeof(s->addrs));
	ncb_put_be16(frame + s->hdr, ETHERTYPE_IPV4);
	return macsec_encap(s->sa, frame, len + ETHERTYPE_LEN, pn);
}

static unsigned decap(void *arg, uint8_t *frame, size_t len,
		      struct flow_out *out)
{
	struct macsec_side *s = arg;
	struct macsec_decap_out d;
	enum macsec_verdict v = macsec_decap(s->sa, frame, len, &d);

	if (v == MACSEC_V_ICV)
		out->seq = d.pn;
	if (v != MACSEC_V_OK)
		return v;
	if (d.user_len < ETHERTYPE_LEN) {
		*out = (struct flow_out){ d.user, 0, d.pn, 0 };
		return v;
	}
	*out = (struct flow_out){
		d.user + ETHERTYPE_LEN, d.user_len - ETHERTYPE_LEN, d.pn,
		ncb_get_be16(d.user) == ETHERTYPE_IPV4,
	};
	return v;
}

static const uint64_t *counts(const void *arg)
{
	const struct macsec_side *s = arg;

	return macsec_sa_counts(s->sa);
}

static const struct flow_framing framing = {
	.sa_new = side_new,
	.sa_free = side_free,
	.payload_off = payload_off,
	.packet_len = packet_len,
	.encap = encap,
	.decap = decap,
	.counts = counts,
	.n_verdicts = MACSEC_V_COUNT,
	.verdict_class = verdicts_macsec,
	.verdict_stage = verdict_stages_macsec,
	.v_oversize = MACSEC_V_OVERSIZE,
};

static int macsec_check(const struct wl_case *c, const void *opts,
			struct ncb_err *e)
{
	const struct macsec_opts *o = opts;

	if (o->flow.family == 1 && o->transport == 1)
		return ncb_errf(e, -EINVAL,
				"--family 6: --transport raw carries Ethernet frames, not IP");
	if (o->transport == 1 && veth_lab_probe(e) < 0)
		return -EPERM;
	return flow_check(c, &o->flow, inner_min(INNER_IPV4),
			  MACSEC_FRAME_MAX - OVERHEAD_MAX, e);
}

static int raw_pair_open(void *ctx, struct net_cfg *cfg, unsigned index,
			 int *tx_fd, int *rx_fd, struct ncb_err *e)
{
	return veth_lab_sockets(ctx, cfg, index, MACSEC_ETHERTYPE, tx_fd,
				rx_fd, e);
}

static void macsec_teardown(void *state)
{
	struct macsec_state *s = state;

	if (!s)
		return;
	flow_free(s->flow); /* closes the sockets first */
	veth_lab_free(s->lab);
	free(s);
}

static int macsec_setup(const struct wl_case *c, const void *opts,
			void **state, struct ncb_err *e)
{
	const struct macsec_opts *o = opts;
	struct macsec_state *s = calloc(1, sizeof(*s));
	size_t frame_max = flow_size_max(c) + OVERHEAD_MAX;
	int is_std = macsec_suite_name(c->cipher, (int)o->xpn) != NULL;
	char name[64];
	int rc;

	*state = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	snprintf(name, sizeof(name), "macsec%s%s%s", o->xpn ? "-xpn" : "",
		 o->protection == 1 ? "-integrity" : "",
		 is_std || !strcmp(c->cipher, "null") ? "" : "-nonstandard");
	struct flow_spec spec = {
		.framing = &framing,
		.kind = INNER_IPV4,
		.seq_first = o->xpn ? XPN_START : 1,
		.framing_name = name,
		.transport = o->transport == 1 ? "raw"
			     : o->flow.family == 1 ? "udp6" : "udp",
	};
	if (o->transport == 1) {
		rc = veth_lab_new(&s->lab, c->threads, frame_max, e);
		if (rc < 0) {
			free(s);
			return rc;
		}
		spec.pair_open = raw_pair_open;
		spec.ctx = s->lab;
	}
	rc = flow_setup(&s->flow, c, opts, sizeof(*o), &spec, frame_max, e);
	if (rc < 0) {
		macsec_teardown(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int macsec_run_rep(void *state, double seconds,
			  struct wl_counters *out)
{
	struct macsec_state *s = state;

	return flow_run_rep(s->flow, seconds, out);
}

static void macsec_describe(void *state, struct wl_desc *d)
{
	struct macsec_state *s = state;

	flow_describe(s->flow, d);
}

const struct wl_ops wl_macsec = {
	.name = "macsec",
	.summary = "IEEE 802.1AE MACsec frames over UDP or a veth pair: sender protects, receiver checks and opens",
	.abi = WL_ABI,
	.flags = WL_F_NET | WL_F_VERIFY | WL_F_IMIX,
	.opts = macsec_opt_table,
	.opts_count = NCB_ARRAY_SIZE(macsec_opt_table),
	.opts_size = sizeof(struct macsec_opts),
	.workers_per_thread = 2,
	.reject_names = reject_names,
	.n_rejects = NCB_ARRAY_SIZE(reject_names),
	.check = macsec_check,
	.describe = macsec_describe,
	.setup = macsec_setup,
	.run_rep = macsec_run_rep,
	.teardown = macsec_teardown,
};
