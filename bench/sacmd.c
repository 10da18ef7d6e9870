/* `ncbench sa-file`: the case is described with run's own options (the
 * workload, its cipher, thread count and the framing's options), its SA
 * descriptions made as a run makes them, and the file written with mode
 * 0600 through report/out.c (a temporary file, fsync, rename). The keys
 * are never printed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/opts.h"
#include "bench/sacmd.h"
#include "crypto/aead.h"
#include "report/out.h"
#include "workloads/pattern.h"
#include "workloads/safile.h"
#include "workloads/wl.h"

/* run's common options that describe a case's SAs; the workload's own
 * (--framing, --family, --sas, the framing's) are all taken. */
static const char *const case_opts[] = { "workload", "cipher", "threads",
					 "output", NULL };

static void help(void)
{
	printf("usage: ncbench sa-file -o FILE -w WORKLOAD -c CIPHER [-t THREADS]\n"
	       "                       [--sas N] [--family 4|6] [framing options]\n"
	       "  writes a fresh SA file for the case: for each pair, both directions\n"
	       "  and --sas SAs each, the identifier the framing chooses (esp: spi,\n"
	       "  macsec: sci, wg: index), new random keys (key, salt, auth_key as the\n"
	       "  cipher has them) and, for framings carried in IP, the outer\n"
	       "  addresses; mode 0600, written whole or not at all. Then\n"
	       "  `ncbench run ... --sa-file FILE` runs the case with those keys, and\n"
	       "  `ncbench wireshark --sa-file FILE` prints ESP SAs for Wireshark.\n"
	       "  The keys are never printed. Options as `ncbench run --help` has them.\n"
	       "  -o, --output FILE     where to write it (replaced whole; mode 0600)\n"
	       "  -w, --workload W      a network workload (esp, macsec, wg, flow, rr, ...)\n"
	       "  -c, --cipher C        one cipher\n"
	       "  -t, --threads N       pairs (default 1)\n"
	       "exit status: 0 written, 2 usage error, 1 write failed\n");
}

static int is_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

/* The first backend that offers cipher here (the keys do not depend on
 * it; the case's check asks for one), or NULL. */
static const char *backend_for(const char *cipher)
{
	for (size_t i = 0; i < aead_backend_count(); i++)
		if (aead_probe(cipher, aead_backend_name(i)) == 0)
			return aead_backend_name(i);
	return NULL;
}

/* The case o describes, checked as run would (its size: the smallest
 * inner packet the framing takes, which no key depends on). */
static int make_case(const struct run_opts *o, struct wl_case *c,
		     struct ncb_err *e)
{
	const struct pattern_opts *po = (const void *)o->wl_opts;
	unsigned char fopts[FRAMING_OPTS_MAX];
	size_t lo = 0, hi = 0;
	int rc;

	if (!o->out_path)
		return ncb_errf(e, -EINVAL, "-o FILE is required (see ncbench sa-file --help)");
	if (!o->wl->pattern)
		return ncb_errf(e, -EINVAL,
				"-w %s has no SAs; give a network workload (see ncbench list)",
				o->wl->name);
	if (o->n_ciphers != 1 || o->n_threads != 1)
		return ncb_errf(e, -EINVAL, "give one --cipher and one --threads");
	*c = (struct wl_case){
		.ops = o->wl,
		.cipher = o->ciphers[0],
		.backend = backend_for(o->ciphers[0]),
		.threads = o->threads[0],
		.workers = o->threads[0] * (o->wl->workers_per_thread
						    ? o->wl->workers_per_thread
						    : 1),
	};
	if (!aead_info(c->cipher)) {
		char hint[80];

		return ncb_errf(e, -EINVAL, "--cipher: unknown cipher '%s' (%s)",
				c->cipher, opts_name_hint(c->cipher, 0, hint, sizeof(hint)));
	}
	if (!c->backend)
		return ncb_errf(e, -EINVAL, "--cipher: no backend offers %s on this machine",
				c->cipher);
	pattern_fopts(c, po, fopts);
	rc = pattern_framing(c)->check(fopts, c->cipher,
				       po->net.family == 1 ? 6 : 4, &lo, &hi, e);
	if (rc < 0)
		return rc;
	c->size = lo;
	return o->wl->check ? o->wl->check(c, o->wl_opts, e) : 0;
}

/* text as FILE, mode 0600 whatever was there, unbuffered so that no
 * copy of the keys stays in a stdio buffer. */
static int write_file(const char *path, const char *text, size_t len,
		      struct ncb_err *e)
{
	struct out_file of;
	int rc = out_open(&of, path, e);

	if (rc < 0)
		return rc;
	of.mode = 0600;
	setvbuf(of.f, NULL, _IONBF, 0);
	if (fwrite(text, 1, len, of.f) != len || fputc('\n', of.f) == EOF) {
		out_abort(&of);
		return ncb_errf(e, -EIO, "%s: cannot write", path);
	}
	return out_commit(&of, e);
}

int sacmd_main(int argc, char **argv)
{
	static struct run_opts o;
	struct ncb_err e = { "" };
	struct safile *sf = NULL;
	struct wl_case c;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (is_help(argc, argv)) {
		help();
		return 0;
	}
	rc = opts_parse_case(argc, argv, case_opts, &o, &e);
	if (rc == 0)
		rc = make_case(&o, &c, &e);
	if (rc == 0)
		rc = out_check(o.out_path, &e);
	if (rc == 0)
		rc = safile_make(&c, (const void *)o.wl_opts, &text, &len, &e);
	/* What is written must load: its identifiers distinct, its fields
	 * what `run --sa-file` takes. */
	if (rc == 0)
		rc = safile_parse(&sf, text, len, o.out_path, &e);
	safile_free(sf);
	if (rc < 0) {
		fprintf(stderr, "ncbench sa-file: %s\n", e.msg);
		rc = 2;
	} else if (write_file(o.out_path, text, len, &e) < 0) {
		fprintf(stderr, "ncbench sa-file: %s\n", e.msg);
		rc = 1;
	} else {
		snprintf(e.msg, sizeof(e.msg), "%s", o.out_path);
		printf("wrote %s\n", ncb_clean(e.msg));
	}
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	return rc;
}
