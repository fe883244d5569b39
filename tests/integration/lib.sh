# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034,SC2119,SC2120
# lib.sh - shared setup, assertions and clean-up for kvnet's namespace integration tests
#
# Theory of Operation
#
# A test sources this file, checks its prerequisites (kv_require), makes its
# namespaces (kv_ns_add), starts kvnetd in one of them (kvnetd_start), runs
# the functions named in ALL_TESTS (tests_run) and ends with kv_exit. It has
# the shape of the kernel's selftests (net/forwarding/bridge_vlan_aware.sh):
# each test function checks things, records a failure with kv_fail (or one
# of the kv_check_* helpers, which say what was expected and what was seen)
# and closes with log_test, which prints "TEST: ... [ OK ]" or "[FAIL]".
#
# Everything a test makes is recorded here and undone by kv_cleanup, which
# runs on every exit (trap on EXIT, INT, TERM, HUP): the processes it
# started are ended by PID (and only while they are still its children), its
# namespaces deleted (with the veths and taps in them), its temp dir
# removed. Names are unique: kNN-PID-NAME (NN the test's number). Nothing is changed in the
# root namespace: interfaces are made inside the test's own namespaces, and
# traffic flows only between them.
#
# A missing prerequisite exits 77 with "SKIP: ... (what is missing)" as the
# last line. On failure the tail of kvnetd's log is printed, then a summary
# of what failed, last (the test runner shows only the last lines).

KV_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KV_TOP=$(cd "$KV_LIB_DIR/../.." && pwd)
KV_TEST=$(basename "$0" .sh)
KV_PY=/usr/bin/python3
KV_FRAMES=$KV_LIB_DIR/frames.py

: "${KVNET_BUILD:=$KV_TOP/build}"
case $KVNET_BUILD in
/*) ;;
*) KVNET_BUILD=$PWD/$KVNET_BUILD ;;
esac
KVNETD=$KVNET_BUILD/kvnetd
KVNET=$KVNET_BUILD/kvnet

# Polls give up after KV_WAIT seconds (generous: an ASan build on a loaded
# machine is slow). A check that a frame does NOT arrive listens KV_QUIET
# seconds; each such check is paired with a counter or a frame that must
# arrive, so a slow machine cannot make it pass by accident.
KV_WAIT=${KV_WAIT:-30}
KV_QUIET=${KV_QUIET:-3}
KV_CMD_TIMEOUT=${KV_CMD_TIMEOUT:-30}

EXIT_STATUS=0
RET=0
RETMSG=()
KV_FAILED=()
KV_NETNS=()
KV_PIDS=()
KV_ON_EXIT=()
KV_TMP=""
KV_CLEANED=""
KV_LOG=""
KVNETD_PID=""
KVNETD_RC=""
declare -A KV_CAP_PID=()

# ---------------------------------------------------------------- life cycle

kv_cleanup() {
	local rc=$? pid ns i
	[ -n "$KV_CLEANED" ] && return
	KV_CLEANED=1
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -z "$KV_SUMMARY_DONE" ]; then
		kv_print_log
	fi
	for pid in "${KV_PIDS[@]}"; do
		kv_is_child "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${KV_PIDS[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kv_is_child "$pid" || break
			sleep 0.1
		done
		kv_is_child "$pid" && kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	KV_PIDS=()
	for i in "${KV_ON_EXIT[@]}"; do
		eval "$i"
	done
	KV_ON_EXIT=()
	for ns in "${KV_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	KV_NETNS=()
	[ -n "$KV_TMP" ] && rm -rf "$KV_TMP"
	KV_TMP=""
}
trap kv_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# kv_on_exit CMD - run CMD (eval'd) at clean-up, after this test's processes are ended and
# before its namespaces and temp dir are removed
kv_on_exit() {
	KV_ON_EXIT+=("$1")
}

# kv_is_child PID - is PID still running as a child of this shell
kv_is_child() {
	local ppid
	ppid=$(ps -o ppid= -p "$1" 2>/dev/null) || return 1
	[ "${ppid// /}" = "$$" ]
}

# kv_forget PID - drop PID from the processes to end at clean-up
kv_forget() {
	local p keep=()
	for p in "${KV_PIDS[@]}"; do
		[ "$p" != "$1" ] && keep+=("$p")
	done
	KV_PIDS=("${keep[@]}")
}

kv_skip() {
	kv_cleanup
	echo "SKIP: $KV_TEST: $*"
	exit 77
}

# kv_require_base - exit 77 unless root, ip, ps, timeout, /dev/net/tun and scapy are there
# (what a test needs that drives the kernel in namespaces without kvnetd)
kv_require_base() {
	[ "$(id -u)" -eq 0 ] || kv_skip "needs root (network namespaces, tap, AF_PACKET)"
	command -v ip >/dev/null || kv_skip "ip (iproute2) is not installed"
	command -v ps >/dev/null || kv_skip "ps (procps) is not installed"
	command -v timeout >/dev/null || kv_skip "timeout (coreutils) is not installed"
	[ -c /dev/net/tun ] || kv_skip "/dev/net/tun is missing"
	[ -x "$KV_PY" ] || kv_skip "$KV_PY is missing"
	"$KV_PY" -c 'import scapy.layers.l2' 2>/dev/null ||
		kv_skip "python3-scapy is not installed for $KV_PY"
	kv_tmp
}

# kv_require - kv_require_base, and exit 77 unless kvnetd and kvnet are built
kv_require() {
	kv_require_base
	# a missing binary is a broken build, not a missing prerequisite: a failure, never a skip
	[ -x "$KVNETD" ] || kv_setup_fail "kvnetd not built: $KVNETD is missing (set KVNET_BUILD)"
	[ -x "$KVNET" ] || kv_setup_fail "kvnet not built: $KVNET is missing (set KVNET_BUILD)"
}

# kv_tmp - make this test's temp dir KV_TMP if it is not made yet (call it in the test's shell,
# not in a $(...), so that the name is kept)
kv_tmp() {
	[ -n "$KV_TMP" ] && return 0
	KV_TMP=$(mktemp -d "/tmp/kv-$KV_TEST.XXXXXX") || kv_setup_fail "mktemp -d failed"
}

# kv_setup_fail MSG - setup could not be done: say why and exit 1
kv_setup_fail() {
	echo "SETUP FAILED: $KV_TEST: $*" >&2
	EXIT_STATUS=1
	exit 1
}

# kv_ns NAME - the unique name of this test's namespace NAME: kNN-PID-NAME, where NN is the
# test's number; short (at most 15 characters for a NAME of 3) so that any tool that takes
# it, as an interface name would be taken, accepts it. 20_tap_ping.sh checks a long one.
kv_ns() {
	echo "k${KV_TEST:0:2}-$$-$1"
}

# kv_ns_add NS... - make namespaces (names from kv_ns), lo up, IPv6 off (quiet links)
kv_ns_add() {
	local ns err
	for ns in "$@"; do
		if ! err=$(ip netns add "$ns" 2>&1); then
			[ ${#KV_NETNS[@]} -eq 0 ] && kv_skip "cannot make a network namespace: $err"
			kv_setup_fail "ip netns add $ns: $err"
		fi
		KV_NETNS+=("$ns")
		ip -n "$ns" link set lo up || kv_setup_fail "lo up in $ns"
		# shellcheck disable=SC2016
		ip netns exec "$ns" sh -c 'for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 \
			/proc/sys/net/ipv6/conf/default/disable_ipv6; do
			[ -e $f ] && echo 1 >$f; done; true'
	done
}

# kv_veth NS1 IF1 NS2 IF2 - a veth pair between two of this test's namespaces, both up
kv_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" ||
		kv_setup_fail "veth $1:$2 - $3:$4"
	if ! ip -n "$1" link set "$2" up || ! ip -n "$3" link set "$4" up; then
		kv_setup_fail "veth $2/$4 up"
	fi
}

# ---------------------------------------------------------------- the daemon

# kvnetd_start NS [ARGS...] - run kvnetd in NS on this test's run and state dirs; wait until ready
# Sets KV_RUN, KV_STATE, KV_SOCK, KV_LOG, KVNETD_NS and KVNETD_PID. A first start defines no
# default network unless KV_DEFAULT_NET=1. kvnetd mirrors nothing into libvirt (a libvirtd
# of the machine's must never see a test's networks) unless KV_LIBVIRT=URI.
kvnetd_start() {
	local ns=$1 i default=(--no-default-network)
	shift
	[ "${KV_DEFAULT_NET:-0}" = 1 ] && default=()
	default+=(--libvirt "${KV_LIBVIRT:-off}")
	# KV_THREADS=N runs any test's kvnetd with N datapath threads
	[ -n "${KV_THREADS:-}" ] && default+=(--threads "$KV_THREADS")
	kv_tmp # without it the run and state dirs would land in /
	KV_RUN=$KV_TMP/${KV_INSTANCE:+$KV_INSTANCE-}run
	KV_STATE=$KV_TMP/${KV_INSTANCE:+$KV_INSTANCE-}state
	KV_SOCK=$KV_RUN/kvnetd.sock
	KV_LOG=$KV_TMP/${KV_INSTANCE:+$KV_INSTANCE-}kvnetd.log
	KVNETD_NS=$ns
	mkdir -p "$KV_RUN" "$KV_STATE"
	rm -f "$KV_TMP/kvnetd-hung"
	echo "== kvnetd start in $ns: $KVNETD --run-dir $KV_RUN --state-dir $KV_STATE $*" >>"$KV_LOG"
	ip netns exec "$ns" "$KVNETD" --run-dir "$KV_RUN" --state-dir "$KV_STATE" \
		--log-level debug "${default[@]}" "$@" >>"$KV_LOG" 2>&1 &
	KVNETD_PID=$!
	KV_PIDS+=("$KVNETD_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv version >/dev/null 2>&1 && return 0
		if ! kill -0 "$KVNETD_PID" 2>/dev/null; then
			wait "$KVNETD_PID"
			echo "kvnetd exited with status $? before it was ready" >&2
			kv_forget "$KVNETD_PID"
			return 1
		fi
		sleep 0.1
	done
	echo "kvnetd not ready after $KV_WAIT s: '$KVNET --socket $KV_SOCK version' fails:" >&2
	kv version >&2
	return 1
}

# Several kvnetds in one test (hosts of a VXLAN overlay): start each with KV_INSTANCE=NAME
# (its own run and state dirs and log), kvnetd_save NAME after it, and kvnetd_use NAME to
# point kv, kvj and kvnetd_stop at it again. kv_exit stops the one in use.

# kvnetd_save NAME - remember the kvnetd just started (its dirs, socket, log, PID) as NAME
kvnetd_save() {
	eval "KV_DAEMON_$1=(\"\$KV_RUN\" \"\$KV_STATE\" \"\$KV_SOCK\" \"\$KV_LOG\" \"\$KVNETD_NS\" \"\$KVNETD_PID\")"
}

# kvnetd_use NAME - make the kvnetd saved as NAME the one kv, kvj and kvnetd_stop talk to
kvnetd_use() {
	local -n d=KV_DAEMON_$1
	KV_RUN=${d[0]} KV_STATE=${d[1]} KV_SOCK=${d[2]} KV_LOG=${d[3]} KVNETD_NS=${d[4]}
	KVNETD_PID=${d[5]}
}

# kvnetd_stop [PID] - SIGTERM kvnetd and wait for it; KVNETD_RC is its exit status
# (255 if it had to be killed). Return: 0 if it exited on its own, 1 if not.
kvnetd_stop() {
	local pid=${1:-$KVNETD_PID} i
	KVNETD_RC=""
	[ -n "$pid" ] || return 1
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv_is_child "$pid" || break
		sleep 0.1
	done
	if kv_is_child "$pid"; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		KVNETD_RC=255
		kv_forget "$pid"
		[ "$pid" = "$KVNETD_PID" ] && KVNETD_PID=""
		return 1
	fi
	wait "$pid"
	KVNETD_RC=$?
	kv_forget "$pid"
	[ "$pid" = "$KVNETD_PID" ] && KVNETD_PID=""
	return 0
}

# kvnetd_alive - is kvnetd still running and answering
kvnetd_alive() {
	[ -n "$KVNETD_PID" ] && kill -0 "$KVNETD_PID" 2>/dev/null && kv version >/dev/null 2>&1
}

# kv_sanitizer_report - print any sanitizer report from kvnetd's log; 0 if there is one
kv_sanitizer_report() {
	[ -f "$KV_LOG" ] &&
		grep -E -A12 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$KV_LOG"
}

kv_print_log() {
	[ -n "$KV_LOG" ] && [ -s "$KV_LOG" ] || return 0
	echo "---- kvnetd log, last 25 lines ($KVNETD_NS) ----"
	tail -n 25 "$KV_LOG"
	echo "----"
}

# ---------------------------------------------------------------- the CLI

# kv ARGS... - kvnet on this test's daemon. A daemon that hangs must fail the test, not hang
# it: each call is ended after KV_CMD_TIMEOUT s (exit 124, with a message saying so).
# kvnetd_start clears the mark of a hung daemon.
kv() {
	kv_timeout "$KVNET" --socket "$KV_SOCK" "$@"
}

kvj() {
	kv_timeout "$KVNET" --socket "$KV_SOCK" --json "$@"
}

# After one call timed out, the others fail at once (the test ends in minutes, not hours).
kv_timeout() {
	local rc
	if [ -n "$KV_TMP" ] && [ -e "$KV_TMP/kvnetd-hung" ]; then
		echo "not run: an earlier kvnet call did not finish within $KV_CMD_TIMEOUT s" >&2
		return 124
	fi
	timeout -k 5 "$KV_CMD_TIMEOUT" "$@"
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "'$*' did not finish within $KV_CMD_TIMEOUT s (kvnetd hung?)" >&2
		[ -n "$KV_TMP" ] && : >"$KV_TMP/kvnetd-hung"
	fi
	return "$rc"
}

# kv_q EXPR OBJECT COMMAND [ARGS...] - evaluate Python EXPR on `kvnet --json ...` (as d)
# Prints the value (JSON for lists, dicts, booleans and None). Return: 1 if kvnet failed.
kv_q() {
	local expr=$1 out
	shift
	out=$(kvj "$@" 2>&1) || {
		echo "kvnet $* failed: $out"
		return 1
	}
	printf '%s' "$out" | "$KV_PY" -c '
import json, sys
d = json.load(sys.stdin)
try:
    r = eval(sys.argv[1], {"d": d})
except Exception as e:
    r = "(%s: %s)" % (type(e).__name__, e)
print(json.dumps(r) if isinstance(r, (dict, list, bool)) or r is None else r)
' "$expr"
}

# kv_fdb_port BRIDGE MAC VID - the port MAC is on in VID, "static:PORT" if static, or "none"
kv_fdb_port() {
	kv_q "next(((\"static:\" if e[\"static\"] else \"\") + e[\"port\"]
		for e in d[\"entries\"] if e[\"mac\"].lower() == \"$2\" and e[\"vid\"] == $3), \"none\")" \
		fdb show "$1"
}

# kv_fdb_macs BRIDGE - "MAC@VID>PORT" of every entry, sorted
kv_fdb_macs() {
	kv_q '" ".join(sorted("%s@%s>%s" % (e["mac"], e["vid"], e["port"]) for e in d["entries"]))' \
		fdb show "$1"
}

# kv_port_field PORT FIELD - a member of PORT's object in `port show`: type, link, flags.hairpin
kv_port_field() {
	local path
	path=${2//./\"][\"}
	kv_q "next((p[\"$path\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\"), \"no port $1\")" port show
}

# kv_stat BRIDGE PORT FIELD - a port counter from `stats show`: rx_frames, drops.no-dest, ...
kv_stat() {
	local path
	path=${3//./\"][\"}
	kv_q "[p for p in d[\"ports\"] if p[\"name\"] == \"$2\"][0][\"$path\"]" stats show "$1" port "$2"
}

# kv_vlans PORT - "pvid P: VIDu VIDt ..." (u untagged, t tagged; P none if none) from `vlan show`
kv_vlans() {
	kv_q "[\"pvid %s: %s\" % (\"none\" if p[\"pvid\"] is None else p[\"pvid\"], \" \".join(\"%d%s\" % (v[\"vid\"], \"u\" if v[\"untagged\"] else \"t\")
		for v in sorted(p[\"vlans\"], key=lambda v: v[\"vid\"]))) for p in d[\"ports\"] if p[\"port\"] == \"$1\"][0]" vlan show "$1"
}

# kv_tap_host BRIDGE PORT NS MAC [ADDR/LEN] - a tap port moved to NS, with MAC, up, addressed
kv_tap_host() {
	local br=$1 port=$2 ns=$3 mac=$4 addr=$5 out
	out=$(kv port add "$br" "$port" netns "$ns" 2>&1) || kv_setup_fail "port add $br $port netns $ns: $out"
	ip -n "$ns" link set "$port" address "$mac" || kv_setup_fail "set $port address in $ns"
	ip -n "$ns" link set "$port" up || kv_setup_fail "$port up in $ns"
	if [ -n "$addr" ]; then
		ip -n "$ns" addr add "$addr" dev "$port" || kv_setup_fail "addr $addr on $port in $ns"
	fi
}

# kv_access PORT VID - make PORT an access port of VID (untagged, PVID) instead of VLAN 1
kv_access() {
	local out
	out=$(kv vlan del "$1" vid 1 2>&1) || kv_setup_fail "vlan del $1 vid 1: $out"
	out=$(kv vlan add "$1" vid "$2" pvid untagged 2>&1) || kv_setup_fail "vlan add $1 vid $2: $out"
}

# kv_run CMD... - run CMD; its stdout in KV_OUT, its stderr in KV_ERR, its exit status in
# KV_RC (for checks on all three: what a user sees)
kv_run() {
	kv_tmp
	KV_OUT=$("$@" 2>"$KV_TMP/kv_run.err")
	KV_RC=$?
	KV_ERR=$(cat "$KV_TMP/kv_run.err")
}

# kv_check_run WHAT RC OUT_REGEX ERR_REGEX CMD... - kv_run CMD: its exit status must be RC and
# its stdout and stderr must match the extended regexps (case-insensitive; "" matches anything;
# "^$" means empty)
kv_check_run() {
	local what=$1 rc=$2 out=$3 err=$4
	shift 4
	kv_run "$@"
	if [ "$KV_RC" != "$rc" ]; then
		kv_fail "$what: '$*' exited $KV_RC, expected $rc (stdout '$KV_OUT', stderr '$KV_ERR')"
		return 1
	fi
	if [ -n "$out" ] && ! printf '%s' "$KV_OUT" | grep -qiE -- "$out" &&
		! { [ "$out" = '^$' ] && [ -z "$KV_OUT" ]; }; then
		kv_fail "$what: stdout of '$*' does not match /$out/: '$KV_OUT'"
		return 1
	fi
	if [ -n "$err" ] && ! printf '%s' "$KV_ERR" | grep -qiE -- "$err" &&
		! { [ "$err" = '^$' ] && [ -z "$KV_ERR" ]; }; then
		kv_fail "$what: stderr of '$*' does not match /$err/: '$KV_ERR'"
		return 1
	fi
	return 0
}

# kvnetd_kill9 - SIGKILL kvnetd (no clean-up of its own) and reap it
kvnetd_kill9() {
	[ -n "$KVNETD_PID" ] || return 1
	kill -KILL "$KVNETD_PID" 2>/dev/null
	wait "$KVNETD_PID" 2>/dev/null
	kv_forget "$KVNETD_PID"
	KVNETD_PID=""
}

# ---------------------------------------------------------------- libvirt XML

# libvirt's sources (for its RELAX NG schemas): ../shared/conformance/libvirt unless set
: "${KVNET_LIBVIRT_CORPUS:=$KV_TOP/../shared/conformance/libvirt}"

# kv_net_field NET FIELD - a member of network NET in `net-list --all` (--json): active, bridge...
kv_net_field() {
	kv_q "next((n[\"$2\"] for n in d[\"networks\"] if n[\"name\"] == \"$1\"), \"no network $1\")" \
		net-list --all
}

# kv_net_names - the names of every network (`net-list --all`), sorted, space-separated
kv_net_names() {
	kv_q '" ".join(sorted(n["name"] for n in d["networks"]))' net-list --all
}

# kv_check_schema WHAT SCHEMA FILE - FILE must validate against libvirt's SCHEMA.rng (network,
# networkport) with xmllint; without xmllint or the schema the check is skipped with a note
kv_check_schema() {
	local what=$1 rng=$KVNET_LIBVIRT_CORPUS/src/conf/schemas/$2.rng out
	if ! command -v xmllint >/dev/null; then
		echo "NOTE: $what: not checked against $2.rng: xmllint (libxml2-utils) is not installed"
		return 0
	fi
	if [ ! -f "$rng" ]; then
		echo "NOTE: $what: not checked: $rng is missing (set KVNET_LIBVIRT_CORPUS)"
		return 0
	fi
	out=$(xmllint --noout --relaxng "$rng" "$3" 2>&1) ||
		kv_fail "$what: $3 does not validate against $2.rng: $out"
}

# ---------------------------------------------------------------- frames

# kv_send NS IFACE ARGS... - frames.py send; a failure to send is a test failure
kv_send() {
	local ns=$1 ifc=$2 out
	shift 2
	out=$("$KV_PY" "$KV_FRAMES" send "$ifc" --netns "$ns" "$@" 2>&1) ||
		kv_fail "frames.py send $ifc in $ns $*: $out"
}

# kv_ping NS DST [COUNT] - ICMP echo from NS; 0 if COUNT replies come within KV_WAIT s
kv_ping() {
	"$KV_PY" "$KV_FRAMES" ping "$2" --netns "$1" --count "${3:-1}" --timeout "$KV_WAIT" 2>&1
}

# kv_ping6 NS DST - one IPv6 echo (ping -6, iputils-ping) answered within KV_WAIT seconds;
# retried each second, as duplicate address detection may hold the first ones back
kv_ping6() {
	local i
	for ((i = 0; i < KV_WAIT; i++)); do
		ip netns exec "$1" ping -6 -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

# kv_ping_fails NS DST - 0 if no reply at all comes within KV_QUIET s
kv_ping_fails() {
	! "$KV_PY" "$KV_FRAMES" ping "$2" --netns "$1" --timeout "$KV_QUIET" 2>&1
}

# cap_start NAME expect|count NS IFACE ARGS... - start a capture; return once it listens
# expect waits up to KV_WAIT s for its frames. count listens until KV_QUIET s after
# cap_check_count asks for its result (so the window covers every frame sent before that,
# however slow the machine), at most KV_WAIT + KV_QUIET s.
cap_start() {
	local name=$1 mode=$2 ns=$3 ifc=$4 i opts
	shift 4
	kv_tmp
	rm -f "$KV_TMP/cap-$name".*
	opts=(--timeout "$KV_WAIT")
	[ "$mode" = count ] && opts=(--timeout $((KV_WAIT + KV_QUIET))
		--stop-file "$KV_TMP/cap-$name.stop" --grace "$KV_QUIET")
	"$KV_PY" "$KV_FRAMES" "$mode" "$ifc" --netns "$ns" "${opts[@]}" \
		--ready-file "$KV_TMP/cap-$name.ready" "$@" \
		>"$KV_TMP/cap-$name.out" 2>"$KV_TMP/cap-$name.err" &
	KV_CAP_PID[$name]=$!
	KV_PIDS+=("$!")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -e "$KV_TMP/cap-$name.ready" ] && return 0
		kill -0 "${KV_CAP_PID[$name]}" 2>/dev/null || break
		sleep 0.05
	done
	kv_fail "capture $name on $ifc in $ns did not start: $(cat "$KV_TMP/cap-$name.err")"
	return 1
}

# cap_wait NAME - wait for a capture; its exit status
cap_wait() {
	local pid=${KV_CAP_PID[$1]} rc
	[ -n "$pid" ] || return 2
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	unset "KV_CAP_PID[$1]"
	return "$rc"
}

# cap_check_seen WHAT NAME - an expect capture must have seen its frames
cap_check_seen() {
	if ! cap_wait "$2"; then
		kv_fail "$1: $(cat "$KV_TMP/cap-$2.err")"
	fi
}

# cap_check_count WHAT N NAME - a count capture must have seen exactly N frames
cap_check_count() {
	local n
	: >"$KV_TMP/cap-$3.stop"
	cap_wait "$3"
	n=$(tail -n 1 "$KV_TMP/cap-$3.out")
	if [ "$n" != "$2" ]; then
		kv_fail "$1: expected $2 frame(s), seen ${n:-none}: $(cat "$KV_TMP/cap-$3.err")"
	fi
}

# ---------------------------------------------------------------- assertions

kv_fail() {
	RET=1
	RETMSG+=("$*")
}

# check_err RC MSG - as in the kernel's selftests: fail with MSG if RC is not 0
check_err() {
	[ "$1" -eq 0 ] || kv_fail "$2"
}

# kv_check_eq WHAT EXPECTED SEEN
kv_check_eq() {
	[ "$2" = "$3" ] || kv_fail "$1: expected '$2', seen '$3'"
}

# kv_check_ok WHAT CMD... - CMD must succeed
kv_check_ok() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || kv_fail "$what: '$*' failed (exit $rc): $out"
	return "$rc"
}

# kv_check_fail WHAT CMD... - CMD must fail
kv_check_fail() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		kv_fail "$what: '$*' succeeded, expected it to fail: $out"
		return 1
	fi
	return 0
}

# kv_poll_eq WHAT EXPECTED CMD... - poll CMD's output until it is EXPECTED (KV_WAIT s)
kv_poll_eq() {
	local what=$1 want=$2 seen i
	shift 2
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		seen=$("$@" 2>&1)
		[ "$seen" = "$want" ] && return 0
		sleep 0.2
	done
	kv_fail "$what: expected '$want' within $KV_WAIT s, seen '$seen'"
	return 1
}

# kv_wait_grep FILE ERE - wait until FILE has a line matching ERE (KV_WAIT s); status only
kv_wait_grep() {
	local i
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		grep -qE -- "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

# kv_poll_log WHAT ERE - wait until kvnetd's log has a line matching ERE (KV_WAIT s): a
# message written by the datapath thread may follow the state a test saw change
kv_poll_log() {
	kv_wait_grep "$KV_LOG" "$2" && return 0
	kv_fail "$1: no line matching /$2/ in $KV_LOG within $KV_WAIT s"
	return 1
}

# kv_hold_eq WHAT EXPECTED SECONDS CMD... - CMD's output stays EXPECTED for SECONDS (checked
# every 0.2 s): a state that must not flip back, e.g. on the daemon's next 1 s tick
kv_hold_eq() {
	local what=$1 want=$2 secs=$3 seen i
	shift 3
	for ((i = 0; i < secs * 5; i++)); do
		seen=$("$@" 2>&1)
		if [ "$seen" != "$want" ]; then
			kv_fail "$what: expected '$want' for $secs s, seen '$seen' after $((i / 5)).$((i % 5 * 2)) s"
			return 1
		fi
		sleep 0.2
	done
	return 0
}

# kv_wait_file FILE [PID] - wait until FILE exists (KV_WAIT s), as a process says it is ready.
# Return: 0 once it does; 1 if the time runs out, or if process PID ends without making it.
kv_wait_file() {
	local i
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -e "$1" ] && return 0
		if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
			[ -e "$1" ]
			return
		fi
		sleep 0.1
	done
	return 1
}

# kv_poll_ge WHAT MIN CMD... - poll CMD's output until it is a number >= MIN (KV_WAIT s)
kv_poll_ge() {
	local what=$1 min=$2 seen i
	shift 2
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		seen=$("$@" 2>&1)
		[[ "$seen" =~ ^[0-9]+$ ]] && [ "$seen" -ge "$min" ] && return 0
		sleep 0.2
	done
	kv_fail "$what: expected at least $min within $KV_WAIT s, seen '$seen'"
	return 1
}

# log_test DESC - print the result of the checks since the last log_test
log_test() {
	if [ "$RET" -ne 0 ]; then
		EXIT_STATUS=1
		KV_FAILED+=("$1")
		printf 'TEST: %-72s [FAIL]\n' "$1"
		local m
		for m in "${RETMSG[@]}"; do
			printf '\t%s\n' "${m//$'\n'/$'\n\t    '}"
		done
	else
		printf 'TEST: %-72s [ OK ]\n' "$1"
	fi
	RET=0
	RETMSG=()
}

# tests_run - run each function in ALL_TESTS; stop if kvnetd dies
tests_run() {
	local t
	for t in $ALL_TESTS; do
		RET=0
		RETMSG=()
		$t
		if [ -n "$KVNETD_PID" ] && ! kill -0 "$KVNETD_PID" 2>/dev/null; then
			wait "$KVNETD_PID"
			kv_fail "kvnetd died (exit status $?) during $t"
			kv_forget "$KVNETD_PID"
			KVNETD_PID=""
			log_test "kvnetd still running after $t"
			return
		fi
		if [ -n "$KV_TMP" ] && [ -e "$KV_TMP/kvnetd-hung" ]; then
			kv_fail "kvnetd stopped answering during $t; the remaining tests are not run"
			log_test "kvnetd still answering after $t"
			return
		fi
	done
}

# kv_exit - stop kvnetd (SIGTERM; it must exit, with no sanitizer report), print a summary, exit
KV_SUMMARY_DONE=""
kv_exit() {
	if [ -n "$KVNETD_PID" ]; then
		RET=0
		RETMSG=()
		if [ -n "$KV_TMP" ] && [ -e "$KV_TMP/kvnetd-hung" ] && command -v gdb >/dev/null; then
			echo "---- kvnetd's threads while it does not answer ----"
			timeout 60 gdb -p "$KVNETD_PID" -batch -ex 'thread apply all bt' 2>&1 |
				grep -E '^(#|Thread)' | head -40
		fi
		kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
		if kv_sanitizer_report >/dev/null; then
			kv_fail "sanitizer report in kvnetd's log: $(kv_sanitizer_report | head -20)"
		fi
		log_test "kvnetd exits on SIGTERM without a sanitizer report"
	fi
	if [ "$EXIT_STATUS" -ne 0 ]; then
		kv_print_log
		echo "$KV_TEST: ${#KV_FAILED[@]} failed:"
		printf '    %s\n' "${KV_FAILED[@]}"
	else
		echo "$KV_TEST: all passed"
	fi
	KV_SUMMARY_DONE=1
	exit "$EXIT_STATUS"
}

# ---------------------------------------------------------------- network services

# The 5x tests run networks with DHCP, DNS and NAT: kvnetd starts dnsmasq and writes nftables
# rules, and "VMs" (namespaces attached with attach-interface) take their addresses with
# busybox's udhcpc, whose script (kv_udhcpc) applies the lease as a guest's DHCP client would.
KV_UDHCPC=${KV_UDHCPC:-/usr/sbin/udhcpc}

# kv_require_services - exit 77 unless udhcpc, dnsmasq and nft are installed
kv_require_services() {
	[ -x "$KV_UDHCPC" ] || kv_skip "$KV_UDHCPC is missing (Debian package udhcpc)"
	[ -x /usr/sbin/dnsmasq ] || kv_skip "/usr/sbin/dnsmasq is missing (Debian package dnsmasq-base)"
	command -v nft >/dev/null || kv_skip "nft is not installed (Debian package nftables)"
	kv_on_exit kv_reap_dnsmasq
}

# kv_reap_dnsmasq - end (by PID) any dnsmasq still running on a configuration in this test's
# temp dir: a kvnetd that was killed, or failed to stop its own, leaves them behind. Called
# at clean-up (kv_require_services arranges it); its own check of leftovers is the test's.
kv_reap_dnsmasq() {
	local p
	[ -n "$KV_TMP" ] || return 0
	for p in $(kv_dnsmasq_pids); do
		kill -KILL "$p" 2>/dev/null
	done
}

# kv_dnsmasq_pids - the PIDs of every dnsmasq (argv[0]) running with an argument in this test's
# temp dir (its --conf-file), sorted, space-separated
kv_dnsmasq_pids() {
	local p a0 cmd out=()
	[ -n "$KV_TMP" ] || return 0
	for p in /proc/[0-9]*; do
		{ IFS= read -r -d '' a0 <"$p/cmdline"; } 2>/dev/null || continue
		[ "${a0##*/}" = dnsmasq ] || continue
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $cmd in
		*" "*"$KV_TMP/"*) out+=("${p#/proc/}") ;;
		esac
	done
	[ ${#out[@]} -gt 0 ] && printf '%s\n' "${out[@]}" | sort -n | xargs
	return 0
}

# kv_net_xml NAME BRIDGE OCTET [FORWARD] [EXTRA] [DHCP_EXTRA] - write $KV_TMP/xml/NAME.xml: network
# NAME on switch BRIDGE, 192.168.OCTET.1/24 with a DHCP range .100-.200; FORWARD is its
# <forward> element ("" for isolated), EXTRA more elements (<domain>, <dns>...), DHCP_EXTRA
# more <dhcp> children (<host>). Prints the file's path.
kv_net_xml() {
	kv_tmp
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/$1.xml" <<-XML
		<network>
		  <name>$1</name>
		  ${4:-}
		  <bridge name='$2'/>
		  ${5:-}
		  <ip address='192.168.$3.1' netmask='255.255.255.0'>
		    <dhcp>
		      <range start='192.168.$3.100' end='192.168.$3.200'/>
		      ${6:-}
		    </dhcp>
		  </ip>
		</network>
	XML
	echo "$KV_TMP/xml/$1.xml"
}

# kv_net_up FILE NAME - net-define FILE and net-start NAME, or fail the setup
kv_net_up() {
	local out
	out=$(kv net-define "$1" 2>&1) || kv_setup_fail "net-define $1: $out"
	out=$(kv net-start "$2" 2>&1) || kv_setup_fail "net-start $2: $out"
}

# kv_vxlan_net_xml FILE NAME BRIDGE VNI LOCAL EXTRA REMOTE... - write FILE: network NAME on
# switch BRIDGE, spanning hosts with <kvnet:vxlan vni='VNI' local='LOCAL'> and a
# <kvnet:remote> per REMOTE; EXTRA more elements (an <ip>; "" for none)
kv_vxlan_net_xml() {
	local file=$1 name=$2 br=$3 vni=$4 local=$5 extra=$6 r remotes=""
	shift 6
	for r in "$@"; do
		remotes+="    <kvnet:remote address='$r'/>"$'\n'
	done
	mkdir -p "$(dirname "$file")"
	cat >"$file" <<-XML
		<network xmlns:kvnet='urn:kvnet:libvirt-network:1'>
		  <name>$name</name>
		  <bridge name='$br'/>
		  $extra
		  <kvnet:vxlan vni='$vni' local='$local'>
		$remotes  </kvnet:vxlan>
		</network>
	XML
}

# kv_vm_attach DOMAIN NET MAC NS IFACE [SOURCE_ATTRS] [ELEMENTS] - attach a VM interface on
# network NET with MAC, its tap IFACE moved into NS (the VM), up; SOURCE_ATTRS go in its
# <source> (portgroup='pg'), ELEMENTS in the <interface> (<port isolated='no'/>)
kv_vm_attach() {
	local dom=$1 net=$2 mac=$3 ns=$4 ifc=$5 out
	kv_tmp
	cat >"$KV_TMP/vm-$dom.xml" <<-XML
		<interface type='network'>
		  <source network='$net' ${6:-}/>
		  <mac address='$mac'/>
		  <target dev='$ifc'/>
		  ${7:-}
		</interface>
	XML
	out=$(kv attach-interface "$dom" "$KV_TMP/vm-$dom.xml" --netns "$ns" 2>&1) ||
		kv_setup_fail "attach-interface $dom to $net: $out"
	ip -n "$ns" link set "$ifc" up || kv_setup_fail "$ifc up in $ns"
}

# kv_udhcpc NS IFACE [UDHCPC_ARGS...] - one DHCP exchange with busybox udhcpc in NS on IFACE
# (e.g. -x hostname:vm1). Its script applies the lease as a guest would (address, default
# route via the first router) and records what it got: kv_dhcp NS IFACE VAR reads it back.
# Return: 0 if a lease was bound, else non-zero (udhcpc's output in $KV_TMP/udhcpc-NS-IFACE.log).
kv_udhcpc() {
	local ns=$1 ifc=$2 out
	shift 2
	kv_tmp
	out=$KV_TMP/dhcp-$ns-$ifc
	if [ ! -x "$KV_TMP/udhcpc.sh" ]; then
		cat >"$KV_TMP/udhcpc.sh" <<-'SCRIPT'
			#!/bin/sh
			# busybox udhcpc's script: apply the lease, record it in $KV_DHCP_OUT
			event=$1
			case $event in
			deconfig)
				ip addr flush dev "$interface"
				ip link set "$interface" up
				;;
			bound | renew)
				ip addr flush dev "$interface"
				ip addr add "$ip/${mask:-24}" ${broadcast:+broadcast "$broadcast"} dev "$interface"
				set -- $router
				[ -n "$1" ] && ip route replace default via "$1" dev "$interface"
				{
					echo "event=$event"
					echo "ip=$ip"
					echo "mask=$mask"
					echo "router=$router"
					echo "dns=$dns"
					echo "domain=$domain"
					echo "hostname=$hostname"
					echo "lease=$lease"
					echo "serverid=$serverid"
					echo "mtu=$mtu"
					echo "siaddr=$siaddr"
					echo "boot_file=$boot_file"
				} >"$KV_DHCP_OUT.tmp" && mv "$KV_DHCP_OUT.tmp" "$KV_DHCP_OUT"
				;;
			esac
			exit 0
		SCRIPT
		chmod +x "$KV_TMP/udhcpc.sh"
	fi
	rm -f "$out"
	KV_DHCP_OUT=$out timeout -k 2 "$KV_WAIT" ip netns exec "$ns" "$KV_UDHCPC" -i "$ifc" \
		-n -q -t 10 -T 1 -A 1 -s "$KV_TMP/udhcpc.sh" "$@" >"$KV_TMP/udhcpc-$ns-$ifc.log" 2>&1 &&
		[ -s "$out" ]
}

# kv_dhcp NS IFACE VAR - what the last kv_udhcpc on IFACE got: ip, mask, router, dns, domain,
# hostname, lease, serverid, mtu (asked for with -O mtu), siaddr and boot_file (the BOOTP
# next-server and file fields)
kv_dhcp() {
	sed -n "s/^$3=//p" "$KV_TMP/dhcp-$1-$2" 2>/dev/null
}

# kv_udhcpc_log NS IFACE - udhcpc's output of the last kv_udhcpc on IFACE (for messages)
kv_udhcpc_log() {
	tr '\n' ' ' <"$KV_TMP/udhcpc-$1-$2.log" 2>/dev/null
}

# kv_leases NET [--mac MAC] - "MAC ADDRESS/PREFIX HOSTNAME" of each lease (net-dhcp-leases
# --json), sorted, one a line; HOSTNAME "-" when the client sent none
kv_leases() {
	kv_q '"\n".join(sorted("%s %s/%s %s" % (l["mac"].lower(), l["address"], l["prefix"],
		l["hostname"] or "-") for l in d["leases"]))' net-dhcp-leases "$@"
}

# kv_dnsmasq NET FIELD - a member of net-info's "dnsmasq" object: state, pid, restarts, error
kv_dnsmasq() {
	kv_q "(d.get(\"dnsmasq\") or {}).get(\"$2\", \"no dnsmasq in net-info\")" net-info "$1"
}

# kv_dns NS SERVER NAME [TYPE] - ask SERVER for NAME from NS: the rcode (NOERROR, NXDOMAIN...)
# then each answer, space-separated; non-zero if no answer came within KV_WAIT s
kv_dns() {
	local out
	out=$("$KV_PY" "$KV_FRAMES" dns "$3" --netns "$1" --server "$2" --type "${4:-A}" \
		--timeout "$KV_WAIT" 2>&1) || {
		echo "$out"
		return 1
	}
	echo $out
}

# kv_serve NS ADDR PORT LOG - a TCP server in NS on ADDR:PORT (frames.py serve) that appends
# each peer's "IP PORT" to LOG; ended at clean-up. Sets KV_SERVE_PID.
kv_serve() {
	local i
	kv_tmp
	rm -f "$KV_TMP/serve.ready"
	"$KV_PY" "$KV_FRAMES" serve "$2" "$3" --netns "$1" --log "$4" --timeout 600 \
		--ready-file "$KV_TMP/serve.ready" >>"$KV_TMP/serve.err" 2>&1 &
	KV_SERVE_PID=$!
	KV_PIDS+=("$KV_SERVE_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		[ -e "$KV_TMP/serve.ready" ] && return 0
		kill -0 "$KV_SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kv_setup_fail "TCP server on $2:$3 in $1 did not start: $(cat "$KV_TMP/serve.err")"
}

# kv_connect NS ADDR PORT [TIMEOUT] - a TCP connection from NS to a kv_serve: 0 if served
kv_connect() {
	"$KV_PY" "$KV_FRAMES" connect "$2" "$3" --netns "$1" --timeout "${4:-$KV_WAIT}" 2>&1
}

# kv_nft NS - kvnet's nftables table in NS (`nft list table inet kvnet`); non-zero if absent
kv_nft() {
	ip netns exec "$1" nft list table inet kvnet 2>&1
}

# kv_pid_gone PID - "gone" if no process PID exists (or it is a zombie), else "alive"
kv_pid_gone() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || {
		echo gone
		return
	}
	case $st in
	Z*) echo gone ;;
	*) echo alive ;;
	esac
}

# ---------------------------------------------------------------- real guests

# The 7x tests boot real Linux guests in QEMU (software emulation: no KVM needed): the tiny
# image of scripts/guest/build-image.sh, built once into KV_GUEST_DIR and cached there. Its
# /init (scripts/guest/init) reads kvtest.* from the kernel command line, configures eth0,
# runs the test's commands and reports on the serial console ("KVTEST-RESULT: KEY VALUE...",
# "KVTEST-DONE"), then powers off. QEMU runs in kvnetd's namespace. Either it makes its tap
# there, which joins a switch as an AF_PACKET port (kv_guest_start, then port add BRIDGE
# dev:TAP), or kvnet attaches a domain through a back-end (kv_guest_attach: tap, stream,
# dgram) and QEMU takes the arguments kvnet qemu-args prints (kv_guest_boot). A booting guest
# takes a whole core: run at most two at once.
KV_GUEST_DIR=${KV_GUEST_DIR:-$KVNET_BUILD/guest}
KV_GUEST_WAIT=${KV_GUEST_WAIT:-120}
declare -A KV_GUEST_PID=() KV_GUEST_T0=() KV_GUEST_NS=() KV_GUEST_TAP=()
KV_GUEST_SECS=""

# kv_require_guest - exit 77 unless QEMU is installed and the guest image is built (or cached)
kv_require_guest() {
	local out
	command -v qemu-system-x86_64 >/dev/null ||
		kv_skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
	out=$(bash "$KV_TOP/scripts/guest/build-image.sh" "$KV_GUEST_DIR" 2>&1) ||
		kv_skip "the test guest cannot be built from Debian's packages (is the Debian mirror reachable?): $(printf '%s' "$out" | tail -n 1)"
}

# kv_b64 TEXT - TEXT in base64 on one line (for kvtest.cmd=)
kv_b64() {
	printf '%s\n' "$1" | base64 -w0
}

# kv_guest_qemu NAME NS NETARGS KVTEST_ARGS... - boot guest NAME: QEMU in NS with NETARGS (its
# -netdev and -device arguments, in one string, split on blanks), in the background. The serial
# console goes to $KV_TMP/guest-NAME.log (a log of an earlier boot of NAME is kept as
# guest-NAME.log.N). KVTEST_ARGS go on the kernel command line (kvtest.ip=dhcp kvtest.cmd=...:
# see scripts/guest/init). QEMU is ended at clean-up.
kv_guest_qemu() {
	local name=$1 ns=$2 net=$3 pid n=1 log
	shift 3
	kv_tmp
	log=$KV_TMP/guest-$name.log
	if [ -e "$log" ]; then
		while [ -e "$log.$n" ]; do n=$((n + 1)); done
		mv "$log" "$log.$n"
	fi
	KV_GUEST_T0[$name]=$(date +%s%N)
	# shellcheck disable=SC2086 # NETARGS are words
	ip netns exec "$ns" qemu-system-x86_64 -M q35 -m 256 -nographic -no-reboot \
		-kernel "$KV_GUEST_DIR/vmlinuz" -initrd "$KV_GUEST_DIR/initramfs.gz" \
		-append "console=ttyS0 quiet panic=-1 kvtest.name=$name $*" $net \
		</dev/null >"$log" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	KV_GUEST_PID[$name]=$pid
	KV_GUEST_NS[$name]=$ns
}

# kv_guest_start NAME NS TAP MAC KVTEST_ARGS... - boot guest NAME (kv_guest_qemu) with its NIC
# (virtio-net, MAC) on tap TAP, which QEMU makes in NS; return once TAP is there and up
kv_guest_start() {
	local name=$1 ns=$2 tap=$3 mac=$4 i pid
	shift 4
	kv_guest_qemu "$name" "$ns" "-netdev tap,id=n0,ifname=$tap,script=no,downscript=no
		-device virtio-net-pci,netdev=n0,mac=$mac" "$@"
	pid=${KV_GUEST_PID[$name]}
	KV_GUEST_TAP[$name]=$tap
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		ip -n "$ns" link show "$tap" >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	ip -n "$ns" link show "$tap" >/dev/null 2>&1 ||
		kv_setup_fail "guest $name: QEMU made no tap $tap in $ns: $(tail -n 5 "$KV_TMP/guest-$name.log")"
	ip -n "$ns" link set "$tap" up || kv_setup_fail "guest $name: $tap up in $ns"
}

# kv_guest_attach DOMAIN NET MAC BACKEND [SOURCE_ATTRS] [ELEMENTS] [CLI_OPTS...] - attach-interface
# DOMAIN to network NET with MAC through BACKEND (tap, stream, dgram, dev), from an <interface>
# XML with <source network='NET' SOURCE_ATTRS/> (portgroup='pg10') and more ELEMENTS (<vlan>);
# its <target dev> is DOMAIN's name with "eth0" (tap and dev name their interface so). CLI_OPTS
# go to attach-interface (--connect PATH). Fails the setup if kvnet refuses.
kv_guest_attach() {
	local dom=$1 net=$2 mac=$3 be=$4 src=${5:-} more=${6:-} out
	shift 4
	shift $(($# < 2 ? $# : 2))
	kv_tmp
	cat >"$KV_TMP/if-$dom.xml" <<-XML
		<interface type='network'>
		  <source network='$net' $src/>
		  <mac address='$mac'/>
		  <target dev='${dom}eth0'/>
		  <model type='virtio'/>
		  $more
		</interface>
	XML
	out=$(kv attach-interface "$dom" "$KV_TMP/if-$dom.xml" --backend "$be" "$@" 2>&1) ||
		kv_setup_fail "attach-interface $dom to $net ($be): $out"
}

# kv_qemu_args DOMAIN - the -netdev and -device arguments of DOMAIN's interfaces, one line, as
# `kvnet qemu-args DOMAIN` prints them (only those pairs, whatever else it says around them)
kv_qemu_args() {
	local out
	out=$(kv qemu-args "$1") || return 1
	grep -oE -- '-(netdev|device)[[:space:]]+[^[:space:]]+' <<<"$out" | xargs
}

# kv_guest_boot NAME NS DOMAIN KVTEST_ARGS... - boot guest NAME (kv_guest_qemu) in NS on the
# interfaces of kvnet's DOMAIN (kv_guest_attach), with the arguments kv_qemu_args gives
kv_guest_boot() {
	local name=$1 ns=$2 args
	args=$(kv_qemu_args "$3")
	[ -n "$args" ] || kv_setup_fail "guest $name: no QEMU arguments for domain $3"
	shift 3
	kv_guest_qemu "$name" "$ns" "$args" "$@"
}

# kv_iface_field DOMAIN FIELD - a member of DOMAIN's first interface in domain-interfaces:
# link, state, backend, socket, listen...
kv_iface_field() {
	kv_q "d[\"interfaces\"][0].get(\"$2\", \"(no $2)\") if d[\"interfaces\"] else \"(none)\"" \
		domain-interfaces "$1"
}

# kv_guest_log NAME - the guest's serial console so far, without carriage returns
kv_guest_log() {
	tr -d '\r' <"$KV_TMP/guest-$1.log" 2>/dev/null
}

# kv_guest_wait NAME LINE [TIMEOUT] - wait until the guest's console has a line with LINE (KVTEST-DONE, "KVTEST-RESULT: ready"), at most TIMEOUT s (KV_GUEST_WAIT); KV_GUEST_SECS
# is then the time since kv_guest_start. Return: 1 if QEMU exited or the time ran out first.
kv_guest_wait() {
	local name=$1 line=$2 end=$((SECONDS + ${3:-$KV_GUEST_WAIT})) pid=${KV_GUEST_PID[$1]}
	KV_GUEST_SECS=""
	# a deadline, not a count of polls: each poll reads the whole log, slowly on a busy machine
	while [ "$SECONDS" -lt "$end" ]; do
		if kv_guest_log "$name" | grep -q -- "$line"; then
			KV_GUEST_SECS=$(( ($(date +%s%N) - ${KV_GUEST_T0[$name]}) / 1000000 ))
			KV_GUEST_SECS=$(printf '%d.%03d' $((KV_GUEST_SECS / 1000)) $((KV_GUEST_SECS % 1000)))
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			kv_guest_log "$name" | grep -q -- "$line" && continue
			return 1
		fi
		sleep 0.1
	done
	return 1
}

# kv_guest_expect NAME LINE WHAT - wait for LINE from guest NAME (kv_guest_wait), print the
# time it took ("QEMU start to WHAT"), check that the guest reported no error; or record a
# failure with the guest's last lines. Return: 1 if LINE did not come.
kv_guest_expect() {
	if kv_guest_wait "$1" "$2"; then
		echo "INFO: $1: QEMU start to $3: $KV_GUEST_SECS s"
		kv_check_eq "no error in $1" "" "$(kv_guest_result "$1" error)"
		return 0
	fi
	kv_fail "$1 did not print '$2' within $KV_GUEST_WAIT s: $(kv_guest_tail "$1")"
	return 1
}

# kv_guest_result NAME KEY - the rest of each "KVTEST-RESULT: KEY ..." line of the guest's, one a line
kv_guest_result() {
	kv_guest_log "$1" | sed -n "s/^.*KVTEST-RESULT: $2 //p"
}

# kv_guest_tail NAME - the last lines of the guest's console, on one line (for messages)
kv_guest_tail() {
	kv_guest_log "$1" | grep -v '^$' | tail -n 8 | tr '\n' '|'
}

# kv_guest_stop NAME - let the guest's QEMU exit (it powers off after KVTEST-DONE); after
# KV_QUIET s, or at once if the guest has not printed KVTEST-DONE (it idles), end it by PID
# (TERM, then KILL). KV_LAST_GUEST_PID is its PID.
kv_guest_stop() {
	local pid=${KV_GUEST_PID[$1]} i
	KV_LAST_GUEST_PID=${pid:-0}
	[ -n "$pid" ] || return 0
	for ((i = 0; i < KV_QUIET * 10; i++)); do
		kv_is_child "$pid" || break
		kv_guest_log "$1" | grep -q KVTEST-DONE || break
		sleep 0.1
	done
	kv_is_child "$pid" && kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kv_is_child "$pid" || break
		sleep 0.1
	done
	kv_is_child "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	unset "KV_GUEST_PID[$1]"
}

# kv_guest_kill NAME - end guest NAME's QEMU at once (SIGKILL, as a crash would) and reap it;
# KV_LAST_GUEST_PID is its PID
kv_guest_kill() {
	local pid=${KV_GUEST_PID[$1]}
	KV_LAST_GUEST_PID=${pid:-0}
	[ -n "$pid" ] || return 0
	kv_is_child "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	unset "KV_GUEST_PID[$1]"
}

# kv_guest_watch NAME ADDR - what guest NAME's last `kvwatch ADDR` report says: up, down, or
# none before its first (scripts/guest/init)
kv_guest_watch() {
	kv_guest_result "$1" watch | awk -v a="$2" '$1 == a { s = $2 } END { print s ? s : "none" }'
}

# kv_guests_end NAME... - end each guest (kv_guest_stop); each QEMU must be gone
kv_guests_end() {
	local g
	for g in "$@"; do
		kv_guest_stop "$g"
		kv_check_eq "$g's QEMU ended" gone "$(kv_pid_gone "$KV_LAST_GUEST_PID")"
	done
}
