# Shared helpers for the end-to-end scripts (sourced). Each script prints
# one line per failed check on stderr and exits 0 (pass) or 1 (fail).
set -u
: "${NCBENCH:?set NCBENCH to the ncbench binary}"
: "${TESTBIN:?set TESTBIN to the unit test binary folder}"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ncbench-e2e.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$OUT"' EXIT
fails=0
checks=0

ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*" >&2; }
expect() { # expect DESCRIPTION CONDITION...
	local what=$1; shift
	if "$@"; then ok; else bad "$what"; fi
}
refute() { # refute DESCRIPTION COMMAND...: the command must fail
	local what=$1; shift
	if "$@"; then bad "$what"; else ok; fi
}
finish() {
	echo "$(basename "$0"): $((checks - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ] && [ "$checks" -gt 0 ]
}
