/* Every registered framing through its ops alone: the registry check
 * passes, and for each framing and each cipher it carries here, both
 * sides made from one description round-trip a packet, a flipped byte is
 * refused with a verdict of class AUTH, and (datagrams) the same packet
 * again is refused as a replay; bursts seal and open as one packet a
 * call does. A new framing is tested by registering it. */
#include <errno.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/inner.h"
#include "tests/unit/helpers.h"

enum { LEN = 300, BUF = 4096, OUTS_MAX = 4096 };

static const char *const ciphers[] = { "aes-128-gcm", "aes-256-gcm",
				       "chacha20-poly1305" };

/* One packet from side tx (seq), in buf; its length. */
static size_t make(const struct framing_ops *f, void *tx, enum inner_kind k,
		   uint8_t *buf, uint64_t seq, const uint8_t *pattern)
{
	size_t off = framing_payload_off(tx);
	long n;

	inner_build(k, buf + off, LEN, seq, pattern);
	n = f->encap(tx, buf, LEN, seq);
	t_check(n == (long)framing_packet_len(tx, LEN), "%s: encap length", f->name);
	return n > 0 ? (size_t)n : 0;
}

/* Opens one packet: the verdict, and the view in *out. */
static unsigned open_one(const struct framing_ops *f, void *rx, uint8_t *pkt,
			 size_t len, struct framing_out *out)
{
	static struct framing_out outs[OUTS_MAX];
	static uint8_t vs[OUTS_MAX];
	int n;

	if (f->decap)
		return f->decap(rx, pkt, len, out);
	n = f->feed(rx, pkt, len, outs, vs, OUTS_MAX);
	t_check(n == 1, "%s: one record fed, %d opened", f->name, n);
	if (n != 1)
		return ~0u;
	*out = outs[0];
	return vs[0];
}

static void one(const struct framing_ops *f, const char *cipher,
		const char *backend)
{
	struct framing_sa_desc d = { .id = 0, .family = 4 };
	uint8_t pattern[LEN], a[BUF], b[BUF], c[BUF];
	void *tx = NULL, *rx = NULL, *rx2 = NULL;
	struct framing_out out = { 0 };
	struct ncb_err e = { "" };
	size_t len, lo, hi;
	enum inner_kind k;
	uint64_t seq;
	unsigned v;

	snprintf(d.framing, sizeof(d.framing), "%s", f->name);
	snprintf(d.cipher, sizeof(d.cipher), "%s", cipher);
	snprintf(d.backend, sizeof(d.backend), "%s", backend);
	for (size_t i = 0; i < sizeof(d.keymat); i++)
		d.keymat[i] = (uint8_t)(i * 13 + 5);
	t_framing_defaults(f, d.opts);
	d.seq_first = framing_seq_first(f, d.opts);
	seq = d.seq_first;
	for (size_t i = 0; i < LEN; i++)
		pattern[i] = (uint8_t)(i * 131 + 7);
	k = framing_inner(f, d.opts, 4);
	t_check(f->check(d.opts, cipher, 4, &lo, &hi, &e) == 0 && lo <= LEN &&
			hi >= LEN,
		"%s %s: check accepts %d bytes (%s)", f->name, cipher, LEN, e.msg);
	if (framing_sa_new(f, &tx, &d, 0, &e) < 0 ||
	    framing_sa_new(f, &rx, &d, 1, &e) < 0 ||
	    framing_sa_new(f, &rx2, &d, 1, &e) < 0) {
		t_check(0, "%s %s/%s: sa_new: %s", f->name, cipher, backend, e.msg);
		goto out;
	}
	len = make(f, tx, k, a, seq, pattern);
	memcpy(b, a, len);
	memcpy(c, a, len);
	/* A flipped byte in the sealed part: not authentic. */
	b[len - framing_payload_off(tx) / 2 - 20] ^= 0x10;
	v = open_one(f, f->decap ? rx : rx2, b, len, &out);
	t_check(v < f->n_verdicts && v != 0 &&
			f->verdicts[v].cls == VERDICT_AUTH,
		"%s %s/%s: flipped byte refused as AUTH (verdict %u)", f->name,
		cipher, backend, v);
	v = open_one(f, rx, a, len, &out);
	t_check(v == 0 && out.len == LEN && out.is_proto_ok &&
			inner_check(k, out.payload, out.len, seq, pattern) == 0,
		"%s %s/%s: round trip (verdict %u)", f->name, cipher, backend, v);
	if (f->decap) {
		v = open_one(f, rx, c, len, &out);
		t_check(v < f->n_verdicts && f->verdicts[v].cls == VERDICT_REPLAY,
			"%s %s/%s: replay refused as REPLAY (verdict %u)", f->name,
			cipher, backend, v);
	}
	t_check(framing_counts(rx)[0] == 1, "%s: counts one accepted", f->name);
out:
	if (tx)
		framing_sa_free(tx);
	if (rx)
		framing_sa_free(rx);
	if (rx2)
		framing_sa_free(rx2);
}

/* A datagram framing's bursts against one packet a call: N packets
 * sealed in bursts are as long as those sealed one at a time and open;
 * a list of them with copies (one right behind its original), a
 * forgery, a truncated and a foreign one opens in bursts with the
 * verdicts, views and counters one at a time gives. Framings without
 * burst hooks run framing.c's fallback. */
static void bursts(const struct framing_ops *f, const char *cipher,
		   const char *backend)
{
	enum { N = 70 };
	static uint8_t a[N][BUF], b[N][BUF], pattern[LEN];
	struct framing_sa_desc d = { .id = 4, .family = 4 };
	struct framing_out oa[N], ob[N];
	struct ncb_err e = { "" };
	uint8_t *pa[N], *pb[N], va[N], vb[N];
	size_t plens[N], lens[N];
	uint64_t seqs[N];
	long rcs[N];
	void *tx1 = NULL, *tx2 = NULL, *rx1 = NULL, *rx2 = NULL;
	unsigned same = 0, opened = 0;
	enum inner_kind k;

	snprintf(d.framing, sizeof(d.framing), "%s", f->name);
	snprintf(d.cipher, sizeof(d.cipher), "%s", cipher);
	snprintf(d.backend, sizeof(d.backend), "%s", backend);
	for (size_t i = 0; i < sizeof(d.keymat); i++)
		d.keymat[i] = (uint8_t)(i * 13 + 5);
	for (size_t i = 0; i < LEN; i++)
		pattern[i] = (uint8_t)(i * 131 + 7);
	t_framing_defaults(f, d.opts);
	d.seq_first = framing_seq_first(f, d.opts);
	k = framing_inner(f, d.opts, 4);
	if (framing_sa_new(f, &tx1, &d, 0, &e) < 0 ||
	    framing_sa_new(f, &tx2, &d, 0, &e) < 0 ||
	    framing_sa_new(f, &rx1, &d, 1, &e) < 0 ||
	    framing_sa_new(f, &rx2, &d, 1, &e) < 0) {
		t_check(0, "%s %s/%s: sa_new: %s", f->name, cipher, backend, e.msg);
		goto out;
	}
	for (unsigned i = 0; i < N; i++) {
		pa[i] = a[i];
		pb[i] = b[i];
		plens[i] = inner_min(k) + i * 7 % (LEN - inner_min(k));
		seqs[i] = d.seq_first + i;
		inner_build(k, a[i] + framing_payload_off(tx1), plens[i], seqs[i],
			    pattern);
		memcpy(b[i] + framing_payload_off(tx1),
		       a[i] + framing_payload_off(tx1), plens[i]);
		rcs[i] = f->encap(tx1, a[i], plens[i], seqs[i]);
	}
	framing_encap_burst(f, tx2, pb, plens, seqs, (long *)lens, N);
	for (unsigned i = 0; i < N; i++)
		same += (long)lens[i] == rcs[i] && rcs[i] > 0;
	/* The burst-sealed list, with copies and bad ones among them. */
	for (unsigned i = 0; i < N; i++) {
		if (i % 10 == 3)
			memcpy(b[i], b[i - 1], lens[i - 1]), lens[i] = lens[i - 1];
		if (i % 10 == 5)
			b[i][lens[i] - 1] ^= 1;
		if (i % 10 == 7)
			lens[i] = 3;
		if (i % 10 == 8)
			b[i][1] ^= 0x20; /* SPI, address or reserved */
		memcpy(a[i], b[i], lens[i]);
	}
	for (unsigned i = 0; i < N; i++)
		va[i] = (uint8_t)f->decap(rx1, pa[i], lens[i], &oa[i]);
	framing_decap_burst(f, rx2, pb, lens, ob, vb, N);
	for (unsigned i = 0; i < N; i++) {
		int ok = va[i] == vb[i];

		if (ok && va[i] == 0)
			ok = oa[i].payload - pa[i] == ob[i].payload - pb[i] &&
			     oa[i].len == ob[i].len && oa[i].seq == ob[i].seq &&
			     oa[i].is_proto_ok == ob[i].is_proto_ok &&
			     !memcmp(oa[i].payload, ob[i].payload, ob[i].len);
		opened += va[i] == 0 && inner_check(k, ob[i].payload, ob[i].len,
						    ob[i].seq, pattern) == 0;
		same += ok;
	}
	t_check(same == 2 * N && opened >= N / 2 &&
			!memcmp(framing_counts(rx1), framing_counts(rx2),
				f->n_verdicts * sizeof(uint64_t)),
		"%s %s/%s: bursts seal and open as one packet a call does (%u of %d)",
		f->name, cipher, backend, same, 2 * N);
out:
	framing_sa_free(tx1);
	framing_sa_free(tx2);
	framing_sa_free(rx1);
	framing_sa_free(rx2);
}

/* What framing.c answers for every framing: an SA the backend cannot
 * make is refused with one line naming the framing's SA and the pair,
 * and leaves nothing behind; transport and first sequence number follow
 * the flags unless a hook says otherwise. */
static void registry_defaults(const struct framing_ops *f)
{
	struct framing_sa_desc d = { 0 };
	struct ncb_err e = { "" };
	void *sa = &d;
	char want[128];
	int is_stream = (f->flags & FRAMING_F_STREAM) != 0;

	snprintf(d.framing, sizeof(d.framing), "%s", f->name);
	snprintf(d.cipher, sizeof(d.cipher), "aes-128-gcm");
	snprintf(d.backend, sizeof(d.backend), "no-such-backend");
	t_framing_defaults(f, d.opts);
	snprintf(want, sizeof(want), "cannot create %s for aes-128-gcm/no-such-backend",
		 f->sa_what);
	t_check(framing_sa_new(f, &sa, &d, 1, &e) < 0 && !sa &&
			strcmp(e.msg, want) == 0,
		"%s: unknown backend refused (%s)", f->name, e.msg);
	if (!f->transport)
		t_check(strcmp(framing_transport(f, d.opts, 6),
			       is_stream ? "tcp6" : "udp6") == 0,
			"%s: default transport", f->name);
	if (!f->seq_first)
		t_check(framing_seq_first(f, d.opts) ==
				((f->flags & FRAMING_F_SEQ0) ? 0u : 1u),
			"%s: default first sequence number", f->name);
	t_check(strcmp(framing_alg_note(f, "null"),
		       "I/O baseline: no protection") == 0,
		"%s: the null cipher's note", f->name);
}

int main(void)
{
	struct ncb_err e = { "" };
	unsigned ran = 0;

	t_check(framing_registry_check(&e) == 0, "registry: %s", e.msg);
	t_check(framing_find("esp") && framing_find("macsec") &&
			framing_find("tls13-records") && !framing_find("nope"),
		"find by name");
	t_check(framing_find_kat("esp") == framing_find("esp"), "find by family");
	for (size_t i = 0; i < framing_count(); i++) {
		const struct framing_ops *f = framing_at(i);

		registry_defaults(f);
		for (size_t c = 0; c < NCB_ARRAY_SIZE(ciphers); c++) {
			for (size_t b = 0; b < aead_backend_count(); b++) {
				if (aead_probe(ciphers[c], aead_backend_name(b)) < 0)
					continue;
				one(f, ciphers[c], aead_backend_name(b));
				ran++;
				break; /* one backend a cipher */
			}
		}
		/* Bursts: every cipher the framing carries, every backend. */
		for (size_t c = 0; (f->flags & FRAMING_F_DATAGRAM) &&
				   c < aead_alg_count(); c++) {
			const char *alg = aead_alg_name(c);

			if (!framing_alg_note(f, alg))
				continue;
			for (size_t b = 0; b < aead_backend_count(); b++)
				if (aead_probe(alg, aead_backend_name(b)) == 0)
					bursts(f, alg, aead_backend_name(b));
		}
	}
	t_check(ran >= framing_count(), "every framing ran (%u)", ran);
	return t_done("test_framing");
}
