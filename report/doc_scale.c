/* sa{}, options.flows and io_detail.syscalls_per_packet of a result. The
 * figures feed report's SA-count and flows charts and the SA table, so
 * each is held to its type and range as the rest of the document is; a
 * field a result lacks is simply not charted. */
#include <string.h>

#include "report/doc_scale.h"

/* sa{}: count required when the object is there, the rest optional. */
static int load_sa(struct doc_scale *s, json_t *r, const struct doc_at *a)
{
	struct doc_at as;
	long long count;
	json_t *o;
	int rc;

	if ((rc = doc_check_obj(a, r, "sa", 0, &o)) < 0 || !o)
		return rc;
	doc_check_at(&as, a, "sa");
	if ((rc = doc_check_int(&as, o, "count", 1, DOC_SAS_MAX, &count)) < 0 ||
	    (rc = doc_check_str(&as, o, "dist", 0, &s->sa_dist)) < 0 ||
	    (rc = doc_check_opt_num(&as, o, "bytes_per_sa", 0, DOC_NUM_MAX,
				    &s->sa_bytes)) < 0 ||
	    (rc = doc_check_opt_num(&as, o, "create_per_s", 0, DOC_NUM_MAX,
				    &s->sa_create_per_s)) < 0)
		return rc;
	/* The spread's name goes into chart labels: a short word. */
	if (strlen(s->sa_dist) > DOC_SA_DIST_MAX)
		return doc_check_bad(&as, "dist", "longer than %d bytes", DOC_SA_DIST_MAX);
	s->sa_count = (long)count;
	return 0;
}

/* options.flows: the sockets of each pair end, an integer. The options
 * themselves are read (as identity) by doc.c. */
static int load_flows(struct doc_scale *s, json_t *r, const struct doc_at *a)
{
	json_t *o = json_object_get(r, "options");
	struct doc_at ao;
	long long flows = 0;
	int rc;

	if (!json_is_object(o))
		return 0;
	doc_check_at(&ao, a, "options");
	if ((rc = doc_check_opt_int(&ao, o, "flows", 1, DOC_FLOWS_MAX, &flows)) < 0)
		return rc;
	s->flows = (unsigned)flows;
	return 0;
}

/* io_detail.syscalls_per_packet{tx, rx}; io_detail's engine texts are
 * for people and only have to be strings (checked with every string). */
static int load_syscalls(struct doc_scale *s, json_t *r, const struct doc_at *a)
{
	struct doc_at ai, as;
	json_t *io, *o;
	int rc;

	if ((rc = doc_check_obj(a, r, "io_detail", 0, &io)) < 0 || !io)
		return rc;
	doc_check_at(&ai, a, "io_detail");
	if ((rc = doc_check_obj(&ai, io, "syscalls_per_packet", 0, &o)) < 0 || !o)
		return rc;
	doc_check_at(&as, &ai, "syscalls_per_packet");
	if ((rc = doc_check_opt_num(&as, o, "tx", 0, DOC_NUM_MAX, &s->syscalls_tx)) < 0 ||
	    (rc = doc_check_opt_num(&as, o, "rx", 0, DOC_NUM_MAX, &s->syscalls_rx)) < 0)
		return rc;
	return 0;
}

int doc_scale_load(struct doc_case *c, json_t *r, const struct doc_at *a)
{
	struct doc_scale *s = &c->scale;
	int rc;

	*s = (struct doc_scale){ .sa_dist = "", .sa_bytes = -1,
				 .sa_create_per_s = -1, .syscalls_tx = -1,
				 .syscalls_rx = -1 };
	if ((rc = load_sa(s, r, a)) < 0 || (rc = load_flows(s, r, a)) < 0)
		return rc;
	return load_syscalls(s, r, a);
}
