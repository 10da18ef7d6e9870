# Shared by the network benchmark scripts (sourced): the two PUs, a
# scratch folder, one-result runs, and alternating rounds with medians.
set -u
: "${NCBENCH:?}"
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-2}
PORT=${BENCH_PORT:-45201}
pus=$(nproc)
TX=$(( pus - 1 )) RX=$(( pus >= 2 ? pus - 2 : 0 ))
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ncbench-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# summary_median FIELD FILE: median of summary.FIELD of the first result.
summary_median() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[2]))["results"][0]["summary"][sys.argv[1]]["median"])' "$1" "$2"
}
pps() { summary_median pps "$1"; }
# net_run FIELD WORKLOAD ARGS...: one run on the sender and receiver PUs.
net_run() {
	local field=$1 wl=$2
	shift 2
	"$NCBENCH" run -q -w "$wl" --cpus "$TX,$RX" -d "$SECS" -r 1 --warmup 0.3 \
		-o "$OUT/n.json" "$@" >/dev/null && summary_median "$field" "$OUT/n.json"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# rounds NAME CMD_A CMD_B: alternates, prints medians and the ratio A/B
# (medians printed with VAL_FMT).
VAL_FMT='%12.0f'
rounds() {
	local name=$1 a b
	: >"$OUT/a"; : >"$OUT/b"; : >"$OUT/r"
	for _ in $(seq "$ROUNDS"); do
		a=$(eval "$2"); b=$(eval "$3")
		echo "$a" >>"$OUT/a"; echo "$b" >>"$OUT/b"
		awk -v a="$a" -v b="$b" 'BEGIN {print (b > 0 ? a / b : 0)}' >>"$OUT/r"
	done
	printf "%-34s $VAL_FMT $VAL_FMT %8.2f\n" "$name" "$(median <"$OUT/a")" \
		"$(median <"$OUT/b")" "$(median <"$OUT/r")"
}

