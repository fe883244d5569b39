#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 47_vhost_testpmd.sh - kvnet's vhost-user back-end against DPDK's virtio-user front-end
#
#   kvnetd (ns sw): bridge br47 (VLAN filtering)
#     vua  vhost-user, access VLAN 10  <- testpmd port 0 (net_virtio_user0)
#     vub  vhost-user, access VLAN 10  <- testpmd port 1 (net_virtio_user1)
#     vuc  vhost-user, access VLAN 20  (for the isolation test)
#
# One testpmd (--no-huge: its memory is a memfd kvnet maps) runs in the namespace with two
# virtio-user ports, driven through its interactive prompt: "start tx_first N" sends N
# bursts of 32 frames out of each port, then counts what each receives (rxonly). Its port
# statistics say what went through kvnet. testpmd is killed by PID and started again: the
# ports' links go down and come back, and frames flow again.
#
# Then the other way round (connect_server): testpmd's virtio-user ports listen (server=1)
# and kvnet connects to them (port-create --connect) on network n47 (bridge kvb47), keeps
# trying while they are not there, and connects again after testpmd is killed and started
# and after kvnetd is restarted (the network's ports come back with their --connect).

ALL_TESTS=${KV47_TESTS:-"link_and_frames vlan_isolation restart_front_end bad_messages not_virtio connect_server"}

source "$(dirname "$0")/lib.sh"
kv_require

TESTPMD=${KVNET_TESTPMD:-dpdk-testpmd}
BURSTS=4 # of 32 frames: fits the 256-entry rings, so none may be dropped

setup() {
	command -v "$TESTPMD" >/dev/null ||
		kv_skip "$TESTPMD is missing (Debian: dpdk-dev and librte-net-virtio23)"
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	PMD_PREFIX=$SW-
	kv_on_exit pmd_clean
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br47 vlan_filtering on >/dev/null || kv_setup_fail "bridge add br47"
	port vua 10 52:54:00:47:00:0a
	port vub 10 52:54:00:47:00:0b
	port vuc 20 52:54:00:47:00:0c
}

# port NAME VID MAC - a vhost-user VM port on br47, an access port of VID
port() {
	local out
	out=$(kv port-create --bridge br47 --backend vhost-user --vlan "$2" --name "$1" --mac "$3" \
		2>&1) || kv_setup_fail "port-create $1: $out"
}

# iface DOMAIN FIELD - a member of DOMAIN's interface in domain-interfaces
iface() {
	kv_q "d[\"interfaces\"][0][\"$2\"] if d[\"interfaces\"] else \"none\"" domain-interfaces "$1"
}

# pmd_start TAG PORT PORT - testpmd with a virtio-user port on each of the two ports' sockets,
# in the background, its prompt read from the fifo $KV_TMP/pmd-TAG.in
pmd_start() {
	pmd_run "$1" "path=$(iface "$2" socket)" "path=$(iface "$3" socket)" --no-lsc-interrupt
}

# pmd_run TAG VDEV0 VDEV1 [TESTPMD-ARG...] - testpmd on two virtio-user ports with options
# VDEV0 and VDEV1 (path=..., server=1), as pmd_start says
pmd_run() {
	local tag=$1 in=$KV_TMP/pmd-$1.in v0=$2 v1=$3
	shift 3
	rm -f "$in" "$KV_TMP/pmd-$tag.out"
	mkfifo "$in"
	# EAL keeps its run files in /var/run/dpdk/PREFIX (--in-memory is not for --no-huge)
	ip netns exec "$SW" "$TESTPMD" --no-huge -m 256 --no-pci --file-prefix "$PMD_PREFIX$tag" \
		-l 0,1 --log-level=user1,8 \
		--vdev "net_virtio_user0,$v0,queues=1,queue_size=256" \
		--vdev "net_virtio_user1,$v1,queues=1,queue_size=256" \
		-- -i --total-num-mbufs=4096 --nb-cores=1 --rxq=1 --txq=1 "$@" \
		<"$in" >"$KV_TMP/pmd-$tag.out" 2>&1 &
	eval "PMD_$tag=$!"
	KV_PIDS+=("$!")
	# the fifo stays open for writing while testpmd runs
	exec {PMD_FD}>"$in"
	eval "PMD_FD_$tag=$PMD_FD"
}

# pmd TAG COMMAND - type a command at testpmd's prompt (in a subshell: if testpmd is gone,
# SIGPIPE ends that, not the test)
pmd() {
	local fd
	fd=$(eval echo "\$PMD_FD_$1")
	(echo "$2" >&"$fd") 2>/dev/null
}

# pmd_clean - remove the run files of this test's testpmds, and their dir if it is empty now
pmd_clean() {
	local d
	for d in /var/run/dpdk/"$PMD_PREFIX"*; do
		[ -d "$d" ] && rm -rf "$d"
	done
	rmdir /var/run/dpdk 2>/dev/null
	return 0
}

# pmd_kill TAG - kill testpmd by its PID (as a crash would) and wait for it
pmd_kill() {
	local pid fd
	pid=$(eval echo "\$PMD_$1")
	fd=$(eval echo "\$PMD_FD_$1")
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	exec {fd}>&-
}

# pmd_rx TAG PORT - RX-packets of testpmd's PORT in its last "show port stats"
pmd_rx() {
	pmd "$1" "show port stats $2"
	sleep 0.2
	awk -v p="$2" '/NIC statistics for port/ { cur = $6 } cur == p && /RX-packets:/ { v = $2 }
		END { print v + 0 }' "$KV_TMP/pmd-$1.out"
}

link_and_frames() {
	kv_check_ok "vua's socket listens in the run dir" test -S "$KV_RUN/ports/vua.vhost.sock"
	kv_check_eq "vua's link before testpmd" down "$(iface vua link)"
	pmd_start a vua vub
	kv_poll_eq "vua's link once testpmd set its rings up" up iface vua link
	kv_poll_eq "vub's link" up iface vub link
	pmd a "set fwd rxonly"
	pmd a "start tx_first $BURSTS"
	kv_poll_eq "testpmd port 1 (vub) got port 0's $((BURSTS * 32)) frames" $((BURSTS * 32)) \
		pmd_rx a 1
	kv_poll_eq "testpmd port 0 (vua) got port 1's frames" $((BURSTS * 32)) pmd_rx a 0
	kv_check_eq "vua: frames received by kvnet" $((BURSTS * 32)) \
		"$(kv_stat br47 vua rx_frames)"
	kv_check_eq "vub: frames sent by kvnet" $((BURSTS * 32)) "$(kv_stat br47 vub tx_frames)"
	kv_check_eq "vuc (VLAN 20) got none" 0 "$(kv_stat br47 vuc tx_frames)"
	log_test "two vhost-user ports on VLAN 10: testpmd's frames go through kvnet both ways"
}

vlan_isolation() {
	pmd_kill a
	pmd_start b vua vuc
	kv_poll_eq "vuc's link" up iface vuc link
	pmd b "set fwd rxonly"
	pmd b "start tx_first $BURSTS"
	kv_poll_eq "vua's frames reached kvnet" $((BURSTS * 32 * 2)) kv_stat br47 vua rx_frames
	kv_poll_eq "vuc's frames reached kvnet" $((BURSTS * 32)) kv_stat br47 vuc rx_frames
	kv_check_eq "testpmd port 1 (vuc, VLAN 20) got nothing from vua (VLAN 10)" 0 \
		"$(pmd_rx b 1)"
	kv_check_eq "testpmd port 0 (vua) got nothing from vuc" 0 "$(pmd_rx b 0)"
	pmd_kill b
	log_test "vhost-user ports on VLANs 10 and 20 do not see each other's frames"
}

restart_front_end() {
	kv_poll_eq "vua's link after testpmd was killed" down iface vua link
	kv_poll_eq "vuc's link" down iface vuc link
	kv_poll_log "kvnetd logged it" "port vua: peer gone"
	pmd_start c vua vub
	kv_poll_eq "vua's link with a new testpmd" up iface vua link
	pmd c "set fwd rxonly"
	pmd c "start tx_first $BURSTS"
	kv_poll_eq "frames vua to vub again" $((BURSTS * 32)) pmd_rx c 1
	kv_poll_eq "frames vub to vua again" $((BURSTS * 32)) pmd_rx c 0
	pmd c "stop"
	pmd c "quit"
	kv_poll_eq "vua's link after testpmd quit" down iface vua link
	log_test "testpmd killed and started again: links down, then up, frames flow again"
}

# hostile front-ends: each message, or memory shrunk under kvnet, closes its connection, logged;
# kvnetd and the port live on
bad_messages() {
	local sock
	sock=$(iface vua socket)
	kv_check_ok "bad vhost-user messages are refused" \
		ip netns exec "$SW" "$KV_PY" "$KV_LIB_DIR/vhost_bad.py" "$sock"
	kv_poll_log "kvnetd logged the reason" "port vua: vhost-user front-end broke the protocol"
	kv_poll_log "kvnetd lived through the shrunk memory file, saying so" \
		"port vua: the vhost-user front-end shrank the guest memory it shared"
	kv_check_ok "kvnetd is alive" kvnetd_alive
	kv_check_eq "vua's link" down "$(iface vua link)"
	pmd_start d vua vub
	kv_poll_eq "vua serves the next testpmd" up iface vua link
	pmd d "set fwd rxonly"
	pmd d "start tx_first $BURSTS"
	kv_poll_eq "frames vua to vub" $((BURSTS * 32)) pmd_rx d 1
	pmd_kill d
	log_test "bad messages close the connection with a logged reason; the port lives on"
}

# a vhost-user port is a virtio device's back-end: another NIC model is refused, saying so
not_virtio() {
	cat >"$KV_TMP/e1000.xml" <<-'EOF'
		<interface type='bridge'>
		  <source bridge='br47'/>
		  <model type='e1000'/>
		</interface>
	EOF
	kv_check_run "attach-interface of an e1000 on vhost-user" 1 "^$" \
		"<model type='e1000'> cannot be a vhost-user port's NIC \(expected virtio\)" \
		kv attach-interface vmx "$KV_TMP/e1000.xml" --backend vhost-user
	kv_check_eq "no port made" "" "$(kv_q '" ".join(p["name"] for p in d["ports"] if p["name"] not in ("br47", "vua", "vub", "vuc"))' port show)"
	log_test "a vhost-user port with an e1000 model is refused"
}

# pmd_got TAG PORT N - "yes" if testpmd TAG's PORT received at least N frames (on n47 the
# bridge's own interface may add some of its own), else how many
pmd_got() {
	local n
	n=$(pmd_rx "$1" "$2")
	[ "$n" -ge "$3" ] && echo yes || echo "$n"
}

# srv_traffic TAG WHAT - testpmd TAG's two ports, which kvnet connected to, pass frames both
# ways through n47
srv_traffic() {
	if ! kv_poll_eq "$2: vus's link" up iface vus link ||
		! kv_poll_eq "$2: vut's link" up iface vut link; then
		tail -n 20 "$KV_TMP/pmd-$1.out" >&2
	fi
	pmd "$1" "stop"
	pmd "$1" "clear port stats all"
	pmd "$1" "set fwd rxonly"
	pmd "$1" "start tx_first $BURSTS"
	kv_poll_eq "$2: testpmd port 1 (vut) got port 0's $((BURSTS * 32)) frames" yes \
		pmd_got "$1" 1 $((BURSTS * 32))
	kv_poll_eq "$2: testpmd port 0 (vus) got port 1's frames" yes \
		pmd_got "$1" 0 $((BURSTS * 32))
}

# testpmd listens (virtio-user server=1), kvnet connects (--connect), and reconnects
connect_server() {
	local s0=$KV_TMP/pmd-srv0.sock s1=$KV_TMP/pmd-srv1.sock out
	cat >"$KV_TMP/n47.xml" <<-'EOF'
		<network>
		  <name>n47</name>
		  <bridge name='kvb47'/>
		</network>
	EOF
	if ! kv net-define "$KV_TMP/n47.xml" >/dev/null || ! kv net-autostart n47 >/dev/null ||
		! kv net-start n47 >/dev/null; then
		kv_fail "network n47"
	fi
	out=$(kv port-create n47 --backend vhost-user --connect "$s0" --name vus \
		--mac 52:54:00:47:01:0a 2>&1) || kv_fail "port-create vus --connect: $out"
	kv_check_ok "port-create --connect prints QEMU's listening chardev" \
		grep -q -- "-chardev socket,id=chr-vus,path=$s0,server=on,wait=off" <<<"$out"
	out=$(kv port-create n47 --backend vhost-user --connect "$s1" --name vut \
		--mac 52:54:00:47:01:0b 2>&1) || kv_fail "port-create vut --connect: $out"
	kv_check_eq "vus's socket is testpmd's" "$s0" "$(iface vus socket)"
	kv_check_eq "vus: kvnet does not listen" false "$(iface vus listen)"
	kv_check_eq "vus's link with nothing listening" down "$(iface vus link)"
	# testpmd waits in accept() for each port's back-end: kvnet comes within a second
	pmd_run e "path=$s0,server=1" "path=$s1,server=1"
	srv_traffic e "testpmd listening"

	pmd_kill e
	kv_poll_eq "vus's link once testpmd is killed" down iface vus link
	# virtio-user binds its path anew: a killed one's socket files are in the way
	rm -f "$s0" "$s1"
	pmd_run f "path=$s0,server=1" "path=$s1,server=1"
	srv_traffic f "testpmd started again"

	kvnetd_stop || kv_fail "kvnetd did not stop on SIGTERM"
	kv_check_ok "testpmd's socket stays (it is not kvnet's)" test -S "$s0"
	kvnetd_start "$SW" || kv_fail "kvnetd did not start again"
	kv_check_eq "vus back with its --connect" "$s0" "$(iface vus socket)"
	srv_traffic f "kvnetd restarted"
	# shellcheck disable=SC2154 # PMD_f is set by pmd_run's eval
	kv_check_eq "testpmd is the same process" alive "$(kv_pid_gone "$PMD_f")"
	pmd_kill f
	log_test "kvnet connects to a listening testpmd, and again after it or kvnetd restarts"
}

setup
tests_run
kv_exit
