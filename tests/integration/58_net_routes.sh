#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 58_net_routes.sh - a network's <route>s are installed in kvnetd's namespace while it runs
# (IPv4 and IPv6, with their metric), reach a host behind the route's gateway, and go with
# net-destroy; a route whose gateway is on none of the network's subnets is refused (define)
#
#   kvnetd in ns sw: network n58 (route, switch kvb58, 192.168.158.1/24, fd58::1/64)
#     <route address='10.158.0.0' prefix='24' gateway='192.168.158.2' metric='7'/>
#     <route family='ipv6' address='fd58:1::' prefix='64' gateway='fd58::2' metric='9'/>
#   router [r1 in ns rt: 192.168.158.2/24, fd58::2/64]  (a VM port; forwards in its own ns)
#     veth r2 -- f1 far [ns far: 10.158.0.1/24, fd58:1::1/64, default via the router]

ALL_TESTS="routes_installed reach_far_v4 reach_far_v6 routes_removed unreachable_gateway
	host_bits"

source "$(dirname "$0")/lib.sh"

NET=n58

net_xml() {
	kv_tmp
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/$1.xml" <<-XML
		<network>
		  <name>$1</name>
		  <forward mode='route'/>
		  <bridge name='$2'/>
		  <ip address='192.168.$3.1' netmask='255.255.255.0'/>
		  <ip family='ipv6' address='fd${3: -2}::1' prefix='64'/>
		  <route address='10.158.0.0' prefix='24' gateway='$4' metric='7'/>
		  <route family='ipv6' address='fd58:1::' prefix='64' gateway='fd${3: -2}::2' metric='9'/>
		</network>
	XML
	echo "$KV_TMP/xml/$1.xml"
}

setup() {
	SW=$(kv_ns sw)
	RT=$(kv_ns rt)
	FAR=$(kv_ns far)
	kv_ns_add "$SW" "$RT" "$FAR"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(net_xml $NET kvb58 158 192.168.158.2)" $NET
	kv_vm_attach router "$NET" 52:54:00:58:00:02 "$RT" r1
	kv_veth "$RT" r2 "$FAR" f1
	# kv_ns_add turns IPv6 off; the router and the far host are IPv6 hosts (their own
	# namespaces only)
	for ns in "$RT" "$FAR"; do
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 || kv_setup_fail "IPv6 on in $ns"
	done
	ip -n "$RT" addr add 192.168.158.2/24 dev r1 &&
		ip -n "$RT" addr add fd58::2/64 dev r1 nodad &&
		ip -n "$RT" addr add 10.158.0.2/24 dev r2 &&
		ip -n "$RT" addr add fd58:1::2/64 dev r2 nodad ||
		kv_setup_fail "router addresses"
	# forwarding in the router's own namespace only
	ip netns exec "$RT" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ||
		kv_setup_fail "forwarding in $RT"
	ip -n "$FAR" addr add 10.158.0.1/24 dev f1 &&
		ip -n "$FAR" addr add fd58:1::1/64 dev f1 nodad &&
		ip -n "$FAR" route add default via 10.158.0.2 &&
		ip -n "$FAR" -6 route add default via fd58:1::2 ||
		kv_setup_fail "far host addresses"
}

routes_installed() {
	kv_check_eq "ip route in kvnetd's namespace" \
		"10.158.0.0/24 via 192.168.158.2 dev kvb58 proto static metric 7" \
		"$(ip -n "$SW" route show 10.158.0.0/24 | xargs)"
	kv_check_eq "ip -6 route in kvnetd's namespace" \
		"fd58:1::/64 via fd58::2 dev kvb58 proto static metric 9 pref medium" \
		"$(ip -n "$SW" -6 route show fd58:1::/64 | xargs)"
	log_test "net-start installs the IPv4 and IPv6 <route>s via their gateway, with metric"
}

reach_far_v4() {
	local out
	out=$(kv_ping "$SW" 10.158.0.1 3) || kv_fail "kvnetd's namespace cannot reach 10.158.0.1: $out"
	log_test "10.158.0.1, behind the route's gateway, answers pings from kvnetd's namespace"
}

reach_far_v6() {
	kv_ping6 "$SW" fd58:1::1 || kv_fail "kvnetd's namespace cannot reach fd58:1::1"
	log_test "fd58:1::1, behind the IPv6 route's gateway, answers pings"
}

routes_removed() {
	kv_check_run "net-destroy" 0 '' '^$' kv net-destroy $NET
	kv_check_eq "no IPv4 route left" "" "$(ip -n "$SW" route show 10.158.0.0/24)"
	kv_check_eq "no IPv6 route left" "" "$(ip -n "$SW" -6 route show fd58:1::/64)"
	kv_check_run "net-start again" 0 '' '^$' kv net-start $NET
	kv_check_eq "the IPv4 route is back" \
		"10.158.0.0/24 via 192.168.158.2 dev kvb58 proto static metric 7" \
		"$(ip -n "$SW" route show 10.158.0.0/24 | xargs)"
	log_test "net-destroy removes the routes; net-start puts them back"
}

unreachable_gateway() {
	kv_check_run "net-define with a gateway off the network's subnets" 1 '^$' \
		"<route>.*'gateway'.*'172.16.58.2'.*none of the network's subnets" \
		kv net-define "$(net_xml n58b kvb58b 159 172.16.58.2)"
	kv_check_eq "n58b is not defined" "n58" "$(kv_net_names)"
	log_test "a route whose gateway is on none of the network's subnets is refused at define"
}

host_bits() {
	sed "s/address='10.158.0.0'/address='10.158.0.1'/" "$(net_xml n58c kvb58c 160 192.168.160.2)" \
		>"$KV_TMP/xml/n58c-bits.xml"
	kv_check_run "net-define n58c" 0 '' '^$' kv net-define "$KV_TMP/xml/n58c-bits.xml"
	kv_check_run "net-start with a route address that has host bits set" 1 '^$' \
		"n58c.*<route address='10.158.0.1' prefix='24' gateway='192.168.160.2'>.*first address" \
		kv net-start n58c
	kv_check_fail "no bridge kvb58c left" ip -n "$SW" link show kvb58c
	log_test "a route whose address has bits past its prefix is refused at start, named"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
