/* MACsec as a framing (crypto/framing.h): each inner IPv4 packet is the
 * user data of an Ethernet frame (EtherType 0800) protected by IEEE
 * 802.1AE. Frames travel as UDP payloads on loopback, or with --transport
 * raw (or eth) as real Ethernet frames on a veth pair between two network
 * namespaces made for the run (io/veth). */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/macsec.h"
#include "io/veth.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_LEN = 2,
	/* Largest SecTAG with an SCI, and the user data's EtherType. */
	OVERHEAD_MAX = MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_SCI_LEN +
		       ETHERTYPE_LEN + MACSEC_ICV_LEN,
	SCI_ES = 1,   /* --sci es, the index in scis[] */
	PORTS = 65535, /* port numbers 1..65535 of an SCI */
};

/* XPN short SCIs of SAs k > 0 (--sas). */
#define SSCI_SAS 0x80000000u

/* --xpn starts PNs 2^20 below 2^32, so a run crosses into the high half
 * and the receiver's PN recovery is exercised. */
#define XPN_START ((1ull << 32) - (1ull << 20))

struct macsec_framing_opts {
	unsigned transport, protection, sci, xpn, replay_window;
};

/* "eth" and "raw" name the same link. */
static const char *const transports[] = { "udp", "raw", "eth", NULL };
static const char *const protections[] = { "confidentiality", "integrity",
					    NULL };
static const char *const scis[] = { "explicit", "es", "none", NULL };

#define OPT(n, t, f, d, h, c) \
	{ n, t, offsetof(struct macsec_framing_opts, f), d, h, c }
static const struct ncb_opt opt_table[] = {
	OPT("transport", NCB_OPT_CHOICE, transport, "udp",
	    "udp (frames as UDP payloads on loopback) or raw/eth (Ethernet over a veth pair in private namespaces; root)",
	    transports),
	OPT("protection", NCB_OPT_CHOICE, protection, "confidentiality",
	    "confidentiality (E = C = 1) or integrity (E = C = 0: authenticated, in clear)",
	    protections),
	OPT("sci", NCB_OPT_CHOICE, sci, "explicit",
	    "SCI in the SecTAG (explicit), implied by the MAC SA (es), or not sent (none)",
	    scis),
	OPT("xpn", NCB_OPT_FLAG, xpn, "0",
	    "extended packet numbers (GCM-AES-XPN, 64-bit PN) starting near 2^32", NULL),
	FRAMING_OPT_REPLAY_WINDOW(struct macsec_framing_opts, replay_window),
};
#undef OPT

/* 802.1AE 10.6: every check but the ICV comes before it. */
static const struct framing_verdict verdicts[MACSEC_V_COUNT] = {
	[MACSEC_V_OK] = FRAMING_VERDICT_OK,
	[MACSEC_V_TRUNCATED] = { "truncated", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[MACSEC_V_BAD_TAG] = { "bad_tag", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[MACSEC_V_SCI] = { "unknown_sci", VERDICT_AUTH, VERDICT_BEFORE_AUTH },
	[MACSEC_V_AN] = { "unused_an", VERDICT_AUTH, VERDICT_BEFORE_AUTH },
	[MACSEC_V_REPLAY] = { "replayed", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[MACSEC_V_LATE] = { "late", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[MACSEC_V_ICV] = { "bad_icv", VERDICT_AUTH, VERDICT_AT_TAG },
	[MACSEC_V_OVERSIZE] = { "oversize", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
};

struct side {
	struct framing_side base; /* hdr_len: SecTAG and EtherType */
	struct macsec_sa *sa;
	uint8_t addrs[MACSEC_ADDRS_LEN]; /* DA, SA */
	size_t hdr;                      /* DA, SA and SecTAG */
};

/* A burst's user data lengths, and what it opens, until its views are
 * told: one burst call of a thread at a time, so its SAs share them
 * (crypto/esp.c's reason). */
static _Thread_local size_t burst_user_lens[FRAMING_BURST_MAX];
static _Thread_local struct macsec_decap_out burst_outs[FRAMING_BURST_MAX];

static int is_link(const struct macsec_framing_opts *o)
{
	return o->transport != 0;
}

/* --sas above 1 needs --sci explicit, the only SecTAG that names an SC
 * per frame (pkt_ident); this hook does not see --sas, so the pattern
 * that takes it refuses the others. */
static int check(const void *opts, const char *cipher, int family,
		 size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	const struct macsec_framing_opts *o = opts;

	if (framing_check_aead("macsec", cipher, e) < 0)
		return -EINVAL;
	if (family == 6 && is_link(o))
		return ncb_errf(e, -EINVAL,
				"--family 6: --transport %s carries Ethernet frames, not IP",
				transports[o->transport]);
	if (framing_check_window(o->replay_window, e) < 0)
		return -EINVAL;
	if (is_link(o) && veth_lab_probe(e) < 0)
		return -EPERM;
	*min_len = inner_min(INNER_IPV4);
	*max_len = MACSEC_FRAME_MAX - OVERHEAD_MAX;
	return 0;
}

static void label(const void *opts, const char *cipher, char *buf,
		  size_t len)
{
	const struct macsec_framing_opts *o = opts;
	int is_std = macsec_suite_name(cipher, (int)o->xpn) != NULL;

	snprintf(buf, len, "macsec%s%s%s", o->xpn ? "-xpn" : "",
		 o->protection == 1 ? "-integrity" : "",
		 is_std || !strcmp(cipher, "null") ? "" : "-nonstandard");
}

static const char *transport(const void *opts, int family)
{
	if (is_link(opts))
		return "raw";
	return family == 6 ? "udp6" : "udp";
}

static size_t packet_max(const void *opts, const char *cipher, size_t len)
{
	(void)opts;
	(void)cipher;
	return len + OVERHEAD_MAX;
}

static uint64_t seq_first(const void *opts)
{
	const struct macsec_framing_opts *o = opts;

	return o->xpn ? XPN_START : 1;
}

static int link_new(void **link, const void *opts, unsigned pairs,
		    size_t pkt_max, struct ncb_err *e)
{
	*link = NULL;
	if (!is_link(opts))
		return 0;
	return veth_lab_new((struct veth_lab **)link, pairs, pkt_max, e);
}

static int link_open(void *link, struct net_cfg *cfg, unsigned index,
		     int *tx_fd, int *rx_fd, struct ncb_err *e)
{
	return veth_lab_sockets(link, cfg, index, MACSEC_ETHERTYPE, tx_fd,
				rx_fd, e);
}

static void link_free(void *link)
{
	veth_lab_free(link);
}

/* Which 802.1AE cipher suite runs alg; other AEADs run in the same frame
 * layout but are no standard. */
static const char *alg_note(const char *alg)
{
	if (macsec_suite_name(alg, 0))
		return macsec_suite_name(alg, 0);
	if (framing_is_etm(alg))
		return NULL;
	return "non-standard: no 802.1AE suite, same frame layout";
}

/* The frames' destination and source addresses of d's direction. */
static void addresses(const struct framing_sa_desc *d,
		      uint8_t addrs[MACSEC_ADDRS_LEN])
{
	/* Direction 0 goes from the pair's sending end to its receiving
	 * end; direction 1 comes back. */
	uint8_t *tx_mac = addrs + (d->id % 2 ? 0 : 6);
	uint8_t *rx_mac = addrs + (d->id % 2 ? 6 : 0);

	veth_macs(d->id / 2, tx_mac, rx_mac);
	/* Between two hosts: this direction's own addresses. */
	for (unsigned i = 0; i < sizeof(d->link_macs); i++)
		if (d->link_macs[i]) {
			memcpy(addrs, d->link_macs, MACSEC_ADDRS_LEN);
			break;
		}
}

/* The SCI of SA d->sa, as a big-endian number: the sending port's MAC
 * address and port number 1, which is also what ES implies (SA 0, and
 * every SA with --sci es, whose SCI never differs: a database of more
 * than one refuses them as repeating). SA k > 0 is port 1 + k % 65535
 * (2..65535, then 1.. again) of an address whose last byte's high
 * nibble also carries k / 65535 (below 16 for every --sas; veth_macs
 * leaves it 0): one SC per SA, as a gateway with many secure channels
 * sees them, while the frames' source address stays the port's. */
static uint64_t sa_ident(const struct framing_sa_desc *d)
{
	const struct macsec_framing_opts *o = (const void *)d->opts;
	uint8_t addrs[MACSEC_ADDRS_LEN], sci[MACSEC_SCI_LEN];
	uint64_t ident;

	addresses(d, addrs);
	memcpy(sci, addrs + 6, 6);
	ncb_put_be16(sci + 6, 1);
	ident = ncb_get_be64(sci);
	if (!d->sa || o->sci == SCI_ES)
		return ident;
	ident = (ident & ~(uint64_t)0xffff) | (1 + d->sa % PORTS);
	return ident ^ (uint64_t)(d->sa / PORTS) << 20;
}

/* The SCI a frame carries in its SecTAG (SC bit). Without one (--sci es
 * or none) a frame names no SC this way, so a pattern must refuse --sas
 * above 1 unless --sci explicit (check() does not see --sas). Frames too
 * short for a SecTAG with an SCI, too long, not MACsec or of version 1
 * name none either: SA 0 refuses them as an SA would. */
static int pkt_ident(const void *opts, const uint8_t *frame, size_t len,
		     uint64_t *ident)
{
	const uint8_t *tag = frame + MACSEC_ADDRS_LEN;

	(void)opts;
	if (len < MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_SCI_LEN +
			  MACSEC_ICV_LEN ||
	    len > MACSEC_FRAME_MAX || ncb_get_be16(tag) != MACSEC_ETHERTYPE ||
	    (tag[2] & (MACSEC_TCI_V | MACSEC_TCI_SC)) != MACSEC_TCI_SC)
		return -1;
	*ident = ncb_get_be64(tag + MACSEC_SECTAG_LEN);
	return 0;
}

/* Only XPN suites use a salt (802.1AEbw: 12 bytes, XORed into the
 * nonce); the others' nonce is SCI | PN. */
static size_t salt_len(const void *opts, const char *cipher)
{
	const struct macsec_framing_opts *o = opts;

	(void)cipher;
	return o->xpn ? MACSEC_SALT_LEN : 0;
}

static int sa_init(struct framing_side *base, const struct framing_sa_desc *d)
{
	static const unsigned tcis[] = { MACSEC_TCI_SC, MACSEC_TCI_ES, 0 };
	const struct macsec_framing_opts *o = (const void *)d->opts;
	struct side *s = (struct side *)base;
	uint8_t sci[MACSEC_SCI_LEN];
	int rc;

	addresses(d, s->addrs);
	ncb_put_be64(sci, framing_sa_ident(base->f, d));
	struct macsec_sa_cfg sc = {
		.aead = framing_aead(d),
		.sci = sci,
		.tci = tcis[o->sci],
		.an = 0,
		.is_integrity = o->protection == 1,
		.is_xpn = (int)o->xpn,
		/* XPN: unique per SC of the CA (802.1AEbw), which a pair's
		 * two directions share: SA 0 keeps id + 1, SA k > 0 takes
		 * the top half, by k and direction. */
		.ssci = d->sa ? SSCI_SAS | (d->sa << 1 | d->id % 2) : d->id + 1,
		.salt = d->keymat + AEAD_KEY_MAX,
		.replay_window = o->replay_window,
		.pn_start = d->seq_first > 1 ? d->seq_first : 0,
	};
	rc = macsec_sa_new(&s->sa, &sc);
	if (rc < 0)
		return rc;
	s->hdr = macsec_hdr_len(s->sa);
	base->hdr_len = s->hdr + ETHERTYPE_LEN;
	base->counts = macsec_sa_counts(s->sa);
	return 0;
}

static void sa_fini(struct framing_side *base)
{
	macsec_sa_free(((struct side *)base)->sa);
}

/* The SecTAG's length follows the SCI option, so the SA says it. */
static size_t packet_len(const struct framing_side *base, size_t len)
{
	return macsec_frame_len(((const struct side *)base)->sa,
				len + ETHERTYPE_LEN);
}

/* Addresses and the inner EtherType: the user data's first bytes. */
static void address(const struct side *s, uint8_t *frame)
{
	memcpy(frame, s->addrs, sizeof(s->addrs));
	ncb_put_be16(frame + s->hdr, ETHERTYPE_IPV4);
}

static long encap(void *arg, uint8_t *frame, size_t len, uint64_t pn)
{
	struct side *s = arg;

	address(s, frame);
	return macsec_encap(s->sa, frame, len + ETHERTYPE_LEN, pn);
}

/* What decap tells of a frame with verdict v. */
static void tell(unsigned v, const struct macsec_decap_out *d,
		 struct framing_out *out)
{
	if (v == MACSEC_V_ICV)
		out->seq = d->pn;
	if (v != MACSEC_V_OK)
		return;
	if (d->user_len < ETHERTYPE_LEN) {
		*out = (struct framing_out){ d->user, 0, d->pn, 0 };
		return;
	}
	*out = (struct framing_out){
		d->user + ETHERTYPE_LEN, d->user_len - ETHERTYPE_LEN, d->pn,
		ncb_get_be16(d->user) == ETHERTYPE_IPV4,
	};
}

static unsigned decap(void *arg, uint8_t *frame, size_t len,
		      struct framing_out *out)
{
	struct side *s = arg;
	struct macsec_decap_out d;
	enum macsec_verdict v = macsec_decap(s->sa, frame, len, &d);

	tell(v, &d, out);
	return v;
}

static void encap_burst(void *arg, uint8_t *const *frames, const size_t *lens,
			const uint64_t *pns, long *rcs, unsigned n)
{
	struct side *s = arg;

	/* n <= FRAMING_BURST_MAX: framing_*_burst cut longer runs. */
	for (unsigned i = 0; i < n; i++) {
		address(s, frames[i]);
		burst_user_lens[i] = lens[i] + ETHERTYPE_LEN;
	}
	macsec_encap_burst(s->sa, frames, burst_user_lens, pns, rcs, n);
}

static void decap_burst(void *arg, uint8_t *const *frames, const size_t *lens,
			struct framing_out *outs, uint8_t *vs, unsigned n)
{
	struct side *s = arg;

	/* n <= FRAMING_BURST_MAX: framing_*_burst cut longer runs. */
	macsec_decap_burst(s->sa, frames, lens, burst_outs, vs, n);
	for (unsigned i = 0; i < n; i++)
		tell(vs[i], &burst_outs[i], &outs[i]);
}

const struct framing_ops macsec_framing = {
	.name = "macsec",
	.summary = "IEEE 802.1AE MACsec frames (GCM-AES, XPN) over UDP or a veth pair",
	/* The SCI: a port's MAC address and number, 8 bytes. Every packet
	 * is a whole Ethernet frame, over UDP too. */
	.ident = { "sci", 64, 1 },
	.capture = { .is_frame = 1 },
	.salt_len = salt_len,
	FRAMING_COMMON(struct side),
	.inner_kind = INNER_IPV4,
	.flags = FRAMING_F_DATAGRAM,
	FRAMING_OPTS(struct macsec_framing_opts, opt_table),
	.transport = transport,
	.seq_first = seq_first,
	.link_new = link_new,
	.link_open = link_open,
	.link_free = link_free,
	.ethertype = MACSEC_ETHERTYPE,
	.sa_what = "a MACsec SA",
	.packet_len = packet_len,
	.decap = decap,
	.encap_burst = encap_burst,
	.decap_burst = decap_burst,
	FRAMING_VERDICTS(verdicts, MACSEC_V_OVERSIZE),
	.sa_ident = sa_ident,
	.pkt_ident = pkt_ident,
	.v_unknown_sa = MACSEC_V_SCI,
	FRAMING_KAT("macsec", kat_macsec_validate, kat_macsec_run),
};
