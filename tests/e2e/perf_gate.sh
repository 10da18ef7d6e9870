#!/usr/bin/env bash
# ci/perf-gate.sh: makes a baseline, passes against it, fails (exit 1,
# JUnit failure) against a baseline that was faster, refuses a missing one;
# --help and bad options; the interleaved mode runs both builds A B A B and
# pools the rounds; exit 3 (undecided) passes through unless
# --allow-inconclusive.
. "$(dirname "$0")/lib.bash"
GATE="$(dirname "$0")/../../ci/perf-gate.sh"

cat >"$OUT/s.json" <<'JSON'
{"name": "gate", "defaults": {"duration": 0.1, "warmup": 0.05, "repeat": 5},
 "groups": [{"workload": "cipher", "cipher": "aes-128-gcm", "backend": "openssl", "size": [64, 1420]}]}
JSON
g() { "$GATE" --ncbench "$NCBENCH" --suite "$OUT/s.json" --baselines "$OUT/base" --out "$OUT/gate" "$@"; }

g --baseline m1 --update-baseline >"$OUT/u.txt" 2>&1
expect "--update-baseline: exit 0" [ $? -eq 0 ]
expect "baseline written" "$TESTBIN/check_doc" "$OUT/base/m1.json"

# Against itself with a threshold no change can pass: machines are noisy,
# so this asserts no speed, only the gate's wiring (and a loaded machine
# can make most repetitions disturbed: "too noisy" is let through).
g --baseline m1 --threshold 1000 --allow-inconclusive >"$OUT/p.txt" 2>&1
rc=$?
expect "gate passes against its own baseline (exit $rc)" [ $rc -eq 0 ]
expect "junit written" [ -s "$OUT/gate/perf-junit.xml" ]
expect "markdown written" grep -q "| case |" "$OUT/gate/perf.md"

# A baseline a hundred times as fast: a regression (twice was not enough
# on a loaded machine, where the same case ran 2.2 times faster minutes
# after its baseline).
python3 - "$OUT/base/m1.json" "$OUT/base/fast.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    for s in r["samples"]:
        s["bytes"] *= 100
        s["gbps"] *= 100
        # A clean made-up baseline: no disturbance, and no canary for
        # the host-speed guard to compare.
        s.get("noise", {})["canary_ns"] = 0
        s["disturbed"], s["disturbed_by"] = False, []
    r.get("noise", {})["disturbed"] = 0
    r["summary"]["gbps"]["median"] *= 100
json.dump(d, open(sys.argv[2], "w"))
PY
# The current run is real: on a machine so busy that most of its
# repetitions are disturbed, compare refuses to call anything ("too
# noisy", exit 3), so disturbed repetitions are left out; should too few
# be left, the run is tried again, up to three times.
for try in 1 2 3; do
	g --baseline fast -- --drop-disturbed >"$OUT/f.txt" 2>&1
	rc=$?
	[ $rc -eq 3 ] && grep -q "too noisy" "$OUT/f.txt" || break
	echo "perf_gate.sh: try $try too noisy, again" >&2
done
expect "slower than the baseline: exit 1 (got $rc)" [ $rc -eq 1 ]
expect "regression in the JUnit report" grep -q "<failure" "$OUT/gate/perf-junit.xml"
g --baseline none >"$OUT/n.txt" 2>&1
expect "missing baseline: exit 2" [ $? -eq 2 ]
expect "missing baseline explained" grep -q "update-baseline" "$OUT/n.txt"
g --baseline ../escape >/dev/null 2>&1
expect "a path as baseline name: exit 2" [ $? -eq 2 ]
g --bogus >/dev/null 2>&1
expect "unknown option: exit 2" [ $? -eq 2 ]

# --help: a usage text (not lines of the script), exit 0.
"$GATE" --help >"$OUT/h.txt" 2>&1
expect "--help: exit 0" [ $? -eq 0 ]
expect "--help: a usage line" grep -q "^usage: ci/perf-gate.sh" "$OUT/h.txt"
for o in --baseline-ncbench --rounds --allow-inconclusive --update-baseline "exit status"; do
	expect "--help explains $o" grep -qi -- "$o" "$OUT/h.txt"
done
expect "--help: says the interleaving cancels drift" grep -q "drift" "$OUT/h.txt"
refute "--help: no script lines" grep -Eq '^(set -u|suite=|while |die\(\))' "$OUT/h.txt"

# Bad options: one line on stderr, nothing on stdout, exit 2.
bad_opt() { # bad_opt DESCRIPTION ARGS...
	local what=$1 rc
	shift
	"$GATE" "$@" >"$OUT/b.out" 2>"$OUT/b.err"
	rc=$?
	expect "$what: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$what: one line on stderr" [ "$(wc -l <"$OUT/b.err")" -eq 1 ]
	expect "$what: nothing on stdout" [ ! -s "$OUT/b.out" ]
}
bad_opt "unknown option" --bogus
bad_opt "option without its value" --suite
bad_opt "--rounds without --baseline-ncbench" --ncbench "$NCBENCH" --rounds 3
bad_opt "--rounds 1" --ncbench "$NCBENCH" --baseline-ncbench "$NCBENCH" --rounds 1
bad_opt "--rounds not a number" --ncbench "$NCBENCH" --baseline-ncbench "$NCBENCH" --rounds x
bad_opt "both modes at once" --ncbench "$NCBENCH" --baseline-ncbench "$NCBENCH" --baseline m1
bad_opt "interleaved with --update-baseline" --ncbench "$NCBENCH" --baseline-ncbench "$NCBENCH" --update-baseline
bad_opt "no baseline build" --ncbench "$NCBENCH" --baseline-ncbench "$OUT/nope"
bad_opt "--threshold not a number" --ncbench "$NCBENCH" --threshold five

# The interleaved mode with the same build as A and B: each side is a
# wrapper (ncb-A, ncb-B) that logs its command line. While compare cannot
# pool documents (--base/--current), the wrapper stands in with a compare of
# the last base and current: what is tested here is the gate's wiring.
export REAL=$NCBENCH LOG=$OUT/log POOL=1
"$NCBENCH" compare --help 2>/dev/null | grep -q -- --base || POOL=0
[ $POOL = 1 ] || echo "note: this compare cannot pool documents; a stand-in pools the last of each side" >&2
cat >"$OUT/ncb-A" <<'SH'
#!/usr/bin/env bash
echo "${0##*-} $*" >>"$LOG"
if [ "$POOL" = 0 ] && [ "$1" = compare ]; then
	[ "${2:-}" = --help ] && { echo "  --base FILE"; exit 0; }
	shift; args=()
	while [ $# -gt 0 ]; do
		case $1 in --base) b=$2; shift ;; --current) c=$2; shift ;; *) args+=("$1") ;; esac
		shift
	done
	exec "$REAL" compare "$b" "$c" "${args[@]}"
fi
exec "$REAL" "$@"
SH
cp "$OUT/ncb-A" "$OUT/ncb-B"
chmod +x "$OUT/ncb-A" "$OUT/ncb-B"
cat >"$OUT/one.json" <<'JSON'
{"name": "one", "defaults": {"duration": 0.1, "warmup": 0.02, "repeat": 3},
 "groups": [{"workload": "cipher", "cipher": "aes-128-gcm", "backend": "openssl", "size": 1420}]}
JSON
mkdir -p "$OUT/il"
echo stale >"$OUT/il/a-7.json"
: >"$LOG"
"$GATE" --ncbench "$OUT/ncb-B" --baseline-ncbench "$OUT/ncb-A" --rounds 2 \
	--suite "$OUT/one.json" --out "$OUT/il" --threshold 1000 --allow-inconclusive \
	-- -d 0.05 >"$OUT/il.txt" 2>&1
rc=$?
# Two runs per side decide nothing (exit 3, allowed) and no change reaches
# 1000%: anything but 0 is the gate's fault.
expect "interleaved, same build, threshold 1000%: exit 0 (got $rc: $(tail -n 3 "$OUT/il.txt"))" [ $rc -eq 0 ]
for f in a-1 a-2 b-1 b-2; do
	expect "interleaved: $f.json is a document" "$TESTBIN/check_doc" "$OUT/il/$f.json"
done
expect "interleaved: a stale round of an earlier gate removed" [ ! -e "$OUT/il/a-7.json" ]
expect "interleaved: junit written" grep -q "<testsuite" "$OUT/il/perf-junit.xml"
expect "interleaved: markdown written" grep -q "| case |" "$OUT/il/perf.md"
runs=$(awk '$2 == "run" { for (i = 3; i < NF; i++) if ($i == "-o") printf "%s:%s ", $1, $(i + 1) }' "$LOG" |
	sed "s|$OUT/il/||g")
expect "interleaved: A B A B into a-1 b-1 a-2 b-2 (got $runs)" \
	[ "$runs" = "A:a-1.json B:b-1.json A:a-2.json B:b-2.json " ]
expect "interleaved: run options passed on" [ "$(grep -c ' run .*-d 0.05' "$LOG")" -eq 4 ]
if "$NCBENCH" run --help | grep -q -- --processes; then
	expect "interleaved: one process per run" [ "$(grep -c ' run .*--processes 1' "$LOG")" -eq 4 ]
fi
cmpline=$(grep '^B compare --base' "$LOG")
expect "interleaved: the candidate compares both rounds of each side" \
	[ "$(grep -o -- '--base [^ ]*/a-[12].json' <<<"$cmpline" | wc -l):$(grep -o -- '--current [^ ]*/b-[12].json' <<<"$cmpline" | wc -l)" = 2:2 ]
expect "interleaved: threshold passed to compare" grep -q -- "--threshold 1000 " <<<"$cmpline"
refute "interleaved: the baseline build never compares" grep -q '^A compare' "$LOG"

# Exit statuses, through a stand-in ncbench whose compare exits $FAKE_RC
# and whose run exits $FAKE_RUN_RC.
cat >"$OUT/fake" <<'SH'
#!/usr/bin/env bash
if [ "$1" = compare ]; then
	[ "${2:-}" = --help ] && { echo "  --base FILE"; exit 0; }
	exit "${FAKE_RC:-0}"
fi
[ "${2:-}" = --help ] && exit 0
[ "${FAKE_RUN_RC:-0}" = 0 ] || exit "$FAKE_RUN_RC"
while [ $# -gt 0 ]; do [ "$1" = -o ] && echo '{}' >"$2"; shift; done
exit 0
SH
chmod +x "$OUT/fake"
fg() {
	"$GATE" --ncbench "$OUT/fake" --baseline-ncbench "$OUT/fake" --rounds 2 \
		--suite "$OUT/one.json" --out "$OUT/fk" "$@" >"$OUT/fk.out" 2>"$OUT/fk.err"
}
for c in 0:0 1:1 3:3 2:2 134:2; do
	FAKE_RC=${c%:*} fg
	rc=$?
	expect "compare exit ${c%:*}: gate exit ${c#*:} (got $rc)" [ $rc -eq "${c#*:}" ]
done
FAKE_RC=3 fg
expect "exit 3 explained" grep -q "inconclusive" "$OUT/fk.err"
FAKE_RC=3 fg --allow-inconclusive
rc=$?
expect "--allow-inconclusive: exit 3 becomes 0 (got $rc)" [ $rc -eq 0 ]
expect "--allow-inconclusive: a warning" grep -q "warning" "$OUT/fk.err"
FAKE_RC=1 fg --allow-inconclusive
expect "--allow-inconclusive: a regression still fails" [ $? -eq 1 ]
FAKE_RUN_RC=1 fg
expect "a run that fails: exit 1" [ $? -eq 1 ]
FAKE_RUN_RC=2 fg
expect "a build that refuses the run options: exit 2" [ $? -eq 2 ]
mkdir -p "$OUT/fb"
echo '{}' >"$OUT/fb/x.json"
FAKE_RC=3 "$GATE" --ncbench "$OUT/fake" --suite "$OUT/one.json" --baselines "$OUT/fb" \
	--baseline x --out "$OUT/fk" >/dev/null 2>&1
expect "stored baseline: exit 3 passed through" [ $? -eq 3 ]
finish
