#!/usr/bin/env bash
# ci/fleet/playbook.yml over three hosts that are all this machine
# (ansible_connection=local), each with its own work folder and label:
# the whole playbook runs with the binary already built (fleet_build=false),
# every host's document comes back, and one report shows three hosts in
# its fleet view. The build steps run in --check. Skipped without
# ansible-playbook (make deps installs ansible-core).
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLAYBOOK=$ROOT/ci/fleet/playbook.yml
BIN=$(cd "$(dirname "$NCBENCH")" && pwd)/$(basename "$NCBENCH")
SYNTH=$(dirname "$0")/synth_doc.py

# The fleet view on documents with known answers: on case A s3 makes 20
# Gbit/s, s1 10, s2 5; on case B s1 10, s3 8, s2 5. Against the fastest:
# s3 sqrt(1 x 0.8) = 89.4%, s1 sqrt(0.5 x 1) = 70.7%, s2 sqrt(0.25 x 0.5)
# = 35.4%.
python3 "$SYNTH" "$OUT/s1.json" s1 1 aes-128-gcm:1420:1:10:0 chacha20-poly1305:1420:1:10:0
python3 "$SYNTH" "$OUT/s2.json" s2 2 aes-128-gcm:1420:1:5:0 chacha20-poly1305:1420:1:5:0
python3 "$SYNTH" "$OUT/s3.json" s3 3 aes-128-gcm:1420:1:20:0 chacha20-poly1305:1420:1:8:0
"$NCBENCH" report "$OUT/s1.json" "$OUT/s2.json" "$OUT/s3.json" -o "$OUT/syn" >/dev/null 2>"$OUT/syn.err"
expect "synthetic fleet: report exits 0 ($(head -c 200 "$OUT/syn.err"))" [ $? -eq 0 ]
sed -n '/^## Fleet/,/^## Charts/p' "$OUT/syn/report.md" >"$OUT/syn.md"
expect "synthetic fleet: 3 hosts, 2 cases" grep -q '^3 hosts ran 2 cases in common' "$OUT/syn.md"
expect "synthetic fleet: s3 first at 89.4%" grep -Eq '^\| 1 \| s3 \| s3 \| Synthetic CPU s3 \|.* \| 89\.4% \|$' "$OUT/syn.md"
expect "synthetic fleet: s1 second at 70.7%" grep -Eq '^\| 2 \| s1 \|.* \| 70\.7% \|$' "$OUT/syn.md"
expect "synthetic fleet: s2 third at 35.4%" grep -Eq '^\| 3 \| s2 \|.* \| 35\.4% \|$' "$OUT/syn.md"
expect "synthetic fleet: case A, s1 second at 50.0%" \
	grep -Eq '^\|  \| 2 \| s1 \\\(Synthetic s1\\\) \| 10\.000 \|.* \| 50\.0% \|$' "$OUT/syn.md"
expect "synthetic fleet: case B, s3 second at 80.0%" \
	grep -Eq '^\|  \| 2 \| s3 \\\(Synthetic s3\\\) \| 8\.000 \|.* \| 80\.0% \|$' "$OUT/syn.md"
expect "synthetic fleet: the chart's table has s2 at 25% on case A" \
	grep -Eq '^\| s2 \\\(Synthetic s2\\\) \| cipher aes-128-gcm openssl 1420 B \| 25\.000 \|' "$OUT/syn/report.md"
expect "synthetic fleet: the HTML has the section" grep -q '<h2>Fleet</h2>' "$OUT/syn/report.html"

# Two-host cases match whatever the peer's address: each host ran against
# its own serve host.
python3 "$SYNTH" "$OUT/p1.json" p1 1 --peer=10.0.0.1:7478 aes-128-gcm:1420:1:10:0+workload=esp
python3 "$SYNTH" "$OUT/p2.json" p2 1 --peer=10.0.0.2:7478 aes-128-gcm:1420:1:12:0+workload=esp
"$NCBENCH" report "$OUT/p1.json" "$OUT/p2.json" -o "$OUT/synp" >/dev/null 2>&1
expect "two-host cases: one shared case" grep -q '^2 hosts ran 1 case in common' "$OUT/synp/report.md"
expect "two-host cases: labelled with the mode, not an address" \
	grep -q '^| esp aes-128-gcm openssl 1420 B \\(two hosts, forward\\) | 1 | p2 ' "$OUT/synp/report.md"

# A label is document text: escaped in every sink.
python3 "$SYNTH" "$OUT/h1.json" h1 1 aes-128-gcm:1420:1:10:0 \
	"@host.label=\"<b>x|y</b> \$(id) \`id\` 'q' @x\""
python3 "$SYNTH" "$OUT/h2.json" h2 1 aes-128-gcm:1420:1:12:0
"$NCBENCH" report "$OUT/h1.json" "$OUT/h2.json" -o "$OUT/hostile" >/dev/null 2>"$OUT/hostile.err"
expect "hostile label: report exits 0 ($(head -c 200 "$OUT/hostile.err"))" [ $? -eq 0 ]
refute "hostile label: no raw markup in report.html" grep -q '<b>x' "$OUT/hostile/report.html"
refute "hostile label: no raw markup in report.md" grep -q '<b>x' "$OUT/hostile/report.md"
expect "hostile label: the chart drawn" [ -s "$OUT/hostile/fleet.png" ]

if ! command -v ansible-playbook >/dev/null || [ ! -x /usr/bin/python3 ]; then
	echo "fleet: ansible-playbook or /usr/bin/python3 missing (make deps installs ansible-core)" >&2
	[ "$fails" -eq 0 ] && exit 77
	finish
	exit
fi

# Ansible keeps its scratch files here, reads no user configuration, and
# runs under Debian's Python whatever python3 comes first on PATH.
mkdir -p "$OUT/ansible"
: >"$OUT/ansible.cfg"
export ANSIBLE_CONFIG=$OUT/ansible.cfg ANSIBLE_HOME=$OUT/ansible \
	ANSIBLE_LOCAL_TEMP=$OUT/ansible/tmp ANSIBLE_REMOTE_TEMP=$OUT/ansible/tmp \
	ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PIPELINING=1
unset PYTHONPATH PYTHONHOME

cat >"$OUT/suite.json" <<'EOF'
{"name": "fleet-test", "description": "two short cases for tests/e2e/fleet.sh",
 "defaults": {"duration": 0.2, "warmup": 0.05, "repeat": 2, "processes": 1},
 "groups": [
  {"workload": "cipher", "cipher": ["aes-128-gcm"], "backend": "openssl", "size": [1420]},
  {"workload": "cipher", "cipher": ["chacha20-poly1305"], "backend": "openssl", "size": [1420]}
 ]}
EOF
cat >"$OUT/inventory" <<EOF
[fleet]
fleet-a fleet_dir=$OUT/hosts/a
fleet-b fleet_dir=$OUT/hosts/b
fleet-c fleet_dir=$OUT/hosts/c

[fleet:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
EOF
vars=(-e fleet_local_ncbench="$BIN" -e fleet_suite="$OUT/suite.json" -e fleet_poll=1)

expect "the playbook passes --syntax-check" \
	ansible-playbook --syntax-check -i "$OUT/inventory" "$PLAYBOOK" >"$OUT/syntax.log" 2>&1

# The steps fleet_build=false skips: archive, copy, make, make deps, build
# (as root already: no become).
ansible-playbook --check -i "$OUT/inventory" -l fleet-a --tags src,deps,build \
	"$PLAYBOOK" "${vars[@]}" -e fleet_build=true -e fleet_become=false \
	-e fleet_out="$OUT/check" >"$OUT/check.log" 2>&1
rc=$?
expect "--check of the build steps exits 0 (got $rc: $(grep -m1 -A2 fatal "$OUT/check.log"))" [ $rc -eq 0 ]
expect "--check went through the build tasks" grep -q 'TASK \[Build ncbench\]' "$OUT/check.log"
expect "--check left no archive behind" \
	[ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'ncbench-fleet.*' -newer "$OUT/suite.json" 2>/dev/null)" ]

ansible-playbook -i "$OUT/inventory" "$PLAYBOOK" "${vars[@]}" -e fleet_build=false \
	-e fleet_ncbench="$BIN" -e fleet_out="$OUT/fleet" -e "fleet_run_opts='-d 0.2'" \
	>"$OUT/play.log" 2>&1
rc=$?
expect "the playbook exits 0 (got $rc: $(grep -m1 -A2 fatal "$OUT/play.log"))" [ $rc -eq 0 ]
for h in a b c; do
	doc=$OUT/fleet/fleet-$h/result.json
	expect "fleet-$h: its run wrote into its own folder" [ -s "$OUT/hosts/$h/result.json" ]
	expect "fleet-$h: its document was fetched" [ -s "$doc" ]
	[ -s "$doc" ] || continue
	expect "fleet-$h: consistent" "$TESTBIN/check_doc" "$doc"
	expect "fleet-$h: host.label is the inventory name" \
		[ "$(field "$doc" "d['host'].get('label')")" = "fleet-$h" ]
	expect "fleet-$h: -d 0.2 reached the run" \
		[ "$(field "$doc" "d['config']['groups'][0]['duration']")" = "0.2" ]
	expect "fleet-$h: both cases ran" [ "$(field "$doc" "len(d['results'])")" -eq 2 ]
done

md=$OUT/fleet/report/report.md
expect "one report was drawn" [ -s "$md" -a -s "$OUT/fleet/report/report.html" ]
# The Fleet section: three hosts by label, two cases, sorted by rate.
sed -n '/^## Fleet/,/^## Charts/p' "$md" >"$OUT/fleet.md"
expect "report.md has a Fleet section" grep -q '^## Fleet' "$OUT/fleet.md"
expect "it counts three hosts and two cases" grep -q '^3 hosts ran 2 cases in common' "$OUT/fleet.md"
for h in a b c; do
	expect "fleet-$h is ranked in the hosts table" grep -Eq "^\| [123] \| fleet-$h \| " "$OUT/fleet.md"
done
expect "each case's hosts are fastest first, with the documents' figures" python3 - "$OUT" <<'EOF'
import json, re, sys
out = sys.argv[1]
rates = {}
for h in "abc":
    d = json.load(open("%s/fleet/fleet-%s/result.json" % (out, h)))
    for r in d["results"]:
        rates[(r["cipher"], "fleet-" + h)] = round(r["summary"]["gbps"]["median"], 3)
rows, case = [], None
for line in open(out + "/fleet.md"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 7 and re.fullmatch(r"\d+", cells[1]):
        case = cells[0] or case
        rows.append((case, cells[2].split(" ")[0], float(cells[3])))
assert len(rows) == 6, rows
for case in {r[0] for r in rows}:
    got = [r for r in rows if r[0] == case]
    assert [r[2] for r in got] == sorted((r[2] for r in got), reverse=True), got
    cipher = case.split()[1]
    for _, host, v in got:
        assert abs(rates[(cipher, host)] - v) < 0.0015, (case, host, v)
EOF
png=$OUT/fleet/report/fleet.png
expect "fleet.png exists and is not trivial" [ "$(stat -c %s "$png" 2>/dev/null || echo 0)" -gt 10000 ]
expect "report.html shows fleet.svg" grep -q 'img src="fleet.svg"' "$OUT/fleet/report/report.html"
# A bar per host: the first three colours of the palette, filled solid.
counts=$(python3 "$(dirname "$0")/png_colors.py" "$png" 1f77b4 ff7f0e 2ca02c 2>&1)
for n in $counts; do
	expect "fleet.png: each host's bars are drawn ($counts)" [ "$n" -gt 2000 ]
done

# One host, or two files of one host, is no fleet.
"$NCBENCH" report "$OUT/fleet/fleet-a/result.json" "$OUT/hosts/a/result.json" \
	-o "$OUT/one" >/dev/null 2>&1
expect "one host's files: the report is drawn" [ -s "$OUT/one/report.md" ]
refute "one host's files: no Fleet section" grep -q '^## Fleet' "$OUT/one/report.md"
refute "one host's files: no fleet chart" [ -e "$OUT/one/fleet.png" ]

# The label is the command line's, and plain text.
"$NCBENCH" run --host-label "$(printf 'a\tb')" -o "$OUT/x.json" 2>"$OUT/label.err"
expect "--host-label with a control byte: exit 2" [ $? -eq 2 ]
expect "--host-label with a control byte: one line" [ "$(wc -l <"$OUT/label.err")" -eq 1 ]
printf '{"name": "l", "groups": [{"workload": "cipher", "host-label": "x"}]}' >"$OUT/label.json"
"$NCBENCH" run --suite "$OUT/label.json" -o "$OUT/x.json" 2>"$OUT/label.err"
expect "host-label in a suite: exit 2" [ $? -eq 2 ]
expect "host-label in a suite: says it belongs on the command line" \
	grep -q 'belongs on the command line' "$OUT/label.err"
finish
