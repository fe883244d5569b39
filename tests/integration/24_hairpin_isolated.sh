#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 24_hairpin_isolated.sh - hairpin sends a frame back out of its own port; isolated ports
# do not talk to each other
#
#   h1 [p1 02:00:00:24:00:01 192.0.2.1]  (and MACs ..:24:01:0a, 0b, 0c behind it) ---\
#   h2 [p2 02:00:00:24:00:02 192.0.2.2]                                             ---- kvnetd (ns sw)
#   h3 [p3 02:00:00:24:00:03 192.0.2.3]                                             ---/   br0, VLAN 1

ALL_TESTS="hairpin_off hairpin_on hairpin_on_learned hairpin_off_again
	isolated_ping isolated_unicast isolated_broadcast isolated_off"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:24:00:01
MAC2=02:00:00:24:00:02
MAC3=02:00:00:24:00:03
MACA=02:00:00:24:01:0a
MACB=02:00:00:24:01:0b
MACC=02:00:00:24:01:0c

setup() {
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	kv_ns_add "$SW" "$H1" "$H2" "$H3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 p1 "$H1" "$MAC1" 192.0.2.1/24
	kv_tap_host br0 p2 "$H2" "$MAC2" 192.0.2.2/24
	kv_tap_host br0 p3 "$H3" "$MAC3" 192.0.2.3/24
}

hairpin_off() {
	local before
	kv_check_ok "fdb add $MACB port p1" kv fdb add $MACB port p1
	kv_check_eq "fdb: $MACB" static:p1 "$(kv_fdb_port br0 $MACB 1)"
	kv_check_eq "port show: p1 hairpin" false "$(kv_port_field p1 flags.hairpin)"
	before=$(kv_stat br0 p1 drops.same-port)
	cap_start back count "$H1" p1 --src $MACA --tag hp0
	cap_start c2 count "$H2" p2 --src $MACA --tag hp0
	cap_start c3 count "$H3" p3 --src $MACA --tag hp0
	kv_send "$H1" p1 --src $MACA --dst $MACB --tag hp0
	kv_poll_eq "stats: p1 same-port after a frame to $MACB (on p1)" $((before + 1)) \
		kv_stat br0 p1 drops.same-port
	cap_check_count "frame to $MACB back at p1" 0 back
	cap_check_count "frame to $MACB at p2" 0 c2
	cap_check_count "frame to $MACB at p3" 0 c3
	log_test "hairpin off: a frame to a MAC on its own port is dropped (same-port)"
}

hairpin_on() {
	kv_check_ok "port set p1 hairpin on" kv port set p1 hairpin on
	kv_check_eq "port show: p1 hairpin" true "$(kv_port_field p1 flags.hairpin)"
	cap_start back expect "$H1" p1 --src $MACA --dst $MACB --untagged --tag hp1
	cap_start c2 count "$H2" p2 --src $MACA --tag hp1
	cap_start c3 count "$H3" p3 --src $MACA --tag hp1
	kv_send "$H1" p1 --src $MACA --dst $MACB --tag hp1
	cap_check_seen "frame to static $MACB comes back out of p1" back
	cap_check_count "frame to $MACB at p2" 0 c2
	cap_check_count "frame to $MACB at p3" 0 c3
	# a broadcast is flooded back to the hairpin port too
	cap_start bback expect "$H1" p1 --src $MACA --tag hpb
	cap_start b2 expect "$H2" p2 --src $MACA --tag hpb
	kv_send "$H1" p1 --src $MACA --tag hpb
	cap_check_seen "broadcast from p1 comes back out of p1" bback
	cap_check_seen "broadcast from p1 reaches p2" b2
	log_test "hairpin on: a frame to a MAC on its own port comes back"
}

hairpin_on_learned() {
	# MACC is learned on p1 from a frame it sends, then MACA sends to it
	kv_send "$H1" p1 --src $MACC --tag learn
	kv_poll_eq "fdb: $MACC learned on p1" p1 kv_fdb_port br0 $MACC 1
	cap_start back expect "$H1" p1 --src $MACA --dst $MACC --tag hpl
	cap_start c2 count "$H2" p2 --src $MACA --tag hpl
	kv_send "$H1" p1 --src $MACA --dst $MACC --tag hpl
	cap_check_seen "frame to learned $MACC comes back out of p1" back
	cap_check_count "frame to learned $MACC at p2" 0 c2
	log_test "hairpin on: two MACs learned behind one port reach each other"
}

hairpin_off_again() {
	local before
	kv_check_ok "port set p1 hairpin off" kv port set p1 hairpin off
	before=$(kv_stat br0 p1 drops.same-port)
	cap_start back count "$H1" p1 --src $MACA --tag hpo
	cap_start b2 expect "$H2" p2 --src $MACA --tag hpob
	kv_send "$H1" p1 --src $MACA --dst $MACB --tag hpo
	kv_send "$H1" p1 --src $MACA --tag hpob
	kv_poll_eq "stats: p1 same-port after a frame to $MACB" $((before + 1)) \
		kv_stat br0 p1 drops.same-port
	cap_check_seen "broadcast from p1 reaches p2" b2
	cap_check_count "frames back at p1 with hairpin off" 0 back
	log_test "hairpin off again: nothing comes back, broadcasts still flood"
}

isolated_ping() {
	kv_check_ok "port set p1 isolated on" kv port set p1 isolated on
	kv_check_ok "port set p2 isolated on" kv port set p2 isolated on
	kv_check_eq "port show: p1 isolated" true "$(kv_port_field p1 flags.isolated)"
	kv_check_eq "port show: p2 isolated" true "$(kv_port_field p2 flags.isolated)"
	kv_check_eq "port show: p3 isolated" false "$(kv_port_field p3 flags.isolated)"
	kv_check_ok "h1 (isolated) cannot ping h2 (isolated)" kv_ping_fails "$H1" 192.0.2.2
	kv_check_ok "h2 (isolated) cannot ping h1 (isolated)" kv_ping_fails "$H2" 192.0.2.1
	kv_check_ok "h1 (isolated) pings h3" kv_ping "$H1" 192.0.2.3 3
	kv_check_ok "h2 (isolated) pings h3" kv_ping "$H2" 192.0.2.3 3
	kv_check_ok "h3 pings h1 (isolated)" kv_ping "$H3" 192.0.2.1 3
	log_test "isolated p1 and p2 cannot ping each other; both ping p3"
}

isolated_unicast() {
	local before
	kv_check_eq "fdb: h2's MAC" p2 "$(kv_fdb_port br0 $MAC2 1)"
	before=$(kv_stat br0 p1 drops.isolated)
	cap_start c2 count "$H2" p2 --src $MAC1 --tag iso
	cap_start c3 count "$H3" p3 --src $MAC1 --tag iso
	kv_send "$H1" p1 --src $MAC1 --dst $MAC2 --tag iso
	kv_poll_eq "stats: p1 isolated after a frame to h2's MAC" $((before + 1)) \
		kv_stat br0 p1 drops.isolated
	cap_check_count "frame from p1 to h2's MAC at p2" 0 c2
	cap_check_count "frame from p1 to h2's MAC at p3" 0 c3
	cap_start ok3 expect "$H3" p3 --src $MAC1 --dst $MAC3 --tag iso3
	kv_send "$H1" p1 --src $MAC1 --dst $MAC3 --tag iso3
	cap_check_seen "frame from p1 to h3's MAC reaches p3" ok3
	log_test "isolated: a unicast frame between isolated ports is dropped (isolated)"
}

isolated_broadcast() {
	cap_start c2 count "$H2" p2 --src $MAC1 --tag isob
	cap_start c3 expect "$H3" p3 --src $MAC1 --tag isob
	kv_send "$H1" p1 --src $MAC1 --tag isob
	cap_check_seen "broadcast from isolated p1 reaches p3" c3
	cap_check_count "broadcast from isolated p1 at isolated p2" 0 c2
	log_test "isolated: a broadcast from an isolated port reaches only non-isolated ports"
}

isolated_off() {
	kv_check_ok "port set p1 isolated off" kv port set p1 isolated off
	kv_check_eq "port show: p1 isolated" false "$(kv_port_field p1 flags.isolated)"
	kv_check_ok "h1 pings h2 (only p2 isolated)" kv_ping "$H1" 192.0.2.2 3
	log_test "isolated off on one side: p1 and p2 talk again"
}

kv_require
setup
tests_run
kv_exit
