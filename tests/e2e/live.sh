#!/usr/bin/env bash
# Live results: `run --json-stream` read line by line from a FIFO while a
# short suite runs (every case line equals the document's result, start
# and end lines, a rep line per sample, lines in before the document
# exists), to stdout with the table on stderr, Ctrl-C (end line with
# complete false), bad use (exit 2, one line, no file); `export --format
# openmetrics` parsed by the strict parser of Debian's
# python3-prometheus-client with every value equal to the document's,
# hostile label values, and, when prometheus-pushgateway is installed,
# accepted by a real Pushgateway on loopback.
. "$(dirname "$0")/lib.bash"
HERE=$(dirname "$0")
CHECK=$HERE/live_check.py

# count FILE: every "ok"/"FAIL" line of live_check.py as a check.
count() {
	local line
	while IFS= read -r line; do
		case $line in
		ok\ *) ok ;;
		FAIL\ *) bad "$1: ${line#FAIL }" ;;
		esac
	done <"$2"
	expect "$1: checks ran" grep -q '^ok ' "$2"
}

# A short suite: cipher cases and rr latency, each case in two processes
# (so rep lines come from forked case processes too).
cat >"$OUT/suite.json" <<'EOF'
{"name": "live", "defaults": {"duration": 0.1, "warmup": 0.02, "repeat": 2, "processes": 2},
 "groups": [{"workload": "cipher", "cipher": ["aes-128-gcm"], "backend": "openssl",
             "size": [64, 1420]},
            {"workload": "rr", "cipher": ["aes-128-gcm"], "backend": "openssl", "size": [64]}]}
EOF

# 1. Followed through a FIFO while the suite runs.
mkfifo "$OUT/fifo"
python3 "$CHECK" follow "$OUT/fifo" "$OUT/suite-doc.json" 0 -- \
	"$NCBENCH" run -q --suite "$OUT/suite.json" -o "$OUT/suite-doc.json" \
	--json-stream "$OUT/fifo" >"$OUT/follow.txt" 2>&1
count "suite on a FIFO" "$OUT/follow.txt"

# 2. To a regular file, one process a case: the same checks.
"$NCBENCH" run -q -c aes-256-gcm -b openssl -s 64,1420 -d 0.05 -r 3 --warmup 0 \
	--processes 1 -o "$OUT/file-doc.json" --json-stream "$OUT/file.jsonl" 2>"$OUT/file.err"
rc=$?
expect "to a file: exit 0 (got $rc)" [ $rc -eq 0 ]
python3 "$CHECK" lines "$OUT/file.jsonl" "$OUT/file-doc.json" $rc >"$OUT/file.txt" 2>&1
count "to a file" "$OUT/file.txt"

# 3. '-': stdout holds the stream alone, the table goes to stderr.
"$NCBENCH" run -c aes-256-gcm -b openssl -s 64 -d 0.05 -r 2 --warmup 0 --processes 1 \
	-o "$OUT/dash-doc.json" --json-stream - >"$OUT/dash.jsonl" 2>"$OUT/dash.err"
rc=$?
expect "'-': exit 0 (got $rc)" [ $rc -eq 0 ]
python3 "$CHECK" lines "$OUT/dash.jsonl" "$OUT/dash-doc.json" $rc >"$OUT/dash.txt" 2>&1
count "'-'" "$OUT/dash.txt"
expect "'-': the table is on stderr" grep -q '^workload  *cipher' "$OUT/dash.err"
expect "'-': the results line is on stderr" grep -q '^results: ' "$OUT/dash.err"
refute "'-': no table on stdout" grep -q 'Gbit/s' "$OUT/dash.jsonl"

# 4. Ctrl-C after the first repetition: end line with complete false,
# every case line still equal to the document's results.
mkfifo "$OUT/fifo-int"
python3 "$CHECK" follow "$OUT/fifo-int" "$OUT/int-doc.json" 1 -- \
	"$NCBENCH" run -q -c aes-128-gcm -b openssl -s 64,1420,16384 -d 0.3 -r 10 \
	--warmup 0 --processes 1 -o "$OUT/int-doc.json" --json-stream "$OUT/fifo-int" \
	>"$OUT/int.txt" 2>&1
count "interrupted" "$OUT/int.txt"
expect "interrupted: document incomplete" "$TESTBIN/check_doc" "$OUT/int-doc.json" --incomplete

# 4b. A reader that opens the FIFO and stops reading: Ctrl-C still ends
# the run within seconds (the lines left get two), with its document.
python3 - "$NCBENCH" "$OUT" >"$OUT/stall.txt" 2>&1 <<'PY'
import fcntl, os, signal, subprocess, sys, time
nc, out = sys.argv[1], sys.argv[2]
fifo = out + "/fifo-stall"
os.mkfifo(fifo)
p = subprocess.Popen([nc, "run", "-q", "--processes", "1", "-c", "aes-128-gcm", "-b", "openssl",
                      "-s", "64", "-d", "0.2", "-r", "30", "--warmup", "0", "--json-stream", fifo,
                      "-o", out + "/stall-doc.json"], stdout=subprocess.DEVNULL,
                     stderr=open(out + "/stall.err", "w"))
r = os.open(fifo, os.O_RDONLY)
fcntl.fcntl(r, 1031, 16384)  # F_SETPIPE_SZ: full within seconds
time.sleep(3.3)
t0 = time.monotonic()
p.send_signal(signal.SIGINT)
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    rc = p.wait()
    print("hung")
print("rc %d ms %d" % (rc, (time.monotonic() - t0) * 1000))
os.close(r)
PY
read -r _ rc _ ms <<<"$(tail -n 1 "$OUT/stall.txt")"
expect "stalled reader: Ctrl-C exits 130 (got $rc; $(head -c 200 "$OUT/stall.txt"))" [ "$rc" = 130 ]
expect "stalled reader: ends within 5 s of Ctrl-C (${ms} ms)" [ "${ms:-99999}" -lt 5000 ]
expect "stalled reader: the document is written" "$TESTBIN/check_doc" "$OUT/stall-doc.json" --incomplete
expect "stalled reader: says the stream is incomplete" grep -q "the stream is incomplete" "$OUT/stall.err"

# 5. Bad use: exit 2, one line on stderr, no document and no stream.
badrun() { # badrun NAME EXPECTED-TEXT RUN-ARGS...
	local name=$1 want=$2 rc
	shift 2
	"$NCBENCH" run -q -c aes-128-gcm -b openssl -s 64 -d 0.02 -r 1 --processes 1 \
		-o "$OUT/bad-$name.json" "$@" >/dev/null 2>"$OUT/bad-$name.err"
	rc=$?
	expect "bad $name: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "bad $name: one line" [ "$(wc -l <"$OUT/bad-$name.err")" -eq 1 ]
	expect "bad $name: says '$want' ($(head -c 200 "$OUT/bad-$name.err"))" \
		grep -q -- "$want" "$OUT/bad-$name.err"
	expect "bad $name: no document" [ ! -e "$OUT/bad-$name.json" ]
}
mkdir "$OUT/adir"
badrun dir "a directory" --json-stream "$OUT/adir"
badrun empty "empty path" --json-stream ""
badrun nodir "cannot create" --json-stream "$OUT/none/s.jsonl"
badrun same "that is the --output document" --json-stream "$OUT/bad-same.json"
badrun device "not a regular file or a FIFO" --json-stream /dev/null
badrun noarg "needs" --json-stream
expect "bad use: no stream file left" [ ! -e "$OUT/none" ]
printf '{"groups": [{"workload": "cipher", "json-stream": "x"}]}' >"$OUT/bad-suite.json"
"$NCBENCH" run -q --suite "$OUT/bad-suite.json" -o "$OUT/bs.json" 2>"$OUT/bs.err"
rc=$?
expect "json-stream in a suite file: exit 2 (got $rc: $(head -c 200 "$OUT/bs.err"))" [ $rc -eq 2 ]
expect "--help names --json-stream" sh -c "'$NCBENCH' run --help | grep -q -- '--json-stream'"

# 6. OpenMetrics: the suite's document (cipher and rr) and a synthetic
# two-host one with hostile labels, through the strict parser.
if /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
	"$NCBENCH" export "$OUT/suite-doc.json" --format openmetrics -o "$OUT/suite.om"
	rc=$?
	expect "export openmetrics: exit 0 (got $rc)" [ $rc -eq 0 ]
	/usr/bin/python3 "$CHECK" om "$OUT/suite.om" "$OUT/suite-doc.json" >"$OUT/om.txt" 2>&1
	count "openmetrics (suite)" "$OUT/om.txt"
	python3 "$HERE/synth_doc.py" "$OUT/synth.json" 'h"o\st' 3 --peer=10.0.0.2:7478 \
		--options='{"label": "a\"b\\c", "burst": 32, "verify": true}' \
		aes-256-gcm:1420:1:9.5 aes-256-gcm:64:2:1.5:0.01:rr \
		'@results.0.backend="x\\\"y"'
	"$NCBENCH" export "$OUT/synth.json" --format openmetrics >"$OUT/synth.om"
	rc=$?
	expect "export openmetrics to stdout: exit 0 (got $rc)" [ $rc -eq 0 ]
	/usr/bin/python3 "$CHECK" om "$OUT/synth.om" "$OUT/synth.json" >"$OUT/om2.txt" 2>&1
	count "openmetrics (synthetic, hostile labels)" "$OUT/om2.txt"
	# A fleet's host is its label (run --host-label), as report names it.
	python3 "$HERE/synth_doc.py" "$OUT/labelled.json" vm 4 aes-256-gcm:1420:1:9.5 \
		'@host.label="rack1-a"'
	"$NCBENCH" export "$OUT/labelled.json" --format openmetrics >"$OUT/labelled.om"
	expect "openmetrics: the host label is the host" grep -q 'host="rack1-a"' "$OUT/labelled.om"
	refute "openmetrics: not the hostname beside a label" grep -q 'host="vm"' "$OUT/labelled.om"
else
	bad "python3-prometheus-client is missing for /usr/bin/python3 (make deps)"
fi
# Malformed figures are refused by the document reader, as every command
# refuses them; a crypto share above 1 (an older run that counted
# preempted time) is read but exported as no share.
python3 "$HERE/synth_doc.py" "$OUT/share-high.json" h 5 aes-256-gcm:1420:1:9.5 \
	'@results.0.summary.phases={"crypto_cycles":1,"other_cycles":1,"crypto_share":1.82}'
"$NCBENCH" export "$OUT/share-high.json" --format openmetrics -o "$OUT/share-high.om" 2>"$OUT/share-high.err"
expect "share above 1: export exits 0 ($(head -c 200 "$OUT/share-high.err"))" [ $? -eq 0 ]
refute "share above 1: no crypto_share sample" grep -q '^ncbench_crypto_share{' "$OUT/share-high.om"
while read -r name patch field; do
	python3 "$HERE/synth_doc.py" "$OUT/$name.json" h 5 aes-256-gcm:1420:1:9.5 "$patch"
	"$NCBENCH" export "$OUT/$name.json" --format openmetrics -o "$OUT/$name.om" 2>"$OUT/$name.err"
	rc=$?
	expect "$name: export openmetrics exits 2 (got $rc)" [ $rc -eq 2 ]
	expect "$name: names $field ($(head -c 200 "$OUT/$name.err"))" \
		grep -qF "$name.json: $field" "$OUT/$name.err"
	expect "$name: one line, no file" [ "$(wc -l <"$OUT/$name.err")" -eq 1 -a ! -e "$OUT/$name.om" ]
done <<'CASES'
percore-str @results.0.summary.gbps_per_core="x" results[0].summary.gbps_per_core
phases-num @results.0.summary.phases=3 results[0].summary.phases
CASES
"$NCBENCH" export "$OUT/suite-doc.json" --format prometheus >/dev/null 2>"$OUT/fmt.err"
rc=$?
expect "export --format prometheus: exit 2 (got $rc)" [ $rc -eq 2 ]
expect "export bad format: names openmetrics" grep -q openmetrics "$OUT/fmt.err"

# 7. A real Pushgateway (when installed; not in DEB_PKGS, as its package
# starts a service): the push is taken and the figures come back.
if command -v prometheus-pushgateway >/dev/null; then
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	prometheus-pushgateway --web.listen-address="127.0.0.1:$port" >"$OUT/pgw.log" 2>&1 &
	pgw=$!
	python3 - "$port" "$OUT/suite.om" "$OUT/synth.om" >"$OUT/pgw.txt" 2>&1 <<'PY'
import sys, time, urllib.request
port, files = sys.argv[1], sys.argv[2:]
base = "http://127.0.0.1:%s" % port
for _ in range(200):
    try:
        urllib.request.urlopen(base + "/-/ready", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
for i, path in enumerate(files):
    req = urllib.request.Request("%s/metrics/job/ncbench/run/%d" % (base, i),
                                 data=open(path, "rb").read(), method="PUT")
    try:
        code = urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e:
        code = "%s %s" % (e.code, e.read().decode()[:300])
    print(("ok " if code == 200 else "FAIL ") + "push of %s taken (%s)" % (path.split("/")[-1], code))
text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
print(("ok " if 'ncbench_throughput_gbps{' in text else "FAIL ") + "the gateway serves ncbench_throughput_gbps")
print(("ok " if 'quantile="0.99"' in text else "FAIL ") + "the gateway serves the latency quantiles")
print(("ok " if 'host="h\\"o\\\\st"' in text else "FAIL ") + "the gateway keeps the escaped host label")
PY
	kill "$pgw"
	wait "$pgw" 2>/dev/null
	count "pushgateway" "$OUT/pgw.txt"
else
	echo "live.sh: prometheus-pushgateway not installed: the push check is left out" >&2
fi
finish
