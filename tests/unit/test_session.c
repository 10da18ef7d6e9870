/* The session protocol's messages (bench/session_msg.h) and the host
 * fingerprint from JSON (bench/env.h): what this host sends reads back
 * whole, and every hostile variant of a message is refused. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/env.h"
#include "bench/opts.h"
#include "bench/session.h"
#include "bench/session_msg.h"
#include "io/ctl.h"
#include "tests/unit/helpers.h"
#include "workloads/peer.h"
#include "workloads/wl.h"

static json_t *parse(const char *text)
{
	struct ncb_err e;
	json_t *m = NULL;

	if (ctl_parse(text, strlen(text), &m, &e) < 0)
		fprintf(stderr, "test_session: cannot parse %s: %s\n", text, e.msg);
	return m;
}

static void fake_host(struct env_host *h)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->hostname, sizeof(h->hostname), "gw1");
	snprintf(h->kernel, sizeof(h->kernel), "Linux 6.1.0 x86_64");
	snprintf(h->cpu_model, sizeof(h->cpu_model), "Some CPU @ 2.90GHz");
	snprintf(h->cpu_flags, sizeof(h->cpu_flags), "fpu aes avx2");
	snprintf(h->smt, sizeof(h->smt), "on");
	h->boost = -1;
	h->is_invariant_tsc = 1;
	h->tsc_hz = 2.9e9;
	h->pus = 4, h->cores = 2, h->numa_nodes = 1, h->packages = 1;
	snprintf(h->io_uring[0], sizeof(h->io_uring[0]), "single_mmap");
	snprintf(h->io_uring[1], sizeof(h->io_uring[1]), "op_send");
	h->io_uring_count = 2;
	snprintf(h->hygiene.pus, sizeof(h->hygiene.pus), "0-3");
	snprintf(h->hygiene.items[0].name, HYGIENE_NAME, "thp");
	snprintf(h->hygiene.items[0].value, HYGIENE_VALUE, "madvise");
	h->hygiene.n = 1;
}

static void test_host(void)
{
	/* Each replaces one member of a good host object. */
	static const struct {
		const char *name, *key, *value;
	} bad[] = {
		{ "unknown key", "extra", "1" },
		{ "hostname not a string", "hostname", "7" },
		{ "hostname with a newline", "hostname", "\"a\\nb\"" },
		{ "hostname too long", "hostname", NULL },
		{ "cpu_flags not an array", "cpu_flags", "\"fpu aes\"" },
		{ "a flag with a space", "cpu_flags", "[\"fpu aes\"]" },
		{ "an empty flag", "cpu_flags", "[\"\"]" },
		{ "boost a number", "boost", "1" },
		{ "invariant_tsc null", "invariant_tsc", "null" },
		{ "tsc_hz negative", "tsc_hz", "-1.0" },
		{ "tsc_hz huge", "tsc_hz", "1e300" },
		{ "pus negative", "pus", "-1" },
		{ "pus a string", "pus", "\"4\"" },
		{ "too many io_uring features", "io_uring_features", NULL },
		{ "hygiene not an object", "hygiene", "[]" },
		{ "hygiene without pus", "hygiene", "{\"thp\": \"never\"}" },
		{ "a fact named in capitals", "hygiene", "{\"pus\": \"0\", \"THP\": \"x\"}" },
		{ "a fact not a string", "hygiene", "{\"pus\": \"0\", \"thp\": 1}" },
	};
	struct env_host h, back;
	struct ncb_err e;
	json_t *j;
	int rc;

	fake_host(&h);
	j = env_host_json(&h);
	rc = env_host_from_json(j, &back, &e);
	t_check(rc == 0, "host round trip: %d %s", rc, rc ? e.msg : "");
	t_check(!strcmp(back.hostname, "gw1") && !strcmp(back.cpu_flags, "fpu aes avx2") &&
			back.boost == -1 && back.tsc_hz == 2.9e9 && back.pus == 4 &&
			back.io_uring_count == 2 && !strcmp(back.io_uring[1], "op_send") &&
			back.hygiene.n == 1 && !strcmp(back.hygiene.items[0].name, "thp") &&
			!strcmp(back.hygiene.items[0].value, "madvise") &&
			!back.microcode[0] && !strcmp(back.hygiene.pus, "0-3"),
		"host round trip: fields kept");
	for (size_t i = 0; i < NCB_ARRAY_SIZE(bad); i++) {
		json_t *c = json_deep_copy(j), *v;

		if (bad[i].value) {
			v = json_loads(bad[i].value, JSON_DECODE_ANY, NULL);
		} else if (!strcmp(bad[i].key, "hostname")) {
			static char big[ENV_STR + 8];

			memset(big, 'a', sizeof(big) - 1);
			v = json_string(big);
		} else {
			v = json_array();
			for (int k = 0; k <= ENV_FEATURES; k++)
				json_array_append_new(v, json_string("op_x"));
		}
		json_object_set_new(c, bad[i].key, v);
		rc = env_host_from_json(c, &back, &e);
		t_check(rc == -EPROTO, "host: %s refused (%d)", bad[i].name, rc);
		json_decref(c);
	}
	json_decref(j);
}

static void test_hello(void)
{
	static struct session_hello hi;
	static struct session_caps local;
	struct env_host h;
	struct ncb_err e;
	json_t *m;
	int rc;

	fake_host(&h);
	m = session_hello_json(&h);
	rc = session_hello_parse(m, &hi, &e);
	t_check(rc == 0, "hello round trip: %d %s", rc, rc ? e.msg : "");
	session_caps_local(&local);
	t_check(!memcmp(&hi.caps, &local, sizeof(local)), "hello: caps kept");
	t_check(!strcmp(hi.host.hostname, "gw1"), "hello: host kept");
	t_check(session_caps_check(&hi.caps, "h", "esp", "openssl", "aes-128-gcm",
				   "esp", "uring", &e) == 0,
		"caps: esp aes-128-gcm openssl esp uring offered: %s", e.msg);
	json_object_set_new(m, "extra", json_true());
	t_check(session_hello_parse(m, &hi, &e) == -EPROTO, "hello: unknown field refused");
	json_object_del(m, "extra");
	json_object_set_new(m, "ncbench", json_string("1 0"));
	t_check(session_hello_parse(m, &hi, &e) == -EPROTO, "hello: version not a name");
	json_decref(m);
}

static void test_caps(void)
{
	static const struct {
		const char *wl, *backend, *alg, *framing, *engine, *says;
	} cases[] = {
		{ "nosuch", "openssl", "aes-128-gcm", "esp", "uring", "lacks workload nosuch" },
		{ "esp", "nosuch", "aes-128-gcm", "esp", "uring", "lacks backend nosuch" },
		{ "esp", "openssl", "nosuch", "esp", "uring", "lacks algorithm nosuch in backend openssl" },
		{ "esp", "openssl", "aes-128-gcm", "nosuch", "uring", "lacks framing nosuch" },
		{ "esp", "openssl", "aes-128-gcm", "esp", "nosuch", "lacks engine nosuch" },
	};
	static struct session_caps c;
	struct ncb_err e;

	session_caps_local(&c);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		int rc = session_caps_check(&c, "gw1", cases[i].wl, cases[i].backend,
					    cases[i].alg, cases[i].framing,
					    cases[i].engine, &e);

		t_check(rc == -EINVAL && strstr(e.msg, cases[i].says) &&
				!strncmp(e.msg, "peer gw1 ", 9),
			"caps: '%s' (got %d '%s')", cases[i].says, rc, e.msg);
	}
}

/* A case made from a parsed command line crosses and parses back into
 * the same options. */
static void test_case_round_trip(void)
{
	static struct run_opts o, back;
	static struct session_case sc, got;
	static struct session_argv args;
	char *argv[] = { "run", "-w", "esp", "-c", "aes-128-gcm", "-b", "openssl",
			 "-s", "1420", "--verify", "--batch", "16", "--no-gso",
			 "--sa-dist", "zipf:1.25", "--peer", "h", "--psk-file",
			 "f", "--bidir", NULL };
	struct ncb_err e;
	json_t *m;
	int rc = opts_parse_run(NCB_ARRAY_SIZE(argv) - 1, argv, &o, &e);

	t_check(rc == 0, "case: command line parses: %s", rc ? e.msg : "");
	if (rc)
		return;
	rc = session_case_from_run(&o, "aes-128-gcm", "openssl", 1420, 1, &sc, &e);
	t_check(rc == 0 && sc.mode == WL_PEER_BIDIR, "case from run: %d %s", rc, e.msg);
	m = session_case_json(&sc);
	rc = session_case_parse(m, &got, &e);
	json_decref(m);
	t_check(rc == 0 && !memcmp(&got, &sc, sizeof(sc)), "case round trip: %d %s",
		rc, rc ? e.msg : "");
	rc = session_case_argv(&got, &args, &e);
	t_check(rc == 0, "case argv: %d %s", rc, rc ? e.msg : "");
	rc = rc ? rc : opts_parse_run(args.argc, args.argv, &back, &e);
	t_check(rc == 0 && back.wl == o.wl && back.is_verify &&
			!memcmp(back.wl_opts, o.wl_opts, o.wl->opts_size) &&
			!back.peer,
		"case argv parses into the same case: %d %s", rc, rc ? e.msg : "");
}

/* Hostile case messages: refused by the decoder (-EPROTO) or by the
 * command line it would make (-EINVAL), before any parser of run's. */
static void test_case_hostile(void)
{
#define CASE(mode, body) \
	"{\"v\": 1, \"type\": \"case\", \"mode\": \"" mode "\", \"case\": " body "}"
#define BODY(extra) \
	"{\"workload\": \"esp\", \"cipher\": \"aes-128-gcm\", \"backend\": \"openssl\"," \
	" \"threads\": 1, \"verify\": true" extra "}"
	static const struct {
		const char *name, *text;
		int rc;
	} cases[] = {
		{ "good", CASE("forward", BODY(", \"size\": 64, \"options\": {}")), 0 },
		{ "mode", CASE("sideways", BODY(", \"size\": 64, \"options\": {}")), -EPROTO },
		{ "no size", CASE("forward", BODY(", \"options\": {}")), -EPROTO },
		{ "size and imix", CASE("forward", BODY(", \"size\": 64, \"imix\": \"simple\", \"options\": {}")), -EPROTO },
		{ "size 0", CASE("forward", BODY(", \"size\": 0, \"options\": {}")), -EPROTO },
		{ "size real", CASE("forward", BODY(", \"size\": 64.5, \"options\": {}")), -EPROTO },
		{ "unknown field", CASE("forward", BODY(", \"size\": 64, \"output\": \"/x\", \"options\": {}")), -EPROTO },
		{ "option not text", CASE("forward", BODY(", \"size\": 64, \"options\": {\"batch\": 16}")), -EPROTO },
		{ "option value with a space", CASE("forward", BODY(", \"size\": 64, \"options\": {\"batch\": \"1 6\"}")), -EPROTO },
		{ "option value with an equals sign", CASE("forward", BODY(", \"size\": 64, \"options\": {\"sa-dist\": \"zipf=1\"}")), -EPROTO },
		{ "a colon in a name", CASE("forward", BODY(", \"size\": 64, \"options\": {\"sa:dist\": \"uniform\"}")), -EPROTO },
		{ "a list of ciphers", "{\"v\": 1, \"type\": \"case\", \"mode\": \"forward\", \"case\": {\"workload\": \"esp\", \"cipher\": \"aes-128-gcm,null\", \"backend\": \"openssl\", \"threads\": 1, \"verify\": true, \"size\": 64, \"options\": {}}}", -EPROTO },
		{ "threads 5000", "{\"v\": 1, \"type\": \"case\", \"mode\": \"forward\", \"case\": {\"workload\": \"esp\", \"cipher\": \"null\", \"backend\": \"openssl\", \"threads\": 5000, \"verify\": true, \"size\": 64, \"options\": {}}}", -EPROTO },
		{ "a common option", CASE("forward", BODY(", \"size\": 64, \"options\": {\"output\": \"x.json\"}")), -EINVAL },
		{ "--suite", CASE("forward", BODY(", \"size\": 64, \"options\": {\"suite\": \"x.json\"}")), -EINVAL },
		{ "another workload's option", CASE("forward", BODY(", \"size\": 64, \"options\": {\"depth\": \"4\"}")), -EINVAL },
		{ "a flag of 2", CASE("forward", BODY(", \"size\": 64, \"options\": {\"no-gso\": \"2\"}")), -EINVAL },
		{ "unknown workload", "{\"v\": 1, \"type\": \"case\", \"mode\": \"forward\", \"case\": {\"workload\": \"nosuch\", \"cipher\": \"null\", \"backend\": \"openssl\", \"threads\": 1, \"verify\": true, \"size\": 64, \"options\": {}}}", -EINVAL },
		{ "cipher workload", "{\"v\": 1, \"type\": \"case\", \"mode\": \"forward\", \"case\": {\"workload\": \"cipher\", \"cipher\": \"null\", \"backend\": \"openssl\", \"threads\": 1, \"verify\": false, \"size\": 64, \"options\": {}}}", -EINVAL },
	};
#undef BODY
#undef CASE
	static struct session_case sc;
	static struct session_argv args;
	struct ncb_err e;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		json_t *m = parse(cases[i].text);
		int rc = m ? session_case_parse(m, &sc, &e) : -EBADMSG;

		if (rc == 0)
			rc = session_case_argv(&sc, &args, &e);
		t_check(rc == cases[i].rc, "case: %s: %d, not %d (%s)", cases[i].name,
			rc, cases[i].rc, rc ? e.msg : "");
		json_decref(m);
	}
}

static void test_ready_rep(void)
{
	static const struct {
		const char *name, *text;
		int rc;
	} cases[] = {
		{ "ready", "{\"v\":1,\"type\":\"ready\",\"workers\":1,\"placement\":[{\"pu\":1,\"core\":1,\"numa\":0,\"mem_bound\":true}]}", 0 },
		{ "ready: count differs", "{\"v\":1,\"type\":\"ready\",\"workers\":2,\"placement\":[{\"pu\":1,\"core\":1,\"numa\":0,\"mem_bound\":true}]}", -EPROTO },
		{ "ready: no workers", "{\"v\":1,\"type\":\"ready\",\"workers\":0,\"placement\":[]}", -EPROTO },
		{ "ready: pu -1", "{\"v\":1,\"type\":\"ready\",\"workers\":1,\"placement\":[{\"pu\":-1,\"core\":1,\"numa\":0,\"mem_bound\":true}]}", -EPROTO },
		{ "ready: extra key", "{\"v\":1,\"type\":\"ready\",\"workers\":1,\"placement\":[{\"pu\":1,\"core\":1,\"numa\":0,\"mem_bound\":true,\"x\":1}]}", -EPROTO },
		{ "ready: too many", "{\"v\":1,\"type\":\"ready\",\"workers\":5,\"placement\":[]}", -EPROTO },
	};
	static const struct {
		const char *name, *text;
		int rc;
	} reps[] = {
		{ "rep", "{\"v\":1,\"type\":\"rep\",\"seconds\":0.3,\"warmup\":false}", 0 },
		{ "rep: 0 s", "{\"v\":1,\"type\":\"rep\",\"seconds\":0,\"warmup\":false}", -EPROTO },
		{ "rep: past an hour", "{\"v\":1,\"type\":\"rep\",\"seconds\":3601,\"warmup\":false}", -EPROTO },
		{ "rep: text", "{\"v\":1,\"type\":\"rep\",\"seconds\":\"1\",\"warmup\":false}", -EPROTO },
		{ "rep: no warmup", "{\"v\":1,\"type\":\"rep\",\"seconds\":1}", -EPROTO },
		{ "rep: a ready", "{\"v\":1,\"type\":\"ready\",\"seconds\":1,\"warmup\":false}", -EPROTO },
	};
	struct pin_place place[4];
	unsigned workers;
	struct ncb_err e;
	double secs;
	int warm;

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		json_t *m = parse(cases[i].text);
		int rc = session_ready_parse(m, &workers, place, 4, &e);

		t_check(rc == cases[i].rc, "%s: %d (%s)", cases[i].name, rc, e.msg);
		json_decref(m);
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(reps); i++) {
		json_t *m = parse(reps[i].text);
		int rc = session_rep_parse(m, &secs, &warm, &e);

		t_check(rc == reps[i].rc, "%s: %d (%s)", reps[i].name, rc, e.msg);
		json_decref(m);
	}
}

static void test_addr(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	char buf[SESSION_ADDR];

	memset(&ss, 0, sizeof(ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(7478);
	inet_pton(AF_INET, "10.0.0.2", &s4->sin_addr);
	session_addr_format(&ss, buf, sizeof(buf));
	t_check(!strcmp(buf, "10.0.0.2:7478"), "IPv4 address: %s", buf);
	memset(&ss, 0, sizeof(ss));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(7478);
	inet_pton(AF_INET6, "fd00::2", &s6->sin6_addr);
	session_addr_format(&ss, buf, sizeof(buf));
	t_check(!strcmp(buf, "[fd00::2]:7478"), "IPv6 address: %s", buf);
	inet_pton(AF_INET6, "::ffff:10.0.0.2", &s6->sin6_addr);
	session_addr_format(&ss, buf, sizeof(buf));
	t_check(!strcmp(buf, "10.0.0.2:7478"), "IPv4-mapped address: %s", buf);
}

int main(void)
{
	ctl_init();
	test_host();
	test_hello();
	test_caps();
	test_case_round_trip();
	test_case_hostile();
	test_ready_rep();
	test_addr();
	return t_done("test_session");
}
