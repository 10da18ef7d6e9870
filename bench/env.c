/* Host fingerprint from /proc/cpuinfo, /sys and uname. Files that do not
 * exist on a machine (no cpufreq in many VMs) leave their field empty. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/env.h"
#include "bench/results.h"
#include "crypto/aead.h"
#include "io/cpustat.h"
#include "io/pin.h"
#include "io/uring.h"

/* First line of a file, without its newline; 0 or -1. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int rc = -1;

	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = 0;
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* Value of the first "key<tabs>: value" line of /proc/cpuinfo. */
static void cpuinfo_field(const char *key, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	static char line[ENV_FLAGS + 64];
	size_t klen = strlen(key);

	out[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, klen) != 0 || !colon ||
		    (line[klen] != ' ' && line[klen] != '\t' &&
		     line[klen] != ':'))
			continue;
		colon++;
		colon += strspn(colon, " ");
		colon[strcspn(colon, "\n")] = 0;
		snprintf(out, len, "%s", colon);
		break;
	}
	fclose(f);
}

static int has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = flags; (p = strstr(p, flag)); p += n)
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int read_boost(void)
{
	char v[16];

	/* acpi-cpufreq and amd-pstate: 1 = boost allowed. */
	if (read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v)) == 0)
		return v[0] == '1';
	/* intel_pstate: 1 = turbo disabled. */
	if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v,
		      sizeof(v)) == 0)
		return v[0] == '0';
	return -1;
}

void env_host_read(struct env_host *h, const struct pin_topo *topo)
{
	struct utsname u;
	int n;

	memset(h, 0, sizeof(*h));
	gethostname(h->hostname, sizeof(h->hostname) - 1);
	if (uname(&u) == 0)
		snprintf(h->kernel, sizeof(h->kernel), "%s %s %s", u.sysname,
			 u.release, u.machine);
	cpuinfo_field("model name", h->cpu_model, sizeof(h->cpu_model));
	cpuinfo_field("flags", h->cpu_flags, sizeof(h->cpu_flags));
	if (!h->cpu_flags[0]) /* arm64 names them Features */
		cpuinfo_field("Features", h->cpu_flags, sizeof(h->cpu_flags));
	cpuinfo_field("microcode", h->microcode, sizeof(h->microcode));
	read_line("/sys/devices/system/cpu/smt/control", h->smt, sizeof(h->smt));
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
		  h->governor, sizeof(h->governor));
	h->boost = read_boost();
	h->is_invariant_tsc = has_flag(h->cpu_flags, "constant_tsc") &&
			      has_flag(h->cpu_flags, "nonstop_tsc");
	h->tsc_hz = cpustat_tsc_hz();
	h->pus = pin_pu_count(topo);
	h->cores = pin_core_count(topo);
	h->numa_nodes = pin_numa_count(topo);
	h->packages = pin_package_count(topo);
	n = uring_features(h->io_uring, ENV_FEATURES);
	h->io_uring_count = n;
	/* Every allowed PU: a document's cases may use any of them. */
	hygiene_read(&h->hygiene, NULL, 0);
}

/* Libraries that are not AEAD backends; the backends name themselves. */
static const struct {
	const char *name;
	const char *(*version)(void);
} other_libs[] = {
	{ "liburing", uring_version },
	{ "hwloc", pin_version },
	{ "jansson", results_jansson_version },
};

static void add_lib(struct env_libs *l, const char *name, const char *version)
{
	/* A backend without a library (null), or one that could not say. */
	if (!name || !version || l->n >= ENV_LIBS_MAX)
		return;
	l->libs[l->n++] = (struct env_lib){ name, version };
}

void env_libs_read(struct env_libs *l)
{
	l->n = 0;
	for (size_t i = 0; i < aead_backend_count(); i++)
		add_lib(l, aead_backend_library(i),
			aead_backend_version(aead_backend_name(i)));
	for (size_t i = 0; i < NCB_ARRAY_SIZE(other_libs); i++)
		add_lib(l, other_libs[i].name, other_libs[i].version());
}
