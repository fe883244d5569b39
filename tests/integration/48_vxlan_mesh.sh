#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 48_vxlan_mesh.sh - one network on three kvnet hosts, defined from XML with <kvnet:vxlan>
#
#   v1 [.11, MAC1]        v2 [DHCP, MAC2]  m2 [.20, MACM]    v3 [.13, MAC3]  m3 [.20, MACM]
#        |                      |             |                    |            |
#   h1: kvnetd, net ov     h2: kvnetd, net ov                 h3: kvnetd, net ov
#       host port .1, DHCP     (no <ip>)                          (no <ip>)
#       vx-ovbr vni 4800       vx-ovbr vni 4800                   vx-ovbr vni 4800
#       remotes .2 .3          remotes .1 .3                      remotes .1 .2
#        | 10.0.48.1                 | 10.0.48.2                      | 10.0.48.3
#   ul: a kernel bridge, the underlay (MTU 1500) ------------------------+
#
# Addresses are 192.168.48.x/24. The VMs are namespaces attached with attach-interface.
# h1's dnsmasq serves v2 on h2 across the overlay, with the MTU the overlay leaves (1450).
# The VM "m" runs on h2 (m2), then moves to h3 (m3: same MAC, same address).
#
# A second network, mc (bridge mcbr, 192.168.49.x/24), runs over multicast group
# 239.1.48.1 (UDP 4790, joined on ul0) on h1 and h2, with a kernel host hk (10.0.48.4: a
# Linux bridge with a vxlan device of that group) as the third member: w1 on h1 (.11), w2
# on h2 (.12), wk on hk (.14).

ALL_TESTS="net_from_xml dhcp_across mesh_ping broadcast_once learned_remotes vm_moves
	group_ping group_learned group_broadcast_once group_hostile group_ipv6 restart_keeps_overlay
	map_and_destroy bad_overlay"

source "$(dirname "$0")/lib.sh"

NET=ov
BR=ovbr
VX=vx-ovbr
VNI=4800
MAC1=52:54:00:48:00:01
MAC2=52:54:00:48:00:02
MAC3=52:54:00:48:00:03
MACM=52:54:00:48:00:0e
NS_URI=urn:kvnet:libvirt-network:1

# underlay NS N - NS's ul0, a veth into the underlay bridge, with 10.0.48.N/24
underlay() {
	kv_veth "$1" ul0 "$UL" "h$2-ul0"
	ip -n "$UL" link set "h$2-ul0" master ulbr || kv_setup_fail "enslave h$2-ul0"
	ip -n "$1" addr add "10.0.48.$2/24" dev ul0 || kv_setup_fail "addr 10.0.48.$2 in $1"
}

# net_xml N REMOTE REMOTE [IP] - host N's network ov: its overlay to the two other hosts,
# and IP (an <ip> element) if given. Prints the file's path.
net_xml() {
	kv_vxlan_net_xml "$KV_TMP/xml/h$1.xml" $NET $BR $VNI "10.0.48.$1" "${4:-}" "10.0.48.$2" \
		"10.0.48.$3"
	echo "$KV_TMP/xml/h$1.xml"
}

MACW1=52:54:00:49:00:01
MACW2=52:54:00:49:00:02
MACWK=52:54:00:49:00:04
GROUP=239.1.48.1

# group_net N - host N's network mc on the group
group_net() {
	local out
	kvnetd_use H$1
	cat >"$KV_TMP/xml/mc$1.xml" <<-XML
		<network xmlns:kvnet='$NS_URI'>
		  <name>mc</name>
		  <bridge name='mcbr'/>
		  <kvnet:vxlan vni='4900' local='10.0.48.$1' dstport='4790'>
		    <kvnet:group address='$GROUP' dev='ul0'/>
		  </kvnet:vxlan>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/mc$1.xml" mc
	kv_vm_attach w$1 mc "$(eval echo \$MACW$1)" "$(eval echo \$W$1)" w$1
	ip -n "$(eval echo \$W$1)" addr add "192.168.49.1$1/24" dev w$1 || kv_setup_fail "w$1's addr"
}

# the kernel's VXLAN on the group in a Linux bridge, on host hk
group_kernel() {
	underlay "$HK" 4
	ip -n "$HK" link add br0 type bridge || kv_setup_fail "bridge in $HK"
	ip -n "$HK" link add vxk type vxlan id 4900 group $GROUP dev ul0 dstport 4790 \
		local 10.0.48.4 || kv_setup_fail "kernel vxlan with a group in $HK"
	ip -n "$HK" link set vxk master br0 || kv_setup_fail "vxk into br0"
	kv_veth "$HK" tk "$WK" wk
	ip -n "$HK" link set tk master br0 || kv_setup_fail "tk into br0"
	ip -n "$HK" link set vxk up && ip -n "$HK" link set br0 up || kv_setup_fail "up in $HK"
	ip -n "$WK" link set wk address $MACWK || kv_setup_fail "wk's MAC"
	ip -n "$WK" link set wk mtu 1450
	ip -n "$WK" addr add 192.168.49.14/24 dev wk || kv_setup_fail "wk's addr"
}

# host N - start kvnetd on host N with its network
host() {
	local -n hns=H$1
	local ip=""
	[ "$1" = 1 ] && ip="<ip address='192.168.48.1' prefix='24'><dhcp>
		<range start='192.168.48.100' end='192.168.48.200'/></dhcp></ip>"
	KV_INSTANCE=h$1 kvnetd_start "$hns" || kv_setup_fail "kvnetd on h$1 did not start"
	kvnetd_save H$1
	case $1 in
	1) kv_net_up "$(net_xml 1 2 3 "$ip")" $NET ;;
	2) kv_net_up "$(net_xml 2 1 3)" $NET ;;
	3) kv_net_up "$(net_xml 3 1 2)" $NET ;;
	esac
}

# vm N DOMAIN MAC NS IFACE [ADDR] - attach a VM on host N's network; ADDR/24 on it if given
vm() {
	kvnetd_use "H$1"
	kv_vm_attach "$2" $NET "$3" "$4" "$5"
	[ -n "${6:-}" ] && { ip -n "$4" addr add "$6/24" dev "$5" || kv_setup_fail "addr in $4"; }
	return 0
}

setup() {
	kv_tmp
	UL=$(kv_ns ul)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	V1=$(kv_ns v1)
	V2=$(kv_ns v2)
	V3=$(kv_ns v3)
	M2=$(kv_ns m2)
	M3=$(kv_ns m3)
	HK=$(kv_ns hk)
	W1=$(kv_ns w1)
	W2=$(kv_ns w2)
	WK=$(kv_ns wk)
	kv_ns_add "$UL" "$H1" "$H2" "$H3" "$V1" "$V2" "$V3" "$M2" "$M3" "$HK" "$W1" "$W2" "$WK"
	# no IGMP snooping: the underlay floods the group to every host, as a plain switch does
	ip -n "$UL" link add ulbr type bridge mcast_snooping 0 || kv_setup_fail "underlay bridge"
	ip -n "$UL" link set ulbr up
	underlay "$H1" 1
	underlay "$H2" 2
	underlay "$H3" 3
	host 1
	host 2
	host 3
	vm 1 v1 $MAC1 "$V1" v1 192.168.48.11
	vm 2 v2 $MAC2 "$V2" v2
	vm 3 v3 $MAC3 "$V3" v3 192.168.48.13
	vm 2 m $MACM "$M2" m2 192.168.48.20
	group_kernel
	group_net 1
	group_net 2
	kvnetd_use H1
}

# remote_of MAC - the remote `fdb show` gives MAC on this host's switch, "none", "no entry"
remote_of() {
	kv_q "next((e.get(\"remote\", \"none\") for e in d[\"entries\"]
		if e[\"mac\"] == \"$1\"), \"no entry\")" fdb show $BR
}

# mtu NS IFACE - the MTU of IFACE in NS
mtu() {
	ip -n "$1" -o link show "$2" | grep -o 'mtu [0-9]*' | cut -d' ' -f2
}

net_from_xml() {
	local n xml
	for n in 1 2 3; do
		kvnetd_use H$n
		xml=$(kv net-dumpxml $NET)
		kv_check_ok "h$n: net-dumpxml has the namespace" grep -qF "xmlns:kvnet='$NS_URI'" <<<"$xml"
		kv_check_ok "h$n: net-dumpxml has the overlay" \
			grep -qF "<kvnet:vxlan vni='$VNI' local='10.0.48.$n'>" <<<"$xml"
		kv_check_eq "h$n: $VX is a vxlan port" vxlan "$(kv_port_field $VX type)"
		kv_check_eq "h$n: its VNI" $VNI "$(kv_port_field $VX vxlan.vni)"
		kv_check_eq "h$n: on the network's bridge" $BR "$(kv_port_field $VX bridge)"
		kv_check_eq "h$n: its remotes" 2 \
			"$(kv_q "len(next(p for p in d[\"ports\"] if p[\"name\"] == \"$VX\")[\"vxlan\"][\"remotes\"])" port show)"
		kv_check_eq "h$n: the host port's MTU: the underlay's 1500 less 50" 1450 \
			"$(mtu "$(eval echo \$H$n)" $BR)"
		kv_check_run "h$n: port del refuses the network's port" 1 '' "network" \
			kv port del $VX
	done
	kvnetd_use H1
	log_test "network from XML with <kvnet:vxlan> on three hosts: ports made, dumpxml, MTU"
}

dhcp_across() {
	if ! kv_udhcpc "$V2" v2 -O mtu; then
		kv_fail "v2 on h2 got no lease from h1: $(kv_udhcpc_log "$V2" v2)"
	else
		kv_check_eq "v2's server is h1's host port" 192.168.48.1 "$(kv_dhcp "$V2" v2 serverid)"
		kv_check_eq "v2's MTU (DHCP option 26): the overlay's" 1450 "$(kv_dhcp "$V2" v2 mtu)"
		V2_IP=$(kv_dhcp "$V2" v2 ip)
		kv_check_ok "v2 pings h1's host port" kv_ping "$V2" 192.168.48.1 3
	fi
	kv_check_ok "dnsmasq's configuration has the MTU" \
		grep -qx 'dhcp-option=option:mtu,1450' "$KV_TMP/h1-run/dnsmasq/$NET.conf"
	log_test "DHCP from h1 to a VM on h2 across the overlay, with MTU 1450"
}

mesh_ping() {
	kv_check_ok "v1 (h1) pings v3 (h3)" kv_ping "$V1" 192.168.48.13 3
	kv_check_ok "v3 (h3) pings v1 (h1)" kv_ping "$V3" 192.168.48.11 3
	kv_check_ok "m2 (h2) pings v3 (h3)" kv_ping "$M2" 192.168.48.13 3
	kv_check_ok "v1 (h1) pings m2 (h2)" kv_ping "$V1" 192.168.48.20 3
	log_test "full mesh: pings between the VMs of each pair of hosts"
}

# a broadcast from each host's VM reaches each other host's VMs once: head-end replication
# to each remote, and no host floods what came from the overlay back into it
broadcast_once() {
	cap_start b12 count "$V2" v2 --src $MAC1 --tag bc48a || return
	cap_start b13 count "$V3" v3 --src $MAC1 --tag bc48a || return
	cap_start b31 count "$V1" v1 --src $MAC3 --tag bc48b || return
	cap_start b32 count "$M2" m2 --src $MAC3 --tag bc48b || return
	kv_send "$V1" v1 --src $MAC1 --tag bc48a --count 10
	kv_send "$V3" v3 --src $MAC3 --tag bc48b --count 10
	cap_check_count "v1's broadcasts at v2 (h2)" 10 b12
	cap_check_count "v1's broadcasts at v3 (h3)" 10 b13
	cap_check_count "v3's broadcasts at v1 (h1)" 10 b31
	cap_check_count "v3's broadcasts at m2 (h2)" 10 b32
	log_test "a broadcast reaches every other host exactly once"
}

learned_remotes() {
	kv_ping "$V1" 192.168.48.13 1 >/dev/null
	kv_ping "$V1" 192.168.48.20 1 >/dev/null
	kv_check_eq "h1: $MAC3 behind" 10.0.48.3 "$(remote_of $MAC3)"
	kv_check_eq "h1: $MACM behind" 10.0.48.2 "$(remote_of $MACM)"
	kv_check_eq "h1: $MAC1 is local" none "$(remote_of $MAC1)"
	kvnetd_use H3
	kv_check_eq "h3: $MAC1 behind" 10.0.48.1 "$(remote_of $MAC1)"
	kvnetd_use H1
	log_test "each host's FDB has the others' VMs behind their remotes"
}

vm_moves() {
	kvnetd_use H2
	kv_check_ok "m leaves h2" kv detach-interface m --mac $MACM
	kvnetd_use H3
	kv_vm_attach m $NET $MACM "$M3" m3
	ip -n "$M3" addr add 192.168.48.20/24 dev m3 || kv_fail "m3's address"
	kv_check_ok "m, now on h3, pings v1" kv_ping "$M3" 192.168.48.11 3
	kvnetd_use H1
	kv_poll_eq "h1: $MACM is now behind h3" 10.0.48.3 remote_of $MACM
	kv_check_ok "v1 pings m on h3" kv_ping "$V1" 192.168.48.20 3
	kvnetd_use H2
	kv_check_ok "h2 reaches m on h3" kv_ping "$V2" 192.168.48.20 3
	kv_check_eq "h2: $MACM behind" 10.0.48.3 "$(remote_of $MACM)"
	kvnetd_use H1
	log_test "a VM moving from h2 to h3 is learned behind its new remote"
}

group_ping() {
	kv_check_eq "h1: mc's port has the group" $GROUP "$(kv_port_field vx-mcbr vxlan.group)"
	kv_check_eq "h1: joined on" ul0 "$(kv_port_field vx-mcbr vxlan.dev)"
	kv_check_ok "h1 joined the group on ul0" \
		grep -q "$GROUP" <<<"$(ip -n "$H1" maddr show dev ul0)"
	kv_check_ok "w1 (h1) pings w2 (h2) over the group" kv_ping "$W1" 192.168.49.12 3
	kv_check_ok "w1 (h1) pings wk (kernel vxlan on the group)" kv_ping "$W1" 192.168.49.14 3
	kv_check_ok "wk pings w2 (h2)" kv_ping "$WK" 192.168.49.12 3
	log_test "multicast group: pings between two kvnet hosts and the kernel's vxlan"
}

group_learned() {
	kv_ping "$W1" 192.168.49.12 1 >/dev/null
	kv_ping "$W1" 192.168.49.14 1 >/dev/null
	kv_check_eq "h1: $MACW2 behind" 10.0.48.2 "$(kv_q "next((e.get(\"remote\", \"none\")
		for e in d[\"entries\"] if e[\"mac\"] == \"$MACW2\"), \"no entry\")" fdb show mcbr)"
	kv_check_eq "h1: $MACWK behind" 10.0.48.4 "$(kv_q "next((e.get(\"remote\", \"none\")
		for e in d[\"entries\"] if e[\"mac\"] == \"$MACWK\"), \"no entry\")" fdb show mcbr)"
	kv_check_eq "h1: two peers learned" 2 "$(kv_port_field vx-mcbr vxlan.peers)"
	kv_check_ok "the kernel learned $MACW1 behind 10.0.48.1" sh -c \
		"bridge -n '$HK' fdb show dev vxk | grep -q '^$MACW1 dst 10.0.48.1 '"
	log_test "multicast group: unicast peers learned from the sources, both ways"
}

group_broadcast_once() {
	cap_start g12 count "$W2" w2 --src $MACW1 --tag mc48 || return
	cap_start g1k count "$WK" wk --src $MACW1 --tag mc48 || return
	kv_send "$W1" w1 --src $MACW1 --tag mc48 --count 10
	cap_check_count "w1's broadcasts at w2 (h2)" 10 g12
	cap_check_count "w1's broadcasts at wk (kernel)" 10 g1k
	log_test "multicast group: a broadcast reaches each member once"
}

# a datagram to the group from a host of no network, of another VNI: dropped, counted
group_hostile() {
	local before
	before=$(kv_stat mcbr vx-mcbr vxlan_drops.bad-vni)
	ip netns exec "$HK" "$KV_PY" -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.0.48.4"))
hdr = struct.pack("!II", 0x08000000, 999 << 8)
frame = bytes.fromhex("ffffffffffff02000048009988b5") + b"x" * 50
for _ in range(3):
    s.sendto(hdr + frame, ("'$GROUP'", 4790))
' || kv_fail "could not send to the group"
	kv_poll_ge "h1: bad-vni counted" $((before + 3)) kv_stat mcbr vx-mcbr vxlan_drops.bad-vni
	kv_check_eq "h1: no FDB entry for the hostile source" "no entry" \
		"$(kv_q "next((e[\"port\"] for e in d[\"entries\"]
			if e[\"mac\"] == \"02:00:00:48:00:99\"), \"no entry\")" fdb show mcbr)"
	log_test "multicast group: datagrams of another VNI are dropped and counted"
}

# an IPv6 underlay and group (ff05::48, UDP 4791): ports made with the CLI on h1 and h2 (bridge
# br6, taps t61, t62 in w1, w2) and the kernel's vxlan on hk (br6, a veth into wk)
group_ipv6() {
	local n ns
	for n in 1 2 4; do
		ns=$(eval echo "\$H$n")
		[ $n = 4 ] && ns=$HK
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.ul0.disable_ipv6=0 &&
			ip -n "$ns" addr add "fd00:48::$n/64" dev ul0 nodad ||
			{ kv_fail "IPv6 on ul0 of host $n"; return; }
	done
	for n in 1 2; do
		kvnetd_use H$n
		kv bridge add br6 >/dev/null || kv_fail "bridge add br6 on h$n"
		kv_check_ok "h$n: port add vxlan:g6 with an IPv6 group" kv port add br6 vxlan:g6 \
			vni 4906 local "fd00:48::$n" group ff05::48 dev ul0 dstport 4791
		kv_tap_host br6 "t6$n" "$(eval echo "\$W$n")" "52:54:00:49:06:0$n" "198.51.100.$n/24"
	done
	ip -n "$HK" link add br6 type bridge &&
		ip -n "$HK" link add vx6 type vxlan id 4906 group ff05::48 dev ul0 dstport 4791 \
			local fd00:48::4 && ip -n "$HK" link set vx6 master br6 &&
		ip -n "$HK" link set vx6 up && ip -n "$HK" link set br6 up ||
		{ kv_fail "kernel vxlan on an IPv6 group"; return; }
	kv_veth "$HK" t6k "$WK" w6k
	ip -n "$HK" link set t6k master br6 && ip -n "$WK" link set w6k mtu 1430 &&
		ip -n "$WK" addr add 198.51.100.4/24 dev w6k || kv_fail "wk's second interface"
	kv_check_ok "w1 (h1) pings w2 (h2) over the IPv6 group" kv_ping "$W1" 198.51.100.2 3
	kv_check_ok "w1 (h1) pings wk (kernel) over the IPv6 group" kv_ping "$W1" 198.51.100.4 3
	kvnetd_use H1
	kv_check_eq "h1: the group shown" ff05::48 "$(kv_port_field g6 vxlan.group)"
	kv_check_eq "h1: w2's MAC behind" fd00:48::2 "$(kv_q "next((e.get(\"remote\", \"none\")
		for e in d[\"entries\"] if e[\"mac\"] == \"52:54:00:49:06:02\"), \"no entry\")" \
		fdb show br6)"
	log_test "an IPv6 multicast group: two kvnet hosts and the kernel's vxlan"
}

restart_keeps_overlay() {
	kvnetd_use H2
	kv_check_ok "h2: net-autostart" kv net-autostart $NET
	kv_check_ok "h2: stop" kvnetd_stop
	KV_INSTANCE=h2 kvnetd_start "$H2" || kv_fail "kvnetd on h2 did not start again"
	kvnetd_save H2
	kv_check_eq "h2: the network runs again" true "$(kv_net_field $NET active)"
	kv_check_eq "h2: $VX again, VNI $VNI" $VNI "$(kv_port_field $VX vxlan.vni)"
	kv_check_eq "h2: the bridge store made g6 again, on its group" ff05::48 \
		"$(kv_port_field g6 vxlan.group)"
	kv_check_eq "h2: joined on" ul0 "$(kv_port_field g6 vxlan.dev)"
	kv_check_ok "h2: net-dumpxml still has the overlay" \
		grep -qF "<kvnet:vxlan vni='$VNI' local='10.0.48.2'>" <<<"$(kv net-dumpxml $NET)"
	# v2's port is made again from its record, a new tap: v2's side is set up again
	kv_poll_eq "v2's tap is back" 0 sh -c "ip -n '$V2' link show v2 >/dev/null 2>&1; echo \$?"
	ip -n "$V2" link set v2 up
	if ! kv_udhcpc "$V2" v2 -O mtu; then
		kv_fail "v2 got no lease after h2's restart: $(kv_udhcpc_log "$V2" v2)"
	fi
	kv_check_ok "v2 pings h1's host port after h2's restart" kv_ping "$V2" 192.168.48.1 3
	kv_check_ok "v2 pings v3 on h3" kv_ping "$V2" 192.168.48.13 3
	kvnetd_use H1
	log_test "a restarted kvnetd starts the network with its overlay again"
}

# a network's <vlan> and <kvnet:map>: the port in the native VLAN untagged, the mapped ones
# tagged; a <mtu> too large for the overlay warned of; net-destroy takes the port away,
# net-start makes it again
map_and_destroy() {
	local f=$KV_TMP/xml/map.xml
	cat >"$f" <<-XML
		<network xmlns:kvnet='$NS_URI'><name>mapnet</name><bridge name='mapbr'/>
		  <mtu size='1500'/><vlan><tag id='30'/></vlan>
		  <kvnet:vxlan vni='4830' local='10.0.48.1' dstport='4792'>
		    <kvnet:remote address='10.0.48.2'/>
		    <kvnet:map vlan='10' vni='4810'/><kvnet:map vlan='20' vni='4820'/>
		  </kvnet:vxlan>
		</network>
	XML
	kv_check_ok "net-define" kv net-define "$f"
	kv_check_ok "net-start" kv net-start mapnet
	kv_check_eq "vx-mapbr's VLANs" "pvid 30: 10t 20t 30u" "$(kv_vlans vx-mapbr)"
	kv_check_eq "its VLAN map" '[{"vid": 10, "vni": 4810}, {"vid": 20, "vni": 4820}]' \
		"$(kv_port_field vx-mapbr vxlan.vlan_vni)"
	kv_check_run "net-info warns of its <mtu>" 0 \
		"Warning:.*<mtu size='1500'> is larger than the VXLAN overlay carries \(1450\)" '' \
		kv net-info mapnet
	kv_check_ok "net-destroy" kv net-destroy mapnet
	kv_check_eq "the port went with it" "no port vx-mapbr" "$(kv_port_field vx-mapbr type)"
	kv_check_ok "net-start again" kv net-start mapnet
	kv_check_eq "the port again, on its endpoint" 4830 "$(kv_port_field vx-mapbr vxlan.vni)"
	kv_check_ok "net-destroy" kv net-destroy mapnet
	kv_check_ok "net-undefine" kv net-undefine mapnet
	log_test "the overlay's VLAN map on the network's switch, its MTU warning; destroy, start"
}

bad_overlay() {
	local f=$KV_TMP/xml/bad.xml
	cat >"$f" <<-XML
		<network xmlns:kvnet='$NS_URI'><name>bad</name>
		  <kvnet:vxlan vni='1' local='10.0.48.1'><kvnet:remote address='fd00::2'/></kvnet:vxlan>
		</network>
	XML
	kv_check_run "a remote of the wrong family" 1 '' \
		"<kvnet:remote>: attribute 'address': expected an IPv4 address, as local" \
		kv net-define "$f"
	sed -i 's|<kvnet:remote address=.fd00::2./>|<kvnet:peer/>|' "$f"
	kv_check_run "an unknown element" 1 '' "unknown element" kv net-define "$f"
	cat >"$f" <<-XML
		<network xmlns:kvnet='$NS_URI'><name>bad</name><forward mode='vepa' dev='ul0'/>
		  <kvnet:vxlan vni='1' local='10.0.48.1'><kvnet:remote address='10.0.48.2'/></kvnet:vxlan>
		</network>
	XML
	kv_check_run "forward mode vepa" 1 '' "not supported with forward mode 'vepa'" \
		kv net-define "$f"
	# an address this host does not have: defined, but refused at start, nothing left
	cat >"$f" <<-XML
		<network xmlns:kvnet='$NS_URI'><name>bad</name><bridge name='badbr'/>
		  <kvnet:vxlan vni='2' local='10.0.48.77' dstport='4790'>
		    <kvnet:remote address='10.0.48.2'/></kvnet:vxlan>
		</network>
	XML
	kv_check_ok "defined" kv net-define "$f"
	kv_check_run "its local address is not on this host" 1 '' "kvnet:vxlan" kv net-start bad
	kv_check_eq "not active" false "$(kv_net_field bad active)"
	kv_check_eq "no port left" "no port vx-badbr" "$(kv_port_field vx-badbr type)"
	kv_check_ok "undefined" kv net-undefine bad
	log_test "a bad overlay is refused with a message naming it; the daemon stays up"
}

# stop_other NAME - stop the kvnetd saved as NAME with kv_exit's checks
stop_other() {
	RET=0
	kvnetd_use "$1"
	kvnetd_stop || kv_fail "kvnetd $1 did not exit within $KV_WAIT s of SIGTERM"
	if kv_sanitizer_report >/dev/null; then
		kv_fail "sanitizer report in kvnetd $1's log: $(kv_sanitizer_report | head -20)"
	fi
	log_test "kvnetd $1 exits on SIGTERM without a sanitizer report"
}

kv_require
kv_require_services
setup
tests_run
stop_other H2
stop_other H3
kvnetd_use H1
kv_exit
