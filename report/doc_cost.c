/* summary.gbps_per_core, summary.phases{} and latency_ns.count: the
 * figures of report's CPU charts (CPU per Gbit/s, cycles per packet split
 * into crypto and the rest, where the latency percentiles end). Each is
 * held to its type and range as the rest of the document is. */
#include "report/doc_cost.h"

/* summary.phases{}: all three figures when the object is there. */
static int load_phases(struct doc_cost *k, json_t *sum, const struct doc_at *a)
{
	struct doc_at ap;
	json_t *o;
	int rc;

	if ((rc = doc_check_obj(a, sum, "phases", 0, &o)) < 0 || !o)
		return rc;
	doc_check_at(&ap, a, "phases");
	if ((rc = doc_check_num(&ap, o, "crypto_cycles", 0, DOC_NUM_MAX,
				&k->crypto_cycles)) < 0 ||
	    (rc = doc_check_num(&ap, o, "other_cycles", 0, DOC_NUM_MAX,
				&k->other_cycles)) < 0 ||
	    (rc = doc_check_num(&ap, o, "crypto_share", 0, DOC_NUM_MAX,
				&k->crypto_share)) < 0)
		return rc;
	k->has_phases = 1;
	return 0;
}

int doc_cost_load(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	struct doc_cost *k = &c->cost;
	struct doc_at as, al;
	json_t *sum, *lat;
	double count = 0;
	int rc;

	*k = (struct doc_cost){ .gbps_per_core = -1 };
	/* summary{} is required and checked by doc.c before this runs. */
	if ((rc = doc_check_obj(a, r, "summary", 1, &sum)) < 0)
		return rc;
	doc_check_at(&as, a, "summary");
	if ((rc = doc_check_opt_num(&as, sum, "gbps_per_core", 0, DOC_NUM_MAX,
				    &k->gbps_per_core)) < 0 ||
	    (rc = load_phases(k, sum, &as)) < 0)
		return rc;
	if ((rc = doc_check_obj(a, r, "latency_ns", 0, &lat)) < 0 || !lat)
		return rc;
	doc_check_at(&al, a, "latency_ns");
	if ((rc = doc_check_opt_num(&al, lat, "count", 0, DOC_NUM_MAX, &count)) < 0)
		return rc;
	k->lat_count = count;
	return 0;
}

double doc_cost_cycles_per_packet(const struct doc_case *c)
{
	const struct doc_cost *k = &c->cost;

	if (!k->has_phases)
		return -1;
	/* other = (total - crypto) per packet, floored at 0: the total is
	 * crypto + other unless crypto exceeded it, then crypto / share. */
	if (k->crypto_share > 1)
		return k->crypto_cycles / k->crypto_share;
	return k->crypto_cycles + k->other_cycles;
}
