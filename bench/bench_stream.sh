#!/usr/bin/env bash
# make bench (stream and rr part). Sender/client on one PU, receiver/server
# on another; runs alternate A B A B; each line gives medians and the
# median of the per-round ratios. Speeds are reported, never asserted.
# (a) stream --cipher null / iperf3 TCP, one stream: received Gbit/s;
# (b) stream --cipher aes-256-gcm (OpenSSL) / iperf3 through two stunnel4
#     instances speaking TLS 1.3 with TLS_AES_256_GCM_SHA384 (the client
#     tunnel on the sender's PU, the server tunnel on the receiver's);
# (c) rr at 64 bytes, null against aes-256-gcm: p50 and p99 latency, and
#     their difference, the crypto cost per exchange (ROUNDS + 2 rounds).
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
VAL_FMT='%12.2f'
P0=$PORT P1=$((PORT + 1)) P2=$((PORT + 2))

gbps() { net_run gbps "$@"; }
iperf_tcp() { # iperf_tcp CLIENT_PORT -> Gbit/s the server received
	local srv
	iperf3 -s -1 -p "$P2" -A "$RX" >/dev/null 2>&1 &
	srv=$!
	sleep 0.3
	iperf3 -c 127.0.0.1 -p "$1" -t "$SECS" -A "$TX" --json >"$OUT/i.json" 2>/dev/null
	wait "$srv" 2>/dev/null
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9)' "$OUT/i.json" 2>/dev/null || echo 0
}

echo "PUs: sender/client $TX, receiver/server $RX; $ROUNDS rounds of ${SECS}s; received Gbit/s"
echo "(a) stream --cipher null / iperf3 TCP"
printf '%-34s %12s %12s %8s\n' case stream iperf3 ratio
rounds "null 16384-byte records" "gbps stream -c null -s 16384" "iperf_tcp $P2"

echo
echo "(b) stream aes-256-gcm / iperf3 through stunnel4 (TLS 1.3, AES-256-GCM)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=localhost -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>/dev/null
common="foreground = yes
sslVersionMin = TLSv1.3
sslVersionMax = TLSv1.3
ciphersuites = TLS_AES_256_GCM_SHA384
debug = 6"
printf '%s\noutput = %s\n[srv]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\ncert = %s\nkey = %s\n' \
	"$common" "$OUT/srv.log" "$P1" "$P2" "$OUT/cert.pem" "$OUT/key.pem" >"$OUT/srv.conf"
printf '%s\noutput = %s\n[cli]\nclient = yes\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\n' \
	"$common" "$OUT/cli.log" "$P0" "$P1" >"$OUT/cli.conf"
taskset -c "$RX" stunnel4 "$OUT/srv.conf" >/dev/null 2>&1 &
srv_tun=$!
taskset -c "$TX" stunnel4 "$OUT/cli.conf" >/dev/null 2>&1 &
cli_tun=$!
trap 'kill "$srv_tun" "$cli_tun" 2>/dev/null; rm -rf "$OUT"' EXIT
sleep 0.5
printf '%-34s %12s %12s %8s\n' case stream stunnel ratio
for be in openssl ipsec-mb; do
	rounds "aes-256-gcm $be 16384" "gbps stream -c aes-256-gcm -b $be -s 16384" \
		"iperf_tcp $P0"
done
echo "tunnel: $(grep -o 'TLSv1.3 ciphersuite: [A-Z0-9_]*' "$OUT/srv.log" | sort -u | head -1)"
kill "$srv_tun" "$cli_tun" 2>/dev/null
wait "$srv_tun" "$cli_tun" 2>/dev/null

echo
echo "(c) rr, 64 bytes each way, depth 1: latency in microseconds; diff is"
echo "    the median of the per-round differences (null and aes-256-gcm run"
echo "    back to back), since the exchange time itself drifts between runs"
printf '%-14s %10s %10s %10s %10s %10s %10s\n' transport p50-null p50-aes diff p99-null p99-aes diff
for t in udp tcp; do
	: >"$OUT/rr"
	for _ in $(seq "$((ROUNDS + 2))"); do
		for c in "null" "aes-256-gcm -b openssl"; do
			# shellcheck disable=SC2086
			"$NCBENCH" run -q -w rr --transport "$t" -c $c -s 64 --cpus "$TX,$RX" \
				-d "$SECS" -r 1 --warmup 0.3 -o "$OUT/rr.json" >/dev/null &&
				python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["results"][0]["latency_ns"]; print(l["p50"], l["p99"], end=" ")' \
					"$OUT/rr.json" >>"$OUT/rr"
		done
		echo >>"$OUT/rr"
	done
	python3 - "$OUT/rr" "$t" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
m = lambda f: statistics.median(f(r) for r in rows) / 1000
print("%-14s %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f" % (
    sys.argv[2], m(lambda r: r[0]), m(lambda r: r[2]), m(lambda r: r[2] - r[0]),
    m(lambda r: r[1]), m(lambda r: r[3]), m(lambda r: r[3] - r[1])))
PY
done
