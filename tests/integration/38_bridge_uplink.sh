#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 38_bridge_uplink.sh - a bridge-mode network's uplink is an 802.1Q trunk to the LAN; several
# uplinks are active-backup; what libvirt refuses in bridge mode, kvnet refuses
#
#   network lan38 (forward mode bridge, dev up0), portgroups v10 (VLAN 10), v20 (VLAN 20)
#     d10 [m10 52:54:00:38:00:10 192.0.2.10]  portgroup v10
#     d20 [m20 52:54:00:38:00:20 192.0.2.20]  portgroup v20
#     d1  [m1  52:54:00:38:00:01 192.0.2.1]   no portgroup: VLAN 1, the native VLAN
#   up0 (kvnetd's ns) === lan0 (ns lan): the LAN, no 802.1Q in its kernel: frames.py reads and
#   writes its tagged frames
#
#   network bond38 (forward mode bridge, <interface dev='up1'/><interface dev='up2'/>)
#     db [mb 52:54:00:38:00:b0 198.51.100.2]
#   up1 === la1, up2 === la2 (ns lan2: a kernel bridge lbr over la1 and la2, 198.51.100.1)
#
#   network hb38 (<forward mode='bridge'/><bridge name='hbr0'/>): hbr0 a kernel bridge in
#   kvnetd's ns with hv0 === hv1 (ns lnh, 203.0.113.1); kvnet's switch virbrN joins it through
#   a veth pair virbrN-up - virbrN-br
#     dh [mh 52:54:00:38:00:c0 203.0.113.2]

ALL_TESTS="trunk_membership vms_tagged_to_lan lan_tagged_to_vms trunk_follows_ports
	refusals active_backup host_bridge host_bridge_refusals"

source "$(dirname "$0")/lib.sh"

MAC10=52:54:00:38:00:10
MAC20=52:54:00:38:00:20
MAC1=52:54:00:38:00:01
MACB=52:54:00:38:00:b0
MACL=02:00:00:38:00:99

setup() {
	SW=$(kv_ns sw)
	LAN=$(kv_ns lan)
	LAN2=$(kv_ns ln2)
	M10=$(kv_ns m10)
	M20=$(kv_ns m20)
	M1=$(kv_ns m1)
	MB=$(kv_ns mb)
	LNH=$(kv_ns lnh)
	MH=$(kv_ns mh)
	kv_ns_add "$SW" "$LAN" "$LAN2" "$M10" "$M20" "$M1" "$MB" "$LNH" "$MH"
	kv_veth "$SW" up0 "$LAN" lan0
	kv_veth "$SW" up1 "$LAN2" la1
	kv_veth "$SW" up2 "$LAN2" la2
	ip -n "$LAN2" link add lbr type bridge || kv_setup_fail "bridge lbr in $LAN2"
	ip -n "$LAN2" link set la1 master lbr && ip -n "$LAN2" link set la2 master lbr &&
		ip -n "$LAN2" link set lbr up &&
		ip -n "$LAN2" addr add 198.51.100.1/24 dev lbr || kv_setup_fail "lbr in $LAN2"
	kv_veth "$SW" hv0 "$LNH" hv1
	ip -n "$SW" link add hbr0 type bridge && ip -n "$SW" link set hv0 master hbr0 &&
		ip -n "$SW" link set hbr0 up &&
		ip -n "$LNH" addr add 203.0.113.1/24 dev hv1 || kv_setup_fail "hbr0 in $SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/lan38.xml" <<-'EOF'
		<network>
		  <name>lan38</name>
		  <forward mode='bridge' dev='up0'/>
		  <bridge stp='off'/>
		  <portgroup name='v10'>
		    <vlan>
		      <tag id='10'/>
		    </vlan>
		  </portgroup>
		  <portgroup name='v20'>
		    <vlan>
		      <tag id='20'/>
		    </vlan>
		  </portgroup>
		</network>
	EOF
	cat >"$X/bond38.xml" <<-'EOF'
		<network>
		  <name>bond38</name>
		  <forward mode='bridge'>
		    <interface dev='up1'/>
		    <interface dev='up2'/>
		  </forward>
		  <bridge stp='off'/>
		</network>
	EOF
	kv_net_up "$X/lan38.xml" lan38
	kv_net_up "$X/bond38.xml" bond38
	vm_attach d10 lan38 "portgroup='v10'" $MAC10 "$M10" v38a 192.0.2.10/24
	vm_attach d20 lan38 "portgroup='v20'" $MAC20 "$M20" v38b 192.0.2.20/24
	vm_attach d1 lan38 "" $MAC1 "$M1" v38c 192.0.2.1/24
	vm_attach db bond38 "" $MACB "$MB" v38d 198.51.100.2/24
}

# vm_attach DOMAIN NET SOURCE_ATTRS MAC NS IFACE ADDR [VLAN] - an <interface> on network NET,
# its tap IFACE in NS, up, addressed
vm_attach() {
	local out
	{
		echo "<interface type='network'>"
		echo "  <mac address='$4'/>"
		echo "  <source network='$2' $3/>"
		[ -n "$8" ] && echo "  $8"
		echo "  <target dev='$6'/>"
		echo "</interface>"
	} >"$X/$1.xml"
	out=$(kv attach-interface "$1" "$X/$1.xml" --netns "$5" 2>&1) ||
		kv_setup_fail "attach-interface $1: $out"
	ip -n "$5" link set "$6" up || kv_setup_fail "$6 up in $5"
	ip -n "$5" addr add "$7" dev "$6" || kv_setup_fail "addr $7 on $6 in $5"
}

# net_uplinks NET - the "Uplinks:" line of net-info NET
net_uplinks() {
	kv net-info "$1" | sed -n 's/^Uplinks: *//p'
}

trunk_membership() {
	kv_check_eq "vlan show up0" "pvid 1: 1u 10t 20t" "$(kv_vlans up0)"
	kv_check_eq "net-info lan38" "up0 (active)" "$(net_uplinks lan38)"
	log_test "uplink up0: untagged in the native VLAN 1, tagged in 10 and 20"
}

vms_tagged_to_lan() {
	local v
	for v in 10 20; do
		cap_start lan$v expect "$LAN" lan0 --src 52:54:00:38:00:$v --vlan $v --tag u$v
		kv_send "$(kv_ns m$v)" v38$([ $v = 10 ] && echo a || echo b) \
			--src 52:54:00:38:00:$v --tag u$v
		cap_check_seen "broadcast of the VLAN $v VM leaves up0 tagged $v" lan$v
	done
	cap_start lan1 expect "$LAN" lan0 --src $MAC1 --untagged --tag u1
	kv_send "$M1" v38c --src $MAC1 --tag u1
	cap_check_seen "broadcast of the VM without VLAN leaves up0 untagged" lan1
	log_test "the VMs' frames reach the LAN tagged 10 and 20 (VLAN 1 untagged)"
}

lan_tagged_to_vms() {
	# an ARP request tagged 10 for d10's address: d10's kernel answers, tagged 10 on the LAN
	cap_start req expect "$M10" v38a --src $MACL --untagged --ethertype 0x0806
	cap_start no20 count "$M20" v38b --src $MACL
	cap_start no1 count "$M1" v38c --src $MACL
	cap_start rep expect "$LAN" lan0 --src $MAC10 --dst $MACL --vlan 10 --ethertype 0x0806
	kv_send "$LAN" lan0 --src $MACL --vlan 10 --arp-request 192.0.2.10 --arp-sender 192.0.2.99
	cap_check_seen "ARP request tagged 10 from the LAN reaches d10 untagged" req
	cap_check_seen "d10's ARP reply reaches the LAN tagged 10" rep
	cap_check_count "frames of the LAN host in VLAN 10 at d20" 0 no20
	cap_check_count "frames of the LAN host in VLAN 10 at d1" 0 no1
	# VLAN 20 reaches d20 only
	cap_start in20 expect "$M20" v38b --src $MACL --untagged --tag l20
	cap_start no10 count "$M10" v38a --src $MACL --tag l20
	kv_send "$LAN" lan0 --src $MACL --vlan 20 --tag l20
	cap_check_seen "frame tagged 20 from the LAN reaches d20" in20
	cap_check_count "frame tagged 20 from the LAN at d10" 0 no10
	# untagged: the native VLAN 1, d1
	cap_start in1 expect "$M1" v38c --src $MACL --untagged --tag l1
	cap_start no10b count "$M10" v38a --src $MACL --tag l1
	kv_send "$LAN" lan0 --src $MACL --tag l1
	cap_check_seen "untagged frame from the LAN reaches d1 (VLAN 1)" in1
	cap_check_count "untagged frame from the LAN at d10" 0 no10b
	log_test "a LAN host on VLAN 10 reaches the VLAN 10 VM, not the VLAN 20 one"
}

trunk_follows_ports() {
	local out
	# a VM with its own VLAN 30: the uplink joins VLAN 30 with it, and leaves with it
	vm_attach d30 lan38 "" 52:54:00:38:00:30 "$M20" v38e 192.0.2.30/24 \
		"<vlan><tag id='30'/></vlan>"
	kv_check_eq "vlan show up0 with d30" "pvid 1: 1u 10t 20t 30t" "$(kv_vlans up0)"
	cap_start lan30 expect "$LAN" lan0 --src 52:54:00:38:00:30 --vlan 30 --tag u30
	kv_send "$M20" v38e --src 52:54:00:38:00:30 --tag u30
	cap_check_seen "d30's broadcast leaves up0 tagged 30" lan30
	out=$(kv detach-interface d30 --mac 52:54:00:38:00:30 2>&1) ||
		kv_fail "detach-interface d30: $out"
	kv_check_eq "vlan show up0 after d30 left" "pvid 1: 1u 10t 20t" "$(kv_vlans up0)"
	# a portgroup added live: its VLAN is on the trunk before any VM uses it
	out=$(kv net-update lan38 add portgroup \
		"<portgroup name='v40'><vlan><tag id='40'/></vlan></portgroup>" --live 2>&1) ||
		kv_fail "net-update add portgroup v40: $out"
	kv_check_eq "vlan show up0 after portgroup v40" "pvid 1: 1u 10t 20t 40t" "$(kv_vlans up0)"
	out=$(kv net-update lan38 delete portgroup "<portgroup name='v40'/>" --live 2>&1) ||
		kv_fail "net-update delete portgroup v40: $out"
	kv_check_eq "vlan show up0 after v40 went" "pvid 1: 1u 10t 20t" "$(kv_vlans up0)"
	log_test "the trunk follows the ports: a VM's own VLAN, a portgroup added and removed"
}

refusals() {
	local name el
	while read -r name el; do
		printf '%s\n' "<network><name>bad38</name><forward mode='bridge' dev='up9'/>$el</network>" \
			>"$X/bad38.xml"
		kv_check_run "net-define bridge mode with <$name>" 1 '^$' \
			"line 1: <$name>: not supported with forward mode 'bridge' \(libvirt refuses" \
			kv net-define "$X/bad38.xml"
	done <<-'EOF'
		ip <ip address='10.38.0.1' prefix='24'/>
		mac <mac address='52:54:00:38:00:ff'/>
		domain <domain name='lan.example'/>
		dns <dns><host ip='10.38.0.2'><hostname>h</hostname></host></dns>
	EOF
	kv_check_eq "no network bad38" "no network bad38" "$(kv_net_field bad38 name)"
	kvnetd_alive || kv_fail "kvnetd died"
	log_test "bridge mode with <ip>, <mac>, <domain>, <dns> records: refused, named"
}

active_backup() {
	kv_check_eq "net-info bond38" "up1 (active), up2 (backup)" "$(net_uplinks bond38)"
	kv_check_eq "up2 is disabled" disabled "$(kv_port_field up2 state)"
	kv_ping "$MB" 198.51.100.1 >/dev/null || kv_fail "db pings the LAN host through up1"
	cap_start via1 expect "$LAN2" la1 --src $MACB --ethertype 0x0800
	cap_start via2 count "$LAN2" la2 --src $MACB
	kv_ping "$MB" 198.51.100.1 >/dev/null || kv_fail "db pings the LAN host again"
	cap_check_seen "db's ICMP comes in on la1 (up1 active)" via1
	cap_check_count "db's frames on la2 while up1 is active" 0 via2
	# the active uplink loses carrier: up2 takes over
	ip -n "$LAN2" link set la1 down || kv_fail "la1 down"
	kv_poll_eq "net-info bond38 after la1 went down" "up1 (down), up2 (active)" \
		net_uplinks bond38
	cap_start via2b expect "$LAN2" la2 --src $MACB --ethertype 0x0800
	kv_ping "$MB" 198.51.100.1 >/dev/null || kv_fail "db pings the LAN host through up2"
	cap_check_seen "db's ICMP comes in on la2 (up2 active)" via2b
	# carrier back: the first uplink is the active one again
	ip -n "$LAN2" link set la1 up || kv_fail "la1 up"
	kv_poll_eq "net-info bond38 after la1 came back" "up1 (active), up2 (backup)" \
		net_uplinks bond38
	kv_ping "$MB" 198.51.100.1 >/dev/null || kv_fail "db pings the LAN host through up1 again"
	log_test "two uplinks: active-backup on carrier, failover and back"
}

host_bridge() {
	local sw out
	cat >"$X/hb38.xml" <<-'EOF'
		<network>
		  <name>hb38</name>
		  <forward mode='bridge'/>
		  <bridge name='hbr0' stp='off'/>
		</network>
	EOF
	kv_check_run "net-define hb38" 0 "" '^$' kv net-define "$X/hb38.xml"
	kv_check_run "net-start hb38" 0 "" '^$' kv net-start hb38
	sw=$(kv_net_field hb38 bridge)
	case $sw in
	virbr[0-9]*) ;;
	*) kv_fail "hb38's kvnet switch is named '$sw', expected virbrN, not hbr0" ;;
	esac
	kv_check_fail "no kvnet switch hbr0" kv bridge show hbr0
	kv_check_eq "net-info hb38" "$sw-up (active)" "$(net_uplinks hb38)"
	kv_check_eq "the veth end in hbr0" "$sw-br" \
		"$(ip -n "$SW" -o link show master hbr0 | grep -o "$sw-br" | head -n 1)"
	vm_attach dh hb38 "" 52:54:00:38:00:c0 "$MH" v38h 203.0.113.2/24
	kv_ping "$MH" 203.0.113.1 >/dev/null || kv_fail "dh pings the host on kernel bridge hbr0"
	# kill -9 leaves the pair; the next start takes it back, whatever its switch is named now
	kvnetd_kill9
	kv_check_ok "the pair outlives kvnetd -9" ip -n "$SW" link show "$sw-up"
	kvnetd_start "$SW" || kv_fail "kvnetd did not restart"
	kv_check_run "net-start hb38 after kill -9" 0 "" '^$' kv net-start hb38
	sw=$(kv_net_field hb38 bridge)
	kv_check_eq "net-info hb38 after the restart" "$sw-up (active)" "$(net_uplinks hb38)"
	kv_check_eq "one kvnet veth in hbr0" "$sw-br" \
		"$(ip -n "$SW" -o link show master hbr0 | grep -o 'virbr[0-9]*-br' | tr '\n' ' ' |
			sed 's/ $//')"
	out=$(kv net-destroy hb38 2>&1) || kv_fail "net-destroy hb38: $out"
	kv_check_fail "veth $sw-up gone with the network" ip -n "$SW" link show "$sw-up"
	kv_check_fail "veth $sw-br gone with the network" ip -n "$SW" link show "$sw-br"
	kv_check_ok "kernel bridge hbr0 stays" ip -n "$SW" link show hbr0
	log_test "<bridge name='hbr0'> of a kernel bridge: joined by a veth pair, gone with the network, reclaimed after kill -9"
}

host_bridge_refusals() {
	printf '%s\n' "<network><name>nb38</name><forward mode='bridge'/><bridge name='hv0'/></network>" \
		>"$X/nb38.xml"
	kv_check_run "net-create over interface hv0, no bridge" 1 '^$' \
		"<bridge name='hv0'> is an interface of kvnetd's namespace but not a bridge" \
		kv net-create "$X/nb38.xml"
	kv_check_eq "no network nb38" "no network nb38" "$(kv_net_field nb38 name)"
	kv_check_eq "hv0 is still hbr0's" hv0 \
		"$(ip -n "$SW" -o link show master hbr0 | grep -o 'hv0' | head -n 1)"
	log_test "<bridge name> of an interface that is no bridge: refused, named"
}

kv_require
setup
tests_run
kv_exit
