#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sock_bench.sh - frames per second between two VM ports of kvnetd, for each back-end a VM
# can use: QEMU's stream and dgram sockets, and a tap.
#
# kvnetd runs in a namespace of its own, with a network per back-end (no <ip>, STP off). Each
# run gets two new ports on it, made with `kvnet net-port-create --backend ...` as a user
# would, and deleted after. bench/sockgen plays the two VMs: it sends IPv4/UDP frames from one
# port's VM to the other's as fast as it can and counts what arrives, 64-byte and 1500-byte
# frames (--len 60 and 1514: lengths as QEMU hands them over, without the FCS). The same
# program, loop and frames for every back-end, so their figures compare:
#   stream     QEMU's -netdev stream framing on the port's socket (system default buffers, as
#              QEMU's)
#   dgram      QEMU's -netdev dgram on the port's socket and its peer path
#   tap        the tap kvnet made for the port, opened as QEMU opens it (/dev/net/tun with a
#              virtio-net header, a read() or write() per frame); kvnetd reaches it through
#              AF_PACKET
#   tap-netns  a tap port moved into a namespace that plays the VM (tap_bench.sh's set-up):
#              kvnetd holds the tap, sockgen uses AF_PACKET sockets in the namespace
# sockgen runs in a namespace of its own, as QEMU would on a host (--dgram-qlen), and is
# measured alone as well, without kvnetd.
#
# Usage: bench/sock_bench.sh [--kvnet-dir DIR] [--seconds N] [--quick] [--backends LIST]
#   --kvnet-dir DIR  where kvnetd, kvnet and bench/sockgen are (default: build)
#   --seconds N      length of each timed run (default 5; a warm-up of up to 1 s precedes it)
#   --quick          1 s per run (a smoke test)
#   --runs N         measure each figure N times, in turns, and report the median (default 1)
#   --backends LIST  some of "stream dgram tap tap-netns" (default: all)
#   --window N       at most N frames in flight (sockgen --window; default: no limit)
#   --dgram-qlen N   net.unix.max_dgram_qlen where sockgen runs (default 512, systemd's
#                    setting on Debian; the kernel's own is 10)
#
# Output: a table, the target (stream at or above tap) and whether it is met, then one line
# per figure for scripts:
#   bench stream/64 kpps=X      bench stream/1500 kpps=X
#   bench dgram/64 kpps=X       bench dgram/1500 kpps=X
#   bench tap/64 kpps=X         bench tap/1500 kpps=X
#   bench tap-netns/64 kpps=X   bench tap-netns/1500 kpps=X
#   bench stream-loopback/64 kpps=X ... (sockgen alone: stream, dgram, tap-netns)
# No timing assertions: exit 0 if everything ran, non-zero if something failed to run (or
# kvnetd, built with sanitizers, reported something).
# Needs root, iproute2 and python3.
#
# Everything it makes is its own (tests/integration/lib.sh does the bookkeeping): namespaces
# kso-PID-*, one temp dir, the processes it started (ended by PID on every exit). Nothing in
# the root namespace is touched; the sockets are files in the temp dir.

set -uo pipefail

KVNET_DIR=build
SECONDS_PER_RUN=5
BACKENDS=(stream dgram tap tap-netns)
WINDOW=0
QLEN=512
RUNS=1

usage() {
	sed -n '/^# Usage:/,/^#                    setting/s/^# \{0,1\}//p' "$0"
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
	--quick) SECONDS_PER_RUN=1; shift ;;
	--runs)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		RUNS=$2; shift 2 ;;
	--backends)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		read -ra BACKENDS <<<"$2"; shift 2 ;;
	--window)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		WINDOW=$2; shift 2 ;;
	--dgram-qlen)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		QLEN=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "sock_bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
case "$SECONDS_PER_RUN" in
'' | *[!0-9]* | 0) echo "sock_bench: --seconds wants a positive integer" >&2; exit 2 ;;
esac
case "$RUNS" in
'' | *[!0-9]* | 0) echo "sock_bench: --runs wants a positive integer" >&2; exit 2 ;;
esac
case "$WINDOW" in
'' | *[!0-9]*) echo "sock_bench: --window wants a number of frames" >&2; exit 2 ;;
esac
case "$QLEN" in
'' | *[!0-9]* | 0) echo "sock_bench: --dgram-qlen wants a positive number" >&2; exit 2 ;;
esac
for be in "${BACKENDS[@]}"; do
	case "$be" in
	stream | dgram | tap | tap-netns) ;;
	*) echo "sock_bench: unknown back-end '$be'" >&2; exit 2 ;;
	esac
done

KVNET_BUILD=$(readlink -f "$KVNET_DIR") || { echo "sock_bench: no $KVNET_DIR" >&2; exit 1; }
# shellcheck source=../tests/integration/lib.sh
source "$(dirname "$0")/../tests/integration/lib.sh"

SOCKGEN=$KVNET_BUILD/bench/sockgen
SIZES=(64 1500)
declare -A LEN=([64]=60 [1500]=1514)
# port names (an interface's, for the taps) of each back-end, with 1 or 2 after
declare -A PORT=([stream]=sbst [dgram]=sbdg [tap]=sbtap [tap-netns]=sbns)
declare -A RES=() LOST=() INFO=() CPU=()

die() {
	echo "sock_bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, taps)"
for tool in ip "$KV_PY"; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
for f in "$KVNETD" "$KVNET" "$SOCKGEN"; do
	[ -x "$f" ] || die "$f not found (build it, or --kvnet-dir DIR)"
done
kv_tmp

# sockgen ARGS... - run the generator (in the background, so that INT and TERM are acted on
# at once and clean-up ends it), wait for it; its last line in SG_OUT
sockgen() {
	local pid rc
	ip netns exec "$(kv_ns vm)" "$SOCKGEN" --seconds "$SECONDS_PER_RUN" --window "$WINDOW" "$@" \
		>"$KV_TMP/sockgen.out" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	SG_OUT=$(tail -n 1 "$KV_TMP/sockgen.out")
	[ "$rc" -eq 0 ] || { echo "sock_bench: sockgen $* failed: $(cat "$KV_TMP/sockgen.out")" >&2; return 1; }
}

# field NAME - NAME's value in SG_OUT ("kpps=X sent=N ...")
field() {
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$SG_OUT"
}

# MAC of VM (1 or 2) on the network of back-end number N
mac() { # N VM
	printf '52:54:00:77:%02x:%02x' "$1" "$2"
}

# port_create BACKEND N VM - a port on network sb-BACKEND for VM's MAC; the JSON in
# $KV_TMP/BACKEND-VM.json
port_create() {
	local be=$1 n=$2 vm=$3 x=$KV_TMP/port-$1-$3.xml extra=() out
	printf "<networkport>\n  <owner>\n    <name>vm%s</name>\n    <uuid>77777777-0000-4000-8000-0000000000%d%d</uuid>\n  </owner>\n  <mac address='%s'/>\n</networkport>\n" \
		"$vm" "$n" "$vm" "$(mac "$n" "$vm")" >"$x"
	case "$be" in
	tap-netns) extra=(--backend tap --netns "$(kv_ns "$vm")") ;;
	*) extra=(--backend "$be") ;;
	esac
	out=$(kvj net-port-create "sb-$be" "$x" --name "${PORT[$be]}$vm" "${extra[@]}" 2>&1) ||
		die "net-port-create sb-$be ${extra[*]}: $out"
	printf '%s\n' "$out" >"$KV_TMP/$be-$vm.json"
	if [ "$be" = tap-netns ]; then
		ip -n "$(kv_ns "$vm")" link set "${PORT[$be]}$vm" mtu 1500 up || die "${PORT[$be]}$vm up"
	fi
}

# port_delete BACKEND VM
port_delete() {
	local out
	out=$(kv net-port-delete "sb-$1" "$(json "$1" "$2" uuid)" 2>&1) ||
		die "net-port-delete of ${PORT[$1]}$2: $out"
}

# json BACKEND VM KEY - KEY of that port's net-port-create answer
json() {
	"$KV_PY" -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' \
		"$KV_TMP/$1-$2.json" "$3"
}

# endpoint BACKEND VM - the sockgen end of VM's port: stream:PATH, dgram:PATH:PEER,
# tap:NS:IF (kvnetd's namespace), packet:NS:IF (the VM's namespace)
endpoint() {
	case "$1" in
	stream) echo "stream:$(json "$1" "$2" socket)" ;;
	dgram) echo "dgram:$(json "$1" "$2" socket):$(json "$1" "$2" peer_socket)" ;;
	tap) echo "tap:$(kv_ns sw):${PORT[$1]}$2" ;;
	tap-netns) echo "packet:$(kv_ns "$2"):${PORT[$1]}$2" ;;
	esac
}

setup() {
	local n=0 be vm
	kv_ns_add "$(kv_ns sw)" "$(kv_ns 1)" "$(kv_ns 2)"
	kvnetd_start "$(kv_ns sw)" --log-level info || die "kvnetd did not start"
	for be in "${BACKENDS[@]}"; do
		n=$((n + 1))
		printf "<network>\n  <name>sb-%s</name>\n  <bridge name='sbbr%d' stp='off'/>\n</network>\n" \
			"$be" "$n" >"$KV_TMP/net-$be.xml"
		kv_net_up "$KV_TMP/net-$be.xml" "sb-$be"
	done
}

# counters BACKEND - "RX_FRAMES TX_FRAMES TX_ERRORS DROPS" of the ports of VM 1 and VM 2
counters() {
	kv_q "' '.join('%d %d %d %d' % (p['rx_frames'], p['tx_frames'], p.get('tx_errors', 0),
		sum(p.get('drops', {}).values())) for n in ('${PORT[$1]}1', '${PORT[$1]}2')
		for p in d['ports'] if p['name'] == n)" stats show
}

# measure BACKEND SIZE N RUN - one run; its figures in RES, CPU, LOST and INFO under
# BACKEND/SIZE/RUN
#
# Each run has ports of its own, made for it and deleted after it: a port keeps nothing of the
# run before (FDB entries, counters, a peer it has not yet seen go).
measure() {
	local be=$1 size=$2 n=$3 k=$1/$2/$4 c0 c1 d
	port_create "$be" "$n" 1
	port_create "$be" "$n" 2
	c0=$(counters "$be")
	sockgen --len "${LEN[$size]}" --mac-a "$(mac "$n" 1)" --mac-b "$(mac "$n" 2)" \
		--cpu-of "$KVNETD_PID" "$(endpoint "$be" 1)" "$(endpoint "$be" 2)" ||
		die "$be/$size did not run"
	c1=$(counters "$be")
	port_delete "$be" 1
	port_delete "$be" 2
	RES[$k]=$(field kpps)
	CPU[$k]="$(field cpu)% $(field peer_cpu)%"
	LOST[$k]=$("$KV_PY" -c 'import sys; s, l = int(sys.argv[1]), int(sys.argv[2]); print("%.1f%%" % (100.0 * l / s if s else 0))' \
		"$(field sent)" "$(field lost)")
	# shellcheck disable=SC2086 # the counters are words on purpose
	d=$("$KV_PY" -c 'import sys; a, b = [list(map(int, x.split())) for x in sys.argv[1:3]]
if len(a) != 8 or len(b) != 8:
    print("counters n/a")
else:
    x = [y - z for y, z in zip(b, a)]
    print("kvnetd read %d from VM 1, forwarded %d to VM 2 (%d not sent: tx errors), dropped %d" %
          (x[0], x[5], x[6], x[3] + x[7]))' "$c0" "$c1")
	INFO[$k]="sent $(field sent), received $(field received), other $(field other); $d"
}

# loopback BACKEND SIZE - sockgen alone: stream and dgram on a socketpair, AF_PACKET (what it
# does on a tap-netns port) over a veth pair in sockgen's namespace; none for a tap (a tap
# has nothing at its other end but a switch)
loopback() {
	local ns
	ns=$(kv_ns vm)
	if [ "$1" = tap ]; then
		RES[$1-loopback/$2]=-
		return
	elif [ "$1" = tap-netns ]; then
		ip -n "$ns" link show sblo1 >/dev/null 2>&1 || {
			ip -n "$ns" link add sblo1 mtu 1500 type veth peer name sblo2 mtu 1500 &&
				ip -n "$ns" link set sblo1 up && ip -n "$ns" link set sblo2 up
		} || die "veth pair in $ns"
		sockgen --len "${LEN[$2]}" "packet:$ns:sblo1" "packet:$ns:sblo2"
	else
		sockgen --len "${LEN[$2]}" --loopback "$1"
	fi || die "sockgen alone, $1/$2, did not run"
	RES[$1-loopback/$2]=$(field kpps)
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
# sockgen runs in a namespace of its own, as QEMU on a host would: the length of its dgram
# sockets' queues (which bounds what the switch may send them at once) is that namespace's
kv_ns_add "$(kv_ns vm)"
ip netns exec "$(kv_ns vm)" sysctl -qw "net.unix.max_dgram_qlen=$QLEN" ||
	die "cannot set net.unix.max_dgram_qlen in $(kv_ns vm)"
echo "sock_bench: sockgen alone (${SECONDS_PER_RUN} s per run)" >&2
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		loopback "$be" "$size"
	done
done

echo "sock_bench: setting up kvnetd (namespaces $(kv_ns '*'))" >&2
setup
for ((run = 1; run <= RUNS; run++)); do
	n=0
	for be in "${BACKENDS[@]}"; do
		n=$((n + 1))
		for size in "${SIZES[@]}"; do
			echo "sock_bench: $be/$size through kvnetd (${SECONDS_PER_RUN} s, run $run of $RUNS)" >&2
			measure "$be" "$size" "$n" "$run"
		done
	done
done
kvnetd_alive || die "kvnetd died during the runs"

# each figure is its median run's (the lower middle one of an even number), with its details
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		all=()
		for ((run = 1; run <= RUNS; run++)); do
			all+=("${RES[$be/$size/$run]} $run")
		done
		mid=$(printf '%s\n' "${all[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p" | cut -d' ' -f2)
		for f in RES CPU LOST INFO; do
			declare -n arr=$f
			arr["$be/$size"]=${arr["$be/$size/$mid"]}
			unset -n arr
		done
		[ "$RUNS" -eq 1 ] ||
			INFO[$be/$size]+="; kpps of the runs: $(printf '%s\n' "${all[@]}" | cut -d' ' -f1 | xargs)"
	done
done

# ------------------------------------------------------------------ report

# mbps SIZE KPPS - Mbit/s of frames of SIZE's length at KPPS
mbps() {
	"$KV_PY" -c 'import sys; print("%.0f" % (float(sys.argv[1]) * int(sys.argv[2]) * 8 / 1e3))' \
		"$2" "${LEN[$1]}"
}

echo
echo "kvnetd between two VM ports: frames per second received by the second VM, sent by the"
echo "first as fast as it can. bench/sockgen plays both VMs on one core; ${SECONDS_PER_RUN} s per run,"
echo "median of $RUNS; load average before the runs $LOAD; net.unix.max_dgram_qlen $QLEN."
printf '%-9s %6s %9s %8s %6s %11s %11s %9s\n' back-end frame kpps Mbit/s lost "CPU sockgen" \
	"CPU kvnetd" alone
printf '%-9s %6s %9s %8s %6s %11s %11s %9s\n' --------- ------ --------- -------- ------ \
	----------- ----------- ---------
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		read -r c1 c2 <<<"${CPU[$be/$size]}"
		printf '%-9s %4s B %9s %8s %6s %11s %11s %9s\n' "$be" "$size" "${RES[$be/$size]}" \
			"$(mbps "$size" "${RES[$be/$size]}")" "${LOST[$be/$size]}" "$c1" "$c2" \
			"${RES[$be-loopback/$size]}"
	done
done
echo
echo "kpps: frames/s received; lost: sent but not received; CPU: % of one core during the run"
echo "(kvnetd: all its threads). alone: kpps of sockgen without kvnetd: stream and dgram on a"
echo "socketpair, tap-netns's AF_PACKET sockets over a veth pair (a tap has no such loop)."
echo "64 B is a 60-byte frame, 1500 B a 1514-byte one, as QEMU hands them over (no FCS)."
echo
echo "details per run:"
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		printf '  %-14s %s\n' "$be/$size" "${INFO[$be/$size]}"
	done
done
if [ -n "${RES[stream/64]-}" ] && [ -n "${RES[tap/64]-}${RES[tap-netns/64]-}" ]; then
	printf '\ntarget (issue 6): stream at or above tap\n'
fi
for size in "${SIZES[@]}"; do
	for tap in tap tap-netns; do
		if [ -z "${RES[stream/$size]-}" ] || [ -z "${RES[$tap/$size]-}" ]; then continue; fi
		if "$KV_PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' \
			"${RES[stream/$size]}" "${RES[$tap/$size]}"; then
			m=met
		else
			m="NOT met"
		fi
		printf '  %s B: stream %s kpps, %s %s kpps -> %s\n' "$size" "${RES[stream/$size]}" \
			"$tap" "${RES[$tap/$size]}" "$m"
	done
done
echo
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		printf 'bench %s/%s kpps=%s\n' "$be" "$size" "${RES[$be/$size]}"
	done
done
for be in "${BACKENDS[@]}"; do
	for size in "${SIZES[@]}"; do
		[ "${RES[$be-loopback/$size]}" = - ] ||
			printf 'bench %s-loopback/%s kpps=%s\n' "$be" "$size" "${RES[$be-loopback/$size]}"
	done
done
kvnetd_stop || die "kvnetd did not exit on SIGTERM"
# a sanitizer build (make test's smoke run) must have had nothing to say
! kv_sanitizer_report >&2 || die "sanitizer report in kvnetd's log (above)"
exit 0
