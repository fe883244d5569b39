#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 51_net_dns.sh - DNS on a running network: dnsmasq at the host port answers the network's
# <dns><host> names, its VMs' DHCP hostnames, in the network's <domain>
#
#   kvnetd in ns sw: network n51 (isolated, switch kvb51, host port 192.168.151.1/24)
#     <domain name='lab' localOnly='yes'/>, <dns><host ip='192.168.151.7'>printer</host></dns>,
#     <txt name='info' value='kvnet-lab'/>
#   vm1 [v1 in ns vm1]  udhcpc -x hostname:vm1   (registers its name with dnsmasq)
#   vm2 [v2 in ns vm2]  udhcpc; asks 192.168.151.1 (the DNS server its lease named)
#
# Queries are plain UDP DNS from the VM's namespace (frames.py dns), so nothing in /etc is
# changed.

ALL_TESTS="lease_names_dns dns_host dhcp_hostname unknown_names dns_txt update_dns_host"

source "$(dirname "$0")/lib.sh"

NET=n51
DNS=192.168.151.1
MAC1=52:54:00:51:00:01
MAC2=52:54:00:51:00:02

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$VM1" "$VM2"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb51 151 "" "<domain name='lab' localOnly='yes'/>
		  <dns><txt name='info' value='kvnet-lab'/>
		    <host ip='192.168.151.7'><hostname>printer</hostname></host></dns>")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv_udhcpc "$VM1" v1 -x hostname:vm1 ||
		kv_setup_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
	kv_udhcpc "$VM2" v2 || kv_setup_fail "vm2 got no lease: $(kv_udhcpc_log "$VM2" v2)"
	VM1_IP=$(kv_dhcp "$VM1" v1 ip)
}

lease_names_dns() {
	kv_check_eq "vm2's DNS server from its lease" $DNS "$(kv_dhcp "$VM2" v2 dns)"
	kv_check_eq "vm2's domain from its lease" lab "$(kv_dhcp "$VM2" v2 domain)"
	log_test "DHCP names the host port as DNS server and 'lab' as the domain"
}

dns_host() {
	kv_check_eq "vm2 resolves printer" "NOERROR 192.168.151.7" "$(kv_dns "$VM2" $DNS printer)"
	kv_check_eq "vm2 resolves printer.lab" "NOERROR 192.168.151.7" \
		"$(kv_dns "$VM2" $DNS printer.lab)"
	kv_check_eq "vm1 resolves printer too" "NOERROR 192.168.151.7" "$(kv_dns "$VM1" $DNS printer)"
	log_test "a <dns><host> name resolves through dnsmasq at the host port"
}

dhcp_hostname() {
	kv_check_eq "vm2 resolves vm1 (its DHCP hostname)" "NOERROR $VM1_IP" "$(kv_dns "$VM2" $DNS vm1)"
	kv_check_eq "vm2 resolves vm1.lab" "NOERROR $VM1_IP" "$(kv_dns "$VM2" $DNS vm1.lab)"
	log_test "another VM's DHCP hostname resolves (vm1, vm1.lab)"
}

unknown_names() {
	kv_check_eq "nosuch.lab: the local domain is answered here, not forwarded" NXDOMAIN \
		"$(kv_dns "$VM2" $DNS nosuch.lab)"
	kv_check_ok "the query reached dnsmasq and it answered (printer still resolves)" \
		grep -q 192.168.151.7 <<<"$(kv_dns "$VM2" $DNS printer)"
	log_test "an unknown name in the local domain is NXDOMAIN"
}

dns_txt() {
	kv_check_eq "TXT info" "NOERROR kvnet-lab" "$(kv_dns "$VM2" $DNS info TXT)"
	kv_check_run "net-update add dns-txt --live" 0 "^Updated network $NET live state$" '^$' \
		kv net-update $NET add dns-txt "<txt name='more' value='added-live'/>" --live
	kv_check_eq "TXT more, added live" "NOERROR added-live" "$(kv_dns "$VM2" $DNS more TXT)"
	log_test "<dns><txt> records, one added live"
}

update_dns_host() {
	local pid
	pid=$(kv_dnsmasq $NET pid)
	kv_check_eq "scanner is unknown before" NXDOMAIN "$(kv_dns "$VM2" $DNS scanner.lab)"
	kv_check_run "net-update add dns-host --live" 0 "^Updated network $NET live state$" '^$' \
		kv net-update $NET add dns-host \
		"<host ip='192.168.151.8'><hostname>scanner</hostname></host>" --live
	kv_check_eq "vm2 resolves scanner at once" "NOERROR 192.168.151.8" \
		"$(kv_dns "$VM2" $DNS scanner)"
	kv_check_eq "dnsmasq reloaded, not restarted (same pid)" "$pid" "$(kv_dnsmasq $NET pid)"
	kv_check_eq "printer still resolves" "NOERROR 192.168.151.7" "$(kv_dns "$VM2" $DNS printer)"
	kv_check_run "net-update delete dns-host (no flag: the running network)" 0 \
		"^Updated network $NET live state$" '^$' \
		kv net-update $NET delete dns-host \
		"<host ip='192.168.151.8'><hostname>scanner</hostname></host>"
	kv_check_eq "scanner is gone" NXDOMAIN "$(kv_dns "$VM2" $DNS scanner.lab)"
	log_test "net-update add/delete dns-host on the running network: resolves, then does not"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
