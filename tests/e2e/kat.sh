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

# etm: every vector passes on each backend that `ncbench list` says offers
# its suite, and is skipped, once, where none does.
"$NCBENCH" list >"$OUT/list.txt"
python3 - "$V/etm.json" "$OUT/kat.txt" "$OUT/list.txt" >"$OUT/etm.check" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read().splitlines()
lst = open(sys.argv[3]).read().splitlines()
i = next(k for k, l in enumerate(lst) if l.startswith("algorithms"))
backends = lst[i + 1].split()
offers = {}
for l in lst[i + 2:]:
    if not l.startswith("  "):
        break
    t = l.split()
    offers[t[0]] = sorted(b for b, y in zip(backends, t[1:]) if y == "yes")
wrong = 0
for v in doc["vectors"]:
    want = offers.get(v["algorithm"], [])
    got = sorted(l.split()[-1] for l in out if l.startswith("ok   etm/%s " % v["name"]))
    skips = sum(l.startswith("skip etm/%s " % v["name"]) for l in out)
    if got != want or skips != (0 if want else 1):
        print("%s: want %s, ok on %s, %d skip lines" % (v["name"], want, got, skips))
        wrong += 1
print("%d etm vectors, %d wrong" % (len(doc["vectors"]), wrong))
sys.exit(1 if wrong or doc["count"] != len(doc["vectors"]) else 0)
PY
expect "etm: every vector on every backend offering its suite ($(tail -1 "$OUT/etm.check"))" [ $? -eq 0 ]
expect "etm: the vectors of every suite are there" [ "$(python3 -c 'import json,sys; print(len({v["algorithm"] for v in json.load(open(sys.argv[1]))["vectors"]}))' "$V/etm.json")" -eq 6 ]

# One ciphertext byte of RFC 3602 Case #1 and one ICV byte of a
# constructed SM4 vector flipped: a mismatch on every backend offering the
# suite (exit 1), a skip where none does.
python3 - "$V/etm.json" "$OUT/etmflip.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keep = []
for v in d["vectors"]:
    if v["name"] in ("rfc3602-case1-sha1", "sm4-cbc-hmac-sm3-1424-esp-icv32"):
        f = "ciphertext" if v["name"].startswith("rfc") else "icv"
        b = bytearray.fromhex(v[f]); b[0] ^= 1; v[f] = b.hex()
        keep.append(v)
d["vectors"] = keep
json.dump(d, open(sys.argv[2], "w"))
PY
"$NCBENCH" kat "$OUT/etmflip.json" >"$OUT/etmflip.txt" 2>&1
rc=$?
n_cbc=$(grep -c '^ok   etm/rfc3602-case1-sha1 ' "$OUT/kat.txt")
n_sm4=$(grep -c '^ok   etm/sm4-cbc-hmac-sm3-1424-esp-icv32 ' "$OUT/kat.txt")
if [ $((n_cbc + n_sm4)) -gt 0 ]; then
	expect "flipped etm vectors exit 1 (got $rc)" [ $rc -eq 1 ]
	expect "flipped etm ciphertext fails on each of $n_cbc backends" [ "$(grep -c '^FAIL etm/rfc3602-case1-sha1 aes-128-cbc-hmac-sha1 published [a-z-]*: seal in place: ciphertext differs$' "$OUT/etmflip.txt")" -eq "$n_cbc" ]
	expect "flipped etm ICV fails on each of $n_sm4 backends" [ "$(grep -c '^FAIL etm/sm4-cbc-hmac-sm3-1424-esp-icv32 sm4-cbc-hmac-sm3 constructed [a-z-]*: seal in place: ICV differs$' "$OUT/etmflip.txt")" -eq "$n_sm4" ]
	expect "summary counts them" grep -qE "^kat: 0 passed, $((n_cbc + n_sm4)) failed, [0-9]+ skipped\$" "$OUT/etmflip.txt"
else
	echo "kat.sh: no backend offers the flipped etm vectors' suites here: skipped only" >&2
	expect "flipped etm vectors skipped (got $rc)" [ $rc -eq 0 ]
	expect "flipped etm vectors: two skip lines" [ "$(grep -c '^skip etm/' "$OUT/etmflip.txt")" -eq 2 ]
fi

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
# etm: an IV a byte short, and an ICV length the suite does not allow.
python3 - "$V/etm.json" "$OUT" <<'PY'
import json, sys
for f, what in (("etmiv", "iv"), ("etmicv", "icv_len")):
    d = json.load(open(sys.argv[1]))
    v = d["vectors"][3]
    if what == "iv":
        v["iv"] = v["iv"][2:]
    else:
        v["icv_len"], v["icv"] = 7, v["icv"][:14]
    json.dump(d, open("%s/%s.json" % (sys.argv[2], f), "w"))
PY
for f in trunc nothex family nofamily espseq macsci etmiv etmicv missing; do
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
