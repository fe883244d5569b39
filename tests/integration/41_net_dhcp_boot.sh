#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 41_net_dhcp_boot.sh - what a network's <dhcp> says beyond addresses, seen by DHCP and TFTP
# clients: the <lease> of a range and of a static host, <bootp file server> and <tftp root>
#
#   kvnetd in ns sw: network n41 (isolated, switch kvb41, host port 192.168.141.1/24)
#     <tftp root='$KV_TMP/tftp'/> (boot.img, random bytes)
#     range .100-.200 with <lease expiry='2' unit='hours'/>
#     host 52:54:00:41:00:02 -> .50 with <lease expiry='45'/> (minutes, libvirt's default unit)
#     host 52:54:00:41:00:03 -> .51 with <lease expiry='0'/> (infinite)
#     <bootp file='boot.img' server='192.168.141.9'/>
#   vm1 [v1 in ns vm1, 52:54:00:41:00:01]  udhcpc: a range address
#   vm2 [v2 in ns vm2, 52:54:00:41:00:02]  udhcpc: the static .50
#   vm3 [v3 in ns vm3, 52:54:00:41:00:03]  udhcpc: the static .51
#   n41v (isolated, kvb41v, 192.168.140.1/24 and fd41::1/64) DHCPv6 range fd41::100-1ff with
#     <lease expiry='2' unit='hours'/>, host id='00:03:00:01:52:54:00:41:00:06' (a DUID-LL)
#     -> fd41::50 with <lease expiry='20'/>
#   vm5 [v5 in ns vm5, 52:54:00:41:00:05]  dhclient -6: a range address for 2 hours
#   vm6 [v6 in ns vm6, 52:54:00:41:00:06]  dhclient -6 -D LL: fd41::50 for 20 minutes
#
# The lease time is what busybox udhcpc got (option 51), and net-dhcp-leases' expiry;
# the boot file and next server are the BOOTP fields of the offer; busybox tftp fetches
# the file from dnsmasq's TFTP server on the host port. For DHCPv6, the valid lifetime
# ISC dhclient got for its address: dhclient asks for at most 7500 s in its Request and
# dnsmasq gives the shorter of that and the lease, so the leases here are shorter.

ALL_TESTS="range_lease_time host_lease_time host_lease_infinite bootp_fields tftp_fetch
	dhcpv6_range_lease_time dhcpv6_host_lease_time"

source "$(dirname "$0")/lib.sh"

NET=n41
MAC1=52:54:00:41:00:01
MAC2=52:54:00:41:00:02
MAC3=52:54:00:41:00:03
DHCLIENT=${DHCLIENT:-/usr/sbin/dhclient}

setup() {
	SW=$(kv_ns sw)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	VM5=$(kv_ns vm5)
	VM6=$(kv_ns vm6)
	kv_ns_add "$SW" "$VM1" "$VM2" "$VM3" "$VM5" "$VM6"
	mkdir -p "$KV_TMP/tftp" "$KV_TMP/xml"
	head -c 70000 /dev/urandom >"$KV_TMP/tftp/boot.img" || kv_setup_fail "boot.img"
	cat >"$KV_TMP/xml/$NET.xml" <<-XML
		<network>
		  <name>$NET</name>
		  <bridge name='kvb41'/>
		  <ip address='192.168.141.1' netmask='255.255.255.0'>
		    <tftp root='$KV_TMP/tftp'/>
		    <dhcp>
		      <range start='192.168.141.100' end='192.168.141.200'>
		        <lease expiry='2' unit='hours'/>
		      </range>
		      <host mac='$MAC2' name='vm2' ip='192.168.141.50'>
		        <lease expiry='45'/>
		      </host>
		      <host mac='$MAC3' name='vm3' ip='192.168.141.51'>
		        <lease expiry='0'/>
		      </host>
		      <bootp file='boot.img' server='192.168.141.9'/>
		    </dhcp>
		  </ip>
		</network>
	XML
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$KV_TMP/xml/$NET.xml" $NET
	kv_vm_attach vm1 "$NET" $MAC1 "$VM1" v1
	kv_vm_attach vm2 "$NET" $MAC2 "$VM2" v2
	kv_vm_attach vm3 "$NET" $MAC3 "$VM3" v3
	cat >"$KV_TMP/xml/n41v.xml" <<-XML
		<network>
		  <name>n41v</name>
		  <bridge name='kvb41v'/>
		  <ip address='192.168.140.1' prefix='24'/>
		  <ip family='ipv6' address='fd41::1' prefix='64'>
		    <dhcp>
		      <range start='fd41::100' end='fd41::1ff'>
		        <lease expiry='2' unit='hours'/>
		      </range>
		      <host id='00:03:00:01:52:54:00:41:00:06' ip='fd41::50'>
		        <lease expiry='20'/>
		      </host>
		    </dhcp>
		  </ip>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n41v.xml" n41v
	kv_vm_attach vm5 n41v 52:54:00:41:00:05 "$VM5" v5
	kv_vm_attach vm6 n41v 52:54:00:41:00:06 "$VM6" v6
	ip netns exec "$VM5" sysctl -q -w net.ipv6.conf.v5.disable_ipv6=0 &&
		ip netns exec "$VM6" sysctl -q -w net.ipv6.conf.v6.disable_ipv6=0 ||
		kv_setup_fail "IPv6 on v5, v6"
}

# dhcp6 NS IFACE [DHCLIENT_ARGS...] - one DHCPv6 exchange with ISC dhclient in NS on IFACE;
# prints "ADDRESS VALID_LIFETIME" of the address it bound, nothing if none within KV_WAIT s.
# Its script records the lease, and touches nothing else (not /etc/resolv.conf).
dhcp6() {
	local ns=$1 ifc=$2 out=$KV_TMP/dhcp6-$1 i pid
	shift 2
	cat >"$KV_TMP/dhclient6-$ifc.sh" <<-SCRIPT
		#!/bin/sh
		case \$reason in
		BOUND6|REBOOT6|RENEW6)
			echo "\$new_ip6_address \$new_max_life" >"$out.new" && mv "$out.new" "$out" ;;
		esac
		exit 0
	SCRIPT
	chmod +x "$KV_TMP/dhclient6-$ifc.sh"
	ip netns exec "$ns" "$DHCLIENT" -6 -d -1 -sf "$KV_TMP/dhclient6-$ifc.sh" \
		-lf "$KV_TMP/dhclient6-$ifc.leases" -pf "$KV_TMP/dhclient6-$ifc.pid" "$@" "$ifc" \
		>"$KV_TMP/dhclient6-$ifc.log" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		[ -s "$out" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	cat "$out" 2>/dev/null
	# -d keeps it in the foreground, a child of this shell: end it by its PID
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	return 0
}

# lease_left MAC - seconds from now to the expiry net-dhcp-leases gives MAC's lease
# ("infinite" for an expiry of 0, "none" without a lease)
lease_left() {
	kv_q '(lambda l: "none" if not l else "infinite" if not l[0]["expiry"]
		else int(l[0]["expiry"] - __import__("time").time()))(d["leases"])' \
		net-dhcp-leases $NET --mac "$1"
}

# within N LO HI - is N a number in LO..HI
within() {
	[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

range_lease_time() {
	if ! kv_udhcpc "$VM1" v1 -x hostname:vm1; then
		kv_fail "vm1 got no lease: $(kv_udhcpc_log "$VM1" v1)"
	else
		kv_check_eq "vm1's lease time (option 51) is 2 hours" 7200 "$(kv_dhcp "$VM1" v1 lease)"
		kv_check_ok "net-dhcp-leases: vm1's lease ends in about 2 hours ($(lease_left $MAC1) s)" \
			within "$(lease_left $MAC1)" 7000 7200
	fi
	log_test "<range><lease expiry='2' unit='hours'/>: a range lease lasts 7200 s"
}

host_lease_time() {
	if ! kv_udhcpc "$VM2" v2 -x hostname:vm2; then
		kv_fail "vm2 got no lease: $(kv_udhcpc_log "$VM2" v2)"
	else
		kv_check_eq "vm2 got its static address" 192.168.141.50 "$(kv_dhcp "$VM2" v2 ip)"
		kv_check_eq "vm2's lease time is 45 minutes" 2700 "$(kv_dhcp "$VM2" v2 lease)"
		kv_check_ok "net-dhcp-leases: vm2's lease ends in about 45 min ($(lease_left $MAC2) s)" \
			within "$(lease_left $MAC2)" 2500 2700
	fi
	log_test "<host><lease expiry='45'/>: the host's own lease time, in minutes"
}

host_lease_infinite() {
	if ! kv_udhcpc "$VM3" v3 -x hostname:vm3; then
		kv_fail "vm3 got no lease: $(kv_udhcpc_log "$VM3" v3)"
	else
		kv_check_eq "vm3 got its static address" 192.168.141.51 "$(kv_dhcp "$VM3" v3 ip)"
		kv_check_eq "vm3's lease time is infinite (0xffffffff)" 4294967295 \
			"$(kv_dhcp "$VM3" v3 lease)"
		kv_check_eq "net-dhcp-leases: vm3's lease never expires" infinite "$(lease_left $MAC3)"
	fi
	log_test "<host><lease expiry='0'/>: an infinite lease"
}

bootp_fields() {
	kv_check_eq "vm1's offer names the boot file" boot.img "$(kv_dhcp "$VM1" v1 boot_file)"
	kv_check_eq "vm1's offer names the next server of <bootp server>" 192.168.141.9 \
		"$(kv_dhcp "$VM1" v1 siaddr)"
	kv_check_eq "so does vm3's (a static host)" "boot.img 192.168.141.9" \
		"$(kv_dhcp "$VM3" v3 boot_file) $(kv_dhcp "$VM3" v3 siaddr)"
	log_test "<bootp file='boot.img' server='192.168.141.9'/>: the BOOTP file and next server"
}

tftp_fetch() {
	local got=$KV_TMP/got.img
	rm -f "$got"
	kv_check_ok "vm1 fetches boot.img by TFTP from the host port" \
		timeout "$KV_WAIT" ip netns exec "$VM1" busybox tftp -g -r boot.img -l "$got" \
		192.168.141.1
	kv_check_ok "the bytes are the file's in the TFTP root" cmp "$KV_TMP/tftp/boot.img" "$got"
	kv_check_fail "a file that is not in the root is not served" \
		timeout "$KV_WAIT" ip netns exec "$VM1" busybox tftp -g -r nosuch.img \
		-l "$KV_TMP/nosuch.img" 192.168.141.1
	log_test "<tftp root>: a VM fetches a file of the root by TFTP"
}

dhcpv6_range_lease_time() {
	local got
	got=$(dhcp6 "$VM5" v5)
	kv_check_ok "vm5 got a DHCPv6 address of the range: '$got'" \
		grep -qE '^fd41::1[0-9a-f]{2} ' <<<"$got"
	kv_check_eq "its valid lifetime is 2 hours" 7200 "${got#* }"
	log_test "DHCPv6 <range><lease expiry='2' unit='hours'/>: the address lives 7200 s"
}

dhcpv6_host_lease_time() {
	kv_check_eq "vm6 (DUID-LL of its MAC) got fd41::50 for 20 minutes" "fd41::50 1200" \
		"$(dhcp6 "$VM6" v6 -D LL)"
	log_test "DHCPv6 <host id ip><lease expiry='20'/>: the host's address and lease time"
}

kv_require
kv_require_services
[ -x "$DHCLIENT" ] || kv_skip "$DHCLIENT is missing (Debian package isc-dhcp-client)"
command -v busybox >/dev/null || kv_skip "busybox is not installed (its tftp client)"
setup
tests_run
kv_exit
