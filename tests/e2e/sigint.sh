#!/usr/bin/env bash
# SIGINT/SIGTERM: a run exits 130 with a valid document, "complete": false,
# holding the repetitions that finished, whenever the signal comes: during
# the cases, or during start-up (libraries, topology, TSC calibration)
# before any case ran. Other commands exit 130 and leave no file.
. "$(dirname "$0")/lib.bash"

# interrupt NAME RUN-OPTIONS...: SIGINT 1.5 s into a run of several cases'
# worth of repetitions: exit 130 and a valid, incomplete document.
interrupt() {
	local name=$1 pid rc
	shift
	"$NCBENCH" run --processes 1 -q -d 0.4 -r 5 --warmup 0 -o "$OUT/$name.json" "$@" &
	pid=$!
	sleep 1.5
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	expect "$name: interrupted run exits 130 (got $rc)" [ $rc -eq 130 ]
	expect "$name: document written" [ -s "$OUT/$name.json" ]
	expect "$name: document valid and incomplete" \
		"$TESTBIN/check_doc" "$OUT/$name.json" --incomplete
}

interrupt cipher -c aes-128-gcm -b openssl -s 64,1420,16384
expect "no temp file left" [ -z "$(ls "$OUT" | grep tmp)" ]
# The same for a network run: senders and receivers stop, sockets close.
interrupt esp -w esp -c aes-128-gcm -b openssl -s 64,1420,9000

# signal_at WHEN BLOCKED SIG COMMAND...: starts COMMAND and sends SIG to it
# WHEN milliseconds after it was started (exec done), or, for WHEN=sleep,
# once it sleeps in a system call (start-up's 50 ms TSC calibration);
# prints its exit status (128+N if killed by signal N). BLOCKED=1 starts
# it with SIGINT and SIGTERM blocked, as a parent may: then even a signal
# sent before main() (while the dynamic loader runs, where no program can
# catch it) waits for ncbench to take it.
signal_at() {
	python3 - "$@" <<'PY'
import signal, subprocess, sys, time
when, blocked, sig, cmd = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4:]
def pre():
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
t0 = time.monotonic()
p = subprocess.Popen(cmd, preexec_fn=pre, stdout=subprocess.DEVNULL)
if when == "sleep":
    # nanosleep or clock_nanosleep in the main thread (x86-64 numbers).
    while p.poll() is None and time.monotonic() < t0 + 10:
        try:
            with open("/proc/%d/syscall" % p.pid) as f:
                if f.read().split()[0] in ("35", "230"):
                    break
        except (OSError, IndexError):
            pass
        time.sleep(0.0005)
else:
    time.sleep(max(0.0, t0 + float(when) / 1000 - time.monotonic()))
p.send_signal(getattr(signal, "SIG" + sig))
rc = p.wait(timeout=120)
print(rc if rc >= 0 else 128 - rc)
PY
}

# Start-up: the run has several cases, so a signal that is lost shows as
# exit 0 with a complete document, one that kills as 143 and no document.
run_args=(run -q -c aes-128-gcm -b openssl -s 64,1420 -d 0.2 -r 2 --warmup 0)
early() { # early NAME WHEN BLOCKED
	local name=$1 when=$2 blocked=$3 rc
	rm -f "$OUT/$name.json"
	rc=$(signal_at "$when" "$blocked" TERM "$NCBENCH" "${run_args[@]}" -o "$OUT/$name.json")
	expect "$name: SIGTERM at $when: exit 130 (got $rc)" [ "$rc" = 130 ]
	expect "$name: SIGTERM at $when: valid, incomplete document" \
		"$TESTBIN/check_doc" "$OUT/$name.json" --incomplete
}
for ms in 0 5 10 20 50 100 150; do
	early "blocked-$ms" "$ms" 1
done
# Started the ordinary way, signalled in the middle of start-up (after
# the topology, during the TSC calibration), as Ctrl-C right after Enter.
early plain-sleep sleep 0
expect "no temp file left after start-up signals" [ -z "$(ls "$OUT" | grep tmp)" ]

# Other commands: exit 130 at once, no output file, no temporary file.
"$NCBENCH" run --processes 1 -q -c aes-128-gcm -b openssl -s 64 -d 0.02 -r 5 --warmup 0 \
	-o "$OUT/doc.json"
rc=$(signal_at 0 1 INT "$NCBENCH" export "$OUT/doc.json" --format csv -o "$OUT/x.csv")
expect "export interrupted: exit 130 (got $rc)" [ "$rc" = 130 ]
expect "export interrupted: no file" [ ! -e "$OUT/x.csv" ]
rc=$(signal_at 0 1 TERM "$NCBENCH" compare "$OUT/doc.json" "$OUT/doc.json" --junit "$OUT/j.xml")
expect "compare interrupted: exit 130 (got $rc)" [ "$rc" = 130 ]
expect "compare interrupted: no file" [ ! -e "$OUT/j.xml" ]
expect "no temp file left" [ -z "$(ls "$OUT" | grep tmp)" ]
# Making many SAs takes seconds (about 120,000 a second on openssl):
# SIGINT in the middle ends the run within a second or two, not after the
# whole set is made, with a valid incomplete document.
t0=$(date +%s%N)
rc=$(signal_at 700 0 INT "$NCBENCH" run -q -w esp -c aes-256-gcm -b openssl -s 1420 \
	--sas 300000 --processes 1 -d 1 -r 2 -o "$OUT/sas.json")
ms=$((($(date +%s%N) - t0) / 1000000))
expect "SIGINT while making 300000 SAs: exit 130 (got $rc)" [ "$rc" = 130 ]
expect "SIGINT while making 300000 SAs: ended within 700 + 2500 ms (${ms} ms)" [ "$ms" -lt 3200 ]
expect "SIGINT while making SAs: valid, incomplete document" \
	"$TESTBIN/check_doc" "$OUT/sas.json" --incomplete

finish
