/* Values for shell completion: workloads, suites and backends from their
 * registries, mixes from io/imix.c, and the choices of the workloads'
 * own options from their tables, so the completion script lists
 * nothing of its own. */
#include <stdio.h>
#include <string.h>

#include "bench/complete.h"
#include "bench/opts.h"
#include "crypto/aead.h"
#include "io/imix.h"
#include "workloads/wl.h"

int complete_values(const char *opt)
{
	const char *choices[OPTS_LIST_MAX];
	const char *name = opt + strspn(opt, "-");
	size_t n;

	/* -w and --workload alike. */
	if (opt[0] == '-' && opt[1] != '-' && name[0] && !name[1])
		name = opts_long_of(name[0]);
	if (!name)
		return 0;
	if (strcmp(name, "workload") == 0) {
		for (size_t i = 0; i < wl_count(); i++)
			puts(wl_at(i)->name);
	} else if (strcmp(name, "cipher") == 0) {
		for (size_t i = 0; i < aead_alg_count(); i++)
			puts(aead_alg_name(i));
	} else if (strcmp(name, "backend") == 0) {
		puts("all");
		for (size_t i = 0; i < aead_backend_count(); i++)
			puts(aead_backend_name(i));
	} else if (strcmp(name, "imix") == 0) {
		for (size_t i = 0; imix_name(i); i++)
			puts(imix_name(i));
	} else {
		n = opts_choices(name, choices, OPTS_LIST_MAX);
		for (size_t i = 0; i < n; i++)
			puts(choices[i]);
	}
	return 0;
}
