#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 34_socket_ports.sh - VM ports on QEMU's stream and dgram sockets and on taps QEMU opens:
# frames both ways, a peer that goes and comes back, a peer that breaks the framing, ports
# that outlive a restarted kvnetd, and the persistent tap whose link is QEMU's
#
#   network n34 (switch kvb34, autostart), in kvnetd's namespace sw:
#     vma  stream, kvnet listens   <- qsock.py "QEMU" (server=off)
#     vmb  dgram                   <- qsock.py "QEMU" (local/remote paths)
#     vmc  stream, kvnet connects  -> qsock.py "QEMU" listening (server=on)
#     vmt  tap made by kvnet for QEMU; a python TUNSETIFF plays QEMU opening it
# qsock.py (tests/integration) speaks QEMU's framings; its frames carry "KVNET tag seq".

ALL_TESTS="frames_between_backends one_write_of_many peer_gone_and_back bad_framing
	restart_keeps_ports
	kill9_keeps_ports qemu_tap errors detach_removes"

source "$(dirname "$0")/lib.sh"
kv_require

QSOCK=$(dirname "$0")/qsock.py
MACA=52:54:00:34:00:0a
MACB=52:54:00:34:00:0b
MACC=52:54:00:34:00:0c
MACT=52:54:00:34:00:0d

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/n34.xml" <<-'EOF'
		<network>
		  <name>n34</name>
		  <bridge name='kvb34'/>
		</network>
	EOF
	kv net-define "$X/n34.xml" >/dev/null || kv_setup_fail "net-define n34"
	kv net-autostart n34 >/dev/null || kv_setup_fail "net-autostart n34"
	kv net-start n34 >/dev/null || kv_setup_fail "net-start n34"
	iface_xml vma $MACA
	iface_xml vmb $MACB
	iface_xml vmc $MACC
	iface_xml vmt $MACT
	QC=$KV_TMP/qemu-c.sock
	# vmc's QEMU listens before kvnet is told to connect, as QEMU with server=on does
	peer_start c stream-listen "$QC" --src $MACC --expect 1000000 --from $MACA --log-frames \
		--timeout 600
	attach vma stream
	attach vmb dgram
	attach vmc stream --connect "$QC"
	attach vmt tap
}

# iface_xml DOMAIN MAC - $X/DOMAIN.xml: an <interface> on n34 with MAC, its tap named DOMAIN
iface_xml() {
	cat >"$X/$1.xml" <<-EOF
		<interface type='network'>
		  <source network='n34'/>
		  <mac address='$2'/>
		  <target dev='$1'/>
		</interface>
	EOF
}

# attach DOMAIN BACKEND [ARGS...]
attach() {
	local out
	out=$(kv attach-interface "$1" "$X/$1.xml" --backend "${@:2}" 2>&1) ||
		kv_setup_fail "attach-interface $1 --backend ${*:2}: $out"
}

# iface DOMAIN FIELD - a member of DOMAIN's interface in domain-interfaces
iface() {
	kv_q "d[\"interfaces\"][0][\"$2\"] if d[\"interfaces\"] else \"none\"" domain-interfaces "$1"
}

# peer_start NAME MODE PATH ARGS... - a qsock.py "QEMU" in the background, in kvnetd's namespace
peer_start() {
	local name=$1
	shift
	rm -f "$KV_TMP/peer-$name".*
	ip netns exec "$SW" "$KV_PY" "$QSOCK" peer "$@" --ready-file "$KV_TMP/peer-$name.ready" \
		--hold-file "$KV_TMP/peer-$name.hold" \
		>"$KV_TMP/peer-$name.out" 2>"$KV_TMP/peer-$name.err" &
	eval "PEER_$name=$!"
	KV_PIDS+=("$!")
}

# peer_end NAME - let it go (it hangs up) and wait; its exit status
peer_end() {
	local pid rc
	pid=$(eval echo "\$PEER_$1")
	: >"$KV_TMP/peer-$1.hold"
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	return "$rc"
}

# peer_check WHAT NAME - it must have received what it expected
peer_check() {
	peer_end "$2" ||
		kv_fail "$1: $(cat "$KV_TMP/peer-$2.out" "$KV_TMP/peer-$2.err" | tr '\n' ' ')"
}

frames_between_backends() {
	local sa sb
	sa=$(iface vma socket)
	sb=$(iface vmb socket)
	kv_check_eq "vma's socket is in the run dir" "$KV_RUN/ports/vma.sock" "$sa"
	kv_check_eq "vma: kvnet listens" true "$(iface vma listen)"
	kv_check_eq "vmb's QEMU socket" "$KV_RUN/ports/vmb.qemu.sock" "$(iface vmb peer_socket)"
	kv_check_ok "vma's socket is listening" test -S "$sa"
	kv_check_eq "vma's link before its QEMU came" down "$(iface vma link)"
	kv_poll_eq "vmc's link: kvnet connected to its listening QEMU" up iface vmc link
	peer_start b dgram "$sb" --peer-path "$(iface vmb peer_socket)" --src $MACB \
		--expect 5 --from $MACA
	kv_poll_eq "vmb's link once its QEMU bound its socket" up iface vmb link
	peer_start a stream "$sa" --src $MACA --send 5 --tag bcast --expect 3 --from $MACB
	kv_poll_eq "vma's link once its QEMU connected" up iface vma link
	peer_check "vmb (dgram) got vma's 5 broadcasts" b
	kv_check_eq "fdb: vma's MAC learned on vma" vma "$(kv_fdb_port kvb34 $MACA 1)"
	peer_start b dgram "$sb" --peer-path "$(iface vmb peer_socket)" --src $MACB --dst $MACA \
		--send 3 --tag ucast
	peer_check "vma (stream) got vmb's 3 unicast frames" a
	peer_check "vmb's QEMU, again" b
	kv_check_ok "vmc (kvnet connecting to its QEMU) got the broadcasts too" \
		grep -q "^frame KVNET bcast 4" "$KV_TMP/peer-c.out"
	log_test "stream (both ways) and dgram ports: frames between them, MACs learned"
}

# more frames in one write than kvnet takes in one wake-up: none may wait for the next write
one_write_of_many() {
	peer_start a stream "$(iface vma socket)" --src $MACA --send 1000 --one-write --tag burst
	kv_poll_eq "vmc got all 1000 frames of vma's single write" 1000 \
		grep -c '^frame KVNET burst ' "$KV_TMP/peer-c.out"
	peer_end a
	log_test "a stream peer's single write of 1000 frames is forwarded whole"
}

peer_gone_and_back() {
	local sa
	sa=$(iface vma socket)
	peer_start a stream "$sa" --src $MACA --send 1 --tag hello
	kv_poll_eq "vma up" up iface vma link
	kv_poll_eq "fdb: vma's MAC learned" vma kv_fdb_port kvb34 $MACA 1
	peer_end a
	kv_poll_eq "vma's link after its QEMU hung up" down iface vma link
	kv_check_eq "fdb: vma's MAC flushed" none "$(kv_fdb_port kvb34 $MACA 1)"
	kv_poll_log "kvnetd logged it" "port vma: peer gone"
	kv_check_ok "vma's socket listens again" test -S "$sa"
	peer_start b dgram "$(iface vmb socket)" --peer-path "$(iface vmb peer_socket)" \
		--src $MACB --expect 2 --from $MACA
	kv_poll_eq "vmb up" up iface vmb link
	peer_start a stream "$sa" --src $MACA --send 2 --tag back
	kv_poll_eq "vma's link when its QEMU came back" up iface vma link
	peer_check "vmb got vma's frames after vma came back" b
	peer_end a
	kv_poll_eq "vmb's link after its QEMU went (its socket file stays)" down iface vmb link
	kv_check_ok "vmb's QEMU socket file is still there" test -S "$(iface vmb peer_socket)"
	log_test "a QEMU that goes takes its port down and flushes it; back, the port is back"
}

bad_framing() {
	local len
	for len in 0 70000; do
		kv_check_ok "a length of $len: kvnet drops the connection" \
			ip netns exec "$SW" "$KV_PY" "$QSOCK" bad "$(iface vma socket)" --len $len
	done
	kv_poll_log "kvnetd logged it" "port vma: peer broke the framing"
	kv_poll_eq "vma down" down iface vma link
	kv_check_eq "vmc (another socket port) still up" up "$(iface vmc link)"
	peer_start b dgram "$(iface vmb socket)" --peer-path "$(iface vmb peer_socket)" \
		--src $MACB --expect 1 --from $MACA
	kv_poll_eq "vmb up" up iface vmb link
	peer_start a stream "$(iface vma socket)" --src $MACA --send 1 --tag after-bad
	peer_check "vma works for the next QEMU" b
	peer_end a
	log_test "a peer breaking the framing: dropped and logged; the port and others carry on"
}

# restart_check HOW - after kvnetd came back: the ports, their sockets, frames again
restart_check() {
	kv_check_eq "$1: vma back (domain-interfaces)" "vma $MACA stream" \
		"$(kv_q '" ".join([d["interfaces"][0][k] for k in ("name", "mac", "backend")])' \
			domain-interfaces vma)"
	kv_check_eq "$1: vmb back" "vmb $MACB dgram" \
		"$(kv_q '" ".join([d["interfaces"][0][k] for k in ("name", "mac", "backend")])' \
			domain-interfaces vmb)"
	kv_check_eq "$1: vmt back" "vmt tap" \
		"$(kv_q '" ".join([d["interfaces"][0][k] for k in ("name", "backend")])' \
			domain-interfaces vmt)"
	kv_check_ok "$1: vma's socket listens again" test -S "$KV_RUN/ports/vma.sock"
	kv_poll_eq "$1: vmc's listening QEMU got kvnet back" up iface vmc link
	peer_start b dgram "$(iface vmb socket)" --peer-path "$(iface vmb peer_socket)" \
		--src $MACB --expect 1 --from $MACA
	kv_poll_eq "$1: vmb up" up iface vmb link
	peer_start a stream "$(iface vma socket)" --src $MACA --send 1 --tag "after-$1"
	peer_check "$1: frames from vma to vmb" b
	peer_end a
	kv_poll_eq "$1: vmc's QEMU got them too" yes \
		sh -c "grep -q '^frame KVNET after-$1 0' '$KV_TMP/peer-c.out' && echo yes"
}

restart_keeps_ports() {
	kvnetd_stop || kv_fail "kvnetd did not stop on SIGTERM"
	kv_check_ok "the record of vma stays in the run dir" test -f "$KV_RUN/ports/vma.json"
	kv_check_ok "vmt's tap stays (QEMU holds it)" ip -n "$SW" link show vmt
	kvnetd_start "$SW" || {
		kv_fail "kvnetd did not start again"
		log_test "SIGTERM and start: ports, sockets and QEMU's connections come back"
		return
	}
	restart_check sigterm
	kv_check_ok "vmc's QEMU was connected twice, kept running" \
		grep -q "kvnet connected again" "$KV_TMP/peer-c.err"
	log_test "SIGTERM and start: ports, sockets and QEMU's connections come back"
}

kill9_keeps_ports() {
	kvnetd_kill9
	kvnetd_start "$SW" || {
		kv_fail "kvnetd did not start again"
		log_test "kill -9 and start: the ports come back"
		return
	}
	restart_check kill9
	log_test "kill -9 and start: the ports come back"
}

# hold_tap NAME SECONDS - open tap NAME in kvnetd's namespace as QEMU does, for SECONDS
hold_tap() {
	ip netns exec "$SW" "$KV_PY" -c '
import fcntl, struct, sys, time
fd = open("/dev/net/tun", "r+b", buffering=0)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000 | 0x4000))
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
' "$1" "$2" "$KV_TMP/tap-held" &
	TAP_HOLDER=$!
	KV_PIDS+=("$TAP_HOLDER")
}

qemu_tap() {
	kv_check_ok "vmt is a tap in kvnetd's namespace" \
		sh -c "ip -n '$SW' -d link show vmt | grep -q 'tun type tap'"
	kv_check_eq "vmt's link: no QEMU holds it" down "$(iface vmt link)"
	rm -f "$KV_TMP/tap-held"
	hold_tap vmt 600
	kv_poll_eq "vmt's link while 'QEMU' holds it" up iface vmt link
	kill "$TAP_HOLDER"
	wait "$TAP_HOLDER" 2>/dev/null
	kv_forget "$TAP_HOLDER"
	kv_poll_eq "vmt's link after 'QEMU' exited" down iface vmt link
	kv_check_ok "vmt's tap stays for the next QEMU" ip -n "$SW" link show vmt
	log_test "tap for QEMU: persistent, its link follows whether QEMU holds it"
}

errors() {
	kv_check_run "connect with dgram" 2 '^$' 'only for --backend stream' \
		kv attach-interface vmx "$X/vma.xml" --backend dgram --connect /tmp/nothing.sock
	kv_check_run "netns with stream" 2 '^$' 'only for --backend tap' \
		kv attach-interface vmx "$X/vma.xml" --backend stream --netns "$SW"
	cat >"$X/notarget.xml" <<-EOF
		<interface type='network'>
		  <source network='n34'/>
		</interface>
	EOF
	kv_check_run "dev without a target" 1 '^$' "needs <target dev='NAME'/>" \
		kv attach-interface vmx "$X/notarget.xml" --backend dev
	kv_check_run "dev of a missing interface" 1 '^$' 'nosuch34' \
		kv attach-interface vmx "$X/nosuch34.xml" --backend dev
	ip -n "$SW" link add v34x type veth peer name v34y || kv_setup_fail "veth v34x in $SW"
	kv_check_run "tap over an existing interface" 1 '^$' "'v34x': an interface of that name exists" \
		kv attach-interface vmy "$X/v34x.xml" --backend tap
	kv_check_ok "the interface that was there is still there" ip -n "$SW" link show v34x
	kv_check_eq "nothing attached to vmx or vmy" "0 0" \
		"$(kv_q 'len(d["interfaces"])' domain-interfaces vmx) $(kv_q 'len(d["interfaces"])' domain-interfaces vmy)"
	log_test "bad back-end requests are refused with a message; nothing is made"
}

detach_removes() {
	kv_check_ok "detach vma" kv detach-interface vma --mac $MACA
	kv_check_ok "detach vmb" kv detach-interface vmb --mac $MACB
	kv_check_ok "detach vmt" kv detach-interface vmt --mac $MACT
	kv_check_fail "vma's socket gone" test -e "$KV_RUN/ports/vma.sock"
	kv_check_fail "vma's record gone" test -e "$KV_RUN/ports/vma.json"
	kv_check_fail "vmb's sockets gone" test -e "$KV_RUN/ports/vmb.qemu.sock"
	kv_poll_eq "vmt's tap deleted" gone \
		sh -c "ip -n '$SW' link show vmt >/dev/null 2>&1 && echo present || echo gone"
	log_test "detach-interface removes the port's sockets, record and tap"
}

setup
iface_xml nosuch34 52:54:00:34:00:99
iface_xml v34x 52:54:00:34:00:98
tests_run
kv_exit
