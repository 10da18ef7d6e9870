#!/usr/bin/env bash
# Hostile traffic against verified esp, macsec and wg runs: 100,000 random,
# truncated, oversize, replayed and forged datagrams each (tests/unit/inject,
# paced), sent into the receiver's port while the run goes on. None may be
# accepted; each is counted once under the reject reason its kind aims
# at; none is a mismatch or fails the run; and the run's drops are its own
# sender's packets only: the strangers' rejects cannot hide them. A
# datagram the kernel dropped before the receiver saw it is in
# drops_kernel instead of a reject, so
#   sum(rejects) + drops_kernel - drops = datagrams injected
# holds exactly, and per reason when the kernel dropped none of them.
# Runs use --no-gso: a dropped datagram is then one packet, and the
# receive buffer cuts the oversize kind (MSG_TRUNC).
. "$(dirname "$0")/lib.bash"

# inject_run NAME FRAMING "REASONS" ARGS...: REASONS maps the injector's
# kinds to the framing's reject names, "kind:reason ...".
inject_run() {
	local name=$1 fr=$2 map=$3 port pid rc
	shift 3
	port=$(free_port)
	# The run outlasts the injection (2 s at 50,000 per second, from
	# 0.3 s in) by a wide margin, also under sanitizers.
	"$NCBENCH" run --processes 1 -q -w "$fr" -c "${CIPHER:-aes-128-gcm}" -b openssl -s 256 --verify \
		--no-gso --port "$port" -d 6 -r 1 --warmup 0 "$@" \
		-o "$OUT/$name.json" 2>"$OUT/$name.err" &
	pid=$!
	expect "$name: receiver bound" wait_bound "$port"
	# Past sequence number 64 + the 1024 window, so replays are too old.
	sleep 0.3
	"$TESTBIN/inject" --framing "$fr" --port "$port" --count 100000 \
		--pps 50000 >"$OUT/$name.inj" 2>&1
	expect "$name: injector ran ($(cat "$OUT/$name.inj"))" [ $? -eq 0 ]
	wait "$pid"
	rc=$?
	expect "$name: run exits 0 (got $rc: $(head -c 200 "$OUT/$name.err"))" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || return
	expect "$name: consistent" "$TESTBIN/check_doc" "$OUT/$name.json"
	python3 - "$OUT/$name.json" "$OUT/$name.inj" "$map" >"$OUT/$name.chk" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
sent = dict(kv.split("=") for kv in open(sys.argv[2]).read().split()[1:])
sent = {k: int(v) for k, v in sent.items()}
want = {}
for kv in sys.argv[3].split():
    kind, reason = kv.split(":")
    want[reason] = want.get(reason, 0) + sent[kind]
rj, er, s = r["rejects"], r["errors"], r["samples"][0]
injected = sum(v for k, v in sent.items() if k != "failed")
foreign_kdrops = er["drops_kernel"] - er["drops"]
print("injected", injected, "rejects", sum(rj.values()), "drops", er["drops"],
      "drops_kernel", er["drops_kernel"], "send_failed", er["send_failed"])
checks = [
    ("at least 100000 injected", injected >= 100000),
    ("no failed injection", sent["failed"] == 0),
    ("no mismatch", er["mismatch"] == 0),
    ("no auth failure of the run's own packets", er["auth_fail"] == 0),
    ("nothing injected accepted (received <= sent)",
     s["packets"] <= s["sent_packets"]),
    ("drops are sent - received", er["drops"] == s["sent_packets"] - s["packets"]),
    ("kernel drops cover the run's drops", foreign_kdrops >= 0),
    ("every injected datagram a reject or a kernel drop",
     sum(rj.values()) + foreign_kdrops == injected),
    ("no reject of a kind not injected",
     all(v == 0 for k, v in rj.items() if k not in want)),
    ("no reason above what was injected for it",
     all(rj[k] <= v for k, v in want.items())),
    ("per reason exact when the kernel dropped none",
     foreign_kdrops > 0 or all(rj[k] == v for k, v in want.items())),
    ("errors add up", er["replay"] + er["rejected"] == injected - foreign_kdrops),
]
for what, ok in checks:
    print(("ok " if ok else "FAIL ") + what)
PY
	expect "$name: checked" [ $? -eq 0 ]
	while read -r line; do
		case $line in
		"ok "*) ok ;;
		"FAIL "*) bad "$name: ${line#FAIL } ($(head -n 1 "$OUT/$name.chk"); $(cat "$OUT/$name.inj"))" ;;
		esac
	done <"$OUT/$name.chk"
}

# A 1 MiB socket buffer: the sums hold whatever the kernel drops, but
# packets still queued when a repetition's drain ends (at most 200 ms)
# count as the run's drops and are no kernel drop, so a buffer must not
# hold more than a slow receiver drains in that time (32 MiB left 7,600
# to 13,000 packets queued under ASan with busy PUs; 1 MiB none).
inject_run esp esp \
	"random:unknown_spi truncated:truncated oversize:oversize replayed:too_old forged:bad_icv" \
	--io uring --sockbuf 1048576
inject_run macsec macsec \
	"random:bad_tag truncated:truncated oversize:oversize replayed:late forged:bad_icv" \
	--io epoll --sockbuf 1048576
# WireGuard data messages: a stranger's random bytes fail the type check,
# replays fall behind the 2048-message window.
CIPHER=chacha20-poly1305 inject_run wg wg \
	"random:bad_type truncated:truncated oversize:oversize replayed:too_old forged:bad_tag" \
	--io uring --sockbuf 1048576

# Without strangers, the run's drops are exactly the kernel's (no GSO:
# one datagram, one packet).
"$NCBENCH" run --processes 1 -q -w esp -c aes-128-gcm -b openssl -s 256 --verify --no-gso \
	-d 0.5 -r 2 --warmup 0.1 -o "$OUT/clean.json" 2>"$OUT/clean.err"
expect "clean run exits 0" [ $? -eq 0 ]
expect "clean run: drops = drops_kernel = sent - received" [ "$(field "$OUT/clean.json" \
	"int(r['errors']['drops'] == r['errors']['drops_kernel'] == sum(s['sent_packets'] - s['packets'] for s in r['samples']))")" -eq 1 ]
finish
