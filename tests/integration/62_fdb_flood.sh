#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 62_fdb_flood.sh - MAC flooding is contained: a VM port learns at most its default limit,
# an unlimited port flooding a full table loses its own entries, not its neighbours', a
# host that appears after the flood is learned and its unicast is not flooded, a full table
# is shown whole, and forwarding goes on while it is flushed
#
#   vm  [VM port vt62, 52:54:00:62:00:0f]   floods random source MACs
#   h1  [p1 02:00:00:62:00:01 192.0.2.1]  honest
#   h2  [p2 02:00:00:62:00:02 192.0.2.2]  honest
#   fl  [pf 02:00:00:62:00:0e]            a plain port (no limit) that floods too
#   h3  [p3 02:00:00:62:00:03 192.0.2.3]  honest, added after the floods
#                   all on br0 (max_learned 1024) in ns sw; br1 is a second bridge
#                   (default size) that fl2 fills with 20000 addresses

ALL_TESTS="vm_port_default_limit vm_flood_held_at_limit port_flood_evicts_flooder
	newcomer_learned_not_flooded honest_still_talk fdb_show_whole_table
	flush_while_forwarding"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:62:00:01
MAC2=02:00:00:62:00:02
MAC3=02:00:00:62:00:03
MACF=02:00:00:62:00:0e
MACV=52:54:00:62:00:0f
# a station the floods send to: a static entry on the flooding port, so the flood frames
# end there (same-port) instead of loading every other port
SINK=02:00:00:62:00:99
FLOOD_N=100000
FLOOD_RX=0
BIG_N=20000

setup() {
	SW=$(kv_ns sw)
	VM=$(kv_ns vm)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	FL=$(kv_ns fl)
	FL2=$(kv_ns fl2)
	kv_ns_add "$SW" "$VM" "$H1" "$H2" "$H3" "$FL" "$FL2"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 max_learned 1024 || kv_setup_fail "bridge add br0"
	kv bridge add br1 || kv_setup_fail "bridge add br1"
	kv_tap_host br0 p1 "$H1" "$MAC1" 192.0.2.1/24
	kv_tap_host br0 p2 "$H2" "$MAC2" 192.0.2.2/24
	kv_tap_host br0 pf "$FL" "$MACF"
	kv_tap_host br1 pg "$FL2" 02:00:00:62:00:0d
	kv_tmp
	cat >"$KV_TMP/vm.xml" <<-XML
		<interface type='bridge'>
		  <mac address='$MACV'/>
		  <source bridge='br0'/>
		  <target dev='vt62'/>
		</interface>
	XML
	out=$(kv attach-interface vm62 "$KV_TMP/vm.xml" --netns "$VM" 2>&1) ||
		kv_setup_fail "attach-interface vm62 to br0: $out"
	ip -n "$VM" link set vt62 up || kv_setup_fail "vt62 up in $VM"
	# the honest hosts know each other before the floods
	kv_ping "$H1" 192.0.2.2 >/dev/null || kv_setup_fail "h1 cannot ping h2 before the floods"
}

# flood NS BRIDGE PORT COUNT SEED [MIN] - COUNT frames from random source MACs into PORT, to
# $SINK made a static entry on PORT; FLOOD_RX is then the port's rx_frames once it stops
# growing (the tap's queue drops what kvnetd does not read in time), which must be > MIN
# (10000)
flood() {
	local ns=$1 br=$2 port=$3 min=${6:-10000} out prev=-1 i
	[ "$(kv_fdb_port "$br" $SINK 1)" = "static:$port" ] ||
		kv_check_ok "fdb add $SINK port $port" kv fdb add $SINK port "$port"
	out=$(timeout 120 "$KV_PY" "$KV_LIB_DIR/macflood.py" "$port" --netns "$ns" --count "$4" \
		--dst "$SINK" --seed "$5" 2>&1) || kv_fail "macflood.py on $port in $ns: $out"
	for ((i = 0; i < KV_WAIT; i++)); do
		FLOOD_RX=$(kv_stat "$br" "$port" rx_frames)
		[ "$FLOOD_RX" = "$prev" ] && break
		prev=$FLOOD_RX
		sleep 1
	done
	kv_check_ok "stats: $port received over $min flood frames ($FLOOD_RX)" \
		test "$FLOOD_RX" -gt "$min"
}

# honest_kept - h1's and h2's entries are where they were, none of theirs evicted
honest_kept() {
	kv_check_eq "fdb: $MAC1 still on p1" p1 "$(kv_fdb_port br0 $MAC1 1)"
	kv_check_eq "fdb: $MAC2 still on p2" p2 "$(kv_fdb_port br0 $MAC2 1)"
	kv_check_eq "stats: p1 fdb_evicted" 0 "$(kv_stat br0 p1 fdb_evicted)"
	kv_check_eq "stats: p2 fdb_evicted" 0 "$(kv_stat br0 p2 fdb_evicted)"
}

bridge_fdb() { # BRIDGE FIELD
	kv_q "d[\"bridges\"][0][\"fdb\"][\"$2\"]" stats show "$1"
}

vm_port_default_limit() {
	kv_check_eq "port show: vt62 learn_limit" 256 "$(kv_port_field vt62 learn_limit)"
	kv_check_eq "port show: p1 learn_limit (not a VM port)" 0 "$(kv_port_field p1 learn_limit)"
	log_test "a VM port learns at most 256 addresses by default; other ports unlimited"
}

vm_flood_held_at_limit() {
	flood "$VM" br0 vt62 $FLOOD_N 1
	kv_check_eq "port show: vt62 learned" 256 "$(kv_port_field vt62 learned)"
	# every flood frame has a new source: all but the last 256 were evicted again
	kv_check_ok "stats: vt62 fdb_evicted >= $FLOOD_RX - 256 - 16" \
		test "$(kv_stat br0 vt62 fdb_evicted)" -ge $((FLOOD_RX - 256 - 16))
	honest_kept
	kv fdb del $SINK bridge br0 >/dev/null 2>&1
	log_test "a VM flooding $FLOOD_N source MACs holds 256 entries, its own oldest evicted"
}

port_flood_evicts_flooder() {
	flood "$FL" br0 pf $FLOOD_N 2
	kv_check_eq "stats: br0 learned_now at the bridge limit" 1024 "$(bridge_fdb br0 learned_now)"
	kv_check_ok "stats: br0 evicted_bridge_limit > 0" \
		test "$(bridge_fdb br0 evicted_bridge_limit)" -gt 0
	honest_kept
	kv_check_eq "port show: vt62 still at its limit" 256 "$(kv_port_field vt62 learned)"
	log_test "an unlimited port flooding a full table evicts its own entries, not others'"
}

newcomer_learned_not_flooded() {
	kv_tap_host br0 p3 "$H3" "$MAC3" 192.0.2.3/24
	kv_check_ok "h3 (new after the floods) pings h1" kv_ping "$H3" 192.0.2.1
	kv_poll_eq "fdb: $MAC3 learned on p3" p3 kv_fdb_port br0 $MAC3 1
	cap_start c3 expect "$H3" p3 --src $MAC1 --dst $MAC3 --tag nc
	cap_start c2 count "$H2" p2 --src $MAC1 --tag nc
	cap_start cv count "$VM" vt62 --src $MAC1 --tag nc
	kv_send "$H1" p1 --src $MAC1 --dst $MAC3 --tag nc
	cap_check_seen "frame h1 -> h3 reaches h3" c3
	cap_check_count "frame h1 -> h3 at h2" 0 c2
	cap_check_count "frame h1 -> h3 at the flooding VM" 0 cv
	log_test "a host that appears after the floods is learned; unicast to it is not flooded"
}

honest_still_talk() {
	kv_check_ok "h1 pings h2" kv_ping "$H1" 192.0.2.2 3
	kv_check_ok "h2 pings h3" kv_ping "$H2" 192.0.2.3 3
	log_test "honest hosts still reach each other after the floods"
}

fdb_show_whole_table() {
	local size n lines seed
	# a tap drops what kvnetd has not read in time, so on a busy machine one flood may
	# leave fewer entries than three pages: more floods of new MACs until there are
	for seed in 3 4 5 6 7; do
		flood "$FL2" br1 pg $BIG_N $seed 1
		size=$(bridge_fdb br1 size)
		[ "$size" -gt 8192 ] && break
	done
	kv_check_ok "br1 holds over 8192 entries (three pages or more): $size" test "$size" -gt 8192
	n=$(kv_q 'len(d["entries"])' fdb show br1)
	kv_check_eq "fdb show br1 --json: entries" "$size" "$n"
	n=$(kv_q 'len(set((e["mac"], e["vid"]) for e in d["entries"]))' fdb show br1)
	kv_check_eq "fdb show br1 --json: distinct entries" "$size" "$n"
	lines=$(kv fdb show br1 | grep -c -i '^[0-9a-f][0-9a-f]:')
	kv_check_eq "fdb show br1: lines of entries" "$size" "$lines"
	log_test "fdb show prints a table of $size entries whole (fetched in pages)"
}

flush_while_forwarding() {
	local pid rc
	"$KV_PY" "$KV_FRAMES" ping 192.0.2.2 --netns "$H1" --count 5 --timeout 30 \
		>"$KV_TMP/ping.out" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	kv_check_run "fdb flush br1" 0 '' '^$' kv fdb flush br1
	kv_check_eq "stats: br1 learned_now after the flush" 0 "$(bridge_fdb br1 learned_now)"
	kv_check_run "fdb flush br0" 0 '' '^$' kv fdb flush br0
	wait "$pid"
	rc=$?
	kv_forget "$pid"
	kv_check_eq "h1's 5 pings to h2 during the flushes answered" 0 "$rc"
	kv_check_eq "fdb: static $SINK survives the flush" static:pg "$(kv_fdb_port br1 $SINK 1)"
	log_test "forwarding goes on while a full table is flushed"
}

kv_require
setup
tests_run
kv_exit
