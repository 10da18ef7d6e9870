/* The session's connection (session.h): messages over the control
 * channel, the peer's failures kept for the run's message, and the swap
 * hook a two-host workload calls. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/session.h"
#include "io/ctl.h"
#include "workloads/peer.h"

struct session {
	struct ctl *ctl;
	int is_peer_gone; /* it sent "error" or closed: nothing more to say */
	char peer[SESSION_ADDR];
	struct ncb_err last; /* why the last swap or recv failed */
	/* Where the workload says why a repetition failed (wl_peer.err):
	 * it knows more than the swap, e.g. a wrong object's entry. */
	struct ncb_err wl_err;
};

/* --- Addresses ---------------------------------------------------------- */

/* An IPv4-mapped IPv6 address (a dual-stack listener's view of an IPv4
 * client) as the IPv4 address it is. */
static void unmap(struct sockaddr_storage *a)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)a;
	struct sockaddr_in s4;

	if (a->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = s6->sin6_port;
	memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
	memset(a, 0, sizeof(*a));
	memcpy(a, &s4, sizeof(s4));
}

void session_addr_format(const struct sockaddr_storage *a, char *buf,
			 size_t len)
{
	struct sockaddr_storage u = *a;
	char host[INET6_ADDRSTRLEN] = "?";

	unmap(&u);
	if (u.ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)&u;

		inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(s->sin_port));
	} else if (u.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&u;

		inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(s->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
}

/* --- The connection ----------------------------------------------------- */

int session_new(struct session **out, struct ctl *c)
{
	struct sockaddr_storage local, peer;
	struct session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s) {
		ctl_free(c);
		return -ENOMEM;
	}
	s->ctl = c;
	snprintf(s->peer, sizeof(s->peer), "?");
	if (ctl_addrs(c, &local, &peer) == 0)
		session_addr_format(&peer, s->peer, sizeof(s->peer));
	*out = s;
	return 0;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	ctl_free(s->ctl);
	free(s);
}

const char *session_peer_address(const struct session *s)
{
	return s->peer;
}

const char *session_error(const struct session *s)
{
	return s->wl_err.msg[0] ? s->wl_err.msg : s->last.msg;
}

/* Keeps why the session failed, for session_error. */
static int failed(struct session *s, int rc, const struct ncb_err *e)
{
	if (!s->last.msg[0])
		s->last = *e;
	if (rc == -EPIPE)
		s->is_peer_gone = 1;
	return rc;
}

int session_send(struct session *s, json_t *msg, struct ncb_err *e)
{
	int rc;

	if (!msg)
		return ncb_errf(e, -ENOMEM, "out of memory");
	rc = ctl_send(s->ctl, msg, e);
	json_decref(msg);
	return rc < 0 ? failed(s, rc, e) : 0;
}

/* The peer's "error": its message, cleaned and bounded. */
static int peer_error(struct session *s, const json_t *msg, struct ncb_err *e)
{
	const char *m = json_string_value(json_object_get(msg, "message"));

	s->is_peer_gone = 1;
	return ncb_errf(e, -EPIPE, "peer: %.200s", m && *m ? m : "failed");
}

int session_recv(struct session *s, const char *type, int timeout_ms,
		 json_t **msg, struct ncb_err *e)
{
	const char *t;
	char got[24];
	int rc;

	*msg = NULL;
	rc = ctl_recv(s->ctl, msg, timeout_ms, e);
	if (rc == -EPIPE)
		rc = ncb_errf(e, -EPIPE, "peer: closed the connection");
	if (rc < 0)
		return failed(s, rc, e);
	t = ctl_type(*msg);
	if (!strcmp(t, "error"))
		rc = peer_error(s, *msg, e);
	else if (type && strcmp(t, type)) {
		snprintf(got, sizeof(got), "%s", t);
		rc = ncb_errf(e, -EPROTO, "peer sent '%s' where '%s' was due",
			      got, type);
	}
	if (rc < 0) {
		json_decref(*msg);
		*msg = NULL;
		return failed(s, rc, e);
	}
	return 0;
}

int session_pending(struct session *s, struct ncb_err *e)
{
	json_t *msg;
	int rc = session_recv(s, NULL, 0, &msg, e);

	if (rc == -ETIMEDOUT) {
		/* Nothing waiting: not a failure of the session. */
		s->last.msg[0] = 0;
		if (e)
			e->msg[0] = 0;
		return 0;
	}
	if (rc == 0) {
		rc = ncb_errf(e, -EPROTO, "peer sent '%.24s' unasked",
			      ctl_type(msg));
		json_decref(msg);
		return failed(s, rc, e);
	}
	return rc;
}

void session_fail(struct session *s, const char *why)
{
	struct ncb_err e;
	json_t *msg;

	if (!s || !s->ctl)
		return;
	/* Said also after an interrupt, which ends every other send. */
	ctl_set_interrupt(s->ctl, NULL);
	msg = json_pack("{s:s, s:s}", "type", "error", "message", why);
	if (msg && !s->is_peer_gone)
		(void)!ctl_send(s->ctl, msg, &e);
	json_decref(msg);
	ctl_free(s->ctl);
	s->ctl = NULL;
	s->is_peer_gone = 1;
}

int session_swap(void *ctx, const char *step, json_t *mine, json_t **theirs,
		 int timeout_ms, struct ncb_err *e)
{
	struct session *s = ctx;
	const json_t *data;
	json_t *msg;
	int rc;

	*theirs = NULL;
	if (!s->ctl) {
		json_decref(mine);
		return ncb_errf(e, -EPIPE, "peer: the session is closed");
	}
	rc = session_send(s, json_pack("{s:s, s:s, s:o}", "type", "swap",
				       "step", step, "data", mine), e);
	if (rc < 0)
		return rc;
	rc = session_recv(s, "swap", timeout_ms, &msg, e);
	if (rc < 0)
		return rc;
	data = json_object_get(msg, "data");
	if (strcmp(json_string_value(json_object_get(msg, "step")) ?: "", step) ||
	    !json_is_object(data)) {
		json_decref(msg);
		return failed(s, ncb_errf(e, -EPROTO,
					  "peer's swap is not an object of step '%s'",
					  step),
			      e);
	}
	*theirs = json_incref((json_t *)data);
	json_decref(msg);
	return 0;
}

int session_wl_peer(struct session *s, struct wl_peer *p, int is_server,
		    unsigned mode, const char *dev, struct ncb_err *e)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = ctl_addrs(s->ctl, &p->local, &p->remote);
	if (rc < 0)
		return ncb_errf(e, rc, "control connection: no addresses");
	unmap(&p->local);
	unmap(&p->remote);
	p->is_server = is_server;
	p->mode = (enum wl_peer_mode)mode;
	p->dev = dev;
	p->swap = session_swap;
	p->ctx = s;
	p->err = &s->wl_err;
	return 0;
}

int session_fd(const struct session *s)
{
	return ctl_fd(s->ctl);
}
