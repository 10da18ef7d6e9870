#!/usr/bin/env bash
# Performance gate for CI pipelines: runs a suite, compares the result with
# a stored baseline document and exits with ncbench compare's status
# (0 no regression, 1 a regression, 2 usage or input error), leaving JUnit
# XML and a Markdown table for the pipeline to show.
#
#   ci/perf-gate.sh [--suite FILE] [--baseline NAME] [--update-baseline]
#                   [--threshold PCT] [--alpha A] [--out DIR]
#                   [--baselines DIR] [--ncbench PATH] [-- RUN OPTIONS...]
#
# Baselines live in results/baselines/NAME.json; name them after the
# machine that made them (a gate compares like with like) and commit them.
set -u

suite=results/suites/quick.json
name=default
update=0
threshold=5
alpha=0.05
out=perf-gate
baselines=results/baselines
ncbench=./ncbench
run_extra=()

die() { echo "perf-gate: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--suite) suite=${2:?--suite needs a file}; shift ;;
	--baseline) name=${2:?--baseline needs a name}; shift ;;
	--update-baseline) update=1 ;;
	--threshold) threshold=${2:?--threshold needs a percentage}; shift ;;
	--alpha) alpha=${2:?--alpha needs a level}; shift ;;
	--out) out=${2:?--out needs a folder}; shift ;;
	--baselines) baselines=${2:?--baselines needs a folder}; shift ;;
	--ncbench) ncbench=${2:?--ncbench needs a path}; shift ;;
	--) shift; run_extra=("$@"); break ;;
	-h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
case $name in */*|.*|'') die "--baseline: '$name' is not a plain name" ;; esac
[ -x "$ncbench" ] || die "$ncbench: not found (build with make, or give --ncbench)"
[ -r "$suite" ] || die "--suite: cannot read $suite"
mkdir -p "$out" || die "--out: cannot create $out"
base="$baselines/$name.json"
if [ "$update" = 0 ] && [ ! -r "$base" ]; then
	die "no baseline $base: make one on this machine with --update-baseline"
fi

"$ncbench" run --suite "$suite" --quiet -o "$out/current.json" "${run_extra[@]}"
rc=$?
[ $rc -eq 2 ] && exit 2
[ $rc -ne 0 ] && { echo "perf-gate: the run failed (exit $rc)" >&2; exit 1; }

if [ "$update" = 1 ]; then
	mkdir -p "$baselines" || die "cannot create $baselines"
	tmp=$(mktemp "$baselines/.$name.XXXXXX") || die "cannot write in $baselines"
	cp "$out/current.json" "$tmp" && mv "$tmp" "$base" || die "cannot write $base"
	echo "perf-gate: baseline $base updated"
	exit 0
fi
"$ncbench" compare "$base" "$out/current.json" --threshold "$threshold" \
	--alpha "$alpha" --junit "$out/perf-junit.xml" --markdown "$out/perf.md"
