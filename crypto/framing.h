/* Framings: how a protocol carries sealed payloads on the wire (IPsec ESP,
 * MACsec, TLS-style records, WireGuard data messages). One const ops
 * struct per framing, listed in crypto/framing.c. The traffic patterns of
 * workloads/ (flow, stream, rr) reach a framing only through these ops;
 * `kat` and `list` iterate the table. Verdict names, classes and stages
 * exist once, in the framing's table. */
#ifndef NCB_CRYPTO_FRAMING_H
#define NCB_CRYPTO_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/aead.h"
#include "crypto/inner.h"
#include "crypto/kat.h"
#include "io/ncb.h"

struct net_cfg;

enum { FRAMING_ABI = 1 };

enum {
	FRAMING_NAME_MAX = 32,
	FRAMING_KEYMAT = 80,      /* key material of one direction */
	FRAMING_OPTS_MAX = 64,    /* bytes of a framing's option struct */
	FRAMING_VERDICTS_MAX = 9, /* verdicts of a framing, ok included */
	FRAMING_BURST_MAX = AEAD_BURST_MAX, /* packets per burst hook call */
};

enum framing_flags {
	FRAMING_F_DATAGRAM = 1u << 0, /* decap: one packet per datagram */
	FRAMING_F_STREAM = 1u << 1,   /* feed: records cut anywhere (TCP) */
	FRAMING_F_SEQ0 = 1u << 2,     /* without seq_first: counters start
				       * at 0 (records, WireGuard), not 1 */
};

/* How a verdict counts in a result. */
enum verdict_class {
	VERDICT_OK,
	VERDICT_AUTH,   /* not authenticated: forged, unknown SA */
	VERDICT_REPLAY, /* refused by the replay window */
	VERDICT_BROKEN, /* malformed, or wrong although authentic */
};

/* Where a refusal happened. Anyone can send bytes to a UDP port: a
 * packet refused before it authenticated says nothing about its sender.
 * At the tag check of the receiver's own SA the packet's sequence number
 * says whether it may be one the peer sent; a packet found wrong after it
 * authenticated can only come from the peer, which is then broken. */
enum verdict_stage {
	VERDICT_BEFORE_AUTH, /* also ok */
	VERDICT_AT_TAG,      /* the SA's tag check failed */
	VERDICT_AFTER_AUTH,
};

/* Verdict v of a framing: 0 is "ok"; the others are reject counters,
 * named in result documents as given here. */
struct framing_verdict {
	const char *name;
	uint8_t cls;   /* enum verdict_class */
	uint8_t stage; /* enum verdict_stage */
};

/* Verdict 0 of every table. */
#define FRAMING_VERDICT_OK { "ok", VERDICT_OK, VERDICT_BEFORE_AUTH }

/* The option of a datagram framing's anti-replay window (a sliding
 * window as RFC 4303 §3.4.3 keeps it, crypto/replay.h), at member m of
 * option struct T; check it with framing_check_window(). */
#define FRAMING_OPT_REPLAY_WINDOW(T, m)                                   \
	{ "replay-window", NCB_OPT_UINT, offsetof(T, m), "1024",          \
	  "anti-replay window (0: strict order)", NULL }

/* One direction of one pair's security association, as both halves of a
 * pattern agree on it: plain data without pointers, so it can cross a
 * pipe or a control channel. Wipe it after use (it holds keys). */
struct framing_sa_desc {
	char framing[FRAMING_NAME_MAX];
	char cipher[FRAMING_NAME_MAX];
	char backend[FRAMING_NAME_MAX];
	uint8_t keymat[FRAMING_KEYMAT]; /* key, then salt/IV (framing's use) */
	uint32_t id;        /* pair * 2 + direction: the framing maps it to
			     * its SPI, SCI or receiver index */
	uint32_t family;    /* 4 or 6: the IP version of the path */
	uint64_t seq_first; /* the sender's first sequence number */
	/* --sas: this SA's index among its direction's SAs (0..n-1), and
	 * its identifier on the wire (SPI, SCI, receiver index); ident 0:
	 * the framing's own for (id, sa), framing_sa_ident(). */
	uint32_t sa;
	uint64_t ident;
	/* A link framing's frames of this direction: destination, then
	 * source MAC. All zero: the framing's own one-host link decides. */
	uint8_t link_macs[12];
	/* The framing's option struct (unsigned members only). */
	_Alignas(8) unsigned char opts[FRAMING_OPTS_MAX];
};

/* How SA files (workloads/safile.h) name a framing's SA identifier:
 * its key in an SA's object, its width (64: written as 16 hex digits,
 * else a JSON integer) and its smallest valid value. key NULL: the
 * framing has no identifier a file can give. Plain data. */
struct framing_ident {
	const char *key;   /* "spi", "sci", "index" */
	uint8_t bits;      /* 32 or 64 */
	uint64_t min;      /* ESP: 256 (RFC 4303 §2.1: 1..255 reserved) */
};

/* What one packet of a framing is on a wire, for a capture
 * (workloads/capture.h): an Ethernet frame already (is_frame), or the
 * payload of an IP packet of protocol ip_proto (with ip_proto 17, of a
 * UDP datagram to udp_port), whose headers the capture makes. All zero:
 * no capture form (records on a TCP stream). Plain data. */
struct framing_capture {
	uint8_t is_frame;
	uint8_t ip_proto;
	uint16_t udp_port;
};

/* One direction's SA as framing.c keeps it: the first member of each
 * framing's own side struct (which adds its protocol's SA and what its
 * per-packet hooks need), made by framing_sa_new() in one allocation of
 * ops->side_size bytes. */
struct framing_side {
	const struct framing_ops *f;
	int is_rx;              /* receives (decap, feed), else sends */
	size_t hdr_len;         /* bytes before the inner packet */
	const uint64_t *counts; /* the protocol SA's n_verdicts counters */
	char cipher[FRAMING_NAME_MAX];                    /* as in the desc */
	_Alignas(8) unsigned char opts[FRAMING_OPTS_MAX]; /* as in the desc */
};

/* What decap or feed hands back for one packet. */
struct framing_out {
	uint8_t *payload; /* the inner packet */
	size_t len;
	uint64_t seq;     /* also set on a failed tag check: the claimed one */
	int is_proto_ok;  /* next header / EtherType names the inner kind */
};

struct framing_ops {
	const char *name;    /* --framing NAME, and the kat family */
	const char *summary; /* one line for `list` and --help */
	unsigned abi;        /* FRAMING_ABI */
	unsigned flags;      /* enum framing_flags */
	/* SA files and captures: the identifier's name, the wire form, and
	 * (optional, NULL: none) how many bytes of salt an SA of cipher
	 * with opts reads at keymat + AEAD_KEY_MAX. */
	struct framing_ident ident;
	struct framing_capture capture;
	size_t (*salt_len)(const void *opts, const char *cipher);
	const struct ncb_opt *opts; /* the framing's own options */
	size_t opts_count;
	size_t opts_size;    /* <= FRAMING_OPTS_MAX */

	/* Refuses what the framing cannot carry (cipher, option mix) and
	 * gives the inner packet sizes it can: [*min_len, *max_len]. */
	int (*check)(const void *opts, const char *cipher, int family,
		     size_t *min_len, size_t *max_len, struct ncb_err *e);
	/* The kind of inner packet it carries (crypto/inner.h), when its
	 * options or the path's family decide it; else (NULL) inner_kind.
	 * framing_inner() says which. */
	enum inner_kind (*inner)(const void *opts, int family);
	enum inner_kind inner_kind;
	/* The name a result document gives it with its options and cipher,
	 * e.g. "esp-tunnel-esn", "macsec-nonstandard"; and its transport,
	 * e.g. "udp6", "raw". */
	void (*label)(const void *opts, const char *cipher, char *buf,
		      size_t len);
	/* NULL: UDP or TCP by flags (framing_transport()). */
	const char *(*transport)(const void *opts, int family);
	/* The largest packet it makes of an inner packet of len bytes with
	 * cipher, before any SA exists (the engines' buffers are sized by
	 * it; ESP's header and ICV follow the suite). */
	size_t (*packet_max)(const void *opts, const char *cipher, size_t len);
	/* The first sequence number a sender uses (NULL: 0 with
	 * FRAMING_F_SEQ0, else 1; framing_seq_first()). */
	uint64_t (*seq_first)(const void *opts);
	/* Optional: a link of its own instead of UDP or TCP on loopback
	 * (MACsec frames on a veth pair). link_new makes it for `pairs`
	 * pairs and packets up to pkt_max bytes, or sets *link to NULL when
	 * opts ask for loopback; link_open opens pair index's sockets on
	 * it; link_free (NULL ok) lets it go once the sockets are closed. */
	int (*link_new)(void **link, const void *opts, unsigned pairs,
			size_t pkt_max, struct ncb_err *e);
	int (*link_open)(void *link, struct net_cfg *cfg, unsigned index,
			 int *tx_fd, int *rx_fd, struct ncb_err *e);
	void (*link_free)(void *link);
	/* With a link: the EtherType of its frames, which raw sockets on
	 * an interface between two hosts take (io/rawlink.h). */
	uint16_t ethertype;
	/* Optional: what the framing makes of alg for `list` (a suite
	 * name, "non-standard"), or NULL if it cannot carry it; "null" is
	 * the same for all (framing_alg_note()). */
	const char *(*alg_note)(const char *alg);

	/* Per SA (struct framing_side, made through framing_sa_new());
	 * the per-packet hooks allocate nothing. side_size: bytes of the
	 * framing's side struct; sa_what names its SA in an error ("an ESP
	 * SA"). sa_init makes the protocol's SA of d in s (f, is_rx,
	 * hdr_len and opts are set) and sets s->counts, and s->hdr_len
	 * when hdr_len (the payload offset of every SA) is 0: 0 or a
	 * negative errno. sa_fini frees what sa_init made, also half of
	 * it. The per-packet hooks below get the side as sa. */
	size_t side_size;
	size_t hdr_len;
	const char *sa_what;
	int (*sa_init)(struct framing_side *s, const struct framing_sa_desc *d);
	void (*sa_fini)(struct framing_side *s);
	/* The packet of an inner packet of len bytes (NULL: packet_max of
	 * the SA's options and cipher, for a layout they fix). */
	size_t (*packet_len)(const struct framing_side *s, size_t len);
	/* Frames and seals the inner packet at pkt +
	 * framing_payload_off(sa): the packet length or a negative errno. */
	long (*encap)(void *sa, uint8_t *pkt, size_t len, uint64_t seq);
	/* Datagrams: a verdict, 0 accepted (out filled). */
	unsigned (*decap)(void *sa, uint8_t *pkt, size_t len,
			  struct framing_out *out);
	/* Optional burst forms of encap and decap over n (<=
	 * FRAMING_BURST_MAX) packets, which seal or open through one
	 * aead_seal_burst/aead_open_burst call: rcs[i], or verdicts[i] and
	 * outs[i], exactly what n encap or decap calls in order would give
	 * (a replayed number later in the same burst is still "replayed").
	 * NULL: framing_encap_burst/framing_decap_burst call encap/decap n
	 * times. */
	void (*encap_burst)(void *sa, uint8_t *const *pkts, const size_t *lens,
			    const uint64_t *seqs, long *rcs, unsigned n);
	void (*decap_burst)(void *sa, uint8_t *const *pkts, const size_t *lens,
			    struct framing_out *outs, uint8_t *verdicts,
			    unsigned n);
	/* Streams, instead of decap: takes one received piece, cut
	 * anywhere, and opens the packets it completes: up to max verdicts
	 * and views, valid until the next call; how many or a negative
	 * errno. feed_max: most one piece can complete. */
	int (*feed)(void *sa, uint8_t *piece, size_t len,
		    struct framing_out *outs, uint8_t *verdicts, unsigned max);
	unsigned feed_max;
	const struct framing_verdict *verdicts;
	unsigned n_verdicts;
	/* The verdict of a datagram larger than the receive buffer (the
	 * kernel cut it): counted by the pattern, never opened. */
	unsigned v_oversize;

	/* Optional, for many SAs per direction (--sas, crypto/sadb.h):
	 * sa_ident is the identifier on the wire (SPI, SCI, receiver index)
	 * of d's SA when d->ident is 0, distinct for every (id, sa) pair;
	 * pkt_ident reads the identifier a received packet names into
	 * *ident: 0, or -1 when the packet is too short to name one (its
	 * SA's decap then refuses it). v_unknown_sa is the verdict of a
	 * packet naming no SA of the receiver. NULL: one SA per direction
	 * (--sas 1 only). */
	uint64_t (*sa_ident)(const struct framing_sa_desc *d);
	int (*pkt_ident)(const void *opts, const uint8_t *pkt, size_t len,
			 uint64_t *ident);
	unsigned v_unknown_sa;

	/* Known answers of its vector family (tests/vectors/NAME.json,
	 * "family": kat_family): form check, then run. */
	const char *kat_family;
	int (*kat_validate)(json_t *v, const char *where, struct ncb_err *e);
	void (*kat_run)(json_t *v, struct kat_tally *t);
};

/* In a framing's ops initializer: the ABI, its side struct T and the
 * hooks every framing has, which its file defines as static functions
 * of these names. */
#define FRAMING_COMMON(T)                                                 \
	.abi = FRAMING_ABI, .side_size = sizeof(T), .check = check,       \
	.label = label, .packet_max = packet_max,                         \
	.alg_note = alg_note, .sa_init = sa_init, .sa_fini = sa_fini,     \
	.encap = encap

/* Its vector family (tests/vectors/FAMILY.json) and their hooks. */
#define FRAMING_KAT(family, validate, run)                                \
	.kat_family = (family), .kat_validate = (validate), .kat_run = (run)

/* A framing's option table and struct T, in its ops initializer. */
#define FRAMING_OPTS(T, table)                                            \
	.opts = (table), .opts_count = NCB_ARRAY_SIZE(table),             \
	.opts_size = sizeof(T)

/* A datagram framing's verdict table and the verdict of an oversize
 * datagram, in its ops initializer. */
#define FRAMING_VERDICTS(table, oversize)                                 \
	.verdicts = (table), .n_verdicts = NCB_ARRAY_SIZE(table),         \
	.v_oversize = (oversize)

/* The AEAD of d: its cipher, backend and key (at the start of keymat,
 * as long as the cipher's key); borrowed from d. */
struct aead_spec framing_aead(const struct framing_sa_desc *d);

/* The wire identifier of d's SA: d->ident, or f's own for (id, sa)
 * (0 when f has no sa_ident). Framings' sa_init use it. */
uint64_t framing_sa_ident(const struct framing_ops *f,
			  const struct framing_sa_desc *d);

/* For a framing's sa_ident: a 32-bit identifier of SA sa (>= 1) of
 * direction id, base + (sa - 1) * 8192 + id, wrapped modulo the odd
 * 2^32 - 1 - base past the top: in [base, 2^32 - 2], distinct for every
 * sa of one id (any sa below 2^32 - 1 - base, so every --sas), and for
 * every (id < 8192, sa) until the wrap (sa below about 2^19 - base /
 * 8192). base: a multiple of 8192 above the framing's identifiers of SA
 * 0, so SA sa of id reads (sa - 1 + base / 8192) << 13 | id. */
uint32_t framing_ident32(uint32_t id, uint32_t sa, uint32_t base);

/* One direction's SA of framing f made from d (the traffic patterns'
 * only way to one): 0, or a negative errno with e. *sa (caller frees
 * with framing_sa_free(), which accepts NULL) goes to f's per-packet
 * hooks and to the accessors below. Not thread-safe per SA. */
NCB_MUST_CHECK int framing_sa_new(const struct framing_ops *f, void **sa,
				  const struct framing_sa_desc *d, int is_rx,
				  struct ncb_err *e);
void framing_sa_free(void *sa);
/* Where the inner packet goes in a packet of sa, and the packet's length
 * for an inner packet of len bytes. */
size_t framing_payload_off(const void *sa);
size_t framing_packet_len(const void *sa, size_t len);
/* Encap or decap n packets of sa (any n; bursts of at most
 * FRAMING_BURST_MAX through f's burst hooks, or one packet at a time
 * without them), with the results the per-packet hooks give. */
void framing_encap_burst(const struct framing_ops *f, void *sa,
			 uint8_t *const *pkts, const size_t *lens,
			 const uint64_t *seqs, long *rcs, unsigned n);
void framing_decap_burst(const struct framing_ops *f, void *sa,
			 uint8_t *const *pkts, const size_t *lens,
			 struct framing_out *outs, uint8_t *verdicts,
			 unsigned n);
/* sa's counters by verdict (n_verdicts entries; borrowed, live). */
const uint64_t *framing_counts(const void *sa);

/* The transport and first sequence number of f with opts, through its
 * hook or the default its flags say. */
const char *framing_transport(const struct framing_ops *f, const void *opts,
			      int family);
uint64_t framing_seq_first(const struct framing_ops *f, const void *opts);
enum inner_kind framing_inner(const struct framing_ops *f, const void *opts,
			      int family);
/* Bytes of salt an SA of f with opts and cipher reads after its key
 * (0 without f->salt_len). */
size_t framing_salt_len(const struct framing_ops *f, const void *opts,
			const char *cipher);
/* What f makes of alg for `list`, or NULL (no note, or it cannot). */
const char *framing_alg_note(const struct framing_ops *f, const char *alg);

/* For a framing that carries AEADs only (one nonce, one tag, no IV of
 * its own on the wire): 0, or -EINVAL with e naming framing and cipher
 * when cipher is an encrypt-then-MAC suite. framing_is_etm() says which
 * are, for alg_note. */
NCB_MUST_CHECK int framing_check_aead(const char *framing, const char *cipher,
				      struct ncb_err *e);
int framing_is_etm(const char *alg);

/* 0, or -EINVAL with e when --replay-window is above what
 * crypto/replay.h keeps. */
NCB_MUST_CHECK int framing_check_window(unsigned window, struct ncb_err *e);

/* Registry (framing.c). */
size_t framing_count(void);
const struct framing_ops *framing_at(size_t i);
const struct framing_ops *framing_find(const char *name);
const struct framing_ops *framing_find_kat(const char *family);
/* Checks every entry (ABI, hooks, unique names, verdict table); 0 or
 * fills e. */
NCB_MUST_CHECK int framing_registry_check(struct ncb_err *e);

#endif
