#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vhost_bench.sh - frames per second between two vhost-user ports, through three switches,
# on the same generator (issue 16, "Benchmark"):
#   (a) testpmd-io  DPDK testpmd with two vhost-user ports (net_vhost, it listens) doing io
#                   forwarding between them: no switching at all, the ceiling
#   (b) ovs-dpdk    Open vSwitch with its DPDK datapath: bridge of datapath_type=netdev, two
#                   dpdkvhostuser ports (OVS listens), both access ports of VLAN 10 (tag=10),
#                   the bridge's default NORMAL flow
#   (c) kvnet       kvnetd: a bridge with VLAN filtering, two vhost-user ports (kvnet listens)
#                   on access VLAN 10; skipped when the kvnet built has no vhost-user back-end
# The front-ends are one DPDK testpmd with two virtio-user ports (as a VM's virtio-net driver
# would be), port 0 connected to the switch's first socket and port 1 to its second, in io
# forwarding: "start tx_first 16" sends 16 bursts of 32 IPv4/UDP frames from each port to the
# other's MAC, and from then on whatever arrives on one port goes out of the other, unchanged.
# The frames go round, through the switch each time, as fast as the slower of the two
# forwards them (a closed loop; a learning switch learns both MACs from the first bursts).
# One testpmd lcore on its own core forwards several Mpps, so the figure is the switch's
# until it gets near that. Frames of 64 and 1518 bytes on the wire: --txpkts 60 and 1514
# (no FCS in memory).
# Figures: Mpps the front-ends received during the timed window (RX-packets of both ports,
# from "show port stats all" before and after). The switch's CPU use
# (utime+stime of its process, all threads, from /proc) with the front-ends connected and
# idle, and during the timed window at full rate. Loss: the loop starts with 2 x 16 x 32
# frames; after the window the front-ends stop forwarding and drain (rxonly) what is still going
# round; what is missing was dropped somewhere (switch or front-end), as a share of the frames
# the front-ends sent.
#
# Placement on a 2-core machine (printed): the switch on CPU 1 (testpmd's lcores, OVS's PMD
# thread and the whole ovs-vswitchd, every thread of kvnetd), the front-ends' lcores on CPU 0.
# DPDK's main lcores wait on their prompt and cost nothing.
#
# Usage: bench/vhost_bench.sh [--kvnet-dir DIR] [--seconds N] [--quick] [--cases LIST]
#   --kvnet-dir DIR  where kvnetd and kvnet are (default: build)
#   --seconds N      length of each timed window (default 10; a 1 s warm-up precedes it)
#   --quick          3 s per window (a smoke run)
#   --cases LIST     some of "testpmd-io ovs-dpdk kvnet" (default: all three)
# KVNET_BENCH_KVNETD_ARGS adds options to kvnetd's command line (e.g. "--busy-poll 0", to
# see what the vhost-user ports' polling of their guests' rings is worth).
#
# Output: a table, then one line per figure for scripts:
#   bench vhost/<case>/<size> mpps=X loss_pct=Y ratio=Z            (ratio to testpmd-io)
#   bench vhost/kvnet/<size> mpps=X loss_pct=Y ratio=Z ratio_ovs=W
#   bench vhost/<case> cpu_idle_pct=X cpu_busy_pct=Y
#   bench vhost/<case> SKIP (reason)          when a peer is not installed or not built
# No timing assertions: exit 0 if every case that could run ran.
# Needs root, iproute2, python3, dpdk-testpmd (make deps), and for ovs-dpdk Debian's
# openvswitch-switch-dpdk (scripts/install-bench-deps.sh, called by `make bench`).
#
# What runs where, and where the files go: one namespace kvh-PID-sw (tests/integration/
# lib.sh's kv_ns) holds every process, all run as root by this script: dpdk-testpmd three
# times (peer, and sw for case (a)), ovsdb-server and ovs-vswitchd-dpdk (b), kvnetd (c),
# each case's processes started for it and ended before the next; one temp dir /tmp/kv-vhost_bench.XXXXXX holds
#   sw-a.sock sw-b.sock  case (a)'s vhost-user sockets (its testpmd listens)
#   pmd-TAG.in pmd-TAG.out    each testpmd's prompt (a fifo) and output (TAG peer, sw)
#   ovs/  conf.db, db.sock, the control sockets, pid and log files of ovsdb-server and
#         ovs-vswitchd (OVS_RUNDIR, OVS_DBDIR, OVS_LOGDIR point there), the dpdkvhostuser
#         sockets va and vb of bridge ovsbr0 (OVS_RUNDIR)
#   run/ state/ kvnetd.log    kvnetd's; bridge kvbr0, its sockets run/ports/va.vhost.sock
#                             and run/ports/vb.vhost.sock
# DPDK's EAL keeps its run files in /var/run/dpdk/kvh-PID-*; they are removed at the end.
# Every process is ended by PID on every exit; the machine's own OVS files and services
# (/etc/openvswitch, /var/run/openvswitch) are never used.

set -uo pipefail

KVNET_DIR=build
SECS=10
CASES=(testpmd-io ovs-dpdk kvnet)

usage() {
	sed -n '/^# Usage:/,/^#   --cases/s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kvnet-dir)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		KVNET_DIR=$2; shift 2 ;;
	--seconds)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		SECS=$2; shift 2 ;;
	--quick) SECS=3; shift ;;
	--cases)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		read -ra CASES <<<"$2"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "vhost_bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
case "$SECS" in
'' | *[!0-9]* | 0) echo "vhost_bench: --seconds wants a positive integer" >&2; exit 2 ;;
esac
for c in "${CASES[@]}"; do
	case "$c" in
	testpmd-io | ovs-dpdk | kvnet) ;;
	*) echo "vhost_bench: unknown case '$c' (testpmd-io, ovs-dpdk, kvnet)" >&2; exit 2 ;;
	esac
done

KVNET_BUILD=$(readlink -f "$KVNET_DIR") || { echo "vhost_bench: no $KVNET_DIR" >&2; exit 1; }
# shellcheck source=../tests/integration/lib.sh
source "$(dirname "$0")/../tests/integration/lib.sh"

TESTPMD=${KVNET_TESTPMD:-dpdk-testpmd}
OVS_VSWITCHD=${KVNET_OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
SIZES=(64 1518)
declare -A LEN=([64]=60 [1518]=1514)
MAC_A=52:54:00:16:00:01
MAC_B=52:54:00:16:00:02
NPORTS=2
IN_FLIGHT=16
CPU_SW=1
CPU_PEERS=0
declare -A MPPS=() LOSS=() CPU_IDLE=() CPU_BUSY=() SKIP=() INFO=()

die() {
	echo "vhost_bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, DPDK)"
command -v "$TESTPMD" >/dev/null ||
	die "$TESTPMD is missing (Debian: dpdk-dev and librte-net-virtio23, make deps)"
[ "$(nproc)" -ge 2 ] || { CPU_SW=0; }
kv_tmp
SW=$(kv_ns sw)
kv_ns_add "$SW"
PMD_PREFIX=$SW-
kv_on_exit pmd_clean

# pmd_clean - remove the EAL run files of this run's DPDK processes
pmd_clean() {
	local d
	for d in /var/run/dpdk/"$PMD_PREFIX"*; do
		[ -d "$d" ] && rm -rf "$d"
	done
	rmdir /var/run/dpdk 2>/dev/null
	return 0
}

# pmd_start TAG CPU EAL-ARGS... -- APP-ARGS... - testpmd in the namespace, its lcores (the
# main one and one forwarding lcore) on CPU, its prompt read from the fifo $KV_TMP/pmd-TAG.in
pmd_start() {
	local tag=$1 cpu=$2 in=$KV_TMP/pmd-$1.in fd
	shift 2
	rm -f "$in" "$KV_TMP/pmd-$tag.out"
	mkfifo "$in"
	ip netns exec "$SW" stdbuf -oL "$TESTPMD" --no-huge -m 256 --no-pci --file-prefix "$PMD_PREFIX$tag" \
		--lcores "0@$cpu,1@$cpu" --log-level=user1,8 "$@" \
		<"$in" >"$KV_TMP/pmd-$tag.out" 2>&1 &
	eval "PMD_$tag=$!"
	KV_PIDS+=("$!")
	exec {fd}>"$in"
	eval "PMD_FD_$tag=$fd"
}

# pmd TAG COMMAND - a command at that testpmd's prompt
pmd() {
	local fd
	fd=$(eval echo "\$PMD_FD_$1")
	(echo "$2" >&"$fd") 2>/dev/null
}

# pmd_stop TAG - quit that testpmd, killed by PID if it does not go within KV_WAIT seconds
pmd_stop() {
	local pid fd i
	pid=$(eval echo "\${PMD_$1:-}")
	[ -n "$pid" ] || return 0
	fd=$(eval echo "\$PMD_FD_$1")
	pmd "$1" "stop"
	pmd "$1" "quit"
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	exec {fd}>&-
	eval "PMD_$1="
}

# pmd_stat TAG FIELD - FIELD (RX-packets, TX-packets) summed over testpmd's ports, asked for
# now: polled until an answer newer than the last one is in its output
pmd_stat() {
	local out=$KV_TMP/pmd-$1.out n i
	n=$(grep -c 'Throughput (since last show)' "$out")
	pmd "$1" "show port stats all"
	for ((i = 0; i < KV_WAIT * 20; i++)); do
		[ "$(grep -c 'Throughput (since last show)' "$out")" -ge $((n + NPORTS)) ] &&
			[ "$(tail -n 3 "$out" | grep -c '#####')" -ge 1 ] && break
		sleep 0.05
	done
	# the last NPORTS blocks of statistics
	# (a block's header is "#### NIC statistics for port N ####"; "clear port stats" says
	# "NIC statistics for port N cleared", which is not one)
	awk -v want=$((n + NPORTS)) -v from=$((n + 1)) -v f="$2:" '
		/#+ NIC statistics for port [0-9]+ +#+/ { blk++; in_blk = 1; next }
		/^ *#+ *$/ { in_blk = 0 }
		in_blk && blk >= from && blk <= want {
			for (i = 1; i < NF; i++) if ($i == f) sum += $(i + 1)
		}
		END { print sum + 0 }' "$out"
}

# cpu_ticks PID - utime+stime of PID, all its threads
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# cpu_pct PID T0 T1 SECONDS - % of one core between two cpu_ticks
cpu_pct() {
	"$KV_PY" -c 'import os, sys; t = int(sys.argv[2]) - int(sys.argv[1]); print("%.0f" % (100.0 * t / os.sysconf("SC_CLK_TCK") / float(sys.argv[3])))' \
		"$2" "$3" "$4"
}

# virtio N PATH MAC - virtio-user vdev N on PATH
virtio() {
	echo "net_virtio_user$1,path=$2,mac=$3,queues=1,queue_size=1024"
}

# peer_start SOCK-A SOCK-B - the front-ends: one testpmd with two virtio-user ports, port 0 on
# SOCK-A (MAC_A) and port 1 on SOCK-B (MAC_B), io forwarding between them on one lcore
peer_start() {
	pmd_start peer "$CPU_PEERS" --vdev "$(virtio 0 "$1" "$MAC_A")" \
		--vdev "$(virtio 1 "$2" "$MAC_B")" -- -i --nb-cores=1 --rxq=1 --txq=1 \
		--no-lsc-interrupt --total-num-mbufs=32768 --forward-mode=io \
		--eth-peer="0,$MAC_B" --eth-peer="1,$MAC_A"
}

# peer_ready - the front-end's ports started (testpmd's prompt is there)
peer_ready() {
	local i
	kv_wait_file "$KV_TMP/pmd-peer.out" >/dev/null 2>&1
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		grep -q 'testpmd>' "$KV_TMP/pmd-peer.out" && return 0
		kill -0 "$PMD_peer" 2>/dev/null || break
		sleep 0.1
	done
	echo "vhost_bench: the front-ends' testpmd did not start:" >&2
	tail -n 20 "$KV_TMP/pmd-peer.out" >&2
	return 1
}

# run_case CASE PID - the timed runs of CASE, its switch process PID, the front-ends connected
run_case() {
	local c=$1 pid=$2 size t0 t1 r0 r1 tx rx left lost prev i
	t0=$(cpu_ticks "$pid")
	sleep 2
	t1=$(cpu_ticks "$pid")
	CPU_IDLE[$c]=$(cpu_pct "$pid" "$t0" "$t1" 2)
	local busy=()
	for size in "${SIZES[@]}"; do
		pmd peer "stop"
		pmd peer "set txpkts ${LEN[$size]}"
		pmd peer "clear port stats all"
		# IN_FLIGHT bursts of 32 frames from each port, which then go round for ever
		pmd peer "start tx_first $IN_FLIGHT"
		sleep 1 # warm-up
		r0=$(pmd_stat peer RX-packets)
		t0=$(cpu_ticks "$pid")
		sleep "$SECS"
		r1=$(pmd_stat peer RX-packets)
		t1=$(cpu_ticks "$pid")
		busy+=("$(cpu_pct "$pid" "$t0" "$t1" "$SECS")")
		pmd peer "stop"
		# what is still going round sits in the switch and the rings: drain it (rxonly) and
		# count it; the loop lost what it started with and cannot give back
		tx=$(pmd_stat peer TX-packets)
		rx=$(pmd_stat peer RX-packets)
		pmd peer "set fwd rxonly"
		pmd peer "start"
		prev=-1
		for ((i = 0; i < KV_WAIT * 4; i++)); do
			left=$(pmd_stat peer RX-packets)
			[ "$left" = "$prev" ] && break
			prev=$left
			sleep 0.25
		done
		pmd peer "stop"
		pmd peer "set fwd io"
		lost=$((IN_FLIGHT * 32 * NPORTS - (${left:-0} - ${rx:-0})))
		MPPS[$c/$size]=$("$KV_PY" -c 'import sys; print("%.3f" % ((int(sys.argv[2]) - int(sys.argv[1])) / float(sys.argv[3]) / 1e6))' \
			"${r0:-0}" "${r1:-0}" "$SECS")
		LOSS[$c/$size]=$("$KV_PY" -c 'import sys; s, l = int(sys.argv[1]), int(sys.argv[2]); print("%.3f" % (100.0 * max(l, 0) / s if s else 100.0))' \
			"${tx:-0}" "$lost")
		INFO[$c/$size]="front-ends sent $tx, received $rx, $((${left:-0} - ${rx:-0})) still going round at the end: $lost lost"
	done
	CPU_BUSY[$c]=$(printf '%s\n' "${busy[@]}" | sort -n | tail -n 1)
}

# case_testpmd_io - (a): testpmd's net_vhost ports, io forwarding
case_testpmd_io() {
	local a=$KV_TMP/sw-a.sock b=$KV_TMP/sw-b.sock i
	pmd_start sw "$CPU_SW" --vdev "net_vhost0,iface=$a,client=0,queues=1" \
		--vdev "net_vhost1,iface=$b,client=0,queues=1" -- -i --nb-cores=1 --rxq=1 --txq=1 \
		--no-lsc-interrupt --total-num-mbufs=16384 --forward-mode=io
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -S "$a" ] && [ -S "$b" ] && break
		sleep 0.1
	done
	[ -S "$a" ] && [ -S "$b" ] || { tail -n 20 "$KV_TMP/pmd-sw.out" >&2; return 1; }
	pmd sw "start"
	peer_start "$a" "$b"
	peer_ready || return 1
	run_case testpmd-io "$PMD_sw"
	pmd_stop peer
	pmd_stop sw
}

# ovs_vsctl ARGS... - ovs-vsctl against this run's ovsdb-server
ovs_vsctl() {
	ip netns exec "$SW" ovs-vsctl --db="unix:$OVS_DIR/db.sock" --timeout=10 "$@"
}

# case_ovs_dpdk - (b): ovsdb-server and ovs-vswitchd of our own, DPDK datapath without
# hugepages, two dpdkvhostuser ports on access VLAN 10
case_ovs_dpdk() {
	local i d pid
	OVS_DIR=$KV_TMP/ovs
	mkdir -p "$OVS_DIR"
	export OVS_RUNDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR OVS_SYSCONFDIR=$OVS_DIR
	ovsdb-tool create "$OVS_DIR/conf.db" "$OVS_SCHEMA" || return 1
	ip netns exec "$SW" ovsdb-server "$OVS_DIR/conf.db" --remote="punix:$OVS_DIR/db.sock" \
		--unixctl="$OVS_DIR/ovsdb-server.ctl" --pidfile="$OVS_DIR/ovsdb-server.pid" \
		--log-file="$OVS_DIR/ovsdb-server.log" >/dev/null 2>&1 &
	OVSDB_PID=$!
	KV_PIDS+=("$OVSDB_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -S "$OVS_DIR/db.sock" ] && break
		sleep 0.1
	done
	ovs_vsctl --no-wait init || return 1
	# DPDK in OVS as in testpmd: no hugepages, no PCI, run files under our prefix; the PMD
	# thread on the switch's CPU
	ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		"other_config:dpdk-extra=--no-huge --legacy-mem -m 1024 --no-pci --file-prefix ${PMD_PREFIX}ovs" \
		other_config:per-port-memory=true \
		"other_config:pmd-cpu-mask=$(printf '0x%x' $((1 << CPU_SW)))" || return 1
	ip netns exec "$SW" taskset -c "$CPU_SW" "$OVS_VSWITCHD" "unix:$OVS_DIR/db.sock" \
		--unixctl="$OVS_DIR/ovs-vswitchd.ctl" --pidfile="$OVS_DIR/ovs-vswitchd.pid" \
		--log-file="$OVS_DIR/ovs-vswitchd.log" >/dev/null 2>&1 &
	OVS_PID=$!
	KV_PIDS+=("$OVS_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		d=$(ovs_vsctl get Open_vSwitch . dpdk_initialized 2>/dev/null)
		[ "$d" = true ] && break
		kill -0 "$OVS_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ "$d" = true ] || {
		echo "vhost_bench: ovs-vswitchd did not initialise DPDK:" >&2
		tail -n 20 "$OVS_DIR/ovs-vswitchd.log" >&2
		return 1
	}
	ovs_vsctl add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev \
		-- add-port ovsbr0 va tag=10 -- set Interface va type=dpdkvhostuser \
		-- add-port ovsbr0 vb tag=10 -- set Interface vb type=dpdkvhostuser || return 1
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -S "$OVS_DIR/va" ] && [ -S "$OVS_DIR/vb" ] && break
		sleep 0.1
	done
	[ -S "$OVS_DIR/va" ] && [ -S "$OVS_DIR/vb" ] || {
		echo "vhost_bench: no dpdkvhostuser sockets in $OVS_DIR" >&2
		tail -n 20 "$OVS_DIR/ovs-vswitchd.log" >&2
		return 1
	}
	peer_start "$OVS_DIR/va" "$OVS_DIR/vb"
	peer_ready || return 1
	run_case ovs-dpdk "$OVS_PID"
	[ "${MPPS[ovs-dpdk/64]}" != 0.000 ] || {
		echo "vhost_bench: nothing went through OVS; its log:" >&2
		grep -v '|INFO|EAL' "$OVS_DIR/ovs-vswitchd.log" | tail -n 30 >&2
	}
	INFO[ovs-dpdk]="ovs-vswitchd: $(ip netns exec "$SW" ovs-appctl -t "$OVS_DIR/ovs-vswitchd.ctl" \
		dpif-netdev/pmd-stats-show 2>/dev/null | grep -E 'packets received|avg processing' |
		tr -s ' \n' ' ')"
	INFO[ovs-dpdk]+="; vb: $(ovs_vsctl get Interface vb statistics 2>/dev/null)"
	pmd_stop peer
	# the bridge's local port is a tap in the namespace: gone with the bridge
	ovs_vsctl del-br ovsbr0 >/dev/null 2>&1
	ip netns exec "$SW" ovs-appctl -t "$OVS_DIR/ovs-vswitchd.ctl" exit >/dev/null 2>&1
	ip netns exec "$SW" ovs-appctl -t "$OVS_DIR/ovsdb-server.ctl" exit >/dev/null 2>&1
	for pid in "$OVS_PID" "$OVSDB_PID"; do
		for ((i = 0; i < KV_WAIT * 10; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		kv_forget "$pid"
	done
	unset OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR
}

# kvnet_has_vhost - whether the kvnet built knows the vhost-user back-end
kvnet_has_vhost() {
	"$KVNET" --help 2>&1 | grep -q vhost-user
}

# case_kvnet - (c): kvnetd, two vhost-user ports on access VLAN 10 of a VLAN-filtering bridge
case_kvnet() {
	local p out
	# shellcheck disable=SC2086 # words: e.g. KVNET_BENCH_KVNETD_ARGS="--busy-poll 0"
	kvnetd_start "$SW" --log-level info ${KVNET_BENCH_KVNETD_ARGS:-} || return 1
	taskset -a -p -c "$CPU_SW" "$KVNETD_PID" >/dev/null || return 1
	out=$(kv bridge add kvbr0 vlan_filtering on 2>&1) ||
		{ echo "vhost_bench: bridge add kvbr0: $out" >&2; return 1; }
	for p in va vb; do
		out=$(kv port-create --bridge kvbr0 --backend vhost-user --vlan 10 --name "$p" 2>&1) ||
			{ echo "vhost_bench: port-create $p: $out" >&2; return 1; }
	done
	peer_start "$KV_RUN/ports/va.vhost.sock" "$KV_RUN/ports/vb.vhost.sock"
	peer_ready || return 1
	run_case kvnet "$KVNETD_PID"
	# where frames were lost: what kvnet took from the front-ends, gave them, and counted
	INFO[kvnet]="kvnetd: $(kv_q "'; '.join('%s rx_frames=%d tx_frames=%d tx_errors=%d drops=%s' %
		(p['name'], p['rx_frames'], p['tx_frames'], p.get('tx_errors', 0),
		{k: v for k, v in p.get('drops', {}).items() if v}) for p in d['ports'])" stats show 2>/dev/null)"
	pmd_stop peer
	kvnetd_stop || die "kvnetd did not exit on SIGTERM"
	! kv_sanitizer_report >&2 || die "sanitizer report in kvnetd's log (above)"
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "vhost_bench: namespace $SW, files in $KV_TMP; switch on CPU $CPU_SW," \
	"the front-ends on CPU $CPU_PEERS; ${SECS} s per window" >&2
failed=0
for c in "${CASES[@]}"; do
	case "$c" in
	ovs-dpdk)
		if [ ! -x "$OVS_VSWITCHD" ] || ! command -v ovsdb-server >/dev/null; then
			SKIP[$c]="no openvswitch-switch-dpdk: scripts/install-bench-deps.sh"
			continue
		fi ;;
	kvnet)
		if ! kvnet_has_vhost; then
			SKIP[$c]="no vhost-user back-end in this build"
			continue
		fi ;;
	esac
	echo "vhost_bench: $c" >&2
	"case_${c//-/_}" || { echo "vhost_bench: $c did not run" >&2; failed=1; SKIP[$c]="failed to run"; }
	pmd_stop peer
	pmd_stop sw
done

# ------------------------------------------------------------------ report

# ratio A B - A / B, or - when either is missing or B is 0
ratio() {
	"$KV_PY" -c 'import sys
try:
    a, b = float(sys.argv[1]), float(sys.argv[2])
    print("%.2f" % (a / b) if b else "-")
except ValueError:
    print("-")' "${1:--}" "${2:--}"
}

echo
echo "vhost-user: one testpmd with two virtio-user ports in io forwarding, a switch between"
echo "them, $IN_FLIGHT bursts of 32 frames from each port going round; ${SECS} s per window; load"
echo "average before the runs $LOAD. Placement: switch on CPU $CPU_SW; front-ends on CPU $CPU_PEERS."
printf '%-11s %6s %8s %8s %7s %9s %9s\n' case frame Mpps loss ratio "CPU idle" "CPU full"
printf '%-11s %6s %8s %8s %7s %9s %9s\n' ----------- ------ -------- -------- ------- \
	--------- ---------
for c in "${CASES[@]}"; do
	if [ -n "${SKIP[$c]-}" ]; then
		printf '%-11s SKIP (%s)\n' "$c" "${SKIP[$c]}"
		continue
	fi
	for size in "${SIZES[@]}"; do
		printf '%-11s %4s B %8s %7s%% %7s %8s%% %8s%%\n' "$c" "$size" "${MPPS[$c/$size]}" \
			"${LOSS[$c/$size]}" "$(ratio "${MPPS[$c/$size]}" "${MPPS[testpmd-io/$size]-}")" \
			"${CPU_IDLE[$c]}" "${CPU_BUSY[$c]}"
	done
done
echo
echo "Mpps: frames/s the switch delivered to the front-ends; loss: frames of the loop dropped"
echo "anywhere, per frame sent; ratio: to testpmd-io; CPU: % of one core used by the switch's"
echo "process (all threads) with both front-ends connected and idle, and at full rate."
echo "64 B is a 60-byte frame in memory, 1518 B a 1514-byte one (no FCS)."
echo
echo "details:"
for c in "${CASES[@]}"; do
	[ -z "${SKIP[$c]-}" ] || continue
	for size in "${SIZES[@]}"; do
		printf '  %-16s %s\n' "$c/$size" "${INFO[$c/$size]}"
	done
	[ -z "${INFO[$c]-}" ] || printf '  %-16s %s\n' "$c" "${INFO[$c]}"
done
echo
for c in "${CASES[@]}"; do
	if [ -n "${SKIP[$c]-}" ]; then
		echo "bench vhost/$c SKIP (${SKIP[$c]})"
		continue
	fi
	for size in "${SIZES[@]}"; do
		line="bench vhost/$c/$size mpps=${MPPS[$c/$size]} loss_pct=${LOSS[$c/$size]}"
		line+=" ratio=$(ratio "${MPPS[$c/$size]}" "${MPPS[testpmd-io/$size]-}")"
		[ "$c" != kvnet ] ||
			line+=" ratio_ovs=$(ratio "${MPPS[$c/$size]}" "${MPPS[ovs-dpdk/$size]-}")"
		echo "$line"
	done
	echo "bench vhost/$c cpu_idle_pct=${CPU_IDLE[$c]} cpu_busy_pct=${CPU_BUSY[$c]}"
done
exit "$failed"
