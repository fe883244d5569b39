#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 37_svlan_schannel.sh - 802.1ad: an S-VLAN bridge with a dot1q-tunnel port, and S-channels
#
#   c3 [t3 MAC3] -- sb (vlan_protocol 802.1ad): t3 dot1q-tunnel PVID 300, dev:up2 trunk 300
#                      up2 ==veth== pr2 (ns lan: the provider's network, raw frames)
#   c1 [t1 MAC1] -- cb1: t1 trunk C-VLAN 10, S-channel upl.100 trunk C-VLAN 10 --\
#   c2 [t2 MAC2] -- cb2: t2 access, S-channel upl.200 untagged -------------------- pb
#   pb (vlan_protocol 802.1ad): upl.100-s, upl.200-s, dev:upl      upl ==veth== prv (ns lan)
#
# Frames on the provider's side are read raw: the S-tag (0x88a8) outside, the customer's
# C-tag (0x8100) inside, as sent. kvnetd is restarted once: the S-channels come back from the
# store with their VLANs.

ALL_TESTS="svlan_bridge tunnel_out tunnel_in svlan_filter schannel_out schannel_in
	schannel_errors schannel_restart schannel_del schannel_bridge_del"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:37:00:01
MAC2=02:00:00:37:00:02
MAC3=02:00:00:37:00:03
MACP=02:00:00:37:00:fe

setup() {
	SW=$(kv_ns sw)
	LAN=$(kv_ns lan)
	C1=$(kv_ns c1)
	C2=$(kv_ns c2)
	C3=$(kv_ns c3)
	kv_ns_add "$SW" "$LAN" "$C1" "$C2" "$C3"
	kv_veth "$SW" up2 "$LAN" pr2
	kv_veth "$SW" upl "$LAN" prv
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add sb vlan_protocol 802.1ad >/dev/null || kv_setup_fail "bridge add sb"
	kv_tap_host sb t3 "$C3" $MAC3
	kv port add sb dev:up2 >/dev/null || kv_setup_fail "port add sb dev:up2"
	kv_access t3 300
	kv port set t3 dot1q_tunnel on || kv_setup_fail "port set t3 dot1q_tunnel on"
	kv vlan del up2 vid 1 >/dev/null || kv_setup_fail "vlan del up2 vid 1"
	kv vlan add up2 vid 300 >/dev/null || kv_setup_fail "vlan add up2 vid 300"
	kv bridge add cb1 >/dev/null || kv_setup_fail "bridge add cb1"
	kv bridge add cb2 >/dev/null || kv_setup_fail "bridge add cb2"
	kv_tap_host cb1 t1 "$C1" $MAC1
	kv_tap_host cb2 t2 "$C2" $MAC2
	kv bridge add pb vlan_protocol 802.1ad >/dev/null || kv_setup_fail "bridge add pb"
	kv port add pb dev:upl >/dev/null || kv_setup_fail "port add pb dev:upl"
}

svlan_bridge() {
	kv_check_eq "bridge show sb: vlan_protocol" 802.1ad \
		"$(kv_q 'd["bridges"][0]["vlan_protocol"]' bridge show sb)"
	kv_check_eq "bridge show cb1: vlan_protocol" 802.1Q \
		"$(kv_q 'd["bridges"][0]["vlan_protocol"]' bridge show cb1)"
	kv_check_run "bridge show (table) says 802.1ad" 0 "sb +on 802.1ad" "" kv bridge show sb
	kv_check_eq "port show: t3 dot1q_tunnel" true "$(kv_port_field t3 flags.dot1q_tunnel)"
	kv_check_run "an unknown vlan_protocol is refused" 2 "" "vlan_protocol.*802.1Q or 802.1ad" \
		kv bridge add sx vlan_protocol 802.1x
	log_test "bridge add vlan_protocol 802.1ad: shown by bridge show; port dot1q_tunnel shown"
}

tunnel_out() {
	# whatever the customer sends, C-tagged or not, leaves inside S-tag 300
	cap_start ct expect "$LAN" pr2 --src $MAC3 --vlan 300 --tpid 0x88a8 --inner-vlan 10 \
		--tag tun1
	kv_send "$C3" t3 --src $MAC3 --vlan 10 --tag tun1
	cap_check_seen "C-tagged 10 from the tunnel port: S-tag 300, C-tag 10 inside" ct
	cap_start cu expect "$LAN" pr2 --src $MAC3 --vlan 300 --tpid 0x88a8 --no-inner --tag tun2
	kv_send "$C3" t3 --src $MAC3 --tag tun2
	cap_check_seen "untagged from the tunnel port: S-tag 300 only" cu
	# even the customer's own S-tag is payload at a dot1q-tunnel port
	cap_start cs expect "$LAN" pr2 --src $MAC3 --vlan 300 --tpid 0x88a8 --inner-vlan 9 \
		--tag tun3
	kv_send "$C3" t3 --src $MAC3 --tpid 0x88a8 --vlan 9 --tag tun3
	cap_check_seen "S-tagged 9 from the tunnel port: inside S-tag 300" cs
	log_test "dot1q-tunnel: a customer's frames, tagged or not, leave inside one S-tag"
}

tunnel_in() {
	cap_start in3 expect "$C3" t3 --src $MACP --vlan 10 --no-inner --tag tin
	kv_send "$LAN" pr2 --src $MACP --dst $MAC3 --tpid 0x88a8 --vlan 300 --inner-vlan 10 \
		--tag tin
	cap_check_seen "S-tag 300 popped, the customer's C-tag 10 kept" in3
	log_test "dot1q-tunnel: S-tag popped on the way back, C-tag intact"
}

svlan_filter() {
	local before
	before=$(kv_stat sb up2 drops.ingress-filter)
	cap_start no3 count "$C3" t3 --src $MACP --tag sf
	kv_send "$LAN" pr2 --src $MACP --dst $MAC3 --tpid 0x88a8 --vlan 301 --inner-vlan 10 --tag sf
	kv_poll_eq "stats: up2 ingress-filter after S-VLAN 301" $((before + 1)) \
		kv_stat sb up2 drops.ingress-filter
	cap_check_count "S-VLAN 301 frame at the customer of 300" 0 no3
	kv_check_eq "stats: up2 qinq" 0 "$(kv_stat sb up2 drops.qinq)"
	log_test "S-VLAN bridge: filters on the S-tag (301 not a member: ingress-filter)"
}

schannel_out() {
	kv_check_ok "add-schannel cb1 upl 100" kv port add-schannel cb1 upl 100
	kv_check_ok "add-schannel cb2 upl 200" kv port add-schannel cb2 upl 200
	kv_check_eq "port show: upl.100's bridge" cb1 "$(kv_port_field upl.100 bridge)"
	kv_check_eq "port show: upl.100's patch" upl.100-s "$(kv_port_field upl.100 patch)"
	kv_check_eq "port show: upl.100-s's bridge" pb "$(kv_port_field upl.100-s bridge)"
	kv_check_eq "vlan show: upl.100-s" "pvid 100: 100u" "$(kv_vlans upl.100-s)"
	kv_check_eq "vlan show: upl" "pvid 1: 1u 100t 200t" "$(kv_vlans upl)"
	# cb1: the customer's C-VLAN 10 tagged on both ports
	kv vlan add t1 vid 10 >/dev/null || kv_fail "vlan add t1 vid 10"
	kv vlan add upl.100 vid 10 >/dev/null || kv_fail "vlan add upl.100 vid 10"
	cap_start s1 expect "$LAN" prv --src $MAC1 --vlan 100 --tpid 0x88a8 --inner-vlan 10 \
		--tag sc1
	cap_start x1 count "$LAN" prv --src $MAC1 --vlan 200 --tpid 0x88a8 --tag sc1
	kv_send "$C1" t1 --src $MAC1 --vlan 10 --tag sc1
	cap_check_seen "customer 1's C-VLAN 10 leaves in S-tag 100, C-tag 10 inside" s1
	cap_check_count "customer 1's frame in S-tag 200" 0 x1
	cap_start s2 expect "$LAN" prv --src $MAC2 --vlan 200 --tpid 0x88a8 --no-inner --tag sc2
	kv_send "$C2" t2 --src $MAC2 --tag sc2
	cap_check_seen "customer 2's untagged frame leaves in S-tag 200" s2
	kv_check_run "pb stays an S-VLAN bridge while it has S-channels" 1 "" \
		"bridge 'pb' carries S-channel 'upl.100'" kv bridge set pb vlan_protocol 802.1Q
	kv_check_run "pb keeps filtering while it has S-channels" 1 "" \
		"stays an S-VLAN bridge with vlan_filtering on" kv bridge set pb vlan_filtering off
	log_test "S-channels 100 and 200 of one uplink: each customer's frames in its S-tag"
}

schannel_in() {
	cap_start in1 expect "$C1" t1 --src $MACP --vlan 10 --no-inner --tag si1
	cap_start no2 count "$C2" t2 --src $MACP --tag si1
	kv_send "$LAN" prv --src $MACP --dst $MAC1 --tpid 0x88a8 --vlan 100 --inner-vlan 10 \
		--tag si1
	cap_check_seen "S-tag 100 reaches customer 1 with its C-tag 10" in1
	cap_check_count "S-tag 100 at customer 2" 0 no2
	cap_start in2 expect "$C2" t2 --src $MACP --untagged --tag si2
	cap_start no1 count "$C1" t1 --src $MACP --tag si2
	kv_send "$LAN" prv --src $MACP --dst $MAC2 --tpid 0x88a8 --vlan 200 --tag si2
	cap_check_seen "S-tag 200 reaches customer 2, untagged" in2
	cap_check_count "S-tag 200 at customer 1" 0 no1
	log_test "S-channels: frames in on S-tag 100 reach only customer bridge 1, 200 only 2"
}

schannel_errors() {
	kv_check_run "the same S-channel twice" 1 "" "port 'upl.100' already exists" \
		kv port add-schannel cb2 upl 100
	kv_check_run "an uplink that is no port" 1 "" "uplink 'nosuch' is not a port.*802.1ad" \
		kv port add-schannel cb1 nosuch 100
	kv_check_run "an uplink on an 802.1Q bridge" 1 "" "t1.*not an S-VLAN bridge" \
		kv port add-schannel cb2 t1 100
	kv_check_run "an S-channel to its own bridge" 1 "" "not to itself" \
		kv port add-schannel pb upl 300
	kv_check_run "S-VID 4095" 2 "" "S-VID.*1..4094" kv port add-schannel cb1 upl 4095
	kv_check_run "a name too long for NAME-s" 1 "" "at most 13" \
		kv port add-schannel cb1 upl 300 name longname12345x
	log_test "add-schannel refuses a taken S-VID, a bad uplink, its own bridge, bad values"
}

# kvnetd restarted: each S-channel made again from its bridge's file, after the S-VLAN bridge
# of its uplink, with both ends' VLANs; traffic goes through it again
schannel_restart() {
	local p before=() after=()
	for p in upl.100 upl.100-s upl.200 upl.200-s upl t1; do before+=("$p $(kv_vlans $p)"); done
	kvnetd_stop || kv_fail "kvnetd did not stop"
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd did not start again"
		log_test "S-channels survive a restart of kvnetd"
		return
	fi
	kv_check_eq "port show: upl.100's patch after the restart" upl.100-s \
		"$(kv_port_field upl.100 patch)"
	kv_check_eq "port show: upl.200-s's bridge after the restart" pb \
		"$(kv_port_field upl.200-s bridge)"
	for p in upl.100 upl.100-s upl.200 upl.200-s upl t1; do after+=("$p $(kv_vlans $p)"); done
	kv_check_eq "VLANs of both ends, the uplink and t1 after the restart" "${before[*]}" \
		"${after[*]}"
	kv_check_eq "no port skipped in the log" 0 "$(grep -c 'skipped\|cannot be made again' "$KV_LOG")"
	# the taps were made again, down, in their namespaces
	ip -n "$C1" link set t1 up && ip -n "$C2" link set t2 up || kv_fail "t1, t2 up again"
	cap_start rin1 expect "$C1" t1 --src $MACP --vlan 10 --no-inner --tag sr1
	kv_send "$LAN" prv --src $MACP --dst $MAC1 --tpid 0x88a8 --vlan 100 --inner-vlan 10 \
		--tag sr1
	cap_check_seen "S-tag 100 reaches customer 1 with its C-tag 10 after the restart" rin1
	cap_start rs2 expect "$LAN" prv --src $MAC2 --vlan 200 --tpid 0x88a8 --no-inner --tag sr2
	kv_send "$C2" t2 --src $MAC2 --tag sr2
	cap_check_seen "customer 2's untagged frame leaves in S-tag 200 after the restart" rs2
	log_test "S-channels survive a restart of kvnetd: both ends, their VLANs, traffic"
}

schannel_del() {
	kv_check_ok "port del upl.100" kv port del upl.100
	kv_check_eq "upl.100-s went with it" "no port upl.100-s" "$(kv_port_field upl.100-s bridge)"
	kv_check_ok "port del upl.200-s" kv port del upl.200-s
	kv_check_eq "upl.200 went with it" "no port upl.200" "$(kv_port_field upl.200 bridge)"
	cap_start gone count "$C1" t1 --src $MACP --tag sd
	kv_send "$LAN" prv --src $MACP --dst $MAC1 --tpid 0x88a8 --vlan 100 --inner-vlan 10 --tag sd
	cap_check_count "S-tag 100 after the S-channel went" 0 gone
	log_test "port del of either end of an S-channel removes both"
}

schannel_bridge_del() {
	kv_check_ok "add-schannel cb1 upl 100 again" kv port add-schannel cb1 upl 100
	kv_check_ok "bridge del cb1" kv bridge del cb1
	kv_check_eq "upl.100-s went with cb1" "no port upl.100-s" \
		"$(kv_port_field upl.100-s bridge)"
	# left for kvnetd's shutdown, which must take both ends down cleanly
	kv_check_ok "add-schannel cb2 upl 200 again" kv port add-schannel cb2 upl 200
	log_test "bridge del takes an S-channel's other end along"
}

kv_require
setup
tests_run
kv_exit
