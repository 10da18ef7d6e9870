/* Captures of pair 0's first packets (capture.h): the buffer, the copy
 * in the sender's loop, and the frames a capture file shows. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "workloads/capture.h"
#include "workloads/pair.h"
#include "workloads/pattern.h"
#include "workloads/wl.h"

enum {
	ETH_LEN = 14,
	IP4_LEN = 20,
	IP6_LEN = 40,
	UDP_LEN = 8,
	IP_PROTO_UDP = 17,
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_IPV6 = 0x86dd,
	TTL = 64,
};

/* Locally administered unicast addresses (the U/L bit set): the
 * synthesized frames' source and destination. */
static const uint8_t mac_src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static size_t pkt_max_of(const struct wl_case *c, const struct pattern_opts *o)
{
	const struct framing_ops *f = pattern_framing(c);
	unsigned char fopts[FRAMING_OPTS_MAX];

	pattern_fopts(c, o, fopts);
	return f->packet_max(fopts, c->cipher, pattern_size_max(c));
}

int capture_check(const struct wl_case *c, const struct pattern_opts *o,
		  struct ncb_err *e)
{
	const struct framing_ops *f = pattern_framing(c);
	const struct framing_capture *form = &f->capture;
	size_t pkt;

	if (!c->capture)
		return 0;
	if (!form->is_frame && !form->ip_proto)
		return ncb_errf(e, -EINVAL,
				"--pcap: %s has no packets to capture (records on a byte stream)",
				f->name);
	if (c->capture->count < 1 || c->capture->count > CAPTURE_COUNT_MAX)
		return ncb_errf(e, -EINVAL, "--pcap-count: %u is out of range 1..%d",
				c->capture->count, CAPTURE_COUNT_MAX);
	pkt = pkt_max_of(c, o);
	if ((uint64_t)pkt * c->capture->count > CAPTURE_BYTES_MAX)
		return ncb_errf(e, -EINVAL,
				"--pcap-count %u: %u packets of up to %zu bytes need more than %d MiB; capture fewer",
				c->capture->count, c->capture->count, pkt,
				CAPTURE_BYTES_MAX >> 20);
	return 0;
}

/* The outer addresses of pair 0: an SA file's, else those of its
 * sending socket (fd), else loopback of the case's family. */
static void outer_addrs(struct capture *cap, const struct pairs *p, int fd)
{
	struct sockaddr_storage a, b;
	socklen_t la = sizeof(a), lb = sizeof(b);

	cap->family = p->cfg.family == 6 ? 6 : 4;
	if (p->outer_family) {
		cap->family = p->outer_family;
		memcpy(cap->src, p->outer_src, sizeof(cap->src));
		memcpy(cap->dst, p->outer_dst, sizeof(cap->dst));
		return;
	}
	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&a, &la) == 0 &&
	    getpeername(fd, (struct sockaddr *)&b, &lb) == 0 &&
	    a.ss_family == b.ss_family) {
		if (a.ss_family == AF_INET) {
			cap->family = 4;
			memcpy(cap->src, &((struct sockaddr_in *)&a)->sin_addr, 4);
			memcpy(cap->dst, &((struct sockaddr_in *)&b)->sin_addr, 4);
			return;
		}
		if (a.ss_family == AF_INET6) {
			cap->family = 6;
			memcpy(cap->src, &((struct sockaddr_in6 *)&a)->sin6_addr, 16);
			memcpy(cap->dst, &((struct sockaddr_in6 *)&b)->sin6_addr, 16);
			return;
		}
	}
	if (cap->family == 6) {
		memcpy(cap->src, &in6addr_loopback, 16);
		memcpy(cap->dst, &in6addr_loopback, 16);
	} else {
		ncb_put_be32(cap->src, INADDR_LOOPBACK);
		ncb_put_be32(cap->dst, INADDR_LOOPBACK);
	}
}

int capture_open(struct pairs *p, struct ncb_err *e)
{
	const struct wl_capture *to = p->c->capture;
	struct capture *cap = calloc(1, sizeof(*cap));
	struct timespec ts;

	if (!cap)
		return ncb_errf(e, -ENOMEM, "out of memory");
	p->cap = cap;
	cap->to = to;
	cap->max = to->count;
	cap->pkt_max = p->cfg.pkt_max;
	cap->form = p->f->capture;
	cap->buf = malloc((size_t)cap->max * cap->pkt_max);
	cap->lens = calloc(cap->max, sizeof(*cap->lens));
	if (!cap->buf || !cap->lens)
		return ncb_errf(e, -ENOMEM, "--pcap: no room for %u packets of %zu bytes",
				cap->max, cap->pkt_max);
	if (!cap->form.is_frame)
		outer_addrs(cap, p, p->fds[0]);
	clock_gettime(CLOCK_REALTIME, &ts);
	cap->t0_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

void capture_close(struct capture *cap)
{
	if (!cap)
		return;
	if (cap->to && cap->buf && cap->lens)
		cap->to->write(cap->to->ctx, cap);
	free(cap->buf);
	free(cap->lens);
	free(cap);
}

void capture_copy(struct capture *c, uint8_t *const *pkts,
		  const uint32_t *lens, unsigned n)
{
	for (unsigned i = 0; i < n && c->n < c->max; i++) {
		size_t len = lens[i] < c->pkt_max ? lens[i] : c->pkt_max;

		memcpy(c->buf + (size_t)c->n * c->pkt_max, pkts[i], len);
		c->lens[c->n++] = (uint32_t)len;
	}
}

/* The IP header (and UDP header) before a payload of len bytes, at h:
 * their length. */
static size_t ip_headers(const struct capture *c, unsigned i, uint8_t *h,
			 const uint8_t *payload, size_t len)
{
	int is_udp = c->form.ip_proto == IP_PROTO_UDP;
	size_t ip = c->family == 6 ? IP6_LEN : IP4_LEN;
	size_t l4 = len + (is_udp ? UDP_LEN : 0);
	uint8_t *u = h + ip;

	memset(h, 0, ip + (is_udp ? UDP_LEN : 0));
	if (c->family == 6) {
		h[0] = 0x60;
		ncb_put_be16(h + 4, (uint16_t)l4);
		h[6] = c->form.ip_proto;
		h[7] = TTL;
		memcpy(h + 8, c->src, 16);
		memcpy(h + 24, c->dst, 16);
	} else {
		h[0] = 0x45;
		ncb_put_be16(h + 2, (uint16_t)(IP4_LEN + l4));
		ncb_put_be16(h + 4, (uint16_t)i); /* identification */
		h[6] = 0x40;                      /* don't fragment */
		h[8] = TTL;
		h[9] = c->form.ip_proto;
		memcpy(h + 12, c->src, 4);
		memcpy(h + 16, c->dst, 4);
		ncb_put_be16(h + 10, ncb_inet_fold(ncb_inet_sum(h, IP4_LEN, 0)));
	}
	if (!is_udp)
		return ip;
	ncb_put_be16(u, c->form.udp_port);
	ncb_put_be16(u + 2, c->form.udp_port);
	ncb_put_be16(u + 4, (uint16_t)l4);
	/* IPv4 may leave the UDP checksum 0 (RFC 768); IPv6 may not (RFC
	 * 8200 §8.1): over the pseudo-header, the UDP header and data. */
	if (c->family == 6) {
		uint8_t pseudo[IP6_LEN];
		uint32_t sum;
		uint16_t csum;

		memcpy(pseudo, c->src, 16);
		memcpy(pseudo + 16, c->dst, 16);
		ncb_put_be32(pseudo + 32, (uint32_t)l4);
		ncb_put_be32(pseudo + 36, IP_PROTO_UDP);
		sum = ncb_inet_sum(pseudo, sizeof(pseudo), 0);
		sum = ncb_inet_sum(u, UDP_LEN, sum);
		csum = ncb_inet_fold(ncb_inet_sum(payload, len, sum));
		ncb_put_be16(u + 6, csum ? csum : 0xffff);
	}
	return ip + UDP_LEN;
}

size_t capture_frame(const struct capture *c, unsigned i, uint8_t *buf,
		     size_t len)
{
	const uint8_t *pkt = c->buf + (size_t)i * c->pkt_max;
	size_t plen = c->lens[i], hdr;

	if (c->form.is_frame) {
		if (plen > len)
			return 0;
		memcpy(buf, pkt, plen);
		return plen;
	}
	if (plen + CAPTURE_HDR_MAX > len)
		return 0;
	memcpy(buf, mac_dst, 6);
	memcpy(buf + 6, mac_src, 6);
	ncb_put_be16(buf + 12, c->family == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	hdr = ETH_LEN + ip_headers(c, i, buf + ETH_LEN, pkt, plen);
	memcpy(buf + hdr, pkt, plen);
	return hdr + plen;
}
