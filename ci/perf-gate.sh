#!/usr/bin/env bash
# Performance gate for CI pipelines: compares a candidate build with a
# stored baseline document, or with the baseline build itself run
# interleaved on the same machine, and exits with ncbench compare's status.
# The usage text is in usage() below; ci/README.md says what a pipeline
# should do with each exit status.
set -u

usage() {
	cat <<'EOF'
usage: ci/perf-gate.sh [options] [-- RUN OPTIONS...]

Runs a suite and compares it with a baseline using `ncbench compare`, then
exits with compare's status. JUnit XML (perf-junit.xml) and a Markdown
table (perf.md) go to the --out folder for the pipeline to show.

Stored baseline (default mode):
  --baseline NAME          compare with BASELINES/NAME.json (default
                           "default"); name it after the machine that made
                           it, as a gate compares a machine only with itself
  --baselines DIR          where baselines live (default results/baselines)
  --update-baseline        store this run as the baseline instead of
                           comparing (exit 0)

Interleaved (both builds at hand, e.g. the target branch and the change):
  --baseline-ncbench PATH  the baseline build; --ncbench is the candidate
  --rounds N               rounds per build (default 5, at least 2)
      The suite runs alternately with each build, A B A B ..., one fresh
      process per run (--out/a-R.json, --out/b-R.json), and compare pools
      the rounds of each side (--base ... --current ...), testing the
      per-run medians. Each build sees the same drift of the machine (a
      neighbour, frequency, thermal state), so drift between runs is
      cancelled rather than guessed, and no stored baseline can go stale.
      Costs 2 x N suite runs.

Both modes:
  --ncbench PATH           the ncbench to test (default ./ncbench)
  --suite FILE             the cases (default results/suites/quick.json)
  --threshold PCT          smallest change of the median that counts (5)
  --alpha A                significance level of the U test (0.05)
  --allow-inconclusive     exit 0, with a warning, when compare says some
                           case is inconclusive or too noisy (exit 3)
  --out DIR                output folder (default perf-gate)
  -- RUN OPTIONS...        passed to every `ncbench run` (e.g. -- --repeat 9)
  -h, --help               this text

Exit status: 0 no regression and every case decided; 1 a regression (or a
run failed); 2 a usage or input error (e.g. a missing baseline); 3 no
regression, but some case inconclusive or too noisy to decide: treat it as
a failure unless --allow-inconclusive.
EOF
}

suite=results/suites/quick.json
name=default
update=0
threshold=5
alpha=0.05
out=perf-gate
baselines=results/baselines
ncbench=./ncbench
base_ncbench=
rounds=
allow_inconclusive=0
stored_opt=
run_extra=()

die() { echo "perf-gate: $*" >&2; exit 2; }
need() { [ "$2" -ge 2 ] || die "$1 needs a value (see --help)"; }
while [ $# -gt 0 ]; do
	case $1 in
	--suite) need "$1" $#; suite=$2; shift ;;
	--baseline) need "$1" $#; name=$2; stored_opt=$1; shift ;;
	--update-baseline) update=1; stored_opt=$1 ;;
	--baselines) need "$1" $#; baselines=$2; stored_opt=$1; shift ;;
	--baseline-ncbench) need "$1" $#; base_ncbench=$2; shift ;;
	--rounds) need "$1" $#; rounds=$2; shift ;;
	--threshold) need "$1" $#; threshold=$2; shift ;;
	--alpha) need "$1" $#; alpha=$2; shift ;;
	--allow-inconclusive) allow_inconclusive=1 ;;
	--out) need "$1" $#; out=$2; shift ;;
	--ncbench) need "$1" $#; ncbench=$2; shift ;;
	--) shift; run_extra=("$@"); break ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

# Checked before any run, so a typo does not cost a suite's time first;
# compare checks the ranges.
is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ || $1 =~ ^[.][0-9]+$ ]]; }
is_number "$threshold" || die "--threshold: '$threshold' is not a percentage"
is_number "$alpha" || die "--alpha: '$alpha' is not a level"
[ -x "$ncbench" ] || die "$ncbench: not found (build with make, or give --ncbench)"
[ -r "$suite" ] || die "--suite: cannot read $suite"
if [ -n "$base_ncbench" ]; then
	[ -z "$stored_opt" ] || die "$stored_opt is for a stored baseline; --baseline-ncbench compares two builds: give one or the other"
	: "${rounds:=5}"
	[[ $rounds =~ ^[0-9]+$ ]] && [ "$rounds" -ge 2 ] && [ "$rounds" -le 1000 ] ||
		die "--rounds: '$rounds' is not a count in 2..1000 (one run per build shows compare no run-to-run spread)"
	[ -x "$base_ncbench" ] || die "--baseline-ncbench: $base_ncbench is not an executable"
	"$ncbench" compare --help 2>/dev/null | grep -q -- '--base' ||
		die "$ncbench: its compare cannot pool documents (--base/--current); the interleaved mode needs a newer build"
else
	[ -z "$rounds" ] || die "--rounds needs --baseline-ncbench (the interleaved mode)"
	case $name in */*|.*|'') die "--baseline: '$name' is not a plain name" ;; esac
fi
mkdir -p "$out" || die "--out: cannot create $out"
trap 'echo "perf-gate: interrupted" >&2; exit 130' INT TERM

# finish STATUS: compare's status as the gate's, 3 softened on request.
finish() {
	case $1 in
	0|1|2) exit "$1" ;;
	3)
		if [ "$allow_inconclusive" = 1 ]; then
			echo "perf-gate: warning: some cases are inconclusive or too noisy to decide (compare exit 3); passing because of --allow-inconclusive" >&2
			exit 0
		fi
		echo "perf-gate: some cases are inconclusive or too noisy to decide (see $out/perf.md): more repetitions or --rounds, a quieter machine, or --allow-inconclusive" >&2
		exit 3 ;;
	*) echo "perf-gate: compare failed (exit $1)" >&2; exit 2 ;;
	esac
}

# suite_run NCBENCH FILE [ONE]: one run of the suite; with ONE=1 in one
# process (a build older than `run --processes` runs in one anyway).
suite_run() {
	local procs=() rc
	[ "${3:-0}" = 1 ] && "$1" run --help 2>/dev/null | grep -q -- '--processes' &&
		procs=(--processes 1)
	"$1" run --suite "$suite" --quiet "${procs[@]}" -o "$2" "${run_extra[@]}"
	rc=$?
	[ $rc -eq 2 ] && { echo "perf-gate: $1 refused the run options (exit 2)" >&2; exit 2; }
	[ $rc -ne 0 ] && { echo "perf-gate: the run of $1 failed (exit $rc)" >&2; exit 1; }
	return 0
}

if [ -n "$base_ncbench" ]; then
	# Files of an earlier gate with more rounds must not be pooled.
	rm -f "$out"/a-[0-9]*.json "$out"/b-[0-9]*.json
	cmp_args=()
	for r in $(seq "$rounds"); do
		echo "perf-gate: round $r/$rounds: baseline $base_ncbench" >&2
		suite_run "$base_ncbench" "$out/a-$r.json" 1
		echo "perf-gate: round $r/$rounds: candidate $ncbench" >&2
		suite_run "$ncbench" "$out/b-$r.json" 1
		cmp_args+=(--base "$out/a-$r.json")
	done
	for r in $(seq "$rounds"); do cmp_args+=(--current "$out/b-$r.json"); done
	"$ncbench" compare "${cmp_args[@]}" --threshold "$threshold" \
		--alpha "$alpha" --junit "$out/perf-junit.xml" --markdown "$out/perf.md"
	finish $?
fi

base="$baselines/$name.json"
if [ "$update" = 0 ] && [ ! -r "$base" ]; then
	die "no baseline $base: make one on this machine with --update-baseline"
fi
suite_run "$ncbench" "$out/current.json"
if [ "$update" = 1 ]; then
	mkdir -p "$baselines" || die "cannot create $baselines"
	tmp=$(mktemp "$baselines/.$name.XXXXXX") || die "cannot write in $baselines"
	cp "$out/current.json" "$tmp" && mv "$tmp" "$base" || die "cannot write $base"
	echo "perf-gate: baseline $base updated"
	exit 0
fi
"$ncbench" compare "$base" "$out/current.json" --threshold "$threshold" \
	--alpha "$alpha" --junit "$out/perf-junit.xml" --markdown "$out/perf.md"
finish $?
