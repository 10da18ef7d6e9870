/* The list of framings. Adding one is its own files in crypto/ and a line
 * here; `kat`, `list` and the traffic patterns find it through this. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/framing.h"
#include "crypto/replay.h"

extern const struct framing_ops esp_framing;
extern const struct framing_ops macsec_framing;
extern const struct framing_ops record_framing;
extern const struct framing_ops wg_framing;

static const struct framing_ops *const registry[] = {
	&esp_framing,
	&macsec_framing,
	&record_framing,
	&wg_framing,
};

size_t framing_count(void)
{
	return NCB_ARRAY_SIZE(registry);
}

const struct framing_ops *framing_at(size_t i)
{
	return i < NCB_ARRAY_SIZE(registry) ? registry[i] : NULL;
}

const struct framing_ops *framing_find(const char *name)
{
	for (size_t i = 0; name && i < NCB_ARRAY_SIZE(registry); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

const struct framing_ops *framing_find_kat(const char *family)
{
	for (size_t i = 0; family && i < NCB_ARRAY_SIZE(registry); i++)
		if (registry[i]->kat_family &&
		    strcmp(registry[i]->kat_family, family) == 0)
			return registry[i];
	return NULL;
}

struct aead_spec framing_aead(const struct framing_sa_desc *d)
{
	return (struct aead_spec){ d->cipher, d->backend, d->keymat,
				   aead_key_len(d->cipher), 0 };
}

uint64_t framing_sa_ident(const struct framing_ops *f,
			  const struct framing_sa_desc *d)
{
	if (d->ident)
		return d->ident;
	return f->sa_ident ? f->sa_ident(d) : 0;
}

uint32_t framing_ident32(uint32_t id, uint32_t sa, uint32_t base)
{
	/* The modulus is odd, so (sa - 1) * 8192 is never a multiple of
	 * it: two SAs of one id never meet. */
	uint64_t span = UINT32_MAX - (uint64_t)base;

	return (uint32_t)(base + ((uint64_t)(sa - 1) * 8192 + id) % span);
}

int framing_sa_new(const struct framing_ops *f, void **out,
		   const struct framing_sa_desc *d, int is_rx,
		   struct ncb_err *e)
{
	struct framing_side *s = calloc(1, f->side_size);
	int rc;

	*out = NULL;
	if (!s)
		return ncb_errf(e, -ENOMEM, "out of memory");
	s->f = f;
	s->is_rx = is_rx;
	s->hdr_len = f->hdr_len;
	memcpy(s->cipher, d->cipher, sizeof(s->cipher));
	s->cipher[sizeof(s->cipher) - 1] = 0;
	memcpy(s->opts, d->opts, sizeof(s->opts));
	rc = f->sa_init(s, d);
	if (rc < 0) {
		framing_sa_free(s);
		return ncb_errf(e, rc, "cannot create %s for %s/%s", f->sa_what,
				d->cipher, d->backend);
	}
	*out = s;
	return 0;
}

void framing_sa_free(void *sa)
{
	struct framing_side *s = sa;

	if (!s)
		return;
	s->f->sa_fini(s);
	free(s);
}

size_t framing_payload_off(const void *sa)
{
	const struct framing_side *s = sa;

	return s->hdr_len;
}

size_t framing_packet_len(const void *sa, size_t len)
{
	const struct framing_side *s = sa;

	if (s->f->packet_len)
		return s->f->packet_len(s, len);
	return s->f->packet_max(s->opts, s->cipher, len);
}

void framing_encap_burst(const struct framing_ops *f, void *sa,
			 uint8_t *const *pkts, const size_t *lens,
			 const uint64_t *seqs, long *rcs, unsigned n)
{
	if (!f->encap_burst) {
		for (unsigned i = 0; i < n; i++)
			rcs[i] = f->encap(sa, pkts[i], lens[i], seqs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i += FRAMING_BURST_MAX) {
		unsigned k = n - i < FRAMING_BURST_MAX ? n - i : FRAMING_BURST_MAX;

		f->encap_burst(sa, pkts + i, lens + i, seqs + i, rcs + i, k);
	}
}

void framing_decap_burst(const struct framing_ops *f, void *sa,
			 uint8_t *const *pkts, const size_t *lens,
			 struct framing_out *outs, uint8_t *verdicts,
			 unsigned n)
{
	if (!f->decap_burst) {
		for (unsigned i = 0; i < n; i++)
			verdicts[i] = (uint8_t)f->decap(sa, pkts[i], lens[i],
							&outs[i]);
		return;
	}
	for (unsigned i = 0; i < n; i += FRAMING_BURST_MAX) {
		unsigned k = n - i < FRAMING_BURST_MAX ? n - i : FRAMING_BURST_MAX;

		f->decap_burst(sa, pkts + i, lens + i, outs + i, verdicts + i, k);
	}
}

const uint64_t *framing_counts(const void *sa)
{
	const struct framing_side *s = sa;

	return s->counts;
}

const char *framing_transport(const struct framing_ops *f, const void *opts,
			      int family)
{
	if (f->transport)
		return f->transport(opts, family);
	if (f->flags & FRAMING_F_STREAM)
		return family == 6 ? "tcp6" : "tcp";
	return family == 6 ? "udp6" : "udp";
}

enum inner_kind framing_inner(const struct framing_ops *f, const void *opts,
			      int family)
{
	return f->inner ? f->inner(opts, family) : f->inner_kind;
}

uint64_t framing_seq_first(const struct framing_ops *f, const void *opts)
{
	if (f->seq_first)
		return f->seq_first(opts);
	return f->flags & FRAMING_F_SEQ0 ? 0 : 1;
}

const char *framing_alg_note(const struct framing_ops *f, const char *alg)
{
	if (!f->alg_note)
		return NULL;
	/* The null cipher copies: every framing carries it, unprotected. */
	if (!strcmp(alg, "null"))
		return "I/O baseline: no protection";
	return f->alg_note(alg);
}

size_t framing_salt_len(const struct framing_ops *f, const void *opts,
			const char *cipher)
{
	return f->salt_len ? f->salt_len(opts, cipher) : 0;
}

int framing_is_etm(const char *alg)
{
	const struct aead_info *a = aead_info(alg);

	return a && a->kind == AEAD_KIND_ETM;
}

int framing_check_aead(const char *framing, const char *cipher,
		       struct ncb_err *e)
{
	if (framing_is_etm(cipher))
		return ncb_errf(e, -EINVAL,
				"%s carries AEADs only: %s is an encrypt-then-MAC suite",
				framing, cipher);
	return 0;
}

int framing_check_window(unsigned window, struct ncb_err *e)
{
	if (window > REPLAY_WINDOW_MAX)
		return ncb_errf(e, -EINVAL, "--replay-window: %u is above %u",
				window, (unsigned)REPLAY_WINDOW_MAX);
	return 0;
}

/* The hooks a pattern calls on every framing of its kind. */
static int has_hooks(const struct framing_ops *f)
{
	int is_dgram = (f->flags & FRAMING_F_DATAGRAM) != 0;
	int is_stream = (f->flags & FRAMING_F_STREAM) != 0;

	if (is_dgram == is_stream)
		return 0;
	if (is_dgram ? !f->decap : !f->feed || !f->feed_max)
		return 0;
	if (f->link_new && (!f->link_open || !f->link_free))
		return 0;
	if (f->kat_family && (!f->kat_validate || !f->kat_run))
		return 0;
	if (f->side_size < sizeof(struct framing_side) || !f->sa_what)
		return 0;
	return f->check && f->label && f->packet_max &&
	       f->sa_init && f->sa_fini && f->encap && f->verdicts;
}

static int check_one(const struct framing_ops *f, size_t i,
		     struct ncb_err *e)
{
	if (!f->name || !*f->name || strlen(f->name) >= FRAMING_NAME_MAX)
		return ncb_errf(e, -EINVAL, "framing %zu: no name, or too long", i);
	if (f->abi != FRAMING_ABI)
		return ncb_errf(e, -EINVAL, "framing %s: ABI %u, expected %u",
				f->name, f->abi, FRAMING_ABI);
	if (!has_hooks(f))
		return ncb_errf(e, -EINVAL, "framing %s: missing hook or flag",
				f->name);
	if (f->opts_size > FRAMING_OPTS_MAX || (f->opts_count && !f->opts))
		return ncb_errf(e, -EINVAL, "framing %s: option struct too large",
				f->name);
	for (size_t j = 0; j < f->opts_count; j++)
		if (f->opts[j].offset + sizeof(unsigned) > f->opts_size)
			return ncb_errf(e, -EINVAL, "framing %s: option --%s outside its struct",
					f->name, f->opts[j].name);
	if (f->n_verdicts < 2 || f->n_verdicts > FRAMING_VERDICTS_MAX ||
	    f->verdicts[0].cls != VERDICT_OK)
		return ncb_errf(e, -EINVAL, "framing %s: verdict table", f->name);
	for (unsigned v = 1; v < f->n_verdicts; v++) {
		const struct framing_verdict *d = &f->verdicts[v];

		if (!d->name || d->cls == VERDICT_OK || d->cls > VERDICT_BROKEN ||
		    d->stage > VERDICT_AFTER_AUTH)
			return ncb_errf(e, -EINVAL, "framing %s: verdict %u", f->name, v);
		for (unsigned w = 1; w < v; w++)
			if (!strcmp(f->verdicts[w].name, d->name))
				return ncb_errf(e, -EINVAL, "framing %s: verdict %s twice",
						f->name, d->name);
	}
	if ((f->flags & FRAMING_F_DATAGRAM) && f->v_oversize >= f->n_verdicts)
		return ncb_errf(e, -EINVAL, "framing %s: oversize verdict", f->name);
	/* Many SAs (crypto/sadb.h) need both ends of the lookup and a
	 * verdict for a packet naming none; a stream has one SA. */
	if (!f->sa_ident != !f->pkt_ident)
		return ncb_errf(e, -EINVAL, "framing %s: sa_ident without pkt_ident, or the reverse",
				f->name);
	if (f->sa_ident && (!(f->flags & FRAMING_F_DATAGRAM) ||
			    !f->v_unknown_sa || f->v_unknown_sa >= f->n_verdicts))
		return ncb_errf(e, -EINVAL, "framing %s: unknown-SA verdict", f->name);
	return 0;
}

/* The data SA files and captures read: an identifier of 32 or 64 bits,
 * and a UDP port exactly where UDP carries the packets. */
static int check_file_forms(const struct framing_ops *f, struct ncb_err *e)
{
	const struct framing_capture *c = &f->capture;

	if (f->ident.key && f->ident.bits != 32 && f->ident.bits != 64)
		return ncb_errf(e, -EINVAL, "framing %s: identifier width", f->name);
	if ((c->ip_proto == 17) != (c->udp_port != 0) ||
	    (c->is_frame && c->ip_proto))
		return ncb_errf(e, -EINVAL, "framing %s: capture form", f->name);
	return 0;
}

int framing_registry_check(struct ncb_err *e)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(registry); i++) {
		int rc = check_one(registry[i], i, e);

		if (rc == 0)
			rc = check_file_forms(registry[i], e);

		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(registry[j]->name, registry[i]->name))
				return ncb_errf(e, -EINVAL,
						"framing %s registered twice",
						registry[i]->name);
	}
	return 0;
}
