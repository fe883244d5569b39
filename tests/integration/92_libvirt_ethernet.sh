#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 92_libvirt_ethernet.sh - <interface type='ethernet'> domains that a stock libvirtd starts join
# a kvnet network through kvnet's qemu hook (qemu.d/50-kvnet, as `make install` puts it) or
# through kvnet-ifup as libvirt's <script>, with nothing in their environment: the network
# comes from the domain's kvnet <metadata>, the MAC from the domain's XML
#
#   ns lv: libvirtd (lib_libvirt.sh) with the hook in its /etc/libvirt/hooks/qemu.d, and
#          kvnet, kvnet-ifup, kvnet-ifdown first on its PATH; kvnetd, its socket at the
#          default /run/kvnet/kvnetd.sock as libvirtd's children see /run
#   n92:   kvnet network, bridge kv92br0, 10.92.0.1/24 with DHCP, portgroup web (VLAN 20)
#   peer   a namespace on n92 in portgroup web: 10.92.20.9/24
#   h1     hook: eth0 a tap libvirt makes (vnetN), 52:54:00:92:00:01, DHCP, pings the gateway;
#          eth1 the tap kv92t the test made (<target dev='kv92t' managed='no'/>), 52:54:00:92:01:01
#   s1     <script path='kvnet-ifup'/> and <downscript path='kvnet-ifdown'/>, 52:54:00:92:00:02,
#          portgroup web from its metadata: 10.92.20.2/24, pings peer
#   bad    <script> with no kvnet metadata: libvirt refuses the start with kvnet-ifup's words

ALL_TESTS="hook_and_script libvirtd_restart destroy failed_start"

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_libvirt.sh"

MAC_H1=52:54:00:92:00:01
MAC_H1B=52:54:00:92:01:01
MAC_S1=52:54:00:92:00:02
MAC_PEER=52:54:00:92:00:09
MAC_BAD=52:54:00:92:00:0b
GW=10.92.0.1
XMLNS=urn:kvnet:libvirt-domain:1
declare -A TAP=()

setup() {
	kv_require
	lv_require
	kv_require_services
	kv_require_guest
	command -v xmllint >/dev/null || kv_skip "xmllint is not installed (Debian: libxml2-utils)"
	lv_setup
	lv_kvnet_hook "$KV_TMP/run/kvnetd.sock"
	lv_start || kv_setup_fail "libvirtd did not start"
	kvnetd_start "$LV_NS" || kv_setup_fail "kvnetd did not start"
	[ "$KV_SOCK" = "$KV_TMP/run/kvnetd.sock" ] ||
		kv_setup_fail "kvnetd's socket is $KV_SOCK, the hook was given $KV_TMP/run/kvnetd.sock"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/n92.xml" <<-XML
		<network>
		  <name>n92</name>
		  <bridge name='kv92br0'/>
		  <portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>
		  <ip address='$GW' prefix='24'>
		    <dhcp><range start='10.92.0.100' end='10.92.0.200'/></dhcp>
		  </ip>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n92.xml" n92
	PEER=$(kv_ns peer)
	kv_ns_add "$PEER"
	kv port-create n92 --backend tap --netns "$PEER" --name p92 --mac $MAC_PEER \
		--portgroup web >/dev/null || kv_setup_fail "port-create p92 in $PEER"
	ip -n "$PEER" addr add 10.92.20.9/24 dev p92 && ip -n "$PEER" link set p92 up ||
		kv_setup_fail "p92 up in $PEER"
	ip -n "$LV_NS" tuntap add kv92t mode tap || kv_setup_fail "tap kv92t in $LV_NS"
}

# ifaces NAME EXPR - EXPR (python, l the list) over kvnet's interfaces of domain NAME
ifaces() {
	kv_q "(lambda l: $2)(d[\"interfaces\"])" domain-interfaces "$1"
}

# summary NAME - "NAME MAC NETWORK PORTGROUP BACKEND PVID" of each kvnet interface of domain
# NAME, sorted, "|" between
summary() {
	ifaces "$1" '"|".join(sorted(" ".join(str(i[k]) for k in
		("name", "mac", "network", "portgroup", "backend", "pvid")) for i in l))'
}

# dom_tap NAME MAC - the tap of domain NAME's NIC with MAC, as virsh domiflist says
dom_tap() {
	lv_virsh domiflist "$1" 2>/dev/null | awk -v m="$2" 'NF >= 5 && $5 == m { print $1 }'
}

# kvnet metadata of a domain: its <kvnet:port>s
meta() {
	echo "<kvnet:ports xmlns:kvnet='$XMLNS'>$*</kvnet:ports>"
}

hook_and_script() {
	local ip
	LV_DOMAIN_METADATA=$(meta "<kvnet:port network='n92'/>") lv_domain_xml h1 \
		"kvtest.ip=dhcp kvtest.cmd=$(kv_b64 "kvping $GW
result ready yes
sleep 900")" \
		"<interface type='ethernet'><mac address='$MAC_H1'/><model type='virtio'/></interface>" \
		"<interface type='ethernet'><mac address='$MAC_H1B'/><target dev='kv92t' managed='no'/><model type='virtio'/></interface>" \
		>/dev/null
	LV_DOMAIN_METADATA=$(meta "<kvnet:port mac='${MAC_S1^^}' network='n92' portgroup='web'/>") \
		lv_domain_xml s1 "kvtest.ip=10.92.20.2/24 kvtest.cmd=$(kv_b64 "kvping 10.92.20.9
result ready yes
sleep 900")" \
		"<interface type='ethernet'><mac address='$MAC_S1'/><script path='$LV_DIR/bin/kvnet-ifup'/><downscript path='$LV_DIR/bin/kvnet-ifdown'/><model type='virtio'/></interface>" \
		>/dev/null
	lv_guest_start h1 || kv_fail "h1 did not start: $LV_ERR"
	lv_guest_start s1 || kv_fail "s1 did not start: $LV_ERR"
	TAP[h1]=$(dom_tap h1 $MAC_H1)
	TAP[s1]=$(dom_tap s1 $MAC_S1)
	kv_check_ok "libvirt made h1's tap: '${TAP[h1]}'" test -n "${TAP[h1]}"
	kv_check_ok "libvirt made s1's tap: '${TAP[s1]}'" test -n "${TAP[s1]}"
	kv_check_eq "kvnet: h1's two interfaces, through the hook" \
		"kv92t $MAC_H1B n92 None dev 1|${TAP[h1]} $MAC_H1 n92 None dev 1" "$(summary h1)"
	kv_check_eq "kvnet: s1's interface, through kvnet-ifup, in portgroup web" \
		"${TAP[s1]} $MAC_S1 n92 web dev 20" "$(summary s1)"
	kv_guest_expect h1 "KVTEST-RESULT: ready" '"ready"'
	kv_guest_expect s1 "KVTEST-RESULT: ready" '"ready"'
	ip=$(kv_guest_result h1 ip)
	kv_check_ok "h1 leased from kvnet's dnsmasq: '$ip'" \
		grep -qE '^10\.92\.0\.(1[0-9][0-9]|200)/24$' <<<"$ip"
	kv_check_eq "h1 pings the gateway" "$GW ok" "$(kv_guest_result h1 ping)"
	kv_check_eq "s1 pings peer on VLAN 20" "10.92.20.9 ok" "$(kv_guest_result s1 ping)"
	kv_check_eq "fdb: s1's MAC on its tap, VLAN 20" "${TAP[s1]}" "$(kv_fdb_port kv92br0 $MAC_S1 20)"
	log_test "type='ethernet': the hook attaches libvirt's tap and a managed='no' one; kvnet-ifup as <script> with no environment"
}

libvirtd_restart() {
	local before
	before=$(summary h1)
	lv_restart || kv_fail "libvirtd did not come back"
	# the hook runs "reconnect begin" for h1 as libvirtd starts: it must leave h1's ports alone
	kv_check_eq "h1 and s1 still run" "h1 s1" "$(lv_virsh list --name | sort | xargs)"
	kv_hold_eq "h1's ports unchanged after libvirtd's restart (reconnect)" "$before" 3 summary h1
	kv_check_eq "s1's port unchanged" "${TAP[s1]} $MAC_S1 n92 web dev 20" "$(summary s1)"
	log_test "libvirtd restarted under running ethernet domains: nothing duplicated or lost"
}

destroy() {
	kv_check_ok "virsh destroy h1" lv_guest_destroy h1
	kv_check_ok "virsh destroy s1" lv_guest_destroy s1
	kv_poll_eq "kvnet: no interface of h1 (the hook, at release)" "" summary h1
	kv_poll_eq "kvnet: no interface of s1 (kvnet-ifdown)" "" summary s1
	kv_check_eq "no port of h1's or s1's taps" "no port ${TAP[h1]}|no port ${TAP[s1]}|no port kv92t" \
		"$(kv_port_field "${TAP[h1]}" name)|$(kv_port_field "${TAP[s1]}" name)|$(kv_port_field kv92t name)"
	kv_check_ok "the tap the test made (managed='no') is still there" \
		ip -n "$LV_NS" link show kv92t
	kv_check_eq "no record of them in kvnetd's run dir" "" \
		"$(ls "$KV_RUN/ports" 2>/dev/null | grep -v '^p92')"
	log_test "virsh destroy: the hook and kvnet-ifdown remove the ports; a managed='no' tap stays"
}

failed_start() {
	local out rc ports
	ports=$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show)
	lv_domain_xml bad "kvtest.ip=dhcp" \
		"<interface type='ethernet'><mac address='$MAC_BAD'/><script path='$LV_DIR/bin/kvnet-ifup'/><downscript path='$LV_DIR/bin/kvnet-ifdown'/></interface>" \
		>/dev/null
	lv_virsh define "$KV_TMP/xml/dom-bad.xml" >/dev/null || kv_fail "virsh define bad"
	out=$(lv_virsh start bad 2>&1)
	rc=$?
	kv_check_eq "virsh start bad (no kvnet metadata) fails" 1 "$rc"
	kv_check_ok "with kvnet-ifup's reason: $out" grep -q "KVNET_NETWORK is not set" <<<"$out"
	kv_check_eq "bad is not running" "shut off" "$(lv_virsh domstate bad 2>&1)"
	kv_check_eq "kvnet's ports are as before" "$ports" \
		"$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show)"
	kv_check_eq "kvnet: no interface of bad" "" "$(summary bad)"
	log_test "a <script> start that kvnet-ifup refuses fails with its reason and leaves nothing"
}

setup
tests_run
[ "$EXIT_STATUS" -ne 0 ] && lv_print_log
kv_exit
