/* What this build and machine offer: workloads, algorithms × backends,
 * framings, I/O engines, and the hwloc topology summary. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "bench/list.h"
#include "crypto/aead.h"
#include "crypto/framing.h"
#include "io/ncb_cli.h"
#include "io/net.h"
#include "io/pin.h"
#include "workloads/wl.h"

static void help(const char *cmd)
{
	if (strcmp(cmd, "topo") == 0)
		printf("usage: ncbench topo [--json]\n"
		       "  the hwloc topology: packages, NUMA nodes, cores and PUs, and where\n"
		       "  run places its workers by default\n");
	else
		printf("usage: ncbench list [--json]\n"
		       "  the workloads, the AEAD and encrypt-then-MAC suites with the backends\n"
		       "  that offer each here, the framings and the I/O engines\n");
	printf("  --json      the same as one JSON object on stdout\n"
	       "  -h, --help  this text\n"
	       "exit status: 0, 2 usage error\n");
}

/* Accepts no argument but --json (sets *is_json) and --help. 0, -1 after
 * --help, or 2 after a message. */
static int parse_json_flag(int argc, char **argv, int *is_json)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char msg[NCB_ERR_LEN];
	int c;

	*is_json = 0;
	optind = 0;
	opterr = 0;
	while ((c = ncb_cli_getopt(argc, argv, ":h", longs)) != -1) {
		if (c == 'j') {
			*is_json = 1;
			continue;
		}
		if (c == 'h') {
			help(argv[0]);
			return -1;
		}
		snprintf(msg, sizeof(msg), "unknown option '%s' (%ssee ncbench %s --help)",
			 ncb_cli_unknown(), ncb_cli_hint(), argv[0]);
		fprintf(stderr, "ncbench %s: %s\n", argv[0], ncb_clean(msg));
		return 2;
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s' (see ncbench %s --help)",
			 argv[optind], argv[0]);
		fprintf(stderr, "ncbench %s: %s\n", argv[0], ncb_clean(msg));
		return 2;
	}
	return 0;
}

static int print_json(json_t *root)
{
	int rc = json_dumpf(root, stdout, JSON_INDENT(1));

	json_decref(root);
	putchar('\n');
	return rc < 0 ? 1 : 0;
}

/* Framings and what each makes of every algorithm (a suite name, or
 * "non-standard" where it runs alg in its layout without a standard). */
static json_t *framings_json(void)
{
	json_t *fr = json_array();

	for (size_t i = 0; i < framing_count(); i++) {
		const struct framing_ops *f = framing_at(i);
		json_t *notes = json_object();

		for (size_t a = 0; f->alg_note && a < aead_alg_count(); a++) {
			const char *note = framing_alg_note(f, aead_alg_name(a));

			if (note)
				json_object_set_new(notes, aead_alg_name(a),
						    json_string(note));
		}
		json_array_append_new(fr, json_pack("{s:s, s:s, s:o}", "name",
						    f->name, "summary", f->summary,
						    "algorithms", notes));
	}
	return fr;
}

/* A suite's entry in `list --json`. */
static json_t *alg_json(const struct aead_info *a, json_t *avail)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:s, s:o}", "name",
			 a->name, "kind",
			 a->kind == AEAD_KIND_ETM ? "encrypt-then-mac" : "aead",
			 "key_bytes", (int)a->key_len, "iv_bytes", (int)a->iv_len,
			 "icv_bytes", (int)a->icv_len, "block_bytes",
			 (int)a->block, "standard", a->standard, "backends",
			 avail);
}

/* The suite table: which backend offers what, and what each suite is
 * (ICV bytes: the default; an ETM suite takes --icv-len). */
static void print_algs(void)
{
	printf("algorithms (yes = works on this machine):\n  %-24s", "");
	for (size_t b = 0; b < aead_backend_count(); b++)
		printf(" %-8s", aead_backend_name(b));
	printf(" %-5s %-3s %s\n", "kind", "ICV", "defined by");
	for (size_t a = 0; a < aead_alg_count(); a++) {
		const struct aead_info *in = aead_info(aead_alg_name(a));

		printf("  %-24s", in->name);
		for (size_t b = 0; b < aead_backend_count(); b++)
			printf(" %-8s",
			       aead_probe(in->name, aead_backend_name(b)) == 0
				       ? "yes"
				       : "-");
		printf(" %-5s %-3zu %s\n",
		       in->kind == AEAD_KIND_ETM ? "etm" : "aead", in->icv_len,
		       in->standard);
	}
}

/* Indented past the algorithm table's two spaces: scripts grep that
 * table by "^  ALG ". */
static void print_framings(void)
{
	printf("framings (--framing NAME; what each makes of an algorithm):\n");
	for (size_t i = 0; i < framing_count(); i++) {
		const struct framing_ops *f = framing_at(i);

		printf("  %-14s %s\n", f->name, f->summary);
		for (size_t a = 0; f->alg_note && a < aead_alg_count(); a++) {
			const char *note = framing_alg_note(f, aead_alg_name(a));

			if (note)
				printf("      %-24s %s\n", aead_alg_name(a), note);
		}
	}
}

int list_main(int argc, char **argv)
{
	json_t *root, *wls, *algs, *backends, *engines;
	int is_json, rc = parse_json_flag(argc, argv, &is_json);

	if (rc)
		return rc < 0 ? 0 : rc;
	root = json_object();
	wls = json_array();
	algs = json_array();
	backends = json_array();
	engines = json_array();
	for (size_t i = 0; i < net_engine_count(); i++)
		json_array_append_new(
			engines,
			json_pack("{s:s, s:s}", "name",
				  net_engine_name(net_engine_at(i)), "summary",
				  net_engine_summary(net_engine_at(i))));
	for (size_t i = 0; i < wl_count(); i++)
		json_array_append_new(wls, json_pack("{s:s, s:s}", "name",
						     wl_at(i)->name, "summary",
						     wl_at(i)->summary));
	for (size_t b = 0; b < aead_backend_count(); b++)
		json_array_append_new(
			backends,
			json_pack("{s:s, s:s}", "name", aead_backend_name(b),
				  "version",
				  aead_backend_version(aead_backend_name(b))));
	for (size_t a = 0; a < aead_alg_count(); a++) {
		const char *alg = aead_alg_name(a);
		json_t *avail = json_object();

		for (size_t b = 0; b < aead_backend_count(); b++) {
			const char *be = aead_backend_name(b);

			json_object_set_new(avail, be,
					    json_boolean(aead_probe(alg, be) == 0));
		}
		json_array_append_new(algs, alg_json(aead_info(alg), avail));
	}
	json_object_set_new(root, "workloads", wls);
	json_object_set_new(root, "backends", backends);
	json_object_set_new(root, "algorithms", algs);
	json_object_set_new(root, "engines", engines);
	json_object_set_new(root, "framings", framings_json());
	if (is_json)
		return print_json(root);

	printf("workloads:\n");
	for (size_t i = 0; i < wl_count(); i++)
		printf("  %-10s %s\n", wl_at(i)->name, wl_at(i)->summary);
	printf("backends:\n");
	for (size_t b = 0; b < aead_backend_count(); b++)
		printf("  %-10s %s\n", aead_backend_name(b),
		       aead_backend_version(aead_backend_name(b)));
	print_algs();
	print_framings();
	printf("I/O engines (--io):\n");
	for (size_t i = 0; i < net_engine_count(); i++)
		printf("  %-10s %s\n", net_engine_name(net_engine_at(i)),
		       net_engine_summary(net_engine_at(i)));
	json_decref(root);
	return 0;
}

int list_topo_main(int argc, char **argv)
{
	struct pin_topo *t;
	json_t *root, *pus;
	int is_json, rc = parse_json_flag(argc, argv, &is_json);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (pin_topo_load(&t) < 0) {
		fprintf(stderr, "ncbench topo: cannot load the hwloc topology\n");
		return 1;
	}
	pus = json_array();
	for (unsigned i = 0; i < pin_pu_count(t); i++) {
		struct pin_place p;

		if (pin_describe(t, pin_pu_at(t, i), &p) == 0)
			json_array_append_new(pus, json_pack("{s:i, s:i, s:i}",
							     "pu", p.pu, "core",
							     p.core, "numa",
							     p.numa));
	}
	root = json_pack("{s:s, s:i, s:i, s:i, s:i, s:o}", "hwloc",
			 pin_version(), "packages", (int)pin_package_count(t),
			 "numa_nodes", (int)pin_numa_count(t), "cores",
			 (int)pin_core_count(t), "pus", (int)pin_pu_count(t),
			 "placement", pus);
	pin_topo_free(t);
	if (is_json)
		return print_json(root);
	printf("packages %lld, NUMA nodes %lld, cores %lld, PUs %lld (hwloc %s)\n",
	       json_integer_value(json_object_get(root, "packages")),
	       json_integer_value(json_object_get(root, "numa_nodes")),
	       json_integer_value(json_object_get(root, "cores")),
	       json_integer_value(json_object_get(root, "pus")),
	       json_string_value(json_object_get(root, "hwloc")));
	printf("%6s %6s %6s\n", "PU", "core", "NUMA");
	for (size_t i = 0; i < json_array_size(pus); i++) {
		json_t *p = json_array_get(pus, i);

		printf("%6lld %6lld %6lld\n",
		       json_integer_value(json_object_get(p, "pu")),
		       json_integer_value(json_object_get(p, "core")),
		       json_integer_value(json_object_get(p, "numa")));
	}
	json_decref(root);
	return 0;
}
