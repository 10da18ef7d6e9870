#!/usr/bin/env bash
# The rr workload end to end: encrypted request/response over UDP (ESP)
# and TCP (records) for about a second each, with zero errors; the result
# carries ordered latency percentiles and the transaction rate.
. "$(dirname "$0")/lib.bash"

for t in udp tcp; do
	"$NCBENCH" run --processes 1 -w rr --transport "$t" -c aes-256-gcm -b openssl -s 64 \
		--verify -d 0.5 -r 2 --warmup 0.1 -o "$OUT/$t.json" >"$OUT/$t.txt" 2>"$OUT/$t.err"
	expect "$t: exits 0" [ $? -eq 0 ]
	expect "$t: consistent" "$TESTBIN/check_doc" "$OUT/$t.json"
	expect "$t: exchanges completed" [ "$(field "$OUT/$t.json" "r['latency_ns']['count']")" -gt 1000 ]
	expect "$t: no errors of any kind" [ "$(field "$OUT/$t.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]
	expect "$t: percentiles ordered" [ "$(field "$OUT/$t.json" \
		"int(0 < r['latency_ns']['min'] <= r['latency_ns']['p50'] <= r['latency_ns']['p90'] <= r['latency_ns']['p99'] <= r['latency_ns']['p999'] <= r['latency_ns']['max'])")" -eq 1 ]
	expect "$t: transaction rate recorded" [ "$(field "$OUT/$t.json" "int(r['summary']['tps']['median'] > 0)")" -eq 1 ]
	expect "$t: rate matches the exchanges" [ "$(field "$OUT/$t.json" \
		"int(abs(sum(s['packets'] for s in r['samples']) - r['latency_ns']['count']) == 0)")" -eq 1 ]
	expect "$t: transport recorded" [ "$(field "$OUT/$t.json" "r['transport']")" = "$t" ]
done
expect "udp is ESP, tcp records" [ "$(field "$OUT/udp.json" "r['framing']")/$(field "$OUT/tcp.json" "r['framing']")" = "esp-transport/tls13-records" ]

# rr runs every framing: MACsec frames each way over UDP, verified.
"$NCBENCH" run --processes 1 -w rr --framing macsec -c aes-128-gcm -b openssl -s 256 \
	--verify -d 0.3 -r 1 --warmup 0.05 -o "$OUT/macsec.json" >/dev/null 2>"$OUT/macsec.err"
expect "rr --framing macsec: exits 0" [ $? -eq 0 ]
expect "rr --framing macsec: consistent" "$TESTBIN/check_doc" "$OUT/macsec.json"
expect "rr --framing macsec: exchanges completed" [ "$(field "$OUT/macsec.json" "r['latency_ns']['count']")" -gt 100 ]
expect "rr --framing macsec: no errors of any kind" [ "$(field "$OUT/macsec.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]
expect "rr --framing macsec: framing, pattern and transport recorded" [ "$(field "$OUT/macsec.json" "r['framing'], r['pattern'], r['transport'], r['verified']")" = "macsec rr udp True" ]

variants rr 0.3 \
	"sum(r['errors'].values()) + sum(r['rejects'].values()) == 0" \
	"r['latency_ns']['count'] > 0" <<'CASES'
null      -c null -s 64
epoll     -c aes-128-gcm -b gcrypt --io epoll --transport tcp
depth     -c chacha20-poly1305 -b openssl -s 1420 --depth 16 --transport tcp
udpdepth  -c aes-128-gcm -b ipsec-mb -s 512 --depth 8
v6        -c aes-128-gcm -b openssl --family 6
CASES
# TCP with 1 MiB of requests and answers in flight through 64 KiB socket
# buffers: sends are mid-way when a repetition ends. Both sides read on
# until neither has a send in flight, so every repetition ends in time and
# the record streams stay whole.
for io in uring epoll; do
	mid_send "mid-send $io" exchanges -w rr --transport tcp --io $io -c aes-128-gcm \
		-b openssl -s 16384 --depth 64 --sockbuf 65536 --verify -d 0.1 -r 3 --warmup 0
done
"$NCBENCH" run --processes 1 -w rr --depth 0 -o "$OUT/d0.json" >/dev/null 2>"$OUT/d0.err"
expect "--depth 0 refused (exit 2)" [ $? -eq 2 ]
"$NCBENCH" run --processes 1 -w rr --imix simple -o "$OUT/im.json" >/dev/null 2>"$OUT/im.err"
expect "--imix refused for rr (exit 2)" [ $? -eq 2 ]
"$NCBENCH" run --processes 1 -w rr --transport tcp -s 20000 -o "$OUT/big.json" >/dev/null 2>"$OUT/big.err"
expect "records above 16384 refused (exit 2)" [ $? -eq 2 ]
finish
