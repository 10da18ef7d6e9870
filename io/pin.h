/* Worker placement with hwloc: load the topology once, choose PUs, bind a
 * worker thread (and its memory) to a PU, describe where it ran. */
#ifndef NCB_IO_PIN_H
#define NCB_IO_PIN_H

#include "io/ncb.h"

struct pin_topo;

/* Where one worker runs. Numbers are OS indexes for pu and numa (what
 * taskset and numactl take) and the hwloc logical index for core. */
struct pin_place {
	int pu;
	int core;
	int numa;
	int is_mem_bound; /* memory policy bound to numa */
};

/* Loads the machine topology. Caller frees with pin_topo_free(). */
NCB_MUST_CHECK int pin_topo_load(struct pin_topo **out);
void pin_topo_free(struct pin_topo *t);

/* Counts of the machine (allowed PUs only). */
unsigned pin_pu_count(const struct pin_topo *t);
unsigned pin_core_count(const struct pin_topo *t);
unsigned pin_numa_count(const struct pin_topo *t);
unsigned pin_package_count(const struct pin_topo *t);

/* OS index of the i-th allowed PU, in topology order, or -1. */
int pin_pu_at(const struct pin_topo *t, unsigned i);

/* 0 if PU os_index exists and may be used, else -ENOENT. */
int pin_pu_check(const struct pin_topo *t, int os_index);

/* Fills pus[0..n-1] with OS indexes spread over cores: one PU per core
 * before any core gets a second, starting from the last core so that PU 0,
 * where housekeeping and interrupts usually land, is used last. With n
 * larger than the PU count the list wraps (oversubscription). */
void pin_choose(const struct pin_topo *t, unsigned n, int *pus);

/* Describes PU os_index without binding anything. */
NCB_MUST_CHECK int pin_describe(const struct pin_topo *t, int os_index,
				struct pin_place *out);

/* Binds the calling thread to PU os_index and its memory policy to the
 * PU's NUMA node (best effort: is_mem_bound says if it worked). Thread
 * safe once the topology is loaded. Returns 0 or a negative errno. */
NCB_MUST_CHECK int pin_worker(const struct pin_topo *t, int os_index,
			      struct pin_place *out);

/* hwloc version string the program runs with (static). */
const char *pin_version(void);

#endif
