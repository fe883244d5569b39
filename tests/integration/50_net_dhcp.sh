#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50_net_dhcp.sh - DHCP on a running network: dnsmasq started by net-start gives VMs their
# addresses (a range, a static host, one added live by net-update), net-dhcp-leases lists them
#
#   kvnetd in ns sw: network n50 (NAT, switch kvb50, host port kvb50 192.168.150.1/24,
#     the network's <mac> 52:54:00:50:ff:01 and <mtu size='1400'/>)
#     DHCP range .100-.200, static host 52:54:00:50:00:02 -> vm2 192.168.150.50
#   vm1 [v1 in ns vm1, 52:54:00:50:00:01]  udhcpc -x hostname:vm1 -> an address in the range
#   vm2 [v2 in ns vm2, 52:54:00:50:00:02]  udhcpc                 -> .50 (static)
#   vm3 [v3 in ns vm3, 52:54:00:50:00:03]  net-update add ip-dhcp-host --live -> .60
#
# The VMs are namespaces attached with attach-interface --netns; busybox udhcpc applies each
# lease (address, default route) as a guest's DHCP client does.

ALL_TESTS="host_port range_lease static_lease leases_listed leases_text ping_host_port
	update_dhcp_host_live update_modify_live update_config_only update_errors"

source "$(dirname "$0")/lib.sh"

NET=n50
MAC1=52:54:00:50:00:01
MAC2=52:54:00:50:00:02
MAC3=52:54:00:50:00:03
HOSTMAC=52:54:00:50:ff:01

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb50 150 "<forward mode='nat'/>" \
		"<mac address='$HOSTMAC'/><mtu size='1400'/>" \
		"<host mac='$MAC2' name='vm2' ip='192.168.150.50'/>")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv_vm_attach vm3 "$NET" $MAC3 "$VM3" v3
}

# in_range ADDR - is ADDR in 192.168.150.100-200
in_range() {
	[[ "$1" =~ ^192\.168\.150\.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 100 ] &&
		[ "${BASH_REMATCH[1]}" -le 200 ]
}

host_port() {
	kv_check_ok "host port kvb50 exists in kvnetd's namespace" ip -n "$SW" link show kvb50
	kv_check_ok "kvb50 has 192.168.150.1/24" \
		grep -q 'inet 192.168.150.1/24 ' <<<"$(ip -n "$SW" -o addr show dev kvb50)"
	kv_check_eq "kvb50 has the network's MAC" $HOSTMAC \
		"$(ip -n "$SW" -o link show kvb50 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)"
	kv_check_eq "kvb50 has the network's MTU" 1400 \
		"$(ip -n "$SW" -o link show kvb50 | grep -o 'mtu [0-9]*' | cut -d' ' -f2)"
	kv_check_eq "dnsmasq state in net-info" running "$(kv_dnsmasq $NET state)"
	kv_check_eq "dnsmasq pid in net-info is a live process" alive \
		"$(kv_pid_gone "$(kv_dnsmasq $NET pid)")"
	kv_check_eq "dnsmasq restarts" 0 "$(kv_dnsmasq $NET restarts)"
	kv_check_eq "dnsmasq error" null "$(kv_dnsmasq $NET error)"
	kv_check_eq "no default network (kvnetd --no-default-network)" $NET "$(kv_net_names)"
	log_test "net-start: host port kvb50 (the network's address, MAC, MTU), dnsmasq running"
}

range_lease() {
	local ip
	if ! kv_udhcpc "$VM1" v1 -x hostname:vm1 -O mtu; then
		kv_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
		log_test "vm1: a lease from the range, router and DNS 192.168.150.1, MTU 1400"
		return
	fi
	ip=$(kv_dhcp "$VM1" v1 ip)
	kv_check_ok "vm1's address $ip is in the range .100-.200" in_range "$ip"
	kv_check_eq "vm1's prefix" 24 "$(kv_dhcp "$VM1" v1 mask)"
	kv_check_eq "vm1's router" 192.168.150.1 "$(kv_dhcp "$VM1" v1 router)"
	kv_check_eq "vm1's DNS server" 192.168.150.1 "$(kv_dhcp "$VM1" v1 dns)"
	kv_check_eq "the DHCP server" 192.168.150.1 "$(kv_dhcp "$VM1" v1 serverid)"
	kv_check_eq "the network's MTU in the lease (-O mtu)" 1400 "$(kv_dhcp "$VM1" v1 mtu)"
	kv_check_ok "vm1's v1 has $ip/24" \
		grep -q "inet $ip/24 " <<<"$(ip -n "$VM1" -o addr show dev v1)"
	VM1_IP=$ip
	log_test "vm1: a lease from the range, router and DNS 192.168.150.1, MTU 1400"
}

static_lease() {
	if ! kv_udhcpc "$VM2" v2; then
		kv_fail "vm2 got no lease: $(kv_udhcpc_log "$VM2" v2)"
	else
		kv_check_eq "vm2 (the static host's MAC) got its fixed address" 192.168.150.50 \
			"$(kv_dhcp "$VM2" v2 ip)"
		kv_check_eq "vm2's router" 192.168.150.1 "$(kv_dhcp "$VM2" v2 router)"
	fi
	log_test "vm2: the static <host mac=... ip='192.168.150.50'/> address"
}

leases_listed() {
	local want
	want="$MAC1 ${VM1_IP:-?}/24 vm1
$MAC2 192.168.150.50/24 vm2"
	kv_check_eq "net-dhcp-leases $NET (MAC, address, hostname)" "$want" "$(kv_leases $NET)"
	kv_check_eq "--mac $MAC1 keeps vm1's lease" "$MAC1 ${VM1_IP:-?}/24 vm1" \
		"$(kv_leases $NET --mac $MAC1)"
	kv_check_eq "--mac $MAC2 keeps vm2's lease" "$MAC2 192.168.150.50/24 vm2" \
		"$(kv_leases $NET --mac $MAC2)"
	kv_check_eq "--mac of a MAC without a lease" "" "$(kv_leases $NET --mac 52:54:00:50:00:99)"
	kv_check_eq "vm1's lease: protocol" ipv4 \
		"$(kv_q 'd["leases"][0]["protocol"]' net-dhcp-leases $NET --mac $MAC1)"
	kv_check_eq "vm1's lease: client id (udhcpc sends 01 + MAC)" "01:$MAC1" \
		"$(kv_q 'd["leases"][0]["client_id"]' net-dhcp-leases $NET --mac $MAC1)"
	kv_check_eq "vm1's lease expires within the hour to come" yes \
		"$(kv_q '"yes" if 0 < d["leases"][0]["expiry"] - __import__("time").time() <= 3700 else d["leases"][0]["expiry"]' \
			net-dhcp-leases $NET --mac $MAC1)"
	log_test "net-dhcp-leases: both leases (MAC, address/24, hostname); --mac filters"
}

leases_text() {
	kv_check_run "net-dhcp-leases (text)" 0 \
		"$MAC1 +ipv4 +${VM1_IP:-?}/24 +vm1 +01:$MAC1" '^$' kv net-dhcp-leases $NET
	kv_check_eq "virsh's header" "Expiry Time MAC address Protocol IP address Hostname Client ID or DUID" \
		"$(printf '%s\n' "$KV_OUT" | head -n 1 | xargs)"
	kv_check_ok "a dashed line under the header" \
		grep -qE '^-+$' <<<"$(printf '%s\n' "$KV_OUT" | sed -n 2p)"
	kv_check_eq "two leases in the table, sorted by MAC" "$MAC1 $MAC2" \
		"$(printf '%s\n' "$KV_OUT" | awk '/^ [0-9]/ { print $3 }' | xargs)"
	kv_check_run "net-dhcp-leases --mac (text)" 0 "$MAC2 +ipv4 +192.168.150.50/24 +vm2" '^$' \
		kv net-dhcp-leases $NET --mac $MAC2
	kv_check_eq "--mac: one lease in the table" 1 "$(printf '%s\n' "$KV_OUT" | grep -c '^ [0-9]')"
	kv_check_run "net-dhcp-leases of an unknown network" 1 '^$' 'nosuch50' \
		kv net-dhcp-leases nosuch50
	log_test "net-dhcp-leases prints virsh's table"
}

ping_host_port() {
	kv_check_ok "vm1 pings the host port 192.168.150.1" kv_ping "$VM1" 192.168.150.1 2
	kv_check_ok "vm2 pings the host port 192.168.150.1" kv_ping "$VM2" 192.168.150.1 2
	kv_check_ok "vm1 pings vm2 192.168.150.50" kv_ping "$VM1" 192.168.150.50 2
	log_test "the VMs reach the host port and each other on their leased addresses"
}

update_dhcp_host_live() {
	local pid
	pid=$(kv_dnsmasq $NET pid)
	kv_check_run "net-update add ip-dhcp-host --live" 0 "^Updated network $NET live state$" '^$' \
		kv net-update $NET add ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.60'/>" --live
	kv_check_ok "the live definition has the host" \
		grep -q "<host mac='$MAC3' name='vm3' ip='192.168.150.60'/>" <<<"$(kv net-dumpxml $NET)"
	kv_check_fail "the persistent definition does not (--live only)" \
		grep -q "$MAC3" <<<"$(kv net-dumpxml $NET --inactive)"
	kv_check_eq "the network is still active" true "$(kv_net_field $NET active)"
	kv_check_eq "dnsmasq reloaded, not restarted (same pid)" "$pid" "$(kv_dnsmasq $NET pid)"
	if ! kv_udhcpc "$VM3" v3 -x hostname:vm3; then
		kv_fail "vm3 got no lease: $(kv_udhcpc_log "$VM3" v3)"
	else
		kv_check_eq "vm3 got the address added live" 192.168.150.60 "$(kv_dhcp "$VM3" v3 ip)"
	fi
	kv_check_eq "vm3's lease listed" "$MAC3 192.168.150.60/24 vm3" "$(kv_leases $NET --mac $MAC3)"
	kv_check_ok "vm1 still reaches the host port (the network was not restarted)" \
		kv_ping "$VM1" 192.168.150.1
	log_test "net-update add ip-dhcp-host --live: a third VM gets its fixed address at once"
}

update_modify_live() {
	kv_check_run "net-update modify ip-dhcp-host --live (vm3 to .61)" 0 \
		"^Updated network $NET live state$" '^$' \
		kv net-update $NET modify ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.61'/>" --live
	kv_check_ok "the live definition has .61" \
		grep -q "<host mac='$MAC3' name='vm3' ip='192.168.150.61'/>" <<<"$(kv net-dumpxml $NET)"
	if ! kv_udhcpc "$VM3" v3 -x hostname:vm3; then
		kv_fail "vm3 got no lease after the change: $(kv_udhcpc_log "$VM3" v3)"
	else
		kv_check_eq "vm3 now gets .61" 192.168.150.61 "$(kv_dhcp "$VM3" v3 ip)"
	fi
	log_test "net-update modify ip-dhcp-host --live: the VM gets its new fixed address"
}

update_config_only() {
	local mac4=52:54:00:50:00:04
	kv_check_run "net-update add ip-dhcp-host --config" 0 \
		"^Updated network $NET persistent config$" '^$' \
		kv net-update $NET add ip-dhcp-host "<host mac='$mac4' name='vm4' ip='192.168.150.70'/>" \
		--config
	kv_check_ok "the persistent definition has it" \
		grep -q "$mac4" <<<"$(kv net-dumpxml $NET --inactive)"
	kv_check_ok "so does the stored file" grep -q "$mac4" "$KV_STATE/networks/$NET.xml"
	kv_check_fail "the live definition does not (--config only)" \
		grep -q "$mac4" <<<"$(kv net-dumpxml $NET)"
	kv_check_fail "nor dnsmasq's hosts file" grep -q "$mac4" "$KV_RUN/dnsmasq/$NET.hostsfile"
	log_test "net-update --config on a running network changes only the next start"
}

update_errors() {
	kv_check_run "add the same host again" 1 '^$' "already|exist" \
		kv net-update $NET add ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.60'/>" --live
	kv_check_run "delete a host that is not there" 1 '^$' '52:54:00:50:00:77|not|no ' \
		kv net-update $NET delete ip-dhcp-host \
		"<host mac='52:54:00:50:00:77' name='x' ip='192.168.150.77'/>" --live
	kv_check_run "a host outside the subnet" 1 '^$' 'outside' \
		kv net-update $NET add ip-dhcp-host "<host mac='52:54:00:50:00:05' ip='10.0.0.5'/>" --live
	kv_check_fail "nothing changed" grep -q '52:54:00:50:00:05' <<<"$(kv net-dumpxml $NET)"
	kv net-define "$(kv_net_xml n50x kvb50x 160)" >/dev/null || kv_fail "net-define n50x"
	kv_check_run "--live on an inactive network" 1 '^$' 'n50x|not active|inactive' \
		kv net-update n50x add ip-dhcp-host "<host mac='$MAC3' ip='192.168.160.9'/>" --live
	kv_check_run "an unknown section is a usage error" 2 '^$' 'no-such-section' \
		kv net-update $NET add no-such-section "<host mac='$MAC3'/>"
	kv_check_run "update an unknown network" 1 '^$' 'nosuch50' \
		kv net-update nosuch50 add ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.60'/>" --live
	kv_check_run "delete with an attribute that does not match (ip .60, now .61)" 1 '^$' \
		'no such|not found|does not' kv net-update $NET delete ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.60'/>" --live
	kv_check_run "delete vm3's host --live" 0 "^Updated network $NET live state$" '^$' \
		kv net-update $NET delete ip-dhcp-host \
		"<host mac='$MAC3' name='vm3' ip='192.168.150.61'/>" --live
	kv_check_fail "the live definition no longer has it" \
		grep -q "$MAC3" <<<"$(kv net-dumpxml $NET)"
	kv_check_fail "nor dnsmasq's hosts file" grep -q "$MAC3" "$KV_RUN/dnsmasq/$NET.hostsfile"
	kv_check_eq "dnsmasq still running" running "$(kv_dnsmasq $NET state)"
	log_test "net-update errors: duplicate, missing, outside the subnet, inactive, unknown"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
