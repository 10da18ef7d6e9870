#!/usr/bin/env bash
# Folder layering: a project header is included only from its own folder or
# one above it. io/ is the bottom (ncb.h, hist, imix are the shared leaves),
# then crypto/, then workloads/; report/ stands on io/ alone (it reads
# documents, never crypto/ or workloads/); bench/ is the top. tests/ may
# include anything and is not scanned. A violation is named file:line with
# its forbidden arrow.
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# The folders each code folder may include from (itself first).
declare -A allowed=(
	[io]="io"
	[crypto]="crypto io"
	[workloads]="workloads crypto io"
	[report]="report io"
	[bench]="bench workloads crypto report io"
)

# scan TREE: prints "file:line: from -> to (#include "...")" for every
# include of a project header that points up or sideways; a quoted include
# without a folder is the including file's own folder.
scan() {
	local tree=$1 from f line inc to
	for from in "${!allowed[@]}"; do
		[ -d "$tree/$from" ] || continue
		while IFS= read -r f; do
			while IFS=: read -r line inc; do
				inc=${inc#*\"}
				inc=${inc%%\"*}
				inc=${inc#./}
				# "../x/y.h" from a code folder names folder x.
				while [ "${inc#../}" != "$inc" ]; do inc=${inc#../}; done
				case $inc in
				*/*) to=${inc%%/*} ;;
				*) to=$from ;;
				esac
				case " ${allowed[$from]} " in
				*" $to "*) ;;
				*) echo "${f#"$tree"/}:$line: $from -> $to (#include \"$inc\")" ;;
				esac
			done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
		done < <(find "$tree/$from" -name '*.[ch]' | sort)
	done
}

# The checker itself: a planted arrow up (report -> workloads), one
# sideways (crypto -> report), one out of the code folders (io -> tests)
# and allowed ones in a scratch tree.
T=$OUT/tree
mkdir -p "$T/report" "$T/crypto" "$T/io" "$T/bench"
printf '#include "io/ncb.h"\n#include "chart.h"\n #  include "workloads/wl.h"\n' >"$T/report/a.c"
printf '#include "io/hist.h"\n#include "report/doc.h"\n' >"$T/crypto/b.h"
printf '#include <stdio.h>\n#include "tests/fuzz/frames.h"\n' >"$T/io/c.c"
printf '#include "workloads/wl.h"\n#include "report/doc.h"\n' >"$T/bench/d.c"
scan "$T" | sort >"$OUT/planted.txt"
printf '%s\n' \
	'crypto/b.h:2: crypto -> report (#include "report/doc.h")' \
	'io/c.c:2: io -> tests (#include "tests/fuzz/frames.h")' \
	'report/a.c:3: report -> workloads (#include "workloads/wl.h")' \
	>"$OUT/want.txt"
expect "planted violations found, allowed includes left alone: $(tr '\n' ';' <"$OUT/planted.txt")" \
	cmp -s "$OUT/planted.txt" "$OUT/want.txt"

scan "$ROOT" >"$OUT/tree.txt"
while IFS= read -r v; do bad "$v"; done <"$OUT/tree.txt"
expect "the tree has no forbidden include" [ ! -s "$OUT/tree.txt" ]
expect "the tree's code folders were scanned" \
	[ "$(find "$ROOT"/{io,crypto,workloads,report,bench} -name '*.[ch]' | wc -l)" -gt 50 ]
finish
