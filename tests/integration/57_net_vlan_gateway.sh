#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 57_net_vlan_gateway.sh - a network with a <vlan> keeps its gateway: the host port (address,
# DHCP, DNS) is an untagged member of the network's VLAN, so its VMs lease and route; a
# portgroup on another VLAN runs, with a warning that it has no gateway
#
#   kvnetd in ns sw: network n57 (isolated, switch kvb57, host port kvb57 192.168.157.1/24),
#     <vlan><tag id='10'/></vlan>, DHCP range .100-.200; portgroup web (<vlan> 20)
#   vm1 [v1 in ns vm1, 52:54:00:57:00:01]  no portgroup: VLAN 10, udhcpc -> a lease
#   vm2 [v2 in ns vm2, 52:54:00:57:00:02]  portgroup web: VLAN 20, 192.168.157.20 by hand

ALL_TESTS="host_port_vlan lease_on_vlan ping_gateway portgroup_warning no_gateway_on_20"

source "$(dirname "$0")/lib.sh"

NET=n57
MAC1=52:54:00:57:00:01
MAC2=52:54:00:57:00:02

setup() {
	local out
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$VM1" "$VM2"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb57 157 "" \
		"<vlan><tag id='10'/></vlan>
		 <portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	cat >"$KV_TMP/vm2.xml" <<-XML
		<interface type='network'>
		  <source network='$NET' portgroup='web'/>
		  <mac address='$MAC2'/>
		  <target dev='v2'/>
		</interface>
	XML
	out=$(kv attach-interface vm2 "$KV_TMP/vm2.xml" --netns "$VM2" 2>&1) ||
		kv_setup_fail "attach-interface vm2: $out"
	ip -n "$VM2" link set v2 up || kv_setup_fail "v2 up in $VM2"
	ip -n "$VM2" addr add 192.168.157.20/24 dev v2 || kv_setup_fail "address on v2"
}

host_port_vlan() {
	kv_check_eq "vlan show kvb57 (the host port): untagged member and PVID of 10 only" \
		"pvid 10: 10u" "$(kv_vlans kvb57)"
	kv_check_eq "vlan show v1 (VM, no portgroup): the network's VLAN 10" "pvid 10: 10u" \
		"$(kv_vlans v1)"
	kv_check_eq "vlan show v2 (VM, portgroup web): VLAN 20" "pvid 20: 20u" "$(kv_vlans v2)"
	log_test "the host port is an untagged member of the network's VLAN 10, as its VMs are"
}

lease_on_vlan() {
	if ! kv_udhcpc "$VM1" v1; then
		kv_fail "vm1 on VLAN 10 got no lease: $(kv_udhcpc_log "$VM1" v1)"
	else
		kv_check_ok "vm1's address is in the range" \
			grep -qE '^ip=192\.168\.157\.(1[0-9][0-9]|200)$' "$KV_TMP/dhcp-$VM1-v1"
		kv_check_eq "vm1's DHCP server" 192.168.157.1 "$(kv_dhcp "$VM1" v1 serverid)"
	fi
	log_test "vm1 on VLAN 10 leases from the network's dnsmasq (untagged frames both ways)"
}

ping_gateway() {
	local out
	out=$(kv_ping "$VM1" 192.168.157.1 3) || kv_fail "vm1 cannot ping its gateway: $out"
	log_test "vm1 on VLAN 10 pings its gateway 192.168.157.1"
}

portgroup_warning() {
	kv_check_run "net-info warns of portgroup web" 0 \
		"^Warning: +portgroup 'web' \(VLAN 20\) has no gateway: .*VLAN 10" '^$' \
		kv net-info $NET
	kv_check_eq "net-info --json: one warning" 1 "$(kv_q 'len(d["warnings"])' net-info $NET)"
	kv_check_ok "the log says it too" grep -q "portgroup 'web' (VLAN 20) has no gateway" \
		"$KV_LOG"
	log_test "a portgroup on a VLAN without the gateway: a warning in net-info and the log"
}

no_gateway_on_20() {
	local out
	kv_ping_fails "$VM2" 192.168.157.1 ||
		kv_fail "vm2 (portgroup web, VLAN 20) reached the gateway on VLAN 10"
	out=$(kv_ping "$VM1" 192.168.157.1) || kv_fail "vm1 lost its gateway: $out"
	log_test "vm2 on VLAN 20 has no gateway, as the warning says (VLANs stay apart)"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
