#!/usr/bin/env bash
# SIGINT during a run: exit 130 and a valid document with
# "complete": false holding the repetitions that finished.
. "$(dirname "$0")/lib.bash"

# interrupt NAME RUN-OPTIONS...: SIGINT 1.5 s into a run of several cases'
# worth of repetitions: exit 130 and a valid, incomplete document.
interrupt() {
	local name=$1 pid rc
	shift
	"$NCBENCH" run -q -d 0.4 -r 5 --warmup 0 -o "$OUT/$name.json" "$@" &
	pid=$!
	sleep 1.5
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	expect "$name: interrupted run exits 130 (got $rc)" [ $rc -eq 130 ]
	expect "$name: document written" [ -s "$OUT/$name.json" ]
	expect "$name: document valid and incomplete" \
		"$TESTBIN/check_doc" "$OUT/$name.json" --incomplete
}

interrupt cipher -c aes-128-gcm -b openssl -s 64,1420,16384
expect "no temp file left" [ -z "$(ls "$OUT" | grep tmp)" ]
# The same for a network run: senders and receivers stop, sockets close.
interrupt esp -w esp -c aes-128-gcm -b openssl -s 64,1420,9000
finish
