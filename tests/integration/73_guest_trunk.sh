#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 73_guest_trunk.sh - a real Linux guest on a trunk interface (802.1Q sub-interfaces through
# 8021q in the guest) reaches the access-port guests of each member VLAN and nothing else; its
# untagged traffic lands in the native VLAN (nativeMode='untagged'). Each guest is on another
# back-end: the trunk on a tap kvnet makes, the access guests on QEMU stream and dgram sockets.
#
#   kvnetd in ns sw: network n73 (switch br73, no IP), portgroups pg10, pg20, pg30 (access
#   VLANs) and trunk (<vlan trunk='yes'> 10, 20 nativeMode='untagged')
#   ga [stream, pg10, 52:54:00:73:00:0a]  10.73.10.2/24, and 10.73.20.3/24 on VLAN 10 too:
#        waits for gt, then finds no 10.73.20.2 (gb, VLAN 20) in its own subnet
#   gb [dgram,  pg20, 52:54:00:73:00:0b]  10.73.20.2/24, idle
#   gt [tap,   trunk, 52:54:00:73:00:01]  eth0 untagged 10.73.20.1/24 (native VLAN 20),
#        eth0.10 10.73.10.1/24, eth0.30 10.73.30.1/24 (30 is no member of its trunk); stays
#        up after its checks, so that the FDB still has its addresses
#   n30 [a namespace on a tap of pg30]    10.73.30.2/24
#   gt pings ga through eth0.10 and gb untagged, and gets no answer from n30 through eth0.30.
#
# ga and gb boot together, then gt (at most two boot at once); the times from QEMU's start to
# their results are printed, not checked.

ALL_TESTS="access_guests_up trunk_reaches_members trunk_vlans_only access_vlans_apart
	fdb_per_vlan guests_end"

source "$(dirname "$0")/lib.sh"

MACA=52:54:00:73:00:0a
MACB=52:54:00:73:00:0b
MACT=52:54:00:73:00:01
MACN=52:54:00:73:00:30

setup() {
	kv_require
	kv_require_guest
	SW=$(kv_ns sw)
	N30=$(kv_ns n30)
	kv_ns_add "$SW" "$N30"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/n73.xml" <<-'XML'
		<network>
		  <name>n73</name>
		  <bridge name='br73'/>
		  <portgroup name='pg10'><vlan><tag id='10'/></vlan></portgroup>
		  <portgroup name='pg20'><vlan><tag id='20'/></vlan></portgroup>
		  <portgroup name='pg30'><vlan><tag id='30'/></vlan></portgroup>
		  <portgroup name='trunk'>
		    <vlan trunk='yes'><tag id='10'/><tag id='20' nativeMode='untagged'/></vlan>
		  </portgroup>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n73.xml" n73
	kv_guest_attach n30 n73 $MACN tap "portgroup='pg30'" "" --netns "$N30"
	ip -n "$N30" link set n30eth0 up || kv_setup_fail "n30eth0 up in $N30"
	ip -n "$N30" addr add 10.73.30.2/24 dev n30eth0 || kv_setup_fail "address of n30"
}

# guest_up NAME BACKEND PORTGROUP MAC ADDR CMD - attach domain NAME to n73's PORTGROUP through
# BACKEND and boot guest NAME on it with static ADDR on eth0, running CMD
guest_up() {
	kv_guest_attach "$1" n73 "$4" "$2" "portgroup='$3'"
	kv_guest_boot "$1" "$SW" "$1" "kvtest.ip=$5" "kvtest.cmd=$(kv_b64 "$6")"
}

access_guests_up() {
	# ga waits for the trunk guest (gb is up by then), then looks for gb from VLAN 10
	guest_up ga stream pg10 $MACA 10.73.10.2/24 "ip addr add 10.73.20.3/24 dev eth0
result ready yes
while ! ping -c 1 -W 1 10.73.10.1 >/dev/null 2>&1; do sleep 0.3; done
result sees-trunk yes
kvnoping 10.73.20.2
result checked yes
sleep 600"
	guest_up gb dgram pg20 $MACB 10.73.20.2/24 "result ready yes; sleep 600"
	kv_guest_expect ga "KVTEST-RESULT: ready" '"ready"'
	kv_guest_expect gb "KVTEST-RESULT: ready" '"ready"'
	kv_check_eq "ga's back-end" stream "$(kv_iface_field ga backend)"
	kv_check_eq "gb's back-end" dgram "$(kv_iface_field gb backend)"
	kv_check_eq "ga's link" up "$(kv_iface_field ga link)"
	kv_check_eq "gb's link" up "$(kv_iface_field gb link)"
	log_test "ga (stream, VLAN 10) and gb (dgram, VLAN 20) boot on their access ports"
}

trunk_reaches_members() {
	guest_up gt tap trunk $MACT 10.73.20.1/24 "kvvlan 10 10.73.10.1/24
kvvlan 30 10.73.30.1/24
kvping 10.73.10.2
kvping 10.73.20.2
kvnoping 10.73.30.2
result checked yes
sleep 600"
	kv_guest_expect gt "KVTEST-RESULT: checked" "results (2 pings, 1 unanswered)" && GT_DONE=1
	kv_check_eq "gt's back-end" tap "$(kv_iface_field gt backend)"
	kv_check_eq "gt's MAC" $MACT "$(kv_guest_result gt mac)"
	kv_check_eq "gt's sub-interfaces" "10 10.73.10.1/24 ok
30 10.73.30.1/24 ok" "$(kv_guest_result gt vlan)"
	kv_check_eq "gt pings ga through eth0.10 and gb untagged (native VLAN 20)" "10.73.10.2 ok
10.73.20.2 ok" "$(kv_guest_result gt ping)"
	log_test "gt's eth0.10 reaches ga (VLAN 10); its untagged eth0 reaches gb (native VLAN 20)"
}

trunk_vlans_only() {
	local port
	[ -n "$GT_DONE" ] || kv_fail "gt did not finish: nothing to check"
	port=$(kv_iface_field gt name)
	kv_check_eq "vlan show $port: the trunk's VLANs, 20 native" "pvid 20: 10t 20u" \
		"$(kv_vlans "$port")"
	kv_check_eq "gt's eth0.30 gets no answer from n30 (VLAN 30, no member of the trunk)" \
		"10.73.30.2 ok" "$(kv_guest_result gt noping)"
	kv_check_eq "frames sent to n30's port (nobody else is on VLAN 30)" 0 \
		"$(kv_stat br73 n30eth0 tx_frames)"
	log_test "gt reaches nothing on VLAN 30, which its trunk does not carry"
}

access_vlans_apart() {
	if kv_guest_wait ga "KVTEST-RESULT: checked" 30; then
		kv_check_eq "ga saw gt through VLAN 10" yes "$(kv_guest_result ga sees-trunk)"
		kv_check_eq "ga (VLAN 10) gets no answer from gb (VLAN 20) in its subnet 10.73.20.0/24" \
			"10.73.20.2 ok" "$(kv_guest_result ga noping)"
	else
		kv_fail "ga did not look for gb: $(kv_guest_tail ga)"
	fi
	log_test "ga (stream, VLAN 10) does not reach gb (dgram, VLAN 20), in the same subnet"
}

fdb_per_vlan() {
	local pa pb pt
	pa=$(kv_iface_field ga name)
	pb=$(kv_iface_field gb name)
	pt=$(kv_iface_field gt name)
	kv_check_eq "fdb: gt's MAC in VLAN 10" "$pt" "$(kv_fdb_port br73 $MACT 10)"
	kv_check_eq "fdb: gt's MAC in VLAN 20 (untagged, native)" "$pt" "$(kv_fdb_port br73 $MACT 20)"
	kv_check_eq "fdb: gt's MAC not in VLAN 30" none "$(kv_fdb_port br73 $MACT 30)"
	kv_check_eq "fdb: ga's MAC in VLAN 10" "$pa" "$(kv_fdb_port br73 $MACA 10)"
	kv_check_eq "fdb: ga's MAC not in VLAN 20" none "$(kv_fdb_port br73 $MACA 20)"
	kv_check_eq "fdb: gb's MAC in VLAN 20" "$pb" "$(kv_fdb_port br73 $MACB 20)"
	log_test "the FDB has gt in VLANs 10 and 20, ga in 10 only, gb in 20"
}

guests_end() {
	kv_guests_end gt ga gb
	log_test "the guests end"
}

setup
tests_run
kv_exit
