/* `ncbench psk -o FILE`: writes a new random 32-byte key as 64 hex digits,
 * mode 0600, never over an existing file. The key itself is never
 * printed: the same file goes to both hosts by a path the user trusts. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench/psk.h"
#include "io/ctl.h"
#include "io/ncb_cli.h"

static void help(void)
{
	printf("usage: ncbench psk -o FILE\n"
	       "  writes a new pre-shared key for the control channel of two-host\n"
	       "  runs: 32 random bytes as 64 hex digits, mode 0600. Copy the file to\n"
	       "  the other host by a safe path (scp) and give it to both ends:\n"
	       "  ncbench serve --psk-file FILE, ncbench run --peer HOST --psk-file FILE.\n"
	       "  An existing FILE is never overwritten. A key file that group or\n"
	       "  others may read is refused by both ends.\n"
	       "  -o, --output FILE  where to write the key (required)\n"
	       "exit status: 0 written, 2 usage error or FILE exists, 1 write failed\n");
}

/* 0 go on, 1 done (help), or -EINVAL with e filled. */
static int parse(int argc, char **argv, const char **path, struct ncb_err *e)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*path = NULL;
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":o:h", longs)) != -1) {
		switch (c) {
		case 'o':
			if (*path)
				return ncb_errf(e, -EINVAL, "-o given twice");
			*path = optarg;
			break;
		case 'h':
			help();
			return 1;
		case ':':
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		default:
			return ncb_errf(e, -EINVAL,
					"unknown option '%s' (%ssee ncbench psk --help)",
					ncb_cli_unknown(), ncb_cli_hint());
		}
	}
	if (optind < argc)
		return ncb_errf(e, -EINVAL,
				"unexpected argument '%s' (see ncbench psk --help)",
				argv[optind]);
	if (!*path || !**path)
		return ncb_errf(e, -EINVAL,
				"-o FILE is required (see ncbench psk --help)");
	return 0;
}

/* A file that exists or a path that cannot hold one is the caller's
 * input error (2); a failed write after the file was made is 1. */
static int exit_status(int rc)
{
	switch (-rc) {
	case EEXIST:
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EACCES:
	case EPERM:
	case ELOOP:
	case EROFS:
	case ENAMETOOLONG:
		return 2;
	default:
		return 1;
	}
}

int psk_main(int argc, char **argv)
{
	struct ncb_err e = { "" };
	const char *path;
	int rc = parse(argc, argv, &path, &e);

	if (rc > 0)
		return 0;
	if (rc == 0)
		rc = ctl_psk_write(path, &e);
	if (rc < 0) {
		fprintf(stderr, "ncbench psk: %s\n", e.msg);
		return rc == -EINVAL ? 2 : exit_status(rc);
	}
	printf("wrote %s\n", path);
	return 0;
}
