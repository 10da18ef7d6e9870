#!/usr/bin/env bash
# Two hosts on loopback: `ncbench serve` and `ncbench run --peer`. Their
# refusals (exit 2, one line), a PSK file others may read refused by
# both, a verified flow/esp case end to end with both ends in the
# document, a wrong key refused within 5 s and the same server then
# serving a right one, a second client told busy while a test runs, a
# run that loses its server mid-test, and the server's stop.
. "$(dirname "$0")/lib.bash"

# one_line NAME CMD...: exits 2 with exactly one line on stderr.
one_line() {
	local name=$1 rc
	shift
	"$@" >"$OUT/out" 2>"$OUT/err"
	rc=$?
	expect "$name: exit 2 (got $rc: $(head -c 200 "$OUT/err"))" [ $rc -eq 2 ]
	expect "$name: one line ($(wc -l <"$OUT/err"))" [ "$(wc -l <"$OUT/err")" -eq 1 ]
}

PSK=$OUT/psk
OTHER=$OUT/other
OPEN=$OUT/open
"$NCBENCH" psk -o "$PSK" >/dev/null && "$NCBENCH" psk -o "$OTHER" >/dev/null &&
	"$NCBENCH" psk -o "$OPEN" >/dev/null && chmod 644 "$OPEN"
expect "psk files made" [ -s "$PSK" ] && [ -s "$OTHER" ]

# --- Refusals, before anything connects ------------------------------------
run=("$NCBENCH" run -q --processes 1 -d 0.1 -r 1)
one_line "cipher with --peer" "${run[@]}" -w cipher --peer 127.0.0.1 --psk-file "$PSK"
expect "cipher with --peer: names --peer" grep -q -- '--peer' "$OUT/err"
one_line "--reverse without --peer" "${run[@]}" -w esp --reverse
one_line "--bidir without --peer" "${run[@]}" -w esp --bidir
one_line "--reverse and --bidir" "${run[@]}" -w esp --peer 127.0.0.1 --psk-file "$PSK" --reverse --bidir
one_line "--peer without --psk-file" "${run[@]}" -w esp --peer 127.0.0.1
expect "--peer without --psk-file: says so" grep -q -- '--psk-file' "$OUT/err"
one_line "--psk-file without --peer" "${run[@]}" -w esp --psk-file "$PSK"
one_line "--peer with a bad port" "${run[@]}" -w esp --peer 127.0.0.1:99999 --psk-file "$PSK"
one_line "run: psk 0644" "${run[@]}" -w esp --peer 127.0.0.1 --psk-file "$OPEN" -o "$OUT/open.json"
expect "run: psk 0644: says too open" grep -q 'too open' "$OUT/err"
expect "run: psk 0644: no document" [ ! -e "$OUT/open.json" ]
one_line "serve: psk 0644" "$NCBENCH" serve --bind 127.0.0.1 --port 0 --psk-file "$OPEN"
expect "serve: psk 0644: says too open" grep -q 'too open' "$OUT/err"
one_line "serve: no --psk-file" "$NCBENCH" serve --port 0
one_line "serve: bad port" "$NCBENCH" serve --port 70000 --psk-file "$PSK"
one_line "serve: unknown option" "$NCBENCH" serve --psk-file "$PSK" --nosuch
one_line "serve: no such --dev" "$NCBENCH" serve --psk-file "$PSK" --dev nosuch0
one_line "serve: extra argument" "$NCBENCH" serve --psk-file "$PSK" extra
"$NCBENCH" serve --help >"$OUT/help" 2>&1
expect "serve --help: exit 0 (got $?)" [ $? -eq 0 ]
expect "serve --help: names its options" grep -q -- '--psk-file FILE' "$OUT/help"

# --- A case end to end --------------------------------------------------
expect "serve starts and listens" serve_start srv "$PSK" --cpus 0
peer=(--peer "127.0.0.1:$SERVE_PORT" --psk-file "$PSK")
esp=(-w esp -c aes-128-gcm -b openssl -s 1420 --verify --cpus 1 --warmup 0.1)
"${run[@]}" "${peer[@]}" "${esp[@]}" -r 2 -o "$OUT/esp.json" 2>"$OUT/esp.err"
rc=$?
expect "esp forward: exit 0 (got $rc: $(head -c 300 "$OUT/esp.err"))" [ $rc -eq 0 ]
expect "esp forward: consistent" "$TESTBIN/check_doc" "$OUT/esp.json"
if [ -s "$OUT/esp.json" ]; then
	f=$OUT/esp.json
	expect "esp forward: peer address" [ "$(field "$f" "r['peer']['address']")" = "127.0.0.1:$SERVE_PORT" ]
	expect "esp forward: peer mode and role" [ "$(field "$f" "r['peer']['mode'] + r['peer']['role']")" = forwardrun ]
	expect "esp forward: peer host" [ "$(field "$f" "r['peer']['host']['hostname']")" = "$(hostname)" ]
	expect "esp forward: peer placement on --cpus 0" \
		[ "$(field "$f" "[p['pu'] for p in r['peer']['placement']]")" = "[0]" ]
	expect "esp forward: every sample has the peer's CPU" \
		[ "$(field "$f" "int(all(s['peer']['cpu_seconds'] > 0 for s in r['samples']))")" = 1 ]
	expect "esp forward: received > 0, no errors" \
		[ "$(field "$f" "int(min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay'] == 0)")" = 1 ]
	expect "esp forward: config records the peer" \
		[ "$(field "$f" "d['config']['peer'] + ' ' + d['config']['peer_mode']")" = "127.0.0.1:$SERVE_PORT forward" ]
fi
expect "serve logs the session" grep -q ": esp aes-128-gcm/openssl 1420 forward: ok, 2 repetitions$" "$SERVE_LOG"

# --- A wrong key: refused within 5 s, the server serves the next ---------
t0=$(date +%s%N)
"${run[@]}" --peer "127.0.0.1:$SERVE_PORT" --psk-file "$OTHER" "${esp[@]}" -o "$OUT/wrong.json" \
	>"$OUT/out" 2>"$OUT/err"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "wrong key: exit 2 (got $rc: $(head -c 200 "$OUT/err"))" [ $rc -eq 2 ]
expect "wrong key: within 5 s (${ms} ms)" [ $ms -lt 5000 ]
expect "wrong key: says authentication failed" grep -q 'authentication failed' "$OUT/err"
expect "wrong key: one line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
expect "wrong key: no document" [ ! -e "$OUT/wrong.json" ]
"${run[@]}" "${peer[@]}" "${esp[@]}" -o "$OUT/after.json" 2>"$OUT/after.err"
rc=$?
expect "after a wrong key: the right one runs (got $rc: $(head -c 200 "$OUT/after.err"))" [ $rc -eq 0 ]
expect "serve logs the wrong key" grep -q ': authentication failed' "$SERVE_LOG"
for k in "$PSK" "$OTHER"; do
	for f in "$SERVE_LOG" "$OUT/esp.json" "$OUT/esp.err" "$OUT/err"; do
		refute "no key in $(basename "$f")" grep -qi "$(tr -d '\n' <"$k")" "$f"
	done
done

# --- Busy: a second client while a test runs ---------------------------------
"${run[@]}" "${peer[@]}" "${esp[@]}" -d 1 -r 2 -o "$OUT/long.json" 2>"$OUT/long.err" &
long=$!
# It holds the session slot once its hello arrived.
sleep 1
"${run[@]}" "${peer[@]}" "${esp[@]}" -o "$OUT/busy.json" >"$OUT/out" 2>"$OUT/err"
rc=$?
expect "busy: exit 2 (got $rc: $(head -c 200 "$OUT/err"))" [ $rc -eq 2 ]
expect "busy: says so" grep -q 'busy' "$OUT/err"
wait $long
rc=$?
expect "busy: the running test goes on (got $rc: $(head -c 200 "$OUT/long.err"))" [ $rc -eq 0 ]
expect "serve logs busy" grep -q ': busy' "$SERVE_LOG"

# --- The server stops on SIGTERM within a few seconds ----------------------
t0=$(date +%s%N)
serve_stop
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "serve: SIGTERM: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "serve: SIGTERM: within 3 s (${ms} ms)" [ $ms -lt 3000 ]

# --- Ctrl-C ends a run within seconds; the server hears it and goes on ----
expect "second server starts" serve_start srv2 "$PSK" --cpus 0
peer=(--peer "127.0.0.1:$SERVE_PORT" --psk-file "$PSK")
"${run[@]}" "${peer[@]}" "${esp[@]}" -d 0.5 -r 20 -o "$OUT/int.json" >/dev/null 2>&1 &
int=$!
sleep 2
kill -INT $int
t0=$(date +%s%N)
wait $int
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "Ctrl-C: exit 130 (got $rc)" [ $rc -eq 130 ]
expect "Ctrl-C: within 3 s (${ms} ms)" [ $ms -lt 3000 ]
expect "Ctrl-C: incomplete document" "$TESTBIN/check_doc" "$OUT/int.json" --incomplete
for i in $(seq 100); do grep -q 'failed: peer: interrupted' "$SERVE_LOG" && break; sleep 0.05; done
expect "Ctrl-C: the server logs it" grep -q ': esp .* forward: failed: peer: interrupted$' "$SERVE_LOG"

# --- The server dies mid-test: the run fails with a partial document -------
"${run[@]}" --peer "127.0.0.1:$SERVE_PORT" --psk-file "$PSK" "${esp[@]}" -d 0.5 -r 20 \
	-o "$OUT/cut.json" >/dev/null 2>"$OUT/cut.err" &
cut=$!
sleep 2.5
{ kill -KILL "$SERVE_PID" && wait "$SERVE_PID"; } 2>/dev/null
t0=$(date +%s%N)
wait $cut
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "server killed: the run fails (got $rc)" [ $rc -eq 1 ]
expect "server killed: the run ends within 5 s (${ms} ms)" [ $ms -lt 5000 ]
expect "server killed: says what the peer did: $(head -c 200 "$OUT/cut.err")" grep -q 'peer' "$OUT/cut.err"
expect "server killed: incomplete document" "$TESTBIN/check_doc" "$OUT/cut.json" --incomplete
expect "server killed: the repetitions before it are kept" \
	[ "$(field "$OUT/cut.json" "len(r['samples'])")" -ge 1 ]

# --- --once: the server ends after its first session -----------------------
expect "--once server starts" serve_start once "$PSK" --cpus 0 --once
"${run[@]}" --peer "127.0.0.1:$SERVE_PORT" --psk-file "$PSK" "${esp[@]}" -o "$OUT/once.json" 2>"$OUT/once.err"
rc=$?
expect "--once: the case runs (got $rc: $(head -c 200 "$OUT/once.err"))" [ $rc -eq 0 ]
for i in $(seq 60); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.05; done
refute "--once: the server has ended" kill -0 "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID"
rc=$?
expect "--once: exit 0 (got $rc)" [ $rc -eq 0 ]
finish
