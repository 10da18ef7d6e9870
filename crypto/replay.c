/* RFC 6479 window: bit (seq mod 64) of block (seq / 64) mod nblocks. One
 * spare block beyond the window lets the window slide by clearing blocks
 * that fall out of it, never by shifting. */
#include <errno.h>
#include <stdlib.h>

#include "crypto/replay.h"

int replay_init(struct replay_win *w, unsigned size)
{
	unsigned n = 2;

	*w = (struct replay_win){ 0 };
	if (size > REPLAY_WINDOW_MAX)
		return -EINVAL;
	while (n < size / 64 + 2)
		n <<= 1;
	w->blocks = calloc(n, sizeof(*w->blocks));
	if (!w->blocks)
		return -ENOMEM;
	w->nblocks = n;
	w->size = size;
	return 0;
}

void replay_free(struct replay_win *w)
{
	free(w->blocks);
	w->blocks = NULL;
}

void replay_seed(struct replay_win *w, uint64_t top)
{
	for (unsigned i = 0; i < w->nblocks; i++)
		w->blocks[i] = 0;
	w->top = top;
	w->is_any = 1;
}

static uint64_t *block_of(const struct replay_win *w, uint64_t seq)
{
	return &w->blocks[(seq >> 6) & (w->nblocks - 1)];
}

enum replay_verdict replay_check(const struct replay_win *w, uint64_t seq)
{
	if (!w->is_any || seq > w->top)
		return REPLAY_OK;
	if (w->top - seq >= w->size)
		return w->top == seq ? REPLAY_SEEN : REPLAY_TOO_OLD;
	return (*block_of(w, seq) >> (seq & 63)) & 1 ? REPLAY_SEEN : REPLAY_OK;
}

void replay_update(struct replay_win *w, uint64_t seq)
{
	if (!w->is_any) {
		w->top = seq;
		w->is_any = 1;
	} else if (seq > w->top) {
		uint64_t from = (w->top >> 6) + 1, to = seq >> 6;

		/* Clear the blocks the window moves into; after a jump past
		 * the whole ring, clearing every block once is enough. */
		if (to >= from && to - from >= w->nblocks)
			from = to - w->nblocks + 1;
		for (uint64_t b = from; b <= to; b++)
			w->blocks[b & (w->nblocks - 1)] = 0;
		w->top = seq;
	}
	*block_of(w, seq) |= 1ull << (seq & 63);
}

uint64_t replay_esn_infer(const struct replay_win *w, uint32_t low)
{
	uint32_t tl = (uint32_t)w->top, th = (uint32_t)(w->top >> 32);
	uint32_t span = w->size ? w->size - 1 : 0;

	if (!w->is_any)
		return ((uint64_t)th << 32) | low;
	if (tl >= span) {
		/* The window lies within one 2^32 subspace: a low half
		 * below it belongs to the next subspace. */
		if (low >= tl - span)
			return ((uint64_t)th << 32) | low;
		return ((uint64_t)(th + 1) << 32) | low;
	}
	/* The window spans the previous subspace's end. */
	if (low >= tl - span && th > 0) /* tl - span wraps below zero */
		return ((uint64_t)(th - 1) << 32) | low;
	return ((uint64_t)th << 32) | low;
}

int replay_esn_holds(const struct replay_win *w, uint32_t low, uint64_t got,
		     uint64_t top)
{
	/* The inference reads the edge, the size and whether any number
	 * was accepted: a copy with another edge asks the far end. */
	struct replay_win far = *w;

	if (!w->is_any)
		return 0;
	far.top = top > w->top ? top : w->top;
	return replay_esn_infer(&far, low) == got &&
	       replay_esn_infer(w, low) == got;
}
