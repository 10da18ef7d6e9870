#!/usr/bin/env bash
# A server that outlives its clients, and a client that outlives its
# server: `ncbench serve` keeps serving after a wrong PSK, bytes that are
# not TLS, an oversized length prefix, a message that is not JSON, a
# client that says nothing, a request for an unknown workload or cipher
# and a client killed mid-test; each is followed by a successful test
# against the same server process. A second client while a test runs is
# told the server is busy; a run whose server dies mid-test exits
# non-zero with a partial document. PSK files readable by others are
# refused by both commands. Needs root (skipped otherwise).
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/twohost.bash"
th_up || { echo "peer_robust.sh: needs root and ip(8)"; exit 77; }

PORT=7478
"$NCBENCH" psk -o "$OUT/psk" >/dev/null
"$NCBENCH" psk -o "$OUT/other" >/dev/null
expect "serve starts" th_serve $PORT --psk-file "$OUT/psk"
SRV1=$TH_SRV WRAP1=$TH_WRAP
LOG=$OUT/serve-$PORT.log
RUN=(run --processes 1 -q -w esp -c aes-256-gcm -b openssl -s 1420 --verify)

# good NAME: a correct client right after a hostile one succeeds (the
# server may still be finishing the last session: busy is retried for 5 s).
good() {
	local rc out
	for _ in $(seq 10); do
		out=$(th_in_b timeout -k 2 30 "$NCBENCH" "${RUN[@]}" -d 0.2 -r 1 --warmup 0 \
			--peer "$TH_A4" --psk-file "$OUT/psk" -o "$OUT/good.json" 2>&1)
		rc=$?
		[[ $rc -eq 2 && $out == *busy* ]] || break
		sleep 0.5
	done
	expect "after $1: a correct client succeeds (rc $rc: ${out:0:200})" [ $rc -eq 0 ]
	expect "after $1: server still up" kill -0 "$SRV1"
}

# Wrong PSK: exit 2 within 5 s saying authentication failed; logged.
t0=$(date +%s%N)
out=$(th_in_b timeout -k 2 30 "$NCBENCH" "${RUN[@]}" -d 0.2 -r 1 --peer "$TH_A4" \
	--psk-file "$OUT/other" -o "$OUT/x.json" 2>&1)
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "wrong PSK: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "wrong PSK: within 5 s ($ms ms)" [ $ms -lt 5000 ]
expect "wrong PSK: says authentication failed (${out:0:200})" grep -qi "authentication failed" <<<"$out"
expect "wrong PSK: one line" [ "$(wc -l <<<"$out")" -eq 1 ]
sleep 0.2
expect "wrong PSK: logged" grep -qi "authentication failed" "$LOG"
good "a wrong PSK"

# Bytes that are not TLS.
th_in_b bash -c "exec 3<>/dev/tcp/$TH_A4/$PORT; head -c 4096 /dev/urandom >&3; sleep 0.5"
good "garbage bytes"

# A client that connects and says nothing: let go within the handshake
# limit (5 s), then served again.
th_in_b bash -c "exec 3<>/dev/tcp/$TH_A4/$PORT; exec sleep 7" &
silent_wrap=$!
silent=$(th_child $silent_wrap)
sleep 0.3
t0=$(date +%s%N)
good "a silent client"
kill "$silent" 2>/dev/null; wait "$silent_wrap" 2>/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
expect "a silent client holds the server at most ~6 s ($ms ms)" [ $ms -lt 8000 ]

# Authenticated but hostile: the poke tool speaks TLS with the right key.
for how in oversize not-json bad-version unknown-workload unknown-cipher no-hello; do
	th_in_b "$TESTBIN/ctl_poke" "$TH_A4" $PORT "$OUT/psk" $how >"$OUT/poke-$how.out" 2>&1
	rc=$?
	expect "poke $how: handled as expected (rc $rc: $(head -c 200 "$OUT/poke-$how.out"))" [ $rc -eq 0 ]
	good "poke $how"
done

# A client killed mid-test.
th_in_b "$NCBENCH" "${RUN[@]}" -d 5 -r 3 --peer "$TH_A4" --psk-file "$OUT/psk" \
	-o "$OUT/killed.json" >/dev/null 2>&1 &
wrap=$!
victim=$(th_child $wrap)
sleep 1.5
kill -KILL "$victim"; wait "$wrap" 2>/dev/null
# Free again within a few seconds, not at the end of the 5 s repetition.
t0=$(date +%s%N)
good "a client killed mid-test"
ms=$((($(date +%s%N) - t0) / 1000000))
expect "a killed client's session ends at once ($ms ms)" [ $ms -lt 3000 ]
expect "the server logs that the run host left" grep -Eq "failed: (the run host left mid-repetition|peer: interrupted|peer: closed the connection)" "$LOG"

# Busy: a second client while a test runs.
th_in_b "$NCBENCH" "${RUN[@]}" -d 2 -r 2 --peer "$TH_A4" --psk-file "$OUT/psk" \
	-o "$OUT/long.json" >/dev/null 2>&1 &
long=$!
sleep 1
out=$(th_in_b timeout -k 2 30 "$NCBENCH" "${RUN[@]}" -d 0.2 -r 1 --peer "$TH_A4" \
	--psk-file "$OUT/psk" -o "$OUT/busy.json" 2>&1)
rc=$?
expect "busy: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "busy: says so (${out:0:200})" grep -qi "busy" <<<"$out"
wait "$long"
expect "busy: the running test was not disturbed (rc $?)" [ $? -eq 0 ]

# The server dies mid-test: non-zero, partial document.
th_serve 7479 --psk-file "$OUT/psk"
srv2=$TH_SRV
th_in_b "$NCBENCH" "${RUN[@]}" -d 2 -r 5 --peer "$TH_A4:7479" --psk-file "$OUT/psk" \
	-o "$OUT/orphan.json" >"$OUT/orphan.out" 2>&1 &
orphan=$!
sleep 2
kill -KILL $(cat /proc/"$srv2"/task/*/children 2>/dev/null) "$srv2" 2>/dev/null
wait "$TH_WRAP" 2>/dev/null
t0=$(date +%s%N)
wait "$orphan"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "server died: client exits non-zero (got $rc)" [ $rc -ne 0 ]
expect "server died: client ends within 20 s ($ms ms)" [ $ms -lt 20000 ]
expect "server died: a document with complete false" \
	[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["complete"])' "$OUT/orphan.json")" = False ]

# PSK files readable by others are refused by both commands.
cp "$OUT/psk" "$OUT/open"; chmod 0644 "$OUT/open"
out=$("$NCBENCH" serve --port 7480 --psk-file "$OUT/open" 2>&1)
expect "serve refuses a 0644 PSK file (rc $?)" [ $? -eq 2 ]
out=$(th_in_b "$NCBENCH" "${RUN[@]}" --peer "$TH_A4" --psk-file "$OUT/open" -o "$OUT/y.json" 2>&1)
rc=$?
expect "run refuses a 0644 PSK file (rc $rc)" [ $rc -eq 2 ]
expect "the refusal names the permissions (${out:0:200})" grep -q "0644" <<<"$out"

# SIGTERM ends the server cleanly within a few seconds.
t0=$(date +%s%N)
kill -TERM "$SRV1"
wait "$WRAP1"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "SIGTERM: serve exits 0 (got $rc)" [ $rc -eq 0 ]
expect "SIGTERM: within 3 s ($ms ms)" [ $ms -lt 3000 ]
finish
