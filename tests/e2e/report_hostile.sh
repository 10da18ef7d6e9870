#!/usr/bin/env bash
# report, compare, plan and export on hostile documents: nothing in a
# document runs as a command, markup or formula; documents outside the
# schema are refused (exit 2, one line naming the file and field); large
# documents load in time; outputs are whole or absent.
. "$(dirname "$0")/lib.bash"
SYN="python3 $(dirname "$0")/synth_doc.py"
NCB=$(cd "$(dirname "$NCBENCH")" && pwd)/$(basename "$NCBENCH")
SWEEP="aes-128-gcm:64:1:10 aes-128-gcm:1420:1:20"

# refused WHAT FIELD CMD...: exit 2, one line on stderr naming the file
# and FIELD, nothing on stdout.
refused() {
	local what=$1 field=$2 rc
	shift 2
	"$@" </dev/null >"$OUT/r.out" 2>"$OUT/r.err"
	rc=$?
	expect "$what: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$what: one line on stderr ($(head -c 300 "$OUT/r.err"))" [ "$(wc -l <"$OUT/r.err")" -eq 1 ]
	expect "$what: names $field" grep -qF -- "$field" "$OUT/r.err"
	expect "$what: nothing on stdout" [ ! -s "$OUT/r.out" ]
}

# A backend with newlines once became gnuplot commands: report ran
# `system 'id > PWNED'`. Now the document is refused, and nothing runs.
mkdir -p "$OUT/cwd"
$SYN "$OUT/evil.json" h1 1 $SWEEP '@results.*.backend="openssl\nsystem '"'"'id > PWNED'"'"'\n#"'
(cd "$OUT/cwd" && "$NCB" report ../evil.json -o out >"$OUT/evil.out" 2>"$OUT/evil.err")
rc=$?
expect "newline in a backend: report exits 2 (got $rc)" [ $rc -eq 2 ]
expect "newline in a backend: no command ran" [ ! -e "$OUT/cwd/PWNED" -a ! -e "$OUT/cwd/out/PWNED" ]
expect "newline in a backend: the field is named" grep -q "evil.json: results\[0\].backend: a string holds a control character" "$OUT/evil.err"
expect "newline in a backend: one line" [ "$(wc -l <"$OUT/evil.err")" -eq 1 ]

# A quote in a workload once closed `set output '<stem>.svg'` and called
# system(). No control byte here: the stem is made safe and the strings
# are quoted, so the report is drawn and nothing runs.
$SYN "$OUT/quote.json" h1 2 $SWEEP '@results.*.workload="w'"'"'.system('"'"'touch PWNED2'"'"').'"'"'"'
(cd "$OUT/cwd" && "$NCB" report ../quote.json -o qout >"$OUT/q.out" 2>"$OUT/q.err")
rc=$?
expect "quote in a workload: report exits 0 (got $rc: $(head -c 200 "$OUT/q.err"))" [ $rc -eq 0 ]
expect "quote in a workload: no command ran" [ ! -e "$OUT/cwd/PWNED2" -a ! -e "$OUT/cwd/qout/PWNED2" ]
expect "quote in a workload: chart under a safe stem" [ -s "$OUT/cwd/qout/rate-1-w_.system__touch_PWNED2__._.svg" ]
expect "quote in a workload: only safe file names" [ -z "$(ls "$OUT/cwd/qout" | grep -v '^[A-Za-z0-9._-]*$')" ]

# A workload that closes an HTML attribute: escaped everywhere.
$SYN "$OUT/xss.json" h1 3 $SWEEP '@results.*.workload="cipher\" onerror=\"alert(1)"' \
	'@host.hostname="<script>alert(2)</script>"'
"$NCBENCH" report "$OUT/xss.json" -o "$OUT/xss" >/dev/null 2>"$OUT/x.err"
rc=$?
expect "XSS workload: report exits 0 (got $rc: $(head -c 200 "$OUT/x.err"))" [ $rc -eq 0 ]
refute "XSS workload: no attribute injected in report.html" grep -qF '" onerror="' "$OUT/xss/report.html"
refute "XSS workload: no onerror= outside an escaped value" grep -qE 'onerror="|onerror=&quot;alert\(1\)"' "$OUT/xss/report.html"
refute "XSS hostname: no script tag in report.html" grep -qF '<script>' "$OUT/xss/report.html"
expect "XSS workload: shown escaped" grep -qF 'cipher&quot; onerror=&quot;alert(1)' "$OUT/xss/report.html"
refute "XSS hostname: no raw HTML in report.md" grep -qF '<script>' "$OUT/xss/report.md"

# Documents outside the schema: each refused by every command, exit 2.
$SYN "$OUT/ok.json" h1 4 $SWEEP
while read -r name field patch; do
	$SYN "$OUT/$name.json" h1 5 $SWEEP "$patch"
	refused "$name: export" "$name.json: $field" "$NCBENCH" export "$OUT/$name.json" --format csv
	refused "$name: plan" "$name.json: $field" "$NCBENCH" plan "$OUT/$name.json" --target 40G
	refused "$name: compare" "$name.json: $field" "$NCBENCH" compare "$OUT/ok.json" "$OUT/$name.json"
	refused "$name: report" "$name.json: $field" "$NCBENCH" report "$OUT/$name.json" -o "$OUT/rep-$name"
	expect "$name: report wrote nothing" [ ! -e "$OUT/rep-$name" ]
done <<'CASES'
negsize results[1].size @results.1.size=-64
zerosize results[0].size @results.0.size=0
zerothreads results[0].threads @results.0.threads=0
completestr complete @complete="yes"
nocomplete complete @complete
schema2 schema @schema="other.result/2"
negpus host.pus @host.pus=-4
hugegbps results[0].summary.gbps.median @results.0.summary.gbps.median=1e300
textgbps results[0].samples[0].gbps @results.0.samples.0.gbps="NaN"
noseconds results[0].samples[0].seconds @results.0.samples.0.seconds=0
zeroworkers results[0].workers @results.0.workers=0
escape results[0].cipher @results.0.cipher="aes\u001b[2J"
CASES

# Two-host documents outside the schema: each refused by every command.
while read -r name field patch; do
	$SYN "$OUT/$name.json" h1 5 --peer=10.0.0.2:7478 $SWEEP "$patch"
	refused "$name: export" "$name.json: $field" "$NCBENCH" export "$OUT/$name.json" --format csv
	refused "$name: plan" "$name.json: $field" "$NCBENCH" plan "$OUT/$name.json" --target 40G
	refused "$name: compare" "$name.json: $field" "$NCBENCH" compare "$OUT/ok.json" "$OUT/$name.json"
	refused "$name: report" "$name.json: $field" "$NCBENCH" report "$OUT/$name.json" -o "$OUT/rep-$name"
	expect "$name: report wrote nothing" [ ! -e "$OUT/rep-$name" ]
done <<'CASES'
peer_noport results[1].peer.address @results.1.peer.address="10.0.0.2"
peer_quote results[0].peer.address @results.0.peer.address="10.0.0.2:7478'"
peer_newline results[0].peer.address @results.0.peer.address="10.0.0.2:7478\nsystem 'id > PWNED'"
peer_tag results[0].peer.address @results.0.peer.address="<script>:7478"
peer_mode results[0].peer.mode @results.0.peer.mode="sideways"
peer_role results[0].peer.role @results.0.peer.role="serve"
peer_workers results[0].peer.workers @results.0.peer.workers=0
peer_placement results[0].peer.placement @results.0.peer.placement=[]
peer_pus results[0].peer.host.pus @results.0.peer.host.pus=-1
peer_nohost results[0].peer.host @results.0.peer.host
peer_hygiene results[0].peer.host.hygiene.thp @results.0.peer.host.hygiene.thp=[1]
peer_cpb results[0].summary.peer.cycles_per_byte @results.0.summary.peer.cycles_per_byte=1e300
peer_nosum results[0].summary.peer @results.0.summary.peer
peer_source results[1].samples[2].peer.cycles_source @results.1.samples.2.peer.cycles_source="magic"
peer_secs results[0].samples[0].peer.seconds @results.0.samples.0.peer.seconds=0
peer_str results[0].peer @results.0.peer="10.0.0.2:7478"
CASES
# Many-SA documents outside the schema: each refused by every command.
SA_SWEEP="aes-256-gcm:1420:1:10+workload=esp+sas=1+flows=1 aes-256-gcm:1420:1:9+workload=esp+sas=16+flows=1"
while read -r name field patch; do
	# shellcheck disable=SC2086
	$SYN "$OUT/$name.json" h1 5 $SA_SWEEP "$patch"
	refused "$name: export" "$name.json: $field" "$NCBENCH" export "$OUT/$name.json" --format csv
	refused "$name: plan" "$name.json: $field" "$NCBENCH" plan "$OUT/$name.json" --target 40G
	refused "$name: compare" "$name.json: $field" "$NCBENCH" compare "$OUT/ok.json" "$OUT/$name.json"
	refused "$name: report" "$name.json: $field" "$NCBENCH" report "$OUT/$name.json" -o "$OUT/rep-$name"
	expect "$name: report wrote nothing" [ ! -e "$OUT/rep-$name" ]
done <<'CASES'
sa_zero results[1].sa.count @results.1.sa.count=0
sa_huge results[0].sa.count @results.0.sa.count=1e300
sa_nocount results[0].sa.count @results.0.sa.count
sa_bytes results[1].sa.bytes_per_sa @results.1.sa.bytes_per_sa=-1
sa_rate results[0].sa.create_per_s @results.0.sa.create_per_s="fast"
sa_dist results[0].sa.dist @results.0.sa.dist="zipf\n1"
sa_str results[0].sa @results.0.sa="4096"
flows_zero results[0].options.flows @results.0.options.flows=0
flows_str results[1].options.flows @results.1.options.flows="16"
sys_neg results[0].io_detail.syscalls_per_packet.rx @results.0.io_detail={"syscalls_per_packet": {"rx": -1}}
CASES
# Quotes and markup in what the SA and flows charts put in their labels:
# drawn, escaped, nothing runs.
# shellcheck disable=SC2086
$SYN "$OUT/saq.json" h1 6 $SA_SWEEP \
	"null:64:1:4+workload=esp+backend=null+io=uring+sas=256+flows=1+sys=0.1,0.2" \
	"null:64:1:3+workload=esp+backend=null+io=uring+sas=256+flows=16+sys=0.1,0.2" \
	'@results.*.sa.dist="z'"'"'.system('"'"'touch PWNED3'"'"').'"'"'"' \
	'@results.*.cipher="<img src=x onerror=alert(3)>'"'"'"' \
	'@results.2.io="u'"'"'.system('"'"'touch PWNED4'"'"').'"'"'"' \
	'@results.3.io="u'"'"'.system('"'"'touch PWNED4'"'"').'"'"'"'
(cd "$OUT/cwd" && "$NCB" report ../saq.json -o saq >"$OUT/saq.out" 2>"$OUT/saq.err")
rc=$?
expect "quotes in SA labels: report exits 0 (got $rc: $(head -c 200 "$OUT/saq.err"))" [ $rc -eq 0 ]
expect "quotes in SA labels: both sweep charts drawn" \
	[ -s "$OUT/cwd/saq/sas-1.svg" -a -s "$OUT/cwd/saq/flows-1.svg" ]
expect "quotes in SA labels: no command ran" \
	[ -z "$(find "$OUT/cwd" -name 'PWNED*')" ]
refute "markup in SA labels: no tag in report.html" grep -qF '<img src=x' "$OUT/cwd/saq/report.html"
refute "markup in SA labels: no tag in report.md" grep -qF '<img src=x' "$OUT/cwd/saq/report.md"

# A sample's or a summary's peer in a one-host case.
$SYN "$OUT/stray.json" h1 5 $SWEEP '@results.0.samples.0.peer={"seconds": 1, "cpu_seconds": 1, "cycles": 1, "cycles_source": "pmu"}'
refused "a sample's peer on one host" "stray.json: results[0].samples[0].peer" "$NCBENCH" export "$OUT/stray.json" --format csv

# Huge peer fields: refused by their bounds, whatever their size, in time.
$SYN "$OUT/hugepeer.json" h1 5 --peer=10.0.0.2:7478 $SWEEP
python3 -c '
import json, sys
src = json.load(open(sys.argv[1]))
for name, fn in (("hugeaddr", lambda r: r["peer"].update(address="a" * 100000 + ":7478")),
                 ("hugehost", lambda r: r["peer"]["host"].update(hostname="h" * 100000)),
                 ("hugeplace", lambda r: r["peer"].update(placement=[{"pu": 0, "core": 0, "numa": 0}] * 200000)),
                 ("hugeworkers", lambda r: r["peer"].update(workers=1 << 40))):
    d = json.loads(json.dumps(src))
    fn(d["results"][1])
    json.dump(d, open(sys.argv[2] + "/" + name + ".json", "w"))
' "$OUT/hugepeer.json" "$OUT"
while read -r name field; do
	timeout 20 "$NCBENCH" export "$OUT/$name.json" --format csv >"$OUT/r.out" 2>"$OUT/r.err"
	rc=$?
	expect "$name: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$name: names $field ($(head -c 200 "$OUT/r.err"))" grep -qF "$name.json: $field" "$OUT/r.err"
	expect "$name: one short line" [ "$(wc -l <"$OUT/r.err")" -eq 1 -a "$(wc -c <"$OUT/r.err")" -lt 400 ]
done <<'CASES'
hugeaddr results[1].peer.address
hugehost results[1].peer.host.hostname
hugeplace results[1].peer.placement
hugeworkers results[1].peer.workers
CASES

# Markup in a peer's host: escaped in the report, never run.
$SYN "$OUT/xsspeer.json" h1 3 --peer=10.0.0.2:7478 $SWEEP \
	'@results.*.peer.host.hostname="<script>alert(3)</script>"' \
	'@results.*.peer.host.cpu_model="x\" onerror=\"alert(4)"'
"$NCBENCH" report "$OUT/xsspeer.json" -o "$OUT/xsspeer" >/dev/null 2>"$OUT/xp.err"
rc=$?
expect "XSS peer host: report exits 0 (got $rc: $(head -c 200 "$OUT/xp.err"))" [ $rc -eq 0 ]
refute "XSS peer host: no script tag in report.html" grep -qF '<script>' "$OUT/xsspeer/report.html"
refute "XSS peer host: no attribute injected" grep -qF '" onerror="' "$OUT/xsspeer/report.html"
expect "XSS peer host: shown escaped" grep -qF '&lt;script&gt;alert(3)&lt;/script&gt;' "$OUT/xsspeer/report.html"
refute "XSS peer host: no raw HTML in report.md" grep -qF '<script>' "$OUT/xsspeer/report.md"
"$NCBENCH" compare "$OUT/xsspeer.json" "$OUT/xsspeer.json" --markdown "$OUT/xsspeer.md" >/dev/null 2>&1
refute "XSS peer host: no raw HTML in compare's Markdown" grep -qF '<script>' "$OUT/xsspeer.md"

# Identities are whole: two cases that differ after byte 256 are both kept.
long=$(printf 'c%.0s' $(seq 300))
$SYN "$OUT/long.json" h1 6 aes-128-gcm:64:1:10 aes-128-gcm:64:1:11 \
	"@results.0.cipher=\"${long}1\"" "@results.1.cipher=\"${long}2\""
"$NCBENCH" export "$OUT/long.json" --format csv >"$OUT/long.csv" 2>"$OUT/long.err"
rc=$?
expect "long identities: export exits 0 (got $rc: $(head -c 120 "$OUT/long.err"))" [ $rc -eq 0 ]
expect "long identities: both cases kept" [ "$(wc -l <"$OUT/long.csv")" -eq 3 ]
"$NCBENCH" compare "$OUT/long.json" "$OUT/long.json" -q >/dev/null 2>&1
expect "long identities: compare matches both" [ $? -eq 0 ]

# 20,000 results: the duplicate check no longer compares every pair. The
# timeout only guards against a hang; no speed is asserted.
$SYN "$OUT/big.json" h1 7 aes-128-gcm:1-20000:1:20
timeout 60 "$NCBENCH" export "$OUT/big.json" --format csv >"$OUT/big.csv" 2>"$OUT/big.err"
rc=$?
expect "20000 results: export finishes and exits 0 (got $rc: $(head -c 120 "$OUT/big.err"))" [ $rc -eq 0 ]
expect "20000 results: every row written" [ "$(wc -l <"$OUT/big.csv")" -eq 20001 ]
$SYN "$OUT/bigpeer.json" h1 7 --peer=[fd00::2]:7478 --mode=bidir aes-128-gcm:1-20000:1:20
timeout 60 "$NCBENCH" compare -q "$OUT/bigpeer.json" "$OUT/bigpeer.json" >"$OUT/bigpeer.txt" 2>"$OUT/bigpeer.err"
rc=$?
expect "20000 two-host results: compare finishes (got $rc: $(head -c 120 "$OUT/bigpeer.err"))" [ $rc -eq 3 ]
expect "20000 two-host results: every case paired" grep -q "^compare: 20000 cases: 0 regressions" "$OUT/bigpeer.txt"

# plan: a target that overflows to infinity is a bad option.
refused "plan --target 1e300T" "--target" "$NCBENCH" plan "$OUT/ok.json" --target 1e300T --json

# report -o naming a file: a usage error, and the file is left alone.
echo keep >"$OUT/afile"
refused "report -o FILE" "not a directory" "$NCBENCH" report "$OUT/ok.json" -o "$OUT/afile"
expect "report -o FILE: the file is unchanged" [ "$(cat "$OUT/afile")" = keep ]

# compare --junit and --markdown: both or neither.
$SYN "$OUT/ok2.json" h1 8 $SWEEP
"$NCBENCH" compare "$OUT/ok.json" "$OUT/ok2.json" --junit "$OUT/j1.xml" \
	--markdown "$OUT/nodir/m.md" >/dev/null 2>"$OUT/c.err"
rc=$?
expect "compare, --markdown cannot be created: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "compare, --markdown cannot be created: no --junit file" [ ! -e "$OUT/j1.xml" ]
expect "compare, --markdown cannot be created: no temporary file" [ -z "$(ls "$OUT" | grep 'j1.xml')" ]
mkdir "$OUT/adir"
"$NCBENCH" compare "$OUT/ok.json" "$OUT/ok2.json" --junit "$OUT/j2.xml" \
	--markdown "$OUT/adir" >/dev/null 2>"$OUT/c2.err"
rc=$?
expect "compare, --markdown is a folder: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "compare, --markdown is a folder: no --junit file" [ ! -e "$OUT/j2.xml" ]
"$NCBENCH" compare "$OUT/ok.json" "$OUT/ok2.json" --junit "$OUT/j3.xml" \
	--markdown "$OUT/m3.md" >/dev/null 2>&1
expect "compare, both writable: both written" [ -s "$OUT/j3.xml" -a -s "$OUT/m3.md" ]

# CSV: cells a spreadsheet would run as formulas stay text.
$SYN "$OUT/formula.json" h1 9 $SWEEP '@results.*.workload="=HYPERLINK(\"http://x\",\"y\")"' \
	'@results.*.backend="+cmd"' '@results.*.direction="-2+3"' '@host.hostname="@SUM(A1)"'
"$NCBENCH" export "$OUT/formula.json" --format csv -o "$OUT/f.csv"
expect "CSV: formula cells start with '" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 2, rows
for r in rows:
    for k in ("workload", "backend", "direction", "host"):
        assert r[k][0] == "'"'"'", (k, r[k])
    assert r["workload"] == "'"'"'=HYPERLINK(\"http://x\",\"y\")", r
' "$OUT/f.csv"

# stdout write errors: output lost is a failure, with one line.
for cmd in "export $OUT/ok.json --format csv" "export $OUT/ok.json --format bmf" \
	"plan $OUT/ok.json --target 40G --json" "plan $OUT/ok.json --target 40G" \
	"compare $OUT/ok.json $OUT/ok2.json"; do
	# shellcheck disable=SC2086
	"$NCBENCH" $cmd >/dev/full 2>"$OUT/full.err"
	rc=$?
	expect "$cmd >/dev/full: exit 1 (got $rc)" [ $rc -eq 1 ]
	expect "$cmd >/dev/full: one line says so ($(head -c 200 "$OUT/full.err"))" [ "$(grep -c 'standard output' "$OUT/full.err")" -eq 1 ]
done
finish
