#!/usr/bin/env bash
# The findings at the top of a report, from synthetic documents with
# known answers: the exact sentences in report.md, the same in
# report.html before the file table, nothing said without the data for it,
# lists capped, document text escaped.
. "$(dirname "$0")/lib.bash"
SYN="python3 $(dirname "$0")/synth_doc.py"
NET="+transport=udp+framing=esp-tunnel+workload=esp"
RR="+transport=udp+framing=esp-transport"

# Backends 4.00x apart; esp at 1420 B with a null baseline, a crypto
# share and 15% drops; esp at 64 B with a share, no baseline and a wide
# CI; esp at 576 B with neither; macsec beside esp for CPU per Gbit/s;
# rr with and without a null case; a narrow CI and an auth failure.
$SYN "$OUT/known.json" h1 1 \
	aes-256-gcm:1420:1:2.5:0 \
	aes-256-gcm:1420:1:10:0+backend=ipsec-mb \
	null:1420:1:10:0${NET}+backend=null+gpc=8 \
	aes-256-gcm:1420:1:4:0${NET}+share=0.6+gpc=2+sent=100000+drops=75000 \
	chacha20-poly1305:64:1:3:0${NET}+share=0.5 \
	aes-128-gcm:576:1:3:0${NET} \
	aes-256-gcm:1420:1:3.2:0+transport=udp+framing=macsec+workload=macsec+gpc=1.6 \
	null:64:1:0.5:0:rr${RR}+backend=null+lat=10000,40000 \
	aes-256-gcm:64:1:0.4:0:rr${RR}+lat=11500,52000 \
	aes-256-gcm:1024:1:0.4:0:rr${RR}+lat=20000,60000 \
	sm4-gcm:1420:1:3:0+auth=3 \
	'@results.4.summary.gbps.ci95=[2.5, 3.5]' \
	'@results.5.summary.gbps.ci95=[2.9, 3.1]'
"$NCBENCH" report "$OUT/known.json" -o "$OUT/rep" >"$OUT/rep.out" 2>"$OUT/rep.err"
expect "report of known answers: exit 0 ($(head -c 200 "$OUT/rep.err"))" [ $? -eq 0 ]
md=$OUT/rep/report.md html=$OUT/rep/report.html
has() { grep -qxF -- "$1" "$md"; }

expect "findings come first" [ "$(sed -n 3p "$md")" = "## Findings" ]
expect "backend B exactly 4.00x A" has "- At 1420 B, aes-256-gcm is fastest on ipsec-mb: 4.00x openssl."
expect "crypto share and rate against null" \
	has "- esp aes-256-gcm on openssl at 1420 B: 60% of cycles in crypto; 0.40x the rate of the null baseline, 4.00 against 10.0 Gbit/s."
expect "crypto share without a baseline: no rate" \
	has "- esp chacha20-poly1305 on openssl at 64 B: 50% of cycles in crypto."
refute "no sentence without share or baseline" grep -q "aes-128-gcm on openssl at 576 B" "$md"
expect "framing against framing" \
	has "- At 1420 B with aes-256-gcm on openssl, esp-tunnel costs the least CPU, 0.500 cores per Gbit/s; macsec 1.25x that."
expect "rr: what the crypto adds at p50 and p99" \
	has "- rr esp-transport aes-256-gcm on openssl at 64 B: p50 11.50 µs, 1.50 µs more than null; p99 52.00 µs, 12.00 µs more than null."
refute "rr without a null case: no sentence" grep -q "at 1024 B: p50" "$md"
expect "15% drops named" \
	has "- esp aes-256-gcm on openssl at 1420 B: 15.0% of packets dropped."
expect "wide CI named" \
	has "- esp chacha20-poly1305 on openssl at 64 B: 95% CI 2.50 .. 3.50 Gbit/s, 33% of the median."
expect "auth failures named" has "- sm4-gcm on openssl at 1420 B: 3 authentication failures."
refute "a CI of 6.7% not named" grep -q "aes-128-gcm on openssl at 576 B" "$md"
refute "no backend sentence for a lone backend" grep -q "is fastest on openssl" "$md"
expect "Check these: exactly three cases" \
	[ "$(sed -n '/^### Check these/,/^## /p' "$md" | grep -c '^- ')" -eq 3 ]
expect "HTML: findings before the files" python3 -c '
import sys
t = open(sys.argv[1]).read()
f, h = t.find("<h2 id=\"findings\">Findings</h2>"), t.find("<h2>Files</h2>")
assert 0 <= f < h, (f, h)
assert "<li>At 1420 B, aes-256-gcm is fastest on ipsec-mb: 4.00x openssl.</li>" in t
' "$html"

# A list longer than the cap: six items, then how many more.
specs=()
for s in 64 128 256 512 1024 1420 2048 4096; do specs+=("aes-256-gcm:$s:1:5:0"); done
patches=()
for i in 0 1 2 3 4 5 6 7; do patches+=("@results.$i.summary.gbps.ci95=[1, 9]"); done
$SYN "$OUT/many.json" h1 2 "${specs[@]}" "${patches[@]}"
"$NCBENCH" report "$OUT/many.json" -o "$OUT/rep2" >/dev/null 2>"$OUT/rep2.err"
expect "capped list: exit 0" [ $? -eq 0 ]
expect "capped list: six items" \
	[ "$(sed -n '/^### Check these/,/^## /p' "$OUT/rep2/report.md" | grep -c '^- aes')" -eq 6 ]
expect "capped list: and 2 more" grep -qxF -- "- and 2 more" "$OUT/rep2/report.md"

# Two documents: each item names its file.
"$NCBENCH" report "$OUT/known.json" "$OUT/many.json" -o "$OUT/rep3" >/dev/null 2>"$OUT/rep3.err"
expect "two files: exit 0" [ $? -eq 0 ]
expect "two files: items name their file" \
	grep -qxF -- "- File 1: At 1420 B, aes-256-gcm is fastest on ipsec-mb: 4.00x openssl." "$OUT/rep3/report.md"
expect "two files: the second file's cases" grep -qF -- "- File 2: aes-256-gcm on openssl at 64 B" "$OUT/rep3/report.md"

# A lead the intervals do not carry is said to be one; a share above 1
# (preempted time counted by an older run) is not stated.
$SYN "$OUT/tie.json" h1 4 aes-256-gcm:1420:1:5:0 aes-256-gcm:1420:1:5.1:0+backend=ipsec-mb \
	aes-256-gcm:1420:1:4:0${NET}+share=1.82 \
	'@results.0.summary.gbps.ci95=[4.5, 5.5]' '@results.1.summary.gbps.ci95=[4.6, 5.6]'
"$NCBENCH" report "$OUT/tie.json" -o "$OUT/rep5" >/dev/null 2>"$OUT/rep5.err"
expect "tie: exit 0 ($(head -c 200 "$OUT/rep5.err"))" [ $? -eq 0 ]
expect "tie: overlapping intervals said" grep -qxF -- \
	"- At 1420 B, aes-256-gcm is fastest on ipsec-mb: 1.02x openssl with overlapping 95% CIs." "$OUT/rep5/report.md"
refute "a share above 1 is not stated" grep -q "182%" "$OUT/rep5/report.md"

# Nothing to say: no section at all.
$SYN "$OUT/quiet.json" h1 3 aes-256-gcm:1420:1:5:0
"$NCBENCH" report "$OUT/quiet.json" -o "$OUT/rep4" >/dev/null 2>&1
expect "no data: exit 0" [ $? -eq 0 ]
refute "no data: no findings section (md)" grep -q "Findings" "$OUT/rep4/report.md"
refute "no data: no findings section (html)" grep -q "Findings" "$OUT/rep4/report.html"

# Document text is escaped in both sinks.
$SYN "$OUT/hostile.json" h1 4 aes-256-gcm:1420:1:2:0 'aes-256-gcm:1420:1:4:0+backend=<b>x_y*'
"$NCBENCH" report "$OUT/hostile.json" -o "$OUT/rep5" >/dev/null 2>&1
expect "hostile names: exit 0" [ $? -eq 0 ]
expect "hostile names: escaped in HTML" grep -qF "fastest on &lt;b&gt;x_y*: 2.00x openssl." "$OUT/rep5/report.html"
expect "hostile names: escaped in Markdown" grep -qF 'fastest on &lt;b&gt;x\_y\*: 2.00x openssl.' "$OUT/rep5/report.md"
refute "hostile names: no raw tag" grep -qF "<b>x" "$OUT/rep5/report.html"
finish
