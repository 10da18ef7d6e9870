/* libFuzzer target for the session protocol's messages (bench/session_msg.h):
 * the input is one message's bytes as the control channel delivers them.
 * It goes through ctl_parse, then through every decoder (hello, case,
 * ready, rep), and a case that decodes is rebuilt into its `run` command
 * line and parsed as `ncbench serve` does; nothing runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/opts.h"
#include "bench/session_msg.h"
#include "io/ctl.h"
#include "io/pin.h"

enum { PLACE_MAX = 64 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout)) /* nothing prints; in case */
		abort();
	ctl_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct session_hello hello;
	static struct session_case sc;
	static struct session_argv args;
	static struct run_opts o;
	struct pin_place place[PLACE_MAX];
	unsigned workers;
	double seconds;
	int is_warmup;
	struct ncb_err e;
	json_t *msg;

	if (ctl_parse((const char *)data, size, &msg, &e) < 0)
		return 0;
	(void)!session_hello_parse(msg, &hello, &e);
	(void)!session_ready_parse(msg, &workers, place, PLACE_MAX, &e);
	(void)!session_rep_parse(msg, &seconds, &is_warmup, &e);
	if (session_case_parse(msg, &sc, &e) == 0 &&
	    session_case_argv(&sc, &args, &e) == 0)
		(void)!opts_parse_run(args.argc, args.argv, &o, &e);
	json_decref(msg);
	return 0;
}
