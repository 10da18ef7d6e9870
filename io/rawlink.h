/* Raw Ethernet on an interface the user names (--dev), for link framings
 * between two hosts: its MAC address and MTU, and AF_PACKET sockets that
 * send whole frames on it and receive the frames of one EtherType from
 * one source address. Frames of a flow leave with a source address of
 * their own (rawlink_flow_mac), so each receiving socket takes its own
 * flow's frames and no other (a classic BPF filter in the kernel), many
 * flows share the interface, and a host never takes its own frames for
 * its peer's. Frames are addressed to the peer interface's own MAC, so
 * no promiscuous mode is needed. Needs CAP_NET_RAW. */
#ifndef NCB_IO_RAWLINK_H
#define NCB_IO_RAWLINK_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

struct net_cfg;

enum { RAWLINK_ETH_HDR = 14 };

/* Checks that dev exists, is up, is Ethernet and carries frames of
 * frame_max bytes (its MTU + 14), and gives its MAC. 0, or -ENODEV,
 * -ENETDOWN, -EMSGSIZE, -EPERM with one line naming dev. */
NCB_MUST_CHECK int rawlink_probe(const char *dev, size_t frame_max,
				 uint8_t mac[6], struct ncb_err *e);

/* The source MAC of flow `flow` sent by one of the two hosts
 * (locally administered, unicast: 02:6e:63:HOST:FLOW). */
void rawlink_flow_mac(int host, unsigned flow, uint8_t mac[6]);

/* A sending socket on dev (protocol 0: it receives nothing); or, with
 * ethertype, a receiving one that takes only frames of that EtherType
 * from source `from`, never this host's own outgoing ones. Clears
 * cfg->is_gso; non-blocking when the engine of cfg reads that way.
 * The fd, or a negative errno with e. */
NCB_MUST_CHECK int rawlink_tx_open(const char *dev, struct net_cfg *cfg,
				   struct ncb_err *e);
NCB_MUST_CHECK int rawlink_rx_open(const char *dev, struct net_cfg *cfg,
				   uint16_t ethertype, const uint8_t from[6],
				   struct ncb_err *e);

#endif
