#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tap_bench.sh - kvnet against the Linux kernel bridge, measured in the same
# run on the same set-up, for both of kvnet's ways of attaching a host.
#
# Two hosts (network namespaces) are connected three ways:
#   bridge  through a kernel bridge (in a namespace of its own), veth pairs;
#   tap     through kvnetd (in a namespace of its own), one tap port each,
#           the taps moved into the hosts' namespaces (as a VM's would be);
#   dev     through the same kvnetd, veth pairs whose switch ends are
#           attached with `port add BR dev:IF` (AF_PACKET).
# For each, it measures:
#   tcp-1, tcp-2  TCP with 1 and 2 streams (iperf3), Gbps received;
#   udp64         64-byte UDP frames (18-byte payload) offered at full speed
#                 by bench/udpgen (AF_PACKET, sendmmsg), counted as they
#                 arrive at the receiver's interface (its rx_packets): kpps
#                 received, and the loss = frames the sender's interface
#                 took (sent + its tx_dropped) - frames the receiver's
#                 counted, in % of those the sender's took;
#   rtt           ping RTT, median and 99th percentile of many pings
#                 (ping -i 0.002), in microseconds;
#   udp-rtt       the same for UDP between two programs (bench/udpping, a
#                 datagram every 2 ms, answered by a process on cpu1): ping's
#                 echo is made by the receiving kernel inside the write that
#                 brought it, this one needs the answering program woken.
# The endpoints are pinned: sender (iperf3 client, udpgen, ping) on cpu0,
# receiver (iperf3 server) on cpu1; kvnetd is not pinned, and where its
# threads ran is printed. kvnetd's CPU use while idle (utime + stime from
# /proc over 10 s with nothing to forward) is printed too.
# Every set-up uses MTU 1500 and its interfaces' default offloads.
#
# Usage: bench/tap_bench.sh [--kvnet-dir DIR] [--seconds N] [--quick]
#                           [--bridge-only] [--cases LIST] [--pings N]
#                           [-- KVNETD_OPTION...]
#   --kvnet-dir DIR  where kvnetd and kvnet are (default: build)
#   --seconds N      length of each throughput run (default 10)
#   --quick          2 s per run, fewer pings (a smoke test)
#   --bridge-only    measure the kernel bridge only (no kvnetd needed)
#   --cases LIST     only these, comma-separated: tcp-1,tcp-2,udp64,rtt,udp-rtt (the
#                    figures of the others are printed as nan)
#   --pings N        pings for the RTT (default 500, 200 with --quick)
#   --threads N      kvnetd --threads N (default 1); the lines then start
#                    "bench tap-tN/" instead of "bench tap/"
#   -- OPTION...     more options for kvnetd (e.g. --busy-poll 0)
#
# Output: a table, then one line per figure for scripts, ATTACH tap or dev:
#   bench tap/ATTACH/tcp-1 kvnet_gbps=X bridge_gbps=Y ratio=R
#   bench tap/ATTACH/tcp-2 kvnet_gbps=X bridge_gbps=Y ratio=R
#   bench tap/ATTACH/udp64 kvnet_kpps=X bridge_kpps=Y ratio=R
#   bench tap/ATTACH/udp64-loss kvnet_pct=X bridge_pct=Y ratio=R
#   bench tap/ATTACH/rtt-median kvnet_us=X bridge_us=Y ratio=R
#   bench tap/ATTACH/rtt-p99 kvnet_us=X bridge_us=Y ratio=R
#   bench tap/ATTACH/udp-rtt-median kvnet_us=X bridge_us=Y ratio=R
#   bench tap/ATTACH/udp-rtt-p99 kvnet_us=X bridge_us=Y ratio=R
#   bench tap/idle-cpu kvnet_pct=X
# (ratio=nan where the bridge's figure is 0). No timing assertions: exit 0
# if everything ran, non-zero if something failed to run. Needs root,
# iproute2, iperf3, ping, taskset and python3.
#
# Everything the script makes is its own: namespaces kvb-PID-*, one temp
# dir, and the processes it started (killed by PID on exit). The machine's
# own interfaces, routes, sysctls and firewall are never touched.

set -euo pipefail

KVNET_DIR=build
SECONDS_PER_RUN=10
BRIDGE_ONLY=0
PINGS=500
IDLE_SECONDS=10
KVNETD_OPTS=()
THREADS=1
CASES_OPT=tcp-1,tcp-2,udp64,rtt,udp-rtt
PINGS_OPT=
PY=/usr/bin/python3

usage() {
	sed -n '/^# Usage:/,/^#   -- OPTION/s/^# \{0,1\}//p' "$0"
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
	--quick) SECONDS_PER_RUN=2 PINGS=200 IDLE_SECONDS=2; shift ;;
	--bridge-only) BRIDGE_ONLY=1; shift ;;
	--cases)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		CASES_OPT=$2; shift 2 ;;
	--cases=*) CASES_OPT=${1#*=}; shift ;;
	--pings)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		PINGS_OPT=$2; shift 2 ;;
	--pings=*) PINGS_OPT=${1#*=}; shift ;;
	--threads)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		THREADS=$2; shift 2 ;;
	--threads=*) THREADS=${1#*=}; shift ;;
	--) shift; KVNETD_OPTS=("$@"); break ;;
	-h | --help) usage; exit 0 ;;
	*) echo "tap_bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done

case "$SECONDS_PER_RUN" in
'' | *[!0-9]* | 0) echo "tap_bench: --seconds wants a positive integer" >&2; exit 2 ;;
esac
case "$THREADS" in
[1-8]) ;;
*) echo "tap_bench: --threads wants 1 to 8" >&2; exit 2 ;;
esac
# the threads go to kvnetd, and into the name of every line
NAME=tap
[ "$THREADS" -eq 1 ] || NAME=tap-t$THREADS
case "$PINGS_OPT" in
'') ;;
*[!0-9]* | 0) echo "tap_bench: --pings wants a positive integer" >&2; exit 2 ;;
*) PINGS=$PINGS_OPT ;;
esac
IFS=, read -r -a CASES <<<"$CASES_OPT"
for c in "${CASES[@]}"; do
	case "$c" in
	tcp-1 | tcp-2 | udp64 | rtt | udp-rtt) ;;
	*) echo "tap_bench: --cases: '$c' is not one of tcp-1, tcp-2, udp64, rtt, udp-rtt" >&2; exit 2 ;;
	esac
done

die() {
	echo "tap_bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, taps)"
for tool in ip iperf3 timeout ping taskset; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -x "$PY" ] || die "$PY is not installed"
[ "$(nproc)" -ge 2 ] || die "the endpoints are pinned to cpu0 and cpu1: needs 2 CPUs"

KVNETD=$KVNET_DIR/kvnetd
KVNET=$KVNET_DIR/kvnet
if [ "$BRIDGE_ONLY" -eq 0 ]; then
	[ -x "$KVNETD" ] || die "$KVNETD not found (build it, or --kvnet-dir DIR)"
	[ -x "$KVNET" ] || die "$KVNET not found (build it, or --kvnet-dir DIR)"
	# ip netns exec runs them from elsewhere: make the paths absolute
	KVNETD=$(readlink -f "$KVNETD")
	KVNET=$(readlink -f "$KVNET")
fi

UDPGEN=$KVNET_DIR/bench/udpgen
[ -x "$UDPGEN" ] || die "$UDPGEN not found (build it, or --kvnet-dir DIR)"
UDPGEN=$(readlink -f "$UDPGEN")
UDPPING=$KVNET_DIR/bench/udpping
[ -x "$UDPPING" ] || die "$UDPPING not found (build it, or --kvnet-dir DIR)"
UDPPING=$(readlink -f "$UDPPING")

# ---------------------------------------------------------------- clean-up

P=kvb-$$
NS_SW=$P-sw                            # kvnetd
NS_BR=$P-br                            # the kernel bridge
MY_NS=()                               # namespaces this script created
declare -A MY_PIDS=()                  # processes this script started: PID -> start time
KVNETD_PID=
TMP=

# shellcheck disable=SC2317 # called from the trap
kill_pid() { # PID: TERM, wait up to 5 s, then KILL
	local pid=$1
	alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # the trap handler
cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM
	# interrupted (INT, TERM) or failed before the end: never exit 0
	[ "$DONE" -eq 1 ] || [ "$rc" -ne 0 ] || rc=1
	set +e
	# kvnetd first: its taps go with it, before their namespaces do
	[ -n "$KVNETD_PID" ] && kill_pid "$KVNETD_PID"
	for pid in "${!MY_PIDS[@]}"; do
		kill_pid "$pid"
	done
	for ns in ${MY_NS[@]+"${MY_NS[@]}"}; do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$TMP" ] && rm -rf -- "$TMP"
	exit "$rc"
}
DONE=0
trap cleanup EXIT INT TERM

TMP=$(mktemp -d /tmp/kvb-$$.XXXXXX)

mkns() {
	local ns=$1
	[ ! -e "/run/netns/$ns" ] || die "namespace $ns exists already"
	ip netns add "$ns" || die "cannot create namespace $ns"
	MY_NS+=("$ns")
	ip -n "$ns" link set lo up
}

# the start time of process PID (field 22 of /proc/PID/stat), empty if none
proc_start() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	st=${st##*) } # the fields after the command name (which may hold spaces)
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $st
	[ $# -ge 20 ] && [ "$1" != Z ] && [ "$1" != X ] && echo "${20}"
	return 0
}

# remember PID as one of ours
track() {
	MY_PIDS[$1]=$(proc_start "$1")
}

# PID is one of ours and still running (not a zombie, not a new process
# that got the same PID after ours was reaped)
alive() {
	local now
	now=$(proc_start "$1")
	[ -n "$now" ] && [ "${MY_PIDS[$1]-}" = "$now" ]
}

# start CMD... in the background; remember its PID
start_bg() {
	local log=$1; shift
	"$@" >"$log" 2>&1 &
	LAST_PID=$!
	track "$LAST_PID"
}

# wait until NS has a TCP listener on port 5201 (iperf3 -s)
wait_listen() {
	local ns=$1 pid=$2
	for _ in $(seq 100); do
		alive "$pid" || return 1
		if ip netns exec "$ns" ss -Hltn 'sport = :5201' 2>/dev/null | grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# wait until NS reaches ADDR: a TCP connection to a closed port that is
# refused proves the path works both ways (there may be no ping)
wait_reach() { # NS ADDR
	ip netns exec "$1" "$PY" -c '
import socket, sys, time
for _ in range(40):
    s = socket.socket()
    s.settimeout(1)
    try:
        s.connect((sys.argv[1], 9))
        sys.exit(0)
    except ConnectionRefusedError:
        sys.exit(0)
    except OSError:
        time.sleep(0.25)
    finally:
        s.close()
sys.exit(1)
' "$2" >/dev/null 2>&1
}

# ------------------------------------------------------------------ set-ups

# the hosts of each set-up: S_NS/S_IF send (10.77.0.1), R_NS/R_IF receive (10.77.0.2)
declare -A S_NS S_IF R_NS R_IF

# start iperf3's and udpping's servers on cpu1 in SETUP's receiver and wait until the path works
start_server() { # SETUP
	local s=$1
	start_bg "$TMP/udpping-$s.log" ip netns exec "${R_NS[$s]}" taskset -c 1 "$UDPPING" server 7777
	start_bg "$TMP/iperf3-$s.log" ip netns exec "${R_NS[$s]}" taskset -c 1 iperf3 -s
	wait_listen "${R_NS[$s]}" "$LAST_PID" ||
		die "iperf3 server in ${R_NS[$s]} did not start: $(cat "$TMP/iperf3-$s.log")"
	wait_reach "${S_NS[$s]}" 10.77.0.2 || die "$s: ${S_NS[$s]} cannot reach 10.77.0.2"
}

# the two hosts of SETUP: namespaces $P-SETUP-s and $P-SETUP-r
host_ns() { # SETUP
	S_NS[$1]=$P-$1-s
	R_NS[$1]=$P-$1-r
	mkns "${S_NS[$1]}"
	mkns "${R_NS[$1]}"
}

# a veth pair eth0 in host namespace NS, its peer PEER in namespace SWNS, both up
host_veth() { # NS ADDR SWNS PEER
	ip -n "$1" link add eth0 mtu 1500 type veth peer name "$4" mtu 1500 netns "$3"
	ip -n "$3" link set "$4" up
	ip -n "$1" addr add "$2/24" dev eth0
	ip -n "$1" link set eth0 up
}

setup_bridge() {
	mkns "$NS_BR"
	host_ns bridge
	ip -n "$NS_BR" link add br0 type bridge
	ip -n "$NS_BR" link set br0 up
	host_veth "${S_NS[bridge]}" 10.77.0.1 "$NS_BR" vs
	host_veth "${R_NS[bridge]}" 10.77.0.2 "$NS_BR" vr
	ip -n "$NS_BR" link set vs master br0
	ip -n "$NS_BR" link set vr master br0
	S_IF[bridge]=eth0 R_IF[bridge]=eth0
	start_server bridge
}

kvnet() {
	"$KVNET" --socket "$TMP/run/kvnetd.sock" "$@"
}

start_kvnetd() {
	mkns "$NS_SW"
	mkdir -p "$TMP/run" "$TMP/state"
	ip netns exec "$NS_SW" "$KVNETD" --run-dir "$TMP/run" --state-dir "$TMP/state" \
		--threads "$THREADS" ${KVNETD_OPTS[@]+"${KVNETD_OPTS[@]}"} >"$TMP/kvnetd.log" 2>&1 &
	KVNETD_PID=$!
	track "$KVNETD_PID"
	local up=0
	for _ in $(seq 100); do
		alive "$KVNETD_PID" || break
		if kvnet version >/dev/null 2>&1; then
			up=1
			break
		fi
		sleep 0.1
	done
	[ "$up" -eq 1 ] || die "kvnetd did not come up: $(tail -n 20 "$TMP/kvnetd.log")"
}

# taps ts and tr of kvnet's bridge brt, moved into the hosts' namespaces
setup_tap() {
	host_ns tap
	kvnet bridge add brt >/dev/null || die "kvnet bridge add brt failed"
	local h a
	for h in s:10.77.0.1 r:10.77.0.2; do
		a=${h#*:} h=${h%%:*}
		local ns=$P-tap-$h
		kvnet port add brt "t$h" netns "$ns" >/dev/null || die "kvnet port add brt t$h failed"
		ip -n "$ns" link show "t$h" >/dev/null 2>&1 || die "tap t$h is not in $ns"
		ip -n "$ns" link set "t$h" mtu 1500 up
		ip -n "$ns" addr add "$a/24" dev "t$h"
	done
	S_IF[tap]=ts R_IF[tap]=tr
	start_server tap
}

# veth pairs whose ends ds and dr in kvnetd's namespace are dev: ports of bridge brd
setup_dev() {
	host_ns dev
	kvnet bridge add brd >/dev/null || die "kvnet bridge add brd failed"
	host_veth "${S_NS[dev]}" 10.77.0.1 "$NS_SW" ds
	host_veth "${R_NS[dev]}" 10.77.0.2 "$NS_SW" dr
	kvnet port add brd dev:ds >/dev/null || die "kvnet port add brd dev:ds failed"
	kvnet port add brd dev:dr >/dev/null || die "kvnet port add brd dev:dr failed"
	S_IF[dev]=eth0 R_IF[dev]=eth0
	start_server dev
}

# stats.show straight over the control socket (JSON-RPC, docs/protocol.md):
# prints "PORT RX_FRAMES RX_BYTES TX_FRAMES TX_BYTES ERRORS DROPS DROPS_BY_CAUSE" per port
kvnet_stats() {
	"$PY" - "$TMP/run/kvnetd.sock" <<'PYEOF' 2>/dev/null || true
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"stats.show","params":{}}\n')
buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(65536)
    if not d:
        break
    buf += d
for p in json.loads(buf)["result"]["ports"]:
    drops = p.get("drops", {})
    print(p["name"], p["rx_frames"], p["rx_bytes"], p["tx_frames"], p["tx_bytes"],
          p.get("tx_errors", 0) + p.get("rx_errors", 0), sum(drops.values()),
          ",".join("%s=%d" % kv for kv in sorted(drops.items()) if kv[1]) or "-")
PYEOF
}

# what the kvnet ports did during one run (counter deltas): frames read and
# their average size, frames written, errors, drops by cause
frame_avg() { # BEFORE AFTER PORT...
	"$PY" - "$@" <<'PYEOF'
import sys
def load(f):
    d = {}
    for line in open(f):
        v = line.split()
        if len(v) == 8:
            d[v[0]] = [int(x) for x in v[1:7]] + [dict(
                kv.split("=") for kv in v[7].split(",") if "=" in kv)]
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
out = []
for port in sys.argv[3:]:
    if port not in a or port not in b:
        continue
    rf, rb, tf, tb, err, drops = (b[port][i] - a[port][i] for i in range(6))
    causes = ",".join("%s %d" % (k, int(v) - int(a[port][6].get(k, 0)))
                      for k, v in sorted(b[port][6].items())
                      if int(v) - int(a[port][6].get(k, 0)))
    out.append("%s: rx %d fr avg %d B, tx %d fr avg %d B, err %d, drops %d%s" %
               (port, rf, rb // rf if rf else 0, tf, tb // tf if tf else 0, err, drops,
                " (" + causes + ")" if causes else ""))
print("; ".join(out))
PYEOF
}

# kvnetd's CPU time so far, in clock ticks (utime + stime of all its threads)
kvnetd_ticks() {
	local st
	st=$(cat "/proc/$KVNETD_PID/stat") || return 1
	st=${st##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $st
	echo $((${12} + ${13}))
}

# percent of one CPU that TICKS clock ticks over SECONDS are
cpu_pct() { # TICKS SECONDS
	"$PY" -c 'import os, sys; print("%.2f" % (100.0 * int(sys.argv[1]) / os.sysconf("SC_CLK_TCK") / float(sys.argv[2])))' "$1" "$2"
}

# kvnetd's sleeps so far: the voluntary context switches of all its threads
kvnetd_sleeps() {
	cat /proc/"$KVNETD_PID"/task/*/status 2>/dev/null |
		awk '/^voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

# where kvnetd's threads may run and last ran: "NAME(TID) cpus LIST last cpuN; ..."
thread_placement() {
	local t name allowed st out=""
	for t in /proc/"$KVNETD_PID"/task/*; do
		name=$(cat "$t/comm" 2>/dev/null) || continue
		allowed=$(awk '/^Cpus_allowed_list:/ { print $2 }' "$t/status" 2>/dev/null)
		st=$(cat "$t/stat" 2>/dev/null) || continue
		st=${st##*) }
		# shellcheck disable=SC2086 # split into fields on purpose
		set -- $st
		out+="$name(${t##*/}) cpus $allowed last cpu${37}; "
	done
	echo "${out%; }"
}

# ----------------------------------------------------------------- measuring

# run_iperf NAME NS ARGS... : client run on cpu0, JSON kept in $TMP/NAME.json
run_iperf() {
	local name=$1 ns=$2; shift 2
	local out=$TMP/$name.json
	local pid rc=0
	# in the background and waited for, so that INT or TERM are acted on at
	# once (and the client is among the processes clean-up stops)
	timeout $((SECONDS_PER_RUN + 60)) ip netns exec "$ns" taskset -c 0 \
		iperf3 -c 10.77.0.2 -t "$SECONDS_PER_RUN" -J "$@" >"$out" 2>"$TMP/$name.err" &
	pid=$!
	track "$pid"
	# a kvnetd that dies takes its taps along: stop the client at once
	while alive "$pid"; do
		if [ -n "$KVNETD_PID" ] && ! alive "$KVNETD_PID"; then
			kill_pid "$pid"
			unset "MY_PIDS[$pid]"
			echo "tap_bench: kvnetd died during $name:" >&2
			tail -n 20 "$TMP/kvnetd.log" >&2
			return 1
		fi
		sleep 0.2
	done
	wait "$pid" || rc=$?
	unset "MY_PIDS[$pid]" # reaped: its PID is no longer ours
	if [ "$rc" -ne 0 ]; then
		echo "tap_bench: iperf3 $name failed:" >&2
		"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("error",""))' \
			"$out" >&2 2>/dev/null || cat "$TMP/$name.err" >&2
		return 1
	fi
}

# tcp_figure FILE : "GBPS DETAIL...": Gbps received, then a few words about the run
tcp_figure() {
	"$PY" - "$1" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
if "error" in j:
    sys.exit("iperf3: " + j["error"])
end = j["end"]
cpu = end.get("cpu_utilization_percent", {})
print("%.3f retransmits %d, cpu client %.0f%% server %.0f%%" % (
    end["sum_received"]["bits_per_second"] / 1e9, end["sum_sent"].get("retransmits", 0),
    cpu.get("host_total", 0), cpu.get("remote_total", 0)))
PYEOF
}

declare -A RES INFO PORTS
PORTS[tap]="ts tr" PORTS[dev]="ds dr"

# counters of kvnet's ports before a run, kept to say what they did during it
stats_before() { # SETUP
	[ "$1" = bridge ] || kvnet_stats >"$TMP/stats0"
}
stats_after() { # SETUP CASE
	[ "$1" = bridge ] && return 0
	kvnet_stats >"$TMP/stats1"
	# shellcheck disable=SC2086 # the port names are words on purpose
	INFO[$1-$2]+="; kvnet ports: $(frame_avg "$TMP/stats0" "$TMP/stats1" ${PORTS[$1]})"
}

run_tcp() { # SETUP CASE
	local s=$1 t=$2 f args=
	[ "$t" = tcp-2 ] && args="-P 2"
	stats_before "$s"
	# shellcheck disable=SC2086 # the arguments are words on purpose
	run_iperf "$s-$t" "${S_NS[$s]}" $args || return 1
	f=$(tcp_figure "$TMP/$s-$t.json") || return 1
	RES[$s-$t]=${f%% *}
	INFO[$s-$t]=${f#* }
	stats_after "$s" "$t"
}

# a counter of interface IF in namespace NS
if_stat() { # NS IF COUNTER
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# what the sender's interface IF in NS took: frames sent on plus frames it dropped
# (a tap's queue to kvnetd full, a veth's peer backlog full)
if_took() { # NS IF
	echo $(($(if_stat "$1" "$2" tx_packets) + $(if_stat "$1" "$2" tx_dropped)))
}

# 64-byte UDP frames offered at full speed by bench/udpgen (cpu0) on the
# sender's interface, counted as they arrive at the receiver's: the rate
# received, and the loss: what the sender's interface took and the
# receiver's did not count
run_udp64() { # SETUP
	local s=$1 mac r0 r1 t0 t1 d0 d1 sent got c0 c1 ns=${S_NS[$1]} nsr=${R_NS[$1]}
	mac=$(ip netns exec "$nsr" cat "/sys/class/net/${R_IF[$s]}/address") || return 1
	stats_before "$s"
	r0=$(if_stat "$nsr" "${R_IF[$s]}" rx_packets) || return 1
	t0=$(if_took "$ns" "${S_IF[$s]}") || return 1
	d0=$(if_stat "$ns" "${S_IF[$s]}" tx_dropped) || return 1
	[ "$s" = bridge ] || c0=$(kvnetd_ticks)
	ip netns exec "$ns" taskset -c 0 "$UDPGEN" "${S_IF[$s]}" "$mac" 10.77.0.1 \
		10.77.0.2 "$SECONDS_PER_RUN" >/dev/null || return 1
	[ "$s" = bridge ] || c1=$(kvnetd_ticks)
	# frames still in a queue on the way arrive in a moment: wait until the count settles
	r1=$(if_stat "$nsr" "${R_IF[$s]}" rx_packets) || return 1
	for _ in $(seq 20); do
		sleep 0.1
		got=$(if_stat "$nsr" "${R_IF[$s]}" rx_packets) || return 1
		[ "$got" = "$r1" ] && break
		r1=$got
	done
	t1=$(if_took "$ns" "${S_IF[$s]}") || return 1
	d1=$(if_stat "$ns" "${S_IF[$s]}" tx_dropped) || return 1
	sent=$((t1 - t0))
	got=$((r1 - r0))
	read -r "RES[$s-udp64]" "RES[$s-udp64-loss]" < <("$PY" -c '
import sys
sent, got, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
print("%.1f %.2f" % (got / secs / 1e3, max(0, sent - got) * 100.0 / sent if sent else 0))
' "$sent" "$got" "$SECONDS_PER_RUN")
	INFO[$s-udp64]="sender's ${S_IF[$s]} took $sent frames ($((d1 - d0)) of them dropped there),"
	INFO[$s-udp64]+=" receiver's ${R_IF[$s]} counted $got"
	[ "$s" = bridge ] ||
		INFO[$s-udp64]+=", kvnetd cpu $(cpu_pct $((c1 - c0)) "$SECONDS_PER_RUN")%"
	stats_after "$s" udp64
}

# ping RTT from the sender (cpu0): median and 99th percentile in microseconds
run_rtt() { # SETUP
	local s=$1 out w0 w1 c0 c1
	stats_before "$s"
	[ "$s" = bridge ] || { w0=$(kvnetd_sleeps); c0=$(kvnetd_ticks); }
	out=$(ip netns exec "${S_NS[$s]}" taskset -c 0 ping -n -i 0.002 -c "$PINGS" -W 1 \
		10.77.0.2 2>&1) || true
	read -r "RES[$s-rtt-median]" "RES[$s-rtt-p99]" n < <("$PY" -c '
import re, sys
t = sorted(float(m) * 1000 for m in re.findall(r"time=([0-9.]+) ms", sys.stdin.read()))
if not t:
    sys.exit(1)
print("%.0f %.0f %d" % (t[len(t) // 2], t[min(len(t) - 1, (len(t) * 99) // 100)], len(t)))
' <<<"$out") || return 1
	INFO[$s-rtt-median]="ping: $n of $PINGS answered"
	if [ "$s" != bridge ]; then
		w1=$(kvnetd_sleeps) c1=$(kvnetd_ticks)
		INFO[$s-rtt-median]+=", kvnetd slept $("$PY" -c 'import sys; print("%.2f" % ((int(sys.argv[2]) - int(sys.argv[1])) / float(sys.argv[3])))' "$w0" "$w1" "$PINGS") times a ping"
		INFO[$s-rtt-median]+=" and used $(cpu_pct $((c1 - c0)) "$("$PY" -c 'import sys; print(int(sys.argv[1]) * 0.002)' "$PINGS")")% of a CPU"
	fi
	stats_after "$s" rtt-median
}

# UDP RTT between udpping's client (cpu0) and server (cpu1): median and 99th percentile, us
run_udp_rtt() { # SETUP
	local s=$1 out w0 w1
	stats_before "$s"
	[ "$s" = bridge ] || w0=$(kvnetd_sleeps)
	out=$(ip netns exec "${S_NS[$s]}" taskset -c 0 "$UDPPING" client 10.77.0.2 7777 \
		"$PINGS" 2000) || return 1
	[[ "$out" =~ median=([0-9]+)\ p99=([0-9]+)\ answered=([0-9]+) ]] || return 1
	RES[$s-udp-rtt-median]=${BASH_REMATCH[1]}
	RES[$s-udp-rtt-p99]=${BASH_REMATCH[2]}
	INFO[$s-udp-rtt-median]="udpping: ${BASH_REMATCH[3]} of $PINGS answered"
	if [ "$s" != bridge ]; then
		w1=$(kvnetd_sleeps)
		INFO[$s-udp-rtt-median]+=", kvnetd slept $("$PY" -c 'import sys; print("%.2f" % ((int(sys.argv[2]) - int(sys.argv[1])) / float(sys.argv[3])))' "$w0" "$w1" "$PINGS") times a round trip"
	fi
	stats_after "$s" udp-rtt-median
}

run_case() { # SETUP CASE
	echo "tap_bench: $2 through $1" >&2
	case "$2" in
	tcp-*) run_tcp "$1" "$2" ;;
	udp64) run_udp64 "$1" ;;
	rtt) run_rtt "$1" ;;
	udp-rtt) run_udp_rtt "$1" ;;
	esac || die "$2 through $1 did not run"
}

echo "tap_bench: setting up (namespaces $P-*)" >&2
setup_bridge
SETUPS=(bridge)
if [ "$BRIDGE_ONLY" -eq 0 ]; then
	start_kvnetd
	setup_tap
	setup_dev
	SETUPS+=(tap dev)
	echo "tap_bench: kvnetd idle for ${IDLE_SECONDS} s" >&2
	c0=$(kvnetd_ticks)
	sleep "$IDLE_SECONDS"
	c1=$(kvnetd_ticks)
	IDLE_CPU=$(cpu_pct $((c1 - c0)) "$IDLE_SECONDS")
fi

# case by case, every set-up in turn, so that a change in the machine's load
# during the run falls on all of them alike
for t in "${CASES[@]}"; do
	for s in "${SETUPS[@]}"; do
		run_case "$s" "$t"
	done
done
[ "$BRIDGE_ONLY" -eq 1 ] || PLACEMENT=$(thread_placement)

# ------------------------------------------------------------------ report

# FIGURES: case, unit word for the line, unit for the table, description
FIGURES=(
	"tcp-1 gbps Gbps TCP,_1_stream"
	"tcp-2 gbps Gbps TCP,_2_streams"
	"udp64 kpps kpps UDP_64-byte_frames,_received"
	"udp64-loss pct % UDP_64-byte_frames,_lost"
	"rtt-median us us ping_RTT,_median"
	"rtt-p99 us us ping_RTT,_99th_percentile"
	"udp-rtt-median us us UDP_RTT_(udpping),_median"
	"udp-rtt-p99 us us UDP_RTT_(udpping),_99th_percentile"
)

ratio() { # X Y
	"$PY" -c 'import sys; x, y = float(sys.argv[1]), float(sys.argv[2]); print("%.3f" % (x / y) if y > 0 else "nan")' "$1" "$2"
}

ATTACHES=(tap dev)
declare -A RAT
# the figures of the cases not run
for f in "${FIGURES[@]}"; do
	read -r c _ <<<"$f"
	for s in bridge "${ATTACHES[@]}"; do
		: "${RES[$s-$c]:=nan}"
	done
done
for f in "${FIGURES[@]}"; do
	read -r c _ <<<"$f"
	for a in "${ATTACHES[@]}"; do
		if [ "$BRIDGE_ONLY" -eq 1 ]; then
			RES[$a-$c]=nan
			RAT[$a-$c]=nan
		else
			RAT[$a-$c]=$(ratio "${RES[$a-$c]}" "${RES[bridge-$c]}")
		fi
	done
done

echo
echo "kvnet vs Linux kernel bridge (veth pairs), same run; MTU 1500; ${SECONDS_PER_RUN} s per throughput run, $PINGS pings"
echo "kvnet's hosts: tap = tap ports moved into them, dev = veth pairs attached with dev: (AF_PACKET)"
printf '%-32s %12s %12s %12s %7s %7s\n' figure "kvnet tap" "kvnet dev" bridge "r(tap)" "r(dev)"
for f in "${FIGURES[@]}"; do
	read -r c _ u d <<<"$f"
	printf '%-32s %12s %12s %12s %7s %7s\n' "${d//_/ } ($u)" "${RES[tap-$c]}" "${RES[dev-$c]}" \
		"${RES[bridge-$c]}" "${RAT[tap-$c]}" "${RAT[dev-$c]}"
done

echo
echo "details per run:"
for t in tcp-1 tcp-2 udp64 rtt-median udp-rtt-median; do
	for s in "${SETUPS[@]}"; do
		printf '  %-10s %-6s %s\n' "$t" "$s:" "${INFO[$s-$t]:-}"
	done
done
if [ "$BRIDGE_ONLY" -eq 0 ]; then
	echo
	echo "kvnetd idle: ${IDLE_CPU}% of one CPU over ${IDLE_SECONDS} s"
	echo "kvnetd threads (not pinned): $PLACEMENT"
	echo "kvnetd options: --threads $THREADS${KVNETD_OPTS[*]:+ ${KVNETD_OPTS[*]}}"
fi

echo
for a in "${ATTACHES[@]}"; do
	for f in "${FIGURES[@]}"; do
		read -r c w _ <<<"$f"
		printf 'bench %s/%s/%s kvnet_%s=%s bridge_%s=%s ratio=%s\n' "$NAME" "$a" "$c" "$w" \
			"${RES[$a-$c]}" "$w" "${RES[bridge-$c]}" "${RAT[$a-$c]}"
	done
done
printf 'bench %s/idle-cpu kvnet_pct=%s\n' "$NAME" "${IDLE_CPU:-nan}"
DONE=1
exit 0
