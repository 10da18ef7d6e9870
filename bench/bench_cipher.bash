# Shared by the one-thread cipher benchmark scripts (sourced by bench.sh
# and bench_etm.sh): the pinned PU, a scratch folder, and one-result runs
# of `ncbench run` read back as Gbit/s. Each script sets its own ROUNDS and
# SECS before sourcing this.
set -u
: "${NCBENCH:?}" "${REF:?}" "${SECS:?}"
CPU=${BENCH_CPU:-$(( $(nproc) - 1 ))}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ncbench-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# Median gbps of the first result of a document (indent-1 JSON layout).
doc_gbps() { awk '/"gbps": \{/ {g=1} g && /"median"/ {gsub(/[",]/,""); print $2; exit}' "$1"; }
# cipher_run BACKEND ALG SIZE [ARGS...] -> Gbit/s of one repetition on PU CPU
cipher_run() {
	local be=$1 alg=$2 size=$3
	shift 3
	"$NCBENCH" run -q -c "$alg" -b "$be" -s "$size" --cpus "$CPU" -d "$SECS" \
		-r 1 --warmup 0.2 -o "$OUT/n.json" "$@" >/dev/null && doc_gbps "$OUT/n.json"
}
# The backends this build offers, but null, one a line.
cipher_backends() { "$NCBENCH" list | awk '/^backends:/ {b=1; next} /^[a-z]/ {b=0} b && $1 != "null" {print $1}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
