#!/usr/bin/env bash
# make bench (network part): the esp workload against references, sender
# and receiver pinned to the same two PUs as the reference's client and
# server. Runs alternate A B A B; each line gives medians and the median
# of the per-round ratios. Speeds are reported, never asserted.
# (a) esp --cipher null vs iperf3 -u -b 0 -l SIZE: received packets/s,
#     with UDP GSO/GRO (default) and with --no-gso;
# (b) --io uring vs --io epoll, same case;
# (c) pipeline efficiency of aes-256-gcm at 1420 bytes: measured rate over
#     1 / (1/crypto + 1/io), crypto = the cipher workload's rate, io = the
#     null esp rate at the same size.
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
esp() { # esp ARGS... -> received packets/s
	net_run pps esp "$@"
}
cipher_pps() { # cipher ALG BACKEND SIZE -> sealed packets/s on the sender's PU
	"$NCBENCH" run -q -c "$1" -b "$2" -s "$3" --cpus "$TX" -d "$SECS" -r 1 \
		--warmup 0.3 -o "$OUT/c.json" >/dev/null && pps "$OUT/c.json"
}
iperf() { # iperf SIZE -> packets/s the server received
	local srv
	iperf3 -s -1 -p "$PORT" -A "$RX" >/dev/null 2>&1 &
	srv=$!
	sleep 0.3
	iperf3 -c 127.0.0.1 -p "$PORT" -u -b 0 -l "$1" -t "$SECS" -A "$TX" \
		--json >"$OUT/i.json" 2>/dev/null
	wait "$srv" 2>/dev/null
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum"]
print((s["packets"] - s["lost_packets"]) / s["seconds"])' "$OUT/i.json"
}
echo "PUs: sender/client $TX, receiver/server $RX; $ROUNDS rounds of ${SECS}s"
echo "(a) esp --cipher null / iperf3 -u -b 0 -l SIZE, received packets/s"
printf '%-34s %12s %12s %8s\n' case esp iperf3 ratio
for size in 64 1420; do
	rounds "null $size gso/gro" "esp -c null -s $size" "iperf $size"
	rounds "null $size --no-gso" "esp -c null -s $size --no-gso" "iperf $size"
done

echo
echo "(b) --io uring / --io epoll, received packets/s"
printf '%-34s %12s %12s %8s\n' case uring epoll ratio
for size in 64 1420; do
	rounds "null $size gso/gro" "esp -c null -s $size" "esp -c null -s $size --io epoll"
	rounds "null $size --no-gso" "esp -c null -s $size --no-gso" \
		"esp -c null -s $size --no-gso --io epoll"
done
rounds "null 64 gso/gro --busy-poll 0" "esp -c null -s 64 --busy-poll 0" \
	"esp -c null -s 64 --busy-poll 0 --io epoll"
rounds "null 64 --no-gso --busy-poll 0" "esp -c null -s 64 --no-gso --busy-poll 0" \
	"esp -c null -s 64 --no-gso --busy-poll 0 --io epoll"

echo
echo "(c) pipeline efficiency, aes-256-gcm openssl 1420: esp / (1 / (1/crypto + 1/io))"
printf '%-34s %12s %12s %12s %8s\n' case esp crypto io efficiency
for _ in $(seq "$ROUNDS"); do
	m=$(esp -c aes-256-gcm -b openssl -s 1420)
	c=$(cipher_pps aes-256-gcm openssl 1420)
	i=$(esp -c null -s 1420)
	echo "$m $c $i" >>"$OUT/c"
done
python3 - "$OUT/c" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
eff = [m * (1 / c + 1 / i) for m, c, i in rows]
med = lambda k: statistics.median(r[k] for r in rows)
print("%-34s %12.0f %12.0f %12.0f %8.3f" % ("aes-256-gcm 1420", med(0), med(1), med(2),
                                            statistics.median(eff)))
PY
