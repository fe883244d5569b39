#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 85_config_persist.sh - bridges, ports, VLANs, port settings, static FDB entries and STP
# settings made with the CLI survive kill -9 of kvnetd; a missing interface, a corrupt or a
# hostile store file do not stop it
#
#   kvnetd (ns sw), state dir $KV_STATE/bridges/NAME.json
#     br0 (filtering, ageing 120, max_learned 500): t1 (tap in ns h1), t2 (tap), vsw (dev:
#         veth to ns pe); flags, learn limit, admin state, MTU, VLANs, static FDB entries
#     br1 (802.1ad, no filtering, default_pvid none): t3 (tap), STP on with its own parameters
#
# Contract (docs/cli.md, "What survives a restart"): what the CLI acknowledged (exit 0) is
# in the state dir before the answer, written atomically; at start kvnetd makes it again
# before the networks. Compared: the --json dumps of bridge show, port show, vlan show,
# fdb show (static entries) and stp show, without what changes by itself (counters, learned
# entries, ifindex, STP roles, states and timers).

ALL_TESTS="round_trip missing_dev bad_files kill9_burst"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:83:00:01
MAC2=02:00:00:83:00:02

setup() {
	SW=$(kv_ns sw)
	PE=$(kv_ns pe)
	H1=$(kv_ns h1)
	kv_ns_add "$SW" "$PE" "$H1"
	kv_veth "$SW" vsw "$PE" vpeer
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
}

# kv_ok ARGS... - a kvnet call of the configuration; a failure is a setup failure
kv_ok() {
	local out
	out=$(kv "$@" 2>&1) || kv_setup_fail "kvnet $*: $out"
}

# dump - what a user would compare: the --json dumps, without the fields that change by
# themselves (and the datapath thread a port is read by, which follows the order ports are
# made in), one JSON document per line
dump() {
	local br
	for br in br0 br1; do
		kvj bridge show "$br"
		kvj port show "$br"
		kvj vlan show
		kvj fdb show "$br"
		kvj showstp "$br"
	done 2>&1 | "$KV_PY" -c '
import json, sys
DYNAMIC = {"ifindex", "learned", "age", "role", "designated_root", "designated_bridge",
           "designated_port", "designated_cost", "root", "root_port", "root_path_cost",
           "topology_change", "topology_change_count", "time_since_topology_change",
           "topology_change_ack", "rx", "tx", "rx_bad", "oper_edge", "auto_edge",
           "point_to_point", "version", "max_age", "hello_time", "forward_delay",
           "thread", "queues"}
def clean(v, in_stp):
    if isinstance(v, dict):
        return {k: clean(x, in_stp) for k, x in sorted(v.items())
                if k not in DYNAMIC and not k.endswith("_timer")
                and not (in_stp and k == "state")}
    if isinstance(v, list):
        return [clean(x, in_stp) for x in v]
    return v
dec = json.JSONDecoder()
text = sys.stdin.read()
i = 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    d, i = dec.raw_decode(text, i)
    if "entries" in d:
        d["entries"] = sorted((e for e in d["entries"] if e["static"]),
                              key=lambda e: (e["mac"], e["vid"]))
    print(json.dumps(clean(d, "bridge_id" in d or "enabled" in d), sort_keys=True))
'
}

configure() {
	kv_ok bridge add br0 ageing_time 120 max_learned 500
	kv_ok bridge add br1 vlan_filtering off vlan_protocol 802.1ad default_pvid none
	kv_ok port add br0 t1 netns "$H1" mtu 9000
	kv_ok port add br0 t2
	kv_ok port add br0 dev:vsw
	kv_ok port add br1 t3
	kv_ok port set t1 hairpin on isolated on learn_limit 10
	kv_ok port set t2 flood off mcast_flood off state blocking mtu 1400
	kv_ok port set vsw learning off
	kv_ok port set t2 mac_lock on ip_lock on allowed_mac $MAC2 allowed_ip 10.0.0.2,2001:db8::2
	kv_ok vlan del t1 vid 1
	kv_ok vlan add t1 vid 10 pvid untagged
	kv_ok vlan add t2 vid 20-29
	kv_ok vlan add t2 vid 25 untagged
	kv_ok vlan add t2 vid 30 pvid
	kv_ok vlan add br0 vid 10
	kv_ok fdb add $MAC1 port t1 vlan 10
	kv_ok fdb add $MAC2 port vsw vlan 1
	kv_ok fdb add $MAC2 port t2 vlan 20
	kv_ok stp set br1 priority 4096 forward_delay 10 max_age 12 hello 1 force_version stp
	kv_ok stp port t3 path_cost 250 priority 32 edge on
	kv_ok stp port br1 priority 64
	kv_ok stp br1 on
}

round_trip() {
	local before after lines
	configure
	before=$(dump) || kv_fail "the dumps before the restart do not parse: $before"
	kv_check_eq "dumps before the restart" 10 "$(wc -l <<<"$before")"
	kvnetd_kill9
	lines=$(wc -l <"$KV_LOG")
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again after kill -9"
		log_test "configuration round trip through kill -9"
		return
	fi
	after=$(dump) || kv_fail "the dumps after the restart do not parse: $after"
	[ "$before" = "$after" ] ||
		kv_fail "the dumps differ after the restart: $(diff <(echo "$before") <(echo "$after"))"
	kv_check_eq "t1 is back in ns h1" t1 \
		"$(ip -n "$H1" -o link show t1 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1)"
	kv_check_eq "t1's MTU in ns h1" 9000 "$(ip netns exec "$H1" cat /sys/class/net/t1/mtu)"
	kv_check_eq "kvnetd's log: nothing skipped" "" \
		"$(tail -n +"$((lines + 1))" "$KV_LOG" | grep skipped)"
	log_test "bridges, ports, flags, VLANs, static FDB and STP come back after kill -9"
}

missing_dev() {
	local lines rx
	kvnetd_kill9
	ip -n "$SW" link del vsw
	lines=$(wc -l <"$KV_LOG")
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start with br0's dev:vsw gone"
		log_test "a restored dev port whose interface is missing is kept, down"
		return
	fi
	kv_check_ok "the log says vsw is kept, down" \
		grep -q 'port vsw: .*kept on bridge br0, link down' <<<"$(tail -n +"$((lines + 1))" "$KV_LOG")"
	kv_check_eq "br0's ports, vsw among them" "br0 t1 t2 vsw" \
		"$(kv_q '" ".join(sorted(p["name"] for p in d["ports"]))' port show br0)"
	kv_check_eq "vsw's link" down "$(kv_port_field vsw link)"
	kv_check_eq "vsw's flag is kept" false "$(kv_port_field vsw flags.learning)"
	kv_check_eq "vsw's static entry is kept" "static:vsw" "$(kv_fdb_port br0 $MAC2 1)"
	kv_check_eq "kvnetd's log: nothing skipped" "" \
		"$(tail -n +"$((lines + 1))" "$KV_LOG" | grep skipped)"
	# a change on br0 rewrites its file: vsw and its settings stay in it
	kv_ok port set t2 learn_limit 7
	kv_check_ok "br0.json still holds vsw after a change" \
		grep -q '"vsw"' "$KV_STATE/bridges/br0.json"
	kvnetd_kill9
	kv_veth "$SW" vsw "$PE" vpeer
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again"
		log_test "a restored dev port whose interface is missing is kept, down"
		return
	fi
	kv_poll_eq "vsw's link once its interface is back at a start" up kv_port_field vsw link
	kv_check_eq "vsw's flag" false "$(kv_port_field vsw flags.learning)"
	kv_check_eq "vsw's static entry" "static:vsw" "$(kv_fdb_port br0 $MAC2 1)"
	kv_check_eq "t2's learn limit set while vsw was away" 7 "$(kv_port_field t2 learn_limit)"
	# while kvnetd runs: the interface goes, and one of its name comes back
	ip -n "$SW" link del vsw
	kv_poll_eq "vsw's link once its interface is deleted" down kv_port_field vsw link
	kv_veth "$SW" vsw "$PE" vpeer
	kv_poll_eq "vsw's link once an interface of its name is back" up kv_port_field vsw link
	kv_poll_log "kvnetd says it attached vsw again" "port vsw: interface vsw .*attached again"
	rx=$(kv_stat br0 vsw rx_frames)
	ip -n "$PE" addr add 10.85.0.2/24 dev vpeer
	ip netns exec "$PE" ping -c 3 -i 0.2 -W 1 10.85.0.9 >/dev/null 2>&1
	kv_poll_ge "vsw receives from the new interface: rx_frames" $((rx + 1)) \
		kv_stat br0 vsw rx_frames
	kv_check_eq "vsw's static entry, after it all" "static:vsw" "$(kv_fdb_port br0 $MAC2 1)"
	log_test "a dev port whose interface is missing at start is kept, down; back with it"
}

bad_files() {
	local lines log
	kvnetd_kill9
	printf '{"bridge": "bad", "requests": [ {"method"' >"$KV_STATE/bridges/bad.json"
	cat >"$KV_STATE/bridges/evil.json" <<-'EOF'
		{"bridge": "evil", "requests": [
		 {"method": "bridge.add", "params": {"name": "evil"}},
		 {"method": "port.set", "params": {"name": "t1", "state": "disabled"}},
		 {"method": "vlan.add", "params": {"port": "evil", "vid": 77}}]}
	EOF
	printf '{"bridge": "evil2", "requests": [{"method": "net.undefine", "params": {}}]}' \
		>"$KV_STATE/bridges/evil2.json"
	printf '{"bridge": "br0", "requests": []}' >"$KV_STATE/bridges/other.json"
	lines=$(wc -l <"$KV_LOG")
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start with corrupt and hostile files in $KV_STATE/bridges"
		log_test "corrupt and hostile store files are logged and skipped"
		return
	fi
	log=$(tail -n +"$((lines + 1))" "$KV_LOG")
	kv_check_ok "the log names bad.json" grep -q 'bad\.json: not JSON.*skipped' <<<"$log"
	kv_check_ok "the log names evil.json's request on t1" \
		grep -q "evil\.json: request 2 (port.set) names port 't1'" <<<"$log"
	kv_check_ok "the log names evil2.json" \
		grep -q "evil2\.json: request 1: method 'net.undefine'.*skipped" <<<"$log"
	kv_check_ok "the log names other.json" grep -q "other\.json: .*skipped" <<<"$log"
	kv_check_eq "t1 untouched by evil.json" forwarding "$(kv_port_field t1 state)"
	kv_check_eq "evil's own request applied" "pvid 1: 1u 77t" "$(kv_vlans evil)"
	kv_check_eq "the other bridges are there" "br0 br1 evil" \
		"$(kv_q '" ".join(sorted(b["name"] for b in d["bridges"]))' bridge show)"
	kv_ok bridge del evil
	kv_check_fail "bridge del removes evil.json" test -e "$KV_STATE/bridges/evil.json"
	rm -f "$KV_STATE/bridges/bad.json" "$KV_STATE/bridges/evil2.json" \
		"$KV_STATE/bridges/other.json"
	log_test "corrupt and hostile store files are logged and skipped; kvnetd starts"
}

# A loop of changes, each recorded once the CLI acknowledged it, cut by kill -9 at a random
# moment: after the restart every acknowledged change is there.
kill9_burst() {
	local loop i n acked="$KV_TMP/acked" want seen lines
	: >"$acked"
	(
		for ((i = 100; i < 400; i++)); do
			"$KVNET" --socket "$KV_SOCK" bridge add "bb$i" >/dev/null 2>&1 || exit 0
			echo "bridge bb$i" >>"$acked"
			"$KVNET" --socket "$KV_SOCK" vlan add t2 vid "$i" >/dev/null 2>&1 || exit 0
			echo "vlan $i" >>"$acked"
			"$KVNET" --socket "$KV_SOCK" port set t1 learn_limit "$i" >/dev/null 2>&1 || exit 0
			echo "limit $i" >>"$acked"
		done
	) &
	loop=$!
	KV_PIDS+=("$loop")
	n=$((RANDOM % 40 + 10))
	for ((i = 0; i < KV_WAIT * 20; i++)); do
		[ "$(wc -l <"$acked")" -ge "$n" ] && break
		kv_is_child "$loop" || break
		sleep 0.05
	done
	kvnetd_kill9
	wait "$loop"
	kv_forget "$loop"
	n=$(wc -l <"$acked")
	echo "NOTE: $n changes acknowledged before kill -9"
	[ "$n" -ge 10 ] || kv_fail "fewer than 10 changes acknowledged before the kill: $n"
	lines=$(wc -l <"$KV_LOG")
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again after kill -9 mid-burst"
		log_test "kill -9 mid-burst: every acknowledged change is there"
		return
	fi
	kv_check_eq "kvnetd's log: nothing skipped" "" \
		"$(tail -n +"$((lines + 1))" "$KV_LOG" | grep skipped)"
	want=$(grep '^bridge' "$acked" | cut -d' ' -f2 | sort | xargs)
	seen=$(kv_q '" ".join(sorted(b["name"] for b in d["bridges"] if b["name"].startswith("bb")))' \
		bridge show)
	# the bridge being added at the kill may be there unacknowledged: at most one more
	seen=$(for b in $seen; do grep -qx "bridge $b" "$acked" && echo "$b"; done | sort | xargs)
	kv_check_eq "acknowledged bridges after the restart" "$want" "$seen"
	for i in $(grep '^vlan' "$acked" | cut -d' ' -f2); do
		kv_q "any(v[\"vid\"] == $i for v in d[\"ports\"][0][\"vlans\"])" vlan show t2 |
			grep -q true || kv_fail "acknowledged vlan $i is not on t2 after the restart"
	done
	want=$(grep '^limit' "$acked" | tail -n 1 | cut -d' ' -f2)
	seen=$(kv_port_field t1 learn_limit)
	[ -z "$want" ] || [ "$seen" -ge "$want" ] ||
		kv_fail "t1's learn limit: acknowledged $want, seen $seen after the restart"
	kv_check_eq "no temporary file left in bridges/" "" \
		"$(find "$KV_STATE/bridges" -maxdepth 1 -name '.*' -type f -printf '%f ')"
	log_test "kill -9 mid-burst: every acknowledged change is there, no file half-written"
}

kv_require
setup
tests_run
kv_exit
