#!/usr/bin/env bash
# make bench (framing part): WireGuard data messages and ESP carrying the
# same inner packets with the same AEAD (chacha20-poly1305) over the same
# flow pattern, sender and receiver on the same two PUs, runs alternating
# wg esp wg esp. Per framing: received Gbit/s, packets/s and CPU cycles
# per byte; the ratio is wg / esp. Speeds are reported, never asserted.
. "$(dirname "$0")/bench_lib.bash"
VAL_FMT='%12.3f'
echo "PUs: sender $TX, receiver $RX; $ROUNDS rounds of ${SECS}s"
for be in ${BENCH_BACKENDS:-openssl sodium}; do
	for size in 1420 64; do
		echo "chacha20-poly1305 $be $size B"
		printf '%-34s %12s %12s %8s\n' figure wg esp ratio
		common="-c chacha20-poly1305 -b $be -s $size"
		rounds "received Gbit/s" "net_run gbps wg $common" \
			"net_run gbps esp $common"
		VAL_FMT='%12.0f'
		rounds "received packets/s" "net_run pps wg $common" \
			"net_run pps esp $common"
		VAL_FMT='%12.3f'
	done
done
