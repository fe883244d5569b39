#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 39_vxlan.sh - VXLAN ports: kvnet hosts joined over a UDP underlay, and the kernel's vxlan
#
#   va [02:..:0a 192.0.2.1]            vb [02:..:0b 192.0.2.2]       vc [02:..:0c 192.0.2.3]
#        | tap                              | tap                          | veth
#   ua: kvnetd A, br0 + vxlan:vx0      ub: kvnetd B, br0 + vxlan:vx0 uc: kernel br0 + vxlan vx0
#        vni 100 remote .2,.3               vni 100 remote .1            id 100 remote .1
#        | 10.0.0.1                         | 10.0.0.2                   | 10.0.0.3
#   ul: a kernel bridge, the underlay ---------------------------------------+
#
# A replicates floods to B and C; B and C each know A only. ub also sends hostile datagrams
# to A from the underlay (python sockets): they must be dropped and counted. vxlan_wire.py
# reads the datagrams on the underlay as bytes. For the VLAN <-> VNI map, A also has a
# trunk tap in namespace vt and a second VXLAN port (UDP port 4790) to B's underlay address,
# where nothing listens: the datagrams are read on the wire only.

ALL_TESTS="two_kvnet_hosts kernel_interop on_the_wire port_show over_mtu tcp_across tcp_kernel
	hostile_input mac_moves static_remote ipv6_underlay vlan_vni_map rootless shared_endpoint restart_b
	bad_config"

source "$(dirname "$0")/lib.sh"

MACA=02:00:00:39:00:0a
MACB=02:00:00:39:00:0b
MACC=02:00:00:39:00:0c
MACT=02:00:00:39:00:0d
VNI=100
KV_WIRE=$KV_LIB_DIR/vxlan_wire.py

# kv_underlay NS IFACE TAG ADDR - NS's IFACE, a veth into the underlay bridge (TAG-IFACE
# there), with ADDR/24
kv_underlay() {
	kv_veth "$1" "$2" "$UL" "$3-$2"
	ip -n "$UL" link set "$3-$2" master ulbr || kv_setup_fail "enslave $3-$2"
	ip -n "$1" addr add "$4/24" dev "$2" || kv_setup_fail "addr $4 in $1"
}

setup() {
	UL=$(kv_ns ul)
	UA=$(kv_ns ua)
	UB=$(kv_ns ub)
	UC=$(kv_ns uc)
	VA=$(kv_ns va)
	VB=$(kv_ns vb)
	VC=$(kv_ns vc)
	VT=$(kv_ns vt)
	kv_ns_add "$UL" "$UA" "$UB" "$UC" "$VA" "$VB" "$VC" "$VT"
	ip -n "$UL" link add ulbr type bridge || kv_setup_fail "underlay bridge"
	ip -n "$UL" link set ulbr up
	kv_underlay "$UA" ul0 a 10.0.0.1
	kv_underlay "$UB" ul0 b 10.0.0.2
	kv_underlay "$UC" ul0 c 10.0.0.3
	# a second address on B's underlay: a sender that is no configured remote
	ip -n "$UB" addr add 10.0.0.9/24 dev ul0 || kv_setup_fail "addr 10.0.0.9 in $UB"

	KV_INSTANCE=a kvnetd_start "$UA" || kv_setup_fail "kvnetd A did not start"
	kvnetd_save A
	kv bridge add br0 || kv_setup_fail "bridge add br0 on A"
	kv port add br0 vxlan:vx0 vni $VNI local 10.0.0.1 remote 10.0.0.2,10.0.0.3 ||
		kv_setup_fail "port add vxlan:vx0 on A"
	kv_tap_host br0 ta "$VA" "$MACA" 192.0.2.1/24

	KV_INSTANCE=b kvnetd_start "$UB" || kv_setup_fail "kvnetd B did not start"
	kvnetd_save B
	kv bridge add br0 || kv_setup_fail "bridge add br0 on B"
	kv port add br0 vxlan:vx0 vni $VNI local 10.0.0.2 remote 10.0.0.1 ||
		kv_setup_fail "port add vxlan:vx0 on B"
	kv_tap_host br0 tb "$VB" "$MACB" 192.0.2.2/24

	# host C: the kernel's VXLAN in a Linux bridge
	ip -n "$UC" link add br0 type bridge || kv_setup_fail "bridge in $UC"
	ip -n "$UC" link add vx0 type vxlan id $VNI dstport 4789 local 10.0.0.3 remote 10.0.0.1 ||
		kv_setup_fail "kernel vxlan in $UC"
	ip -n "$UC" link set vx0 master br0 || kv_setup_fail "vx0 into br0 in $UC"
	kv_veth "$UC" tc "$VC" vc0
	ip -n "$UC" link set tc master br0 || kv_setup_fail "tc into br0 in $UC"
	ip -n "$UC" link set vx0 up && ip -n "$UC" link set br0 up || kv_setup_fail "up in $UC"
	ip -n "$VC" link set vc0 address $MACC || kv_setup_fail "MAC of vc0"
	ip -n "$VC" addr add 192.0.2.3/24 dev vc0 || kv_setup_fail "addr in $VC"
	# the kernel's vxlan takes 50 bytes of the underlay's 1500
	ip -n "$VC" link set vc0 mtu 1450

	kvnetd_use A
}

# kv_remote_on BRIDGE MAC - the remote `fdb show BRIDGE` gives for MAC, "none" without one,
# "no entry"
kv_remote_on() {
	kv_q "next((e.get(\"remote\", \"none\") for e in d[\"entries\"]
		if e[\"mac\"] == \"$2\"), \"no entry\")" fdb show "$1"
}

# kv_remote MAC - kv_remote_on br0 MAC
kv_remote() {
	kv_remote_on br0 "$1"
}

two_kvnet_hosts() {
	kv_check_ok "va pings vb across the overlay" kv_ping "$VA" 192.0.2.2 3
	kv_check_ok "vb pings va" kv_ping "$VB" 192.0.2.1 3
	kv_check_eq "A: fdb: $MACB on" vx0 "$(kv_fdb_port br0 $MACB 1)"
	kv_check_eq "A: fdb: remote of $MACB" 10.0.0.2 "$(kv_remote $MACB)"
	kv_check_eq "A: fdb: $MACA on" ta "$(kv_fdb_port br0 $MACA 1)"
	kv_check_eq "A: fdb: no remote for the local $MACA" none "$(kv_remote $MACA)"
	kvnetd_use B
	kv_check_eq "B: fdb: $MACA on" vx0 "$(kv_fdb_port br0 $MACA 1)"
	kv_check_eq "B: fdb: remote of $MACA" 10.0.0.1 "$(kv_remote $MACA)"
	kv_check_ok "B: fdb show prints the remote" sh -c \
		"'$KVNET' --socket '$KV_SOCK' fdb show br0 | grep -E '^$MACA +1 +vx0 .* 10\.0\.0\.1\$'"
	kvnetd_use A
	log_test "two kvnet hosts: ping across; each FDB has the other's MAC behind its remote"
}

kernel_interop() {
	ip -n "$UC" neigh flush dev br0 2>/dev/null
	kv_check_ok "va pings vc (kernel vxlan host)" kv_ping "$VA" 192.0.2.3 3
	kv_check_ok "vc pings va" kv_ping "$VC" 192.0.2.1 3
	kv_check_eq "A: fdb: remote of $MACC" 10.0.0.3 "$(kv_remote $MACC)"
	# the ARP request crossed as a broadcast: vc's neighbour entry for va is va's MAC
	kv_check_eq "vc learned va's MAC by ARP" $MACA \
		"$(ip -n "$VC" neigh show 192.0.2.1 |
			awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
	kv_check_ok "kernel vxlan learned $MACA behind 10.0.0.1" sh -c \
		"bridge -n '$UC' fdb show dev vx0 | grep -q '^$MACA dst 10.0.0.1 '"
	log_test "interop with the kernel's vxlan in a Linux bridge: ping both ways, ARP, learning"
}

# wire_start NAME NS PORT - record the UDP datagrams to PORT arriving on NS's ul0
wire_start() {
	local i
	rm -f "$KV_TMP/wire-$1".*
	ip netns exec "$2" "$KV_PY" "$KV_WIRE" sniff ul0 --port "$3" --out "$KV_TMP/wire-$1.out" \
		--ready-file "$KV_TMP/wire-$1.ready" --stop-file "$KV_TMP/wire-$1.stop" \
		--timeout $((KV_WAIT * 2)) 2>"$KV_TMP/wire-$1.err" &
	WIRE_PID[$1]=$!
	KV_PIDS+=("$!")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -e "$KV_TMP/wire-$1.ready" ] && return 0
		kill -0 "${WIRE_PID[$1]}" 2>/dev/null || break
		sleep 0.05
	done
	kv_fail "sniffer $1 in $2 did not start: $(cat "$KV_TMP/wire-$1.err")"
}

# wire_stop NAME - stop the sniffer; its lines are in $KV_TMP/wire-NAME.out
wire_stop() {
	: >"$KV_TMP/wire-$1.stop"
	wait "${WIRE_PID[$1]}"
	kv_forget "${WIRE_PID[$1]}"
}

# wire_count NAME AWK_COND - lines of sniffer NAME matching AWK_COND ($3 VNI, $4 inner dst...)
wire_count() {
	awk "$2 { n++ } END { print n + 0 }" "$KV_TMP/wire-$1.out"
}

declare -A WIRE_PID=()

on_the_wire() {
	local sent
	wire_start b "$UB" 4789
	wire_start c "$UC" 4789
	# unicast to vb: to B only, once B's MAC is known behind 10.0.0.2
	kv_check_ok "va pings vb" kv_ping "$VA" 192.0.2.2 3
	# a broadcast from va: to each remote, once
	kv_send "$VA" ta --src $MACA --tag wire1
	sent=$(printf 'KVNET wire1' | od -An -tx1 | tr -d ' \n')
	kv_poll_eq "the broadcast at B" 1 wire_count b "\$4 == \"ff:ff:ff:ff:ff:ff\" && \$7 ~ /^$sent/"
	kv_poll_eq "the broadcast at C" 1 wire_count c "\$4 == \"ff:ff:ff:ff:ff:ff\" && \$7 ~ /^$sent/"
	wire_stop b
	wire_stop c
	kv_check_ok "echo requests to vb reached B" \
		test "$(wire_count b "\$4 == \"$MACB\" && \$6 == \"0800\"")" -ge 3
	kv_check_eq "unicast to vb never reached C" 0 "$(wire_count c "\$4 == \"$MACB\"")"
	kv_check_eq "every datagram from A to B has VNI $VNI" 0 \
		"$(wire_count b "\$1 == \"10.0.0.1\" && \$3 != $VNI")"
	kv_check_eq "TOS 0 and TTL 64 (the defaults)" 0 \
		"$(wire_count b "\$1 == \"10.0.0.1\" && (\$8 != 0 || \$9 != 64)")"
	kv_check_eq "UDP source ports from A in 49152..65535" 0 \
		"$(wire_count b "\$1 == \"10.0.0.1\" && (\$2 < 49152 || \$2 > 65535)")"
	log_test "on the wire: unicast to its remote only, broadcast once to each, VNI, source port"
}

port_show() {
	kv_check_eq "port show: type" vxlan "$(kv_port_field vx0 type)"
	kv_check_eq "port show: vxlan.vni" $VNI "$(kv_port_field vx0 vxlan.vni)"
	kv_check_eq "port show: vxlan.remotes" '["10.0.0.2", "10.0.0.3"]' \
		"$(kv_port_field vx0 vxlan.remotes)"
	kv_check_eq "port show: vxlan.dstport" 4789 "$(kv_port_field vx0 vxlan.dstport)"
	kv_check_eq "port show: vxlan.underlay_mtu (ul0's)" 1500 "$(kv_port_field vx0 vxlan.underlay_mtu)"
	log_test "port show describes the VXLAN port"
}

over_mtu() {
	local before
	before=$(kv_stat br0 vx0 vxlan_drops.over-mtu)
	# 1400 bytes of ICMP: 1442 bytes of frame, 1478 with VXLAN over IPv4: it fits
	kv_check_ok "va pings vb with 1400 bytes" \
		ip netns exec "$VA" ping -c 1 -W 10 -M 'do' -s 1400 192.0.2.2
	# 1472 bytes: 1514 of frame, 1550 on the underlay: more than its 1500
	kv_check_fail "va pings vb with 1472 bytes" \
		ip netns exec "$VA" ping -c 1 -W 3 -M 'do' -s 1472 192.0.2.2
	kv_poll_ge "vxlan drop over-mtu" $((before + 1)) kv_stat br0 vx0 vxlan_drops.over-mtu
	kv_check_ok "stats show prints vxlan drop over-mtu" sh -c \
		"'$KVNET' --socket '$KV_SOCK' stats show br0 port vx0 | grep -q 'vxlan drop over-mtu'"
	log_test "a frame that does not fit the underlay MTU is dropped and counted"
}

# tcp_xfer SRV_NS SRV_IP CLI_NS BYTES - CLI_NS sends BYTES over TCP to a server in SRV_NS on
# SRV_IP; succeeds if the server read all of them
tcp_xfer() {
	local rx
	rm -f "$KV_TMP/tcp.ready"
	ip netns exec "$1" timeout "$KV_WAIT" "$KV_PY" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], 5001))
s.listen(1)
open(sys.argv[1], "w").close()
c, _ = s.accept()
n = 0
while True:
    b = c.recv(65536)
    if not b:
        break
    n += len(b)
print(n)
' "$KV_TMP/tcp.ready" "$2" >"$KV_TMP/tcp.out" 2>&1 &
	rx=$!
	KV_PIDS+=("$rx")
	kv_wait_file "$KV_TMP/tcp.ready" "$rx" || {
		echo "TCP server in $1 did not start" >&2
		return 1
	}
	ip netns exec "$3" timeout "$KV_WAIT" "$KV_PY" -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 5001), timeout=20)
s.sendall(b"x" * int(sys.argv[2]))
s.close()
' "$2" "$4"
	wait "$rx"
	kv_forget "$rx"
	[ "$(cat "$KV_TMP/tcp.out")" = "$4" ] || {
		echo "the server read $(cat "$KV_TMP/tcp.out") of $4 bytes" >&2
		return 1
	}
}

tcp_across() {
	local over
	over=$(kv_stat br0 vx0 vxlan_drops.over-mtu)
	# the guests' MTU leaves room for the 50 bytes of VXLAN over IPv4 (the README says so)
	ip -n "$VA" link set ta mtu 1450 && ip -n "$VB" link set tb mtu 1450 ||
		kv_fail "MTU 1450 on the guests"
	kv_check_ok "va sends 8 MiB over TCP to vb" tcp_xfer "$VB" 192.0.2.2 "$VA" $((8 << 20))
	kv_check_eq "no frame over the underlay MTU" "$over" "$(kv_stat br0 vx0 vxlan_drops.over-mtu)"
	# A's UDP_SEGMENT sends arrive as UDP_GRO reads: B writes their segments to tb merged
	kvnetd_use B
	kv_check_ok "B merged the TCP segments it read into GSO frames" \
		test "$(kv_port_field vx0 vxlan.offloads.coalesced)" -gt 0
	kvnetd_use A
	log_test "TCP across the overlay: the taps' TSO frames are segmented to fit"
}

# UDP tunnel GSO: a tap's TSO frames leave in one send with UDP_SEGMENT; the kernel cuts
# them into ordinary datagrams that the kernel's vxlan takes, and the other way
tcp_kernel() {
	local sends fb bad
	ip -n "$VA" link set ta mtu 1450 || kv_fail "MTU 1450 on ta"
	kv_check_eq "port show: vxlan.offloads.udp_gso" true "$(kv_port_field vx0 vxlan.offloads.udp_gso)"
	kv_check_eq "port show: vxlan.offloads.udp_gro" true "$(kv_port_field vx0 vxlan.offloads.udp_gro)"
	# C's guest leaves its TCP checksums to the device (a veth's offload); over a veth the
	# kernel's vxlan hands them on still unfilled, which its own receivers take on trust but
	# a UDP socket cannot learn. A NIC fills them in: so does C's ul0 with its offload off
	ip netns exec "$UC" ethtool -K ul0 tx off >/dev/null ||
		kv_fail "ethtool -K ul0 tx off in $UC"
	sends=$(kv_port_field vx0 vxlan.offloads.gso_sends)
	fb=$(kv_port_field vx0 vxlan.offloads.gso_fallbacks)
	kv_check_ok "va sends 2 MiB over TCP to vc (kernel vxlan)" \
		tcp_xfer "$VC" 192.0.2.3 "$VA" $((2 << 20))
	kv_check_ok "vc sends 2 MiB over TCP to va" tcp_xfer "$VA" 192.0.2.1 "$VC" $((2 << 20))
	kv_check_ok "A sent GSO frames with UDP_SEGMENT" \
		test "$(kv_port_field vx0 vxlan.offloads.gso_sends)" -gt "$sends"
	kv_check_eq "no UDP_SEGMENT send refused" "$fb" "$(kv_port_field vx0 vxlan.offloads.gso_fallbacks)"
	# on the wire: with no UDP segmentation on A's underlay device, the kernel cuts each
	# send into datagrams there, where the sniffer sees them as C does
	ip netns exec "$UA" ethtool -K ul0 tx-udp-segmentation off >/dev/null ||
		kv_fail "ethtool -K ul0 tx-udp-segmentation off in $UA"
	wire_start c "$UC" 4789
	kv_check_ok "va sends 2 MiB over TCP to vc, UDP segmentation off" \
		tcp_xfer "$VC" 192.0.2.3 "$VA" $((2 << 20))
	wire_stop c
	ip netns exec "$UA" ethtool -K ul0 tx-udp-segmentation on >/dev/null
	kv_check_ok "the data crossed in full-sized datagrams from A" \
		test "$(wire_count c "\$1 == \"10.0.0.1\" && \$3 == $VNI && \$10 == 1500")" -ge 500
	bad=$(wire_count c "\$1 == \"10.0.0.1\" && (\$3 != $VNI || \$10 == \"bad\" || \$10 > 1500)")
	kv_check_eq "every datagram from A: VNI $VNI, lengths right, within the MTU" 0 "$bad"
	kv_check_eq "every inner TCP segment from A: checksums right" 0 \
		"$(wire_count c "\$1 == \"10.0.0.1\" && \$11 == \"bad\"")"
	kv_check_ok "inner TCP segments seen and checked" \
		test "$(wire_count c "\$1 == \"10.0.0.1\" && \$11 == \"ok\"")" -ge 500
	kv_check_eq "one source port for the flow" 1 \
		"$(awk '$1 == "10.0.0.1" && $10 == 1500 { print $2 }' "$KV_TMP/wire-c.out" | sort -u | wc -l)"
	log_test "TCP with the kernel's vxlan both ways; UDP_SEGMENT sends make normal datagrams"
}

# kv_udp_send SRC HEX - one datagram from SRC (in ub) to A's 10.0.0.1:4789
kv_udp_send() {
	ip netns exec "$UB" "$KV_PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(bytes.fromhex(sys.argv[2]), ("10.0.0.1", 4789))
' "$1" "$2" || kv_fail "python could not send from $1"
}

hostile_input() {
	local eth hdr_ok hdr_vni hdr_noi rx_before
	# an Ethernet frame to va's MAC, which A would otherwise deliver
	eth=${MACA//:/}020000390099080045000014000000004001000000000000c0000201
	hdr_ok=0800000000006400
	hdr_vni=080000000003e700
	hdr_noi=0000000000006400
	rx_before=$(kv_stat br0 vx0 rx_frames)

	kv_udp_send 10.0.0.9 "$hdr_ok$eth"
	kv_poll_eq "vxlan drop bad-remote" 1 kv_stat br0 vx0 vxlan_drops.bad-remote
	kv_udp_send 10.0.0.2 "$hdr_vni$eth"
	kv_poll_eq "vxlan drop bad-vni" 1 kv_stat br0 vx0 vxlan_drops.bad-vni
	kv_udp_send 10.0.0.2 "$hdr_noi$eth"
	kv_udp_send 10.0.0.2 "0800"
	kv_udp_send 10.0.0.2 "$hdr_ok"
	kv_poll_eq "vxlan drop bad-header (no I flag, 2 bytes, no inner frame)" 3 \
		kv_stat br0 vx0 vxlan_drops.bad-header
	kv_check_eq "rx_frames unchanged" "$rx_before" "$(kv_stat br0 vx0 rx_frames)"
	kv_check_eq "none of them was learned" "no entry" "$(kv_remote 02:00:00:39:00:99)"
	# and the same frame, well formed from a remote, is taken
	kv_udp_send 10.0.0.2 "$hdr_ok$eth"
	kv_poll_eq "a good datagram is learned" 10.0.0.2 kv_remote 02:00:00:39:00:99
	kv_check_ok "kvnetd A still answers" kv version
	kv_check_ok "va still pings vb" kv_ping "$VA" 192.0.2.2
	log_test "wrong remote, wrong VNI, bad headers: dropped and counted, the daemon unharmed"
}

mac_moves() {
	local frame
	frame=$(vxlan_frame $VNI move)
	ip netns exec "$UB" "$KV_PY" "$KV_WIRE" send --src 10.0.0.2 --dst 10.0.0.1 "$frame" ||
		kv_fail "send from B"
	kv_poll_eq "02:00:00:39:00:77 behind B" 10.0.0.2 kv_remote 02:00:00:39:00:77
	# the kernel's vxlan has port 4789 in uc: this one sends from another port, as a
	# kernel sender with its flow hash would
	ip netns exec "$UC" "$KV_PY" "$KV_WIRE" send --src 10.0.0.3 --dst 10.0.0.1 "$frame" ||
		kv_fail "send from C"
	kv_poll_eq "02:00:00:39:00:77 moved behind C" 10.0.0.3 kv_remote 02:00:00:39:00:77
	kv_check_eq "fdb: still on vx0" vx0 "$(kv_fdb_port br0 02:00:00:39:00:77 1)"
	log_test "a MAC that moves from one remote to another is learned at the new one"
}

# vxlan_from SRC MAC TAG - a VXLAN datagram of VNI 100 from SRC (in ub) with an inner
# broadcast from MAC
vxlan_from() {
	ip netns exec "$UB" "$KV_PY" "$KV_WIRE" send --src "$1" --dst 10.0.0.1 \
		"$(vxlan_frame $VNI "$3" | sed "s/020000390077/${2//:/}/")" || kv_fail "send from $1"
}

static_remote() {
	local m=02:00:00:39:00:55 sent rx
	kv_check_ok "fdb add $m port vx0 remote 10.0.0.3" kv fdb add $m port vx0 vlan 1 remote 10.0.0.3
	kv_check_eq "fdb show: its remote" 10.0.0.3 "$(kv_remote $m)"
	kv_check_eq "fdb show: static on vx0" static:vx0 "$(kv_fdb_port br0 $m 1)"
	# B claims it: neither the bridge nor the port moves it
	rx=$(kv_stat br0 vx0 rx_frames)
	vxlan_from 10.0.0.2 $m claim
	kv_poll_ge "B's datagram was read" $((rx + 1)) kv_stat br0 vx0 rx_frames
	kv_hold_eq "still behind 10.0.0.3" 10.0.0.3 2 kv_remote $m
	# a frame to it goes to C only
	wire_start b "$UB" 4789
	wire_start c "$UC" 4789
	kv_send "$VA" ta --src $MACA --dst $m --tag pinned
	sent=$(printf 'KVNET pinned' | od -An -tx1 | tr -d ' \n')
	kv_poll_eq "the frame to $m at C" 1 wire_count c "\$4 == \"$m\" && \$7 ~ /^$sent/"
	wire_stop b
	wire_stop c
	kv_check_eq "the frame to $m never at B" 0 "$(wire_count b "\$4 == \"$m\"")"
	kv_check_run "a remote the port does not have" 1 '' "10.0.0.9 is not one of vxlan port" \
		kv fdb add 02:00:00:39:00:56 port vx0 remote 10.0.0.9
	kv_check_run "remote on a tap" 1 '' "remote is for an entry on a vxlan port" \
		kv fdb add 02:00:00:39:00:56 port ta remote 10.0.0.2
	kv_check_eq "no entry from the refused adds" none "$(kv_fdb_port br0 02:00:00:39:00:56 1)"
	# deleted, it is learned again
	kv_check_ok "fdb del $m" kv fdb del $m bridge br0 vlan 1
	kv_check_eq "fdb: gone" "no entry" "$(kv_remote $m)"
	vxlan_from 10.0.0.2 $m again
	kv_poll_eq "learned behind 10.0.0.2 once deleted" 10.0.0.2 kv_remote $m
	log_test "a static entry names a remote: learning does not move it, unicast goes there"
}

ipv6_underlay() {
	local ns
	for ns in "$UA" "$UB"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.ul0.disable_ipv6=0 ||
			kv_fail "IPv6 on ul0 in $ns"
	done
	ip -n "$UA" addr add fd00:39::1/64 dev ul0 nodad &&
		ip -n "$UB" addr add fd00:39::2/64 dev ul0 nodad ||
		kv_fail "IPv6 addresses on the underlay"
	kvnetd_use B
	kv bridge add br6 >/dev/null || kv_fail "bridge add br6 on B"
	kv_check_ok "B: port add vxlan:v6 over IPv6" kv port add br6 vxlan:v6 vni 600 \
		local fd00:39::2 remote fd00:39::1
	kv_tap_host br6 t6b "$VB" 02:00:00:39:06:0b 198.51.100.2/24
	kvnetd_use A
	kv bridge add br6 >/dev/null || kv_fail "bridge add br6 on A"
	kv_check_ok "A: port add vxlan:v6 over IPv6" kv port add br6 vxlan:v6 vni 600 \
		local fd00:39::1 remote fd00:39::2
	kv_tap_host br6 t6a "$VA" 02:00:00:39:06:0a 198.51.100.1/24
	kv_check_ok "va pings vb over the IPv6 underlay" kv_ping "$VA" 198.51.100.2 3
	kv_check_eq "A: fdb: remote of vb's MAC" fd00:39::2 "$(kv_remote_on br6 02:00:00:39:06:0b)"
	kv_check_eq "A: port show: underlay MTU of ul0" 1500 "$(kv_port_field v6 vxlan.underlay_mtu)"
	log_test "an IPv6 underlay: ping across, the remote shown as an IPv6 address"
}

# vxlan_frame VNI TAG - a VXLAN datagram of VNI: a broadcast from 02:..:77, frames.py's
# payload for TAG
vxlan_frame() {
	local payload
	payload=$(printf 'KVNET %s 0 ' "$2" | od -An -tx1 | tr -d ' \n')
	printf '08000000%06x00ffffffffffff02000039007788b5%s%s' "$1" "$payload" \
		000000000000000000000000000000000000000000000000000000000000
}

vlan_vni_map() {
	kv_check_ok "port add vxlan:vm vlan_vni 10=1010,20=1020" kv port add br0 vxlan:vm \
		vlan_vni 10=1010,20=1020 local 10.0.0.1 remote 10.0.0.2 dstport 4790 tos 40 ttl 9
	kv_check_eq "vm's VLANs: 10 and 20 tagged, out of VLAN 1" "pvid none: 10t 20t" \
		"$(kv_vlans vm)"
	kv_check_eq "port show: vxlan.vlan_vni" '[{"vid": 10, "vni": 1010}, {"vid": 20, "vni": 1020}]' \
		"$(kv_port_field vm vxlan.vlan_vni)"
	kv_tap_host br0 tt "$VT" $MACT
	kv vlan add tt vid 10 >/dev/null && kv vlan add tt vid 20 >/dev/null ||
		kv_fail "vlan add tt vid 10, 20"

	# out: VLAN 10 and 20 of the trunk as VNIs 1010 and 1020, untagged inside
	wire_start m "$UB" 4790
	kv_send "$VT" tt --src $MACT --vlan 10 --tag v10
	kv_send "$VT" tt --src $MACT --vlan 20 --tag v20
	kv_poll_eq "VLAN 10 as VNI 1010, untagged" 1 \
		wire_count m "\$3 == 1010 && \$5 == \"$MACT\" && \$6 == \"88b5\" && \$7 ~ /^$(printf 'KVNET v10' | od -An -tx1 | tr -d ' \n')/"
	kv_poll_eq "VLAN 20 as VNI 1020, untagged" 1 \
		wire_count m "\$3 == 1020 && \$5 == \"$MACT\" && \$6 == \"88b5\" && \$7 ~ /^$(printf 'KVNET v20' | od -An -tx1 | tr -d ' \n')/"
	wire_stop m
	kv_check_eq "nothing else from the trunk on port 4790" 2 "$(wire_count m "\$5 == \"$MACT\"")"
	kv_check_eq "both with TOS 40 and TTL 9" 2 "$(wire_count m "\$8 == 40 && \$9 == 9")"

	# in: VNI 1020 arrives tagged 20 on the trunk, and 1010 tagged 10
	cap_start in20 expect "$VT" tt --src 02:00:00:39:00:77 --vlan 20 --tag in20
	ip netns exec "$UB" "$KV_PY" "$KV_WIRE" send --src 10.0.0.2 --dst 10.0.0.1 --port 4790 \
		"$(vxlan_frame 1020 in20)" || kv_fail "send VNI 1020"
	cap_check_seen "VNI 1020 on the trunk as VLAN 20" in20
	cap_start in10 expect "$VT" tt --src 02:00:00:39:00:77 --vlan 10 --tag in10
	ip netns exec "$UB" "$KV_PY" "$KV_WIRE" send --src 10.0.0.2 --dst 10.0.0.1 --port 4790 \
		"$(vxlan_frame 1010 in10)" || kv_fail "send VNI 1010"
	cap_check_seen "VNI 1010 on the trunk as VLAN 10" in10
	kv_check_eq "fdb: the sender in VLAN 10 behind 10.0.0.2" 10.0.0.2 \
		"$(kv_q "next((e.get(\"remote\", \"none\") for e in d[\"entries\"]
			if e[\"mac\"] == \"02:00:00:39:00:77\" and e[\"vid\"] == 10), \"no entry\")" fdb show br0)"
	log_test "VLAN <-> VNI: VLANs 10 and 20 of a trunk as VNIs 1010 and 1020, both ways"
}

# kvnetd_start_user NS UID - kvnetd in NS as UID, without capabilities, on dirs of its own in
# the temp dir; saved as R
kvnetd_start_user() {
	local ns=$1 uid=$2 d=$KV_TMP/user i
	mkdir -p "$d/run" "$d/state" "$d/home" && chown -R "$uid:$uid" "$d" && chmod 0755 "$KV_TMP" ||
		return 1
	KV_RUN=$d/run KV_STATE=$d/state KV_SOCK=$d/run/kvnetd.sock KV_LOG=$KV_TMP/r-kvnetd.log
	KVNETD_NS=$ns
	ip netns exec "$ns" setpriv --reuid "$uid" --regid "$uid" --clear-groups --inh-caps -all \
		--bounding-set -all env -i PATH=/usr/bin:/bin HOME="$d/home" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		"$KVNETD" --run-dir "$KV_RUN" --state-dir "$KV_STATE" --log-level debug \
		--no-default-network --libvirt off >>"$KV_LOG" 2>&1 &
	KVNETD_PID=$!
	KV_PIDS+=("$KVNETD_PID")
	kvnetd_save R
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv version >/dev/null 2>&1 && return 0
		kill -0 "$KVNETD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

rootless() {
	local uid=61039
	if ! command -v setpriv >/dev/null ||
		! setpriv --reuid $uid --regid $uid --clear-groups test -x "$KVNETD"; then
		echo "NOTE: rootless: not run (no setpriv, or $KVNETD is not reachable by a user)"
		return
	fi
	UR=$(kv_ns ur)
	kv_ns_add "$UR"
	kv_underlay "$UR" ul0 r 10.0.0.4
	if ! kvnetd_start_user "$UR" $uid; then
		kv_fail "kvnetd as uid $uid did not start: $(tail -5 "$KV_TMP/r-kvnetd.log")"
		kvnetd_use A
		log_test "a user's kvnetd (no capabilities) has VXLAN ports on UDP port 4792"
		return
	fi
	kv bridge add br7 >/dev/null || kv_fail "R: bridge add br7"
	kv_check_ok "R: port add vxlan:vr dstport 4792 without privilege" kv port add br7 vxlan:vr \
		vni 700 local 10.0.0.4 remote 10.0.0.1 dstport 4792
	kv_check_eq "R: port show: one source port" false "$(kv_port_field vr vxlan.flow_source_ports)"
	kvnetd_use A
	kv bridge add br7 >/dev/null || kv_fail "A: bridge add br7"
	kv port add br7 vxlan:v7 vni 700 local 10.0.0.1 remote 10.0.0.4 dstport 4792 >/dev/null ||
		kv_fail "A: port add vxlan:v7"
	kv_tap_host br7 t7a "$VA" 02:00:00:39:07:0a 198.18.0.1/24
	# A to R: va's ARP request is learned there
	kv_send "$VA" t7a --src 02:00:00:39:07:0a --arp-request 198.18.0.2 --arp-sender 198.18.0.1
	kvnetd_use R
	kv_poll_eq "R: fdb: va's MAC behind 10.0.0.1" 10.0.0.1 kv_remote_on br7 02:00:00:39:07:0a
	# R to A: its BPDUs, from its bound port
	wire_start r "$UA" 4792
	kv stp br7 on >/dev/null || kv_fail "R: stp br7 on"
	kv_poll_ge "datagrams from R at A" 1 wire_count r "\$1 == \"10.0.0.4\" && \$3 == 700"
	wire_stop r
	kv_check_eq "every datagram from R leaves from port 4792" 0 \
		"$(wire_count r "\$1 == \"10.0.0.4\" && \$2 != 4792")"
	kvnetd_stop_other R
	kvnetd_use A
	log_test "a user's kvnetd (no capabilities) has VXLAN ports on UDP port 4792"
}

shared_endpoint() {
	local h bad_vni
	for h in B A; do
		kvnetd_use $h
		kv bridge add br8 >/dev/null || kv_fail "$h: bridge add br8"
	done
	kvnetd_use B
	kv_check_ok "B: vxlan:v8 vni 800 on vx0's 10.0.0.2:4789" kv port add br8 vxlan:v8 vni 800 \
		local 10.0.0.2 remote 10.0.0.1
	kv_tap_host br8 t8b "$VB" 02:00:00:39:08:0b 203.0.113.2/24
	kvnetd_use A
	kv_check_ok "A: vxlan:v8 vni 800 on vx0's 10.0.0.1:4789" kv port add br8 vxlan:v8 vni 800 \
		local 10.0.0.1 remote 10.0.0.2
	kv_tap_host br8 t8a "$VA" 02:00:00:39:08:0a 203.0.113.1/24
	bad_vni=$(kv_stat br0 vx0 vxlan_drops.bad-vni)
	kv_check_ok "va pings vb in VNI 800" kv_ping "$VA" 203.0.113.2 3
	kv_check_ok "va still pings vb in VNI 100" kv_ping "$VA" 192.0.2.2 3
	kv_check_eq "A: fdb br8: vb's MAC on v8" v8 "$(kv_fdb_port br8 02:00:00:39:08:0b 1)"
	kv_check_eq "A: fdb br0: vb's MAC of br8 is not on br0" none \
		"$(kv_fdb_port br0 02:00:00:39:08:0b 1)"
	kv_check_eq "A: no more VNI drops on vx0" "$bad_vni" "$(kv_stat br0 vx0 vxlan_drops.bad-vni)"
	# the endpoint stays while a port uses it
	kv_check_ok "A: port del v8" kv port del v8
	kv_check_ok "va still pings vb in VNI 100" kv_ping "$VA" 192.0.2.2
	kv_check_ok "A: vxlan:v8 again" kv port add br8 vxlan:v8 vni 800 local 10.0.0.1 \
		remote 10.0.0.2
	kv_check_ok "va pings vb in VNI 800 again" kv_ping "$VA" 203.0.113.2 3
	log_test "two VXLAN ports of two bridges share one endpoint, kept apart by VNI"
}

restart_b() {
	kvnetd_use B
	kv_check_ok "B: fdb add a static entry naming a remote" \
		kv fdb add 02:00:00:39:00:66 port vx0 vlan 1 remote 10.0.0.1
	kv_check_ok "B: stop" kvnetd_stop
	KV_INSTANCE=b kvnetd_start "$UB" || kv_fail "kvnetd B did not start again"
	kvnetd_save B
	kv_check_eq "B: vx0 again, VNI $VNI" $VNI "$(kv_port_field vx0 vxlan.vni)"
	kv_check_eq "B: its remotes" '["10.0.0.1"]' "$(kv_port_field vx0 vxlan.remotes)"
	kv_check_eq "B: v8 again, on the shared endpoint" 800 "$(kv_port_field v8 vxlan.vni)"
	kv_check_eq "B: the static entry's remote" 10.0.0.1 "$(kv_remote 02:00:00:39:00:66)"
	# the taps are made again too, new: vb's side of them is set up again
	ip -n "$VB" link set tb address $MACB && ip -n "$VB" link set tb up &&
		ip -n "$VB" addr add 192.0.2.2/24 dev tb && ip -n "$VB" link set tb mtu 1450 &&
		ip -n "$VB" link set t8b address 02:00:00:39:08:0b && ip -n "$VB" link set t8b up &&
		ip -n "$VB" addr add 203.0.113.2/24 dev t8b || kv_fail "vb's taps after the restart"
	kvnetd_use A
	kv_check_ok "va pings vb after B's restart" kv_ping "$VA" 192.0.2.2 3
	kv_check_ok "and in VNI 800" kv_ping "$VA" 203.0.113.2 3
	log_test "a restarted kvnetd makes its VXLAN ports again from its store"
}

bad_config() {
	kv_check_run "no vni" 1 '' "needs vni \(or vlan_vni\), local and remote" \
		kv port add br0 vxlan:vx1 local 10.0.0.1 remote 10.0.0.2 dstport 4790
	kv_check_run "a bad remote" 1 '' "remote 'x' is not a list" \
		kv port add br0 vxlan:vx1 vni 1 local 10.0.0.1 remote x dstport 4790
	kv_check_run "mixed families" 1 '' "not of the local address's family" \
		kv port add br0 vxlan:vx1 vni 1 local 10.0.0.1 remote ::1 dstport 4790
	kv_check_run "a VNI taken on the endpoint" 1 '' "VNI 100 is vxlan port 'vx0''s on the same" \
		kv port add br0 vxlan:vx1 vni 100 local 10.0.0.1 remote 10.0.0.2
	kv_check_run "another TTL on the endpoint" 1 '' "ttl 9 tos 0, but the ports on the same" \
		kv port add br0 vxlan:vx1 vni 1 local 10.0.0.1 remote 10.0.0.2 ttl 9
	kv_check_run "a local address not on the host" 1 '' "not on this host" \
		kv port add br0 vxlan:vx1 vni 1 local 10.9.9.9 remote 10.0.0.2
	kv_check_run "a bad vlan_vni" 1 '' "vlan_vni '10:1010' is not a list of VLAN=VNI" \
		kv port add br0 vxlan:vx1 vlan_vni 10:1010 local 10.0.0.1 remote 10.0.0.2
	kv_check_run "vlan_vni naming the port's VNI" 1 '' "VNI 7 is the port's own" \
		kv port add br0 vxlan:vx1 vni 7 vlan_vni 10=7 local 10.0.0.1 remote 10.0.0.2 \
		dstport 4791
	kv_check_run "vni on a tap" 1 '' "vni is for vxlan ports" kv port add br0 t9 vni 5
	kv_check_run "vni out of range (a usage error)" 2 '' "vni '16777216' is out of range" \
		kv port add br0 vxlan:vx1 vni 16777216 local 10.0.0.1 remote 10.0.0.2
	kv_check_eq "no port vx1" "no port vx1" "$(kv_port_field vx1 type)"
	log_test "bad VXLAN settings are refused with a message naming them"
}

# kvnetd_stop_other NAME - stop the kvnetd saved as NAME (kv_exit stops A) with kv_exit's
# checks, recorded in the current test
kvnetd_stop_other() {
	kvnetd_use "$1"
	kvnetd_stop || kv_fail "kvnetd $1 did not exit within $KV_WAIT s of SIGTERM"
	if kv_sanitizer_report >/dev/null; then
		kv_fail "sanitizer report in kvnetd $1's log: $(kv_sanitizer_report | head -20)"
	fi
}

stop_b() {
	RET=0
	kvnetd_stop_other B
	log_test "kvnetd B exits on SIGTERM without a sanitizer report"
	kvnetd_use A
}

kv_require
command -v bridge >/dev/null || kv_skip "bridge (iproute2) is not installed"
setup
tests_run
stop_b
kv_exit
