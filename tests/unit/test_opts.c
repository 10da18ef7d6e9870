/* Option parsing: size lists and ranges, numeric lists, seconds, the
 * refusals of `run` that must name the option at fault, repeated values,
 * and suite keys (exact option names only). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "bench/opts_show.h"
#include "bench/run.h"
#include "bench/suite.h"
#include "tests/unit/helpers.h"
#include "workloads/wl.h"

static void sizes_ok(const char *s, const size_t *want, size_t nwant)
{
	size_t out[OPTS_LIST_MAX], n = 0;
	struct ncb_err e = { "" };
	int rc = opts_parse_sizes(s, out, OPTS_LIST_MAX, &n, &e);

	t_check(rc == 0 && n == nwant &&
			memcmp(out, want, n * sizeof(*out)) == 0,
		"sizes '%s': rc %d n %zu (%s)", s, rc, n, e.msg);
}

static void sizes_bad(const char *s, const char *needle)
{
	size_t out[OPTS_LIST_MAX], n;
	struct ncb_err e = { "" };

	t_check(opts_parse_sizes(s, out, OPTS_LIST_MAX, &n, &e) == -EINVAL &&
			strstr(e.msg, needle),
		"sizes '%s' refused naming '%s' (got '%s')", s, needle, e.msg);
}

/* Runs opts_parse_run on a copy of args; expects an error naming needle. */
static void run_bad(const char *const *args, size_t n, const char *needle)
{
	char store[8][64], *argv[9];
	struct run_opts *o = calloc(1, sizeof(*o));
	struct ncb_err e = { "" };
	int rc;

	for (size_t i = 0; i < n; i++) {
		snprintf(store[i], sizeof(store[i]), "%s", args[i]);
		argv[i] = store[i];
	}
	argv[n] = NULL;
	rc = opts_parse_run((int)n, argv, o, &e);
	t_check(rc == -EINVAL && strstr(e.msg, needle),
		"run %s %s: refused naming '%s' (rc %d, '%s')", args[1],
		n > 2 ? args[2] : "", needle, rc, e.msg);
	free(o);
}

/* Runs opts_parse_run on a copy of args into o: its return code, e filled
 * on a refusal. */
static int run_args(const char *const *args, size_t n, struct run_opts *o,
		    struct ncb_err *e)
{
	char store[8][64], *argv[9];

	for (size_t i = 0; i < n; i++) {
		snprintf(store[i], sizeof(store[i]), "%s", args[i]);
		argv[i] = store[i];
	}
	argv[n] = NULL;
	return opts_parse_run((int)n, argv, o, e);
}

/* Whether msg names every workload of the comma list who. */
static int takers_named(const char *msg, const char *who)
{
	char list[200], *save = NULL;

	snprintf(list, sizeof(list), "%s", who);
	for (char *w = strtok_r(list, ", ", &save); w;
	     w = strtok_r(NULL, ", ", &save))
		if (!strstr(msg, w))
			return 0;
	return 1;
}

/* Every option of every workload's table, given to every workload: taken
 * by those whose table has it, refused with exit 2's one line by the
 * others, which names the workload and exactly the takers. */
static void applicability_all(void)
{
	struct run_opts *o = calloc(1, sizeof(*o));

	for (size_t i = 0; i < wl_count(); i++)
		for (size_t j = 0; j < wl_at(i)->opts_count; j++) {
			const struct ncb_opt *d = &wl_at(i)->opts[j];
			char opt[64], want[256] = "", who[200] = "";
			size_t n_who = 0;

			/* --framing names a framing of the pattern: its
			 * refusals are checked in cli_errors.sh. */
			if (!strcmp(d->name, "framing"))
				continue;
			snprintf(opt, sizeof(opt), "--%s", d->name);
			for (size_t k = 0; k < wl_count(); k++)
				for (size_t m = 0; m < wl_at(k)->opts_count; m++)
					if (!strcmp(wl_at(k)->opts[m].name, d->name)) {
						snprintf(who + strlen(who),
							 sizeof(who) - strlen(who), "%s%s",
							 n_who++ ? ", " : "",
							 wl_at(k)->name);
						break;
					}
			for (size_t k = 0; k < wl_count(); k++) {
				const struct wl_ops *w = wl_at(k);
				int has = 0;
				struct ncb_err e = { "" };
				const char *val = d->type == NCB_OPT_FLAG ? NULL : d->def;
				int rc;

				for (size_t m = 0; m < w->opts_count; m++)
					has |= !strcmp(w->opts[m].name, d->name);
				rc = run_args((const char *[]){ "run", "-w", w->name,
								opt, val },
					      val ? 5 : 4, o, &e);
				/* A pattern's line also names its framing
				 * and which framings take the option. */
				snprintf(want, sizeof(want),
					 "%s does not apply to workload %s", opt,
					 w->name);
				if (has)
					t_check(rc == 0, "-w %s %s %s: taken (%s)",
						w->name, opt, val ? val : "", e.msg);
				else
					t_check(rc == -EINVAL &&
							!strncmp(e.msg, want, strlen(want)) &&
							takers_named(e.msg, who),
						"-w %s %s: refused as '%s' (got '%s')",
						w->name, opt, want, e.msg);
			}
		}
	free(o);
}

/* --help: every option once, as an option line; shared ones with their
 * workloads. */
static void help_once(void)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, io = 0, verify = 0;
	FILE *f = open_memstream(&text, &len);

	t_check(f != NULL, "open_memstream");
	if (!f)
		return;
	opts_show_help(f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* An option line: "  -x, --name" or "      --name". */
		const char *p = !strncmp(line, "      --", 8) ? line + 8
				: (line[2] == '-' && !strncmp(line + 4, ", --", 4))
					? line + 8
					: NULL;

		if (!p)
			continue;
		io += !strncmp(p, "io ", 3);
		verify += !strncmp(p, "verify ", 7) &&
			  strstr(p, "[esp, macsec, wg, stream, flow, rr]") != NULL;
	}
	t_check(io == 1, "--help: --io on one option line (%zu)", io);
	t_check(verify == 1, "--help: --verify once, with its workloads (%zu)",
		verify);
	free(text);
	text = NULL;
	for (size_t i = 0; i < wl_count(); i++)
		for (size_t j = 0; j < wl_at(i)->opts_count; j++) {
			char name[64];
			size_t n = 0;

			snprintf(name, sizeof(name), "\n      --%s ",
				 wl_at(i)->opts[j].name);
			f = open_memstream(&text, &len);
			opts_show_help(f);
			fclose(f);
			for (char *p = text; (p = strstr(p, name)); p++)
				n++;
			t_check(n == 1, "--help: %s listed %zu times", name + 2, n);
			free(text);
			text = NULL;
		}
	free(text);
}

/* A suite from text: refused naming needle, or (needle NULL) accepted
 * with group 1's vector equal to want (NULL-terminated). */
static void suite_case(const char *json, const char *needle,
		       const char *const *want)
{
	struct suite *s = NULL;
	struct ncb_err e = { "" };
	int rc = suite_load_buf(&s, "t.json", json, strlen(json), NULL, 0, &e);

	if (needle) {
		t_check(rc == -EINVAL && strstr(e.msg, needle),
			"suite %s: refused naming '%s' (rc %d, '%s')", json, needle,
			rc, e.msg);
	} else {
		int same = rc == 0;

		for (int i = 0; same && want[i]; i++)
			same = i < s->argc[0] && !strcmp(s->argv[0][i], want[i]);
		t_check(same, "suite %s: accepted as given (rc %d, '%s')", json,
			rc, e.msg);
	}
	suite_free(s);
}

/* run_plan_check on args: 0 expected when needle is NULL. */
static void plan_case(const char *const *args, size_t n, const char *needle)
{
	char store[12][128], *argv[13];
	struct ncb_err e = { "" };
	int rc;

	for (size_t i = 0; i < n; i++) {
		snprintf(store[i], sizeof(store[i]), "%s", args[i]);
		argv[i] = store[i];
	}
	argv[n] = NULL;
	rc = run_plan_check((int)n, argv, &e);
	if (needle)
		t_check(rc == -EINVAL && strstr(e.msg, needle),
			"plan %s %s: refused naming '%s' (rc %d, '%s')", args[1],
			n > 2 ? args[2] : "", needle, rc, e.msg);
	else
		t_check(rc == 0, "plan %s %s: accepted (rc %d, '%s')", args[1],
			n > 2 ? args[2] : "", rc, e.msg);
}

int main(void)
{
	static const size_t one[] = { 64 };
	static const size_t two[] = { 64, 1420 };
	static const size_t range[] = { 64, 128, 192, 256 };
	static const size_t mixed[] = { 16, 64, 96, 128, 9000 };
	unsigned u[OPTS_LIST_MAX];
	size_t n;
	double d;
	struct ncb_err e;

	sizes_ok("64", one, 1);
	sizes_ok("64,1420", two, 2);
	sizes_ok("64:64:256", range, 4);
	sizes_ok("16,64:32:128,9000", mixed, 5);
	sizes_ok("64:64:300", range, 4); /* end need not be on a step */
	sizes_bad("0", "out of range");
	sizes_bad("2000000", "out of range");
	sizes_bad("abc", "not a number");
	sizes_bad("64,", "not a number");
	sizes_bad("-5", "not a number");
	sizes_bad("64:128", "start:step:end");
	sizes_bad("64:0:128", "step");
	sizes_bad("128:1:64", "step");
	/* A step that carries x past ULONG_MAX must not wrap to 0. */
	static const size_t first[] = { 1 };
	static const size_t top[] = { 1048000, 1048576 };
	sizes_ok("1:18446744073709551615:1048576", first, 1);
	sizes_ok("1048000:576:1048576", top, 2);
	sizes_ok("1048000:577:1048576", top, 1);
	sizes_bad("64,64", "64 appears twice");
	sizes_bad("64,32:32:128", "64 appears twice");
	sizes_bad("1:1:1048576", "more than 64 sizes");

	t_check(opts_parse_uints("0-3,7", "--cpus", 0, 100, u, OPTS_LIST_MAX, &n,
				 &e) == 0 &&
			n == 5 && u[3] == 3 && u[4] == 7,
		"uints range list");
	t_check(opts_parse_uints("0", "--threads", 1, 8, u, OPTS_LIST_MAX, &n,
				 &e) == -EINVAL &&
			strstr(e.msg, "--threads"),
		"threads 0 refused");
	t_check(opts_parse_uints("1,1", "--threads", 1, 8, u, OPTS_LIST_MAX, &n,
				 &e) == -EINVAL &&
			strstr(e.msg, "--threads: 1 appears twice"),
		"threads 1,1 refused ('%s')", e.msg);
	t_check(opts_parse_uints("0-3,2", "--cpus", 0, 100, u, OPTS_LIST_MAX, &n,
				 &e) == -EINVAL &&
			strstr(e.msg, "--cpus: 2 appears twice"),
		"cpus 0-3,2 refused ('%s')", e.msg);
	t_check(opts_parse_seconds("0.3", "--duration", 0.01, 10, &d, &e) == 0 &&
			d == 0.3,
		"fractional seconds");
	t_check(opts_parse_seconds("1s", "--duration", 0.01, 10, &d, &e) == -EINVAL,
		"seconds with a unit refused");
	t_check(opts_parse_seconds("0", "--duration", 0.01, 10, &d, &e) == -EINVAL,
		"zero duration refused");

	run_bad((const char *[]){ "run", "--workload", "nope" }, 3, "--workload");
	run_bad((const char *[]){ "run", "--size", "0" }, 3, "--size");
	run_bad((const char *[]){ "run", "--repeat", "0" }, 3, "--repeat");
	run_bad((const char *[]){ "run", "--bogus" }, 2, "--bogus");
	run_bad((const char *[]){ "run", "--direction", "sideways" }, 3,
		"--direction");
	run_bad((const char *[]){ "run", "--duration" }, 2, "--duration");
	run_bad((const char *[]){ "run", "extra" }, 2, "extra");
	run_bad((const char *[]){ "run", "-c", "sm4-gcm,sm4-gcm" }, 3,
		"--cipher: 'sm4-gcm' appears twice");
	run_bad((const char *[]){ "run", "-b", "openssl,openssl" }, 3,
		"--backend: 'openssl' appears twice");
	run_bad((const char *[]){ "run", "-b", "all,openssl" }, 3,
		"'all' already includes 'openssl'");
	run_bad((const char *[]){ "run", "-b", "gcrypt,all" }, 3,
		"'all' already includes 'gcrypt'");
	run_bad((const char *[]){ "run", "--cpus", "1,1" }, 3,
		"--cpus: 1 appears twice");

	/* Options a case does not take: one line naming the takers. */
	run_bad((const char *[]){ "run", "-w", "stream", "--replay-window", "7" },
		5, "--replay-window does not apply to workload stream (it applies to esp, macsec, wg, flow, rr --framing esp|macsec|wg)");
	run_bad((const char *[]){ "run", "--verify" }, 2,
		"--verify does not apply to workload cipher (it applies to esp, macsec, wg, stream, flow, rr)");
	run_bad((const char *[]){ "run", "-w", "rr", "--imix", "simple" }, 5,
		"--imix does not apply to workload rr (it applies to esp, macsec, wg, stream, flow)");
	run_bad((const char *[]){ "run", "--esn", "-w", "macsec" }, 4,
		"--esn does not apply to workload macsec (it applies to esp, flow --framing esp, rr --framing esp)");
	run_bad((const char *[]){ "run", "-w", "esp", "--direction", "open" }, 5,
		"--direction does not apply to workload esp (it applies to cipher)");
	applicability_all();
	help_once();

	/* Defaults come from the table's text, parsed as if typed; the
	 * case's own options from its workload's table. */
	{
		struct run_opts *o = calloc(1, sizeof(*o));
		char buf[32];
		const char *v;

		t_check(run_args((const char *[]){ "run" }, 1, o, &e) == 0 &&
				!strcmp(o->wl->name, "cipher") && o->n_ciphers == 4 &&
				!strcmp(o->ciphers[3], "sm4-gcm") &&
				o->n_backends == 1 && !strcmp(o->backends[0], "all") &&
				o->n_sizes == 3 && o->sizes[2] == 16384 &&
				o->n_threads == 1 && o->threads[0] == 1 &&
				o->n_cpus == 0 && o->duration == 0.3 &&
				o->warmup == 0.1 && o->repeat == 1 &&
				!o->is_repeat_auto && o->processes == 5 &&
				o->ci_target == 2 && !o->is_verify && !o->imix,
			"defaults from the table ('%s')", e.msg);
		t_check(run_args((const char *[]){ "run", "-w", "esp", "--batch",
						   "8", "-r", "auto" },
				 7, o, &e) == 0 &&
				(v = opts_wl_value(o, "batch", buf, sizeof(buf))) &&
				!strcmp(v, "8") &&
				!strcmp(opts_wl_value(o, "mode", buf, sizeof(buf)),
					"tunnel") &&
				!strcmp(opts_wl_value(o, "burst", buf, sizeof(buf)),
					"32") &&
				!strcmp(opts_wl_value(o, "icv-len", buf, sizeof(buf)),
					"0") &&
				o->is_repeat_auto && o->repeat == OPTS_REPEAT_AUTO_MAX,
			"esp options and repeat auto ('%s')", e.msg);
		t_check(run_args((const char *[]){ "run", "-w", "stream" }, 3, o,
				 &e) == 0 &&
				!opts_wl_value(o, "replay-window", buf, sizeof(buf)) &&
				!opts_wl_value(o, "burst", buf, sizeof(buf)) &&
				opts_wl_value(o, "batch", buf, sizeof(buf)),
			"stream has no replay window and no bursts ('%s')", e.msg);
		t_check(run_args((const char *[]){ "run", "-w", "rr", "--burst",
						   "1" },
				 5, o, &e) == 0 &&
				!strcmp(opts_wl_value(o, "burst", buf, sizeof(buf)),
					"1"),
			"rr takes --burst ('%s')", e.msg);
		t_check(run_args((const char *[]){ "run", "--help" }, 2, o, &e) == 1,
			"--help returns 1");
		free(o);
	}

	/* Exact option names only: getopt would expand "outp". */
	t_check(opts_find_long("output") == 1 && opts_find_long("verify") == 0 &&
			opts_find_long("batch") == 1 && opts_find_long("xpn") == 0 &&
			opts_find_long("outp") == -ENOENT &&
			opts_find_long("hel") == -ENOENT &&
			opts_find_long("") == -ENOENT,
		"opts_find_long: exact names only");
	suite_case("{\"groups\": [{\"outp\": \"x.json\"}]}", "'--outp'", NULL);
	suite_case("{\"groups\": [{\"hel\": true}]}", "'--hel'", NULL);
	suite_case("{\"groups\": [{\"help\": true}]}", "\"help\"", NULL);
	suite_case("{\"groups\": [{\"output\": \"x\"}]}", "\"output\"", NULL);
	suite_case("{\"groups\": [{\"suite\": \"x\"}]}", "\"suite\"", NULL);
	suite_case("{\"groups\": [{\"\": 1}]}", "unknown option", NULL);
	suite_case("{\"groups\": [{\"cipher=x\": 1}]}", "unknown option", NULL);
	suite_case("{\"groups\": [{\"workload\": true}]}", "needs a value", NULL);
	suite_case("{\"groups\": [{\"verify\": 1}]}", "is a flag", NULL);
	suite_case("{\"groups\": [{\"size\": [[64]]}]}", "needs a string", NULL);
	suite_case("[1]", "not a JSON object", NULL);
	suite_case("{\"groups\": [{\"cipher\": [\"aes-128-gcm\", \"sm4-gcm\"],"
		   " \"size\": 64, \"verify\": false, \"xpn\": true,"
		   " \"cpus\": \"-1\"}]}",
		   NULL,
		   (const char *const[]){ "run", "--cipher=aes-128-gcm,sm4-gcm",
					  "--size=64", "--xpn", "--cpus=-1",
					  NULL });

	/* The plan: repeated cases across groups, -o checked up front. */
	plan_case((const char *[]){ "run", "-c", "aes-128-gcm", "-b", "openssl",
				    "-s", "64" },
		  7, NULL);
	plan_case((const char *[]){ "run", "-c", "aes-128-gcm", "-o", "/" }, 5,
		  "--output");
	plan_case((const char *[]){ "run", "-c", "aes-128-gcm", "-o", "d/" }, 5,
		  "ends in '/'");
	plan_case((const char *[]){ "run", "-c", "aes-128-gcm", "-o",
				    "/nonexistent-dir/x.json" },
		  5, "--output");
	return t_done("test_opts");
}
