#!/usr/bin/env bash
# Runs every unit test and end-to-end script with a timeout; ends with one
# line CI reads: "N passed, N failed, N skipped". Exit 77 means skipped.
# A test still running after 300 s gets SIGTERM, and SIGKILL 10 s later,
# with everything it started (timeout signals its whole process group).
# Each line gives the test's wall time, so a slow test shows in CI logs.
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
	echo "usage: NCBENCH=build/ncbench TESTBIN=build/tests/unit tests/run.sh   (make test runs it)"
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
	exit 0
fi
set -u
: "${NCBENCH:?}" "${TESTBIN:?}"
export NCBENCH TESTBIN
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0 skip=0
for t in "$TESTBIN"/test_* tests/e2e/*.sh; do
	[ -x "$t" ] || [ "${t%.sh}" != "$t" ] || continue
	name=$(basename "$t")
	t0=$SECONDS
	if [ "${t%.sh}" != "$t" ]; then
		timeout -k 10 300 bash "$t" >"/tmp/ncbench-test.$$" 2>&1
	else
		timeout -k 10 300 "$t" >"/tmp/ncbench-test.$$" 2>&1
	fi
	rc=$?
	took="$((SECONDS - t0)) s"
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name ($took): $(tail -n 1 "/tmp/ncbench-test.$$")" ;;
	77) skip=$((skip + 1)); echo "SKIP $name ($took)" ;;
	*) fail=$((fail + 1)); echo "FAIL $name (exit $rc, $took)"; sed 's/^/    /' "/tmp/ncbench-test.$$" ;;
	esac
done
rm -f "/tmp/ncbench-test.$$"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
