#!/usr/bin/env bash
# make bench (many SAs and many sockets). Sender and receiver pinned to
# the same two PUs; each run is one process of one repetition; speeds are
# reported, never asserted.
# (a) esp aes-256-gcm at 1420 bytes on openssl and ipsec-mb with 1 to
#     65536 SAs per pair and direction (BENCH_SA_COUNTS), spread uniformly:
#     CPU time per packet of both workers (receivers sleep when idle, so it
#     is work, not polling) per count. Each round runs every count in turn;
#     a count's figure is the median over rounds, its ratio to the first
#     count the median of the per-round ratios. The knee is the first
#     count whose ratio reaches 1.10.
# (b) SA set-up at the largest count, per backend: SAs set up per second
#     (key schedules included) and bytes per SA, from the documents' sa{},
#     medians over rounds, for every backend that offers each cipher.
# (c) --io uring against --io epoll with 16 and 256 UDP sockets per pair
#     end (--flows; 256 SAs spread over them), 64 bytes, cipher null (the
#     engines' difference is I/O; crypto at 64 bytes would hide it), with
#     and without GSO, receivers busy-polling 50 us (run's default; their
#     system calls then count polls too) and sleeping when idle (--busy-poll 0:
#     they count work and wake-ups), runs alternating uring epoll uring
#     epoll: medians of
#     received packets/s, the median of the per-round ratios uring/epoll,
#     and each engine's system calls per packet sent (tx) and received (rx).
# (d) with perf and BENCH_SA_PROFILE=1 (the default when perf works): the
#     hottest symbols of (a)'s openssl case at the first and the largest
#     count, recorded from the end of the SAs' set-up and the warm-up on.
# A count whose SAs would not fit in memory is refused by run and shows
# as failed.
# BENCH_ROUNDS (3) and BENCH_SECONDS (2) as in the other scripts; about
# five minutes on a 2-PU machine. BENCH_SA_PARTS picks parts ("a b c d").
. "$(dirname "$0")/bench_usage.bash" "$@"
. "$(dirname "$0")/bench_lib.bash"
COUNTS=${BENCH_SA_COUNTS:-1 16 256 4096 65536}
FLOW_SAS=${BENCH_FLOW_SAS:-256}
read -r FIRST _ <<<"$COUNTS"
LAST=${COUNTS##* }
PARTS=${BENCH_SA_PARTS:-a b c d}
part() { [[ " $PARTS " == *" $1 "* ]]; }

# esp_run FILE ARGS...: one esp run into FILE; fails when the run does.
esp_run() {
	local f=$1
	shift
	"$NCBENCH" run -q -w esp --processes 1 --cpus "$TX,$RX" -d "$SECS" -r 1 \
		--warmup 0.3 -o "$f" "$@" >/dev/null 2>"$OUT/err" ||
		{ echo "run failed: esp $* ($(head -c 300 "$OUT/err"))" >&2; return 1; }
}
# figures FILE: "ns_per_packet pps syscalls_tx syscalls_rx create_per_s
# bytes_per_sa" of the first result ("nan" for a field it lacks).
figures() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
s, sa = r["summary"], r.get("sa", {})
sc = r.get("io_detail", {}).get("syscalls_per_packet", {})
print(s["service_demand"]["us_per_packet"] * 1e3, s["pps"]["median"],
      sc.get("tx", "nan"), sc.get("rx", "nan"), sa.get("create_per_s", "nan"),
      sa.get("bytes_per_sa", "nan"))' "$1"
}
# offers CIPHER: the backends that offer it here.
"$NCBENCH" list --json >"$OUT/list.json"
offers() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(b for a in d["algorithms"] if a["name"] == sys.argv[2]
               for b, ok in a["backends"].items() if ok and b != "null"))' "$OUT/list.json" "$1"
}
is_offered() { [[ " $(offers "$1") " == *" $2 "* ]]; }

echo "PUs: sender $TX, receiver $RX; $ROUNDS rounds of ${SECS}s; one process per run"
if part a; then
echo "(a) esp aes-256-gcm 1420 B, --busy-poll 0, SAs spread uniformly:"
echo "    CPU ns per packet (sender + receiver) by SAs per pair and direction"
printf '%-10s %8s %12s %14s\n' backend SAs ns/packet "ratio to $FIRST"
: >"$OUT/knees"
for be in openssl ipsec-mb; do
	if ! is_offered aes-256-gcm "$be"; then
		echo "$be: does not offer aes-256-gcm here"
		continue
	fi
	: >"$OUT/a-$be"
	for r in $(seq "$ROUNDS"); do
		for n in $COUNTS; do
			f=$OUT/a-$be-$n.json
			esp_run "$f" -c aes-256-gcm -b "$be" -s 1420 --busy-poll 0 --sas "$n" &&
				echo "$r $n $(figures "$f")" >>"$OUT/a-$be"
		done
	done
	python3 - "$OUT/a-$be" "$be" "$COUNTS" "$OUT/knees" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
be, counts = sys.argv[2], [int(x) for x in sys.argv[3].split()]
ns = {}  # (round, count) -> ns/packet
for r, n, v, *_ in rows:
    ns[r, int(n)] = float(v)
knee = "none up to %d" % counts[-1]
for n in counts:
    vals = [v for (r, m), v in ns.items() if m == n]
    ratios = [v / ns[r, counts[0]] for (r, m), v in ns.items()
              if m == n and ns.get((r, counts[0]), 0) > 0]
    if not vals:
        print("%-10s %8d %12s" % (be, n, "failed (above)"))
        continue
    ratio = statistics.median(ratios) if ratios else float("nan")
    print("%-10s %8d %12.1f %14.3f" % (be, n, statistics.median(vals), ratio))
    if ratio >= 1.10 and knee.startswith("none"):
        knee = str(n)
open(sys.argv[4], "a").write("%s %s\n" % (be, knee))
PY
done
while read -r be knee; do
	echo "knee ($be): the first count at 1.10x the cost of --sas $FIRST: $knee"
done <"$OUT/knees"
fi

if part b; then
echo
echo "(b) SA set-up at $LAST SAs per pair and direction (esp 1420 B; medians over $ROUNDS runs)"
printf '%-18s %-10s %16s %14s\n' cipher backend "SAs set up/s" "bytes per SA"
for alg in aes-256-gcm chacha20-poly1305; do
	for be in $(offers "$alg"); do
		: >"$OUT/b"
		for _ in $(seq "$ROUNDS"); do
			esp_run "$OUT/b.json" -c "$alg" -b "$be" -s 1420 --sas "$LAST" -d 0.2 \
				--warmup 0 && figures "$OUT/b.json" >>"$OUT/b"
		done
		python3 - "$OUT/b" "$alg" "$be" <<'PY'
import math, statistics, sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1]) if l.strip()]
med = lambda k: statistics.median(r[k] for r in rows) if rows else math.nan
print("%-18s %-10s %16.0f %14.0f" % (sys.argv[2], sys.argv[3], med(4), med(5)))
PY
	done
done
fi

if part c; then
echo
echo "(c) --io uring / --io epoll, esp null 64 B, $FLOW_SAS SAs over the flows, receivers"
echo "    busy-polling 50 us (run's default) and sleeping at once (--busy-poll 0):"
echo "    received packets/s, and system calls per packet sent (tx) and received (rx)"
printf '%-28s %11s %11s %7s %15s %15s\n' case uring epoll ratio "uring tx/rx" "epoll tx/rx"
for poll in 50 0; do
for flows in 16 256; do
	for gso in "" --no-gso; do
		: >"$OUT/c"
		for _ in $(seq "$ROUNDS"); do
			line=
			for io in uring epoll; do
				# shellcheck disable=SC2086
				esp_run "$OUT/c.json" -c null -s 64 --sas "$FLOW_SAS" --flows "$flows" \
					--io "$io" --busy-poll "$poll" $gso && line="$line $(figures "$OUT/c.json")"
			done
			# A round counts when both of its runs did.
			[ "$(wc -w <<<"$line")" -eq 12 ] && echo "$line" >>"$OUT/c"
		done
		python3 - "$OUT/c" "$flows flows ${gso:-gso/gro} poll $poll" <<'PY'
import math, statistics, sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1]) if l.strip()]
u, e = [r[:6] for r in rows], [r[6:] for r in rows]
med = lambda rows, k: statistics.median(r[k] for r in rows) if rows else math.nan
ratios = [a[1] / b[1] for a, b in zip(u, e) if b[1] > 0]
print("%-28s %11.0f %11.0f %7.3f %7.3f/%-7.3f %7.3f/%-7.3f" % (
    sys.argv[2], med(u, 1), med(e, 1), statistics.median(ratios) if ratios else math.nan,
    med(u, 2), med(u, 3), med(e, 2), med(e, 3)))
PY
	done
done
done
fi

profile=${BENCH_SA_PROFILE:-1}
if part d; then
if [ "$profile" = 1 ] && command -v perf >/dev/null &&
	perf record -q -o "$OUT/probe.data" -- true >/dev/null 2>&1 &&
	is_offered aes-256-gcm openssl; then
	echo
	echo "(d) where the time goes: esp aes-256-gcm openssl 1420 B, hottest symbols (self %)"
	for n in $FIRST $LAST; do
		# Start recording after both ends' SAs are made and the warm-up
		# is over, from the set-up rate (a) measured at this count.
		delay=$(python3 -c '
import json, sys
try:
    sa = json.load(open(sys.argv[1]))["results"][0]["sa"]
    print(int(2 * sa["count"] / sa["create_per_s"] * 1.2e3 + 500))
except Exception:
    print(500)' "$OUT/a-openssl-$n.json" 2>/dev/null)
		echo "--sas $n (recorded from ${delay} ms on):"
		perf record -q -D "$delay" -o "$OUT/p.data" -- "$NCBENCH" run -q -w esp --processes 1 \
			--cpus "$TX,$RX" -d "$SECS" -r 1 --warmup 0.3 -o "$OUT/p.json" \
			-c aes-256-gcm -b openssl -s 1420 --busy-poll 0 --sas "$n" >/dev/null 2>&1
		perf report -q -i "$OUT/p.data" --stdio --no-children --sort dso,sym 2>/dev/null |
			grep -v '^$' | head -n 10
	done
fi
fi
