# Shared helpers for the end-to-end scripts (sourced). Each script prints
# one line per failed check on stderr and exits 0 (pass) or 1 (fail).
set -u
: "${NCBENCH:?set NCBENCH to the ncbench binary}"
: "${TESTBIN:?set TESTBIN to the unit test binary folder}"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ncbench-e2e.XXXXXX")
# Servers serve_start started (their PIDs) end with the script, however
# it ends; then the scratch folder goes.
SERVE_PIDS=
e2e_cleanup() {
	local p
	for p in $SERVE_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $SERVE_PIDS; do wait "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$OUT"
}
trap e2e_cleanup EXIT
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
# field FILE EXPR: a Python expression over r (the first result) and d.
field() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=d['results'][0]; print($2)" "$1"
}

# variants WORKLOAD SECONDS EXPR...: runs each "NAME ARGS..." line of stdin
# (but names matching $VARIANT_SKIP) as a verified run into $OUT/NAME.json;
# each must exit 0, write a consistent document and make every EXPR true.
variants() {
	local wl=$1 secs=$2 name args rc e
	shift 2
	while read -r name args; do
		[ -n "${VARIANT_SKIP:-}" ] && [[ $name =~ $VARIANT_SKIP ]] && continue
		# shellcheck disable=SC2086
		"$NCBENCH" run --processes 1 -q -w "$wl" --verify -d "$secs" -r 1 --warmup 0.05 $args \
			-o "$OUT/$name.json" 2>"$OUT/$name.err"
		rc=$?
		expect "$name: exits 0 (got $rc: $(head -c 200 "$OUT/$name.err"))" [ $rc -eq 0 ]
		[ $rc -eq 0 ] || continue
		expect "$name: consistent" "$TESTBIN/check_doc" "$OUT/$name.json"
		for e in "$@"; do
			expect "$name: $e" [ "$(field "$OUT/$name.json" "int($e)")" -eq 1 ]
		done
	done
}

# mid_send NAME UNIT RUN-ARGS...: a verified run (ncbench run -q RUN-ARGS)
# whose sends are mid-way when each repetition ends must exit 0 within
# 5 s, count no error or reject, and move UNIT in every repetition.
mid_send() {
	local name=$1 unit=$2 f t0 rc ms
	shift 2
	f=$OUT/${name// /-}
	t0=$(date +%s%N)
	timeout -k 2 30 "$NCBENCH" run --processes 1 -q "$@" -o "$f.json" 2>"$f.err"
	rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
	expect "$name: exits 0 (got $rc: $(head -c 200 "$f.err"))" [ $rc -eq 0 ]
	expect "$name: ends in time (${ms} ms)" [ $ms -lt 5000 ]
	[ $rc -eq 0 ] || return
	expect "$name: no rejects or errors" \
		[ "$(field "$f.json" "sum(r['errors'].values()) + sum(r['rejects'].values())")" -eq 0 ]
	expect "$name: $unit in every repetition" \
		[ "$(field "$f.json" "int(min(s['packets'] for s in r['samples']) > 0)")" -eq 1 ]
}

# A UDP port on loopback that nothing is bound to now.
free_port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something is bound to UDP port $1 on loopback (10 s at most).
wait_bound() {
	local hex i
	hex=$(printf '%04X' "$1")
	for i in $(seq 500); do
		grep -q ":$hex " /proc/net/udp && return 0
		sleep 0.02
	done
	return 1
}

# serve_start NAME PSK [SERVE-OPTIONS...]: starts `ncbench serve` on
# 127.0.0.1 at a port the kernel picks (options given here come after, so
# --bind and --port override), logging to $OUT/NAME.log ($SERVE_LOG);
# $SERVE_WRAP, if set, is a command prefix (e.g. "ip netns exec ns1").
# Waits until it listens (10 s at most) and sets SERVE_PID and SERVE_PORT;
# fails if it exits first. The script's end stops it; serve_stop now.
serve_start() {
	local name=$1 psk=$2 i
	shift 2
	SERVE_LOG=$OUT/$name.log
	SERVE_PORT=
	# shellcheck disable=SC2086
	${SERVE_WRAP:-} "$NCBENCH" serve --bind 127.0.0.1 --port 0 --psk-file "$psk" "$@" \
		2>"$SERVE_LOG" &
	SERVE_PID=$!
	SERVE_PIDS="$SERVE_PIDS $SERVE_PID"
	for i in $(seq 500); do
		SERVE_PORT=$(sed -n 's/^serve: listening on .*:\([0-9]*\)$/\1/p' "$SERVE_LOG")
		[ -n "$SERVE_PORT" ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}

# serve_stop: SIGTERM to the last server started; its exit status.
serve_stop() {
	kill -TERM "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID"
}

finish() {
	echo "$(basename "$0"): $((checks - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ] && [ "$checks" -gt 0 ]
}
