#!/usr/bin/env bash
# report.html in a real browser: headless Chromium opens it from its folder
# (offline), every image must have loaded and the tables be there; a
# screenshot is kept in tests/out/browser/ for a person to look at.
. "$(dirname "$0")/lib.bash"
KEEP="$(cd "$(dirname "$0")/.." && pwd)/out/browser"
mkdir -p "$KEEP"
CHROME=$(command -v chromium || command -v chromium-browser)
expect "chromium is installed (make deps installs it)" [ -n "$CHROME" ]
[ -n "$CHROME" ] || { finish; exit 1; }
# A fresh profile, and nothing that reaches for the network (there is none).
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --hide-scrollbars \
		--disable-quic --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$OUT/profile.XXXXXX")" "$@" 2>/dev/null
}

threads=1
[ "$(nproc)" -ge 2 ] && threads=1,2
"$NCBENCH" run --processes 1 -q -c aes-128-gcm,chacha20-poly1305 -b openssl -s 64,1420 \
	-t "$threads" -d 0.1 -r 3 --warmup 0 -o "$OUT/a.json"
"$NCBENCH" run --processes 1 -q -c aes-128-gcm,chacha20-poly1305 -b openssl -s 64,1420 \
	-t "$threads" -d 0.1 -r 3 --warmup 0 -o "$OUT/b.json"
# Short network runs, so every chart kind is in the page: rate and
# cycles per byte, crypto and the rest per packet, CPU per Gbit/s by
# framing, the latency spectrum, and the files side by side.
for wl in esp macsec rr; do
	"$NCBENCH" run --processes 1 -q -w $wl -c null,aes-256-gcm -b all -s 1420 -d 0.2 \
		-r 1 --warmup 0 -o "$OUT/$wl.json"
done
"$NCBENCH" report "$OUT/a.json" "$OUT/b.json" "$OUT/esp.json" "$OUT/macsec.json" \
	"$OUT/rr.json" -o "$OUT/rep" --target 40G >/dev/null
expect "report written" [ -s "$OUT/rep/report.html" ]
charts=$(grep -c '<figure' "$OUT/rep/report.html")
for c in rate-1-cipher cpb-1-cipher compare-cipher rate-3-esp cycles-3 framing-1 latency-5; do
	expect "chart $c in the page" grep -q "<figure id=\"$c\">" "$OUT/rep/report.html"
done

# A page beside the report loads it in a frame and writes what it finds
# into its own DOM, which --dump-dom prints once the page has settled.
cat >"$OUT/check.html" <<HTML
<!DOCTYPE html><html><body>
<iframe id="f" src="rep/report.html" width="1200" height="900"></iframe>
<script>
document.getElementById("f").onload = function () {
	var d = this.contentDocument, imgs = Array.prototype.slice.call(d.images);
	var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; });
	document.body.setAttribute("data-result", "images=" + imgs.length +
		" loaded=" + ok.length + " tables=" + d.querySelectorAll("table").length +
		" title=" + d.title.replace(/ /g, "_"));
};
</script></body></html>
HTML
result=$(chrome --allow-file-access-from-files --virtual-time-budget=15000 \
	--dump-dom "file://$OUT/check.html" | grep -o 'data-result="[^"]*"')
images=$(echo "$result" | sed -n 's/.*images=\([0-9]*\).*/\1/p')
loaded=$(echo "$result" | sed -n 's/.*loaded=\([0-9]*\).*/\1/p')
tables=$(echo "$result" | sed -n 's/.*tables=\([0-9]*\).*/\1/p')
expect "browser saw the report ($result)" grep -q "title=ncbench_report" <<<"$result"
expect "one image per chart ($images images, $charts charts)" [ "${images:-0}" -eq "$charts" -a "$charts" -ge 10 ]
expect "every image loaded ($loaded of $images)" [ "${loaded:-0}" -eq "${images:-1}" ]
# A table of files, one per chart, one per file's cases.
expect "tables present ($tables)" [ "${tables:-0}" -ge $((charts + 3)) ]

# A workload that closes the img src attribute once ran script here:
# escaped, the handler is text and never runs.
python3 "$(dirname "$0")/synth_doc.py" "$OUT/xss.json" h1 1 aes-128-gcm:64:1:10 \
	aes-128-gcm:1420:1:20 '@results.*.workload="x\" onerror=\"parent.document.body.dataset.pwned=1;[].x"'
"$NCBENCH" report "$OUT/xss.json" -o "$OUT/rep-xss" >/dev/null
expect "XSS report written" [ -s "$OUT/rep-xss/report.html" ]
sed 's|rep/report.html|rep-xss/report.html|; s|"images=" +|"pwned=" + (document.body.dataset.pwned \|\| 0) + " images=" +|' \
	"$OUT/check.html" >"$OUT/check-xss.html"
xss=$(chrome --allow-file-access-from-files --virtual-time-budget=15000 \
	--dump-dom "file://$OUT/check-xss.html" | grep -o 'data-result="[^"]*"')
expect "XSS page loaded ($xss)" grep -q "title=ncbench_report" <<<"$xss"
expect "no script from the document ran ($xss)" grep -q "pwned=0 " <<<"$xss"

rm -f "$KEEP/report.png"
chrome --window-size=1200,8000 --screenshot="$KEEP/report.png" \
	"file://$OUT/rep/report.html" >/dev/null
expect "screenshot saved in tests/out/browser/report.png" [ -s "$KEEP/report.png" ]
cp "$OUT/rep/"*.png "$KEEP/" 2>/dev/null
finish
