#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 29_vepa_private.sh - forward modes private and vepa on kvnet's own switch
#
#   vm1 [tap 02:00:00:29:00:01 192.0.2.1] --\
#                                             kvnetd (ns sw): network's switch -- upl ==veth==
#   vm2 [tap 02:00:00:29:00:02 192.0.2.2] --/
#      == up0 -- xbr (ns ext: the adjacent switch, a kernel bridge, 192.0.2.254: the LAN host)
#
# private: each VM reaches the LAN, never the other one, even when the adjacent switch sends
# frames back (hairpin on its port, 802.1Qbg's reflective relay). vepa: every frame of a VM
# goes out the uplink; VM to VM works only through the adjacent switch's reflection, and the
# reflected frames do not move a VM's address to the uplink.

ALL_TESTS="refusals private_lan private_no_vm_to_vm private_reflection_dropped
	vepa_lan_without_reflection vepa_vm_to_vm_by_reflection vepa_no_direct_path
	vepa_vlan_refused"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:29:00:01
MAC2=02:00:00:29:00:02
LAN=192.0.2.254

setup() {
	SW=$(kv_ns sw)
	EXT=$(kv_ns ext)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$EXT" "$VM1" "$VM2"
	kv_veth "$SW" upl "$EXT" up0
	ip -n "$EXT" link add xbr type bridge stp_state 0 || kv_setup_fail "bridge xbr in $EXT"
	ip -n "$EXT" link set up0 master xbr || kv_setup_fail "up0 into xbr"
	ip -n "$EXT" addr add $LAN/24 dev xbr || kv_setup_fail "address on xbr"
	ip -n "$EXT" link set xbr up || kv_setup_fail "xbr up"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_tmp
	mkdir -p "$KV_TMP/xml"
}

# relay_net NAME MODE - define and start a network NAME in forward MODE on uplink upl
relay_net() {
	cat >"$KV_TMP/xml/$1.xml" <<-XML
		<network>
		  <name>$1</name>
		  <forward mode='$2'>
		    <interface dev='upl'/>
		  </forward>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/$1.xml" "$1"
}

# vms NET TAP1 TAP2 - attach vm1 and vm2 to NET, addressed
vms() {
	kv_vm_attach "d$2" "$1" $MAC1 "$VM1" "$2"
	kv_vm_attach "d$3" "$1" $MAC2 "$VM2" "$3"
	ip -n "$VM1" addr add 192.0.2.1/24 dev "$2" || kv_setup_fail "address in vm1"
	ip -n "$VM2" addr add 192.0.2.2/24 dev "$3" || kv_setup_fail "address in vm2"
}

# hairpin on|off - the adjacent switch's reflective relay on the port facing kvnet
hairpin() {
	ip netns exec "$EXT" bridge link set dev up0 hairpin "$1" ||
		kv_fail "bridge link set dev up0 hairpin $1"
}

# define_err NAME WHAT REGEX - net-define of $KV_TMP/xml/NAME.xml fails with REGEX on stderr
define_err() {
	kv_check_run "$2" 1 "" "$3" kv net-define "$KV_TMP/xml/$1.xml"
}

refusals() {
	cat >"$KV_TMP/xml/r1.xml" <<-XML
		<network><name>r1</name><forward mode='passthrough' dev='upl'/></network>
	XML
	define_err r1 "passthrough refused" "forward mode 'passthrough'.*not supported by kvnet"
	cat >"$KV_TMP/xml/r2.xml" <<-XML
		<network><name>r2</name><forward mode='hostdev' dev='upl'/></network>
	XML
	define_err r2 "hostdev refused" "forward mode 'hostdev'.*not supported by kvnet"
	cat >"$KV_TMP/xml/r3.xml" <<-XML
		<network><name>r3</name>
		<forward mode='vepa'><interface dev='upl'/><interface dev='x'/></forward></network>
	XML
	define_err r3 "a pool refused" "line 2.*<forward>.*pool of 2 <interface>.*one <interface"
	cat >"$KV_TMP/xml/r4.xml" <<-XML
		<network><name>r4</name><forward mode='private' dev='upl'/>
		<ip address='10.9.9.1' prefix='24'/></network>
	XML
	define_err r4 "<ip> refused" "line 2.*<ip>.*not allowed with forward mode 'private'"
	cat >"$KV_TMP/xml/r5.xml" <<-XML
		<network><name>r5</name><forward mode='vepa'/></network>
	XML
	define_err r5 "no uplink refused" "forward mode 'vepa' needs an uplink"
	kv_check_eq "nothing defined by the refusals" "" "$(kv_net_names)"
	log_test "passthrough, hostdev, pools, <ip> and a missing uplink are refused, named"
}

# relay_up NET MODE TAP1 TAP2 - network NET in forward MODE with vm1 and vm2 on it, its
# bridge in BR; both VMs must reach the LAN host
relay_up() {
	relay_net "$1" "$2"
	BR=$(kv_net_field "$1" bridge)
	vms "$1" "$3" "$4"
	kv_check_eq "bridge show: relay" "$2" \
		"$(kv_q "d[\"bridges\"][0][\"relay\"]" bridge show "$BR")"
	kv_check_ok "vm1 pings the LAN host" kv_ping "$VM1" $LAN 3
	kv_check_ok "vm2 pings the LAN host" kv_ping "$VM2" $LAN 3
}

private_lan() {
	relay_up npriv private vp1 vp2
	kv_check_eq "fdb: vm1's MAC" vp1 "$(kv_fdb_port "$BR" $MAC1 1)"
	kv_check_eq "fdb: vm2's MAC" vp2 "$(kv_fdb_port "$BR" $MAC2 1)"
	log_test "private: each VM reaches the LAN through the uplink"
}

private_no_vm_to_vm() {
	hairpin off
	kv_check_ok "vm1 cannot ping vm2" kv_ping_fails "$VM1" 192.0.2.2
	# a frame to vm2's known MAC goes up to the adjacent switch, as macvtap's private does
	cap_start c2 count "$VM2" vp2 --src $MAC1 --tag pr1
	cap_start cx expect "$EXT" up0 --src $MAC1 --dst $MAC2 --tag pr1
	kv_send "$VM1" vp1 --src $MAC1 --dst $MAC2 --tag pr1
	cap_check_seen "frame to vm2's MAC leaves by the uplink" cx
	cap_check_count "frame to vm2's MAC at vm2" 0 c2
	log_test "private: VM to VM goes out the uplink, never straight across"
}

private_reflection_dropped() {
	local before
	hairpin on
	before=$(kv_stat "$BR" upl drops.isolated)
	cap_start c2 count "$VM2" vp2 --src $MAC1 --tag pr2
	cap_start c1 count "$VM1" vp1 --src $MAC1 --tag pr2
	kv_send "$VM1" vp1 --src $MAC1 --tag pr2
	kv_poll_ge "stats: upl isolated after vm1's broadcast came back" $((before + 1)) \
		kv_stat "$BR" upl drops.isolated
	cap_check_count "vm1's reflected broadcast at vm2" 0 c2
	cap_check_count "vm1's reflected broadcast back at vm1" 0 c1
	kv_check_ok "vm1 cannot ping vm2 with the reflection on" kv_ping_fails "$VM1" 192.0.2.2
	kv_check_eq "fdb: vm1's MAC stays on its port" vp1 "$(kv_fdb_port "$BR" $MAC1 1)"
	kv_check_ok "vm1 still pings the LAN host" kv_ping "$VM1" $LAN 3
	hairpin off
	kv_check_ok "net-destroy npriv" kv net-destroy npriv
	log_test "private: frames the adjacent switch reflects are dropped (isolated)"
}

vepa_lan_without_reflection() {
	relay_up nvepa vepa ve1 ve2
	kv_check_ok "vm1 cannot ping vm2 without the reflection" kv_ping_fails "$VM1" 192.0.2.2
	log_test "vepa, no reflective relay: each VM reaches the LAN, not the other VM"
}

vepa_vm_to_vm_by_reflection() {
	hairpin on
	ip -n "$VM1" neigh flush dev ve1
	ip -n "$VM2" neigh flush dev ve2
	kv_check_ok "vm1 pings vm2 through the adjacent switch" kv_ping "$VM1" 192.0.2.2 3
	kv_check_ok "vm2 pings vm1 through the adjacent switch" kv_ping "$VM2" 192.0.2.1 3
	kv_check_eq "fdb: vm1's MAC stays on its port" ve1 "$(kv_fdb_port "$BR" $MAC1 1)"
	kv_check_eq "fdb: vm2's MAC stays on its port" ve2 "$(kv_fdb_port "$BR" $MAC2 1)"
	# a reflected broadcast reaches the other VM, not its sender
	cap_start c2 expect "$VM2" ve2 --src $MAC1 --tag vb
	cap_start c1 count "$VM1" ve1 --src $MAC1 --tag vb
	kv_send "$VM1" ve1 --src $MAC1 --tag vb
	cap_check_seen "vm1's broadcast, reflected, at vm2" c2
	cap_check_count "vm1's broadcast back at vm1" 0 c1
	log_test "vepa, reflective relay on: VM to VM through the adjacent switch"
}

vepa_no_direct_path() {
	local before
	# the adjacent switch sees every VM-to-VM frame: with it not reflecting, nothing arrives
	hairpin off
	before=$(kv_stat "$BR" ve1 drops.isolated)
	cap_start cx expect "$EXT" up0 --src $MAC1 --dst $MAC2 --tag vd
	cap_start c2 count "$VM2" ve2 --src $MAC1 --tag vd
	kv_send "$VM1" ve1 --src $MAC1 --dst $MAC2 --tag vd
	cap_check_seen "vm1's frame to vm2 leaves by the uplink" cx
	cap_check_count "vm1's frame to vm2 at vm2 without reflection" 0 c2
	kv_check_eq "stats: ve1 isolated (not dropped: sent up)" "$before" \
		"$(kv_stat "$BR" ve1 drops.isolated)"
	log_test "vepa: a VM's frame to another VM goes out the uplink, never straight across"
}

vepa_vlan_refused() {
	cat >"$KV_TMP/vm-vl.xml" <<-XML
		<interface type='network'>
		  <source network='nvepa'/>
		  <mac address='02:00:00:29:00:09'/>
		  <vlan><tag id='5'/></vlan>
		</interface>
	XML
	kv_check_run "an interface with a <vlan> on a vepa network" 1 "" \
		"network 'nvepa' has forward mode 'vepa'.*<vlan> cannot be applied" \
		kv attach-interface dvl "$KV_TMP/vm-vl.xml"
	kv_check_run "hairpin on a VM port of a vepa network" 1 "" \
		"relays as vepa.*hairpin does not apply" kv port set ve1 hairpin on
	kv_check_eq "port show: ve1 hairpin" false "$(kv_port_field ve1 flags.hairpin)"
	log_test "vepa: an interface's <vlan>, and hairpin, are refused, not ignored"
}

kv_require
setup
tests_run
kv_exit
