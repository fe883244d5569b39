#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 45_backpressure.sh - a port that cannot take more holds back what feeds it instead of kvnet
# reading and dropping, and a port that takes nothing for good holds back nothing for long
#
#   kvnetd in ns sw, bridge br45:
#     h1 [tap in ns h1]  the sender: bench/udpgen floods 64-byte frames to vms's MAC
#     h2 [tap in ns h2, 10.45.0.2], h3 [tap in ns h3, 10.45.0.3]: ping each other meanwhile
#     vms [dgram socket port]: its "QEMU" is a python reader in ns sw, which reads slowly
#         (one frame every 0.5 ms, a small receive buffer), or not at all
#
# A dgram port's socket is full as soon as its reader falls behind (EAGAIN), so the flood
# meets a busy port at once. The datapath then stops reading h1 until vms has room again:
# the loss is at the sender's tap queue (its tx_dropped), not in kvnet (vms's drops tx-full
# and tx-blocked). A reader that never reads makes vms stuck after 100 ms: h1 is read again
# and what is meant for vms is dropped and counted (tx-blocked); the other ports never wait.

ALL_TESTS="slow_reader stuck_reader"

source "$(dirname "$0")/lib.sh"
kv_require

MAC1=52:54:00:45:00:01
MAC2=52:54:00:45:00:02
MAC3=52:54:00:45:00:03
MACS=52:54:00:45:00:0f
FLOOD_S=3

setup() {
	UDPGEN=$KVNET_BUILD/bench/udpgen
	[ -x "$UDPGEN" ] || kv_skip "$UDPGEN is not built"
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	kv_ns_add "$SW" "$H1" "$H2" "$H3"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br45 || kv_setup_fail "bridge add br45"
	kv_tap_host br45 h1 "$H1" $MAC1 10.45.0.1/24
	kv_tap_host br45 h2 "$H2" $MAC2 10.45.0.2/24
	kv_tap_host br45 h3 "$H3" $MAC3 10.45.0.3/24
	cat >"$KV_TMP/vms.xml" <<-XML
		<interface type='bridge'>
		  <source bridge='br45'/>
		  <mac address='$MACS'/>
		  <target dev='vms'/>
		</interface>
	XML
	local out
	out=$(kv attach-interface vms "$KV_TMP/vms.xml" --backend dgram 2>&1) ||
		kv_setup_fail "attach-interface vms --backend dgram: $out"
	SOCK=$(kv_q 'd["interfaces"][0]["socket"]' domain-interfaces vms)
	PEER=$(kv_q 'd["interfaces"][0]["peer_socket"]' domain-interfaces vms)
	if [ -z "$SOCK" ] || [ -z "$PEER" ]; then
		kv_setup_fail "vms's sockets: '$SOCK' '$PEER'"
	fi
	cat >"$KV_TMP/reader.py" <<-'EOF'
		# reader.py SOCK PEER MAC slow|stop READY COUNT - play vms's QEMU: bind PEER, say
		# hello from MAC (so kvnet learns it), then read one frame every 0.5 ms (slow) or
		# nothing (stop) until killed; COUNT holds the frames read so far
		import os, signal, socket, sys, time
		sock, peer, mac, mode, ready, count = sys.argv[1:7]
		s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
		s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
		if os.path.exists(peer):
		    os.unlink(peer)
		s.bind(peer)
		hello = b"\xff" * 6 + bytes.fromhex(mac.replace(":", "")) + b"\x88\xb5" + b"hello".ljust(46)
		s.sendto(hello, sock)
		n = 0
		def done(*_):
		    with open(count, "w") as f:
		        f.write("%d\n" % n)
		    sys.exit(0)
		signal.signal(signal.SIGTERM, done)
		open(ready, "w").close()
		while True:
		    if mode == "stop":
		        time.sleep(1)
		        continue
		    s.settimeout(1)
		    try:
		        s.recv(65536)
		        n += 1
		    except socket.timeout:
		        pass
		    time.sleep(0.0005)
		    if n % 100 == 0:
		        with open(count, "w") as f:
		            f.write("%d\n" % n)
	EOF
}

# reader_start slow|stop - vms's "QEMU" in kvnetd's namespace; returns once vms is up and
# its MAC learned
reader_start() {
	rm -f "$KV_TMP/reader.ready" "$KV_TMP/reader.count"
	ip netns exec "$SW" "$KV_PY" "$KV_TMP/reader.py" "$SOCK" "$PEER" $MACS "$1" \
		"$KV_TMP/reader.ready" "$KV_TMP/reader.count" 2>"$KV_TMP/reader.err" &
	READER=$!
	KV_PIDS+=("$READER")
	kv_wait_file "$KV_TMP/reader.ready" "$READER" ||
		kv_fail "vms's reader did not start: $(cat "$KV_TMP/reader.err")"
	kv_poll_eq "vms's link once its reader bound its socket" up kv_port_field vms link
	kv_poll_eq "vms's MAC learned" vms kv_fdb_port br45 $MACS 1
}

reader_stop() {
	kill -TERM "$READER" 2>/dev/null
	wait "$READER" 2>/dev/null
	kv_forget "$READER"
}

# tap_tx_dropped NS IF - frames the tap's queue to kvnetd had no room for, in the sender's view
tap_tx_dropped() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_dropped"
}

# flood - udpgen in h1 to vms's MAC for FLOOD_S s; "sent N" in $KV_TMP/flood.out
flood() {
	ip netns exec "$H1" "$UDPGEN" h1 $MACS 10.45.0.1 10.45.0.99 "$FLOOD_S" \
		>"$KV_TMP/flood.out" 2>&1
}

slow_reader() {
	local rx0 tx0 full0 blk0 drop0 rx1 tx1 full1 blk1 drop1 lost fwd
	reader_start slow
	rx0=$(kv_stat br45 h1 rx_frames)
	tx0=$(kv_stat br45 vms tx_frames)
	full0=$(kv_stat br45 vms drops.tx-full)
	blk0=$(kv_stat br45 vms drops.tx-blocked)
	drop0=$(tap_tx_dropped "$H1" h1)
	flood || kv_fail "udpgen: $(cat "$KV_TMP/flood.out")"
	rx1=$(kv_stat br45 h1 rx_frames)
	tx1=$(kv_stat br45 vms tx_frames)
	full1=$(kv_stat br45 vms drops.tx-full)
	blk1=$(kv_stat br45 vms drops.tx-blocked)
	drop1=$(tap_tx_dropped "$H1" h1)
	reader_stop
	lost=$((full1 - full0 + blk1 - blk0))
	fwd=$((tx1 - tx0 - lost))
	echo "	udpgen $(cat "$KV_TMP/flood.out"); kvnet read $((rx1 - rx0)) from h1, gave vms" \
		"$fwd, dropped $lost for vms (tx-full $((full1 - full0)), tx-blocked" \
		"$((blk1 - blk0))); h1's tap dropped $((drop1 - drop0)); reader read" \
		"$(cat "$KV_TMP/reader.count" 2>/dev/null)"
	[ "$fwd" -gt 0 ] || kv_fail "vms got no frames of the flood"
	# at most one burst per time the reader fell behind, and never most of it
	[ "$lost" -le $((fwd / 100 + 64)) ] ||
		kv_fail "kvnet dropped $lost frames for vms (over 1 % of the $fwd it gave it)"
	[ $((drop1 - drop0)) -gt 0 ] ||
		kv_fail "the sender saw no backpressure: h1's tap dropped nothing"
	log_test "slow reader: kvnet holds back the sender, drops under 1 % for vms"
}

stuck_reader() {
	local blk0 blk1 fpid
	reader_start stop
	blk0=$(kv_stat br45 vms drops.tx-blocked)
	flood &
	fpid=$!
	KV_PIDS+=("$fpid")
	kv_check_ok "h2 pings h3 while vms takes nothing" kv_ping "$H2" 10.45.0.3 3
	wait "$fpid"
	kv_forget "$fpid"
	blk1=$(kv_stat br45 vms drops.tx-blocked)
	[ $((blk1 - blk0)) -gt 0 ] ||
		kv_fail "vms never counted as stuck: drops tx-blocked $blk0 -> $blk1"
	kv_check_ok "h1, the sender, pings h2 after the flood" kv_ping "$H1" 10.45.0.2 3
	kv_poll_log "kvnetd says vms is stuck" "port vms: takes no frames"
	reader_stop
	log_test "stuck reader: dropped and counted (tx-blocked), other ports unaffected"
}

setup
tests_run
kv_exit
