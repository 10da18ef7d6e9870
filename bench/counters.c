/* What a workload counts in a repetition, named once: the summary adds the
 * repetitions up and the document writer names the counters through this
 * table, so neither copies the fields one by one. */
#include <stddef.h>

#include "bench/counters.h"
#include "io/ncb.h"
#include "workloads/wl.h"

/* The member's offset, if it has the type its table line says; a line
 * that names a member of another type does not compile. */
#define OFFSET_OF(field, type)                                              \
	(offsetof(struct wl_counters, field) +                              \
	 0 * sizeof(char[__builtin_types_compatible_p(                        \
			       __typeof__(((struct wl_counters *)0)->field), \
			       type) ? 1 : -1]))
#define U64(field, name, place) \
	{ name, OFFSET_OF(field, uint64_t), COUNTERS_U64, place }
#define F64(field, name, place) \
	{ name, OFFSET_OF(field, double), COUNTERS_F64, place }

static const struct counters_field fields[] = {
	U64(bytes, "bytes", COUNTERS_SAMPLE),
	U64(wire_bytes, "wire_bytes", COUNTERS_SAMPLE),
	U64(packets, "packets", COUNTERS_SAMPLE),
	F64(seconds, "seconds", COUNTERS_SAMPLE),
	F64(cpu_seconds, "cpu_seconds", COUNTERS_SAMPLE),
	/* Only where the receiving side ran here beside the sending one. */
	F64(rx_cpu_seconds, "rx_cpu_seconds", COUNTERS_SAMPLE_NONZERO),
	/* Only where a sender counts apart from its receiver. */
	U64(tx_packets, "sent_packets", COUNTERS_SAMPLE_NONZERO),
	/* Packets that came after their repetition ended: already drops. */
	U64(late, "late_packets", COUNTERS_SAMPLE_NONZERO),
	U64(cycles, "cycles", COUNTERS_DERIVED),
	U64(crypto_ticks, "crypto_ticks", COUNTERS_DERIVED),
	/* Per packet in io_detail{}: the run's totals over its packets. */
	U64(syscalls_tx, "syscalls_tx", COUNTERS_DERIVED),
	U64(syscalls_rx, "syscalls_rx", COUNTERS_DERIVED),
	/* Goes to the sample's noise{} through io/noise.h's own record. */
	U64(nivcsw, "nivcsw", COUNTERS_DERIVED),
	U64(auth_fail, "auth_fail", COUNTERS_ERRORS),
	U64(replay, "replay", COUNTERS_ERRORS),
	U64(rejected, "rejected", COUNTERS_ERRORS),
	U64(drops, "drops", COUNTERS_ERRORS),
	U64(drops_kernel, "drops_kernel", COUNTERS_ERRORS),
	U64(send_failed, "send_failed", COUNTERS_ERRORS),
	U64(mismatch, "mismatch", COUNTERS_ERRORS),
};

size_t counters_count(void)
{
	return NCB_ARRAY_SIZE(fields);
}

const struct counters_field *counters_at(size_t i)
{
	return i < NCB_ARRAY_SIZE(fields) ? &fields[i] : NULL;
}

/* The member at f's offset; the table's macros pair each offset with its
 * member's type, so these point at a real uint64_t or double. */
static const uint64_t *u64_of(const struct wl_counters *c,
			      const struct counters_field *f)
{
	return (const uint64_t *)(const void *)((const char *)c + f->offset);
}

static const double *f64_of(const struct wl_counters *c,
			    const struct counters_field *f)
{
	return (const double *)(const void *)((const char *)c + f->offset);
}

uint64_t counters_u64(const struct wl_counters *c,
		      const struct counters_field *f)
{
	return f->type == COUNTERS_U64 ? *u64_of(c, f) : 0;
}

double counters_value(const struct wl_counters *c,
		      const struct counters_field *f)
{
	return f->type == COUNTERS_U64 ? (double)*u64_of(c, f) : *f64_of(c, f);
}

void counters_add(struct wl_counters *t, const struct wl_counters *c,
		  size_t n_rejects)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(fields); i++) {
		const struct counters_field *f = &fields[i];
		void *to = (char *)t + f->offset;

		if (f->type == COUNTERS_U64)
			*(uint64_t *)to += *u64_of(c, f);
		else
			*(double *)to += *f64_of(c, f);
	}
	for (size_t i = 0; i < n_rejects && i < WL_REJECTS_MAX; i++)
		t->rejects[i] += c->rejects[i];
}
