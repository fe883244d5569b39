#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20_tap_ping.sh - two hosts on tap ports ping each other; the FDB learns and ages their MACs
#
#   h1 [t1 02:00:00:20:00:01 192.0.2.1] ---\
#                                          kvnetd (ns sw): br0 (VLAN filtering, VLAN 1)
#   h2 [t2 02:00:00:20:00:02 192.0.2.2] ---/

ALL_TESTS="ping_both_ways fdb_learned fdb_aged long_netns_name"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:20:00:01
MAC2=02:00:00:20:00:02

setup() {
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	kv_ns_add "$SW" "$H1" "$H2"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 t1 "$H1" "$MAC1" 192.0.2.1/24
	kv_tap_host br0 t2 "$H2" "$MAC2" 192.0.2.2/24
}

ping_both_ways() {
	kv_check_ok "h1 pings h2" kv_ping "$H1" 192.0.2.2 3
	kv_check_ok "h2 pings h1" kv_ping "$H2" 192.0.2.1 3
	log_test "h1 and h2 ping each other through tap ports"
}

fdb_learned() {
	kv_check_eq "fdb: $MAC1 in VLAN 1" t1 "$(kv_fdb_port br0 $MAC1 1)"
	kv_check_eq "fdb: $MAC2 in VLAN 1" t2 "$(kv_fdb_port br0 $MAC2 1)"
	kv_check_eq "fdb show br0 port t1: MACs" "$MAC1" \
		"$(kv_q '" ".join(e["mac"] for e in d["entries"])' fdb show br0 port t1)"
	kv_check_eq "fdb show br0 port t2: MACs" "$MAC2" \
		"$(kv_q '" ".join(e["mac"] for e in d["entries"])' fdb show br0 port t2)"
	kv_check_eq "t1 rx_frames > 0" true "$(kv_q '[p for p in d["ports"] if p["name"] == "t1"][0]["rx_frames"] > 0' stats show br0 port t1)"
	log_test "fdb show lists both MACs, learned on the right ports"
}

fdb_aged() {
	# nothing talks now (IPv6 is off, the pings are over); 3 s ageing must empty the FDB
	kv_check_ok "bridge set br0 ageing_time 3" kv bridge set br0 ageing_time 3
	kv_check_eq "bridge show: ageing_time" 3 \
		"$(kv_q '"%g" % d["bridges"][0]["ageing_time"]' bridge show br0)"
	kv_poll_eq "fdb: $MAC1 aged out" none kv_fdb_port br0 $MAC1 1
	kv_poll_eq "fdb: $MAC2 aged out" none kv_fdb_port br0 $MAC2 1
	# counted when the ageing sweep (a slice a second) reaches them
	kv_poll_ge "stats: entries counted as aged" 2 kv_q 'd["bridges"][0]["fdb"]["aged"]' stats show br0
	# and the bridge learns them again
	kv_check_ok "h1 pings h2 after ageing" kv_ping "$H1" 192.0.2.2
	kv_poll_eq "fdb: $MAC1 learned again" t1 kv_fdb_port br0 $MAC1 1
	log_test "with ageing_time 3 the learned MACs are gone after it"
}

long_netns_name() {
	# any name `ip netns add` takes is a namespace's name, not only 15 characters
	local ns=kv-$$-$KV_TEST-a-long-namespace-name
	kv_ns_add "$ns"
	if ! kv_check_ok "port add br0 t3 netns $ns" kv port add br0 t3 netns "$ns"; then
		log_test "a tap moved to a namespace with a long name (${#ns} characters)"
		return
	fi
	kv_check_ok "tap t3 is in $ns" ip -n "$ns" link show t3
	kv_check_eq "port show: t3's netns" "$ns" "$(kv_port_field t3 netns)"
	kv_check_ok "port del t3" kv port del t3
	kv_poll_eq "tap t3 in $ns after port del" gone \
		sh -c "ip -n '$ns' link show t3 >/dev/null 2>&1 && echo present || echo gone"
	log_test "a tap moved to a namespace with a long name (${#ns} characters)"
}

kv_require
setup
tests_run
kv_exit
