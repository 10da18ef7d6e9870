/* The SA database of one direction of one pair (crypto/sadb.h): the SAs
 * in one array, a uthash table from wire identifier to entry, and the
 * run-cutting that sends consecutive packets of one SA through the
 * framing's burst hooks. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A failed allocation while the table grows is an error sadb_new
 * returns, not uthash's exit(). */
#define HASH_NONFATAL_OOM 1
#include <uthash.h>

#include "crypto/aead.h"
#include "crypto/sadb.h"

/* One SA: its identifier is the table's key (8 bytes). */
struct sadb_ent {
	uint64_t ident;
	void *sa;
	UT_hash_handle hh;
};

struct sadb {
	const struct framing_ops *f;
	const void *opts; /* SA 0's framing options, for pkt_ident */
	unsigned n;
	struct sadb_ent *ents; /* n, in one allocation */
	struct sadb_ent *head; /* the table (n > 1 only) */
	struct sadb_stats st;
	uint64_t counts[FRAMING_VERDICTS_MAX];
};

/* One database made at a time, so the allocator's count before and
 * after is this one's. */
static pthread_mutex_t make_lock = PTHREAD_MUTEX_INITIALIZER;

/* Heap bytes in use: small blocks and mmap()ed ones. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void sadb_free(struct sadb *db)
{
	if (!db)
		return;
	HASH_CLEAR(hh, db->head);
	for (unsigned i = 0; db->ents && i < db->n; i++)
		framing_sa_free(db->ents[i].sa);
	free(db->ents);
	free(db);
}

/* Makes SA i and files it under its identifier. */
static int add_one(struct sadb *db, const struct framing_sa_desc *d,
		   unsigned i, int is_rx, struct ncb_err *e)
{
	struct sadb_ent *ent = &db->ents[i], *old;
	int rc = framing_sa_new(db->f, &ent->sa, d, is_rx, e);

	if (rc < 0)
		return rc;
	ent->ident = framing_sa_ident(db->f, d);
	if (db->n == 1)
		return 0;
	HASH_FIND(hh, db->head, &ent->ident, sizeof(ent->ident), old);
	if (old)
		return ncb_errf(e, -EINVAL,
				"SA identifiers repeat: SA %u and SA %u of %s both name %#llx",
				(unsigned)(old - db->ents), i, db->f->name,
				(unsigned long long)ent->ident);
	HASH_ADD(hh, db->head, ident, sizeof(ent->ident), ent);
	if (!ent->hh.tbl)
		return ncb_errf(e, -ENOMEM, "out of memory for the SA table");
	return 0;
}

static int make(struct sadb *db, const struct framing_sa_desc *descs,
		int is_rx, const volatile sig_atomic_t *stop,
		struct ncb_err *e)
{
	db->ents = calloc(db->n, sizeof(*db->ents));
	if (!db->ents)
		return ncb_errf(e, -ENOMEM, "out of memory for %u SAs", db->n);
	for (unsigned i = 0; i < db->n; i++) {
		int rc;

		if (stop && i % SADB_STOP_EVERY == SADB_STOP_EVERY - 1 && *stop)
			return ncb_errf(e, -EINTR, "interrupted while making SAs");
		rc = add_one(db, &descs[i], i, is_rx, e);

		if (rc < 0)
			return rc;
	}
	db->opts = ((const struct framing_side *)db->ents[0].sa)->opts;
	return 0;
}

int sadb_new(struct sadb **out, const struct framing_ops *f,
	     const struct framing_sa_desc *descs, unsigned n, int is_rx,
	     const volatile sig_atomic_t *stop, struct ncb_err *e)
{
	struct sadb *db;
	size_t before, after;
	double t0;
	int rc;

	*out = NULL;
	if (!n || n > SADB_MAX)
		return ncb_errf(e, -EINVAL, "--sas: %u is not in 1..%u", n,
				(unsigned)SADB_MAX);
	if (n > 1 && !f->pkt_ident)
		return ncb_errf(e, -EINVAL,
				"--sas: %s has one SA per direction, not %u", f->name,
				n);
	pthread_mutex_lock(&make_lock);
	before = heap_bytes();
	t0 = mono_s();
	db = calloc(1, sizeof(*db));
	if (!db) {
		rc = ncb_errf(e, -ENOMEM, "out of memory");
		goto err_unlock;
	}
	db->f = f;
	db->n = n;
	/* One stack wipe for all the keys, below this frame. */
	aead_wipe_hold();
	rc = make(db, descs, is_rx, stop, e);
	aead_wipe_release();
	if (rc < 0)
		goto err_free;
	db->st.create_s = mono_s() - t0;
	after = heap_bytes();
	db->st.count = n;
	/* Another thread's frees may outweigh ours: then nothing to say. */
	db->st.bytes = after > before ? after - before : 0;
	pthread_mutex_unlock(&make_lock);
	*out = db;
	return 0;

err_free:
	sadb_free(db);
err_unlock:
	pthread_mutex_unlock(&make_lock);
	return rc;
}

unsigned sadb_count(const struct sadb *db)
{
	return db->n;
}

void *sadb_at(const struct sadb *db, unsigned i)
{
	return i < db->n ? db->ents[i].sa : NULL;
}

void *sadb_find(const struct sadb *db, uint64_t ident)
{
	struct sadb_ent *ent;

	if (db->n == 1)
		return db->ents[0].ident == ident ? db->ents[0].sa : NULL;
	HASH_FIND(hh, db->head, &ident, sizeof(ident), ent);
	return ent ? ent->sa : NULL;
}

void sadb_stats(const struct sadb *db, struct sadb_stats *st)
{
	*st = db->st;
}

const uint64_t *sadb_counts(const struct sadb *db)
{
	return db->counts;
}

/* Seals n packets of one SA: one encap call each with burst <= 1, else
 * bursts of up to `burst`. */
static void seal_run(const struct framing_ops *f, void *sa,
		     uint8_t *const *pkts, const size_t *lens,
		     const uint64_t *seqs, long *rcs, unsigned n,
		     unsigned burst)
{
	if (burst <= 1) {
		for (unsigned i = 0; i < n; i++)
			rcs[i] = f->encap(sa, pkts[i], lens[i], seqs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i += burst)
		framing_encap_burst(f, sa, pkts + i, lens + i, seqs + i, rcs + i,
				    n - i < burst ? n - i : burst);
}

void sadb_encap(struct sadb *db, const uint32_t *sai, uint8_t *const *pkts,
		const size_t *lens, const uint64_t *seqs, long *rcs,
		unsigned n, unsigned burst)
{
	unsigned i = 0;

	if (!sai) {
		seal_run(db->f, db->ents[0].sa, pkts, lens, seqs, rcs, n, burst);
		return;
	}
	while (i < n) {
		unsigned j = i + 1;

		if (sai[i] >= db->n) {
			rcs[i++] = -EINVAL; /* the caller's index is wrong */
			continue;
		}
		while (j < n && sai[j] == sai[i])
			j++;
		seal_run(db->f, db->ents[sai[i]].sa, pkts + i, lens + i, seqs + i,
			 rcs + i, j - i, burst);
		i = j;
	}
}

/* Opens n packets of one SA, as seal_run seals them. */
static void open_run(const struct framing_ops *f, void *sa,
		     uint8_t *const *pkts, const size_t *lens,
		     struct framing_out *outs, uint8_t *verdicts, unsigned n,
		     unsigned burst)
{
	if (burst <= 1) {
		for (unsigned i = 0; i < n; i++)
			verdicts[i] = (uint8_t)f->decap(sa, pkts[i], lens[i],
							&outs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i += burst)
		framing_decap_burst(f, sa, pkts + i, lens + i, outs + i,
				    verdicts + i, n - i < burst ? n - i : burst);
}

/* The SA a received packet names, NULL for none here; a packet that
 * names none at all goes to SA 0, whose decap refuses it. */
static void *find_sa(const struct sadb *db, const uint8_t *pkt, size_t len)
{
	struct sadb_ent *ent;
	uint64_t ident;

	if (db->f->pkt_ident(db->opts, pkt, len, &ident) < 0)
		return db->ents[0].sa;
	HASH_FIND(hh, db->head, &ident, sizeof(ident), ent);
	return ent ? ent->sa : NULL;
}

void sadb_decap(struct sadb *db, uint8_t *const *pkts, const size_t *lens,
		struct framing_out *outs, uint8_t *verdicts, unsigned n,
		unsigned burst)
{
	unsigned run_max = burst > 1 ? burst : 1, i = 0;
	void *sa;

	if (db->n == 1) {
		/* The one SA checks the identifier itself. */
		open_run(db->f, db->ents[0].sa, pkts, lens, outs, verdicts, n,
			 burst);
		goto count;
	}
	/* Each packet is looked up once: the lookup that ends a run is the
	 * first of the next. A run is as long as a burst at most, so a
	 * burst opens packets of one SA that came in a row. */
	sa = n ? find_sa(db, pkts[0], lens[0]) : NULL;
	while (i < n) {
		void *next = NULL;
		unsigned j = i + 1;

		for (; j < n; j++) {
			next = find_sa(db, pkts[j], lens[j]);
			if (next != sa || !sa || j - i >= run_max)
				break;
		}
		if (sa) {
			open_run(db->f, sa, pkts + i, lens + i, outs + i,
				 verdicts + i, j - i, burst);
		} else {
			verdicts[i] = (uint8_t)db->f->v_unknown_sa;
			outs[i] = (struct framing_out){ 0 };
		}
		i = j;
		sa = next;
	}
count:
	for (unsigned k = 0; k < n; k++)
		db->counts[verdicts[k]]++;
}
