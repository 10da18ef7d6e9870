/* The messages of a two-host case's session, between `ncbench run --peer`
 * and `ncbench serve`, over the control channel (io/ctl.h). Every message
 * is a JSON object with "type":
 *
 *   run -> serve   hello   {ncbench, caps, host}       serve answers hello,
 *                                                      or busy and closes
 *   run -> serve   case    {mode, case}                accept | refuse
 *   both ways      swap    {step, data}                during set-up and in
 *                                                      every repetition
 *   serve -> run   ready   {workers, placement}        set-up done there
 *   run -> serve   rep     {seconds, warmup}           one per repetition
 *   run -> serve   end                                 serve answers bye
 *   either way     error   {message}                   then it closes
 *
 * This file builds and checks them: pure functions, no I/O; each decoder
 * is strict and fuzzed (tests/fuzz/fuzz_session.c). session.h carries
 * them; the run side's steps are in run_peer.c, the serve side's in
 * serve_case.c. */
#ifndef NCB_BENCH_SESSION_MSG_H
#define NCB_BENCH_SESSION_MSG_H

#include <jansson.h>
#include <stddef.h>

#include "bench/env.h"
#include "io/ncb.h"
#include "io/pin.h"

struct run_opts;

enum session_limits {
	SESSION_NAME = 32,       /* bytes of a name (backend, option, ...) */
	SESSION_TEXT = 64,       /* bytes of an option's value */
	SESSION_BACKENDS = 16,
	SESSION_ALGS = 24,       /* per backend */
	SESSION_FRAMINGS = 16,
	SESSION_ENGINES = 8,
	SESSION_WORKLOADS = 64,
	SESSION_OPTS = 64,       /* a workload's options */
	SESSION_ARGS = 2 * SESSION_OPTS + 16,
	SESSION_ADDR = 64,       /* "[v6 address]:port" */
	SESSION_SECONDS_MAX = 3600, /* one repetition */
};

enum session_times {
	SESSION_HELLO_MS = 5000,    /* a hello after the handshake */
	SESSION_SETUP_MS = 60000,   /* the serve host's set-up after ours */
	/* The next "rep" may wait for the run host's statistics and
	 * noise readings; a closed connection is seen at once. */
	SESSION_REP_WAIT_MS = 120000,
	SESSION_BYE_MS = 10000,     /* the serve host's teardown */
};

/* What one host can run, as its hello says. */
struct session_backend {
	char name[SESSION_NAME];
	char algs[SESSION_ALGS][SESSION_NAME];
	size_t n_algs;
};

struct session_caps {
	struct session_backend backends[SESSION_BACKENDS];
	size_t n_backends;
	char framings[SESSION_FRAMINGS][SESSION_NAME];
	size_t n_framings;
	char engines[SESSION_ENGINES][SESSION_NAME];
	size_t n_engines;
	char workloads[SESSION_WORKLOADS][SESSION_NAME];
	size_t n_workloads;
};

struct session_hello {
	char version[SESSION_NAME];
	struct session_caps caps;
	struct env_host host;
};

/* A case as it crosses: the axes and the workload's own options as text,
 * never anything else of a command line. */
struct session_opt {
	char name[SESSION_NAME];
	char value[SESSION_TEXT];
};

struct session_case {
	unsigned mode; /* enum wl_peer_mode */
	char workload[SESSION_NAME], cipher[SESSION_NAME];
	char backend[SESSION_NAME];
	char imix[SESSION_NAME]; /* "" unless a mix */
	size_t size;             /* 0 with a mix */
	unsigned threads;
	int is_verify;
	struct session_opt opts[SESSION_OPTS];
	size_t n_opts;
};

/* The `run` argument vector a case makes (session_case_argv). */
struct session_argv {
	char *argv[SESSION_ARGS + 1];
	int argc;
	char store[SESSION_ARGS * (SESSION_NAME + SESSION_TEXT + 4)];
};

/* What this host can run: backends with the algorithms each offers here,
 * framings, I/O engines, the workloads that run on two hosts. */
void session_caps_local(struct session_caps *c);

/* A hello: version, this host's capabilities, h as the document's
 * "host". New reference, NULL without memory. */
json_t *session_hello_json(const struct env_host *h);
/* Checks a hello (type "hello") into out; 0 or -EPROTO with e. */
NCB_MUST_CHECK int session_hello_parse(const json_t *msg,
				       struct session_hello *out,
				       struct ncb_err *e);
/* Whether caps has workload/backend/alg/framing/engine (framing and
 * engine may be NULL: the workload has none): 0, or -EINVAL with e
 * "peer HOST lacks ..." naming the first missing one. */
NCB_MUST_CHECK int session_caps_check(const struct session_caps *caps,
				      const char *host, const char *workload,
				      const char *backend, const char *alg,
				      const char *framing, const char *engine,
				      struct ncb_err *e);

/* The case of o with these axes, in mode o->peer_mode: every option of
 * the case's workload table with its value as text. 0, or -E2BIG with e
 * when a name or value does not fit. */
NCB_MUST_CHECK int session_case_from_run(const struct run_opts *o,
					 const char *cipher,
					 const char *backend, size_t size,
					 unsigned threads,
					 struct session_case *out,
					 struct ncb_err *e);
json_t *session_case_json(const struct session_case *c);
NCB_MUST_CHECK int session_case_parse(const json_t *msg,
				      struct session_case *out,
				      struct ncb_err *e);
/* The `run` command line of c for opts_parse_run: -w, -c, -b, -s or
 * --imix, -t, --verify and the options of the workload's own table
 * (resolved through its --framing) only, each as --name=value (a flag
 * as --name when "1", left out when "0"). 0, or -EINVAL with e when the
 * workload is unknown or does not run on two hosts, an option is not
 * the workload's or given twice, a flag's value is not 0 or 1. */
NCB_MUST_CHECK int session_case_argv(const struct session_case *c,
				     struct session_argv *out,
				     struct ncb_err *e);

json_t *session_ready_json(unsigned workers, const struct pin_place *p);
/* Checks a ready: workers in 1..max and as many placement entries. */
NCB_MUST_CHECK int session_ready_parse(const json_t *msg, unsigned *workers,
				       struct pin_place *place, unsigned max,
				       struct ncb_err *e);

/* A repetition's request: seconds in (0, SESSION_SECONDS_MAX]. */
json_t *session_rep_json(double seconds, int is_warmup);
NCB_MUST_CHECK int session_rep_parse(const json_t *msg, double *seconds,
				     int *is_warmup, struct ncb_err *e);

/* {"type": type} alone. */
json_t *session_msg(const char *type);

#endif
