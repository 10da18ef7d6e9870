#!/usr/bin/env bash
# `ncbench check`: every hygiene fact printed, as root and as an
# unprivileged user, as text and JSON; bad options exit 2 with one line;
# run documents carry host.hygiene; compare warns, one line per fact,
# when two documents' hosts differ, and refuses a malformed hygiene.
. "$(dirname "$0")/lib.bash"
ITEMS="governor boost smt smt_siblings busy_siblings isolated nohz_full
irq_affinity thp mitigations clocksource virtualization steal_seen pmu aslr
perf_event_paranoid"
n_items=$(echo $ITEMS | wc -w)
refute_grep() { ! grep -q "$@"; }

# every_item WHAT FILE: each item has its "name: value [verdict]" line.
every_item() {
	local i
	for i in $ITEMS; do
		expect "$1: prints $i" grep -qE "^$i: +.+ \[(ok|warn|unknown)\] .+" "$2"
	done
	expect "$1: one line per item" [ "$(grep -cE '\[(ok|warn|unknown)\]' "$2")" -eq "$n_items" ]
	expect "$1: summary line" grep -qE "^check: $n_items facts: [0-9]+ ok, [0-9]+ warn, [0-9]+ unknown" "$2"
}

"$NCBENCH" check >"$OUT/root.out" 2>"$OUT/root.err"
rc=$?
expect "check: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "check: nothing on stderr" [ ! -s "$OUT/root.err" ]
every_item "check" "$OUT/root.out"
expect "check: PUs examined" grep -qE '^PUs examined: [0-9]' "$OUT/root.out"

# Unprivileged: /proc/irq, perf_event_open and friends may be refused;
# the items are then unknown or warn, never an error.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$NCBENCH" check \
		>"$OUT/nobody.out" 2>"$OUT/nobody.err"
	rc=$?
	expect "check as nobody: exit 0 (got $rc: $(head -c 200 "$OUT/nobody.err"))" [ $rc -eq 0 ]
	expect "check as nobody: nothing on stderr" [ ! -s "$OUT/nobody.err" ]
	every_item "check as nobody" "$OUT/nobody.out"
	expect "check as nobody: paranoid is no root's" \
		refute_grep 'root is exempt' "$OUT/nobody.out"
else
	echo "check.sh: not root or no setpriv: the unprivileged run is skipped" >&2
fi

# JSON: every item, with a verdict and a hint; counts that add up.
"$NCBENCH" check --json --cpus 0 >"$OUT/c.json" 2>"$OUT/j.err"
rc=$?
expect "check --json: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "check --json: valid, every item, counts add up" python3 - "$OUT/c.json" $ITEMS <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [i["name"] for i in d["items"]]
assert names == sys.argv[2:], names
assert all(i["verdict"] in ("ok", "warn", "unknown") and i["value"] and i["hint"]
           for i in d["items"])
s = d["summary"]
assert s["ok"] + s["warn"] + s["unknown"] == len(names)
assert s["warn"] == sum(i["verdict"] == "warn" for i in d["items"])
assert d["pus"] == "0", d["pus"]
PY
"$NCBENCH" check --cpus 0 >"$OUT/c0.out"
expect "check --cpus 0: examines PU 0" grep -qx 'PUs examined: 0' "$OUT/c0.out"
"$NCBENCH" check --help >"$OUT/help.out"
expect "check --help: exit 0 and usage" grep -q 'usage: ncbench check' "$OUT/help.out"
expect "ncbench --help lists check" bash -c "'$NCBENCH' --help | grep -q '^  check '"

bad_option() { # bad_option NEEDLE ARGS...
	local needle=$1 rc
	shift
	"$NCBENCH" check "$@" >"$OUT/b.out" 2>"$OUT/b.err"
	rc=$?
	expect "check $*: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "check $*: one stderr line" [ "$(wc -l <"$OUT/b.err")" -eq 1 ]
	expect "check $*: names '$needle' ($(head -c 200 "$OUT/b.err"))" grep -qF -- "$needle" "$OUT/b.err"
	expect "check $*: nothing on stdout" [ ! -s "$OUT/b.out" ]
}
bad_option "unknown option '--bogus'" --bogus
bad_option "--cpus: needs a value" --cpus
bad_option "--cpus" --cpus x
bad_option "--cpus: PU 4000 does not exist" --cpus 4000
bad_option "--cpus" --cpus 99999
bad_option "--cpus: 0 appears twice" --cpus 0,0
bad_option "unexpected argument 'now'" now
nasty=$(printf 'x\n\033[31mred')
bad_option "unknown option '--x?" "--$nasty"
expect "check with an ESC option: no ESC on stderr" [ "$(tr -cd '\033' <"$OUT/b.err" | wc -c)" -eq 0 ]

# A run document records the same facts under host.hygiene.
"$NCBENCH" run -q -c aes-128-gcm -b openssl -s 64 -d 0.05 -r 5 --warmup 0 \
	-o "$OUT/a.json" 2>"$OUT/run.err"
rc=$?
expect "run: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "run: consistent" "$TESTBIN/check_doc" "$OUT/a.json"
expect "run: host.hygiene holds every item and the PUs" python3 - "$OUT/a.json" $ITEMS <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["host"]["hygiene"]
assert set(h) == set(sys.argv[2:]) | {"pus"}, sorted(h)
assert all(isinstance(v, str) and v for v in h.values())
PY

# edit IN OUT PYTHON: a copy of a document with host.hygiene (h) edited.
edit() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
h = d["host"]["hygiene"]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
"$NCBENCH" compare "$OUT/a.json" "$OUT/a.json" >/dev/null 2>"$OUT/same.err"
same_rc=$?
expect "compare same: no hygiene warning" refute_grep 'hosts differ in' "$OUT/same.err"

thp=$(field "$OUT/a.json" "d['host']['hygiene']['thp']")
other=$([ "$thp" = always ] && echo never || echo always)
edit "$OUT/a.json" "$OUT/b.json" "h['thp'] = '$other'; h['pmu'] = 'elsewhere'"
"$NCBENCH" compare "$OUT/a.json" "$OUT/b.json" >"$OUT/d.out" 2>"$OUT/d.err"
rc=$?
expect "compare differing hosts: exit as before ($rc, $same_rc)" [ $rc -eq $same_rc ]
expect "compare differing hosts: names thp with both values" \
	grep -qx "ncbench compare: warning: hosts differ in thp: $thp vs $other" "$OUT/d.err"
expect "compare differing hosts: names pmu" \
	grep -q "ncbench compare: warning: hosts differ in pmu: .* vs elsewhere" "$OUT/d.err"
expect "compare differing hosts: one line per fact" [ "$(grep -c 'hosts differ in' "$OUT/d.err")" -eq 2 ]
expect "compare differing hosts: the table as before" grep -q 'aes-128-gcm' "$OUT/d.out"

# A fact in one document only, a number, and an older document.
edit "$OUT/a.json" "$OUT/c.json" "del h['aslr']; h['cores_busy'] = 3; h['smt'] = True"
"$NCBENCH" compare "$OUT/a.json" "$OUT/c.json" >/dev/null 2>"$OUT/e.err"
expect "compare: a fact in base only" grep -q "hosts differ in aslr: .* vs (not recorded)" "$OUT/e.err"
expect "compare: a number fact" grep -q "hosts differ in cores_busy: (not recorded) vs 3" "$OUT/e.err"
expect "compare: a boolean fact" grep -q "hosts differ in smt: .* vs true" "$OUT/e.err"
edit "$OUT/a.json" "$OUT/old.json" "del d['host']['hygiene']"
"$NCBENCH" compare "$OUT/old.json" "$OUT/a.json" >/dev/null 2>"$OUT/o.err"
rc=$?
expect "compare with an older document: exit as before ($rc)" [ $rc -eq $same_rc ]
expect "compare with an older document: one line naming it" \
	[ "$(grep -c 'old.json records no host hygiene' "$OUT/o.err")" -eq 1 ]
"$NCBENCH" compare "$OUT/old.json" "$OUT/old.json" >/dev/null 2>"$OUT/oo.err"
expect "compare of two older documents: no hygiene line" refute_grep 'hygiene' "$OUT/oo.err"

# Hostile hygiene: refused by every reader, exit 2, one line naming it.
hostile() { # hostile NEEDLE PYTHON
	edit "$OUT/a.json" "$OUT/h.json" "$2"
	"$NCBENCH" compare "$OUT/a.json" "$OUT/h.json" >"$OUT/h.out" 2>"$OUT/h.err"
	local rc=$?
	expect "hostile $2: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "hostile $2: one line naming $1 ($(head -c 200 "$OUT/h.err"))" \
		[ "$(wc -l <"$OUT/h.err")" -eq 1 -a "$(grep -cF -- "$1" "$OUT/h.err")" -eq 1 ]
}
hostile "host.hygiene.thp: must be a string, a number or a boolean" "h['thp'] = ['always']"
hostile "host.hygiene.thp: must be a string, a number or a boolean" "h['thp'] = None"
hostile "host.hygiene.thp: longer than 256 bytes" "h['thp'] = 'x' * 257"
hostile "host.hygiene: more than 64 facts" "h.update({'f%d' % i: 'x' for i in range(64)})"
hostile "host.hygiene: a fact's name is longer than 64 bytes" "h['k' * 65] = 'x'"
hostile "host.hygiene.thp: a string holds a control character" "h['thp'] = 'a\\nb'"
hostile "host.hygiene: must be an object" "d['host']['hygiene'] = 'none'"
hostile "must be a number" "h['thp'] = 1e300"
finish
