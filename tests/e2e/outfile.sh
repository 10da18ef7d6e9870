#!/usr/bin/env bash
# Output paths: run -o, export -o, compare --junit/--markdown and report -o
# refuse a device, fifo, socket or directory at the path (exit 2, one
# line) and leave it as it was; run refuses before anything runs. A symlink
# to a regular file is followed: that file is replaced (keeping its mode)
# and the link stays. A symlink to a device or to nothing is refused.
# Device nodes are made here with mknod, never /dev/null itself.
. "$(dirname "$0")/lib.bash"
[ "$(id -u)" -eq 0 ] || { echo "outfile.sh: mknod needs root; skipped"; exit 77; }

T=$OUT/t
mkdir "$T"
"$NCBENCH" run --processes 1 -q -c aes-128-gcm -b openssl -s 64 -d 0.01 -r 5 --warmup 0 \
	-o "$OUT/doc.json" || { bad "no document to export"; finish; exit 1; }

# write KIND PATH: the writer KIND aimed at PATH; status in $rc, stderr in
# $OUT/err, stdout in $OUT/out.
write() {
	local kind=$1 path=$2
	case $kind in
	run) "$NCBENCH" run --processes 1 -c aes-128-gcm -b openssl -s 64 -d 0.02 -r 1 \
		--warmup 0 -o "$path" ;;
	export) "$NCBENCH" export "$OUT/doc.json" --format csv -o "$path" ;;
	# A threshold no spread can reach: compare decides (exit 0) however
	# noisy the five short repetitions were, unless most were disturbed
	# (exit 3, files written all the same); only the paths are tested.
	junit) "$NCBENCH" compare "$OUT/doc.json" "$OUT/doc.json" --threshold 1000 --junit "$path" ;;
	markdown) "$NCBENCH" compare "$OUT/doc.json" "$OUT/doc.json" --threshold 1000 --markdown "$path" ;;
	esac >"$OUT/out" 2>"$OUT/err"
	rc=$?
	case $kind in junit|markdown) [ $rc -ne 3 ] || rc=0 ;; esac
}

# refused KIND WHAT PATH TEST...: exit 2, one stderr line, TEST still
# holds of what is at PATH, no temporary file beside it.
refused() {
	local kind=$1 what=$2 path=$3
	shift 3
	write "$kind" "$path"
	expect "$kind -o $what: exit 2 (got $rc)" [ $rc -eq 2 ]
	expect "$kind -o $what: one stderr line ($(head -c 200 "$OUT/err"))" \
		[ "$(wc -l <"$OUT/err")" -eq 1 ]
	expect "$kind -o $what: left as it was" "$@"
	expect "$kind -o $what: no temporary file" \
		[ -z "$(find "$T" -name '*.tmp.*')" ]
	if [ "$kind" = run ]; then
		expect "run -o $what: refused before any case ran" [ ! -s "$OUT/out" ]
	fi
}

# all_of "TEST"...: every test holds (paths here have no spaces).
all_of() {
	local t
	for t in "$@"; do
		eval "$t" || return 1
	done
}

mknod "$T/null" c 1 3
mkfifo "$T/fifo"
mkdir "$T/dir"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"
ln -s null "$T/to-null"
ln -s nothing "$T/dangling"

for k in run export junit markdown; do
	refused $k "a char device" "$T/null" [ -c "$T/null" ]
	refused $k "a fifo" "$T/fifo" [ -p "$T/fifo" ]
	refused $k "a socket" "$T/sock" [ -S "$T/sock" ]
	refused $k "a directory" "$T/dir" [ -d "$T/dir" ]
	refused $k "a name ending in /" "$T/new/" [ ! -e "$T/new" ]
	refused $k "a missing directory" "$T/missing/x" [ ! -e "$T/missing" ]
	refused $k "a 256-byte name" "$T/$(printf 'n%.0s' {1..256})" \
		[ -z "$(find "$T" -name 'nnnn*')" ]
	refused $k "a symlink to a device" "$T/to-null" all_of \
		"[ -L $T/to-null ]" "[ -c $T/null ]"
	refused $k "a dangling symlink" "$T/dangling" all_of \
		"[ -L $T/dangling ]" "[ ! -e $T/nothing ]"

	# A symlink to a regular file: the file is replaced, keeps its mode,
	# and the link stays a link.
	echo old >"$T/file-$k"
	chmod 640 "$T/file-$k"
	ln -s "file-$k" "$T/link-$k"
	write $k "$T/link-$k"
	expect "$k -o a symlink to a file: exit 0 (got $rc: $(head -c 200 "$OUT/err"))" \
		[ $rc -eq 0 ]
	expect "$k -o a symlink to a file: still a symlink" [ -L "$T/link-$k" ]
	expect "$k -o a symlink to a file: the file was replaced" \
		[ "$(head -c 3 "$T/file-$k")" != old ]
	expect "$k -o a symlink to a file: mode kept" \
		[ "$(stat -c %a "$T/file-$k")" = 640 ]
done

# report -o names a directory; a device there is not replaced either.
# (Its exit status is report's: not 0.)
"$NCBENCH" report "$OUT/doc.json" -o "$T/null" >/dev/null 2>"$OUT/err"
rc=$?
expect "report -o a char device: fails (got $rc)" [ $rc -ne 0 ]
expect "report -o a char device: left as it was" [ -c "$T/null" ]
finish
