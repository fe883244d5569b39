#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 55_net_bad_input.sh - networks that cannot run as defined: refused with a message naming
# the conflict and nothing half-made, or (dnsmasq failing) run without DHCP and DNS and say so
#
#   kvnetd in ns sw, which also has a veth pair x55 (10.55.0.9/24) - y55
#     n55a  NAT 192.168.156.0/24 on kvb55a (running)
#     n55b  192.168.156.0/24 on kvb55b        -> overlaps n55a: refused
#     n55c  10.55.0.0/24 on kvb55c            -> overlaps x55's 10.55.0.9: refused
#     n55d  <forward mode='bridge' dev='nope0'/> on kvb55d -> no such interface: refused
#     n55e  <dnsmasq:option value='no-such-option'/> -> runs, dnsmasq failed with its message
#   vm1, vm2 [e1, e2 in ns vm1, vm2] on n55e, static 192.168.157.11, .12

ALL_TESTS="overlap_network overlap_host_address bridge_dev_missing dnsmasq_fails"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$VM1" "$VM2"
	ip -n "$SW" link add x55 type veth peer name y55 || kv_setup_fail "veth x55/y55 in $SW"
	ip -n "$SW" addr add 10.55.0.9/24 dev x55 || kv_setup_fail "address on x55"
	ip -n "$SW" link set x55 up || kv_setup_fail "x55 up"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml n55a kvb55a 156 "<forward mode='nat'/>")" n55a
}

# nothing_of NET BRIDGE - check that NET left nothing running: inactive, no switch, no host
# port, no dnsmasq files or process, no rules
nothing_of() {
	kv_check_eq "$1 is inactive" false "$(kv_net_field "$1" active)"
	kv_check_ok "no switch $2 (kvnet bridge show)" \
		test -z "$(kv_q '[b["name"] for b in d["bridges"] if b["name"] == "'"$2"'"]' bridge show |
			tr -d '[]')"
	kv_check_fail "no host port $2 in kvnetd's namespace" ip -n "$SW" link show "$2"
	kv_check_fail "no RUN/dnsmasq/$1.conf" test -e "$KV_RUN/dnsmasq/$1.conf"
	kv_check_fail "no dnsmasq on $1.conf" grep -q "/$1.conf" \
		<<<"$(for p in $(kv_dnsmasq_pids); do tr '\0' ' ' <"/proc/$p/cmdline"; done)"
	kv_check_eq "no rule names $2" "" "$(kv_nft "$SW" | grep -F "\"$2\"")"
}

overlap_network() {
	kv net-define "$(kv_net_xml n55b kvb55b 156)" >/dev/null || kv_fail "net-define n55b"
	kv_check_run "net-start of a network overlapping n55a" 1 '^$' \
		"n55b.*n55a|n55a.*n55b" kv net-start n55b
	kv_check_ok "the message gives the subnet" grep -q '192\.168\.156\.' <<<"$KV_ERR"
	nothing_of n55b kvb55b
	kv_check_eq "n55a still active" true "$(kv_net_field n55a active)"
	kv_check_eq "n55a's dnsmasq still running" running "$(kv_dnsmasq n55a state)"
	kv net-destroy n55a >/dev/null || kv_fail "net-destroy n55a"
	kv_check_run "once n55a is destroyed, n55b starts" 0 'Network n55b started' '^$' \
		kv net-start n55b
	kv net-destroy n55b >/dev/null
	kv net-start n55a >/dev/null || kv_fail "net-start n55a again"
	log_test "a subnet overlapping a running network: refused naming both, nothing made"
}

overlap_host_address() {
	cat >"$KV_TMP/xml/n55c.xml" <<-'EOF'
		<network>
		  <name>n55c</name>
		  <bridge name='kvb55c'/>
		  <ip address='10.55.0.1' netmask='255.255.255.0'/>
		</network>
	EOF
	kv net-define "$KV_TMP/xml/n55c.xml" >/dev/null || kv_fail "net-define n55c"
	kv_check_run "net-start of a network overlapping x55's address" 1 '^$' \
		"n55c" kv net-start n55c
	kv_check_ok "the message names the address 10.55.0.9" grep -q '10\.55\.0\.9' <<<"$KV_ERR"
	kv_check_ok "the message names the interface x55" grep -q 'x55' <<<"$KV_ERR"
	nothing_of n55c kvb55c
	ip -n "$SW" addr del 10.55.0.9/24 dev x55
	kv_check_run "without that address, n55c starts" 0 'Network n55c started' '^$' \
		kv net-start n55c
	kv net-destroy n55c >/dev/null
	log_test "a subnet overlapping an address in kvnetd's namespace: refused naming it"
}

bridge_dev_missing() {
	cat >"$KV_TMP/xml/n55d.xml" <<-'EOF'
		<network>
		  <name>n55d</name>
		  <forward mode='bridge' dev='nope0'/>
		  <bridge name='kvb55d'/>
		</network>
	EOF
	kv net-define "$KV_TMP/xml/n55d.xml" >/dev/null || kv_fail "net-define n55d"
	kv_check_run "net-start of a bridge network whose forward dev is missing" 1 '^$' \
		"nope0" kv net-start n55d
	kv_check_ok "the message says it does not exist" \
		grep -qiE 'not exist|no such|not found' <<<"$KV_ERR"
	kv_check_run "net-list shows n55d inactive" 0 'n55d +inactive' '^$' kv net-list --all
	nothing_of n55d kvb55d
	sed -i "s/nope0/y55/" "$KV_TMP/xml/n55d.xml"
	kv net-define "$KV_TMP/xml/n55d.xml" >/dev/null || kv_fail "net-define n55d with y55"
	kv_check_run "with an interface that exists, it starts" 0 'Network n55d started' '^$' \
		kv net-start n55d
	kv_check_eq "its switch has its host netdev and y55" "kvb55d y55" \
		"$(kv_q '" ".join(d["bridges"][0]["ports"])' bridge show kvb55d)"
	log_test "<forward mode='bridge' dev='nope0'/>: a clear error, no switch left"
}

dnsmasq_fails() {
	local pids
	kv_net_xml n55e kvb55e 157 "" \
		"<dnsmasq:options><dnsmasq:option value='no-such-option'/></dnsmasq:options>" >/dev/null
	sed -i "s|^<network>|<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>|" \
		"$KV_TMP/xml/n55e.xml"
	pids=$(kv_dnsmasq_pids)
	kv net-define "$KV_TMP/xml/n55e.xml" >/dev/null || kv_fail "net-define n55e"
	kv_check_run "net-start succeeds though dnsmasq cannot start, and warns why" 0 \
		'Network n55e started' 'warning: .*n55e.*without DHCP and DNS.*bad option' \
		kv net-start n55e
	kv_check_eq "net-info: dnsmasq failed" failed "$(kv_dnsmasq n55e state)"
	kv_check_ok "net-info's error is dnsmasq's message ($(kv_dnsmasq n55e error))" \
		grep -qi 'bad option' <<<"$(kv_dnsmasq n55e error)"
	kv_check_eq "net-info: no pid" null "$(kv_dnsmasq n55e pid)"
	kv_check_run "net-info (text) says so" 0 'DHCP/DNS: +dnsmasq failed' '^$' kv net-info n55e
	kv_check_ok "net-info (text) gives dnsmasq's message" grep -qiE 'error.*bad option' <<<"$KV_OUT"
	kv_check_eq "no new dnsmasq process" "$pids" "$(kv_dnsmasq_pids)"
	kv_check_ok "kvnetd's log says dnsmasq of n55e failed" \
		grep -qiE 'n55e.*dnsmasq.*bad option' "$KV_LOG"
	kv_check_eq "the network is active" true "$(kv_net_field n55e active)"
	kv_poll_ge "kvnetd keeps retrying (restarts)" 1 kv_dnsmasq n55e restarts
	kv_check_eq "still failed" failed "$(kv_dnsmasq n55e state)"
	kv_vm_attach vm1 n55e 52:54:00:55:00:01 "$VM1" e1
	kv_vm_attach vm2 n55e 52:54:00:55:00:02 "$VM2" e2
	ip -n "$VM1" addr add 192.168.157.11/24 dev e1
	ip -n "$VM2" addr add 192.168.157.12/24 dev e2
	kv_check_ok "vm1 pings vm2: the switch forwards" kv_ping "$VM1" 192.168.157.12 2
	kv_check_ok "vm1 pings the host port" kv_ping "$VM1" 192.168.157.1
	log_test "dnsmasq fails: the network runs, net-info and the log give dnsmasq's message"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
