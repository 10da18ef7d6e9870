#!/usr/bin/env bash
# Disturbance accounting, --drop-disturbed, --repeat auto and --processes,
# end to end: a busy loop pinned on the worker's PU must flag repetitions
# (others' CPU, preemption) and show in the noise summary; the same case
# without it must not be flagged for either reason (steal and the canary
# belong to the host, which a test cannot quiet).
. "$(dirname "$0")/lib.bash"

pu=$(($(nproc) > 1 ? 1 : 0))
busy=
stop_busy() { [ -z "$busy" ] || { kill "$busy" 2>/dev/null; wait "$busy" 2>/dev/null; busy=; }; }
trap 'stop_busy; [ -n "${KEEP:-}" ] || rm -rf "$OUT"' EXIT
# busy ON OFF: a loop pinned on $pu, spinning ON seconds then sleeping OFF
# (OFF 0: always spinning), in its own process so it is stopped by PID.
start_busy() {
	taskset -c "$pu" bash -c "
		while :; do
			end=\$((\$(date +%s%N) + $1))
			while [ \$(date +%s%N) -lt \$end ]; do :; done
			[ $2 = 0 ] || sleep 0.$2
		done" &
	busy=$!
}
case_args=(-w cipher -c aes-128-gcm -b openssl -s 1420 --cpus "$pu" --warmup 0.05 --processes 1)

# Quiet: no repetition flagged for other tasks or preemption (one of five
# is allowed: a CI machine runs its own housekeeping now and then).
"$NCBENCH" run -q "${case_args[@]}" -d 0.2 -r 5 -o "$OUT/quiet.json"
expect "quiet run exits 0" [ $? -eq 0 ]
expect "quiet: consistent" "$TESTBIN/check_doc" "$OUT/quiet.json"
expect "quiet: noise recorded per repetition" [ "$(field "$OUT/quiet.json" \
	"all('noise' in s and s['noise']['canary_ns'] > 0 for s in r['samples'])")" = True ]
expect "quiet: at most one repetition flagged for others or nivcsw" [ "$(field "$OUT/quiet.json" \
	"sum(1 for s in r['samples'] if set(s.get('disturbed_by', [])) & {'others', 'nivcsw'})")" -le 1 ]
expect "quiet: rule written" [ "$(field "$OUT/quiet.json" "'steal' in r['noise']['rule']")" = True ]

# Busy loop on the worker's PU: every repetition shares the PU.
start_busy 1000000000000 0
"$NCBENCH" run "${case_args[@]}" -d 0.2 -r 5 -o "$OUT/busy.json" >"$OUT/busy.txt"
expect "busy run exits 0" [ $? -eq 0 ]
stop_busy
expect "busy: consistent" "$TESTBIN/check_doc" "$OUT/busy.json"
expect "busy: others' CPU measured" [ "$(field "$OUT/busy.json" \
	"min(s['noise']['others_s'] for s in r['samples']) > 0.02")" = True ]
expect "busy: involuntary context switches counted" [ "$(field "$OUT/busy.json" \
	"min(s['noise']['nivcsw'] for s in r['samples']) > 0")" = True ]
expect "busy: every repetition flagged for others" [ "$(field "$OUT/busy.json" \
	"all('others' in s['disturbed_by'] for s in r['samples'])")" = True ]
expect "busy: noise summary counts them" [ "$(field "$OUT/busy.json" \
	"r['noise']['disturbed'] == 5 and r['noise']['others_share_max'] > 0.1")" = True ]
expect "busy: the table marks the row" grep -q '5/5!' "$OUT/busy.txt"

# --drop-disturbed with every repetition flagged: nothing can be left
# out, and the document says so (dropped 0); with some flagged (a busy
# loop for the first part of the run only), only they are left out and
# stay in the document.
start_busy 1000000000000 0
"$NCBENCH" run -q "${case_args[@]}" -d 0.1 -r 4 --drop-disturbed \
	-o "$OUT/dropall.json"
expect "drop all: exits 0" [ $? -eq 0 ]
stop_busy
expect "drop all: every repetition flagged, none dropped" [ "$(field "$OUT/dropall.json" \
	"r['noise']['disturbed'] == 4 and r['noise']['dropped'] == 0")" = True ]
start_busy 1000000000000 0
"$NCBENCH" run -q "${case_args[@]}" -d 0.1 -r 12 --drop-disturbed \
	-o "$OUT/drop.json" &
run=$!
sleep 0.6
stop_busy
wait "$run"
expect "drop run exits 0" [ $? -eq 0 ]
expect "drop: consistent (dropped only disturbed, stats without them)" \
	"$TESTBIN/check_doc" "$OUT/drop.json"
expect "drop: some dropped, some kept ($(field "$OUT/drop.json" "r['noise']['dropped']") dropped)" \
	[ "$(field "$OUT/drop.json" "0 < r['noise']['dropped'] < 12 and len(r['samples']) == 12")" = True ]
expect "drop: config records it" [ "$(field "$OUT/drop.json" "d['config']['drop_disturbed']")" = True ]

# --repeat auto: a quiet case stops before MAX once the CI is narrow; an
# on/off busy loop keeps the CI wide, so it runs to MAX.
"$NCBENCH" run -q "${case_args[@]}" -d 0.1 -r auto:30 --ci-target 10 \
	-o "$OUT/auto-quiet.json"
expect "auto quiet exits 0" [ $? -eq 0 ]
expect "auto quiet: stopped at the CI target before 30" [ "$(field "$OUT/auto-quiet.json" \
	"r['repeat_stop'] == 'ci_target' and 3 <= len(r['samples']) < 30 and r['repeat_mode'] == 'auto'")" = True ]
start_busy 70000000 1
"$NCBENCH" run -q "${case_args[@]}" -d 0.1 -r auto:6 --ci-target 0.5 \
	-o "$OUT/auto-noisy.json"
expect "auto noisy exits 0" [ $? -eq 0 ]
stop_busy
expect "auto noisy: ran to MAX" [ "$(field "$OUT/auto-noisy.json" \
	"r['repeat_stop'] == 'max' and len(r['samples']) == 6 and r['ci_target_pct'] == 0.5")" = True ]

# --processes: each case in fresh processes, cases alternating.
"$NCBENCH" run -q -w cipher -c aes-128-gcm,chacha20-poly1305 -b openssl -s 64 \
	--cpus "$pu" -d 0.05 -r 2 --warmup 0 --processes 3 -o "$OUT/proc.json" \
	--progress 2>"$OUT/proc.err"
expect "processes run exits 0" [ $? -eq 0 ]
expect "processes: consistent" "$TESTBIN/check_doc" "$OUT/proc.json"
expect "processes: 3 x 2 samples, process ids 0..2" [ "$(field "$OUT/proc.json" \
	"r['processes'] == 3 and sorted(s['process'] for s in r['samples']) == [0,0,1,1,2,2]")" = True ]
expect "processes: per-process medians and spreads" [ "$(field "$OUT/proc.json" \
	"len(r['summary']['process_medians']) == 3 and 'between_process_cv' in r['summary']")" = True ]
expect "processes: cases alternate" [ "$(grep -o 'process [0-9]/3' "$OUT/proc.err" | tr '\n' ' ')" = \
	"process 1/3 process 1/3 process 2/3 process 2/3 process 3/3 process 3/3 " ]
# A fixed --port is bound again by every process: the last one's io_uring
# ring lets go of its sockets only after that process has exited.
port=$(free_port)
"$NCBENCH" run -q -w macsec -c aes-128-gcm -b openssl -s 256 --verify --port "$port" \
	-d 0.3 -r 1 --warmup 0 --processes 5 -o "$OUT/port.json" 2>"$OUT/port.err"
rc=$?
expect "processes with a fixed port: exit 0 (got $rc: $(head -c 200 "$OUT/port.err"))" [ $rc -eq 0 ]
# A stop reaches the case's process: SIGTERM to the parent only.
"$NCBENCH" run -q "${case_args[@]}" -d 1 -r 5 --processes 2 -o "$OUT/int.json" &
pid=$!
sleep 1.5
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
expect "processes: SIGTERM exits 130 (got $rc) within 3 s (${ms} ms)" [ $rc -eq 130 -a $ms -lt 3000 ]
expect "processes: partial document" "$TESTBIN/check_doc" "$OUT/int.json" --incomplete

# Options refused.
for a in "--ci-target 2" "-r auto:2" "--processes 0" "-r 600 --processes 2" "-r auto:x"; do
	# shellcheck disable=SC2086
	"$NCBENCH" run "${case_args[@]}" $a -o "$OUT/x.json" 2>"$OUT/x.err" >/dev/null
	rc=$?
	expect "'$a' refused with exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "'$a': one line" [ "$(wc -l <"$OUT/x.err")" -eq 1 ]
done
finish
