/* The run host's steps of a session (run_peer.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/run_peer.h"
#include "io/ctl.h"
#include "workloads/peer.h"

/* hello both ways; the serve host may say busy instead. */
static int hello(struct session *s, const struct run_peer_cfg *cfg,
		 struct session_hello *peer, struct ncb_err *e)
{
	char why[NCB_ERR_LEN];
	json_t *msg;
	int rc = session_send(s, session_hello_json(cfg->self), e);

	if (rc == 0)
		rc = session_recv(s, NULL, CTL_READ_MS, &msg, e);
	if (rc < 0)
		return rc;
	if (!strcmp(ctl_type(msg), "busy")) {
		json_decref(msg);
		return ncb_errf(e, -EBUSY, "peer %s is busy (another test is running there)",
				cfg->name);
	}
	rc = session_hello_parse(msg, peer, e);
	json_decref(msg);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, rc, "peer %s: %s", cfg->name, why);
	}
	return 0;
}

/* The case message, then accept or refuse. */
static int offer(struct session *s, const struct run_peer_cfg *cfg,
		 const struct session_case *sc, struct ncb_err *e)
{
	const char *m;
	json_t *msg;
	int rc = session_send(s, session_case_json(sc), e);

	if (rc == 0)
		rc = session_recv(s, NULL, CTL_READ_MS, &msg, e);
	if (rc < 0)
		return rc;
	rc = 0;
	if (!strcmp(ctl_type(msg), "refuse")) {
		m = json_string_value(json_object_get(msg, "message"));
		rc = ncb_errf(e, -EINVAL, "peer refused the case: %.200s",
			      m ? m : "no reason given");
	} else if (strcmp(ctl_type(msg), "accept")) {
		rc = ncb_errf(e, -EPROTO, "peer %s answered a case with '%.24s'",
			      cfg->name, ctl_type(msg));
	}
	json_decref(msg);
	return rc;
}

int run_peer_open(struct session **out, const struct run_peer_cfg *cfg,
		  const struct session_case *sc, const char *framing,
		  const char *engine, struct wl_peer *p,
		  struct run_peer_info *info, struct ncb_err *e)
{
	static struct session_hello peer;
	char why[NCB_ERR_LEN];
	struct session *s;
	struct ctl *c;
	int rc;

	*out = NULL;
	memset(info, 0, sizeof(*info));
	rc = ctl_client(&c, cfg->host, cfg->port, cfg->psk, e);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s", e->msg);
		return ncb_errf(e, rc, "peer %s: %s", cfg->name, why);
	}
	ctl_set_interrupt(c, cfg->is_interrupted);
	if ((rc = session_new(&s, c)) < 0)
		return ncb_errf(e, rc, "out of memory");
	rc = hello(s, cfg, &peer, e);
	if (rc == 0)
		rc = session_caps_check(&peer.caps, cfg->name, sc->workload,
					sc->backend, sc->cipher, framing, engine, e);
	if (rc == 0)
		rc = offer(s, cfg, sc, e);
	if (rc == 0)
		rc = session_wl_peer(s, p, 0, sc->mode, cfg->dev, e);
	if (rc < 0) {
		session_fail(s, e->msg);
		session_free(s);
		return rc;
	}
	info->is_set = 1;
	info->mode = sc->mode;
	info->host = peer.host;
	snprintf(info->address, sizeof(info->address), "%s",
		 session_peer_address(s));
	*out = s;
	return 0;
}

int run_peer_ready(struct session *s, unsigned workers,
		   struct run_peer_info *info, struct ncb_err *e)
{
	json_t *msg;
	int rc = session_recv(s, "ready", SESSION_SETUP_MS, &msg, e);

	if (rc < 0)
		return rc;
	rc = session_ready_parse(msg, &info->workers, info->place,
				 RUN_PEER_WORKERS_MAX, e);
	json_decref(msg);
	if (rc == 0 && info->workers != workers)
		rc = ncb_errf(e, -EPROTO, "peer runs %u workers, %u expected",
			      info->workers, workers);
	return rc;
}

/* A peer that failed between repetitions has said why: that is read
 * first, as a send to a peer that left would only learn it left. */
int run_peer_rep(struct session *s, double seconds, int is_warmup,
		 struct ncb_err *e)
{
	int rc = session_pending(s, e);

	return rc < 0 ? rc : session_send(s, session_rep_json(seconds, is_warmup), e);
}

int run_peer_close(struct session *s, struct ncb_err *e)
{
	json_t *msg = NULL;
	int rc;

	if (!s)
		return 0;
	rc = session_send(s, session_msg("end"), e);
	if (rc == 0)
		rc = session_recv(s, "bye", SESSION_BYE_MS, &msg, e);
	json_decref(msg);
	if (rc < 0)
		session_fail(s, e->msg);
	session_free(s);
	return rc;
}

void run_peer_fail(struct session *s, const char *why)
{
	session_fail(s, why);
	session_free(s);
}
