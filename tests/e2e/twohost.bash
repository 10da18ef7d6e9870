# Two hosts on one machine, for the two-host scripts (sourced after
# lib.bash, as root): network namespaces A (serve) and B (run) joined by
# a veth pair, with 10.99.0.1 / fd99::1 in A and 10.99.0.2 / fd99::2 in
# B. Both namespaces, and with them the link, are removed when the
# script exits, fails or is stopped, and every server it started is
# stopped by its PID first.
TH_A=ncb-a-$$
TH_B=ncb-b-$$
TH_A4=10.99.0.1 TH_B4=10.99.0.2
TH_A6=fd99::1 TH_B6=fd99::2
TH_PIDS=""

th_down() {
	local p
	for p in $TH_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $TH_PIDS; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
	done
	TH_PIDS=""
	ip netns del "$TH_A" 2>/dev/null
	ip netns del "$TH_B" 2>/dev/null
}

# th_up: makes the two namespaces and their link; 1 if it cannot (not
# root, no ip).
th_up() {
	local a=ncbva$$ b=ncbvb$$
	trap 'th_down; [ -n "${KEEP:-}" ] || rm -rf "$OUT"' EXIT
	trap 'exit 143' TERM INT
	[ "$(id -u)" -eq 0 ] && command -v ip >/dev/null || return 1
	ip netns add "$TH_A" && ip netns add "$TH_B" &&
		ip link add "${a:0:15}" netns "$TH_A" type veth peer name "${b:0:15}" netns "$TH_B" &&
		ip -n "$TH_A" addr add "$TH_A4/24" dev "${a:0:15}" &&
		ip -n "$TH_B" addr add "$TH_B4/24" dev "${b:0:15}" &&
		ip -n "$TH_A" -6 addr add "$TH_A6/64" dev "${a:0:15}" nodad &&
		ip -n "$TH_B" -6 addr add "$TH_B6/64" dev "${b:0:15}" nodad &&
		ip -n "$TH_A" link set lo up && ip -n "$TH_B" link set lo up &&
		ip -n "$TH_A" link set "${a:0:15}" up && ip -n "$TH_B" link set "${b:0:15}" up
	TH_DEV_A=${a:0:15} TH_DEV_B=${b:0:15}
}

# th_serve PORT ARGS...: starts `ncbench serve --port PORT ARGS...` in A
# (stderr to $OUT/serve-PORT.log) and waits until it listens (5 s at most).
th_serve() {
	local port=$1 hex
	shift
	th_in_a "$NCBENCH" serve --port "$port" "$@" 2>>"$OUT/serve-$port.log" &
	TH_WRAP=$!
	TH_SRV=$(th_child $!)
	TH_PIDS="$TH_PIDS $TH_SRV $TH_WRAP"
	hex=$(printf '%04X' "$port")
	for _ in $(seq 250); do
		th_in_a grep -q ":$hex 00000000:0000 0A\|:$hex 00000000000000000000000000000000:0000 0A" \
			/proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
		kill -0 "$TH_SRV" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}

# th_child PID: the process a namespace wrapper started with & runs (its
# child, when the wrapper forked; else the wrapper itself, which then
# became it): the PID to signal. The wrapper's exit status is the
# command's, so `wait` on the wrapper.
th_child() {
	local c
	for _ in $(seq 100); do
		c=$(cat /proc/"$1"/task/"$1"/children 2>/dev/null)
		[ -n "$c" ] && { echo "${c%% *}"; return; }
		kill -0 "$1" 2>/dev/null || break
		sleep 0.01
	done
	echo "$1"
}

# th_in_a / th_in_b CMD...: runs a command in A (the serve host) or B
# (the run host).
th_in_a() {
	nsenter --net=/run/netns/"$TH_A" "$@"
}
th_in_b() {
	nsenter --net=/run/netns/"$TH_B" "$@"
}
