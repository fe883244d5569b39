#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 27_link_gone.sh - a port whose interface goes down or away goes down, its learned
# entries are flushed, and the daemon and the other ports carry on
#
#   pe  [vpeer 02:00:00:27:00:01 192.0.2.1] ==veth== [vsw] dev port ---\
#   h1  [t1    02:00:00:27:00:02 192.0.2.2]  tap                  ---- kvnetd (ns sw)
#   h2  [t2    02:00:00:27:00:03 192.0.2.3]  tap                  ----   br0
#   h3  [t3    02:00:00:27:00:04 192.0.2.4]  tap, namespace deleted ---/
#       [tq27, a tap in sw held as QEMU holds one]  dev port, the tap deleted

ALL_TESTS="dev_link_down_and_up dev_deleted dev_tap_deleted tap_namespace_deleted"

source "$(dirname "$0")/lib.sh"
kv_require

MACP=02:00:00:27:00:01
MAC1=02:00:00:27:00:02
MAC2=02:00:00:27:00:03
MAC3=02:00:00:27:00:04

setup() {
	SW=$(kv_ns sw)
	PE=$(kv_ns pe)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	kv_ns_add "$SW" "$PE" "$H1" "$H2" "$H3"
	kv_veth "$SW" vsw "$PE" vpeer
	ip -n "$PE" link set vpeer address $MACP
	ip -n "$PE" addr add 192.0.2.1/24 dev vpeer
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv port add br0 dev:vsw || kv_setup_fail "port add br0 dev:vsw"
	kv_tap_host br0 t1 "$H1" "$MAC1" 192.0.2.2/24
	kv_tap_host br0 t2 "$H2" "$MAC2" 192.0.2.3/24
	kv_tap_host br0 t3 "$H3" "$MAC3" 192.0.2.4/24
}

# the ports still up forward: h1 and h2 ping each other
others_forward() {
	kv_check_ok "h1 pings h2 afterwards" kv_ping "$H1" 192.0.2.3 2
}

dev_link_down_and_up() {
	kv_check_ok "pe pings h1" kv_ping "$PE" 192.0.2.2 2
	kv_check_eq "fdb: pe's MAC learned on vsw" vsw "$(kv_fdb_port br0 $MACP 1)"
	ip -n "$SW" link set vsw down
	kv_poll_eq "port show: vsw's link after ip link set vsw down" down kv_port_field vsw link
	kv_check_eq "port show: vsw's state" disabled "$(kv_port_field vsw state)"
	kv_check_eq "fdb: pe's MAC flushed" none "$(kv_fdb_port br0 $MACP 1)"
	others_forward
	ip -n "$SW" link set vsw up
	kv_poll_eq "port show: vsw's link after ip link set vsw up" up kv_port_field vsw link
	kv_check_eq "port show: vsw's state" forwarding "$(kv_port_field vsw state)"
	kv_check_ok "pe pings h1 again" kv_ping "$PE" 192.0.2.2 2
	log_test "an attached interface set down takes its port down and flushes it; up brings it back"
}

dev_deleted() {
	kv_check_ok "pe pings h1" kv_ping "$PE" 192.0.2.2 2
	ip -n "$SW" link del vsw
	kv_poll_eq "port show: vsw's link after ip link del vsw" down kv_port_field vsw link
	kv_hold_eq "port show: vsw's link over the next ticks" down 3 kv_port_field vsw link
	kv_check_eq "fdb: pe's MAC flushed" none "$(kv_fdb_port br0 $MACP 1)"
	others_forward
	kv_check_ok "port del vsw" kv port del vsw
	kv_check_eq "port show: vsw gone" "no port vsw" "$(kv_port_field vsw link)"
	log_test "an attached interface deleted: port down, entries flushed, port deletable"
}

# hold_tap NAME - open tap NAME in kvnetd's namespace as QEMU does, until killed
hold_tap() {
	ip netns exec "$SW" "$KV_PY" -c '
import fcntl, struct, sys, time
fd = open("/dev/net/tun", "r+b", buffering=0)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(600)
' "$1" &
	TAP_HOLDER=$!
	KV_PIDS+=("$TAP_HOLDER")
}

# the tap QEMU (or libvirt) made is deleted under a dev port: the port goes down for good
dev_tap_deleted() {
	ip -n "$SW" tuntap add mode tap name tq27 || kv_setup_fail "tap tq27 in $SW"
	ip -n "$SW" link set tq27 up
	kv_check_ok "port add br0 dev:tq27" kv port add br0 dev:tq27
	kv_check_eq "port show: tq27 without a holder has no carrier" down \
		"$(kv_port_field tq27 link)"
	hold_tap tq27
	kv_poll_eq "port show: tq27's link while held" up kv_port_field tq27 link
	ip -n "$SW" link del tq27
	kv_poll_eq "port show: tq27's link after ip link del tq27" down kv_port_field tq27 link
	kv_hold_eq "port show: tq27's link over the next ticks" down 3 kv_port_field tq27 link
	kv_check_eq "port show: tq27's state" disabled "$(kv_port_field tq27 state)"
	kill "$TAP_HOLDER"
	wait "$TAP_HOLDER" 2>/dev/null
	kv_forget "$TAP_HOLDER"
	others_forward
	kv_check_ok "port del tq27" kv port del tq27
	log_test "a tap deleted under its dev port: down, and stays down"
}

tap_namespace_deleted() {
	kv_check_ok "h3 pings h1" kv_ping "$H3" 192.0.2.2 2
	kv_check_eq "fdb: h3's MAC learned on t3" t3 "$(kv_fdb_port br0 $MAC3 1)"
	# the tap dies with its namespace; it must not come back into any other
	ip netns del "$H3"
	kv_poll_eq "port show: t3's link after its namespace was deleted" down \
		kv_port_field t3 link
	kv_check_eq "fdb: h3's MAC flushed" none "$(kv_fdb_port br0 $MAC3 1)"
	kv_check_fail "no t3 in kvnetd's namespace" ip -n "$SW" link show t3
	kv_check_fail "no t3 in this namespace" ip link show t3
	others_forward
	kv_check_ok "port del t3" kv port del t3
	log_test "a tap whose namespace is deleted: port down, entries flushed, nothing left"
}

setup
tests_run
kv_exit
