#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 95_conformance_run.sh - every libvirt corpus network kvnet accepts runs: defined from libvirt's
# own file, started, and what it asks for is there, then destroyed and undefined
#
#   kvnetd in ns sw, with veths eth0, eth1, eth10 (the devices the corpus names) to ns lan.
#   The list is test_conformance.c's conformance_supported[], read from that file, so a
#   document made "supported" there is run here too. For each, checked from outside kvnet:
#   - each <ip address prefix|netmask> on the bridge's netdev (ip addr), with IPv6 on;
#   - each <route> in kvnetd's routing table (ip route), with its gateway;
#   - <mtu size> and <mac address> the bridge netdev's;
#   - dnsmasq running (net-info) when the network has an <ip>;
#   - the network's <forward> devices as its uplink ports (bridge mode);
#   - <bridge stp='off'> no spanning tree on the switch;
#   - <bandwidth> average rates on the bridge's host port (port show: the network's inbound
#     limits what the switch takes from the host, its outbound what it sends there).

ALL_TESTS="corpus_networks_run"

source "$(dirname "$0")/lib.sh"

CORPUS=$KVNET_LIBVIRT_CORPUS/tests/networkxml2xmlin

setup() {
	kv_require
	kv_require_services
	command -v xmllint >/dev/null || kv_skip "xmllint is not installed (Debian: libxml2-utils)"
	[ -d "$CORPUS" ] || kv_skip "libvirt's corpus is not at $CORPUS (set KVNET_LIBVIRT_CORPUS)"
	SW=$(kv_ns sw)
	LAN=$(kv_ns lan)
	kv_ns_add "$SW" "$LAN"
	kv_veth "$SW" eth0 "$LAN" l0
	kv_veth "$SW" eth1 "$LAN" l1
	kv_veth "$SW" eth10 "$LAN" l10
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
}

# supported - the names in test_conformance.c's conformance_supported[]
supported() {
	sed -n '/conformance_supported\[\] = {/,/^};/p' "$KV_TOP/tests/unit/test_conformance.c" |
		grep -o '"[^"]*"' | tr -d '"'
}

# x FILE XPATH - xmllint's string value of XPATH in FILE
x() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# prefix_of NETMASK - the prefix length of a dotted netmask
prefix_of() {
	local n=0 o
	for o in ${1//./ }; do
		while [ "$o" -gt 0 ]; do
			n=$((n + (o & 1)))
			o=$((o >> 1))
		done
	done
	echo $n
}

# classful IPV4 - libvirt's prefix for an IPv4 <ip> with neither prefix nor netmask
classful() {
	local a=${1%%.*}
	if [ "$a" -lt 128 ]; then echo 8; elif [ "$a" -lt 192 ]; then echo 16; else echo 24; fi
}

# What a corpus document asks for that cannot be on this machine, and what the test does:
# netboot-*: <tftp root='/var/lib/tftproot'>, absent here: a directory of the test's instead
# dnsmasq-options: dnsmasq:option 'foo=bar', which dnsmasq refuses: net-start must say so
declare -A WARNS=([dnsmasq-options]="bad option")

# doc_file DOC - the corpus document DOC, or a copy with what this machine lacks replaced
doc_file() {
	local f=$CORPUS/$1.xml
	if grep -q "<tftp root=" "$f"; then
		mkdir -p "$KV_TMP/tftproot" "$KV_TMP/docs"
		sed "s|/var/lib/tftproot|$KV_TMP/tftproot|" "$f" >"$KV_TMP/docs/$1.xml"
		f=$KV_TMP/docs/$1.xml
	fi
	echo "$f"
}

# check_one DOC - define, start, check and remove the network of corpus document DOC; each miss
# a failure (messages name the document)
check_one() {
	local doc=$1 f net br i n addr pfx mask fam gw mac mtu avg devs d out name want
	name=$doc
	f=$(doc_file "$doc")
	net=$(x "$f" 'string(/network/name)')
	out=$(kv net-define "$f" 2>&1) || { kv_fail "$name: net-define: $out"; return; }
	if ! out=$(kv net-start "$net" 2>&1); then
		kv_fail "$name: net-start: $out"
		kv net-undefine "$net" >/dev/null 2>&1
		return
	fi
	if [ -n "${WARNS[$doc]:-}" ]; then
		kv_check_ok "$name: net-start warns of '${WARNS[$doc]}': $out" \
			grep -qi "warning: .*${WARNS[$doc]}" <<<"$out"
	else
		kv_check_ok "$name: net-start says nothing but that it started: $out" \
			test "$out" = "Network $net started"
	fi
	br=$(kv_net_field "$net" bridge)
	n=$(x "$f" 'count(/network/ip)')
	for ((i = 1; i <= n; i++)); do
		addr=$(x "$f" "string(/network/ip[$i]/@address)")
		pfx=$(x "$f" "string(/network/ip[$i]/@prefix)")
		mask=$(x "$f" "string(/network/ip[$i]/@netmask)")
		[ -z "$pfx" ] && [ -n "$mask" ] && pfx=$(prefix_of "$mask")
		[ -z "$pfx" ] && pfx=$([ "${addr#*:}" != "$addr" ] && echo 64 || classful "$addr")
		kv_check_ok "$name: <ip address='$addr'> on $br as $addr/$pfx" \
			grep -q " $addr/$pfx " <<<"$(ip -n "$SW" -o addr show dev "$br")"
	done
	n=$(x "$f" 'count(/network/route)')
	for ((i = 1; i <= n; i++)); do
		addr=$(x "$f" "string(/network/route[$i]/@address)")
		gw=$(x "$f" "string(/network/route[$i]/@gateway)")
		fam=-4
		[ "${addr#*:}" != "$addr" ] && fam=-6
		kv_check_ok "$name: <route address='$addr' gateway='$gw'> installed" \
			grep -q "via $gw" <<<"$(ip -n "$SW" $fam route show | grep "^$addr/")"
	done
	mac=$(x "$f" 'string(/network/mac/@address)' | tr 'A-F' 'a-f')
	[ -n "$mac" ] && kv_check_eq "$name: <mac address='$mac'> on $br" "$mac" \
		"$(ip -n "$SW" -o link show dev "$br" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')"
	mtu=$(x "$f" 'string(/network/mtu/@size)')
	[ -n "$mtu" ] && kv_check_eq "$name: <mtu size='$mtu'> on $br" "$mtu" \
		"$(cat "/sys/class/net/$br/mtu" 2>/dev/null || ip -n "$SW" -o link show dev "$br" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')"
	# dnsmasq: for DHCP, or DNS unless <dns enable='no'>; dnsmasq-options': refused by it
	want=""
	if [ "$(x "$f" 'count(/network/ip/dhcp)')" != 0 ]; then
		want=running
	elif [ "$(x "$f" 'count(/network/ip)')" != 0 ]; then
		want=running
		# net-info prints no DHCP/DNS line for a network that needs no dnsmasq
		[ "$(x "$f" 'string(/network/dns/@enable)')" = no ] && want=none
	fi
	[ -n "${WARNS[$doc]:-}" ] && want=failed
	if [ -n "$want" ]; then
		kv_poll_eq "$name: dnsmasq $want (net-info)" "$want" \
			eval "kv net-info '$net' | sed -n 's/^DHCP\/DNS: *dnsmasq \([a-z ]*[a-z]\).*/\1/p' |
				grep . || echo none"
	fi
	if [ "$(x "$f" 'string(/network/forward/@mode)')" = bridge ]; then
		devs=$(x "$f" '/network/forward/interface/@dev' | sed -n 's/.*dev="\(.*\)"/\1/p')
		for d in $devs; do
			kv_check_eq "$name: <interface dev='$d'> is its uplink" dev \
				"$(kv_port_field "$d" type)"
		done
	fi
	for d in inbound:rx outbound:tx; do
		avg=$(x "$f" "string(/network/bandwidth/${d%:*}/@average)")
		[ -n "$avg" ] && kv_check_eq "$name: <bandwidth><${d%:*} average='$avg'> on $br" \
			$((avg * 1000)) "$(kv_port_field "$br" "shaping.${d#*:}.rate")"
	done
	if [ "$(x "$f" 'string(/network/bridge/@stp)')" = off ]; then
		kv_check_eq "$name: stp='off': no spanning tree on $br" false \
			"$(kv_q 'd["enabled"]' showstp "$br")"
	fi
	out=$(kv net-destroy "$net" 2>&1) || kv_fail "$name: net-destroy: $out"
	out=$(kv net-undefine "$net" 2>&1) || kv_fail "$name: net-undefine: $out"
	kv_check_eq "$name: its bridge is gone" gone \
		"$(ip -n "$SW" link show "$br" >/dev/null 2>&1 && echo there || echo gone)"
}

corpus_networks_run() {
	local name count=0
	for name in $(supported); do
		check_one "$name"
		count=$((count + 1))
	done
	kv_check_ok "the list is not empty ($count documents)" test "$count" -gt 20
	log_test "each of the $count corpus networks kvnet supports starts and has what it asks for"
}

setup
tests_run
kv_exit
