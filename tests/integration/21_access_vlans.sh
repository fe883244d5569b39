#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 21_access_vlans.sh - three hosts on access ports of two VLANs: only the same VLAN talks
#
#   h1 [t1 192.0.2.1] access VLAN 10 ---\
#   h2 [t2 192.0.2.2] access VLAN 10 ----- kvnetd (ns sw): br0 (VLAN filtering)
#   h3 [t3 192.0.2.3] access VLAN 20 ---/
#
# All three share one IP subnet, so only the VLANs keep h3 apart. What the
# counters must show follows docs/forwarding.md: h3's ARP broadcasts in
# VLAN 20 have no other member to go to (no-dest on t3); h1's go to h2 only;
# nothing is ever sent to t3 (tx_frames 0); a frame tagged VID 10 sent by
# h3 is not for a member VID of t3 (ingress-filter on t3).

ALL_TESTS="vlan_membership same_vlan_ping cross_vlan_ping cross_vlan_no_dest tagged_wrong_vid"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:21:00:01
MAC2=02:00:00:21:00:02
MAC3=02:00:00:21:00:03

setup() {
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	kv_ns_add "$SW" "$H1" "$H2" "$H3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 vlan_filtering on || kv_setup_fail "bridge add br0"
	kv_tap_host br0 t1 "$H1" "$MAC1" 192.0.2.1/24
	kv_tap_host br0 t2 "$H2" "$MAC2" 192.0.2.2/24
	kv_tap_host br0 t3 "$H3" "$MAC3" 192.0.2.3/24
	kv_access t1 10
	kv_access t2 10
	kv_access t3 20
}

vlan_membership() {
	kv_check_eq "vlan show t1" "pvid 10: 10u" "$(kv_vlans t1)"
	kv_check_eq "vlan show t2" "pvid 10: 10u" "$(kv_vlans t2)"
	kv_check_eq "vlan show t3" "pvid 20: 20u" "$(kv_vlans t3)"
	log_test "access ports: t1, t2 in VLAN 10, t3 in VLAN 20 (untagged, PVID)"
}

same_vlan_ping() {
	kv_check_ok "h1 pings h2 (VLAN 10)" kv_ping "$H1" 192.0.2.2 3
	kv_check_ok "h2 pings h1 (VLAN 10)" kv_ping "$H2" 192.0.2.1 3
	kv_check_eq "fdb: h1's MAC learned in VLAN 10 on t1" t1 "$(kv_fdb_port br0 $MAC1 10)"
	kv_check_eq "fdb: h2's MAC learned in VLAN 10 on t2" t2 "$(kv_fdb_port br0 $MAC2 10)"
	kv_check_eq "fdb: h1's MAC not in VLAN 1" none "$(kv_fdb_port br0 $MAC1 1)"
	log_test "same VLAN: h1 and h2 ping each other"
}

cross_vlan_ping() {
	kv_check_ok "h1 cannot ping h3 (VLAN 10 to 20)" kv_ping_fails "$H1" 192.0.2.3
	kv_check_ok "h3 cannot ping h1 (VLAN 20 to 10)" kv_ping_fails "$H3" 192.0.2.1
	kv_check_ok "h3 cannot ping h2 (VLAN 20 to 10)" kv_ping_fails "$H3" 192.0.2.2
	kv_check_eq "fdb: h3's MAC learned in VLAN 20 on t3" t3 "$(kv_fdb_port br0 $MAC3 20)"
	kv_check_eq "fdb: h3's MAC not in VLAN 10" none "$(kv_fdb_port br0 $MAC3 10)"
	log_test "across VLANs: no ping passes"
}

cross_vlan_no_dest() {
	local before
	# h3 is alone in VLAN 20: its ARP requests (broadcast) have no target
	kv_check_ok "stats: no-dest drops on t3 from h3's ARP requests" \
		test "$(kv_stat br0 t3 drops.no-dest)" -ge 1
	# nothing from VLAN 10 ever reached t3
	kv_check_eq "stats: t3 tx_frames" 0 "$(kv_stat br0 t3 tx_frames)"
	# one more broadcast from h3, as a raw frame: exactly one more no-dest
	# (first stop the hosts' pending ARP resolutions, so nothing else is sent)
	ip -n "$H1" neigh flush all
	ip -n "$H2" neigh flush all
	ip -n "$H3" neigh flush all
	before=$(kv_stat br0 t3 drops.no-dest)
	cap_start c1 count "$H1" t1 --src $MAC3 --tag nodest
	cap_start c2 count "$H2" t2 --src $MAC3 --tag nodest
	kv_send "$H3" t3 --src $MAC3 --tag nodest
	kv_poll_eq "stats: t3 no-dest after one broadcast from h3" $((before + 1)) \
		kv_stat br0 t3 drops.no-dest
	cap_check_count "h3's broadcast at h1" 0 c1
	cap_check_count "h3's broadcast at h2" 0 c2
	kv_check_eq "stats: t3 tx_frames after it" 0 "$(kv_stat br0 t3 tx_frames)"
	log_test "stats: VLAN 20 broadcasts counted as no-dest on t3, t3 sent nothing"
}

tagged_wrong_vid() {
	local before
	# h3 sends a frame tagged VID 10: t3 is not a member of VLAN 10
	before=$(kv_stat br0 t3 drops.ingress-filter)
	cap_start c1 count "$H1" t1 --src $MAC3 --tag vid10
	cap_start c2 count "$H2" t2 --src $MAC3 --tag vid10
	kv_send "$H3" t3 --src $MAC3 --vlan 10 --tag vid10
	kv_poll_eq "stats: t3 ingress-filter after a frame tagged VID 10" $((before + 1)) \
		kv_stat br0 t3 drops.ingress-filter
	cap_check_count "h3's VID 10 frame at h1" 0 c1
	cap_check_count "h3's VID 10 frame at h2" 0 c2
	log_test "a frame tagged VID 10 from the VLAN 20 access port is dropped (ingress-filter)"
}

kv_require
setup
tests_run
kv_exit
