/* System hygiene facts from /proc and /sys, one reader per item in a
 * table. Readers never fail: a file that is absent or unreadable (an
 * unprivileged user, a VM without cpufreq) makes the item "unknown" with
 * a hint saying why. Parsing is done by pure functions over text. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/hygiene.h"
#include "io/cpustat.h"

#define SYS_CPU "/sys/devices/system/cpu"

enum {
	TEXT_MAX = 1 << 16,     /* any one file read here */
	WINDOW_MS = 100,        /* /proc/stat window for steal and siblings */
	GOVERNORS_SHOWN = 4,    /* distinct governors named in the value */
};

/* What the readers share: the PUs examined and a /proc/stat window. */
struct ctx {
	struct hygiene_set pus;
	size_t n_pus;
	struct hygiene_set siblings; /* of the PUs, outside the set */
	int has_stat;                /* both snapshots read */
	const struct hygiene_stat *s0, *s1;
	char cmdline[4096];
	int has_cmdline;
};

/* ---- pure parsers ---------------------------------------------------- */

int hygiene_set_has(const struct hygiene_set *s, int pu)
{
	return pu >= 0 && pu < HYGIENE_PUS_MAX &&
	       (s->bits[pu / 8] >> (pu % 8) & 1);
}

void hygiene_set_add(struct hygiene_set *s, int pu)
{
	if (pu >= 0 && pu < HYGIENE_PUS_MAX)
		s->bits[pu / 8] |= (uint8_t)(1u << (pu % 8));
}

static int read_pu(const char **p)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		if (v >= HYGIENE_PUS_MAX)
			return -1;
		(*p)++;
	}
	return (int)v;
}

int hygiene_parse_list(const char *text, struct hygiene_set *set)
{
	const char *p = text;
	int n = 0;

	memset(set, 0, sizeof(*set));
	p += strspn(p, " \t\n");
	while (*p) {
		int lo = read_pu(&p), hi = lo;

		if (lo < 0)
			return -EINVAL;
		if (*p == '-') {
			p++;
			hi = read_pu(&p);
			if (hi < lo)
				return -EINVAL;
		}
		for (int pu = lo; pu <= hi; pu++)
			if (!hygiene_set_has(set, pu)) {
				hygiene_set_add(set, pu);
				n++;
			}
		if (*p == ',')
			p++;
		else if (*p && !strchr(" \t\n", *p))
			return -EINVAL;
		else
			p += strspn(p, " \t\n");
	}
	return n;
}

void hygiene_set_format(const struct hygiene_set *s, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = 0;
	for (int pu = 0; pu < HYGIENE_PUS_MAX && at < len; pu++) {
		int hi = pu;

		if (!hygiene_set_has(s, pu))
			continue;
		while (hygiene_set_has(s, hi + 1))
			hi++;
		at += (size_t)snprintf(buf + at, len - at, hi > pu ? "%s%d-%d" : "%s%d",
				       at ? "," : "", pu, hi);
		pu = hi;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

int hygiene_cmdline_value(const char *cmdline, const char *key, char *out,
			  size_t len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	int found = 0;

	out[0] = 0;
	while (*p) {
		size_t w;

		p += strspn(p, " \t\n");
		w = strcspn(p, " \t\n");
		if (w == 2 && strncmp(p, "--", 2) == 0)
			break; /* the rest is init's */
		if (w > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(out, len, "%.*s", (int)(w - klen - 1), p + klen + 1);
			found = 1;
		}
		p += w;
	}
	return found;
}

void hygiene_vuln_add(const char *text, struct hygiene_vulns *c)
{
	if (strncmp(text, "Not affected", 12) == 0)
		c->unaffected++;
	else if (strstr(text, "Vulnerable"))
		c->vulnerable++; /* also "Mitigation: ...; BHI: Vulnerable" */
	else if (strncmp(text, "Mitigation", 10) == 0)
		c->mitigated++;
	else
		c->unknown++;
}

int hygiene_parse_stat(const char *text, struct hygiene_stat *out)
{
	int seen = 0;

	memset(out, 0, sizeof(*out));
	for (const char *line = text, *next; line && *line; line = next) {
		unsigned long long v[8] = { 0 };
		int pu = -1, n;

		next = strchr(line, '\n');
		next = next ? next + 1 : NULL;
		if (strncmp(line, "cpu", 3) != 0)
			continue;
		if (line[3] == ' ') {
			n = sscanf(line + 3, "%llu %llu %llu %llu %llu %llu %llu %llu",
				   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
				   &v[7]);
			if (n >= 8)
				out->steal_all = v[7];
			seen = 1;
			continue;
		}
		n = sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &pu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]);
		if (n < 8 || pu < 0 || pu >= HYGIENE_PUS_MAX)
			continue;
		/* user nice system idle iowait irq softirq steal */
		out->has_pu[pu] = 1;
		out->busy[pu] = v[0] + v[1] + v[2] + v[5] + v[6];
		out->steal[pu] = n >= 9 ? v[7] : 0;
		out->total[pu] = out->busy[pu] + v[3] + v[4] + out->steal[pu];
		seen = 1;
	}
	return seen ? 0 : -EINVAL;
}

int hygiene_selected(const char *text, char *out, size_t len)
{
	const char *a = strchr(text, '['), *b = a ? strchr(a, ']') : NULL;

	out[0] = 0;
	if (!a || !b || b == a + 1)
		return -EINVAL;
	snprintf(out, len, "%.*s", (int)(b - a - 1), a + 1);
	return 0;
}

int hygiene_cpuinfo_flag(const char *text, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (strncmp(line, "flags", 5) == 0 && memchr(line, ':', len)) {
			const char *p = memchr(line, ':', len) + 1;

			while (p < line + len) {
				size_t w;

				p += strspn(p, " \t");
				w = strcspn(p, " \t\n");
				if (w == n && strncmp(p, flag, n) == 0)
					return 1;
				p += w ? w : 1;
			}
			return 0; /* the first CPU's flags say it */
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* ---- reading files --------------------------------------------------- */

/* The whole file (up to len - 1 bytes) into buf; its length or -errno. */
static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	buf[0] = 0;
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	return (int)n;
}

/* First line, without its newline. */
static int read_line(const char *path, char *buf, size_t len)
{
	int rc = read_text(path, buf, len);

	if (rc >= 0)
		buf[strcspn(buf, "\n")] = 0;
	return rc;
}

static void set_item(struct hygiene_item *it, enum hygiene_verdict v,
		     const char *value, const char *hint_fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_item(struct hygiene_item *it, enum hygiene_verdict v,
		     const char *value, const char *hint_fmt, ...)
{
	va_list ap;

	it->verdict = v;
	snprintf(it->value, sizeof(it->value), "%s", value);
	va_start(ap, hint_fmt);
	vsnprintf(it->hint, sizeof(it->hint), hint_fmt, ap);
	va_end(ap);
	/* Values come from files (a DMI vendor string): one clean line. */
	ncb_clean(it->value);
	ncb_clean(it->hint);
}

static int is_subset(const struct hygiene_set *a, const struct hygiene_set *b)
{
	for (size_t i = 0; i < sizeof(a->bits); i++)
		if (a->bits[i] & ~b->bits[i])
			return 0;
	return 1;
}

static int intersects(const struct hygiene_set *a, const struct hygiene_set *b)
{
	for (size_t i = 0; i < sizeof(a->bits); i++)
		if (a->bits[i] & b->bits[i])
			return 1;
	return 0;
}

/* ---- one reader per item --------------------------------------------- */

static void item_governor(struct hygiene_item *it, const struct ctx *c)
{
	char seen[GOVERNORS_SHOWN][32], g[32], path[96], value[HYGIENE_VALUE] = "";
	size_t n = 0;
	int is_perf = 1;

	for (int pu = 0; pu < HYGIENE_PUS_MAX; pu++) {
		size_t i;

		if (!hygiene_set_has(&c->pus, pu))
			continue;
		snprintf(path, sizeof(path), SYS_CPU "/cpu%d/cpufreq/scaling_governor", pu);
		if (read_line(path, g, sizeof(g)) < 0 || !g[0])
			continue;
		is_perf &= strcmp(g, "performance") == 0;
		for (i = 0; i < n && strcmp(seen[i], g) != 0; i++)
			;
		if (i == n && n < GOVERNORS_SHOWN) {
			snprintf(seen[n++], sizeof(seen[0]), "%s", g);
			snprintf(value + strlen(value), sizeof(value) - strlen(value),
				 "%s%s", i ? "," : "", g);
		}
	}
	if (!n)
		set_item(it, HYGIENE_UNKNOWN, "absent",
			 "no cpufreq here (usual in a VM): the host or firmware sets the clock");
	else if (is_perf)
		set_item(it, HYGIENE_OK, value, "the PUs stay at their highest clock");
	else
		set_item(it, HYGIENE_WARN, value,
			 "the clock follows the load: cpupower frequency-set -g performance");
}

static void item_boost(struct hygiene_item *it, const struct ctx *c)
{
	char v[16];

	(void)c;
	/* acpi-cpufreq and amd-pstate: 1 = boost allowed. */
	if (read_line(SYS_CPU "/cpufreq/boost", v, sizeof(v)) >= 0 && v[0]) {
		if (v[0] == '1')
			set_item(it, HYGIENE_WARN, "on",
				 "the clock depends on temperature and other cores: echo 0 > " SYS_CPU "/cpufreq/boost");
		else
			set_item(it, HYGIENE_OK, "off", "a steady clock");
		return;
	}
	/* intel_pstate: 1 = turbo disabled. */
	if (read_line(SYS_CPU "/intel_pstate/no_turbo", v, sizeof(v)) >= 0 && v[0]) {
		if (v[0] == '0')
			set_item(it, HYGIENE_WARN, "on",
				 "the clock depends on temperature and other cores: echo 1 > " SYS_CPU "/intel_pstate/no_turbo");
		else
			set_item(it, HYGIENE_OK, "off", "a steady clock");
		return;
	}
	set_item(it, HYGIENE_UNKNOWN, "absent",
		 "no boost control here (usual in a VM): the host decides");
}

static void item_smt(struct hygiene_item *it, const struct ctx *c)
{
	char v[32];
	int is_shared = 0;

	/* A sibling inside the set is another worker on the same core. */
	for (int pu = 0; pu < HYGIENE_PUS_MAX && !is_shared; pu++) {
		char path[96], text[256];
		struct hygiene_set sib;

		if (!hygiene_set_has(&c->pus, pu))
			continue;
		snprintf(path, sizeof(path), SYS_CPU "/cpu%d/topology/thread_siblings_list", pu);
		if (read_text(path, text, sizeof(text)) >= 0 &&
		    hygiene_parse_list(text, &sib) > 1)
			is_shared = 1;
	}
	if (read_line(SYS_CPU "/smt/control", v, sizeof(v)) < 0 || !v[0]) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read " SYS_CPU "/smt/control (an old kernel?)");
		return;
	}
	if (strcmp(v, "on") == 0 && is_shared)
		set_item(it, HYGIENE_WARN, v,
			 "a worker's core has another hardware thread: use one PU per core (--cpus), or echo off > " SYS_CPU "/smt/control");
	else
		set_item(it, HYGIENE_OK, v, "no worker shares its core");
}

static void item_smt_siblings(struct hygiene_item *it, const struct ctx *c)
{
	char list[HYGIENE_VALUE];

	hygiene_set_format(&c->siblings, list, sizeof(list));
	if (strcmp(list, "none") == 0)
		set_item(it, HYGIENE_OK, list, "no other hardware thread on the PUs' cores");
	else
		set_item(it, HYGIENE_WARN, list,
			 "these PUs share a core with the examined ones: keep them idle while measuring");
}

static void item_busy_siblings(struct hygiene_item *it, const struct ctx *c)
{
	unsigned n = 0, worst_pct = 0;
	char v[16];

	if (!c->has_stat) {
		set_item(it, HYGIENE_UNKNOWN, "unknown", "cannot read /proc/stat");
		return;
	}
	for (int pu = 0; pu < HYGIENE_PUS_MAX; pu++) {
		unsigned long long busy, total;
		double share;

		if (!hygiene_set_has(&c->siblings, pu) || !c->s0->has_pu[pu] ||
		    !c->s1->has_pu[pu])
			continue;
		busy = c->s1->busy[pu] - c->s0->busy[pu];
		total = c->s1->total[pu] - c->s0->total[pu];
		share = total ? (double)busy / (double)total : 0;
		if (share > HYGIENE_BUSY_SHARE) {
			n++;
			if ((unsigned)(share * 100) > worst_pct)
				worst_pct = (unsigned)(share * 100);
		}
	}
	snprintf(v, sizeof(v), "%u", n);
	if (n)
		set_item(it, HYGIENE_WARN, v,
			 "%u sibling PU(s) busy (up to %u%% over %d ms): they slow the core's other thread",
			 n, worst_pct, WINDOW_MS);
	else
		set_item(it, HYGIENE_OK, v, "no sibling PU busier than %.0f%% over %d ms",
			 HYGIENE_BUSY_SHARE * 100, WINDOW_MS);
}

/* A cpu list from sysfs, else from the kernel command line (isolcpus
 * may start with flags: "domain,managed_irq,2-3"). 1 read, 0 not. */
static int read_pu_list(const char *sys_path, const char *key,
			const struct ctx *c, struct hygiene_set *set)
{
	char text[1024], arg[1024];
	const char *p;

	if (read_text(sys_path, text, sizeof(text)) >= 0 &&
	    hygiene_parse_list(text, set) >= 0)
		return 1;
	if (!c->has_cmdline || !hygiene_cmdline_value(c->cmdline, key, arg, sizeof(arg)))
		return 0;
	for (p = arg; isalpha((unsigned char)*p);) {
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return hygiene_parse_list(p, set) >= 0;
}

static void item_isolated(struct hygiene_item *it, const struct ctx *c)
{
	struct hygiene_set iso;
	char list[HYGIENE_VALUE];

	if (!read_pu_list(SYS_CPU "/isolated", "isolcpus", c, &iso)) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read " SYS_CPU "/isolated");
		return;
	}
	hygiene_set_format(&iso, list, sizeof(list));
	if (is_subset(&c->pus, &iso))
		set_item(it, HYGIENE_OK, list, "the PUs are kept from other tasks");
	else
		set_item(it, HYGIENE_WARN, list,
			 "the PUs also run other tasks: boot with isolcpus=LIST (or use a cpuset) and run with --cpus LIST");
}

static void item_nohz_full(struct hygiene_item *it, const struct ctx *c)
{
	struct hygiene_set nohz, iso;
	char list[HYGIENE_VALUE];
	int is_isolated;

	if (!read_pu_list(SYS_CPU "/nohz_full", "nohz_full", c, &nohz)) {
		set_item(it, HYGIENE_OK, "unsupported",
			 "this kernel ticks on every PU (no CONFIG_NO_HZ_FULL): a small, steady cost");
		return;
	}
	hygiene_set_format(&nohz, list, sizeof(list));
	is_isolated = read_pu_list(SYS_CPU "/isolated", "isolcpus", c, &iso) &&
		      is_subset(&c->pus, &iso);
	if (is_subset(&c->pus, &nohz))
		set_item(it, HYGIENE_OK, list, "no scheduler tick on the PUs");
	else if (is_isolated)
		set_item(it, HYGIENE_WARN, list,
			 "the PUs are isolated but still ticking: boot with nohz_full=LIST too");
	else
		set_item(it, HYGIENE_OK, list,
			 "the scheduler tick interrupts the PUs (a small, steady cost)");
}

static void item_irq_affinity(struct hygiene_item *it, const struct ctx *c)
{
	DIR *d = opendir("/proc/irq");
	struct dirent *de;
	unsigned total = 0, on_pus = 0, unread = 0;
	char v[HYGIENE_VALUE], def[128] = "";

	if (!d) {
		set_item(it, HYGIENE_UNKNOWN, "unknown", "cannot read /proc/irq");
		return;
	}
	while ((de = readdir(d))) {
		char path[300], text[1024];
		struct hygiene_set aff;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/irq/%s/smp_affinity_list", de->d_name);
		if (read_text(path, text, sizeof(text)) < 0 ||
		    hygiene_parse_list(text, &aff) < 0) {
			unread++;
			continue;
		}
		total++;
		on_pus += intersects(&aff, &c->pus);
	}
	closedir(d);
	read_line("/proc/irq/default_smp_affinity", def, sizeof(def));
	if (!total) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 unread ? "cannot read /proc/irq/*/smp_affinity_list"
				: "no IRQ listed in /proc/irq");
		return;
	}
	snprintf(v, sizeof(v), "%u of %u", on_pus, total);
	if (on_pus)
		set_item(it, HYGIENE_WARN, v,
			 "IRQs may land on the PUs (default mask %s): steer them away via /proc/irq/N/smp_affinity_list",
			 def[0] ? def : "?");
	else
		set_item(it, HYGIENE_OK, v, "no IRQ may land on the PUs");
}

static void item_thp(struct hygiene_item *it, const struct ctx *c)
{
	char text[256], v[32];

	(void)c;
	if (read_text("/sys/kernel/mm/transparent_hugepage/enabled", text,
		      sizeof(text)) < 0 ||
	    hygiene_selected(text, v, sizeof(v)) < 0) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read /sys/kernel/mm/transparent_hugepage/enabled");
		return;
	}
	if (strcmp(v, "always") == 0)
		set_item(it, HYGIENE_WARN, v,
			 "huge-page faults and khugepaged add stalls: echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
	else
		set_item(it, HYGIENE_OK, v, "huge pages only where asked for");
}

static void item_mitigations(struct hygiene_item *it, const struct ctx *c)
{
	DIR *d = opendir(SYS_CPU "/vulnerabilities");
	struct hygiene_vulns n = { 0 };
	struct dirent *de;
	char mode[64] = "auto", v[HYGIENE_VALUE];

	if (c->has_cmdline)
		hygiene_cmdline_value(c->cmdline, "mitigations", mode, sizeof(mode));
	if (!d) {
		snprintf(v, sizeof(v), "%s", mode);
		set_item(it, HYGIENE_UNKNOWN, v,
			 "cannot read " SYS_CPU "/vulnerabilities");
		return;
	}
	while ((de = readdir(d))) {
		char path[300], text[512];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYS_CPU "/vulnerabilities/%s", de->d_name);
		if (read_text(path, text, sizeof(text)) >= 0)
			hygiene_vuln_add(text, &n);
	}
	closedir(d);
	snprintf(v, sizeof(v), "%s: %u mitigated, %u vulnerable", mode,
		 n.mitigated, n.vulnerable);
	set_item(it, HYGIENE_OK, v,
		 "mitigations cost time in system calls and switches: compare hosts with the same setting");
}

static void item_clocksource(struct hygiene_item *it, const struct ctx *c)
{
	static const char *const fast[] = { "tsc", "kvm-clock", "arch_sys_counter",
					    "hyperv_clocksource_tsc_page" };
	char v[64];

	(void)c;
	if (read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      v, sizeof(v)) < 0 || !v[0]) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read the current clock source");
		return;
	}
	for (size_t i = 0; i < NCB_ARRAY_SIZE(fast); i++)
		if (strcmp(v, fast[i]) == 0) {
			set_item(it, HYGIENE_OK, v, "clock reads are cheap (vDSO)");
			return;
		}
	set_item(it, HYGIENE_WARN, v,
		 "each clock read is a slow device access: timing costs more and varies");
}

static void item_virtualization(struct hygiene_item *it, const struct ctx *c)
{
	static char text[TEXT_MAX];
	char v[HYGIENE_VALUE], who[64] = "";

	(void)c;
	if (read_text("/proc/cpuinfo", text, sizeof(text)) < 0) {
		set_item(it, HYGIENE_UNKNOWN, "unknown", "cannot read /proc/cpuinfo");
		return;
	}
	if (read_line("/sys/hypervisor/type", who, sizeof(who)) < 0 || !who[0])
		read_line("/sys/class/dmi/id/sys_vendor", who, sizeof(who));
	if (!hygiene_cpuinfo_flag(text, "hypervisor")) {
		set_item(it, HYGIENE_OK, "none", "bare metal");
		return;
	}
	snprintf(v, sizeof(v), who[0] ? "vm (%s)" : "vm", who);
	set_item(it, HYGIENE_WARN, v,
		 "other guests can slow this one, not always as steal: interleave runs (A B A B)");
}

static void item_steal(struct hygiene_item *it, const struct ctx *c)
{
	unsigned long long window = 0;
	long hz = sysconf(_SC_CLK_TCK);

	if (!c->has_stat) {
		set_item(it, HYGIENE_UNKNOWN, "unknown", "cannot read /proc/stat");
		return;
	}
	for (int pu = 0; pu < HYGIENE_PUS_MAX; pu++)
		if (hygiene_set_has(&c->pus, pu) && c->s0->has_pu[pu] &&
		    c->s1->has_pu[pu])
			window += c->s1->steal[pu] - c->s0->steal[pu];
	if (hz <= 0)
		hz = 100;
	if (window || c->s1->steal_all)
		set_item(it, HYGIENE_WARN, "yes",
			 "the hypervisor took %.1f s since boot, %.0f ms of the PUs over %d ms",
			 (double)c->s1->steal_all / (double)hz,
			 (double)window * 1000 / (double)hz, WINDOW_MS);
	else
		set_item(it, HYGIENE_OK, "no",
			 "none reported (not every hypervisor reports steal)");
}

static void item_pmu(struct hygiene_item *it, const struct ctx *c)
{
	int fd = cpustat_cycles_open();
	char v[64], p[16] = "?";

	(void)c;
	if (fd >= 0) {
		close(fd);
		set_item(it, HYGIENE_OK, "available", "cycles are counted");
		return;
	}
	read_line("/proc/sys/kernel/perf_event_paranoid", p, sizeof(p));
	if (fd == -EACCES || fd == -EPERM) {
		snprintf(v, sizeof(v), "denied");
		set_item(it, HYGIENE_WARN, v,
			 "perf_event_paranoid is %s: cycles are estimated from CPU time (run as root or sysctl kernel.perf_event_paranoid=1)",
			 p);
	} else if (fd == -ENOENT || fd == -EOPNOTSUPP || fd == -ENODEV) {
		set_item(it, HYGIENE_WARN, "absent",
			 "no PMU (usual in a VM): cycles are estimated from CPU time and the TSC rate");
	} else {
		snprintf(v, sizeof(v), "error %d", -fd);
		set_item(it, HYGIENE_WARN, v, "perf_event_open failed: %s",
			 strerror(-fd));
	}
}

static void item_aslr(struct hygiene_item *it, const struct ctx *c)
{
	char v[16];

	(void)c;
	if (read_line("/proc/sys/kernel/randomize_va_space", v, sizeof(v)) < 0) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read /proc/sys/kernel/randomize_va_space");
		return;
	}
	if (strcmp(v, "2") == 0)
		set_item(it, HYGIENE_OK, "full",
			 "each process gets a new layout: layout luck averages out over processes");
	else if (strcmp(v, "1") == 0)
		set_item(it, HYGIENE_OK, "partial", "stack and libraries move, the heap does not");
	else
		set_item(it, HYGIENE_OK, "off",
			 "a fixed layout: every run shares the same layout luck");
}

static void item_paranoid(struct hygiene_item *it, const struct ctx *c)
{
	char v[16];
	long n;

	(void)c;
	if (read_line("/proc/sys/kernel/perf_event_paranoid", v, sizeof(v)) < 0) {
		set_item(it, HYGIENE_UNKNOWN, "unknown",
			 "cannot read /proc/sys/kernel/perf_event_paranoid");
		return;
	}
	n = strtol(v, NULL, 10);
	if (n <= 1)
		set_item(it, HYGIENE_OK, v, "any user may count its own cycles");
	else if (geteuid() == 0)
		set_item(it, HYGIENE_OK, v, "root is exempt; other users cannot count cycles");
	else
		set_item(it, HYGIENE_WARN, v,
			 "this user cannot count cycles: sysctl kernel.perf_event_paranoid=1");
}

static const struct {
	const char *name;
	void (*read)(struct hygiene_item *it, const struct ctx *c);
} items[] = {
	{ "governor", item_governor },
	{ "boost", item_boost },
	{ "smt", item_smt },
	{ "smt_siblings", item_smt_siblings },
	{ "busy_siblings", item_busy_siblings },
	{ "isolated", item_isolated },
	{ "nohz_full", item_nohz_full },
	{ "irq_affinity", item_irq_affinity },
	{ "thp", item_thp },
	{ "mitigations", item_mitigations },
	{ "clocksource", item_clocksource },
	{ "virtualization", item_virtualization },
	{ "steal_seen", item_steal },
	{ "pmu", item_pmu },
	{ "aslr", item_aslr },
	{ "perf_event_paranoid", item_paranoid },
};

_Static_assert(NCB_ARRAY_SIZE(items) <= HYGIENE_ITEMS, "HYGIENE_ITEMS too small");

/* ---- putting it together --------------------------------------------- */

static void read_pus(struct ctx *c, const int *pus, size_t n)
{
	cpu_set_t cs;

	if (n) {
		for (size_t i = 0; i < n; i++)
			hygiene_set_add(&c->pus, pus[i]);
	} else if (sched_getaffinity(0, sizeof(cs), &cs) == 0) {
		for (int pu = 0; pu < CPU_SETSIZE && pu < HYGIENE_PUS_MAX; pu++)
			if (CPU_ISSET(pu, &cs))
				hygiene_set_add(&c->pus, pu);
	} else {
		hygiene_set_add(&c->pus, 0);
	}
	for (int pu = 0; pu < HYGIENE_PUS_MAX; pu++)
		c->n_pus += hygiene_set_has(&c->pus, pu);
}

/* Siblings of the PUs that are not themselves examined. */
static void read_siblings(struct ctx *c)
{
	for (int pu = 0; pu < HYGIENE_PUS_MAX; pu++) {
		char path[96], text[256];
		struct hygiene_set sib;

		if (!hygiene_set_has(&c->pus, pu))
			continue;
		snprintf(path, sizeof(path), SYS_CPU "/cpu%d/topology/thread_siblings_list", pu);
		if (read_text(path, text, sizeof(text)) < 0 ||
		    hygiene_parse_list(text, &sib) < 0)
			continue;
		for (int s = 0; s < HYGIENE_PUS_MAX; s++)
			if (hygiene_set_has(&sib, s) && !hygiene_set_has(&c->pus, s))
				hygiene_set_add(&c->siblings, s);
	}
}

static int read_stat(struct hygiene_stat *s)
{
	static char text[TEXT_MAX * 8];

	return read_text("/proc/stat", text, sizeof(text)) < 0
		       ? -EIO
		       : hygiene_parse_stat(text, s);
}

void hygiene_read(struct hygiene *h, const int *pus, size_t n)
{
	static struct hygiene_stat s0, s1;
	static struct ctx c;
	struct timespec d = { 0, WINDOW_MS * 1000000L };

	memset(h, 0, sizeof(*h));
	memset(&c, 0, sizeof(c));
	read_pus(&c, pus, n);
	hygiene_set_format(&c.pus, h->pus, sizeof(h->pus));
	read_siblings(&c);
	c.has_cmdline = read_text("/proc/cmdline", c.cmdline, sizeof(c.cmdline)) >= 0;
	if (read_stat(&s0) == 0) {
		while (nanosleep(&d, &d) < 0 && errno == EINTR)
			;
		c.has_stat = read_stat(&s1) == 0;
	}
	c.s0 = &s0;
	c.s1 = &s1;
	for (size_t i = 0; i < NCB_ARRAY_SIZE(items); i++) {
		snprintf(h->items[i].name, sizeof(h->items[i].name), "%s",
			 items[i].name);
		items[i].read(&h->items[i], &c);
	}
	h->n = NCB_ARRAY_SIZE(items);
}

const struct hygiene_item *hygiene_find(const struct hygiene *h,
					const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->items[i].name, name) == 0)
			return &h->items[i];
	return NULL;
}

const char *hygiene_verdict_name(enum hygiene_verdict v)
{
	static const char *const names[] = {
		[HYGIENE_OK] = "ok",
		[HYGIENE_WARN] = "warn",
		[HYGIENE_UNKNOWN] = "unknown",
	};

	return names[v];
}
