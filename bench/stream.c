/* The live stream of a run: JSON lines built with Jansson from the same
 * objects the result document holds, each written whole with write(2)
 * (no stdio buffer a forked case process could lose or duplicate). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "bench/results.h"
#include "bench/stream.h"
#include "io/cpustat.h"

/* After an interruption, what is left of the stream gets this long in
 * all: the run must still end within seconds. */
enum { STREAM_DRAIN_NS = 2000 * 1000 * 1000 };

struct stream {
	int fd;
	int is_owned; /* a descriptor of our own, closed at the end */
	int err;      /* the first failed write's -errno, then nothing more */
	const volatile sig_atomic_t *is_interrupted;
	uint64_t deadline_ns; /* set at the first write after interruption */
	int flags_before;     /* the file status flags before O_NONBLOCK, or -1 */
	char path[PATH_MAX];
};

int stream_is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

int stream_check(const char *path, struct ncb_err *e)
{
	char dir[PATH_MAX];
	struct stat st;

	if (stream_is_stdout(path))
		return 0;
	if (!*path)
		return ncb_errf(e, -EINVAL, "--json-stream: empty path");
	if (strlen(path) >= sizeof(dir))
		return ncb_errf(e, -ENAMETOOLONG, "--json-stream: path too long");
	if (stat(path, &st) == 0) {
		if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))
			return 0;
		return ncb_errf(e, -EINVAL,
				"--json-stream %s: %s, not a regular file or a FIFO",
				path,
				S_ISDIR(st.st_mode) ? "a directory" : "a device or socket");
	}
	if (errno != ENOENT)
		return ncb_errf(e, -errno, "--json-stream %s: %s", path,
				strerror(errno));
	if (lstat(path, &st) == 0)
		return ncb_errf(e, -ENOENT, "--json-stream %s: a dangling symlink",
				path);
	snprintf(dir, sizeof(dir), "%s", path);
	if (access(dirname(dir), W_OK | X_OK) < 0)
		return ncb_errf(e, -errno, "--json-stream %s: cannot create: %s",
				path, strerror(errno));
	return 0;
}

int stream_open(struct stream **out, const char *path,
		const volatile sig_atomic_t *is_interrupted, struct ncb_err *e)
{
	struct stream *s;
	int rc = stream_check(path, e);

	*out = NULL;
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ncb_errf(e, -ENOMEM, "--json-stream: out of memory");
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->is_interrupted = is_interrupted;
	s->flags_before = -1;
	if (stream_is_stdout(path)) {
		/* The stream keeps what stdout was; stdout itself becomes
		 * stderr, so nothing printed later (the table, the last line)
		 * mixes into the stream. */
		fflush(stdout);
		s->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		if (s->fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			rc = -errno;
			if (s->fd >= 0)
				close(s->fd);
			free(s);
			return ncb_errf(e, rc, "--json-stream -: %s", strerror(-rc));
		}
		s->is_owned = 1;
	} else {
		/* No O_NONBLOCK: a FIFO's writer waits for its reader, as a
		 * shell's redirection would. */
		s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (s->fd < 0) {
			rc = -errno;
			free(s);
			return ncb_errf(e, rc, "--json-stream %s: %s", path,
					strerror(-rc));
		}
		s->is_owned = 1;
	}
	signal(SIGPIPE, SIG_IGN);
	*out = s;
	return 0;
}

/* Before a write once the run is interrupted: wait for room at most
 * until the deadline. 0, or -ETIMEDOUT. */
static int wait_room(struct stream *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLOUT };
	uint64_t now = cpustat_mono_ns();

	if (!s->deadline_ns)
		s->deadline_ns = now + STREAM_DRAIN_NS;
	while (now < s->deadline_ns) {
		int ms = (int)((s->deadline_ns - now) / 1000000) + 1;
		int n = poll(&p, 1, ms);

		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return 0; /* the write says what is wrong */
		now = cpustat_mono_ns();
	}
	return -ETIMEDOUT;
}

/* Once the run is interrupted, writes must not block: a pipe or FIFO
 * reports room when one page is free, and a blocking write of a longer
 * line would then wait for a reader that may never read again. */
static void go_nonblocking(struct stream *s)
{
	int fl;

	if (s->flags_before >= 0)
		return;
	fl = fcntl(s->fd, F_GETFL);
	if (fl >= 0 && fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) == 0)
		s->flags_before = fl;
}

static int write_all(struct stream *s, const char *p, size_t n)
{
	while (n) {
		ssize_t w;

		if (*s->is_interrupted) {
			go_nonblocking(s);
			if (wait_room(s) < 0)
				return -ETIMEDOUT;
		}
		w = write(s->fd, p, n);
		/* EINTR: the signal that interrupts the run; EAGAIN: no room
		 * yet, wait_room again. */
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Sets the type of line (from line_new()), writes it as one line and drops it. */
static void put(struct stream *s, const char *type, json_t *line)
{
	const size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(12);
	size_t len;
	char *buf;

	if (!line || s->err) {
		json_decref(line);
		s->err = s->err ? s->err : -ENOMEM;
		return;
	}
	json_object_set_new(line, "type", json_string(type));
	len = json_dumpb(line, NULL, 0, flags);
	buf = len ? malloc(len + 1) : NULL;
	if (!buf || json_dumpb(line, buf, len, flags) != len) {
		s->err = -ENOMEM;
	} else {
		buf[len] = '\n';
		s->err = write_all(s, buf, len + 1);
	}
	free(buf);
	json_decref(line);
}

/* A new line object whose first members are schema and type, so a
 * reader sees them first whatever follows. */
static json_t *line_new(void)
{
	return json_pack("{s:s, s:n}", "schema", STREAM_SCHEMA, "type");
}

/* A borrowed member of the document into line (null when missing). */
static void copy_member(json_t *line, const struct results_doc *d,
			const char *key)
{
	json_t *v = results_member(d, key);

	json_object_set(line, key, v ? v : json_null());
}

void stream_start(struct stream *s, const struct results_doc *d,
		  const char *doc_path, size_t cases)
{
	static const char *const env[] = { "tool", "host", "libraries",
					   "started", "config" };
	json_t *line;

	if (!s)
		return;
	line = line_new();
	if (line) {
		json_object_set_new(line, "document_schema",
				    json_string("ncbench.result/1"));
		json_object_set_new(line, "document", json_string(doc_path));
		json_object_set_new(line, "cases", json_integer((json_int_t)cases));
		for (size_t i = 0; i < NCB_ARRAY_SIZE(env); i++)
			copy_member(line, d, env[i]);
	}
	put(s, "start", line);
}

void stream_rep(struct stream *s, const struct stream_rep_id *id,
		const struct results_sample *r)
{
	json_t *line;

	if (!s)
		return;
	line = line_new();
	if (line) {
		json_object_set_new(line, "case", json_integer((json_int_t)id->index));
		json_object_set_new(line, "workload", json_string(id->workload));
		json_object_set_new(line, "cipher", json_string(id->cipher));
		json_object_set_new(line, "backend", json_string(id->backend));
		json_object_set_new(line, "size", json_integer((json_int_t)id->size));
		if (id->imix)
			json_object_set_new(line, "imix", json_string(id->imix));
		json_object_set_new(line, "threads", json_integer(id->threads));
		json_object_set_new(line, "process", json_integer(id->process));
		json_object_set_new(line, "rep", json_integer((json_int_t)id->rep));
		json_object_set_new(line, "sample", results_rep_json(r));
	}
	put(s, "rep", line);
}

void stream_case(struct stream *s, size_t index, const struct results_doc *d)
{
	json_t *line, *r;

	if (!s)
		return;
	r = results_last(d);
	line = r ? line_new() : NULL;
	if (line) {
		json_object_set_new(line, "case", json_integer((json_int_t)index));
		json_object_set(line, "result", r);
	}
	put(s, "case", line);
}

void stream_end(struct stream *s, const struct stream_end *end)
{
	json_t *line;

	if (!s)
		return;
	line = line_new();
	if (line) {
		json_object_set_new(line, "complete", json_boolean(end->is_complete));
		json_object_set_new(line, "interrupted",
				    json_boolean(end->is_interrupted));
		json_object_set_new(line, "cases", json_integer((json_int_t)end->cases));
		json_object_set_new(line, "done", json_integer((json_int_t)end->done));
		json_object_set_new(line, "results",
				    json_integer((json_int_t)end->results));
		json_object_set_new(line, "repetitions",
				    json_integer((json_int_t)end->repetitions));
		json_object_set_new(line, "errors",
				    json_integer((json_int_t)end->errors));
		json_object_set_new(line, "status", json_integer(end->status));
		json_object_set_new(line, "document",
				    end->document ? json_string(end->document)
						  : json_null());
	}
	put(s, "end", line);
}

int stream_close(struct stream *s, struct ncb_err *e)
{
	int rc;

	if (!s)
		return 0;
	rc = s->err;
	/* The description may be shared (standard output's): as it was. */
	if (s->flags_before >= 0)
		fcntl(s->fd, F_SETFL, s->flags_before);
	if (s->is_owned && close(s->fd) < 0 && !rc)
		rc = -errno;
	if (rc < 0)
		ncb_errf(e, rc, "--json-stream %s: the stream is incomplete: %s",
			 stream_is_stdout(s->path) ? "(standard output)" : s->path,
			 rc == -ETIMEDOUT ? "its reader took no more lines after the interruption"
					  : strerror(-rc));
	free(s);
	return rc;
}
