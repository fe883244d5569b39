#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 75_guest_vxlan.sh - real Linux guests (QEMU, scripts/guest/'s image) on two hosts of one
# network joined by <kvnet:vxlan>: the guest on h2 takes its lease from h1's dnsmasq across
# the overlay, and the guests ping each other
#
#   g1 [QEMU in h1, tap g1eth0, MAC1]             g2 [QEMU in h2, tap g2eth0, MAC2]
#   h1: kvnetd, network ov75 (bridge ovbr75)      h2: kvnetd, network ov75 (no <ip>)
#       192.168.175.1/24, DHCP .100-.200,
#       MAC2 -> .50
#       vx-ovbr75 vni 7500 -> 10.0.75.2           vx-ovbr75 vni 7500 -> 10.0.75.1
#        | 10.0.75.1 ====== veth underlay ====== 10.0.75.2 |
#
# g2 boots first (DHCP across the overlay, pings h1's host port, stays up); then g1 (DHCP,
# pings the host port and g2). The time from QEMU's start to the results is printed, not
# checked.

ALL_TESTS="guest_on_h2_leases_across guest_on_h1_pings_across fdb_remotes"

source "$(dirname "$0")/lib.sh"

NET=ov75
MAC1=52:54:00:75:00:01
MAC2=52:54:00:75:00:02
GW=192.168.175.1
IP2=192.168.175.50
RANGE_RE='^192\.168\.175\.(1[0-9][0-9]|200)/24$'

# host N OTHER [IP] - kvnetd on host N with network ov75, its overlay to host OTHER
host() {
	local -n hns=H$1
	KV_INSTANCE=h$1 kvnetd_start "$hns" || kv_setup_fail "kvnetd on h$1 did not start"
	kvnetd_save H$1
	kv_vxlan_net_xml "$KV_TMP/xml/h$1.xml" $NET ovbr75 7500 "10.0.75.$1" "${3:-}" "10.0.75.$2"
	kv_net_up "$KV_TMP/xml/h$1.xml" $NET
}

setup() {
	kv_require
	kv_require_services
	kv_require_guest
	kv_tmp
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	kv_ns_add "$H1" "$H2"
	kv_veth "$H1" ul0 "$H2" ul0
	ip -n "$H1" addr add 10.0.75.1/24 dev ul0 || kv_setup_fail "underlay address in h1"
	ip -n "$H2" addr add 10.0.75.2/24 dev ul0 || kv_setup_fail "underlay address in h2"
	host 1 2 "<ip address='$GW' prefix='24'><dhcp>
		<range start='192.168.175.100' end='192.168.175.200'/>
		<host mac='$MAC2' name='g2' ip='$IP2'/></dhcp></ip>"
	kv_poll_eq "h1's dnsmasq" running kv_dnsmasq $NET state ||
		kv_setup_fail "h1's dnsmasq is not running"
	host 2 1
	kvnetd_use H1
	kv_guest_attach g1 $NET $MAC1 tap
	kvnetd_use H2
	kv_guest_attach g2 $NET $MAC2 tap
}

guest_on_h2_leases_across() {
	kvnetd_use H2
	kv_guest_boot g2 "$H2" g2 kvtest.ip=dhcp "kvtest.cmd=$(kv_b64 "kvping $GW
result ready yes
sleep 600")"
	if kv_guest_expect g2 "KVTEST-RESULT: ready" "lease across the overlay, ping"; then
		kv_check_eq "g2's MAC" $MAC2 "$(kv_guest_result g2 mac)"
		kv_check_eq "g2's lease, from h1's dnsmasq" "$IP2/24" "$(kv_guest_result g2 ip)"
		kv_check_eq "g2 pings h1's host port" "$GW ok" "$(kv_guest_result g2 ping)"
	fi
	kvnetd_use H1
	log_test "a guest on h2 takes its lease from h1 across the overlay, pings h1"
}

guest_on_h1_pings_across() {
	kvnetd_use H1
	kv_guest_boot g1 "$H1" g1 kvtest.ip=dhcp "kvtest.cmd=$(kv_b64 "kvping $GW
kvping $IP2")"
	if kv_guest_expect g1 KVTEST-DONE "lease, 2 pings"; then
		kv_check_ok "g1's lease is in the range" grep -qE "$RANGE_RE" \
			<<<"$(kv_guest_result g1 ip)"
		kv_check_eq "g1's pings: the host port, g2 on h2" "$GW ok"$'\n'"$IP2 ok" \
			"$(kv_guest_result g1 ping)"
	fi
	log_test "a guest on h1 pings the guest on h2 across the overlay"
}

fdb_remotes() {
	kvnetd_use H1
	kv_check_eq "h1: g2's MAC behind h2" 10.0.75.2 "$(kv_q "next((e.get(\"remote\", \"none\")
		for e in d[\"entries\"] if e[\"mac\"] == \"$MAC2\"), \"no entry\")" fdb show ovbr75)"
	kv_guests_end g1 g2
	log_test "h1's FDB has g2 behind h2; the guests end"
}

# stop_h2 - h2's kvnetd exits cleanly too (kv_exit stops h1's)
stop_h2() {
	RET=0
	kvnetd_use H2
	kvnetd_stop || kv_fail "kvnetd on h2 did not exit within $KV_WAIT s of SIGTERM"
	! kv_sanitizer_report >/dev/null ||
		kv_fail "sanitizer report in h2's log: $(kv_sanitizer_report | head -20)"
	log_test "kvnetd on h2 exits on SIGTERM without a sanitizer report"
	kvnetd_use H1
}

setup
tests_run
stop_h2
kv_exit
