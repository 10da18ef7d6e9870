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
check "openssl does not offer null" --cipher null --backend openssl
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
check "--verify does not apply" --verify
check "--imix: unknown mix" -w esp --imix heavy
check "exclude each other" -w esp --imix simple --size 64
check "--imix does not apply" --imix simple
check "--batch" -w esp --batch 0
check "--batch" -w esp --batch 257
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
check "--esn does not apply" --esn
check "--threads" -w esp --threads "$pus" --cipher aes-128-gcm

"$NCBENCH" frobnicate >/dev/null 2>"$OUT/err"
expect "unknown command exits 2" [ $? -eq 2 ]
"$NCBENCH" list --yaml >/dev/null 2>"$OUT/err"
expect "list with a bad flag exits 2" [ $? -eq 2 ]
finish
