#!/usr/bin/env bash
# make bench (two-host part), as root: `ncbench serve` in one network
# namespace and `run --peer` in another, joined by a veth pair
# (tests/e2e/twohost.bash), each end pinned to its own PU, against
# iperf3 between the same namespaces on the same PUs. Runs alternate
# A B A B; each line gives medians and the median of per-round ratios.
# Speeds are reported, never asserted.
# (a) esp --cipher null 1420 B / iperf3 -u -b 0 -l 1420: received
#     packets/s, with UDP GSO/GRO (default) and with --no-gso;
# (b) stream null 16 KiB records / iperf3 TCP: payload Gbit/s;
# (c) esp aes-256-gcm 1420 B over the peer path / the one-process path
#     (loopback, same PUs): what the two-host machinery costs.
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
NCBENCH=$(realpath "$NCBENCH")
[ "$(id -u)" -eq 0 ] || { echo "bench_peer.sh: needs root"; exit 0; }
TESTBIN=unused
. "$(dirname "$0")/../tests/e2e/twohost.bash"
th_up || { echo "bench_peer.sh: cannot make namespaces"; exit 1; }
trap 'th_down; rm -rf "$OUT"' EXIT
"$NCBENCH" psk -o "$OUT/psk" >/dev/null
th_serve 7478 --psk-file "$OUT/psk" --cpus "$RX" || { echo "serve did not start"; exit 1; }

peer() { # peer FIELD ARGS... -> summary median of a two-host run from B
	local field=$1
	shift
	th_in_b "$NCBENCH" run -q --processes 1 --peer "$TH_A4" --psk-file "$OUT/psk" \
		--cpus "$TX" -d "$SECS" -r 1 --warmup 0.3 -o "$OUT/p.json" "$@" >/dev/null &&
		summary_median "$field" "$OUT/p.json"
}
iperf_ns() { # iperf_ns FIELD IPERF-ARGS... -> received packets/s or Gbit/s
	local field=$1 srv
	shift
	th_in_a iperf3 -s -1 -p 5201 -A "$RX" >/dev/null 2>&1 &
	srv=$!
	sleep 0.3
	th_in_b iperf3 -c "$TH_A4" -p 5201 -t "$SECS" -A "$TX" --json "$@" >"$OUT/i.json" 2>/dev/null
	wait "$srv" 2>/dev/null
	python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
if sys.argv[2] == "pps":
    s = e["sum"]
    print((s["packets"] - s["lost_packets"]) / s["seconds"])
else:
    print(e["sum_received"]["bits_per_second"] / 1e9)' "$OUT/i.json" "$field"
}

echo "PUs: run end / client $TX, serve end / server $RX; $ROUNDS rounds of ${SECS}s"
echo "(a) esp --cipher null over the veth / iperf3 -u -b 0 -l 1420, received packets/s"
printf '%-34s %12s %12s %8s\n' case ncbench iperf3 ratio
rounds "null 1420 gso/gro" "peer pps -w esp -c null -s 1420" "iperf_ns pps -u -b 0 -l 1420"
rounds "null 1420 --no-gso" "peer pps -w esp -c null -s 1420 --no-gso" "iperf_ns pps -u -b 0 -l 1420"

echo
echo "(b) stream null 16 KiB records over the veth / iperf3 TCP, Gbit/s"
VAL_FMT='%12.2f'
printf '%-34s %12s %12s %8s\n' case ncbench iperf3 ratio
rounds "stream null 16384" "peer gbps -w stream -c null -s 16384" "iperf_ns gbps -l 128K"

echo
echo "(c) esp aes-256-gcm 1420 over the peer path / one process on loopback, packets/s"
VAL_FMT='%12.0f'
printf '%-34s %12s %12s %8s\n' case peer one-process ratio
rounds "aes-256-gcm openssl 1420" "peer pps -w esp -c aes-256-gcm -b openssl -s 1420" \
	"net_run pps esp -c aes-256-gcm -b openssl -s 1420"
