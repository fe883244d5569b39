#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 59_net_ipv6.sh - IPv6 on a network's host port: ipv6='yes' gives it a link-local address
# even without an IPv6 <ip>; an IPv6 <ip> with a DHCP range gives guests an RA (a default
# route) and a DHCPv6 address from kvnet's dnsmasq
#
#   kvnetd in ns sw:
#     network n59a ipv6='yes' (isolated, kvn59a, 192.168.159.1/24 only)   vm1 [v1 in ns vm1]
#     network n59c (isolated, kvn59c, 192.168.161.1/24 only, no ipv6='yes')
#     network n59b (route, kvn59b, 192.168.160.1/24 and fd59::1/64, DHCPv6 range
#       fd59::100-fd59::1ff; an isolated network's RAs give no default route, as libvirt's)
#                                                                        vm2 [v2 in ns vm2]
# The VMs' namespaces have IPv6 on (kv_ns_add turns it off); dhclient -6 runs with a script
# of this test's, which only records the lease and sets the address on v2.

ALL_TESTS="link_local_yes link_local_absent ping_link_local ra_default_route dhcpv6_lease"

source "$(dirname "$0")/lib.sh"

DHCLIENT=${DHCLIENT:-/usr/sbin/dhclient}

net_xml() {
	kv_tmp
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/$1.xml" <<-XML
		<network$3>
		  <name>$1</name>
		  <bridge name='kv$1'/>
		  $2
		</network>
	XML
	echo "$KV_TMP/xml/$1.xml"
}

setup() {
	local ns
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$VM1" "$VM2"
	for ns in "$VM1" "$VM2"; do
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.default.accept_ra=2 ||
			kv_setup_fail "IPv6 on in $ns"
	done
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(net_xml n59a "<ip address='192.168.159.1' prefix='24'/>" " ipv6='yes'")" n59a
	kv_net_up "$(net_xml n59c "<ip address='192.168.161.1' prefix='24'/>")" n59c
	kv_net_up "$(net_xml n59b "<forward mode='route'/>
		  <ip address='192.168.160.1' prefix='24'/>
		  <ip family='ipv6' address='fd59::1' prefix='64'>
		    <dhcp><range start='fd59::100' end='fd59::1ff'/></dhcp>
		  </ip>")" n59b
	kv_vm_attach vm1 n59a 52:54:00:59:00:01 "$VM1" v1
	kv_vm_attach vm2 n59b 52:54:00:59:00:02 "$VM2" v2
	# the taps came in after the defaults were set: IPv6 and RAs on them as a guest has
	ip netns exec "$VM1" sysctl -q -w net.ipv6.conf.v1.disable_ipv6=0 &&
		ip netns exec "$VM2" sysctl -q -w net.ipv6.conf.v2.disable_ipv6=0 \
			net.ipv6.conf.v2.accept_ra=2 || kv_setup_fail "IPv6 on v1, v2"
}

# link_local NS DEV - the fe80:: address of DEV in NS, "" if none
link_local() {
	ip -n "$1" -6 -o addr show dev "$2" scope link 2>/dev/null |
		sed -n 's|.* inet6 \(fe80::[0-9a-f:]*\)/64 .*|\1|p' | head -n 1
}

link_local_yes() {
	kv_check_ok "kvb59a (ipv6='yes', no IPv6 <ip>) has a link-local address" \
		test -n "$(link_local "$SW" kvn59a)"
	log_test "ipv6='yes': the host port has IPv6 (link-local) without an IPv6 address"
}

link_local_absent() {
	kv_check_eq "kvn59c (no ipv6='yes', no IPv6 <ip>) has no IPv6 address" "" \
		"$(ip -n "$SW" -6 -o addr show dev kvn59c 2>&1)"
	log_test "without ipv6='yes' or an IPv6 <ip>, the host port stays IPv4 only"
}

ping_link_local() {
	local ll
	ll=$(link_local "$SW" kvn59a)
	kv_ping6 "$VM1" "$ll%v1" || kv_fail "vm1 cannot ping the host port's $ll"
	log_test "vm1 on the ipv6='yes' network pings the host port's link-local address"
}

ra_default_route() {
	local i route=""
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		route=$(ip -n "$VM2" -6 route show default dev v2 2>/dev/null)
		[ -n "$route" ] && break
		sleep 0.2
	done
	kv_check_ok "vm2 has a default route from an RA: '$route'" \
		grep -qE "^default via fe80::[0-9a-f:]+ .*proto ra" <<<"$route"
	kv_check_ok "via the host port's link-local address" \
		grep -q "via $(link_local "$SW" kvn59b) " <<<"$route"
	log_test "vm2 gets a router advertisement from kvnet's dnsmasq: a default route"
}

dhcpv6_lease() {
	local out=$KV_TMP/dhcp6-vm2 i ip
	if [ ! -x "$DHCLIENT" ]; then
		kv_fail "$DHCLIENT is missing (Debian package isc-dhcp-client, scripts/install-deps.sh)"
		log_test "vm2 gets a DHCPv6 address from kvnet's dnsmasq"
		return
	fi
	# dhclient-script would write /etc/resolv.conf: this script only records and applies
	cat >"$KV_TMP/dhclient6.sh" <<-SCRIPT
		#!/bin/sh
		case \$reason in
		BOUND6|REBOOT6|RENEW6)
			ip -6 addr add "\$new_ip6_address/\$new_ip6_prefixlen" dev "\$interface" nodad
			echo "ip=\$new_ip6_address" >"$out.new" && mv "$out.new" "$out" ;;
		esac
		exit 0
	SCRIPT
	chmod +x "$KV_TMP/dhclient6.sh"
	ip netns exec "$VM2" "$DHCLIENT" -6 -d -1 -sf "$KV_TMP/dhclient6.sh" \
		-lf "$KV_TMP/dhclient6.leases" -pf "$KV_TMP/dhclient6.pid" v2 \
		>"$KV_TMP/dhclient6.log" 2>&1 &
	KV_PIDS+=("$!")
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		[ -s "$out" ] && break
		sleep 0.2
	done
	ip=$(cat "$out" 2>/dev/null)
	if [ ! -s "$out" ]; then
		kv_fail "vm2 got no DHCPv6 lease: $(tr '\n' ' ' <"$KV_TMP/dhclient6.log")"
	else
		kv_check_ok "vm2's DHCPv6 address $ip is in fd59::100-fd59::1ff" \
			grep -qE '^ip=fd59::1[0-9a-f]{2}$' "$out"
		kv_ping6 "$VM2" fd59::1 || kv_fail "vm2 cannot ping fd59::1 from its DHCPv6 address"
		kv_check_run "net-dhcp-leases n59b lists it, with the MAC in its DUID" 0 \
			"52:54:00:59:00:02 +ipv6 +${ip#ip=}/64" '^$' kv net-dhcp-leases n59b
	fi
	log_test "vm2 gets a DHCPv6 address from kvnet's dnsmasq and reaches fd59::1"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
