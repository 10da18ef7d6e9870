/* Captures (run --pcap): the first packets of pair 0's sender exactly as
 * sent, sealed, kept in a buffer made at set-up. In the timed part a
 * sender pays one comparison per batch and, for the first N packets
 * only, their copy: no clock, no allocation, no file. At teardown the
 * packets go, as link-layer frames, to the writer bench gave
 * (struct wl_capture: bench/pcap.c writes the file through libpcap).
 *
 * Frames: a framing whose packets are Ethernet frames already (MACsec)
 * as they are; the others' packets behind Ethernet and IPv4 or IPv6
 * headers made here of the pair's outer addresses (an SA file's, else
 * the sockets'), with a UDP header to the framing's port when its
 * capture form names one (struct framing_capture): ESP as IP protocol
 * 50, WireGuard as UDP to port 51820. */
#ifndef NCB_WORKLOADS_CAPTURE_H
#define NCB_WORKLOADS_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/framing.h"
#include "io/ncb.h"

struct pairs;
struct pattern_opts;
struct wl_case;

enum {
	CAPTURE_COUNT_MAX = 100000,     /* --pcap-count */
	CAPTURE_BYTES_MAX = 256 << 20,  /* the buffer: count x largest packet */
	/* Ethernet, IPv6 and UDP headers: the most a frame adds. */
	CAPTURE_HDR_MAX = 14 + 40 + 8,
};

struct capture {
	unsigned max, n;        /* packets kept at most, kept */
	size_t pkt_max;         /* room per packet */
	uint8_t *buf;           /* max * pkt_max */
	uint32_t *lens;         /* max */
	struct framing_capture form;
	int family;             /* of the outer addresses: 4 or 6 */
	uint8_t src[16], dst[16];
	uint64_t t0_ns;         /* wall clock at set-up, for the records */
	const struct wl_capture *to; /* who writes them at the end */
};

/* Refuses --pcap for a case it cannot capture (c->capture set): a
 * framing without a capture form (records on a TCP stream), or a buffer
 * of --pcap-count of the case's largest packets above
 * CAPTURE_BYTES_MAX. 0 or -EINVAL with e. */
NCB_MUST_CHECK int capture_check(const struct wl_case *c,
				 const struct pattern_opts *o,
				 struct ncb_err *e);

/* In pairs_open, once the sockets exist: the capture of p's pair 0 into
 * p->cap (c->capture set), its buffer and its outer addresses. 0 or a
 * negative errno with e. */
NCB_MUST_CHECK int capture_open(struct pairs *p, struct ncb_err *e);

/* In pairs_close, once the team is gone: hands what was captured to
 * the writer (also after an interrupted or failed run), then frees.
 * Accepts NULL. */
void capture_close(struct capture *cap);

/* The copy of capture_take(); call that. */
void capture_copy(struct capture *c, uint8_t *const *pkts,
		  const uint32_t *lens, unsigned n);

/* A sender, after sealing n packets and before sending them: keeps them
 * while fewer than max are kept. One thread per capture. */
static inline void capture_take(struct capture *c, uint8_t *const *pkts,
				const uint32_t *lens, unsigned n)
{
	if (c->n < c->max)
		capture_copy(c, pkts, lens, n);
}

/* Packet i (< c->n) as a link-layer (Ethernet) frame into buf: its
 * length, or 0 when it does not fit len bytes (pkt_max +
 * CAPTURE_HDR_MAX always does). */
size_t capture_frame(const struct capture *c, unsigned i, uint8_t *buf,
		     size_t len);

#endif
