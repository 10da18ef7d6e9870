#!/usr/bin/env bash
# A short real run: the document agrees with itself, placement follows
# --cpus, open direction verifies every tag, list/topo answer in JSON.
. "$(dirname "$0")/lib.bash"
last_pu=$(( $(nproc) - 1 ))

"$NCBENCH" run -c aes-128-gcm,sm4-gcm -s 64,1420 -d 0.1 -r 3 --warmup 0.05 \
	--cpus "$last_pu" -o "$OUT/a.json" >"$OUT/a.txt" 2>"$OUT/a.err"
expect "run exits 0" [ $? -eq 0 ]
# aes-128-gcm on every backend that offers it, sm4-gcm on gcrypt; 2 sizes.
cases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$OUT/a.json")
expect "table has a row per case ($cases)" [ "$(grep -c 'gcm ' "$OUT/a.txt")" -eq "$cases" ] 
expect "every backend offering the ciphers ran" [ "$cases" -eq $(( 2 * ($("$NCBENCH" list | grep -E '^  aes-128-gcm ' | grep -o yes | wc -l) + 1) )) ]
expect "document consistent" "$TESTBIN/check_doc" "$OUT/a.json"
expect "placement on --cpus" grep -q "\"pu\": $last_pu" "$OUT/a.json"
expect "no temp file left" [ -z "$(ls "$OUT" | grep tmp)" ]
# The fingerprint keeps its names: each backend's library, then the rest.
expect "libraries named as before" [ "$(python3 -c '
import json, sys
print(",".join(json.load(open(sys.argv[1]))["libraries"]))' "$OUT/a.json")" = \
	openssl,gcrypt,ipsec_mb,sodium,liburing,hwloc,jansson ]

"$NCBENCH" run -q -c chacha20-poly1305 -b openssl -s 1420 -d 0.1 -r 2 \
	--warmup 0 --direction open -o "$OUT/o.json"
expect "open run exits 0" [ $? -eq 0 ]
expect "open run consistent" "$TESTBIN/check_doc" "$OUT/o.json"
expect "open run verified with no auth failures" \
	grep -q '"auth_fail": 0' "$OUT/o.json"
expect "open run marked verified" grep -q '"verified": true' "$OUT/o.json"

if [ "$(nproc)" -ge 2 ]; then
	"$NCBENCH" run -q -c aes-256-gcm -b gcrypt -s 1420 -t 1,2 -d 0.1 -r 2 \
		--warmup 0 -o "$OUT/t.json"
	expect "two-thread run consistent" "$TESTBIN/check_doc" "$OUT/t.json"
	tr -d ' \n' <"$OUT/t.json" >"$OUT/t.flat"
	expect "two workers on two distinct PUs" grep -qE '"cpus":\[(0,1|1,0)\]' "$OUT/t.flat"
fi

# The checker itself must catch an inconsistent document.
sed '0,/"gbps": [0-9.]*,$/s//"gbps": 123.456,/' "$OUT/a.json" >"$OUT/bad.json"
refute "doctored sample changed" cmp -s "$OUT/a.json" "$OUT/bad.json"
refute "check_doc rejects a doctored sample" "$TESTBIN/check_doc" "$OUT/bad.json"

"$NCBENCH" list --json >"$OUT/list.json"
expect "list --json is JSON with algorithms" grep -q '"sm4-gcm"' "$OUT/list.json"
expect "list --json names the I/O engines" [ "$(python3 -c 'import json,sys; print(",".join(e["name"] for e in json.load(open(sys.argv[1]))["engines"]))' "$OUT/list.json")" = uring,epoll ]
"$NCBENCH" topo --json >"$OUT/topo.json"
expect "topo --json lists PUs" grep -q '"pus": '"$(nproc)" "$OUT/topo.json"
finish
