/* Option parsing: size lists and ranges, numeric lists, seconds, and the
 * refusals of `run` that must name the option at fault. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "tests/unit/helpers.h"

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

	t_check(opts_parse_uints("0-3,7", "--cpus", 0, 100, u, OPTS_LIST_MAX, &n,
				 &e) == 0 &&
			n == 5 && u[3] == 3 && u[4] == 7,
		"uints range list");
	t_check(opts_parse_uints("0", "--threads", 1, 8, u, OPTS_LIST_MAX, &n,
				 &e) == -EINVAL &&
			strstr(e.msg, "--threads"),
		"threads 0 refused");
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
	return t_done("test_opts");
}
