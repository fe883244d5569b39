#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 70_guest_default_net.sh - two real Linux guests (QEMU, the image of scripts/guest/) on
# libvirt's default network take DHCP leases and ping each other and the gateway
#
#   kvnetd in ns sw: default (NAT, DHCP and DNS on virbr0, 192.168.122.1/24)
#   g2 [QEMU in ns sw, tap gt2 -> port add virbr0 dev:gt2, 52:54:00:70:00:02]
#        DHCP, pings the gateway, reports "ready" and stays up
#   g1 [QEMU in ns sw, tap gt1 -> port add virbr0 dev:gt1, 52:54:00:70:00:01]
#        DHCP, pings the gateway and g2's address, powers off
#
# The guests boot one after the other (g1 is told g2's address), each in software emulation;
# the time from QEMU's start to the guest's results is printed, not checked.

ALL_TESTS="guest2_up guest1_pings leases_listed dev_ports"

source "$(dirname "$0")/lib.sh"

MAC1=52:54:00:70:00:01
MAC2=52:54:00:70:00:02
GW=192.168.122.1
ADDR_RE='^192\.168\.122\.([2-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])/24$'

setup() {
	kv_require
	kv_require_services
	kv_require_guest
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	KV_DEFAULT_NET=1 kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_poll_eq "default network active" true kv_net_field default active ||
		kv_setup_fail "the default network did not start"
	kv_poll_eq "default's dnsmasq" running kv_dnsmasq default state ||
		kv_setup_fail "the default network's dnsmasq is not running"
}

# guest_attach NAME TAP - the tap QEMU made joins virbr0 (AF_PACKET)
guest_attach() {
	local out
	out=$(kv port add virbr0 "dev:$2" 2>&1) || kv_setup_fail "port add virbr0 dev:$2 ($1): $out"
}

# guest_boot NAME TAP MAC LINE CMD - boot guest NAME on virbr0 (DHCP), running CMD; wait for
# LINE on its console. Return: 1 (a failure recorded) if it does not come.
guest_boot() {
	kv_guest_start "$1" "$SW" "$2" "$3" kvtest.ip=dhcp "kvtest.cmd=$(kv_b64 "$5")"
	guest_attach "$1" "$2"
	kv_guest_wait "$1" "$4" && return 0
	kv_fail "$1 did not print '$4' within $KV_GUEST_WAIT s: $(kv_guest_tail "$1")"
	return 1
}

# guest_lease NAME MAC - check what guest NAME reports of its network: its MAC, an address
# in 192.168.122.0/24 (set in GUEST_IP), the router; and no error
guest_lease() {
	GUEST_IP=$(kv_guest_result "$1" ip)
	kv_check_eq "$1's MAC (QEMU's -device mac=)" "$2" "$(kv_guest_result "$1" mac)"
	kv_check_ok "$1's address '$GUEST_IP' is 192.168.122.x/24" grep -qE "$ADDR_RE" <<<"$GUEST_IP"
	kv_check_eq "$1's router" $GW "$(kv_guest_result "$1" router)"
	kv_check_eq "no error in $1" "" "$(kv_guest_result "$1" error)"
}

# guest_times NAME WHAT - print the time from QEMU's start to the guest's results (a figure)
guest_times() {
	echo "INFO: $1: QEMU start to results ($2): $KV_GUEST_SECS s; guest uptime with eth0" \
		"$(kv_guest_result "$1" t-eth0) s, with its address $(kv_guest_result "$1" t-addr) s"
}

guest2_up() {
	if guest_boot g2 gt2 $MAC2 "KVTEST-RESULT: ready" "kvping $GW; result ready yes; sleep 600"; then
		guest_lease g2 $MAC2
		G2_IP=$GUEST_IP
		kv_check_eq "g2 pings the gateway" "$GW ok" "$(kv_guest_result g2 ping)"
		guest_times g2 "lease, gateway ping"
	fi
	log_test "g2 boots, takes a lease on default and pings the gateway"
}

guest1_pings() {
	local g2=${G2_IP%/*}
	if [ -z "$g2" ]; then
		kv_fail "g2 has no address: g1 is not booted"
	elif guest_boot g1 gt1 $MAC1 KVTEST-DONE "kvping $GW; kvping $g2"; then
		guest_lease g1 $MAC1
		G1_IP=$GUEST_IP
		kv_check_ok "g1 and g2 have different addresses" test "$G1_IP" != "$G2_IP"
		kv_check_eq "g1's pings: the gateway, g2" "$GW ok
$g2 ok" "$(kv_guest_result g1 ping)"
		guest_times g1 "lease, 2 pings, KVTEST-DONE"
		kv_guest_stop g1
		kv_check_eq "g1's QEMU exited (the guest powered off)" gone "$(kv_pid_gone "$KV_LAST_GUEST_PID")"
	fi
	log_test "g1 boots, takes a lease, pings the gateway and g2"
}

leases_listed() {
	kv_check_eq "net-dhcp-leases default: both guests, their addresses and hostnames" \
		"$MAC1 ${G1_IP:-?} g1
$MAC2 ${G2_IP:-?} g2" "$(kv_leases default)"
	log_test "net-dhcp-leases default lists both guests' MACs with the addresses they report"
}

dev_ports() {
	kv_check_eq "g2's tap gt2 is a dev port" dev "$(kv_port_field gt2 type)"
	kv_check_ok "frames from g2 received on gt2" test "$(kv_stat virbr0 gt2 rx_frames)" -gt 0
	kv_guest_stop g2
	kv_check_eq "g2's QEMU ended" gone "$(kv_pid_gone "$KV_LAST_GUEST_PID")"
	log_test "the guests' taps are dev ports on virbr0; the guests end"
}

setup
tests_run
kv_exit
