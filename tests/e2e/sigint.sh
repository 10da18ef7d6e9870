#!/usr/bin/env bash
# SIGINT during a run: exit 130 and a valid document with
# "complete": false holding the repetitions that finished.
. "$(dirname "$0")/lib.bash"

"$NCBENCH" run -q -c aes-128-gcm -b openssl -s 64,1420,16384 -d 0.4 -r 5 \
	--warmup 0 -o "$OUT/i.json" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
expect "interrupted run exits 130 (got $rc)" [ $rc -eq 130 ]
expect "document written" [ -s "$OUT/i.json" ]
expect "document valid and incomplete" "$TESTBIN/check_doc" "$OUT/i.json" --incomplete
expect "no temp file left" [ -z "$(ls "$OUT" | grep tmp)" ]

# The same for a network run: senders and receivers stop, sockets close.
"$NCBENCH" run -q -w esp -c aes-128-gcm -b openssl -s 64,1420,9000 -d 0.4 \
	-r 5 --warmup 0 -o "$OUT/e.json" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
expect "interrupted esp run exits 130 (got $rc)" [ $rc -eq 130 ]
expect "esp document valid and incomplete" "$TESTBIN/check_doc" "$OUT/e.json" --incomplete
finish
