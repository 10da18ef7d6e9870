/* Which ends of a two-host case run here; see peer.h. */
#include <errno.h>

#include "workloads/peer.h"

unsigned wl_peer_units(const struct wl_peer *p)
{
	return p && p->mode == WL_PEER_BIDIR ? 2 : 1;
}

/* Unit 0 is the run host's unless --reverse; unit 1 (--bidir) the serve
 * host's. */
static int initiator_is_server(const struct wl_peer *p, unsigned u)
{
	return u == 1 || p->mode == WL_PEER_REVERSE;
}

int wl_peer_initiates(const struct wl_peer *p, unsigned u)
{
	return !p || initiator_is_server(p, u) == (p->is_server != 0);
}

int wl_peer_responds(const struct wl_peer *p, unsigned u)
{
	return !p || initiator_is_server(p, u) != (p->is_server != 0);
}

int wl_peer_swap(const struct wl_peer *p, const char *step, json_t *mine,
		 json_t **theirs, int timeout_ms, struct ncb_err *e)
{
	*theirs = NULL;
	if (!mine)
		return ncb_errf(e, -ENOMEM, "out of memory");
	return p->swap(p->ctx, step, mine, theirs, timeout_ms, e);
}
