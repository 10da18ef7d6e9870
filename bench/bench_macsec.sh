#!/usr/bin/env bash
# make bench (MACsec part): received goodput in Gbit/s, sender and receiver
# on two PUs, runs alternating A B A B; each line gives medians and the
# median of the per-round ratios. Speeds are reported, never asserted.
# (a) macsec / esp over UDP on loopback, same cipher and inner packet
#     size (1420 bytes), with GSO/GRO (default) and --no-gso;
# (b) macsec --transport raw (AF_PACKET on a veth pair, one frame per
#     send) / macsec over UDP, with and without GSO/GRO. Needs root.
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
VAL_FMT='%12.2f'
gbps() { net_run gbps "$@"; }

echo "PUs: sender $TX, receiver $RX; $ROUNDS rounds of ${SECS}s; received Gbit/s"
echo "(a) macsec / esp, UDP, 1420-byte inner packets"
printf '%-34s %12s %12s %8s\n' case macsec esp ratio
for c in "null" "aes-128-gcm -b openssl"; do
	rounds "${c%% *} gso/gro" "gbps macsec -c $c -s 1420" "gbps esp -c $c -s 1420"
	rounds "${c%% *} --no-gso" "gbps macsec -c $c -s 1420 --no-gso" \
		"gbps esp -c $c -s 1420 --no-gso"
done

echo
echo "(b) macsec --transport raw / --transport udp, 1420-byte inner packets"
if [ "$(id -u)" -ne 0 ]; then
	echo "skipped: --transport raw needs root"
	exit 0
fi
printf '%-34s %12s %12s %8s\n' case raw udp ratio
for c in "null" "aes-128-gcm -b openssl"; do
	rounds "${c%% *} raw / udp gso/gro" "gbps macsec -c $c -s 1420 --transport raw" \
		"gbps macsec -c $c -s 1420"
	rounds "${c%% *} raw / udp --no-gso" "gbps macsec -c $c -s 1420 --transport raw" \
		"gbps macsec -c $c -s 1420 --no-gso"
done
