#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 40_firewall.sh - services/firewall.c's nftables rules, with real traffic through them
#
#   vm [eth0 192.168.150.2/24, default via .1]
#    |  veth
#   gw [kvfw40 192.168.150.1/24 (the network's host port), up0 10.77.0.1/24]
#    |  veth                     firewall_tool runs here: kvnetd's namespace
#   out [eth0 10.77.0.2/24; no route back to 192.168.150.0/24 unless a test adds one]
#
# firewall_tool (tests/tools/) calls firewall_init(), firewall_network_add() with a network
# XML file, firewall_network_del() and firewall_fini() in gw. The same network, "fw40", is
# added as nat, then route, then isolated (each add replaces the one before). TCP is checked
# with a small Python server that writes the address of each peer it accepts: masqueraded,
# out sees gw's 10.77.0.1; routed, it sees the vm's own 192.168.150.2. Each check that
# something does NOT get through is paired with one that the same thing gets through in
# another mode. Nothing is done in the root namespace (its ip_forward is checked unchanged).

ALL_TESTS="fw_init fw_nat_rules fw_nat_traffic fw_nat_inbound_refused fw_odd_name fw_route \
fw_isolated fw_del fw_fini"

source "$(dirname "$0")/lib.sh"

kv_require
FWTOOL=$KVNET_BUILD/tests/tools/firewall_tool
[ -x "$FWTOOL" ] || kv_setup_fail "firewall_tool not built: $FWTOOL is missing (set KVNET_BUILD)"
command -v nft >/dev/null || kv_skip "nft (nftables) is not installed"

HOSTPORT=kvfw40
PORT_OUT=8040
PORT_VM=8041
ROOT_FWD=$(cat /proc/sys/net/ipv4/ip_forward)

# fw NS ARGS... - firewall_tool in namespace NS
fw() {
	local ns=$1
	shift
	ip netns exec "$ns" "$FWTOOL" "$@"
}

# net_xml MODE - network fw40's XML with forward MODE (nat, route, or none for isolated)
net_xml() {
	local fwd="<forward mode='$1'/>"
	[ "$1" = none ] && fwd=""
	cat <<EOF
<network>
  <name>fw40</name>
  <bridge name='$HOSTPORT'/>
  $fwd
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>
EOF
}

# srv_start NAME NS ADDR PORT - a TCP server in NS that writes each peer's address to
# KV_TMP/srv-NAME.peers and answers "ok"; returns once it listens
srv_start() {
	local name=$1 i
	rm -f "$KV_TMP/srv-$name".*
	# shellcheck disable=SC2016
	ip netns exec "$2" "$KV_PY" -c '
import socket, sys
addr, port, peers, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(8)
open(ready, "w").close()
while True:
    c, peer = s.accept()
    with open(peers, "a") as f:
        f.write(peer[0] + "\n")
    c.sendall(b"ok\n")
    c.close()
' "$3" "$4" "$KV_TMP/srv-$name.peers" "$KV_TMP/srv-$name.ready" \
		2>"$KV_TMP/srv-$name.err" &
	KV_PIDS+=("$!")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -e "$KV_TMP/srv-$name.ready" ] && return 0
		sleep 0.05
	done
	kv_setup_fail "TCP server $name in $2 did not start: $(cat "$KV_TMP/srv-$name.err")"
}

# tcp_get NS ADDR PORT [TIMEOUT] - connect from NS and read the answer; 0 if it is "ok"
tcp_get() {
	ip netns exec "$1" "$KV_PY" -c '
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
sys.exit(0 if c.recv(16) == b"ok\n" else 1)
' "$2" "$3" "${4:-$KV_WAIT}"
}

# tcp_fails NS ADDR PORT - 0 if no connection is made within KV_QUIET s
tcp_fails() {
	! tcp_get "$1" "$2" "$3" "$KV_QUIET" 2>/dev/null
}

# last_peer NAME - the address of the last peer server NAME accepted
last_peer() {
	tail -n 1 "$KV_TMP/srv-$1.peers" 2>/dev/null
}

ping_ok() {
	ip netns exec "$1" ping -c 1 -W "$KV_WAIT" "$2" >/dev/null
}

ping_fails() {
	! ip netns exec "$1" ping -c 1 -W "$KV_QUIET" "$2" >/dev/null
}

# ruleset NS - kvnet's table in NS, or nothing
ruleset() {
	ip netns exec "$1" nft list table inet kvnet 2>/dev/null
}

# check_rules WHAT REGEX - kvnet's table in gw must have a line matching REGEX
check_rules() {
	ruleset "$GW" | grep -qE -- "$2" || kv_fail "$1: no line matching /$2/ in:
$(ruleset "$GW")"
}

check_no_rules() {
	! ruleset "$GW" | grep -qE -- "$2" || kv_fail "$1: a line matches /$2/ in:
$(ruleset "$GW")"
}

setup() {
	VM=$(kv_ns vm)
	GW=$(kv_ns gw)
	OUT=$(kv_ns out)
	kv_ns_add "$VM" "$GW" "$OUT"
	kv_veth "$VM" eth0 "$GW" "$HOSTPORT"
	kv_veth "$GW" up0 "$OUT" eth0
	if ! { ip -n "$VM" addr add 192.168.150.2/24 dev eth0 &&
		ip -n "$VM" route add default via 192.168.150.1 &&
		ip -n "$GW" addr add 192.168.150.1/24 dev "$HOSTPORT" &&
		ip -n "$GW" addr add 10.77.0.1/24 dev up0 &&
		ip -n "$OUT" addr add 10.77.0.2/24 dev eth0; }; then
		kv_setup_fail "addresses and routes"
	fi
	for m in nat route none; do
		net_xml "$m" >"$KV_TMP/fw40-$m.xml"
	done
	srv_start out "$OUT" 10.77.0.2 $PORT_OUT
	srv_start vm "$VM" 192.168.150.2 $PORT_VM
}

fw_init() {
	local out
	if ! out=$(fw "$GW" init 2>&1); then
		case $out in
		*"nf_tables module"*) kv_skip "no nftables in this kernel: $out" ;;
		esac
		kv_fail "firewall_tool init: $out"
	fi
	check_rules "base chain forward" "type filter hook forward priority filter; policy accept;"
	check_rules "base chain postrouting" "type nat hook postrouting priority srcnat; policy accept;"
	# a stale table (a crashed kvnetd's) is replaced: an extra chain in it goes away
	ip netns exec "$GW" nft add chain inet kvnet stale_chain || kv_fail "nft add chain"
	kv_check_ok "firewall_tool init over a stale table" fw "$GW" init
	check_no_rules "stale chain removed by init" "stale_chain"
	log_test "init: table inet kvnet with forward and postrouting base chains; stale one replaced"
}

fw_nat_rules() {
	kv_check_ok "add nat network" fw "$GW" add "$KV_TMP/fw40-nat.xml" "$HOSTPORT"
	check_rules "masquerade tcp" \
		"meta l4proto tcp ip saddr 192.168.150.0/24 ip daddr != 192.168.150.0/24 .*masquerade to :1024-65535"
	check_rules "masquerade other" \
		"ip saddr 192.168.150.0/24 ip daddr != 192.168.150.0/24 counter .*masquerade$"
	check_rules "no masquerade to multicast" "ip daddr 224.0.0.0/24 .*return"
	check_rules "no masquerade to broadcast" "ip daddr 255.255.255.255 .*return"
	check_rules "forward out" "iifname \"$HOSTPORT\" ip saddr 192.168.150.0/24 .*accept"
	check_rules "forward in, replies only" \
		"oifname \"$HOSTPORT\" ip daddr 192.168.150.0/24 ct state established,related .*accept"
	check_rules "reject the rest" "oifname \"$HOSTPORT\" counter .*reject"
	check_rules "jump from postrouting" "jump n_fw40_[0-9a-f]{12}_nat"
	kv_check_eq "ip_forward in gw" 1 "$(ip netns exec "$GW" cat /proc/sys/net/ipv4/ip_forward)"
	kv_check_eq "root namespace's ip_forward unchanged" "$ROOT_FWD" \
		"$(cat /proc/sys/net/ipv4/ip_forward)"
	log_test "nat: masquerade (not multicast/broadcast) and forward rules, ip_forward on in gw"
}

fw_nat_traffic() {
	kv_check_ok "vm pings out" ping_ok "$VM" 10.77.0.2
	kv_check_ok "vm connects to out over TCP" tcp_get "$VM" 10.77.0.2 $PORT_OUT
	kv_check_eq "out sees the connection from gw's address" 10.77.0.1 "$(last_peer out)"
	kv_check_ok "vm reaches gw" ping_ok "$VM" 192.168.150.1
	log_test "nat: vm reaches out (ping, TCP), masqueraded as 10.77.0.1"
}

fw_nat_inbound_refused() {
	# give out a route back, so that only the firewall keeps it out
	ip -n "$OUT" route replace 192.168.150.0/24 via 10.77.0.1 || kv_fail "route in out"
	kv_check_ok "out cannot connect to vm over TCP" tcp_fails "$OUT" 192.168.150.2 $PORT_VM
	kv_check_ok "out cannot ping vm" ping_fails "$OUT" 192.168.150.2
	kv_check_ok "vm still connects to out" tcp_get "$VM" 10.77.0.2 $PORT_OUT
	log_test "nat: connections from out to vm are refused, even with a route"
}

fw_odd_name() {
	local name='odd "name" {x}; flush ruleset' f=$KV_TMP/odd.xml base
	cat >"$f" <<EOF
<network>
  <name>odd &quot;name&quot; {x}; flush ruleset</name>
  <bridge name='kvodd40'/>
</network>
EOF
	kv_check_ok "add a network with an odd name" fw "$GW" add "$f" kvodd40
	base=$(ruleset "$GW" | grep -oE 'n_odd__name___x____[0-9a-f]{12}_cross' | head -n 1)
	[ -n "$base" ] || kv_fail "no sanitized chain for the odd name in: $(ruleset "$GW")"
	check_rules "fw40's chains still there" "jump n_fw40_"
	kv_check_ok "del the odd name" fw "$GW" del "$name"
	check_no_rules "odd name's chains gone" "n_odd_"
	check_rules "fw40's chains kept" "jump n_fw40_[0-9a-f]{12}_nat"
	kv_check_ok "del an absent network" fw "$GW" del "no such network"
	log_test "a name with nft syntax in it: sanitized chains, added and deleted alone"
}

fw_route() {
	kv_check_ok "replace with a route network" fw "$GW" add "$KV_TMP/fw40-route.xml" "$HOSTPORT"
	check_no_rules "no masquerade in route mode" "masquerade"
	check_no_rules "no nat chain in route mode" "_nat"
	check_rules "route: forward in" "oifname \"$HOSTPORT\" ip daddr 192.168.150.0/24 counter .*accept"
	kv_check_ok "vm connects to out over TCP" tcp_get "$VM" 10.77.0.2 $PORT_OUT
	kv_check_eq "out sees the vm's own address" 192.168.150.2 "$(last_peer out)"
	kv_check_ok "out connects to vm over TCP" tcp_get "$OUT" 192.168.150.2 $PORT_VM
	kv_check_eq "vm sees out's address" 10.77.0.2 "$(last_peer vm)"
	log_test "route: both ways, no NAT (out sees 192.168.150.2)"
}

fw_isolated() {
	kv_check_ok "replace with an isolated network" fw "$GW" add "$KV_TMP/fw40-none.xml" "$HOSTPORT"
	check_rules "isolated: cross accept" "iifname \"$HOSTPORT\" oifname \"$HOSTPORT\" .*accept"
	check_no_rules "isolated: no subnet accepts" "saddr|daddr"
	kv_check_ok "vm reaches gw" ping_ok "$VM" 192.168.150.1
	kv_check_ok "vm cannot ping out" ping_fails "$VM" 10.77.0.2
	kv_check_ok "vm cannot connect to out" tcp_fails "$VM" 10.77.0.2 $PORT_OUT
	kv_check_ok "out cannot connect to vm" tcp_fails "$OUT" 192.168.150.2 $PORT_VM
	log_test "isolated: vm reaches gw's 192.168.150.1, nothing beyond"
}

fw_del() {
	kv_check_ok "del fw40" fw "$GW" del fw40
	check_no_rules "fw40's chains gone" "n_fw40_"
	check_rules "base chains kept" "type filter hook forward"
	kv_check_ok "del fw40 again (absent is fine)" fw "$GW" del fw40
	log_test "del: the network's chains and jumps gone, the table kept"
}

fw_fini() {
	kv_check_ok "fini" fw "$GW" fini
	[ -z "$(ruleset "$GW")" ] || kv_fail "table inet kvnet still there after fini"
	kv_check_ok "fini without a table" fw "$GW" fini
	kv_check_eq "root namespace's ip_forward unchanged" "$ROOT_FWD" \
		"$(cat /proc/sys/net/ipv4/ip_forward)"
	log_test "fini: table inet kvnet gone"
}

setup
tests_run
kv_exit
