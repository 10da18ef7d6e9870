/* hwloc-backed placement. The topology is loaded once and only read
 * afterwards, which hwloc allows from several threads at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <hwloc.h>

#include "io/pin.h"

struct pin_topo {
	hwloc_topology_t topo;
};

int pin_topo_load(struct pin_topo **out)
{
	struct pin_topo *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return -ENOMEM;
	if (hwloc_topology_init(&t->topo) < 0)
		goto err_free;
	if (hwloc_topology_load(t->topo) < 0)
		goto err_destroy;
	*out = t;
	return 0;

err_destroy:
	hwloc_topology_destroy(t->topo);
err_free:
	free(t);
	return -EIO;
}

void pin_topo_free(struct pin_topo *t)
{
	if (!t)
		return;
	hwloc_topology_destroy(t->topo);
	free(t);
}

static unsigned count(const struct pin_topo *t, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(t->topo, type);

	return n > 0 ? (unsigned)n : 0;
}

unsigned pin_pu_count(const struct pin_topo *t)
{
	return count(t, HWLOC_OBJ_PU);
}

unsigned pin_core_count(const struct pin_topo *t)
{
	return count(t, HWLOC_OBJ_CORE);
}

unsigned pin_numa_count(const struct pin_topo *t)
{
	unsigned n = count(t, HWLOC_OBJ_NUMANODE);

	return n ? n : 1;
}

unsigned pin_package_count(const struct pin_topo *t)
{
	return count(t, HWLOC_OBJ_PACKAGE);
}

int pin_pu_at(const struct pin_topo *t, unsigned i)
{
	hwloc_obj_t pu = hwloc_get_obj_by_type(t->topo, HWLOC_OBJ_PU, i);

	return pu ? (int)pu->os_index : -1;
}

static hwloc_obj_t find_pu(const struct pin_topo *t, int os_index)
{
	if (os_index < 0)
		return NULL;
	return hwloc_get_pu_obj_by_os_index(t->topo, (unsigned)os_index);
}

int pin_pu_check(const struct pin_topo *t, int os_index)
{
	return find_pu(t, os_index) ? 0 : -ENOENT;
}

void pin_choose(const struct pin_topo *t, unsigned n, int *pus)
{
	unsigned npu = pin_pu_count(t), cores = pin_core_count(t), k = 0;

	/* Round r takes the r-th PU of every core, last core first. */
	for (unsigned r = 0; k < n && k < npu; r++) {
		unsigned before = k;

		for (unsigned c = cores; c-- > 0 && k < n;) {
			hwloc_obj_t core =
				hwloc_get_obj_by_type(t->topo, HWLOC_OBJ_CORE, c);
			hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(
				t->topo, core->cpuset, HWLOC_OBJ_PU, r);

			if (pu)
				pus[k++] = (int)pu->os_index;
		}
		if (k == before)
			break;
	}
	/* Without core objects, take PUs in order. */
	for (; !cores && k < n && k < npu; k++)
		pus[k] = pin_pu_at(t, k);
	/* More workers than PUs (an explicit override): wrap around. */
	for (unsigned i = k; k && i < n; i++)
		pus[i] = pus[i - k];
}

static void describe(const struct pin_topo *t, hwloc_obj_t pu,
		     struct pin_place *out)
{
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t->topo,
							  HWLOC_OBJ_CORE, pu);
	hwloc_obj_t node = NULL;

	out->pu = (int)pu->os_index;
	out->core = core ? (int)core->logical_index : -1;
	out->numa = 0;
	out->is_mem_bound = 0;
	while ((node = hwloc_get_next_obj_by_type(t->topo, HWLOC_OBJ_NUMANODE,
						  node))) {
		if (hwloc_bitmap_isset(node->cpuset, pu->os_index)) {
			out->numa = (int)node->os_index;
			break;
		}
	}
}

int pin_describe(const struct pin_topo *t, int os_index, struct pin_place *out)
{
	hwloc_obj_t pu = find_pu(t, os_index);

	if (!pu)
		return -ENOENT;
	describe(t, pu, out);
	return 0;
}

int pin_worker(const struct pin_topo *t, int os_index, struct pin_place *out)
{
	hwloc_obj_t pu = find_pu(t, os_index);
	hwloc_obj_t node;

	if (!pu)
		return -ENOENT;
	describe(t, pu, out);
	if (hwloc_set_cpubind(t->topo, pu->cpuset, HWLOC_CPUBIND_THREAD) < 0)
		return -errno;
	node = hwloc_get_numanode_obj_by_os_index(t->topo, (unsigned)out->numa);
	/* Memory binding can be refused (containers filter set_mempolicy);
	 * the placement records whether it held. */
	if (node && hwloc_set_membind(t->topo, node->nodeset,
				      HWLOC_MEMBIND_BIND,
				      HWLOC_MEMBIND_THREAD |
					      HWLOC_MEMBIND_BYNODESET) == 0)
		out->is_mem_bound = 1;
	return 0;
}

const char *pin_version(void)
{
	/* The library version built against; the runtime API level is
	 * hwloc_get_api_version(), which names the interface, not a
	 * release. */
	return HWLOC_VERSION;
}
