/* I/O engines: the engine table and its look-ups by name and number, GSO
 * run splitting and GRO splitting as pure functions, then real loopback
 * pairs for each engine of the table, chosen by name, with and without
 * GSO/GRO: batches of mixed sizes arrive complete, byte for byte, and are
 * counted as sent; a TCP receiver takes only its own sender's connection. */
#include <fcntl.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io/cpustat.h"
#include "io/net.h"
#include "io/net_impl.h"
#include "tests/unit/helpers.h"

/* Every engine is found by its name and by its enum net_io number; an
 * unknown name is refused with a message naming it, before any socket is
 * made, and the fd an engine was given is closed all the same. */
static void engines(void)
{
	static const struct {
		const char *name;
		enum net_io io;
	} want[] = {
		{ "uring", NET_IO_URING },
		{ "epoll", NET_IO_EPOLL },
	};
	struct net_cfg cfg = { .io = NET_IO_URING, .engine = "epoll" };
	struct ncb_err e = { "" };
	struct net_tx *tx = (struct net_tx *)&cfg;
	struct net_rx *rx = (struct net_rx *)&cfg;
	int fds[2], txfd = -1, rxfd = -1, rc;

	t_check(net_engine_count() == NCB_ARRAY_SIZE(want),
		"engines: %zu in the table", net_engine_count());
	for (size_t i = 0; i < NCB_ARRAY_SIZE(want); i++) {
		const struct net_engine_ops *ops = net_engine_find(want[i].name);

		t_check(ops && ops == net_engine_at((size_t)want[i].io) &&
				strcmp(net_engine_name(ops), want[i].name) == 0 &&
				*net_engine_summary(ops),
			"engines: %s by name and number", want[i].name);
	}
	t_check(!net_engine_find("io_uring") && !net_engine_find("") &&
			!net_engine_find(NULL) &&
			!net_engine_at(net_engine_count()),
		"engines: unknown names and numbers are NULL");
	t_check(net_engine_of(&cfg) == net_engine_find("epoll"),
		"engines: a name in the configuration wins over the number");
	cfg.engine = NULL;
	t_check(net_engine_of(&cfg) == net_engine_find("uring"),
		"engines: without a name, the number");

	cfg.engine = "sendfile";
	rc = net_pair_open(&cfg, 0, &txfd, &rxfd, &e);
	t_check(rc == -EINVAL && txfd < 0 && rxfd < 0 &&
			strstr(e.msg, "'sendfile'"),
		"engines: pair of an unknown engine refused (%d: %s)", rc, e.msg);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) < 0) {
		t_check(0, "engines: socketpair");
		return;
	}
	e.msg[0] = 0;
	rc = net_tx_new(&tx, &cfg, fds[0], &e);
	t_check(rc == -EINVAL && !tx && strstr(e.msg, "'sendfile'") &&
			fcntl(fds[0], F_GETFD) < 0,
		"engines: sender of an unknown engine refused, fd closed (%d: %s)",
		rc, e.msg);
	e.msg[0] = 0;
	rc = net_rx_new(&rx, &cfg, fds[1], &e);
	t_check(rc == -EINVAL && !rx && strstr(e.msg, "'sendfile'") &&
			fcntl(fds[1], F_GETFD) < 0,
		"engines: receiver of an unknown engine refused, fd closed (%d: %s)",
		rc, e.msg);
}

static void runs(void)
{
	uint32_t lens[100];
	struct net_run r[100];
	unsigned n;

	for (int i = 0; i < 100; i++)
		lens[i] = 1000;
	n = net_gso_runs(lens, 100, r);
	/* 65 packets of 1000 B would pass NET_GSO_BYTES; 64 is the cap. */
	t_check(n == 2 && r[0].count == 64 && r[1].count == 36 &&
			r[1].off == 64000,
		"runs: capped at %d segments (%u runs)", NET_GSO_SEGS, n);
	lens[3] = 10;
	n = net_gso_runs(lens, 8, r);
	t_check(n == 3 && r[0].count == 3 && r[1].seg == 10 && r[2].off == 3010,
		"runs: a size change starts a run");
	for (int i = 0; i < 100; i++)
		lens[i] = 1500;
	n = net_gso_runs(lens, 100, r);
	t_check(n == 3 && r[0].count * 1500 <= NET_GSO_BYTES,
		"runs: capped at %d bytes", NET_GSO_BYTES);
}

static void split(void)
{
	uint8_t buf[1000];
	struct net_pkt p[NET_GSO_SEGS];

	t_check(net_split(buf, 1000, 300, 0, p, NET_GSO_SEGS) == 4 &&
			p[3].len == 100 && p[3].data == buf + 900,
		"split: GRO train into segments, short last");
	t_check(net_split(buf, 1000, 0, 1, p, NET_GSO_SEGS) == 1 &&
			p[0].len == 1000 && p[0].is_truncated,
		"split: no GRO size is one packet");
	t_check(net_split(buf, 0, 300, 0, p, NET_GSO_SEGS) == 1 && p[0].len == 0,
		"split: empty datagram");
	t_check(net_split(buf, 1000, 10, 0, p, 5) == 5, "split: room respected");
}

static uint8_t byte_of(unsigned pkt, size_t i)
{
	return (uint8_t)(pkt * 7 + i);
}

static void pair(const char *name, int gso)
{
	static const uint32_t sizes[] = { 100, 100, 100, 1400, 1400, 64, 9000 };
	struct net_cfg cfg = { .engine = name, .family = 4, .batch = 7,
			       .sockbuf = 1 << 22, .pkt_max = 9000,
			       .is_gso = gso };
	struct net_pkt *pkts = calloc(NET_RX_PKTS, sizeof(*pkts));
	struct net_tx *tx = NULL;
	struct net_rx *rx = NULL;
	struct net_tx_counts cnt;
	struct ncb_err e = { "" };
	unsigned batches = 20, got = 0, bad = 0;
	int txfd, rxfd;

	if (net_pair_open(&cfg, 0, &txfd, &rxfd, &e) < 0 ||
	    net_tx_new(&tx, &cfg, txfd, &e) < 0 ||
	    net_rx_new(&rx, &cfg, rxfd, &e) < 0) {
		t_check(0, "%s gso %d: set up (%s)", name, gso, e.msg);
		goto out;
	}
	for (unsigned b = 0; b < batches; b++) {
		uint8_t *p = net_tx_buf(tx);

		for (unsigned k = 0; k < 7; k++) {
			for (size_t i = 0; i < sizes[k]; i++)
				p[i] = byte_of(b * 7 + k, i);
			p[0] = (uint8_t)b, p[1] = (uint8_t)k;
			p += sizes[k];
		}
		if (net_tx_send(tx, sizes, 7) < 0)
			t_check(0, "%s gso %d: send", name, gso);
	}
	net_tx_drain(tx, &cnt);
	t_check(cnt.sent == batches * 7 && cnt.failed == 0,
		"%s gso %d: %llu sent", name, gso, (unsigned long long)cnt.sent);
	for (int tries = 0; got < batches * 7 && tries < 50; tries++) {
		int n = net_rx_recv(rx, pkts, NET_RX_PKTS, 20);

		for (int i = 0; i < n; i++) {
			unsigned b = pkts[i].data[0], k = pkts[i].data[1];

			got++;
			if (k >= 7 || pkts[i].len != sizes[k]) {
				bad++;
				continue;
			}
			for (size_t j = 2; j < sizes[k]; j++)
				if (pkts[i].data[j] != byte_of(b * 7 + k, j)) {
					bad++;
					break;
				}
		}
	}
	t_check(got == batches * 7 && bad == 0,
		"%s gso %d: %u of %u received intact (%u bad): %s | %s", name,
		gso, got, batches * 7, bad, net_tx_desc(tx), net_rx_desc(rx));
out:
	net_tx_free(tx);
	net_rx_free(rx);
	free(pkts);
}

/* A TCP receiver takes only its sender's connection: strangers that
 * connect first (and send record headers) are closed and counted; with no
 * sender at all the wait ends at the deadline. */
static void accept_peer(void)
{
	static const uint8_t junk[5] = { 0x17, 3, 3, 0, 0 };
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_storage want;
	socklen_t len = sizeof(a), wl = sizeof(want);
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int strangers[3], tx, rx, ok;
	unsigned refused = 0;
	uint8_t b[8] = { 0 };
	uint64_t t0;

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, len) < 0 ||
	    listen(ls, 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &len) < 0) {
		t_check(0, "accept peer: listen");
		return;
	}
	for (int i = 0; i < 3; i++) {
		strangers[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (connect(strangers[i], (struct sockaddr *)&a, len) == 0)
			(void)!write(strangers[i], junk, sizeof(junk));
	}
	tx = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok = connect(tx, (struct sockaddr *)&a, len) == 0 &&
	     getsockname(tx, (struct sockaddr *)&want, &wl) == 0 &&
	     write(tx, "sender", 6) == 6;
	rx = ok ? net_accept_peer(ls, &want, SOCK_CLOEXEC, 1000, &refused) : -1;
	ok = ok && rx >= 0 && read(rx, b, sizeof(b)) == 6 &&
	     !memcmp(b, "sender", 6);
	t_check(ok && refused == 3,
		"accept peer: the sender's connection taken, %u of 3 strangers refused",
		refused);
	if (rx >= 0)
		close(rx);
	/* Nobody else comes: the wait ends at its deadline. */
	refused = 0;
	t0 = cpustat_mono_ns();
	rx = net_accept_peer(ls, &want, SOCK_CLOEXEC, 200, &refused);
	t_check(rx == -ETIMEDOUT && cpustat_mono_ns() - t0 < 1000000000ull,
		"accept peer: no sender, -ETIMEDOUT in time (got %d)", rx);
	for (int i = 0; i < 3; i++)
		close(strangers[i]);
	close(tx);
	close(ls);
}

/* A watched stream sender whose peer never reads: once its stop flag is
 * up, the drain gives up within NET_TX_GRACE_MS (and the cancel), counts
 * the batch failed, and the sender stays broken (-EPIPE) with a buffer
 * that is safe to write. Unwatched, the same drain would wait for ever. */
static void watch(enum net_io io, int zc)
{
	const char *name = io == NET_IO_URING ? (zc ? "uring zc" : "uring")
					      : "epoll";
	struct net_cfg cfg = { .io = io, .family = 4, .batch = 64,
			       .sockbuf = 65536, .pkt_max = 16384 + 22,
			       .is_stream = 1, .is_zerocopy = zc };
	uint32_t lens[64];
	struct net_tx *tx = NULL;
	struct net_tx_counts cnt;
	struct ncb_err e = { "" };
	atomic_int stop = 0;
	uint64_t t0, ms;
	int txfd, rxfd = -1, rc;

	if (net_pair_open(&cfg, 0, &txfd, &rxfd, &e) < 0 ||
	    net_tx_new(&tx, &cfg, txfd, &e) < 0) {
		t_check(0, "watch %s: set up (%s)", name, e.msg);
		goto out;
	}
	net_tx_watch(tx, &stop);
	for (int i = 0; i < 64; i++)
		lens[i] = 16384 + 22;
	/* 1 MiB into 64 KiB buffers nobody reads: the send cannot end. An
	 * epoll send is synchronous, so its stop is up before it starts. */
	memset(net_tx_buf(tx), 0x17, 64 * lens[0]);
	if (io == NET_IO_EPOLL)
		atomic_store(&stop, 1);
	t0 = cpustat_mono_ns();
	rc = net_tx_send(tx, lens, 64);
	t_check(io == NET_IO_EPOLL ? rc == -ETIMEDOUT : rc == 0,
		"watch %s: send returned %d", name, rc);
	atomic_store(&stop, 1);
	net_tx_drain(tx, &cnt);
	ms = (cpustat_mono_ns() - t0) / 1000000;
	t_check(ms < NET_TX_GRACE_MS + 1000 && cnt.sent == 0 && cnt.failed > 0,
		"watch %s: drain gave up in %llu ms (%llu sent, %llu failed)",
		name, (unsigned long long)ms, (unsigned long long)cnt.sent,
		(unsigned long long)cnt.failed);
	t_check(net_tx_buf(tx) != NULL && net_tx_send(tx, lens, 1) == -EPIPE &&
			!net_tx_busy(tx),
		"watch %s: broken after giving up", name);
out:
	net_tx_free(tx);
	if (rxfd >= 0)
		close(rxfd);
}

/* --flows: engines over many sockets. Packet id b * FL_BATCH + k carries
 * its id and the socket it was put on; batches alternate between packets
 * scattered over the sockets and runs of four on one socket, in sizes
 * that change every eight packets, so GSO runs form within a socket from
 * packets that do and do not lie back to back. */
static const unsigned fl_socks[] = { 1, 2, 16, 256 };

enum { FL_BATCH = 32, FL_BATCHES = 48, FL_PKTS = FL_BATCH * FL_BATCHES };

static uint16_t flow_of(unsigned b, unsigned k, unsigned n)
{
	unsigned x = b & 1 ? (k / 4) * 5 + b
			   : (unsigned)(((b * FL_BATCH + k) * 2654435761u) >> 7);

	return (uint16_t)(x % n);
}

static uint32_t size_of(unsigned b, unsigned k)
{
	static const uint32_t sizes[] = { 64, 300, 1200 };

	return sizes[(k / 8 + b) % 3];
}

/* Fills net_tx_buf() with batch b and its lens and flows; returns the
 * count of distinct sockets it goes on. */
static unsigned fl_fill(struct net_tx *tx, unsigned b, unsigned n,
			uint32_t *lens, uint16_t *flows)
{
	uint8_t *p = net_tx_buf(tx), seen[NET_FLOWS_MAX] = { 0 };
	unsigned socks = 0;

	for (unsigned k = 0; k < FL_BATCH; k++) {
		unsigned id = b * FL_BATCH + k;

		lens[k] = size_of(b, k);
		flows[k] = flow_of(b, k, n);
		socks += !seen[flows[k]]++;
		for (size_t i = 0; i < lens[k]; i++)
			p[i] = byte_of(id, i);
		p[0] = (uint8_t)id, p[1] = (uint8_t)(id >> 8);
		p[2] = (uint8_t)flows[k], p[3] = (uint8_t)(flows[k] >> 8);
		p += lens[k];
	}
	return socks;
}

/* A received packet: its id, or -1 when its length or bytes are not
 * those of the packet its header names. */
static int fl_check(const uint8_t *d, uint32_t len)
{
	unsigned id = d[0] | (unsigned)d[1] << 8;

	if (len < 4 || id >= FL_PKTS || len != size_of(id / FL_BATCH, id % FL_BATCH))
		return -1;
	for (size_t i = 4; i < len; i++)
		if (d[i] != byte_of(id, i))
			return -1;
	return (int)id;
}

/* n loopback pairs; 0, or -1 with every socket made closed. */
static int fl_open(struct net_cfg *cfg, unsigned n, int *tx, int *rx,
		   struct ncb_err *e)
{
	for (unsigned j = 0; j < n; j++) {
		if (net_pair_open(cfg, j, &tx[j], &rx[j], e) == 0)
			continue;
		while (j--) {
			close(tx[j]);
			close(rx[j]);
		}
		return -1;
	}
	return 0;
}

/* The sender puts each packet on its socket, in order: its n sockets
 * are read here one by one (without GRO, so every packet is a
 * datagram), and a batch over several sockets is one io_uring_enter,
 * or one sendmmsg per socket. */
static void flows_tx(const char *name, unsigned n, int gso, int zc)
{
	struct net_cfg cfg = { .engine = name, .family = 4, .batch = FL_BATCH,
			       .sockbuf = 1 << 22, .pkt_max = 1200,
			       .is_gso = gso, .is_zerocopy = zc };
	int *txfd = calloc(n, sizeof(int)), *rxfd = calloc(n, sizeof(int));
	uint8_t *seen = calloc(FL_PKTS, 1), buf[2048];
	uint32_t lens[FL_BATCH];
	uint16_t flows[FL_BATCH];
	struct net_tx *tx = NULL;
	struct net_tx_counts cnt;
	struct ncb_err e = { "" };
	unsigned got = 0, bad = 0, misplaced = 0, disorder = 0, calls_bad = 0;
	int zero = 0, is_open = 0;

	/* The engine owns the senders' sockets from its creation on, made
	 * or not. */
	if (fl_open(&cfg, n, txfd, rxfd, &e) < 0 ||
	    !(is_open = 1) ||
	    net_tx_new_flows(&tx, &cfg, txfd, n, &e) < 0) {
		t_check(0, "flows tx %s n %u gso %d zc %d: set up (%s)", name, n,
			gso, zc, e.msg);
		goto out;
	}
	for (unsigned j = 0; j < n; j++)
		setsockopt(rxfd[j], SOL_UDP, UDP_GRO, &zero, sizeof(zero));
	for (unsigned b = 0; b < FL_BATCHES; b++) {
		unsigned socks = fl_fill(tx, b, n, lens, flows);
		uint64_t before = net_tx_syscalls(tx);

		if (net_tx_send_flows(tx, lens, flows, FL_BATCH) < 0)
			t_check(0, "flows tx %s n %u: send", name, n);
		/* Loopback takes every send at once: nothing waits. */
		if (net_tx_syscalls(tx) - before !=
		    (strcmp(name, "uring") == 0 ? 1 : socks))
			calls_bad++;
	}
	net_tx_drain(tx, &cnt);
	t_check(cnt.sent == FL_PKTS && cnt.failed == 0,
		"flows tx %s n %u gso %d zc %d: %llu sent, %llu failed", name, n,
		gso, zc, (unsigned long long)cnt.sent,
		(unsigned long long)cnt.failed);
	t_check(!calls_bad,
		"flows tx %s n %u gso %d zc %d: %u batches not in %s (%s)",
		name, n, gso, zc, calls_bad,
		strcmp(name, "uring") == 0 ? "one io_uring_enter"
					   : "one sendmmsg per socket",
		net_tx_desc(tx));
	for (unsigned j = 0; j < n; j++) {
		int last = -1;
		ssize_t len;

		while ((len = recv(rxfd[j], buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			int id = fl_check(buf, (uint32_t)len);

			got++;
			if (id < 0 || seen[id]++) {
				bad++;
				continue;
			}
			misplaced += (buf[2] | buf[3] << 8) != (int)j;
			disorder += id < last;
			last = id;
		}
	}
	t_check(got == FL_PKTS && !bad && !misplaced && !disorder,
		"flows tx %s n %u gso %d zc %d: %u of %u read back, %u bad, %u on another socket, %u out of order",
		name, n, gso, zc, got, FL_PKTS, bad, misplaced, disorder);
out:
	net_tx_free(tx);
	for (unsigned j = 0; is_open && j < n; j++)
		close(rxfd[j]);
	free(txfd);
	free(rxfd);
	free(seen);
}

/* Takes what rx has, waiting up to ms: counts packets intact (each id
 * once) into *got and the others into *bad. Returns net_rx_recv's. */
static int fl_take(struct net_rx *rx, struct net_pkt *pkts, uint8_t *seen,
		   int ms, unsigned *got, unsigned *bad)
{
	int n = net_rx_recv(rx, pkts, NET_RX_PKTS, ms);

	for (int i = 0; i < n; i++) {
		int id = fl_check(pkts[i].data, pkts[i].len);

		if (id < 0 || seen[id]++)
			(*bad)++;
		else
			(*got)++;
	}
	return n;
}

/* Engine to engine over n sockets each: every packet arrives once,
 * intact, at the receiver serving all n; both count system calls. The
 * receiver reads after each batch (so no socket queue overflows) and
 * then until everything came. */
static void flows_rx(const char *name, unsigned n, int gso, int zc, int sqpoll)
{
	struct net_cfg cfg = { .engine = name, .family = 4, .batch = FL_BATCH,
			       .sockbuf = 1 << 22, .pkt_max = 1200,
			       .is_gso = gso, .is_zerocopy = zc,
			       .is_sqpoll = sqpoll };
	int *txfd = calloc(n, sizeof(int)), *rxfd = calloc(n, sizeof(int));
	struct net_pkt *pkts = calloc(NET_RX_PKTS, sizeof(*pkts));
	uint8_t *seen = calloc(FL_PKTS, 1);
	uint32_t lens[FL_BATCH];
	uint16_t flows[FL_BATCH];
	struct net_tx *tx = NULL;
	struct net_rx *rx = NULL;
	struct net_tx_counts cnt;
	struct ncb_err e = { "" };
	unsigned got = 0, bad = 0;
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "flows %s n %u gso %d%s%s", name, n, gso,
		 zc ? " zc" : "", sqpoll ? " sqpoll" : "");
	if (fl_open(&cfg, n, txfd, rxfd, &e) < 0) {
		t_check(0, "%s: set up (%s)", what, e.msg);
		goto out;
	}
	rc = net_tx_new_flows(&tx, &cfg, txfd, n, &e);
	if (net_rx_new_flows(&rx, &cfg, rxfd, n, rc < 0 ? NULL : &e) < 0 ||
	    rc < 0) {
		/* SQPOLL may be refused to this user or kernel. */
		if (sqpoll && strstr(e.msg, "SQPOLL"))
			goto out;
		t_check(0, "%s: engines (%s)", what, e.msg);
		goto out;
	}
	for (unsigned b = 0; b < FL_BATCHES; b++) {
		fl_fill(tx, b, n, lens, flows);
		if (net_tx_send_flows(tx, lens, flows, FL_BATCH) < 0)
			t_check(0, "%s: send", what);
		while (fl_take(rx, pkts, seen, 0, &got, &bad) > 0)
			;
	}
	net_tx_drain(tx, &cnt);
	for (int tries = 0; got + bad < FL_PKTS && tries < 50; tries++)
		fl_take(rx, pkts, seen, 20, &got, &bad);
	t_check(cnt.sent == FL_PKTS && cnt.failed == 0 && got == FL_PKTS &&
			!bad && net_rx_drops(rx) == 0,
		"%s: %llu sent, %llu failed, %u of %u received intact, %u bad or twice, %u dropped: %s | %s",
		what, (unsigned long long)cnt.sent,
		(unsigned long long)cnt.failed, got, FL_PKTS, bad,
		net_rx_drops(rx), net_tx_desc(tx), net_rx_desc(rx));
	t_check(net_tx_syscalls(tx) > 0 && net_rx_syscalls(rx) > 0 &&
			(sqpoll || net_tx_syscalls(tx) <= FL_BATCHES * n),
		"%s: %llu and %llu system calls", what,
		(unsigned long long)net_tx_syscalls(tx),
		(unsigned long long)net_rx_syscalls(rx));
	t_check(n == 1 || strstr(net_tx_desc(tx), " sockets, ") ||
			strstr(net_rx_desc(rx), " sockets, "),
		"%s: descriptions name the sockets", what);
out:
	net_tx_free(tx);
	net_rx_free(rx);
	free(txfd);
	free(rxfd);
	free(pkts);
	free(seen);
}

int main(void)
{
	engines();
	runs();
	split();
	accept_peer();
	for (int gso = 0; gso < 2; gso++)
		for (size_t i = 0; i < net_engine_count(); i++)
			pair(net_engine_name(net_engine_at(i)), gso);
	watch(NET_IO_URING, 0);
	watch(NET_IO_URING, 1);
	watch(NET_IO_EPOLL, 0);
	for (int gso = 0; gso < 2; gso++)
		for (size_t i = 0; i < net_engine_count(); i++)
			for (size_t k = 0; k < NCB_ARRAY_SIZE(fl_socks); k++)
				flows_tx(net_engine_name(net_engine_at(i)),
					 fl_socks[k], gso, 0);
	for (int gso = 0; gso < 2; gso++)
		for (size_t i = 0; i < net_engine_count(); i++)
			for (size_t k = 0; k < NCB_ARRAY_SIZE(fl_socks); k++)
				flows_rx(net_engine_name(net_engine_at(i)),
					 fl_socks[k], gso, 0, 0);
	return t_done("test_net");
}
