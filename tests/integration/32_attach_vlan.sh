#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 32_attach_vlan.sh - VM interfaces attached from libvirt <interface> XML: VLAN precedence
# (interface, then portgroup, then network) shown by real frames
#
#   network n32 (switch kvbr32): <vlan> 10; portgroup pg20 (<vlan> 20), pgnone (no vlan)
#     d30  [v32a in ns m30, 10.32.0.4]  pg20 + interface <vlan> 30  -> access VLAN 30
#     d20  [v32b in ns m20, 10.32.0.3]  pg20                        -> access VLAN 20
#     d10a [v32c in ns m1a, 10.32.0.1]  pgnone                      -> the network's 10
#     d10b [v32d in ns m1b, 10.32.0.2]  no portgroup, no <mac>      -> the network's 10
#     dtk  [v32t in ns tk]              <vlan trunk='yes'> 10, 20, 30 (raw tagged frames)
#   network n32b (switch kvbr33): <vlan> 50; portgroup pgdef default='yes' (<vlan> 40)
#     ddef [v33a, in kvnetd's ns]       no portgroup                -> the default's 40
#
# The VMs share one IP subnet, so only the VLANs keep them apart. Each tap is moved into its
# namespace by kvnetd (attach-interface --netns) with the port's MAC.

ALL_TESTS="attached_vlans generated_mac trunk_tagged_frames same_vlan_ping cross_vlan_ping
	default_portgroup bridge_type detach attach_errors"

source "$(dirname "$0")/lib.sh"

MACT=52:54:00:32:00:99

setup() {
	SW=$(kv_ns sw)
	M30=$(kv_ns m30)
	M20=$(kv_ns m20)
	M1A=$(kv_ns m1a)
	M1B=$(kv_ns m1b)
	TK=$(kv_ns tk)
	kv_ns_add "$SW" "$M30" "$M20" "$M1A" "$M1B" "$TK"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/n32.xml" <<-'EOF'
		<network>
		  <name>n32</name>
		  <bridge name='kvbr32'/>
		  <vlan>
		    <tag id='10'/>
		  </vlan>
		  <portgroup name='pg20'>
		    <vlan>
		      <tag id='20'/>
		    </vlan>
		  </portgroup>
		  <portgroup name='pgnone'/>
		</network>
	EOF
	cat >"$X/n32b.xml" <<-'EOF'
		<network>
		  <name>n32b</name>
		  <bridge name='kvbr33'/>
		  <vlan>
		    <tag id='50'/>
		  </vlan>
		  <portgroup name='pgdef' default='yes'>
		    <vlan>
		      <tag id='40'/>
		    </vlan>
		  </portgroup>
		</network>
	EOF
	iface_xml d30 "portgroup='pg20'" v32a 52:54:00:32:00:30 "<vlan><tag id='30'/></vlan>"
	iface_xml d20 "portgroup='pg20'" v32b 52:54:00:32:00:20 ""
	iface_xml d10a "portgroup='pgnone'" v32c 52:54:00:32:00:1a ""
	iface_xml d10b "" v32d "" ""
	iface_xml dtk "" v32t $MACT \
		"<vlan trunk='yes'><tag id='10'/><tag id='20'/><tag id='30'/></vlan>"
	kv net-define "$X/n32.xml" >/dev/null || kv_setup_fail "net-define n32"
	kv net-start n32 >/dev/null || kv_setup_fail "net-start n32"
	vm_attach d30 "$M30" v32a 10.32.0.4/24
	vm_attach d20 "$M20" v32b 10.32.0.3/24
	vm_attach d10a "$M1A" v32c 10.32.0.1/24
	vm_attach d10b "$M1B" v32d 10.32.0.2/24
	vm_attach dtk "$TK" v32t
}

# iface_xml DOMAIN SOURCE_ATTRS TARGET MAC VLAN - $X/DOMAIN.xml: an <interface> on network n32
iface_xml() {
	{
		echo "<interface type='network'>"
		[ -n "$4" ] && echo "  <mac address='$4'/>"
		echo "  <source network='n32' $2/>"
		[ -n "$5" ] && echo "  $5"
		echo "  <target dev='$3'/>"
		echo "  <model type='virtio'/>"
		echo "</interface>"
	} >"$X/$1.xml"
}

# vm_attach DOMAIN NS IFACE [ADDR] - attach $X/DOMAIN.xml with its tap in NS; up, addressed
vm_attach() {
	local out
	out=$(kv attach-interface "$1" "$X/$1.xml" --netns "$2" 2>&1) ||
		kv_setup_fail "attach-interface $1: $out"
	printf '%s\n' "$out" >"$KV_TMP/attach-$1.out"
	ip -n "$2" link set "$3" up || kv_setup_fail "$3 up in $2"
	if [ -n "$4" ]; then
		ip -n "$2" addr add "$4" dev "$3" || kv_setup_fail "addr $4 on $3 in $2"
	fi
}

# iface_vlans DOMAIN - "pvid P: VIDu VIDt ..." of DOMAIN's first interface (domain-interfaces)
iface_vlans() {
	kv_q '(lambda i: "pvid %s: %s" % ("none" if i["pvid"] is None else i["pvid"], " ".join("%d%s" % (v["vid"], "u" if v["untagged"] else "t") for v in sorted(i["vlans"], key=lambda v: v["vid"]))))(d["interfaces"][0])' \
		domain-interfaces "$1"
}

# iface_field DOMAIN FIELD - a member of DOMAIN's first interface in domain-interfaces
iface_field() {
	kv_q "d[\"interfaces\"][0][\"$2\"]" domain-interfaces "$1"
}

# ns_mac NS IFACE - IFACE's MAC address in NS
ns_mac() {
	ip -n "$1" -o link show "$2" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2
}

attached_vlans() {
	kv_check_eq "d30: interface VLAN 30 wins over pg20" "pvid 30: 30u" "$(iface_vlans d30)"
	kv_check_eq "d20: pg20's VLAN 20" "pvid 20: 20u" "$(iface_vlans d20)"
	kv_check_eq "d10a: pgnone has none, the network's 10" "pvid 10: 10u" "$(iface_vlans d10a)"
	kv_check_eq "d10b: no portgroup, the network's 10" "pvid 10: 10u" "$(iface_vlans d10b)"
	kv_check_eq "dtk: trunk 10, 20, 30 tagged, no PVID" "pvid none: 10t 20t 30t" \
		"$(iface_vlans dtk)"
	kv_check_eq "vlan show v32a (the switch's own view)" "pvid 30: 30u" "$(kv_vlans v32a)"
	kv_check_eq "d20's portgroup" pg20 "$(iface_field d20 portgroup)"
	kv_check_eq "d20's network" n32 "$(iface_field d20 network)"
	kv_check_run "domain-interfaces d30 (text)" 0 'v32a +network +n32 +pg20 +52:54:00:32:00:30 +30 pvid untagged' \
		'^$' kv domain-interfaces d30
	kv_check_eq "domain-interfaces header" "Interface Type Source Portgroup MAC VLANs State" \
		"$(printf '%s\n' "$KV_OUT" | head -n 1 | xargs)"
	kv_check_run "domain-interfaces dtk (text)" 0 'trunk 10,20,30' '^$' kv domain-interfaces dtk
	kv_check_ok "attach-interface said so" \
		grep -qx 'Interface attached successfully' "$KV_TMP/attach-d30.out"
	kv_check_ok "attach-interface printed the tap" grep -qE '^Interface: +v32a$' "$KV_TMP/attach-d30.out"
	kv_check_ok "attach-interface printed the MAC" \
		grep -qE '^MAC: +52:54:00:32:00:30$' "$KV_TMP/attach-d30.out"
	log_test "VLAN precedence: interface <vlan>, then portgroup, then network"
}

generated_mac() {
	local mac
	mac=$(iface_field d10b mac)
	kv_check_ok "d10b's MAC generated under 52:54:00 ($mac)" \
		grep -qE '^52:54:00(:[0-9a-f]{2}){3}$' <<<"$mac"
	kv_check_eq "the MAC of v32d in its namespace" "$mac" "$(ns_mac "$M1B" v32d)"
	kv_check_eq "attach-interface printed it" "$mac" \
		"$(awk '$1 == "MAC:" { print $2 }' "$KV_TMP/attach-d10b.out")"
	kv_check_eq "the MAC of v32a in its namespace" 52:54:00:32:00:30 "$(ns_mac "$M30" v32a)"
	log_test "no <mac>: one generated under 52:54:00, and the VM's tap has it"
}

trunk_tagged_frames() {
	cap_start in20 expect "$M20" v32b --src $MACT --untagged --tag t20
	cap_start no20a count "$M30" v32a --src $MACT --tag t20
	cap_start no20b count "$M1A" v32c --src $MACT --tag t20
	cap_start no20c count "$M1B" v32d --src $MACT --tag t20
	kv_send "$TK" v32t --src $MACT --vlan 20 --tag t20
	cap_check_seen "tagged 20 from the trunk reaches d20 (pg20) untagged" in20
	cap_check_count "tagged 20 at d30" 0 no20a
	cap_check_count "tagged 20 at d10a" 0 no20b
	cap_check_count "tagged 20 at d10b" 0 no20c

	cap_start in30 expect "$M30" v32a --src $MACT --untagged --tag t30
	cap_start no30a count "$M20" v32b --src $MACT --tag t30
	cap_start no30b count "$M1A" v32c --src $MACT --tag t30
	kv_send "$TK" v32t --src $MACT --vlan 30 --tag t30
	cap_check_seen "tagged 30 from the trunk reaches d30 (interface VLAN) untagged" in30
	cap_check_count "tagged 30 at d20" 0 no30a
	cap_check_count "tagged 30 at d10a" 0 no30b

	cap_start in10a expect "$M1A" v32c --src $MACT --untagged --tag t10
	cap_start in10b expect "$M1B" v32d --src $MACT --untagged --tag t10
	cap_start no10a count "$M20" v32b --src $MACT --tag t10
	cap_start no10b count "$M30" v32a --src $MACT --tag t10
	kv_send "$TK" v32t --src $MACT --vlan 10 --tag t10
	cap_check_seen "tagged 10 from the trunk reaches d10a (pgnone: network VLAN)" in10a
	cap_check_seen "tagged 10 from the trunk reaches d10b (no portgroup: network VLAN)" in10b
	cap_check_count "tagged 10 at d20" 0 no10a
	cap_check_count "tagged 10 at d30" 0 no10b

	cap_start back expect "$TK" v32t --src 52:54:00:32:00:20 --dst $MACT --vlan 20 --tag r20
	kv_send "$M20" v32b --src 52:54:00:32:00:20 --dst $MACT --tag r20
	cap_check_seen "a frame from d20 reaches the trunk tagged 20" back
	log_test "from the trunk, each tagged VLAN reaches only the VMs of that VLAN"
}

same_vlan_ping() {
	kv_check_ok "d10a pings d10b (VLAN 10)" kv_ping "$M1A" 10.32.0.2 3
	kv_check_ok "d10b pings d10a (VLAN 10)" kv_ping "$M1B" 10.32.0.1 3
	log_test "the two VLAN 10 VMs (pgnone, no portgroup) ping each other"
}

cross_vlan_ping() {
	kv_check_ok "d20 cannot ping d30 (VLAN 20 to 30)" kv_ping_fails "$M20" 10.32.0.4
	kv_check_ok "d30 cannot ping d20 (VLAN 30 to 20)" kv_ping_fails "$M30" 10.32.0.3
	kv_check_ok "d20 cannot ping d10a (VLAN 20 to 10)" kv_ping_fails "$M20" 10.32.0.1
	log_test "no ping between VLAN 20 and VLAN 30 (both use portgroup pg20)"
}

default_portgroup() {
	kv_check_run "net-create n32b" 0 '^Network n32b created' '^$' kv net-create "$X/n32b.xml"
	cat >"$X/ddef.xml" <<-'EOF'
		<interface type='network'>
		  <source network='n32b'/>
		  <target dev='v33a'/>
		</interface>
	EOF
	kv_check_run "attach ddef to n32b without a portgroup" 0 'attached successfully' '^$' \
		kv attach-interface ddef "$X/ddef.xml"
	kv_check_eq "ddef: the default portgroup's VLAN 40, not the network's 50" "pvid 40: 40u" \
		"$(iface_vlans ddef)"
	log_test "no portgroup: the network's default portgroup applies (its VLAN 40)"
}

bridge_type() {
	cat >"$X/dbr.xml" <<-'EOF'
		<interface type='bridge'>
		  <mac address='52:54:00:32:00:b1'/>
		  <source bridge='kvbr32'/>
		  <target dev='v32e'/>
		  <mtu size='1280'/>
		</interface>
	EOF
	kv_check_run "attach a type='bridge' interface to kvbr32" 0 \
		'attached successfully' '^$' kv attach-interface dbr "$X/dbr.xml" --netns "$M1A"
	kv_check_ok "attach-interface printed the bridge" \
		grep -qE '^Bridge: +kvbr32$' <<<"$KV_OUT"
	kv_check_ok "v32e is in $M1A" ip -n "$M1A" link show v32e
	kv_check_eq "dbr's type" bridge "$(iface_field dbr type)"
	kv_check_eq "dbr's bridge" kvbr32 "$(iface_field dbr bridge)"
	kv_check_eq "dbr's MAC on its tap" 52:54:00:32:00:b1 "$(ns_mac "$M1A" v32e)"
	kv_check_eq "the interface's <mtu size='1280'/> on its tap" 1280 \
		"$(ip -n "$M1A" -o link show v32e | grep -o 'mtu [0-9]*' | cut -d' ' -f2)"
	kv_check_eq "and on its port" 1280 "$(kv_port_field v32e mtu)"
	kv_check_run "domain-interfaces dbr: Source is the bridge" 0 'v32e +bridge +kvbr32' '^$' \
		kv domain-interfaces dbr
	log_test "type='bridge' with <source bridge> naming the network's switch, its <mtu>"
}

detach() {
	local mac
	mac=$(iface_field d10b mac)
	kv_check_run "detach-interface d10b" 0 '^Interface detached successfully$' '^$' \
		kv detach-interface d10b --mac "$mac"
	kv_poll_eq "v32d gone from $M1B" gone \
		sh -c "ip -n '$M1B' link show v32d >/dev/null 2>&1 && echo present || echo gone"
	kv_check_eq "d10b has no interface left" 0 "$(kv_q 'len(d["interfaces"])' domain-interfaces d10b)"
	kv_check_ok "v32d is no port of kvbr32" \
		test -z "$(kv_q '[p["name"] for p in d["ports"] if p["name"] == "v32d"]' port show kvbr32 | tr -d '[]')"
	kv_check_run "detach it again" 1 '^$' "$mac|d10b" kv detach-interface d10b --mac "$mac"
	kv_check_ok "d10a cannot ping the detached d10b" kv_ping_fails "$M1A" 10.32.0.2
	log_test "detach-interface removes the port, its tap leaves the VM's namespace"
}

attach_errors() {
	local before
	before=$(kv_q 'sorted(p["name"] for p in d["ports"])' port show)
	sed -e "s/network='n32'/network='nosuch32'/" -e 's/v32c/v32x/' -e 's/:1a/:1f/' \
		"$X/d10a.xml" >"$X/bad-net.xml"
	kv_check_run "attach to an unknown network" 1 '^$' 'nosuch32' \
		kv attach-interface dbad "$X/bad-net.xml"
	sed -e "s/pgnone/pgnosuch/" -e 's/v32c/v32x/' -e 's/:1a/:1f/' "$X/d10a.xml" >"$X/bad-pg.xml"
	kv_check_run "attach to an unknown portgroup" 1 '^$' 'pgnosuch' \
		kv attach-interface dbad "$X/bad-pg.xml"
	printf "<network>\n  <name>n32c</name>\n  <bridge name='kvbr34'/>\n</network>\n" >"$X/n32c.xml"
	kv net-define "$X/n32c.xml" >/dev/null
	sed -e "s/network='n32'/network='n32c'/" -e 's/v32c/v32x/' -e 's/:1a/:1f/' \
		"$X/d10a.xml" >"$X/bad-inactive.xml"
	kv_check_run "attach to an inactive network" 1 '^$' 'n32c' \
		kv attach-interface dbad "$X/bad-inactive.xml"
	sed -e "s|</interface>|<filterref filter='no-ip-multicast'/></interface>|" -e 's/v32c/v32x/' \
		-e 's/:1a/:1f/' "$X/d10a.xml" >"$X/bad-filter.xml"
	kv_check_run "attach with a <filterref> kvnet does not apply: refused, not dropped" 1 '^$' \
		"<filterref filter='no-ip-multicast'>.*not a filter kvnet applies.*clean-traffic" \
		kv attach-interface dbad "$X/bad-filter.xml"
	kv_check_run "attach from a missing file" 1 '^$' 'missing.xml: No such file' \
		kv attach-interface dbad "$X/missing.xml"
	kv_check_run "detach without --mac" 2 '^$' 'needs .*mac' kv detach-interface d20
	kv_check_eq "ports unchanged by the errors" "$before" \
		"$(kv_q 'sorted(p["name"] for p in d["ports"])' port show)"
	kv_check_ok "no tap v32x made" test -z "$(ip -n "$SW" -o link show v32x 2>/dev/null)"
	log_test "errors: unknown network, unknown portgroup, inactive network, <filterref>: exit 1, named"
}

kv_require
setup
tests_run
kv_exit
