#!/usr/bin/env bash
# `ncbench psk -o FILE`: a new key, 64 hex digits and a newline, mode 0600
# whatever the umask, never over an existing file or through a link, and
# never shown. Bad use exits 2 with one stderr line.
. "$(dirname "$0")/lib.bash"

bad_use() { # bad_use NEEDLE ARGS...
	local needle=$1; shift
	"$NCBENCH" psk "$@" >"$OUT/out" 2>"$OUT/err"
	local rc=$?
	expect "psk $*: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "psk $*: one stderr line" [ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "psk $*: message names '$needle' ($(cat "$OUT/err"))" grep -q -- "$needle" "$OUT/err"
	expect "psk $*: nothing on stdout" [ ! -s "$OUT/out" ]
}

"$NCBENCH" psk --help >"$OUT/help" 2>&1
expect "psk --help: exit 0 (got $?)" [ $? -eq 0 ]
expect "psk --help: names -o and the mode" grep -q -- '-o, --output FILE' "$OUT/help"
bad_use "-o FILE is required"
bad_use "needs a value" -o
bad_use "unexpected argument 'extra'" -o "$OUT/k0" extra
bad_use "unknown option '--bogus'" --bogus
bad_use "-o given twice" -o "$OUT/k0" -o "$OUT/k1"
expect "bad use leaves no file" [ ! -e "$OUT/k0" -a ! -e "$OUT/k1" ]

key=$OUT/key
(umask 000 && "$NCBENCH" psk -o "$key" >"$OUT/out" 2>"$OUT/err")
expect "psk -o: exit 0 (got $?: $(cat "$OUT/err"))" [ $? -eq 0 ]
expect "psk -o: says only 'wrote FILE'" [ "$(cat "$OUT/out")" = "wrote $key" ]
expect "psk -o: nothing on stderr" [ ! -s "$OUT/err" ]
expect "psk -o: mode 600 with umask 000 ($(stat -c %a "$key"))" [ "$(stat -c %a "$key")" = 600 ]
expect "psk -o: 64 hex digits and a newline" \
	[ "$(grep -cxE '[0-9a-f]{64}' "$key")" -eq 1 -a "$(stat -c %s "$key")" -eq 65 ]
hex=$(cat "$key")
refute "psk -o: the key is not on stdout" grep -q "${hex:0:16}" "$OUT/out"

sum=$(sha256sum <"$key")
bad_use "exists (a key is never overwritten)" -o "$key"
expect "psk over a key: the key kept" [ "$(sha256sum <"$key")" = "$sum" ]
refute "psk over a key: the key is not in the message" grep -q "${hex:0:16}" "$OUT/err"

"$NCBENCH" psk -o "$OUT/key2" >/dev/null 2>&1
expect "a second key differs" [ "$(cat "$OUT/key2")" != "$hex" ]

ln -s "$OUT/target" "$OUT/link"
bad_use "exists" -o "$OUT/link"
expect "psk through a dangling link: nothing made" [ ! -e "$OUT/target" ]
bad_use "No such file or directory" -o "$OUT/no/such/key"
bad_use "exists" -o /dev/null
finish
