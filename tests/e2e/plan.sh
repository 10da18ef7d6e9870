#!/usr/bin/env bash
# plan on synthetic documents with known answers (a measured mix used, a
# mix refused across UDP GSO and extrapolated without it, leave-one-out
# errors, a super-linear step flagged, busy polling warned, dropped thread
# counts said, the cheapest backend named, the capacity chart covering
# every series), one real short run, and the null cipher beside any -b.
. "$(dirname "$0")/lib.bash"
SYN="python3 $(dirname "$0")/synth_doc.py"
J() { # J FILE EXPR: a Python assertion over the plan JSON p
	python3 -c "import json,sys; p=json.load(open(sys.argv[1])); s=p['series']; $2" "$1"
}

# Fixed sizes on a line (ns = 1000 + 2 x bytes) that rode GSO, and a
# measured simple IMIX case at 4088 ns/packet: the mix is priced from
# that case, 40G / (8 x 354 B) x 4088 ns / 0.7 = 82.5 cores.
GSO='--options={"no-gso": false, "busy-poll": 0}'
$SYN "$OUT/gso.json" h1 1 "$GSO" aes-256-gcm:64:1:1:0.005:+us=1.128 \
	aes-256-gcm:576:1:4:0.005:+us=2.152 aes-256-gcm:1500:1:8:0.005:+us=4.0 \
	aes-256-gcm:354:1:2:0.005:+us=4.088 @results.3.imix='"simple"'
"$NCBENCH" plan "$OUT/gso.json" --target 40G --imix simple >"$OUT/mix.txt" 2>"$OUT/mix.err"
expect "measured mix: exit 0 ($(head -c 200 "$OUT/mix.err"))" [ $? -eq 0 ]
expect "the first line says what is planned" \
	grep -q "^plan: 40.00 Gbit/s of simple IMIX (mean 354 B) with 30% headroom" <(head -1 "$OUT/mix.txt")
expect "the third line answers: 82 cores from the measured mix case" \
	grep -q "^  cipher aes-256-gcm openssl: 82 cores (82..82) from the measured simple IMIX case, not extrapolated" \
	<(sed -n 3p "$OUT/mix.txt")
expect "the model is checked on the mix it did not fit" \
	grep -q "model vs the measured simple IMIX case (not fitted): 1709 ns/packet predicted, 4088 measured (-58.2%): the fixed sizes rode UDP GSO" "$OUT/mix.txt"
expect "leave-one-out errors printed" grep -q "leave-one-out (each size predicted by the model of the others): 64 B +0.0%, 576 B" "$OUT/mix.txt"
"$NCBENCH" plan "$OUT/gso.json" --target 40G --imix simple --json >"$OUT/mix.json"
expect "measured mix: JSON source measured, 82.5 cores" J "$OUT/mix.json" '
a = s[0]["answer"]; assert len(a) == 1 and a[0]["source"] == "measured", a
assert abs(a[0]["cores_needed"] - 40e9 / 8 / 354 * 4088e-9 / 0.7) < 0.01, a
assert abs(s[0]["cost_model"]["mix_check"][0]["err"] - (1708.667 / 4088 - 1)) < 1e-3, s[0]["cost_model"]'

# Without the measured mix: refused across GSO; with --no-gso sizes,
# extrapolated by the model (1708.7 ns: 34.5 cores).
$SYN "$OUT/gso2.json" h1 2 "$GSO" aes-256-gcm:64:1:1:0.005:+us=1.128 \
	aes-256-gcm:576:1:4:0.005:+us=2.152 aes-256-gcm:1500:1:8:0.005:+us=4.0
"$NCBENCH" plan "$OUT/gso2.json" --target 40G --imix simple >"$OUT/ref.txt" 2>&1
expect "across GSO: exit 0" [ $? -eq 0 ]
expect "across GSO: refused in the answer" \
	grep -q "^  cipher aes-256-gcm openssl: not priced: the fixed sizes rode UDP GSO" <(sed -n 3p "$OUT/ref.txt")
$SYN "$OUT/nogso.json" h1 3 '--options={"no-gso": true, "busy-poll": 0}' \
	aes-256-gcm:64:1:1:0.005:+us=1.128 aes-256-gcm:576:1:4:0.005:+us=2.152 \
	aes-256-gcm:1500:1:8:0.005:+us=4.0
"$NCBENCH" plan "$OUT/nogso.json" --target 40G --imix simple >"$OUT/ext.txt"
expect "no GSO: extrapolated, and says so" \
	grep -q "^  cipher aes-256-gcm openssl: 34 cores (34..34) extrapolated from 3 fixed sizes" <(sed -n 3p "$OUT/ext.txt")
"$NCBENCH" plan "$OUT/nogso.json" --target 40G --imix simple --json >"$OUT/ext.json"
expect "no GSO: JSON source model, 34.5 cores" J "$OUT/ext.json" '
a = s[0]["answer"][0]; assert a["source"] == "model", a
assert abs(a["cores_needed"] - 40e9 / 8 / 354 * 1708.667e-9 / 0.7) < 0.01, a'

# Leave-one-out with a known answer: 1500 B off the line by 500 ns; the
# errors are those of least squares over the other two points.
$SYN "$OUT/loo.json" h1 4 aes-256-gcm:64:1:1:0.005:+us=1.128 \
	aes-256-gcm:576:1:4:0.005:+us=2.152 aes-256-gcm:1500:1:8:0.005:+us=4.5
"$NCBENCH" plan "$OUT/loo.json" --target 10G --json >"$OUT/loo-plan.json"
expect "leave-one-out errors as computed by hand" J "$OUT/loo-plan.json" '
x = [64, 576, 1500]; y = [1128, 2152, 4500]
def pred(i):
    k = [j for j in range(3) if j != i]
    b = (y[k[1]] - y[k[0]]) / (x[k[1]] - x[k[0]]); return y[k[0]] + b * (x[i] - x[k[0]])
want = [pred(i) / y[i] - 1 for i in range(3)]
got = [e["err"] for e in s[0]["cost_model"]["loo"]]
assert all(abs(g - w) < 1e-6 for g, w in zip(got, want)), (got, want)
assert abs(s[0]["cost_model"]["loo_max"] - max(map(abs, want))) < 1e-6'

# A super-linear step (1 -> 2 threads: 2.6x the rate) is flagged and the
# fit starts above it; with nothing above it, nothing is fitted.
$SYN "$OUT/super.json" h1 5 aes-128-gcm:1420:1:2:0 aes-128-gcm:1420:2:5.2:0 \
	aes-128-gcm:1420:4:10.4:0 aes-128-gcm:1420:8:20.8:0 aes-128-gcm:64:1:1:0 aes-128-gcm:64:2:2.6:0
"$NCBENCH" plan "$OUT/super.json" --target 40G >"$OUT/super.txt"
expect "super-linear: flagged in the answer" \
	grep -q "thread sweep at 1420 B: .*fitted from 2 threads up: the super-linear step 1->2 (x2.60 the rate) is left out" "$OUT/super.txt"
expect "super-linear with one count above: not fitted" \
	grep -q "thread sweep at 64 B: super-linear step 1->2 threads (x2.60 the rate for x2.00 the threads): not fitted" "$OUT/super.txt"
"$NCBENCH" plan "$OUT/super.json" --target 40G --json >"$OUT/super-plan.json"
expect "super-linear: the fit above the step is 2.6 Gbit/s a thread, no loss" J "$OUT/super-plan.json" '
f = {x["what"]: x for x in s[0]["scaling"]}
big = f["1420 B"]; assert big["super_linear_from"] == 1 and big["super_linear_to"] == 2, big
assert big["points"] == 3 and abs(big["lambda"] - 2.6e9) < 1e6, big
assert big["sigma"] < 1e-9 and big["kappa"] < 1e-9, big
assert big["threads_needed"] == 22, big  # 40 / 0.7 / 2.6 = 21.98
assert f["64 B"]["model"] == "none", f["64 B"]
a = {x["what"]: x for x in s[0]["answer"]}["1420 B"]  # cost from 2 threads, not 1
assert a["threads"] == 2 and abs(a["cores_needed"] - 40 / 0.7 / 2.6) < 0.01, a'

# Busy polling is warned; every thread count dropped by --threads-fit
# is said, with the counts.
$SYN "$OUT/busy.json" h1 6 '--options={"busy-poll": 50}' aes-128-gcm:1420:1:5 \
	@config.groups='[{"workload": "cipher", "cipher": ["aes-128-gcm"], "threads": [1], "threads_fit": true, "threads_dropped": [2, 4, 8]}]'
"$NCBENCH" plan "$OUT/busy.json" --target 10G >"$OUT/busy.txt"
expect "busy polling warned" grep -q "warning: cipher aes-128-gcm openssl: receivers busy-polled (50 us), so its CPU time includes polling" "$OUT/busy.txt"
expect "dropped thread counts said" grep -q "note: cipher aes-128-gcm openssl: --threads-fit dropped every thread count but one (2, 4, 8: more workers than this host's PUs)" "$OUT/busy.txt"
expect "a single thread count said" grep -q "scaling at 1420 B: one thread count (1): no sweep" "$OUT/busy.txt"
"$NCBENCH" plan "$OUT/busy.json" --target 10G --json >"$OUT/busy-plan.json"
expect "JSON notes carry both" J "$OUT/busy-plan.json" '
assert len(p["notes"]) == 2 and s[0]["busy_poll_us"] == 50 and s[0]["threads_dropped"] == "2, 4, 8", p["notes"]'

# The cheapest backend per cipher: ipsec-mb at half openssl's CPU per
# packet is 2.00x cheaper; null is the baseline, never recommended.
$SYN "$OUT/be.json" h1 7 aes-256-gcm:1420:1:10:0:+us=2 aes-256-gcm:64:1:1:0:+us=1 \
	aes-256-gcm:1420:1:20:0:+us=1+backend=ipsec-mb aes-256-gcm:64:1:2:0:+us=0.5+backend=ipsec-mb \
	null:1420:1:40:0:+us=0.2+backend=null
"$NCBENCH" plan "$OUT/be.json" --target 40G >"$OUT/be.txt"
expect "recommended: ipsec-mb, 2.00x cheaper" \
	grep -q "^  recommended for cipher aes-256-gcm: ipsec-mb (2.00x cheaper per Gbit/s than openssl, the next of 2)" "$OUT/be.txt"
refute "no recommendation for null" grep -q "recommended for cipher null" "$OUT/be.txt"
expect "the answer precedes the detail" python3 -c '
import sys
t = open(sys.argv[1]).read().splitlines()
assert t[0].startswith("plan: ") and t[1].startswith("answer:"), t[:2]
assert t.index("detail:") > 4 and all(" cores (" in l for l in t[2:5]), t[:6]
' "$OUT/be.txt"

# The capacity chart: every series and size, ten lines a chart, each
# line its own style; plan's fit (the super-linear one above its step).
specs=""
for be in openssl gcrypt ipsec-mb; do
	for sz in 64 576 1420 9000; do
		for t in 1 2 4; do specs="$specs aes-256-gcm:$sz:$t:$((t * 3)):0:+backend=$be"; done
	done
done
# shellcheck disable=SC2086
$SYN "$OUT/many.json" h1 8 $specs aes-256-gcm:1420:1:2:0:+workload=esp
"$NCBENCH" report "$OUT/many.json" -o "$OUT/rep" --target 40G >/dev/null 2>"$OUT/rep.err"
expect "report --target exits 0 ($(head -c 200 "$OUT/rep.err"))" [ $? -eq 0 ]
expect "capacity charts cover all 13 lines in 2 charts" python3 -c '
import re, sys
titles = []
for f in sys.argv[1:]:
    gp = open(f).read().split("set terminal pngcairo")[0]
    ls = re.findall(r"with yerrorlines ls (\d+) title \x27([^\x27]*)\x27", gp)
    assert len({n for n, _ in ls}) == len(ls) <= 10, ls
    titles += [t for _, t in ls]
assert len(titles) == len(set(titles)) == 13, titles
assert any(t.startswith("esp aes-256-gcm openssl 1420 B, one thread count") for t in titles), titles
assert any(t.startswith("cipher aes-256-gcm gcrypt 9000 B, USL fit") for t in titles), titles
' "$OUT/rep/capacity-1.gp" "$OUT/rep/capacity-1-2.gp"
expect "capacity PNGs drawn" [ -s "$OUT/rep/capacity-1.png" -a -s "$OUT/rep/capacity-1-2.png" ]
# No series at two thread counts: no capacity chart, and no failure.
"$NCBENCH" report "$OUT/be.json" -o "$OUT/rep1" --target 40G >/dev/null 2>"$OUT/rep1.err"
expect "no sweep: report --target exits 0 ($(head -c 200 "$OUT/rep1.err"))" [ $? -eq 0 ]
expect "no sweep: no capacity chart" [ ! -e "$OUT/rep1/capacity-1.gp" ]

# The null baseline beside a chosen library: accepted with any -b, run
# once, recorded with backend null.
"$NCBENCH" run --processes 1 -q -w cipher -c null,aes-256-gcm -b openssl,gcrypt -s 1420 \
	-d 0.05 -r 1 --warmup 0 -o "$OUT/null.json" 2>"$OUT/null.err"
expect "null with -b openssl,gcrypt: exit 0 ($(head -c 200 "$OUT/null.err"))" [ $? -eq 0 ]
expect "null ran once on the null backend" [ "$(field "$OUT/null.json" \
	'sorted((x["cipher"], x["backend"]) for x in d["results"])')" = \
	"[('aes-256-gcm', 'gcrypt'), ('aes-256-gcm', 'openssl'), ('null', 'null')]" ]

# A real short run: fixed sizes and the simple IMIX over ESP. plan
# prices the mix from its measured case and says so, checks the model
# against it, prints the leave-one-out errors, and answers first.
cat >"$OUT/suite.json" <<'EOF'
{"name": "plan-e2e", "defaults": {"duration": 0.2, "repeat": 3, "warmup": 0.05, "processes": 1,
  "workload": "esp", "cipher": ["null", "aes-256-gcm"], "backend": "openssl", "busy-poll": 0},
 "groups": [{"size": [64, 576, 1420]}, {"imix": "simple"}]}
EOF
"$NCBENCH" run -q --suite "$OUT/suite.json" -o "$OUT/real.json" 2>"$OUT/real.err"
expect "real run: exit 0 ($(head -c 200 "$OUT/real.err"))" [ $? -eq 0 ]
"$NCBENCH" plan "$OUT/real.json" --target 40G --imix simple >"$OUT/real.txt" 2>&1
expect "real: plan exits 0" [ $? -eq 0 ]
expect "real: answers first, from the measured mix" \
	grep -q "^  esp aes-256-gcm openssl: [0-9.]* cores ([0-9.]*\.\.[0-9.]*) from the measured simple IMIX case" <(sed -n 3,5p "$OUT/real.txt")
expect "real: the null baseline answered too" grep -q "^  esp null null: " <(sed -n 3,5p "$OUT/real.txt")
expect "real: leave-one-out errors printed" [ "$(grep -c "leave-one-out (each size predicted" "$OUT/real.txt")" -eq 2 ]
expect "real: the model checked against the measured mix" \
	grep -q "model vs the measured simple IMIX case (not fitted): [0-9]* ns/packet predicted" "$OUT/real.txt"
finish
