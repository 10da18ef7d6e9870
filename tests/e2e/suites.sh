#!/usr/bin/env bash
# The encrypt-then-MAC suites through `cipher` on every backend that offers
# them: seal and open at burst 1 and 32 with no failure, the document
# records the burst and the ICV length, report/plan/compare read them, and
# bad --burst / --icv-len values are refused with one line and exit 2.
. "$(dirname "$0")/lib.bash"
last_pu=$(( $(nproc) - 1 ))
ETM="aes-128-cbc-hmac-sha1 aes-128-cbc-hmac-sha256 aes-256-cbc-hmac-sha256 aes-128-ctr-hmac-sha256 sm4-cbc-hmac-sm3 zuc-128"

"$NCBENCH" list --json >"$OUT/list.json"
offers() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(b for a in d["algorithms"] if a["name"] == sys.argv[2]
               for b, ok in a["backends"].items() if ok))' "$OUT/list.json" "$1"; }

ran=0
for alg in $ETM; do
	for be in $(offers "$alg"); do
		# Burst 1 and 32 seal; open (which verifies every ICV) at 32,
		# as test_etm and test_burst check both paths buffer by buffer.
		for dir_burst in seal/1 seal/32 open/32; do
			dir=${dir_burst%/*} burst=${dir_burst#*/}
			n="$alg-$be-$dir-$burst"
			"$NCBENCH" run -q -c "$alg" -b "$be" -s 1420 -d 0.03 -r 2 \
				--warmup 0 --cpus "$last_pu" --direction "$dir" \
				--burst "$burst" -o "$OUT/$n.json" 2>"$OUT/$n.err"
			rc=$?
			expect "$n: exits 0 (got $rc: $(head -c 200 "$OUT/$n.err"))" [ $rc -eq 0 ]
			[ $rc -eq 0 ] || continue
			ran=$((ran + 1))
			expect "$n: consistent" "$TESTBIN/check_doc" "$OUT/$n.json"
			expect "$n: no failure, burst recorded" [ "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(all(r["options"]["burst"] == int(sys.argv[2]) and
          r["errors"]["auth_fail"] == 0 and
          all(s["packets"] > 0 for s in r["samples"])
          for r in d["results"]))' "$OUT/$n.json" "$burst")" = True ]
		done
	done
done
expect "every suite ran on some backend ($ran runs)" [ "$ran" -ge 4 ]

# The untruncated SM3 ICV the Linux kernel uses; a length no RFC defines.
if [ -n "$(offers sm4-cbc-hmac-sm3)" ]; then
	"$NCBENCH" run -q -c sm4-cbc-hmac-sm3 -s 1420 -d 0.05 -r 1 --warmup 0 \
		--icv-len 32 --direction open -o "$OUT/icv.json"
	expect "icv-len 32 runs" [ $? -eq 0 ]
	expect "icv-len 32 recorded, wire bytes include it" [ "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
s = r["samples"][0]
print(r["options"]["icv-len"] == 32 and s["wire_bytes"] == s["packets"] * (1424 + 32))' "$OUT/icv.json")" = True ]
fi
for bad_args in "--burst 0" "--burst 65" "-c aes-128-cbc-hmac-sha1 --icv-len 13" \
	"-c aes-256-gcm --icv-len 12" "-c zuc-128 --icv-len 16"; do
	# shellcheck disable=SC2086
	"$NCBENCH" run -q -d 0.05 -r 1 $bad_args >"$OUT/bad.out" 2>"$OUT/bad.err"
	rc=$?
	expect "'$bad_args' exits 2 (got $rc)" [ $rc -eq 2 ]
	expect "'$bad_args' says so in one line" [ "$(wc -l <"$OUT/bad.err")" -eq 1 ]
done

# report, plan and compare take the suites as they take the AEADs.
alg=aes-128-cbc-hmac-sha1
if [ -n "$(offers $alg)" ]; then
	"$NCBENCH" run -q -c "$alg,aes-128-gcm" -b openssl -s 64,1420,16384 -t 1 \
		-d 0.05 -r 3 --warmup 0 -o "$OUT/mix.json"
	expect "a run of an ETM suite beside an AEAD exits 0" [ $? -eq 0 ]
	"$NCBENCH" report "$OUT/mix.json" -o "$OUT/rep" >"$OUT/rep.out" 2>&1
	expect "report draws it" grep -q "$alg" "$OUT/rep/report.html"
	"$NCBENCH" plan "$OUT/mix.json" --target 10G >"$OUT/plan.out" 2>&1
	expect "plan prices it" grep -q "$alg" "$OUT/plan.out"
	"$NCBENCH" compare "$OUT/mix.json" "$OUT/mix.json" >"$OUT/cmp.out" 2>&1
	expect "compare matches its cases ($(tail -n 1 "$OUT/cmp.out"))" grep -q "$alg" "$OUT/cmp.out"
fi
finish
