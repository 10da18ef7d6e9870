#!/usr/bin/env bash
# compare on synthetic documents: the unit of the test (per process when
# a side ran in several processes or several files are pooled), the
# verdicts no change / REGRESSION / inconclusive / too noisy with their
# exit status (0, 1, 3), options and a two-host case's peer in the
# identity (with both ends' CPU in the notes), dropped repetitions
# left out of the test, the notes, and refused argument combinations.
. "$(dirname "$0")/lib.bash"
SYN="python3 $(dirname "$0")/synth_doc.py"

# cmp NAME ARGS...: stdout in $OUT/NAME.txt, stderr in $OUT/NAME.err,
# status in $rc.
cmp() {
	local name=$1
	shift
	"$NCBENCH" compare "$@" >"$OUT/$name.txt" 2>"$OUT/$name.err"
	rc=$?
}

# A/A: the same samples on both sides, tight: decided, no change.
$SYN "$OUT/aa.json" h1 1 --reps=9 aes-128-gcm:1420:1:20:0.002
cmp aa "$OUT/aa.json" "$OUT/aa.json"
expect "A/A: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "A/A: no change, per repetition" grep -qE "aes-128-gcm .* 9r/9r .*no change$" "$OUT/aa.txt"
expect "A/A: summary line" grep -qx "compare: 1 cases: 0 regressions, 0 improvements, 0 inconclusive, 0 too noisy (threshold 5.0%, alpha 0.05)" "$OUT/aa.txt"

# Three repetitions each, -58%: the exact test cannot reach p < 0.05, so
# the change cannot be called either way.
$SYN "$OUT/r3a.json" h1 2 --reps=3 aes-128-gcm:1420:1:20:0.05
$SYN "$OUT/r3b.json" h1 3 --reps=3 aes-128-gcm:1420:1:8.4:0.05
cmp r3 "$OUT/r3a.json" "$OUT/r3b.json" --junit "$OUT/r3.xml" --markdown "$OUT/r3.md"
expect "3 repetitions -58%: exit 3 (got $rc)" [ $rc -eq 3 ]
expect "3 repetitions -58%: inconclusive, MDC inf" grep -qE "aes-128-gcm .*-[56][0-9]\.[0-9]% +0\.100 +inf +3r/3r .*inconclusive$" "$OUT/r3.txt"
expect "3 repetitions: the note says why" grep -q "note: .*smallest possible p is 0.100, not below alpha 0.05" "$OUT/r3.txt"
expect "3 repetitions: summary counts it" grep -q ": 0 regressions, 0 improvements, 1 inconclusive, 0 too noisy" "$OUT/r3.txt"
expect "3 repetitions: a JUnit error, not a failure" python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert s.get("errors") == "1" and s.get("failures") == "0", s.attrib
e = s.find("testcase").find("error")
assert e is not None and e.get("type") == "inconclusive", e
' "$OUT/r3.xml"
expect "3 repetitions: Markdown has the verdict and the note" \
	grep -q "| inconclusive |" "$OUT/r3.md"
expect "3 repetitions: Markdown note" grep -q "^- .*smallest possible p" "$OUT/r3.md"

# Five of nine repetitions disturbed on one side: too noisy, whatever the
# change; four of nine are judged.
$SYN "$OUT/q.json" h1 4 --reps=9 --noise aes-128-gcm:1420:1:20
$SYN "$OUT/n5.json" h1 5 --reps=9 --disturbed=5 aes-128-gcm:1420:1:16
$SYN "$OUT/n4.json" h1 5 --reps=9 --disturbed=4 aes-128-gcm:1420:1:16
cmp n5 "$OUT/q.json" "$OUT/n5.json" --junit "$OUT/n5.xml"
expect "5 of 9 disturbed: exit 3 (got $rc)" [ $rc -eq 3 ]
expect "5 of 9 disturbed: too noisy" grep -qE "aes-128-gcm .* 5/9 .*too noisy$" "$OUT/n5.txt"
expect "5 of 9 disturbed: the note says why" grep -q "too noisy: current: 5 of 9 repetitions disturbed" "$OUT/n5.txt"
expect "5 of 9 disturbed: the side's noise line" grep -qx "noise current: 1 document, 9 repetitions, 5 disturbed (canary 5), 0 dropped" "$OUT/n5.txt"
expect "5 of 9 disturbed: JUnit error" grep -q '<error type="too noisy"' "$OUT/n5.xml"
cmp n4 "$OUT/q.json" "$OUT/n4.json"
expect "4 of 9 disturbed: judged, a regression (exit $rc)" [ $rc -eq 1 ]

# The same -20% on a side whose canary ran 20% slower, none flagged: the
# host changed speed between the runs, so no regression is called; 8%
# slower is within the guard's 10%, and the regression stands.
$SYN "$OUT/h20.json" h1 5 --reps=9 --noise --canary=600000 aes-128-gcm:1420:1:16
$SYN "$OUT/h8.json" h1 5 --reps=9 --noise --canary=540000 aes-128-gcm:1420:1:16
cmp h20 "$OUT/q.json" "$OUT/h20.json"
expect "host 20% slower: exit 3 (got $rc)" [ $rc -eq 3 ]
expect "host 20% slower: too noisy, the note says the host" \
	grep -q "too noisy: the host ran at another speed: the canary took +20%" "$OUT/h20.txt"
cmp h8 "$OUT/q.json" "$OUT/h8.json"
expect "host 8% slower: a regression (exit $rc)" [ $rc -eq 1 ]

# Five processes a side, -10%: a regression tested on process medians.
$SYN "$OUT/p1.json" h1 6 --procs=5 --reps=3 --pspread=0.01 aes-128-gcm:1420:1:20
$SYN "$OUT/p2.json" h1 7 --procs=5 --reps=3 --pspread=0.01 aes-128-gcm:1420:1:18
cmp p "$OUT/p1.json" "$OUT/p2.json"
expect "5 processes -10%: exit 1 (got $rc)" [ $rc -eq 1 ]
expect "5 processes: REGRESSION per process" grep -qE "aes-128-gcm .* 5p/5p .*REGRESSION$" "$OUT/p.txt"
expect "5 processes: the legend names the unit" grep -q "p = per-process medians" "$OUT/p.txt"

# Four single-process documents a side, pooled: four processes a side.
base=() cur=()
for i in 1 2 3 4; do
	$SYN "$OUT/a$i.json" h1 "1$i" --reps=3 aes-128-gcm:1420:1:20:0.01
	$SYN "$OUT/b$i.json" h1 "2$i" --reps=3 aes-128-gcm:1420:1:18:0.01
	base+=(--base "$OUT/a$i.json")
	cur+=(--current "$OUT/b$i.json")
done
cmp pool "${base[@]}" "${cur[@]}"
expect "pooled 4+4: exit 1 (got $rc)" [ $rc -eq 1 ]
expect "pooled 4+4: per process" grep -qE "aes-128-gcm .* 4p/4p .*REGRESSION$" "$OUT/pool.txt"
expect "pooled 4+4: four documents a side" grep -qx "noise base: 4 documents, 12 repetitions, disturbance not recorded" "$OUT/pool.txt"
cmp pool1 "$OUT/a1.json" "$OUT/b1.json"
expect "one file each: per repetition, inconclusive (exit $rc)" [ $rc -eq 3 ]
expect "one file each: 3r/3r" grep -qE " 3r/3r .*inconclusive$" "$OUT/pool1.txt"
cmp mixed --base "$OUT/a1.json" --base "$OUT/a2.json" --current "$OUT/b1.json"
expect "per process against per repetition: noted" grep -q "units mixed: base per process, current per repetition" "$OUT/mixed.txt"

# Options are identity: busy-poll 50 and 0 never pair.
$SYN "$OUT/o50.json" h1 8 '--options={"busy-poll": 50, "io": "uring"}' aes-128-gcm:1420:1:20
$SYN "$OUT/o0.json" h1 8 '--options={"busy-poll": 0, "io": "uring"}' aes-128-gcm:1420:1:20
cmp opt "$OUT/o50.json" "$OUT/o0.json"
expect "options differ: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "options differ: busy-poll=50 removed" grep -qE "threads=1 busy-poll=50 io=uring .*removed$" "$OUT/opt.txt"
expect "options differ: busy-poll=0 added" grep -qE "threads=1 busy-poll=0 io=uring .*added$" "$OUT/opt.txt"
cmp opt2 "$OUT/o50.json" "$OUT/o50.json"
expect "same options: paired" grep -qE "busy-poll=50 io=uring .*(no change|inconclusive)$" "$OUT/opt2.txt"

# Two hosts: the peer's address and mode are identity. A one-host case
# never pairs with a two-host one, nor forward with reverse; the same peer
# pairs, the note names it and gives both ends' cycles/B, and a change
# while the peer's canary ran 30% slower is the peer's speed.
P=--peer=10.0.0.2:7478
$SYN "$OUT/one.json" h1 14 --reps=9 aes-128-gcm:1420:1:20:0.002
$SYN "$OUT/fwd.json" h1 15 --reps=9 $P aes-128-gcm:1420:1:20:0.002
$SYN "$OUT/rev.json" h1 15 --reps=9 $P --mode=reverse aes-128-gcm:1420:1:20:0.002
$SYN "$OUT/fwd2.json" h1 16 --reps=9 $P --peer-cpb=2.5 aes-128-gcm:1420:1:18:0.002
$SYN "$OUT/fwd3.json" h1 16 --reps=9 $P --peer-canary=520000 aes-128-gcm:1420:1:18:0.002
$SYN "$OUT/fwd4.json" h1 16 --reps=9 $P --peer-host=gw9 aes-128-gcm:1420:1:20:0.002
cmp onetwo "$OUT/one.json" "$OUT/fwd.json"
expect "one host against two: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "one host against two: the one-host case removed" grep -qE "threads=1 +[0-9.]+ +- .*removed$" "$OUT/onetwo.txt"
expect "one host against two: the two-host case added, named by its peer" \
	grep -qE "threads=1 peer=10\.0\.0\.2:7478/forward .*added$" "$OUT/onetwo.txt"
expect "one host against two: nothing paired" grep -q "^compare: 2 cases: " "$OUT/onetwo.txt"
cmp fwdrev "$OUT/fwd.json" "$OUT/rev.json"
expect "forward against reverse: not paired" grep -qE "peer=10\.0\.0\.2:7478/reverse .*added$" "$OUT/fwdrev.txt"
expect "forward against reverse: forward removed" grep -qE "peer=10\.0\.0\.2:7478/forward .*removed$" "$OUT/fwdrev.txt"
cmp twotwo "$OUT/fwd.json" "$OUT/fwd2.json" --markdown "$OUT/twotwo.md"
expect "same peer -10%: exit 1 (got $rc)" [ $rc -eq 1 ]
expect "same peer -10%: a regression of the two-host case" \
	grep -qE "peer=10\.0\.0\.2:7478/forward .*-10\.[0-9]%.*REGRESSION$" "$OUT/twotwo.txt"
expect "same peer: the note names the peer host and CPU" \
	grep -q "two hosts: the peer peer-h1 (Synthetic CPU peer-h1) at 10.0.0.2:7478, forward" "$OUT/twotwo.txt"
expect "same peer: both ends' cycles/B on both sides" \
	grep -q "cycles/B base 1.000 here, ~2.000 on the peer; current 1.000 here, ~2.500 on the peer" "$OUT/twotwo.txt"
expect "same peer: Markdown note names the peer" grep -q "^- .*two hosts: the peer peer-h1" "$OUT/twotwo.md"
cmp peerslow "$OUT/fwd.json" "$OUT/fwd3.json"
expect "peer 30% slower: exit 3 (got $rc)" [ $rc -eq 3 ]
expect "peer 30% slower: too noisy, the note says the peer" \
	grep -q "too noisy: the peer ran at another speed: its canary took +30%" "$OUT/peerslow.txt"
cmp peerhost "$OUT/fwd.json" "$OUT/fwd4.json"
expect "another machine at the peer's address: noted" \
	grep -q "the peer differs: base peer-h1 (Synthetic CPU peer-h1), current gw9 (Synthetic CPU gw9)" "$OUT/peerhost.txt"

# Dropped repetitions are not tested: two far-off repetitions dropped
# leave the case as it was; kept, they are tested.
$SYN "$OUT/d.json" h1 9 --reps=9 --dropped=2 aes-128-gcm:1420:1:20:0.002 \
	@results.0.samples.0.gbps=2 @results.0.samples.1.gbps=3
cmp drop "$OUT/aa.json" "$OUT/d.json"
expect "dropped excluded: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "dropped excluded: 7 units, no change" grep -qE " 9r/7r .*no change$" "$OUT/drop.txt"
expect "dropped excluded: noted" grep -q "current: 2 of 9 repetitions dropped as disturbed (not tested)" "$OUT/drop.txt"
$SYN "$OUT/d2.json" h1 9 --reps=9 --dropped=1 aes-128-gcm:1420:1:20:0.002 @results.0.samples.*.dropped=true
cmp drop2 "$OUT/aa.json" "$OUT/d2.json"
expect "every repetition dropped: too noisy (exit $rc)" [ $rc -eq 3 ]
expect "every repetition dropped: why" grep -q "too noisy: current: 9 repetitions dropped as disturbed, 0 units left" "$OUT/drop2.txt"

# Notes: packet drops with their share, errors, an incomplete set.
$SYN "$OUT/e.json" h1 10 --procs=3 --reps=3 aes-128-gcm:1420:1:20:0.002 \
	@results.0.errors.drops=50 @results.0.errors.auth_fail=2 \
	@results.0.samples.0.sent_packets=10000 @results.0.samples.8
cmp notes "$OUT/aa.json" "$OUT/e.json"
expect "drops noted with their share" grep -q "current: 50 packets dropped (0.50% of 10000 sent)" "$OUT/notes.txt"
expect "errors noted" grep -q "current: errors: 2 authentication failures" "$OUT/notes.txt"
expect "incomplete set noted" grep -q "current: incomplete, 8 of 9 repetitions" "$OUT/notes.txt"
$SYN "$OUT/i.json" h1 11 --reps=9 aes-128-gcm:1420:1:20:0.002 @complete=false
cmp incomplete "$OUT/aa.json" "$OUT/i.json"
expect "incomplete document noted" grep -q "current: from an incomplete document" "$OUT/incomplete.txt"

# A change past the threshold inside the spread: the interval is named.
$SYN "$OUT/w1.json" h1 12 --reps=5 aes-128-gcm:1420:1:20:0.4
$SYN "$OUT/w2.json" h1 13 --reps=5 aes-128-gcm:1420:1:17:0.4
cmp wide "$OUT/w1.json" "$OUT/w2.json"
expect "wide: inconclusive (exit $rc)" [ $rc -eq 3 ]
expect "wide: MDC above the threshold named" grep -q "smallest detectable change is .*above the threshold 5.0%" "$OUT/wide.txt"

# Argument combinations: one clear line, exit 2.
bad_args() {
	local what=$1
	shift
	cmp badargs "$@"
	expect "$what: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$what: one line" [ "$(wc -l <"$OUT/badargs.err")" -eq 1 ]
}
bad_args "positional and --base" "$OUT/aa.json" "$OUT/aa.json" --base "$OUT/aa.json"
bad_args "--current and a positional" --current "$OUT/aa.json" "$OUT/aa.json"
bad_args "--base without --current" --base "$OUT/aa.json"
bad_args "--current without --base" --current "$OUT/aa.json"
bad_args "--base without a value" --current "$OUT/aa.json" --base
bad_args "a missing pooled file" --base "$OUT/aa.json" --base "$OUT/nope.json" --current "$OUT/aa.json"
many=()
for i in $(seq 65); do many+=(--base "$OUT/aa.json"); done
bad_args "65 base documents" "${many[@]}" --current "$OUT/aa.json"
grep -q "at most 64" "$OUT/badargs.err"
expect "65 base documents: the limit named" [ $? -eq 0 ]
"$NCBENCH" compare --help >"$OUT/help.txt"
expect "--help names exit 3 and --base" grep -q "3 a case inconclusive or too noisy" "$OUT/help.txt"
finish
