/* SA files and captures: a good file of each framing parses, fits its
 * case and gives each description its key, salt and identifier; every
 * malformed file and every file that does not fit its case is refused
 * with a message naming the field and never quoting a key; a capture's
 * synthesized IPv4 header and IPv6 UDP datagram carry checksums that
 * verify, and MACsec frames stay as sent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/framing.h"
#include "tests/unit/helpers.h"
#include "workloads/capture.h"
#include "workloads/safile.h"

/* A recognisable key: a refusal must never quote it. */
#define K16 "6b65796b65796b65796b65796b65796b"
#define K32 K16 K16
#define SA0 "\"pair\": 0, \"direction\": 0, \"sa\": 0"
#define SA1 "\"pair\": 0, \"direction\": 1, \"sa\": 0"
#define LO "\"src\": \"127.0.0.1\", \"dst\": \"127.0.0.1\""
#define HEAD(fr, ci) "{\"version\": 1, \"framing\": \"" fr "\", \"cipher\": \"" ci "\", "
#define ESP_SA(sa, spi) "{" sa ", \"spi\": " spi ", \"key\": \"" K16 "\", \"salt\": \"a1a2a3a4\", " LO "}"

static const char *const good_esp =
	HEAD("esp", "aes-128-gcm") "\"options\": {\"mode\": \"tunnel\", \"esn\": false},"
	"\"sas\": [" ESP_SA(SA0, "256") ", " ESP_SA(SA1, "512") "]}";

static int parse(struct safile **sf, const char *text, struct ncb_err *e)
{
	return safile_parse(sf, text, strlen(text), "t.json", e);
}

static const struct {
	const char *name, *text, *needle;
} bad[] = {
	{ "not JSON", "{\"version\": 1, \"key\": \"" K16 "\"", "not valid JSON" },
	{ "a key given twice", "{\"version\": 1, \"version\": 1}", "not valid JSON" },
	{ "not an object", "[1]", "not a JSON object" },
	{ "no version", "{\"framing\": \"esp\"}", "no \"version\"" },
	{ "version 2", "{\"version\": 2}", "version 2; this ncbench reads version 1" },
	{ "unknown key", HEAD("esp", "aes-128-gcm") "\"salad\": 1}", "unknown key 'salad'" },
	{ "unknown framing", HEAD("ipip", "aes-128-gcm") "\"sas\": []}", "unknown framing 'ipip'" },
	{ "unknown cipher", HEAD("esp", "rot13") "\"sas\": []}", "unknown cipher 'rot13'" },
	{ "unknown option", HEAD("esp", "aes-128-gcm") "\"options\": {\"xpn\": true}}", "esp has no option 'xpn'" },
	{ "flag not boolean", HEAD("esp", "aes-128-gcm") "\"options\": {\"esn\": 1}}", "options.esn: true or false" },
	{ "choice unknown", HEAD("esp", "aes-128-gcm") "\"options\": {\"mode\": \"beet\"}}", "options.mode: not one of" },
	{ "no SAs", HEAD("esp", "aes-128-gcm") "\"sas\": []}", "\"sas\" must be a list of 1.." },
	{ "SA not an object", HEAD("esp", "aes-128-gcm") "\"sas\": [1]}", "sas[0] must be an object" },
	{ "SA unknown key", HEAD("esp", "aes-128-gcm") "\"sas\": [{\"spin\": 1}]}", "sas[0]: unknown key 'spin'" },
	{ "no pair", HEAD("esp", "aes-128-gcm") "\"sas\": [{\"direction\": 0, \"sa\": 0}]}", "pair (0..65535), direction" },
	{ "direction 2", HEAD("esp", "aes-128-gcm") "\"sas\": [{\"pair\": 0, \"direction\": 2, \"sa\": 0}]}", "direction (0 or 1)" },
	{ "no spi", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"key\": \"" K16 "\"}]}", "sas[0]: no \"spi\"" },
	{ "spi reserved", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "255") "]}", "sas[0].spi: 255 is reserved" },
	{ "spi text", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "\"256\"") "]}", "sas[0].spi: an integer" },
	{ "spi too big", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "4294967296") "]}", "sas[0].spi: an integer" },
	{ "key short", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"6b65\", \"salt\": \"a1a2a3a4\", " LO "}]}", "sas[0].key: 16 bytes of aes-128-gcm" },
	{ "key not hex", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"zz65796b65796b65796b65796b65796b\", \"salt\": \"a1a2a3a4\", " LO "}]}", "sas[0].key: 16 bytes" },
	{ "no salt", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", " LO "}]}", "sas[0].salt: 4 bytes" },
	{ "salt for an ETM suite", HEAD("esp", "aes-128-cbc-hmac-sha1") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", \"auth_key\": \"" K16 "6b65796b\", \"salt\": \"a1a2a3a4\", " LO "}]}", "takes no salt" },
	{ "no auth_key", HEAD("esp", "aes-128-cbc-hmac-sha1") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", " LO "}]}", "sas[0].auth_key: 20 bytes" },
	{ "auth_key for an AEAD", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", \"auth_key\": \"" K16 "\", \"salt\": \"a1a2a3a4\", " LO "}]}", "aes-128-gcm has no auth_key" },
	{ "no addresses", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", \"salt\": \"a1a2a3a4\"}]}", "src and dst, the outer IP addresses" },
	{ "mixed families", HEAD("esp", "aes-128-gcm") "\"sas\": [{" SA0 ", \"spi\": 256, \"key\": \"" K16 "\", \"salt\": \"a1a2a3a4\", \"src\": \"::1\", \"dst\": \"127.0.0.1\"}]}", "of one family" },
	{ "addresses for MACsec", HEAD("macsec", "aes-128-gcm") "\"sas\": [{" SA0 ", \"sci\": \"026e630000010001\", \"key\": \"" K16 "\", " LO "}]}", "macsec packets carry no IP addresses" },
	{ "sci short", HEAD("macsec", "aes-128-gcm") "\"sas\": [{" SA0 ", \"sci\": \"026e6300000100\", \"key\": \"" K16 "\"}]}", "sas[0].sci: 16 hex digits" },
	{ "XPN without salt", HEAD("macsec", "aes-128-gcm") "\"options\": {\"xpn\": true}, \"sas\": [{" SA0 ", \"sci\": \"026e630000010001\", \"key\": \"" K16 "\"}]}", "sas[0].salt: 12 bytes" },
	{ "index 0", HEAD("wg", "chacha20-poly1305") "\"sas\": [{" SA0 ", \"index\": 0, \"key\": \"" K32 "\", " LO "}]}", "sas[0].index: 0 is reserved" },
	{ "SA twice", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "256") ", " ESP_SA(SA0, "257") "]}", "pair 0, direction 0, sa 0 appears twice" },
	{ "SPI twice", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "256") ", " ESP_SA(SA1, "256") "]}", "spi 0x100 appears twice" },
	{ "addresses differ in a direction", HEAD("esp", "aes-128-gcm") "\"sas\": [" ESP_SA(SA0, "256") ", {\"pair\": 0, \"direction\": 0, \"sa\": 1, \"spi\": 300, \"key\": \"" K16 "\", \"salt\": \"a1a2a3a4\", \"src\": \"127.0.0.2\", \"dst\": \"127.0.0.1\"}]}", "its SAs name different src or dst" },
};

static void refusals(void)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(bad); i++) {
		struct ncb_err e = { "" };
		struct safile *sf = NULL;
		int rc = parse(&sf, bad[i].text, &e);

		t_check(rc == -EINVAL && !sf, "%s: refused (%d)", bad[i].name, rc);
		t_check(strstr(e.msg, bad[i].needle) != NULL,
			"%s: message names '%s' (%s)", bad[i].name,
			bad[i].needle, e.msg);
		t_check(strstr(e.msg, "t.json") && !strstr(e.msg, "6b65796b"),
			"%s: names the file, quotes no key (%s)", bad[i].name,
			e.msg);
		safile_free(sf);
	}
}

/* The good file, its case and the descriptions it gives. */
static void apply_esp(void)
{
	struct framing_sa_desc d[2] = { { .ident = 0 }, { .ident = 0 } };
	unsigned char fopts[FRAMING_OPTS_MAX];
	struct ncb_err e = { "" };
	struct safile *sf = NULL;
	const struct framing_ops *f = framing_find("esp");
	struct safile_case k = { f, fopts, "aes-128-gcm", 1, 2, 1, 4 };

	t_framing_defaults(f, fopts);
	t_check(parse(&sf, good_esp, &e) == 0, "good esp file parses (%s)", e.msg);
	if (!sf)
		return;
	t_check(safile_framing(sf) == f && !strcmp(safile_cipher(sf), "aes-128-gcm") &&
			safile_count(sf) == 2 && safile_at(sf, 1)->ident == 512 &&
			safile_at(sf, 0)->family == 4,
		"good esp file: framing, cipher, SAs");
	t_check(safile_check(sf, &k, &e) == 0, "fits 1 pair, 2 directions (%s)", e.msg);
	memset(d[0].keymat, 0xee, sizeof(d[0].keymat));
	safile_apply(sf, &k, d);
	t_check(d[0].ident == 256 && d[1].ident == 512, "identifiers applied");
	t_check(d[0].keymat[0] == 0x6b && d[0].keymat[15] == 0x6b &&
			d[0].keymat[16] == 0 && d[0].keymat[AEAD_KEY_MAX] == 0xa1 &&
			d[0].keymat[AEAD_KEY_MAX + 3] == 0xa4 &&
			d[0].keymat[AEAD_KEY_MAX + 4] == 0,
		"key and salt applied, the rest of the key material zero");

	k.dirs = 1;
	t_check(safile_check(sf, &k, &e) == 0, "a direction beyond the case is unused (%s)", e.msg);
	k.pairs = 2;
	t_check(safile_check(sf, &k, &e) == -EINVAL &&
			strstr(e.msg, "no SA for pair 1, direction 0, sa 0"),
		"a pair without SAs refused (%s)", e.msg);
	k.pairs = 1;
	k.cipher = "aes-256-gcm";
	t_check(safile_check(sf, &k, &e) == -EINVAL &&
			strstr(e.msg, "made for esp with aes-128-gcm, the case runs esp with aes-256-gcm"),
		"another cipher refused (%s)", e.msg);
	k.cipher = "aes-128-gcm";
	k.family = 6;
	t_check(safile_check(sf, &k, &e) == -EINVAL && strstr(e.msg, "IPv4 addresses for an IPv6 case"),
		"another family refused (%s)", e.msg);
	k.family = 4;
	fopts[f->opts[0].offset] = 1; /* --mode transport */
	t_check(safile_check(sf, &k, &e) == -EINVAL &&
			strstr(e.msg, "made for --mode tunnel, the case has transport"),
		"other options refused (%s)", e.msg);
	safile_free(sf);
}

/* MACsec's salt follows --xpn: a file without it does not fit an XPN
 * case. */
static void macsec_salt(void)
{
	static const char text[] = HEAD("macsec", "aes-128-gcm")
		"\"sas\": [{" SA0 ", \"sci\": \"026e630000010001\", \"key\": \"" K16 "\"}]}";
	const struct framing_ops *f = framing_find("macsec");
	unsigned char fopts[FRAMING_OPTS_MAX];
	struct safile_case k = { f, fopts, "aes-128-gcm", 1, 1, 1, 4 };
	struct ncb_err e = { "" };
	struct safile *sf = NULL;

	t_framing_defaults(f, fopts);
	t_check(parse(&sf, text, &e) == 0, "macsec file parses (%s)", e.msg);
	if (!sf)
		return;
	t_check(safile_at(sf, 0)->ident == 0x026e630000010001ull, "SCI read as 64 bits");
	t_check(safile_check(sf, &k, &e) == 0, "macsec file fits (%s)", e.msg);
	for (size_t i = 0; i < f->opts_count; i++)
		if (!strcmp(f->opts[i].name, "xpn"))
			fopts[f->opts[i].offset] = 1;
	t_check(safile_check(sf, &k, &e) == -EINVAL && strstr(e.msg, "12 bytes of salt"),
		"an XPN case wants a salt (%s)", e.msg);
	safile_free(sf);
}

/* Frames of a capture: IPv4 with a header checksum that verifies,
 * IPv6/UDP with a UDP checksum that verifies, MACsec as it was. */
static void frames(void)
{
	uint8_t pkt[37], frame[sizeof(pkt) + CAPTURE_HDR_MAX];
	uint32_t len = sizeof(pkt);
	struct capture c = { .max = 1, .n = 1, .pkt_max = sizeof(pkt),
			     .buf = pkt, .lens = &len };
	size_t n;

	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7 + 1);
	c.form = (struct framing_capture){ .ip_proto = 50 };
	c.family = 4;
	memcpy(c.src, "\x7f\x00\x00\x01", 4);
	memcpy(c.dst, "\x7f\x00\x00\x02", 4);
	n = capture_frame(&c, 0, frame, sizeof(frame));
	t_check(n == 14 + 20 + sizeof(pkt), "ESP/IPv4: length %zu", n);
	t_check(ncb_get_be16(frame + 12) == 0x0800 && frame[14 + 9] == 50 &&
			ncb_get_be16(frame + 16) == 20 + sizeof(pkt) &&
			!memcmp(frame + 14 + 12, c.src, 4) &&
			!memcmp(frame + 34, pkt, sizeof(pkt)),
		"ESP/IPv4: EtherType, protocol 50, length, source, payload");
	t_check(ncb_inet_fold(ncb_inet_sum(frame + 14, 20, 0)) == 0,
		"ESP/IPv4: header checksum verifies");

	c.form = (struct framing_capture){ .ip_proto = 17, .udp_port = 51820 };
	c.family = 6;
	memset(c.src, 0, 16);
	memset(c.dst, 0, 16);
	c.src[15] = 1;
	c.dst[15] = 2;
	n = capture_frame(&c, 0, frame, sizeof(frame));
	t_check(n == 14 + 40 + 8 + sizeof(pkt), "UDP/IPv6: length %zu", n);
	{
		uint8_t pseudo[40] = { 0 };
		uint32_t sum;

		memcpy(pseudo, c.src, 16);
		memcpy(pseudo + 16, c.dst, 16);
		ncb_put_be32(pseudo + 32, 8 + sizeof(pkt));
		pseudo[39] = 17;
		sum = ncb_inet_sum(pseudo, sizeof(pseudo), 0);
		t_check(ncb_get_be16(frame + 12) == 0x86dd && frame[14 + 6] == 17 &&
				ncb_get_be16(frame + 54 + 2) == 51820 &&
				ncb_get_be16(frame + 54 + 6) != 0 &&
				ncb_inet_fold(ncb_inet_sum(frame + 54, 8 + sizeof(pkt), sum)) == 0,
			"UDP/IPv6: to port 51820, checksum verifies");
	}

	c.form = (struct framing_capture){ .is_frame = 1 };
	n = capture_frame(&c, 0, frame, sizeof(frame));
	t_check(n == sizeof(pkt) && !memcmp(frame, pkt, sizeof(pkt)),
		"an Ethernet frame stays as sent");
	t_check(capture_frame(&c, 0, frame, 10) == 0, "a frame that does not fit: 0");
}

int main(void)
{
	refusals();
	apply_esp();
	macsec_salt();
	frames();
	return t_done("test_safile");
}
