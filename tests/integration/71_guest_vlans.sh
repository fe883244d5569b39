#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 71_guest_vlans.sh - three real Linux guests (QEMU, the image of scripts/guest/) on access
# ports of two VLANs, all in one IP subnet: guests of the same VLAN ping each other, a guest
# of the other VLAN is not reached
#
#   kvnetd in ns sw: switch br71
#   gb [tap gtb, VLAN 10 access, 52:54:00:71:00:0b, 10.71.0.2/24]  idle ("ready")
#   gc [tap gtc, VLAN 20 access, 52:54:00:71:00:0c, 10.71.0.3/24]  idle ("ready")
#   ga [tap gta, VLAN 10 access, 52:54:00:71:00:0a, 10.71.0.1/24]  pings gb (answers) and
#        gc (no answer), powers off
#
# QEMU runs in kvnetd's namespace; each tap joins br71 with `port add br71 dev:TAP` and is made
# an access port with `vlan del/add`. gb and gc boot together, then ga (at most two boot at once).

ALL_TESTS="idle_guests_up same_vlan_pings other_vlan_not_reached fdb_per_vlan"

source "$(dirname "$0")/lib.sh"

MACA=52:54:00:71:00:0a
MACB=52:54:00:71:00:0b
MACC=52:54:00:71:00:0c

setup() {
	kv_require
	kv_require_guest
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br71 >/dev/null || kv_setup_fail "bridge add br71"
}

# guest_vlan NAME TAP MAC VID ADDR CMD - boot guest NAME with ADDR, its tap an access port of VID
guest_vlan() {
	local out
	kv_guest_start "$1" "$SW" "$2" "$3" "kvtest.ip=$5" "kvtest.cmd=$(kv_b64 "$6")"
	out=$(kv port add br71 "dev:$2" 2>&1) || kv_setup_fail "port add br71 dev:$2: $out"
	kv_access "$2" "$4"
}

# guest_ready NAME - wait for "ready" from guest NAME; record a failure if it does not come
guest_ready() {
	if kv_guest_wait "$1" "KVTEST-RESULT: ready"; then
		echo "INFO: $1: QEMU start to \"ready\": $KV_GUEST_SECS s"
		kv_check_eq "no error in $1" "" "$(kv_guest_result "$1" error)"
		return 0
	fi
	kv_fail "$1 did not report ready within $KV_GUEST_WAIT s: $(kv_guest_tail "$1")"
	return 1
}

idle_guests_up() {
	guest_vlan gb gtb $MACB 10 10.71.0.2/24 "result ready yes; sleep 600"
	guest_vlan gc gtc $MACC 20 10.71.0.3/24 "result ready yes; sleep 600"
	guest_ready gb && guest_ready gc
	kv_check_eq "vlan show gtb" "pvid 10: 10u" "$(kv_vlans gtb)"
	kv_check_eq "vlan show gtc" "pvid 20: 20u" "$(kv_vlans gtc)"
	log_test "gb (VLAN 10) and gc (VLAN 20) boot with their static addresses"
}

same_vlan_pings() {
	guest_vlan ga gta $MACA 10 10.71.0.1/24 "kvping 10.71.0.2; kvnoping 10.71.0.3"
	if kv_guest_wait ga KVTEST-DONE; then
		echo "INFO: ga: QEMU start to results (a ping, a ping that gets no answer): $KV_GUEST_SECS s"
		GA_DONE=1
	else
		kv_fail "ga did not finish within $KV_GUEST_WAIT s: $(kv_guest_tail ga)"
	fi
	kv_check_eq "ga's MAC" $MACA "$(kv_guest_result ga mac)"
	kv_check_eq "ga pings gb (both VLAN 10)" "10.71.0.2 ok" "$(kv_guest_result ga ping)"
	kv_check_eq "no error in ga" "" "$(kv_guest_result ga error)"
	log_test "ga pings gb: both on VLAN 10"
}

other_vlan_not_reached() {
	[ -n "$GA_DONE" ] || kv_fail "ga did not finish: nothing to check"
	kv_check_eq "ga (VLAN 10) gets no answer from gc (VLAN 20)" "10.71.0.3 ok" \
		"$(kv_guest_result ga noping)"
	kv_check_eq "frames sent to gc's port gtc (nobody else is on VLAN 20)" 0 \
		"$(kv_stat br71 gtc tx_frames)"
	log_test "ga (VLAN 10) does not reach gc (VLAN 20), in the same subnet"
}

fdb_per_vlan() {
	kv_check_eq "fdb: gb's MAC in VLAN 10" gtb "$(kv_fdb_port br71 $MACB 10)"
	kv_check_eq "fdb: gb's MAC not in VLAN 20" none "$(kv_fdb_port br71 $MACB 20)"
	kv_guest_stop ga
	kv_guest_stop gb
	kv_guest_stop gc
	kv_check_eq "gc's QEMU ended" gone "$(kv_pid_gone "$KV_LAST_GUEST_PID")"
	log_test "the FDB has gb in VLAN 10 only; the guests end"
}

setup
tests_run
kv_exit
