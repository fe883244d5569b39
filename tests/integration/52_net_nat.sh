#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 52_net_nat.sh - forward modes on running networks: NAT, route, isolated and open, with
# kvnet's nftables table inet kvnet in kvnetd's namespace, shown by real traffic
#
#   ns out [o52 10.77.0.2/24] ---veth--- [s52 10.77.0.1/24] ns sw (kvnetd)
#     n52n  nat       kvb52n 192.168.152.1/24   vmn [vn in ns vmn]
#     n52r  route     kvb52r 192.168.153.1/24   vmr [vr in ns vmr]
#     n52i  isolated  kvb52i 192.168.154.1/24   vmi [vi in ns vmi]
#     n52o  open      kvb52o 192.168.155.1/24   vmo [vo in ns vmo]
#
# The VMs take their addresses (and default route) by DHCP. "out" stands for the world
# outside the host: it knows no route to the NAT network; it gets routes to the others via
# 10.77.0.1 (so a failure there is kvnet's rules, not a missing route). A TCP server in out
# logs each peer's address; one in the VMs shows what out can reach.

ALL_TESTS="forwarding_on nat_out nat_source_masqueraded nat_no_way_in nat_rules
	route_both_ways route_rules isolated_host_only isolated_rules open_no_rules
	destroy_removes_rules"

source "$(dirname "$0")/lib.sh"

OUT_IP=10.77.0.2
PORT=8052

setup() {
	local n
	SW=$(kv_ns sw)
	OUT=$(kv_ns out)
	VMN=$(kv_ns vmn)
	VMR=$(kv_ns vmr)
	VMI=$(kv_ns vmi)
	VMO=$(kv_ns vmo)
	kv_ns_add "$SW" "$OUT" "$VMN" "$VMR" "$VMI" "$VMO"
	kv_veth "$SW" s52 "$OUT" o52
	ip -n "$SW" addr add 10.77.0.1/24 dev s52 || kv_setup_fail "address on s52"
	ip -n "$OUT" addr add $OUT_IP/24 dev o52 || kv_setup_fail "address on o52"
	ip -n "$OUT" route add 192.168.153.0/24 via 10.77.0.1 || kv_setup_fail "route in out"
	ip -n "$OUT" route add 192.168.154.0/24 via 10.77.0.1 || kv_setup_fail "route in out"
	ip -n "$OUT" route add 192.168.155.0/24 via 10.77.0.1 || kv_setup_fail "route in out"
	FWD_BEFORE=$(ip netns exec "$SW" cat /proc/sys/net/ipv4/ip_forward)
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_xml n52n kvb52n 152 "<forward mode='nat'/>" >/dev/null
	kv_net_xml n52r kvb52r 153 "<forward mode='route'/>" >/dev/null
	kv_net_xml n52i kvb52i 154 >/dev/null
	kv_net_xml n52o kvb52o 155 "<forward mode='open'/>" >/dev/null
	for n in n52n n52r n52i n52o; do
		kv net-create "$KV_TMP/xml/$n.xml" >/dev/null || kv_setup_fail "net-create $n"
	done
	vm n vmn "$VMN" n52n 52:54:00:52:00:0a
	vm r vmr "$VMR" n52r 52:54:00:52:00:0b
	vm i vmi "$VMI" n52i 52:54:00:52:00:0c
	vm o vmo "$VMO" n52o 52:54:00:52:00:0d
	: >"$KV_TMP/out-peers.log"
	kv_serve "$OUT" $OUT_IP $PORT "$KV_TMP/out-peers.log"
}

# vm X DOMAIN NS NET MAC - attach, DHCP; the VM's address in VMX_IP
vm() {
	kv_vm_attach "$2" "$4" "$5" "$3" "v$1"
	kv_udhcpc "$3" "v$1" || kv_setup_fail "$2 got no lease on $4: $(kv_udhcpc_log "$3" "v$1")"
	printf -v "VM${1^^}_IP" '%s' "$(kv_dhcp "$3" "v$1" ip)"
}

# peers_since N - the peer addresses out's server logged after its first N connections
peers_since() {
	tail -n +$(($1 + 1)) "$KV_TMP/out-peers.log" 2>/dev/null | cut -d' ' -f1 | xargs
}

peers_count() {
	wc -l <"$KV_TMP/out-peers.log" 2>/dev/null || echo 0
}

# rules_of BRIDGE - the lines of kvnet's table that name BRIDGE (its rules)
rules_of() {
	kv_nft "$SW" | grep -F "\"$1\""
}

forwarding_on() {
	kv_check_eq "IPv4 forwarding was off in the new namespace" 0 "$FWD_BEFORE"
	kv_check_eq "IPv4 forwarding in kvnetd's namespace" 1 \
		"$(ip netns exec "$SW" cat /proc/sys/net/ipv4/ip_forward)"
	kv_check_ok "the table inet kvnet exists in kvnetd's namespace" kv_nft "$SW"
	log_test "a NAT network turns on IPv4 forwarding in kvnetd's namespace"
}

nat_out() {
	kv_check_ok "vmn pings out (10.77.0.2) through NAT" kv_ping "$VMN" $OUT_IP 2
	log_test "NAT: a VM reaches the outside"
}

nat_source_masqueraded() {
	local n
	n=$(peers_count)
	kv_check_ok "vmn opens a TCP connection to out" kv_connect "$VMN" $OUT_IP $PORT
	kv_check_eq "out saw the connection from 10.77.0.1 (masqueraded), not ${VMN_IP}" 10.77.0.1 \
		"$(peers_since "$n")"
	log_test "NAT: the outside sees the host's address 10.77.0.1 as the source"
}

nat_no_way_in() {
	local n
	kv_serve "$VMN" 0.0.0.0 $PORT "$KV_TMP/vmn-peers.log"
	kv_check_fail "out has no route to the NAT network" ip -n "$OUT" route get "$VMN_IP"
	ip -n "$OUT" route add 192.168.152.0/24 via 10.77.0.1
	n=$(peers_count)
	kv_check_fail "out cannot connect to vmn ($VMN_IP) even with a route" \
		kv_connect "$OUT" "$VMN_IP" $PORT "$KV_QUIET"
	kv_check_ok "while vmn still connects out" kv_connect "$VMN" $OUT_IP $PORT
	kv_check_eq "out saw only that connection, masqueraded" 10.77.0.1 "$(peers_since "$n")"
	kv_check_eq "vmn's server saw no connection" "" "$(cat "$KV_TMP/vmn-peers.log" 2>/dev/null)"
	ip -n "$OUT" route del 192.168.152.0/24 via 10.77.0.1
	log_test "NAT: a connection from the outside to a VM fails"
}

nat_rules() {
	local t
	t=$(kv_nft "$SW")
	kv_check_ok "a masquerade rule for 192.168.152.0/24" \
		grep -qE 'ip saddr 192\.168\.152\.0/24 .*masquerade' <<<"$t"
	kv_check_ok "a postrouting nat chain" grep -qE 'type nat hook postrouting' <<<"$t"
	log_test "NAT: nft list table inet kvnet shows the masquerade rule"
}

route_both_ways() {
	local n
	n=$(peers_count)
	kv_check_ok "vmr opens a TCP connection to out" kv_connect "$VMR" $OUT_IP $PORT
	kv_check_eq "out saw vmr's own address" "$VMR_IP" "$(peers_since "$n")"
	kv_serve "$VMR" "$VMR_IP" $PORT "$KV_TMP/vmr-peers.log"
	kv_check_ok "out connects to vmr ($VMR_IP) through its route" \
		kv_connect "$OUT" "$VMR_IP" $PORT
	kv_check_eq "vmr saw out's address" $OUT_IP \
		"$(cut -d' ' -f1 "$KV_TMP/vmr-peers.log" 2>/dev/null | xargs)"
	log_test "route: forwarding both ways without NAT (out sees the VM's address)"
}

route_rules() {
	kv_check_fail "no masquerade for 192.168.153.0/24" \
		grep -qE '192\.168\.153\.0/24 .*masquerade' <<<"$(kv_nft "$SW")"
	kv_check_ok "rules for kvb52r" test -n "$(rules_of kvb52r)"
	log_test "route: rules for its bridge, no masquerade"
}

isolated_host_only() {
	kv_check_ok "vmi pings its host port 192.168.154.1" kv_ping "$VMI" 192.168.154.1 2
	kv_check_ok "vmi's lease came from 192.168.154.1" \
		test "$(kv_dhcp "$VMI" vi serverid)" = 192.168.154.1
	kv_check_ok "vmi cannot ping out (10.77.0.2), though out has a route back" \
		kv_ping_fails "$VMI" $OUT_IP
	kv_check_fail "vmi cannot connect to out" kv_connect "$VMI" $OUT_IP $PORT "$KV_QUIET"
	kv_check_ok "vmi cannot ping vmr on another network" kv_ping_fails "$VMI" "$VMR_IP"
	kv_check_ok "out cannot ping vmi" kv_ping_fails "$OUT" "$VMI_IP"
	kv_check_ok "while vmr (route) pings out" kv_ping "$VMR" $OUT_IP
	log_test "isolated (no <forward>): the VM reaches the host port, nothing beyond"
}

isolated_rules() {
	kv_check_ok "reject rules for kvb52i" grep -q reject <<<"$(rules_of kvb52i)"
	kv_check_fail "no masquerade for 192.168.154.0/24" \
		grep -qE '192\.168\.154\.0/24 .*masquerade' <<<"$(kv_nft "$SW")"
	log_test "isolated: its rules reject forwarding"
}

open_no_rules() {
	kv_check_eq "no rule names kvb52o" "" "$(rules_of kvb52o)"
	kv_check_fail "no rule names 192.168.155.0/24" grep -q '192\.168\.155\.' <<<"$(kv_nft "$SW")"
	kv_check_ok "vmo pings out (nothing in the way; out routes back)" kv_ping "$VMO" $OUT_IP
	log_test "open: no rules in the table for it"
}

destroy_removes_rules() {
	kv_check_ok "rules for kvb52n before" test -n "$(rules_of kvb52n)"
	kv_check_run "net-destroy n52n" 0 'Network n52n destroyed' '^$' kv net-destroy n52n
	kv_check_eq "no rule names kvb52n after" "" "$(rules_of kvb52n)"
	kv_check_fail "no masquerade for 192.168.152.0/24 after" \
		grep -q '192\.168\.152\.0/24' <<<"$(kv_nft "$SW")"
	kv_check_ok "the route network's rules stay" test -n "$(rules_of kvb52r)"
	kv_check_ok "and vmr still reaches out" kv_ping "$VMR" $OUT_IP
	log_test "net-destroy of the NAT network removes its rules, the others' stay"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
