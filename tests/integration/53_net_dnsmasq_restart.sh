#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 53_net_dnsmasq_restart.sh - kvnetd supervises each network's dnsmasq: killed, it is started
# again (net-info shows the new pid and the restart count), its leases survive, and the VMs
# get and renew leases from the new one
#
#   kvnetd in ns sw: network n53 (NAT, switch kvb53, 192.168.153.1/24, DHCP .100-.200)
#   vm1 [v1 in ns vm1]  leased before the kill, renews after it
#   vm2 [v2 in ns vm2]  leased only after the kill
#   vm3 [v3 in ns vm3]  leased after net-update replaced the range by .210-.220
#
# The dnsmasq killed is the one kvnetd started for this test's network (its pid from
# `kvnet --json net-info`), ended by that pid.

ALL_TESTS="before_kill restarted leases_survive renew_after new_lease_after killed_again
	update_range"

source "$(dirname "$0")/lib.sh"

NET=n53
MAC1=52:54:00:53:00:01
MAC2=52:54:00:53:00:02
MAC3=52:54:00:53:00:03

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb53 153 "<forward mode='nat'/>")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv_vm_attach vm3 "$NET" $MAC3 "$VM3" v3
	kv_udhcpc "$VM1" v1 -x hostname:vm1 ||
		kv_setup_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
	VM1_IP=$(kv_dhcp "$VM1" v1 ip)
}

# dnsmasq_status OLD_PID - "running new" once net-info shows dnsmasq running with a pid other
# than OLD_PID that is a live process; else what it shows
dnsmasq_status() {
	local st pid
	st=$(kv_dnsmasq $NET state)
	pid=$(kv_dnsmasq $NET pid)
	if [ "$st" = running ] && [ "$pid" != "$1" ] && [[ "$pid" =~ ^[0-9]+$ ]] &&
		[ "$(kv_pid_gone "$pid")" = alive ]; then
		echo "running new"
	else
		echo "$st pid $pid"
	fi
}

before_kill() {
	PID0=$(kv_dnsmasq $NET pid)
	kv_check_eq "dnsmasq running" running "$(kv_dnsmasq $NET state)"
	kv_check_eq "its pid is a live process" alive "$(kv_pid_gone "$PID0")"
	kv_check_ok "its pid runs dnsmasq on n53's configuration" \
		grep -q "n53.conf" "/proc/$PID0/cmdline"
	kv_check_eq "no restarts yet" 0 "$(kv_dnsmasq $NET restarts)"
	kv_check_eq "vm1 leased" "$MAC1 $VM1_IP/24 vm1" "$(kv_leases $NET)"
	log_test "before: dnsmasq running, vm1 has a lease"
}

restarted() {
	kill -KILL "$PID0" || kv_fail "kill -KILL $PID0 failed"
	kv_poll_eq "the pid killed is gone" gone kv_pid_gone "$PID0"
	kv_poll_eq "net-info: dnsmasq running again with a new pid" "running new" \
		dnsmasq_status "$PID0"
	PID1=$(kv_dnsmasq $NET pid)
	kv_check_ok "restarts >= 1 (seen $(kv_dnsmasq $NET restarts))" \
		test "$(kv_dnsmasq $NET restarts)" -ge 1
	kv_check_ok "the new pid runs dnsmasq on n53's configuration" \
		grep -q "n53.conf" "/proc/$PID1/cmdline"
	kv_check_ok "kvnetd's log says dnsmasq of n53 died or was restarted" \
		grep -qiE "n53.*dnsmasq.*(died|exit|kill|signal|restart)|dnsmasq.*n53.*(died|exit|kill|signal|restart)" \
		"$KV_LOG"
	kv_check_eq "the network is still active" true "$(kv_net_field $NET active)"
	kv_check_run "net-info (text) shows it" 0 \
		"DHCP/DNS: +dnsmasq running \\(pid $PID1, [1-9][0-9]* restarts?\\)" '^$' kv net-info $NET
	log_test "dnsmasq killed: kvnetd starts it again (new pid, restarts >= 1)"
}

leases_survive() {
	kv_check_eq "net-dhcp-leases still lists vm1's lease" "$MAC1 $VM1_IP/24 vm1" \
		"$(kv_leases $NET)"
	log_test "the lease file survives the restart"
}

renew_after() {
	if ! kv_udhcpc "$VM1" v1 -x hostname:vm1 -r "$VM1_IP"; then
		kv_fail "vm1 got no lease from the new dnsmasq: $(kv_udhcpc_log "$VM1" v1)"
	else
		kv_check_eq "vm1 keeps its address" "$VM1_IP" "$(kv_dhcp "$VM1" v1 ip)"
		kv_check_eq "served by the host port" 192.168.153.1 "$(kv_dhcp "$VM1" v1 serverid)"
	fi
	kv_check_ok "vm1 pings the host port" kv_ping "$VM1" 192.168.153.1
	log_test "vm1 renews its lease from the restarted dnsmasq, same address"
}

new_lease_after() {
	local ip
	if ! kv_udhcpc "$VM2" v2 -x hostname:vm2; then
		kv_fail "vm2 got no lease from the new dnsmasq: $(kv_udhcpc_log "$VM2" v2)"
	else
		ip=$(kv_dhcp "$VM2" v2 ip)
		kv_check_ok "vm2's address $ip is in the range, not vm1's" \
			test "${ip%.*}" = 192.168.153 -a "${ip##*.}" -ge 100 -a "${ip##*.}" -le 200 \
			-a "$ip" != "$VM1_IP"
		kv_check_eq "both leases listed" "$MAC1 $VM1_IP/24 vm1
$MAC2 $ip/24 vm2" "$(kv_leases $NET)"
	fi
	log_test "a new VM gets a lease from the restarted dnsmasq"
}

killed_again() {
	local before
	before=$(kv_dnsmasq $NET restarts)
	kill -KILL "$PID1" || kv_fail "kill -KILL $PID1 failed"
	kv_poll_eq "net-info: dnsmasq running again with another pid" "running new" \
		dnsmasq_status "$PID1"
	kv_check_ok "restarts grew (from $before to $(kv_dnsmasq $NET restarts))" \
		test "$(kv_dnsmasq $NET restarts)" -gt "$before"
	kv_check_eq "exactly one dnsmasq runs for this test's networks" 1 \
		"$(kv_dnsmasq_pids | wc -w)"
	log_test "killed again: started again, the restart count grows, one dnsmasq"
}

update_range() {
	local pid ip
	pid=$(kv_dnsmasq $NET pid)
	kv_check_run "net-update add ip-dhcp-range .210-.220 --live" 0 '' '^$' \
		kv net-update $NET add ip-dhcp-range \
		"<range start='192.168.153.210' end='192.168.153.220'/>" --live
	kv_check_run "net-update delete ip-dhcp-range .100-.200 --live" 0 '' '^$' \
		kv net-update $NET delete ip-dhcp-range \
		"<range start='192.168.153.100' end='192.168.153.200'/>" --live
	kv_poll_eq "dnsmasq restarted for the new range (running, new pid)" "running new" \
		dnsmasq_status "$pid"
	if ! kv_udhcpc "$VM3" v3 -x hostname:vm3; then
		kv_fail "vm3 got no lease: $(kv_udhcpc_log "$VM3" v3)"
	else
		ip=$(kv_dhcp "$VM3" v3 ip)
		kv_check_ok "vm3's address $ip is in the new range .210-.220" \
			test "${ip%.*}" = 192.168.153 -a "${ip##*.}" -ge 210 -a "${ip##*.}" -le 220
	fi
	kv_check_eq "vm1's lease still listed" "$MAC1 $VM1_IP/24 vm1" "$(kv_leases $NET --mac $MAC1)"
	log_test "net-update of the DHCP range --live: dnsmasq restarted, new VMs lease from it"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
