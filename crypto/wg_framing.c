/* The `wg` framing: WireGuard transport data messages (crypto/wg.c) as a
 * traffic pattern sees them through struct framing_ops. Inner packets are
 * IPv4 or IPv6 (WireGuard carries IP packets only) of the path's family,
 * the transport is UDP, counters start at 0 as a new WireGuard session's
 * do. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/replay.h"
#include "crypto/wg.h"
#include "crypto/wg_framing.h"
#include "crypto/wg_kat.h"

enum {
	INDEX_SAS_BASE = 0x4000, /* receiver indexes of SAs k > 0 (--sas) */
	CAPTURE_PORT = 51820, /* WireGuard's customary port, as tools expect */
};

struct wg_opts {
	unsigned replay_window;
};

#define OPT(n, t, f, d, h, c) { n, t, offsetof(struct wg_opts, f), d, h, c }
static const struct ncb_opt wg_opt_table[] = {
	OPT("replay-window", NCB_OPT_UINT, replay_window, "2048",
	    "receiver's sliding window in messages (0..65536; 0: strict order)", NULL),
};
#undef OPT

_Static_assert(sizeof(struct wg_opts) <= FRAMING_OPTS_MAX,
	       "wg options fit a framing_sa_desc");

/* In the order of enum wg_verdict. The header, index and counter checks
 * come before the tag; the inner packet's length is read after it. */
static const struct framing_verdict verdicts[WG_V_COUNT] = {
	[WG_V_OK] = { "ok", VERDICT_OK, VERDICT_BEFORE_AUTH },
	[WG_V_TRUNCATED] = { "truncated", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[WG_V_BAD_TYPE] = { "bad_type", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[WG_V_UNKNOWN_INDEX] = { "unknown_index", VERDICT_AUTH,
				 VERDICT_BEFORE_AUTH },
	[WG_V_REPLAYED] = { "replayed", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[WG_V_TOO_OLD] = { "too_old", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[WG_V_BAD_TAG] = { "bad_tag", VERDICT_AUTH, VERDICT_AT_TAG },
	[WG_V_BAD_INNER] = { "bad_inner", VERDICT_BROKEN, VERDICT_AFTER_AUTH },
	[WG_V_OVERSIZE] = { "oversize", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
};

_Static_assert((int)WG_V_COUNT <= (int)FRAMING_VERDICTS_MAX, "wg verdicts fit");

/* One side of a pair: the SA and the IP version its packets carry. */
struct wg_side {
	struct framing_side base;
	struct wg_sa *sa;
	int family;
};

/* What a burst opens, until its views are told: one burst call of a
 * thread at a time, so its SAs share it (crypto/esp.c's reason). */
static _Thread_local struct wg_decap_out burst_outs[FRAMING_BURST_MAX];

static int check(const void *opts, const char *cipher, int family,
		    size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	const struct wg_opts *o = opts;

	if (family != 4 && family != 6)
		return ncb_errf(e, -EINVAL, "wg: family must be 4 or 6");
	if (!aead_key_len(cipher))
		return ncb_errf(e, -EINVAL, "wg: unknown cipher '%s'", cipher);
	if (framing_check_aead("wg", cipher, e) < 0)
		return -EINVAL;
	if (o->replay_window > REPLAY_WINDOW_MAX)
		return ncb_errf(e, -EINVAL, "--replay-window must be 0..%u",
				(unsigned)REPLAY_WINDOW_MAX);
	*min_len = inner_min(family == 6 ? INNER_IPV6 : INNER_IPV4);
	*max_len = wg_inner_max();
	return 0;
}

static enum inner_kind inner(const void *opts, int family)
{
	(void)opts;
	return family == 6 ? INNER_IPV6 : INNER_IPV4;
}

/* Results of other AEADs in WireGuard's layout say so in their name, as
 * macsec's non-standard suites do. */
static void label(const void *opts, const char *cipher, char *buf, size_t len)
{
	int is_std = !strcmp(cipher, "chacha20-poly1305") ||
		     !strcmp(cipher, "null");

	(void)opts;
	snprintf(buf, len, "wg%s", is_std ? "" : "-nonstandard");
}

static size_t packet_max(const void *opts, const char *cipher, size_t len)
{
	(void)opts;
	(void)cipher;
	return wg_packet_len(len);
}

/* WireGuard's data messages are defined with ChaCha20-Poly1305 only. */
static const char *alg_note(const char *alg)
{
	if (strcmp(alg, "chacha20-poly1305") == 0)
		return "WireGuard";
	return aead_key_len(alg) && !framing_is_etm(alg) ? "non-standard" : NULL;
}

/* The receiver index of SA d->sa of direction d->id: SA 0 keeps
 * wg_framing_index(); SA k > 0 goes above all of those (at most 8192
 * with 4096 pairs), (k + 1) << 13 | id while it fits. */
static uint64_t sa_ident(const struct framing_sa_desc *d)
{
	if (!d->sa)
		return wg_framing_index(d->id);
	return framing_ident32(d->id, d->sa, INDEX_SAS_BASE);
}

/* The receiver index of a transport data message (bytes 4..8, little
 * endian). A message any SA refuses before its index check (too long,
 * shorter than a keepalive or not padded, not type 4 with zero reserved
 * bytes) names none: SA 0 refuses it with the verdict one SA gives. */
static int pkt_ident(const void *opts, const uint8_t *pkt, size_t len,
		     uint64_t *ident)
{
	(void)opts;
	if (len > WG_PACKET_MAX || len < WG_OVERHEAD ||
	    (len - WG_OVERHEAD) % WG_PAD || pkt[0] != WG_TYPE_DATA || pkt[1] ||
	    pkt[2] || pkt[3])
		return -1;
	*ident = wg_get_le32(pkt + 4);
	return 0;
}

static int sa_init(struct framing_side *base, const struct framing_sa_desc *d)
{
	const struct wg_opts *o = (const void *)d->opts;
	struct wg_side *s = (struct wg_side *)base;
	uint64_t index = framing_sa_ident(base->f, d);
	struct wg_sa_cfg cfg = {
		.aead = framing_aead(d),
		.index = (uint32_t)index,
		/* A sender never decaps: the smallest window will do. */
		.replay_window = base->is_rx ? o->replay_window : 0,
	};
	int rc;

	s->family = d->family == 6 ? 6 : 4;
	if (index > UINT32_MAX)
		return -EINVAL; /* an SA file's index: 32 bits */
	if (!cfg.aead.key_len || cfg.aead.key_len > FRAMING_KEYMAT)
		return -EINVAL; /* check() has refused it already */
	rc = wg_sa_new(&s->sa, &cfg);
	if (rc == 0)
		base->counts = wg_sa_counts(s->sa);
	return rc;
}

static void sa_fini(struct framing_side *base)
{
	wg_sa_free(((struct wg_side *)base)->sa);
}

static long encap(void *arg, uint8_t *pkt, size_t len, uint64_t seq)
{
	struct wg_side *s = arg;

	return wg_encap(s->sa, pkt, len, seq);
}

/* What decap tells of a message with verdict v. */
static void tell(const struct wg_side *s, unsigned v,
		 const struct wg_decap_out *d, struct framing_out *out)
{
	if (v == WG_V_OK)
		*out = (struct framing_out){ d->payload, d->len, d->counter,
					     d->inner_family == s->family };
	else if (v == WG_V_BAD_TAG || v == WG_V_BAD_INNER)
		out->seq = d->counter;
}

static unsigned decap(void *arg, uint8_t *pkt, size_t len,
			    struct framing_out *out)
{
	struct wg_side *s = arg;
	struct wg_decap_out d;
	enum wg_verdict v = wg_decap(s->sa, pkt, len, &d);

	tell(s, v, &d, out);
	return v;
}

static void encap_burst(void *arg, uint8_t *const *pkts, const size_t *lens,
			const uint64_t *seqs, long *rcs, unsigned n)
{
	struct wg_side *s = arg;

	wg_encap_burst(s->sa, pkts, lens, seqs, rcs, n);
}

static void decap_burst(void *arg, uint8_t *const *pkts, const size_t *lens,
			struct framing_out *outs, uint8_t *vs, unsigned n)
{
	struct wg_side *s = arg;

	/* n <= FRAMING_BURST_MAX: framing_*_burst cut longer runs. */
	wg_decap_burst(s->sa, pkts, lens, burst_outs, vs, n);
	for (unsigned i = 0; i < n; i++)
		tell(s, vs[i], &burst_outs[i], &outs[i]);
}

const struct framing_ops wg_framing = {
	.name = "wg",
	.summary = "WireGuard data messages over UDP: counter nonce, padding to 16, sliding window",
	/* The receiver's index (0 is the framing's own choice in a
	 * description); captured as UDP to WireGuard's port. */
	.ident = { "index", 32, 1 },
	.capture = { .ip_proto = 17, .udp_port = CAPTURE_PORT },
	FRAMING_COMMON(struct wg_side),
	.inner = inner,
	/* Counters start at 0, as a new WireGuard session's do. */
	.flags = FRAMING_F_DATAGRAM | FRAMING_F_SEQ0,
	FRAMING_OPTS(struct wg_opts, wg_opt_table),
	.hdr_len = WG_HDR_LEN,
	.sa_what = "a WireGuard SA",
	.decap = decap,
	.encap_burst = encap_burst,
	.decap_burst = decap_burst,
	FRAMING_VERDICTS(verdicts, WG_V_OVERSIZE),
	.sa_ident = sa_ident,
	.pkt_ident = pkt_ident,
	.v_unknown_sa = WG_V_UNKNOWN_INDEX,
	FRAMING_KAT("wg", wg_kat_validate, wg_kat_run),
};
