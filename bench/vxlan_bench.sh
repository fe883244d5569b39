#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vxlan_bench.sh - two hosts joined by VXLAN over a veth underlay: kvnet's VXLAN ports against
# two Linux bridges with the kernel's vxlan devices, measured in the same run (issue 18).
#
#   (a) kvnet:  ga [ta 10.77.0.1] - kvnetd A (br0 + vxlan:vx0) =ul0= kvnetd B - [tb .2] gb
#   (b) kernel: kc [eth0 .1] - br0 + vxlan vx0 (host ka) =ul0= (host kb) vx0 + br0 - [eth0 .2] kd
#
# Each host is a network namespace; the underlay is one veth pair between the two hosts, MTU
# 1500; VNI 100, UDP port 4789; the guests' MTU is 1450 (the underlay's less 50). Figures:
#   tcp-1, tcp-2  iperf3 TCP with 1 and 2 streams, guest to guest (Gbit/s received)
#   udp64         64-byte frames offered at full speed by bench/udpgen on the sender guest's
#                 interface, counted at the receiver guest's (kpps), and the share lost
#   rtt           ping's average round trip, guest to guest, 10 ms apart (microseconds)
#
# Usage: bench/vxlan_bench.sh [--kvnet-dir DIR] [--seconds N] [--quick]
#   --kvnet-dir DIR  where kvnetd, kvnet and bench/udpgen are (default: build)
#   --seconds N      length of each timed run (default 10)
#   --quick          2 s per run and 50 pings (a smoke test)
#
# Output: a table with the targets (TCP >= 0.8x the kernel, 64-byte rate >= 1.0x, RTT <= 1.0x)
# and the load average before and after (the machine may be shared), then one line per figure:
#   bench vxlan/tcp-1 kvnet_gbps=X kernel_gbps=Y ratio=R
#   bench vxlan/tcp-2 kvnet_gbps=X kernel_gbps=Y ratio=R
#   bench vxlan/udp64 kvnet_kpps=X kernel_kpps=Y ratio=R
#   bench vxlan/udp64-loss kvnet_pct=X kernel_pct=Y
#   bench vxlan/rtt kvnet_us=X kernel_us=Y ratio=R
# No timing assertions: exit 0 if everything ran, non-zero if something did not (or kvnetd,
# built with sanitizers, reported something). Needs root, iproute2, iperf3, ping, python3.
#
# Everything it makes is its own (tests/integration/lib.sh does the bookkeeping): namespaces
# kvx-PID-*, one temp dir, the processes it started (ended by PID on every exit). Nothing in
# the root namespace is touched.

set -uo pipefail

KVNET_DIR=build
SECONDS_PER_RUN=10
PINGS=200

usage() {
	sed -n '/^# Usage:/,/^#   --quick/s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kvnet-dir)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		KVNET_DIR=$2; shift 2 ;;
	--kvnet-dir=*) KVNET_DIR=${1#*=}; shift ;;
	--seconds)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		SECONDS_PER_RUN=$2; shift 2 ;;
	--seconds=*) SECONDS_PER_RUN=${1#*=}; shift ;;
	--quick) SECONDS_PER_RUN=2 PINGS=50; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "vxlan_bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
case "$SECONDS_PER_RUN" in
'' | *[!0-9]* | 0) echo "vxlan_bench: --seconds wants a positive integer" >&2; exit 2 ;;
esac

KVNET_BUILD=$(readlink -f "$KVNET_DIR") || { echo "vxlan_bench: no $KVNET_DIR" >&2; exit 1; }
# shellcheck source=../tests/integration/lib.sh
source "$(dirname "$0")/../tests/integration/lib.sh"

UDPGEN=$KVNET_BUILD/bench/udpgen
declare -A RES=() INFO=()

die() {
	echo "vxlan_bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, taps)"
for tool in ip iperf3 ping "$KV_PY"; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
for f in "$KVNETD" "$KVNET" "$UDPGEN"; do
	[ -x "$f" ] || die "$f not found (build it, or --kvnet-dir DIR)"
done
kv_tmp

# underlay A B - the veth pair between hosts A and B, 10.N.0.1 and .2 (N from $3)
underlay() {
	kv_veth "$1" ul0 "$2" ul0
	ip -n "$1" addr add "10.$3.0.1/24" dev ul0 || kv_setup_fail "underlay address in $1"
	ip -n "$2" addr add "10.$3.0.2/24" dev ul0 || kv_setup_fail "underlay address in $2"
}

# kvnet_host NAME HOST_NS GUEST_NS N - kvnetd NAME in HOST_NS: br0, vx0 from 10.99.0.N to
# the other host, and tap tNAME into GUEST_NS as 10.77.0.N/24, MTU 1450
kvnet_host() {
	local out
	KV_INSTANCE=$1 kvnetd_start "$2" || die "kvnetd $1 did not start"
	kvnetd_save "$1"
	out=$(kv bridge add br0 2>&1) || die "bridge add on $1: $out"
	out=$(kv port add br0 vxlan:vx0 vni 100 local "10.99.0.$4" remote "10.99.0.$((3 - $4))" 2>&1) ||
		die "port add vxlan:vx0 on $1: $out"
	kv_tap_host br0 "t$1" "$3" "52:54:00:99:00:0$4" "10.77.0.$4/24"
	ip -n "$3" link set "t$1" mtu 1450 || die "MTU of t$1"
}

# kernel_host HOST_NS GUEST_NS N - a Linux bridge with vxlan vx0 from 10.98.0.N to the other
# host, and a veth into GUEST_NS as 10.77.0.N/24, MTU 1450
kernel_host() {
	ip -n "$1" link add br0 type bridge || die "bridge in $1"
	ip -n "$1" link add vx0 type vxlan id 100 dstport 4789 local "10.98.0.$3" \
		remote "10.98.0.$((3 - $3))" dev ul0 || die "kernel vxlan in $1"
	ip -n "$1" link set vx0 master br0 && ip -n "$1" link set vx0 up &&
		ip -n "$1" link set br0 up || die "bridge up in $1"
	kv_veth "$1" g0 "$2" eth0
	ip -n "$1" link set g0 master br0 || die "g0 into br0 in $1"
	ip -n "$2" link set eth0 mtu 1450 address "52:54:00:98:00:0$3" || die "eth0 in $2"
	ip -n "$2" addr add "10.77.0.$3/24" dev eth0 || die "address in $2"
}

setup() {
	GA=$(kv_ns ga) GB=$(kv_ns gb) HA=$(kv_ns ha) HB=$(kv_ns hb)
	KA=$(kv_ns ka) KB=$(kv_ns kb) KC=$(kv_ns kc) KD=$(kv_ns kd)
	kv_ns_add "$GA" "$GB" "$HA" "$HB" "$KA" "$KB" "$KC" "$KD"
	underlay "$HA" "$HB" 99
	underlay "$KA" "$KB" 98
	kvnet_host a "$HA" "$GA" 1
	kvnet_host b "$HB" "$GB" 2
	kernel_host "$KA" "$KC" 1
	kernel_host "$KB" "$KD" 2
	# the receivers' iperf3 servers; the paths proven by a ping
	for ns in "$GB" "$KD"; do
		ip netns exec "$ns" iperf3 -s -B 10.77.0.2 >"$KV_TMP/iperf3-$ns.log" 2>&1 &
		KV_PIDS+=("$!")
	done
	for ns in "$GA" "$KC"; do
		kv_ping "$ns" 10.77.0.2 3 >/dev/null || die "$ns cannot reach 10.77.0.2"
	done
	for ns in "$GB" "$KD"; do
		for _ in $(seq 100); do
			ip netns exec "$ns" ss -Hltn 'sport = :5201' | grep -q . && continue 2
			sleep 0.1
		done
		die "iperf3 server in $ns did not start: $(cat "$KV_TMP/iperf3-$ns.log")"
	done
}

# iperf NS NAME ARGS... - an iperf3 client run to 10.77.0.2: Gbit/s received into RES[NAME]
iperf() {
	local ns=$1 name=$2 pid rc
	shift 2
	timeout $((SECONDS_PER_RUN + 30)) ip netns exec "$ns" iperf3 -c 10.77.0.2 \
		-t "$SECONDS_PER_RUN" -J "$@" >"$KV_TMP/$name.json" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	[ "$rc" -eq 0 ] || die "iperf3 $name failed: $(tail -n 5 "$KV_TMP/$name.json")"
	read -r "RES[$name]" "INFO[$name]" < <("$KV_PY" -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%.3f" % (e["sum_received"]["bits_per_second"] / 1e9),
      "retransmits=%d" % e["sum_sent"].get("retransmits", 0))' "$KV_TMP/$name.json") ||
		die "cannot read iperf3's result of $name"
}

# rx_packets NS IF
rx_packets() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}

# frames NS IF RNS RIF NAME - 64-byte frames from NS's IF to RNS's RIF: kpps received into
# RES[NAME], the share lost into RES[NAME-loss]
frames() {
	local mac r0 r1 sent
	mac=$(ip netns exec "$3" cat "/sys/class/net/$4/address") || die "MAC of $4"
	r0=$(rx_packets "$3" "$4") || die "rx_packets of $4"
	sent=$(ip netns exec "$1" "$UDPGEN" "$2" "$mac" 10.77.0.1 10.77.0.2 "$SECONDS_PER_RUN") ||
		die "udpgen on $2 failed"
	sleep 0.5 # what is still in flight
	r1=$(rx_packets "$3" "$4") || die "rx_packets of $4"
	read -r "RES[$5]" "RES[$5-loss]" < <("$KV_PY" -c '
import sys
got, sent, secs = int(sys.argv[2]) - int(sys.argv[1]), int(sys.argv[3].split()[1]), float(sys.argv[4])
print("%.1f %.1f" % (got / secs / 1e3, 100.0 * max(sent - got, 0) / sent if sent else 100.0))' \
		"$r0" "$r1" "$sent" "$SECONDS_PER_RUN")
	INFO[$5]="$sent offered, $((r1 - r0)) received"
}

# rtt NS NAME - ping's average round trip in microseconds into RES[NAME]
rtt() {
	local out
	out=$(ip netns exec "$1" ping -q -n -c "$PINGS" -i 0.01 -W 2 10.77.0.2 2>&1) ||
		die "ping from $1: $out"
	RES[$2]=$(sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p' <<<"$out" |
		"$KV_PY" -c 'import sys; print("%.1f" % (float(sys.stdin.read()) * 1000))') ||
		die "cannot read ping's figures: $out"
	INFO[$2]=$(grep -o '[0-9]* received, [0-9.]*% packet loss' <<<"$out")
}

ratio() { # X Y
	"$KV_PY" -c 'import sys; x, y = float(sys.argv[1]), float(sys.argv[2]); print("%.3f" % (x / y) if y > 0 else "nan")' "$1" "$2"
}

# target WHAT RATIO OP LIMIT - "met" or "NOT met"
target() {
	if "$KV_PY" -c 'import sys; r, op, l = sys.argv[1], sys.argv[2], float(sys.argv[3])
sys.exit(0 if r != "nan" and (float(r) >= l if op == ">=" else float(r) <= l) else 1)' "$2" "$3" "$4"; then
		printf '  %-28s ratio %s %s %s: met\n' "$1" "$2" "$3" "$4"
	else
		printf '  %-28s ratio %s %s %s: NOT met\n' "$1" "$2" "$3" "$4"
	fi
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "vxlan_bench: setting up (namespaces $(kv_ns '*'))" >&2
setup
for side in kvnet kernel; do
	if [ $side = kvnet ]; then s=$GA sif=ta r=$GB rif=tb; else s=$KC sif=eth0 r=$KD rif=eth0; fi
	echo "vxlan_bench: $side: tcp-1, tcp-2, udp64 (${SECONDS_PER_RUN} s each), rtt" >&2
	iperf "$s" "$side-tcp-1"
	iperf "$s" "$side-tcp-2" -P 2
	frames "$s" "$sif" "$r" "$rif" "$side-udp64"
	rtt "$s" "$side-rtt"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
# whether kvnet's hosts sent with UDP_SEGMENT and merged what they read (vxlan_gso.c, _gro.c)
OFFLOADS=""
for d in a b; do
	kvnetd_use "$d"
	OFFLOADS+="  host $d: $(kv_port_field vx0 vxlan.offloads)"$'\n'
done

declare -A RAT=()
for t in tcp-1 tcp-2 udp64 rtt; do
	RAT[$t]=$(ratio "${RES[kvnet-$t]}" "${RES[kernel-$t]}")
done

echo
echo "kvnet VXLAN ports vs Linux bridges with kernel vxlan devices, two hosts over a veth"
echo "underlay (MTU 1500, guests 1450), ${SECONDS_PER_RUN} s per run, $PINGS pings."
echo "load average before $LOAD0, after $LOAD1 (other work on the machine lowers both sides)"
printf '%-11s %-32s %12s %12s %7s\n' test what kvnet kernel ratio
printf '%-11s %-32s %12s %12s %7s\n' ----------- -------------------------------- ------------ \
	------------ -------
printf '%-11s %-32s %7s Gbps %7s Gbps %7s\n' tcp-1 "TCP, 1 stream" "${RES[kvnet-tcp-1]}" \
	"${RES[kernel-tcp-1]}" "${RAT[tcp-1]}"
printf '%-11s %-32s %7s Gbps %7s Gbps %7s\n' tcp-2 "TCP, 2 streams" "${RES[kvnet-tcp-2]}" \
	"${RES[kernel-tcp-2]}" "${RAT[tcp-2]}"
printf '%-11s %-32s %7s kpps %7s kpps %7s\n' udp64 "64-byte frames received" \
	"${RES[kvnet-udp64]}" "${RES[kernel-udp64]}" "${RAT[udp64]}"
printf '%-11s %-32s %9s %% %9s %% %7s\n' udp64-loss "  of those offered, lost" \
	"${RES[kvnet-udp64-loss]}" "${RES[kernel-udp64-loss]}" -
printf '%-11s %-32s %7s us   %7s us   %7s\n' rtt "ping round trip, average" \
	"${RES[kvnet-rtt]}" "${RES[kernel-rtt]}" "${RAT[rtt]}"
echo
echo "targets (issue 18):"
target "TCP 1 stream" "${RAT[tcp-1]}" ">=" 0.8
target "TCP 2 streams" "${RAT[tcp-2]}" ">=" 0.8
target "64-byte frames" "${RAT[udp64]}" ">=" 1.0
target "RTT" "${RAT[rtt]}" "<=" 1.0
echo
echo "details per run:"
for t in tcp-1 tcp-2 udp64 rtt; do
	printf '  %-6s kvnet: %s; kernel: %s\n' "$t" "${INFO[kvnet-$t]}" "${INFO[kernel-$t]}"
done
printf "kvnet's UDP tunnel offloads, whole run (port show: vxlan.offloads):\n%s" "$OFFLOADS"
echo
printf 'bench vxlan/tcp-1 kvnet_gbps=%s kernel_gbps=%s ratio=%s\n' "${RES[kvnet-tcp-1]}" \
	"${RES[kernel-tcp-1]}" "${RAT[tcp-1]}"
printf 'bench vxlan/tcp-2 kvnet_gbps=%s kernel_gbps=%s ratio=%s\n' "${RES[kvnet-tcp-2]}" \
	"${RES[kernel-tcp-2]}" "${RAT[tcp-2]}"
printf 'bench vxlan/udp64 kvnet_kpps=%s kernel_kpps=%s ratio=%s\n' "${RES[kvnet-udp64]}" \
	"${RES[kernel-udp64]}" "${RAT[udp64]}"
printf 'bench vxlan/udp64-loss kvnet_pct=%s kernel_pct=%s\n' "${RES[kvnet-udp64-loss]}" \
	"${RES[kernel-udp64-loss]}"
printf 'bench vxlan/rtt kvnet_us=%s kernel_us=%s ratio=%s\n' "${RES[kvnet-rtt]}" \
	"${RES[kernel-rtt]}" "${RAT[rtt]}"

for d in b a; do
	kvnetd_use "$d"
	kvnetd_stop || die "kvnetd $d did not exit on SIGTERM"
	# a sanitizer build (make test's smoke run) must have had nothing to say
	! kv_sanitizer_report >&2 || die "sanitizer report in kvnetd $d's log (above)"
done
exit 0
