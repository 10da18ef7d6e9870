#!/usr/bin/env bash
# An independent reader of ncbench's packets: tshark. For ESP tunnel mode
# with aes-128-gcm, aes-192-gcm and aes-256-gcm, a fresh SA file
# (ncbench sa-file), a verified run with it and --pcap, and the records
# `ncbench wireshark` prints: tshark decrypts every captured packet,
# authenticates it (esp.icv_good), and finds inside the IPv4/UDP packet
# inner.c builds for --size (addresses, ports, lengths, the sequence in
# the IP identification); with one key byte changed, every packet fails
# authentication. A MACsec capture shows the SecTAG's AN, PNs from 1 up
# and the file's SCI; a WireGuard capture is transport data to the
# file's receiver index. A world-readable or malformed SA file exits 2
# with one line.
. "$(dirname "$0")/lib.bash"

command -v tshark >/dev/null 2>&1 || {
	echo "tshark.sh: skipped: tshark is not installed (make deps installs it)" >&2
	exit 77
}
# tshark reads no one's preferences but these (and writes none).
mkdir -p "$OUT/home"
TSHARK=(env HOME="$OUT/home" XDG_CONFIG_HOME="$OUT/home" tshark -n)
N=200
SIZE=300

# sa FILE: the value of expression EXPR over the SA of pair 0, direction
# 0, sa 0 of the file (as s), e.g. sa F "s['spi']".
sa() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=[x for x in d['sas'] if (x['pair'], x['direction'], x['sa']) == (0, 0, 0)][0]; print($2)" "$1"
}

# capture NAME SAFILE RUN-ARGS...: a verified run with the file's keys,
# capturing N packets into $OUT/NAME.pcap.
capture() {
	local name=$1 file=$2 rc
	shift 2
	"$NCBENCH" run --processes 1 -q --verify -d 0.2 -r 1 --warmup 0.05 -b openssl -s $SIZE \
		--sa-file "$file" --pcap "$OUT/$name.pcap" --pcap-count $N "$@" \
		-o "$OUT/$name.json" >"$OUT/$name.out" 2>"$OUT/$name.err"
	rc=$?
	expect "$name: run exits 0 (got $rc: $(head -c 300 "$OUT/$name.err"))" [ $rc -eq 0 ]
	expect "$name: the document says the keys came from the file" \
		[ "$(field "$OUT/$name.json" "d['config']['keys'], d['config']['sa_file'], d['config']['pcap']['count']")" = "sa-file $file $N" ]
	expect "$name: zero auth failures, mismatches and rejects" \
		[ "$(field "$OUT/$name.json" "r['errors']['auth_fail'] + r['errors']['mismatch'] + sum(r['rejects'].values())")" -eq 0 ]
}

# esp_fields NAME RECORDS...: tshark's view of $OUT/NAME.pcap with the
# given esp_sa records, one line per packet.
esp_fields() {
	local name=$1 r args=()
	shift
	for r in "$@"; do args+=(-o "uat:esp_sa:$r"); done
	"${TSHARK[@]}" -r "$OUT/$name.pcap" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE "${args[@]}" -T fields \
		-E separator=";" -E aggregator=, -e esp.spi -e esp.sequence -e esp.icv_good \
		-e ip.src -e ip.dst -e ip.len -e ip.proto -e ip.id -e udp.srcport -e udp.dstport \
		-e udp.length 2>"$OUT/$name.tshark.err"
}

for c in aes-128-gcm aes-192-gcm aes-256-gcm; do
	f=$OUT/$c.sa
	"$NCBENCH" sa-file -o "$f" -w esp -c "$c" >"$OUT/$c.sa.out" 2>"$OUT/$c.sa.err"
	expect "$c: sa-file exits 0 ($(cat "$OUT/$c.sa.err"))" [ $? -eq 0 ]
	expect "$c: sa-file says only where it wrote" [ "$(cat "$OUT/$c.sa.out")" = "wrote $f" ]
	expect "$c: the SA file has mode 600" [ "$(stat -c %a "$f")" = 600 ]
	key=$(sa "$f" "s['key']")
	spi=$(sa "$f" "s['spi']")
	capture "$c" "$f" -w esp -c "$c"
	refute "$c: no key in the document" grep -qi "$key" "$OUT/$c.json"
	"$NCBENCH" wireshark --sa-file "$f" >"$OUT/$c.uat" 2>"$OUT/$c.uat.err"
	expect "$c: wireshark exits 0 ($(cat "$OUT/$c.uat.err"))" [ $? -eq 0 ]
	expect "$c: one record per SA (2)" [ "$(wc -l <"$OUT/$c.uat")" -eq 2 ]
	expect "$c: the records hold the key with its salt" grep -qi "0x$key$(sa "$f" "s['salt']")" "$OUT/$c.uat"
	mapfile -t records <"$OUT/$c.uat"
	esp_fields "$c" "${records[@]}" >"$OUT/$c.fields"
	expect "$c: tshark read $N packets" [ "$(wc -l <"$OUT/$c.fields")" -eq $N ]
	# Outer IPv4 with protocol 50, then the inner packet of inner.c:
	# 192.0.2.1:5001 -> 192.0.2.2:5002, IP length SIZE, UDP length
	# SIZE - 20, identification the sequence number.
	bad=$(python3 - "$OUT/$c.fields" "$spi" "$SIZE" <<'EOF'
import sys
n, bad = 0, []
for line in open(sys.argv[1]):
    n += 1
    f = line.rstrip("\n").split(";")
    spi, seq, good, src, dst, ln, proto, ident, sp, dp, ul = f
    size = int(sys.argv[3])
    want = [int(spi, 16) == int(sys.argv[2]), int(seq) == n, good == "1",
            src == "127.0.0.1,192.0.2.1", dst == "127.0.0.1,192.0.2.2",
            ln.split(",")[1] == str(size), proto == "50,17",
            int(ident.split(",")[1], 16) == n & 0xffff,
            (sp, dp) == ("5001", "5002"), ul == str(size - 20)]
    if not all(want):
        bad.append("%d: %s" % (n, line.strip()))
print(len(bad), bad[:2])
EOF
)
	expect "$c: every packet decrypted, authenticated, inner IPv4/UDP as sent (bad: $bad)" [ "${bad%% *}" = 0 ]

	# One key byte changed: no packet authenticates.
	python3 - "$f" "$OUT/$c.tampered" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["sas"] if (x["pair"], x["direction"]) == (0, 0)][0]
s["key"] = "%02x" % (int(s["key"][:2], 16) ^ 1) + s["key"][2:]
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(d).encode())
os.close(fd)
EOF
	# tshark reports its ICV verdict after it dissected the payload it
	# decrypted; where the garbage a wrong key makes looks like some
	# protocol (a few percent of packets, 11% seen once: the garbage is
	# fresh with each run's random keys), that dissector's exception stops
	# it before the verdict. So: no packet authenticates or shows an inner
	# UDP packet, every verdict given is "bad", and tshark gives one for
	# at least 75% of the packets.
	mapfile -t records < <("$NCBENCH" wireshark --sa-file "$OUT/$c.tampered")
	args=()
	for r in "${records[@]}"; do args+=(-o "uat:esp_sa:$r"); done
	"${TSHARK[@]}" -r "$OUT/$c.pcap" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE "${args[@]}" -T fields -E separator=";" \
		-e esp.icv_good -e esp.icv_bad -e udp.srcport >"$OUT/$c.tampered.fields" 2>/dev/null
	judged=$(awk -F";" '$2 == "1"' "$OUT/$c.tampered.fields" | wc -l)
	expect "$c, key byte changed: tshark read $N packets" [ "$(wc -l <"$OUT/$c.tampered.fields")" -eq $N ]
	expect "$c, key byte changed: no packet authenticates or shows its inner packet" \
		[ "$(awk -F";" '$1 == "1" || $3 == "5001"' "$OUT/$c.tampered.fields" | wc -l)" -eq 0 ]
	expect "$c, key byte changed: ICV bad on $judged of $N packets (at least 75%)" \
		[ "$judged" -ge $((N * 3 / 4)) ]
done

# MACsec: the SecTAG as sent, the SCI the file gave.
f=$OUT/macsec.sa
"$NCBENCH" sa-file -o "$f" -w macsec -c aes-128-gcm >/dev/null 2>"$OUT/macsec.sa.err"
expect "macsec: sa-file exits 0 ($(cat "$OUT/macsec.sa.err"))" [ $? -eq 0 ]
capture macsec "$f" -w macsec -c aes-128-gcm
"${TSHARK[@]}" -r "$OUT/macsec.pcap" -T fields -E separator=";" -e macsec.AN -e macsec.PN \
	-e macsec.SCI.system_identifier -e macsec.SCI.port_identifier \
	>"$OUT/macsec.fields" 2>/dev/null
sci=$(sa "$f" "s['sci']")
want=$(python3 -c "import sys; s=sys.argv[1]; print(':'.join(s[i:i+2] for i in range(0, 12, 2)) + '/' + str(int(s[12:], 16)))" "$sci")
expect "macsec: tshark read $N frames" [ "$(wc -l <"$OUT/macsec.fields")" -eq $N ]
expect "macsec: AN 0, PN 1 up, SCI $sci in every SecTAG" \
	[ "$(awk -F";" -v w="$want" '$1 == "0x00" && $2 == NR && $3 "/" $4 == w' "$OUT/macsec.fields" | wc -l)" -eq $N ]

# WireGuard: transport data to the file's receiver index.
f=$OUT/wg.sa
"$NCBENCH" sa-file -o "$f" -w wg -c chacha20-poly1305 >/dev/null 2>"$OUT/wg.sa.err"
expect "wg: sa-file exits 0 ($(cat "$OUT/wg.sa.err"))" [ $? -eq 0 ]
capture wg "$f" -w wg -c chacha20-poly1305
"${TSHARK[@]}" -r "$OUT/wg.pcap" -T fields -E separator=";" -e wg.type -e wg.receiver -e wg.counter \
	-e udp.dstport >"$OUT/wg.fields" 2>/dev/null
want=$(printf '0x%08x' "$(sa "$f" "s['index']")")
expect "wg: tshark read $N messages" [ "$(wc -l <"$OUT/wg.fields")" -eq $N ]
expect "wg: transport data to index $want, counters from 0, port 51820" \
	[ "$(awk -F";" -v w="$want" '$1 == 4 && $2 == w && $3 == NR - 1 && $4 == 51820' "$OUT/wg.fields" | wc -l)" -eq $N ]

# Refusals: one line, exit 2, no key quoted.
bad_file() { # bad_file NAME NEEDLE FILE: run and wireshark refuse FILE
	local name=$1 needle=$2 file=$3 rc
	"$NCBENCH" run --processes 1 -q -w esp -c aes-128-gcm -b openssl -s $SIZE -d 0.1 \
		--sa-file "$file" -o "$OUT/$name.json" >/dev/null 2>"$OUT/$name.err"
	rc=$?
	expect "$name: run exits 2 (got $rc)" [ $rc -eq 2 ]
	expect "$name: one line naming '$needle' ($(cat "$OUT/$name.err"))" \
		[ "$(wc -l <"$OUT/$name.err")" -eq 1 -a "$(grep -c -- "$needle" "$OUT/$name.err")" -eq 1 ]
	expect "$name: no document" [ ! -e "$OUT/$name.json" ]
	"$NCBENCH" wireshark --sa-file "$file" >"$OUT/$name.uat" 2>/dev/null
	rc=$?
	expect "$name: wireshark exits 2 (got $rc), prints nothing" [ $rc -eq 2 -a ! -s "$OUT/$name.uat" ]
}
f=$OUT/aes-128-gcm.sa
cp "$f" "$OUT/open.sa" && chmod 644 "$OUT/open.sa"
bad_file world-readable "too open" "$OUT/open.sa"
head -c 200 "$f" >"$OUT/cut.sa" && chmod 600 "$OUT/cut.sa"
bad_file malformed "not valid JSON" "$OUT/cut.sa"
refute "malformed: no key quoted" grep -qi "$(sa "$f" "s['key']")" "$OUT/malformed.err"
finish
