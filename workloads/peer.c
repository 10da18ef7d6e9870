/* Which ends of a two-host case run here; see peer.h. */
#include <errno.h>
#include <time.h>

#include "io/cpustat.h"
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

int wl_peer_feeds_here(const struct wl_peer *p)
{
	for (unsigned u = 0; u < wl_peer_units(p); u++)
		if (wl_peer_initiates(p, u))
			return 1;
	return 0;
}

struct ncb_err *wl_peer_err(const struct wl_peer *p, struct ncb_err *fallback)
{
	return p && p->err ? p->err : fallback;
}

int wl_peer_nap(const volatile sig_atomic_t *flag, uint64_t deadline_ns,
		const char *what, struct ncb_err *e)
{
	const struct timespec ms = { 0, 1000 * 1000 };

	if (flag && *flag)
		return ncb_errf(e, -EINTR, "interrupted waiting for %s", what);
	if (cpustat_mono_ns() > deadline_ns)
		return ncb_errf(e, -ETIMEDOUT, "timed out waiting for %s", what);
	nanosleep(&ms, NULL);
	return 0;
}

int wl_peer_swap(const struct wl_peer *p, const char *step, json_t *mine,
		 json_t **theirs, int timeout_ms, struct ncb_err *e)
{
	*theirs = NULL;
	if (!mine)
		return ncb_errf(e, -ENOMEM, "out of memory");
	return p->swap(p->ctx, step, mine, theirs, timeout_ms, e);
}
