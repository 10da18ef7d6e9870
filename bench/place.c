/* Worker placement as JSON both ways (place.h). */
#include <errno.h>
#include <string.h>

#include "bench/place.h"

enum {
	PLACE_INDEX_MAX = 1 << 20, /* OS and logical indexes */
	PLACE_KEYS = 4,
};

json_t *place_json(const struct pin_place *p, unsigned n)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:i, s:i, s:b}", "pu",
						   p[i].pu, "core", p[i].core,
						   "numa", p[i].numa, "mem_bound",
						   p[i].is_mem_bound));
	return a;
}

/* An index: -1 (unknown) up to PLACE_INDEX_MAX. */
static int get_index(const json_t *o, const char *key, int *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < -1 ||
	    json_integer_value(v) > PLACE_INDEX_MAX)
		return -EPROTO;
	*out = (int)json_integer_value(v);
	return 0;
}

int place_from_json(const json_t *a, struct pin_place *out, unsigned max,
		    unsigned *n, struct ncb_err *e)
{
	const json_t *o;
	size_t i;

	*n = 0;
	if (!json_is_array(a) || json_array_size(a) > max)
		return ncb_errf(e, -EPROTO,
				"placement: not an array of at most %u workers",
				max);
	json_array_foreach(a, i, o) {
		struct pin_place *p = &out[i];
		const json_t *mb = json_object_get(o, "mem_bound");

		if (!json_is_object(o) || json_object_size(o) != PLACE_KEYS ||
		    get_index(o, "pu", &p->pu) < 0 || p->pu < 0 ||
		    get_index(o, "core", &p->core) < 0 ||
		    get_index(o, "numa", &p->numa) < 0 || !json_is_boolean(mb))
			return ncb_errf(e, -EPROTO,
					"placement[%zu]: not {pu, core, numa, mem_bound} with indexes in range",
					i);
		p->is_mem_bound = json_is_true(mb);
	}
	*n = (unsigned)json_array_size(a);
	return 0;
}
