#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 93_libvirt_vhostuser.sh - <interface type='vhostuser'> domains that a stock libvirtd starts run
# on kvnet's vhost-user back-end: kvnet's qemu hook makes the port at "prepare begin", before
# QEMU connects to its socket, and removes it at "release end"
#
#   ns lv: libvirtd (lib_libvirt.sh) with the hook in its /etc/libvirt/hooks/qemu.d; kvnetd,
#          its run dir at /run/kvnet as libvirtd's children see /run
#   n93:   kvnet network, bridge kv93br0, 10.93.0.1/24 with DHCP, portgroup web (VLAN 20)
#   p20    a tap namespace in portgroup web (VLAN 20): 10.93.20.9/24
#   p1     a tap namespace on the network's untagged VLAN: 10.93.20.8/24, the same subnet
#   v1     vhostuser, socket /run/kvnet/ports/v93a.vhost.sock, 52:54:00:93:00:01: DHCP, pings
#          the gateway, then watches it
#   v2     vhostuser, socket /run/kvnet/ports/v93b.vhost.sock, 52:54:00:93:00:02, portgroup web
#          from its metadata: 10.93.20.2/24 pings p20 on VLAN 20 and never reaches p1
#
# A vhost-user guest's memory must be a shared file (<memoryBacking> memfd, shared), and QEMU
# 7.2 under TCG needs -global virtio-net-pci.vectors=0 (README, vhost-user): both are in the
# domains' XML.

ALL_TESTS="vhost_guests libvirtd_restart kvnetd_restart destroy_and_again refused"

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_libvirt.sh"

MAC_V1=52:54:00:93:00:01
MAC_V2=52:54:00:93:00:02
MAC_BAD=52:54:00:93:00:0b
GW=10.93.0.1
XMLNS=urn:kvnet:libvirt-domain:1
LV_DOMAIN_EXTRA="<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>
  <qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-global'/><qemu:arg value='virtio-net-pci.vectors=0'/></qemu:commandline>"

setup() {
	local ns
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
	cat >"$KV_TMP/xml/n93.xml" <<-XML
		<network>
		  <name>n93</name>
		  <bridge name='kv93br0'/>
		  <portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>
		  <ip address='$GW' prefix='24'>
		    <dhcp><range start='10.93.0.100' end='10.93.0.200'/></dhcp>
		  </ip>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n93.xml" n93
	kv net-autostart n93 >/dev/null || kv_setup_fail "net-autostart n93"
	for ns in p20 p1; do
		P[$ns]=$(kv_ns "$ns")
		kv_ns_add "${P[$ns]}"
	done
	kv port-create n93 --backend tap --netns "${P[p20]}" --name p93a --portgroup web \
		>/dev/null || kv_setup_fail "port-create p93a"
	kv port-create n93 --backend tap --netns "${P[p1]}" --name p93b >/dev/null ||
		kv_setup_fail "port-create p93b"
	ip -n "${P[p20]}" addr add 10.93.20.9/24 dev p93a && ip -n "${P[p20]}" link set p93a up &&
		ip -n "${P[p1]}" addr add 10.93.20.8/24 dev p93b && ip -n "${P[p1]}" link set p93b up ||
		kv_setup_fail "p93a, p93b up"
}
declare -A P=()

# ifaces NAME EXPR - EXPR (python, l the list) over kvnet's interfaces of domain NAME
ifaces() {
	kv_q "(lambda l: $2)(d[\"interfaces\"])" domain-interfaces "$1"
}

# summary NAME - "NAME MAC NETWORK PORTGROUP BACKEND PVID" of each kvnet interface of
# domain NAME, sorted, "|" between
summary() {
	ifaces "$1" '"|".join(sorted(" ".join(str(i.get(k)) for k in
		("name", "mac", "network", "portgroup", "backend", "pvid")) for i in l))'
}

meta() {
	echo "<kvnet:ports xmlns:kvnet='$XMLNS'>$*</kvnet:ports>"
}

# vhost_nic MAC NAME [MODE] - a vhostuser <interface> on kvnet's socket for port NAME
vhost_nic() {
	local reconnect="<reconnect enabled='yes' timeout='1'/>"
	[ "${3:-client}" = client ] || reconnect="" # libvirt takes it for mode='client' only
	echo "<interface type='vhostuser'><mac address='$1'/><source type='unix' path='/run/kvnet/ports/$2.vhost.sock' mode='${3:-client}'>$reconnect</source><model type='virtio'/></interface>"
}

v1_xml() {
	LV_DOMAIN_METADATA=$(meta "<kvnet:port network='n93'/>") lv_domain_xml v1 \
		"kvtest.ip=dhcp kvtest.cmd=$(kv_b64 "kvping $GW
kvwatch $GW &
result ready yes
sleep 900")" "$(vhost_nic $MAC_V1 v93a)" >/dev/null
}

v2_xml() {
	LV_DOMAIN_METADATA=$(meta "<kvnet:port mac='${MAC_V2^^}' network='n93' portgroup='web'/>") \
		lv_domain_xml v2 "kvtest.ip=10.93.20.2/24 kvtest.cmd=$(kv_b64 "kvping 10.93.20.9
kvnoping 10.93.20.8
result ready yes
sleep 900")" "$(vhost_nic $MAC_V2 v93b)" >/dev/null
}

# ready NAME - wait for the guest's "ready"
ready() {
	kv_guest_expect "$1" "KVTEST-RESULT: ready" '"ready"'
	kv_check_eq "no error in $1" "" "$(kv_guest_result "$1" error)"
}

v1_check() {
	local ip
	ready v1
	ip=$(kv_guest_result v1 ip)
	kv_check_ok "v1 leased from kvnet's dnsmasq: '$ip'" \
		grep -qE '^10\.93\.0\.(1[0-9][0-9]|200)/24$' <<<"$ip"
	kv_check_eq "v1 pings the gateway" "$GW ok" "$(kv_guest_result v1 ping)"
	kv_check_eq "fdb: v1's MAC on its vhost-user port" v93a "$(kv_fdb_port kv93br0 $MAC_V1 1)"
}

vhost_guests() {
	v1_xml
	v2_xml
	kv_check_eq "no port before the domains start" "no port v93a|no port v93b" \
		"$(kv_port_field v93a name)|$(kv_port_field v93b name)"
	lv_guest_start v1 || kv_fail "v1 did not start: $LV_ERR"
	lv_guest_start v2 || kv_fail "v2 did not start: $LV_ERR"
	kv_check_eq "kvnet: v1's vhost-user port, made by the hook" \
		"v93a $MAC_V1 n93 None vhost-user 1" "$(summary v1)"
	kv_check_eq "kvnet: v2's vhost-user port in portgroup web" \
		"v93b $MAC_V2 n93 web vhost-user 20" "$(summary v2)"
	kv_check_eq "libvirt's view: v1's NIC is vhostuser" vhostuser \
		"$(lv_virsh domiflist v1 | awk -v m=$MAC_V1 '$5 == m { print $2 }')"
	kv_poll_eq "v1's port's link: up once the guest's driver runs the rings" up \
		kv_iface_field v1 link
	kv_poll_eq "v2's port's link: up" up kv_iface_field v2 link
	v1_check
	ready v2
	kv_check_eq "v2 pings p20 on VLAN 20" "10.93.20.9 ok" "$(kv_guest_result v2 ping)"
	kv_check_eq "v2 does not reach p1, on the untagged VLAN" "10.93.20.8 ok" \
		"$(kv_guest_result v2 noping)"
	kv_check_eq "fdb: v2's MAC on VLAN 20" v93b "$(kv_fdb_port kv93br0 $MAC_V2 20)"
	kv_check_eq "fdb: v2's MAC not on VLAN 1" none "$(kv_fdb_port kv93br0 $MAC_V2 1)"
	kv_check_eq "frames from the guests received without a drop" "0 0" \
		"$(kv_stat kv93br0 v93a rx_errors) $(kv_stat kv93br0 v93b rx_errors)"
	log_test "type='vhostuser': the hook makes the vhost-user ports; DHCP, ping, VLAN 20 kept apart"
}

libvirtd_restart() {
	local before
	before="$(summary v1)|$(summary v2)"
	lv_restart || kv_fail "libvirtd did not come back"
	kv_check_eq "v1 and v2 still run" "v1 v2" "$(lv_virsh list --name | sort | xargs)"
	kv_hold_eq "the ports unchanged after libvirtd's restart (reconnect)" "$before" 3 \
		eval 'echo "$(summary v1)|$(summary v2)"'
	log_test "libvirtd restarted under running vhostuser domains: nothing duplicated or lost"
}

# the guest's last report of the gateway: up, down or none
gw_watch() {
	kv_guest_watch v1 $GW
}

kvnetd_restart() {
	local pid=${KV_GUEST_PID[v1]}
	kv_poll_eq "v1 watches the gateway: up" up gw_watch
	kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
	kv_poll_eq "v1 loses the gateway with kvnetd gone" down gw_watch
	kvnetd_start "$LV_NS" || kv_fail "kvnetd did not start again"
	kv_poll_eq "v1's port back, its link up (QEMU reconnected, <reconnect>)" up \
		kv_iface_field v1 link
	kv_poll_eq "v1 reaches the gateway again" up gw_watch
	kv_check_eq "v1's QEMU is the same process" "$pid" "${KV_GUEST_PID[v1]}"
	kv_check_eq "v1's QEMU still runs" alive "$(kv_pid_gone "$pid")"
	log_test "kvnetd restarted under a libvirt vhostuser guest: QEMU reconnects, the guest carries on"
}

destroy_and_again() {
	kv_check_ok "virsh destroy v1" lv_guest_destroy v1
	kv_check_ok "virsh destroy v2" lv_guest_destroy v2
	kv_poll_eq "kvnet: no interface of v1 (the hook, at release)" "" summary v1
	kv_poll_eq "kvnet: no interface of v2" "" summary v2
	kv_check_eq "no vhost-user socket left" "" \
		"$(ls "$KV_RUN/ports" 2>/dev/null | grep vhost)"
	lv_virsh undefine v1 >/dev/null || kv_fail "virsh undefine v1"
	lv_guest_start v1 || kv_fail "v1 did not start again: $LV_ERR"
	kv_check_eq "kvnet: v1's port made again" "v93a $MAC_V1 n93 None vhost-user 1" \
		"$(summary v1)"
	v1_check
	kv_check_ok "virsh destroy v1" lv_guest_destroy v1
	kv_poll_eq "kvnet: no interface of v1" "" summary v1
	log_test "virsh destroy removes the vhost-user ports; a start makes them again"
}

# start_refused NAME WHY... - virsh start NAME fails with every WHY in its message, leaving
# kvnet's ports as they were
start_refused() {
	local name=$1 out rc ports
	shift
	ports=$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show)
	lv_virsh define "$KV_TMP/xml/dom-$name.xml" >/dev/null || kv_fail "virsh define $name"
	out=$(lv_virsh start "$name" 2>&1)
	rc=$?
	kv_check_eq "virsh start $name fails" 1 "$rc"
	for why in "$@"; do
		kv_check_ok "with the hook's reason '$why': $out" grep -qF -- "$why" <<<"$out"
	done
	kv_check_eq "$name is not running" "shut off" "$(lv_virsh domstate "$name" 2>&1)"
	kv_check_eq "kvnet's ports are as before" "$ports" \
		"$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show)"
	lv_virsh undefine "$name" >/dev/null
}

refused() {
	LV_DOMAIN_METADATA=$(meta "<kvnet:port network='n93'/>") lv_domain_xml bad \
		"kvtest.ip=dhcp" "$(vhost_nic $MAC_BAD v93x server)" >/dev/null
	start_refused bad "mode='server'" "mode='client'"
	LV_DOMAIN_METADATA=$(meta "<kvnet:port network='nosuch'/>") lv_domain_xml bad \
		"kvtest.ip=dhcp" "$(vhost_nic $MAC_BAD v93x)" >/dev/null
	start_refused bad "interface $MAC_BAD" "nosuch"
	log_test "a vhostuser interface kvnet cannot serve fails the start with the hook's reason"
}

setup
tests_run
[ "$EXIT_STATUS" -ne 0 ] && lv_print_log
kv_exit
