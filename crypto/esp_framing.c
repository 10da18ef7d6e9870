/* ESP as a framing (crypto/framing.h): its options, verdict table and
 * known answers, and one SA per direction made from a plain description.
 * Inner packets travel as ESP-in-UDP (RFC 3948), tunnel or transport,
 * with any suite: the header's length (its IV) and the ICV's follow the
 * suite and --icv-len, so each SA says where its payload starts. */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/framing.h"

enum {
	SPI_BASE = 0x100, /* direction d of pair p: SPI 0x100 * (d + 1) + p */
	/* SA k > 0 of direction id (--sas): k << 13 | id while it fits
	 * (framing_ident32), above every SA 0's SPI (at most 0x11ff with
	 * 4096 pairs) and the reserved 1..255 (RFC 4303 §2.1). */
	SPI_SAS_BASE = 0x2000,
	SPI_RESERVED_MAX = 255,
};

/* --esn starts sequence numbers 2^20 below 2^32, so a run crosses into
 * the high half early and ESN inference is exercised. */
#define ESN_START ((1ull << 32) - (1ull << 20))

struct esp_framing_opts {
	unsigned mode, esp_mode, esn, replay_window, icv_len;
};

static const char *const modes[] = { "tunnel", "transport", NULL };
static const char *const esp_modes[] = { "aead", "integrity", NULL };

#define OPT(n, t, f, d, h, c) \
	{ n, t, offsetof(struct esp_framing_opts, f), d, h, c }
static const struct ncb_opt opt_table[] = {
	OPT("mode", NCB_OPT_CHOICE, mode, "tunnel",
	    "tunnel (inner IP + UDP) or transport (UDP)", modes),
	OPT("esp-mode", NCB_OPT_CHOICE, esp_mode, "aead",
	    "aead, or integrity (RFC 4543 AES-GMAC: authenticated, not encrypted)",
	    esp_modes),
	OPT("esn", NCB_OPT_FLAG, esn, "0",
	    "64-bit extended sequence numbers starting near 2^32", NULL),
	FRAMING_OPT_REPLAY_WINDOW(struct esp_framing_opts, replay_window),
	OPT("icv-len", NCB_OPT_UINT, icv_len, "0",
	    "ICV bytes of an encrypt-then-MAC suite (0: the suite's default, e.g. 12 for HMAC-SHA1-96)",
	    NULL),
};
#undef OPT

/* A layout no suite exceeds: buffers for a cipher the framing refused. */
static const struct esp_layout worst = {
	.iv_len = AEAD_IV_MAX, .hdr_len = ESP_SPI_SEQ_LEN + AEAD_IV_MAX,
	.align = 16, .block = 16, .icv_len = AEAD_ICV_MAX,
};

/* RFC 4303 §3.4: length, SA lookup and the replay check come before the
 * ICV; padding is read after it. Names as result documents give them. */
static const struct framing_verdict verdicts[ESP_V_COUNT] = {
	[ESP_V_OK] = FRAMING_VERDICT_OK,
	[ESP_V_TRUNCATED] = { "truncated", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
	[ESP_V_SPI] = { "unknown_spi", VERDICT_AUTH, VERDICT_BEFORE_AUTH },
	[ESP_V_REPLAY] = { "replayed", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[ESP_V_OLD] = { "too_old", VERDICT_REPLAY, VERDICT_BEFORE_AUTH },
	[ESP_V_ICV] = { "bad_icv", VERDICT_AUTH, VERDICT_AT_TAG },
	[ESP_V_PAD] = { "bad_padding", VERDICT_BROKEN, VERDICT_AFTER_AUTH },
	[ESP_V_OVERSIZE] = { "oversize", VERDICT_BROKEN, VERDICT_BEFORE_AUTH },
};

/* One direction: the SA and the next header its packets carry. */
struct side {
	struct framing_side base;
	struct esp_sa *sa;
	uint8_t nh;
};

/* What a burst opens, until its views are told: one burst call of a
 * thread at a time, so its SAs share it (crypto/esp.c's reason). */
static _Thread_local struct esp_decap_out burst_outs[FRAMING_BURST_MAX];

static enum inner_kind inner(const void *opts, int family)
{
	const struct esp_framing_opts *o = opts;

	if (o->mode == 1)
		return INNER_UDP;
	return family == 6 ? INNER_IPV6 : INNER_IPV4;
}

/* RFC 4543 defines integrity only for AES-GMAC; null is the baseline. */
static int is_gmac_cipher(const char *cipher)
{
	const struct aead_info *a = aead_info(cipher);

	return !strcmp(cipher, "null") ||
	       (a && a->kind == AEAD_KIND_AEAD && !strncmp(cipher, "aes-", 4));
}

/* Why --icv-len does not fit the cipher, in e: the lengths it takes,
 * asked of the suite's own rule. */
static int icv_refusal(unsigned icv_len, const char *cipher,
		       struct ncb_err *e)
{
	const struct aead_info *a = aead_info(cipher);
	char ok[128] = "";
	size_t used = 0;

	if (!a)
		return ncb_errf(e, -EINVAL, "esp: unknown cipher '%s'", cipher);
	for (size_t n = 1; n <= a->icv_max && used < sizeof(ok); n++)
		if (aead_check_icv_len(cipher, n) == 0)
			used += (size_t)snprintf(ok + used, sizeof(ok) - used,
						 "%s%zu", used ? ", " : "", n);
	return ncb_errf(e, -EINVAL,
			"--icv-len: %s takes %s bytes (0: its default, %zu), got %u",
			cipher, ok, a->icv_len, icv_len);
}

static int check(const void *opts, const char *cipher, int family,
		 size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	const struct esp_framing_opts *o = opts;
	struct esp_layout l;

	if (framing_check_window(o->replay_window, e) < 0)
		return -EINVAL;
	if (o->esp_mode == 1 && !is_gmac_cipher(cipher))
		return ncb_errf(e, -EINVAL,
				"--esp-mode integrity is AES-GMAC (RFC 4543): it needs an aes-*-gcm cipher, not %s",
				cipher);
	if (esp_layout_of(&l, cipher, o->icv_len) < 0)
		return icv_refusal(o->icv_len, cipher, e);
	*min_len = inner_min(inner(opts, family));
	*max_len = esp_layout_payload_max(&l);
	return 0;
}

/* The ICV length in the name only when it is not the suite's own. */
static void label(const void *opts, const char *cipher, char *buf,
		  size_t len)
{
	const struct esp_framing_opts *o = opts;
	const struct aead_info *a = aead_info(cipher);
	char icv[16] = "";

	if (o->icv_len && a && o->icv_len != a->icv_len)
		snprintf(icv, sizeof(icv), "-icv%u", o->icv_len);
	snprintf(buf, len, "esp-%s%s%s%s", modes[o->mode],
		 o->esp_mode == 1 ? "-integrity" : "", o->esn ? "-esn" : "",
		 icv);
}

static size_t packet_max(const void *opts, const char *cipher, size_t len)
{
	const struct esp_framing_opts *o = opts;
	struct esp_layout l;

	if (esp_layout_of(&l, cipher, o->icv_len) < 0)
		l = worst;
	return esp_layout_packet_len(&l, len);
}

/* The SA knows its layout. */
static size_t packet_len(const struct framing_side *base, size_t len)
{
	const struct side *s = (const struct side *)base;

	return esp_layout_packet_len(esp_sa_layout(s->sa), len);
}

static uint64_t seq_first(const void *opts)
{
	const struct esp_framing_opts *o = opts;

	return o->esn ? ESN_START : 1;
}

static const char *alg_note(const char *alg)
{
	const struct aead_info *a = aead_info(alg);

	if (!a)
		return NULL;
	/* Only zuc-128 takes its IV from the 3GPP COUNT; no ESP document
	 * defines it. The others are the suites' own RFCs. */
	if (a->kind == AEAD_KIND_ETM)
		return esp_iv_rule(a) == ESP_IV_COUNT
			       ? "non-standard: zuc-128 in ESP (COUNT = sequence number)"
			       : a->standard;
	if (!strncmp(alg, "aes-", 4))
		return "RFC 4106 (GMAC: RFC 4543)";
	if (!strcmp(alg, "chacha20-poly1305"))
		return "RFC 7634";
	return "non-standard: RFC 4106 layout";
}

/* The SPI of SA d->sa of direction d->id: SA 0 keeps the SPI of one SA
 * per direction, so vectors, tests and two-host peers are unchanged. */
static uint64_t sa_ident(const struct framing_sa_desc *d)
{
	if (!d->sa)
		return SPI_BASE * (d->id % 2 + 1) + d->id / 2;
	return framing_ident32(d->id, d->sa, SPI_SAS_BASE);
}

/* ESP-in-UDP (RFC 3948) carries the ESP packet from the datagram's
 * first byte, so the SPI is its first four. Too short for SPI and
 * sequence number, or too long for any SA: no SPI, and SA 0 refuses it
 * as an SA would. */
static int pkt_ident(const void *opts, const uint8_t *pkt, size_t len,
		     uint64_t *ident)
{
	(void)opts;
	if (len < ESP_SPI_SEQ_LEN || len > ESP_PACKET_MAX)
		return -1;
	*ident = ncb_get_be32(pkt);
	return 0;
}

/* RFC 4106 and RFC 4309 AEADs take a 4-byte salt after their key
 * (RFC 4106 §8.1); the encrypt-then-MAC suites none (AES-CTR's RFC 3686
 * nonce is part of its key). */
static size_t salt_len(const void *opts, const char *cipher)
{
	const struct aead_info *a = aead_info(cipher);

	(void)opts;
	return a && a->kind == AEAD_KIND_AEAD ? ESP_SALT_LEN : 0;
}

static int sa_init(struct framing_side *base, const struct framing_sa_desc *d)
{
	const struct esp_framing_opts *o = (const void *)d->opts;
	struct side *s = (struct side *)base;
	uint64_t spi = framing_sa_ident(base->f, d);
	struct esp_sa_cfg sc = {
		.aead = framing_aead(d),
		.salt = d->keymat + AEAD_KEY_MAX,
		.spi = (uint32_t)spi,
		.is_esn = (int)o->esn,
		.is_gmac = o->esp_mode == 1,
		.replay_window = o->replay_window,
		.seq_start = d->seq_first > 1 ? d->seq_first : 0,
	};
	int rc;

	/* A given SPI (an SA file's) is 32 bits and not reserved. */
	if (spi <= SPI_RESERVED_MAX || spi > UINT32_MAX)
		return -EINVAL;
	sc.aead.icv_len = o->icv_len;
	s->nh = inner_next_header(inner(o, (int)d->family));
	rc = esp_sa_new(&s->sa, &sc);
	if (rc < 0)
		return rc;
	base->counts = esp_sa_counts(s->sa);
	base->hdr_len = esp_sa_layout(s->sa)->hdr_len;
	return 0;
}

static void sa_fini(struct framing_side *base)
{
	esp_sa_free(((struct side *)base)->sa);
}

static long encap(void *arg, uint8_t *pkt, size_t len, uint64_t seq)
{
	struct side *s = arg;

	return esp_encap(s->sa, pkt, len, s->nh, seq, NULL);
}

/* What decap tells of a packet with verdict v. */
static void tell(const struct side *s, unsigned v,
		 const struct esp_decap_out *d, struct framing_out *out)
{
	if (v == ESP_V_OK)
		*out = (struct framing_out){ d->payload, d->payload_len, d->seq,
					     d->next_header == s->nh };
	else if (v == ESP_V_ICV)
		out->seq = d->seq;
}

static unsigned decap(void *arg, uint8_t *pkt, size_t len,
		      struct framing_out *out)
{
	struct side *s = arg;
	struct esp_decap_out d;
	enum esp_verdict v = esp_decap(s->sa, pkt, len, &d);

	tell(s, v, &d, out);
	return v;
}

static void encap_burst(void *arg, uint8_t *const *pkts, const size_t *lens,
			const uint64_t *seqs, long *rcs, unsigned n)
{
	struct side *s = arg;

	esp_encap_burst(s->sa, pkts, lens, s->nh, seqs, rcs, n);
}

static void decap_burst(void *arg, uint8_t *const *pkts, const size_t *lens,
			struct framing_out *outs, uint8_t *vs, unsigned n)
{
	struct side *s = arg;

	/* n <= FRAMING_BURST_MAX: framing_*_burst cut longer runs. */
	esp_decap_burst(s->sa, pkts, lens, burst_outs, vs, n);
	for (unsigned i = 0; i < n; i++)
		tell(s, vs[i], &burst_outs[i], &outs[i]);
}

const struct framing_ops esp_framing = {
	.name = "esp",
	.summary = "IPsec ESP in UDP (RFC 4303, RFC 3948), tunnel or transport mode, anti-replay window",
	/* SPIs 1..255 are reserved (RFC 4303 §2.1); a capture shows the
	 * packets as IP protocol 50, without the UDP of RFC 3948. */
	.ident = { "spi", 32, 256 },
	.capture = { .ip_proto = 50 },
	.salt_len = salt_len,
	FRAMING_COMMON(struct side),
	.inner = inner,
	.flags = FRAMING_F_DATAGRAM,
	FRAMING_OPTS(struct esp_framing_opts, opt_table),
	.seq_first = seq_first,
	.sa_what = "an ESP SA", /* hdr_len: per SA, by its suite */
	.packet_len = packet_len,
	.decap = decap,
	.encap_burst = encap_burst,
	.decap_burst = decap_burst,
	FRAMING_VERDICTS(verdicts, ESP_V_OVERSIZE),
	.sa_ident = sa_ident,
	.pkt_ident = pkt_ident,
	.v_unknown_sa = ESP_V_SPI,
	FRAMING_KAT("esp", kat_esp_validate, kat_esp_run),
};
