#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 25_cli_errors.sh - bad input to every command fails clearly and changes nothing
#
# Each case runs one kvnet command that must fail: it must exit non-zero
# (1..125: not a crash), print on stderr a message naming what was wrong
# (each case lists words the message must contain), leave kvnetd running
# and its state (`--json` bridge, port, vlan and fdb show, FDB ages left
# out) exactly as before. Then raw lines on the control socket: each gets
# the JSON-RPC error docs/protocol.md gives, and the daemon stays up.
#
#   kvnetd (ns sw): br0 (filtering) with t1 (tap in h1, down: no traffic), VLANs 1, 10, 20,
#                   static FDB entries; br1 (no filtering) with t2 (tap left in sw)

ALL_TESTS="errors_bridge errors_port errors_vlan errors_fdb errors_stats errors_syntax
	errors_net_update_usage errors_no_daemon raw_json"

source "$(dirname "$0")/lib.sh"

STATIC=02:00:00:25:00:aa
OTHER=02:00:00:25:00:99

setup() {
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	NONS=$(kv_ns no-such-ns)
	kv_ns_add "$SW" "$H1"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 ageing_time 100 || kv_setup_fail "bridge add br0"
	kv bridge add br1 vlan_filtering off || kv_setup_fail "bridge add br1"
	kv port add br0 t1 netns "$H1" || kv_setup_fail "port add br0 t1"
	kv port add br1 t2 || kv_setup_fail "port add br1 t2"
	kv vlan add t1 vid 10 || kv_setup_fail "vlan add t1 vid 10"
	kv vlan add t1 vid 20 untagged || kv_setup_fail "vlan add t1 vid 20"
	kv fdb add $STATIC port t1 || kv_setup_fail "fdb add $STATIC port t1"
	kv fdb add $STATIC port t1 vlan 10 || kv_setup_fail "fdb add $STATIC port t1 vlan 10"
	BASELINE=$(kv_state) || kv_setup_fail "cannot read the state: $BASELINE"
}

# kv_state - bridges, ports, VLANs and both FDBs as one canonical JSON text (ages left out)
kv_state() {
	local b p v f0 f1
	b=$(kvj bridge show 2>&1) || { echo "bridge show: $b"; return 1; }
	p=$(kvj port show 2>&1) || { echo "port show: $p"; return 1; }
	v=$(kvj vlan show 2>&1) || { echo "vlan show: $v"; return 1; }
	f0=$(kvj fdb show br0 2>&1) || { echo "fdb show br0: $f0"; return 1; }
	f1=$(kvj fdb show br1 2>&1) || { echo "fdb show br1: $f1"; return 1; }
	B=$b P=$p V=$v F0=$f0 F1=$f1 "$KV_PY" -c '
import json, os
s = {k: json.loads(os.environ[k]) for k in ("B", "P", "V", "F0", "F1")}
for k in ("F0", "F1"):
    for e in s[k].get("entries", []):
        e.pop("age", None)
print(json.dumps(s, sort_keys=True))
'
}

# bad WORDS ARGS... - `kvnet ARGS...` must fail with a message holding each of WORDS
# (a space-separated list of extended regexps, matched without case; "" for none), and
# leave kvnetd running with its state unchanged
bad() {
	local words=$1 out err rc w now
	shift
	err=$("$KVNET" --socket "$KV_SOCK" "$@" 2>&1 >"$KV_TMP/bad.out")
	rc=$?
	out=$(cat "$KV_TMP/bad.out")
	if [ "$rc" -eq 0 ]; then
		kv_fail "kvnet $*: expected failure, exit status 0 (stdout '$out')"
	elif [ "$rc" -gt 125 ]; then
		kv_fail "kvnet $*: expected exit status 1..125, seen $rc (a crash?): $err"
	fi
	if [ "$rc" -ne 0 ] && [ -z "$err" ]; then
		kv_fail "kvnet $*: expected a message on stderr, seen none (stdout '$out')"
	fi
	for w in $words; do
		echo "$err" | grep -qiE -- "$w" ||
			kv_fail "kvnet $*: expected the message to name '$w', seen '$err'"
	done
	if ! kvnetd_alive; then
		kv_fail "kvnet $*: kvnetd is no longer running"
		return
	fi
	now=$(kv_state)
	if [ "$now" != "$BASELINE" ]; then
		kv_fail "kvnet $*: state changed (- expected, + seen):"$'\n'"$(state_diff "$BASELINE" "$now")"
		BASELINE=$now # report each change once
	fi
}

# state_diff OLD NEW - the members that differ between two kv_state texts, one a line
state_diff() {
	OLD=$1 NEW=$2 "$KV_PY" -c '
import json, os
def flat(v, path, out):
    if isinstance(v, dict):
        for k in v:
            flat(v[k], path + "." + k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flat(x, "%s[%d]" % (path, i), out)
    else:
        out[path] = json.dumps(v)
    return out
try:
    a, b = flat(json.loads(os.environ["OLD"]), "", {}), flat(json.loads(os.environ["NEW"]), "", {})
except ValueError:
    print("- " + os.environ["OLD"][:300])
    print("+ " + os.environ["NEW"][:300])
    raise SystemExit
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        if k in a:
            print("- %s: %s" % (k[1:], a[k]))
        if k in b:
            print("+ %s: %s" % (k[1:], b[k]))
'
}

errors_bridge() {
	bad "br0 exist" bridge add br0
	bad "" bridge add
	bad "maybe" bridge add br9 vlan_filtering maybe
	bad "soon" bridge add br9 ageing_time soon
	bad "-5" bridge add br9 ageing_time -5
	bad "4095" bridge add br9 default_pvid 4095
	bad "max_learned" bridge add br9 max_learned 0
	bad "colour" bridge add br9 colour blue
	bad "this-name-is-too-long" bridge add this-name-is-too-long
	bad "bad/name" bridge add bad/name
	bad "nope" bridge del nope
	bad "" bridge del
	bad "nope" bridge set nope ageing_time 10
	bad "maybe" bridge set br0 vlan_filtering maybe
	bad "" bridge set br0
	bad "nope" bridge show nope
	log_test "bridge: duplicate, unknown, bad values, missing arguments"
}

errors_port() {
	bad "nope" port add nope t9
	bad "t1 exist" port add br0 t1
	bad "t1 exist" port add br1 t1
	bad "" port add br0
	bad "$NONS" port add br0 t9 netns "$NONS"
	bad "mtu 10\\b" port add br0 t9 mtu 10
	bad "kvnoif$$" port add br0 dev:kvnoif$$
	bad "nope" port del nope
	bad "" port del
	bad "nope" port set nope learning off
	bad "maybe" port set t1 learning maybe
	bad "70000" port set t1 mtu 70000
	bad "sleeping" port set t1 state sleeping
	bad "" port set t1
	bad "nope" port show nope
	# a failed port add leaves no tap behind
	if ip -n "$SW" link show t9 >/dev/null 2>&1; then
		kv_fail "a tap t9 was left in $SW after failed port adds: $(ip -n "$SW" link show t9)"
	fi
	log_test "port: duplicate, unknown bridge/port/netns/device, bad values, missing arguments"
}

errors_vlan() {
	bad "\\b0\\b 4094" vlan add t1 vid 0
	bad "4095" vlan add t1 vid 4095
	bad "5000" vlan add t1 vid 5000
	bad "5000" vlan add t1 vid 10-5000
	bad "20 10" vlan add t1 vid 20-10
	bad "ten" vlan add t1 vid ten
	bad "pvid" vlan add t1 vid 30-32 pvid
	bad "" vlan add t1
	bad "nope" vlan add nope vid 10
	bad "30" vlan del t1 vid 30
	bad "4095" vlan del t1 vid 4095
	bad "nope" vlan del nope vid 10
	bad "nope" vlan show nope
	log_test "vlan: VID 0, 4095, 5000, bad ranges, unknown port, non-member, missing arguments"
}

errors_fdb() {
	bad "zz:zz:zz:zz:zz:zz" fdb add zz:zz:zz:zz:zz:zz port t1
	bad "02:00:00:00:00\\b" fdb add 02:00:00:00:00 port t1
	bad "02:00:00:00:00:00:01" fdb add 02:00:00:00:00:00:01 port t1
	bad "nope" fdb add $OTHER port nope
	bad "\\b0\\b 4094" fdb add $OTHER port t1 vlan 0
	bad "4095" fdb add $OTHER port t1 vlan 4095
	bad "5000" fdb add $OTHER port t1 vlan 5000
	bad "$STATIC exist" fdb add $STATIC port t1
	bad "" fdb add $OTHER
	bad "" fdb add
	bad "$OTHER" fdb del $OTHER bridge br0
	bad "nope" fdb del $STATIC bridge nope
	bad "xx:yy" fdb del xx:yy bridge br0
	bad "5000" fdb del $STATIC bridge br0 vlan 5000
	bad "nope" fdb show nope
	bad "" fdb show
	bad "5000" fdb show br0 vlan 5000
	bad "nope" fdb show br0 port nope
	bad "nope" fdb flush nope
	bad "nope" fdb flush br0 port nope
	bad "4095" fdb flush br0 vlan 4095
	log_test "fdb: bad MACs, VID 0, 4095, 5000, duplicate, unknown, missing arguments"
}

errors_stats() {
	bad "nope" stats show nope
	bad "nope" stats show br0 port nope
	log_test "stats: unknown bridge and port"
}

errors_syntax() {
	bad "" # no object at all
	bad "frobnicate" frobnicate show
	bad "frobnicate" bridge frobnicate
	bad "frobnicate" vlan frobnicate t1
	bad "" bridge
	bad "frob" --frob bridge show
	bad "extra" bridge show br0 extra
	bad "learning" port set t1 learning
	log_test "unknown objects, commands and options; missing and extra words"
}

# usage WORDS ARGS... - as bad, and the exit status must be 2 (a usage error)
usage() {
	local words=$1 rc
	shift
	"$KVNET" --socket "$KV_SOCK" "$@" >/dev/null 2>&1
	rc=$?
	[ "$rc" -eq 2 ] || kv_fail "kvnet $*: expected exit status 2 (usage), seen $rc"
	bad "$words" "$@"
}

errors_net_update_usage() {
	local host="<host mac='52:54:00:00:00:01' ip='192.168.122.5'/>"
	usage "network" net-update
	usage "section" net-update default add
	usage "XML" net-update default add ip-dhcp-host
	usage "frob add-last add-first modify delete" net-update default frob ip-dhcp-host "$host"
	usage "ip-dhcp-hosts ip-dhcp-range forward-interface portgroup dns-host dns-txt dns-srv" \
		net-update default add ip-dhcp-hosts "$host"
	usage "parent-index" net-update default add ip-dhcp-host "$host" --parent-index -1
	usage "current live" net-update default add ip-dhcp-host "$host" --current --live
	usage "extra" net-update default add ip-dhcp-host "$host" extra
	usage "network" net-dhcp-leases
	usage "zz MAC" net-dhcp-leases default --mac zz
	usage "extra" net-dhcp-leases default extra
	log_test "net-update and net-dhcp-leases: usage errors exit 2 and name what was wrong"
}

errors_no_daemon() {
	local sock=$KV_TMP/no-such-dir/kvnetd.sock out rc cmd
	for cmd in "version" "bridge show" "bridge add br9" "fdb show br0"; do
		# shellcheck disable=SC2086
		out=$("$KVNET" --socket "$sock" $cmd 2>&1)
		rc=$?
		if [ "$rc" -eq 0 ] || [ "$rc" -gt 125 ]; then
			kv_fail "kvnet --socket $sock $cmd: expected exit status 1..125, seen $rc: $out"
		fi
		echo "$out" | grep -qF -- "$sock" ||
			kv_fail "kvnet --socket $sock $cmd: expected the message to name the socket, seen '$out'"
	done
	check_state "state after calls to a missing daemon"
	log_test "no daemon at the socket path: a message naming the path, exit non-zero"
}

# check_state WHAT - the state must be as at the start
check_state() {
	local now
	now=$(kv_state)
	if [ "$now" != "$BASELINE" ]; then
		kv_fail "$1: state changed (- expected, + seen):"$'\n'"$(state_diff "$BASELINE" "$now")"
		BASELINE=$now
	fi
}

# rpc CODE ID LINE - send LINE (a Python bytes literal's contents) on a new connection;
# the answer must be one JSON-RPC error with CODE and ID (null, or a number)
rpc() {
	local out
	out=$("$KV_PY" - "$KV_SOCK" "$1" "$2" "$3" <<'EOF' 2>&1
import ast, json, socket, sys
path, code, rid, line = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rid = None if rid == "null" else int(rid)
data = ast.literal_eval("b'" + line + "'")
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(path)
s.sendall(data + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        break
    if not chunk:
        break
    buf += chunk
if not buf:
    sys.exit("expected a JSON-RPC error %d, seen no answer (connection closed or timed out)" % code)
try:
    a = json.loads(buf.split(b"\n")[0])
except ValueError:
    sys.exit("expected a JSON-RPC error %d, seen a line that is not JSON: %r" % (code, buf[:200]))
ok = (isinstance(a, dict) and a.get("jsonrpc") == "2.0" and "result" not in a
      and isinstance(a.get("error"), dict) and a["error"].get("code") == code
      and isinstance(a["error"].get("message"), str) and a["error"]["message"]
      and "id" in a and a["id"] == rid)
if not ok:
    sys.exit("expected {\"jsonrpc\": \"2.0\", \"id\": %s, \"error\": {\"code\": %d, "
             "\"message\": ...}}, seen %s" % (json.dumps(rid), code, json.dumps(a)))
print(a["error"]["message"])
EOF
	) || kv_fail "raw line '$3': $out"
	kvnetd_alive || kv_fail "raw line '$3': kvnetd is no longer running"
}

raw_json() {
	rpc -32700 null '{"jsonrpc":"2.0","id":1,"method":'
	rpc -32700 null 'this is not json'
	rpc -32700 null '\x00\xff\xfe{}'
	rpc -32600 null '"just a string"'
	rpc -32600 2 '{"id":2,"method":"daemon.ping"}'
	rpc -32600 3 '{"jsonrpc":"2.0","id":3,"method":42}'
	rpc -32601 4 '{"jsonrpc":"2.0","id":4,"method":"no.such.method"}'
	rpc -32602 5 '{"jsonrpc":"2.0","id":5,"method":"bridge.add","params":{"name":"br9","colour":"blue"}}'
	rpc -32602 6 '{"jsonrpc":"2.0","id":6,"method":"bridge.add","params":{"name":42}}'
	rpc -32602 7 '{"jsonrpc":"2.0","id":7,"method":"bridge.add","params":[1,2]}'
	rpc -32602 8 '{"jsonrpc":"2.0","id":8,"method":"vlan.add","params":{"port":"t1","vid":5000}}'
	rpc -32602 9 '{"jsonrpc":"2.0","id":9,"method":"vlan.add","params":{"port":"t1","vid":0}}'
	rpc -32002 10 '{"jsonrpc":"2.0","id":10,"method":"bridge.add","params":{"name":"br0"}}'
	rpc -32001 11 '{"jsonrpc":"2.0","id":11,"method":"port.del","params":{"name":"nope"}}'
	rpc -32602 12 '{"jsonrpc":"2.0","id":12,"method":"fdb.add","params":{"port":"t1","mac":"zz:zz:zz:zz:zz:zz"}}'
	# a line over the 1 MiB limit: whatever the answer, the daemon stays up
	"$KV_PY" - "$KV_SOCK" <<'EOF' >/dev/null 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
try:
    s.sendall(b"x" * (2 << 20) + b"\n")
    s.recv(65536)
except OSError:
    pass
EOF
	kvnetd_alive || kv_fail "a 2 MiB line: kvnetd is no longer running"
	kv_check_ok "daemon answers after the raw lines" kv version
	check_state "state after the raw lines"
	log_test "raw lines on the socket get JSON-RPC errors; the daemon stays up"
}

kv_require
setup
tests_run
kv_exit
