/* Namespaces by unshare/setns on the calling thread, links by rtnetlink
 * through libnl-route. The thread always returns to its own namespace
 * before this file hands back control. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io/net.h"
#include "io/net_impl.h"
#include "io/veth.h"

enum {
	ETH_HDR = 14,
	MTU_MIN = 1500,
	MTU_MAX = 65535, /* veth's limit */
};

struct veth_lab {
	int ns_home, ns_tx, ns_rx; /* namespace fds */
	unsigned pairs;
};

void veth_macs(unsigned index, uint8_t tx_mac[6], uint8_t rx_mac[6])
{
	const uint8_t base[6] = { 0x02, 0x6e, 0x63, (uint8_t)(index >> 8),
				  (uint8_t)index, 0x01 };

	memcpy(tx_mac, base, 6);
	memcpy(rx_mac, base, 6);
	rx_mac[5] = 0x02;
}

static void link_names(unsigned index, char tx[IFNAMSIZ], char rx[IFNAMSIZ])
{
	snprintf(tx, IFNAMSIZ, "ncb%ut", index);
	snprintf(rx, IFNAMSIZ, "ncb%ur", index);
}

int veth_lab_probe(struct ncb_err *e)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	static const struct {
		int cap;
		const char *name;
	} need[] = {
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN (network namespaces)" },
		{ CAP_NET_ADMIN, "CAP_NET_ADMIN (veth links)" },
		{ CAP_NET_RAW, "CAP_NET_RAW (packet sockets)" },
	};

	/* libc has no capget wrapper without libcap. */
	if (syscall(SYS_capget, &h, d) < 0)
		return ncb_errf(e, -errno, "cannot read this process's capabilities: %s",
				strerror(errno));
	for (size_t i = 0; i < NCB_ARRAY_SIZE(need); i++)
		if (!(d[need[i].cap / 32].effective & (1u << need[i].cap % 32)))
			return ncb_errf(e, -EPERM,
					"--transport raw needs root: %s is missing; run as root or use --transport udp",
					need[i].name);
	return 0;
}

static int ns_open_self(void)
{
	return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

/* A new, empty namespace; the thread stays in ns_home. */
static int ns_new(int ns_home, struct ncb_err *e)
{
	int fd;

	if (unshare(CLONE_NEWNET) < 0) {
		int err = errno;

		if (err == EPERM)
			return ncb_errf(e, -EPERM,
					"--transport raw: creating network namespaces needs root (CAP_SYS_ADMIN); run as root or use --transport udp");
		return ncb_errf(e, -err, "cannot create a network namespace: %s",
				strerror(err));
	}
	fd = ns_open_self();
	if (setns(ns_home, CLONE_NEWNET) < 0)
		abort(); /* a thread in the wrong namespace would be worse */
	if (fd < 0)
		return ncb_errf(e, -errno, "cannot open a namespace: %s",
				strerror(errno));
	return fd;
}

static struct nl_sock *nl_open(struct ncb_err *e)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		ncb_errf(e, -EIO, "cannot open an rtnetlink socket");
		return NULL;
	}
	return sk;
}

static int set_mac(struct rtnl_link *l, const uint8_t mac[6])
{
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);

	if (!a)
		return -ENOMEM;
	rtnl_link_set_addr(l, a);
	nl_addr_put(a);
	return 0;
}

/* In the sender's namespace: the veth pair of index, its peer moved to
 * the receiver's namespace. */
static int veth_add(struct nl_sock *sk, const struct veth_lab *lab,
		    unsigned index, unsigned mtu, struct ncb_err *e)
{
	struct rtnl_link *l = rtnl_link_veth_alloc(), *peer;
	char tx[IFNAMSIZ], rx[IFNAMSIZ];
	uint8_t tmac[6], rmac[6];
	int rc;

	if (!l)
		return ncb_errf(e, -ENOMEM, "out of memory");
	peer = rtnl_link_veth_get_peer(l);
	link_names(index, tx, rx);
	veth_macs(index, tmac, rmac);
	rtnl_link_set_name(l, tx);
	rtnl_link_set_name(peer, rx);
	rtnl_link_set_mtu(l, mtu);
	rtnl_link_set_mtu(peer, mtu);
	rc = set_mac(l, tmac);
	if (rc == 0)
		rc = set_mac(peer, rmac);
	rtnl_link_set_ns_fd(peer, lab->ns_rx);
	if (rc == 0)
		rc = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(peer); /* the reference get_peer took */
	rtnl_link_veth_release(l);
	if (rc < 0)
		return ncb_errf(e, -EIO, "cannot create veth pair %s/%s: %s",
				tx, rx, nl_geterror(rc));
	return 0;
}

/* Sets the named link up in the thread's namespace. */
static int link_up(struct nl_sock *sk, const char *name, struct ncb_err *e)
{
	struct rtnl_link *l = NULL, *change = rtnl_link_alloc();
	int rc = change ? rtnl_link_get_kernel(sk, 0, name, &l) : -NLE_NOMEM;

	if (rc == 0) {
		rtnl_link_set_flags(change, IFF_UP);
		rc = rtnl_link_change(sk, l, change, 0);
	}
	rtnl_link_put(l);
	rtnl_link_put(change);
	if (rc < 0)
		return ncb_errf(e, -EIO, "cannot set %s up: %s", name,
				nl_geterror(rc));
	return 0;
}

/* Runs in namespace ns: sets up every link named by side (0 sender, 1
 * receiver), and makes the veths in the sender's namespace first. */
static int ns_links(struct veth_lab *lab, int side, unsigned mtu,
		    struct ncb_err *e)
{
	struct nl_sock *sk;
	int rc = 0;

	if (setns(side ? lab->ns_rx : lab->ns_tx, CLONE_NEWNET) < 0)
		return ncb_errf(e, -errno, "cannot enter a namespace: %s",
				strerror(errno));
	sk = nl_open(e);
	if (!sk)
		rc = -EIO;
	for (unsigned i = 0; rc == 0 && i < lab->pairs; i++) {
		char tx[IFNAMSIZ], rx[IFNAMSIZ];

		link_names(i, tx, rx);
		if (!side)
			rc = veth_add(sk, lab, i, mtu, e);
		if (rc == 0)
			rc = link_up(sk, side ? rx : tx, e);
	}
	nl_socket_free(sk);
	if (setns(lab->ns_home, CLONE_NEWNET) < 0)
		abort();
	return rc;
}

void veth_lab_free(struct veth_lab *lab)
{
	if (!lab)
		return;
	if (lab->ns_tx >= 0)
		close(lab->ns_tx);
	if (lab->ns_rx >= 0)
		close(lab->ns_rx);
	if (lab->ns_home >= 0)
		close(lab->ns_home);
	free(lab);
}

int veth_lab_new(struct veth_lab **out, unsigned pairs, size_t frame_max,
		 struct ncb_err *e)
{
	struct veth_lab *lab = calloc(1, sizeof(*lab));
	size_t mtu = frame_max > ETH_HDR ? frame_max - ETH_HDR : 0;
	int rc;

	*out = NULL;
	if (!lab)
		return ncb_errf(e, -ENOMEM, "out of memory");
	*lab = (struct veth_lab){ .ns_home = ns_open_self(), .ns_tx = -1,
				  .ns_rx = -1, .pairs = pairs };
	if (mtu < MTU_MIN)
		mtu = MTU_MIN;
	if (mtu > MTU_MAX) {
		veth_lab_free(lab);
		return ncb_errf(e, -EINVAL, "frames of %zu bytes exceed a veth MTU",
				frame_max);
	}
	if (lab->ns_home < 0) {
		rc = ncb_errf(e, -errno, "cannot open this thread's namespace: %s",
			      strerror(errno));
		veth_lab_free(lab);
		return rc;
	}
	rc = lab->ns_tx = ns_new(lab->ns_home, e);
	if (rc >= 0)
		rc = lab->ns_rx = ns_new(lab->ns_home, e);
	if (rc >= 0)
		rc = ns_links(lab, 0, (unsigned)mtu, e);
	if (rc >= 0)
		rc = ns_links(lab, 1, (unsigned)mtu, e);
	if (rc < 0) {
		veth_lab_free(lab);
		return rc;
	}
	*out = lab;
	return 0;
}

/* An AF_PACKET socket in namespace ns bound to the named link; protocol
 * 0 binds for sending only. */
static int packet_socket(const struct veth_lab *lab, int ns, const char *name,
			 uint16_t protocol, int flags, struct ncb_err *e)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(protocol) };
	int fd, err = 0, one = 1;

	if (setns(ns, CLONE_NEWNET) < 0)
		return ncb_errf(e, -errno, "cannot enter a namespace: %s",
				strerror(errno));
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | flags, htons(protocol));
	sll.sll_ifindex = (int)if_nametoindex(name);
	if (fd < 0)
		err = errno;
	else if (!sll.sll_ifindex)
		err = ENODEV;
	else if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		err = errno;
	/* Frames skip the (empty) qdisc layer, as a raw sender would. */
	if (fd >= 0 && !err && !protocol)
		setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	if (setns(lab->ns_home, CLONE_NEWNET) < 0)
		abort();
	if (err) {
		if (fd >= 0)
			close(fd);
		return ncb_errf(e, -err, "cannot open a packet socket on %s: %s",
				name, strerror(err));
	}
	return fd;
}

int veth_lab_sockets(struct veth_lab *lab, struct net_cfg *cfg,
		     unsigned index, uint16_t ethertype, int *tx_fd,
		     int *rx_fd, struct ncb_err *e)
{
	const struct net_engine_ops *ops = net_engine_of(cfg);
	char tx[IFNAMSIZ], rx[IFNAMSIZ];
	int t, r;

	*tx_fd = *rx_fd = -1;
	if (index >= lab->pairs)
		return ncb_errf(e, -EINVAL, "no veth pair %u", index);
	if (!ops)
		return ncb_errf(e, -EINVAL, "unknown I/O engine '%s'",
				cfg->engine ? cfg->engine : "?");
	cfg->is_gso = 0; /* one frame per packet-socket send */
	link_names(index, tx, rx);
	r = packet_socket(lab, lab->ns_rx, rx, ethertype,
			  ops->is_rx_nonblock ? SOCK_NONBLOCK : 0, e);
	if (r < 0)
		return r;
	t = packet_socket(lab, lab->ns_tx, tx, 0, 0, e);
	if (t < 0) {
		close(r);
		return t;
	}
	net_sock_bufs(t, r, cfg->sockbuf);
	*tx_fd = t;
	*rx_fd = r;
	return 0;
}
