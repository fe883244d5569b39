#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 87_capture.sh - kvnet capture: a port's frames as pcap, read back with Debian's tcpdump
#
#   tk  [tr  02:00:00:87:00:01]              tap, trunk: VLAN 10 tagged   ---\
#   h10 [a10 02:00:00:87:00:10 192.0.2.10]   tap, access VLAN 10          ---- kvnetd (ns sw): br0
#   h11 [ve  02:00:00:87:00:11 192.0.2.11]   veth, its peer dv a dev port ---|  (dv access 10)
#   sw  qsock.py as QEMU                     dgram VM port vd, VLAN 10    ---|
#                                            stream VM port vs, VLAN 10   ---/
#
# Frames of known MACs, tags and payloads are sent with frames.py (qsock.py plays QEMU on
# the stream and dgram ports) while `kvnet capture` writes them to a file or a pipe;
# tcpdump -r -e -nn must show the MACs, the VLAN tag as on that port's wire, only the direction asked for, and the
# count. A capture whose reader stops reading must not stop forwarding: kvnetd drops and
# counts its copies.

ALL_TESTS="trunk_tagged_out access_untagged_in trunk_tagged_in direction_out dev_port_ping
	dgram_port stream_port pipe_to_tcpdump slow_reader interrupted errors_and_limits"

source "$(dirname "$0")/lib.sh"

QSOCK=$(dirname "$0")/qsock.py
MACT=02:00:00:87:00:01
MAC10=02:00:00:87:00:10
MAC11=02:00:00:87:00:11
MACD=52:54:00:87:00:0d
MACS=52:54:00:87:00:0e

setup() {
	SW=$(kv_ns sw)
	TK=$(kv_ns tk)
	H10=$(kv_ns h10)
	H11=$(kv_ns h11)
	kv_ns_add "$SW" "$TK" "$H10" "$H11"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 tr "$TK" "$MACT"
	kv_tap_host br0 a10 "$H10" "$MAC10" 192.0.2.10/24
	kv_access a10 10
	kv vlan del tr vid 1 || kv_setup_fail "vlan del tr vid 1"
	kv vlan add tr vid 10 || kv_setup_fail "vlan add tr vid 10"
	kv_veth "$SW" dv "$H11" ve
	ip -n "$H11" link set ve address $MAC11 || kv_setup_fail "ve address"
	ip -n "$H11" addr add 192.0.2.11/24 dev ve || kv_setup_fail "ve address"
	kv port add br0 dev:dv >/dev/null || kv_setup_fail "port add br0 dev:dv"
	kv_access dv 10
	kv port-create --bridge br0 --backend dgram --name vd --mac $MACD --vlan 10 >/dev/null ||
		kv_setup_fail "port-create vd (dgram)"
	kv port-create --bridge br0 --backend stream --name vs --mac $MACS --vlan 10 >/dev/null ||
		kv_setup_fail "port-create vs (stream)"
	CAPS=$KV_TMP/caps
	mkdir -p "$CAPS"
}

# n_captures - how many captures kvnetd runs
n_captures() {
	kv_q 'len(d["captures"])' capture-list
}

# capture_bg NAME ARGS... - `kvnet capture ARGS... -w $CAPS/NAME.pcap` in the background, and
# wait until kvnetd runs it (one more capture than before). Its PID is in CAP_PID_NAME.
capture_bg() {
	local name=$1 before
	shift
	before=$(n_captures)
	"$KVNET" --socket "$KV_SOCK" capture "$@" -w "$CAPS/$name.pcap" \
		>"$CAPS/$name.out" 2>"$CAPS/$name.err" &
	eval "CAP_PID_$name=$!"
	KV_PIDS+=("$!")
	kv_poll_eq "capture $name running in kvnetd" $((before + 1)) n_captures
}

# capture_end NAME - wait (bounded) for the background capture NAME; its exit status
capture_end() {
	capture_end_pid "$(eval echo "\$CAP_PID_$1")" "capture $1"
}

# capture_end_pid PID WHAT - wait (bounded) for a kvnet capture that must end by itself (a
# failure if it does not: it is then ended); its exit status
capture_end_pid() {
	local i rc
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv_is_child "$1" || break
		sleep 0.1
	done
	if kv_is_child "$1"; then
		kill -TERM "$1"
		kv_fail "$2 did not end by itself within $KV_WAIT s"
	fi
	wait "$1"
	rc=$?
	kv_forget "$1"
	return "$rc"
}

# show NAME - the capture file as tcpdump -r -e -nn prints it, one line per frame (without
# the hex dump it adds for an unknown EtherType)
show() {
	tcpdump -r "$CAPS/$1.pcap" -e -nn 2>"$CAPS/$1.tcpdump.err" | grep -E '^[0-9]{2}:'
}

# check_lines WHAT NAME N REGEX - tcpdump must read N frames from NAME, each matching REGEX
check_lines() {
	local what=$1 out n m
	out=$(show "$2")
	n=$(printf '%s' "$out" | grep -c .)
	m=$(printf '%s' "$out" | grep -cE -- "$4")
	if [ "$n" != "$3" ] || [ "$m" != "$3" ]; then
		kv_fail "$what: expected $3 frame(s) matching /$4/, tcpdump read $n, $m matching:" \
			"$out $(cat "$CAPS/$2.tcpdump.err")"
	fi
}

trunk_tagged_out() {
	capture_bg tout tr --direction out -c 2
	kv_send "$H10" a10 --src $MAC10 --tag t1
	kv_send "$H10" a10 --src $MAC10 --tag t2
	capture_end tout || kv_fail "capture tout exited non-zero: $(cat "$CAPS/tout.err")"
	check_lines "trunk tr, out" tout 2 \
		"^[0-9:.]+ $MAC10 > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q \(0x8100\), length 64: vlan 10, "
	kv_check_ok "its summary on stderr" grep -q "^2 frames captured, 0 dropped" "$CAPS/tout.err"
	log_test "capture on a trunk, out: a10's untagged broadcast carries tag 10, as it leaves"
}

access_untagged_in() {
	capture_bg ain a10 --direction in -c 1
	kv_send "$H10" a10 --src $MAC10 --tag u1
	capture_end ain || kv_fail "capture ain exited non-zero: $(cat "$CAPS/ain.err")"
	check_lines "access a10, in" ain 1 \
		"^[0-9:.]+ $MAC10 > ff:ff:ff:ff:ff:ff, ethertype Unknown \(0x88b5\), length 60: "
	log_test "capture on an access port, in: the frame as the VM sent it, untagged"
}

trunk_tagged_in() {
	capture_bg tin tr --direction in -c 1
	kv_send "$TK" tr --src $MACT --vlan 10 --pcp 5 --tag i1
	capture_end tin || kv_fail "capture tin exited non-zero: $(cat "$CAPS/tin.err")"
	check_lines "trunk tr, in" tin 1 \
		"^[0-9:.]+ $MACT > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q \(0x8100\), length 60: vlan 10, p 5,"
	log_test "capture on a trunk, in: the tag (VID 10, priority 5) as received"
}

# only what the switch sends out of a10: a10's own frame is not in it, the trunk's is
direction_out() {
	capture_bg aout a10 --direction out -c 1
	kv_send "$H10" a10 --src $MAC10 --tag not-out
	kv_send "$TK" tr --src $MACT --vlan 10 --tag out
	capture_end aout || kv_fail "capture aout exited non-zero: $(cat "$CAPS/aout.err")"
	# the trunk's 60-byte tagged frame leaves untagged: 56 bytes, as on the wire
	check_lines "access a10, out" aout 1 \
		"^[0-9:.]+ $MACT > ff:ff:ff:ff:ff:ff, ethertype Unknown \(0x88b5\), length 56: "
	log_test "--direction out: only frames leaving the port (untagged on an access port)"
}

dev_port_ping() {
	capture_bg dv dv -c 4
	kv_check_ok "ping 192.0.2.10 -> 192.0.2.11 through dv" kv_ping "$H10" 192.0.2.11 2
	capture_end dv || kv_fail "capture dv exited non-zero: $(cat "$CAPS/dv.err")"
	local out
	out=$(show dv)
	kv_check_eq "frames captured on dv" 4 "$(printf '%s\n' "$out" | grep -c .)"
	printf '%s' "$out" | grep -qE "^[0-9:.]+ $MAC10 > $MAC11, ethertype IPv4 .*192\.0\.2\.10 > 192\.0\.2\.11: ICMP echo request" ||
		kv_fail "no echo request from a10 to ve on dv (out): $out"
	printf '%s' "$out" | grep -qE "^[0-9:.]+ $MAC11 > $MAC10, ethertype IPv4 .*192\.0\.2\.11 > 192\.0\.2\.10: ICMP echo reply" ||
		kv_fail "no echo reply from ve on dv (in): $out"
	log_test "capture on a dev (veth) port, both ways: ICMP echo and reply"
}

# socket_port PORT BACKEND MAC - the "QEMU" (qsock.py) of a stream or dgram VM port connects
# (binds) first; once the port's link is up, the trunk's frames in VLAN 10 go out of the
# port untagged, and qsock.py receives them
socket_port() {
	local port=$1 backend=$2 sock peer=() qpid
	sock=$(kv_q 'd["interfaces"][0]["socket"]' domain-interfaces "$port")
	[ "$backend" = dgram ] &&
		peer=(--peer-path "$(kv_q 'd["interfaces"][0]["peer_socket"]' domain-interfaces "$port")")
	ip netns exec "$SW" "$KV_PY" "$QSOCK" peer "$backend" "$sock" "${peer[@]}" --src "$3" \
		--expect 3 --from $MACT --timeout "$KV_WAIT" >"$CAPS/qsock-$port.out" 2>&1 &
	qpid=$!
	KV_PIDS+=("$qpid")
	kv_poll_eq "$port's link once its QEMU is there" up \
		kv_q 'd["interfaces"][0]["link"]' domain-interfaces "$port"
	capture_bg "$port" "$port" --direction out -c 3
	kv_send "$TK" tr --src $MACT --vlan 10 --tag "$backend" --count 3
	capture_end "$port" || kv_fail "capture $port exited non-zero: $(cat "$CAPS/$port.err")"
	wait "$qpid" || kv_fail "qsock.py on $port: $(cat "$CAPS/qsock-$port.out")"
	kv_forget "$qpid"
	check_lines "$backend $port, out" "$port" 3 \
		"^[0-9:.]+ $MACT > ff:ff:ff:ff:ff:ff, ethertype Unknown \(0x88b5\), length 56: "
	log_test "capture on a $backend (QEMU socket) port, which has no kernel interface"
}

dgram_port() {
	socket_port vd dgram $MACD
}

stream_port() {
	socket_port vs stream $MACS
}

# -w - into tcpdump -r -: a fifo, so each process has a PID of its own to wait for
pipe_to_tcpdump() {
	local before fifo=$CAPS/pipe.fifo tpid kpid i
	mkfifo "$fifo"
	before=$(n_captures)
	tcpdump -r - -e -nn <"$fifo" >"$CAPS/pipe.txt" 2>"$CAPS/pipe.tcpdump.err" &
	tpid=$!
	KV_PIDS+=("$tpid")
	"$KVNET" --socket "$KV_SOCK" capture a10 -c 2 -w - >"$fifo" 2>"$CAPS/pipe.err" &
	kpid=$!
	KV_PIDS+=("$kpid")
	kv_poll_eq "capture into the pipe running" $((before + 1)) n_captures
	kv_send "$TK" tr --src $MACT --vlan 10 --tag p1
	kv_send "$TK" tr --src $MACT --vlan 10 --tag p2
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv_is_child "$tpid" || kv_is_child "$kpid" || break
		sleep 0.1
	done
	wait "$kpid" || kv_fail "kvnet capture -w - exited non-zero: $(cat "$CAPS/pipe.err")"
	wait "$tpid" || kv_fail "tcpdump -r - exited non-zero: $(cat "$CAPS/pipe.tcpdump.err")"
	kv_forget "$kpid"
	kv_forget "$tpid"
	kv_check_eq "frames tcpdump read from the pipe" 2 "$(grep -cE '^[0-9]{2}:' "$CAPS/pipe.txt")"
	kv_check_eq "of them, a10's untagged copies of the trunk's" 2 \
		"$(grep -cE "^[0-9:.]+ $MACT > ff:ff:ff:ff:ff:ff, ethertype Unknown" "$CAPS/pipe.txt")"
	log_test "capture -w - piped into tcpdump -r -"
}

# a reader that never reads: kvnet capture blocks on a full pipe, kvnetd's copies queue in
# its socket until it is full, then each further one is dropped and counted
slow_reader() {
	local before fifo=$CAPS/slow.fifo spid kpid id
	mkfifo "$fifo"
	before=$(n_captures)
	# the fifo's reader that never reads
	# shellcheck disable=SC2217
	sleep 600 <"$fifo" &
	spid=$!
	KV_PIDS+=("$spid")
	"$KVNET" --socket "$KV_SOCK" capture dv -w - >"$fifo" 2>"$CAPS/slow.err" &
	kpid=$!
	KV_PIDS+=("$kpid")
	kv_poll_eq "capture with a stuck reader running" $((before + 1)) n_captures
	id=$(kv_q '[c["id"] for c in d["captures"] if c["port"] == "dv"][0]' capture-list)
	ip netns exec "$H10" ping -q -f -c 20000 -s 1400 192.0.2.11 >"$CAPS/flood.txt" 2>&1 ||
		kv_fail "flood ping through dv: $(cat "$CAPS/flood.txt")"
	kv_poll_ge "dropped copies of the stuck capture" 1 \
		kv_q "[c[\"dropped\"] for c in d[\"captures\"] if c[\"id\"] == $id][0]" capture-list
	kv_check_ok "ping still answered through dv" kv_ping "$H10" 192.0.2.11 3
	# the reader goes: kvnet capture ends, and so does kvnetd's side
	kill -TERM "$spid"
	wait "$spid" 2>/dev/null
	kv_forget "$spid"
	capture_end_pid "$kpid" "kvnet capture, once its reader went"
	kv_poll_eq "the capture ended in kvnetd" "$before" n_captures
	log_test "a reader that stops reading: forwarding goes on, its copies are dropped and counted"
}

interrupted() {
	local before pid
	before=$(n_captures)
	capture_bg intr tr
	kv_send "$H10" a10 --src $MAC10 --tag c1
	kv_poll_ge "frames of the running capture" 1 \
		kv_q '[c["captured"] for c in d["captures"] if c["port"] == "tr"][0]' capture-list
	pid=$(eval echo "\$CAP_PID_intr")
	kill -INT "$pid"
	capture_end intr || kv_fail "kvnet capture exited non-zero after SIGINT: $(cat "$CAPS/intr.err")"
	check_lines "interrupted capture's file" intr 1 "^[0-9:.]+ $MAC10 > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q"
	kv_poll_eq "the capture ended in kvnetd" "$before" n_captures
	log_test "Ctrl-C ends a capture cleanly: exit 0, a whole pcap file, kvnetd's side ended"
}

errors_and_limits() {
	local i
	kv_check_run "unknown port" 1 "" "port 'nope' does not exist" \
		kv capture nope -w "$CAPS/x.pcap"
	[ ! -e "$CAPS/x.pcap" ] || kv_fail "a refused capture left a file behind"
	kv_check_run "-c 0" 2 "" "-c '0' is not a number in 1\.\." kv capture a10 -c 0 -w "$CAPS/x.pcap"
	kv_check_run "-c abc" 2 "" "-c 'abc' is not a number" kv capture a10 -c abc -w "$CAPS/x.pcap"
	kv_check_run "bad direction" 2 "" "direction 'sideways' is not known \(expected both, in or out\)" \
		kv capture a10 --direction sideways -w "$CAPS/x.pcap"
	kv_check_run "no port" 2 "" "which port" kv capture -w "$CAPS/x.pcap"
	kv_check_run "protocol: bad direction" 1 "" "direction 'up' is not known" \
		"$KV_PY" -c "
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect('$KV_SOCK')
s.sendall(b'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"capture.start\",\"params\":{\"port\":\"a10\",\"direction\":\"up\"}}\n')
a = json.loads(s.makefile().readline())
print(a['error']['message'], file=sys.stderr); sys.exit(1 if 'error' in a else 0)"
	for i in 1 2 3 4; do
		capture_bg lim$i a10
	done
	kv_check_run "a fifth capture on a10" 1 "" "port a10: already 4 captures running" \
		kv capture a10 -w "$CAPS/x.pcap"
	for i in 1 2 3 4; do
		kill -TERM "$(eval echo "\$CAP_PID_lim$i")"
		capture_end lim$i || kv_fail "capture lim$i exited non-zero after SIGTERM"
	done
	kv_poll_eq "the four captures ended in kvnetd" 0 n_captures
	# a capture ends with its port: the reader reads to the end of the file, exit 0
	kv_check_ok "port add br0 gone" kv port add br0 gone
	capture_bg gone gone
	kv_check_ok "port del gone" kv port del gone
	capture_end gone || kv_fail "capture of a removed port exited non-zero: $(cat "$CAPS/gone.err")"
	kv_check_eq "captures after its port went" 0 "$(n_captures)"
	kv_check_ok "kvnetd still answers" kv version
	log_test "capture: bad port, -c, direction refused; 4 a port at most; ends with its port"
}

kv_require
command -v tcpdump >/dev/null || kv_skip "tcpdump is not installed (scripts/install-deps.sh)"
setup
tests_run
kv_exit
