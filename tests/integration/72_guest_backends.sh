#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 72_guest_backends.sh - real Linux guests on a NAT network through each of kvnet's QEMU
# back-ends take DHCP leases and ping each other and the gateway; each QEMU is then killed:
# its port goes down and its FDB entries go, and the guest booted again on the same port
# reaches the others
#
#   kvnetd in ns sw: network n72 (NAT, DHCP and DNS on virbr72, 192.168.72.1/24; each MAC has
#   a <host> address, so that guests booting together know each other's)
#   gs [stream: kvnet listens, QEMU connects,        52:54:00:72:00:01, 192.168.72.11]
#   gd [dgram: a socket each, kvnet's and QEMU's,    52:54:00:72:00:02, 192.168.72.12]
#   gt [tap: a persistent tap kvnet makes, QEMU opens it by name, 52:54:00:72:00:03, .13]
#   Each guest takes its lease, pings the gateway and the others, reports "ready" and idles.
#
# gs and gd boot together, then gt (at most two boot at once). Then gs and gd are killed
# (SIGKILL) and booted again together, then gt. QEMU's arguments come from kvnet (qemu-args);
# the times from QEMU's start to the guests' results are printed, not checked.

ALL_TESTS="socket_guests_up tap_guest_up leases_listed socket_guests_killed
	socket_guests_back tap_guest_killed tap_guest_back guests_end"

source "$(dirname "$0")/lib.sh"

MACS=52:54:00:72:00:01
MACD=52:54:00:72:00:02
MACT=52:54:00:72:00:03
GW=192.168.72.1
IPS=192.168.72.11
IPD=192.168.72.12
IPT=192.168.72.13

setup() {
	local xml
	kv_require
	kv_require_services
	kv_require_guest
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	xml=$(kv_net_xml n72 virbr72 72 "<forward mode='nat'/>" "" \
		"<host mac='$MACS' name='gs' ip='$IPS'/>
		<host mac='$MACD' name='gd' ip='$IPD'/>
		<host mac='$MACT' name='gt' ip='$IPT'/>")
	kv_net_up "$xml" n72
	kv_poll_eq "n72's dnsmasq" running kv_dnsmasq n72 state ||
		kv_setup_fail "n72's dnsmasq is not running"
	kv_guest_attach gs n72 $MACS stream
	kv_guest_attach gd n72 $MACD dgram
	kv_guest_attach gt n72 $MACT tap
}

# guest_boot NAME PEER... - boot guest NAME on its domain's port (DHCP); it pings the gateway
# and each PEER, reports "ready" and idles
guest_boot() {
	local name=$1 cmd="kvping $GW" p
	shift
	for p in "$@"; do
		cmd+="; kvping $p"
	done
	kv_guest_boot "$name" "$SW" "$name" kvtest.ip=dhcp "kvtest.cmd=$(kv_b64 "$cmd
result ready yes
sleep 600")"
}

# guest_check NAME MAC ADDR BACKEND PEER... - wait for guest NAME's "ready" and check what it
# reports: its MAC, its lease (ADDR/24, the gateway as router), its pings of the gateway and
# each PEER; and its port: BACKEND, link up
guest_check() {
	local name=$1 mac=$2 addr=$3 be=$4 want=$GW\ ok p
	shift 4
	for p in "$@"; do
		want+=$'\n'"$p ok"
	done
	if kv_guest_wait "$name" "KVTEST-RESULT: ready"; then
		echo "INFO: $name ($be): QEMU start to results (lease, $(($# + 1)) pings):" \
			"$KV_GUEST_SECS s; guest uptime with eth0 $(kv_guest_result "$name" t-eth0) s," \
			"with its address $(kv_guest_result "$name" t-addr) s"
	else
		kv_fail "$name did not report ready within $KV_GUEST_WAIT s: $(kv_guest_tail "$name")"
	fi
	kv_check_eq "no error in $name" "" "$(kv_guest_result "$name" error)"
	kv_check_eq "$name's MAC (QEMU's -device mac=)" "$mac" "$(kv_guest_result "$name" mac)"
	kv_check_eq "$name's lease" "$addr/24" "$(kv_guest_result "$name" ip)"
	kv_check_eq "$name's router" $GW "$(kv_guest_result "$name" router)"
	kv_check_eq "$name's pings: the gateway, then its peers" "$want" \
		"$(kv_guest_result "$name" ping)"
	kv_check_eq "$name's port's back-end" "$be" "$(kv_iface_field "$name" backend)"
	kv_check_eq "$name's port's link" up "$(kv_iface_field "$name" link)"
}

socket_guests_up() {
	kv_check_eq "gs's port before QEMU: link down" down "$(kv_iface_field gs link)"
	kv_check_eq "gs: kvnet listens (QEMU's server=off)" true "$(kv_iface_field gs listen)"
	kv_check_ok "gs's socket is there before QEMU" test -S "$(kv_iface_field gs socket)"
	guest_boot gs $IPD
	guest_boot gd $IPS
	guest_check gs $MACS $IPS stream $IPD
	guest_check gd $MACD $IPD dgram $IPS
	log_test "gs (stream) and gd (dgram) take leases, ping the gateway and each other"
}

tap_guest_up() {
	kv_check_ok "gt's persistent tap is there before QEMU" \
		ip -n "$SW" link show "$(kv_iface_field gt name)"
	guest_boot gt $IPS $IPD
	guest_check gt $MACT $IPT tap $IPS $IPD
	log_test "gt (tap) takes a lease, pings the gateway, gs and gd"
}

leases_listed() {
	kv_check_eq "net-dhcp-leases n72: the three guests, their addresses and hostnames" \
		"$MACS $IPS/24 gs
$MACD $IPD/24 gd
$MACT $IPT/24 gt" "$(kv_leases n72)"
	log_test "net-dhcp-leases n72 lists the three guests"
}

# guest_killed NAME MAC - kill guest NAME's QEMU: its port must go down and lose its FDB
# entries, and stay in domain-interfaces
guest_killed() {
	local port
	port=$(kv_iface_field "$1" name)
	kv_check_eq "fdb: $1's MAC on its port $port before" "$port" "$(kv_fdb_port virbr72 "$2" 1)"
	kv_guest_kill "$1"
	kv_poll_eq "$1's port's link once QEMU is killed" down kv_iface_field "$1" link
	kv_check_eq "$1's port's state" disabled "$(kv_iface_field "$1" state)"
	kv_poll_eq "fdb: $1's MAC once QEMU is killed" none kv_fdb_port virbr72 "$2" 1
	kv_check_eq "fdb show virbr72 port $port: nothing" "" \
		"$(kv_q '" ".join(e["mac"] for e in d["entries"])' fdb show virbr72 port "$port")"
	kv_check_eq "$1's port is still $port" "$port" "$(kv_iface_field "$1" name)"
}

socket_guests_killed() {
	guest_killed gs $MACS
	kv_check_ok "gs's socket is there again for a new QEMU" test -S "$(kv_iface_field gs socket)"
	guest_killed gd $MACD
	log_test "QEMU killed: gs's (stream) and gd's (dgram) ports go down, their FDB entries go"
}

socket_guests_back() {
	guest_boot gs $IPD $IPT
	guest_boot gd $IPS $IPT
	guest_check gs $MACS $IPS stream $IPD $IPT
	guest_check gd $MACD $IPD dgram $IPS $IPT
	kv_check_eq "fdb: gs's MAC on its port again" "$(kv_iface_field gs name)" \
		"$(kv_fdb_port virbr72 $MACS 1)"
	log_test "gs and gd booted again on the same ports reach each other and gt"
}

tap_guest_killed() {
	guest_killed gt $MACT
	kv_check_ok "gt's persistent tap is still there" ip -n "$SW" link show "$(kv_iface_field gt name)"
	log_test "QEMU killed: gt's (tap) port goes down, its FDB entries go"
}

tap_guest_back() {
	guest_boot gt $IPS $IPD
	guest_check gt $MACT $IPT tap $IPS $IPD
	log_test "gt booted again on the same tap reaches gs and gd"
}

guests_end() {
	kv_guests_end gs gd gt
	log_test "the guests end"
}

setup
tests_run
kv_exit
