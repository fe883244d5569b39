#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 22_trunk.sh - a trunk tap carries tagged frames to and from access ports; native VLAN forms
#
#   tk  [tr  02:00:00:22:00:01]              trunk: VLAN 10, 20 tagged ---\
#   h10 [a10 02:00:00:22:00:10 192.0.2.10]   access VLAN 10             ---- kvnetd (ns sw): br0
#   h20 [a20 02:00:00:22:00:20 192.0.2.20]   access VLAN 20             ---/
#
# The trunk side has no 802.1Q in its kernel: its frames are written and
# read raw with frames.py. Replies are the access hosts' own (ARP replies
# from their kernels, and raw frames).

ALL_TESTS="trunk_membership tagged_to_access non_member_vid untagged_without_pvid
	replies_tagged native_untagged native_tagged"

source "$(dirname "$0")/lib.sh"

MACT=02:00:00:22:00:01
MAC10=02:00:00:22:00:10
MAC20=02:00:00:22:00:20

setup() {
	SW=$(kv_ns sw)
	TK=$(kv_ns tk)
	H10=$(kv_ns h10)
	H20=$(kv_ns h20)
	kv_ns_add "$SW" "$TK" "$H10" "$H20"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 tr "$TK" "$MACT"
	kv_tap_host br0 a10 "$H10" "$MAC10" 192.0.2.10/24
	kv_tap_host br0 a20 "$H20" "$MAC20" 192.0.2.20/24
	kv_access a10 10
	kv_access a20 20
	kv vlan del tr vid 1 || kv_setup_fail "vlan del tr vid 1"
	kv vlan add tr vid 10 || kv_setup_fail "vlan add tr vid 10"
	kv vlan add tr vid 20 || kv_setup_fail "vlan add tr vid 20"
}

trunk_membership() {
	kv_check_eq "vlan show tr" "pvid none: 10t 20t" "$(kv_vlans tr)"
	kv_check_eq "vlan show a10" "pvid 10: 10u" "$(kv_vlans a10)"
	kv_check_eq "vlan show a20" "pvid 20: 20u" "$(kv_vlans a20)"
	log_test "trunk tr: tagged member of VLANs 10 and 20, no PVID"
}

tagged_to_access() {
	local v other
	for v in 10 20; do
		other=$((30 - v))
		cap_start in$v expect "$(kv_ns h$v)" a$v --src $MACT --untagged --tag bc$v
		cap_start out$v count "$(kv_ns h$other)" a$other --src $MACT --tag bc$v
		kv_send "$TK" tr --src $MACT --vlan $v --tag bc$v
		cap_check_seen "broadcast tagged $v from the trunk reaches a$v untagged" in$v
		cap_check_count "broadcast tagged $v from the trunk at a$other" 0 out$v
	done
	kv_check_eq "fdb: trunk MAC learned in VLAN 10 on tr" tr "$(kv_fdb_port br0 $MACT 10)"
	kv_check_eq "fdb: trunk MAC learned in VLAN 20 on tr" tr "$(kv_fdb_port br0 $MACT 20)"
	# unicast to a10's MAC, not yet learned: flooded in VLAN 10 only
	cap_start in expect "$H10" a10 --src $MACT --dst $MAC10 --untagged --tag uc10
	cap_start out count "$H20" a20 --src $MACT --tag uc10
	kv_send "$TK" tr --src $MACT --dst $MAC10 --vlan 10 --tag uc10
	cap_check_seen "unicast tagged 10 to a10's MAC reaches a10 untagged" in
	cap_check_count "unicast tagged 10 to a10's MAC at a20" 0 out
	log_test "tagged frames from the trunk reach the access port of their VLAN, untagged"
}

non_member_vid() {
	local before
	before=$(kv_stat br0 tr drops.ingress-filter)
	cap_start c10 count "$H10" a10 --src $MACT --tag v30
	cap_start c20 count "$H20" a20 --src $MACT --tag v30
	kv_send "$TK" tr --src $MACT --vlan 30 --tag v30
	kv_poll_eq "stats: tr ingress-filter after a frame tagged 30" $((before + 1)) \
		kv_stat br0 tr drops.ingress-filter
	cap_check_count "frame tagged 30 at a10" 0 c10
	cap_check_count "frame tagged 30 at a20" 0 c20
	kv_check_eq "fdb: trunk MAC not learned in VLAN 30" none "$(kv_fdb_port br0 $MACT 30)"
	log_test "a frame tagged with a non-member VID (30) is dropped: ingress-filter"
}

untagged_without_pvid() {
	local before
	before=$(kv_stat br0 tr drops.no-pvid)
	cap_start c10 count "$H10" a10 --src $MACT --tag nopvid
	cap_start c20 count "$H20" a20 --src $MACT --tag nopvid
	kv_send "$TK" tr --src $MACT --tag nopvid
	kv_poll_eq "stats: tr no-pvid after an untagged frame" $((before + 1)) \
		kv_stat br0 tr drops.no-pvid
	cap_check_count "untagged frame from the trunk at a10" 0 c10
	cap_check_count "untagged frame from the trunk at a20" 0 c20
	log_test "an untagged frame on the trunk without PVID is dropped: no-pvid"
}

replies_tagged() {
	local v
	for v in 10 20; do
		# an ARP request for the access host, tagged; its kernel answers
		cap_start req$v expect "$(kv_ns h$v)" a$v --src $MACT --untagged --ethertype 0x0806
		cap_start rep$v expect "$TK" tr --src 02:00:00:22:00:$v --dst $MACT --vlan $v \
			--ethertype 0x0806
		kv_send "$TK" tr --src $MACT --vlan $v --arp-request 192.0.2.$v --arp-sender 192.0.2.99
		cap_check_seen "ARP request tagged $v reaches a$v untagged" req$v
		cap_check_seen "a$v's ARP reply reaches the trunk tagged $v" rep$v
		# and a raw frame from the access host to the trunk's MAC
		cap_start raw$v expect "$TK" tr --src 02:00:00:22:00:$v --dst $MACT --vlan $v --tag r$v
		kv_send "$(kv_ns h$v)" a$v --src 02:00:00:22:00:$v --dst $MACT --tag r$v
		cap_check_seen "frame from a$v to the trunk's MAC arrives tagged $v" raw$v
	done
	log_test "replies from the access ports come back on the trunk tagged with their VID"
}

native_untagged() {
	kv_check_ok "vlan add tr vid 10 pvid untagged" kv vlan add tr vid 10 pvid untagged
	kv_check_eq "vlan show tr" "pvid 10: 10u 20t" "$(kv_vlans tr)"
	cap_start in expect "$H10" a10 --src $MACT --untagged --tag nu
	cap_start out count "$H20" a20 --src $MACT --tag nu
	kv_send "$TK" tr --src $MACT --tag nu
	cap_check_seen "untagged frame from the trunk reaches a10 (native VLAN 10)" in
	cap_check_count "untagged frame from the trunk at a20" 0 out
	cap_start rep expect "$TK" tr --src $MAC10 --dst $MACT --untagged --ethertype 0x0806
	kv_send "$TK" tr --src $MACT --arp-request 192.0.2.10 --arp-sender 192.0.2.98
	cap_check_seen "a10's ARP reply reaches the trunk untagged" rep
	# VLAN 20 is still carried tagged
	cap_start in20 expect "$H20" a20 --src $MACT --untagged --tag nu20
	cap_start rep20 expect "$TK" tr --src $MAC20 --dst $MACT --vlan 20 --tag nu20r
	kv_send "$TK" tr --src $MACT --vlan 20 --tag nu20
	kv_send "$H20" a20 --src $MAC20 --dst $MACT --tag nu20r
	cap_check_seen "frame tagged 20 still reaches a20" in20
	cap_check_seen "frame from a20 still reaches the trunk tagged 20" rep20
	log_test "native VLAN 10 untagged (pvid untagged): untagged in and out"
}

native_tagged() {
	kv_check_ok "vlan add tr vid 10 pvid" kv vlan add tr vid 10 pvid
	kv_check_eq "vlan show tr" "pvid 10: 10t 20t" "$(kv_vlans tr)"
	cap_start in expect "$H10" a10 --src $MACT --untagged --tag nt
	cap_start out count "$H20" a20 --src $MACT --tag nt
	kv_send "$TK" tr --src $MACT --tag nt
	cap_check_seen "untagged frame from the trunk reaches a10 (PVID 10)" in
	cap_check_count "untagged frame from the trunk at a20" 0 out
	cap_start rep expect "$TK" tr --src $MAC10 --dst $MACT --vlan 10 --ethertype 0x0806
	kv_send "$TK" tr --src $MACT --arp-request 192.0.2.10 --arp-sender 192.0.2.97
	cap_check_seen "a10's ARP reply reaches the trunk tagged 10" rep
	log_test "native VLAN 10 tagged (pvid only): untagged in, tagged out"
}

kv_require
setup
tests_run
kv_exit
