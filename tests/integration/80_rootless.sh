#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 80_rootless.sh - kvnetd as an ordinary user: its own run and state dirs, stream ports that
# several users' VMs share through one group, and a refusal, with one message, of everything
# that needs CAP_NET_ADMIN
#
#   users (numeric, in no /etc file; no capability at all, not even in the bounding set):
#     owner 61080  runs kvnetd --group 61080 in ns sw, XDG_RUNTIME_DIR and HOME in the temp dir
#     alice 61081, bob 61082  in group 61080: each attaches a stream port to network lan (no
#                             <ip>) and runs a "VM" (stream framing, in python) on it
#     eve   61083  in no group of kvnetd's: refused at the control socket and at the port sockets
#
# Every kvnet call here runs as one of these users, never as root.

ALL_TESTS="starts_unprivileged no_runtime_dir net_without_ip privileged_nets_refused
	tap_dev_refused users_share_network outsider_refused"

source "$(dirname "$0")/lib.sh"

OWNER=61080
ALICE=61081
BOB=61082
EVE=61083
GROUP=61080
ALICE_MAC=52:54:00:80:00:0a
BOB_MAC=52:54:00:80:00:0b
ADVICE='needs CAP_NET_ADMIN \(kvnetd runs without it: use stream or dgram ports\)'

# user UID GROUPS - set AS to the command words that run what follows them as user UID (group
# UID) with supplementary GROUPS ("" for none), with no capabilities, in the environment of a
# login of that user whose $HOME and $XDG_RUNTIME_DIR are in this test's temp dir; VAR=VALUE
# words may come first
user() {
	local groups=(--clear-groups)
	[ -n "$2" ] && groups=(--groups "$2")
	AS=(setpriv --reuid "$1" --regid "$1" "${groups[@]}" --inh-caps -all --bounding-set -all
		env -i PATH=/usr/bin:/bin HOME="$KV_TMP/home-$1" XDG_RUNTIME_DIR="$KV_TMP/xdg-$1"
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}")
}

# as_user UID GROUPS [VAR=VALUE...] CMD... - run CMD so (see user)
as_user() {
	user "$1" "$2"
	shift 2
	"${AS[@]}" "$@"
}

# owner|alice|bob|eve ARGS... - kvnet as that user: the owner with no --socket (the CLI's
# default), alice through $KVNET_SOCKET, bob and eve with --socket
owner() {
	user "$OWNER" "$GROUP"
	kv_timeout "${AS[@]}" "$KVNET" "$@"
}
alice() {
	user "$ALICE" "$GROUP"
	kv_timeout "${AS[@]}" KVNET_SOCKET="$KV_SOCK" "$KVNET" "$@"
}
bob() {
	user "$BOB" "$GROUP"
	kv_timeout "${AS[@]}" "$KVNET" --socket "$KV_SOCK" "$@"
}
eve() {
	user "$EVE" ""
	kv_timeout "${AS[@]}" "$KVNET" --socket "$KV_SOCK" "$@"
}

# user_dirs UID [MODE] - HOME and XDG_RUNTIME_DIR of UID in the temp dir, its own; the runtime
# dir private (0700) as logind makes it, unless MODE says otherwise
user_dirs() {
	mkdir -p "$KV_TMP/home-$1" "$KV_TMP/xdg-$1" || kv_setup_fail "mkdir for uid $1"
	chown "$1:$1" "$KV_TMP/home-$1" "$KV_TMP/xdg-$1" || kv_setup_fail "chown for uid $1"
	chmod "${2:-0700}" "$KV_TMP/xdg-$1" || kv_setup_fail "chmod for uid $1"
}

# rpc METHOD PARAMS_JSON - as the owner, one JSON-RPC call on the control socket: prints the
# error's code and message, or "ok"
rpc() {
	as_user "$OWNER" "$GROUP" "$KV_PY" -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall((json.dumps({"jsonrpc": "2.0", "id": 1, "method": sys.argv[2],
                       "params": json.loads(sys.argv[3])}) + "\n").encode())
buf = b""
while not buf.endswith(b"\n"):
    chunk = s.recv(65536)
    if not chunk:
        break
    buf += chunk
ans = json.loads(buf)
e = ans.get("error")
print("%s %s" % (e["code"], e["message"]) if e else "ok")
' "$KV_SOCK" "$1" "$2"
}

# kvnetd_start_user - kvnetd as the owner in ns sw, with its default dirs and --group GROUP
kvnetd_start_user() {
	local i
	KV_SOCK=$KV_TMP/xdg-$OWNER/kvnet/kvnetd.sock
	KV_LOG=$KV_TMP/kvnetd.log
	KVNETD_NS=$SW
	echo "== kvnetd start in $SW as uid $OWNER: $KVNETD --group $GROUP" >>"$KV_LOG"
	user "$OWNER" "$GROUP"
	ip netns exec "$SW" "${AS[@]}" "$KVNETD" --log-level debug --group "$GROUP" >>"$KV_LOG" 2>&1 &
	KVNETD_PID=$!
	KV_PIDS+=("$KVNETD_PID")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		owner version >/dev/null 2>&1 && return 0
		kill -0 "$KVNETD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

setup() {
	command -v setpriv >/dev/null || kv_skip "setpriv (util-linux) is not installed"
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	# every user must reach the binaries and the temp dir (mktemp made it 0700)
	chmod 0755 "$KV_TMP" || kv_setup_fail "chmod $KV_TMP"
	as_user "$EVE" "" test -x "$KVNETD" -a -x "$KVNET" ||
		kv_skip "an ordinary user cannot run $KVNETD and $KVNET (a parent dir is private)"
	# the owner lets the group through its runtime dir to the run dir, not further
	user_dirs "$OWNER" 0710
	chgrp "$GROUP" "$KV_TMP/xdg-$OWNER" || kv_setup_fail "chgrp $KV_TMP/xdg-$OWNER"
	user_dirs "$ALICE"
	user_dirs "$BOB"
	user_dirs "$EVE"
	X=$KV_TMP/xml
	mkdir -p "$X" || kv_setup_fail "mkdir $X"
	chmod 0755 "$X" || kv_setup_fail "chmod $X"
	cat >"$X/lan.xml" <<-'EOF'
		<network>
		  <name>lan</name>
		  <bridge name='kvr80'/>
		</network>
	EOF
	kv_net_xml nat80 kvn80 80 "<forward mode='nat'/>" >/dev/null
	kv_net_xml iso80 kvi80 81 >/dev/null
	cat >"$X/up80.xml" <<-'EOF'
		<network>
		  <name>up80</name>
		  <forward mode='bridge'>
		    <interface dev='lo'/>
		  </forward>
		</network>
	EOF
	for d in alice:$ALICE_MAC bob:$BOB_MAC; do
		cat >"$X/${d%%:*}.xml" <<-EOF
			<interface type='network'>
			  <source network='lan'/>
			  <mac address='${d#*:}'/>
			  <model type='virtio'/>
			</interface>
		EOF
	done
	cat >"$X/vm.py" <<-'EOF'
		# a VM on a stream port: 4-byte big-endian length, then the frame. It sends
		# broadcasts until it hears its peer, then unicasts to the peer's MAC; it succeeds
		# once a unicast of the peer's reached it, after a second more of sending and, if
		# given a STOP file, once that file exists.
		# usage: vm.py SOCKET MAC TAG SECONDS [STOP]
		import os, select, socket, struct, sys, time
		path, mac, tag = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), sys.argv[3]
		magic, etype = b"kvnet80 ", struct.pack("!H", 0x88B5)
		s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		try:
		    s.connect(path)
		except OSError as e:
		    print("connect: %s" % e.strerror)
		    sys.exit(2)
		peer, unicast, done_at, buf, next_send = None, False, None, b"", 0.0
		deadline = time.time() + float(sys.argv[4])
		while time.time() < deadline:
		    if time.time() >= next_send:
		        f = (peer or b"\xff" * 6) + mac + etype + (magic + tag.encode()).ljust(46, b"\0")
		        s.sendall(struct.pack("!I", len(f)) + f)
		        next_send = time.time() + 0.1
		    if select.select([s], [], [], 0.05)[0]:
		        data = s.recv(65536)
		        if not data:
		            print("kvnet closed the socket")
		            sys.exit(1)
		        buf += data
		    while len(buf) >= 4 and len(buf) >= 4 + struct.unpack("!I", buf[:4])[0]:
		        n = struct.unpack("!I", buf[:4])[0]
		        f, buf = buf[4:4 + n], buf[4 + n:]
		        if f[12:14] != etype or not f[14:].startswith(magic) or f[6:12] == mac:
		            continue
		        peer = f[6:12]
		        unicast = unicast or f[:6] == mac
		    if unicast and done_at is None:
		        done_at = time.time() + 1.0
		    if done_at and time.time() >= done_at and (
		            len(sys.argv) < 6 or os.path.exists(sys.argv[5])):
		        print("ok peer %s" % peer.hex(":"))
		        sys.exit(0)
		print("timeout: peer %s, unicast from it %s" % (peer and peer.hex(":"), unicast))
		sys.exit(1)
	EOF
	chmod 0644 "$X"/* || kv_setup_fail "chmod $X"
	kvnetd_start_user || kv_setup_fail "kvnetd did not start as uid $OWNER: $(tail -n 5 "$KV_LOG")"
}

starts_unprivileged() {
	local status
	status=$(cat "/proc/$KVNETD_PID/status" 2>&1)
	kv_check_ok "kvnetd runs as uid $OWNER" grep -qE "^Uid:\s+$OWNER\s+$OWNER\s" <<<"$status"
	kv_check_ok "with no effective capability" grep -qE '^CapEff:\s+0+$' <<<"$status"
	kv_check_ok "its control socket is in \$XDG_RUNTIME_DIR/kvnet" test -S "$KV_SOCK"
	kv_check_eq "the socket: group $GROUP, rw for it" "srw-rw---- $OWNER:$GROUP" \
		"$(stat -c '%A %u:%g' "$KV_SOCK" 2>&1)"
	kv_check_ok "its state dir is \$HOME/.local/share/kvnet" \
		test -d "$KV_TMP/home-$OWNER/.local/share/kvnet/networks"
	kv_check_run "kvnet finds the user's kvnetd with no --socket" 0 '^kvnet ' '^$' owner version
	kv_check_eq "no default network (it would need a host port and NAT)" "" \
		"$(owner --json net-list --all | "$KV_PY" -c \
			'import json,sys; print(" ".join(n["name"] for n in json.load(sys.stdin)["networks"]))')"
	kv_check_ok "the log says why" grep -q 'without CAP_NET_ADMIN: no default network' "$KV_LOG"
	log_test "kvnetd starts as an ordinary user, in \$XDG_RUNTIME_DIR and the user's data dir"
}

no_runtime_dir() {
	user "$EVE" ""
	kv_check_run "kvnetd without \$XDG_RUNTIME_DIR" 2 '^$' \
		'XDG_RUNTIME_DIR is not set.*give --run-dir DIR' \
		timeout 10 "${AS[@]}" XDG_RUNTIME_DIR= "$KVNETD"
	kv_check_run "kvnetd --group with a GID it is not in" 2 '^$' \
		"group 99999 \(GID 99999\).*not a member" timeout 10 "${AS[@]}" "$KVNETD" --group 99999
	kv_check_ok "neither left a run dir" test ! -e "$KV_TMP/xdg-$EVE/kvnet"
	log_test "an unprivileged kvnetd says what it needs: a run dir, a group it is in"
}

net_without_ip() {
	kv_check_run "net-define lan" 0 '^Network lan defined' '^$' owner net-define "$X/lan.xml"
	kv_check_run "net-start lan" 0 '^Network lan started' '^$' owner net-start lan
	kv_check_eq "lan active" true \
		"$(owner --json net-list --all | "$KV_PY" -c 'import json,sys
print(json.dumps([n["active"] for n in json.load(sys.stdin)["networks"] if n["name"] == "lan"][0]))')"
	kv_check_ok "stored in the user's state dir" \
		test -f "$KV_TMP/home-$OWNER/.local/share/kvnet/networks/lan.xml"
	log_test "a network with no <ip> and no <forward> runs without privilege"
}

privileged_nets_refused() {
	local net what bridges
	for net in nat80:'host port' iso80:'host port' up80:"uplink \(forward dev 'lo'"; do
		what=${net#*:}
		net=${net%%:*}
		kv_check_run "net-define $net" 0 "^Network $net defined" '^$' \
			owner net-define "$X/$net.xml"
		kv_check_run "net-start $net" 1 '^$' "network '$net': its $what.* $ADVICE" \
			owner net-start "$net"
		kv_check_eq "the control error of net.start $net" \
			"-32003 network '$net'" "$(rpc net.start "{\"network\": \"$net\"}" | cut -d: -f1)"
	done
	bridges=$(owner --json bridge show | "$KV_PY" -c \
		'import json,sys; print(" ".join(sorted(b["name"] for b in json.load(sys.stdin)["bridges"])))')
	kv_check_eq "no bridge left by a refused network" kvr80 "$bridges"
	kv_check_eq "no interface made in kvnetd's namespace" lo \
		"$(ip -n "$SW" -o link show | awk -F': ' '{print $2}' | xargs)"
	log_test "a host port (NAT or isolated <ip>) or an uplink is refused: CAP_NET_ADMIN"
}

tap_dev_refused() {
	kv_check_run "bridge add" 0 '' '^$' owner bridge add kvb80
	kv_check_run "port add tap" 1 '^$' "tap port 'vnet80' $ADVICE" owner port add kvb80 vnet80
	kv_check_run "port add dev:lo" 1 '^$' "port 'lo' \(an existing interface.* $ADVICE" \
		owner port add kvb80 dev:lo
	kv_check_run "attach-interface --backend tap" 1 '^$' "$ADVICE" \
		owner attach-interface vm80 "$X/alice.xml" --backend tap
	kv_check_eq "no port on kvb80" "" "$(owner --json port show | "$KV_PY" -c \
		'import json,sys; print(" ".join(p["name"] for p in json.load(sys.stdin)["ports"] if p["bridge"] == "kvb80"))')"
	kv_check_eq "no interface made in kvnetd's namespace" lo \
		"$(ip -n "$SW" -o link show | awk -F': ' '{print $2}' | xargs)"
	log_test "tap and AF_PACKET ports are refused without CAP_NET_ADMIN, with what to use"
}

# iface DOMAIN FIELD - a member of DOMAIN's (first) interface, as the owner sees it
iface() {
	owner --json domain-interfaces "$1" | "$KV_PY" -c \
		'import json,sys; print(json.load(sys.stdin)["interfaces"][0].get(sys.argv[1], ""))' "$2"
}

# socket_of DOMAIN - the socket a QEMU of DOMAIN's interface connects to
socket_of() {
	iface "$1" socket
}

# iface_of DOMAIN - the name of DOMAIN's interface, its port
iface_of() {
	iface "$1" name
}

# fdb_macs BRIDGE - "MAC@VID>PORT" of every entry of BRIDGE's FDB, sorted, as the owner sees it
fdb_macs() {
	owner --json fdb show "$1" | "$KV_PY" -c 'import json,sys
print(" ".join(sorted("%s@%s>%s" % (e["mac"].lower(), e["vid"], e["port"])
	for e in json.load(sys.stdin)["entries"])))'
}

users_share_network() {
	local a_sock b_sock a_pid b_pid a_rc b_rc
	kv_check_run "alice attaches a stream port" 0 '' '^$' \
		alice attach-interface vma "$X/alice.xml" --backend stream
	kv_check_run "bob attaches a stream port" 0 '' '^$' \
		bob attach-interface vmb "$X/bob.xml" --backend stream
	a_sock=$(socket_of vma)
	b_sock=$(socket_of vmb)
	kv_check_ok "alice's socket ($a_sock) is in the run dir" test -S "$a_sock"
	kv_check_ok "bob's socket ($b_sock) is in the run dir" test -S "$b_sock"
	if [ "$RET" -eq 0 ]; then
		# started by PID (setpriv execs the VM), not through a function's subshell
		user "$ALICE" "$GROUP"
		"${AS[@]}" "$KV_PY" "$X/vm.py" "$a_sock" "$ALICE_MAC" alice "$KV_WAIT" "$X/stop" \
			>"$KV_TMP/vma.out" 2>&1 &
		a_pid=$!
		KV_PIDS+=("$a_pid")
		user "$BOB" "$GROUP"
		"${AS[@]}" "$KV_PY" "$X/vm.py" "$b_sock" "$BOB_MAC" bob "$KV_WAIT" "$X/stop" \
			>"$KV_TMP/vmb.out" 2>&1 &
		b_pid=$!
		KV_PIDS+=("$b_pid")
		# while both VMs run (their ports are up), kvnetd learns their MACs
		kv_poll_eq "kvnetd learned both MACs on the VMs' ports" \
			"$ALICE_MAC@1>$(iface_of vma) $BOB_MAC@1>$(iface_of vmb)" fdb_macs kvr80
		touch "$X/stop"
		wait "$a_pid"
		a_rc=$?
		wait "$b_pid"
		b_rc=$?
		kv_forget "$a_pid"
		kv_forget "$b_pid"
		kv_check_eq "alice's VM heard bob's, unicast" "0 ok peer $BOB_MAC" \
			"$a_rc $(cat "$KV_TMP/vma.out")"
		kv_check_eq "bob's VM heard alice's, unicast" "0 ok peer $ALICE_MAC" \
			"$b_rc $(cat "$KV_TMP/vmb.out")"
	fi
	log_test "two users' VMs on stream ports share network lan, frames both ways"
}

outsider_refused() {
	kv_check_run "eve at the control socket" 1 '^$' 'permission denied' eve net-list --all
	kv_check_run "eve at alice's port socket" 2 '^connect: permission denied' '' \
		as_user "$EVE" "" "$KV_PY" "$X/vm.py" "$(socket_of vma)" 52:54:00:80:00:0e eve 2
	kv_check_run "alice still gets in" 0 'lan' '^$' alice net-list --all
	log_test "a user outside kvnetd's group is refused at its control and port sockets"
}

kv_require
setup
tests_run
kv_exit
