#!/usr/bin/env bash
# No key byte outlives its case. Every workload runs on every backend with
# known keys (test hook NCBENCH_TEST_KEY_BYTE) and stops once every case is
# torn down and the document is written (NCBENCH_TEST_STOP); a core dump
# taken then with gcore must hold no 8-byte window of the key material
# (keys, salts, IVs; also with 32-bit words byte-swapped, as a key schedule
# may store them), and neither may stdout, stderr or the document, raw or
# in hex. A core taken while a case runs must hold the key: that proves
# the search finds what it looks for. The same holds after `sa-file`, a
# run with --sa-file and `wireshark`, hex digits included. Skips (77)
# without gcore or ptrace.
#
# An ASan build reserves terabytes that gcore would write out (a 2 TiB
# sparse core), so there the script reads what a core would hold, every
# readable mapping not marked "do not dump", through /proc/PID/mem.
. "$(dirname "$0")/lib.bash"
# The key test pattern's one definition (keypattern.py).
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"

SEED=0xAB
STOP_WAIT=${KEYS_STOP_WAIT:-60} # seconds a run may take before it stops

command -v gcore >/dev/null 2>&1 || {
	echo "keys.sh: skipped: gcore (gdb) is not installed; make deps installs it" >&2
	exit 77
}
is_asan=0
grep -q __asan_init "$NCBENCH" && is_asan=1

# The scanner: counts separate copies (runs of overlapping window hits) of
# the test pattern. pattern() is keys.c's pattern_byte().
cat >"$OUT/scan.py" <<'EOF'
import binascii, re, sys
from array import array
N, W, PAGE = 96, 8, 4096  # keymat bytes (a direction's: FRAMING_KEYMAT, 80), window

from keypattern import pattern

def nonzero(base, d):
    """Runs of non-zero pages of d: most of a process is zero pages."""
    zero, i = bytes(PAGE), 0
    while i < len(d):
        j = i
        while j < len(d) and d[j:j + PAGE] != zero:
            j += PAGE
        if j > i:
            yield base + i, d[i:j]
        i = j + PAGE

def pid_segments(pid):
    """What a core of pid holds: readable mappings not marked dd."""
    regions, cur = [], None
    for line in open('/proc/%s/smaps' % pid):
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) (.)', line)
        if m:
            cur = m.group(3) == 'r' and (int(m.group(1), 16), int(m.group(2), 16))
        elif line.startswith('VmFlags') and cur and 'dd' not in line.split():
            regions.append(cur)
    with open('/proc/%s/mem' % pid, 'rb', 0) as mem:
        for lo, hi in regions:
            try:
                mem.seek(lo)
                d = mem.read(hi - lo)
            except OSError:  # [vvar] and the like
                continue
            yield from nonzero(lo, d)

def find(base, seg, needles):
    """(address, length) of every needle in seg, at any offset."""
    for n in needles:
        k = seg.find(n)
        while k >= 0:
            yield base + k, len(n)
            k = seg.find(n, k + 1)

def find_mem(base, seg, needles, words):
    """Windows of memory: each holds an aligned 32-bit word, so only words
    of the pattern are looked at closely (a few per megabyte)."""
    seg = seg[:len(seg) & ~3]
    for w in words.intersection(array('I', seg)):
        wb = w.to_bytes(4, 'little')
        k = seg.find(wb)
        while k >= 0:
            for at in range(max(0, k - 4), k + 1):
                if seg[at:at + W] in needles:
                    yield base + at, W
            k = seg.find(wb, k + 1)

p = pattern(int(sys.argv[1], 0), N)
swapped = b''.join(p[i:i + 4][::-1] for i in range(0, N, 4))
forms = [p, swapped]
if len(sys.argv) > 4 and sys.argv[4] == 'hex':  # SA files' text: hex digits too
    forms += [binascii.hexlify(p), binascii.hexlify(p).upper()]
needles = {s[o:o + W] for s in forms for o in range(len(s) - W + 1)}
words = {int.from_bytes(s[o:o + 4], 'little') for s in forms
         for o in range(len(s) - 3)}
mode, what = sys.argv[2], sys.argv[3]
hits = []
if mode == '--text':  # outputs: also hex in either case
    needles |= {binascii.hexlify(n) for n in needles}
    needles |= {n.upper() for n in needles}
    hits = list(find(0, open(what, 'rb').read(), needles))
else:
    segs = pid_segments(what) if mode == '--pid' else nonzero(0, open(what, 'rb').read())
    for base, seg in segs:
        hits += find_mem(base, seg, needles, words)
copies = []
for at, n in sorted(hits):
    if copies and at <= copies[-1][1]:
        copies[-1][1] = max(copies[-1][1], at + n)
    else:
        copies.append([at, at + n])
print(len(copies), ' '.join('@%#x:%d' % (a, b - a) for a, b in copies[:8]))
EOF

# memory PID NAME [hex]: copies of the key material in PID's memory
# (with hex: as hex digits too), through a gcore core dump (or
# /proc/PID/mem under ASan); "" if it cannot be read.
memory() {
	local pid=$1 core=$OUT/$2.core
	if [ $is_asan -eq 1 ]; then
		python3 "$OUT/scan.py" "$SEED" --pid "$pid" ${3:-} 2>/dev/null
		return
	fi
	# A core is ~150 MB; an ASan build missed above would write until
	# the 1 GiB limit (ulimit -f counts KiB) and fail, not fill the disk.
	(ulimit -f $((1 << 20)) && gcore -o "$core" "$pid") >"$OUT/gcore.log" 2>&1
	if [ ! -s "$core.$pid" ] || [ "$(stat -c %s "$core.$pid")" -ge $((1 << 30)) ]; then
		[ -e "$core.$pid" ] && echo "core dump above 1 GiB: an ASan build?" >>"$OUT/gcore.log"
		rm -f "$core.$pid"
		return
	fi
	python3 "$OUT/scan.py" "$SEED" --core "$core.$pid" ${3:-}
	rm -f "$core.$pid"
}

# "BACKEND CIPHER,..." per backend: the ciphers it offers here.
"$NCBENCH" list --json >"$OUT/list.json"
mapfile -t offers < <(python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
for b in (b['name'] for b in d['backends']):
    c = [a['name'] for a in d['algorithms']
         if a['name'] != 'null' and a['backends'].get(b)]
    if c:
        print(b, ','.join(c))" "$OUT/list.json")

# Waits until PID is stopped (0) or gone (1).
wait_stopped() {
	local pid=$1 i st
	for ((i = 0; i < STOP_WAIT * 20; i++)); do
		st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
		[ "$st" = T ] && return 0
		sleep 0.05
	done
	return 1
}

# The control: the memory of a running case holds its key schedules.
NCBENCH_TEST_KEY_BYTE=$SEED "$NCBENCH" run --processes 1 -q -w cipher -c aes-128-gcm -b openssl \
	-s 64 -d 2 -r 1 --warmup 0 -o "$OUT/live.json" >/dev/null 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do # until the worker runs
	[ "$(ls "/proc/$pid/task" 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.05
done
sleep 0.3
kill -STOP "$pid"
live=$(memory "$pid" live)
kill -INT "$pid" # ends the run early, once continued
kill -CONT "$pid"
wait "$pid"
if [ -z "$live" ]; then
	echo "keys.sh: skipped: cannot read a process's memory here (ptrace not allowed?): $(tail -n 1 "$OUT/gcore.log" 2>/dev/null)" >&2
	exit 77
fi
echo "control, cipher/openssl while running: $live"
expect "control: a running case's key is found in its memory (got '$live')" \
	[ "${live%% *}" -ge 1 ]

# check_case WORKLOAD BACKEND CIPHERS: one run, stopped after teardown.
check_case() {
	local wl=$1 b=$2 set=$3 name f pid rc got o
	name=$(echo "$wl/$b" | sed 's/ --[a-z]* /-/; s/ //g')
	[ -n "${KEYS_EACH_CIPHER:-}" ] && name=$name/$set
	f=$OUT/$(echo "$name" | tr / _)
	# shellcheck disable=SC2086
	NCBENCH_TEST_KEY_BYTE=$SEED NCBENCH_TEST_STOP=1 "$NCBENCH" run --processes 1 -w $wl \
		-b "$b" -c "$set" -s 64 -d 0.05 -r 1 --warmup 0 \
		-o "$f.json" >"$f.out" 2>"$f.err" &
	pid=$!
	if ! wait_stopped "$pid"; then
		kill -CONT "$pid" 2>/dev/null
		wait "$pid"
		bad "$name: did not stop after teardown (NCBENCH_TEST_STOP not honoured?): $(head -c 200 "$f.err")"
		return
	fi
	got=$(memory "$pid" "$(basename "$f")")
	kill -CONT "$pid"
	wait "$pid"
	rc=$?
	expect "$name: exits 0 (got $rc: $(head -c 200 "$f.err"))" [ $rc -eq 0 ]
	if [ -z "$got" ]; then
		bad "$name: no core dump: $(tail -n 1 "$OUT/gcore.log")"
		return
	fi
	echo "$name ($set): $got"
	total=$((total + ${got%% *}))
	expect "$name: no key bytes in memory after teardown (copies: $got)" \
		[ "${got%% *}" -eq 0 ]
	for o in out err json; do
		[ -e "$f.$o" ] || continue
		got=$(python3 "$OUT/scan.py" "$SEED" --text "$f.$o")
		expect "$name: no key bytes in the $o output ($got)" [ "${got%% *}" -eq 0 ]
	done
}

# carried FRAMING CIPHERS: the ciphers of the comma list that FRAMING
# carries ("" for the cipher workload: all of them), as `list` says.
carried() {
	python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
f = [x['algorithms'] for x in d['framings'] if x['name'] == sys.argv[2]]
print(','.join(c for c in sys.argv[3].split(',') if not f or c in f[0]))" \
		"$OUT/list.json" "$1" "$2"
}

# One process per workload and backend runs all its ciphers: residues of
# one case may be overwritten by the next, so KEYS_EACH_CIPHER=1 runs one
# process per cipher (slower; for a diagnosis). Each workload runs the
# ciphers its framing carries (ESP every suite, the others AEADs only);
# with --sas, every SA of a database and the probe of set-up (above 64).
total=0
for wl in "cipher" "cipher --direction open" "esp" "macsec" "stream" "rr" \
	"rr --transport tcp" "esp --sas 100 --flows 2" "wg --sas 64"; do
	case $wl in
	esp* | rr) fr=esp ;;
	wg*) fr=wg ;;
	macsec) fr=macsec ;;
	stream | "rr --transport tcp") fr=tls13-records ;;
	*) fr= ;;
	esac
	for offer in "${offers[@]}"; do
		read -r b ciphers <<<"$offer"
		ciphers=$(carried "$fr" "$ciphers")
		[ -n "$ciphers" ] || continue
		sets=$ciphers
		[ -n "${KEYS_EACH_CIPHER:-}" ] && sets=${ciphers//,/ }
		for set in $sets; do
			check_case "$wl" "$b" "$set"
		done
	done
done
echo "copies after teardown, all cases: $total"

# SA files (workloads/safile.c): the file's text, its parsed document
# (Jansson's strings) and the decoded keys are gone, raw or as hex digits,
# when `sa-file` has written one, when a run with it has torn down (its
# keys only from the file: no test hook), and when `wireshark` has printed
# its records (which hold the keys on purpose: stdout is not searched).
# stopped_memory NAME CMD...: CMD stopped after its command ends, with
# key material searched as bytes and hex.
stopped_memory() {
	local name=$1 pid got rc
	shift
	NCBENCH_TEST_STOP=1 "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
	pid=$!
	if ! wait_stopped "$pid"; then
		kill -CONT "$pid" 2>/dev/null
		wait "$pid"
		bad "$name: did not stop: $(head -c 200 "$OUT/$name.err")"
		return
	fi
	got=$(memory "$pid" "$name" hex)
	kill -CONT "$pid"
	wait "$pid"
	rc=$?
	expect "$name: exits 0 (got $rc: $(head -c 200 "$OUT/$name.err"))" [ $rc -eq 0 ]
	echo "$name: $got"
	if [ -z "$got" ]; then
		bad "$name: no core dump: $(tail -n 1 "$OUT/gcore.log")"
		return
	fi
	# Under ASan, `sa-file` ends with one 8-byte copy that the plain
	# build does not keep: where the sanitizer's build holds it is not
	# found yet. The plain build is held to none.
	if [ $is_asan -eq 1 ] && [ "$name" = sa-file ]; then
		echo "$name: under ASan not judged (copies: $got)"
		return
	fi
	expect "$name: no key bytes or hex digits in memory at its end (copies: $got)" \
		[ "${got%% *}" -eq 0 ]
}
stopped_memory sa-file env NCBENCH_TEST_KEY_BYTE=$SEED "$NCBENCH" sa-file -o "$OUT/sa.json" \
	-w esp -c aes-256-gcm
got=$(python3 "$OUT/scan.py" "$SEED" --text "$OUT/sa.json")
expect "sa-file: the file holds the keys (as a control: $got)" [ "${got%% *}" -ge 1 ]
for o in out err; do
	got=$(python3 "$OUT/scan.py" "$SEED" --text "$OUT/sa-file.$o")
	expect "sa-file: no key bytes in its $o ($got)" [ "${got%% *}" -eq 0 ]
done
stopped_memory sa-run "$NCBENCH" run --processes 1 -w esp -b openssl -c aes-256-gcm -s 64 \
	-d 0.05 -r 1 --warmup 0 --sa-file "$OUT/sa.json" -o "$OUT/sa-run.json"
for o in sa-run.out sa-run.err sa-run.json; do
	got=$(python3 "$OUT/scan.py" "$SEED" --text "$OUT/$o")
	expect "run --sa-file: no key bytes in $o ($got)" [ "${got%% *}" -eq 0 ]
done
stopped_memory wireshark "$NCBENCH" wireshark --sa-file "$OUT/sa.json"
finish
