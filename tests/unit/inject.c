/* inject --framing esp|macsec|wg --port P [--count N] [--pps R]
 * [--family 4|6]: sends hostile datagrams to the receiver of pair 0 of a
 * running esp, macsec or wg case (--port P), paced at R per second, and
 * prints how many of each kind it sent; each kind is built so the
 * receiver must refuse it for one known reason:
 *
 * The receiving run uses --no-gso and --size 256 or more, so that its
 * receive buffer holds every kind but oversize and cuts oversize.
 *
 *   kind       esp reject   macsec reject  wg reject     what it is
 *   random     unknown_spi  bad_tag        bad_type      64..288 random
 *                                                        bytes (wg: a
 *                                                        multiple of 16),
 *                                                        not the SA's SPI,
 *                                                        EtherType or type
 *   truncated  truncated    truncated      truncated     0 to header + ICV
 *                                                        - 1 bytes (wg: 0
 *                                                        to 47 but 32:
 *                                                        short or ragged)
 *   oversize   oversize     oversize       oversize      32 KiB to 65000
 *                                                        bytes: longer than
 *                                                        a --no-gso receive
 *                                                        buffer
 *   replayed   too_old      late           too_old       the SA's SPI, SCI
 *                                                        or receiver index
 *                                                        and a number 1..64
 *                                                        (wg: 0..63), long
 *                                                        behind the window
 *                                                        (sent from the
 *                                                        second tenth of
 *                                                        --count on; start
 *                                                        when the run's
 *                                                        sender is running)
 *   forged     bad_icv      bad_icv        bad_tag       sealed by
 *                                                        crypto/esp,
 *                                                        crypto/macsec or
 *                                                        crypto/wg with the
 *                                                        SA's SPI, SCI or
 *                                                        receiver index and
 *                                                        a wrong key, a
 *                                                        number far ahead
 *                                                        of the sender
 *
 * wg's receiver index is pair 0's forward SA's (wg_framing_index(0),
 * crypto/wg_framing.h); its replays are past a --replay-window of 2048
 * once the sender has sent 2112 messages.
 * A replay of a number still inside the window (reject `replayed`) cannot
 * be aimed from outside: the window's position is not known here.
 * Output: one line "inject: random=N truncated=N oversize=N replayed=N
 * forged=N failed=N"; failed sends are in no other count. Exit 0, or 2 on
 * bad options. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "crypto/esp.h"
#include "crypto/macsec.h"
#include "crypto/wg.h"
#include "crypto/wg_framing.h"
#include "io/veth.h"

enum kind { K_RANDOM, K_TRUNCATED, K_OVERSIZE, K_REPLAYED, K_FORGED, K_COUNT };

static const char *const kind_names[K_COUNT] = {
	"random", "truncated", "oversize", "replayed", "forged",
};

enum {
	SPI = 0x100,           /* pair 0's SPI (workloads/esp.c) */
	FORGED_SEQ = 0x70000000, /* far ahead of any run's sender */
	OVERSIZE_MIN = 32768,
	OVERSIZE_MAX = 65000,
	REPLAY_MAX = 64,
	BODY = 256,             /* inner bytes of a forged packet */
	/* Random datagrams stay below the receive buffer of a run with
	 * --size 256 or more (its packets plus 64 bytes of room). */
	RANDOM_MAX = 288,
	BURST = 32,             /* packets between two looks at the clock */
};

struct injector {
	int is_macsec, is_wg;
	struct esp_sa *esp;
	struct macsec_sa *mac;
	struct wg_sa *wg;
	uint8_t addrs[MACSEC_ADDRS_LEN]; /* DA, SA of pair 0 */
	uint8_t sci[MACSEC_SCI_LEN];
	uint64_t rng, forged_seq;
	uint8_t buf[OVERSIZE_MAX];
};

static uint64_t next_rand(struct injector *in)
{
	in->rng ^= in->rng >> 12;
	in->rng ^= in->rng << 25;
	in->rng ^= in->rng >> 27;
	return in->rng * 0x2545f4914f6cdd1dull;
}

static void fill(struct injector *in, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(next_rand(in) >> 56);
}

static size_t between(struct injector *in, size_t lo, size_t hi)
{
	return lo + (size_t)(next_rand(in) % (hi - lo + 1));
}

/* The frame header of pair 0 with an explicit SCI, AN 0, E = C = 1 and
 * PN pn, as workloads/macsec.c sends it by default. */
static void macsec_tag(struct injector *in, uint8_t *f, uint64_t pn,
		       size_t data_len)
{
	uint8_t *tag = f + MACSEC_ADDRS_LEN;

	memcpy(f, in->addrs, MACSEC_ADDRS_LEN);
	tag[0] = MACSEC_ETHERTYPE >> 8;
	tag[1] = MACSEC_ETHERTYPE & 0xff;
	tag[2] = MACSEC_TCI_SC | MACSEC_TCI_E | MACSEC_TCI_C;
	tag[3] = (uint8_t)(data_len < MACSEC_SL_LIMIT ? data_len : 0);
	for (int i = 0; i < 4; i++)
		tag[4 + i] = (uint8_t)(pn >> (24 - 8 * i));
	memcpy(tag + MACSEC_SECTAG_LEN, in->sci, MACSEC_SCI_LEN);
}

/* A WireGuard message of kind k into in->buf; its length, or -1. */
static long build_wg(struct injector *in, enum kind k)
{
	uint32_t index = wg_framing_index(0);
	uint8_t *p = in->buf;
	size_t len;

	switch (k) {
	case K_RANDOM:
		/* A length decap does not call truncated, and no type 4
		 * with zero reserved bytes. */
		len = between(in, 64, RANDOM_MAX) & ~(size_t)(WG_PAD - 1);
		fill(in, p, len);
		if (p[0] == WG_TYPE_DATA)
			p[0] ^= 0x80;
		return (long)len;
	case K_TRUNCATED:
		len = between(in, 0, WG_OVERHEAD + WG_PAD - 1);
		if (len == WG_OVERHEAD)
			len--;
		fill(in, p, len);
		if (len > 0)
			p[0] = WG_TYPE_DATA;
		return (long)len;
	case K_REPLAYED:
		len = wg_packet_len(BODY);
		fill(in, p, len);
		p[0] = WG_TYPE_DATA, p[1] = p[2] = p[3] = 0;
		wg_put_le32(p + 4, index);
		wg_put_le64(p + 8, between(in, 0, REPLAY_MAX - 1));
		return (long)len;
	case K_FORGED:
		in->forged_seq++;
		fill(in, p + WG_HDR_LEN, BODY);
		return wg_encap(in->wg, p, BODY, in->forged_seq);
	case K_OVERSIZE:
	case K_COUNT:
		break;
	}
	return -1;
}

/* Builds one datagram of kind k into in->buf; its length, or -1. */
static long build(struct injector *in, enum kind k)
{
	uint8_t *p = in->buf;
	size_t hdr = MACSEC_ADDRS_LEN + MACSEC_SECTAG_LEN + MACSEC_SCI_LEN;
	size_t len;

	if (in->is_wg && k != K_OVERSIZE)
		return build_wg(in, k);
	switch (k) {
	case K_RANDOM:
		len = between(in, 64, RANDOM_MAX);
		fill(in, p, len);
		if (!in->is_macsec && ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				       (uint32_t)p[2] << 8 | p[3]) == SPI)
			p[0] ^= 0x80;
		if (in->is_macsec && p[12] == 0x88 && p[13] == 0xe5)
			p[12] = 0x08;
		return (long)len;
	case K_TRUNCATED:
		/* Shorter than header and ICV: for MACsec the explicit SCI
		 * makes that 44 bytes, checked once the TCI is read. */
		len = between(in, 0, in->is_macsec ? hdr + MACSEC_ICV_LEN - 1
						   : ESP_HDR_LEN + 2 + ESP_ICV_LEN - 1);
		fill(in, p, len);
		if (in->is_macsec && len > MACSEC_ADDRS_LEN + 2)
			p[MACSEC_ADDRS_LEN + 2] |= MACSEC_TCI_SC;
		return (long)len;
	case K_OVERSIZE:
		len = between(in, OVERSIZE_MIN, OVERSIZE_MAX);
		fill(in, p, 64);
		memset(p + 64, 0, len - 64);
		return (long)len;
	case K_REPLAYED: {
		uint64_t seq = between(in, 1, REPLAY_MAX);

		if (in->is_macsec) {
			len = hdr + BODY + MACSEC_ICV_LEN;
			macsec_tag(in, p, seq, BODY);
			fill(in, p + hdr, BODY + MACSEC_ICV_LEN);
			return (long)len;
		}
		len = esp_packet_len(BODY);
		fill(in, p, len);
		for (int i = 0; i < 4; i++) {
			p[i] = (uint8_t)(SPI >> (24 - 8 * i));
			p[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		}
		return (long)len;
	}
	case K_FORGED:
		in->forged_seq++;
		if (in->is_macsec) {
			memcpy(p, in->addrs, MACSEC_ADDRS_LEN);
			fill(in, p + hdr, BODY);
			return macsec_encap(in->mac, p, BODY, in->forged_seq);
		}
		fill(in, p + ESP_HDR_LEN, BODY);
		return esp_encap(in->esp, p, BODY, ESP_NH_IPV4, in->forged_seq,
				 NULL);
	case K_COUNT:
		break;
	}
	return -1;
}

/* The kind of packet i of count: mostly small ones, one in a hundred
 * oversize; replays only after the first tenth, when the run's sender is
 * well past the window. */
static enum kind kind_of(unsigned long i, unsigned long count)
{
	static const enum kind mix[100] = {
		[0 ... 29] = K_RANDOM,	  [30 ... 59] = K_TRUNCATED,
		[60 ... 84] = K_FORGED,	  [85 ... 98] = K_REPLAYED,
		[99] = K_OVERSIZE,
	};
	enum kind k = mix[(i * 37) % 100];

	return k == K_REPLAYED && i < count / 10 ? K_FORGED : k;
}

static int sas_new(struct injector *in)
{
	uint8_t key[AEAD_KEY_MAX], salt[MACSEC_SALT_LEN];
	uint8_t tx_mac[6], rx_mac[6];
	int rc;

	if (getrandom(key, sizeof(key), 0) != sizeof(key) ||
	    getrandom(salt, sizeof(salt), 0) != sizeof(salt) ||
	    getrandom(&in->rng, sizeof(in->rng), 0) != sizeof(in->rng))
		return -EIO;
	in->rng |= 1;
	in->forged_seq = FORGED_SEQ;
	veth_macs(0, tx_mac, rx_mac);
	memcpy(in->addrs, rx_mac, 6);
	memcpy(in->addrs + 6, tx_mac, 6);
	memcpy(in->sci, tx_mac, 6);
	in->sci[6] = 0;
	in->sci[7] = 1;
	if (in->is_wg) {
		struct wg_sa_cfg wc = {
			.aead.alg = "chacha20-poly1305", .aead.backend = "openssl",
			.aead.key = key, .aead.key_len = 32, .index = wg_framing_index(0),
		};

		rc = wg_sa_new(&in->wg, &wc);
	} else if (in->is_macsec) {
		struct macsec_sa_cfg mc = {
			.aead.alg = "aes-128-gcm", .aead.backend = "openssl",
			.aead.key = key, .aead.key_len = 16, .sci = in->sci,
			.tci = MACSEC_TCI_SC, .replay_window = 0,
		};

		rc = macsec_sa_new(&in->mac, &mc);
	} else {
		struct esp_sa_cfg ec = {
			.aead.alg = "aes-128-gcm", .aead.backend = "openssl",
			.aead.key = key, .aead.key_len = 16, .salt = salt, .spi = SPI,
		};

		rc = esp_sa_new(&in->esp, &ec);
	}
	explicit_bzero(key, sizeof(key));
	return rc;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(const char *why)
{
	fprintf(stderr, "inject: %s (usage: inject --framing esp|macsec|wg --port P [--count N] [--pps R] [--family 4|6])\n",
		why);
	return 2;
}

int main(int argc, char **argv)
{
	static struct injector in;
	unsigned long count = 100000, pps = 50000, port = 0, family = 4;
	unsigned long sent[K_COUNT] = { 0 }, failed = 0;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	const char *framing = NULL;
	double t0;
	int fd;

	for (int i = 1; i + 1 < argc; i += 2) {
		char *end;
		unsigned long v = strtoul(argv[i + 1], &end, 10);
		int is_num = *argv[i + 1] && !*end;

		if (strcmp(argv[i], "--framing") == 0)
			framing = argv[i + 1];
		else if (strcmp(argv[i], "--port") == 0 && is_num)
			port = v;
		else if (strcmp(argv[i], "--count") == 0 && is_num)
			count = v;
		else if (strcmp(argv[i], "--pps") == 0 && is_num)
			pps = v;
		else if (strcmp(argv[i], "--family") == 0 && is_num)
			family = v;
		else
			return usage("bad option or value");
	}
	if (argc % 2 == 0 || !framing ||
	    (strcmp(framing, "esp") != 0 && strcmp(framing, "macsec") != 0 &&
	     strcmp(framing, "wg") != 0))
		return usage("--framing must be esp, macsec or wg");
	if (!port || port > 65535 || !pps || (family != 4 && family != 6))
		return usage("--port 1..65535, --pps > 0 and --family 4 or 6");
	in.is_macsec = strcmp(framing, "macsec") == 0;
	in.is_wg = strcmp(framing, "wg") == 0;
	if (sas_new(&in) < 0) {
		fprintf(stderr, "inject: cannot make the forging SA\n");
		return 1;
	}
	if (family == 6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons((uint16_t)port);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->sin_port = htons((uint16_t)port);
		sl = sizeof(*a);
	}
	/* Not connected: an ICMP port unreachable must not fail a later
	 * send, so every count is of datagrams the kernel took. */
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "inject: socket: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_s();
	for (unsigned long i = 0; i < count; i++) {
		enum kind k = kind_of(i, count);
		long len = build(&in, k);

		if (len < 0) {
			fprintf(stderr, "inject: cannot build a %s packet\n",
				kind_names[k]);
			return 1;
		}
		if (sendto(fd, in.buf, (size_t)len, 0, (struct sockaddr *)&ss,
			   sl) == len)
			sent[k]++;
		else
			failed++;
		/* Paced: a burst never runs ahead of the rate. */
		if (i % BURST == BURST - 1) {
			double ahead = (double)(i + 1) / (double)pps -
				       (now_s() - t0);

			if (ahead > 0)
				usleep((useconds_t)(ahead * 1e6));
		}
	}
	close(fd);
	esp_sa_free(in.esp);
	macsec_sa_free(in.mac);
	wg_sa_free(in.wg);
	printf("inject:");
	for (int k = 0; k < K_COUNT; k++)
		printf(" %s=%lu", kind_names[k], sent[k]);
	printf(" failed=%lu\n", failed);
	return 0;
}
