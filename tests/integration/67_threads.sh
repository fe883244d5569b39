#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 67_threads.sh - kvnetd --threads 2: ports spread over two datapath threads that forward
# through one bridge at once, its FDB shared, while the control side changes the bridge
#
#   h1 [t1 .1] --\                                   /-- [t3 .3] h3
#                 kvnetd --threads 2 (ns sw): br0 (VLAN filtering)
#   h2 [t2 .2] --/   t1, t2, v5 access VLAN 10       \-- [t4 .4] h4
#   h5 [e5 .5] ------ veth ------ v5 (dev:)           t3, t4 access VLAN 20
# The ports are given to the thread with the fewest: br0's host port and t2, t4 to thread 0,
# t1, t3, v5 to thread 1, so h1 to h2 and h3 to h4 each cross from one thread to the other.
# Each tap has two queues, one a thread: the kernel spreads the flows h1 sends over t1's two;
# v5 has two AF_PACKET sockets in a fanout group, which spread h5's flows alike.

ALL_TESTS="ports_spread ping_across_threads vlans_apart tap_queues_spread dev_fanout_spread \
dev_reattached dev_down_at_attach two_streams_at_once fdb_shared bad_thread_counts"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	H4=$(kv_ns h4)
	kv_ns_add "$SW" "$H1" "$H2" "$H3" "$H4"
	kvnetd_start "$SW" --threads 2 || kv_setup_fail "kvnetd --threads 2 did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 t1 "$H1" 02:00:00:67:00:01 192.0.2.1/24
	kv_tap_host br0 t2 "$H2" 02:00:00:67:00:02 192.0.2.2/24
	kv_tap_host br0 t3 "$H3" 02:00:00:67:00:03 192.0.2.3/24
	kv_tap_host br0 t4 "$H4" 02:00:00:67:00:04 192.0.2.4/24
	H5=$(kv_ns h5)
	kv_ns_add "$H5"
	kv_veth "$SW" v5 "$H5" e5
	ip -n "$H5" addr add 192.0.2.5/24 dev e5 || kv_setup_fail "address on e5"
	kv port add br0 dev:v5 >/dev/null || kv_setup_fail "port add br0 dev:v5"
	kv_access v5 10
	kv_access t1 10
	kv_access t2 10
	kv_access t3 20
	kv_access t4 20
}

ports_spread() {
	kv_check_ok "kvnetd logs its 2 forwarding threads" \
		grep -q "datapath: 2 forwarding threads" "$KV_LOG"
	kv_check_eq "port t1's thread" 1 "$(kv_port_field t1 thread)"
	kv_check_eq "port t2's thread" 0 "$(kv_port_field t2 thread)"
	kv_check_eq "port t3's thread" 1 "$(kv_port_field t3 thread)"
	kv_check_eq "port t4's thread" 0 "$(kv_port_field t4 thread)"
	kv_check_eq "t1's tap queues: read by threads" "1 0" "$(queue_threads t1)"
	kv_check_eq "the threads' names" "kvnet-dp0 kvnet-dp1" \
		"$(cat /proc/"$KVNETD_PID"/task/*/comm | grep '^kvnet-dp' | sort | xargs)"
	log_test "ports are spread over the two threads, the fewest ports first"
}

ping_across_threads() {
	kv_check_ok "h1 pings h2 (thread 1 to thread 0)" kv_ping "$H1" 192.0.2.2 3
	kv_check_ok "h2 pings h1 (thread 0 to thread 1)" kv_ping "$H2" 192.0.2.1 3
	kv_check_ok "h3 pings h4" kv_ping "$H3" 192.0.2.4 3
	kv_check_ok "h4 pings h3" kv_ping "$H4" 192.0.2.3 3
	log_test "frames cross from one thread's port to the other's, both ways"
}

vlans_apart() {
	kv_check_ok "h1 (VLAN 10) gets no answer from h3 (VLAN 20)" kv_ping_fails "$H1" 192.0.2.3
	kv_check_ok "h4 (VLAN 20) gets no answer from h2 (VLAN 10)" kv_ping_fails "$H4" 192.0.2.2
	log_test "VLANs stay apart across threads"
}

# the threads that read PORT's queues, its own first, in port show
queue_threads() {
	kv_q "\" \".join(str(q[\"thread\"]) for p in d[\"ports\"] if p[\"name\"] == \"$1\"
		for q in p[\"queues\"])" port show
}

# rx_frames of PORT's queue N (0: its own) in port show
queue_rx() {
	kv_q "[p for p in d[\"ports\"] if p[\"name\"] == \"$1\"][0][\"queues\"][$2][\"rx_frames\"]" \
		port show
}

queue_rx_sum() {
	kv_q "sum(q[\"rx_frames\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\"
		for q in p[\"queues\"])" port show
}

# 64 UDP flows (source ports 20000-20063) from NS's ADDR to DST, 4 datagrams each
udp_flows() {
	ip netns exec "$1" "$KV_PY" -c '
import socket, sys
for sport in range(20000, 20064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], sport))
    for _ in range(4):
        s.sendto(b"kvnet67", (sys.argv[2], 9))
    s.close()
' "$2" "$3"
}

# PORT's flows from NS (ADDR, to DST) are read through both of its queues: the kernel hashes
# each of the 64 flows to one of them, so both see some (all 64 on one: 1 in 2^63)
check_queues_spread() {
	local port=$1 q0 q1
	q0=$(queue_rx "$port" 0)
	q1=$(queue_rx "$port" 1)
	udp_flows "$2" "$3" "$4" || kv_fail "$2 could not send its UDP flows"
	kv_poll_ge "$port's first queue (thread 1) read frames" $((q0 + 1)) queue_rx "$port" 0
	kv_poll_ge "$port's second queue (thread 0) read frames" $((q1 + 1)) queue_rx "$port" 1
	kv_poll_ge "$port's two queues read all 256 datagrams" $((q0 + q1 + 256)) \
		queue_rx_sum "$port"
}

tap_queues_spread() {
	check_queues_spread t1 "$H1" 192.0.2.1 192.0.2.2
	log_test "a tap's flows are read by both threads, through its two queues"
}

# v5's two sockets are read by both threads, spread h5's flows, and carry its pings
check_dev_queues() {
	kv_check_eq "v5's sockets$1: read by threads" "1 0" "$(queue_threads v5)"
	check_queues_spread v5 "$H5" 192.0.2.5 192.0.2.2
	kv_check_ok "h5 pings h2 through the dev port$1" kv_ping "$H5" 192.0.2.2 3
}

dev_fanout_spread() {
	check_dev_queues ""
	log_test "a dev port's flows are read by both threads, through a fanout group"
}

# v5's veth goes and comes back: the port takes the new one with both of its sockets again
dev_reattached() {
	ip -n "$SW" link del v5
	kv_poll_eq "v5's link once its veth is deleted" down kv_port_field v5 link
	kv_veth "$SW" v5 "$H5" e5
	ip -n "$H5" addr add 192.0.2.5/24 dev e5
	kv_poll_eq "v5's link once a veth of its name is back" up kv_port_field v5 link
	kv_poll_log "kvnetd says it attached v5 again" "port v5: interface v5 .*attached again"
	check_dev_queues " on the new veth"
	log_test "a dev port whose veth is made again reads it through both threads again"
}

# an interface that is down when it is attached gets its fanout group all the same, as with
# one thread it gets its socket, and its link follows once it is up
dev_down_at_attach() {
	kv_veth "$SW" v6 "$H5" e6
	ip -n "$SW" link set v6 down
	kv_check_run "port add br0 dev:v6 (down)" 0 "" "" kv port add br0 dev:v6
	kv_check_eq "v6's sockets: read by threads" "0 1" "$(queue_threads v6)"
	kv_check_eq "v6's link while it is down" down "$(kv_port_field v6 link)"
	ip -n "$SW" link set v6 up
	kv_poll_eq "v6's link once it is up" up kv_port_field v6 link
	kv_check_run "port del v6" 0 "" "" kv port del v6
	ip -n "$SW" link del v6
	log_test "a dev port on an interface that is down is attached with its fanout group"
}

# iperf3 server in NS on ADDR:PORT, once; its PID in SRV_PID
iperf_server() {
	local i
	ip netns exec "$1" iperf3 -1 -s -B "$2" -p "$3" >"$KV_TMP/iperf3-s-$3.log" 2>&1 &
	SRV_PID=$!
	KV_PIDS+=("$SRV_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		ip netns exec "$1" ss -ltnH "sport = :$3" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	kv_fail "iperf3 server on $2:$3 in $1 did not listen: $(cat "$KV_TMP/iperf3-s-$3.log")"
	return 1
}

# Two TCP transfers at once, h1 to h2 and h3 to h4, each through both threads (its data read
# by thread 1, its ACKs by thread 0), while the control thread adds and removes a port and
# reads the FDB and the counters: every request stops both threads and lets them go again.
two_streams_at_once() {
	local c1 c2 rc1 rc2 n=0 before
	before=$(kv_stat br0 t2 tx_frames)
	iperf_server "$H2" 192.0.2.2 5201 || return
	iperf_server "$H4" 192.0.2.4 5202 || return
	timeout -k 2 120 ip netns exec "$H1" iperf3 -c 192.0.2.2 -p 5201 -n 48M \
		>"$KV_TMP/iperf3-c1.log" 2>&1 &
	c1=$!
	KV_PIDS+=("$c1")
	timeout -k 2 120 ip netns exec "$H3" iperf3 -c 192.0.2.4 -p 5202 -n 48M \
		>"$KV_TMP/iperf3-c2.log" 2>&1 &
	c2=$!
	KV_PIDS+=("$c2")
	while kill -0 "$c1" 2>/dev/null || kill -0 "$c2" 2>/dev/null; do
		kv port add br0 tx >/dev/null 2>&1 || kv_fail "port add br0 tx during the transfers"
		kv fdb show br0 >/dev/null 2>&1 || kv_fail "fdb show br0 during the transfers"
		kv stats show br0 >/dev/null 2>&1 || kv_fail "stats show br0 during the transfers"
		kv port del tx >/dev/null 2>&1 || kv_fail "port del tx during the transfers"
		n=$((n + 1))
	done
	wait "$c1"
	rc1=$?
	wait "$c2"
	rc2=$?
	kv_forget "$c1"
	kv_forget "$c2"
	kv_check_eq "iperf3 h1 to h2 (48 MB) exits 0: $(tail -n 3 "$KV_TMP/iperf3-c1.log")" 0 "$rc1"
	kv_check_eq "iperf3 h3 to h4 (48 MB) exits 0: $(tail -n 3 "$KV_TMP/iperf3-c2.log")" 0 "$rc2"
	kv_check_ok "the control side changed the bridge during the transfers ($n rounds)" \
		test "$n" -gt 0
	kv_check_ok "t2 sent frames" test "$(kv_stat br0 t2 tx_frames)" -gt "$before"
	kv_check_eq "t1 rx_errors" 0 "$(kv_stat br0 t1 rx_errors)"
	kv_check_eq "t3 rx_errors" 0 "$(kv_stat br0 t3 rx_errors)"
	kv_check_ok "kvnetd is still there" kill -0 "$KVNETD_PID"
	log_test "two TCP transfers through one bridge on two threads, with the bridge changed meanwhile"
}

fdb_shared() {
	kv_check_eq "fdb: h1's MAC on t1 (learned by thread 1)" t1 \
		"$(kv_fdb_port br0 02:00:00:67:00:01 10)"
	kv_check_eq "fdb: h2's MAC on t2 (learned by thread 0)" t2 \
		"$(kv_fdb_port br0 02:00:00:67:00:02 10)"
	kv_check_eq "fdb: h3's MAC on t3" t3 "$(kv_fdb_port br0 02:00:00:67:00:03 20)"
	kv_check_eq "fdb: h4's MAC on t4" t4 "$(kv_fdb_port br0 02:00:00:67:00:04 20)"
	kv_check_eq "no address of the removed port tx is left" none \
		"$(kv_q '"none" if all(e["port"] != "tx" for e in d["entries"]) else "some"' fdb show br0)"
	log_test "the two threads learn into one FDB"
}

bad_thread_counts() {
	local bad
	for bad in 0 9 two -1 ""; do
		kv_check_run "kvnetd --threads '$bad' is refused" 2 '^$' \
			"--threads '$bad' is not a number of threads from 1 to 8" \
			"$KVNETD" --threads "$bad" --run-dir "$KV_TMP/no-run" --state-dir "$KV_TMP/no-state"
	done
	kv_check_fail "nothing was made for them" test -e "$KV_TMP/no-run"
	log_test "a thread count out of 1..8 is refused with a message"
}

kv_require
command -v iperf3 >/dev/null || kv_skip "iperf3 is not installed"
setup
tests_run
kv_exit
