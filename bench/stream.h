/* `run --json-stream FILE|-`: the run as JSON lines while it goes (schema
 * ncbench.stream/1), for dashboards and CI logs that follow a long suite.
 * One line per event (start, each repetition, each finished case, end),
 * written whole with write(2) between repetitions, never inside one. */
#ifndef NCB_BENCH_STREAM_H
#define NCB_BENCH_STREAM_H

#include <signal.h>
#include <stddef.h>

#include "io/ncb.h"

#define STREAM_SCHEMA "ncbench.stream/1"

struct results_doc;
struct results_sample;
struct stream;

/* A repetition's case, for its "rep" line: index joins it to the case's
 * "case" line; the rest names the case for a reader that only wants the
 * figures. Strings are borrowed for the call. */
struct stream_rep_id {
	size_t index;  /* the case's place in the run, from 0 */
	const char *workload, *cipher, *backend;
	const char *imix; /* mix name, or NULL for a fixed size */
	size_t size;
	unsigned threads;
	unsigned process; /* which of the case's processes, from 0 */
	size_t rep;       /* repetition within that process, from 0 */
};

/* How the run ended, for the "end" line. */
struct stream_end {
	int is_complete, is_interrupted;
	size_t cases;       /* planned */
	size_t done;        /* finished with every repetition asked for */
	size_t results;     /* "case" lines: results the document holds */
	size_t repetitions; /* timed repetitions measured */
	unsigned long long errors; /* authentication failures + mismatches */
	int status;           /* the exit status of run */
	const char *document; /* where the document went, NULL if nowhere */
};

/* Whether path means standard output ("-"). */
int stream_is_stdout(const char *path);

/* Whether path may take the stream, touching nothing: "-", a FIFO, a
 * regular file or nothing in an existing directory (a symlink is
 * followed); not a directory, device or socket. 0 or -errno, e filled. */
NCB_MUST_CHECK int stream_check(const char *path, struct ncb_err *e);

/* Opens the stream (a regular file is truncated; opening a FIFO waits
 * for its reader, and a signal cuts the wait with -EINTR). With "-" the
 * stream takes standard output and standard output becomes a copy of
 * standard error, so what the command prints later (its table) never
 * mixes into the stream. Writes that
 * come after *is_interrupted is set get two seconds in all, so a reader
 * that stopped reading cannot hold up the end of an interrupted run.
 * SIGPIPE is ignored from here on: a reader that leaves fails a write,
 * it does not end the run. Caller frees with stream_close(). */
NCB_MUST_CHECK int stream_open(struct stream **out, const char *path,
			       const volatile sig_atomic_t *is_interrupted,
			       struct ncb_err *e);

/* The lines. Each accepts a NULL stream (no --json-stream) and does
 * nothing after a failed write: the run goes on, stream_close() tells.
 * "start": the document's tool, host, libraries, started and config,
 * the cases planned and the document's path. */
void stream_start(struct stream *s, const struct results_doc *d,
		  const char *doc_path, size_t cases);
/* "rep": the repetition's figures as a document's samples[] entry holds
 * them, less the case's judgement of its disturbance. Safe in a forked
 * case process (the line goes out before the call returns). */
void stream_rep(struct stream *s, const struct stream_rep_id *id,
		const struct results_sample *r);
/* "case": the result results_add() appended last, exactly as the
 * document holds it, with the case's index. */
void stream_case(struct stream *s, size_t index, const struct results_doc *d);
/* "end": how the run ended. */
void stream_end(struct stream *s, const struct stream_end *end);

/* Closes the stream and frees s (NULL is fine).
 * 0, or -errno with e naming the path when a line could not be written
 * whole. */
NCB_MUST_CHECK int stream_close(struct stream *s, struct ncb_err *e);

#endif
