#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 23_af_packet.sh - a veth end attached with `port add br0 dev:vsw` behaves like a tap port
#
#   pe  [vpeer 02:00:00:23:00:01 192.0.2.1] ==veth== [vsw] dev port: VLAN 1 untagged PVID,
#                                                          VLAN 10 tagged      ---\
#   h1  [t1  02:00:00:23:00:02 192.0.2.2]   tap, VLAN 1 untagged PVID          ---- kvnetd (ns sw)
#   tk  [tt  02:00:00:23:00:03]             tap trunk, VLAN 10 tagged          ----   br0
#   h10 [a10 02:00:00:23:00:10]             tap access, VLAN 10                ---/
#
#   pe2 [vpeer2 02:00:00:23:00:04 192.0.2.4] ==veth== [vsw2] dev port, VLAN 1
#
# The kernel takes the 802.1Q tag off a frame received on AF_PACKET and
# hands it over apart: kvnet must put it back, with its VID and PCP.
# TCP between pe and pe2 crosses two dev ports as TSO/GRO frames larger than
# a receive ring's slot: they must cross whole, with their offload metadata.

ALL_TESTS="dev_port_listed ping_through_dev fdb_on_dev tagged_from_dev tagged_to_dev
	non_member_vid_on_dev tso_between_dev_ports ring_tso"

source "$(dirname "$0")/lib.sh"

MACP=02:00:00:23:00:01
MAC1=02:00:00:23:00:02
MACT=02:00:00:23:00:03
MAC10=02:00:00:23:00:10
MACP2=02:00:00:23:00:04

setup() {
	SW=$(kv_ns sw)
	PE=$(kv_ns pe)
	H1=$(kv_ns h1)
	TK=$(kv_ns tk)
	H10=$(kv_ns h10)
	PE2=$(kv_ns pe2)
	kv_ns_add "$SW" "$PE" "$H1" "$TK" "$H10" "$PE2"
	kv_veth "$SW" vsw "$PE" vpeer
	kv_veth "$SW" vsw2 "$PE2" vpeer2
	ip -n "$PE2" link set vpeer2 address $MACP2
	ip -n "$PE2" addr add 192.0.2.4/24 dev vpeer2
	ip -n "$PE" link set vpeer address $MACP
	ip -n "$PE" addr add 192.0.2.1/24 dev vpeer
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv port add br0 dev:vsw || kv_setup_fail "port add br0 dev:vsw"
	kv port add br0 dev:vsw2 || kv_setup_fail "port add br0 dev:vsw2"
	kv vlan add vsw vid 10 || kv_setup_fail "vlan add vsw vid 10"
	kv_tap_host br0 t1 "$H1" "$MAC1" 192.0.2.2/24
	kv_tap_host br0 tt "$TK" "$MACT"
	kv vlan del tt vid 1 || kv_setup_fail "vlan del tt vid 1"
	kv vlan add tt vid 10 || kv_setup_fail "vlan add tt vid 10"
	kv_tap_host br0 a10 "$H10" "$MAC10"
	kv_access a10 10
}

dev_port_listed() {
	kv_check_eq "port show: vsw's type" dev \
		"$(kv_port_field vsw type)"
	kv_check_eq "port show: vsw's link" up \
		"$(kv_port_field vsw link)"
	kv_check_eq "vlan show vsw" "pvid 1: 1u 10t" "$(kv_vlans vsw)"
	log_test "port add br0 dev:vsw: port vsw, type dev, link up"
}

ping_through_dev() {
	kv_check_ok "pe pings h1 (veth to tap)" kv_ping "$PE" 192.0.2.2 3
	kv_check_ok "h1 pings pe (tap to veth)" kv_ping "$H1" 192.0.2.1 3
	log_test "ping between the veth peer and a tap host through the dev port"
}

fdb_on_dev() {
	kv_check_eq "fdb: pe's MAC in VLAN 1" vsw "$(kv_fdb_port br0 $MACP 1)"
	kv_check_eq "fdb: h1's MAC in VLAN 1" t1 "$(kv_fdb_port br0 $MAC1 1)"
	kv_check_ok "stats: vsw rx_frames > 0" test "$(kv_stat br0 vsw rx_frames)" -gt 0
	kv_check_ok "stats: vsw tx_frames > 0" test "$(kv_stat br0 vsw tx_frames)" -gt 0
	log_test "the FDB learns the veth peer's MAC on the dev port"
}

tagged_from_dev() {
	cap_start tr expect "$TK" tt --src $MACP --vlan 10 --pcp 5 --tag f10
	cap_start acc expect "$H10" a10 --src $MACP --untagged --tag f10
	cap_start h1 count "$H1" t1 --src $MACP --tag f10
	kv_send "$PE" vpeer --src $MACP --vlan 10 --pcp 5 --tag f10
	cap_check_seen "frame tagged 10 (PCP 5) from the veth peer arrives on trunk tt tagged 10, PCP 5" tr
	cap_check_seen "frame tagged 10 from the veth peer reaches access port a10 untagged" acc
	cap_check_count "frame tagged 10 from the veth peer at t1 (VLAN 1)" 0 h1
	kv_check_eq "fdb: pe's MAC in VLAN 10" vsw "$(kv_fdb_port br0 $MACP 10)"
	log_test "a tagged frame received through AF_PACKET keeps its tag (VID and PCP)"
}

tagged_to_dev() {
	cap_start fromtr expect "$PE" vpeer --src $MACT --vlan 10 --pcp 3 --tag t10
	kv_send "$TK" tt --src $MACT --vlan 10 --pcp 3 --tag t10
	cap_check_seen "frame tagged 10 (PCP 3) from trunk tt arrives at the veth peer tagged 10, PCP 3" fromtr
	cap_start fromacc expect "$PE" vpeer --src $MAC10 --vlan 10 --tag a10
	kv_send "$H10" a10 --src $MAC10 --tag a10
	cap_check_seen "untagged frame from access port a10 arrives at the veth peer tagged 10" fromacc
	cap_start fromh1 expect "$PE" vpeer --src $MAC1 --untagged --tag u1
	kv_send "$H1" t1 --src $MAC1 --tag u1
	cap_check_seen "frame from t1 (VLAN 1) arrives at the veth peer untagged" fromh1
	log_test "frames sent through AF_PACKET carry the tag of their VLAN"
}

non_member_vid_on_dev() {
	local before
	before=$(kv_stat br0 vsw drops.ingress-filter)
	cap_start h1 count "$H1" t1 --src $MACP --tag f30
	cap_start tr count "$TK" tt --src $MACP --tag f30
	kv_send "$PE" vpeer --src $MACP --vlan 30 --tag f30
	kv_poll_eq "stats: vsw ingress-filter after a frame tagged 30" $((before + 1)) \
		kv_stat br0 vsw drops.ingress-filter
	cap_check_count "frame tagged 30 from the veth peer at t1" 0 h1
	cap_check_count "frame tagged 30 from the veth peer at tt" 0 tr
	log_test "a frame tagged with a non-member VID on the dev port is dropped: ingress-filter"
}

# 8 MB of TCP from pe to pe2: the sender's veth hands AF_PACKET frames of up to 64 KiB (TSO),
# which go out of vsw2 whole with their virtio-net header. Had they been cut to a slot or
# dropped, TCP would stall; had kvnet segmented them, vsw would have read about one frame
# per 1448 bytes.
tso_between_dev_ports() {
	local f0 b0 f1 b1 pid i out
	f0=$(kv_stat br0 vsw rx_frames)
	b0=$(kv_stat br0 vsw rx_bytes)
	ip netns exec "$PE2" iperf3 -1 -s -B 192.0.2.4 -p 5201 >"$KV_TMP/iperf3-s.log" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		ip netns exec "$PE2" ss -ltnH "sport = :5201" 2>/dev/null | grep -q . && break
		sleep 0.1
	done
	if ! out=$(timeout -k 2 60 ip netns exec "$PE" iperf3 -c 192.0.2.4 -p 5201 -n 8M 2>&1); then
		kv_fail "iperf3 pe to pe2 through two dev ports failed: $out"
		log_test "TCP through two dev ports${RING:-}: TSO frames of up to 64 KiB cross whole"
		return
	fi
	f1=$(kv_stat br0 vsw rx_frames)
	b1=$(kv_stat br0 vsw rx_bytes)
	kv_check_ok "vsw read frames larger than the MTU: $((b1 - b0)) bytes in $((f1 - f0)) frames" \
		test $(((b1 - b0) / (f1 - f0 > 0 ? f1 - f0 : 1))) -gt 1514
	kv_check_eq "stats: vsw rx_errors" 0 "$(kv_stat br0 vsw rx_errors)"
	log_test "TCP through two dev ports${RING:-}: TSO frames of up to 64 KiB cross whole"
}

# the same with the receive ring (KVNET_AF_PACKET_RING=1, off by default), kvnetd restarted:
# the dev ports come back from the store, and read through their rings
ring_tso() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	if ! KVNET_AF_PACKET_RING=1 kvnetd_start "$SW"; then
		kv_fail "kvnetd did not start with KVNET_AF_PACKET_RING=1"
		log_test "TCP through two dev ports with the receive ring"
		return
	fi
	kv_check_fail "no port fell back to recvmmsg" grep -q "no receive ring" "$KV_LOG"
	RING=" with the receive ring" tso_between_dev_ports
}

kv_require
setup
tests_run
kv_exit
