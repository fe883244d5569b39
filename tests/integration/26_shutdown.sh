#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 26_shutdown.sh - one kvnetd per run dir; SIGTERM leaves no tap, socket or lock file behind
#
#   h1 [t1]  tap moved to h1          ---\
#   sw [t2]  tap left in kvnetd's ns  ---- kvnetd (ns sw): br0
#   pe [vpeer] ==veth== sw [vsw]      ---/  (dev port: kvnet did not make it, must not remove it)

ALL_TESTS="ports_made second_daemon_refused second_daemon_other_netns_refused
	sigterm_cleans_up restart_after_shutdown"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	SW2=$(kv_ns sw2)
	H1=$(kv_ns h1)
	PE=$(kv_ns pe)
	kv_ns_add "$SW" "$SW2" "$H1" "$PE"
	kv_veth "$SW" vsw "$PE" vpeer
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv port add br0 t1 netns "$H1" || kv_setup_fail "port add br0 t1 netns $H1"
	ip -n "$H1" link set t1 up || kv_setup_fail "t1 up in $H1"
	kv port add br0 t2 || kv_setup_fail "port add br0 t2"
	kv port add br0 dev:vsw || kv_setup_fail "port add br0 dev:vsw"
}

# kv_files_left DIR - pid, lock and socket files left in DIR (and below)
kv_files_left() {
	find "$1" \( -name '*.pid' -o -name '*.lock' -o -name '*.sock' -o -type s \) -print 2>/dev/null |
		sort | tr '\n' ' '
}

ports_made() {
	kv_check_ok "tap t1 exists in $H1" ip -n "$H1" link show t1
	kv_check_ok "tap t2 exists in $SW" ip -n "$SW" link show t2
	kv_check_eq "ports of br0" '["br0", "t1", "t2", "vsw"]' \
		"$(kv_q 'sorted(p["name"] for p in d["ports"])' port show br0)"
	kv_check_ok "socket $KV_SOCK exists" test -S "$KV_SOCK"
	log_test "kvnetd made its taps and its socket"
}

# second_daemon NS - start a second kvnetd on the same run dir in NS; it must exit, non-zero,
# saying why, and leave the first one as it was
second_daemon() {
	local ns=$1 log=$KV_TMP/kvnetd-second.log pid rc i
	: >"$log"
	ip netns exec "$ns" "$KVNETD" --run-dir "$KV_RUN" --state-dir "$KV_TMP/state2" --libvirt off \
		>"$log" 2>&1 &
	pid=$!
	KV_PIDS+=("$pid")
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv_is_child "$pid" || break
		sleep 0.1
	done
	if kv_is_child "$pid"; then
		kv_fail "a second kvnetd on run dir $KV_RUN (in $ns) is still running after $KV_WAIT s: $(cat "$log")"
		kvnetd_stop "$pid"
	else
		wait "$pid"
		rc=$?
		kv_forget "$pid"
		[ "$rc" -ne 0 ] && [ "$rc" -le 125 ] ||
			kv_fail "second kvnetd: expected exit status 1..125, seen $rc: $(cat "$log")"
		grep -qiE -- "$KV_RUN|already|running|locked" "$log" ||
			kv_fail "second kvnetd: expected a message naming the run dir or the running daemon, seen '$(cat "$log")'"
	fi
	kv_check_ok "first kvnetd still running" kill -0 "$KVNETD_PID"
	kv_check_ok "socket $KV_SOCK still there" test -S "$KV_SOCK"
	kv_check_ok "first kvnetd still answers" kv version
	kv_check_eq "ports of br0 after the second kvnetd" '["br0", "t1", "t2", "vsw"]' \
		"$(kv_q 'sorted(p["name"] for p in d["ports"])' port show br0)"
	kv_check_ok "tap t1 still in $H1" ip -n "$H1" link show t1
	kv_check_ok "tap t2 still in $SW" ip -n "$SW" link show t2
}

second_daemon_refused() {
	second_daemon "$SW"
	log_test "a second kvnetd on the same run dir refuses to start, with a message"
}

second_daemon_other_netns_refused() {
	second_daemon "$SW2"
	log_test "a second kvnetd on the same run dir in another namespace refuses too"
}

sigterm_cleans_up() {
	local pid=$KVNETD_PID
	if ! kvnetd_stop; then
		kv_fail "kvnetd (pid $pid) did not exit within $KV_WAIT s of SIGTERM"
	fi
	kv_check_eq "kvnetd's exit status after SIGTERM" 0 "$KVNETD_RC"
	kv_check_eq "pid, lock and socket files left in $KV_RUN" "" "$(kv_files_left "$KV_RUN")"
	kv_poll_eq "tap t1 in $H1 after shutdown" gone \
		sh -c "ip -n '$H1' link show t1 >/dev/null 2>&1 && echo present || echo gone"
	kv_poll_eq "tap t2 in $SW after shutdown" gone \
		sh -c "ip -n '$SW' link show t2 >/dev/null 2>&1 && echo present || echo gone"
	kv_check_eq "taps left in $SW" "" \
		"$(ip -n "$SW" -o link show type tun 2>/dev/null | tr '\n' ' ')"
	kv_check_eq "taps left in $H1" "" \
		"$(ip -n "$H1" -o link show type tun 2>/dev/null | tr '\n' ' ')"
	kv_check_ok "the veth kvnet attached (vsw) is still there" ip -n "$SW" link show vsw
	if kv_sanitizer_report >/dev/null; then
		kv_fail "sanitizer report in kvnetd's log: $(kv_sanitizer_report | head -20)"
	fi
	log_test "SIGTERM: kvnetd exits 0, removes its taps, socket and lock file"
}

restart_after_shutdown() {
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again on run dir $KV_RUN after a clean shutdown"
		log_test "kvnetd starts again on the same run dir"
		return
	fi
	kv_check_ok "bridge add br1 on the new kvnetd" kv bridge add br1
	kv_check_ok "port add br1 t3 netns $H1" kv port add br1 t3 netns "$H1"
	kv_check_ok "tap t3 exists in $H1" ip -n "$H1" link show t3
	kvnetd_stop || kv_fail "the new kvnetd did not exit within $KV_WAIT s of SIGTERM"
	kv_check_eq "the new kvnetd's exit status after SIGTERM" 0 "$KVNETD_RC"
	kv_check_eq "pid, lock and socket files left in $KV_RUN" "" "$(kv_files_left "$KV_RUN")"
	kv_check_eq "taps left in $H1 after the second shutdown" "" \
		"$(ip -n "$H1" -o link show type tun 2>/dev/null | tr '\n' ' ')"
	log_test "kvnetd starts again on the same run dir, and shuts down as cleanly"
}

kv_require
setup
tests_run
kv_exit
