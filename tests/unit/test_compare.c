/* compare's statistics on documents built here: the normal quantile and
 * the exact test's floor, reading processes / disturbance / options and
 * two-host peers (accepted and refused), the peer in the identity, the
 * unit of the test, the minimum detectable change against a hand
 * computation, and every verdict of the rule (the peer's speed too). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/mwu.h"
#include "report/verdict.h"
#include "tests/unit/helpers.h"

enum { BUF = 65536, SAMPLES = 64 };

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fmax(1, fabs(b));
}

static void quantiles(void)
{
	static const struct {
		double p, z;
	} zs[] = {
		{ 0.5, 0 },
		{ 0.025, 1.959963984540054 },
		{ 0.2, 0.841621233572914 },
		{ 0.005, 2.575829303548901 },
		{ 0.975, -1.959963984540054 },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(zs); i++)
		t_check(near(mwu_z_upper(zs[i].p), zs[i].z, 1e-9),
			"z_upper(%g) = %.12f, want %.12f", zs[i].p,
			mwu_z_upper(zs[i].p), zs[i].z);
	t_check(near(mwu_min_p(3, 3), 0.1, 1e-12), "min p 3+3 = 0.1");
	t_check(near(mwu_min_p(5, 5), 2.0 / 252, 1e-12), "min p 5+5 = 2/252");
	t_check(near(mwu_min_p(4, 4), 2.0 / 70, 1e-12), "min p 4+4 = 2/70");
	t_check(mwu_min_p(0, 5) == 1 && mwu_min_p(1, 1) == 1, "min p of nothing is 1");
}

/* One case: n samples g[], written with "process" (j / per_proc) when
 * procs > 0, the first n_dist disturbed and the first n_drop dropped when
 * noise is set; extra goes into the case object as it is. */
struct spec {
	const double *g;
	size_t n;
	unsigned procs, per_proc, n_dist, n_drop;
	int has_noise;
	const char *extra, *sample_extra, *summary_extra;
};

static int load_spec(struct doc **d, const struct spec *s, struct ncb_err *e)
{
	char *buf = malloc(BUF);
	size_t k = 0;
	int rc;

	if (!buf)
		return -ENOMEM;
	k += (size_t)snprintf(buf + k, BUF - k,
			      "{\"schema\": \"ncbench.result/1\", \"host\": {}, \"complete\": true,"
			      " \"results\": [{\"workload\": \"cipher\", \"cipher\": \"aes\","
			      " \"backend\": \"b\", \"direction\": \"seal\", \"size\": 64,"
			      " \"threads\": 1, \"samples\": [");
	for (size_t j = 0; j < s->n && k < BUF; j++) {
		k += (size_t)snprintf(buf + k, BUF - k, "%s{\"gbps\": %.17g, \"seconds\": 1, \"packets\": 1",
				      j ? ", " : "", s->g[j]);
		if (s->procs)
			k += (size_t)snprintf(buf + k, BUF - k, ", \"process\": %zu",
					      j / s->per_proc);
		if (s->has_noise)
			k += (size_t)snprintf(buf + k, BUF - k,
					      ", \"disturbed\": %s, \"dropped\": %s,"
					      " \"disturbed_by\": [%s], \"noise\": {\"canary_drift\": %s}",
					      j < s->n_dist ? "true" : "false",
					      j < s->n_drop ? "true" : "false",
					      j < s->n_dist ? "\"canary\", \"new\"" : "",
					      j < s->n_dist ? "0.5" : "0");
		k += (size_t)snprintf(buf + k, BUF - k, "%s}",
				      s->sample_extra ? s->sample_extra : "");
	}
	if (k < BUF && s->procs)
		k += (size_t)snprintf(buf + k, BUF - k, "], \"processes\": %u, \"repeat\": %u",
				      s->procs, s->per_proc);
	else if (k < BUF)
		k += (size_t)snprintf(buf + k, BUF - k, "]");
	if (k < BUF)
		k += (size_t)snprintf(buf + k, BUF - k,
				      ", \"summary\": {\"gbps\": {\"median\": 1, \"ci95\": [1, 1]},"
				      " \"pps\": {\"median\": 1}, \"service_demand\": {\"us_per_packet\": 1},"
				      " \"cpu_util\": 1, \"cycles_per_byte\": 1%s}%s%s}]}",
				      s->summary_extra ? s->summary_extra : "",
				      s->extra ? ", " : "", s->extra ? s->extra : "");
	rc = k < BUF ? doc_load_buf(d, "t.json", buf, k, e) : -E2BIG;
	free(buf);
	return rc;
}

static const double one[] = { 20, 20, 20 };

static void reading(void)
{
	static const struct {
		const char *name;
		struct spec s;
		const char *field; /* NULL: accepted */
	} cases[] = {
		{ "plain", { .g = one, .n = 3 }, NULL },
		{ "3 processes", { .g = one, .n = 3, .procs = 3, .per_proc = 1 }, NULL },
		{ "noise", { .g = one, .n = 3, .n_dist = 1, .n_drop = 1, .has_noise = 1 }, NULL },
		{ "0 processes", { .g = one, .n = 3, .extra = "\"processes\": 0" }, "results[0].processes" },
		{ "1001 processes", { .g = one, .n = 3, .extra = "\"processes\": 1001" }, "results[0].processes" },
		{ "process beyond processes", { .g = one, .n = 3, .procs = 2, .per_proc = 1 }, "results[0].samples[2].process" },
		{ "negative process", { .g = one, .n = 1, .sample_extra = ", \"process\": -1" }, "results[0].samples[0].process" },
		{ "disturbed as text", { .g = one, .n = 1, .sample_extra = ", \"disturbed\": \"yes\"" }, "results[0].samples[0].disturbed" },
		{ "dropped as 1", { .g = one, .n = 1, .sample_extra = ", \"dropped\": 1" }, "results[0].samples[0].dropped" },
		{ "negative drift", { .g = one, .n = 1, .sample_extra = ", \"noise\": {\"canary_drift\": -1}" }, "results[0].samples[0].noise.canary_drift" },
		{ "noise a string", { .g = one, .n = 1, .sample_extra = ", \"noise\": \"quiet\"" }, "results[0].samples[0].noise" },
		{ "reasons not a list", { .g = one, .n = 1, .sample_extra = ", \"disturbed_by\": \"steal\"" }, "results[0].samples[0].disturbed_by" },
		{ "reason a number", { .g = one, .n = 1, .sample_extra = ", \"disturbed_by\": [1]" }, "results[0].samples[0].disturbed_by" },
		{ "17 reasons", { .g = one, .n = 1, .sample_extra = ", \"disturbed_by\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]" }, "results[0].samples[0].disturbed_by" },
		{ "case noise ok", { .g = one, .n = 1, .extra = "\"noise\": {\"repetitions\": 3, \"disturbed\": 1, \"dropped\": 0, \"canary_drift_max\": 0.2, \"rule\": \"r\"}" }, NULL },
		{ "more disturbed than run", { .g = one, .n = 1, .extra = "\"noise\": {\"repetitions\": 3, \"disturbed\": 4}" }, "results[0].noise" },
		{ "case noise negative", { .g = one, .n = 1, .extra = "\"noise\": {\"steal_share_max\": -0.1}" }, "results[0].noise.steal_share_max" },
		{ "case noise a list", { .g = one, .n = 1, .extra = "\"noise\": {\"x\": [1]}" }, "results[0].noise.x" },
		{ "option null", { .g = one, .n = 1, .extra = "\"options\": {\"busy_poll\": null}" }, "results[0].options.busy_poll" },
		{ "option a list", { .g = one, .n = 1, .extra = "\"options\": {\"busy_poll\": [50]}" }, "results[0].options.busy_poll" },
		{ "option without name", { .g = one, .n = 1, .extra = "\"options\": {\"\": 1}" }, "results[0].options" },
		{ "options a list", { .g = one, .n = 1, .extra = "\"options\": [1]" }, "results[0].options" },
		{ "drops negative", { .g = one, .n = 1, .extra = "\"errors\": {\"drops\": -1}" }, "results[0].errors.drops" },
		{ "repeat_stop a number", { .g = one, .n = 1, .extra = "\"repeat_stop\": 1" }, "results[0].repeat_stop" },
	};
	char many[4096];
	size_t k = 0;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		int rc = load_spec(&d, &cases[i].s, &e);

		if (!cases[i].field)
			t_check(rc == 0 && d && d->n_cases == 1,
				"read %s: accepted (%s)", cases[i].name, e.msg);
		else
			t_check(rc == -EINVAL && !d && strstr(e.msg, cases[i].field),
				"read %s: refused naming %s (rc %d: %s)",
				cases[i].name, cases[i].field, rc, e.msg);
		doc_free(d);
	}
	/* 65 options are too many; 64 are fine. */
	for (int n = 64; n <= 65; n++) {
		struct spec s = { .g = one, .n = 1, .extra = many };
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		int rc;

		k = (size_t)snprintf(many, sizeof(many), "\"options\": {");
		for (int i = 0; i < n; i++)
			k += (size_t)snprintf(many + k, sizeof(many) - k, "%s\"o%d\": %d",
					      i ? ", " : "", i, i);
		snprintf(many + k, sizeof(many) - k, "}");
		rc = load_spec(&d, &s, &e);
		t_check(n == 64 ? rc == 0 : rc == -EINVAL && strstr(e.msg, "options"),
			"read %d options: %s (rc %d: %s)", n,
			n == 64 ? "accepted" : "refused", rc, e.msg);
		doc_free(d);
	}
}

/* The key: sorted options, whole; 50 and 50.0 one value. */
static void options(void)
{
	static const struct {
		const char *a, *b;
		int is_same;
	} pairs[] = {
		{ "{\"busy_poll\": 50}", "{\"busy_poll\": 50.0}", 1 },
		{ "{\"busy_poll\": 50}", "{\"busy_poll\": 0}", 0 },
		{ "{\"a\": 1, \"b\": true}", "{\"b\": true, \"a\": 1}", 1 },
		{ "{\"no_gso\": false}", "{\"no_gso\": true}", 0 },
		{ "{\"verify\": false}", "{}", 0 },
		{ "{}", NULL, 1 },
		{ "{\"r\": 0.1}", "{\"r\": 0.10000000000000002}", 0 },
	};
	char ea[256], eb[256];

	for (size_t i = 0; i < NCB_ARRAY_SIZE(pairs); i++) {
		struct spec sa = { .g = one, .n = 1, .extra = ea },
			    sb = { .g = one, .n = 1, .extra = pairs[i].b ? eb : NULL };
		struct ncb_err e = { "" };
		struct doc *a = NULL, *b = NULL;
		int rc;

		snprintf(ea, sizeof(ea), "\"options\": %s", pairs[i].a);
		snprintf(eb, sizeof(eb), "\"options\": %s", pairs[i].b ? pairs[i].b : "{}");
		rc = load_spec(&a, &sa, &e);
		if (rc == 0)
			rc = load_spec(&b, &sb, &e);
		t_check(rc == 0 && (strcmp(a->cases[0].key, b->cases[0].key) == 0) ==
					   pairs[i].is_same,
			"options %s vs %s: %s (%s | %s | %s)", pairs[i].a,
			pairs[i].b ? pairs[i].b : "none",
			pairs[i].is_same ? "one case" : "two cases",
			a ? a->cases[0].key : "-", b ? b->cases[0].key : "-", e.msg);
		doc_free(a);
		doc_free(b);
	}
	{
		struct spec s = { .g = one, .n = 1, .extra = "\"options\": {\"z\": 1, \"io\": \"uring\","
						  " \"busy-poll\": 50, \"verify\": false, \"r\": 0.5}" };
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		const char *want = "busy-poll=50 io=uring r=0.5 verify=false z=1";
		int rc = load_spec(&d, &s, &e);

		t_check(rc == 0 && strcmp(d->cases[0].options, want) == 0 &&
				strstr(d->cases[0].key, want) &&
				strstr(d->cases[0].series, want),
			"options: '%s' sorted into key and series (%s)",
			rc == 0 ? d->cases[0].options : e.msg, want);
		doc_free(d);
	}
}

/* Two-host cases: a case's peer{}, a sample's and the summary's. */
#define PEER_REST \
	"\"host\": {\"hostname\": \"p1\", \"cpu_model\": \"c1\", \"pus\": 8}," \
	" \"workers\": 1, \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0," \
	" \"mem_bound\": true}]"
#define PEER_OF(addr, mode, rest) \
	"\"peer\": {\"address\": " addr ", \"mode\": " mode ", \"role\": \"run\", " rest "}"
#define PEER_OK PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", PEER_REST)
#define SUM_PEER \
	", \"peer\": {\"cycles_per_byte\": 2, \"cpu_util\": 1, \"gbps_per_core\": 3," \
	" \"us_per_packet\": 4}"
#define SAMPLE_PEER_AT(ns) \
	", \"peer\": {\"seconds\": 1, \"cpu_seconds\": 1, \"cycles\": 5," \
	" \"cycles_source\": \"pmu\", \"nivcsw\": 2, \"canary_ns\": " ns "}"
#define SAMPLE_PEER SAMPLE_PEER_AT("1000")

/* peer{} of a case, of its samples and of its summary: read and checked,
 * and refused naming the field when outside the schema. */
static void peers(void)
{
	static const struct {
		const char *name, *peer, *sample, *summary;
		const char *field; /* NULL: accepted */
	} cases[] = {
		{ "forward", PEER_OK, SAMPLE_PEER, SUM_PEER, NULL },
		{ "IPv6 bidir", PEER_OF("\"[fd00::2]:7478\"", "\"bidir\"", PEER_REST), SAMPLE_PEER, SUM_PEER, NULL },
		{ "IPv6 with a zone", PEER_OF("\"[fe80::1%veth0]:7478\"", "\"reverse\"", PEER_REST), SAMPLE_PEER, SUM_PEER, NULL },
		{ "a host name", PEER_OF("\"gw-2.example:7478\"", "\"forward\"", PEER_REST), SAMPLE_PEER, SUM_PEER, NULL },
		{ "samples without the peer's (cut short)", PEER_OK, NULL, SUM_PEER, NULL },
		{ "no port", PEER_OF("\"10.0.0.2\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "port 0", PEER_OF("\"10.0.0.2:0\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "port 65536", PEER_OF("\"10.0.0.2:65536\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "port 0123", PEER_OF("\"10.0.0.2:0123\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "a space", PEER_OF("\"10.0.0.2 :7478\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "a slash", PEER_OF("\"10.0.0.2/forward:7478\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "empty", PEER_OF("\"\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "IPv6 unclosed", PEER_OF("\"[fd00::2:7478\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "IPv6 with a name", PEER_OF("\"[gw]:7478\"", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "address a number", PEER_OF("7478", "\"forward\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.address" },
		{ "mode sideways", PEER_OF("\"10.0.0.2:7478\"", "\"sideways\"", PEER_REST), NULL, SUM_PEER, "results[0].peer.mode" },
		{ "mode missing", PEER_OF("\"10.0.0.2:7478\"", "null", PEER_REST), NULL, SUM_PEER, "results[0].peer.mode" },
		{ "role serve", "\"peer\": {\"address\": \"10.0.0.2:7478\", \"mode\": \"forward\", \"role\": \"serve\", " PEER_REST "}", NULL, SUM_PEER, "results[0].peer.role" },
		{ "role missing", "\"peer\": {\"address\": \"10.0.0.2:7478\", \"mode\": \"forward\", " PEER_REST "}", NULL, SUM_PEER, "results[0].peer.role" },
		{ "0 workers", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {}, \"workers\": 0, \"placement\": []"), NULL, SUM_PEER, "results[0].peer.workers" },
		{ "placement short", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {}, \"workers\": 2, \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0}]"), NULL, SUM_PEER, "results[0].peer.placement" },
		{ "placement pu -1", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {}, \"workers\": 1, \"placement\": [{\"pu\": -1, \"core\": 0, \"numa\": 0}]"), NULL, SUM_PEER, "results[0].peer.placement[0].pu" },
		{ "placement a string", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {}, \"workers\": 1, \"placement\": [\"pu0\"]"), NULL, SUM_PEER, "results[0].peer.placement[0]" },
		{ "no host", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"workers\": 1, \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0}]"), NULL, SUM_PEER, "results[0].peer.host" },
		{ "host pus -1", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {\"pus\": -1}, \"workers\": 1, \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0}]"), NULL, SUM_PEER, "results[0].peer.host.pus" },
		{ "host hygiene a list", PEER_OF("\"10.0.0.2:7478\"", "\"forward\"", "\"host\": {\"hygiene\": [1]}, \"workers\": 1, \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0}]"), NULL, SUM_PEER, "results[0].peer.host.hygiene" },
		{ "peer a string", "\"peer\": \"10.0.0.2:7478\"", NULL, SUM_PEER, "results[0].peer" },
		{ "no summary.peer", PEER_OK, SAMPLE_PEER, NULL, "results[0].summary.peer" },
		{ "summary.peer 1e300", PEER_OK, SAMPLE_PEER, ", \"peer\": {\"cycles_per_byte\": 1e300, \"cpu_util\": 1, \"gbps_per_core\": 3, \"us_per_packet\": 4}", "results[0].summary.peer.cycles_per_byte" },
		{ "summary.peer short", PEER_OK, SAMPLE_PEER, ", \"peer\": {\"cycles_per_byte\": 1}", "results[0].summary.peer.cpu_util" },
		{ "summary.peer on one host", NULL, NULL, SUM_PEER, "results[0].summary.peer" },
		{ "a sample's peer on one host", NULL, SAMPLE_PEER, NULL, "results[0].samples[0].peer" },
		{ "cycles_source magic", PEER_OK, ", \"peer\": {\"seconds\": 1, \"cpu_seconds\": 1, \"cycles\": 5, \"cycles_source\": \"magic\"}", SUM_PEER, "results[0].samples[0].peer.cycles_source" },
		{ "peer seconds 0", PEER_OK, ", \"peer\": {\"seconds\": 0, \"cpu_seconds\": 1, \"cycles\": 5, \"cycles_source\": \"pmu\"}", SUM_PEER, "results[0].samples[0].peer.seconds" },
		{ "peer canary negative", PEER_OK, SAMPLE_PEER_AT("-1"), SUM_PEER, "results[0].samples[0].peer.canary_ns" },
	};
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct spec sp = { .g = one, .n = 3, .extra = cases[i].peer,
				   .sample_extra = cases[i].sample,
				   .summary_extra = cases[i].summary };
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		int rc = load_spec(&d, &sp, &e);

		if (!cases[i].field)
			t_check(rc == 0 && d && d->cases[0].peer &&
					d->cases[0].peer->n_samples == (cases[i].sample ? 3u : 0u),
				"peer %s: accepted (%s)", cases[i].name, e.msg);
		else
			t_check(rc == -EINVAL && !d && strstr(e.msg, cases[i].field),
				"peer %s: refused naming %s (rc %d: %s)",
				cases[i].name, cases[i].field, rc, e.msg);
		if (rc == 0 && i == 0) {
			const struct doc_peer *p = d->cases[0].peer;

			t_check(!strcmp(p->address, "10.0.0.2:7478") &&
					p->mode == DOC_PEER_FORWARD && p->workers == 1 &&
					!strcmp(p->host.hostname, "p1") &&
					!strcmp(p->host.cpu_model, "c1") && p->host.pus == 8 &&
					p->cycles_per_byte == 2 && p->cpu_util == 1 &&
					p->gbps_per_core == 3 && p->us_per_packet == 4 &&
					!p->is_estimate &&
					d->cases[0].reps[2].peer_canary_ns == 1000,
				"peer: every field read");
		}
		doc_free(d);
	}
	/* Huge strings: an address and a peer's host name past their bounds. */
	for (int k = 0; k < 2; k++) {
		char fill[400], peer[900];
		struct spec sp = { .g = one, .n = 1, .extra = peer, .summary_extra = SUM_PEER };
		struct ncb_err e = { "" };
		struct doc *d = NULL;
		int rc;

		memset(fill, 'a', 300);
		fill[300] = '\0';
		if (k == 0)
			snprintf(peer, sizeof(peer), PEER_OF("\"%s:7478\"", "\"forward\"", PEER_REST), fill);
		else
			snprintf(peer, sizeof(peer), PEER_OF("\"10.0.0.2:7478\"", "\"forward\"",
						"\"host\": {\"hostname\": \"%s\"}, \"workers\": 1,"
						" \"placement\": [{\"pu\": 0, \"core\": 0, \"numa\": 0}]"),
				 fill);
		rc = load_spec(&d, &sp, &e);
		t_check(rc == -EINVAL && strstr(e.msg, k ? "results[0].peer.host.hostname"
							 : "results[0].peer.address"),
			"peer: a 300-byte %s refused (rc %d: %s)",
			k ? "host name" : "address", rc, e.msg);
		doc_free(d);
	}
}

/* The key: a one-host case's is as before; the peer's address and mode
 * come after the framing and before the options; a one-host case never
 * pairs with a two-host one, nor forward with reverse. */
static void peer_identity(void)
{
	static const struct {
		const char *peer;
		const char *key;
	} keys[] = {
		{ NULL, "cipher aes b seal size=64 threads=1 busy=1" },
		{ PEER_OK, "cipher aes b seal size=64 threads=1 peer=10.0.0.2:7478/forward busy=1" },
		{ PEER_OF("\"10.0.0.2:7478\"", "\"reverse\"", PEER_REST),
		  "cipher aes b seal size=64 threads=1 peer=10.0.0.2:7478/reverse busy=1" },
		{ PEER_OF("\"10.0.0.3:7478\"", "\"forward\"", PEER_REST),
		  "cipher aes b seal size=64 threads=1 peer=10.0.0.3:7478/forward busy=1" },
		{ PEER_OF("\"[fd00::2]:7478\"", "\"bidir\"", PEER_REST),
		  "cipher aes b seal size=64 threads=1 peer=[fd00::2]:7478/bidir busy=1" },
	};
	struct doc *d[NCB_ARRAY_SIZE(keys)] = { NULL };

	for (size_t i = 0; i < NCB_ARRAY_SIZE(keys); i++) {
		char extra[1024];
		struct spec sp = { .g = one, .n = 1, .extra = extra,
				   .summary_extra = keys[i].peer ? SUM_PEER : NULL };
		struct ncb_err e = { "" };
		int rc;

		snprintf(extra, sizeof(extra), "%s%s\"options\": {\"busy\": 1}",
			 keys[i].peer ? keys[i].peer : "", keys[i].peer ? ", " : "");
		rc = load_spec(&d[i], &sp, &e);
		t_check(rc == 0 && !strcmp(d[i]->cases[0].key, keys[i].key) &&
				!strstr(d[i]->cases[0].series, "size=") &&
				!strstr(d[i]->cases[0].series, "peer=") == !keys[i].peer,
			"peer key %zu: '%s', want '%s' (%s)", i,
			rc == 0 ? d[i]->cases[0].key : "-", keys[i].key, e.msg);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(keys); i++)
		for (size_t k = 0; k < NCB_ARRAY_SIZE(keys); k++)
			if (d[i] && d[k] && i != k)
				t_check(!doc_find(d[k], d[i]->cases[0].key),
					"peer key %zu never pairs with %zu", i, k);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(keys); i++)
		doc_free(d[i]);
}

/* A side made of one document per spec. */
static int side(struct verdict_side *vs, const struct spec *s, size_t n,
		struct doc **docs)
{
	const struct doc_case *parts[8];
	struct ncb_err e = { "" };

	for (size_t i = 0; i < n; i++) {
		if (load_spec(&docs[i], &s[i], &e) < 0) {
			t_check(0, "side: %s", e.msg);
			return -EINVAL;
		}
		parts[i] = &docs[i]->cases[0];
	}
	return verdict_side_pool(vs, parts, n);
}

/* n values around m: m * (1 + spread * k) for k spread evenly in -1..1,
 * times f for the first `first` of them. */
static void around(double *g, size_t n, double m, double spread)
{
	for (size_t i = 0; i < n; i++)
		g[i] = m * (1 + spread * (n > 1 ? 2.0 * (double)i / (double)(n - 1) - 1 : 0));
}

static void verdicts(void)
{
	static double b9[9], c9[9], s9[9], b15[15], c15[15], wide_b[5], wide_c[5];
	static double drop_b[9], few[3] = { 20, 21, 22 }, few_c[3] = { 8, 9, 10 };
	static double up9[9], mdc_b[5] = { 19, 19.5, 20, 20.5, 21 };
	static const struct {
		const char *name;
		struct spec b, c;
		enum verdict_kind kind;
		enum verdict_why why;
		enum verdict_unit unit;
		size_t units;
	} cases[] = {
		{ "A/A tight: no change", { .g = b9, .n = 9 }, { .g = b9, .n = 9 }, VERDICT_NO_CHANGE, VERDICT_DECIDED, VERDICT_PER_REPETITION, 9 },
		{ "3 reps -58%: inconclusive", { .g = few, .n = 3 }, { .g = few_c, .n = 3 }, VERDICT_INCONCLUSIVE, VERDICT_WHY_MIN_P, VERDICT_PER_REPETITION, 3 },
		{ "5 processes -10%: regression", { .g = b15, .n = 15, .procs = 5, .per_proc = 3 }, { .g = c15, .n = 15, .procs = 5, .per_proc = 3 }, VERDICT_REGRESSION, VERDICT_DECIDED, VERDICT_PER_PROCESS, 5 },
		{ "+10%: improvement", { .g = b9, .n = 9 }, { .g = up9, .n = 9 }, VERDICT_IMPROVEMENT, VERDICT_DECIDED, VERDICT_PER_REPETITION, 9 },
		{ "significant -2%: no change", { .g = b9, .n = 9 }, { .g = s9, .n = 9 }, VERDICT_NO_CHANGE, VERDICT_DECIDED, VERDICT_PER_REPETITION, 9 },
		{ "5 of 9 disturbed: too noisy", { .g = b9, .n = 9 }, { .g = c9, .n = 9, .n_dist = 5, .has_noise = 1 }, VERDICT_TOO_NOISY, VERDICT_WHY_DISTURBED, VERDICT_PER_REPETITION, 9 },
		{ "4 of 9 disturbed: judged", { .g = b9, .n = 9 }, { .g = c9, .n = 9, .n_dist = 4, .has_noise = 1 }, VERDICT_REGRESSION, VERDICT_DECIDED, VERDICT_PER_REPETITION, 9 },
		{ "dropped outliers excluded", { .g = b9, .n = 9 }, { .g = drop_b, .n = 9, .n_dist = 2, .n_drop = 2, .has_noise = 1 }, VERDICT_NO_CHANGE, VERDICT_DECIDED, VERDICT_PER_REPETITION, 7 },
		{ "drops leave 1: too noisy", { .g = b9, .n = 3, .n_dist = 2, .n_drop = 2, .has_noise = 1 }, { .g = b9, .n = 9 }, VERDICT_TOO_NOISY, VERDICT_WHY_DROPPED, VERDICT_PER_REPETITION, 9 },
		{ "one repetition: inconclusive", { .g = b9, .n = 1 }, { .g = b9, .n = 9 }, VERDICT_INCONCLUSIVE, VERDICT_WHY_FEW_UNITS, VERDICT_PER_REPETITION, 9 },
		{ "wide spread: inconclusive", { .g = wide_b, .n = 5 }, { .g = wide_c, .n = 5 }, VERDICT_INCONCLUSIVE, VERDICT_WHY_MDC, VERDICT_PER_REPETITION, 5 },
		{ "MDC 7.35%: inconclusive", { .g = mdc_b, .n = 5 }, { .g = mdc_b, .n = 5 }, VERDICT_INCONCLUSIVE, VERDICT_WHY_MDC, VERDICT_PER_REPETITION, 5 },
	};

	around(b9, 9, 20, 0.002);
	around(c9, 9, 18, 0.002);
	around(s9, 9, 19.6, 0.002);
	around(up9, 9, 22, 0.002);
	around(wide_b, 5, 20, 0.15);
	around(wide_c, 5, 19.4, 0.15);
	memcpy(drop_b, b9, sizeof(b9));
	drop_b[0] = 1; /* dropped: they would drag the median down */
	drop_b[1] = 2;
	/* Per process: five processes of three repetitions each. */
	for (int p = 0; p < 5; p++)
		for (int r = 0; r < 3; r++) {
			b15[p * 3 + r] = 20 * (1 + 0.005 * (p - 2)) + 0.01 * r;
			c15[p * 3 + r] = 18 * (1 + 0.005 * (p - 2)) + 0.01 * r;
		}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct verdict_side b = { 0 }, c = { 0 };
		struct doc *db[1] = { NULL }, *dc[1] = { NULL };
		struct verdict v = { 0 };
		int rc = side(&b, &cases[i].b, 1, db);

		if (rc == 0)
			rc = side(&c, &cases[i].c, 1, dc);
		if (rc == 0)
			rc = verdict_judge(&b, &c, VERDICT_THRESHOLD_PCT, VERDICT_ALPHA, &v);
		t_check(rc == 0 && v.kind == cases[i].kind && v.why == cases[i].why &&
				c.unit == cases[i].unit && c.n_units == cases[i].units,
			"verdict %s: got %s (why %d, unit %d, %zu/%zu units, change %.2f%%, p %.4f, MDC %.2f%%)",
			cases[i].name, verdict_name(v.kind), v.why, c.unit,
			b.n_units, c.n_units, v.change_pct, v.p, v.mdc_pct);
		if (strstr(cases[i].name, "MDC 7.35"))
			/* sd 0.7906 both sides: se = sqrt(2 x 0.625 / 5) / 20 = 2.5%;
			 * (1.95996 + 0.84162) x 2.5% x 1.05 = 7.354%. */
			t_check(near(v.mdc_pct, 7.35414, 1e-4) && v.p == 1,
				"MDC by hand: 7.354%%, got %.5f%%", v.mdc_pct);
		if (strstr(cases[i].name, "dropped"))
			t_check(c.dropped == 2 && c.reps == 9 && c.disturbed == 0 &&
					c.disturbed_all == 2 &&
					c.by_reason[3] == 2 && c.by_reason[4] == 2 &&
					near(c.median, b9[5], 1e-12),
				"dropped: counted, excluded from the units (median %g)",
				c.median);
		verdict_side_free(&b);
		verdict_side_free(&c);
		doc_free(db[0]);
		doc_free(dc[0]);
	}
}

/* Two hosts: a -10% change while the peer's canary ran 30% slower is the
 * peer's speed, not the code's; 5% slower leaves the regression. The
 * pooled peer canary is the median of the kept repetitions. */
static void peer_drift(void)
{
	static const struct {
		const char *name, *cur_sample;
		enum verdict_kind kind;
		enum verdict_why why;
		double pct;
	} cases[] = {
		{ "peer 30% slower", SAMPLE_PEER_AT("1300"), VERDICT_TOO_NOISY, VERDICT_WHY_PEER, 30 },
		{ "peer 5% slower", SAMPLE_PEER_AT("1050"), VERDICT_REGRESSION, VERDICT_DECIDED, 5 },
		{ "peer canary absent", ", \"peer\": {\"seconds\": 1, \"cpu_seconds\": 1, \"cycles\": 5, \"cycles_source\": \"tsc\"}",
		  VERDICT_REGRESSION, VERDICT_DECIDED, NAN },
	};
	static double b9[9], c9[9];

	around(b9, 9, 20, 0.002);
	around(c9, 9, 18, 0.002);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct spec sb = { .g = b9, .n = 9, .extra = PEER_OK,
				   .sample_extra = SAMPLE_PEER, .summary_extra = SUM_PEER };
		struct spec sc = sb;
		struct verdict_side b = { 0 }, c = { 0 };
		struct doc *db[1] = { NULL }, *dc[1] = { NULL };
		struct verdict v = { 0 };
		int rc;

		sc.g = c9;
		sc.sample_extra = cases[i].cur_sample;
		rc = side(&b, &sb, 1, db);
		if (rc == 0)
			rc = side(&c, &sc, 1, dc);
		if (rc == 0)
			rc = verdict_judge(&b, &c, VERDICT_THRESHOLD_PCT, VERDICT_ALPHA, &v);
		t_check(rc == 0 && v.kind == cases[i].kind && v.why == cases[i].why &&
				(isnan(cases[i].pct) ? isnan(v.peer_pct)
						     : near(v.peer_pct, cases[i].pct, 1e-9)) &&
				b.peer_canary_ns == 1000,
			"verdict %s: got %s (why %d, peer %+.1f%%)", cases[i].name,
			verdict_name(v.kind), v.why, v.peer_pct);
		verdict_side_free(&b);
		verdict_side_free(&c);
		doc_free(db[0]);
		doc_free(dc[0]);
	}
}

/* Pooling: four single-process documents per side are four processes
 * each (process 0 of each file is its own process), tested per process. */
static void pooling(void)
{
	static double g[4][3];
	struct spec s[4];
	struct doc *docs[4] = { NULL };
	struct verdict_side vs = { 0 };
	int rc;

	for (int f = 0; f < 4; f++) {
		for (int r = 0; r < 3; r++)
			g[f][r] = 10 * (f + 1) + r;
		s[f] = (struct spec){ .g = g[f], .n = 3, .procs = 1, .per_proc = 3 };
	}
	rc = side(&vs, s, 4, docs);
	t_check(rc == 0 && vs.unit == VERDICT_PER_PROCESS && vs.n_units == 4 &&
			vs.processes == 4 && vs.files == 4 && vs.units[0] == 11 &&
			vs.units[3] == 41 && vs.expected == 12 && !vs.is_incomplete,
		"pool 4 files: 4 process medians 11..41 (unit %d, %zu units)",
		vs.unit, vs.n_units);
	verdict_side_free(&vs);
	for (int f = 0; f < 4; f++)
		doc_free(docs[f]);
	/* One file, one process: repetitions; short of repeat x processes. */
	s[0] = (struct spec){ .g = g[0], .n = 2, .procs = 1, .per_proc = 3 };
	rc = side(&vs, s, 1, docs);
	t_check(rc == 0 && vs.unit == VERDICT_PER_REPETITION && vs.n_units == 2 &&
			vs.expected == 3 && vs.is_incomplete,
		"one process, 2 of 3 repetitions: per repetition, incomplete");
	verdict_side_free(&vs);
	doc_free(docs[0]);
}

int main(void)
{
	quantiles();
	reading();
	options();
	peers();
	peer_identity();
	verdicts();
	peer_drift();
	pooling();
	return t_done("test_compare");
}
