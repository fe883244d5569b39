#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 64_guards.sh - what a hostile VM cannot do to its neighbours: answer DHCP, advertise a
# router, take the spanning tree's root, hop VLANs with two tags, flood broadcasts
#
#   kvnetd in ns sw: network n39 (NAT, STP on, switch kvb39 192.168.139.1/24, dnsmasq)
#     vm1 [v1 in ns vm1, 52:54:00:39:00:01]  an honest client: leases, pings the host port
#     vm2 [v2 in ns vm2, 52:54:00:39:00:02]  the attacker: DHCPOFFERs, RAs, BPDUs of priority 0
#   bridge br0 (kvnet's CLI, no network):
#     a [p1 in ns a, access VLAN 10]   the attacker: 10-then-20 frames, a broadcast flood
#     t [p2 in ns t, trunk: VLAN 10 native (untagged, PVID), VLAN 20 tagged]
#     c [p3 in ns c, access VLAN 10]   a neighbour

ALL_TESTS="vm_port_defaults rogue_dhcp rogue_dhcp_unguarded rogue_ra bpdu_guard bpdu_guard_reset
	root_guard vlan_hop storm_broadcast access_guard_kept"

source "$(dirname "$0")/lib.sh"

NET=n39
MAC1=52:54:00:39:00:01
MAC2=52:54:00:39:00:02
ROGUE=52:54:00:39:00:66 # the source of the rogue server's and router's frames
MACA=02:00:00:39:00:0a
MACT=02:00:00:39:00:0b
MACC=02:00:00:39:00:0c

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	NA=$(kv_ns a)
	NT=$(kv_ns t)
	NC=$(kv_ns c)
	kv_ns_add "$SW" "$VM1" "$VM2" "$NA" "$NT" "$NC"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb39 139 "<forward mode='nat'/>")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv bridge add br0 >/dev/null || kv_setup_fail "bridge add br0"
	kv_tap_host br0 p1 "$NA" $MACA
	kv_tap_host br0 p2 "$NT" $MACT
	kv_tap_host br0 p3 "$NC" $MACC
	kv_access p1 10
	kv_access p3 10
	kv_access p2 10
	kv vlan add p2 vid 20 >/dev/null || kv_setup_fail "vlan add p2 vid 20"
}

# stp_port PORT FIELD - a member of PORT's object in `showstp kvb39`
stp_port() {
	kv_q "next((p[\"$2\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\"), \"no port $1\")" \
		showstp kvb39
}

vm_port_defaults() {
	local f
	for f in bpdu_guard dhcp_guard ra_guard access_guard; do
		kv_check_eq "VM port v1: $f on" true "$(kv_port_field v1 flags.$f)"
	done
	kv_check_eq "VM port v1: root_guard on" true "$(kv_port_field v1 root_guard)"
	kv_check_eq "host port kvb39 trusted: dhcp_guard" false "$(kv_port_field kvb39 flags.dhcp_guard)"
	kv_check_eq "host port kvb39 trusted: ra_guard" false "$(kv_port_field kvb39 flags.ra_guard)"
	kv_check_eq "host port kvb39: bpdu_guard" false "$(kv_port_field kvb39 flags.bpdu_guard)"
	kv_check_eq "a CLI port: no guard" false "$(kv_port_field p1 flags.dhcp_guard)"
	kv_check_eq "storm control off by default" 0 "$(kv_port_field v1 storm_broadcast)"
	log_test "VM ports: BPDU, DHCP, RA, access and root guards on; host port trusted"
}

rogue_dhcp() {
	local before ip
	before=$(kv_stat kvb39 v2 drops.dhcp-server)
	cap_start c1 count "$VM1" v1 --src $ROGUE --ethertype 0x0800
	kv_send "$VM2" v2 --src $ROGUE --kind dhcp-offer --count 5
	kv_poll_eq "stats: v2 dhcp-server after 5 rogue offers" $((before + 5)) \
		kv_stat kvb39 v2 drops.dhcp-server
	cap_check_count "rogue DHCPOFFERs at vm1" 0 c1
	if ! kv_udhcpc "$VM1" v1; then
		kv_fail "vm1 got no lease from kvnet's dnsmasq: $(kv_udhcpc_log "$VM1" v1)"
	else
		ip=$(kv_dhcp "$VM1" v1 ip)
		kv_check_eq "vm1's router is the network's" 192.168.139.1 "$(kv_dhcp "$VM1" v1 router)"
		kv_check_eq "vm1's DHCP server is kvnet's dnsmasq" 192.168.139.1 \
			"$(kv_dhcp "$VM1" v1 serverid)"
		kv_check_ok "vm1 ($ip) pings the host port" kv_ping "$VM1" 192.168.139.1 3
	fi
	log_test "DHCP guard: a VM's DHCPOFFERs are dropped; kvnet's dnsmasq still leases"
}

rogue_dhcp_unguarded() {
	kv_check_ok "port set v2 dhcp_guard off" kv port set v2 dhcp_guard off
	cap_start c1 expect "$VM1" v1 --src $ROGUE --ethertype 0x0800
	kv_send "$VM2" v2 --src $ROGUE --kind dhcp-offer
	cap_check_seen "with dhcp_guard off, the offer reaches vm1" c1
	kv_check_ok "port set v2 dhcp_guard on" kv port set v2 dhcp_guard on
	log_test "dhcp_guard off (a VM that serves DHCP): its offers go through"
}

rogue_ra() {
	local before
	before=$(kv_stat kvb39 v2 drops.router-advert)
	cap_start c1 count "$VM1" v1 --src $ROGUE --ethertype 0x86dd
	kv_send "$VM2" v2 --src $ROGUE --kind ra --count 3
	kv_poll_eq "stats: v2 router-advert after 3 RAs" $((before + 3)) \
		kv_stat kvb39 v2 drops.router-advert
	cap_check_count "rogue RAs at vm1" 0 c1
	kv_check_ok "port set v2 ra_guard off" kv port set v2 ra_guard off
	cap_start c2 expect "$VM1" v1 --src $ROGUE --ethertype 0x86dd
	kv_send "$VM2" v2 --src $ROGUE --kind ra
	cap_check_seen "with ra_guard off, the RA reaches vm1" c2
	kv_check_ok "port set v2 ra_guard on" kv port set v2 ra_guard on
	log_test "RA guard: a VM's Router Advertisements are dropped and counted"
}

bpdu_guard() {
	local root
	kv_check_eq "STP runs on kvb39" true "$(kv_q 'd["enabled"]' showstp kvb39)"
	root=$(kv_q 'd["bridge_id"]' showstp kvb39)
	kv_send "$VM2" v2 --src $MAC2 --kind bpdu --bpdu-priority 0 --count 6
	kv_poll_eq "port v2 disabled by its BPDU guard" disabled kv_port_field v2 state
	kv_check_eq "port show: v2 bpdu_guard_tripped" true "$(kv_port_field v2 bpdu_guard_tripped)"
	kv_check_ok "port show says why" grep -q 'disabled (bpdu-guard)' <<<"$(kv port show)"
	kv_check_ok "showstp says so" grep -q 'bpdu-guard *tripped' <<<"$(kv showstp kvb39)"
	kv_check_eq "kvb39 is still the root" true "$(kv_q 'd["root"]' showstp kvb39)"
	kv_check_eq "the root is still kvb39's own id" "$root" \
		"$(kv_q 'd["designated_root"]' showstp kvb39)"
	kv_check_eq "the trip is logged once" 1 \
		"$(grep -c 'port v2: BPDU received with bpdu_guard on' "$KV_LOG")"
	kv_check_eq "v2's BPDUs never reached the tree" 0 \
		"$(kv_q 'next(p["rx"]["config"] for p in d["ports"] if p["name"] == "v2")' \
			showstp kvb39)"
	kv_check_ok "vm1 (an honest port) still pings the host port" kv_ping "$VM1" 192.168.139.1 3
	log_test "BPDU guard: six priority-0 BPDUs from a VM disable its port; the root stays"
}

bpdu_guard_reset() {
	kv_check_ok "port set v2 bpdu_guard on (the admin's reset)" kv port set v2 bpdu_guard on
	kv_poll_eq "port v2 forwards again" forwarding kv_port_field v2 state
	kv_check_eq "port show: v2 bpdu_guard_tripped" false "$(kv_port_field v2 bpdu_guard_tripped)"
	log_test "BPDU guard: saying bpdu_guard again re-enables the port"
}

root_guard() {
	kv_check_ok "port set v2 bpdu_guard off" kv port set v2 bpdu_guard off
	kv_send "$VM2" v2 --src $MAC2 --kind bpdu --bpdu-priority 0 --count 6
	kv_poll_eq "v2 root-blocked by its root guard" true stp_port v2 root_blocked
	kv_check_eq "v2's role" alternate "$(stp_port v2 role)"
	kv_check_eq "kvb39 is still the root" true "$(kv_q 'd["root"]' showstp kvb39)"
	kv_check_ok "showstp says so" grep -q 'root-guard *blocking' <<<"$(kv showstp kvb39)"
	kv_check_ok "vm1 still pings the host port" kv_ping "$VM1" 192.168.139.1 3
	# the same BPDUs without the guard: the attack this stops
	kv_check_ok "port set v2 root_guard off" kv port set v2 root_guard off
	kv_send "$VM2" v2 --src $MAC2 --kind bpdu --bpdu-priority 0 --count 6
	kv_poll_eq "without root guard, v2 becomes the root port" v2 \
		kv_q 'd["root_port"]' showstp kvb39
	kv_check_ok "port set v2 root_guard on bpdu_guard on" kv port set v2 root_guard on bpdu_guard on
	log_test "root guard: a VM's superior BPDUs block its port instead of making it root"
}

vlan_hop() {
	local before
	# without the guard (a port made with the CLI) the classic hop works
	cap_start hop0 expect "$NT" p2 --src $MACA --vlan 20 --no-inner --tag hop0
	kv_send "$NA" p1 --src $MACA --vlan 10 --inner-vlan 20 --tag hop0
	cap_check_seen "unguarded: 10-then-20 leaves the trunk (native 10) in VLAN 20" hop0
	kv_check_ok "port set p1 access_guard on" kv port set p1 access_guard on
	before=$(kv_stat br0 p1 drops.access-tagged)
	cap_start hop1 count "$NT" p2 --src $MACA --tag hop1
	cap_start hopc count "$NC" p3 --src $MACA --tag hop1
	kv_send "$NA" p1 --src $MACA --vlan 10 --inner-vlan 20 --tag hop1
	kv_send "$NA" p1 --src $MACA --vlan 0 --inner-vlan 20 --tag hop1
	kv_poll_eq "stats: p1 access-tagged" $((before + 2)) kv_stat br0 p1 drops.access-tagged
	cap_check_count "double-tagged frames out of the trunk" 0 hop1
	cap_check_count "double-tagged frames at the access neighbour" 0 hopc
	cap_start ok expect "$NT" p2 --src $MACA --untagged --tag honest
	kv_send "$NA" p1 --src $MACA --tag honest
	cap_check_seen "honest untagged traffic from p1 reaches the trunk" ok
	cap_start prio expect "$NC" p3 --src $MACA --untagged --tag prio
	kv_send "$NA" p1 --src $MACA --vlan 0 --pcp 5 --tag prio
	cap_check_seen "a priority-tagged frame from p1 passes" prio
	log_test "access guard: the double-tagging hop through a native VLAN is stopped"
}

storm_broadcast() {
	local before rx n dropped
	kv_check_ok "port set p1 storm_broadcast 50" kv port set p1 storm_broadcast 50
	kv_check_eq "port show: storm_broadcast" 50 "$(kv_port_field p1 storm_broadcast)"
	before=$(kv_stat br0 p1 drops.storm-broadcast)
	rx=$(kv_stat br0 p1 rx_frames)
	cap_start st count "$NC" p3 --src $MACA --tag storm
	kv_send "$NA" p1 --src $MACA --tag storm --count 1000
	kv_poll_ge "stats: p1 storm-broadcast" $((before + 1)) kv_stat br0 p1 drops.storm-broadcast
	: >"$KV_TMP/cap-st.stop"
	cap_wait st
	n=$(tail -n 1 "$KV_TMP/cap-st.out")
	dropped=$(($(kv_stat br0 p1 drops.storm-broadcast) - before))
	rx=$(($(kv_stat br0 p1 rx_frames) - rx))
	echo "storm: 1000 broadcasts sent at p1, $rx received, $n reached p3, $dropped dropped"
	kv_check_ok "about the limit reached p3 ($n of $rx; 50/s, 50 at once)" \
		test "$n" -ge 40 -a "$n" -le 300
	kv_check_eq "every broadcast received was either flooded or counted" "$rx" $((n + dropped))
	# known unicast is not limited
	kv_send "$NC" p3 --src $MACC --dst $MACA --tag learn
	kv_poll_eq "fdb: p3's MAC learned" p3 kv_fdb_port br0 $MACC 10
	cap_start uc count "$NC" p3 --src $MACA --tag uni
	kv_send "$NA" p1 --src $MACA --dst $MACC --tag uni --count 200
	cap_check_count "200 unicast frames from p1 at p3" 200 uc
	kv_check_ok "port set p1 storm_broadcast 0" kv port set p1 storm_broadcast 0
	log_test "storm control: a broadcast flood is cut to about the limit; unicast untouched"
}

kv_require
kv_require_services
# the admin's access_guard on a VM port outlives the port's VLANs applied again (a portgroup
# update re-applies every port of the network)
access_guard_kept() {
	local out
	kv_check_ok "port set v2 access_guard off" kv port set v2 access_guard off
	out=$(kv net-update $NET add portgroup "<portgroup name='pg39'/>" --live 2>&1) ||
		kv_fail "net-update add portgroup pg39: $out"
	kv_check_eq "v2's access_guard still off after the re-apply" false \
		"$(kv_port_field v2 flags.access_guard)"
	kv_check_eq "v1's (never set) still follows its VLANs: on" true \
		"$(kv_port_field v1 flags.access_guard)"
	kv port set v2 access_guard on >/dev/null
	log_test "port set access_guard on a VM port stays as said when its VLANs are re-applied"
}

setup
tests_run
kv_exit
