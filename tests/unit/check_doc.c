/* check_doc FILE [--incomplete]: checks that a result document agrees with
 * itself: schema, per-sample gbps = bytes * 8 / seconds / 1e9, summary
 * figures recomputed from the samples, cpus matching the placement, error
 * counters that follow from the rejects and the samples, a two-host
 * case's peer (its host, placement, each sample's CPU and the summary's
 * peer figures), sa{} against the options sas and sa-dist, and
 * "complete" as expected. Exit 0 consistent, 1 not
 * (with the reason). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench/stats.h"

static int fail(const char *what, size_t i)
{
	fprintf(stderr, "check_doc: result %zu: %s\n", i, what);
	return 1;
}

/* Figures are printed with 12 significant digits; a spread recomputed
 * from rounded samples is only as exact as the samples' scale allows. */
static double scale;

static int near(double a, double b)
{
	return fabs(a - b) <=
	       1e-9 * fmax(fmax(fabs(a), fabs(b)), scale) + 1e-12;
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* esp and macsec over UDP or veth: packets anyone may send. */
static int is_datagram_flow(json_t *r)
{
	const char *wl = json_string_value(json_object_get(r, "workload"));

	return wl && (strcmp(wl, "esp") == 0 || strcmp(wl, "macsec") == 0);
}

/* Every refused packet is counted once by reason; by stage it is a
 * replay, an auth failure of a packet claiming the sender's numbers (at
 * most the bad ICVs), rejected (anyone's, before authentication), or
 * bad padding after authentication (a mismatch). Drops are the senders'
 * packets not accepted, per pair and repetition and never below 0, so at
 * least sent - received over the samples: strangers' rejects cannot hide
 * them. */
static int check_datagram_errors(json_t *r, size_t i)
{
	static const char *const names[] = {
		"auth_fail", "replay",	    "rejected", "drops",
		"drops_kernel", "send_failed", "mismatch",
	};
	json_t *rj = json_object_get(r, "rejects");
	json_t *er = json_object_get(r, "errors");
	json_t *samples = json_object_get(r, "samples"), *s, *v;
	const char *k;
	double all = 0, lost = 0;
	size_t j;

	if (!json_is_object(rj) || !json_is_object(er))
		return fail("no rejects or errors", i);
	for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
		v = json_object_get(er, names[j]);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return fail("errors lack a counter", i);
	}
	json_object_foreach(rj, k, v)
		all += json_number_value(v);
	if (num(er, "replay") !=
	    num(rj, "replayed") + num(rj, "too_old") + num(rj, "late"))
		return fail("errors.replay does not add up from rejects", i);
	if (num(er, "auth_fail") > num(rj, "bad_icv"))
		return fail("more auth failures than bad ICVs", i);
	if (num(er, "auth_fail") + num(er, "replay") + num(er, "rejected") +
		    num(rj, "bad_padding") !=
	    all)
		return fail("rejects are not counted once each in errors", i);
	if (num(er, "mismatch") < num(rj, "bad_padding"))
		return fail("bad padding is not counted as a mismatch", i);
	json_array_foreach(samples, j, s)
		lost += num(s, "sent_packets") - num(s, "packets");
	if (num(er, "drops") < lost)
		return fail("drops below sent - received", i);
	return 0;
}

/* A two-host case: the peer's identity and placement, its CPU in every
 * sample, and the summary's peer figures recomputed from the kept
 * samples (bytes and packets are the case's). */
static int check_peer(json_t *r, size_t i)
{
	static const char *const modes[] = { "forward", "reverse", "bidir" };
	json_t *p = json_object_get(r, "peer"), *s, *x;
	json_t *sp = json_object_get(json_object_get(r, "summary"), "peer");
	json_t *place = json_object_get(p, "placement");
	const char *mode = json_string_value(json_object_get(p, "mode"));
	double cpu = 0, secs = 0, bytes = 0, packets = 0;
	int is_mode = 0;
	size_t j;

	json_array_foreach(json_object_get(r, "samples"), j, s)
		if (!p != !json_object_get(s, "peer"))
			return fail("samples' peer and the case's peer disagree", i);
	if (!p)
		return json_object_get(json_object_get(r, "summary"), "peer")
			       ? fail("a one-host case with peer figures", i)
			       : 0;
	for (j = 0; mode && j < sizeof(modes) / sizeof(*modes); j++)
		is_mode |= strcmp(mode, modes[j]) == 0;
	if (!json_string_length(json_object_get(p, "address")) || !is_mode ||
	    strcmp(json_string_value(json_object_get(p, "role")) ?: "", "run") ||
	    !json_string_value(json_object_get(json_object_get(p, "host"), "hostname")) ||
	    !json_is_object(json_object_get(json_object_get(p, "host"), "hygiene")))
		return fail("peer lacks address, mode, role run or a host", i);
	if (!json_is_integer(json_object_get(p, "workers")) || num(p, "workers") < 1 ||
	    json_array_size(place) != (size_t)num(p, "workers"))
		return fail("peer placement does not list its workers", i);
	json_array_foreach(place, j, x)
		if (!json_is_integer(json_object_get(x, "pu")))
			return fail("a peer worker has no pu", i);
	json_array_foreach(json_object_get(r, "samples"), j, s) {
		json_t *ps = json_object_get(s, "peer");
		const char *src = json_string_value(json_object_get(ps, "cycles_source"));

		if (num(ps, "seconds") <= 0 || num(ps, "cpu_seconds") < 0 ||
		    !json_is_integer(json_object_get(ps, "cycles")) ||
		    !json_is_integer(json_object_get(ps, "nivcsw")) ||
		    !json_is_number(json_object_get(ps, "canary_ns")) || !src ||
		    (strcmp(src, "pmu") && strcmp(src, "tsc")))
			return fail("a sample's peer CPU is incomplete", i);
		if (json_is_true(json_object_get(s, "dropped")))
			continue;
		cpu += num(ps, "cpu_seconds");
		secs += num(ps, "seconds");
		bytes += num(s, "bytes");
		packets += num(s, "packets");
	}
	if (!json_is_object(sp) || !near(num(sp, "cpu_util"), cpu / secs) ||
	    !near(num(sp, "us_per_packet"), cpu * 1e6 / packets) ||
	    !near(num(sp, "gbps_per_core"), cpu > 0 ? bytes * 8 / cpu / 1e9 : 0) ||
	    num(sp, "cycles_per_byte") < 0)
		return fail("summary peer figures do not follow from the samples", i);
	return 0;
}

/* A flow-pattern datagram case's SAs follow its options, and the
 * engines' system calls per packet are figures, not text. */
static int check_sas(json_t *r, size_t i)
{
	json_t *sa = json_object_get(r, "sa"), *o = json_object_get(r, "options");
	json_t *sys = json_object_get(json_object_get(r, "io_detail"),
				      "syscalls_per_packet");
	const char *dist = json_string_value(json_object_get(sa, "dist"));

	if (sa && (!json_is_integer(json_object_get(sa, "count")) || !dist ||
		   !json_is_number(json_object_get(sa, "bytes_per_sa")) ||
		   !json_is_number(json_object_get(sa, "create_per_s")) ||
		   num(sa, "count") < 1 || num(sa, "bytes_per_sa") < 0 ||
		   num(sa, "create_per_s") < 0))
		return fail("sa is not {count, dist, bytes_per_sa, create_per_s}", i);
	if (sa && json_object_get(o, "sas") &&
	    (num(sa, "count") != num(o, "sas") ||
	     strcmp(dist, json_string_value(json_object_get(o, "sa-dist")) ?: "")))
		return fail("sa does not follow the options sas and sa-dist", i);
	if (sys && (!json_is_number(json_object_get(sys, "tx")) ||
		    !json_is_number(json_object_get(sys, "rx")) ||
		    num(sys, "tx") < 0 || num(sys, "rx") < 0))
		return fail("syscalls_per_packet is not {tx, rx} of figures", i);
	return 0;
}

static int check_result(json_t *r, size_t i)
{
	json_t *samples = json_object_get(r, "samples"), *s;
	json_t *sum = json_object_get(r, "summary");
	json_t *g = json_object_get(sum, "gbps");
	json_t *place = json_object_get(r, "placement");
	json_t *cpus = json_object_get(r, "cpus");
	const char *transport = json_string_value(json_object_get(r, "transport"));
	size_t n = json_array_size(samples), j;
	json_t *noise = json_object_get(r, "noise");
	double gbps[STATS_N_MAX], bytes = 0, cpu = 0, secs = 0, slack;
	size_t k = 0, disturbed = 0, dropped = 0;
	struct stats_summary st;

	if (!n || n > STATS_N_MAX)
		return fail("no samples, or more than a summary takes", i);
	scale = 0;
	json_array_foreach(samples, j, s) {
		double b = num(s, "bytes"), t = num(s, "seconds");
		int is_disturbed = json_is_true(json_object_get(s, "disturbed"));

		if (t <= 0)
			return fail("a sample has no duration", i);
		if (!near(num(s, "gbps"), b * 8 / t / 1e9))
			return fail("sample gbps != bytes * 8 / seconds / 1e9", i);
		if (num(s, "packets") <= 0 || b <= 0)
			return fail("a sample moved nothing", i);
		if (is_disturbed != (json_array_size(json_object_get(s, "disturbed_by")) > 0))
			return fail("disturbed and disturbed_by disagree", i);
		if (json_object_get(r, "processes") &&
		    num(s, "process") >= num(r, "processes"))
			return fail("a sample's process is past the case's processes", i);
		disturbed += is_disturbed;
		/* Dropped repetitions stay in the document, out of the
		 * statistics, and only disturbed ones are dropped. */
		if (json_is_true(json_object_get(s, "dropped"))) {
			if (!is_disturbed)
				return fail("an undisturbed sample was dropped", i);
			dropped++;
			continue;
		}
		gbps[k++] = num(s, "gbps");
		bytes += b;
		secs += t;
		cpu += num(s, "cpu_seconds");
	}
	if (noise && (num(noise, "repetitions") != (double)n ||
		      num(noise, "disturbed") != (double)disturbed ||
		      num(noise, "dropped") != (double)dropped))
		return fail("noise counts do not follow from the samples", i);
	if (!k)
		return fail("every sample dropped", i);
	n = k;
	if (stats_summarize(gbps, n, &st) < 0)
		return fail("too many samples to summarise", i);
	scale = st.mean;
	if (!near(num(g, "median"), st.median) || !near(num(g, "mean"), st.mean) ||
	    !near(num(g, "min"), st.min) || !near(num(g, "max"), st.max) ||
	    !near(num(g, "stddev"), st.stddev))
		return fail("summary gbps does not follow from the samples", i);
	if (!near(json_number_value(json_array_get(json_object_get(g, "ci95"), 0)),
		  st.ci95[0]) ||
	    !near(json_number_value(json_array_get(json_object_get(g, "ci95"), 1)),
		  st.ci95[1]))
		return fail("summary ci95 does not follow from the samples", i);
	if (!near(num(sum, "cpu_util"), cpu / secs))
		return fail("cpu_util != cpu_seconds / seconds", i);
	if (!near(num(json_object_get(sum, "service_demand"), "us_per_mb"),
		  cpu * 1e6 / (bytes / 1e6)))
		return fail("service demand does not follow from the samples", i);
	if (num(sum, "cycles_per_byte") <= 0 ||
	    !json_string_value(json_object_get(sum, "cycles_source")))
		return fail("no cycles per byte or no source", i);
	if (json_array_size(place) != (size_t)num(r, "workers") ||
	    num(r, "workers") < num(r, "threads") ||
	    json_array_size(cpus) != json_array_size(place))
		return fail("placement does not list every worker", i);
	/* Network cases: what was sent is at least what arrived, and the
	 * per-reason rejects add up to the error counters. */
	/* A datagram may arrive one repetition after it was sent; on TCP,
	 * as much as the socket buffers hold (8 MiB each way at the
	 * default --sockbuf, doubled by the kernel) can. */
	slack = 64 * 1024;
	if (transport && strncmp(transport, "tcp", 3) == 0)
		slack += 32.0 * 1024 * 1024 / (num(r, "size") + 22);
	json_array_foreach(samples, j, s)
		if (json_object_get(s, "sent_packets") &&
		    num(s, "sent_packets") + slack < num(s, "packets"))
			return fail("more packets received than sent", i);
	if (is_datagram_flow(r)) {
		int rc = check_datagram_errors(r, i);

		if (rc)
			return rc;
	} else if (json_object_get(r, "rejects")) {
		json_t *rj = json_object_get(r, "rejects");
		json_t *er = json_object_get(r, "errors");

		/* rr and stream: every refusal is the peer's. An absent
		 * name counts 0. */
		if (num(er, "auth_fail") !=
			    num(rj, "bad_icv") + num(rj, "unknown_spi") +
				    num(rj, "unknown_sci") +
				    num(rj, "unused_an") ||
		    num(er, "replay") != num(rj, "replayed") +
						 num(rj, "too_old") +
						 num(rj, "late"))
			return fail("errors do not add up from rejects", i);
	}
	for (j = 0; j < json_array_size(place); j++)
		if (num(json_array_get(place, j), "pu") !=
		    json_number_value(json_array_get(cpus, j)))
			return fail("cpus differ from placement", i);
	if (check_sas(r, i))
		return 1;
	return check_peer(r, i);
}

/* Config numbers are integers (threads, sizes, counts, workload options),
 * except the real quantities: seconds and percentages. Groups of a suite
 * alike. */
static int check_config(json_t *c)
{
	static const char *const reals[] = { "duration", "warmup", "ci_target" };
	const char *k;
	json_t *v, *x;
	size_t j;

	json_object_foreach(c, k, v) {
		int is_real = 0;

		for (size_t r = 0; r < sizeof(reals) / sizeof(*reals); r++)
			is_real |= strcmp(k, reals[r]) == 0;
		if (strcmp(k, "groups") == 0 && json_is_array(v)) {
			json_array_foreach(v, j, x)
				if (check_config(x))
					return 1;
			continue;
		}
		if (json_is_array(v)) {
			json_array_foreach(v, j, x)
				if (json_is_real(x)) {
					fprintf(stderr, "check_doc: config %s[%zu] is a real\n",
						k, j);
					return 1;
				}
		} else if (json_is_real(v) && !is_real) {
			fprintf(stderr, "check_doc: config %s is a real\n", k);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	json_error_t je;
	json_t *d, *results, *r;
	int want_complete = !(argc > 2 && strcmp(argv[2], "--incomplete") == 0);
	int rc = 0;
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: check_doc FILE [--incomplete]\n");
		return 2;
	}
	d = json_load_file(argv[1], 0, &je);
	if (!d) {
		fprintf(stderr, "check_doc: %s: %s\n", argv[1], je.text);
		return 1;
	}
	results = json_object_get(d, "results");
	if (strcmp(json_string_value(json_object_get(d, "schema")) ?: "",
		   "ncbench.result/1") != 0 || !json_is_array(results) ||
	    !json_is_object(json_object_get(d, "host")) ||
	    !json_is_object(json_object_get(d, "config")) ||
	    !json_is_object(json_object_get(d, "libraries"))) {
		fprintf(stderr, "check_doc: not an ncbench.result/1 document\n");
		rc = 1;
	} else if (json_is_true(json_object_get(d, "complete")) != want_complete) {
		fprintf(stderr, "check_doc: complete is not %s\n",
			want_complete ? "true" : "false");
		rc = 1;
	}
	if (!rc)
		rc = check_config(json_object_get(d, "config"));
	json_array_foreach(results, i, r)
		if (!rc)
			rc = check_result(r, i);
	if (!rc)
		printf("check_doc: %s consistent (%zu results)\n", argv[1],
		       json_array_size(results));
	json_decref(d);
	return rc;
}
