#!/usr/bin/env bash
# Two hosts end to end: `ncbench serve` in one network namespace, `run
# --peer` in another, joined by a veth pair (tests/e2e/twohost.bash).
# Every network workload (macsec also as raw Ethernet frames on the
# veth), forward, --reverse and --bidir, over IPv4 and IPv6: verified runs exit 0 with something received in every
# repetition and no error, and the document holds both ends (the peer's
# fingerprint, placement and CPU per repetition). No byte of the PSK or
# of the data-plane keys (known here through the key test hook) appears
# in any output, log or document. Needs root (skipped otherwise).
. "$(dirname "$0")/lib.bash"
# The key test pattern's one definition (keypattern.py).
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
. "$(dirname "$0")/twohost.bash"
th_up || { echo "peer.sh: needs root and ip(8)"; exit 77; }

PORT=7478
"$NCBENCH" psk -o "$OUT/psk" >/dev/null
expect "psk file written" [ -s "$OUT/psk" ]
expect "serve starts" th_serve $PORT --psk-file "$OUT/psk" --dev "$TH_DEV_A"

SEED=0x5a
# peer_case NAME PEER ARGS...: one verified two-host run from B.
peer_case() {
	local name=$1 peer=$2 rc f
	shift 2
	f=$OUT/$name
	th_in_b env NCBENCH_TEST_KEY_BYTE=$SEED timeout -k 2 60 "$NCBENCH" run --processes 1 \
		--peer "$peer" --psk-file "$OUT/psk" --verify -d 0.3 -r 2 --warmup 0.1 "$@" \
		-o "$f.json" >"$f.out" 2>"$f.err"
	rc=$?
	expect "$name: exits 0 (got $rc: $(head -c 300 "$f.err"))" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || return
	expect "$name: consistent" "$TESTBIN/check_doc" "$f.json"
	expect "$name: received in every repetition" \
		[ "$(field "$f.json" "int(min(s['packets'] for s in r['samples']) > 0)")" -eq 1 ]
	expect "$name: no errors" \
		[ "$(field "$f.json" "r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay']")" -eq 0 ]
	expect "$name: the peer's fingerprint" \
		[ -n "$(field "$f.json" "r['peer']['host']['hostname']")" ]
	expect "$name: the peer's placement" \
		[ "$(field "$f.json" "int(len(r['peer']['placement']) == r['peer']['workers'] > 0)")" -eq 1 ]
	expect "$name: both ends' CPU in every repetition" \
		[ "$(field "$f.json" "int(all(s['cpu_seconds'] > 0 and s['peer']['cpu_seconds'] > 0 for s in r['samples']))")" -eq 1 ]
}

A4=$TH_A4 A6="[$TH_A6]"
while read -r name peer args; do
	# shellcheck disable=SC2086
	peer_case "$name" "$peer" $args
done <<CASES
esp-fwd-4      $A4 -w esp -c aes-256-gcm -b openssl -s 1420
esp-rev-4      $A4 -w esp -c aes-128-gcm -b ipsec-mb -s 64 --reverse
esp-bidir-4    $A4 -w esp -c chacha20-poly1305 -b sodium -s 512 --bidir
esp-fwd-6      $A6 -w esp -c aes-256-gcm -b openssl -s 1380
esp-rev-6      $A6 -w esp -c aes-256-gcm -b gcrypt -s 1380 --reverse
esp-bidir-6    $A6 -w esp -c aes-128-gcm -b openssl --imix simple --bidir --no-gso
macsec-fwd-4   $A4 -w macsec -c aes-128-gcm -b openssl -s 1420
macsec-rev-6   $A6 -w macsec -c aes-256-gcm -b openssl -s 512 --reverse
macsec-bidir-4 $A4 -w macsec -c aes-128-gcm -b openssl -s 1420 --bidir
macsec-raw-fwd $A4 -w macsec -c aes-128-gcm -b openssl -s 1420 --transport raw --dev $TH_DEV_B
macsec-raw-rev $A4 -w macsec -c aes-256-gcm -b ipsec-mb -s 512 --transport raw --dev $TH_DEV_B --reverse --threads 2
macsec-raw-bid $A4 -w macsec -c aes-128-gcm -b openssl -s 1024 --transport raw --dev $TH_DEV_B --bidir
wg-fwd-4       $A4 -w wg -c chacha20-poly1305 -b openssl -s 1420
wg-rev-6       $A6 -w wg -c chacha20-poly1305 -b sodium -s 1380 --reverse
wg-bidir-4     $A4 -w wg -c chacha20-poly1305 -b openssl -s 256 --bidir
stream-fwd-4   $A4 -w stream -c aes-256-gcm -b openssl -s 16384
stream-rev-4   $A4 -w stream -c aes-128-gcm -b openssl -s 4096 --reverse
stream-bidir-6 $A6 -w stream -c chacha20-poly1305 -b openssl -s 16384 --bidir
rr-udp-fwd-4   $A4 -w rr -c aes-256-gcm -b openssl -s 256
rr-udp-rev-6   $A6 -w rr -c aes-256-gcm -b openssl -s 256 --reverse
rr-udp-bidir-4 $A4 -w rr -c aes-128-gcm -b openssl -s 64 --bidir --depth 4
rr-tcp-fwd-6   $A6 -w rr -c aes-256-gcm -b openssl -s 1024 --transport tcp
rr-tcp-rev-4   $A4 -w rr -c aes-256-gcm -b openssl -s 1024 --transport tcp --reverse
rr-tcp-bidir-4 $A4 -w rr -c chacha20-poly1305 -b openssl -s 256 --transport tcp --bidir
CASES

# A datagram longer than the veth's MTU (1500) with segmentation on is
# refused up front, naming the MTU (every send would fail).
out=$(th_in_b "$NCBENCH" run --processes 1 --peer "$A6" --psk-file "$OUT/psk" -d 0.2 -r 1 \
	-w esp -c aes-256-gcm -b openssl -s 1420 -o "$OUT/mtu.json" 2>&1)
expect "over the MTU: refused (${out:0:200})" grep -q "path MTU 1500" <<<"$out"

# rr records its latency at whichever host runs the clients.
for f in rr-udp-rev-6 rr-tcp-rev-4 rr-udp-bidir-4; do
	expect "$f: latency recorded where the clients ran" \
		[ "$(field "$OUT/$f.json" "int(r['latency_ns']['count'] > 100 and r['latency_ns']['p50'] > 0)" 2>/dev/null)" = 1 ]
done

# The server kept serving and logged one line per test.
expect "server still up" kill -0 "$TH_SRV"
n_ok=$(grep -c ": ok" "$OUT/serve-$PORT.log")
expect "one log line per test ($n_ok)" [ "$n_ok" -ge 24 ]

# No PSK or data-plane key byte anywhere: the PSK's hex, and any 8-byte
# window of the test key pattern as hex (either case).
cat >"$OUT/leak.py" <<'PY'
import sys
from keypattern import pattern
psk = open(sys.argv[2]).read().strip().lower()
key = pattern(int(sys.argv[1], 0), 96)
needles = [psk[i:i + 16] for i in range(0, 64, 8)]
needles += [key[i:i + 8].hex() for i in range(0, 88)]
hits = 0
for f in sys.argv[3:]:
    data = open(f, 'rb').read()
    low = data.lower()
    for n in needles:
        if n.encode() in low or bytes.fromhex(n) in data:
            hits += 1
            print(f, n, file=sys.stderr)
print(hits)
PY
mapfile -t files < <(ls "$OUT"/*.json "$OUT"/*.out "$OUT"/*.err "$OUT"/serve-*.log 2>/dev/null)
expect "no PSK or key bytes in outputs, logs or documents" \
	[ "$(python3 "$OUT/leak.py" "$SEED" "$OUT/psk" "${files[@]}")" -eq 0 ]
finish
