/* `ncbench serve` (serve.h). The parent only listens, accepts and
 * counts: every connection runs in a child process of its own
 * (serve_case.c), so a session that crashes or is killed cannot take the
 * server down, and its sockets are released when it exits. One child at
 * a time holds the session slot; others that authenticate meanwhile are
 * told busy. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/opts.h"
#include "bench/serve.h"
#include "bench/serve_case.h"
#include "bench/session.h"
#include "io/ctl.h"
#include "io/ncb_cli.h"
#include "io/pin.h"

enum {
	CONN_MAX = 8,     /* connections' processes at once; more are closed */
	POLL_MS = 100,    /* how often the parent looks at its flag */
	STOP_MS = 3000,   /* children's time to end before SIGKILL */
	PORT_MAX = 65535,
};

static volatile sig_atomic_t stopping;

void serve_interrupt(void)
{
	stopping = 1;
}

struct serve_opts {
	const char *bind, *psk_file, *dev;
	unsigned port;
	int is_once;
	int cpus[OPTS_LIST_MAX];
	size_t n_cpus;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ncbench serve --psk-file FILE [options]\n"
		"  runs the other end of `ncbench run --peer` cases, one test at a time\n"
		"      --psk-file FILE  the key both hosts hold (ncbench psk -o FILE;\n"
		"                       mode 0600: a file others may read is refused)\n"
		"      --bind ADDR      listen on ADDR only (default: every address,\n"
		"                       IPv6 and IPv4)\n"
		"      --port P         TCP port (default %d; 0: any, the log says which)\n"
		"      --once           exit after the first authenticated session ends\n"
		"      --dev IFACE      raw Ethernet interface for macsec --transport raw\n"
		"      --cpus LIST      PUs for this host's workers (default: spread over\n"
		"                       cores)\n"
		"  -h, --help           this text\n"
		"One line per connection on stderr; SIGINT or SIGTERM stops it.\n",
		CTL_PORT);
}

static int bad(const char *fmt, const char *what)
{
	char msg[NCB_ERR_LEN];

	snprintf(msg, sizeof(msg), fmt, what);
	fprintf(stderr, "ncbench serve: %s\n", ncb_clean(msg));
	return 2;
}

/* 0, 1 after --help, or the exit status 2 with its line printed. */
static int parse(int argc, char **argv, struct serve_opts *o)
{
	enum { O_BIND = 1000, O_PORT, O_PSK, O_ONCE, O_DEV, O_CPUS };
	static const struct option longs[] = {
		{ "bind", required_argument, NULL, O_BIND },
		{ "port", required_argument, NULL, O_PORT },
		{ "psk-file", required_argument, NULL, O_PSK },
		{ "once", no_argument, NULL, O_ONCE },
		{ "dev", required_argument, NULL, O_DEV },
		{ "cpus", required_argument, NULL, O_CPUS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned cpus[OPTS_LIST_MAX];
	struct ncb_err e;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->port = CTL_PORT;
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		switch (c) {
		case O_BIND:
			o->bind = optarg;
			break;
		case O_PORT:
			errno = 0;
			o->port = (unsigned)strtoul(optarg, &end, 10);
			if (!*optarg || *end || errno || *optarg == '-' ||
			    o->port > PORT_MAX)
				return bad("--port: '%s' is not a port in 0..65535",
					   optarg);
			break;
		case O_PSK:
			o->psk_file = optarg;
			break;
		case O_ONCE:
			o->is_once = 1;
			break;
		case O_DEV:
			if (!if_nametoindex(optarg))
				return bad("--dev: no network interface '%s' here",
					   optarg);
			o->dev = optarg;
			break;
		case O_CPUS:
			if (opts_parse_uints(optarg, "--cpus", 0, 65535, cpus,
					     OPTS_LIST_MAX, &o->n_cpus, &e) < 0)
				return bad("%s", e.msg);
			for (size_t i = 0; i < o->n_cpus; i++)
				o->cpus[i] = (int)cpus[i];
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return bad("%s: needs a value", argv[optind - 1]);
		default:
			snprintf(e.msg, sizeof(e.msg),
				 "unknown option '%s' (%ssee ncbench serve --help)",
				 ncb_cli_unknown(), ncb_cli_hint());
			return bad("%s", e.msg);
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!o->psk_file)
		return bad("%s", "needs --psk-file FILE (ncbench psk -o FILE makes one)");
	return 0;
}

/* The server's state between connections. */
struct server {
	int fd;
	pid_t kids[CONN_MAX];
	size_t n_kids;
	_Atomic pid_t *slot;
	int sessions;    /* authenticated sessions that ended */
	int last_end;    /* how the last of them ended (enum serve_case_end) */
};

/* A connection in a child of its own; the parent keeps only its pid. */
static void spawn(struct server *sv, int fd, const char *peer,
		  const struct serve_cfg *cfg)
{
	pid_t parent = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Not outliving a server killed outright. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(SERVE_CASE_REFUSED);
		close(sv->fd);
		_exit(serve_case_run(fd, peer, cfg));
	}
	close(fd);
	if (pid < 0) {
		fprintf(stderr, "serve: %s: cannot start a process: %s\n", peer,
			strerror(errno));
		return;
	}
	sv->kids[sv->n_kids++] = pid;
}

/* A child that ended: the slot is free again if it died holding it, and
 * a session it ran (its exit status says so, or it held the slot) counts
 * for --once. */
static void ended(struct server *sv, pid_t pid, int status)
{
	pid_t owner = pid;
	int is_held = atomic_compare_exchange_strong(sv->slot, &owner, 0);
	int end = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	if (end == SERVE_CASE_OK || end == SERVE_CASE_FAILED || is_held) {
		sv->sessions++;
		sv->last_end = end == SERVE_CASE_OK ? end : SERVE_CASE_FAILED;
	}
}

static void reap(struct server *sv, int is_blocking)
{
	for (size_t i = 0; i < sv->n_kids;) {
		int st;
		pid_t w = waitpid(sv->kids[i], &st, is_blocking ? 0 : WNOHANG);

		if (w == sv->kids[i] || (w < 0 && errno == ECHILD)) {
			/* Reaped elsewhere: as if killed, nothing known. */
			ended(sv, sv->kids[i], w == sv->kids[i] ? st : SIGKILL);
			sv->kids[i] = sv->kids[--sv->n_kids];
			continue;
		}
		i++;
	}
}

/* SIGTERM to every child, SIGKILL to those still there after STOP_MS. */
static void stop_kids(struct server *sv)
{
	const struct timespec nap = { 0, 50 * 1000 * 1000 };

	for (size_t i = 0; i < sv->n_kids; i++)
		kill(sv->kids[i], SIGTERM);
	for (int t = 0; sv->n_kids && t < STOP_MS / 50; t++) {
		nanosleep(&nap, NULL);
		reap(sv, 0);
	}
	for (size_t i = 0; i < sv->n_kids; i++)
		kill(sv->kids[i], SIGKILL);
	reap(sv, 1);
}

static void accept_one(struct server *sv, const struct serve_cfg *cfg)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char peer[SESSION_ADDR];
	/* ctl_server makes it non-blocking and close-on-exec. */
	int fd = accept(sv->fd, (struct sockaddr *)&ss, &len);

	if (fd < 0)
		return;
	session_addr_format(&ss, peer, sizeof(peer));
	if (sv->n_kids >= CONN_MAX) {
		fprintf(stderr, "serve: %s: closed (%d connections at once already)\n",
			peer, CONN_MAX);
		close(fd);
		return;
	}
	spawn(sv, fd, peer, cfg);
}

static int listen_on(const struct serve_opts *o, int *fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char where[SESSION_ADDR];
	struct ncb_err e;

	if (ctl_listen(o->bind, o->port, fd, &e) < 0) {
		fprintf(stderr, "ncbench serve: %s\n", e.msg);
		return -1;
	}
	if (getsockname(*fd, (struct sockaddr *)&ss, &len) == 0)
		session_addr_format(&ss, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "?");
	fprintf(stderr, "serve: listening on %s\n", where);
	return 0;
}

/* Accepts until stopped (or --once is done), then stops the children. */
static int serve_loop(struct server *sv, const struct serve_opts *o,
		      const struct serve_cfg *cfg)
{
	struct pollfd pfd = { .fd = sv->fd, .events = POLLIN };

	while (!stopping && !(o->is_once && sv->sessions)) {
		if (poll(&pfd, 1, POLL_MS) > 0 && !stopping)
			accept_one(sv, cfg);
		reap(sv, 0);
	}
	stop_kids(sv);
	if (o->is_once && sv->sessions)
		return sv->last_end == SERVE_CASE_OK ? 0 : 1;
	return 0;
}

/* The key, checks of --cpus against this host, the listening socket. */
static int serve_start(const struct serve_opts *o, uint8_t *psk,
		       struct pin_topo **topo, int *fd)
{
	struct ncb_err e;

	if (ctl_psk_load(o->psk_file, psk, &e) < 0)
		return bad("%s", e.msg);
	if (pin_topo_load(topo) < 0) {
		fprintf(stderr, "ncbench serve: cannot load the hwloc topology\n");
		return 1;
	}
	for (size_t i = 0; i < o->n_cpus; i++)
		if (pin_pu_check(*topo, o->cpus[i]) < 0) {
			char pu[16];

			snprintf(pu, sizeof(pu), "%d", o->cpus[i]);
			return bad("--cpus: PU %s does not exist or is not allowed here",
				   pu);
		}
	ctl_init();
	/* A peer that leaves must fail a write, not end the process. */
	signal(SIGPIPE, SIG_IGN);
	return listen_on(o, fd) < 0 ? 1 : 0;
}

int serve_main(int argc, char **argv)
{
	static struct serve_opts o;
	static uint8_t psk[CTL_PSK_LEN];
	struct pin_topo *topo = NULL;
	struct server sv = { .fd = -1 };
	void *page;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	rc = serve_start(&o, psk, &topo, &sv.fd);
	page = mmap(NULL, sizeof(*sv.slot), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rc == 0 && page == MAP_FAILED) {
		fprintf(stderr, "ncbench serve: out of memory\n");
		rc = 1;
	}
	if (rc == 0) {
		struct serve_cfg cfg = {
			.psk = psk,
			.topo = topo,
			.cpus = o.n_cpus ? o.cpus : NULL,
			.n_cpus = o.n_cpus,
			.dev = o.dev,
			.is_stopping = &stopping,
			.slot = page,
		};

		sv.slot = page;
		atomic_store(sv.slot, 0);
		rc = serve_loop(&sv, &o, &cfg);
	}
	if (page != MAP_FAILED)
		munmap(page, sizeof(*sv.slot));
	if (sv.fd >= 0)
		close(sv.fd);
	explicit_bzero(psk, sizeof(psk));
	pin_topo_free(topo);
	return rc;
}
