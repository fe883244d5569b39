#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tap_bench.sh - throughput of kvnet with tap ports against the Linux kernel
# bridge with veth pairs, measured in the same run.
#
# Two hosts (network namespaces) are connected
#   (a) through kvnetd (run in a namespace of its own) with one tap port each,
#   (b) through a kernel bridge (in a namespace of its own) with veth pairs,
# and iperf3 measures between them TCP with 1 and 2 streams. 64-byte UDP
# frames (18-byte payload) are offered at full speed by bench/udpgen (a raw
# socket, sendmmsg) and counted as they arrive at the receiver's interface:
# the switch's forwarding rate (udp64). iperf3's UDP at full speed is shown
# too (udp64-app), but on two cores its sender and receiver processes take
# the CPU the switch needs, so it measures the machine more than the switch.
# Both set-ups use MTU 1500 and their interfaces' default offloads.
#
# Usage: bench/tap_bench.sh [--kvnet-dir DIR] [--seconds N] [--quick]
#                           [--bridge-only]
#   --kvnet-dir DIR  where kvnetd and kvnet are (default: build)
#   --seconds N      length of each iperf3 run (default 10)
#   --quick          2 s per run (a smoke test)
#   --bridge-only    measure the kernel bridge only (no kvnetd needed)
#
# Output: a table, the targets and whether they are met, then one line per
# figure for scripts:
#   bench tap/tcp-1 kvnet_gbps=X bridge_gbps=Y ratio=R
#   bench tap/tcp-2 kvnet_gbps=X bridge_gbps=Y ratio=R
#   bench tap/udp64 kvnet_kpps=X bridge_kpps=Y ratio=R
#   bench tap/udp64-app kvnet_kpps=X bridge_kpps=Y ratio=R
# No timing assertions: exit 0 if everything ran, non-zero if something
# failed to run. Needs root, iproute2, iperf3 and python3.
#
# Everything the script makes is its own: namespaces kvb-PID-*, one temp
# dir, and the processes it started (killed by PID on exit). The machine's
# own interfaces, routes, sysctls and firewall are never touched.

set -euo pipefail

KVNET_DIR=build
SECONDS_PER_RUN=10
BRIDGE_ONLY=0
PY=/usr/bin/python3

usage() {
	sed -n '/^# Usage:/,/^#   --bridge-only/s/^# \{0,1\}//p' "$0"
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
	--quick) SECONDS_PER_RUN=2; shift ;;
	--bridge-only) BRIDGE_ONLY=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "tap_bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done

case "$SECONDS_PER_RUN" in
'' | *[!0-9]* | 0) echo "tap_bench: --seconds wants a positive integer" >&2; exit 2 ;;
esac

die() {
	echo "tap_bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, taps)"
for tool in ip iperf3 timeout; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -x "$PY" ] || die "$PY is not installed"

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

# ---------------------------------------------------------------- clean-up

P=kvb-$$
NS_SW=$P-sw NS_A=$P-a NS_B=$P-b       # (a) kvnet
NS_BR=$P-br NS_C=$P-c NS_D=$P-d       # (b) kernel bridge
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

# ---------------------------------------------------------- (b) kernel bridge

setup_bridge() {
	mkns "$NS_BR"
	mkns "$NS_C"
	mkns "$NS_D"
	ip -n "$NS_BR" link add br0 type bridge
	ip -n "$NS_BR" link set br0 up
	local host ifs addr
	for host in c:10.77.0.1 d:10.77.0.2; do
		ifs=${host%%:*} addr=${host#*:}
		local hns=$P-$ifs
		# the pair is made inside the host namespace, its peer goes
		# straight into the bridge namespace: nothing in ours
		ip -n "$hns" link add "eth0" mtu 1500 type veth \
			peer name "v$ifs" mtu 1500 netns "$NS_BR"
		ip -n "$NS_BR" link set "v$ifs" master br0
		ip -n "$NS_BR" link set "v$ifs" up
		ip -n "$hns" addr add "$addr/24" dev eth0
		ip -n "$hns" link set eth0 up
	done
	start_bg "$TMP/iperf3-d.log" ip netns exec "$NS_D" iperf3 -s
	IPERF_D_PID=$LAST_PID
	wait_listen "$NS_D" "$IPERF_D_PID" ||
		die "iperf3 server in $NS_D did not start: $(cat "$TMP/iperf3-d.log")"
	wait_reach "$NS_C" 10.77.0.2 || die "kernel bridge: $NS_C cannot reach 10.77.0.2"
}

# ------------------------------------------------------------------ (a) kvnet

kvnet() {
	"$KVNET" --socket "$TMP/run/kvnetd.sock" "$@"
}

setup_kvnet() {
	mkns "$NS_SW"
	mkns "$NS_A"
	mkns "$NS_B"
	mkdir -p "$TMP/run" "$TMP/state"
	ip netns exec "$NS_SW" "$KVNETD" --run-dir "$TMP/run" \
		--state-dir "$TMP/state" >"$TMP/kvnetd.log" 2>&1 &
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
	kvnet bridge add br0 >/dev/null || die "kvnet bridge add br0 failed"
	kvnet port add br0 ta netns "$NS_A" >/dev/null || die "kvnet port add br0 ta failed"
	kvnet port add br0 tb netns "$NS_B" >/dev/null || die "kvnet port add br0 tb failed"
	ip -n "$NS_A" link show ta >/dev/null 2>&1 || die "tap ta is not in $NS_A"
	ip -n "$NS_B" link show tb >/dev/null 2>&1 || die "tap tb is not in $NS_B"
	ip -n "$NS_A" link set ta mtu 1500 up
	ip -n "$NS_A" addr add 10.77.0.1/24 dev ta
	ip -n "$NS_B" link set tb mtu 1500 up
	ip -n "$NS_B" addr add 10.77.0.2/24 dev tb
	start_bg "$TMP/iperf3-b.log" ip netns exec "$NS_B" iperf3 -s
	IPERF_B_PID=$LAST_PID
	wait_listen "$NS_B" "$IPERF_B_PID" ||
		die "iperf3 server in $NS_B did not start: $(cat "$TMP/iperf3-b.log")"
	wait_reach "$NS_A" 10.77.0.2 || die "kvnet: $NS_A cannot reach 10.77.0.2"
}

# stats.show straight over the control socket (JSON-RPC, docs/protocol.md):
# prints "PORT RX_FRAMES RX_BYTES TX_FRAMES TX_BYTES TX_ERRORS DROPS" per port
kvnet_stats() {
	"$PY" - "$TMP/run/kvnetd.sock" <<'EOF' 2>/dev/null || true
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
    print(p["name"], p["rx_frames"], p["rx_bytes"], p["tx_frames"], p["tx_bytes"],
          p.get("tx_errors", 0) + p.get("rx_errors", 0), sum(p.get("drops", {}).values()))
EOF
}

# ----------------------------------------------------------------- measuring

# run_iperf NAME NS ARGS... : client run, JSON kept in $TMP/NAME.json
run_iperf() {
	local name=$1 ns=$2; shift 2
	local out=$TMP/$name.json
	local pid rc=0
	# in the background and waited for, so that INT or TERM are acted on at
	# once (and the client is among the processes clean-up stops)
	timeout $((SECONDS_PER_RUN + 60)) ip netns exec "$ns" \
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

# figure FILE tcp|udp : "VALUE DETAIL...": Gbps received (TCP) or kpps
# received (UDP), then a few words about the run
figure() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
if "error" in j:
    sys.exit("iperf3: " + j["error"])
end = j["end"]
cpu = end.get("cpu_utilization_percent", {})
cpus = "cpu client %.0f%% server %.0f%%" % (cpu.get("host_total", 0), cpu.get("remote_total", 0))
if sys.argv[2] == "tcp":
    sent = end["sum_sent"]
    print("%.3f retransmits %d, %s" % (end["sum_received"]["bits_per_second"] / 1e9,
                                       sent.get("retransmits", 0), cpus))
else:
    # the receiver's count: packets sent minus those the server missed
    r = end.get("sum_received", end["sum"])
    got = r["packets"] - r["lost_packets"]
    print("%.1f sent %.1f kpps, lost %.1f%%, %s" % (got / r["seconds"] / 1e3,
          r["packets"] / r["seconds"] / 1e3, r["lost_percent"], cpus))
EOF
}

declare -A RES AVG INFO
TESTS=(tcp-1 tcp-2 udp64-app)

test_args() {
	case "$1" in
	tcp-1) echo "" ;;
	tcp-2) echo "-P 2" ;;
	udp64-app) echo "-u -b 0 -l 18" ;;
	esac
}

# what the kvnet ports did during one run (from counter deltas): frames
# read from each tap and their average size, frames written, errors, drops
frame_avg() { # BEFORE AFTER
	"$PY" - "$1" "$2" <<'EOF'
import sys
def load(f):
    d = {}
    for line in open(f):
        v = line.split()
        if len(v) == 7:
            d[v[0]] = [int(x) for x in v[1:]]
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
out = []
for port in sorted(b):
    if port not in a:
        continue
    rf, rb, tf, tb, err, drops = (b[port][i] - a[port][i] for i in range(6))
    out.append("%s: rx %d fr avg %d B, tx %d fr avg %d B, err %d, drops %d" %
               (port, rf, rb // rf if rf else 0, tf, tb // tf if tf else 0, err, drops))
print("; ".join(out))
EOF
}

# where a run's packets were lost: "TX_DROPPED RCVBUF_ERRORS", the sender's
# interface's transmit drops (for a tap: its queue to kvnetd overflowed) and
# UDP datagrams the receiving socket had no room for
loss_counters() { # SENDER_NS SENDER_IF RECEIVER_NS
	local txd rcvbuf
	txd=$(ip netns exec "$1" \
		cat "/sys/class/net/$2/statistics/tx_dropped" 2>/dev/null) || txd=0
	# shellcheck disable=SC2016 # awk fields
	rcvbuf=$(ip netns exec "$3" awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' \
		/proc/net/snmp 2>/dev/null) || rcvbuf=0
	echo "${txd:-0} ${rcvbuf:-0}"
}

run_one() { # SETUP TEST
	local setup=$1 t=$2 kind ns nsr ifs l0 l1
	case "$t" in udp*) kind=udp ;; *) kind=tcp ;; esac
	if [ "$setup" = kvnet ]; then
		ns=$NS_A nsr=$NS_B ifs=ta
	else
		ns=$NS_C nsr=$NS_D ifs=eth0
	fi
	[ "$setup" = kvnet ] && kvnet_stats >"$TMP/$t.stats0"
	l0=$(loss_counters "$ns" "$ifs" "$nsr")
	# shellcheck disable=SC2046 # the arguments are words on purpose
	run_iperf "$setup-$t" "$ns" $(test_args "$t") || return 1
	l1=$(loss_counters "$ns" "$ifs" "$nsr")
	[ "$setup" = kvnet ] && kvnet_stats >"$TMP/$t.stats1" &&
		AVG[$t]=$(frame_avg "$TMP/$t.stats0" "$TMP/$t.stats1")
	local f
	f=$(figure "$TMP/$setup-$t.json" "$kind") || return 1
	RES[$setup-$t]=${f%% *}
	INFO[$setup-$t]=${f#* }
	if [ "$kind" = udp ]; then
		INFO[$setup-$t]+=", dropped: $((${l1% *} - ${l0% *})) at $ifs tx queue,"
		INFO[$setup-$t]+=" $((${l1#* } - ${l0#* })) at receiver socket"
	fi
	return 0
}

# rx_packets of interface IF in namespace NS
rx_packets() { # NS IF
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}

# 64-byte UDP frames offered at full speed by bench/udpgen on the sender's
# interface, counted as they arrive at the receiver's: the switch's own
# forwarding rate, without iperf3's sockets competing for the two cores
run_frames() { # SETUP
	local setup=$1 ns nsr ifs ifr mac r0 r1 sent
	if [ "$setup" = kvnet ]; then
		ns=$NS_A nsr=$NS_B ifs=ta ifr=tb
	else
		ns=$NS_C nsr=$NS_D ifs=eth0 ifr=eth0
	fi
	mac=$(ip netns exec "$nsr" cat "/sys/class/net/$ifr/address") || return 1
	r0=$(rx_packets "$nsr" "$ifr") || return 1
	sent=$(ip netns exec "$ns" "$UDPGEN" "$ifs" "$mac" 10.77.0.1 10.77.0.2 \
		"$SECONDS_PER_RUN") || return 1
	sleep 0.5
	r1=$(rx_packets "$nsr" "$ifr") || return 1
	RES[$setup-udp64]=$("$PY" -c 'import sys; print("%.1f" % ((int(sys.argv[2]) - int(sys.argv[1])) / float(sys.argv[3]) / 1e3))' \
		"$r0" "$r1" "$SECONDS_PER_RUN")
	INFO[$setup-udp64]="offered $("$PY" -c 'import sys; print("%.1f" % (int(sys.argv[1].split()[1]) / float(sys.argv[2]) / 1e3))' "$sent" "$SECONDS_PER_RUN") kpps by udpgen, received $((r1 - r0)) frames at $ifr"
}

echo "tap_bench: setting up (namespaces $P-*)" >&2
setup_bridge
[ "$BRIDGE_ONLY" -eq 0 ] && setup_kvnet

for t in "${TESTS[@]}"; do
	if [ "$BRIDGE_ONLY" -eq 0 ]; then
		echo "tap_bench: $t through kvnet (${SECONDS_PER_RUN} s)" >&2
		run_one kvnet "$t" || die "$t through kvnet did not run"
	fi
	echo "tap_bench: $t through the kernel bridge (${SECONDS_PER_RUN} s)" >&2
	run_one bridge "$t" || die "$t through the kernel bridge did not run"
done
if [ "$BRIDGE_ONLY" -eq 0 ]; then
	echo "tap_bench: udp64 frames through kvnet (${SECONDS_PER_RUN} s)" >&2
	run_frames kvnet || die "udp64 through kvnet did not run"
fi
echo "tap_bench: udp64 frames through the kernel bridge (${SECONDS_PER_RUN} s)" >&2
run_frames bridge || die "udp64 through the kernel bridge did not run"
TESTS+=(udp64)

# ------------------------------------------------------------------ report

ratio() { # X Y
	"$PY" -c 'import sys; x, y = float(sys.argv[1]), float(sys.argv[2]); print("%.3f" % (x / y) if y > 0 else "nan")' "$1" "$2"
}
ge() { # X Y: X >= Y
	"$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"
}

declare -A RAT
for t in "${TESTS[@]}"; do
	if [ "$BRIDGE_ONLY" -eq 1 ]; then
		RES[kvnet-$t]=nan
		RAT[$t]=nan
	else
		RAT[$t]=$(ratio "${RES[kvnet-$t]}" "${RES[bridge-$t]}")
	fi
done

echo
echo "kvnet (tap ports) vs Linux kernel bridge (veth pairs), iperf3 ${SECONDS_PER_RUN} s per run, MTU 1500"
printf '%-8s %-34s %14s %14s %7s\n' test what kvnet bridge ratio
printf '%-8s %-34s %14s %14s %7s\n' -------- ---------------------------------- -------------- -------------- -------
printf '%-8s %-34s %9s Gbps %9s Gbps %7s\n' tcp-1 "TCP, 1 stream" "${RES[kvnet-tcp-1]}" "${RES[bridge-tcp-1]}" "${RAT[tcp-1]}"
printf '%-8s %-34s %9s Gbps %9s Gbps %7s\n' tcp-2 "TCP, 2 streams" "${RES[kvnet-tcp-2]}" "${RES[bridge-tcp-2]}" "${RAT[tcp-2]}"
printf '%-8s %-34s %9s kpps %9s kpps %7s\n' udp64 "UDP 64-byte frames, at receiver" "${RES[kvnet-udp64]}" "${RES[bridge-udp64]}" "${RAT[udp64]}"
printf '%-8s %-34s %9s kpps %9s kpps %7s\n' udp64-app "  same, read by iperf3's socket" "${RES[kvnet-udp64-app]}" "${RES[bridge-udp64-app]}" "${RAT[udp64-app]}"

echo
echo "details per run:"
for t in "${TESTS[@]}"; do
	[ "$BRIDGE_ONLY" -eq 1 ] || printf '  %-6s kvnet:  %s\n' "$t" "${INFO[kvnet-$t]}"
	printf '  %-6s bridge: %s\n' "$t" "${INFO[bridge-$t]}"
done
if [ "$BRIDGE_ONLY" -eq 0 ]; then
	echo
	echo "kvnet port counters per run (what kvnetd read from each tap; avg > 1514 B = GSO frames):"
	for t in "${TESTS[@]}"; do
		printf '  %-6s %s\n' "$t" "${AVG[$t]:-n/a}"
	done
	echo
	echo "targets:"
	if ge "${RAT[tcp-1]}" 0.4; then m=met; else m="NOT met"; fi
	printf '  tcp-1: kvnet >= 0.4 x kernel bridge (same run): ratio %s -> %s\n' "${RAT[tcp-1]}" "$m"
	if ge "${RES[kvnet-udp64]}" 150; then m=met; else m="NOT met"; fi
	printf '  udp64: kvnet >= 150 kpps: %s kpps -> %s\n' "${RES[kvnet-udp64]}" "$m"
fi

echo
printf 'bench tap/tcp-1 kvnet_gbps=%s bridge_gbps=%s ratio=%s\n' "${RES[kvnet-tcp-1]}" "${RES[bridge-tcp-1]}" "${RAT[tcp-1]}"
printf 'bench tap/tcp-2 kvnet_gbps=%s bridge_gbps=%s ratio=%s\n' "${RES[kvnet-tcp-2]}" "${RES[bridge-tcp-2]}" "${RAT[tcp-2]}"
printf 'bench tap/udp64 kvnet_kpps=%s bridge_kpps=%s ratio=%s\n' "${RES[kvnet-udp64]}" "${RES[bridge-udp64]}" "${RAT[udp64]}"
printf 'bench tap/udp64-app kvnet_kpps=%s bridge_kpps=%s ratio=%s\n' "${RES[kvnet-udp64-app]}" "${RES[bridge-udp64-app]}" "${RAT[udp64-app]}"
DONE=1
exit 0
