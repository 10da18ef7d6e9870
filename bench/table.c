/* The run's table: one row per finished case, in columns chosen by the
 * case's kind, at most TABLE_COLS wide (widths below add up to it with a
 * disturbance count of up to six characters). */
#include <stdio.h>
#include <string.h>

#include "bench/summary.h"
#include "bench/table.h"
#include "io/ncb.h"
#include "report/findings.h"
#include "workloads/peer.h"

enum table_kind { KIND_CIPHER = 1, KIND_NET, KIND_RR };

/* Marks a row may carry, each explained once under the table. */
enum table_mark {
	MARK_WIDE = 1u << 0,    /* '*': a wide 95% CI */
	MARK_TSC = 1u << 1,     /* '~': cycles from CPU time at the TSC rate */
	MARK_DISTURB = 1u << 2, /* '!': disturbed repetitions */
	MARK_CPU = 1u << 3,     /* a CPU column was shown: say its unit */
};

enum {
	CELL_MAX = 64,
	/* Columns of a row: the identity, then per kind. */
	W_WORKLOAD = 8, W_CIPHER = 17, W_BACKEND = 8, W_SIZE = 5, W_THR = 3,
	W_GBPS = 16, W_MPPS = 7, W_CPB = 9, W_CPU = 6, W_DROPS = 6,
	W_LAT = 7, W_XPS = 8,
};

/* s in a column of width display characters (UTF-8: '±' and 'µ' are one
 * character in two bytes), after a space; left or right aligned. */
static void cell(FILE *f, const char *s, int width, int is_left)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	fputc(' ', f);
	if (is_left)
		fputs(s, f);
	for (; n < width; n++)
		fputc(' ', f);
	if (!is_left)
		fputs(s, f);
}

static void head(FILE *f, enum table_kind kind)
{
	fprintf(f, "%-*s", W_WORKLOAD, "workload");
	cell(f, "cipher", W_CIPHER, 1);
	cell(f, "backend", W_BACKEND, 1);
	cell(f, "size", W_SIZE, 0);
	cell(f, "thr", W_THR, 0);
	if (kind == KIND_RR) {
		cell(f, "p50 µs", W_LAT, 0);
		cell(f, "p99 µs", W_LAT, 0);
		cell(f, "exch/s", W_XPS, 0);
	} else {
		cell(f, "Gbit/s ±CI95", W_GBPS, 0);
		cell(f, "Mpps", W_MPPS, 0);
	}
	if (kind == KIND_CIPHER) {
		cell(f, "cycles/B", W_CPB, 0);
	} else {
		cell(f, "tx CPU", W_CPU, 0);
		cell(f, "rx CPU", W_CPU, 0);
		cell(f, "drops", W_DROPS, 0);
	}
	fputs(" disturb\n", f);
}

/* Cores per Gbit/s from Gbit/s per core, or "-". */
static void cpu_cell(FILE *f, double gbps_per_core)
{
	char b[CELL_MAX] = "-";

	if (gbps_per_core > 0)
		snprintf(b, sizeof(b), "%.3f", 1 / gbps_per_core);
	cell(f, b, W_CPU, 0);
}

/* Each side's CPU per Gbit/s: both from this host when both sides ran
 * here; on two hosts the initiating side's from the host that ran it
 * (forward: this one), the other from the other; bidir mixes both. */
static void cpu_cells(struct table *t, FILE *f, const struct table_case *c,
		      const struct summary *s)
{
	double tx = 0, rx = 0;

	if (c->peer_mode < 0 && s->has_sides) {
		tx = s->tx_gbps_per_core;
		rx = s->rx_gbps_per_core;
	} else if (c->peer_mode == WL_PEER_FORWARD && s->has_peer) {
		tx = s->gbps_per_core;
		rx = s->peer_gbps_per_core;
	} else if (c->peer_mode == WL_PEER_REVERSE && s->has_peer) {
		tx = s->peer_gbps_per_core;
		rx = s->gbps_per_core;
	}
	cpu_cell(f, tx);
	cpu_cell(f, rx);
	t->marks |= MARK_CPU;
}

/* The run's own packets not accepted, over those sent (or, where sends
 * are not counted apart, over those received and dropped). */
static void drops_cell(FILE *f, const struct summary *s)
{
	double drops = (double)s->all_sum.drops;
	double sent = s->all_sum.tx_packets ? (double)s->all_sum.tx_packets
					    : (double)s->all_sum.packets + drops;
	char b[CELL_MAX] = "-";

	if (drops == 0)
		snprintf(b, sizeof(b), "0");
	else if (sent > 0)
		snprintf(b, sizeof(b), drops / sent >= 0.001 ? "%.1f%%" : "%.2g%%",
			 drops * 100 / sent);
	cell(f, b, W_DROPS, 0);
}

void table_row(struct table *t, FILE *f, const struct table_case *c,
	       const struct summary *s)
{
	enum table_kind kind = s->has_latency ? KIND_RR
			       : c->is_net    ? KIND_NET
					      : KIND_CIPHER;
	const struct stats_summary *rate = kind == KIND_RR ? &s->pps : &s->gbps;
	int is_wide = findings_is_wide(rate->ci95[0], rate->ci95[1], rate->median);
	const char *wide = is_wide ? "*" : " ";
	char b[CELL_MAX];

	if ((int)kind != t->kind)
		head(f, kind);
	t->kind = (int)kind;
	t->marks |= is_wide ? MARK_WIDE : 0;
	fprintf(f, "%-*s", W_WORKLOAD, c->workload);
	cell(f, c->cipher, W_CIPHER, 1);
	cell(f, c->backend, W_BACKEND, 1);
	snprintf(b, sizeof(b), "%zu", c->size);
	cell(f, b, W_SIZE, 0);
	snprintf(b, sizeof(b), "%u", c->threads);
	cell(f, b, W_THR, 0);
	if (kind == KIND_RR) {
		snprintf(b, sizeof(b), "%.2f", (double)s->lat_p50 / 1e3);
		cell(f, b, W_LAT, 0);
		snprintf(b, sizeof(b), "%.2f", (double)s->lat_p99 / 1e3);
		cell(f, b, W_LAT, 0);
		snprintf(b, sizeof(b), "%.0f%s", s->pps.median, wide);
		cell(f, b, W_XPS, 0);
	} else {
		snprintf(b, sizeof(b), "%.3f ± %.3f%s", s->gbps.median,
			 (s->gbps.ci95[1] - s->gbps.ci95[0]) / 2, wide);
		cell(f, b, W_GBPS, 0);
		snprintf(b, sizeof(b), "%.3f", s->pps.median / 1e6);
		cell(f, b, W_MPPS, 0);
	}
	if (kind == KIND_CIPHER) {
		snprintf(b, sizeof(b), "%.3f%s", s->cycles_per_byte,
			 s->is_cycles_pmu ? " " : "~");
		cell(f, b, W_CPB, 0);
		t->marks |= s->is_cycles_pmu ? 0 : MARK_TSC;
	} else {
		cpu_cells(t, f, c, s);
		drops_cell(f, s);
	}
	/* Disturbed repetitions of all; with --drop-disturbed a 'd' says the
	 * statistics left them out. */
	if (s->disturbed)
		fprintf(f, " %zu/%zu!%s", s->disturbed, s->n, s->left_out ? "d" : "");
	else
		fputs(" -", f);
	t->marks |= s->disturbed ? MARK_DISTURB : 0;
	fputc('\n', f);
	fflush(f);
}

void table_end(struct table *t, FILE *f)
{
	static const struct {
		unsigned mark;
		const char *text;
	} legend[] = {
		{ MARK_TSC, "~ cycles estimated from CPU time at the TSC rate (no PMU)" },
		{ MARK_DISTURB, "! repetitions flagged as disturbed, of all (d: left out)" },
		{ MARK_CPU, "tx/rx CPU: cores per Gbit/s of the sending and the receiving side" },
	};

	if (t->marks & MARK_WIDE)
		fprintf(f, "* the 95%% CI is wider than %d%% of the median\n",
			FINDINGS_CI_WIDE_PCT);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(legend); i++)
		if (t->marks & legend[i].mark)
			fprintf(f, "%s\n", legend[i].text);
	fflush(f);
}
