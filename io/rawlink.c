/* Raw Ethernet on a named interface; see rawlink.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/net.h"
#include "io/net_impl.h"
#include "io/rawlink.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

static int dev_ioctl(const char *dev, unsigned long req, struct ifreq *ifr,
		     struct ncb_err *e)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return ncb_errf(e, -errno, "cannot open a socket: %s",
				strerror(errno));
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", dev);
	if (ioctl(fd, req, ifr) < 0)
		rc = -errno;
	close(fd);
	if (rc == -ENODEV)
		return ncb_errf(e, rc, "--dev %s: no such interface", dev);
	if (rc < 0)
		return ncb_errf(e, rc, "--dev %s: %s", dev, strerror(-rc));
	return 0;
}

int rawlink_probe(const char *dev, size_t frame_max, uint8_t mac[6],
		  struct ncb_err *e)
{
	struct ifreq ifr;
	int rc;

	if (strlen(dev) >= IFNAMSIZ)
		return ncb_errf(e, -ENODEV, "--dev %.32s: no such interface", dev);
	rc = dev_ioctl(dev, SIOCGIFFLAGS, &ifr, e);
	if (rc < 0)
		return rc;
	if (!(ifr.ifr_flags & IFF_UP))
		return ncb_errf(e, -ENETDOWN, "--dev %s is down", dev);
	rc = dev_ioctl(dev, SIOCGIFHWADDR, &ifr, e);
	if (rc < 0)
		return rc;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return ncb_errf(e, -ENODEV, "--dev %s is not an Ethernet interface",
				dev);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	rc = dev_ioctl(dev, SIOCGIFMTU, &ifr, e);
	if (rc < 0)
		return rc;
	if ((size_t)ifr.ifr_mtu + RAWLINK_ETH_HDR < frame_max)
		return ncb_errf(e, -EMSGSIZE,
				"--dev %s: MTU %d is too small for frames of %zu bytes (needs %zu)",
				dev, ifr.ifr_mtu, frame_max,
				frame_max - RAWLINK_ETH_HDR);
	return 0;
}

void rawlink_flow_mac(int host, unsigned flow, uint8_t mac[6])
{
	mac[0] = 0x02; /* locally administered, unicast */
	mac[1] = 0x6e;
	mac[2] = 0x63;
	mac[3] = (uint8_t)(0x80 | (host & 1));
	mac[4] = (uint8_t)(flow >> 8);
	mac[5] = (uint8_t)flow;
}

/* An AF_PACKET socket bound to dev for protocol (0: sending only). */
static int packet_socket(const char *dev, uint16_t protocol, int flags,
			 struct ncb_err *e)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(protocol) };
	int fd, err = 0;

	/* Protocol 0 until the filter is on: no frame slips in unfiltered. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | flags, 0);
	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (fd < 0)
		err = errno;
	else if (!sll.sll_ifindex)
		err = ENODEV;
	if (err) {
		if (fd >= 0)
			close(fd);
		return ncb_errf(e, -err, "cannot open a packet socket on %s: %s",
				dev, strerror(err));
	}
	return fd;
}

static int bind_dev(int fd, const char *dev, uint16_t protocol,
		    struct ncb_err *e)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(protocol),
				   .sll_ifindex = (int)if_nametoindex(dev) };

	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return ncb_errf(e, -errno, "cannot bind a packet socket to %s: %s",
				dev, strerror(errno));
	return 0;
}

int rawlink_tx_open(const char *dev, struct net_cfg *cfg, struct ncb_err *e)
{
	int fd = packet_socket(dev, 0, 0, e), one = 1;

	if (fd < 0)
		return fd;
	if (bind_dev(fd, dev, 0, e) < 0) {
		close(fd);
		return -EIO;
	}
	/* Frames skip the qdisc layer, as a raw sender would. */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	cfg->is_gso = 0; /* one frame per packet-socket send */
	net_sock_bufs(fd, -1, cfg->sockbuf);
	return fd;
}

int rawlink_rx_open(const char *dev, struct net_cfg *cfg, uint16_t ethertype,
		    const uint8_t from[6], struct ncb_err *e)
{
	const struct net_engine_ops *ops = net_engine_of(cfg);
	uint32_t hi = (uint32_t)from[0] << 24 | (uint32_t)from[1] << 16 |
		      (uint32_t)from[2] << 8 | from[3];
	uint32_t lo = (uint32_t)from[4] << 8 | from[5];
	/* EtherType at 12, source address at 6..11: accept the whole
	 * frame, or nothing. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ethertype, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, hi, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, lo, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { NCB_ARRAY_SIZE(code), code };
	int one = 1, fd, rc = 0;

	if (!ops)
		return ncb_errf(e, -EINVAL, "unknown I/O engine '%s'",
				cfg->engine ? cfg->engine : "?");
	fd = packet_socket(dev, ethertype, ops->is_rx_nonblock ? SOCK_NONBLOCK : 0, e);
	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		rc = ncb_errf(e, -errno, "cannot filter frames on %s: %s", dev,
			      strerror(errno));
	/* A kernel before 4.20 lacks it: the filter still keeps this
	 * host's own frames out (their source is not `from`). */
	if (rc == 0)
		(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
				 sizeof(one));
	if (rc == 0)
		rc = bind_dev(fd, dev, ethertype, e);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	cfg->is_gso = 0;
	net_sock_bufs(-1, fd, cfg->sockbuf);
	return fd;
}
