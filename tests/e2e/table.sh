#!/usr/bin/env bash
# The table `run` prints, from real short runs (cipher, esp, rr): each
# kind of row has its columns, every figure equals the document's, the
# wide-CI mark follows the rule and is explained under the table, and no
# line is wider than 100 columns.
. "$(dirname "$0")/lib.bash"

cat >"$OUT/suite.json" <<'EOF'
{"name": "table", "defaults": {"duration": 0.3, "warmup": 0.05, "repeat": 3, "processes": 1},
 "groups": [
  {"workload": "cipher", "cipher": ["aes-256-gcm"], "backend": "openssl", "size": [1420]},
  {"workload": "esp", "cipher": ["null"], "size": [1420]},
  {"workload": "esp", "cipher": ["aes-256-gcm"], "backend": "openssl", "size": [1420]},
  {"workload": "rr", "cipher": ["null"], "size": [64]},
  {"workload": "rr", "cipher": ["aes-256-gcm"], "backend": "openssl", "size": [64]}
 ]}
EOF
"$NCBENCH" run --suite "$OUT/suite.json" -o "$OUT/t.json" >"$OUT/t.txt" 2>"$OUT/t.err"
rc=$?
expect "run exits 0 (got $rc: $(head -c 200 "$OUT/t.err"))" [ $rc -eq 0 ]
expect "document consistent" "$TESTBIN/check_doc" "$OUT/t.json"
expect "one header per kind" [ "$(grep -c '^workload ' "$OUT/t.txt")" -eq 3 ]
expect "cipher header" grep -qE '^workload +cipher +backend +size +thr +Gbit/s ±CI95 +Mpps +cycles/B disturb$' "$OUT/t.txt"
expect "network header" grep -qE '^workload .* Gbit/s ±CI95 +Mpps +tx CPU +rx CPU +drops disturb$' "$OUT/t.txt"
expect "rr header" grep -qE '^workload .* thr +p50 µs +p99 µs +exch/s +tx CPU +rx CPU +drops disturb$' "$OUT/t.txt"
expect "CPU unit explained" grep -qxF "tx/rx CPU: cores per Gbit/s of the sending and the receiving side" "$OUT/t.txt"
expect "no line wider than 100 columns" python3 -c '
import sys
w = max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8"))
assert w <= 100, w
' "$OUT/t.txt"
# Each row against its result, in the document's order.
expect "rows equal the document" python3 - "$OUT/t.txt" "$OUT/t.json" <<'EOF'
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
doc = json.load(open(sys.argv[2]))
rows = [l for l in lines if re.match(r"^(cipher|esp|rr) ", l)]
assert len(rows) == len(doc["results"]) == 5, (len(rows), rows)
any_wide = False

def close(text, value, places):
    assert abs(float(text) - value) <= 0.5 * 10 ** -places + 1e-9, (text, value)

def cpu(text, gpc):
    close(text, 1 / gpc, 3)

for line, r in zip(rows, doc["results"]):
    s, f = r["summary"], line.split()
    assert f[:5] == [r["workload"], r["cipher"], r["backend"], str(r["size"]), str(r["threads"])], f
    rate = s["pps"] if r["workload"] == "rr" else s["gbps"]
    lo, hi = rate["ci95"]
    is_wide = (hi - lo) * 100 > 10 * rate["median"]
    any_wide |= is_wide
    if r["workload"] == "rr":
        close(f[5], r["latency_ns"]["p50"] / 1e3, 2)
        close(f[6], r["latency_ns"]["p99"] / 1e3, 2)
        assert f[7].endswith("*") == is_wide, (f[7], lo, hi)
        close(f[7].rstrip("*"), s["tps"]["median"], 0)
        rest = f[8:]
    else:
        close(f[5], s["gbps"]["median"], 3)
        assert f[6] == "±"
        close(f[7].rstrip("*"), (hi - lo) / 2, 3)
        assert f[7].endswith("*") == is_wide, (f[7], lo, hi)
        close(f[8], s["pps"]["median"] / 1e6, 3)
        rest = f[9:]
    if r["workload"] == "cipher":
        close(rest[0].rstrip("~"), s["cycles_per_byte"], 3)
        continue
    # Both sides ran here: each side's CPU per Gbit/s, and drops over sent.
    cpu(rest[0], s["sides"]["tx_gbps_per_core"])
    cpu(rest[1], s["sides"]["rx_gbps_per_core"])
    sent = sum(x.get("sent_packets", 0) for x in r["samples"])
    drops = r["errors"]["drops"]
    if drops == 0:
        assert rest[2] == "0", rest[2]
    else:
        close(rest[2].rstrip("%"), drops * 100 / sent, 1 if drops / sent >= 0.001 else 9)
legend = "* the 95% CI is wider than 10% of the median" in lines
assert legend == any_wide, (legend, any_wide)
EOF
expect "each side's CPU adds up to the workers' CPU" python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["workload"] == "cipher":
        assert "sides" not in r["summary"]
        continue
    b = sum(x["bytes"] for x in r["samples"]) * 8 / 1e9
    cpu = sum(x["cpu_seconds"] for x in r["samples"])
    sd = r["summary"]["sides"]
    assert abs(b / sd["tx_gbps_per_core"] + b / sd["rx_gbps_per_core"] - cpu) < 1e-6 * max(cpu, 1), r["cipher"]
' "$OUT/t.json"
"$NCBENCH" run -q --processes 1 -w cipher -c aes-256-gcm -b openssl -s 64 -d 0.05 -r 1 \
	-o "$OUT/q.json" >"$OUT/q.txt" 2>&1
expect "-q: no table" [ ! -s "$OUT/q.txt" ]
finish
