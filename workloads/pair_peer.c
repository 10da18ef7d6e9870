/* The two-host part of a pattern's set-up (pair.h pairs_peer_open):
 * key material made by the run host crosses in step "keys"; each
 * responding end here binds where the control connection runs and step
 * "ports" swaps the bound ports; each initiating end here connects to the
 * other host's address with its unit's port, and step "sources" swaps the
 * initiators' source ports, so a stream's responding end takes only its
 * initiator's connection and an answering datagram socket connects back
 * to it. Only ports cross: every address is one of the control
 * connection's own two. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/keys.h"
#include "workloads/pair.h"
#include "workloads/peer.h"
#include "workloads/peer_msg.h"
#include "workloads/wl.h"

enum {
	HEX_LEN = 2 * FRAMING_KEYMAT, /* one direction's key material */
	PORT_MAX = 65535,
};

/* An IPv4-mapped IPv6 address (a dual-stack listener's view of an IPv4
 * client) as the IPv4 address it is, so both hosts' sockets agree. */
static void unmap(struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *a6 = (const void *)ss;
	struct sockaddr_in a4 = { .sin_family = AF_INET };

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
		return;
	memcpy(&a4.sin_addr, &a6->sin6_addr.s6_addr[12], 4);
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &a4, sizeof(a4));
}

static int family_of(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? 6 : ss->ss_family == AF_INET ? 4 : 0;
}

/* The data path runs between the control connection's addresses, in
 * the case's family (the framing's inner packets and labels follow it). */
static int addrs(struct pairs *p, struct ncb_err *e)
{
	p->local = p->peer->local;
	p->remote = p->peer->remote;
	unmap(&p->local);
	unmap(&p->remote);
	if (!family_of(&p->local) || family_of(&p->local) != family_of(&p->remote))
		return ncb_errf(e, -EINVAL,
				"the control connection's addresses are not IPv4 or IPv6 alike");
	if (family_of(&p->local) != p->cfg.family)
		return ncb_errf(e, -EINVAL,
				"--family %d: the two hosts' connection runs over IPv%d (name the peer by an IPv%d address, or give --family %d)",
				p->cfg.family, family_of(&p->local), p->cfg.family,
				family_of(&p->local));
	p->cfg.bind_addr = &p->local;
	return 0;
}

/* The other host's address with port. */
static void remote_at(const struct pairs *p, unsigned port,
		      struct net_addr *a)
{
	a->ss = p->remote;
	if (a->ss.ss_family == AF_INET6) {
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)port);
		a->len = sizeof(struct sockaddr_in6);
	} else {
		((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)port);
		a->len = sizeof(struct sockaddr_in);
	}
}

static unsigned port_of(const struct net_addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
}

static int swap(const struct pairs *p, const char *step, json_t *mine,
		json_t **theirs, struct ncb_err *e)
{
	int rc = wl_peer_swap(p->peer, step, mine, theirs, WL_PEER_STEP_MS, e);

	if (rc == 0 && !json_is_object(*theirs))
		rc = ncb_errf(e, -EPROTO, "the other host's %s is not an object",
			      step);
	return rc;
}

/* The run host's key material of every direction, made now, as hex
 * strings in *out; the hex buffer is wiped (Jansson's copies are wiped
 * when freed: io/ctl.h). */
static int keys_json(const struct pairs *p, json_t **out, struct ncb_err *e)
{
	size_t n = (size_t)p->n_slots * p->n_dirs;
	json_t *arr = json_array();
	char hex[HEX_LEN + 1];
	int rc = arr ? 0 : -ENOMEM;

	*out = NULL;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct framing_sa_desc *d = &p->descs[i];
		size_t len;

		rc = keys_fill(d->keymat, sizeof(d->keymat), e);
		if (rc == 0 &&
		    (!OPENSSL_buf2hexstr_ex(hex, sizeof(hex), &len, d->keymat,
					    sizeof(d->keymat), '\0') ||
		     json_array_append_new(arr, json_string(hex)) < 0))
			rc = -ENOMEM;
	}
	explicit_bzero(hex, sizeof(hex));
	if (rc == 0) {
		*out = json_object();
		if (!*out || json_object_set_new(*out, "keys", arr) < 0)
			rc = -ENOMEM;
		arr = NULL;
	}
	json_decref(arr);
	if (rc == -ENOMEM) {
		json_decref(*out);
		*out = NULL;
		ERR_clear_error();
		return ncb_errf(e, rc, "cannot encode key material");
	}
	return rc;
}

/* One direction's key material from its hex string, checked. */
static int key_from_hex(struct framing_sa_desc *d, const json_t *v, size_t i,
			struct ncb_err *e)
{
	const char *hex = json_string_value(v);
	size_t len = 0;

	if (!hex || json_string_length(v) != HEX_LEN ||
	    !OPENSSL_hexstr2buf_ex(d->keymat, sizeof(d->keymat), &len, hex,
				   '\0') ||
	    len != sizeof(d->keymat)) {
		ERR_clear_error();
		return ncb_errf(e, -EPROTO,
				"the other host's keys: keys[%zu] must be %d hex digits",
				i, HEX_LEN);
	}
	return 0;
}

/* Key material is made fresh per case by the run host and crosses only
 * inside the control channel. */
int pairs_peer_keys(struct pairs *p, struct ncb_err *e)
{
	size_t n = (size_t)p->n_slots * p->n_dirs;
	json_t *mine, *theirs = NULL, *arr;
	int rc;

	if (!p->peer->is_server) {
		rc = keys_json(p, &mine, e);
		if (rc < 0)
			return rc;
	} else {
		mine = json_object();
	}
	rc = swap(p, "keys", mine, &theirs, e);
	if (rc == 0 && p->peer->is_server) {
		rc = wl_peer_get_array(theirs, "keys", "keys", n, &arr, e);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = key_from_hex(&p->descs[i], json_array_get(arr, i), i, e);
	}
	json_decref(theirs);
	return rc;
}

/* {"KEY": [null | {"port": P}, ...]} by slot: from ports[], the ports
 * of this host's initiating ends (initiators) or responding ends. */
static json_t *ports_json(const struct pairs *p, const char *key,
			  const unsigned *ports, int initiators)
{
	json_t *arr = json_array(), *o = json_object();
	int rc = arr && o ? 0 : -1;

	for (unsigned s = 0; rc == 0 && s < p->n_slots; s++) {
		json_t *v = json_null();

		if (pairs_initiates(p, s) == initiators) {
			v = json_object();
			if (wl_peer_set_u64(v, "port", ports[s]) < 0)
				rc = -1;
		}
		if (rc == 0)
			rc = json_array_append_new(arr, v);
		else
			json_decref(v);
	}
	if (rc == 0)
		rc = json_object_set_new(o, key, arr);
	else
		json_decref(arr);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Step `key`: the ports of the initiating ends (initiators) or of the
 * responding ends. This host's are in ports[] and the other host's come
 * into ports[] beside them (a slot has one end on each host). */
static int ports_swap(struct pairs *p, const char *key, unsigned *ports,
		      int initiators, struct ncb_err *e)
{
	json_t *theirs = NULL, *arr, *v;
	int rc = swap(p, key, ports_json(p, key, ports, initiators), &theirs, e);

	if (rc == 0)
		rc = wl_peer_get_array(theirs, key, key, p->n_slots, &arr, e);
	for (unsigned s = 0; rc == 0 && s < p->n_slots; s++) {
		uint64_t port;

		rc = wl_peer_get_entry(arr, key, key, s,
				       pairs_initiates(p, s) != initiators, &v, e);
		if (rc == 0 && v) {
			char at[32];

			snprintf(at, sizeof(at), "%s: %s[%u]", key, key, s);
			rc = wl_peer_get_u64(v, at, "port", PORT_MAX, &port, e);
			if (rc == 0 && port == 0)
				rc = ncb_errf(e, -EPROTO,
					      "the other host's %s: port 0", at);
			ports[s] = (unsigned)port;
		}
	}
	json_decref(theirs);
	return rc;
}

/* Binds the responding end of every slot here (port --port + slot, or
 * ephemeral) and notes its port. */
static int bind_responders(struct pairs *p, unsigned *ports, struct ncb_err *e)
{
	for (unsigned s = 0; s < p->n_slots; s++) {
		struct net_addr a;
		int rc;

		if (pairs_initiates(p, s))
			continue;
		rc = net_rx_open(&p->cfg, s, &p->fds[2 * s + 1], &a, e);
		if (rc < 0)
			return rc;
		ports[s] = port_of(&a);
	}
	return 0;
}

/* Connects the initiating end of every slot here to the other host's
 * responding end (a stream's connect completes at once: the other
 * host's kernel answers it) and notes its source port. */
static int open_initiators(struct pairs *p, const unsigned *to_ports,
			   unsigned *src_ports, struct ncb_err *e)
{
	for (unsigned s = 0; s < p->n_slots; s++) {
		struct net_addr to, from;
		int rc;

		if (!pairs_initiates(p, s))
			continue;
		remote_at(p, to_ports[s], &to);
		rc = net_tx_open(&p->cfg, &to, &p->fds[2 * s], &from, e);
		if (rc == 0)
			rc = net_tx_connected(&p->cfg, p->fds[2 * s], e);
		if (rc < 0)
			return rc;
		src_ports[s] = port_of(&from);
	}
	return 0;
}

/* A stream's responding end takes only its initiator's connection; a
 * datagram end that answers (both ways) sends to its initiator only. */
static int accept_initiators(struct pairs *p, const unsigned *src_ports,
			     struct ncb_err *e)
{
	for (unsigned s = 0; s < p->n_slots; s++) {
		struct net_addr from;
		int rc = 0;

		if (pairs_initiates(p, s))
			continue;
		remote_at(p, src_ports[s], &from);
		if (p->cfg.is_stream)
			rc = net_rx_accept(&p->cfg, &p->fds[2 * s + 1], -1, &from, e);
		else if (p->n_dirs == 2)
			rc = net_connect_to(p->fds[2 * s + 1], &from, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pairs_peer_open(struct pairs *p, struct ncb_err *e)
{
	if (pairs_is_link(p))
		return pairs_link_open(p, e);
	unsigned *ports = calloc(p->n_slots, sizeof(*ports));
	unsigned *srcs = calloc(p->n_slots, sizeof(*srcs));
	int rc = ports && srcs ? addrs(p, e)
			       : ncb_errf(e, -ENOMEM, "out of memory");

	if (rc == 0)
		rc = pairs_peer_keys(p, e);
	if (rc == 0)
		rc = bind_responders(p, ports, e);
	if (rc == 0)
		rc = ports_swap(p, "ports", ports, 0, e);
	if (rc == 0)
		rc = open_initiators(p, ports, srcs, e);
	if (rc == 0)
		rc = ports_swap(p, "sources", srcs, 1, e);
	if (rc == 0)
		rc = accept_initiators(p, srcs, e);
	free(ports);
	free(srcs);
	return rc;
}
