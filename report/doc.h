/* Result documents read back (schema ncbench.result/1) for report,
 * compare, plan and export: each case with its identity and samples. */
#ifndef NCB_REPORT_DOC_H
#define NCB_REPORT_DOC_H

#include <stddef.h>

#include "io/ncb.h"

#define DOC_SCHEMA "ncbench.result/1"

/* Bounds of what doc_load accepts: anything outside is not a result. */
enum {
	DOC_SAMPLES_MAX = 1000,
	DOC_THREADS_MAX = 65536,
	DOC_WORKERS_MAX = 2 * DOC_THREADS_MAX,
	DOC_PUS_MAX = 1 << 20,
	DOC_OPTIONS_MAX = 64, /* options of one case */
	DOC_REASONS_MAX = 16, /* disturbed_by entries of one sample */
	DOC_HYGIENE_MAX = 64,       /* facts in host.hygiene */
	DOC_HYGIENE_KEY_MAX = 64,   /* bytes of a fact's name */
	DOC_HYGIENE_VALUE_MAX = 256, /* bytes of a fact's value */
	DOC_LIBS_MAX = 64,          /* entries of libraries */
	DOC_LIB_NAME_MAX = 64,      /* bytes of a library's name */
	DOC_LIB_VERSION_MAX = 256,  /* bytes of its version */
	DOC_HOST_TEXT_MAX = 256,    /* bytes of a host's name, CPU model, kernel */
	/* bytes of a peer's address: a DNS name (253) or a bracketed IPv6
	 * address with a zone, a colon and a port */
	DOC_PEER_ADDR_MAX = 270,
	DOC_SAS_MAX = 1 << 24,      /* sa.count: SAs per pair and direction */
	DOC_FLOWS_MAX = 65536,      /* options.flows: sockets per pair end */
	DOC_SA_DIST_MAX = 64,       /* bytes of sa.dist ("zipf:1.100") */
	DOC_CONFIG_MAX = 256,       /* entries of config{} */
};

/* Why a repetition was disturbed (bits of doc_rep.reasons), as the run
 * names them in disturbed_by; a name this reader does not know is
 * DOC_R_OTHER. */
enum doc_reason {
	DOC_R_STEAL = 1u << 0,
	DOC_R_OTHERS = 1u << 1,
	DOC_R_NIVCSW = 1u << 2,
	DOC_R_CANARY = 1u << 3,
	DOC_R_OTHER = 1u << 4,
	DOC_REASONS = 5,
};
#define DOC_SIZE_MAX 2147483647LL
#define DOC_NUM_MAX 1e15 /* any measured figure; keeps sums and products finite */
#define DOC_SECONDS_MIN 1e-9 /* a sample shorter than a nanosecond is not one */

/* How a two-host case ran (peer.mode): who initiated the traffic. */
enum doc_peer_mode {
	DOC_PEER_FORWARD, /* the host of the document (it ran `run`) */
	DOC_PEER_REVERSE, /* the peer (it ran `serve`) */
	DOC_PEER_BIDIR,   /* both */
	DOC_PEER_MODES,
};

/* A flow-pattern case's SAs and sockets (report/doc_scale.c): what the
 * sa-scale suite sweeps. Absent fields leave the defaults below. */
struct doc_scale {
	long sa_count;          /* sa.count; 0 when the result has no sa{} */
	const char *sa_dist;    /* sa.dist ("uniform", "zipf:1.100"), or "" */
	double sa_bytes;        /* sa.bytes_per_sa; -1 when absent */
	double sa_create_per_s; /* sa.create_per_s (key schedules included); -1 */
	unsigned flows;         /* options.flows; 0 when absent */
	/* io_detail.syscalls_per_packet: system calls per packet sent (tx)
	 * and received (rx); -1 when absent. */
	double syscalls_tx, syscalls_rx;
};

/* Where a case's CPU goes (report/doc_cost.c): absent fields keep the
 * defaults below. */
struct doc_cost {
	double gbps_per_core; /* summary.gbps_per_core; -1 when absent */
	/* summary.phases: TSC ticks per packet inside the AEAD calls, the
	 * workers' other cycles per packet, crypto over all cycles. */
	int has_phases;
	double crypto_cycles, other_cycles, crypto_share;
	double lat_count; /* latency_ns.count: exchanges timed; 0 when absent */
};

/* One fact of host.hygiene (e.g. "thp" = "madvise"); numbers and booleans
 * are written out as text ("3", "true"). */
struct doc_fact {
	const char *name; /* points into the document */
	char *value;      /* owned */
};

/* A host as a document describes it: the top-level "host", or a two-host
 * case's peer.host (the same shape). Strings point into the document and
 * are "" when absent; pus is 0 when absent. */
struct doc_host {
	const char *hostname, *cpu_model, *kernel;
	/* label: the name `run --host-label` gave the host (a fleet's
	 * inventory name), "" when none. */
	const char *label;
	unsigned pus;
	/* hygiene sorted by name (owned); none in documents older than it. */
	struct doc_fact *hygiene;
	size_t n_hygiene;
	int has_hygiene;
};

/* The other end of a two-host case (`run --peer`): the document's host ran
 * `run`, the peer ran `serve`. Its address and mode are part of the case's
 * identity. */
struct doc_peer {
	const char *address;     /* "10.0.0.2:7478" or "[fd00::2]:7478" */
	enum doc_peer_mode mode;
	struct doc_host host;
	unsigned workers;        /* the peer's workers (placement has as many) */
	/* summary.peer: the serve host's CPU, with the meaning the summary's
	 * own figures have for the run host. */
	double cycles_per_byte, cpu_util, gbps_per_core, us_per_packet;
	size_t n_samples;        /* samples that carry the peer's accounting */
	int is_estimate;         /* some sample's peer cycles came from the TSC */
};

struct doc_case {
	/* Identity: what compare matches on. Strings are "" when absent. */
	const char *workload, *cipher, *backend, *direction;
	const char *transport, *io, *framing, *imix;
	long size;
	unsigned threads;
	unsigned workers;      /* threads x workers per thread (esp: 2) */
	/* The other host of a two-host case (owned), NULL on one host. */
	struct doc_peer *peer;
	char *key;    /* all of the above in one line (owned, any length) */
	char *series; /* the key without size and threads (owned) */
	/* The workload options, "name=value" sorted by name and joined by
	 * spaces, "" when the document has none; part of key and series. */
	char *options;
	/* Per sample: n of each. */
	double *gbps, *pps;
	/* CPU ns per packet (cpu_seconds / packets), -1 where the sample
	 * has no CPU time or no packet. */
	double *ns_pkt;
	struct doc_rep *reps;
	size_t n;
	/* How the samples were drawn: processes >= 1 (1 when absent), repeat
	 * is the repetitions per process asked for (0: not recorded);
	 * repeat_mode and repeat_stop are "" when absent. */
	unsigned processes, repeat;
	const char *repeat_mode, *repeat_stop;
	/* Disturbance accounting: has_noise when the run recorded it (per
	 * sample or per case); the case's "noise" counts, -1 when absent. */
	int has_noise;
	long long noise_reps, noise_disturbed, noise_dropped;
	/* errors{}: counts, 0 when absent; sent: the samples' sent_packets;
	 * packets: the samples' packets (received, or sealed). */
	double auth_fail, replay, mismatch, drops, drops_kernel, sent, packets;
	/* From the summary. */
	double gbps_median, gbps_ci95[2], pps_median;
	double us_per_packet, cpu_util, cycles_per_byte;
	/* summary.gbps_per_core and summary.phases.crypto_share (the share of
	 * the workers' cycles inside crypto calls); -1 when absent. */
	double gbps_per_core, crypto_share;
	/* SAs per pair, sockets per pair end, system calls per packet. */
	struct doc_scale scale;
	/* CPU per Gbit/s and per phase, latency count. */
	struct doc_cost cost;
	/* Request/response latency (rr workload), when the result has it. */
	int has_latency;
	double lat_ns[5]; /* p50, p90, p99, p99.9, max */
};

/* One repetition's provenance and disturbance. */
struct doc_rep {
	unsigned process;     /* 0-based, below the case's processes */
	int is_disturbed, is_dropped;
	unsigned reasons;     /* enum doc_reason */
	double canary_drift;  /* noise.canary_drift, -1 when not recorded */
	double canary_ns;     /* noise.canary_ns, 0 when not recorded */
	double peer_canary_ns; /* the peer's (two hosts), 0 when not recorded */
};

/* One entry of "libraries": a library the run linked and its version,
 * whatever its name ("" for a null version). Both point into the
 * document. */
struct doc_lib {
	const char *name, *version;
};

struct doc {
	char path[512];
	const char *schema, *started;
	const char *version, *git;
	struct doc_host host;
	/* libraries in the document's order; none in a document without. */
	struct doc_lib *libs;
	size_t n_libs;
	int is_complete;
	/* config{} (the resolved options; report/doc_config.c), sorted by
	 * name; a list is joined by commas. Owned; none when absent. */
	struct doc_fact *config;
	size_t n_config;
	struct doc_case *cases;
	size_t n_cases;
	struct doc_case **by_key; /* the cases sorted by key, for doc_find */
	void *root; /* the parsed document; strings above point into it */
};

/* Reads and checks path against the schema: every field a reader uses
 * has its type and range, no string anywhere holds a control byte, and no
 * two cases share an identity. 0, or -EINVAL (unreadable or malformed,
 * with e naming the file and the field) or -ENOMEM. Caller frees with
 * doc_free(). Time O(n log n) in the cases. */
NCB_MUST_CHECK int doc_load(struct doc **out, const char *path,
			    struct ncb_err *e);
/* The same for a document in memory (len bytes at buf, no NUL needed);
 * name stands for the file in messages. */
NCB_MUST_CHECK int doc_load_buf(struct doc **out, const char *name,
				const char *buf, size_t len, struct ncb_err *e);
/* Accepts NULL. */
void doc_free(struct doc *d);

/* "steal", "others", "nivcsw", "canary" or "other" for bit i of enum
 * doc_reason (0..DOC_REASONS-1). */
const char *doc_reason_name(unsigned bit);

/* The case with this identity key, or NULL. O(log n). */
const struct doc_case *doc_find(const struct doc *d, const char *key);

/* Whether the case's options hold the token "name=value" whole. */
int doc_case_has_option(const struct doc_case *c, const char *tok);

#endif
