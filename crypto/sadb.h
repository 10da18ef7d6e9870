/* A security association database: the SAs of one direction of one pair
 * (--sas N, 1..SADB_MAX), made from plain descriptions before the timed
 * part, and found again from what a received packet names (its SPI, SCI
 * or receiver index) through a hash table, as a gateway finds them
 * (uthash, the uthash-dev package). A sender picks the SA of each packet
 * itself; a receiver's packet naming no SA is counted as the framing's
 * v_unknown_sa verdict.
 *
 * Packets go through the framing's per-packet hooks: consecutive packets
 * of one SA form one burst (framing_encap_burst / framing_decap_burst),
 * so one SA behaves exactly as before and many SAs pay what their
 * spread costs. Not thread-safe; one database per end. */
#ifndef NCB_CRYPTO_SADB_H
#define NCB_CRYPTO_SADB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/framing.h"
#include "io/ncb.h"

enum {
	SADB_MAX = 1000000, /* SAs of one direction */
	SADB_STOP_EVERY = 4096, /* SAs made between looks at the stop flag */
};

struct sadb;

/* What making the database cost, for the result document: wall time of
 * making the n SAs (key schedules included) and the heap bytes they and
 * the table hold (the allocator's count before and after, taken while
 * no other database is being made). */
struct sadb_stats {
	unsigned count;
	double create_s;
	size_t bytes;
};

/* n SAs (1..SADB_MAX) of framing f from descs[0..n) (borrowed for the
 * call; wipe them after), senders (is_rx 0) or receivers. With n > 1 f
 * must have sa_ident and pkt_ident, and the identifiers must differ
 * (-EINVAL otherwise). A million SAs take seconds to make: when *stop
 * (NULL: never) is set, the making ends within SADB_STOP_EVERY SAs with
 * -EINTR. 0, or a negative errno with e; *db is then NULL.
 * Databases are made one at a time process-wide (a lock, set-up only),
 * so each one's creation rate and memory are its own. */
NCB_MUST_CHECK int sadb_new(struct sadb **db, const struct framing_ops *f,
			    const struct framing_sa_desc *descs, unsigned n,
			    int is_rx, const volatile sig_atomic_t *stop,
			    struct ncb_err *e);
/* Accepts NULL. Frees every SA (their keys are wiped by the framings). */
void sadb_free(struct sadb *db);

unsigned sadb_count(const struct sadb *db);
/* SA i (0..count-1), as framing_sa_new made it: for the framing's hooks
 * and accessors (framing_payload_off, framing_packet_len, feed). */
void *sadb_at(const struct sadb *db, unsigned i);
/* The SA whose wire identifier is ident, or NULL. */
void *sadb_find(const struct sadb *db, uint64_t ident);
void sadb_stats(const struct sadb *db, struct sadb_stats *st);

/* n packets, packet i sealed with SA sai[i] (NULL: all with SA 0), rcs[i]
 * as encap gives it; runs of one SA go through framing_encap_burst in
 * bursts of up to `burst` packets (1: one encap call per packet). */
void sadb_encap(struct sadb *db, const uint32_t *sai, uint8_t *const *pkts,
		const size_t *lens, const uint64_t *seqs, long *rcs,
		unsigned n, unsigned burst);
/* n received packets: each one's SA found by the identifier it names
 * (with one SA, that SA: it checks the identifier itself), runs of one SA
 * opened through framing_decap_burst in bursts of up to `burst`;
 * verdicts[i] and outs[i] as decap gives them, v_unknown_sa for a packet
 * naming no SA here. Every verdict is counted (sadb_counts). */
void sadb_decap(struct sadb *db, uint8_t *const *pkts, const size_t *lens,
		struct framing_out *outs, uint8_t *verdicts, unsigned n,
		unsigned burst);
/* Verdicts of every packet sadb_decap was given, by verdict (the
 * framing's n_verdicts entries; borrowed, live). A stream's feed goes to
 * sadb_at(db, 0) directly and is counted by framing_counts() of it. */
const uint64_t *sadb_counts(const struct sadb *db);

#endif
