#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 86_events.sh - kvnet monitor sees bridges, ports, links, STP and networks change; a
# subscriber that does not read blocks no one and is told what it lost
#
#   pe [vpeer] ==veth== [vsw] dev port --- kvnetd (ns sw), br0
#   kvnet monitor --json > events.json (a subscriber that reads)
#   a Python subscriber to fdb events that reads nothing until told to
#
# Contract (docs/protocol.md, events.subscribe; docs/cli.md, monitor): after subscribing,
# the connection receives one "event" notification per event of its categories; its unread
# notifications are bounded, the rest dropped and reported in an events.lost notification;
# the datapath and the other clients never wait for it.

ALL_TESTS="monitor_sees_changes slow_subscriber"

source "$(dirname "$0")/lib.sh"

setup() {
	local i
	SW=$(kv_ns sw)
	PE=$(kv_ns pe)
	kv_ns_add "$SW" "$PE"
	kv_veth "$SW" vsw "$PE" vpeer
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	EVENTS=$KV_TMP/events.json
	# not through kv: a monitor runs until it is ended, past any timeout
	"$KVNET" --socket "$KV_SOCK" --json monitor >"$EVENTS" 2>"$KV_TMP/monitor.err" &
	MONITOR=$!
	KV_PIDS+=("$MONITOR")
	# the subscription is in place once the monitor sees an event: bridges until it does
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		kv bridge add "probe$i" || kv_setup_fail "bridge add probe$i"
		grep -q '"bridge.added"' "$EVENTS" && break
		kill -0 "$MONITOR" 2>/dev/null || break
		sleep 0.2
	done
	grep -q '"bridge.added"' "$EVENTS" ||
		kv_setup_fail "kvnet monitor saw nothing: $(cat "$KV_TMP/monitor.err")"
}

# expect_event WHAT REGEX - a line of the monitor's output matches REGEX
expect_event() {
	kv_wait_grep "$EVENTS" "$2" || kv_fail "$1: no event matching /$2/ in: $(tail -n 5 "$EVENTS")"
}

monitor_sees_changes() {
	local xml=$KV_TMP/n84.xml
	kv bridge add br0 || kv_fail "bridge add br0"
	expect_event "bridge add" '"event":"bridge.added".*"bridge":"br0"'
	kv port add br0 dev:vsw || kv_fail "port add br0 dev:vsw"
	expect_event "port add" '"event":"port.added".*"bridge":"br0".*"port":"vsw"'
	kv stp br0 on || kv_fail "stp br0 on"
	expect_event "stp on" '"event":"stp.state".*"port":"vsw".*"state":"(listening|blocking|discarding|learning|forwarding)"'
	ip -n "$PE" link del vpeer
	expect_event "veth peer deleted" '"event":"port.down".*"port":"vsw"'
	kv port del vsw || kv_fail "port del vsw"
	expect_event "port del" '"event":"port.removed".*"port":"vsw"'
	printf "<network>\n  <name>n84</name>\n  <bridge name='kb84'/>\n</network>\n" >"$xml"
	kv net-define "$xml" >/dev/null || kv_fail "net-define n84"
	expect_event "net-define" '"event":"network.defined".*"network":"n84"'
	kv net-start n84 >/dev/null || kv_fail "net-start n84"
	expect_event "net-start" '"event":"network.started".*"network":"n84".*"bridge":"kb84"|"event":"network.started".*"bridge":"kb84".*"network":"n84"'
	kv net-destroy n84 >/dev/null || kv_fail "net-destroy n84"
	expect_event "net-destroy" '"event":"network.stopped".*"network":"n84"'
	kv net-undefine n84 >/dev/null || kv_fail "net-undefine n84"
	expect_event "net-undefine" '"event":"network.undefined".*"network":"n84"'
	kv bridge del br0 || kv_fail "bridge del br0"
	expect_event "bridge del" '"event":"bridge.removed".*"bridge":"br0"'
	kv_check_eq "fdb events without asking for them" "" "$(grep '"fdb\.' "$EVENTS")"
	kv_check_ok "the monitor still runs" kill -0 "$MONITOR"
	log_test "kvnet monitor --json: bridge, port, link, stp and network events"
}

# A subscriber to FDB events that reads nothing while thousands of addresses are learned:
# kvnetd answers others meanwhile, and the subscriber, once it reads, is told of its losses.
slow_subscriber() {
	local sub out n
	kv_veth "$SW" vsw2 "$PE" vpeer2
	kv bridge add br1 || kv_fail "bridge add br1"
	kv port add br1 dev:vsw2 || kv_fail "port add br1 dev:vsw2"
	"$KV_PY" - "$KV_SOCK" "$KV_TMP/sub.ready" "$KV_TMP/sub.go" >"$KV_TMP/sub.out" 2>&1 <<-'EOF' &
		import json, os, socket, sys, time
		sock, ready, go = sys.argv[1:4]
		s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		s.connect(sock)
		s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"filter":["fdb"]}}\n')
		buf = b""
		while b"\n" not in buf:
		    buf += s.recv(4096)
		print("answer", buf.split(b"\n")[0].decode())
		buf = buf.split(b"\n", 1)[1]
		open(ready, "w").close()
		while not os.path.exists(go):
		    time.sleep(0.1)
		s.settimeout(3)
		try:
		    while True:
		        d = s.recv(65536)
		        if not d:
		            break
		        buf += d
		except socket.timeout:
		    pass
		learned = lost = 0
		for line in buf.split(b"\n"):
		    if not line:
		        continue
		    p = json.loads(line)["params"]
		    if p["event"] == "fdb.learned":
		        learned += 1
		    elif p["event"] == "events.lost":
		        lost += p["count"]
		print("learned", learned, "lost", lost)
	EOF
	sub=$!
	KV_PIDS+=("$sub")
	kv_wait_file "$KV_TMP/sub.ready" "$sub" || kv_fail "the subscriber did not subscribe: $(cat "$KV_TMP/sub.out")"
	# 6000 stations, one frame each: about 700 KiB of notifications, far past what a
	# subscriber may leave unread (64 KiB) plus its socket's buffer
	ip netns exec "$PE" "$KV_PY" - vpeer2 6000 <<-'EOF' || kv_fail "sending frames from pe failed"
		import socket, struct, sys
		s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
		s.bind((sys.argv[1], 0))
		for i in range(int(sys.argv[2])):
		    src = bytes([0x02, 0x84, 0, (i >> 16) & 255, (i >> 8) & 255, i & 255])
		    s.send(b"\xff" * 6 + src + struct.pack("!H", 0x88b5) + b"KVNET 84".ljust(46, b"."))
	EOF
	kv_poll_ge "stations learned on br1" 5000 \
		kv_q 'sum(1 for e in d["entries"] if e["port"] == "vsw2")' fdb show br1
	kv_check_ok "another client is answered while the subscriber reads nothing" kv version
	kv_check_ok "the monitor still runs" kill -0 "$MONITOR"
	touch "$KV_TMP/sub.go"
	wait "$sub"
	kv_forget "$sub"
	out=$(cat "$KV_TMP/sub.out")
	echo "NOTE: slow subscriber: ${out##*$'\n'}"
	n=$(sed -n 's/^learned \([0-9]*\) lost \([0-9]*\)$/\2/p' <<<"$out")
	[ -n "$n" ] && [ "$n" -gt 0 ] ||
		kv_fail "the slow subscriber was not told of lost events: $out"
	n=$(sed -n 's/^learned \([0-9]*\) lost.*/\1/p' <<<"$out")
	[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 6000 ] ||
		kv_fail "the slow subscriber got $n fdb.learned events, expected some but not all: $out"
	# every station is heard of or counted lost: none is lost without a word
	n=$(sed -n 's/^learned \([0-9]*\) lost \([0-9]*\)$/\1 + \2/p' <<<"$out")
	[ -n "$n" ] && [ "$((n))" -ge 5000 ] ||
		kv_fail "fdb.learned events and events.lost counts add up to ${n:-nothing}, expected 5000 or more: $out"
	log_test "a subscriber that does not read blocks no one, and hears how many it lost"
}

kv_require
setup
tests_run
kv_exit
