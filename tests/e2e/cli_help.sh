#!/usr/bin/env bash
# The conventions of a Unix tool: --help on every command and script
# (exit 0, usage on stdout), "did you mean" for a mistyped option or
# command, --version with the libraries, the man page against the option
# tables both ways, make install with PREFIX and DESTDIR, and the bash
# completion called as bash calls it.
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$ROOT/docs/ncbench.1
NCBENCH=$(realpath "$NCBENCH") # the tests below change folder

cmds=$("$NCBENCH" complete commands)
expect "complete commands: run, kat and wireshark among them" \
	[ "$(grep -cxE 'run|kat|wireshark' <<<"$cmds")" -eq 3 ]

# --help and -h: usage on stdout, nothing on stderr, exit 0. In a
# folder of its own, so a command that took --help for a file name
# would show (kat did).
mkdir -p "$OUT/cwd"
for c in $cmds; do
	for h in --help -h; do
		(cd "$OUT/cwd" && "$NCBENCH" "$c" "$h") >"$OUT/out" 2>"$OUT/err"
		rc=$?
		expect "$c $h: exit 0 (got $rc: $(head -c 200 "$OUT/err"))" [ $rc -eq 0 ]
		expect "$c $h: usage on stdout" grep -q "^usage: ncbench $c" "$OUT/out"
		expect "$c $h: nothing on stderr" [ ! -s "$OUT/err" ]
	done
done
for h in --help -h help; do
	"$NCBENCH" "$h" >"$OUT/out" 2>&1
	expect "ncbench $h: exit 0 (got $?)" [ $? -eq 0 ]
	expect "ncbench $h: lists every command" \
		[ "$(grep -cE "^  ($(tr '\n' '|' <<<"$cmds" | sed 's/|$//')) " "$OUT/out")" -eq "$(wc -l <<<"$cmds")" ]
done
for c in $cmds; do
	"$NCBENCH" help "$c" >"$OUT/out" 2>&1
	rc=$?
	expect "help $c: exit 0 (got $rc)" [ $rc -eq 0 ]
	expect "help $c: $c's usage" grep -q "^usage: ncbench $c" "$OUT/out"
done
refused_help=$("$NCBENCH" help rnu 2>&1 >/dev/null)
expect "help rnu: did you mean run" grep -q "did you mean run?" <<<"$refused_help"
"$NCBENCH" kat -- --help >"$OUT/out" 2>"$OUT/err"
expect "kat -- --help: a file named --help is opened (exit 2, got $?)" \
	grep -q "unable to open --help" "$OUT/err"

# Scripts: --help without any environment, exit 0, usage on stdout;
# an argument they do not take is refused with exit 2.
for s in "$ROOT"/bench/*.sh "$ROOT"/ci/*.sh "$ROOT"/ci/*/*.sh "$ROOT"/tests/run.sh; do
	[ -f "$s" ] || continue
	name=${s#"$ROOT"/}
	(cd "$ROOT" && env -u NCBENCH -u TESTBIN timeout 10 bash "$name" --help) \
		>"$OUT/out" 2>"$OUT/err"
	rc=$?
	expect "$name --help: exit 0 (got $rc: $(head -c 200 "$OUT/err"))" [ $rc -eq 0 ]
	expect "$name --help: usage on stdout" grep -q "^usage: .*${name##*/}" "$OUT/out"
done
for s in "$ROOT"/bench/*.sh; do
	name=${s#"$ROOT"/}
	(cd "$ROOT" && env -u NCBENCH timeout 10 bash "$name" --bogus) >"$OUT/out" 2>"$OUT/err"
	rc=$?
	expect "$name --bogus: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$name --bogus: one line naming it" \
		[ "$(grep -c -- "--bogus" "$OUT/err")" -eq 1 ]
done

# refused NEEDLE ARGS...: exit 2, one stderr line holding NEEDLE.
refused() {
	local needle=$1
	shift
	"$NCBENCH" "$@" >"$OUT/out" 2>"$OUT/err"
	local rc=$?
	expect "$*: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$*: one stderr line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "$*: says '$needle' ($(head -c 200 "$OUT/err"))" grep -qF -- "$needle" "$OUT/err"
}

# A typo of each command's longest option (two letters swapped) is
# refused with that option named.
for c in $cmds; do
	name=$("$NCBENCH" complete options "$c" | sed -n 's/^--\([a-z0-9-]*\)=\{0,1\}$/\1/p' |
		grep -vx help | awk '{ print length($0), $0 }' | sort -k1,1nr -k2 | head -n 1 | cut -d' ' -f2)
	[ -n "$name" ] || continue
	typo=${name:0:2}${name:3:1}${name:2:1}${name:4}
	[ "$typo" != "$name" ] || typo=${name:0:1}${name:2:1}${name:1:1}${name:3}
	refused "did you mean --$name?" "$c" "--$typo=1"
done
refused "did you mean --size?" run --sise 64
refused "did you mean --json?" list --jsno
refused "ambiguous: --pcap, --pcap-count" run --pca x
refused "unknown option '-x' (see ncbench psk --help)" psk -xo f
refused "did you mean run?" rnu
refused "did you mean report?" reprot
refused "did you mean esp?" run -q -w esq
refused "did you mean aes-256-gcm?" run -q -c aes-256-gmc -d 0.1
refused "did you mean openssl?" run -q -b opensl -d 0.1
refused "did you mean chacha20-poly1305?" sa-file -o "$OUT/never" -w esp -c chacha20-poly130
refused "unknown command 'xyzzy' (ncbench --help" xyzzy
"$NCBENCH" run --bogus >/dev/null 2>"$OUT/err"
refute "run --bogus: no suggestion for a word nothing is close to" grep -q "did you mean" "$OUT/err"

# --version: ncbench's version as the Makefile sets it, then the
# libraries as a document's "libraries" names them.
version=$(sed -n 's/^VERSION := //p' "$ROOT/Makefile")
for v in --version -V; do
	"$NCBENCH" "$v" >"$OUT/out" 2>"$OUT/err"
	expect "$v: exit 0 (got $?)" [ $? -eq 0 ]
	expect "$v: ncbench $version first" grep -q "^ncbench $version " <(head -n 1 "$OUT/out")
	expect "$v: the libraries" [ "$(grep -cE '^  (openssl|gcrypt|jansson|hwloc|liburing) ' "$OUT/out")" -eq 5 ]
done
expect "man page: .TH says ncbench $version" grep -q "^\.TH NCBENCH 1 .*\"ncbench $version\"" "$MAN"

# The man page against the tables: every option a command's parser
# takes (ncbench complete options CMD) is an item of that command's
# section, and every item is an option the command takes. The workload
# options are one section, shared by run and sa-file.
man_check() { # man_check FILE: one line per mismatch
	local c
	for c in $cmds; do
		echo "== $c"
		"$NCBENCH" complete options "$c"
	done >"$OUT/tables"
	python3 - "$1" "$OUT/tables" <<'PY'
import re, sys
man, tables = sys.argv[1], sys.argv[2]
table, cmd = {}, None
for line in open(tables):
    line = line.strip()
    if line.startswith("== "):
        cmd = line[3:]
        table[cmd] = set()
    elif line not in ("-h", "--help"):
        table[cmd].add(line.rstrip("="))
sec, cur, is_item = {}, None, False
for line in open(man):
    line = line.rstrip("\n")
    if line.startswith(".SH"):
        cur = None
    elif line.startswith(".SS"):
        title = line[3:].strip().strip('"').replace("\\-", "-")
        m = re.match(r"ncbench (\S+)", title)
        cur = m.group(1) if m else "workload" if title.startswith("Workload options") else None
        if cur:
            sec.setdefault(cur, set())
    elif line.startswith(".TP"):
        is_item = True
        continue
    elif is_item and cur:
        text = re.sub(r"\\f[BIRP]", "", line).replace("\\-", "-")
        sec[cur].update(re.findall(r"(?<![\w-])(--[a-z0-9][a-z0-9-]*|-[A-Za-z0-9])(?![\w-])", text))
    is_item = False
takes_wl = ("run", "sa-file")
for c in sorted(table):
    if c not in sec:
        print(f"{c}: no section 'ncbench {c}'")
        continue
    doc = sec[c] | (sec.get("workload", set()) if c in takes_wl else set())
    for o in sorted(table[c] - doc):
        print(f"{c}: {o} is in the table, not in the man page")
    for o in sorted(sec[c] - table[c]):
        print(f"{c}: {o} is in the man page, not in the table")
for o in sorted(sec.get("workload", set()) - set.intersection(*(table[c] for c in takes_wl))):
    print(f"workload options: {o} is in the man page, not in run's and sa-file's tables")
for s in sorted(set(sec) - set(table) - {"workload"}):
    print(f"section 'ncbench {s}': no such command")
PY
}
problems=$(man_check "$MAN")
expect "man page matches the tables: $(tr '\n' ';' <<<"$problems")" [ -z "$problems" ]
expect "man page check reads options (run has $(grep -c '^\.TP' "$MAN") items)" \
	[ "$(grep -c '^\.TP' "$MAN")" -gt 60 ]
# It can fail: an option taken out of the man page, one added.
grep -v '^\\fB\\-\\-sa\\-dist\\fR' "$MAN" >"$OUT/less.1"
expect "man check: a missing --sa-dist is named" \
	grep -q "run: --sa-dist is in the table, not in the man page" <(man_check "$OUT/less.1")
sed 's/^\\fB\\-\\-once\\fR$/\\fB\\-\\-once\\fR, \\fB\\-\\-twice\\fR/' "$MAN" >"$OUT/more.1"
expect "man check: an option no table has is named" \
	grep -q "serve: --twice is in the man page, not in the table" <(man_check "$OUT/more.1")

# It renders: no warning from groff, and man shows it.
if command -v groff >/dev/null; then
	groff -man -ww -z "$MAN" >"$OUT/groff" 2>&1
	expect "groff -man -ww: exit 0, no warning ($(head -c 300 "$OUT/groff"))" \
		[ $? -eq 0 ] && [ ! -s "$OUT/groff" ]
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$MAN" >"$OUT/man" 2>"$OUT/err"
	expect "man -l: exit 0 ($(head -c 200 "$OUT/err"))" [ $? -eq 0 ] && [ ! -s "$OUT/err" ]
	expect "man -l: NAME and the run options" \
		grep -q -- "ncbench - measure" "$OUT/man" && grep -q -- "--workload W" "$OUT/man"
	expect "man -l: no line over 80 characters" \
		python3 -c 'import sys; sys.exit(max(map(len, open(sys.argv[1], encoding="utf-8").read().split("\n"))) > 80)' "$OUT/man"
else
	echo "cli_help.sh: man is not installed; man -l not tried" >&2
fi

# make install: the binary, the man page and the completion under
# DESTDIR/PREFIX; /usr/local without PREFIX. -o: the binary under test
# is taken as built, never rebuilt.
dest=$OUT/dest
make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/opt/ncb BIN="$NCBENCH" \
	-o "$NCBENCH" >"$OUT/out" 2>&1
expect "make install: exit 0 ($(head -c 300 "$OUT/out"))" [ $? -eq 0 ]
inst=$dest/opt/ncb
expect "make install: bin/ncbench, mode 755" [ "$(stat -c %a "$inst/bin/ncbench" 2>/dev/null)" = 755 ]
expect "make install: the binary runs" "$inst/bin/ncbench" list --json >/dev/null
expect "make install: share/man/man1/ncbench.1" cmp -s "$MAN" "$inst/share/man/man1/ncbench.1"
expect "make install: share/bash-completion/completions/ncbench" \
	cmp -s "$ROOT/docs/ncbench.bash" "$inst/share/bash-completion/completions/ncbench"
make -s -n -C "$ROOT" install DESTDIR=/nowhere BIN="$NCBENCH" -o "$NCBENCH" >"$OUT/out" 2>&1
expect "make install: PREFIX is /usr/local by default" \
	grep -q "/nowhere/usr/local/bin/ncbench" "$OUT/out"

# Completion, as bash calls it: COMP_WORDS and COMP_CWORD set, then the
# function; COMPREPLY one word a line. From the installed file.
comp() { # comp WORD...: the completions of the last word
	bash -c '. "$1" || exit 1; shift; complete -p ncbench >/dev/null || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ncbench
		printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$inst/share/bash-completion/completions/ncbench" "$NCBENCH" "$@"
}
expect "complete 'ru': run" [ "$(comp ru)" = run ]
expect "complete '': every command" [ "$(comp '' | grep -cxF -f <(echo "$cmds"))" -eq "$(wc -l <<<"$cmds")" ]
expect "complete 'run --wor': --workload" [ "$(comp run --wor)" = --workload ]
expect "complete 'list --': --json, --help" [ "$(comp list -- | sort | tr '\n' ' ')" = "--help --json " ]
expect "complete 'run -w ': esp and rr" [ "$(comp run -w '' | grep -cxE 'esp|rr')" -eq 2 ]
expect "complete 'run --io ': uring, epoll" [ "$(comp run --io '' | sort | tr '\n' ' ')" = "epoll uring " ]
expect "complete 'run --io=ep': epoll" [ "$(comp run --io = ep)" = epoll ]
expect "complete 'run --framing ': tls13-records" grep -qx tls13-records <(comp run --framing '')
expect "complete 'run -c aes-128-gcm,cha': the list kept" \
	[ "$(comp run -c aes-128-gcm,cha)" = aes-128-gcm,chacha20-poly1305 ]
expect "complete 'sa-file --sa-d': --sa-dist" [ "$(comp sa-file --sa-d)" = --sa-dist ]
# Ciphers and backends: what list --json names, all of it.
"$NCBENCH" list --json >"$OUT/list.json"
for kind in algorithms:-c backends:--backend workloads:--workload; do
	want=$(python3 -c 'import json,sys; print("\n".join(sorted(x["name"] for x in json.load(open(sys.argv[1]))[sys.argv[2]])))' \
		"$OUT/list.json" "${kind%%:*}")
	got=$(comp run "${kind#*:}" '' | grep -vx all | sort)
	expect "complete 'run ${kind#*:} ': what list --json has as ${kind%%:*}" [ "$got" = "$want" ]
done
expect "complete 'run -o ': file names" grep -qx "$OUT/list.json" <(comp run -o "$OUT/list")
finish
