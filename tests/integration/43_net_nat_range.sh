#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 43_net_nat_range.sh - what <forward mode='nat'> says of the translation, seen from outside:
# <nat><address start end/>, <nat><port start end/>, and <nat ipv6='yes'/>
#
#   ns out [o43 10.79.0.2/24 fd79::2/64] ---veth--- [s43 10.79.0.1/24 fd79::1/64] ns sw (kvnetd)
#     out routes 10.79.1.0/24 (the NAT addresses) via 10.79.0.1, and nothing else back
#   n43r (nat, kvb43r 192.168.144.1/24) <nat><address start='10.79.1.10' end='10.79.1.12'/>
#          <port start='20000' end='20099'/></nat>        vmr [vr in ns vmr] DHCP
#   n43p (nat, kvb43p 192.168.145.1/24) <nat><port start='30000' end='30009'/></nat>
#                                                          vmp [vp in ns vmp] DHCP
#   n43v (nat, kvb43v 192.168.146.1/24, fd43::1/64) <nat ipv6='yes'/>
#                                                          vmv [vv in ns vmv] fd43::10/64
#   n43w (nat, kvb43w 192.168.149.1/24, fd44::1/64) no ipv6='yes': IPv6 is routed
#                                                          vmw [vw in ns vmw] fd44::10/64
#     out routes fd44::/64 via fd79::1
#   n43d (nat, kvb43d 192.168.148.1/24) <forward mode='nat' dev='s43'/>
#                                                          vmd [vd in ns vmd] DHCP
#   ns out2 [o43b 10.80.0.2/24] ---veth--- [s43b 10.80.0.1/24] ns sw: another way out
#     out2 routes 192.168.148.0/24 via 10.80.0.1
#
# A TCP server in out (frames.py serve) logs the address and port each connection came from.

ALL_TESTS="nat_address_range nat_port_range nat_port_only nat_ipv6 nat_ipv6_no_way_in
	nat_ipv6_off_routed nat_forward_dev"

source "$(dirname "$0")/lib.sh"

OUT_IP=10.79.0.2
OUT_IP6=fd79::2
OUT2_IP=10.80.0.2
PORT=8043

setup() {
	SW=$(kv_ns sw)
	OUT=$(kv_ns out)
	VMR=$(kv_ns vmr)
	VMP=$(kv_ns vmp)
	VMV=$(kv_ns vmv)
	VMD=$(kv_ns vmd)
	VMW=$(kv_ns vmw)
	OUT2=$(kv_ns out2)
	kv_ns_add "$SW" "$OUT" "$VMR" "$VMP" "$VMV" "$VMD" "$OUT2" "$VMW"
	for ns in "$SW" "$OUT" "$VMV" "$VMW"; do
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 || kv_setup_fail "IPv6 on in $ns"
	done
	kv_veth "$SW" s43 "$OUT" o43
	ip -n "$SW" addr add 10.79.0.1/24 dev s43 || kv_setup_fail "address on s43"
	ip -n "$SW" addr add fd79::1/64 dev s43 nodad || kv_setup_fail "IPv6 address on s43"
	ip -n "$OUT" addr add $OUT_IP/24 dev o43 || kv_setup_fail "address on o43"
	ip -n "$OUT" addr add $OUT_IP6/64 dev o43 nodad || kv_setup_fail "IPv6 address on o43"
	ip -n "$OUT" route add 10.79.1.0/24 via 10.79.0.1 || kv_setup_fail "route in out"
	ip -n "$OUT" -6 route add fd44::/64 via fd79::1 || kv_setup_fail "IPv6 route in out"
	kv_veth "$SW" s43b "$OUT2" o43b
	ip -n "$SW" addr add 10.80.0.1/24 dev s43b || kv_setup_fail "address on s43b"
	ip -n "$OUT2" addr add $OUT2_IP/24 dev o43b || kv_setup_fail "address on o43b"
	# a way back to n43d's VMs: only kvnet's rules can keep them from out2
	ip -n "$OUT2" route add 192.168.148.0/24 via 10.80.0.1 || kv_setup_fail "route in out2"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml n43r kvb43r 144 "<forward mode='nat'><nat>
		    <address start='10.79.1.10' end='10.79.1.12'/>
		    <port start='20000' end='20099'/></nat></forward>")" n43r
	kv_net_up "$(kv_net_xml n43p kvb43p 145 "<forward mode='nat'><nat>
		    <port start='30000' end='30009'/></nat></forward>")" n43p
	kv_net_up "$(kv_net_xml n43v kvb43v 146 "<forward mode='nat'><nat ipv6='yes'/></forward>" \
		"<ip family='ipv6' address='fd43::1' prefix='64'/>")" n43v
	kv_net_up "$(kv_net_xml n43d kvb43d 148 "<forward mode='nat' dev='s43'/>")" n43d
	kv_net_up "$(kv_net_xml n43w kvb43w 149 "<forward mode='nat'/>" \
		"<ip family='ipv6' address='fd44::1' prefix='64'/>")" n43w
	vm r vmr "$VMR" n43r 52:54:00:43:00:01
	vm d vmd "$VMD" n43d 52:54:00:43:00:04
	vm p vmp "$VMP" n43p 52:54:00:43:00:02
	vm v vmv "$VMV" n43v 52:54:00:43:00:03
	ip netns exec "$VMV" sysctl -q -w net.ipv6.conf.vv.disable_ipv6=0 ||
		kv_setup_fail "IPv6 on vv"
	ip -n "$VMV" addr add fd43::10/64 dev vv nodad || kv_setup_fail "fd43::10 on vv"
	ip -n "$VMV" -6 route replace default via fd43::1 || kv_setup_fail "IPv6 default route in vmv"
	vm w vmw "$VMW" n43w 52:54:00:43:00:05
	ip netns exec "$VMW" sysctl -q -w net.ipv6.conf.vw.disable_ipv6=0 ||
		kv_setup_fail "IPv6 on vw"
	ip -n "$VMW" addr add fd44::10/64 dev vw nodad || kv_setup_fail "fd44::10 on vw"
	ip -n "$VMW" -6 route replace default via fd44::1 || kv_setup_fail "IPv6 default route in vmw"
	: >"$KV_TMP/out-peers.log"
	kv_serve "$OUT" $OUT_IP $PORT "$KV_TMP/out-peers.log"
	: >"$KV_TMP/out6-peers.log"
	kv_serve "$OUT" $OUT_IP6 $PORT "$KV_TMP/out6-peers.log"
	: >"$KV_TMP/out2-peers.log"
	kv_serve "$OUT2" $OUT2_IP $PORT "$KV_TMP/out2-peers.log"
}

# vm X DOMAIN NS NET MAC - attach, DHCP (its default route)
vm() {
	kv_vm_attach "$2" "$4" "$5" "$3" "v$1"
	kv_udhcpc "$3" "v$1" || kv_setup_fail "$2 got no lease on $4: $(kv_udhcpc_log "$3" "v$1")"
}

# connect_n NS ADDR N LOG - N TCP connections from NS to out's server at ADDR; prints the
# "IP PORT" lines LOG got for them
connect_n() {
	local n i
	n=$(wc -l <"$4")
	for ((i = 0; i < $3; i++)); do
		kv_connect "$1" "$2" $PORT >/dev/null || kv_fail "connection $i from $1 to $2 failed"
	done
	tail -n +$((n + 1)) "$4"
}

# all_in LINES FIELD LO HI - every line's FIELD (1: address, 2: port) in LO..HI; an address
# is compared as its last byte
all_in() {
	local f
	[ -n "$1" ] || return 1
	for f in $(cut -d' ' -f"$2" <<<"$1"); do
		[ "$2" = 1 ] && f=${f##*.}
		[[ "$f" =~ ^[0-9]+$ ]] && [ "$f" -ge "$3" ] && [ "$f" -le "$4" ] || return 1
	done
}

nat_address_range() {
	local seen
	seen=$(connect_n "$VMR" $OUT_IP 4 "$KV_TMP/out-peers.log")
	kv_check_eq "out saw 4 connections" 4 "$(grep -c . <<<"$seen")"
	kv_check_ok "each from 10.79.1.10-12, not 10.79.0.1: ${seen//$'\n'/ }" \
		all_in "$seen" 1 10 12
	kv_check_ok "each from 10.79.1.x: ${seen//$'\n'/ }" \
		test -z "$(cut -d' ' -f1 <<<"$seen" | grep -v '^10\.79\.1\.')"
	kv_check_ok "vmr pings out (ICMP is translated too)" kv_ping "$VMR" $OUT_IP
	log_test "<nat><address start end/>: the outside sees the VM from an address of the range"
}

nat_port_range() {
	local seen
	seen=$(connect_n "$VMR" $OUT_IP 4 "$KV_TMP/out-peers.log")
	kv_check_ok "each source port in 20000-20099: ${seen//$'\n'/ }" all_in "$seen" 2 20000 20099
	log_test "<nat><port start end/> with an address range: source ports of the range"
}

nat_port_only() {
	local seen
	seen=$(connect_n "$VMP" $OUT_IP 4 "$KV_TMP/out-peers.log")
	kv_check_eq "out saw 4 connections from 10.79.0.1 (masqueraded)" \
		"10.79.0.1 10.79.0.1 10.79.0.1 10.79.0.1" "$(cut -d' ' -f1 <<<"$seen" | xargs)"
	kv_check_ok "each source port in 30000-30009: ${seen//$'\n'/ }" all_in "$seen" 2 30000 30009
	log_test "<nat><port start end/> alone: masquerade to source ports of the range"
}

nat_ipv6() {
	local seen
	seen=$(connect_n "$VMV" $OUT_IP6 2 "$KV_TMP/out6-peers.log")
	kv_check_eq "out saw vmv's IPv6 connections from fd79::1 (masqueraded), not fd43::10" \
		"fd79::1 fd79::1" "$(cut -d' ' -f1 <<<"$seen" | xargs)"
	kv_check_ok "vmv pings out over IPv6" kv_ping6 "$VMV" $OUT_IP6
	kv_check_ok "a masquerade rule for fd43::/64" \
		grep -qE 'ip6 saddr fd43::/64 .*masquerade' <<<"$(kv_nft "$SW")"
	log_test "<nat ipv6='yes'/>: an IPv6 VM reaches the outside, masqueraded"
}

nat_ipv6_no_way_in() {
	kv_serve "$VMV" fd43::10 $PORT "$KV_TMP/vmv-peers.log"
	ip -n "$OUT" -6 route add fd43::/64 via fd79::1 || kv_fail "IPv6 route in out"
	kv_check_fail "out cannot connect to vmv (fd43::10) even with a route" \
		kv_connect "$OUT" fd43::10 $PORT "$KV_QUIET"
	kv_check_ok "while vmv still connects out" kv_connect "$VMV" $OUT_IP6 $PORT
	kv_check_eq "vmv's server saw no connection" "" "$(cat "$KV_TMP/vmv-peers.log" 2>/dev/null)"
	log_test "<nat ipv6='yes'/>: a connection from the outside to the IPv6 VM fails"
}

nat_ipv6_off_routed() {
	local seen
	seen=$(connect_n "$VMW" $OUT_IP6 1 "$KV_TMP/out6-peers.log")
	# vmw's own address: its static fd44::10, or the one it made from kvnet's RA (which
	# source the kernel picks depends on when the RA came); masqueraded, it would be fd79::1
	kv_check_ok "out saw one of vmw's own fd44:: addresses (routed, not masqueraded): '$seen'" \
		grep -qE '^fd44::' <<<"$(cut -d' ' -f1 <<<"$seen")"
	kv_check_fail "no masquerade rule for fd44::/64" \
		grep -qE 'fd44::/64 .*masquerade' <<<"$(kv_nft "$SW")"
	log_test "a NAT network without <nat ipv6='yes'/>: its IPv6 is routed, not masqueraded"
}

nat_forward_dev() {
	local seen
	seen=$(connect_n "$VMD" $OUT_IP 1 "$KV_TMP/out-peers.log")
	kv_check_eq "vmd reaches out through s43, masqueraded" 10.79.0.1 "$(cut -d' ' -f1 <<<"$seen")"
	kv_check_fail "vmd cannot connect to out2 (through s43b)" \
		kv_connect "$VMD" $OUT2_IP $PORT "$KV_QUIET"
	kv_check_ok "vmd cannot ping out2" kv_ping_fails "$VMD" $OUT2_IP
	seen=$(connect_n "$VMP" $OUT2_IP 1 "$KV_TMP/out2-peers.log")
	kv_check_eq "while vmp (a NAT network without dev) reaches out2, masqueraded" 10.80.0.1 \
		"$(cut -d' ' -f1 <<<"$seen")"
	kv_check_eq "out2 saw no connection from vmd" "10.80.0.1" \
		"$(cut -d' ' -f1 "$KV_TMP/out2-peers.log" | sort -u | xargs)"
	log_test "<forward mode='nat' dev='s43'/>: the VMs go out only through s43"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
