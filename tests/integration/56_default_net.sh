#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 56_default_net.sh - libvirt's "default" network: a kvnetd started on a fresh state dir
# (without --no-default-network) defines it, autostarts it, and a VM gets a lease from it
#
#   kvnetd in ns sw, fresh run and state dirs: default (NAT 192.168.122.0/24, virbr0)
#   vm [vd in ns vm]  attached to default, udhcpc

ALL_TESTS="default_listed default_stored host_port default_nat vm_lease not_redefined"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	VM=$(kv_ns vm)
	kv_ns_add "$SW" "$VM"
	KV_DEFAULT_NET=1 kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
}

default_listed() {
	kv_check_run "net-list" 0 '^ default +active +yes +yes' '^$' kv net-list
	kv_check_eq "one network" default "$(kv_net_names)"
	kv_check_eq "active" true "$(kv_net_field default active)"
	kv_check_eq "autostart" true "$(kv_net_field default autostart)"
	kv_check_eq "persistent" true "$(kv_net_field default persistent)"
	kv_check_eq "bridge" virbr0 "$(kv_net_field default bridge)"
	kv_check_run "net-info default" 0 'Bridge: +virbr0' '^$' kv net-info default
	kv_check_eq "its dnsmasq" running "$(kv_dnsmasq default state)"
	log_test "a fresh kvnetd runs libvirt's default network: active, autostart, virbr0"
}

default_stored() {
	local xml
	xml=$(kv net-dumpxml default)
	kv_check_ok "NAT forward" grep -q "<forward mode='nat'" <<<"$xml"
	kv_check_ok "192.168.122.1/24" \
		grep -qE "<ip address='192\.168\.122\.1' (netmask='255\.255\.255\.0'|prefix='24')" <<<"$xml"
	kv_check_ok "DHCP range .2-.254" \
		grep -q "<range start='192.168.122.2' end='192.168.122.254'" <<<"$xml"
	kv_check_ok "stored as STATE/networks/default.xml" test -f "$KV_STATE/networks/default.xml"
	kv_check_ok "autostart link" test -L "$KV_STATE/networks/autostart/default.xml"
	log_test "default is libvirt's: NAT, 192.168.122.1/24, DHCP .2-.254, stored, autostarted"
}

host_port() {
	kv_check_ok "host port virbr0 in kvnetd's namespace" ip -n "$SW" link show virbr0
	kv_check_ok "virbr0 has 192.168.122.1/24" \
		grep -q 'inet 192.168.122.1/24 ' <<<"$(ip -n "$SW" -o addr show dev virbr0)"
	log_test "host port virbr0 with 192.168.122.1/24"
}

default_nat() {
	kv_check_ok "masquerade of 192.168.122.0/24" \
		grep -qE 'ip saddr 192\.168\.122\.0/24 .*masquerade' <<<"$(kv_nft "$SW")"
	log_test "default masquerades 192.168.122.0/24"
}

vm_lease() {
	local ip
	kv_vm_attach vm default 52:54:00:56:00:01 "$VM" vd
	if ! kv_udhcpc "$VM" vd -x hostname:vm; then
		kv_fail "the VM got no lease: $(kv_udhcpc_log "$VM" vd)"
	else
		ip=$(kv_dhcp "$VM" vd ip)
		kv_check_ok "the VM's address $ip is 192.168.122.x" \
			grep -qE '^192\.168\.122\.([2-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$' <<<"$ip"
		kv_check_eq "router" 192.168.122.1 "$(kv_dhcp "$VM" vd router)"
		kv_check_eq "lease listed" "52:54:00:56:00:01 $ip/24 vm" "$(kv_leases default)"
	fi
	kv_check_ok "the VM pings virbr0" kv_ping "$VM" 192.168.122.1
	log_test "a VM on default gets a 192.168.122.x lease"
}

not_redefined() {
	kv net-destroy default >/dev/null || kv_fail "net-destroy default"
	kv net-undefine default >/dev/null || kv_fail "net-undefine default"
	kvnetd_stop || kv_fail "kvnetd did not stop"
	KV_DEFAULT_NET=1 kvnetd_start "$SW" || {
		kv_fail "kvnetd did not start again"
		log_test "an undefined default is not defined again (the state dir is not fresh)"
		return
	}
	kv_check_eq "no network after the restart" "" "$(kv_net_names)"
	kv_check_fail "no virbr0" ip -n "$SW" link show virbr0
	log_test "an undefined default is not defined again (the state dir is not fresh)"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
