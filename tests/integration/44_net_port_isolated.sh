#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 44_net_port_isolated.sh - a network's <port isolated='yes'/> and its default portgroup,
# shown by real traffic between VMs
#
#   kvnetd in ns sw
#   n44 (isolated, kvb44, 192.168.147.1/24 with DHCP) <port isolated='yes'/>
#     vm1 [v1 in ns vm1]  no <port>: the network's isolated='yes'
#     vm2 [v2 in ns vm2]  no <port>: the network's isolated='yes'
#     vm3 [v3 in ns vm3]  <port isolated='no'/> (the interface's own)
#   n44g (isolated, kvb44g, no <ip>): portgroup pgdef default='yes' (<vlan> 40), pg41 (<vlan> 41)
#     d1 [g1 in ns g1, 10.44.0.1]  no portgroup: the default's VLAN 40
#     d2 [g2 in ns g2, 10.44.0.2]  portgroup pgdef
#     d3 [g3 in ns g3, 10.44.0.3]  portgroup pg41
#
# libvirt: ports with isolated='yes' do not reach each other, but reach the host (DHCP,
# the gateway) and ports that are not isolated. A portgroup default='yes' is the one a
# port without a portgroup gets. <port isolated> is not allowed in a portgroup (libvirt's
# schema has none there).

ALL_TESTS="isolated_leases isolated_reach_gateway isolated_not_each_other not_isolated_reaches
	default_portgroup_vlan default_portgroup_traffic"

source "$(dirname "$0")/lib.sh"

setup() {
	local ns
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	G1=$(kv_ns g1)
	G2=$(kv_ns g2)
	G3=$(kv_ns g3)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3" "$G1" "$G2" "$G3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml n44 kvb44 147 "" "<port isolated='yes'/>")" n44
	cat >"$KV_TMP/xml/n44g.xml" <<-XML
		<network>
		  <name>n44g</name>
		  <bridge name='kvb44g'/>
		  <portgroup name='pgdef' default='yes'><vlan><tag id='40'/></vlan></portgroup>
		  <portgroup name='pg41'><vlan><tag id='41'/></vlan></portgroup>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n44g.xml" n44g
	kv_vm_attach vm1 n44 52:54:00:44:00:01 "$VM1" v1
	kv_vm_attach vm2 n44 52:54:00:44:00:02 "$VM2" v2
	kv_vm_attach vm3 n44 52:54:00:44:00:03 "$VM3" v3 "" "<port isolated='no'/>"
	kv_vm_attach d1 n44g 52:54:00:44:01:01 "$G1" g1
	kv_vm_attach d2 n44g 52:54:00:44:01:02 "$G2" g2 "portgroup='pgdef'"
	kv_vm_attach d3 n44g 52:54:00:44:01:03 "$G3" g3 "portgroup='pg41'"
	for ns in 1 2 3; do
		ip -n "$(kv_ns g$ns)" addr add 10.44.0.$ns/24 dev g$ns || kv_setup_fail "address on g$ns"
	done
}

isolated_leases() {
	local i ns
	for i in 1 2 3; do
		ns=$(kv_ns vm$i)
		if kv_udhcpc "$ns" v$i; then
			printf -v "VM${i}_IP" '%s' "$(kv_dhcp "$ns" v$i ip)"
		else
			kv_fail "vm$i got no lease: $(kv_udhcpc_log "$ns" v$i)"
		fi
	done
	kv_check_eq "vm1's port is isolated (the network's <port>)" true \
		"$(kv_port_field v1 flags.isolated)"
	kv_check_eq "vm2's port is isolated" true "$(kv_port_field v2 flags.isolated)"
	kv_check_eq "vm3's port is not (its own <port isolated='no'/>)" false \
		"$(kv_port_field v3 flags.isolated)"
	log_test "<port isolated='yes'/> on the network: isolated VM ports still lease"
}

isolated_reach_gateway() {
	kv_check_ok "vm1 pings the host port" kv_ping "$VM1" 192.168.147.1
	kv_check_ok "vm2 pings the host port" kv_ping "$VM2" 192.168.147.1
	log_test "isolated VM ports reach the host port"
}

isolated_not_each_other() {
	kv_check_ok "vm1 cannot ping vm2 (${VM2_IP:-?})" kv_ping_fails "$VM1" "${VM2_IP:-0.0.0.0}"
	kv_check_ok "vm2 cannot ping vm1 (${VM1_IP:-?})" kv_ping_fails "$VM2" "${VM1_IP:-0.0.0.0}"
	log_test "two isolated VM ports of the network do not reach each other"
}

not_isolated_reaches() {
	kv_check_ok "vm3 (not isolated) pings vm1" kv_ping "$VM3" "${VM1_IP:-0.0.0.0}"
	kv_check_ok "vm3 pings vm2" kv_ping "$VM3" "${VM2_IP:-0.0.0.0}"
	log_test "a VM port with <port isolated='no'/> reaches the isolated ones"
}

default_portgroup_vlan() {
	kv_check_eq "d1 (no portgroup): the default portgroup's VLAN 40" "pvid 40: 40u" \
		"$(kv_vlans g1)"
	kv_check_eq "d2 (pgdef)" "pvid 40: 40u" "$(kv_vlans g2)"
	kv_check_eq "d3 (pg41)" "pvid 41: 41u" "$(kv_vlans g3)"
	log_test "portgroup default='yes': a port without a portgroup gets its VLAN"
}

default_portgroup_traffic() {
	kv_check_ok "d1 pings d2 (both in VLAN 40)" kv_ping "$G1" 10.44.0.2
	kv_check_ok "d1 cannot ping d3 (VLAN 41)" kv_ping_fails "$G1" 10.44.0.3
	kv_check_ok "d2 cannot ping d3 either" kv_ping_fails "$G2" 10.44.0.3
	log_test "portgroup default='yes': its VLAN carries the port's traffic"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
