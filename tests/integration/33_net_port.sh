#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 33_net_port.sh - network ports from libvirt <networkport> XML: create, list, dump, delete;
# net-destroy removes every port of the network
#
#   network n33 (switch kvbr35), portgroup web (<vlan> 15)
#     port 1: UUID given, owner vm33, group web, <vlan> 42, tap vp1 moved to ns p1 with its MAC
#     port 2: no UUID, owner vm34, group web, no <vlan>: the portgroup's 15, tap kvportN in sw

ALL_TESTS="port_create_list port_dumpxml port_vlan_precedence port_set_unkept port_delete
	port_errors
	destroy_removes_ports"

source "$(dirname "$0")/lib.sh"

P1_UUID=33333333-0000-4000-8000-000000000001
P1_MAC=52:54:00:33:00:01
P2_MAC=52:54:00:33:00:02

setup() {
	SW=$(kv_ns sw)
	P1=$(kv_ns p1)
	kv_ns_add "$SW" "$P1"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/n33.xml" <<-'EOF'
		<network>
		  <name>n33</name>
		  <bridge name='kvbr35'/>
		  <portgroup name='web'>
		    <vlan>
		      <tag id='15'/>
		    </vlan>
		  </portgroup>
		</network>
	EOF
	cat >"$X/p1.xml" <<-EOF
		<networkport>
		  <uuid>$P1_UUID</uuid>
		  <owner>
		    <name>vm33</name>
		    <uuid>33333333-1111-4000-8000-000000000001</uuid>
		  </owner>
		  <group>web</group>
		  <mac address='$P1_MAC'/>
		  <vlan>
		    <tag id='42'/>
		  </vlan>
		</networkport>
	EOF
	cat >"$X/p2.xml" <<-EOF
		<networkport>
		  <owner>
		    <name>vm34</name>
		    <uuid>33333333-1111-4000-8000-000000000002</uuid>
		  </owner>
		  <group>web</group>
		  <mac address='$P2_MAC'/>
		</networkport>
	EOF
	kv net-define "$X/n33.xml" >/dev/null || kv_setup_fail "net-define n33"
	kv net-start n33 >/dev/null || kv_setup_fail "net-start n33"
}

# port_uuid MAC - the UUID of n33's port with MAC
port_uuid() {
	kv_q "next((p[\"uuid\"] for p in d[\"ports\"] if p[\"mac\"] == \"$1\"), \"none\")" net-port-list n33
}

port_create_list() {
	kv_check_run "net-port-create p1" 0 "^Network port $P1_UUID created from $X/p1.xml\$" '^$' \
		kv net-port-create n33 "$X/p1.xml" --netns "$P1" --name vp1
	kv_check_run "net-port-create p2" 0 '^Network port [0-9a-f-]{36} created from' '^$' \
		kv net-port-create n33 "$X/p2.xml"
	P2_UUID=$(port_uuid $P2_MAC)
	kv_check_ok "p2 got a UUID ($P2_UUID)" grep -qE '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$' \
		<<<"$P2_UUID"
	kv_check_ok "p2's message named its UUID" grep -qF "$P2_UUID" <<<"$KV_OUT"
	P2_NAME=$(kv_q "next(p[\"name\"] for p in d[\"ports\"] if p[\"mac\"] == \"$P2_MAC\")" \
		net-port-list n33)
	kv_check_ok "p2's tap is kvportN ($P2_NAME)" grep -qE '^kvport[0-9]+$' <<<"$P2_NAME"
	kv_check_run "net-port-list n33" 0 "" '^$' kv net-port-list n33
	kv_check_eq "net-port-list header" "UUID Owner MAC Group Interface" \
		"$(printf '%s\n' "$KV_OUT" | head -n 1 | xargs)"
	kv_check_eq "net-port-list row of p1" "$P1_UUID vm33 $P1_MAC web vp1" \
		"$(printf '%s\n' "$KV_OUT" | awk -v u=$P1_UUID '$1 == u' | xargs)"
	kv_check_eq "net-port-list row of p2" "$P2_UUID vm34 $P2_MAC web $P2_NAME" \
		"$(printf '%s\n' "$KV_OUT" | awk -v u="$P2_UUID" '$1 == u' | xargs)"
	kv_check_ok "vp1 is in $P1" ip -n "$P1" link show vp1
	kv_check_eq "vp1 has the port's MAC" $P1_MAC \
		"$(ip -n "$P1" -o link show vp1 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)"
	kv_check_ok "$P2_NAME is in kvnetd's namespace" ip -n "$SW" link show "$P2_NAME"
	# the VM ports, and the bridge's own netdev on the host (as every bridge has)
	kv_check_eq "kvbr35's ports" "$(echo "kvbr35 $P2_NAME vp1" | tr ' ' '\n' | sort | xargs)" \
		"$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show kvbr35)"
	kv_check_eq "net-info's port count" 2 "$(kv_q 'd["ports"]' net-info n33)"
	log_test "net-port-create: virsh's message; net-port-list shows owner, MAC, group, tap"
}

port_dumpxml() {
	local d
	kv_check_run "net-port-dumpxml p1" 0 "" '^$' kv net-port-dumpxml n33 $P1_UUID
	d=$KV_OUT
	printf '%s\n' "$d" >"$KV_TMP/p1.dump.xml"
	kv_check_ok "p1: plug type network on kvbr35" \
		grep -qF "<plug type='network' bridge='kvbr35'/>" <<<"$d"
	kv_check_ok "p1: its VLAN 42" grep -qF "<tag id='42'/>" <<<"$d"
	kv_check_ok "p1: its UUID" grep -qF "<uuid>$P1_UUID</uuid>" <<<"$d"
	kv_check_ok "p1: its owner" grep -qF "<name>vm33</name>" <<<"$d"
	kv_check_ok "p1: its group" grep -qF "<group>web</group>" <<<"$d"
	kv_check_ok "p1: its MAC" grep -qF "<mac address='$P1_MAC'/>" <<<"$d"
	kv_check_schema "net-port-dumpxml p1" networkport "$KV_TMP/p1.dump.xml"
	kv_check_run "net-port-dumpxml p2" 0 "<plug type='network' bridge='kvbr35'/>" '^$' \
		kv net-port-dumpxml n33 "$P2_UUID"
	printf '%s\n' "$KV_OUT" >"$KV_TMP/p2.dump.xml"
	kv_check_ok "p2: the portgroup's VLAN 15 in effect" grep -qF "<tag id='15'/>" <<<"$KV_OUT"
	kv_check_schema "net-port-dumpxml p2" networkport "$KV_TMP/p2.dump.xml"
	log_test "net-port-dumpxml: the plug, the VLAN in effect, valid networkport.rng"
}

port_vlan_precedence() {
	kv_check_eq "vp1: its own <vlan> 42 over the portgroup's 15" "pvid 42: 42u" "$(kv_vlans vp1)"
	kv_check_eq "$P2_NAME: the portgroup's VLAN 15" "pvid 15: 15u" "$(kv_vlans "$P2_NAME")"
	log_test "a port's VLAN: its own <vlan>, else its portgroup's"
}

# a setting on a port that no stored bridge keeps is applied, and the user told it will not last
port_set_unkept() {
	kv_check_run "port set on VM port vp1: applied, with a warning" 0 '' \
		'warning: vp1 is a VM port: .*lasts until kvnetd restarts' kv port set vp1 learn_limit 7
	kv_check_eq "vp1's learn_limit" 7 "$(kv_port_field vp1 learn_limit)"
	kv_check_eq "port set --json: the warning in the result" true \
		"$(kv_q '"VM port" in d["warning"]' port set vp1 learn_limit 8)"
	kv_check_run "vlan add on the network's bridge port: a warning" 0 '' \
		'warning: kvbr35 is network n33.s: this change lasts until the network stops' \
		kv vlan add kvbr35 vid 77
	kv_check_ok "bridge add kvb33" kv bridge add kvb33
	kv_check_run "port set on a stored bridge's port: no warning" 0 '' '^$' \
		kv port set kvb33 learning off
	kv bridge del kvb33 >/dev/null 2>&1
	log_test "port set on a VM port or a network's port: applied, and warned it does not last"
}

port_delete() {
	kv_check_run "net-port-delete p1" 0 "^Network port $P1_UUID deleted\$" '^$' \
		kv net-port-delete n33 $P1_UUID
	kv_check_eq "p1 gone from net-port-list" none "$(port_uuid $P1_MAC)"
	kv_poll_eq "vp1 gone from $P1" gone \
		sh -c "ip -n '$P1' link show vp1 >/dev/null 2>&1 && echo present || echo gone"
	kv_check_run "net-port-delete p1 again" 1 '^$' "$P1_UUID" kv net-port-delete n33 $P1_UUID
	kv_check_run "net-port-dumpxml of the deleted port" 1 '^$' "$P1_UUID" \
		kv net-port-dumpxml n33 $P1_UUID
	log_test "net-port-delete: the port and its tap are gone"
}

port_errors() {
	printf "<network>\n  <name>n33b</name>\n  <bridge name='kvbr36'/>\n</network>\n" >"$X/n33b.xml"
	kv net-define "$X/n33b.xml" >/dev/null
	kv_check_run "net-port-create on an inactive network" 1 '^$' 'n33b' \
		kv net-port-create n33b "$X/p1.xml"
	kv_check_run "net-port-create on an unknown network" 1 '^$' 'nosuch33' \
		kv net-port-create nosuch33 "$X/p1.xml"
	sed -e 's/<group>web/<group>nosuch/' -e 's/:01/:0f/' -e 's/0001</000f</' "$X/p1.xml" \
		>"$X/p-bad-group.xml"
	kv_check_run "net-port-create with an unknown portgroup" 1 '^$' 'nosuch' \
		kv net-port-create n33 "$X/p-bad-group.xml"
	sed -e '/<mac /d' "$X/p2.xml" >"$X/p-no-mac.xml"
	kv_check_run "net-port-create without <mac>" 1 '^$' 'mac' \
		kv net-port-create n33 "$X/p-no-mac.xml"
	kv_check_run "net-port-dumpxml with a bad UUID" 2 '^$' 'UUID' kv net-port-dumpxml n33 nope
	kv_check_eq "n33's ports after the errors" "$P2_UUID" \
		"$(kv_q '" ".join(p["uuid"] for p in d["ports"])' net-port-list n33)"
	log_test "errors: inactive or unknown network, unknown portgroup, no MAC: exit 1"
}

destroy_removes_ports() {
	kv_check_run "net-port-create p1 again" 0 "^Network port $P1_UUID created" '^$' \
		kv net-port-create n33 "$X/p1.xml" --netns "$P1" --name vp1
	kv_check_run "net-destroy n33" 0 '^Network n33 destroyed$' '^$' kv net-destroy n33
	kv_check_eq "bridges after net-destroy" "" \
		"$(kv_q '" ".join(b["name"] for b in d["bridges"])' bridge show)"
	kv_check_eq "ports after net-destroy" "" \
		"$(kv_q '" ".join(p["name"] for p in d["ports"])' port show)"
	kv_poll_eq "vp1 gone from $P1" gone \
		sh -c "ip -n '$P1' link show vp1 >/dev/null 2>&1 && echo present || echo gone"
	kv_check_ok "$P2_NAME gone from kvnetd's namespace" \
		test -z "$(ip -n "$SW" -o link show "$P2_NAME" 2>/dev/null)"
	kv_check_run "net-start n33 again" 0 '^Network n33 started$' '^$' kv net-start n33
	kv_check_eq "no port after the restart of n33" 0 "$(kv_q 'len(d["ports"])' net-port-list n33)"
	log_test "net-destroy removes every port of the network and its taps"
}

kv_require
setup
tests_run
kv_exit
