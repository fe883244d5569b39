#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10_port_backends.sh - the tap and AF_PACKET port back-ends and the rtnetlink helpers,
# checked against the kernel in two network namespaces of our own
#
# usage: 10_port_backends.sh [PATH/TO/port_check]
#        (default: $PORT_CHECK, else $KVNET_BUILD/tests/tools/port_check)
#
# port_check (tests/tools/port_check.c) runs in namespace A and holds the port
# under test; the far side runs in namespace B: a packet socket in Python,
# frames made by scapy, or B's own IP stack. Tagged frames are checked as raw
# bytes, the kernel here has no 8021q. No kvnetd runs: the back-ends are driven
# directly. Exit 0 if every check passed, 1 if one failed, 77 if a prerequisite
# is missing (and which is said).

# shellcheck disable=SC2317 # the tests are called through $ALL_TESTS
ALL_TESTS="
	errors
	tap_frames
	tap_gso
	tap_kernel_offload
	dev_frames
	dev_down
	dev_gone
	tap_gone
"

source "$(dirname "$0")/lib.sh"

PORT_CHECK=${1:-${PORT_CHECK:-$KVNET_BUILD/tests/tools/port_check}}
TAP=kvptap0
VETH_A=kvpva
VETH_B=kvpvb
FRAMES=()
CHECK_PID=

# a sanitizer finding, a leak included, fails port_check and so the test
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1

indent() {
	sed 's/^/    /' "$@"
}

# start_check READY ARGS... - port_check ARGS in namespace A, in the background (ended at
# clean-up), until it creates READY. Return: 0, or 1 if it ended or took too long.
start_check() {
	local ready=$1
	shift
	rm -f "$ready"
	ip netns exec "$NS_A" timeout 60 "$PORT_CHECK" "$@" >"$KV_TMP/check.out" 2>&1 &
	CHECK_PID=$!
	KV_PIDS+=("$CHECK_PID")
	kv_wait_file "$ready" "$CHECK_PID" && return 0
	kv_fail "port_check $1 did not get ready within $KV_WAIT s"
	return 1
}

# finish_check - wait for port_check, show what it said. Return: its exit status
finish_check() {
	local rc
	wait "$CHECK_PID"
	rc=$?
	kv_forget "$CHECK_PID"
	indent "$KV_TMP/check.out"
	[ "$rc" -eq 0 ] || kv_fail "port_check failed (exit $rc): its FAIL lines are above"
	return "$rc"
}

# run_in NS OUT CMD... - CMD in namespace NS, output to OUT. In the background and waited
# for, so that a signal to the script interrupts the wait and clean-up ends the child.
# Return: CMD's exit status
run_in() {
	local ns=$1 out=$2 pid rc
	shift 2
	ip netns exec "$ns" timeout 60 "$@" >"$out" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	return "$rc"
}

# in_b CMD... - run CMD in namespace B, its output indented; a failure fails the test
in_b() {
	local rc
	run_in "$NS_B" "$KV_TMP/peer.out" "$@"
	rc=$?
	indent "$KV_TMP/peer.out"
	[ "$rc" -eq 0 ] || kv_fail "the peer in $NS_B failed (exit $rc): its FAIL lines are above"
	return "$rc"
}

# frame_paths DIR NAME... - the frame files, into the array FRAMES
frame_paths() {
	local dir=$1
	shift
	FRAMES=("${@/#/$KV_TMP/frames/$dir-}")
}

setup() {
	NS_A=$(kv_ns a)
	NS_B=$(kv_ns b)
	kv_ns_add "$NS_A" "$NS_B"
	kv_veth "$NS_A" "$VETH_A" "$NS_B" "$VETH_B"

	cat >"$KV_TMP/gen.py" <<'PYEOF'
# Writes the test frames: a 10-byte little-endian virtio-net header, then the frame.
import struct, sys
from scapy.all import Ether, Dot1Q, Dot1AD, IP, IPv6, UDP, TCP, Raw

out = sys.argv[1]
NEEDS_CSUM, TCPV4, TCPV6 = 1, 1, 4

def pattern(n, seed):
    return bytes((i * 7 + seed) & 0xff for i in range(n))

def write(name, pkt, flags=0, gso_type=0, hdr_len=0, gso_size=0, csum_start=0, csum_offset=0):
    with open(f"{out}/{name}", "wb") as f:
        f.write(struct.pack("<BBHHHH", flags, gso_type, hdr_len, gso_size, csum_start,
                            csum_offset))
        f.write(bytes(pkt))

A, B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
EXP = 0x88b5  # IEEE local experimental EtherType
# towards the peer (written by tx_burst) and from the peer (read by rx_burst)
for d, (src, dst, seed) in {"tx": (A, B, 1), "rx": (B, A, 101)}.items():
    write(f"{d}-untag", Ether(src=src, dst=dst, type=EXP) / Raw(pattern(100, seed)))
    write(f"{d}-small", Ether(src=src, dst=dst, type=EXP) / Raw(pattern(46, seed + 1)))
    write(f"{d}-tag", Ether(src=src, dst=dst) / Dot1Q(prio=5, vlan=42, type=EXP) /
          Raw(pattern(200, seed + 2)))
    write(f"{d}-prio", Ether(src=src, dst=dst) / Dot1Q(prio=3, vlan=0, type=EXP) /
          Raw(pattern(64, seed + 3)))
    write(f"{d}-qinq", Ether(src=src, dst=dst) / Dot1AD(vlan=100) / Dot1Q(vlan=42, type=EXP) /
          Raw(pattern(80, seed + 4)))
    write(f"{d}-bcast", Ether(src=src, dst="ff:ff:ff:ff:ff:ff", type=EXP) /
          Raw(pattern(1486, seed + 5)))
    # checksum left to the receiver: csum_start counts the tag
    write(f"{d}-tag-csum", Ether(src=src, dst=dst) / Dot1Q(vlan=42) /
          IP(src="10.1.0.1", dst="10.1.0.2") / UDP(sport=1000 + seed, dport=7, chksum=0) /
          Raw(pattern(300, seed + 6)), flags=NEEDS_CSUM, csum_start=38, csum_offset=6)
    # GSO frames of about 64 KiB
    write(f"{d}-gso4", Ether(src=src, dst=dst) / IP(src="10.1.0.1", dst="10.1.0.2") /
          TCP(sport=2000 + seed, dport=80, flags="PA", chksum=0) / Raw(pattern(65000, seed + 7)),
          flags=NEEDS_CSUM, gso_type=TCPV4, hdr_len=54, gso_size=1448, csum_start=34,
          csum_offset=16)
    write(f"{d}-gso6", Ether(src=src, dst=dst) / IPv6(src="fd00::1", dst="fd00::2") /
          TCP(sport=3000 + seed, dport=80, flags="PA", chksum=0) / Raw(pattern(60000, seed + 8)),
          flags=NEEDS_CSUM, gso_type=TCPV6, hdr_len=74, gso_size=1428, csum_start=54,
          csum_offset=16)
    write(f"{d}-tag-gso4", Ether(src=src, dst=dst) / Dot1Q(vlan=42) /
          IP(src="10.1.0.1", dst="10.1.0.2") / TCP(sport=4000 + seed, dport=80, flags="PA",
          chksum=0) / Raw(pattern(30000, seed + 9)), flags=NEEDS_CSUM, gso_type=TCPV4,
          hdr_len=58, gso_size=1448, csum_start=38, csum_offset=16)
PYEOF
	cat >"$KV_TMP/peer.py" <<'PYEOF'
# The far side, in a namespace: a packet socket on IFNAME that waits for every
# --expect frame (tags put back from PACKET_AUXDATA, offload metadata from
# PACKET_VNET_HDR) and then sends every --send frame with its virtio-net header.
import os, select, socket, struct, sys, time

SOL_PACKET, PACKET_AUXDATA, PACKET_VNET_HDR = 263, 8, 15
ETH_P_ALL, PACKET_OUTGOING = 3, 4
TP_STATUS_VLAN_VALID, TP_STATUS_VLAN_TPID_VALID = 1 << 4, 1 << 6
AUX = struct.Struct("=IIIHHHH")
VNET_NATIVE, VNET_FILE = struct.Struct("=BBHHHH"), struct.Struct("<BBHHHH")

def load(path):
    b = open(path, "rb").read()
    return os.path.basename(path), VNET_FILE.unpack(b[:10]), b[10:]

def same_meta(got, want):
    # flags, gso_type, hdr_len, gso_size, csum_start, csum_offset; hdr_len is a hint
    if (got[0] & 1) != (want[0] & 1) or got[1] != want[1] or got[3] != want[3]:
        return False
    return not (want[0] & 1) or tuple(got[4:]) == tuple(want[4:])

def main():
    ifname, args, mode, mtu = sys.argv[1], sys.argv[2:], None, None
    expect, send = [], []
    for a in args:
        if a in ("--expect", "--send", "--mtu"):
            mode = a
        elif mode == "--mtu":
            mtu = int(a)
        else:
            (expect if mode == "--expect" else send).append(load(a))
    deadline = time.time() + 10
    while not os.path.exists(f"/sys/class/net/{ifname}"):
        if time.time() > deadline:
            print(f"FAIL: peer: {ifname} never appeared"); return 1
        time.sleep(0.05)
    fails = 0
    if mtu is not None:
        got = int(open(f"/sys/class/net/{ifname}/mtu").read())
        up = int(open(f"/sys/class/net/{ifname}/flags").read(), 0) & 1
        ok = got == mtu and up
        print(f"{'ok' if ok else 'FAIL'}: peer: {ifname} is up with MTU {got} (want {mtu})")
        fails += not ok
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.bind((ifname, ETH_P_ALL))
    seen, bad = set(), set()
    while len(seen) < len(expect) and time.time() < deadline:
        if not select.select([s], [], [], 0.1)[0]:
            continue
        data, anc, _, addr = s.recvmsg(70000, socket.CMSG_SPACE(AUX.size))
        if addr[2] == PACKET_OUTGOING:
            continue
        meta, frame = list(VNET_NATIVE.unpack(data[:10])), data[10:]
        for level, typ, cdata in anc:
            if level != SOL_PACKET or typ != PACKET_AUXDATA:
                continue
            status, _, _, _, _, tci, tpid = AUX.unpack(cdata[:AUX.size])
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                frame = frame[:12] + struct.pack("!HH", tpid, tci) + frame[12:]
                if meta[0] & 1:
                    meta[4] += 4
        for name, want_meta, want in expect:
            if frame == want:
                if same_meta(meta, want_meta):
                    seen.add(name)
                elif name not in bad:
                    print(f"FAIL: peer: {name} arrived with metadata {meta}, want {want_meta}")
                    bad.add(name)
                    fails += 1
    for name, _, want in expect:
        ok = name in seen
        print(f"{'ok' if ok else 'FAIL'}: peer: {name} ({len(want)} bytes) arrived exactly")
        fails += not ok
    for name, meta, frame in send:
        s.send(VNET_NATIVE.pack(*meta) + frame)
    if send:
        print(f"ok: peer: sent {' '.join(n for n, _, _ in send)}")
    return 1 if fails else 0

sys.exit(main())
PYEOF
	cat >"$KV_TMP/tcp_client.py" <<'PYEOF'
# From the namespace's own stack: a UDP datagram and a TCP connection with data
# to 10.99.0.2:9999, whose SYN port_check answers.
import socket, sys, time
dst = (sys.argv[1], 9999)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"u" * 100, dst)
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.settimeout(8)
try:
    t.connect(dst)
except OSError as e:
    print(f"FAIL: peer: TCP connect to {dst}: {e}")
    sys.exit(1)
t.setblocking(False)
print(f"ok: peer: TCP connected, queued {t.send(b'k' * 60000)} bytes")
time.sleep(3)
PYEOF
	mkdir "$KV_TMP/frames"
	if ! run_in "$NS_A" "$KV_TMP/gen.out" "$KV_PY" "$KV_TMP/gen.py" "$KV_TMP/frames"; then
		indent "$KV_TMP/gen.out"
		kv_setup_fail "cannot make the test frames"
	fi
}

# error paths: every failure names the object and what failed
errors() {
	local rc
	run_in "$NS_A" "$KV_TMP/check.out" "$PORT_CHECK" errors "$NS_B"
	rc=$?
	indent "$KV_TMP/check.out"
	[ "$rc" -eq 0 ] || kv_fail "port_check errors failed (exit $rc): its FAIL lines are above"
	log_test "errors name the tap, interface, namespace and operation"
}

# tap_create, moved into B, MTU and up there; frames both ways, byte for byte
tap_frames() {
	local list=(untag small tag prio qinq bcast tag-csum) tx rx
	frame_paths tx "${list[@]}" && tx=("${FRAMES[@]}")
	frame_paths rx "${list[@]}" && rx=("${FRAMES[@]}")
	start_check "$KV_TMP/ready" tap "$TAP" "$NS_B" "$KV_TMP/ready" \
		--tx "${tx[@]}" --rx "${rx[@]}"
	in_b "$KV_PY" "$KV_TMP/peer.py" "$TAP" --mtu 9000 --expect "${tx[@]}" --send "${rx[@]}"
	finish_check
	if ip -n "$NS_B" link show "$TAP" >/dev/null 2>&1; then
		kv_fail "$TAP still exists in $NS_B after destroy"
	fi
	log_test "tap: create, netns, MTU, up; frames both ways exact; gone on destroy"
}

# 64 KiB TSO frames (IPv4, IPv6, tagged) both ways with their virtio-net header
tap_gso() {
	local list=(gso4 gso6 tag-gso4) tx rx
	frame_paths tx "${list[@]}" && tx=("${FRAMES[@]}")
	frame_paths rx "${list[@]}" && rx=("${FRAMES[@]}")
	start_check "$KV_TMP/ready" tap "$TAP" "$NS_B" "$KV_TMP/ready" \
		--tx "${tx[@]}" --rx "${rx[@]}"
	in_b "$KV_PY" "$KV_TMP/peer.py" "$TAP" --expect "${tx[@]}" --send "${rx[@]}"
	finish_check
	log_test "tap: GSO frames up to 64 KiB whole both ways, metadata kept"
}

# B's own stack sends through the tap: NEEDS_CSUM on UDP and TCP, TSO on TCP data
tap_kernel_offload() {
	start_check "$KV_TMP/ready" tap-tcp "$TAP" "$NS_B" "$KV_TMP/ready"
	if ! ip -n "$NS_B" addr add 10.99.0.1/24 dev "$TAP" ||
		! ip -n "$NS_B" neigh add 10.99.0.2 lladdr 02:00:00:00:99:02 dev "$TAP" \
			nud permanent; then
		kv_fail "cannot address $TAP in $NS_B or add its neighbour"
	fi
	in_b "$KV_PY" "$KV_TMP/tcp_client.py" 10.99.0.2
	finish_check
	log_test "tap: the kernel's checksum offload and TSO reach rx_burst"
}

# AF_PACKET on a veth end: tags the kernel strips are put back; nothing read back
dev_frames() {
	local list=(untag small tag prio qinq bcast tag-csum gso4 gso6 tag-gso4) tx rx
	frame_paths tx "${list[@]}" && tx=("${FRAMES[@]}")
	frame_paths rx "${list[@]}" && rx=("${FRAMES[@]}")
	start_check "$KV_TMP/ready" dev "$VETH_A" "$KV_TMP/ready" \
		--tx "${tx[@]}" --rx "${rx[@]}"
	in_b "$KV_PY" "$KV_TMP/peer.py" "$VETH_B" --expect "${tx[@]}" --send "${rx[@]}"
	finish_check
	log_test "dev: veth frames exact both ways, VLAN tags restored, no echo"
}

# link down: -ENETDOWN once; up again: the same port receives again
dev_down() {
	local rx
	frame_paths rx untag tag && rx=("${FRAMES[@]}")
	start_check "$KV_TMP/ready" down "$VETH_A" "$KV_TMP/ready" "$KV_TMP/seen" --rx "${rx[@]}"
	ip -n "$NS_A" link set "$VETH_A" down || kv_fail "cannot set $VETH_A down in $NS_A"
	# port_check makes the file once it has seen the link down (it says so itself if not)
	kv_wait_file "$KV_TMP/seen" "$CHECK_PID"
	ip -n "$NS_A" link set "$VETH_A" up || kv_fail "cannot set $VETH_A up in $NS_A"
	in_b "$KV_PY" "$KV_TMP/peer.py" "$VETH_B" --send "${rx[@]}"
	finish_check
	log_test "dev: link down gives -ENETDOWN, up again receives"
}

dev_gone() {
	start_check "$KV_TMP/ready" gone dev "$VETH_A" - "$KV_TMP/ready"
	ip -n "$NS_A" link del "$VETH_A" || kv_fail "cannot delete $VETH_A in $NS_A"
	finish_check
	log_test "dev: interface deleted, fd polls an error, bursts give -ENETDOWN"
}

tap_gone() {
	start_check "$KV_TMP/ready" gone tap "$TAP" "$NS_B" "$KV_TMP/ready"
	ip -n "$NS_B" link del "$TAP" || kv_fail "cannot delete $TAP in $NS_B"
	finish_check
	log_test "tap: deleted under us, fd polls an error, bursts give -ENXIO"
}

kv_require_base
# a tool the build makes: missing, it is a broken build, not a missing prerequisite
[ -x "$PORT_CHECK" ] || kv_setup_fail "port_check not found at $PORT_CHECK (build it, or pass its path)"
setup
tests_run
kv_exit
