#!/usr/bin/env bash
# make bench-compare: the error rates of `ncbench compare` on this machine.
# (a) A/A: PAIRS pairs of the same case run twice in a row; every
#     "REGRESSION" or "improvement" is a false alarm. "plain" does the same
#     with run's and compare's defaults (no RUN_OPTS, no CMP_OPTS): two
#     plain `ncbench run` invocations compared.
# (b) A/B: PAIRS pairs where B runs in a cgroup whose CPU quota gives the
#     workers 95% (then 90%) of the CPUs they use, a real 5% (10%)
#     slowdown; every "REGRESSION" is a catch.
# For a cipher case (one worker on one PU) and an esp case (sender and
# receiver). Prints a table of counts with the median change and its
# spread; the pairs go to a CSV under results/bench/. A bench, not a test:
# it asserts nothing and is never part of make test. Needs root for (b).
#
# Environment: PAIRS (20), RUN_OPTS ("--processes 9 --repeat 1
# --drop-disturbed": nine repetitions, each in its own process, those
# flagged as disturbed left out; given to every run but plain's),
# CMP_OPTS ("--threshold 2", given to every compare but plain's: a 5%
# slowdown measures 3-7% here, so a 5% threshold would miss half of
# them), CASES ("cipher esp"), EXPERIMENTS ("plain aa 5 10": plain A/A,
# A/A and the slowdowns in percent), PERIOD_US
# (the quota's period, 100000 as the kernel's: a 10 ms period spreads the
# slowdown more evenly, but throttles the workers 30 times a 0.3 s
# repetition, which the disturbance flags rightly see (preemptions, the
# canary), so most B runs came out "too noisy"; with 100 ms a repetition
# loses 2 to 4 slices of 5 ms, 3 to 7%), CSV (results/bench/compare-<UTC>.csv),
# KEEP=1 keeps the documents (their folder is printed).
. "$(dirname "$0")/bench_usage.bash" "$@"
set -u
: "${NCBENCH:?set NCBENCH to the ncbench binary}"
PAIRS=${PAIRS:-20}
RUN_OPTS=${RUN_OPTS---processes 9 --repeat 1 --drop-disturbed}
CMP_OPTS=${CMP_OPTS---threshold 2}
CASES=${CASES:-cipher esp}
EXPERIMENTS=${EXPERIMENTS:-plain aa 5 10}
PERIOD_US=${PERIOD_US:-100000}
CSV=${CSV:-results/bench/compare-$(date -u +%Y%m%dT%H%M%SZ).csv}

die() { echo "bench-compare: $*" >&2; exit 2; }
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] || die "PAIRS: '$PAIRS' is not a count >= 1"
[[ $PERIOD_US =~ ^[1-9][0-9]*$ ]] && [ "$PERIOD_US" -ge 1000 ] &&
	[ "$PERIOD_US" -le 1000000 ] || die "PERIOD_US: '$PERIOD_US' is not in 1000..1000000"
[ -x "$NCBENCH" ] || die "$NCBENCH: not an executable"

# The cases: run options and how many workers the quota is for.
case_opts() {
	case $1 in
	cipher) echo "-w cipher -c aes-256-gcm -b openssl -s 1420 --cpus 1" ;;
	esp) echo "-w esp -c aes-256-gcm -b openssl -s 1420" ;;
	*) return 1 ;;
	esac
}
case_workers() { case $1 in cipher) echo 1 ;; esp) echo 2 ;; esac; }
for c in $CASES; do case_opts "$c" >/dev/null || die "CASES: unknown case '$c' (cipher, esp)"; done
for x in $EXPERIMENTS; do
	[ "$x" = aa ] || [ "$x" = plain ] || { [[ $x =~ ^[1-9][0-9]?$ ]] ||
		die "EXPERIMENTS: '$x' is neither plain, aa nor a slowdown percent in 1..99"; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ncbench-bench.XXXXXX") || die "cannot make a scratch folder"
child=
cg_dir=
cg_procs=

# The cgroup of the B runs: v2 cpu.max when the unified hierarchy has the
# cpu controller, else v1 cpu.cfs_quota_us where the cpu controller is
# mounted. cg_make prints why it cannot on stderr and fails.
cg_make() {
	local v1
	if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null ||
			echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
		cg_dir=/sys/fs/cgroup/ncbench-bench-$$
		mkdir "$cg_dir" 2>/dev/null || {
			echo "cannot make a cgroup under /sys/fs/cgroup (root?)" >&2
			cg_dir=; return 1; }
		# Left for cleanup to remove when it has no cpu.max.
		[ -w "$cg_dir/cpu.max" ] || { echo "$cg_dir has no cpu.max" >&2; return 1; }
		cg_procs=$cg_dir/cgroup.procs
		return 0
	fi
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ {print $2; exit}' /proc/mounts)
	[ -n "$v1" ] || { echo "no cgroup cpu controller (v2 or v1) on this host" >&2; return 1; }
	cg_dir=$v1/ncbench-bench-$$
	mkdir "$cg_dir" 2>/dev/null || {
		echo "cannot make a cgroup under $v1 (root?)" >&2; cg_dir=; return 1; }
	[ -w "$cg_dir/cpu.cfs_quota_us" ] || { echo "$cg_dir has no cpu.cfs_quota_us" >&2; return 1; }
	cg_procs=$cg_dir/cgroup.procs
}
# cg_quota QUOTA_US: QUOTA_US of CPU time per PERIOD_US for the cgroup.
cg_quota() {
	if [ -e "$cg_dir/cpu.max" ]; then
		echo "$1 $PERIOD_US" >"$cg_dir/cpu.max"
	else
		# v1 refuses a quota below the period's old value in some orders:
		# lift the quota first, set the period, then the quota.
		echo -1 >"$cg_dir/cpu.cfs_quota_us" &&
			echo "$PERIOD_US" >"$cg_dir/cpu.cfs_period_us" &&
			echo "$1" >"$cg_dir/cpu.cfs_quota_us"
	fi
}
cg_remove() {
	local i p
	[ -n "$cg_dir" ] && [ -d "$cg_dir" ] || return 0
	for i in $(seq 50); do
		rmdir "$cg_dir" 2>/dev/null && { cg_dir=; return 0; }
		# Only our B runs live here: stop what is left of them by PID.
		for p in $(cat "$cg_procs" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done
		sleep 0.1
	done
	echo "bench-compare: could not remove $cg_dir" >&2
}
cleanup() {
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	cg_remove
	if [ -n "${KEEP:-}" ]; then echo "bench-compare: documents kept in $TMP" >&2
	else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'echo "bench-compare: interrupted" >&2; exit 130' INT TERM

# run_case CASE FILE IN_CGROUP: one run; in the background so that an
# interrupt reaches the trap at once, and the trap can stop it by PID.
run_case() {
	local rc
	# shellcheck disable=SC2046,SC2086
	if [ "$3" = 1 ]; then
		sh -c 'echo $$ >"$1" || exit 97; shift; exec "$@"' sh "$cg_procs" \
			"$NCBENCH" run -q $(case_opts "$1") $run_opts -o "$2" 2>"$TMP/run.err" &
	else
		"$NCBENCH" run -q $(case_opts "$1") $run_opts -o "$2" 2>"$TMP/run.err" &
	fi
	child=$!
	wait "$child"
	rc=$?
	child=
	[ $rc -eq 0 ] && return 0
	[ $rc -eq 97 ] && die "cannot put a run into $cg_procs"
	echo "bench-compare: ncbench run $(case_opts "$1") $run_opts: exit $rc" >&2
	head -n 5 "$TMP/run.err" >&2
	exit 1
}

# verdict A B: "change p verdict base current exit" of the one case, from
# compare's Markdown table (columns found by their headers).
verdict() {
	local rc
	# shellcheck disable=SC2086
	"$NCBENCH" compare "$1" "$2" $cmp_opts -q --markdown "$TMP/m.md" \
		>/dev/null 2>"$TMP/cmp.err"
	rc=$?
	if [ $rc -eq 2 ] || [ ! -s "$TMP/m.md" ]; then
		echo "bench-compare: compare $1 $2: exit $rc" >&2
		head -n 5 "$TMP/cmp.err" >&2
		exit 1
	fi
	python3 - "$TMP/m.md" "$rc" <<'PY'
import sys
rows = [[c.strip() for c in l.strip().strip("|").split("|")]
        for l in open(sys.argv[1]) if l.startswith("|")]
head = [h.split()[0] for h in rows[0]]
row = rows[2]
def col(name, default="-"):
    return row[head.index(name)] if name in head else default
num = lambda s: s.replace("%", "").replace("+", "") if s not in ("", "-") else "nan"
print(num(col("change")), num(col("p")), col("verdict").strip("*").replace(" ", "_"),
      num(col("base")), num(col("current")), sys.argv[2])
PY
}

mkdir -p "$(dirname "$CSV")" || die "cannot make $(dirname "$CSV")"
echo "case,experiment,pair,order,base_gbps,current_gbps,change_pct,p,verdict,compare_exit" >"$CSV" ||
	die "cannot write $CSV"

have_cg=0 cg_why=
case " $EXPERIMENTS " in
*" "[1-9]*) cg_make 2>"$TMP/cg.err" && have_cg=1 || cg_why=$(cat "$TMP/cg.err") ;;
esac

echo "ncbench compare error rates: $PAIRS pairs per case and test; each run: $RUN_OPTS"
[ -n "$CMP_OPTS" ] && echo "compare options: $CMP_OPTS"
echo "pairs in $CSV"
[ $have_cg = 1 ] && echo "B of a slowdown runs in $cg_dir (CPU quota per $PERIOD_US us)"
start=$(date +%s)
for c in $CASES; do
	w=$(case_workers "$c")
	for x in $EXPERIMENTS; do
		run_opts=$RUN_OPTS cmp_opts=$CMP_OPTS
		if [ "$x" = plain ]; then
			name=plainA/A slow=0 run_opts= cmp_opts=
		elif [ "$x" = aa ]; then
			name=A/A slow=0
		else
			[ $have_cg = 1 ] || continue
			name=$x% slow=1
			quota=$(( (100 - x) * w * PERIOD_US / 100 ))
			cg_quota "$quota" || die "cannot set the quota of $cg_dir"
			echo "$c $name: B gets $quota us of CPU per $PERIOD_US us ($((100 - x))% of $w CPU(s), one per worker)"
		fi
		for i in $(seq "$PAIRS"); do
			# The order alternates, so neither side is always the later one.
			if [ $((i % 2)) = 1 ]; then
				order=AB
				run_case "$c" "$TMP/a.json" 0
				run_case "$c" "$TMP/b.json" "$slow"
			else
				order=BA
				run_case "$c" "$TMP/b.json" "$slow"
				run_case "$c" "$TMP/a.json" 0
			fi
			[ -n "${KEEP:-}" ] && cp "$TMP/a.json" "$TMP/$c-${x}-$i-a.json" &&
				cp "$TMP/b.json" "$TMP/$c-${x}-$i-b.json"
			read -r change p v base cur rc < <(verdict "$TMP/a.json" "$TMP/b.json")
			[ -n "${v:-}" ] || exit 1
			echo "$c,$name,$i,$order,$base,$cur,$change,$p,${v//_/ },$rc" >>"$CSV"
			printf '%-6s %-4s pair %2d/%d: %7s%%  %s\n' "$c" "$name" "$i" "$PAIRS" \
				"$change" "${v//_/ }" >&2
		done
	done
done
echo "elapsed: $(( $(date +%s) - start )) s"
[ -n "$cg_why" ] && echo "slowdown tests skipped: $cg_why"

python3 - "$CSV" <<'PY'
import csv, math, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
for r in rows:
    groups.setdefault((r["case"], r["experiment"]), []).append(r)
def q(xs, f):
    xs = sorted(xs)
    k = (len(xs) - 1) * f
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
print()
print("%-7s %-9s %-48s %s" % ("case", "test", "result", "change: median (IQR; range)"))
for (case, exp), rs in groups.items():
    n = len(rs)
    count = lambda *vs: sum(r["verdict"] in vs for r in rs)
    inc, noisy = count("inconclusive"), count("too noisy")
    if exp.endswith("A/A"):
        res = "%d/%d false alarms (%d inconclusive, %d too noisy)" % (
            count("REGRESSION", "improvement"), n, inc, noisy)
    else:
        res = "caught %d/%d (%d inconclusive, %d too noisy)" % (
            count("REGRESSION"), n, inc, noisy)
    ch = [float(r["change_pct"]) for r in rs if r["change_pct"] != "nan"]
    spread = "-"
    if ch:
        spread = "%+.1f%% (%+.1f..%+.1f; %+.1f..%+.1f)" % (
            statistics.median(ch), q(ch, 0.25), q(ch, 0.75), min(ch), max(ch))
    print("%-7s %-9s %-48s %s" % (case, exp, res, spread))
PY
