#!/usr/bin/env bash
# The stream workload end to end: TLS-style records over TCP on loopback,
# re-framed at the receiver across whatever pieces TCP hands it; verified
# runs of about a second deliver every record with no error, with both
# engines, IPv6, zero copy, a size mix, several connections.
. "$(dirname "$0")/lib.bash"

"$NCBENCH" run --processes 1 -w stream -c aes-256-gcm -b openssl -s 16384 --verify -d 0.5 \
	-r 2 --warmup 0.1 -o "$OUT/v.json" >"$OUT/v.txt" 2>"$OUT/v.err"
expect "verified run exits 0" [ $? -eq 0 ]
expect "verified run consistent" "$TESTBIN/check_doc" "$OUT/v.json"
expect "records received" [ "$(field "$OUT/v.json" "min(s['packets'] for s in r['samples'])")" -gt 0 ]
expect "no errors of any kind" [ "$(field "$OUT/v.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]
expect "transport and framing recorded" [ "$(field "$OUT/v.json" "r['transport'], r['framing']")" = "tcp tls13-records" ]
expect "one send in flight on the stream" grep -q '"tx": "uring: send, waitall, one in flight' "$OUT/v.json"
expect "wire bytes count headers and tags" [ "$(field "$OUT/v.json" "int(r['summary']['wire_gbps'] > r['summary']['gbps']['median'])")" -eq 1 ]

variants stream 0.3 \
	"sum(r['errors'].values()) + sum(r['rejects'].values()) == 0" \
	"min(s['packets'] for s in r['samples']) > 0" <<'CASES'
epoll     -c aes-256-gcm -b gcrypt -s 1420 --io epoll
v6        -c chacha20-poly1305 -b openssl -s 100 --family 6
imix      -c aes-128-gcm -b openssl --imix simple
zerocopy  -c aes-128-gcm -b openssl -s 16384 --zerocopy
small     -c aes-128-gcm -b ipsec-mb -s 9
two       -c null -s 4096 --threads 2 --oversubscribe --busy-poll 0
CASES
# A sender always mid-send when a repetition ends (a batch of 1 MiB through
# 64 KiB socket buffers): the receiver reads on until the last send is
# through, so no repetition waits on a blocked send, no buffer is reused
# while the kernel still reads it, and every record arrives intact.
for io in uring epoll; do
	mid_send "mid-send $io" records -w stream -c aes-128-gcm -b openssl -s 16384 \
		--batch 64 --sockbuf 65536 --io $io --verify -d 0.05 -r 4 --warmup 0
done

# Anyone on the host may connect to a receiver's port: a stranger that
# gets in first, sending empty records, must not be taken for the sender.
# The stranger races each run's connect, so runs repeat until it got in.
port=$((30000 + RANDOM % 20000)) landed=0
for i in 1 2 3 4 5 6 7 8; do
	python3 - "$port" "$OUT/stranger.n" <<'PY' &
import socket, sys, time
port, out, n = int(sys.argv[1]), sys.argv[2], 0
end = time.time() + 1.5
while time.time() < end:
    for p in (port, port + 1):
        try:
            s = socket.create_connection(("127.0.0.1", p), timeout=0.2)
        except OSError:
            continue
        n += 1
        try:
            s.sendall(bytes([0x17, 3, 3, 0, 0]) * 3000)
        except OSError:
            pass
        s.close()
open(out, "w").write(str(n))
PY
	spid=$!
	sleep 0.1
	"$NCBENCH" run --processes 1 -q -w stream -c aes-128-gcm -b openssl -s 1420 --verify \
		--threads 2 --oversubscribe --port "$port" -d 0.1 -r 1 --warmup 0 \
		-o "$OUT/stranger.json" 2>"$OUT/stranger.err"
	rc=$?
	wait "$spid"
	expect "stranger $i: run exits 0 (got $rc: $(head -c 200 "$OUT/stranger.err"))" [ $rc -eq 0 ]
	[ $rc -eq 0 ] && expect "stranger $i: no rejects or errors" \
		[ "$(field "$OUT/stranger.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]
	[ "$(cat "$OUT/stranger.n")" -gt 0 ] && landed=$((landed + 1))
	[ $landed -ge 2 ] && break
done
[ $landed -gt 0 ] || echo "note: the stranger never got in; its checks proved nothing" >&2
"$NCBENCH" run --processes 1 -w stream -s 16385 -o "$OUT/big.json" >/dev/null 2>"$OUT/big.err"
expect "records over 16384 bytes refused (exit 2)" [ $? -eq 2 ]
expect "refusal cites the limit" grep -q 'at most 16384' "$OUT/big.err"
"$NCBENCH" run --processes 1 -w stream --reorder 5 -o "$OUT/ro.json" >/dev/null 2>"$OUT/ro.err"
expect "--reorder refused on a stream (exit 2)" [ $? -eq 2 ]
finish
