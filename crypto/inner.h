/* Synthesized payloads of the network workloads: an inner IPv4 or IPv6 +
 * UDP packet (tunnel mode), a UDP datagram (transport mode) or plain
 * application data (records on a stream) of an exact size, stamped with the sequence number so a receiver can check that
 * every payload arrived whole and belongs to its packet. */
#ifndef NCB_CRYPTO_INNER_H
#define NCB_CRYPTO_INNER_H

#include <stddef.h>
#include <stdint.h>

enum inner_kind {
	INNER_IPV4, /* tunnel mode: IPv4 + UDP */
	INNER_IPV6, /* tunnel mode: IPv6 + UDP */
	INNER_UDP,  /* transport mode: UDP */
	INNER_DATA, /* application data of a byte stream: no headers */
};

/* The payload pattern both ends of a pair know, len bytes: caller frees
 * with free(); NULL when out of memory. */
uint8_t *inner_pattern_new(size_t len);

/* Smallest packet: headers and the 8-byte stamp. */
size_t inner_min(enum inner_kind k);
/* ESP next header for the kind (4, 41 or 17; 0 for data). */
uint8_t inner_next_header(enum inner_kind k);

/* Writes len bytes (len >= inner_min) at p: headers whose length fields
 * say len, seq big-endian, then pattern[off..len). */
void inner_build(enum inner_kind k, uint8_t *p, size_t len, uint64_t seq,
		 const uint8_t *pattern);
/* 0 if p holds exactly what inner_build writes for (len, seq), else -1. */
int inner_check(enum inner_kind k, const uint8_t *p, size_t len, uint64_t seq,
		const uint8_t *pattern);

#endif
