/* A private Ethernet link for raw-frame workloads: two network namespaces
 * made for the run, joined by one veth pair per sender/receiver pair, and
 * AF_PACKET sockets on each end. The namespaces have no names: they live
 * as long as this object or a socket in them, so nothing is left behind
 * even when the process dies. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN. */
#ifndef NCB_IO_VETH_H
#define NCB_IO_VETH_H

#include <stdint.h>

#include "io/ncb.h"

struct net_cfg;
struct veth_lab;

/* MAC addresses of pair `index`: the sending end, and the receiving end
 * its frames are addressed to (locally administered 02:6e:63:...). */
void veth_macs(unsigned index, uint8_t tx_mac[6], uint8_t rx_mac[6]);

/* 0 if this process may make a lab, else -EPERM and a message naming
 * the missing capability. */
NCB_MUST_CHECK int veth_lab_probe(struct ncb_err *e);

/* Makes the namespaces and `pairs` veth pairs with an MTU that carries
 * frames of frame_max bytes. -EPERM with a message saying why when not
 * privileged; other negative errnos with a message. */
NCB_MUST_CHECK int veth_lab_new(struct veth_lab **out, unsigned pairs,
				size_t frame_max, struct ncb_err *e);

/* The sockets of pair index: tx sends whole frames (it receives nothing),
 * rx receives the frames of EtherType ethertype. Clears cfg->is_gso. Made
 * with the type io/net engines expect (io/net.h net_pair_open). */
NCB_MUST_CHECK int veth_lab_sockets(struct veth_lab *lab, struct net_cfg *cfg,
				    unsigned index, uint16_t ethertype,
				    int *tx_fd, int *rx_fd, struct ncb_err *e);

/* Leaves the namespaces to go when their last socket closes. NULL ok. */
void veth_lab_free(struct veth_lab *lab);

#endif
