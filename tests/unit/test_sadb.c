/* The SA database (crypto/sadb.h) of esp, macsec and wg with 1, 2,
 * 10,000 and (esp) 1,000,000 SAs of one direction, each with its own key
 * as a pattern's pairs make them: every identifier found again; a packet
 * sealed by sender SA k opened by receiver SA k and refused by others; a
 * packet naming no SA counted as the framing's unknown-SA verdict, one
 * sealed with a key the named SA does not hold refused at its tag check;
 * each SA's replay window its own; memory per SA below a bound and the
 * creation rate printed (no speed asserted); sealing runs of SAs in
 * bursts as one packet a call seals, and a mixed list (runs of SAs,
 * copies, forgeries, truncations, strangers) opened in one call with the
 * verdicts, views and counters one packet a call gives. With one SA the
 * database opens as framing_decap_burst on that SA does. Set-up errors:
 * repeating identifiers, --sas on a framing of one SA, MACsec without an
 * SCI on the wire. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/inner.h"
#include "crypto/sadb.h"
#include "tests/unit/helpers.h"

enum {
	LEN = 100,   /* inner packet bytes */
	BUF = 512,   /* one packet */
	ID = 3,      /* pair 1, direction 1 */
	USED = 12,   /* SAs a case sends with */
	MIXED = 300, /* packets of the mixed list */
	RUN_MAX = 40,
	BURST = 32,
	MIXED_MAX_SAS = 10000, /* larger cases skip the twin databases */
	KEYS = 1,     /* the key set of the databases */
	KEYS_BAD = 2, /* a key set no database holds */
};

struct tcase {
	const char *framing, *cipher, *backend;
	unsigned n;
	size_t bytes_max; /* per SA */
};

/* Heap per SA, measured (x86-64, OpenSSL 3.0, glibc 2.36): about 3.1
 * KiB for esp and macsec aes-128-gcm and wg chacha20-poly1305 on
 * openssl, whose context keys a cipher context for each way (seal and
 * open); 2.8 KiB on gcrypt. Below BYTES_MAX with room for other library
 * versions. */
enum { BYTES_MAX = 4096, IPSECMB_BYTES_MAX = 256 * 1024 };

static const struct tcase cases[] = {
	{ "esp", "aes-128-gcm", "openssl", 1, BYTES_MAX },
	{ "esp", "aes-128-gcm", "openssl", 2, BYTES_MAX },
	{ "esp", "aes-128-gcm", "openssl", 10000, BYTES_MAX },
	{ "macsec", "aes-128-gcm", "openssl", 1, BYTES_MAX },
	{ "macsec", "aes-128-gcm", "openssl", 2, BYTES_MAX },
	{ "macsec", "aes-128-gcm", "openssl", 10000, BYTES_MAX },
	{ "wg", "chacha20-poly1305", "openssl", 1, BYTES_MAX },
	{ "wg", "chacha20-poly1305", "openssl", 2, BYTES_MAX },
	{ "wg", "chacha20-poly1305", "openssl", 10000, BYTES_MAX },
};

/* Last: mallinfo2 walks the allocator's free lists, which freeing a
 * million SAs fills. On gcrypt, which keys them in half openssl's time
 * (the test stays within seconds under the sanitizers too). */
static const struct tcase million = { "esp", "aes-128-gcm", "gcrypt",
				      SADB_MAX, BYTES_MAX };

static uint8_t pattern[LEN];

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* SA k's description in key set `keys`, as workloads/pair.c fills one
 * (fixed bytes instead of random ones). */
static void desc_fill(struct framing_sa_desc *d, const struct tcase *c,
		      const struct framing_ops *f, uint32_t k, unsigned keys)
{
	uint64_t s = (uint64_t)keys << 32 | k;

	memset(d, 0, sizeof(*d));
	snprintf(d->framing, sizeof(d->framing), "%s", c->framing);
	snprintf(d->cipher, sizeof(d->cipher), "%s", c->cipher);
	snprintf(d->backend, sizeof(d->backend), "%s", c->backend);
	for (size_t i = 0; i < sizeof(d->keymat); i += 8) {
		uint64_t v = mix(&s);

		memcpy(d->keymat + i, &v, 8);
	}
	d->id = ID;
	d->sa = k;
	d->family = 4;
	t_framing_defaults(f, d->opts);
	d->seq_first = framing_seq_first(f, d->opts);
}

static struct framing_sa_desc *descs_new(const struct tcase *c,
					 const struct framing_ops *f,
					 unsigned n)
{
	struct framing_sa_desc *d = calloc(n, sizeof(*d));

	for (unsigned k = 0; d && k < n; k++)
		desc_fill(&d[k], c, f, k, KEYS);
	return d;
}

static void descs_free(struct framing_sa_desc *d, unsigned n)
{
	if (!d)
		return;
	explicit_bzero(d, (size_t)n * sizeof(*d));
	free(d);
}

static int db_new(struct sadb **db, const struct framing_ops *f,
		  const struct framing_sa_desc *d, unsigned n, int is_rx,
		  const char *what)
{
	struct ncb_err e = { "" };
	int rc = sadb_new(db, f, d, n, is_rx, NULL, &e);

	t_check(rc == 0, "%s %u: %s database: %s", f->name, n, what, e.msg);
	return rc;
}

/* The verdict of a framing's tag check (class AUTH, stage AT_TAG). */
static unsigned at_tag(const struct framing_ops *f)
{
	for (unsigned v = 1; v < f->n_verdicts; v++)
		if (f->verdicts[v].stage == VERDICT_AT_TAG)
			return v;
	return 0;
}

static int is_class(const struct framing_ops *f, unsigned v,
		    enum verdict_class cls)
{
	return v < f->n_verdicts && v && f->verdicts[v].cls == cls;
}

/* Seals one inner packet of sequence number seq with SA sa of framing
 * f into buf: its length, 0 on failure. */
static size_t seal_one(const struct framing_ops *f, void *sa, uint8_t *buf,
		       uint64_t seq)
{
	enum inner_kind k = framing_inner(f, ((struct framing_side *)sa)->opts, 4);
	long n;

	inner_build(k, buf + framing_payload_off(sa), LEN, seq, pattern);
	n = f->encap(sa, buf, LEN, seq);
	return n > 0 ? (size_t)n : 0;
}

/* Opens one packet through db: its verdict, the view in *out. */
static unsigned open_one(struct sadb *db, uint8_t *pkt, size_t len,
			 struct framing_out *out)
{
	uint8_t v;

	*out = (struct framing_out){ 0 };
	sadb_decap(db, &pkt, &len, out, &v, 1, 1);
	return v;
}

/* The SAs a case sends with: first, last, and some between. */
static unsigned pick(unsigned n, uint32_t *used)
{
	const uint32_t tries[USED] = { 0,	  n - 1,     1,	       n / 2,
				       n / 3,	  n - 2,     7,	       n / 7 * 3,
				       65534,	  65535,     n / 5,    n / 11 };
	unsigned m = 0;

	for (unsigned i = 0; i < USED; i++) {
		int is_new = tries[i] < n;

		for (unsigned j = 0; j < m && is_new; j++)
			is_new = used[j] != tries[i];
		if (is_new)
			used[m++] = tries[i];
	}
	return m;
}

/* Every SA's identifier finds it. */
static void idents(const struct framing_ops *f, struct sadb *rx,
		   const struct framing_sa_desc *d, unsigned n)
{
	unsigned found = 0;

	for (unsigned k = 0; k < n; k++)
		found += sadb_find(rx, framing_sa_ident(f, &d[k])) ==
			 sadb_at(rx, k);
	t_check(found == n && sadb_count(rx) == n,
		"%s %u: every identifier finds its SA (%u)", f->name, n, found);
}

/* Sender SA i (SA used[i] of the receivers) seals, receiver SA used[i]
 * opens, the next used SA refuses as naming another SA. */
static void accepts(const struct framing_ops *f, struct sadb *tx,
		    struct sadb *rx, const uint32_t *used, unsigned m,
		    uint64_t seq)
{
	static uint8_t a[BUF], b[BUF];
	unsigned ok = 0, refused = 0, others = 0;

	for (unsigned i = 0; i < m; i++) {
		void *other = sadb_at(rx, used[(i + 1) % m]);
		enum inner_kind k;
		struct framing_out out;
		size_t len = seal_one(f, sadb_at(tx, i), a, seq);
		unsigned v;

		memcpy(b, a, len);
		k = framing_inner(f, ((struct framing_side *)sadb_at(tx, i))->opts, 4);
		v = open_one(rx, a, len, &out);
		ok += len && v == 0 && out.seq == seq && out.is_proto_ok &&
		      inner_check(k, out.payload, out.len, seq, pattern) == 0 &&
		      framing_counts(sadb_at(rx, used[i]))[0] >= 1;
		if (other == sadb_at(rx, used[i]))
			continue;
		others++;
		refused += f->decap(other, b, len, &out) == f->v_unknown_sa;
	}
	t_check(ok == m && refused == others,
		"%s %u: SA k opens SA k's packet (%u of %u), no other does (%u of %u)",
		f->name, sadb_count(rx), ok, m, refused, others);
}

/* A packet naming no SA here, one of a known SA sealed with another
 * key, and one too short to name any. */
static void strangers(const struct tcase *c, const struct framing_ops *f,
		      struct sadb *rx, uint32_t known, uint64_t seq)
{
	static uint8_t a[BUF];
	struct framing_sa_desc d;
	struct ncb_err e = { "" };
	struct framing_out out;
	uint64_t unknown = sadb_counts(rx)[f->v_unknown_sa];
	uint64_t bad = framing_counts(sadb_at(rx, known))[at_tag(f)];
	unsigned n = sadb_count(rx), v;
	void *sa;
	size_t len;

	desc_fill(&d, c, f, n, KEYS);
	if (framing_sa_new(f, &sa, &d, 0, &e) < 0) {
		t_check(0, "%s %u: stranger: %s", f->name, n, e.msg);
		return;
	}
	len = seal_one(f, sa, a, seq);
	framing_sa_free(sa);
	v = open_one(rx, a, len, &out);
	t_check(v == f->v_unknown_sa && out.len == 0 && !out.payload &&
			sadb_counts(rx)[v] == unknown + 1,
		"%s %u: SA %u's packet counted as %s (verdict %u)", f->name, n, n,
		f->verdicts[f->v_unknown_sa].name, v);

	desc_fill(&d, c, f, known, KEYS_BAD);
	if (framing_sa_new(f, &sa, &d, 0, &e) < 0) {
		t_check(0, "%s %u: other key: %s", f->name, n, e.msg);
		return;
	}
	len = seal_one(f, sa, a, seq);
	framing_sa_free(sa);
	explicit_bzero(&d, sizeof(d));
	v = open_one(rx, a, len, &out);
	t_check(v == at_tag(f) && out.seq == seq &&
			framing_counts(sadb_at(rx, known))[v] == bad + 1,
		"%s %u: SA %u's identifier with another key refused at its tag (verdict %u)",
		f->name, n, known, v);

	v = open_one(rx, a, 3, &out);
	t_check(v && !strcmp(f->verdicts[v].name, "truncated"),
		"%s %u: 3 bytes truncated (verdict %u)", f->name, n, v);
}

/* One sequence number accepted once by each of two SAs, refused as a
 * replay by each after. */
static void windows(const struct framing_ops *f, struct sadb *tx,
		    struct sadb *rx, unsigned m, uint64_t seq)
{
	static uint8_t pkts[4][BUF];
	struct framing_out out;
	unsigned v[4], two = m > 1 ? 2 : 1;
	size_t lens[2];

	for (unsigned i = 0; i < two; i++) {
		lens[i] = seal_one(f, sadb_at(tx, i), pkts[i], seq);
		memcpy(pkts[2 + i], pkts[i], lens[i]);
	}
	for (unsigned i = 0; i < two; i++)
		v[i] = open_one(rx, pkts[i], lens[i], &out);
	for (unsigned i = 0; i < two; i++)
		v[2 + i] = open_one(rx, pkts[2 + i], lens[i], &out);
	t_check(v[0] == 0 && v[two - 1] == 0 && is_class(f, v[2], VERDICT_REPLAY) &&
			is_class(f, v[1 + two], VERDICT_REPLAY),
		"%s %u: one number accepted once on each of %u SAs, then replayed (%u %u %u %u)",
		f->name, sadb_count(rx), two, v[0], v[1], v[2], v[3]);
}

static uint8_t store_a[MIXED][BUF], store_b[MIXED][BUF], store_c[MIXED][BUF];

/* The mixed list: runs of the m sending SAs (sealed in bursts into
 * store_a and one packet a call into store_b, which must agree), then
 * copies, forgeries, truncations and strangers in both alike. */
static int mixed_list(const struct tcase *c, const struct framing_ops *f,
		      struct sadb *tx_a, struct sadb *tx_b, unsigned m,
		      size_t *lens, uint64_t seq0)
{
	static uint8_t *pa[MIXED], *pb[MIXED];
	static size_t plens[MIXED];
	static uint64_t seqs[MIXED], next[USED];
	static uint32_t sai[MIXED];
	static long rc_a[MIXED], rc_b[MIXED];
	struct framing_sa_desc d;
	struct ncb_err e = { "" };
	uint64_t rng = 42;
	unsigned same = 0;
	void *stranger = NULL;

	for (unsigned i = 0; i < m; i++)
		next[i] = seq0;
	for (unsigned i = 0; i < MIXED;) {
		unsigned t = (unsigned)(mix(&rng) % m);
		unsigned r = 1 + (unsigned)(mix(&rng) % RUN_MAX);

		for (; r && i < MIXED; r--, i++) {
			void *sa = sadb_at(tx_a, t);
			enum inner_kind k = framing_inner(f, ((struct framing_side *)sa)->opts, 4);
			size_t off = framing_payload_off(sa);

			pa[i] = store_a[i];
			pb[i] = store_b[i];
			sai[i] = t;
			seqs[i] = next[t]++;
			plens[i] = inner_min(k) + (i * 7) % (LEN - inner_min(k));
			inner_build(k, pa[i] + off, plens[i], seqs[i], pattern);
			memcpy(pb[i] + off, pa[i] + off, plens[i]);
		}
	}
	sadb_encap(tx_a, sai, pa, plens, seqs, rc_a, MIXED, BURST);
	sadb_encap(tx_b, sai, pb, plens, seqs, rc_b, MIXED, 1);
	for (unsigned i = 0; i < MIXED; i++)
		same += rc_a[i] > 0 && rc_a[i] == rc_b[i] &&
			!memcmp(pa[i], pb[i], (size_t)rc_a[i]);
	t_check(same == MIXED, "%s %u: runs sealed in bursts as one a call (%u of %d)",
		f->name, m, same, MIXED);
	if (same != MIXED)
		return -1;

	/* A stranger: an SA the receivers lack. */
	desc_fill(&d, c, f, SADB_MAX + 1, KEYS);
	t_check(framing_sa_new(f, &stranger, &d, 0, &e) == 0,
		"%s: stranger: %s", f->name, e.msg);
	explicit_bzero(&d, sizeof(d));
	for (unsigned i = 0; i < MIXED; i++) {
		lens[i] = (size_t)rc_a[i];
		switch (i % 17) {
		case 3: /* a copy right behind its original */
			memcpy(pa[i], pa[i - 1], lens[i - 1]);
			lens[i] = lens[i - 1];
			break;
		case 6: /* forged */
			pa[i][lens[i] - 1] ^= 1;
			break;
		case 9:
			lens[i] = 3;
			break;
		case 12:
			if (stranger)
				lens[i] = seal_one(f, stranger, pa[i], seqs[i]);
			break;
		}
		memcpy(pb[i], pa[i], lens[i]);
	}
	framing_sa_free(stranger);
	return 0;
}

/* How many of the mixed list's verdicts and views a (packets pa) and b
 * (packets pb) agree on; seen counts b's verdicts. */
static unsigned agree(uint8_t *const *pa, const struct framing_out *oa,
		      const uint8_t *va, uint8_t *const *pb,
		      const struct framing_out *ob, const uint8_t *vb,
		      unsigned *seen)
{
	unsigned same = 0;

	for (unsigned i = 0; i < MIXED; i++) {
		int ok = va[i] == vb[i] && oa[i].seq == ob[i].seq;

		if (ok && va[i] == 0)
			ok = oa[i].payload - pa[i] == ob[i].payload - pb[i] &&
			     oa[i].len == ob[i].len &&
			     oa[i].is_proto_ok == ob[i].is_proto_ok &&
			     !memcmp(oa[i].payload, ob[i].payload, ob[i].len);
		same += ok;
		seen[vb[i] < FRAMING_VERDICTS_MAX ? vb[i] : 0]++;
	}
	return same;
}

static int same_counts(const struct framing_ops *f, const uint64_t *a,
		       const uint64_t *b)
{
	return !memcmp(a, b, f->n_verdicts * sizeof(uint64_t));
}

/* The mixed list opened in one call (bursts of BURST) and one packet a
 * call: the same verdicts, views and counters. With one SA, also as
 * framing_decap_burst on a plain SA of the same description opens it. */
static void mixed(const struct tcase *c, const struct framing_ops *f,
		  const struct framing_sa_desc *d, unsigned n,
		  const uint32_t *used, unsigned m)
{
	static struct framing_sa_desc td[USED];
	static uint8_t *pa[MIXED], *pb[MIXED], *pc[MIXED];
	static uint8_t va[MIXED], vb[MIXED], vc[MIXED];
	static size_t lens[MIXED];
	static struct framing_out oa[MIXED], ob[MIXED], oc[MIXED];
	struct sadb *tx_a = NULL, *tx_b = NULL, *rx_a = NULL, *rx_b = NULL;
	struct ncb_err e = { "" };
	void *plain = NULL;
	unsigned same, seen[FRAMING_VERDICTS_MAX] = { 0 }, counted = 0;

	for (unsigned i = 0; i < m; i++)
		td[i] = d[used[i]];
	if (db_new(&tx_a, f, td, m, 0, "sender") < 0 ||
	    db_new(&tx_b, f, td, m, 0, "sender") < 0 ||
	    db_new(&rx_a, f, d, n, 1, "receiver") < 0 ||
	    db_new(&rx_b, f, d, n, 1, "receiver") < 0)
		goto out;
	if (n == 1 && framing_sa_new(f, &plain, d, 1, &e) < 0) {
		t_check(0, "%s: plain SA: %s", f->name, e.msg);
		goto out;
	}
	if (mixed_list(c, f, tx_a, tx_b, m, lens, d->seq_first + 100) < 0)
		goto out;
	for (unsigned i = 0; i < MIXED; i++) {
		pa[i] = store_a[i];
		pb[i] = store_b[i];
		pc[i] = store_c[i];
		memcpy(pc[i], pa[i], lens[i]);
	}
	sadb_decap(rx_a, pa, lens, oa, va, MIXED, BURST);
	for (unsigned i = 0; i < MIXED; i++)
		sadb_decap(rx_b, &pb[i], &lens[i], &ob[i], &vb[i], 1, 1);
	same = agree(pa, oa, va, pb, ob, vb, seen);
	for (unsigned i = 0; i < m; i++)
		counted += same_counts(f, framing_counts(sadb_at(rx_a, used[i])),
				       framing_counts(sadb_at(rx_b, used[i])));
	counted += same_counts(f, sadb_counts(rx_a), sadb_counts(rx_b));
	t_check(same == MIXED && counted == m + 1,
		"%s %u: a mixed list opens in one call as one packet a call (%u of %d, counters %u of %u)",
		f->name, n, same, MIXED, counted, m + 1);
	t_check(seen[0] > MIXED / 2 && seen[at_tag(f)] &&
			seen[f->v_unknown_sa] == MIXED / 17 && seen[1],
		"%s %u: the list holds accepted, forged, unknown and truncated packets (%u %u %u %u)",
		f->name, n, seen[0], seen[at_tag(f)], seen[f->v_unknown_sa], seen[1]);
	if (!plain)
		goto out;
	framing_decap_burst(f, plain, pc, lens, oc, vc, MIXED);
	same = agree(pc, oc, vc, pa, oa, va, seen);
	t_check(same == MIXED &&
			same_counts(f, framing_counts(plain),
				    framing_counts(sadb_at(rx_a, 0))),
		"%s 1: the database opens as framing_decap_burst on its SA (%u of %d)",
		f->name, same, MIXED);
out:
	framing_sa_free(plain);
	sadb_free(tx_a);
	sadb_free(tx_b);
	sadb_free(rx_a);
	sadb_free(rx_b);
}

static void report(const struct framing_ops *f, const struct tcase *c,
		   const struct sadb_stats *st)
{
	double per = st->count ? (double)st->bytes / st->count : 0;

	printf("test_sadb: %s %s/%s: %u receiving SAs made in %.3f s (%.0f SAs/s), %.0f heap bytes per SA\n",
	       f->name, c->cipher, c->backend, st->count, st->create_s,
	       st->create_s > 0 ? st->count / st->create_s : 0, per);
	/* A sanitizer's allocator is not glibc's: mallinfo2 then sees
	 * nothing, and the bound holds trivially. */
	t_check(per <= (double)c->bytes_max,
		"%s %u: %.0f bytes per SA, bound %zu", f->name, st->count, per,
		c->bytes_max);
}

static void run_case(const struct tcase *c)
{
	const struct framing_ops *f = framing_find(c->framing);
	struct framing_sa_desc *d = NULL, td[USED];
	struct sadb *rx = NULL, *tx = NULL;
	struct sadb_stats st;
	uint32_t used[USED];
	unsigned m;

	if (aead_probe(c->cipher, c->backend) < 0) {
		printf("test_sadb: %s %s/%s: no backend, skipped\n", c->framing,
		       c->cipher, c->backend);
		return;
	}
	d = descs_new(c, f, c->n);
	if (!d) {
		t_check(0, "%s %u: descriptions", c->framing, c->n);
		return;
	}
	if (db_new(&rx, f, d, c->n, 1, "receiver") < 0)
		goto out;
	sadb_stats(rx, &st);
	t_check(st.count == c->n && st.create_s > 0, "%s %u: stats", f->name,
		c->n);
	report(f, c, &st);
	idents(f, rx, d, c->n);
	m = pick(c->n, used);
	for (unsigned i = 0; i < m; i++)
		td[i] = d[used[i]];
	if (db_new(&tx, f, td, m, 0, "sender") < 0)
		goto out;
	accepts(f, tx, rx, used, m, d->seq_first + 1);
	strangers(c, f, rx, used[m - 1], d->seq_first + 2);
	windows(f, tx, rx, m, d->seq_first + 3);
	if (c->n <= MIXED_MAX_SAS)
		mixed(c, f, d, c->n, used, m);
out:
	explicit_bzero(td, sizeof(td));
	sadb_free(tx);
	sadb_free(rx);
	descs_free(d, c->n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of n identifiers repeat (sorts them). */
static size_t repeats(uint64_t *v, size_t n)
{
	size_t r = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 1; i < n; i++)
		r += v[i] == v[i - 1];
	return r;
}

/* The identifiers the framings make without a database: SA 0 keeps one
 * SA's (ESP 0x100 * (direction + 1) + pair, the wg index id + 1, the
 * MACsec SCI of port 1); every SA of one direction differs from every
 * other, for all SADB_MAX (directions 1 and 8191, the last of 4096
 * pairs); SAs of different directions differ while the 32-bit ones have
 * not wrapped (k below 2^19 - 2); an SPI is never 0..255. */
static void ident_space(void)
{
	static const char *const names[] = { "esp", "macsec", "wg" };
	static const uint32_t ids[] = { 1, 8191 };
	static const uint32_t ks[] = { 0, 1, 2, 3, 1000, 65534, 65535, 65536,
				       131069, 131070, 131071, 400000, 524284 };
	enum { CROSS_IDS = 16 };
	uint64_t *v = calloc(SADB_MAX, sizeof(*v));
	uint64_t cross[CROSS_IDS * NCB_ARRAY_SIZE(ks)];

	if (!v) {
		t_check(0, "identifiers: memory");
		return;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(names); i++) {
		const struct framing_ops *f = framing_find(names[i]);
		struct tcase c = { names[i], "aes-128-gcm", "openssl", 0, 0 };
		struct framing_sa_desc d;
		size_t reserved = 0, n = 0, old = 0;

		desc_fill(&d, &c, f, 0, KEYS);
		for (size_t j = 0; j < NCB_ARRAY_SIZE(ids); j++) {
			d.id = ids[j];
			for (uint32_t k = 0; k < SADB_MAX; k++) {
				d.sa = k;
				v[k] = f->sa_ident(&d);
				reserved += !strcmp(names[i], "esp") &&
					    (v[k] < 256 || v[k] > UINT32_MAX);
			}
			t_check(repeats(v, SADB_MAX) == 0 && !reserved,
				"%s direction %u: %u distinct identifiers (%zu reserved)",
				names[i], ids[j], (unsigned)SADB_MAX, reserved);
		}
		for (uint32_t id = 0; id < CROSS_IDS; id++) {
			/* Pairs 0..3 and 4092..4095, both directions. */
			d.id = id < CROSS_IDS / 2 ? id : 8192 - CROSS_IDS + id;
			for (size_t j = 0; j < NCB_ARRAY_SIZE(ks); j++) {
				d.sa = ks[j];
				cross[n++] = f->sa_ident(&d);
			}
			d.sa = 0;
			if (!strcmp(names[i], "esp"))
				old += f->sa_ident(&d) ==
				       0x100u * (d.id % 2 + 1) + d.id / 2;
			else if (!strcmp(names[i], "wg"))
				old += f->sa_ident(&d) == d.id + 1;
			else
				old += (f->sa_ident(&d) & 0xffff) == 1;
		}
		t_check(repeats(cross, n) == 0 && old == CROSS_IDS,
			"%s: identifiers of %u directions differ, SA 0 keeps its own (%zu of %u)",
			names[i], (unsigned)CROSS_IDS, old, (unsigned)CROSS_IDS);
		explicit_bzero(&d, sizeof(d));
	}
	free(v);
}

/* What sadb_new refuses. */
static void refusals(void)
{
	static const struct tcase esp = { "esp", "aes-128-gcm", "openssl", 2, 0 };
	static const struct tcase rec = { "tls13-records", "aes-128-gcm", "openssl", 2, 0 };
	static const struct tcase mac = { "macsec", "aes-128-gcm", "openssl", 2, 0 };
	const struct framing_ops *f = framing_find("esp");
	struct framing_sa_desc d[2];
	struct ncb_err e = { "" };
	struct sadb *db = NULL;
	int rc;

	desc_fill(&d[0], &esp, f, 0, KEYS);
	desc_fill(&d[1], &esp, f, 1, KEYS);
	d[0].ident = d[1].ident = 0x12345678;
	rc = sadb_new(&db, f, d, 2, 1, NULL, &e);
	t_check(rc == -EINVAL && !db && strstr(e.msg, "repeat"),
		"esp: repeating SPIs refused (%d: %s)", rc, e.msg);
	rc = sadb_new(&db, f, d, 0, 1, NULL, &e);
	t_check(rc == -EINVAL && !db, "esp: no SAs refused (%d)", rc);
	rc = sadb_new(&db, f, d, SADB_MAX + 1, 1, NULL, &e);
	t_check(rc == -EINVAL && !db, "esp: more than SADB_MAX refused (%d)", rc);

	f = framing_find("tls13-records");
	desc_fill(&d[0], &rec, f, 0, KEYS);
	desc_fill(&d[1], &rec, f, 1, KEYS);
	rc = sadb_new(&db, f, d, 2, 1, NULL, &e);
	t_check(rc == -EINVAL && !db, "records: two SAs refused (%d: %s)", rc, e.msg);
	rc = sadb_new(&db, f, d, 1, 1, NULL, &e);
	t_check(rc == 0 && db, "records: one SA made (%d: %s)", rc, e.msg);
	sadb_free(db);
	db = NULL;

	/* --sci es: every SA's SCI is the port's, implied by the source
	 * address; two of them repeat. */
	f = framing_find("macsec");
	for (unsigned k = 0; k < 2; k++) {
		unsigned es = 1;

		desc_fill(&d[k], &mac, f, k, KEYS);
		for (size_t i = 0; i < f->opts_count; i++)
			if (!strcmp(f->opts[i].name, "sci"))
				memcpy(d[k].opts + f->opts[i].offset, &es, sizeof(es));
	}
	rc = sadb_new(&db, f, d, 2, 1, NULL, &e);
	t_check(rc == -EINVAL && !db && strstr(e.msg, "repeat"),
		"macsec --sci es: two SAs refused (%d: %s)", rc, e.msg);
	explicit_bzero(d, sizeof(d));
	t_check(framing_registry_check(&e) == 0, "registry: %s", e.msg);
}

/* Creation rate and memory of every backend of esp aes-128-gcm. */
static void backends(void)
{
	enum { N = 10000 };

	for (size_t b = 0; b < aead_backend_count(); b++) {
		struct tcase c = { "esp", "aes-128-gcm", aead_backend_name(b), N,
				   BYTES_MAX };
		const struct framing_ops *f = framing_find("esp");
		struct framing_sa_desc *d;
		struct sadb *db = NULL;
		struct sadb_stats st;

		if (!strcmp(c.backend, "null") || aead_probe(c.cipher, c.backend) < 0)
			continue;
		/* intel-ipsec-mb: each context holds its own job manager
		 * (about 200 KiB), which no SA count can afford: a bound
		 * that says so until contexts share one. */
		if (!strcmp(c.backend, "ipsec-mb")) {
			c.bytes_max = IPSECMB_BYTES_MAX;
			c.n = N / 10;
		}
		d = descs_new(&c, f, c.n);
		if (d && db_new(&db, f, d, c.n, 1, c.backend) == 0) {
			sadb_stats(db, &st);
			report(f, &c, &st);
		}
		sadb_free(db);
		descs_free(d, c.n);
	}
}

int main(void)
{
	for (size_t i = 0; i < LEN; i++)
		pattern[i] = (uint8_t)(i * 131 + 7);
	refusals();
	ident_space();
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	backends();
	run_case(&million);
	return t_done("test_sadb");
}
