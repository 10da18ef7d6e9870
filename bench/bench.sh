#!/usr/bin/env bash
# make bench: the harness against references, one thread on one pinned PU.
# (a) ncbench cipher vs bench/ref_aead (same library, used directly), runs
#     alternating A B A B, median of the per-pair ratios;
# (b) ncbench vs `openssl speed -elapsed -aead -evp` at the same sizes;
# (c) openssl vs gcrypt for every algorithm both offer;
# (d) every backend side by side for each algorithm two or more offer.
# Speeds are reported, never asserted: machines are noisy.
. "$(dirname "$0")/bench_usage.bash" "$@"
ROUNDS=${BENCH_ROUNDS:-5}
SECS=${BENCH_SECONDS:-1}
. "$(dirname "$0")/bench_cipher.bash"

ncb() { cipher_run "$@"; } # ncb BACKEND ALG SIZE -> Gbit/s

echo "(a) ncbench cipher / reference loop, PU $CPU, $ROUNDS rounds of ${SECS}s, A B alternating"
printf '%-18s %-8s %6s %10s %10s %8s\n' cipher backend size ncbench ref ratio
for be in openssl gcrypt ipsec-mb sodium; do
for alg in aes-256-gcm chacha20-poly1305; do
	for size in 1420 16384; do
		: >"$OUT/ratios"; : >"$OUT/a"; : >"$OUT/b"
		for _ in $(seq "$ROUNDS"); do
			a=$(ncb "$be" "$alg" "$size")
			b=$("$REF" "$be" "$alg" "$size" "$SECS" "$CPU")
			echo "$a" >>"$OUT/a"; echo "$b" >>"$OUT/b"
			awk -v a="$a" -v b="$b" 'BEGIN {print a / b}' >>"$OUT/ratios"
		done
		printf '%-18s %-8s %6s %10.3f %10.3f %8.3f\n' "$alg" "$be" "$size" \
			"$(median <"$OUT/a")" "$(median <"$OUT/b")" "$(median <"$OUT/ratios")"
	done
done
done

echo
echo "(b) ncbench (openssl backend) / openssl speed -elapsed -aead -evp, PU $CPU"
printf '%-18s %6s %10s %10s %8s\n' cipher size ncbench speed ratio
for alg in aes-256-gcm chacha20-poly1305; do
	for size in 64 1420 16384; do
		a=$(ncb openssl "$alg" "$size")
		k=$(taskset -c "$CPU" openssl speed -elapsed -seconds "$SECS" -aead \
			-evp "$alg" -bytes "$size" 2>/dev/null | tail -n 1 | awk '{print $NF}' | tr -d k)
		b=$(awk -v k="$k" 'BEGIN {print k * 1000 * 8 / 1e9}')
		printf '%-18s %6s %10.3f %10.3f %8.3f\n' "$alg" "$size" "$a" "$b" \
			"$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
	done
done

echo
echo "(c) openssl / gcrypt through ncbench, PU $CPU"
printf '%-18s %6s %10s %10s %8s\n' cipher size openssl gcrypt ratio
for alg in aes-128-gcm aes-256-gcm chacha20-poly1305 sm4-gcm; do
	for size in 64 1420 16384; do
		if ! "$NCBENCH" list | grep -qE "^  $alg +yes +yes"; then
			printf '%-18s %6s %s\n' "$alg" "$size" "not offered by both backends here"
			continue
		fi
		a=$(ncb openssl "$alg" "$size"); b=$(ncb gcrypt "$alg" "$size")
		printf '%-18s %6s %10.3f %10.3f %8.3f\n' "$alg" "$size" "$a" "$b" \
			"$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
	done
done

echo
echo "(d) backends side by side (Gbit/s, one thread, PU $CPU; - where not offered)"
backends=$(cipher_backends)
printf '%-18s %6s' cipher size
for be in $backends; do printf ' %9s' "$be"; done
echo
for alg in aes-128-gcm aes-192-gcm aes-256-gcm chacha20-poly1305 sm4-gcm; do
	n=$("$NCBENCH" list | grep -E "^  $alg " | grep -o yes | wc -l)
	[ "$n" -ge 2 ] || continue
	for size in 64 1420 16384; do
		printf '%-18s %6s' "$alg" "$size"
		for be in $backends; do
			if v=$(ncb "$be" "$alg" "$size" 2>/dev/null); then
				printf ' %9.2f' "$v"
			else
				printf ' %9s' -
			fi
		done
		echo
	done
done
