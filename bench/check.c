/* `ncbench check [--cpus LIST] [--json]`: the hygiene facts of this host
 * for the PUs a run would use, as text or JSON. Warnings are advice, so
 * the exit status is 0 whatever they say; only a bad option is an error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bench/check.h"
#include "bench/hygiene.h"
#include "bench/opts.h"
#include "io/ncb_cli.h"
#include "io/pin.h"

struct check_opts {
	int cpus[OPTS_LIST_MAX];
	size_t n_cpus; /* 0: every PU this process may use */
	int is_json;
};

static void help(void)
{
	printf("usage: ncbench check [--cpus LIST] [--json]\n"
	       "  what on this host makes numbers noisy: frequency scaling, turbo,\n"
	       "  SMT siblings, isolation, IRQs, THP, mitigations, clock source,\n"
	       "  virtualisation, steal and the PMU; one line per fact with a verdict\n"
	       "  (ok, warn, unknown) and a hint. Every result document records them.\n"
	       "  --cpus LIST  the PUs the workers will use (default: every allowed PU)\n"
	       "  --json       the facts as a JSON object\n"
	       "exit status: 0 (warnings included), 2 usage error\n");
}

/* 0 go on, 1 done (help), or -EINVAL with e filled. */
static int parse(int argc, char **argv, struct check_opts *o,
		 struct ncb_err *e)
{
	static const struct option longs[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned cpus[OPTS_LIST_MAX];
	int c, rc;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		switch (c) {
		case 'c':
			rc = opts_parse_uints(optarg, "--cpus", 0,
					      HYGIENE_PUS_MAX - 1, cpus,
					      OPTS_LIST_MAX, &o->n_cpus, e);
			if (rc < 0)
				return rc;
			for (size_t i = 0; i < o->n_cpus; i++)
				o->cpus[i] = (int)cpus[i];
			break;
		case 'j':
			o->is_json = 1;
			break;
		case 'h':
			help();
			return 1;
		case ':':
			return ncb_errf(e, -EINVAL, "%s: needs a value",
					argv[optind - 1]);
		default:
			return ncb_errf(e, -EINVAL,
					"unknown option '%s' (%ssee ncbench check --help)",
					ncb_cli_unknown(), ncb_cli_hint());
		}
	}
	if (optind < argc)
		return ncb_errf(e, -EINVAL,
				"unexpected argument '%s' (see ncbench check --help)",
				argv[optind]);
	return 0;
}

/* The PUs must exist and be allowed, as `run --cpus` demands. */
static int check_pus(const struct check_opts *o, struct ncb_err *e)
{
	struct pin_topo *topo;
	int rc = 0;

	if (!o->n_cpus)
		return 0;
	if (pin_topo_load(&topo) < 0)
		return 0; /* hygiene_read copes with any PU number */
	for (size_t i = 0; i < o->n_cpus && !rc; i++)
		if (pin_pu_check(topo, o->cpus[i]) < 0)
			rc = ncb_errf(e, -EINVAL,
				      "--cpus: PU %d does not exist or is not allowed here",
				      o->cpus[i]);
	pin_topo_free(topo);
	return rc;
}

static int print_json(const struct hygiene *h, const unsigned *count)
{
	json_t *items = json_array(), *root;
	int rc;

	for (size_t i = 0; i < h->n; i++) {
		const struct hygiene_item *it = &h->items[i];

		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s}", "name", it->name,
					 "value", it->value, "verdict",
					 hygiene_verdict_name(it->verdict),
					 "hint", it->hint));
	}
	root = json_pack("{s:s, s:o, s:{s:I, s:I, s:I}}", "pus", h->pus,
			 "items", items, "summary", "ok",
			 (json_int_t)count[HYGIENE_OK], "warn",
			 (json_int_t)count[HYGIENE_WARN], "unknown",
			 (json_int_t)count[HYGIENE_UNKNOWN]);
	if (!root)
		return 1;
	rc = json_dumpf(root, stdout, JSON_INDENT(1));
	json_decref(root);
	putchar('\n');
	return rc < 0 ? 1 : 0;
}

int check_main(int argc, char **argv)
{
	static struct hygiene h;
	struct check_opts o;
	struct ncb_err e = { "" };
	unsigned count[3] = { 0 };
	int rc = parse(argc, argv, &o, &e);

	if (rc == 0)
		rc = check_pus(&o, &e);
	if (rc) {
		if (rc > 0)
			return 0;
		fprintf(stderr, "ncbench check: %s\n", e.msg);
		return 2;
	}
	hygiene_read(&h, o.cpus, o.n_cpus);
	for (size_t i = 0; i < h.n; i++)
		count[h.items[i].verdict]++;
	if (o.is_json)
		return print_json(&h, count);
	printf("PUs examined: %s\n", h.pus);
	for (size_t i = 0; i < h.n; i++) {
		const struct hygiene_item *it = &h.items[i];
		char name[32];

		snprintf(name, sizeof(name), "%s:", it->name);
		printf("%-21s %-30s [%s] %s\n", name, it->value,
		       hygiene_verdict_name(it->verdict), it->hint);
	}
	printf("check: %zu facts: %u ok, %u warn, %u unknown%s\n", h.n,
	       count[HYGIENE_OK], count[HYGIENE_WARN], count[HYGIENE_UNKNOWN],
	       count[HYGIENE_WARN] ? " (warnings are advice; the exit status stays 0)" : "");
	return 0;
}
