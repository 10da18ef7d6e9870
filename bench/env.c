/* Host fingerprint from /proc/cpuinfo, /sys and uname. Files that do not
 * exist on a machine (no cpufreq in many VMs) leave their field empty.
 * The fingerprint as JSON both ways: the document's "host", and what a
 * peer says it is. */
#include <errno.h>
#include <math.h>
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
	const char *feats[ENV_FEATURES];
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
	n = uring_features(feats, ENV_FEATURES);
	for (int i = 0; i < n; i++)
		snprintf(h->io_uring[i], sizeof(h->io_uring[i]), "%s", feats[i]);
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

/* A string, or null when empty (unknown). */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The hygiene facts as {name: value}, and the PUs they are about. */
static json_t *hygiene_json(const struct hygiene *hy)
{
	json_t *o = json_pack("{s:s}", "pus", hy->pus);

	for (size_t i = 0; o && i < hy->n; i++)
		json_object_set_new(o, hy->items[i].name,
				    json_string(hy->items[i].value));
	return o;
}

json_t *env_host_json(const struct env_host *h)
{
	json_t *flags = json_array(), *iou = json_array();
	char buf[ENV_FLAGS];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", h->cpu_flags);
	for (char *f = strtok_r(buf, " ", &save); f;
	     f = strtok_r(NULL, " ", &save))
		json_array_append_new(flags, json_string(f));
	for (int i = 0; i < h->io_uring_count; i++)
		json_array_append_new(iou, json_string(h->io_uring[i]));
	return json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:f, s:i, s:i,"
		" s:i, s:i, s:o, s:o}",
		"hostname", h->hostname, "kernel", h->kernel, "cpu_model",
		str_or_null(h->cpu_model), "cpu_flags", flags, "microcode",
		str_or_null(h->microcode), "smt", str_or_null(h->smt),
		"governor", str_or_null(h->governor), "boost",
		h->boost < 0 ? json_null() : json_boolean(h->boost),
		"invariant_tsc", h->is_invariant_tsc, "tsc_hz", h->tsc_hz, "pus",
		(int)h->pus, "cores", (int)h->cores, "numa_nodes",
		(int)h->numa_nodes, "packages", (int)h->packages,
		"io_uring_features", iou, "hygiene", hygiene_json(&h->hygiene));
}

enum {
	COUNT_MAX = 1 << 20, /* PUs, cores, nodes, packages */
};

#define TSC_HZ_MAX 1e11

static int is_clean(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Copies string field key of o into buf (len bytes); null is "" where
 * is_nullable. */
static int get_str(const json_t *o, const char *key, char *buf, size_t len,
		   int is_nullable, struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);

	if (is_nullable && json_is_null(v)) {
		*buf = 0;
		return 0;
	}
	if (!s || json_string_length(v) >= len || strlen(s) != json_string_length(v) ||
	    !is_clean(s))
		return ncb_errf(e, -EPROTO,
				"host.%s: not a string of at most %zu clean bytes%s",
				key, len - 1, is_nullable ? " or null" : "");
	memcpy(buf, s, json_string_length(v) + 1);
	return 0;
}

static int get_count(const json_t *o, const char *key, unsigned *out,
		     struct ncb_err *e)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > COUNT_MAX)
		return ncb_errf(e, -EPROTO, "host.%s: not a count in 0..%d", key,
				COUNT_MAX);
	*out = (unsigned)json_integer_value(v);
	return 0;
}

/* A word of a list: non-empty, clean, no space (flags are joined with
 * spaces). */
static int is_word(const char *s, size_t len)
{
	return len > 0 && strlen(s) == len && is_clean(s) && !strchr(s, ' ');
}

static int get_flags(const json_t *o, struct env_host *h, struct ncb_err *e)
{
	const json_t *a = json_object_get(o, "cpu_flags"), *v;
	size_t used = 0, i;

	if (!json_is_array(a))
		return ncb_errf(e, -EPROTO, "host.cpu_flags: not an array");
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);

		if (!s || !is_word(s, n) || used + n + 1 >= sizeof(h->cpu_flags))
			return ncb_errf(e, -EPROTO,
					"host.cpu_flags[%zu]: not a word, or the flags pass %d bytes",
					i, ENV_FLAGS - 1);
		if (used)
			h->cpu_flags[used++] = ' ';
		memcpy(h->cpu_flags + used, s, n + 1);
		used += n;
	}
	return 0;
}

static int get_uring(const json_t *o, struct env_host *h, struct ncb_err *e)
{
	const json_t *a = json_object_get(o, "io_uring_features"), *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > ENV_FEATURES)
		return ncb_errf(e, -EPROTO,
				"host.io_uring_features: not an array of at most %d",
				ENV_FEATURES);
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);

		if (!s || !is_word(s, n) || n >= ENV_FEATURE_LEN)
			return ncb_errf(e, -EPROTO,
					"host.io_uring_features[%zu]: not a name of at most %d bytes",
					i, ENV_FEATURE_LEN - 1);
		memcpy(h->io_uring[i], s, n + 1);
	}
	h->io_uring_count = (int)json_array_size(a);
	return 0;
}

/* A fact's name as ncbench writes them: [a-z0-9_]. */
static int is_fact_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= HYGIENE_NAME)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

static int get_hygiene(const json_t *o, struct hygiene *hy, struct ncb_err *e)
{
	const json_t *hj = json_object_get(o, "hygiene"), *v;
	const char *k;
	int rc;

	if (!json_is_object(hj))
		return ncb_errf(e, -EPROTO, "host.hygiene: not an object");
	rc = get_str(hj, "pus", hy->pus, sizeof(hy->pus), 0, e);
	if (rc < 0)
		return ncb_errf(e, rc, "host.hygiene.pus: not a cpu list");
	json_object_foreach((json_t *)hj, k, v) {
		struct hygiene_item *it;

		if (!strcmp(k, "pus"))
			continue;
		if (hy->n >= HYGIENE_ITEMS || !is_fact_name(k))
			return ncb_errf(e, -EPROTO,
					"host.hygiene: more than %d facts, or a name that is not [a-z0-9_]{1,%d}",
					HYGIENE_ITEMS, HYGIENE_NAME - 1);
		it = &hy->items[hy->n];
		memcpy(it->name, k, strlen(k) + 1);
		if (get_str(hj, k, it->value, sizeof(it->value), 0, e) < 0)
			return ncb_errf(e, -EPROTO,
					"host.hygiene.%s: not a string of at most %d clean bytes",
					k, HYGIENE_VALUE - 1);
		it->verdict = HYGIENE_UNKNOWN;
		hy->n++;
	}
	return 0;
}

/* The keys env_host_json writes: no other is taken. */
static const char *const host_keys[] = {
	"hostname", "kernel",	 "cpu_model", "cpu_flags",	   "microcode",
	"smt",	    "governor",	 "boost",     "invariant_tsc",	   "tsc_hz",
	"pus",	    "cores",	 "numa_nodes", "packages",	   "io_uring_features",
	"hygiene",
};

static int check_keys(const json_t *o, struct ncb_err *e)
{
	const char *k;
	const json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		size_t i = 0;

		(void)v;
		while (i < NCB_ARRAY_SIZE(host_keys) && strcmp(host_keys[i], k))
			i++;
		if (i == NCB_ARRAY_SIZE(host_keys))
			return ncb_errf(e, -EPROTO, "host: unknown field '%.64s'", k);
	}
	return 0;
}

int env_host_from_json(const json_t *j, struct env_host *h, struct ncb_err *e)
{
	const json_t *boost = json_object_get(j, "boost");
	const json_t *inv = json_object_get(j, "invariant_tsc");
	const json_t *hz = json_object_get(j, "tsc_hz");
	int rc;

	memset(h, 0, sizeof(*h));
	if (!json_is_object(j))
		return ncb_errf(e, -EPROTO, "host: not an object");
	if ((rc = check_keys(j, e)) < 0 ||
	    (rc = get_str(j, "hostname", h->hostname, sizeof(h->hostname), 0, e)) < 0 ||
	    (rc = get_str(j, "kernel", h->kernel, sizeof(h->kernel), 0, e)) < 0 ||
	    (rc = get_str(j, "cpu_model", h->cpu_model, sizeof(h->cpu_model), 1, e)) < 0 ||
	    (rc = get_str(j, "microcode", h->microcode, sizeof(h->microcode), 1, e)) < 0 ||
	    (rc = get_str(j, "smt", h->smt, sizeof(h->smt), 1, e)) < 0 ||
	    (rc = get_str(j, "governor", h->governor, sizeof(h->governor), 1, e)) < 0 ||
	    (rc = get_flags(j, h, e)) < 0 || (rc = get_uring(j, h, e)) < 0 ||
	    (rc = get_count(j, "pus", &h->pus, e)) < 0 ||
	    (rc = get_count(j, "cores", &h->cores, e)) < 0 ||
	    (rc = get_count(j, "numa_nodes", &h->numa_nodes, e)) < 0 ||
	    (rc = get_count(j, "packages", &h->packages, e)) < 0 ||
	    (rc = get_hygiene(j, &h->hygiene, e)) < 0)
		return rc;
	if (!json_is_null(boost) && !json_is_boolean(boost))
		return ncb_errf(e, -EPROTO, "host.boost: not a boolean or null");
	h->boost = json_is_null(boost) ? -1 : json_is_true(boost);
	if (!json_is_boolean(inv))
		return ncb_errf(e, -EPROTO, "host.invariant_tsc: not a boolean");
	h->is_invariant_tsc = json_is_true(inv);
	h->tsc_hz = json_number_value(hz);
	if (!json_is_number(hz) || !isfinite(h->tsc_hz) || h->tsc_hz < 0 ||
	    h->tsc_hz > TSC_HZ_MAX)
		return ncb_errf(e, -EPROTO, "host.tsc_hz: not a rate in 0..%g",
				TSC_HZ_MAX);
	return 0;
}
