#!/usr/bin/env bash
# make bench (framing part): WireGuard data messages and ESP carrying the
# same inner packets with the same AEAD (chacha20-poly1305) over the same
# flow pattern, sender and receiver on the same two PUs, runs alternating
# wg esp wg esp. Per framing, medians over the rounds of received Gbit/s,
# packets/s and CPU cycles per byte; the ratio is wg / esp. Speeds are
# reported, never asserted.
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
# figures FILE: "gbps pps cycles_per_byte" of the first result.
figures() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["results"][0]["summary"]; print(s["gbps"]["median"], s["pps"]["median"], s["cycles_per_byte"])' "$1"
}
echo "PUs: sender $TX, receiver $RX; $ROUNDS rounds of ${SECS}s, wg and esp alternating"
printf '%-30s %-14s %10s %10s %8s\n' case figure wg esp ratio
for be in ${BENCH_BACKENDS:-openssl sodium}; do
	for size in 1420 64; do
		: >"$OUT/wg"; : >"$OUT/esp"
		for _ in $(seq "$ROUNDS"); do
			for fr in wg esp; do
				"$NCBENCH" run -q -w "$fr" -c chacha20-poly1305 -b "$be" -s "$size" \
					--cpus "$TX,$RX" -d "$SECS" -r 1 --warmup 0.3 \
					-o "$OUT/n.json" >/dev/null && figures "$OUT/n.json" >>"$OUT/$fr"
			done
		done
		python3 - "$OUT/wg" "$OUT/esp" "chacha20-poly1305 $be $size B" <<'PY'
import statistics, sys
rows = [[list(map(float, l.split())) for l in open(f) if l.strip()] for f in sys.argv[1:3]]
for k, (name, fmt) in enumerate((("Gbit/s", "%10.3f"), ("packets/s", "%10.0f"),
                                 ("cycles/B", "%10.3f"))):
    w, e = (statistics.median(r[k] for r in side) for side in rows)
    print(("%-30s %-14s " + fmt + " " + fmt + " %8.3f") % (sys.argv[3], name, w, e,
                                                         w / e if e else 0))
PY
	done
done
