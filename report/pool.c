/* Grouping a side's cases: sort (key, order of appearance), cut runs of
 * equal keys into groups, keep a key-sorted index for lookups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/pool.h"

void pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n_docs; i++)
		doc_free(p->docs[i]);
	free(p->parts);
	free(p->groups);
	free(p->by_key);
	memset(p, 0, sizeof(*p));
}

/* A case of the side, with the document it came from. */
struct entry {
	const struct doc_case *c;
	size_t doc, order;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int k = strcmp(x->c->key, y->c->key);

	return k ? k : (x->order > y->order) - (x->order < y->order);
}

static int first_cmp(const void *a, const void *b)
{
	const struct pool_group *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp((*(struct pool_group *const *)a)->key,
		      (*(struct pool_group *const *)b)->key);
}

int pool_index(struct pool *p)
{
	size_t total = 0, k = 0;
	struct entry *e;

	for (size_t d = 0; d < p->n_docs; d++)
		total += p->docs[d]->n_cases;
	e = malloc((total + 1) * sizeof(*e));
	p->parts = malloc((total + 1) * sizeof(*p->parts));
	p->groups = malloc((total + 1) * sizeof(*p->groups));
	p->by_key = malloc((total + 1) * sizeof(*p->by_key));
	if (!e || !p->parts || !p->groups || !p->by_key) {
		free(e);
		return -ENOMEM;
	}
	for (size_t d = 0; d < p->n_docs; d++)
		for (size_t i = 0; i < p->docs[d]->n_cases; i++, k++)
			e[k] = (struct entry){ &p->docs[d]->cases[i], d, k };
	qsort(e, total, sizeof(*e), entry_cmp);
	for (size_t i = 0; i < total; i++) {
		struct pool_group *g;

		/* A document holds each identity once (doc_load checks), so
		 * the parts of a group come from distinct documents. */
		if (!i || strcmp(e[i].c->key, e[i - 1].c->key) != 0)
			p->groups[p->n_groups++] = (struct pool_group){
				e[i].c->key, &p->parts[i], 0, e[i].order, 0
			};
		g = &p->groups[p->n_groups - 1];
		p->parts[i] = e[i].c;
		g->n_parts++;
		g->is_doc_incomplete |= !p->docs[e[i].doc]->is_complete;
	}
	free(e);
	qsort(p->groups, p->n_groups, sizeof(*p->groups), first_cmp);
	for (size_t i = 0; i < p->n_groups; i++)
		p->by_key[i] = &p->groups[i];
	qsort(p->by_key, p->n_groups, sizeof(*p->by_key), key_cmp);
	return 0;
}

const struct pool_group *pool_find(const struct pool *p, const char *key)
{
	struct pool_group probe = { .key = key }, *q = &probe, **g;

	if (!p->n_groups)
		return NULL;
	g = bsearch(&q, p->by_key, p->n_groups, sizeof(*p->by_key), key_cmp);
	return g ? *g : NULL;
}
