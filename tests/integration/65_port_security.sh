#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 65_port_security.sh - libvirt's clean-traffic applied by kvnet's switch: a VM keeps to its
# own MAC and addresses; its honest traffic (DHCP, ARP, ping, IPv6 ND) still works
#
#   kvnetd in ns sw: network n65 (isolated, switch kvb65 192.168.165.1/24, dnsmasq)
#     vm1 [v1 in ns vm1, 52:54:00:65:00:01]  the victim, no filter
#     vm2 [v2 in ns vm2, 52:54:00:65:00:02]  the attacker, <filterref filter='clean-traffic'/>:
#                                            its IPv4 address learned from its DHCP lease
#     vm3 [v3 in ns vm3, 52:54:00:65:00:03]  a neighbour, no filter, sends to vm1's MAC;
#                                            locked by port set to spoof vm2's IPv6 address

ALL_TESTS="filter_applied filter_refused cli_refused honest_traffic ipv6_honest mac_spoof ip_spoof
	arp_spoof nd_spoof other_l2 fdb_poisoning_unlocked restart_keeps_lease ipv6_dad_learned
	ipv6_learning_dhcp ipv6_restart_relearns"

source "$(dirname "$0")/lib.sh"

NET=n65
MAC1=52:54:00:65:00:01
MAC2=52:54:00:65:00:02
MAC3=52:54:00:65:00:03
LL1=fe80::5054:ff:fe65:1
LL2=fe80::5054:ff:fe65:2
HOST=192.168.165.1

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb65 165 "")" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2 "" "<filterref filter='clean-traffic'/>"
	kv_vm_attach vm3 "$NET" $MAC3 "$VM3" v3
	kv_udhcpc "$VM1" v1 || kv_setup_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
	IP1=$(kv_dhcp "$VM1" v1 ip)
}

# ps PORT FIELD - a member of PORT's port_security in `port show`
ps() {
	kv_port_field "$1" "port_security.$2"
}

# scapy_send NS IFACE EXPR - send the frame scapy's EXPR makes (from scapy.all) on IFACE in NS
scapy_send() {
	ip netns exec "$1" "$KV_PY" -c "
import logging; logging.getLogger('scapy').setLevel(logging.ERROR)
from scapy.all import *
sendp($3, iface='$2', verbose=0)" 2>&1 || kv_fail "scapy in $1: $3"
}

filter_applied() {
	local l
	for l in mac_lock ip_lock arp_lock l2_lock; do
		kv_check_eq "v2 (clean-traffic): $l" true "$(ps v2 $l)"
		kv_check_eq "v1 (no filter): $l" false "$(ps v1 $l)"
	done
	kv_check_eq "v2's allowed MAC is its own" "[\"$MAC2\"]" "$(ps v2 allowed_mac)"
	kv_check_eq "v2: no IP given, none learned yet" "[]" "$(ps v2 learned_ip)"
	kv_check_ok "port show has v2's locks" grep -q 'v2 .*mac,ip,arp,l2' <<<"$(kv port show)"
	log_test "<filterref filter='clean-traffic'> is applied as v2's port security"
}

filter_refused() {
	cat >"$KV_TMP/vm-bad.xml" <<-XML
		<interface type='network'><source network='$NET'/><mac address='52:54:00:65:00:09'/>
		<filterref filter='no-ip-multicast'/></interface>
	XML
	kv_check_run "another nwfilter: refused by name" 1 '^$' \
		"filter='no-ip-multicast'.*not a filter kvnet applies.*clean-traffic" \
		kv attach-interface vmx "$KV_TMP/vm-bad.xml"
	sed -i "s|<filterref filter='no-ip-multicast'/>|<filterref filter='clean-traffic'><parameter name='DHCPSERVER' value='$HOST'/></filterref>|" \
		"$KV_TMP/vm-bad.xml"
	kv_check_run "DHCPSERVER: refused by name" 1 '^$' "DHCPSERVER is not applied by kvnet" \
		kv attach-interface vmx "$KV_TMP/vm-bad.xml"
	kv_check_eq "no port made" "no port vnet0" "$(kv_port_field vnet0 name)"
	log_test "a filter or parameter kvnet cannot apply is refused, naming what it applies"
}

cli_refused() {
	kv_check_run "mac_lock on a port with no MAC to lock to" 1 '^$' \
		"port 'kvb65' is no VM port: mac_lock and arp_lock need .*allowed_mac" \
		kv port set kvb65 mac_lock on
	kv_check_run "a bad allowed_ip" 1 '^$' "allowed_ip: '10.0.0.300' is not an IPv4 or IPv6" \
		kv port set v1 ip_lock on allowed_ip 192.168.165.9,10.0.0.300
	kv_check_run "a multicast allowed_mac" 1 '^$' "allowed_mac: '01:00:5e:00:00:01' is not a unicast" \
		kv port set v1 allowed_mac 01:00:5e:00:00:01
	kv_check_eq "kvb65 unchanged" false "$(ps kvb65 mac_lock)"
	kv_check_eq "v1 unchanged" "false []" "$(ps v1 ip_lock) $(ps v1 allowed_ip)"
	log_test "port set: locks without a MAC, bad addresses refused, nothing changed"
}

honest_traffic() {
	local ip
	if ! kv_udhcpc "$VM2" v2; then
		kv_fail "vm2 (clean-traffic) got no lease: $(kv_udhcpc_log "$VM2" v2)"
		log_test "clean-traffic: DHCP, ARP and ping of the leased address pass"
		return
	fi
	ip=$(kv_dhcp "$VM2" v2 ip)
	IP2=$ip
	kv_poll_eq "v2 learned its leased address by DHCP snooping" "[\"$ip\"]" ps v2 learned_ip
	kv_check_ok "vm2 ($ip) pings the host port" kv_ping "$VM2" $HOST 3
	kv_check_ok "vm2 pings vm1 ($IP1)" kv_ping "$VM2" "$IP1" 3
	kv_check_eq "no drop on v2 for honest traffic" "0 0 0 0 0" \
		"$(for d in mac-spoof ip-spoof arp-spoof nd-spoof l2-other; do
			kv_stat kvb65 v2 drops.$d
		done | tr '\n' ' ' | sed 's/ $//')"
	log_test "clean-traffic: DHCP lease from dnsmasq, ARP and ping of the leased address pass"
}

ipv6_honest() {
	local ns
	# IPv6 as a guest has it, on vm1 and vm2 (kv_ns_add turned it off), after udhcpc (its
	# deconfig flushes every address): a link-local address from the MAC, DAD, MLD
	for ns in "$VM1" "$VM2"; do
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
			"net.ipv6.conf.v${ns: -1}.disable_ipv6=0" || kv_fail "IPv6 on in $ns"
	done
	kv_check_ok "vm2 pings vm1's link-local from its own ($LL2)" kv_ping6 "$VM2" "$LL1%v2"
	kv_check_eq "v2: no nd-spoof" 0 "$(kv_stat kvb65 v2 drops.nd-spoof)"
	kv_check_eq "v2: no ip-spoof" 0 "$(kv_stat kvb65 v2 drops.ip-spoof)"
	log_test "clean-traffic: IPv6 DAD, ND and ping from the VM's link-local pass"
}

mac_spoof() {
	local before
	before=$(kv_stat kvb65 v2 drops.mac-spoof)
	cap_start c1 count "$VM1" v1 --src $MAC1
	kv_send "$VM2" v2 --src $MAC1 --count 5
	kv_poll_eq "stats: v2 mac-spoof after 5 frames from vm1's MAC" $((before + 5)) \
		kv_stat kvb65 v2 drops.mac-spoof
	cap_check_count "vm1's own MAC echoed to vm1" 0 c1
	kv_check_eq "vm1's MAC stays on v1" v1 "$(kv_fdb_port kvb65 $MAC1 1)"
	log_test "mac_lock: frames with another's source MAC are dropped, never learned"
}

ip_spoof() {
	local before
	before=$(kv_stat kvb65 v2 drops.ip-spoof)
	cap_start c1 count "$VM1" v1 --src $MAC2 --ethertype 0x0800
	scapy_send "$VM2" v2 "[Ether(src='$MAC2', dst='$MAC1')/IP(src='$IP1', dst='$IP1')/ICMP()]*3"
	kv_poll_eq "stats: v2 ip-spoof after 3 packets from vm1's address" $((before + 3)) \
		kv_stat kvb65 v2 drops.ip-spoof
	cap_check_count "spoofed packets at vm1" 0 c1
	log_test "ip_lock: IPv4 from an address not the VM's is dropped"
}

arp_spoof() {
	local before
	before=$(kv_stat kvb65 v2 drops.arp-spoof)
	kv_check_ok "the host port knows vm1 at its MAC" kv_ping "$SW" "$IP1" 1
	cap_start c1 count "$VM1" v1 --src $MAC2 --ethertype 0x0806
	kv_send "$VM2" v2 --src $MAC2 --arp-request $HOST --arp-sender "$IP1" --count 3
	kv_poll_eq "stats: v2 arp-spoof after 3 ARPs claiming vm1's address" $((before + 3)) \
		kv_stat kvb65 v2 drops.arp-spoof
	cap_check_count "the spoofed ARP at vm1" 0 c1
	kv_check_ok "the host port still has vm1's address at vm1's MAC" \
		grep -qi "$MAC1" <<<"$(ip -n "$SW" neigh show "$IP1")"
	kv_check_ok "vm2's own ARP (sender $IP2) still passes" \
		kv_send "$VM2" v2 --src $MAC2 --arp-request $HOST --arp-sender "${IP2:-0.0.0.0}"
	kv_check_eq "and is not counted" $((before + 3)) "$(kv_stat kvb65 v2 drops.arp-spoof)"
	log_test "arp_lock: a gratuitous ARP claiming another's address is dropped"
}

nd_spoof() {
	local before
	before=$(kv_stat kvb65 v2 drops.nd-spoof)
	scapy_send "$VM2" v2 "[Ether(src='$MAC2', dst='33:33:00:00:00:01')/IPv6(src='$LL2', dst='ff02::1', hlim=255)/ICMPv6ND_NA(tgt='$LL1', R=0, S=0, O=1)/ICMPv6NDOptDstLLAddr(lladdr='$MAC2')]*2"
	kv_poll_eq "stats: v2 nd-spoof after 2 NAs for vm1's address" $((before + 2)) \
		kv_stat kvb65 v2 drops.nd-spoof
	log_test "arp_lock: a Neighbor Advertisement for another's address is dropped"
}

other_l2() {
	local before
	before=$(kv_stat kvb65 v2 drops.l2-other)
	cap_start c1 count "$VM1" v1 --src $MAC2 --ethertype 0x88b5 # frames.py's test EtherType
	kv_send "$VM2" v2 --src $MAC2 --count 4
	kv_poll_eq "stats: v2 l2-other after 4 frames of another EtherType" $((before + 4)) \
		kv_stat kvb65 v2 drops.l2-other
	cap_check_count "other EtherTypes at vm1" 0 c1
	log_test "l2_lock: EtherTypes other than IPv4, ARP, RARP and IPv6 are dropped"
}

# issue 19's FDB poisoning: vm2 sends with vm1's MAC, then vm3's frames to vm1 go to vm2.
# With port security they cannot; with it off (kvnet port set) they do, so the test can fail.
# vm3_to_vm1 N - vm3 sends 5 frames to vm1's MAC; vm2 must capture N of them
vm3_to_vm1() {
	cap_start c1 count "$VM2" v2 --src $MAC3 --dst $MAC1
	kv_send "$VM3" v3 --src $MAC3 --dst $MAC1 --count 5
	cap_check_count "$2" "$1" c1
}

fdb_poisoning_unlocked() {
	local before
	before=$(kv_stat kvb65 v2 drops.mac-spoof)
	kv_send "$VM2" v2 --src $MAC1 --ethertype 0x0800 --count 3
	kv_poll_eq "the attack's frames counted as mac-spoof" $((before + 3)) \
		kv_stat kvb65 v2 drops.mac-spoof
	kv_check_eq "vm1's MAC still on v1" v1 "$(kv_fdb_port kvb65 $MAC1 1)"
	vm3_to_vm1 0 "with clean-traffic: vm3's frames to vm1 captured by vm2"
	kv_check_ok "port set v2: every lock off" \
		kv port set v2 mac_lock off ip_lock off arp_lock off l2_lock off
	kv_check_eq "port show: v2 unlocked" "-" \
		"$(kv port show | awk '$1 == "v2" { print $NF }')"
	kv_send "$VM2" v2 --src $MAC1 --ethertype 0x0800 --count 3
	kv_poll_eq "without port security, vm1's MAC moves to v2" v2 kv_fdb_port kvb65 $MAC1 1
	vm3_to_vm1 5 "without port security: vm3's frames to vm1 captured by vm2"
	kv_check_ok "port set v2 clean-traffic's locks again" \
		kv port set v2 mac_lock on ip_lock on arp_lock on l2_lock on
	kv_check_eq "v2 locked again" true "$(ps v2 mac_lock)"
	log_test "FDB poisoning (issue 19) fails with port security, works without it"
}

# restart_net TEST - kvnetd stopped and started, the network started again (it is not
# autostarted), v2 made again with clean-traffic; on failure TEST is logged and 1 returned
restart_net() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again"
		log_test "$1"
		return 1
	fi
	kv_check_ok "net-start $NET (it is not autostarted)" kv net-start $NET
	kv_poll_eq "v2 made again with clean-traffic" true ps v2 ip_lock
}

# kvnetd restarted under running VMs makes their ports again: vm2's leased address must be
# allowed at once (from dnsmasq's lease file), not after its next renewal
restart_keeps_lease() {
	if [ -z "${IP2:-}" ]; then
		kv_fail "vm2 has no lease (honest_traffic failed)"
		log_test "a restarted kvnetd allows a VM's leased address at once"
		return
	fi
	restart_net "a restarted kvnetd allows a VM's leased address at once" || return
	kv_check_eq "v2's leased address allowed from the lease file" "[\"$IP2\"]" \
		"$(ps v2 learned_ip)"
	# the tap was made again: give it the address a guest whose NIC stayed would still have
	ip -n "$VM2" addr replace "$IP2/24" dev v2 && ip -n "$VM2" link set v2 up ||
		kv_fail "address $IP2 on v2 again"
	kv_check_ok "vm2 ($IP2) pings the host port" kv_ping "$VM2" $HOST 3
	log_test "a restarted kvnetd allows a VM's leased address at once"
}

# has_learned PORT ADDR - "yes" if PORT's port security learned ADDR, else its learned list
has_learned() {
	kv_q "\"yes\" if \"$2\" in next(p[\"port_security\"][\"learned_ip\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\") else next(p[\"port_security\"][\"learned_ip\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\")" \
		port show
}

# tentative NS DEV - how many of DEV's IPv6 addresses are still in duplicate address detection
tentative() {
	ip -n "$1" -6 addr show dev "$2" tentative | grep -c inet6
}

# v6_on NS DEV - DEV up with IPv6, as a guest has it (kv_ns_add turned it off; the restart
# made the taps again)
v6_on() {
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
		"net.ipv6.conf.$2.disable_ipv6=0" || kv_fail "IPv6 on in $1"
	ip -n "$1" link set "$2" up || kv_fail "$2 up in $1"
}

# fails CMD... - CMD must fail
fails() {
	! "$@"
}

# A guest's SLAAC or DHCPv6 address, which no IP parameter names: learned from its own
# duplicate address detection (first come, first served), so clean-traffic lets a dual-stack
# guest use it; a neighbour claiming it afterwards is dropped (nd-spoof), and its packets
# from it too (ip-spoof)
ipv6_dad_learned() {
	local nd ip
	v6_on "$VM1" v1
	v6_on "$VM2" v2
	ip -n "$VM1" -6 addr add 2001:db8:65::1/64 dev v1 nodad || kv_fail "2001:db8:65::1 on vm1"
	[ "$(has_learned v2 2001:db8:65::2)" != yes ] || kv_fail "v2 learned 2001:db8:65::2 before vm2 had it"
	# as SLAAC adds it: with duplicate address detection
	ip -n "$VM2" -6 addr add 2001:db8:65::2/64 dev v2 || kv_fail "2001:db8:65::2 on vm2"
	kv_poll_eq "vm2's 2001:db8:65::2 passes DAD" 0 tentative "$VM2" v2
	kv_poll_eq "v2 learned 2001:db8:65::2 from its DAD probe" yes has_learned v2 2001:db8:65::2
	kv_check_ok "vm2 (ip_lock on) pings vm1 from 2001:db8:65::2" kv_ping6 "$VM2" 2001:db8:65::1
	kv_check_ok "vm1 pings vm2 at 2001:db8:65::2" kv_ping6 "$VM1" 2001:db8:65::2
	kv_check_eq "port show: the learned address listed" yes \
		"$(kv port show | grep -q '^v2 .*learned=.*2001:db8:65::2' && echo yes)"
	# vm3 locked, then claiming vm2's address: its DAD probe is dropped
	kv_check_ok "port set v3 mac_lock ip_lock arp_lock on" \
		kv port set v3 mac_lock on ip_lock on arp_lock on
	v6_on "$VM3" v3
	nd=$(kv_stat kvb65 v3 drops.nd-spoof)
	ip=$(kv_stat kvb65 v3 drops.ip-spoof)
	ip -n "$VM3" -6 addr add 2001:db8:65::2/64 dev v3 || kv_fail "2001:db8:65::2 on vm3"
	kv_poll_ge "stats: v3 nd-spoof for its DAD probe of vm2's address" $((nd + 1)) \
		kv_stat kvb65 v3 drops.nd-spoof
	kv_check_eq "v3 learned nothing" "[]" "$(ps v3 learned_ip)"
	# its DAD heard no answer: it uses the address, and what it sends from it is dropped
	kv_poll_eq "vm3's copy passes its (unanswered) DAD" 0 tentative "$VM3" v3
	kv_check_ok "vm3 cannot ping vm1 from vm2's address" fails kv_ping6 "$VM3" 2001:db8:65::1
	kv_poll_ge "stats: v3 ip-spoof for packets from vm2's address" $((ip + 1)) \
		kv_stat kvb65 v3 drops.ip-spoof
	kv_check_ok "vm2 still pings vm1" kv_ping6 "$VM2" 2001:db8:65::1
	kv_check_eq "v2 keeps it" yes "$(has_learned v2 2001:db8:65::2)"
	log_test "ip_lock: a guest's own IPv6 address is learned from its DAD; another's claim is dropped"
}

# CTRL_IP_LEARNING='dhcp' (here port set ip_learning dhcp): IPv6 is not learned
ipv6_learning_dhcp() {
	kv_check_ok "port set v3 ip_learning dhcp" kv port set v3 ip_learning dhcp
	kv_check_eq "port show: v3 ip_learning" dhcp "$(ps v3 ip_learning)"
	kv_check_eq "v2: ip_learning any (libvirt's default)" any "$(ps v2 ip_learning)"
	ip -n "$VM3" -6 addr del 2001:db8:65::2/64 dev v3
	ip -n "$VM3" -6 addr add 2001:db8:65::3/64 dev v3 || kv_fail "2001:db8:65::3 on vm3"
	kv_poll_eq "vm3's 2001:db8:65::3 passes DAD" 0 tentative "$VM3" v3
	kv_check_ok "vm3 cannot ping vm1 from 2001:db8:65::3" fails kv_ping6 "$VM3" 2001:db8:65::1
	kv_check_eq "v3 learned nothing" "[]" "$(ps v3 learned_ip)"
	kv_check_run "a bad ip_learning" 2 '^$' "ip_learning" kv port set v3 ip_learning sometimes
	log_test "ip_learning dhcp: no IPv6 address learned from DAD, as libvirt's CTRL_IP_LEARNING"
}

# kvnetd restarted under running VMs makes their ports again and forgets what they claimed;
# a guest keeps its addresses and does no DAD for them: its traffic claims them again
ipv6_restart_relearns() {
	restart_net "after a restart, a guest's IPv6 address is learned from its traffic" || return
	kv_check_eq "v2 learned nothing yet" "[]" "$(ps v2 learned_ip | sed 's/"[0-9.]*",\? *//g')"
	v6_on "$VM1" v1
	v6_on "$VM2" v2
	# the taps were made again: their addresses, as guests whose NICs stayed still have them
	ip -n "$VM1" -6 addr add 2001:db8:65::1/64 dev v1 nodad || kv_fail "2001:db8:65::1 on vm1"
	ip -n "$VM2" -6 addr add 2001:db8:65::2/64 dev v2 nodad || kv_fail "2001:db8:65::2 on vm2"
	kv_check_ok "vm2 pings vm1 from 2001:db8:65::2" kv_ping6 "$VM2" 2001:db8:65::1
	kv_check_eq "v2 learned 2001:db8:65::2 from its traffic" yes "$(has_learned v2 2001:db8:65::2)"
	log_test "after a restart, a guest's IPv6 address is learned from its traffic"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
