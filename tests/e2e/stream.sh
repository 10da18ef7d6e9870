#!/usr/bin/env bash
# The stream workload end to end: TLS-style records over TCP on loopback,
# re-framed at the receiver across whatever pieces TCP hands it; verified
# runs of about a second deliver every record with no error, with both
# engines, IPv6, zero copy, a size mix, several connections.
. "$(dirname "$0")/lib.bash"

"$NCBENCH" run -w stream -c aes-256-gcm -b openssl -s 16384 --verify -d 0.5 \
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
"$NCBENCH" run -w stream -s 16385 -o "$OUT/big.json" >/dev/null 2>"$OUT/big.err"
expect "records over 16384 bytes refused (exit 2)" [ $? -eq 2 ]
expect "refusal cites the limit" grep -q 'at most 16384' "$OUT/big.err"
"$NCBENCH" run -w stream --reorder 5 -o "$OUT/ro.json" >/dev/null 2>"$OUT/ro.err"
expect "--reorder refused on a stream (exit 2)" [ $? -eq 2 ]
finish
