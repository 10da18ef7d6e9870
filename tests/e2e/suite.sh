#!/usr/bin/env bash
# run --suite: groups of options from a JSON file run into one document;
# command-line options apply to every group; bad suites are refused
# before anything runs; the progress line; the shipped suites run.
. "$(dirname "$0")/lib.bash"
SUITES="$(dirname "$0")/../../results/suites"

cat >"$OUT/s.json" <<'JSON'
{"name": "two", "defaults": {"duration": 0.1, "warmup": 0, "repeat": 2},
 "groups": [{"workload": "cipher", "cipher": "aes-128-gcm", "backend": "openssl", "size": 64},
            {"workload": "esp", "cipher": ["null"], "size": [1420], "verify": true}]}
JSON
"$NCBENCH" run --processes 1 --suite "$OUT/s.json" --progress -o "$OUT/two.json" >"$OUT/two.txt" 2>"$OUT/two.err"
expect "suite run exits 0" [ $? -eq 0 ]
expect "suite document consistent" "$TESTBIN/check_doc" "$OUT/two.json"
expect "both groups ran" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["workload"] for r in d["results"]] == ["cipher", "esp"], d["results"]
assert d["config"]["suite"] == "two" and d["config"]["suite_file"].endswith("s.json")
assert len(d["config"]["groups"]) == 2
assert d["config"]["groups"][1]["verify"] is True
' "$OUT/two.json"
expect "table names the workload" grep -qE '^esp +null' "$OUT/two.txt"
expect "progress line per case off a terminal" [ "$(grep -c '^\[[12]/2\] ' "$OUT/two.err")" -eq 2 ]
"$NCBENCH" run --processes 1 --suite "$OUT/s.json" -q -o "$OUT/q.json" 2>"$OUT/q.err"
expect "no progress when not a terminal" [ ! -s "$OUT/q.err" ]
"$NCBENCH" run --processes 1 --suite "$OUT/s.json" --repeat 3 -q -o "$OUT/r3.json"
expect "command line wins over the suite" python3 -c '
import json, sys
assert all(len(r["samples"]) == 3 for r in json.load(open(sys.argv[1]))["results"])
' "$OUT/r3.json"

# --threads-fit keeps the counts the host can place.
cat >"$OUT/fit.json" <<'JSON'
{"groups": [{"workload": "cipher", "cipher": "aes-128-gcm", "backend": "openssl",
             "size": 64, "threads": [1, 1024], "threads-fit": true,
             "duration": 0.05, "warmup": 0, "repeat": 1}]}
JSON
"$NCBENCH" run --processes 1 --suite "$OUT/fit.json" -q -o "$OUT/fit-out.json"
expect "--threads-fit: exits 0" [ $? -eq 0 ]
expect "--threads-fit: 1024 threads dropped" python3 -c '
import json, sys
assert [r["threads"] for r in json.load(open(sys.argv[1]))["results"]] == [1]
' "$OUT/fit-out.json"

# Bad suites: exit 2, one line naming the file (and the group), no document.
printf '{"groups": [{"workload": "cipher", "bogus": 1}]}' >"$OUT/bogus.json"
printf '{"groups": [{"output": "x.json"}]}' >"$OUT/cli.json"
printf '{"groups": [' >"$OUT/trunc.json"
printf '{"groups": []}' >"$OUT/empty.json"
printf '{"groups": [{"workload": "esp", "size": 8}]}' >"$OUT/small.json"
for f in bogus cli trunc empty small missing; do
	"$NCBENCH" run --processes 1 --suite "$OUT/$f.json" -o "$OUT/never.json" >/dev/null 2>"$OUT/e.err"
	rc=$?
	expect "$f: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$f: one line naming the suite" grep -q "$f.json" "$OUT/e.err"
	expect "$f: no document" [ ! -e "$OUT/never.json" ]
done
"$NCBENCH" run --processes 1 --suite "$OUT/bogus.json" -o "$OUT/never.json" 2>"$OUT/b.err" >/dev/null
expect "unknown key named" grep -q "group 1: unknown option '--bogus'" "$OUT/b.err"

# The full suite's stream cases at a tiny duration once counted auth
# failures: a repetition ended with the sender mid-send, its receiver
# stopped reading, and the next repetition's send raced the stalled one.
# Batches of 1 MiB through 64 KiB buffers end every repetition mid-send.
cat >"$OUT/mid.json" <<'JSON'
{"name": "mid", "defaults": {"duration": 0.01, "warmup": 0, "repeat": 3},
 "groups": [{"workload": "stream", "verify": true, "cipher": ["aes-128-gcm", "aes-256-gcm"],
             "backend": ["ipsec-mb", "gcrypt"], "size": [1420, 16384],
             "batch": 64, "sockbuf": 65536}]}
JSON
t0=$(date +%s%N)
timeout -k 2 60 "$NCBENCH" run --processes 1 --suite "$OUT/mid.json" -q -o "$OUT/mid-out.json" 2>"$OUT/mid.err"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "mid-send suite: exits 0 (got $rc: $(head -c 200 "$OUT/mid.err"))" [ $rc -eq 0 ]
expect "mid-send suite: ends in time (${ms} ms)" [ $ms -lt 10000 ]
[ $rc -eq 0 ] && expect "mid-send suite: no errors, records in every repetition" python3 -c '
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
assert rs and all(sum(r["errors"].values()) + sum(r["rejects"].values()) == 0 for r in rs)
assert all(min(s["packets"] for s in r["samples"]) > 0 for r in rs)
' "$OUT/mid-out.json"

# Every shipped suite runs (at a tiny duration) into a consistent document.
for s in quick full capacity sa-scale; do
	"$NCBENCH" run --processes 1 --suite "$SUITES/$s.json" -d 0.01 --warmup 0 -r 2 -q \
		-o "$OUT/$s-out.json" 2>"$OUT/$s.err"
	rc=$?
	expect "suite $s runs (got $rc: $(head -c 200 "$OUT/$s.err"))" [ $rc -eq 0 ]
	expect "suite $s document consistent" "$TESTBIN/check_doc" "$OUT/$s-out.json"
done
# The sa-scale document gives report both sweep charts and the SA table.
"$NCBENCH" report "$OUT/sa-scale-out.json" -o "$OUT/sa-rep" >/dev/null 2>"$OUT/sa-rep.err"
expect "sa-scale report exits 0 ($(head -c 200 "$OUT/sa-rep.err"))" [ $? -eq 0 ]
for c in sas-1 flows-1; do
	expect "sa-scale report draws $c" [ -s "$OUT/sa-rep/$c.png" ]
done
expect "sa-scale: a line per cipher and size" \
	[ "$(grep -c "title 'esp [a-z0-9-]* openssl [0-9]* B'" "$OUT/sa-rep/sas-1.gp")" -eq 8 ]
expect "sa-scale: a line per engine" \
	[ "$(grep -c "title '\(uring\|epoll\): esp null 64 B, 256 SAs'" "$OUT/sa-rep/flows-1.gp")" -eq 4 ]
expect "sa-scale: SA table" grep -q "SA memory and set-up" "$OUT/sa-rep/report.md"
finish
