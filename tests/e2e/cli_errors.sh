#!/usr/bin/env bash
# Bad input to `run`: exit 2, one stderr line naming the problem, and no
# result file left behind.
. "$(dirname "$0")/lib.bash"
pus=$(nproc)

check() { # check NEEDLE ARGS...
	local needle=$1; shift
	local doc="$OUT/doc.json"
	"$NCBENCH" run -q -d 0.05 -r 1 --warmup 0 -o "$doc" "$@" >"$OUT/out" 2>"$OUT/err"
	local rc=$?
	expect "run $*: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "run $*: one stderr line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "run $*: message names '$needle'" grep -q -- "$needle" "$OUT/err"
	expect "run $*: no file left" [ -z "$(ls "$OUT" | grep doc)" ]
}

check --workload --workload nope
check "unknown cipher 'rot13'" --cipher rot13
check "unknown backend 'nss'" --cipher aes-128-gcm --backend nss
check "sodium does not offer sm4-gcm" --cipher sm4-gcm --backend sodium
check "--size" --size 0
check "--size" --size 99999999999
check "--size" --size 64:0:128
check "--threads" --threads 0
check "--threads" --threads $((pus + 1)) --cipher aes-128-gcm
check "--cpus" --cpus 4096 --cipher aes-128-gcm
check "--cpus" --cpus 0 --threads 2 --cipher aes-128-gcm
check "--duration" --duration 0
check "--duration" --duration abc
check "--repeat" --repeat 0
check "--direction" --direction sideways
check "--bogus" --bogus
check "--output" --output /nonexistent-dir/x.json --cipher aes-128-gcm
check "--verify does not apply to workload cipher (it applies to esp, macsec, wg, stream, flow, rr)" --verify
check "--imix: unknown mix" -w esp --imix heavy
check "exclude each other" -w esp --imix simple --size 64
check "--imix does not apply to workload cipher (it applies to esp, macsec, wg, stream, flow)" --imix simple
check "--batch" -w esp --batch 0
check "--batch" -w esp --batch 257
check "--burst: 0 is out of range 1..64" -w esp --burst 0
check "--burst: 65 is out of range 1..64" -w wg --burst 65
check "--burst does not apply to workload stream" -w stream --burst 4
check "--icv-len: aes-128-gcm takes 16 bytes" -w esp -c aes-128-gcm --icv-len 12
check "--esp-mode integrity is AES-GMAC" -w esp -c chacha20-poly1305 --esp-mode integrity
check "--reorder" -w esp --reorder 101
check "--replay-window" -w esp --replay-window 100000
check "need --io uring" -w esp --io epoll --zerocopy
check "--io: unknown value" -w esp --io select
check "--family: unknown value" -w esp --family 5
check "at least 36 bytes" -w esp --size 20
check "does not fit in one datagram" -w esp --size 65500
check "--port" -w esp --port 70000
check "--busy-poll" -w esp --busy-poll 2000000
check "--transport: unknown value" -w macsec --transport tcp
check "--sci: unknown value" -w macsec --sci maybe
check "--protection: unknown value" -w macsec --protection none
check "carries Ethernet frames" -w macsec --transport raw --family 6
check "at least 36 bytes" -w macsec --size 20
check "does not fit in one datagram" -w macsec --size 65480
check "need --io uring" -w macsec --io epoll --sqpoll
check "--esn does not apply to workload cipher (it applies to esp, flow --framing esp, rr --framing esp)" --esn
# An option of another workload or framing is refused, naming the
# workloads that take it (from their tables), never recorded and ignored.
check "--replay-window does not apply to workload stream (it applies to esp, macsec, wg, flow, rr --framing esp|macsec|wg)" -w stream --replay-window 7
check "--no-gso does not apply to workload stream" -w stream --no-gso
check "--reorder does not apply to workload stream" -w stream --reorder 5
check "--imix does not apply to workload rr (it applies to esp, macsec, wg, stream, flow)" -w rr --imix simple
check "--depth does not apply to workload esp (it applies to rr)" -w esp --depth 2
check "--direction does not apply to workload macsec (it applies to cipher)" -w macsec --direction open
check "--io does not apply to workload cipher (it applies to esp, macsec, wg, stream, flow, rr)" --io epoll -w cipher
check "--verify does not apply to workload cipher" --verify -w esp -w cipher
# Options a case's framing does not declare, and framings a pattern
# does not run.
check "--esn does not apply to workload flow with --framing macsec" -w flow --framing macsec --esn
check "--framing does not apply to workload esp" -w esp --framing macsec
check "does not run 'tls13-records' (it runs esp|macsec|wg)" -w flow --framing tls13-records
check "framing macsec does not run over it" -w rr --framing macsec --transport tcp
check "--batch does not apply to workload rr" -w rr --batch 4
check "--threads" -w esp --threads "$pus" --cipher aes-128-gcm

# A value given twice in a list would run its cases twice into a document
# every reader refuses ("appears twice").
check "'aes-128-gcm' appears twice" -c aes-128-gcm,aes-128-gcm
check "--size: 64 appears twice" -c aes-128-gcm -s 64,64
check "--size: 64 appears twice" -c aes-128-gcm -s 64,32:32:128
check "--threads: 1 appears twice" -c aes-128-gcm -t 1,1
check "'all' already includes 'openssl'" -c aes-128-gcm -b all,openssl
check "'openssl' appears twice" -c aes-128-gcm -b openssl,openssl
check "--cpus: 0 appears twice" -c aes-128-gcm --cpus 0,0
check "--cpus: 0 appears twice" -c aes-128-gcm --cpus 0,0-0

# A size range whose step would wrap past the end runs its start only.
"$NCBENCH" run -q -c aes-128-gcm -b openssl -d 0.02 -r 1 --warmup 0 \
	-s 1:18446744073709551615:1048576 -o "$OUT/wrap.json" 2>"$OUT/err"
expect "wrapping size range: exit 0 (got $?)" [ -s "$OUT/wrap.json" ]
expect "wrapping size range: size 1 only, never 0" \
	[ "$(field "$OUT/wrap.json" "[x['size'] for x in d['results']]")" = "[1]" ]
rm -f "$OUT/wrap.json"

# A bad --output is refused before anything runs: no table on stdout.
long=$(printf 'n%.0s' {1..256})
for o in "$OUT" "$OUT/" "$OUT/$long" "$OUT/missing/x.json"; do
	"$NCBENCH" run -c aes-128-gcm -b openssl -s 64 -d 0.02 -r 1 --warmup 0 \
		-o "$o" >"$OUT/out" 2>"$OUT/err"
	rc=$?
	expect "run -o ${o:0:60}: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "run -o ${o:0:60}: one line naming --output" grep -q -- --output "$OUT/err"
	expect "run -o ${o:0:60}: refused before running" [ ! -s "$OUT/out" ]
done

# Suite keys are option names in full: getopt would take "outp" for
# "output" and "hel" for "help"; command-line-only keys are refused.
suite_bad() { # suite_bad NEEDLE JSON
	rm -f "$OUT/doc.json" "$OUT/stolen.json"
	printf '%s' "$2" >"$OUT/s.json"
	"$NCBENCH" run --suite "$OUT/s.json" -q -d 0.02 -r 1 --warmup 0 \
		-o "$OUT/doc.json" >"$OUT/out" 2>"$OUT/err"
	local rc=$?
	expect "suite $2: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "suite $2: one stderr line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "suite $2: names '$1' ($(head -c 200 "$OUT/err"))" grep -q -- "$1" "$OUT/err"
	expect "suite $2: nothing printed" [ ! -s "$OUT/out" ]
	expect "suite $2: no document" [ ! -e "$OUT/doc.json" ]
	expect "suite $2: no file named by a key" [ ! -e "$OUT/stolen.json" ]
}
g='"cipher": "aes-128-gcm", "backend": "openssl", "size": 64'
suite_bad "'--outp'" "{\"groups\": [{$g, \"outp\": \"$OUT/stolen.json\"}]}"
suite_bad "'--hel'" "{\"groups\": [{$g, \"hel\": true}]}"
suite_bad '"help"' "{\"groups\": [{$g, \"help\": true}]}"
suite_bad '"output"' "{\"groups\": [{$g, \"output\": \"$OUT/stolen.json\"}]}"
suite_bad '"suite"' "{\"groups\": [{$g, \"suite\": \"x.json\"}]}"
suite_bad "'--dur'" "{\"defaults\": {\"dur\": 1}, \"groups\": [{$g}]}"
suite_bad '"workload" needs a value' "{\"groups\": [{\"workload\": true, $g}]}"
suite_bad '"verify" is a flag' "{\"groups\": [{$g, \"verify\": \"cipher\"}]}"
suite_bad 'group 2 repeats a case of group 1' "{\"groups\": [{$g}, {$g}]}"

# Newlines and escape sequences in input never reach the terminal: one
# stderr line, no ESC byte, for an option value, a file name and a key.
nasty=$(printf 'x\n\033[31mred')
clean_line() { # clean_line WHAT STATUS-WANTED COMMAND...
	local what=$1 want=$2
	shift 2
	"$@" >/dev/null 2>"$OUT/err"
	local rc=$?
	expect "$what: exit $want (got $rc)" [ $rc -eq "$want" ]
	expect "$what: one stderr line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "$what: no ESC byte on stderr" [ "$(tr -cd '\033' <"$OUT/err" | wc -c)" -eq 0 ]
}
clean_line "run --cipher with ESC" 2 "$NCBENCH" run -q -c "$nasty"
clean_line "run --size with ESC" 2 "$NCBENCH" run -q -s "$nasty"
clean_line "run --workload with ESC" 2 "$NCBENCH" run -q -w "$nasty"
clean_line "run with an ESC option" 2 "$NCBENCH" run -q "--$nasty"
clean_line "run -o in a missing ESC dir" 2 "$NCBENCH" run -q -o "$OUT/$nasty/x.json"
clean_line "run --suite ESC file" 2 "$NCBENCH" run -q --suite "$OUT/$nasty.json"
clean_line "unknown ESC command" 2 "$NCBENCH" "$nasty"
clean_line "list with an ESC argument" 2 "$NCBENCH" list "$nasty"
clean_line "kat ESC file" 2 "$NCBENCH" kat "$OUT/$nasty.json"
printf '{"groups": [{"%s": 1}]}' "$nasty" | sed 's/\x1b/\\u001b/; s/x$/x\\n/' | tr -d '\n' >"$OUT/k.json"
clean_line "suite ESC key" 2 "$NCBENCH" run -q --suite "$OUT/k.json"
printf '{"family": "aes-gcm", "vectors": [{"name": "v\\n\\u001b[2J", "algorithm": "aes-128-gcm"}]}' >"$OUT/v.json"
clean_line "kat ESC vector name" 2 "$NCBENCH" kat "$OUT/v.json"
"$NCBENCH" kat "$OUT/v.json" >"$OUT/kout" 2>/dev/null
expect "kat ESC vector name: no ESC on stdout" [ "$(tr -cd '\033' <"$OUT/kout" | wc -c)" -eq 0 ]

# A vector whose hex field is not hex is refused, whichever field it is
# (an XPN vector's ssci was read through a NULL pointer after the refusal).
python3 - "$(dirname "$0")/../vectors/macsec.json" "$OUT/xpn.json" <<'PY'
import json, sys
v = [x for x in json.load(open(sys.argv[1]))["vectors"] if "XPN" in x["cipher_suite"]][0]
v["ssci"] = "zz" + v["ssci"][2:]
json.dump({"family": "macsec", "vectors": [v]}, open(sys.argv[2], "w"))
PY
clean_line "kat XPN vector with a bad ssci" 2 "$NCBENCH" kat "$OUT/xpn.json"
expect "kat XPN vector with a bad ssci: names it" grep -q "ssci" "$OUT/err"

# --help lists each option once: --io, which four workloads take, on one
# line with their names; no option name twice.
"$NCBENCH" run --help >"$OUT/help" 2>"$OUT/err"
expect "run --help: exit 0 (got $?)" [ $? -eq 0 ]
expect "run --help: --io once ($(grep -cE -- '--io( |$)' "$OUT/help"))" \
	[ "$(grep -cE -- '--io( |$)' "$OUT/help")" -eq 1 ]
expect "run --help: --io with the workloads that take it" \
	grep -qE -- '--io +\[esp, macsec, wg, stream' "$OUT/help"
dups=$(grep -oE -- '^  (-[a-z], |    )--[a-z-]+' "$OUT/help" | sed 's/.*--//' | sort | uniq -d)
expect "run --help: no option listed twice ($dups)" [ -z "$dups" ]
expect "run --help: a default from the table" \
	grep -q -- '(default 64,1420,16384)' <(tr '\n' ' ' <"$OUT/help" | tr -s ' ')

# Config numbers are integers, reals only for seconds and percentages.
"$NCBENCH" run -q -w esp -c aes-128-gcm -b openssl -s 64 -t 1 -d 0.05 -r 1 \
	--warmup 0 --processes 1 -o "$OUT/cfg.json" 2>"$OUT/err"
expect "config run: exit 0 (got $?)" [ $? -eq 0 ]
cfg() { python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['config']; print($1)" "$OUT/cfg.json"; }
expect "config: threads[0] is an integer ($(cfg "repr(c['threads'][0])"))" \
	[ "$(cfg "type(c['threads'][0]).__name__, c['threads'][0]")" = "int 1" ]
expect "config: size, processes, repeat, batch are integers" \
	[ "$(cfg "[type(x).__name__ for x in (c['size'][0], c['processes'], c['repeat'], c['batch'], c['burst'], c['replay-window'], c['icv-len'])]")" = "['int', 'int', 'int', 'int', 'int', 'int', 'int']" ]
expect "config: duration stays a real" [ "$(cfg "type(c['duration']).__name__")" = float ]
tr -d ' \n' <"$OUT/cfg.json" >"$OUT/cfg.flat"
expect "config: written as [1], not [1.0]" grep -q '"threads":\[1\]' "$OUT/cfg.flat"
expect "config run: check_doc finds no real where an integer belongs" "$TESTBIN/check_doc" "$OUT/cfg.json"
rm -f "$OUT/cfg.json"

"$NCBENCH" frobnicate >/dev/null 2>"$OUT/err"
expect "unknown command exits 2" [ $? -eq 2 ]
"$NCBENCH" list --yaml >/dev/null 2>"$OUT/err"
expect "list with a bad flag exits 2" [ $? -eq 2 ]
finish
