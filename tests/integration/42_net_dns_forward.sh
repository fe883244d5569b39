#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 42_net_dns_forward.sh - where a network's DNS server sends what it does not know: its
# <forwarder>s, forwardPlainNames, <domain localOnly>, <ip localPtr>; <srv> records; and a
# network with <dns enable='no'/>
#
#   ns up [u42 10.78.0.2, 10.78.0.3] ---veth--- [s42 10.78.0.1/24] ns sw (kvnetd)
#     up1: fake DNS server on 10.78.0.2, answers every A with 10.0.0.1 (logs each query)
#     up2: fake DNS server on 10.78.0.3, answers every A with 10.0.0.2 (logs each query)
#   n42  (nat, kvb42 192.168.142.1/24 and fd42::1/64, both localPtr='yes',
#         <domain name='lab' localOnly='yes'/>, <dns><host ip='fd42::7'>dc6</host>)
#     <dns forwardPlainNames='no'>
#       <forwarder addr='10.78.0.2'/>                        every name
#       <forwarder domain='corp.test' addr='10.78.0.3'/>     corp.test only
#       <forwarder domain='pub.corp.test'/>                  back to the usual upstream
#       <srv service='ldap' protocol='tcp' domain='lab' target='dc1.lab' port='389'
#            priority='10' weight='20'/>
#     vm1 [v1 in ns vm1] udhcpc; asks 192.168.142.1
#   n42d (nat, kvb42d 192.168.143.1/24, <dns enable='no'/>)
#     vm2 [v2 in ns vm2] udhcpc
#
# The fake upstreams (frames.py dnsserve) say which names reached them; a name answered
# locally comes back without them having seen it.

ALL_TESTS="forward_any forward_domain forward_domain_no_addr plain_names_local local_only
	local_ptr local_ptr_ipv6 srv_record dns_disabled"

source "$(dirname "$0")/lib.sh"

NET=n42
DNS=192.168.142.1
UP1=10.78.0.2
UP2=10.78.0.3

setup() {
	SW=$(kv_ns sw)
	UP=$(kv_ns up)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	kv_ns_add "$SW" "$UP" "$VM1" "$VM2"
	kv_veth "$SW" s42 "$UP" u42
	ip -n "$SW" addr add 10.78.0.1/24 dev s42 || kv_setup_fail "address on s42"
	ip -n "$UP" addr add $UP1/24 dev u42 || kv_setup_fail "address $UP1 on u42"
	ip -n "$UP" addr add $UP2/24 dev u42 || kv_setup_fail "address $UP2 on u42"
	upstream up1 $UP1 10.0.0.1
	upstream up2 $UP2 10.0.0.2
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/$NET.xml" <<-XML
		<network>
		  <name>$NET</name>
		  <forward mode='nat'/>
		  <bridge name='kvb42'/>
		  <domain name='lab' localOnly='yes'/>
		  <dns forwardPlainNames='no'>
		    <forwarder addr='$UP1'/>
		    <forwarder domain='corp.test' addr='$UP2'/>
		    <forwarder domain='pub.corp.test'/>
		    <host ip='192.168.142.7'><hostname>dc1</hostname></host>
		    <host ip='fd42::7'><hostname>dc6</hostname></host>
		    <srv service='ldap' protocol='tcp' domain='lab' target='dc1.lab' port='389'
		         priority='10' weight='20'/>
		  </dns>
		  <ip address='192.168.142.1' netmask='255.255.255.0' localPtr='yes'>
		    <dhcp><range start='192.168.142.100' end='192.168.142.200'/></dhcp>
		  </ip>
		  <ip family='ipv6' address='fd42::1' prefix='64' localPtr='yes'/>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/$NET.xml" $NET
	kv_net_up "$(kv_net_xml n42d kvb42d 143 "<forward mode='nat'/>" "<dns enable='no'/>")" n42d
	kv_vm_attach vm1 $NET 52:54:00:42:00:01 "$VM1" v1
	kv_vm_attach vm2 n42d 52:54:00:42:00:02 "$VM2" v2
	kv_udhcpc "$VM1" v1 || kv_setup_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
}

# upstream NAME ADDR ANSWER - a fake DNS server in ns up on ADDR:53, logging to up-NAME.log
upstream() {
	: >"$KV_TMP/up-$1.log"
	"$KV_PY" "$KV_FRAMES" dnsserve "$2" --netns "$UP" --log "$KV_TMP/up-$1.log" \
		--answer "$3" --timeout 900 --ready-file "$KV_TMP/up-$1.ready" \
		2>"$KV_TMP/up-$1.err" &
	KV_PIDS+=("$!")
	kv_wait_file "$KV_TMP/up-$1.ready" $! ||
		kv_setup_fail "fake DNS server $1 on $2 did not start: $(cat "$KV_TMP/up-$1.err")"
}

# seen UPSTREAM NAME - "yes" if the fake server UPSTREAM (up1, up2) was asked for NAME
seen() {
	if grep -q "^$2 " "$KV_TMP/up-$1.log"; then echo yes; else echo no; fi
}

forward_any() {
	kv_check_eq "vm1's DNS server from its lease" $DNS "$(kv_dhcp "$VM1" v1 dns)"
	kv_check_eq "www.example.org, answered by up1" "NOERROR 10.0.0.1" \
		"$(kv_dns "$VM1" $DNS www.example.org)"
	kv_check_eq "up1 was asked for www.example.org" yes "$(seen up1 www.example.org)"
	kv_check_eq "up2 was not" no "$(seen up2 www.example.org)"
	log_test "<forwarder addr>: a name kvnet does not know is asked of that server"
}

forward_domain() {
	kv_check_eq "db.corp.test, answered by up2" "NOERROR 10.0.0.2" \
		"$(kv_dns "$VM1" $DNS db.corp.test)"
	kv_check_eq "up2 was asked for db.corp.test" yes "$(seen up2 db.corp.test)"
	kv_check_eq "up1 was not" no "$(seen up1 db.corp.test)"
	log_test "<forwarder domain addr>: only that domain goes to that server"
}

forward_domain_no_addr() {
	kv_check_eq "www.pub.corp.test, answered by up1 (the usual upstream)" "NOERROR 10.0.0.1" \
		"$(kv_dns "$VM1" $DNS www.pub.corp.test)"
	kv_check_eq "up2 (corp.test's server) was not asked" no "$(seen up2 www.pub.corp.test)"
	log_test "<forwarder domain> without addr: the domain leaves its parent's server"
}

plain_names_local() {
	kv_check_eq "plainname (no dot) is answered here" NXDOMAIN "$(kv_dns "$VM1" $DNS plainname)"
	kv_check_eq "up1 was not asked for plainname" no "$(seen up1 plainname)"
	kv_check_eq "up2 neither" no "$(seen up2 plainname)"
	kv_check_eq "dc1 (a <dns><host>) still resolves" "NOERROR 192.168.142.7" \
		"$(kv_dns "$VM1" $DNS dc1)"
	log_test "forwardPlainNames='no': a name without a dot is never forwarded"
}

local_only() {
	kv_check_eq "nosuch.lab is answered here" NXDOMAIN "$(kv_dns "$VM1" $DNS nosuch.lab)"
	kv_check_eq "up1 was not asked for nosuch.lab" no "$(seen up1 nosuch.lab)"
	kv_check_eq "dc1.lab resolves" "NOERROR 192.168.142.7" "$(kv_dns "$VM1" $DNS dc1.lab)"
	log_test "<domain localOnly='yes'>: the network's domain is never forwarded"
}

local_ptr() {
	kv_check_eq "PTR of 192.168.142.77 (no host) is answered here" NXDOMAIN \
		"$(kv_dns "$VM1" $DNS 77.142.168.192.in-addr.arpa PTR)"
	kv_check_eq "up1 was not asked for it" no "$(seen up1 77.142.168.192.in-addr.arpa)"
	kv_check_ok "PTR of 192.168.142.7 names dc1" \
		grep -qE '^NOERROR dc1(\.lab)?\.?( |$)' \
		<<<"$(kv_dns "$VM1" $DNS 7.142.168.192.in-addr.arpa PTR)"
	kv_check_eq "PTR of 10.9.9.9 (not the network's) is forwarded to up1" \
		"NOERROR upstream.test." "$(kv_dns "$VM1" $DNS 9.9.9.10.in-addr.arpa PTR)"
	kv_check_eq "up1 was asked for it" yes "$(seen up1 9.9.9.10.in-addr.arpa)"
	log_test "<ip localPtr='yes'>: reverse names of the subnet are never forwarded"
}

local_ptr_ipv6() {
	local far=7.7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.4.d.f.ip6.arpa
	kv_check_eq "AAAA of dc6 (a <dns><host> with an IPv6 address)" "NOERROR fd42::7" \
		"$(kv_dns "$VM1" $DNS dc6 AAAA)"
	kv_check_eq "PTR of fd42::77 (no host) is answered here" NXDOMAIN \
		"$(kv_dns "$VM1" $DNS $far PTR)"
	kv_check_eq "up1 was not asked for it" no "$(seen up1 $far)"
	log_test "<ip family='ipv6' localPtr='yes'>: the subnet's ip6.arpa names are never forwarded"
}

srv_record() {
	kv_check_eq "SRV _ldap._tcp.lab" "NOERROR 10 20 389 dc1.lab." \
		"$(kv_dns "$VM1" $DNS _ldap._tcp.lab SRV)"
	kv_check_run "net-update add dns-srv --live" 0 "^Updated network $NET live state$" '^$' \
		kv net-update $NET add dns-srv "<srv service='http' protocol='tcp' domain='lab'
		target='dc1.lab' port='8080' priority='5' weight='1'/>" --live
	kv_check_eq "SRV _http._tcp.lab, added live" "NOERROR 5 1 8080 dc1.lab." \
		"$(kv_dns "$VM1" $DNS _http._tcp.lab SRV)"
	kv_check_eq "_ldap._tcp.lab still answered" "NOERROR 10 20 389 dc1.lab." \
		"$(kv_dns "$VM1" $DNS _ldap._tcp.lab SRV)"
	log_test "<srv>: an SRV query gets the priority, weight, port and target; one added live"
}

dns_disabled() {
	local out
	if ! kv_udhcpc "$VM2" v2; then
		kv_fail "vm2 got no lease: $(kv_udhcpc_log "$VM2" v2)"
	else
		kv_check_eq "vm2's router" 192.168.143.1 "$(kv_dhcp "$VM2" v2 router)"
		kv_check_eq "vm2's lease names no DNS server" "" "$(kv_dhcp "$VM2" v2 dns)"
	fi
	kv_check_eq "no UDP socket on port 53 in kvnetd's namespace for 192.168.143.1" "" \
		"$(ip netns exec "$SW" ss -Hlun 'sport = :53' | grep -F 192.168.143.1)"
	kv_check_ok "while n42's DNS server listens on 192.168.142.1:53" \
		grep -qF 192.168.142.1 <<<"$(ip netns exec "$SW" ss -Hlun 'sport = :53')"
	if out=$("$KV_PY" "$KV_FRAMES" dns www.example.org --netns "$VM2" --server 192.168.143.1 \
		--timeout "$KV_QUIET" 2>&1); then
		kv_fail "a DNS query to 192.168.143.1 was answered: $out"
	fi
	kv_check_ok "vm2 pings its gateway" kv_ping "$VM2" 192.168.143.1
	log_test "<dns enable='no'/>: DHCP without a DNS server, nothing on port 53"
}

kv_require
kv_require_services
command -v ss >/dev/null || kv_skip "ss (iproute2) is not installed"
setup
tests_run
kv_exit
