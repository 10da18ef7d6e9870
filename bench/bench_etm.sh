#!/usr/bin/env bash
# make bench-etm: the encrypt-then-MAC suites and the burst interface, one
# thread on one pinned PU, runs alternating A B A B, medians of the
# per-round ratios. Speeds are reported, never asserted.
# (a) ncbench cipher (--burst 32) / bench/ref_etm, the library used
#     directly the best way (ipsec-mb: jobs in bursts of 32; OpenSSL and
#     libgcrypt: keyed once, per buffer IV + MAC), 1420 B;
# (b) ipsec-mb burst 32 / OpenSSL one call per buffer, aes-128-cbc-hmac-sha1;
# (c) ipsec-mb zuc-128 burst 32 / burst 1;
# (d) aes-256-gcm on ipsec-mb: the burst path (job manager) / one direct
#     call per buffer (the path of every release before bursts);
# (e) esp aes-128-cbc-hmac-sha1 on ipsec-mb over loopback: goodput with
#     --burst 32 / --burst 1;
# (f) every suite x backend at 64, 1420 and 16384 B (burst 32).
. "$(dirname "$0")/bench_usage.bash" "$@"
ROUNDS=${BENCH_ROUNDS:-5}
SECS=${BENCH_SECONDS:-1}
. "$(dirname "$0")/bench_cipher.bash"

# ncb BACKEND SUITE SIZE BURST [ARGS...] -> Gbit/s of one repetition
ncb() {
	local be=$1 alg=$2 size=$3 burst=$4
	shift 4
	cipher_run "$be" "$alg" "$size" --burst "$burst" "$@"
}
offers() { "$NCBENCH" list --json | python3 -c 'import json,sys
d = json.load(sys.stdin)
print(" ".join(b for a in d["algorithms"] if a["name"] == sys.argv[1]
               for b, ok in a["backends"].items() if ok))' "$1"; }
# pairs NAME CMD_A CMD_B: ROUNDS alternating rounds; medians and ratio.
pairs() {
	local a b
	: >"$OUT/a"; : >"$OUT/b"; : >"$OUT/r"
	for _ in $(seq "$ROUNDS"); do
		a=$(eval "$2") || a=0; b=$(eval "$3") || b=0
		echo "$a" >>"$OUT/a"; echo "$b" >>"$OUT/b"
		awk -v a="$a" -v b="$b" 'BEGIN {print (b > 0 ? a / b : 0)}' >>"$OUT/r"
	done
	printf '%-44s %9.3f %9.3f %7.2f\n' "$1" "$(median <"$OUT/a")" \
		"$(median <"$OUT/b")" "$(median <"$OUT/r")"
}

echo "(a) ncbench cipher --burst 32 / reference loop, 1420 B, PU $CPU, $ROUNDS rounds of ${SECS}s"
printf '%-44s %9s %9s %7s\n' "suite backend" ncbench ref ratio
for alg in aes-128-cbc-hmac-sha1 aes-256-cbc-hmac-sha256 sm4-cbc-hmac-sm3 zuc-128; do
	for be in $(offers "$alg"); do
		pairs "$alg $be" "ncb $be $alg 1420 32" "'$REF' $be $alg 1420 $SECS $CPU 32"
	done
done

echo
echo "(b)-(d) Gbit/s, A / B, 1420 B"
printf '%-44s %9s %9s %7s\n' "" A B ratio
pairs "(b) cbc-sha1 ipsec-mb b32 / openssl b1" \
	"ncb ipsec-mb aes-128-cbc-hmac-sha1 1420 32" \
	"ncb openssl aes-128-cbc-hmac-sha1 1420 1"
pairs "(c) zuc-128 ipsec-mb b32 / b1" \
	"ncb ipsec-mb zuc-128 1420 32" "ncb ipsec-mb zuc-128 1420 1"
pairs "(d) aes-256-gcm ipsec-mb b32 / b1 (direct)" \
	"ncb ipsec-mb aes-256-gcm 1420 32" "ncb ipsec-mb aes-256-gcm 1420 1"

echo
pus=$(nproc)
TX=$(( pus - 1 )) RX=$(( pus >= 2 ? pus - 2 : 0 ))
# esp BURST -> goodput Gbit/s, sender and receiver on their own PUs
esp() {
	"$NCBENCH" run -q -w esp -c aes-128-cbc-hmac-sha1 -b ipsec-mb -s 1420 \
		--cpus "$TX,$RX" -d "$SECS" -r 1 --warmup 0.3 --burst "$1" \
		-o "$OUT/e.json" >/dev/null && doc_gbps "$OUT/e.json"
}
echo "(e) esp aes-128-cbc-hmac-sha1 ipsec-mb over loopback, goodput Gbit/s, PUs $TX,$RX"
pairs "(e) esp --burst 32 / --burst 1" "esp 32" "esp 1"

echo
echo "(f) every suite x backend, Gbit/s, cipher --burst 32, one thread, PU $CPU (- not offered)"
backends=$(cipher_backends)
printf '| %-23s | %5s |' suite size
for be in $backends; do printf ' %8s |' "$be"; done
echo
printf '|%s|%s|' "-------------------------" "-------"
for _ in $backends; do printf '%s|' "----------"; done
echo
for alg in aes-128-gcm aes-256-gcm chacha20-poly1305 sm4-gcm aes-128-cbc-hmac-sha1 \
	aes-128-cbc-hmac-sha256 aes-256-cbc-hmac-sha256 aes-128-ctr-hmac-sha256 \
	sm4-cbc-hmac-sm3 zuc-128; do
	have=" $(offers "$alg") "
	for size in 64 1420 16384; do
		printf '| %-23s | %5s |' "$alg" "$size"
		for be in $backends; do
			if [[ $have == *" $be "* ]] && v=$(ncb "$be" "$alg" "$size" 32 2>/dev/null); then
				printf ' %8.2f |' "$v"
			else
				printf ' %8s |' -
			fi
		done
		echo
	done
done
