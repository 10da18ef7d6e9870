#!/usr/bin/env bash
# The macsec workload end to end: over UDP on loopback and, as root, as
# raw Ethernet frames on a veth pair between two namespaces the run makes
# and removes. Verified runs deliver with no authentication failure in
# every mode; strangers' frames sent mid-run (forged, empty) are rejected
# by reason, never delivered, never a mismatch, and do not fail the run;
# without root, --transport raw is refused.
. "$(dirname "$0")/lib.bash"

"$NCBENCH" run --processes 1 -w macsec -c aes-128-gcm -b openssl -s 1420 --verify -d 0.5 \
	-r 2 --warmup 0.1 -o "$OUT/v.json" >"$OUT/v.txt" 2>"$OUT/v.err"
expect "verified run exits 0" [ $? -eq 0 ]
expect "verified run consistent" "$TESTBIN/check_doc" "$OUT/v.json"
expect "received > 0" [ "$(field "$OUT/v.json" "min(s['packets'] for s in r['samples'])")" -gt 0 ]
expect "zero auth failures and mismatches" \
	[ "$(field "$OUT/v.json" "r['errors']['auth_fail'] + r['errors']['mismatch']")" -eq 0 ]
expect "framing and transport recorded" [ "$(field "$OUT/v.json" "r['framing'], r['transport']")" = "macsec udp" ]
expect "rejects by 802.1AE reason" [ "$(field "$OUT/v.json" "sorted(r['rejects'])")" = \
	"['bad_icv', 'bad_tag', 'late', 'oversize', 'replayed', 'truncated', 'unknown_sci', 'unused_an']" ]
expect "no key material in the document" [ "$(grep -ci '"key' "$OUT/v.json")" -eq 0 ]

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1
links_before=$(ip -br link 2>/dev/null | wc -l)
[ $is_root = 1 ] || skip='^raw'
VARIANT_SKIP=${skip:-} variants macsec 0.2 \
	"min(s['packets'] for s in r['samples']) > 0 and r['errors']['auth_fail'] + r['errors']['mismatch'] + r['errors']['replay'] == 0" <<'CASES'
epoll      -c aes-256-gcm -b gcrypt -s 64 --io epoll
nogso      -c aes-128-gcm -b openssl -s 1420 --no-gso
integrity  -c aes-128-gcm -b openssl -s 1420 --protection integrity
xpn        -c aes-256-gcm -b ipsec-mb -s 1420 --xpn
es         -c aes-128-gcm -b openssl -s 300 --sci es
nosci      -c aes-128-gcm -b openssl -s 40 --sci none
imix       -c aes-128-gcm -b openssl --imix simple
reorder    -c aes-128-gcm -b openssl -s 512 --reorder 20 --loss 5
strict     -c aes-128-gcm -b openssl -s 512 --replay-window 0
chacha     -c chacha20-poly1305 -b openssl -s 1420
sm4        -c sm4-gcm -b gcrypt -s 1420
null       -c null -s 64
raw        -c aes-128-gcm -b openssl -s 1420 --transport raw
rawepoll   -c aes-256-gcm -b openssl -s 64 --transport raw --io epoll
rawimix    -c aes-128-gcm -b openssl --imix simple --transport raw --xpn
raw2       -c null -s 1420 --transport raw --threads 2 --oversubscribe --busy-poll 0
CASES
expect "xpn framing recorded" [ "$(field "$OUT/xpn.json" "r['framing']")" = macsec-xpn ]
expect "integrity framing recorded" [ "$(field "$OUT/integrity.json" "r['framing']")" = macsec-integrity ]
expect "chacha marked non-standard" [ "$(field "$OUT/chacha.json" "r['framing']")" = macsec-nonstandard ]
if [ $is_root = 1 ]; then
	expect "raw transport recorded" [ "$(field "$OUT/raw.json" "r['transport']")" = raw ]
	expect "raw: packet sockets, one frame per send" grep -q '"tx": "uring: send,' "$OUT/raw.json"
	expect "raw: no veth left behind" [ "$(ip -br link | wc -l)" -eq "$links_before" ]
	expect "raw: no ncb link in this namespace" [ "$(ip -br link | grep -c '^ncb')" -eq 0 ]
	expect "raw: no named namespace made" [ -z "$(ip netns list 2>/dev/null | grep ncb)" ]
	# Without root: refused before any case runs.
	cp "$NCBENCH" "$OUT/nb" && chmod 755 "$OUT" "$OUT/nb"
	setpriv --reuid 65534 --regid 65534 --clear-groups "$OUT/nb" run -w macsec \
		--transport raw -c null -s 64 -d 0.1 -o "$OUT/nb.json" >"$OUT/nb.out" 2>"$OUT/nb.err"
	expect "raw without root: exit 2" [ $? -eq 2 ]
	expect "raw without root: says why" grep -q 'needs root' "$OUT/nb.err"
	expect "raw without root: no document" [ ! -e "$OUT/nb.json" ]
fi
"$NCBENCH" run --processes 1 -w macsec --transport raw --family 6 -c null -s 64 -d 0.1 \
	-o "$OUT/r6.json" >/dev/null 2>"$OUT/r6.err"
expect "raw with --family 6: exit 2" [ $? -eq 2 ]

# Forgeries: frames with the run's SCI (02:6e:63:00:00:01 port 1), a PN
# far ahead of the sender's and a made-up ICV, frames of an unknown SCI,
# and one empty datagram.
port=$(free_port)
"$NCBENCH" run --processes 1 -q -w macsec -c aes-128-gcm -b openssl -s 256 --verify \
	--port "$port" -d 2 -r 1 --warmup 0 -o "$OUT/f.json" 2>"$OUT/f.err" &
pid=$!
wait_bound "$port"
python3 - "$port" <<'PY'
import os, socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dst = ("127.0.0.1", int(sys.argv[1]))
da, sa = bytes.fromhex("026e63000002"), bytes.fromhex("026e63000001")
s.sendto(b"", dst)
end = time.time() + 0.8
while time.time() < end:
    for sci in (sa + b"\x00\x01", bytes.fromhex("0badc0de00000001")):
        pn = 0x7F000000 + int.from_bytes(os.urandom(2), "big")
        tag = struct.pack(">HBBI", 0x88E5, 0x2C, 0, pn) + sci
        try:
            s.sendto(da + sa + tag + os.urandom(258 + 16), dst)
        except OSError:
            pass
    time.sleep(0.002)
PY
wait "$pid"
rc=$?
expect "forged run exits 0 (strangers' frames fail nothing; got $rc)" [ $rc -eq 0 ]
expect "forged run consistent" "$TESTBIN/check_doc" "$OUT/f.json"
expect "forgeries counted as bad ICV" [ "$(field "$OUT/f.json" "int(r['rejects']['bad_icv'] > 0)")" -eq 1 ]
expect "unknown SCIs counted" [ "$(field "$OUT/f.json" "int(r['rejects']['unknown_sci'] > 0)")" -eq 1 ]
expect "empty datagram counted as truncated" [ "$(field "$OUT/f.json" "r['rejects']['truncated']")" -eq 1 ]
expect "rejected sums all three" [ "$(field "$OUT/f.json" "int(r['errors']['rejected'] == r['rejects']['bad_icv'] + r['rejects']['unknown_sci'] + 1)")" -eq 1 ]
expect "forgeries far from the sender's PNs are no auth failure" [ "$(field "$OUT/f.json" "r['errors']['auth_fail']")" -eq 0 ]
expect "no forgery delivered as valid (no mismatch)" [ "$(field "$OUT/f.json" "r['errors']['mismatch']")" -eq 0 ]
expect "real traffic still delivered" [ "$(field "$OUT/f.json" "r['samples'][0]['packets']")" -gt 0 ]
finish
