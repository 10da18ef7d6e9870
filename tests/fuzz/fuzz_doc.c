/* libFuzzer target for result documents (doc_load_buf): any bytes must
 * give a checked document or one clean error line, never a crash, leak or
 * overread. An accepted document is also looked up by every key, its
 * strings sent through each output sink (a two-host case's peer too), and
 * each case judged against itself, as report, compare and export would. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"
#include "report/doc_peer.h"
#include "report/sink.h"
#include "report/verdict.h"

static void sink_all(FILE *f, const char *s)
{
	char stem[64];

	sink_gp_str(f, s);
	sink_gp_data(f, s);
	sink_html(f, s);
	sink_md(f, s);
	sink_csv(f, s);
	sink_stem(stem, sizeof(stem), s);
	if (!sink_stem_is_safe(stem))
		abort();
}

/* A two-host case's peer: in its bounds, its text through every sink as
 * report, compare and export send it. */
static void peer_all(FILE *f, const struct doc_case *c)
{
	const struct doc_peer *p = c->peer;
	char name[DOC_PEER_ADDR_MAX + 16];

	if (!p)
		return;
	if (p->mode >= DOC_PEER_MODES || !*p->address ||
	    strlen(p->address) > DOC_PEER_ADDR_MAX || p->workers < 1 ||
	    p->n_samples > c->n || !strstr(c->key, p->address) ||
	    strlen(p->host.hostname) > DOC_HOST_TEXT_MAX)
		abort();
	if (!f)
		return;
	doc_peer_name(p, name, sizeof(name));
	sink_all(f, name);
	sink_all(f, p->host.hostname);
	sink_all(f, p->host.cpu_model);
	sink_all(f, p->host.kernel);
	for (size_t i = 0; i < p->host.n_hygiene; i++)
		sink_all(f, p->host.hygiene[i].value);
}

/* The case pooled twice (two documents' worth of processes) against
 * itself once: the units, the test and the rule on hostile numbers. */
static void judge(const struct doc_case *c)
{
	const struct doc_case *parts[2] = { c, c };
	struct verdict_side b = { 0 }, s = { 0 };
	struct verdict v;

	if (verdict_side_pool(&b, parts, 2) == 0 &&
	    verdict_side_pool(&s, parts, 1) == 0 &&
	    verdict_judge(&b, &s, VERDICT_THRESHOLD_PCT, VERDICT_ALPHA, &v) == 0 &&
	    (v.kind >= VERDICT_KINDS || b.n_units > 2 * c->n))
		abort();
	verdict_side_free(&b);
	verdict_side_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ncb_err e = { "" };
	struct doc *d = NULL;
	FILE *null;

	if (doc_load_buf(&d, "fuzz.json", (const char *)data, size, &e) < 0) {
		/* One line, no control bytes: what the commands print. */
		for (const char *p = e.msg; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();
		return 0;
	}
	null = fopen("/dev/null", "w");
	for (size_t i = 0; i < d->n_cases; i++) {
		const struct doc_case *c = &d->cases[i];

		if (doc_find(d, c->key) != c || c->size < 1 || c->threads < 1 ||
		    !c->n || c->n > DOC_SAMPLES_MAX)
			abort();
		if (null) {
			sink_all(null, c->key);
			sink_all(null, c->series);
		}
		peer_all(null, c);
		judge(c);
	}
	if (null) {
		sink_all(null, d->host.hostname);
		fclose(null);
	}
	doc_free(d);
	return 0;
}
