#!/usr/bin/env bash
# ncbench kat: every vector file passes on both backends; a flipped byte is
# a mismatch (exit 1); malformed and unreadable files exit 2.
. "$(dirname "$0")/lib.bash"
V=$(dirname "$0")/../vectors

"$NCBENCH" kat "$V"/*.json >"$OUT/kat.txt" 2>"$OUT/kat.err"
expect "kat on tests/vectors exits 0" [ $? -eq 0 ]
expect "summary line with 0 failed" grep -qE '^kat: [1-9][0-9]* passed, 0 failed, [0-9]+ skipped$' "$OUT/kat.txt"
expect "openssl checked" grep -q '^ok .* openssl$' "$OUT/kat.txt"
expect "gcrypt checked" grep -q '^ok .* gcrypt$' "$OUT/kat.txt"
expect "sm4-gcm checked" grep -q '^ok   sm4/rfc8998-A.1-sm4-gcm sm4-gcm gcrypt$' "$OUT/kat.txt"
expect "64-bit nonce skipped with reason" grep -q '^skip aes-gcm/gcm-spec-tc05 .*64-bit nonce' "$OUT/kat.txt"
for be in openssl gcrypt ipsec-mb; do
	expect "every esp vector on $be" [ "$(grep -c "^ok   esp/.* $be\$" "$OUT/kat.txt")" -eq 12 ]
done
# sodium offers AES-256-GCM (p9, p14, p18) and ChaCha20-Poly1305 (RFC 7634).
expect "sodium: the esp vectors of its AEADs" [ "$(grep -c '^ok   esp/.* sodium$' "$OUT/kat.txt")" -eq 4 ]
expect "ipsec-mb checked" grep -q '^ok   aes-gcm/gcm-spec-tc07 aes-192-gcm ipsec-mb$' "$OUT/kat.txt"
expect "sodium checked" grep -q '^ok   chacha20-poly1305/rfc8439-2.8.2 chacha20-poly1305 sodium$' "$OUT/kat.txt"
expect "esp aes-192-gcm" grep -q '^ok   esp/mcgrew-gcm-test-p12b aes-192-gcm aead gcrypt$' "$OUT/kat.txt"
expect "esp gmac" grep -q '^ok   esp/mcgrew-gcm-test-p19 aes-128-gcm gmac openssl$' "$OUT/kat.txt"
expect "esp chacha" grep -q '^ok   esp/rfc7634-A-chacha20poly1305-esp chacha20-poly1305 aead openssl$' "$OUT/kat.txt"
# macsec: 22 Annex C frames (GCM-AES-128/256 and XPN) on three backends,
# the 11 with 256-bit keys on sodium.
for be in openssl gcrypt ipsec-mb; do
	expect "every macsec vector on $be" [ "$(grep -c "^ok   macsec/.* $be\$" "$OUT/kat.txt")" -eq 22 ]
done
expect "sodium: the macsec GCM-AES-256 vectors" [ "$(grep -c '^ok   macsec/.* sodium$' "$OUT/kat.txt")" -eq 11 ]
expect "macsec XPN integrity" grep -q '^ok   macsec/C.1.3 aes-128-gcm integrity openssl$' "$OUT/kat.txt"
expect "macsec implicit SCI (ES)" grep -q '^ok   macsec/C.4.4 aes-256-gcm confidentiality gcrypt$' "$OUT/kat.txt"
# wg: 5 ChaCha20-Poly1305 messages and 1 non-standard AES-256-GCM one,
# on every backend offering both.
for be in openssl gcrypt ipsec-mb sodium; do
	expect "every wg vector on $be" [ "$(grep -c "^ok   wg/.* $be\$" "$OUT/kat.txt")" -eq 6 ]
done
expect "wg keepalive" grep -q '^ok   wg/keepalive-counter-0 chacha20-poly1305 standard sodium$' "$OUT/kat.txt"

# One flipped ciphertext byte of gcm-spec-tc04 (42831e... -> 52831e...).
sed 's/"ciphertext": "42831ec2/"ciphertext": "52831ec2/' "$V/aes-gcm.json" >"$OUT/flip.json"
expect "flip applied" grep -q 52831ec2 "$OUT/flip.json"
"$NCBENCH" kat "$OUT/flip.json" >"$OUT/flip.txt" 2>&1
expect "flipped vector exits 1" [ $? -eq 1 ]
expect "flipped vector reported on openssl" grep -q '^FAIL aes-gcm/gcm-spec-tc04 aes-128-gcm openssl: seal: ciphertext differs' "$OUT/flip.txt"
expect "flipped vector reported on gcrypt" grep -q '^FAIL aes-gcm/gcm-spec-tc04 aes-128-gcm gcrypt' "$OUT/flip.txt"
expect "flipped vector reported on ipsec-mb" grep -q '^FAIL aes-gcm/gcm-spec-tc04 aes-128-gcm ipsec-mb' "$OUT/flip.txt"
expect "summary counts the failures" grep -qE '^kat: [0-9]+ passed, 3 failed' "$OUT/flip.txt"

# A flipped tag byte too.
sed 's/"tag": "5bc94fbc/"tag": "5bc94fbd/' "$V/aes-gcm.json" >"$OUT/tag.json"
"$NCBENCH" kat "$OUT/tag.json" >"$OUT/tag.txt" 2>&1
expect "flipped tag exits 1" [ $? -eq 1 ]
expect "flipped tag reported" grep -q 'gcm-spec-tc04 .*tag differs' "$OUT/tag.txt"

# The last ICV byte of the first ESP vector (p7, with ESN) flipped: the
# rebuilt packet differs.
python3 - "$V/esp.json" "$OUT/espflip.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["vectors"][0]
p = bytearray.fromhex(v["packet"]); p[-1] ^= 1; v["packet"] = p.hex()
json.dump(d, open(sys.argv[2], "w"))
PY
"$NCBENCH" kat "$OUT/espflip.json" >"$OUT/espflip.txt" 2>&1
expect "flipped esp packet exits 1" [ $? -eq 1 ]
expect "flipped esp packet reported" grep -q '^FAIL esp/mcgrew-gcm-test-p7 aes-128-gcm aead openssl: encap: packet bytes differ' "$OUT/espflip.txt"
sed 's/"seq": "\([0-9a-f]*\)"/"seq": "\100"/' "$V/esp.json" >"$OUT/espseq.json"

# One secure-data byte of MACsec C.2.1 flipped: the rebuilt frame differs.
python3 - "$V/macsec.json" "$OUT/macflip.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = [x for x in d["vectors"] if x["name"] == "C.2.1"][0]
p = bytearray.fromhex(v["protected_frame"]); p[40] ^= 1; v["protected_frame"] = p.hex()
json.dump(d, open(sys.argv[2], "w"))
PY
"$NCBENCH" kat "$OUT/macflip.json" >"$OUT/macflip.txt" 2>&1
expect "flipped macsec frame exits 1" [ $? -eq 1 ]
expect "flipped macsec frame reported" grep -q '^FAIL macsec/C.2.1 aes-128-gcm confidentiality openssl: encap: frame bytes differ' "$OUT/macflip.txt"
sed 's/"sci": "\([0-9a-f]*\)"/"sci": "\100"/' "$V/macsec.json" >"$OUT/macsci.json"

# Malformed inputs: exit 2, one line on stderr naming the file, no results.
printf '{"family": "aes-gcm", "vectors": [' >"$OUT/trunc.json"
sed 's/"tag": "5bc94fbc/"tag": "zz/' "$V/aes-gcm.json" >"$OUT/nothex.json"
printf '{"family": "rot13", "vectors": []}' >"$OUT/family.json"
printf '{"vectors": []}' >"$OUT/nofamily.json"
for f in trunc nothex family nofamily espseq macsci missing; do
	"$NCBENCH" kat "$V/aes-gcm.json" "$OUT/$f.json" >"$OUT/m.out" 2>"$OUT/m.err"
	rc=$?
	expect "$f: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$f: one stderr line" [ "$(wc -l <"$OUT/m.err")" -eq 1 ]
	expect "$f: message names the file" grep -q "$f.json" "$OUT/m.err"
	expect "$f: nothing checked before refusing" [ ! -s "$OUT/m.out" ]
done
"$NCBENCH" kat >/dev/null 2>"$OUT/m.err"
expect "no file: exit 2" [ $? -eq 2 ]
finish
