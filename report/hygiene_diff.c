/* Differences of host.hygiene between two documents: a merge walk over
 * the two fact lists, which doc_load sorts by name. A different governor,
 * THP or PMU can explain a change as well as the code can. */
#include <stdio.h>
#include <string.h>

#include "report/doc.h"
#include "report/hygiene_diff.h"

size_t hygiene_diff_warn(FILE *f, const char *prog, const struct doc *base,
			 const struct doc *cur)
{
	size_t i = 0, j = 0, lines = 0;

	if (!base->host.has_hygiene && !cur->host.has_hygiene)
		return 0;
	if (!base->host.has_hygiene || !cur->host.has_hygiene) {
		char path[sizeof(base->path)];

		/* A file name is the user's and may hold anything. */
		snprintf(path, sizeof(path), "%s",
			 base->host.has_hygiene ? cur->path : base->path);
		fprintf(f, "%s: warning: %s records no host hygiene (an older document): the hosts' settings cannot be compared\n",
			prog, ncb_clean(path));
		return 1;
	}
	while (i < base->host.n_hygiene || j < cur->host.n_hygiene) {
		const struct doc_fact *b = i < base->host.n_hygiene ? &base->host.hygiene[i] : NULL;
		const struct doc_fact *c = j < cur->host.n_hygiene ? &cur->host.hygiene[j] : NULL;
		int order = !b ? 1 : !c ? -1 : strcmp(b->name, c->name);

		if (order == 0 && strcmp(b->value, c->value) == 0) {
			i++, j++;
			continue;
		}
		fprintf(f, "%s: warning: hosts differ in %s: %s vs %s\n", prog,
			order <= 0 ? b->name : c->name,
			order <= 0 ? b->value : "(not recorded)",
			order >= 0 ? c->value : "(not recorded)");
		lines++;
		i += order <= 0;
		j += order >= 0;
	}
	return lines;
}
