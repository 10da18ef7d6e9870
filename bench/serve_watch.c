/* The served case's watch on its run host; see serve_watch.h. */
#define _GNU_SOURCE /* POLLRDHUP */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "bench/serve_watch.h"

enum { WATCH_MS = 50 };

static void *watch_main(void *arg)
{
	struct serve_watch *w = arg;

	while (!atomic_load(&w->quit)) {
		/* Only a hang-up: the data is the session's to read. */
		struct pollfd p = { .fd = w->fd, .events = POLLRDHUP };
		int n = poll(&p, 1, WATCH_MS);

		if (n > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			w->is_gone = 1;
			w->halt = 1;
			break;
		}
		if (*w->stopping) {
			w->halt = 1;
			break;
		}
	}
	return NULL;
}

int serve_watch_start(struct serve_watch *w, int fd,
		      const volatile sig_atomic_t *stopping, struct ncb_err *e)
{
	sigset_t all, old;
	int rc;

	w->fd = fd;
	w->stopping = stopping;
	w->halt = 0;
	w->is_gone = 0;
	atomic_store(&w->quit, 0);
	/* Signals stay with the session's own thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&w->thread, NULL, watch_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		return ncb_errf(e, rc, "cannot start a thread: %s", strerror(-rc));
	w->is_started = 1;
	return 0;
}

void serve_watch_stop(struct serve_watch *w)
{
	if (!w->is_started)
		return;
	atomic_store(&w->quit, 1);
	pthread_join(w->thread, NULL);
	w->is_started = 0;
}
