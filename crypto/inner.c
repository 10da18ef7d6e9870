/* Inner packets. Addresses are documentation prefixes (192.0.2.0/24,
 * 2001:db8::/32): bytes inside an encrypted payload, never a target. UDP
 * checksums are zero (RFC 768 for IPv4; RFC 6935 allows it for tunnelled
 * IPv6) so the sender's cost stays the copy, not a checksum pass. */
#include <stdlib.h>
#include <string.h>

#include "io/ncb.h"
#include "crypto/inner.h"

enum { STAMP = 8, IP4 = 20, IP6 = 40, UDP = 8 };

static size_t hdr_len(enum inner_kind k)
{
	switch (k) {
	case INNER_IPV4:
		return IP4 + UDP;
	case INNER_IPV6:
		return IP6 + UDP;
	case INNER_UDP:
		return UDP;
	case INNER_DATA:
		break;
	}
	return 0;
}

size_t inner_min(enum inner_kind k)
{
	return hdr_len(k) + STAMP;
}

uint8_t inner_next_header(enum inner_kind k)
{
	return k == INNER_IPV4 ? 4 : k == INNER_IPV6 ? 41 : k == INNER_UDP ? 17 : 0;
}

static void ip4_header(uint8_t *h, size_t len, uint64_t seq)
{
	memset(h, 0, IP4);
	h[0] = 0x45;
	ncb_put_be16(h + 2, (uint16_t)len);
	ncb_put_be16(h + 4, (uint16_t)seq); /* identification */
	h[6] = 0x40;                            /* don't fragment */
	h[8] = 64;
	h[9] = 17;
	h[12] = 192, h[13] = 0, h[14] = 2, h[15] = 1;
	h[16] = 192, h[17] = 0, h[18] = 2, h[19] = 2;
	ncb_put_be16(h + 10, ncb_inet_fold(ncb_inet_sum(h, IP4, 0)));
}

static void ip6_header(uint8_t *h, size_t len)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	memset(h, 0, 8);
	h[0] = 0x60;
	ncb_put_be16(h + 4, (uint16_t)(len - IP6));
	h[6] = 17;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* Headers for (len, seq) into h (hdr_len(k) bytes). */
static void headers(enum inner_kind k, uint8_t *h, size_t len, uint64_t seq)
{
	size_t ip = k == INNER_IPV4 ? IP4 : k == INNER_IPV6 ? IP6 : 0;
	uint8_t *u = h + ip;

	if (k == INNER_DATA)
		return;
	if (k == INNER_IPV4)
		ip4_header(h, len, seq);
	else if (k == INNER_IPV6)
		ip6_header(h, len);
	ncb_put_be16(u, 5001);
	ncb_put_be16(u + 2, 5002);
	ncb_put_be16(u + 4, (uint16_t)(len - ip));
	ncb_put_be16(u + 6, 0);
}

void inner_build(enum inner_kind k, uint8_t *p, size_t len, uint64_t seq,
		 const uint8_t *pattern)
{
	size_t h = hdr_len(k);

	headers(k, p, len, seq);
	ncb_put_be64(p + h, seq);
	memcpy(p + h + STAMP, pattern + h + STAMP, len - h - STAMP);
}

int inner_check(enum inner_kind k, const uint8_t *p, size_t len, uint64_t seq,
		const uint8_t *pattern)
{
	uint8_t want[IP6 + UDP + STAMP];
	size_t h = hdr_len(k);

	if (len < h + STAMP)
		return -1;
	headers(k, want, len, seq);
	ncb_put_be64(want + h, seq);
	if (memcmp(p, want, h + STAMP) != 0)
		return -1;
	return memcmp(p + h + STAMP, pattern + h + STAMP, len - h - STAMP) ? -1
									   : 0;
}

uint8_t *inner_pattern_new(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; p && i < len; i++)
		p[i] = (uint8_t)(i * 131 + 7);
	return p;
}
