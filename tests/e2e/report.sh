#!/usr/bin/env bash
# compare, plan, export and report on synthetic documents with known
# answers (two-host cases and SA and flows sweeps among them), and report
# on a real quick run: every chart file is drawn.
. "$(dirname "$0")/lib.bash"
SYN="python3 $(dirname "$0")/synth_doc.py"

# compare: a 10% regression with tight samples is caught; noise alone is
# not; a 10% gain is an improvement; added and removed cases are listed.
$SYN "$OUT/base.json" h1 1 aes-128-gcm:1420:1:20 aes-256-gcm:1420:1:18 chacha20-poly1305:1420:1:12
$SYN "$OUT/noise.json" h1 2 aes-128-gcm:1420:1:20 aes-256-gcm:1420:1:18 chacha20-poly1305:1420:1:12
$SYN "$OUT/worse.json" h1 3 aes-128-gcm:1420:1:18 aes-256-gcm:1420:1:19.8 sm4-gcm:1420:1:4
"$NCBENCH" compare "$OUT/base.json" "$OUT/noise.json" >"$OUT/c1.txt" 2>"$OUT/c1.err"
expect "noise alone: exit 0" [ $? -eq 0 ]
expect "noise alone: no regression called" grep -q "0 regressions" "$OUT/c1.txt"
"$NCBENCH" compare "$OUT/base.json" "$OUT/worse.json" --junit "$OUT/j.xml" \
	--markdown "$OUT/m.md" >"$OUT/c2.txt" 2>"$OUT/c2.err"
expect "10% regression: exit 1" [ $? -eq 1 ]
expect "regression labelled" grep -qE "aes-128-gcm .* -10\.[0-9]%.*REGRESSION" "$OUT/c2.txt"
expect "improvement labelled" grep -qE "aes-256-gcm .*improvement" "$OUT/c2.txt"
expect "removed case listed" grep -qE "chacha20-poly1305 .*removed" "$OUT/c2.txt"
expect "added case listed" grep -qE "sm4-gcm .*added" "$OUT/c2.txt"
expect "junit is XML with one failure" python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert s.get("failures") == "1" and len(s.findall("testcase")) == 4
' "$OUT/j.xml"
expect "markdown table written" grep -q "| \*\*REGRESSION\*\* |" "$OUT/m.md"
"$NCBENCH" compare "$OUT/base.json" "$OUT/worse.json" --threshold 15 >/dev/null 2>&1
expect "threshold above the change: exit 0" [ $? -eq 0 ]

# Different hosts: a warning, or exit 2 with --strict-host.
$SYN "$OUT/other.json" h2 4 aes-128-gcm:1420:1:20
"$NCBENCH" compare "$OUT/base.json" "$OUT/other.json" >/dev/null 2>"$OUT/h.err"
expect "other host: still compared" [ $? -eq 0 ]
expect "other host: warned" grep -q "different hosts" "$OUT/h.err"
"$NCBENCH" compare --strict-host "$OUT/base.json" "$OUT/other.json" >/dev/null 2>"$OUT/h2.err"
expect "--strict-host: exit 2" [ $? -eq 2 ]

# Malformed input: exit 2 and one line naming the file.
printf '{"schema": "ncbench.result/1", "results": [' >"$OUT/trunc.json"
sed 's/ncbench.result\/1/ncbench.result\/9/' "$OUT/base.json" >"$OUT/schema.json"
printf '{"schema": "x"}' >"$OUT/notdoc.json"
for f in trunc schema notdoc missing; do
	"$NCBENCH" compare "$OUT/base.json" "$OUT/$f.json" >/dev/null 2>"$OUT/m.err"
	rc=$?
	expect "$f: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$f: one line naming the file" [ "$(wc -l <"$OUT/m.err")" -eq 1 ]
	expect "$f: names the file" grep -q "$f.json" "$OUT/m.err"
done
"$NCBENCH" compare "$OUT/base.json" >/dev/null 2>&1
expect "one document: exit 2" [ $? -eq 2 ]
"$NCBENCH" compare --alpha 2 "$OUT/base.json" "$OUT/noise.json" >/dev/null 2>&1
expect "bad --alpha: exit 2" [ $? -eq 2 ]

# plan: a thread sweep drawn from a known USL curve (lambda 10 Gbit/s,
# sigma 0.05, kappa 0.002) gives back its parameters and the right count:
# 40 Gbit/s with 30% headroom needs X(N) >= 57.14: X(8) = 54.7, X(9) = 58.3.
specs=""
for n in 1 2 4 6 8 12 16; do
	x=$(python3 -c "n=$n; print(10*n/(1+0.05*(n-1)+0.002*n*(n-1)))")
	specs="$specs aes-128-gcm:1420:$n:$x:0"
done
# shellcheck disable=SC2086
$SYN "$OUT/usl.json" h1 5 $specs
"$NCBENCH" plan "$OUT/usl.json" --target 40G --json >"$OUT/plan.json" 2>"$OUT/plan.err"
expect "plan exits 0" [ $? -eq 0 ]
expect "plan recovers the USL and the thread count" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["series"][0]["scaling"][0]
assert s["model"] == "usl", s
assert abs(s["lambda"] / 10e9 - 1) < 1e-3, s
assert abs(s["sigma"] - 0.05) < 1e-3 and abs(s["kappa"] - 0.002) < 1e-4, s
assert s["threads_needed"] == 9 and s["reachable"], s
' "$OUT/plan.json"
"$NCBENCH" plan "$OUT/usl.json" --target 200G >"$OUT/plan2.txt"
expect "beyond the fitted peak: not reachable" grep -q "not reachable on this host shape" "$OUT/plan2.txt"
"$NCBENCH" plan "$OUT/usl.json" --target 40Q >/dev/null 2>"$OUT/p.err"
expect "bad rate: exit 2" [ $? -eq 2 ]
expect "bad rate named" grep -q -- "--target" "$OUT/p.err"

# export: CSV with a header and a row per case; BMF as JSON.
"$NCBENCH" export "$OUT/base.json" --format csv -o "$OUT/b.csv"
expect "csv: header and three rows" [ "$(wc -l <"$OUT/b.csv")" -eq 4 ]
# A flow case's SAs, sockets and system calls in their columns.
python3 "$(dirname "$0")/synth_doc.py" "$OUT/sa.json" h1 5 \
	aes-256-gcm:1420:1:4+workload=esp+sas=4096+dist=zipf:1.100+bpsa=3136+create=117959+flows=16+sys=0.031,0.45
"$NCBENCH" export "$OUT/sa.json" --format csv -o "$OUT/sa.csv"
expect "csv: SA, flow and system-call columns" python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[0]
assert (r["sas"], r["sa_dist"], r["bytes_per_sa"], r["flows"]) == ("4096", "zipf:1.100", "3136", "16"), r
assert float(r["sa_create_per_s"]) == 117959 and float(r["syscalls_per_packet_tx"]) == 0.031, r
assert float(r["syscalls_per_packet_rx"]) == 0.45, r
' "$OUT/sa.csv"
expect "csv: empty cells where a case has none, as many as the header" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert all(len(x) == len(rows[0]) for x in rows), [len(x) for x in rows]
r = list(csv.DictReader(open(sys.argv[1])))[0]
assert r["sas"] == r["flows"] == r["syscalls_per_packet_tx"] == "", r
' "$OUT/b.csv"
"$NCBENCH" export "$OUT/base.json" --format bmf >"$OUT/b.bmf"
expect "bmf: throughput with bounds per case" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 3
for v in d.values():
    t = v["throughput"]
    assert t["lower_value"] <= t["value"] <= t["upper_value"]
' "$OUT/b.bmf"
"$NCBENCH" export "$OUT/base.json" --format xml >/dev/null 2>&1
expect "unknown format: exit 2" [ $? -eq 2 ]

# report on a real quick run (two sizes, two thread counts when there are
# two PUs) and a synthetic file: every chart, report.html and report.md.
threads=1
[ "$(nproc)" -ge 2 ] && threads=1,2
"$NCBENCH" run --processes 1 -q -c aes-128-gcm -b openssl -s 64,1420 -t "$threads" -d 0.1 \
	-r 3 --warmup 0 -o "$OUT/real.json"
"$NCBENCH" run --processes 1 -q -c aes-128-gcm -b openssl -s 64,1420 -t "$threads" -d 0.1 \
	-r 3 --warmup 0 -o "$OUT/real2.json"
"$NCBENCH" report "$OUT/real.json" "$OUT/real2.json" -o "$OUT/rep" \
	--target 40G >"$OUT/r.txt" 2>"$OUT/r.err"
expect "report exits 0 ($(head -c 200 "$OUT/r.err"))" [ $? -eq 0 ]
charts="rate-1-cipher rate-2-cipher cpb-1-cipher cpb-2-cipher compare-cipher"
[ "$threads" != 1 ] && charts="$charts threads-1 threads-2 capacity-1 capacity-2"
for c in $charts; do
	for ext in svg png dat gp; do
		expect "chart $c.$ext written" [ -s "$OUT/rep/$c.$ext" ]
	done
	expect "$c.png is a PNG" [ "$(head -c 4 "$OUT/rep/$c.png" | tail -c 3)" = PNG ]
	expect "$c in report.html" grep -q "src=\"$c.svg\"" "$OUT/rep/report.html"
	expect "$c in report.md" grep -q "($c.png)" "$OUT/rep/report.md"
done
expect "report.html has host and library tables" \
	grep -q "<th>library</th><th>#1</th><th>#2</th>" "$OUT/rep/report.html"
expect "the library table names what the run linked" \
	grep -q "<tr><td>openssl</td><td>[0-9]" "$OUT/rep/report.html"
# A library this ncbench does not know is listed all the same.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["libraries"]["wolfssl"] = "5.6.4"
json.dump(d, open(sys.argv[2], "w"))' "$OUT/real.json" "$OUT/extra.json"
"$NCBENCH" report "$OUT/extra.json" "$OUT/real.json" -o "$OUT/rep-lib" >/dev/null 2>"$OUT/lib.err"
expect "report of a document with an extra library exits 0" [ $? -eq 0 ]
expect "the extra library in report.html" \
	grep -q "<tr><td>wolfssl</td><td>5.6.4</td><td>-</td></tr>" "$OUT/rep-lib/report.html"
expect "the extra library in report.md" grep -q "^| wolfssl | 5.6.4 | - |$" "$OUT/rep-lib/report.md"
expect "re-plot from the saved script" bash -c "cd '$OUT/rep' && gnuplot rate-1-cipher.gp"
# Latency percentiles, when request/response results are there.
$SYN "$OUT/rr.json" h1 6 null:64:1:0.1:0.01:rr aes-256-gcm:64:1:0.09:0.01:rr
"$NCBENCH" report "$OUT/rr.json" -o "$OUT/rep-rr" >/dev/null 2>"$OUT/rr.err"
expect "rr report exits 0" [ $? -eq 0 ]
expect "latency chart drawn" [ -s "$OUT/rep-rr/latency-1.svg" -a -s "$OUT/rep-rr/latency-1.png" ]
expect "latency table by percentile in microseconds, no interval (none was computed)" \
	grep -q "<tr><th>series</th><th>percentile</th><th>&micro;s</th></tr>" "$OUT/rep-rr/report.html"
expect "latency spectrum: a 1/(1-p) axis, tics 50 to 99.99" \
	grep -qF "set xtics ('50' 2, '90' 10, '99' 100, '99.9' 1000, '99.99' 10000)" "$OUT/rep-rr/latency-1.gp"
expect "latency spectrum: the maximum at 1 - 1/count" \
	grep -qF "<td>99.995</td><td>187.680</td></tr>" "$OUT/rep-rr/report.html"
# Two hosts: one document with forward two-host, one-host and reverse
# two-host cases of one cipher. Charts keep them apart and label the
# two-host ones; the tables give both ends' CPU and name the peer host;
# export and plan carry the peer.
$SYN "$OUT/mix.json" h1 7 --peer=10.0.0.2:7478 --peer-cpb=2.5 aes-128-gcm:64:1:5 \
	aes-128-gcm:1420:1:20 aes-128-gcm:64:1:6 aes-128-gcm:1420:1:22 aes-128-gcm:64:2:9 \
	@results.2.peer @results.2.summary.peer '@results.2.samples.*.peer' \
	@results.3.peer @results.3.summary.peer '@results.3.samples.*.peer' \
	@results.4.peer.mode='"reverse"'
"$NCBENCH" report "$OUT/mix.json" "$OUT/mix.json" -o "$OUT/rep-peer" >/dev/null 2>"$OUT/peer.err"
expect "two hosts: report exits 0 ($(head -c 200 "$OUT/peer.err"))" [ $? -eq 0 ]
gp=$OUT/rep-peer/rate-1-cipher.gp
expect "two hosts: the forward series labelled with its peer" \
	grep -qF "title 'openssl → 10.0.0.2:7478 forward'" "$gp"
expect "two hosts: the one-host series apart, unlabelled" grep -qF "title 'openssl'," "$gp"
expect "two hosts: the reverse series apart" grep -qF "title 'openssl → 10.0.0.2:7478 reverse'" "$gp"
expect "two hosts: three series, not one" [ "$(grep -c "^plot\|^     'rate" "$gp")" -eq 6 ]
expect "two hosts: compare chart bars labelled with the peer" \
	grep -qE '1420.{1,2}B → 10\.0\.0\.2:7478 forward"' "$OUT/rep-peer/compare-cipher.dat"
html=$OUT/rep-peer/report.html md=$OUT/rep-peer/report.md
expect "two hosts: HTML column group for the peer" grep -qF '<th colspan="2">this host (h1)</th><th colspan="2">peer</th>' "$html"
expect "two hosts: HTML row with both ends' cycles/B" \
	grep -qE "peer=10\.0\.0\.2:7478/forward</td>(<td>[^<]*</td>){3}<td>1\.000</td><td>[0-9.]+</td><td>~2\.500</td>" "$html"
expect "two hosts: a one-host row has no peer figures" grep -qE "threads=1</td>.*<td>-</td><td>-</td></tr>" "$html"
expect "two hosts: Markdown peer columns" grep -qF "| peer cycles/B | peer CPU us/packet |" "$md"
expect "two hosts: Markdown names the peer host and CPU" \
	grep -qF "| 1 | 10.0.0.2:7478 | forward | peer-h1 | Synthetic CPU peer-h1 | 32 | 6.1 | 2 |" "$md"
expect "two hosts: HTML names the peer host" grep -qF "<td>reverse</td><td>peer-h1</td><td>Synthetic CPU peer-h1</td>" "$html"
"$NCBENCH" export "$OUT/mix.json" --format csv -o "$OUT/mix.csv"
expect "two hosts: CSV carries peer, mode and the peer's cycles/B" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["peer"] for r in rows] == ["10.0.0.2:7478"] * 2 + [""] * 2 + ["10.0.0.2:7478"], rows
assert [r["peer_mode"] for r in rows] == ["forward"] * 2 + [""] * 2 + ["reverse"], rows
assert rows[0]["peer_cycles_per_byte"] == "2.5000" and rows[0]["peer_host"] == "peer-h1", rows[0]
' "$OUT/mix.csv"
"$NCBENCH" export "$OUT/mix.json" --format bmf >"$OUT/mix.bmf"
expect "two hosts: BMF keys name the peer, with its cycles/B" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = "cipher aes-128-gcm openssl seal size=64 threads=1 peer=10.0.0.2:7478/forward"
assert d[k]["peer-cycles-per-byte"]["value"] == 2.5, d[k]
assert "peer-cycles-per-byte" not in d["cipher aes-128-gcm openssl seal size=64 threads=1"]
' "$OUT/mix.bmf"
"$NCBENCH" plan "$OUT/mix.json" --target 40G --json >"$OUT/mix-plan.json" 2>"$OUT/mix-plan.err"
expect "two hosts: plan exits 0" [ $? -eq 0 ]
expect "two hosts: plan warns once about the mix" [ "$(grep -c "mixes one-host and two-host cases (3 of 5)" "$OUT/mix-plan.err")" -eq 1 ]
expect "two hosts: plan keeps the series apart and names the peer" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["series"]
assert len(s) == 3, [x["series"] for x in s]
assert s[0]["peer"]["address"] == "10.0.0.2:7478" and s[0]["peer"]["mode"] == "forward", s[0]
assert "peer" not in s[1] and s[1]["cost_model"]["threads"] == 1, s[1]
' "$OUT/mix-plan.json"
"$NCBENCH" plan "$OUT/mix.json" --target 40G 2>/dev/null >"$OUT/mix-plan.txt"
expect "two hosts: plan says whose CPU it prices" grep -q "two hosts (peer peer-h1 at 10.0.0.2:7478, forward): the costs and cores below are this host's end only" "$OUT/mix-plan.txt"
# Many SAs and flows (the shape of results/suites/sa-scale.json): cost
# per packet against the SA count, a line per backend; packet rate
# against flows, a line per engine, with system calls per packet beside
# it; the SA memory and set-up table. Known figures: openssl 1000 ns at
# 1 SA to 1900 at 65536, ipsec-mb 600 to 1200.
specs="" i=0
for n in 1 16 256 4096 65536; do
	i=$((i + 1))
	us_o=$(echo 1.0 1.02 1.05 1.3 1.9 | cut -d' ' -f$i)
	us_m=$(echo 0.6 0.61 0.63 0.8 1.2 | cut -d' ' -f$i)
	specs="$specs aes-256-gcm:1420:1:10+workload=esp+backend=openssl+sas=$n+flows=1+us=$us_o+bpsa=1184+create=250000"
	specs="$specs aes-256-gcm:1420:1:10+workload=esp+backend=ipsec-mb+sas=$n+flows=1+us=$us_m+bpsa=2112+create=410000"
done
for fl in 1 16 256; do
	specs="$specs null:64:1:$((5 - fl / 128))+workload=esp+backend=null+io=uring+sas=256+flows=$fl+sys=0.031,0.042"
	specs="$specs null:64:1:$((4 - fl / 128))+workload=esp+backend=null+io=epoll+sas=256+flows=$fl+sys=0.5,0.9"
done
# shellcheck disable=SC2086
$SYN "$OUT/sa.json" h1 8 $specs
"$NCBENCH" report "$OUT/sa.json" -o "$OUT/rep-sa" >"$OUT/sa.out" 2>"$OUT/sa.err"
expect "SAs and flows: report exits 0 ($(head -c 200 "$OUT/sa.err"))" [ $? -eq 0 ]
html=$OUT/rep-sa/report.html md=$OUT/rep-sa/report.md
for c in sas-1 flows-1; do
	for ext in svg png dat gp; do
		expect "chart $c.$ext written" [ -s "$OUT/rep-sa/$c.$ext" ]
	done
	expect "$c in report.html" grep -q "src=\"$c.svg\"" "$html"
	expect "$c in report.md" grep -q "($c.png)" "$md"
	# The first two line colours of chart.c, each drawn in the PNG.
	expect "$c.png has both lines drawn" [ "$(python3 "$(dirname "$0")/png_colors.py" \
		"$OUT/rep-sa/$c.png" 1f77b4 ff7f0e | awk '{print ($1 > 100 && $2 > 100)}')" = 1 ]
done
gp=$OUT/rep-sa/sas-1.gp
expect "SAs: log x with a tic per SA count" \
	grep -qx "set xtics (1, 16, 256, 4096, 65536)" "$gp"
expect "SAs: log x" grep -q "^set logscale x" "$gp"
expect "SAs: a line per backend" [ "$(grep -c "title 'esp aes-256-gcm \(openssl\|ipsec-mb\) 1420 B'" "$gp")" -eq 4 ]
expect "SAs: ten points" [ "$(grep -c '^[0-9]' "$OUT/rep-sa/sas-1.dat")" -eq 10 ]
expect "SAs: table of ns per packet and the ratio to 1 SA" \
	grep -qF "<tr><td>esp aes-256-gcm openssl 1420 B</td><td>4096</td><td>1300.000</td><td>1.300</td></tr>" "$html"
expect "SAs: Markdown table" grep -qF "| esp aes-256-gcm ipsec-mb 1420 B | 65536 | 1200.000 | 2.000 |" "$md"
gp=$OUT/rep-sa/flows-1.gp
expect "flows: a line per engine" \
	[ "$(grep -c "title '\(uring\|epoll\): esp null 64 B, 256 SAs'" "$gp")" -eq 4 ]
expect "flows: tics at 1, 16, 256" grep -qx "set xtics (1, 16, 256)" "$gp"
expect "flows: rate with system calls per packet beside it (HTML)" \
	grep -qE "<tr><td>epoll: esp null 64 B, 256 SAs</td><td>256</td><td>[0-9.]+</td><td>[0-9.]+ \.\. [0-9.]+</td><td>0\.500</td><td>0\.900</td></tr>" "$html"
expect "flows: the same in Markdown" \
	grep -qE "^\| uring: esp null 64 B, 256 SAs \| 16 \| [0-9.]+ \| [0-9. ]+ \| 0\.031 \| 0\.042 \|$" "$md"
expect "flows: column names" grep -qF "<th>syscalls/packet tx</th><th>syscalls/packet rx</th>" "$html"
expect "SA table: bytes per SA and set-up rate per backend (HTML)" \
	grep -qF "<tr><td>esp</td><td>aes-256-gcm</td><td>openssl</td><td>65536</td><td>1184</td><td>250000</td><td>1</td></tr>" "$html"
expect "SA table: Markdown" grep -qF "| esp | aes-256-gcm | ipsec-mb | 65536 | 2112 | 410000 | 1 |" "$md"
expect "no SA chart without a sweep" [ ! -e "$OUT/rep/sas-1.svg" ]
expect "no flows chart without a sweep" [ ! -e "$OUT/rep/flows-1.svg" ]
refute "no SA table without SAs" grep -q "SA memory" "$OUT/rep/report.md"
# Every chart kind from short real runs (cipher above; esp, macsec and
# rr here): each chart's four files, its PNG drawn in the first series'
# colour, every chart in report.html and report.md and nothing else.
PNGC="python3 $(dirname "$0")/png_colors.py"
# Checks the charts of folder $1: every SVG referenced, every reference
# drawn, each PNG holding pixels of the first series' colour: at least
# $2 of a bar chart's, 20 of a line's (thin and anti-aliased).
charts_drawn() {
	local dir=$1 least=$2 c n want
	for c in $(cd "$dir" && ls ./*.svg | sed 's|^\./||; s|\.svg$||'); do
		for ext in png dat gp; do
			expect "$c.$ext written" [ -s "$dir/$c.$ext" ]
		done
		expect "$c in report.md" grep -q "($c.png)" "$dir/report.md"
		n=$($PNGC "$dir/$c.png" 1f77b4)
		want=20
		grep -q "^set style data histogram" "$dir/$c.gp" && want=$least
		expect "$c.png is drawn ($n pixels of the first colour)" [ "${n:-0}" -ge "$want" ]
	done
	expect "report.html shows every chart drawn and no other" [ \
		"$(grep -o 'src="[^"]*\.svg"' "$dir/report.html" | sed 's/src="//; s/\.svg"//' | sort)" = \
		"$(cd "$dir" && ls ./*.svg | sed 's|^\./||; s|\.svg$||' | sort)" ]
}
for wl in esp macsec rr; do
	"$NCBENCH" run --processes 1 -q -w $wl -c null,aes-256-gcm -b all -s 1420 -d 0.2 \
		-r 1 --warmup 0 -o "$OUT/net-$wl.json" 2>"$OUT/net-$wl.err"
	expect "real $wl run ($(head -c 200 "$OUT/net-$wl.err"))" [ -s "$OUT/net-$wl.json" ]
done
"$NCBENCH" report "$OUT/real.json" "$OUT/net-esp.json" "$OUT/net-macsec.json" \
	"$OUT/net-rr.json" -o "$OUT/rep-net" >/dev/null 2>"$OUT/net.err"
expect "report of real network runs exits 0 ($(head -c 200 "$OUT/net.err"))" [ $? -eq 0 ]
for c in rate-1-cipher cpb-1-cipher rate-2-esp cycles-2 rate-3-macsec cycles-3 rate-4-rr \
	cycles-4 latency-4 framing-1; do
	expect "real runs: chart $c drawn" [ -s "$OUT/rep-net/$c.svg" ]
done
charts_drawn "$OUT/rep-net" 500
expect "real runs: CPU per Gbit/s sets esp beside macsec" \
	grep -qF "title 'macsec'" "$OUT/rep-net/framing-1.gp"
refute "real runs: no 'null null' chart label" grep -q "null null" "$OUT/rep-net/"*.dat "$OUT/rep-net/"*.gp

# The same chart kinds from synthetic documents with known answers.
specs="aes-256-gcm:64:1:2:0 aes-256-gcm:1420:1:10:0 chacha20-poly1305:64:1:1:0"
specs="$specs chacha20-poly1305:1420:1:4:0"
for b in gcrypt ipsec-mb; do
	specs="$specs aes-256-gcm:64:1:1:0+backend=$b aes-256-gcm:1420:1:5:0+backend=$b"
done
# esp over three backends and the baseline, a mix, and macsec and TLS
# records beside esp at 1420 B (CPU per Gbit/s: 1/4, 1/5, 1/2).
specs="$specs null:1420:1:20:0+workload=esp+backend=null+framing=esp-tunnel+phases=1000,1000+gpc=10"
specs="$specs aes-256-gcm:1420:1:8:0+workload=esp+framing=esp-tunnel+phases=3000,1000+gpc=4"
specs="$specs aes-256-gcm:1420:1:9:0+workload=esp+backend=gcrypt+framing=esp-tunnel+phases=2500,1000+gpc=4.5"
specs="$specs aes-256-gcm:354:1:2:0+workload=esp+framing=esp-tunnel+imix=simple+phases=3000,3000+gpc=1"
specs="$specs aes-256-gcm:1420:1:7:0+workload=macsec+framing=macsec+phases=3000,1500+gpc=5"
specs="$specs aes-256-gcm:1420:1:5:0+workload=stream+framing=tls13-records+phases=4000,500+gpc=2"
specs="$specs null:64:1:0.1:0.01:rr aes-256-gcm:64:1:0.09:0.01:rr"
# shellcheck disable=SC2086
$SYN "$OUT/kinds.json" h1 9 $specs
"$NCBENCH" report "$OUT/kinds.json" -o "$OUT/rep-kinds" >/dev/null 2>"$OUT/kinds.err"
expect "synthetic kinds: report exits 0 ($(head -c 200 "$OUT/kinds.err"))" [ $? -eq 0 ]
for c in rate-1-cipher cpb-1-cipher rate-1-esp cycles-1 latency-1 framing-1; do
	expect "synthetic: chart $c drawn" [ -s "$OUT/rep-kinds/$c.svg" ]
done
charts_drawn "$OUT/rep-kinds" 500
d=$OUT/rep-kinds
expect "bars: a group per cipher and size, a bar per backend (openssl 10, gcrypt 5, ipsec-mb 5)" \
	grep -qE '^"aes-256-gcm\\n1420.{1,2}B" 10 [0-9.]+ [0-9.]+ 5 [0-9.]+ [0-9.]+ 5 ' "$d/rate-1-cipher.dat"
expect "bars: a cipher one backend lacks has no bar there" \
	grep -qE '^"chacha20-poly1305\\n64.{1,2}B" 1 [0-9.]+ [0-9.]+ NaN NaN NaN NaN NaN NaN$' "$d/rate-1-cipher.dat"
expect "bars: a backend per series" [ "$(grep -c "title '\(openssl\|gcrypt\|ipsec-mb\)'" "$d/rate-1-cipher.gp")" -eq 6 ]
expect "cycles per byte: plain bars, no interval" grep -q "set style histogram clustered" "$d/cpb-1-cipher.gp"
expect "IMIX shows its mix name" grep -q 'IMIX.\{1,2\}simple' "$d/rate-1-esp.dat"
refute "IMIX never shows its mean size" grep -rq "354.\{1,2\}B" "$d"
refute "no 'null null' chart label" grep -q "null null" "$d/"*.dat "$d/"*.gp
expect "baseline: 'no crypto'" grep -q 'no crypto' "$d/rate-1-esp.dat"
expect "phases: stacked crypto and rest per packet (3000 + 1000)" \
	grep -qE '^"[^"]*openssl[^"]*" 3000 1000$' "$d/cycles-1.dat"
expect "phases: stacked" grep -q "set style histogram rowstacked" "$d/cycles-1.gp"
expect "phases: every network case with phases (six)" [ "$(grep -c . "$d/cycles-1.dat")" -eq 6 ]
expect "CPU per Gbit/s: esp 0.25, macsec 0.2, TLS records 0.5 side by side" \
	grep -qE '^"aes-256-gcm\\nopenssl\\n1420.{1,2}B" 0.25 0.2 0.5$' "$d/framing-1.dat"
expect "CPU per Gbit/s: a bar per framing" \
	[ "$(grep -c "title '\(esp tunnel\|macsec\|stream tls13-records\)'" "$d/framing-1.gp")" -eq 6 ]
# Many sizes: lines against size (log x), for throughput and cycles/B.
specs=""
for z in 64 256 1420 9000; do
	specs="$specs aes-256-gcm:$z:1:$((z / 100 + 1)):0 aes-256-gcm:$z:1:$((z / 50 + 1)):0+backend=gcrypt"
done
# shellcheck disable=SC2086
$SYN "$OUT/sizes.json" h1 10 $specs
"$NCBENCH" report "$OUT/sizes.json" -o "$OUT/rep-sizes" >/dev/null 2>"$OUT/sizes.err"
expect "many sizes: report exits 0 ($(head -c 200 "$OUT/sizes.err"))" [ $? -eq 0 ]
expect "many sizes: lines against size" grep -q "^set logscale x 2" "$OUT/rep-sizes/size-1-cipher.gp"
expect "many sizes: a tic per size" grep -qx "set xtics (64, 256, 1420, 9000)" "$OUT/rep-sizes/size-1-cipher.gp"
expect "many sizes: cycles per byte as lines" [ -s "$OUT/rep-sizes/cpb-size-1-cipher.svg" ]
expect "many sizes: no bars" [ ! -e "$OUT/rep-sizes/rate-1-cipher.svg" ]
charts_drawn "$OUT/rep-sizes" 500
# Several documents: files named by what differs (here busy-poll), the
# cases found although their options differ, the change above the bars.
$SYN "$OUT/bp50.json" h1 11 --options='{"busy-poll": 50}' \
	aes-256-gcm:1420:1:10:0+workload=esp null:1420:1:20:0+workload=esp+backend=null \
	'@config={"busy-poll": 50, "duration": 0.3}'
$SYN "$OUT/bp0.json" h1 12 --options='{"busy-poll": 0}' \
	aes-256-gcm:1420:1:8:0+workload=esp null:1420:1:25:0+workload=esp+backend=null \
	'@config={"busy-poll": 0, "duration": 0.3}'
"$NCBENCH" report "$OUT/bp50.json" "$OUT/bp0.json" -o "$OUT/rep-files" >/dev/null 2>"$OUT/files.err"
expect "files: report exits 0 ($(head -c 200 "$OUT/files.err"))" [ $? -eq 0 ]
gp=$OUT/rep-files/compare-esp.gp
expect "files: named by the option that differs" grep -qF "title 'busy-poll=0'" "$gp"
refute "files: not by timestamp" grep -q "2026-11-22" "$gp"
expect "files: the change from file 1 above the bars" grep -q "pct(column" "$gp"
expect "files: change in the table (-20%)" grep -qF "<td>-20.000</td>" "$OUT/rep-files/report.html"
charts_drawn "$OUT/rep-files" 500
# Different hosts: named by host.
$SYN "$OUT/hA.json" alpha 13 aes-256-gcm:1420:1:10:0 aes-256-gcm:64:1:2:0
$SYN "$OUT/hB.json" beta 14 aes-256-gcm:1420:1:12:0 aes-256-gcm:64:1:2:0
"$NCBENCH" report "$OUT/hA.json" "$OUT/hB.json" -o "$OUT/rep-hosts" >/dev/null 2>&1
expect "files: named by host and CPU" grep -qF "title 'beta, Synthetic CPU beta'" "$OUT/rep-hosts/compare-cipher.gp"
expect "files: no chart without data" [ ! -e "$OUT/rep-hosts/framing-1.svg" ]
"$NCBENCH" report "$OUT/real.json" >/dev/null 2>&1
expect "report without -o: exit 2" [ $? -eq 2 ]
"$NCBENCH" report "$OUT/trunc.json" -o "$OUT/rep2" >/dev/null 2>&1
expect "report of a malformed file: exit 2" [ $? -eq 2 ]
finish
