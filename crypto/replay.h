/* Anti-replay sliding window over 64-bit sequence numbers (RFC 4303
 * §3.4.3), kept as a ring of 64-bit blocks as RFC 6479 describes: moving
 * the window clears whole blocks instead of shifting bits. Check before the
 * ICV, update only after it verified, so a forgery cannot move the window. */
#ifndef NCB_CRYPTO_REPLAY_H
#define NCB_CRYPTO_REPLAY_H

#include <stdint.h>

#include "io/ncb.h"

enum {
	REPLAY_WINDOW_MAX = 1u << 16,
};

enum replay_verdict {
	REPLAY_OK = 0,
	REPLAY_SEEN = -1,    /* inside the window, already accepted */
	REPLAY_TOO_OLD = -2, /* left of the window */
};

struct replay_win {
	uint64_t top;      /* highest accepted sequence number */
	uint64_t *blocks;  /* ring of nblocks 64-bit words */
	unsigned nblocks;  /* power of two, window / 64 + 1 */
	unsigned size;     /* window in sequence numbers; 0: strict order */
	int is_any;        /* a number has been accepted */
};

/* size: 0 (only increasing numbers pass) .. REPLAY_WINDOW_MAX. Allocates;
 * 0 or -EINVAL / -ENOMEM. */
NCB_MUST_CHECK int replay_init(struct replay_win *w, unsigned size);
void replay_free(struct replay_win *w);

/* Places the window's right edge at top without accepting any number, as
 * an SA that starts its sequence numbers there (ESN tests near 2^32). */
void replay_seed(struct replay_win *w, uint64_t top);

/* Would seq be accepted? Reads only. */
enum replay_verdict replay_check(const struct replay_win *w, uint64_t seq);
/* Marks seq accepted (call after the ICV verified and replay_check passed). */
void replay_update(struct replay_win *w, uint64_t seq);

/* Full 64-bit sequence number for a received low half, given the window
 * (RFC 4303 Appendix A2.2): the candidate nearest the window. */
uint64_t replay_esn_infer(const struct replay_win *w, uint32_t low);

/* Whether replay_esn_infer(w, low) stays `got` while the window's right
 * edge moves from where it is up to top (a burst: earlier packets of it
 * may move the window before this one's turn). The number inferred only
 * ever moves up with the edge, so the far end decides. An empty window
 * (nothing accepted yet) never holds: its first number moves it anywhere. */
int replay_esn_holds(const struct replay_win *w, uint32_t low, uint64_t got,
		     uint64_t top);

#endif
