/* Disturbance of a repetition: what else happened on the workers' PUs
 * while it ran. From /proc/stat (steal, interrupts, soft interrupts, busy
 * time of each PU) and /proc/self/task/<tid>/stat (ncbench's own tasks),
 * the workers' involuntary context switches, and a short fixed CPU-bound
 * canary loop timed on each worker's PU before and after the repetition:
 * steal is not reported by every hypervisor, but a host that slowed
 * down slows the canary too. Where the core has AES instructions the
 * canary keeps its AES unit busy: a neighbour on the same physical core
 * slows that unit without stealing any time. */
#ifndef NCB_IO_NOISE_H
#define NCB_IO_NOISE_H

#include <stddef.h>
#include <stdint.h>

#include "io/ncb.h"

enum {
	NOISE_PUS_MAX = 1024, /* PUs a snapshot can follow */
};

/* Reasons a repetition is disturbed (bits of noise_rep.flags). */
enum noise_flag {
	NOISE_STEAL = 1u << 0,  /* the hypervisor stole time from the PUs */
	NOISE_OTHERS = 1u << 1, /* other processes ran on the PUs */
	NOISE_NIVCSW = 1u << 2, /* workers were preempted */
	NOISE_CANARY = 1u << 3, /* the canary ran slower than its best */
	NOISE_FLAGS = 4,
};

/* The rule behind the flags, as written into documents. */
#define NOISE_RULE                                                             \
	"disturbed when, on the workers' PUs over the repetition, steal > 2% " \
	"or other tasks' CPU > 5% of the PU time (each at least 2 clock "      \
	"ticks), or more than 100 involuntary context switches per "           \
	"worker-second, or the slowest worker's canary (the faster of its "    \
	"runs before and after) > 10% slower than the fastest canary of the "  \
	"case (all its processes)"

/* /proc/stat and task CPU times at one instant, for a set of PUs. */
struct noise_snap {
	size_t n;            /* PUs followed */
	int pu[NOISE_PUS_MAX];
	/* Per followed PU, seconds since boot. busy: user + nice + system
	 * (time something other than the idle task ran, interrupts apart). */
	double busy[NOISE_PUS_MAX], steal[NOISE_PUS_MAX];
	double irq[NOISE_PUS_MAX], softirq[NOISE_PUS_MAX];
	/* CPU seconds of this process's tasks whose last PU is followed. */
	double self;
	int is_valid; /* 0: /proc could not be read; the diff is all zero */
};

/* The disturbance of one repetition, summed over the workers' PUs. */
struct noise_rep {
	double steal_s, others_s, irq_s, softirq_s;
	uint64_t nivcsw;    /* involuntary context switches, all workers */
	double canary_ns;   /* slowest worker's canary (faster of before/after) */
	double canary_drift; /* canary_ns / the case's fastest - 1, >= 0 */
	unsigned flags;     /* enum noise_flag */
};

/* Takes a snapshot for the n PUs listed (duplicates are followed once).
 * Never fails: without /proc, is_valid is 0. */
void noise_snap(struct noise_snap *s, const int *pus, size_t n);

/* b - a into out (steal_s, others_s, irq_s, softirq_s; the rest is left
 * as it is). Others' time is the PUs' busy time less the CPU time of
 * ncbench's own tasks that ran there, never below 0. */
void noise_diff(const struct noise_snap *a, const struct noise_snap *b,
		struct noise_rep *out);

/* Runs the canary loop on the calling thread's PU (a fixed amount of
 * work, about 0.5 ms on a 2.6 GHz core: eight independent AESENC streams
 * where the CPU has AES-NI, else a dependent integer chain) and returns
 * the nanoseconds it took. */
uint64_t noise_canary_ns(void);

/* Applies NOISE_RULE to r for a repetition of `seconds` on `workers`
 * workers over `pus` distinct PUs; canary_best_ns is the fastest canary
 * of the case so far (0: none yet). Sets r->canary_drift and r->flags and
 * returns the flags. */
unsigned noise_judge(struct noise_rep *r, double seconds, unsigned workers,
		     size_t pus, double canary_best_ns);

/* "steal", "others", "nivcsw", "canary" for bit i (0..NOISE_FLAGS-1). */
const char *noise_flag_name(unsigned bit);

#endif
