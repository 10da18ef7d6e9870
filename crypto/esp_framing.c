/* ESP as a framing (crypto/framing.h): its options, verdict table and
 * known answers, and one SA per direction made from a plain description.
 * Inner packets travel as ESP-in-UDP (RFC 3948), tunnel or transport. */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/framing.h"

enum {
	SPI_BASE = 0x100, /* direction d of pair p: SPI 0x100 * (d + 1) + p */
};

/* --esn starts sequence numbers 2^20 below 2^32, so a run crosses into
 * the high half early and ESN inference is exercised. */
#define ESN_START ((1ull << 32) - (1ull << 20))

struct esp_framing_opts {
	unsigned mode, esp_mode, esn, replay_window;
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
};
#undef OPT

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

static enum inner_kind inner(const void *opts, int family)
{
	const struct esp_framing_opts *o = opts;

	if (o->mode == 1)
		return INNER_UDP;
	return family == 6 ? INNER_IPV6 : INNER_IPV4;
}

static int check(const void *opts, const char *cipher, int family,
		 size_t *min_len, size_t *max_len, struct ncb_err *e)
{
	const struct esp_framing_opts *o = opts;

	(void)cipher;
	if (framing_check_window(o->replay_window, e) < 0)
		return -EINVAL;
	*min_len = inner_min(inner(opts, family));
	*max_len = esp_payload_max();
	return 0;
}

static void label(const void *opts, const char *cipher, char *buf,
		  size_t len)
{
	const struct esp_framing_opts *o = opts;

	(void)cipher;
	snprintf(buf, len, "esp-%s%s%s", modes[o->mode],
		 o->esp_mode == 1 ? "-integrity" : "", o->esn ? "-esn" : "");
}

static size_t packet_max(const void *opts, size_t len)
{
	(void)opts;
	return esp_packet_len(len);
}

static uint64_t seq_first(const void *opts)
{
	const struct esp_framing_opts *o = opts;

	return o->esn ? ESN_START : 1;
}

static const char *alg_note(const char *alg)
{
	if (!strncmp(alg, "aes-", 4))
		return "RFC 4106 (GMAC: RFC 4543)";
	if (!strcmp(alg, "chacha20-poly1305"))
		return "RFC 7634";
	return "non-standard: RFC 4106 layout";
}

static int sa_init(struct framing_side *base, const struct framing_sa_desc *d)
{
	const struct esp_framing_opts *o = (const void *)d->opts;
	struct side *s = (struct side *)base;
	struct esp_sa_cfg sc = {
		.aead = framing_aead(d),
		.salt = d->keymat + AEAD_KEY_MAX,
		.spi = SPI_BASE * (d->id % 2 + 1) + d->id / 2,
		.is_esn = (int)o->esn,
		.is_gmac = o->esp_mode == 1,
		.replay_window = o->replay_window,
		.seq_start = d->seq_first > 1 ? d->seq_first : 0,
	};
	int rc;

	s->nh = inner_next_header(inner(o, (int)d->family));
	rc = esp_sa_new(&s->sa, &sc);
	if (rc == 0)
		base->counts = esp_sa_counts(s->sa);
	return rc;
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

static unsigned decap(void *arg, uint8_t *pkt, size_t len,
		      struct framing_out *out)
{
	struct side *s = arg;
	struct esp_decap_out d;
	enum esp_verdict v = esp_decap(s->sa, pkt, len, &d);

	if (v == ESP_V_OK)
		*out = (struct framing_out){ d.payload, d.payload_len, d.seq,
					     d.next_header == s->nh };
	else if (v == ESP_V_ICV)
		out->seq = d.seq;
	return v;
}

const struct framing_ops esp_framing = {
	.name = "esp",
	.summary = "IPsec ESP in UDP (RFC 4303, RFC 3948), tunnel or transport mode, anti-replay window",
	FRAMING_COMMON(struct side),
	.inner = inner,
	.flags = FRAMING_F_DATAGRAM,
	FRAMING_OPTS(struct esp_framing_opts, opt_table),
	.seq_first = seq_first,
	.hdr_len = ESP_HDR_LEN,
	.sa_what = "an ESP SA",
	.decap = decap,
	FRAMING_VERDICTS(verdicts, ESP_V_OVERSIZE),
	FRAMING_KAT("esp", kat_esp_validate, kat_esp_run),
};
