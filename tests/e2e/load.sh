#!/usr/bin/env bash
# Every PU held by a busy loop while verified network runs go: stream over
# both engines, esp, macsec, rr over TCP and UDP. A loaded machine slows
# them but must not break them: no authentication failure, mismatch or
# reject (UDP may drop; drops are counted, not failed), records in every
# repetition, and every run ends within its duration and a few seconds.
# Then SIGTERM in the middle of a run whose sender waits on its receiver
# ends it within 2 s with a valid, incomplete document.
. "$(dirname "$0")/lib.bash"

BUSY=()
stop_busy() {
	local p
	for p in "${BUSY[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${BUSY[@]}"; do wait "$p" 2>/dev/null; done
	BUSY=()
}
trap 'stop_busy; [ -n "${KEEP:-}" ] || rm -rf "$OUT"' EXIT
# One spinning shell per PU; timeout ends them even if this script dies.
for _ in $(seq "$(nproc)"); do
	timeout 120 sh -c 'while :; do :; done' &
	BUSY+=($!)
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# loaded NAME SECONDS REPEAT ALLOWED-REJECTS ARGS...: a verified run under
# load, checked as above. ALLOWED-REJECTS: reject counters that are drops.
loaded() {
	local name=$1 secs=$2 reps=$3 allowed=$4 t0 ms rc limit
	shift 4
	t0=$(now_ms)
	timeout -k 2 30 "$NCBENCH" run --processes 1 -q --verify -d "$secs" -r "$reps" --warmup 0.05 "$@" \
		-o "$OUT/$name.json" 2>"$OUT/$name.err"
	rc=$? ms=$(($(now_ms) - t0))
	limit=$(python3 -c "print(int(($secs * $reps + 0.05 + 5) * 1000))")
	expect "$name: exits 0 (got $rc: $(head -c 200 "$OUT/$name.err"))" [ $rc -eq 0 ]
	expect "$name: ends in time (${ms} ms, limit ${limit} ms)" [ "$ms" -lt "$limit" ]
	[ $rc -eq 0 ] || return
	expect "$name: consistent" "$TESTBIN/check_doc" "$OUT/$name.json"
	expect "$name: no auth failure, mismatch or reject" [ "$(field "$OUT/$name.json" \
		"r['errors']['auth_fail'] + r['errors']['mismatch'] + sum(v for k, v in r['rejects'].items() if k not in '$allowed'.split(','))")" -eq 0 ]
	expect "$name: records in every repetition" [ "$(field "$OUT/$name.json" \
		"int(len(r['samples']) == $reps and min(s['packets'] for s in r['samples']) > 0)")" -eq 1 ]
}

loaded stream-uring 0.4 2 - -w stream -c aes-256-gcm -b openssl -s 16384
loaded stream-epoll 0.4 2 - -w stream -c aes-128-gcm -b openssl -s 1420 --io epoll
loaded esp 0.3 2 - -w esp -c aes-128-gcm -b openssl -s 1420
loaded macsec 0.3 2 - -w macsec -c aes-128-gcm -b openssl -s 1420
loaded rr-tcp-uring 0.3 2 - -w rr --transport tcp -c aes-128-gcm -b openssl -s 1420 --depth 16
loaded rr-tcp-epoll 0.3 2 - -w rr --transport tcp --io epoll -c aes-128-gcm -b openssl -s 16384 --depth 16
loaded rr-udp 0.3 2 lost -w rr -c aes-128-gcm -b openssl -s 1420 --depth 8

# SIGTERM 1 s into a long run whose sender is blocked on its receiver most
# of the time (1 MiB batches through 64 KiB socket buffers).
for io in epoll uring; do
	"$NCBENCH" run --processes 1 -q --verify -w stream -c aes-128-gcm -b openssl -s 16384 \
		--batch 64 --sockbuf 65536 --io "$io" -d 10 -r 3 --warmup 0 \
		-o "$OUT/term-$io.json" 2>"$OUT/term-$io.err" &
	pid=$!
	sleep 1
	kill -TERM "$pid"
	t0=$(now_ms)
	# Wait at most 5 s, then make sure it is gone.
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	ms=$(($(now_ms) - t0))
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid"
	rc=$?
	expect "sigterm $io: ends within 2 s (${ms} ms)" [ "$ms" -le 2000 ]
	expect "sigterm $io: exits as interrupted (got $rc)" [ $rc -eq 130 -o $rc -eq 143 ]
	expect "sigterm $io: valid, incomplete document" \
		"$TESTBIN/check_doc" "$OUT/term-$io.json" --incomplete
done
# Short repetitions under load: a worker that gets its PU only after a
# 10 ms repetition would be over still measures it (the team starts the
# clock once every worker has begun, and a cipher worker does at least one
# unit), so no sample moves nothing.
"$NCBENCH" run --processes 2 -q -w cipher -c chacha20-poly1305,aes-128-gcm -b openssl,gcrypt \
	-s 64,1420 -d 0.01 --warmup 0 -r 3 -o "$OUT/short.json" 2>"$OUT/short.err"
expect "short repetitions under load: exit 0" [ $? -eq 0 ]
expect "short repetitions under load: every sample moved something" [ "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for r in d["results"] for s in r["samples"] if s["packets"] <= 0))' "$OUT/short.json")" -eq 0 ]

stop_busy
finish
