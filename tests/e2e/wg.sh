#!/usr/bin/env bash
# The wg framing end to end: WireGuard data messages carried by the flow
# pattern (`-w wg`, the alias of `-w flow --framing wg`) and by rr, verified,
# on every backend that offers ChaCha20-Poly1305, over IPv4 and IPv6, with
# zero errors; another AEAD runs in the same layout but is named
# non-standard. Hostile messages are in inject.sh, vectors in kat.sh.
. "$(dirname "$0")/lib.bash"

wg_ok="sum(r['errors'].values()) + sum(r['rejects'].values()) - r['errors']['drops'] - r['errors']['drops_kernel'] == 0"
variants wg 0.5 "$wg_ok" "r['framing'] == 'wg' and r['pattern'] == 'flow'" \
	"sum(s['packets'] for s in r['samples']) > 1000" <<'CASES'
openssl   -c chacha20-poly1305 -b openssl -s 1420
gcrypt    -c chacha20-poly1305 -b gcrypt -s 64
ipsecmb   -c chacha20-poly1305 -b ipsec-mb -s 1420 --no-gso
sodium    -c chacha20-poly1305 -b sodium -s 512 --io epoll
v6        -c chacha20-poly1305 -b openssl -s 1420 --family 6
window    -c chacha20-poly1305 -b openssl -s 256 --reorder 20 --replay-window 64
mix       -c chacha20-poly1305 -b openssl --imix simple
CASES

# The alias and the pattern name the same case.
"$NCBENCH" run --processes 1 -q -w flow --framing wg -c chacha20-poly1305 -b openssl -s 1420 \
	--verify -d 0.3 -r 1 --warmup 0.05 -o "$OUT/flow.json" 2>"$OUT/flow.err"
expect "flow --framing wg: exits 0 ($(head -c 200 "$OUT/flow.err"))" [ $? -eq 0 ]
expect "flow --framing wg: same framing and pattern as -w wg" \
	[ "$(field "$OUT/flow.json" "r['workload'], r['pattern'], r['framing'], sorted(r['rejects'])")" = \
	  "$(field "$OUT/openssl.json" "'flow', r['pattern'], r['framing'], sorted(r['rejects'])")" ]
expect "wg: reject counters by reason" [ "$(field "$OUT/openssl.json" "sorted(r['rejects'])")" = \
	"['bad_inner', 'bad_tag', 'bad_type', 'oversize', 'replayed', 'too_old', 'truncated', 'unknown_index']" ]

# rr with WireGuard messages each way.
"$NCBENCH" run --processes 1 -q -w rr --framing wg -c chacha20-poly1305 -b sodium -s 256 \
	--verify -d 0.5 -r 2 --warmup 0.05 -o "$OUT/rr.json" 2>"$OUT/rr.err"
expect "rr --framing wg: exits 0 ($(head -c 200 "$OUT/rr.err"))" [ $? -eq 0 ]
expect "rr --framing wg: consistent" "$TESTBIN/check_doc" "$OUT/rr.json"
expect "rr --framing wg: exchanges completed" [ "$(field "$OUT/rr.json" "r['latency_ns']['count']")" -gt 100 ]
expect "rr --framing wg: no errors of any kind" [ "$(field "$OUT/rr.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]

# Another AEAD in WireGuard's layout: runs, and says it is not WireGuard.
"$NCBENCH" run --processes 1 -q -w wg -c aes-256-gcm -b openssl -s 1420 --verify \
	-d 0.2 -r 1 --warmup 0 -o "$OUT/aes.json" 2>"$OUT/aes.err"
expect "wg aes-256-gcm: exits 0" [ $? -eq 0 ]
expect "wg aes-256-gcm: labelled non-standard" [ "$(field "$OUT/aes.json" "r['framing']")" = "wg-nonstandard" ]

# Options of other framings are refused.
"$NCBENCH" run -w wg --esn -d 0.1 >/dev/null 2>"$OUT/esn.err"
expect "wg --esn: exit 2" [ $? -eq 2 ]
expect "wg --esn: one line naming who takes it" grep -q "does not apply to workload wg" "$OUT/esn.err"
finish
