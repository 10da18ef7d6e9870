/* The hygiene parsers on sample texts as the kernel writes them: cpu
 * lists (IRQ affinity, isolated, siblings), the kernel command line,
 * vulnerabilities files, /proc/stat, sysfs selectors and cpuinfo flags;
 * and hygiene_read on this machine (every item, never an error). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/hygiene.h"
#include "tests/unit/helpers.h"

static void test_lists(void)
{
	static const struct {
		const char *text;
		int n;               /* PUs, or -EINVAL */
		const char *formatted; /* as hygiene_set_format writes it */
	} cases[] = {
		{ "0-1\n", 2, "0-1" },
		{ "3\n", 1, "3" },
		{ "0,2-4,8\n", 5, "0,2-4,8" },
		{ "", 0, "none" },
		{ "\n", 0, "none" },
		{ "0-3,2\n", 4, "0-3" },
		{ "4095", 1, "4095" },
		{ "4096", -EINVAL, NULL },
		{ "3-1", -EINVAL, NULL },
		{ "1-", -EINVAL, NULL },
		{ "a", -EINVAL, NULL },
		{ "1,,2", -EINVAL, NULL },
		{ "ff", -EINVAL, NULL }, /* a mask, not a list */
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		struct hygiene_set s;
		char buf[64];
		int n = hygiene_parse_list(cases[i].text, &s);

		t_check(n == cases[i].n, "list '%s': %d PUs, want %d",
			cases[i].text, n, cases[i].n);
		if (n < 0 || !cases[i].formatted)
			continue;
		hygiene_set_format(&s, buf, sizeof(buf));
		t_check(strcmp(buf, cases[i].formatted) == 0,
			"list '%s': formatted '%s', want '%s'", cases[i].text,
			buf, cases[i].formatted);
	}
}

static void test_cmdline(void)
{
	static const char *const line =
		"BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=domain,2-3 "
		"mitigations=off nohz_full=2-3 mitigations=auto,nosmt quiet "
		"-- init_arg nohz_full=7\n";
	static const struct {
		const char *key;
		int found;
		const char *value;
	} cases[] = {
		{ "isolcpus", 1, "domain,2-3" },
		{ "mitigations", 1, "auto,nosmt" }, /* the last one counts */
		{ "nohz_full", 1, "2-3" },          /* not init's */
		{ "quiet", 0, "" },                 /* no '=' */
		{ "root", 1, "/dev/sda1" },
		{ "roo", 0, "" },
		{ "init_arg", 0, "" },
	};

	for (size_t i = 0; i < NCB_ARRAY_SIZE(cases); i++) {
		char v[64];
		int found = hygiene_cmdline_value(line, cases[i].key, v, sizeof(v));

		t_check(found == cases[i].found && strcmp(v, cases[i].value) == 0,
			"cmdline %s: %d '%s', want %d '%s'", cases[i].key, found,
			v, cases[i].found, cases[i].value);
	}
}

static void test_vulns(void)
{
	static const char *const files[] = {
		"Not affected\n",
		"Mitigation: PTI\n",
		"Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; BHI: Vulnerable\n",
		"Vulnerable: Clear CPU buffers attempted, no microcode; SMT vulnerable\n",
		"Mitigation: usercopy/swapgs barriers and __user pointer sanitization\n",
		"Unknown: Dependent on hypervisor status\n",
		"Not affected\n",
	};
	struct hygiene_vulns c = { 0 };

	for (size_t i = 0; i < NCB_ARRAY_SIZE(files); i++)
		hygiene_vuln_add(files[i], &c);
	t_check(c.unaffected == 2 && c.mitigated == 2 && c.vulnerable == 2 &&
			c.unknown == 1,
		"vulnerabilities: %u unaffected, %u mitigated, %u vulnerable, %u unknown",
		c.unaffected, c.mitigated, c.vulnerable, c.unknown);
}

static void test_stat(void)
{
	static const char *const text =
		"cpu  11083 0 2714 96893 1961 0 129 1705 0 0\n"
		"cpu0 3852 0 1050 51335 146 0 70 804 0 0\n"
		"cpu1 7230 5 1664 45558 1814 3 59 901 0 0\n"
		"cpu3 10 0 10 80 0 0 0\n" /* an old kernel: no steal field */
		"intr 184900 0 0 0\n"
		"ctxt 123\n";
	static struct hygiene_stat s;

	t_check(hygiene_parse_stat(text, &s) == 0, "stat: parsed");
	t_check(s.steal_all == 1705, "stat: steal_all %llu", s.steal_all);
	t_check(s.has_pu[0] && s.has_pu[1] && !s.has_pu[2] && s.has_pu[3],
		"stat: PUs 0, 1 and 3");
	t_check(s.busy[1] == 7230 + 5 + 1664 + 3 + 59, "stat: busy[1] %llu",
		s.busy[1]);
	t_check(s.steal[1] == 901, "stat: steal[1] %llu", s.steal[1]);
	t_check(s.total[1] == s.busy[1] + 45558 + 1814 + 901,
		"stat: total[1] %llu", s.total[1]);
	t_check(s.steal[3] == 0 && s.busy[3] == 20 && s.total[3] == 100,
		"stat: old line: steal %llu busy %llu total %llu", s.steal[3],
		s.busy[3], s.total[3]);
	t_check(hygiene_parse_stat("intr 1 2\n", &s) == -EINVAL,
		"stat: no cpu line refused");
	t_check(hygiene_parse_stat("", &s) == -EINVAL, "stat: empty refused");
}

static void test_selected_and_flags(void)
{
	static const struct {
		const char *text;
		int rc;
		const char *value;
	} sel[] = {
		{ "always [madvise] never\n", 0, "madvise" },
		{ "[always] madvise never\n", 0, "always" },
		{ "always madvise [never]\n", 0, "never" },
		{ "always madvise never\n", -EINVAL, "" },
		{ "[]\n", -EINVAL, "" },
	};
	static const char *const cpuinfo =
		"processor\t: 0\nvendor_id\t: AuthenticAMD\n"
		"flags\t\t: fpu vme hypervisor lahf_lm\n"
		"processor\t: 1\nflags\t\t: fpu vme\n";

	for (size_t i = 0; i < NCB_ARRAY_SIZE(sel); i++) {
		char v[32];
		int rc = hygiene_selected(sel[i].text, v, sizeof(v));

		t_check(rc == sel[i].rc && strcmp(v, sel[i].value) == 0,
			"selector '%s': %d '%s'", sel[i].text, rc, v);
	}
	t_check(hygiene_cpuinfo_flag(cpuinfo, "hypervisor"), "cpuinfo: hypervisor");
	t_check(hygiene_cpuinfo_flag(cpuinfo, "lahf_lm"), "cpuinfo: last flag");
	t_check(!hygiene_cpuinfo_flag(cpuinfo, "hyper"), "cpuinfo: no prefix match");
	t_check(!hygiene_cpuinfo_flag("vendor_id : hypervisor\n", "hypervisor"),
		"cpuinfo: only the flags line");
}

/* On this machine: every item present once, with a value and a hint. */
static void test_read(void)
{
	static const char *const names[] = {
		"governor", "boost", "smt", "smt_siblings", "busy_siblings",
		"isolated", "nohz_full", "irq_affinity", "thp", "mitigations",
		"clocksource", "virtualization", "steal_seen", "pmu", "aslr",
		"perf_event_paranoid",
	};
	static struct hygiene h;
	int pu0 = 0;

	hygiene_read(&h, &pu0, 1);
	t_check(strcmp(h.pus, "0") == 0, "read: PUs '%s'", h.pus);
	t_check(h.n == NCB_ARRAY_SIZE(names), "read: %zu items", h.n);
	for (size_t i = 0; i < NCB_ARRAY_SIZE(names); i++) {
		const struct hygiene_item *it = hygiene_find(&h, names[i]);

		t_check(it && it->value[0] && it->hint[0] &&
				it->verdict <= HYGIENE_UNKNOWN,
			"read: item %s", names[i]);
	}
	t_check(!hygiene_find(&h, "nope"), "read: unknown name");
}

int main(void)
{
	test_lists();
	test_cmdline();
	test_vulns();
	test_stat();
	test_selected_and_flags();
	test_read();
	return t_done("test_hygiene");
}
