#!/usr/bin/env bash
# ci/perf-gate.sh: makes a baseline, passes against it, fails (exit 1,
# JUnit failure) against a baseline that was faster, refuses a missing one.
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
# so this asserts no speed, only the gate's wiring.
g --baseline m1 --threshold 1000 >"$OUT/p.txt" 2>&1
rc=$?
expect "gate passes against its own baseline (exit $rc)" [ $rc -eq 0 ]
expect "junit written" [ -s "$OUT/gate/perf-junit.xml" ]
expect "markdown written" grep -q "| case |" "$OUT/gate/perf.md"

# A baseline twice as fast: a regression.
python3 - "$OUT/base/m1.json" "$OUT/base/fast.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    for s in r["samples"]:
        s["bytes"] *= 2
        s["gbps"] *= 2
    r["summary"]["gbps"]["median"] *= 2
json.dump(d, open(sys.argv[2], "w"))
PY
g --baseline fast >"$OUT/f.txt" 2>&1
expect "slower than the baseline: exit 1" [ $? -eq 1 ]
expect "regression in the JUnit report" grep -q "<failure" "$OUT/gate/perf-junit.xml"
g --baseline none >"$OUT/n.txt" 2>&1
expect "missing baseline: exit 2" [ $? -eq 2 ]
expect "missing baseline explained" grep -q "update-baseline" "$OUT/n.txt"
g --baseline ../escape >/dev/null 2>&1
expect "a path as baseline name: exit 2" [ $? -eq 2 ]
g --bogus >/dev/null 2>&1
expect "unknown option: exit 2" [ $? -eq 2 ]
finish
