#!/usr/bin/env bash
# The esp workload end to end over loopback: a verified run delivers with
# no authentication failure, every engine and framing variant runs clean
# (bursts of 1 and 32; every encrypt-then-MAC suite on every backend that
# offers it, tunnel and transport, ESN; --icv-len, and its refusals),
# and packets of strangers sent into the receiver's socket mid-run (forged,
# empty, too long) are refused and counted by reason as rejected, never
# delivered, never a mismatch, and do not fail the run: only the run's own
# packets failing (auth_fail) or authentic packets found wrong (mismatch)
# do.
. "$(dirname "$0")/lib.bash"

"$NCBENCH" run --processes 1 -w esp -c aes-256-gcm -b openssl -s 1420 --verify -d 0.5 \
	-r 2 --warmup 0.1 -o "$OUT/v.json" >"$OUT/v.txt" 2>"$OUT/v.err"
expect "verified run exits 0" [ $? -eq 0 ]
expect "verified run consistent" "$TESTBIN/check_doc" "$OUT/v.json"
expect "received > 0" [ "$(field "$OUT/v.json" "min(s['packets'] for s in r['samples'])")" -gt 0 ]
expect "zero auth failures and mismatches" \
	[ "$(field "$OUT/v.json" "r['errors']['auth_fail'] + r['errors']['mismatch']")" -eq 0 ]
expect "kernel drops and failed sends counted apart" \
	[ "$(field "$OUT/v.json" "int(r['errors']['drops_kernel'] >= 0 and r['errors']['send_failed'] == 0)")" -eq 1 ]
expect "marked verified" [ "$(field "$OUT/v.json" "r['verified']")" = True ]
expect "sender and receiver on distinct PUs" \
	[ "$(field "$OUT/v.json" "len(set(r['cpus']))")" -eq "$(( $(nproc) >= 2 ? 2 : 1 ))" ]
expect "sent rate recorded" [ "$(field "$OUT/v.json" "int(r['summary']['sent_pps']['median'] > 0)")" -eq 1 ]
expect "phases recorded" [ "$(field "$OUT/v.json" "int(r['summary']['phases']['crypto_cycles'] > 0)")" -eq 1 ]
expect "engine details recorded" grep -q '"rx": "uring: multishot recvmsg' "$OUT/v.json"
expect "no key material in the document" [ "$(grep -ci '"key' "$OUT/v.json")" -eq 0 ]

# The same case as the flow pattern with --framing esp: the same result
# shape, the pattern recorded, and the workload named as asked.
"$NCBENCH" run --processes 1 -w flow --framing esp -c aes-256-gcm -b openssl -s 1420 --verify \
	-d 0.3 -r 1 --warmup 0.05 -o "$OUT/flow.json" >/dev/null 2>"$OUT/flow.err"
expect "flow --framing esp exits 0" [ $? -eq 0 ]
expect "flow --framing esp consistent" "$TESTBIN/check_doc" "$OUT/flow.json"
expect "flow --framing esp: same result fields as -w esp" [ "$(field "$OUT/flow.json" "sorted(r)")" = "$(field "$OUT/v.json" "sorted(r)")" ]
expect "flow --framing esp: same reject names" [ "$(field "$OUT/flow.json" "sorted(r['rejects'])")" = "$(field "$OUT/v.json" "sorted(r['rejects'])")" ]
expect "flow --framing esp: same options but --framing" [ "$(field "$OUT/flow.json" "sorted(set(r['options']) - {'framing'})")" = "$(field "$OUT/v.json" "sorted(r['options'])")" ]
expect "workload, pattern and framing recorded" [ "$(field "$OUT/flow.json" "r['workload'], r['pattern'], r['framing'], r['options']['framing']")/$(field "$OUT/v.json" "r['workload'], r['pattern'], r['framing']")" = "flow flow esp-tunnel esp/esp flow esp-tunnel" ]
expect "flow --framing esp: no auth failure, mismatch or reject" [ "$(field "$OUT/flow.json" "r['errors']['auth_fail'] + r['errors']['mismatch'] + sum(r['rejects'].values())")" -eq 0 ]

# Variants: engines, offloads, families, modes, ESN, integrity only,
# traffic mix, reordering and loss inside the window, other AEADs.
has6=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0)); print(1)' 2>/dev/null || echo 0)
[ "$has6" = 1 ] || skip='^v6$'
VARIANT_SKIP=${skip:-} variants esp 0.2 \
	"min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay'] == 0" <<'CASES'
epoll      -c aes-128-gcm -b openssl -s 64 --io epoll
epollnogso -c aes-128-gcm -b openssl -s 1420 --io epoll --no-gso
nogso      -c aes-128-gcm -b gcrypt -s 1420 --no-gso
v6         -c aes-128-gcm -b openssl -s 1420 --family 6
transport  -c chacha20-poly1305 -b openssl -s 200 --mode transport
esn        -c aes-256-gcm -b gcrypt -s 1420 --esn
integrity  -c aes-128-gcm -b openssl -s 1420 --esp-mode integrity
imix       -c aes-192-gcm -b openssl --imix simple
reorder    -c aes-128-gcm -b openssl -s 512 --reorder 20 --loss 5
sm4        -c sm4-gcm -b gcrypt -s 1420
null       -c null -s 64
zerocopy   -c aes-128-gcm -b openssl -s 1420 --zerocopy
CASES
expect "imix recorded with its mean size" [ "$(field "$OUT/imix.json" "r['imix'], r['size']")" = "simple 354" ]
expect "esn framing recorded" [ "$(field "$OUT/esn.json" "r['framing']")" = esp-tunnel-esn ]

# Bursts: one crypto call per packet, or up to 32 packets per call (the
# default), both verified clean and recorded among the options.
VARIANT_SKIP= variants esp 0.2 \
	"min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay'] + r['errors']['rejected'] == 0" <<'CASES'
burst1     -c aes-128-gcm -b openssl -s 1420 --burst 1
burst32    -c aes-128-gcm -b openssl -s 1420 --burst 32 --esn
burst7     -c chacha20-poly1305 -b openssl -s 300 --burst 7 --mode transport --reorder 20
CASES
expect "burst recorded" [ "$(field "$OUT/burst1.json" "r['options']['burst']")/$(field "$OUT/burst32.json" "r['options']['burst']")" = "1/32" ]
# An AEAD's ICV is its 16 bytes.
"$NCBENCH" run -q -w esp -c aes-128-gcm -b openssl --icv-len 12 -d 0.05 -o "$OUT/icv.json" 2>"$OUT/icv.err"
rc=$?
expect "--icv-len 12 with an AEAD: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "--icv-len 12 with an AEAD: one line naming --icv-len" \
	[ "$(wc -l <"$OUT/icv.err")" -eq 1 -a -n "$(grep -- --icv-len "$OUT/icv.err")" ]

# Encrypt-then-MAC suites: a verified run of each on every backend that
# offers it, tunnel and transport, one packet or 32 per call, with and
# without ESN (each value of each axis twice, each pair of values once).
"$NCBENCH" list --json >"$OUT/list.json"
mapfile -t etm < <(python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
new = sys.argv[2:]
for a in d['algorithms']:
    if a['name'] in new:
        for b, ok in a['backends'].items():
            if ok:
                print(a['name'], b)" "$OUT/list.json" aes-128-cbc-hmac-sha1 \
	aes-128-cbc-hmac-sha256 aes-256-cbc-hmac-sha256 aes-128-ctr-hmac-sha256 \
	sm4-cbc-hmac-sm3 zuc-128)
echo "encrypt-then-MAC suite/backend pairs offered here: ${#etm[@]}"
for pair in "${etm[@]}"; do
	read -r c b <<<"$pair"
	n=${c}_$b
	VARIANT_SKIP= variants esp 0.2 \
		"min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay'] + r['errors']['rejected'] == 0" <<CASES
$n-t32     -c $c -b $b -s 1420 --burst 32
$n-t1esn   -c $c -b $b -s 1000 --burst 1 --esn
$n-p32esn  -c $c -b $b -s 333 --burst 32 --mode transport --esn
$n-p1      -c $c -b $b --imix simple --burst 1 --mode transport
CASES
	expect "$n: framing and options recorded" \
		[ "$(field "$OUT/$n-p32esn.json" "r['framing'], r['cipher'], r['backend'], r['options']['burst']")" = "esp-transport-esn $c $b 32" ]
done
for pair in "${etm[@]}"; do
	read -r c b <<<"$pair"
	[ "$c" = sm4-cbc-hmac-sm3 ] || continue
	# GM/T 0022 truncates HMAC-SM3 to 96 bits; Linux keeps all 256.
	VARIANT_SKIP= variants esp 0.2 \
		"min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] == 0 and r['framing'] == 'esp-tunnel-icv32'" <<CASES
sm4-icv32-$b -c $c -b $b -s 1420 --icv-len 32
CASES
done
if [ ${#etm[@]} -gt 0 ]; then
	read -r c b <<<"${etm[0]}"
	for bad in "--icv-len 10" "--esp-mode integrity"; do
		# shellcheck disable=SC2086
		"$NCBENCH" run -q -w esp -c "$c" -b "$b" $bad -d 0.05 -o "$OUT/refused.json" \
			>/dev/null 2>"$OUT/refused.err"
		rc=$?
		expect "$c $bad refused: exit 2 (got $rc), one line" \
			[ $rc -eq 2 -a "$(wc -l <"$OUT/refused.err")" -eq 1 ]
		expect "$c $bad refused: names the option ($(cat "$OUT/refused.err"))" \
			grep -q -- "${bad%% *}" "$OUT/refused.err"
		expect "$c $bad refused: no document" [ ! -e "$OUT/refused.json" ]
	done
	"$NCBENCH" run -q -w macsec -c "$c" -b "$b" -d 0.05 -o "$OUT/refused.json" 2>"$OUT/refused.err"
	rc=$?
	expect "macsec refuses $c: exit 2 (got $rc), one line ($(cat "$OUT/refused.err"))" \
		[ $rc -eq 2 -a "$(wc -l <"$OUT/refused.err")" -eq 1 -a -n "$(grep 'AEADs only' "$OUT/refused.err")" ]
else
	echo "esp.sh: no backend offers an encrypt-then-MAC suite here: their runs skipped" >&2
fi

# Forgeries: packets with the run's SPI (0x100) and a sequence number
# far ahead of the sender's, but a made-up ICV, and packets with an
# unknown SPI, sent into the receiver's socket while a verified run goes
# on: rejected, and the run still passes.
port=$(free_port)
"$NCBENCH" run --processes 1 -q -w esp -c aes-128-gcm -b openssl -s 256 --verify \
	--port "$port" -d 2 -r 1 --warmup 0 -o "$OUT/f.json" 2>"$OUT/f.err" &
pid=$!
wait_bound "$port"
python3 - "$port" <<'PY'
import os, socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dst = ("127.0.0.1", int(sys.argv[1]))
end = time.time() + 0.8
while time.time() < end:
    for spi in (0x100, 0x999):
        seq = 0x7F000000 + int.from_bytes(os.urandom(2), "big")
        pkt = struct.pack(">II", spi, seq) + os.urandom(8 + 260 + 16)
        try:
            s.sendto(pkt, dst)
        except OSError:
            pass
    time.sleep(0.002)
PY
wait "$pid"
rc=$?
expect "forged run exits 0 (strangers' packets fail nothing; got $rc)" [ $rc -eq 0 ]
expect "forged run consistent" "$TESTBIN/check_doc" "$OUT/f.json"
expect "forgeries counted as bad ICV" [ "$(field "$OUT/f.json" "int(r['rejects']['bad_icv'] > 0)")" -eq 1 ]
expect "unknown SPIs counted" [ "$(field "$OUT/f.json" "int(r['rejects']['unknown_spi'] > 0)")" -eq 1 ]
expect "rejected sums both" [ "$(field "$OUT/f.json" "int(r['errors']['rejected'] == r['rejects']['bad_icv'] + r['rejects']['unknown_spi'])")" -eq 1 ]
expect "forgeries far from the sender's numbers are no auth failure" [ "$(field "$OUT/f.json" "r['errors']['auth_fail']")" -eq 0 ]
expect "no forgery delivered as valid (no mismatch)" [ "$(field "$OUT/f.json" "r['errors']['mismatch']")" -eq 0 ]
expect "real traffic still delivered" [ "$(field "$OUT/f.json" "r['samples'][0]['packets']")" -gt 0 ]

# Empty datagrams and ones of 65,008 bytes (the SA's SPI, sequence
# number 1) to a verified --no-gso run: the first kind is truncated, the
# second longer than the receive buffer, so the kernel cuts it (MSG_TRUNC)
# and it is oversize; neither is a mismatch, and the run exits 0. A pair
# goes every 50 ms for 1.5 s: a datagram the receiver reads before its
# repetition starts counts in none (about one run in six under ASan when a
# single pair went at once), and some pairs land inside the 2 s.
port=$(free_port)
"$NCBENCH" run --processes 1 -q -w esp -c aes-128-gcm -b openssl -s 256 --verify --no-gso \
	--port "$port" -d 2 -r 1 --warmup 0 -o "$OUT/e.json" 2>"$OUT/e.err" &
pid=$!
wait_bound "$port"
python3 - "$port" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dst = ("127.0.0.1", int(sys.argv[1]))
end = time.time() + 1.5
while time.time() < end:
    s.sendto(b"", dst)
    s.sendto(struct.pack(">II", 0x100, 1) + bytes(65000), dst)
    time.sleep(0.05)
PY
wait "$pid"
rc=$?
expect "empty and long datagrams: run exits 0 (got $rc: $(head -c 200 "$OUT/e.err"))" [ $rc -eq 0 ]
expect "empty and long datagrams: consistent" "$TESTBIN/check_doc" "$OUT/e.json"
expect "empty datagrams counted as truncated" [ "$(field "$OUT/e.json" "int(r['rejects']['truncated'] >= 1)")" -eq 1 ]
expect "65,008-byte datagrams counted as oversize" [ "$(field "$OUT/e.json" "int(r['rejects']['oversize'] >= 1)")" -eq 1 ]
expect "neither is a mismatch, each rejected once" [ "$(field "$OUT/e.json" "int(r['errors']['mismatch'] == 0 and r['errors']['rejected'] == r['rejects']['truncated'] + r['rejects']['oversize'])")" -eq 1 ]
finish
