#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 49_net_mac_table.sh - <bridge macTableManager='libvirt'/>: as libvirt runs it on a kernel
# bridge, VM ports learn nothing and get no unknown-unicast floods; each VM's MAC is a static
# entry on its port, so VMs still reach each other and the host
#
#   kvnetd in ns sw: network n49 (isolated, switch kvb49 macTableManager='libvirt',
#     host port kvb49 192.168.149.1/24)
#   vm1 [v1 in ns vm1, MAC1, .11]   vm2 [v2 in ns vm2, MAC2, .12]   vm3 [v3 in ns vm3, MAC3]

ALL_TESTS="port_flags static_entries vms_ping not_learned no_unknown_flood"

source "$(dirname "$0")/lib.sh"

NET=n49
MAC1=52:54:00:49:00:01
MAC2=52:54:00:49:00:02
MAC3=52:54:00:49:00:03
MACX=52:54:00:49:00:99
MACU=52:54:00:49:00:77

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_tmp
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/$NET.xml" <<-XML
		<network>
		  <name>$NET</name>
		  <bridge name='kvb49' macTableManager='libvirt'/>
		  <ip address='192.168.149.1' netmask='255.255.255.0'/>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/$NET.xml" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv_vm_attach vm3 "$NET" $MAC3 "$VM3" v3
	ip -n "$VM1" addr add 192.168.149.11/24 dev v1 &&
		ip -n "$VM2" addr add 192.168.149.12/24 dev v2 || kv_setup_fail "VM addresses"
}

port_flags() {
	local p
	for p in v1 v2 v3; do
		kv_check_eq "port show: $p learning" false "$(kv_port_field $p flags.learning)"
		kv_check_eq "port show: $p flood (unknown unicast)" false \
			"$(kv_port_field $p flags.flood)"
		kv_check_eq "port show: $p bcast_flood" true "$(kv_port_field $p flags.bcast_flood)"
	done
	kv_check_eq "port show: kvb49 (host port) learning" true \
		"$(kv_port_field kvb49 flags.learning)"
	log_test "VM ports: learning and unknown-unicast flooding off; the host port learns"
}

static_entries() {
	kv_check_eq "fdb: $MAC1" static:v1 "$(kv_fdb_port kvb49 $MAC1 1)"
	kv_check_eq "fdb: $MAC2" static:v2 "$(kv_fdb_port kvb49 $MAC2 1)"
	kv_check_eq "fdb: $MAC3" static:v3 "$(kv_fdb_port kvb49 $MAC3 1)"
	log_test "each VM's MAC is a static FDB entry on its port"
}

vms_ping() {
	local out
	out=$(kv_ping "$VM1" 192.168.149.12 3) || kv_fail "vm1 cannot ping vm2: $out"
	out=$(kv_ping "$VM2" 192.168.149.1 3) || kv_fail "vm2 cannot ping the host port: $out"
	log_test "vm1 pings vm2 and vm2 the host port through the static entries"
}

not_learned() {
	cap_start seen expect "$VM2" v2 --src $MACX --tag nl
	kv_send "$VM1" v1 --src $MACX --tag nl
	cap_check_seen "vm1's broadcast from $MACX reaches vm2 (it went through the switch)" seen
	kv_check_eq "fdb: $MACX (a third source MAC on v1)" none "$(kv_fdb_port kvb49 $MACX 1)"
	log_test "a frame from another source MAC on a VM port is not learned"
}

no_unknown_flood() {
	cap_start host expect "$SW" kvb49 --src $MAC1 --dst $MACU --tag uu
	cap_start c2 count "$VM2" v2 --src $MAC1 --tag uu
	cap_start c3 count "$VM3" v3 --src $MAC1 --tag uu
	kv_send "$VM1" v1 --src $MAC1 --dst $MACU --tag uu
	cap_check_seen "unknown unicast from vm1 reaches the host port" host
	cap_check_count "unknown unicast from vm1 at vm2" 0 c2
	cap_check_count "unknown unicast from vm1 at vm3" 0 c3
	cap_start k3 expect "$VM3" v3 --src $MAC1 --dst $MAC3 --untagged --tag kn
	kv_send "$VM1" v1 --src $MAC1 --dst $MAC3 --tag kn
	cap_check_seen "unicast from vm1 to vm3's static MAC reaches vm3" k3
	log_test "unknown unicast is not flooded to VM ports (the host port gets it); known is"
}

kv_require
setup
tests_run
kv_exit
