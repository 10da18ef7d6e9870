/* Two hosts over raw Ethernet (pair.h pairs_link_open): a link framing's
 * frames (MACsec) cross the interface each host names (serve --dev, run
 * --dev) instead of UDP. Key material crosses as for UDP (step "keys");
 * step "macs" swaps the two interfaces' MAC addresses, so frames are
 * addressed to the receiving interface itself (no promiscuous mode).
 * Each direction of a unit leaves with a source address of its own
 * (io/rawlink.h rawlink_flow_mac: which host sends, and the slot), which
 * is also its SCI's, so every receiving socket takes its own flow's
 * frames only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io/rawlink.h"
#include "workloads/pair.h"
#include "workloads/peer.h"

enum { MAC_TEXT = 18 }; /* "xx:xx:xx:xx:xx:xx" and NUL */

int pairs_is_link(const struct pairs *p)
{
	return p->f->link_new && strncmp(p->transport, "udp", 3) &&
	       strncmp(p->transport, "tcp", 3);
}

/* Which host sends direction dir of slot s: 0 the run host, 1 the serve
 * host. Direction 0 leaves the unit's initiating end. */
static int sender_host(const struct pairs *p, unsigned s, unsigned dir)
{
	int here = p->peer->is_server != 0;
	int init = pairs_initiates(p, s) ? here : !here;

	return dir == 0 ? init : !init;
}

static int mac_parse(const char *text, uint8_t mac[6])
{
	char end;

	if (!text || strlen(text) != MAC_TEXT - 1 ||
	    sscanf(text, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%c", &mac[0],
		   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5], &end) != 6)
		return -1;
	/* A unicast address that is not all zeros. */
	if (mac[0] & 1)
		return -1;
	for (int i = 0; i < 6; i++)
		if (mac[i])
			return 0;
	return -1;
}

/* Step "macs": this interface's address out, the other's in. */
static int macs_swap(const struct pairs *p, const uint8_t mine[6],
		     uint8_t theirs[6], struct ncb_err *e)
{
	char text[MAC_TEXT];
	json_t *o = json_object(), *got = NULL;
	int rc;

	snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", mine[0],
		 mine[1], mine[2], mine[3], mine[4], mine[5]);
	if (o && json_object_set_new(o, "mac", json_string(text)) < 0) {
		json_decref(o);
		o = NULL;
	}
	rc = wl_peer_swap(p->peer, "macs", o, &got, WL_PEER_STEP_MS, e);
	if (rc == 0 &&
	    (!json_is_object(got) || json_object_size(got) != 1 ||
	     mac_parse(json_string_value(json_object_get(got, "mac")), theirs) < 0))
		rc = ncb_errf(e, -EPROTO,
			      "the other host's macs: mac must be a unicast MAC address xx:xx:xx:xx:xx:xx");
	json_decref(got);
	return rc;
}

/* The sockets of slot s's end here: a sending end that hears nothing
 * back gets a sending socket; any end that receives gets one that takes
 * only the frames of the direction it opens, from their source. */
static int end_open(struct pairs *p, unsigned s, struct ncb_err *e)
{
	int is_init = pairs_initiates(p, s);
	unsigned dir_in = is_init ? 1 : 0;
	int *fd = &p->fds[2 * s + !is_init];
	uint8_t from[6];

	if (is_init && p->n_dirs == 1) {
		*fd = rawlink_tx_open(p->peer->dev, &p->cfg, e);
		return *fd < 0 ? *fd : 0;
	}
	rawlink_flow_mac(sender_host(p, s, dir_in), s, from);
	*fd = rawlink_rx_open(p->peer->dev, &p->cfg, p->f->ethertype, from, e);
	return *fd < 0 ? *fd : 0;
}

int pairs_link_open(struct pairs *p, struct ncb_err *e)
{
	uint8_t mac[6], other[6];
	int here = p->peer->is_server != 0, rc;

	if (!p->peer->dev)
		return ncb_errf(e, -EINVAL,
				"--transport raw between two hosts needs --dev IFACE on both");
	rc = rawlink_probe(p->peer->dev, p->cfg.pkt_max, mac, e);
	if (rc == 0)
		rc = pairs_peer_keys(p, e);
	if (rc == 0)
		rc = macs_swap(p, mac, other, e);
	for (unsigned s = 0; rc == 0 && s < p->n_slots; s++) {
		for (unsigned d = 0; d < p->n_dirs; d++) {
			struct framing_sa_desc *sd = &p->descs[s * p->n_dirs + d];
			int from = sender_host(p, s, d);

			memcpy(sd->link_macs, from == here ? other : mac, 6);
			rawlink_flow_mac(from, s, sd->link_macs + 6);
		}
		rc = end_open(p, s, e);
	}
	return rc;
}
