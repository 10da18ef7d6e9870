/* The list of workloads. Adding one is a file plus a line here. */
#include <errno.h>
#include <string.h>

#include "workloads/wl.h"

extern const struct wl_ops wl_cipher;
extern const struct wl_ops wl_esp;
extern const struct wl_ops wl_macsec;
extern const struct wl_ops wl_stream;
extern const struct wl_ops wl_rr;

static const struct wl_ops *const registry[] = {
	&wl_cipher,
	&wl_esp,
	&wl_macsec,
	&wl_stream,
	&wl_rr,
};

size_t wl_count(void)
{
	return NCB_ARRAY_SIZE(registry);
}

const struct wl_ops *wl_at(size_t i)
{
	return i < NCB_ARRAY_SIZE(registry) ? registry[i] : NULL;
}

const struct wl_ops *wl_find(const char *name)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(registry); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

int wl_registry_check(struct ncb_err *e)
{
	for (size_t i = 0; i < NCB_ARRAY_SIZE(registry); i++) {
		const struct wl_ops *w = registry[i];

		/* The name first: every later message quotes it. */
		if (!w->name || !w->setup || !w->run_rep || !w->teardown)
			return ncb_errf(e, -EINVAL, "workload %zu: missing hook", i);
		if (w->abi != WL_ABI)
			return ncb_errf(e, -EINVAL, "workload %s: ABI %u, expected %u",
					w->name, w->abi, WL_ABI);
		if (w->n_rejects > WL_REJECTS_MAX)
			return ncb_errf(e, -EINVAL, "workload %s: too many reject counters",
					w->name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(registry[j]->name, w->name) == 0)
				return ncb_errf(e, -EINVAL,
						"workload %s registered twice",
						w->name);
	}
	return 0;
}
