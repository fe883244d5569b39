#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 46_bandwidth.sh - <bandwidth> enforced by kvnet's switch: iperf3 TCP through a limited port
# measures the limit (within 10 %), an unlimited port on the same switch is not limited, a
# portgroup's limit applies to a port without its own, the port's own wins, and a network's
# limits its host port
#
#   kvnetd in ns sw: isolated network n39 (switch kvb39, host port 192.168.139.1/24)
#     <bandwidth> inbound/outbound average 2500 (20 Mbit/s): the host port
#     portgroup slow: <bandwidth> inbound/outbound average 1875 (15 Mbit/s)
#   srv [vs in ns srv, .10]  no <bandwidth>: the iperf3 server of the VM-to-VM runs
#   vm1 [v1 in ns vm1, .11]  <inbound average='1250'/><outbound average='1250'/> (10 Mbit/s)
#   vm2 [v2 in ns vm2, .12]  no <bandwidth>, no portgroup: unlimited
#   vm3 [v3 in ns vm3, .13]  net-port-create, group slow, no <bandwidth>: the portgroup's
#   vm4 [v4 in ns vm4, .14]  portgroup slow and its own <outbound average='1250'/>: its own
#                            (the whole element: no inbound limit, as libvirt)
#   vms [stream socket, qsock.py as its QEMU]  <inbound average='1'/><outbound average='1'/>:
#       frames counted, not timed (a bucket never holds less than the largest frame, 65553
#       bytes, so 1092 of qsock.py's 60-byte frames at once)
#
# Units are libvirt's (tc's): average in kilobytes (1000 bytes) per second, so 1250 is
# 10 Mbit/s. The limit counts whole Ethernet frames; iperf3 counts TCP payload (about 95 % of
# them at MTU 1500), which the 10 % allowed covers. Each run omits its first 2 s (-O 2): a
# bucket starts full, with one second's worth (libvirt's burst when none is given).

ALL_TESTS="shaping_shown vm_outbound vm_inbound unlimited portgroup_limit own_over_portgroup
	network_host_port counters socket_port portgroup_update refusals"

source "$(dirname "$0")/lib.sh"

NET=n39
SUB=192.168.139
IPERF_T=${KV_IPERF_T:-8}
MAC_SRV=52:54:00:39:00:10
MAC1=52:54:00:39:00:11
MAC2=52:54:00:39:00:12
MAC3=52:54:00:39:00:13
MAC4=52:54:00:39:00:14
MACS=52:54:00:39:00:15
QSOCK=$(dirname "$0")/qsock.py

# vm_attach DOMAIN MAC NS IFACE OCTET [EXTRA] - attach-interface on n39 (EXTRA: more children,
# e.g. <bandwidth> or the <source>'s portgroup is given as PG=), tap IFACE into NS, up, with
# address $SUB.OCTET/24
vm_attach() {
	local dom=$1 mac=$2 ns=$3 ifc=$4 octet=$5 extra=${6:-} src out
	src="<source network='$NET'/>"
	[ -n "${PG:-}" ] && src="<source network='$NET' portgroup='$PG'/>"
	cat >"$KV_TMP/vm-$dom.xml" <<-XML
		<interface type='network'>
		  $src
		  <mac address='$mac'/>
		  <target dev='$ifc'/>
		  $extra
		</interface>
	XML
	out=$(kv attach-interface "$dom" "$KV_TMP/vm-$dom.xml" --netns "$ns" 2>&1) ||
		kv_setup_fail "attach-interface $dom: $out"
	vm_up "$ns" "$ifc" "$octet"
}

# vm_up NS IFACE OCTET - IFACE up in NS with $SUB.OCTET/24
vm_up() {
	ip -n "$1" link set "$2" up || kv_setup_fail "$2 up in $1"
	ip -n "$1" addr add "$SUB.$3/24" dev "$2" || kv_setup_fail "address on $2 in $1"
}

# iperf_server NS ADDR - an iperf3 server in NS on ADDR:5201, ended (by PID) at clean-up
iperf_server() {
	local i pid
	ip netns exec "$1" iperf3 -s -B "$2" -p 5201 >>"$KV_TMP/iperf3-server-$1.log" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		ip netns exec "$1" ss -ltnH "sport = :5201" 2>/dev/null | grep -q . && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kv_setup_fail "iperf3 server on $2 in $1 did not start: $(cat "$KV_TMP/iperf3-server-$1.log")"
}

# rate NS SERVER [-R] - iperf3 TCP from NS to SERVER (with -R, SERVER to NS) for IPERF_T s
# after 2 s omitted: Mbit/s as the receiver counted them; non-zero with a message on failure
rate() {
	local ns=$1 srv=$2 out
	shift 2
	out=$(timeout -k 2 $((IPERF_T + 30)) ip netns exec "$ns" iperf3 -c "$srv" -p 5201 \
		-t "$IPERF_T" -O 2 -J "$@" 2>&1) || {
		echo "iperf3 from $ns to $srv $* failed: $(tail -c 400 <<<"$out" | tr '\n' ' ')"
		return 1
	}
	"$KV_PY" -c '
import json, sys
print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
' <<<"$out"
}

# check_near WHAT MBIT SEEN - SEEN (Mbit/s, or an error) is within 10 % of MBIT
check_near() {
	if ! awk -v s="$3" -v l="$2" 'BEGIN { exit !(s ~ /^[0-9.]+$/ && s >= l * 0.9 && s <= l * 1.1) }'; then
		kv_fail "$1: expected $2 Mbit/s within 10 %, measured '$3'"
		return 1
	fi
	echo "	$1: $3 Mbit/s (limit $2)"
}

# check_above WHAT MBIT SEEN - SEEN (Mbit/s) is at least MBIT
check_above() {
	if ! awk -v s="$3" -v l="$2" 'BEGIN { exit !(s ~ /^[0-9.]+$/ && s >= l) }'; then
		kv_fail "$1: expected at least $2 Mbit/s, measured '$3'"
		return 1
	fi
	echo "	$1: $3 Mbit/s"
}

setup() {
	local out pg_bw="<bandwidth><inbound average='1875'/><outbound average='1875'/></bandwidth>"
	command -v iperf3 >/dev/null || kv_skip "iperf3 is not installed"
	command -v ss >/dev/null || kv_skip "ss (iproute2) is not installed"
	SW=$(kv_ns sw)
	SRV=$(kv_ns srv)
	VM1=$(kv_ns vm1)
	VM2=$(kv_ns vm2)
	VM3=$(kv_ns vm3)
	VM4=$(kv_ns vm4)
	kv_ns_add "$SW" "$SRV" "$VM1" "$VM2" "$VM3" "$VM4"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml $NET kvb39 139 "" \
		"<bandwidth><inbound average='2500'/><outbound average='2500'/></bandwidth>
		<portgroup name='slow'>$pg_bw</portgroup>")" $NET
	vm_attach srv $MAC_SRV "$SRV" vs 10
	vm_attach vm1 $MAC1 "$VM1" v1 11 \
		"<bandwidth><inbound average='1250'/><outbound average='1250'/></bandwidth>"
	vm_attach vm2 $MAC2 "$VM2" v2 12
	cat >"$KV_TMP/p3.xml" <<-EOF
		<networkport>
		  <owner>
		    <name>vm3</name>
		    <uuid>39393939-0000-4000-8000-000000000003</uuid>
		  </owner>
		  <group>slow</group>
		  <mac address='$MAC3'/>
		</networkport>
	EOF
	out=$(kv net-port-create $NET "$KV_TMP/p3.xml" --netns "$VM3" --name v3 2>&1) ||
		kv_setup_fail "net-port-create vm3: $out"
	vm_up "$VM3" v3 13
	PG=slow vm_attach vm4 $MAC4 "$VM4" v4 14 "<bandwidth><outbound average='1250'/></bandwidth>"
	iperf_server "$SRV" $SUB.10
	iperf_server "$SW" $SUB.1
	kv_ping "$VM2" $SUB.10 >/dev/null || kv_setup_fail "vm2 cannot ping srv"
}

# shaping PORT DIR - the rate (bytes/s) of PORT's limit in DIR (rx, tx) from port show, or null
shaping() {
	kv_q "next(((p[\"shaping\"][\"$2\"] or {}).get(\"rate\") for p in d[\"ports\"]
		if p[\"name\"] == \"$1\"), \"no port $1\")" port show
}

shaping_shown() {
	local uuid
	kv_check_eq "vm1's outbound: what the switch takes from v1" 1250000 "$(shaping v1 rx)"
	kv_check_eq "vm1's inbound: what the switch sends out of v1" 1250000 "$(shaping v1 tx)"
	kv_check_eq "vm2 has no limit (rx)" null "$(shaping v2 rx)"
	kv_check_eq "vm2 has no limit (tx)" null "$(shaping v2 tx)"
	kv_check_eq "vm3: the portgroup's outbound" 1875000 "$(shaping v3 rx)"
	kv_check_eq "vm3: the portgroup's inbound" 1875000 "$(shaping v3 tx)"
	kv_check_eq "vm4 is in portgroup slow" slow \
		"$(kv_q 'd["interfaces"][0]["portgroup"]' domain-interfaces vm4)"
	kv_check_eq "vm4: its own outbound, not the portgroup's" 1250000 "$(shaping v4 rx)"
	kv_check_eq "vm4: its own <bandwidth> has no inbound: none" null "$(shaping v4 tx)"
	kv_check_eq "host port: the network's inbound (into the network)" 2500000 \
		"$(shaping kvb39 rx)"
	kv_check_eq "host port: the network's outbound" 2500000 "$(shaping kvb39 tx)"
	kv_check_eq "the burst of vm1's: libvirt's default, average kilobytes (KiB)" \
		$((1250 * 1024)) \
		"$(kv_q 'next(p["shaping"]["rx"]["burst"] for p in d["ports"] if p["name"] == "v1")' \
			port show)"
	kv_check_run "port show (text)" 0 "rx:1250kB/s tx:1250kB/s" '^$' kv port show kvb39
	uuid=$(kv_q "next(p[\"uuid\"] for p in d[\"ports\"] if p[\"mac\"] == \"$MAC3\")" \
		net-port-list $NET)
	kv_check_run "net-port-dumpxml vm3: the portgroup's <bandwidth> in effect" 0 \
		"<inbound average='1875'/>" '^$' kv net-port-dumpxml $NET "$uuid"
	kv_check_ok "and its outbound" grep -qF "<outbound average='1875'/>" <<<"$KV_OUT"
	log_test "port show and net-port-dumpxml: the limits in force, by libvirt's precedence"
}

vm_outbound() {
	check_near "vm1 -> srv (vm1's outbound)" 10 "$(rate "$VM1" $SUB.10)"
	log_test "outbound average 1250 kB/s: vm1 sends at 10 Mbit/s"
}

vm_inbound() {
	check_near "srv -> vm1 (vm1's inbound)" 10 "$(rate "$VM1" $SUB.10 -R)"
	log_test "inbound average 1250 kB/s: vm1 receives at 10 Mbit/s"
}

unlimited() {
	check_above "vm2 -> srv (no <bandwidth>)" 100 "$(rate "$VM2" $SUB.10)"
	check_above "srv -> vm2 (no <bandwidth>)" 100 "$(rate "$VM2" $SUB.10 -R)"
	log_test "a port without <bandwidth> on the same switch: well above the limits"
}

portgroup_limit() {
	check_near "vm3 -> srv (portgroup slow's outbound)" 15 "$(rate "$VM3" $SUB.10)"
	check_near "srv -> vm3 (portgroup slow's inbound)" 15 "$(rate "$VM3" $SUB.10 -R)"
	log_test "a port in portgroup slow without its own <bandwidth>: 15 Mbit/s"
}

own_over_portgroup() {
	check_near "vm4 -> srv (its own outbound over the portgroup's)" 10 "$(rate "$VM4" $SUB.10)"
	check_above "srv -> vm4 (its own <bandwidth> has no inbound)" 100 \
		"$(rate "$VM4" $SUB.10 -R)"
	log_test "the interface's own <bandwidth> wins over its portgroup's, as a whole"
}

network_host_port() {
	check_near "vm2 -> host port (the network's outbound)" 20 "$(rate "$VM2" $SUB.1)"
	check_near "host port -> vm2 (the network's inbound)" 20 "$(rate "$VM2" $SUB.1 -R)"
	log_test "the network's <bandwidth> on its host port: 20 Mbit/s to and from the host"
}

counters() {
	local n
	n=$(kv_stat kvb39 v1 drops.shaped-rx)
	kv_check_ok "v1's shaped-rx counts the drops of its outbound limit ($n)" \
		test "${n:-0}" -gt 0 2>/dev/null
	n=$(kv_stat kvb39 v1 drops.shaped-tx)
	kv_check_ok "v1's shaped-tx counts the drops of its inbound limit ($n)" \
		test "${n:-0}" -gt 0 2>/dev/null
	kv_check_eq "v2 (unlimited): shaped-rx" 0 "$(kv_stat kvb39 v2 drops.shaped-rx)"
	kv_check_eq "v2 (unlimited): shaped-tx" 0 "$(kv_stat kvb39 v2 drops.shaped-tx)"
	kv_check_run "stats show (text) names the counter" 0 "drop shaped-rx" '^$' \
		kv stats show kvb39 port v1
	log_test "stats: frames over a limit are counted as drops shaped-rx and shaped-tx"
}

# in_range WHAT MIN MAX SEEN - SEEN is a number from MIN to MAX
in_range() {
	if ! [[ "$4" =~ ^[0-9]+$ ]] || [ "$4" -lt "$2" ] || [ "$4" -gt "$3" ]; then
		kv_fail "$1: expected $2 to $3, seen '$4'"
		return 1
	fi
}

# handled PORT - frames PORT was given to send: tx_frames + drops.shaped-tx
handled() {
	kv_q '"%d" % (d["ports"][0]["tx_frames"] + d["ports"][0]["drops"]["shaped-tx"])' \
		stats show kvb39 port "$1"
}

# a QEMU stream socket: the same limits, frames counted. 3000 frames of 60 bytes at once,
# each way: a bucket of 65553 bytes passes 1092 of them (and 60 more a second)
socket_port() {
	local out sock shaped
	cat >"$KV_TMP/vms.xml" <<-EOF
		<interface type='network'>
		  <source network='$NET'/>
		  <mac address='$MACS'/>
		  <target dev='vms'/>
		  <bandwidth><inbound average='1'/><outbound average='1'/></bandwidth>
		</interface>
	EOF
	out=$(kv attach-interface vms "$KV_TMP/vms.xml" --backend stream 2>&1) ||
		kv_fail "attach-interface vms --backend stream: $out"
	sock=$(kv_q 'd["interfaces"][0]["socket"]' domain-interfaces vms)
	ip netns exec "$SW" "$KV_PY" "$QSOCK" peer stream "$sock" --src $MACS --send 3000 \
		--one-write --tag out --expect 3000 --from $MAC2 --log-frames --timeout 60 \
		>"$KV_TMP/peer-vms.out" 2>"$KV_TMP/peer-vms.err" &
	KV_PIDS+=("$!")
	kv_poll_ge "vms received qsock.py's 3000 frames" 3000 kv_stat kvb39 vms rx_frames
	shaped=$(kv_stat kvb39 vms drops.shaped-rx)
	in_range "vms's outbound: frames dropped as shaped-rx" 1800 1908 "$shaped"
	kv_send "$VM2" v2 --src $MAC2 --count 3000 --tag in
	kv_poll_ge "the switch handled vm2's 3000 frames for vms" 3000 handled vms
	shaped=$(kv_stat kvb39 vms drops.shaped-tx)
	in_range "vms's inbound: frames dropped as shaped-tx" 1800 1908 "$shaped"
	kv_poll_ge "vms's QEMU got the rest of vm2's frames" $((3000 - shaped)) \
		grep -c '^frame KVNET in ' "$KV_TMP/peer-vms.out"
	log_test "a stream socket port (QEMU's -netdev stream) is limited both ways too"
}

# net-update of portgroup slow: its ports without their own <bandwidth> follow at once
portgroup_update() {
	kv_check_run "net-update modify portgroup slow --live" 0 "" '^$' \
		kv net-update $NET modify portgroup \
		"<portgroup name='slow'><bandwidth><outbound average='2500'/></bandwidth></portgroup>" \
		--live
	kv_check_eq "vm3: the portgroup's new outbound" 2500000 "$(shaping v3 rx)"
	kv_check_eq "vm3: the portgroup has no inbound now" null "$(shaping v3 tx)"
	kv_check_eq "vm4 keeps its own outbound" 1250000 "$(shaping v4 rx)"
	kv_check_eq "vm4 still has no inbound limit" null "$(shaping v4 tx)"
	kv_check_eq "vm1 (no portgroup) keeps its own" 1250000 "$(shaping v1 rx)"
	kv_check_run "net-update: a portgroup without <bandwidth>" 0 "" '^$' \
		kv net-update $NET modify portgroup "<portgroup name='slow'/>" --live
	kv_check_eq "vm3: no limit left" null "$(shaping v3 rx)"
	kv_check_eq "vm4 keeps its own outbound" 1250000 "$(shaping v4 rx)"
	log_test "net-update of a portgroup's <bandwidth>: its ports follow, own limits stay"
}

refusals() {
	cat >"$KV_TMP/floor.xml" <<-EOF
		<interface type='network'>
		  <source network='$NET'/>
		  <mac address='52:54:00:39:00:77'/>
		  <bandwidth><inbound average='100' floor='50'/></bandwidth>
		</interface>
	EOF
	kv_check_run "a floor is refused when the port is made" 1 '^$' \
		"floor='50'.*not supported by kvnet.*remove the floor" \
		kv attach-interface vm7 "$KV_TMP/floor.xml"
	kv_check_eq "and no port was made" none \
		"$(kv_q "next((p[\"name\"] for p in d[\"ports\"] if p[\"mac\"] == \"52:54:00:39:00:77\"), \"none\")" \
			net-port-list $NET)"
	kv_check_run "a bad rate names the attribute and what was expected" 1 '^$' \
		"<outbound>.*attribute 'average': expected a number from 1 to 4294967295, got '10M'" \
		kv attach-interface vm7 <(echo "<interface type='network'><source network='$NET'/>
			<bandwidth><outbound average='10M'/></bandwidth></interface>")
	cat >"$KV_TMP/nbr.xml" <<-EOF
		<network>
		  <name>n39b</name>
		  <forward mode='bridge'/>
		  <bridge name='kvb39b'/>
		  <bandwidth><inbound average='100'/></bandwidth>
		</network>
	EOF
	kv_check_run "a bridge-mode network's own <bandwidth> is refused, as libvirt does" 1 '^$' \
		"<bandwidth>: not supported with forward mode 'bridge'.*portgroup" \
		kv net-define "$KV_TMP/nbr.xml"
	kv_check_eq "kvnetd still answers" $NET "$(kv_net_names)"
	log_test "refused: a floor, a bad rate, a bridge-mode network's <bandwidth>"
}

kv_require
setup
tests_run
kv_exit
