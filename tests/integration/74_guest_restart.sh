#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 74_guest_restart.sh - kvnetd restarted (kill -9, then SIGTERM) under running real Linux
# guests: their ports come back from the run dir and traffic between the guests resumes
# without restarting them
#
#   kvnetd in ns sw: network n74 (switch br74, no IP; autostart, so a new kvnetd starts it)
#   g1 [stream, kvnet connects: QEMU listens (server=on), 52:54:00:74:00:01, 10.74.0.1/24]
#        pings g2 and g3 without end (kvwatch) and reports each change: "watch ADDR up|down N"
#   g2 [dgram,                                            52:54:00:74:00:02, 10.74.0.2/24]
#   g3 [tap: a persistent tap kvnet makes,                52:54:00:74:00:03, 10.74.0.3/24]
#
# A restart: with g1 seeing both others, kvnetd is stopped; once it is gone, g1 must report
# both "down" (nothing carries its pings); only then is kvnetd started again, and g1 must
# report both "up" again: so the check cannot pass unless the old kvnetd was gone and the new
# one carries the traffic. The guests' QEMUs must be the same processes throughout, each
# guest booted once. QEMU 7.2 (Debian 12) cannot reconnect a stream it connected itself
# (no reconnect= option), so kvnet connects to g1: a restarted kvnetd connects again.

ALL_TESTS="guests_up restart_kill9 restart_sigterm guests_end"

source "$(dirname "$0")/lib.sh"

MAC1=52:54:00:74:00:01
MAC2=52:54:00:74:00:02
MAC3=52:54:00:74:00:03
IP2=10.74.0.2
IP3=10.74.0.3

setup() {
	kv_require
	kv_require_guest
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/n74.xml" <<-'XML'
		<network>
		  <name>n74</name>
		  <bridge name='br74'/>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/n74.xml" n74
	kv net-autostart n74 >/dev/null || kv_setup_fail "net-autostart n74"
	kv_guest_attach g1 n74 $MAC1 stream "" "" --connect "$KV_TMP/g1.qemu.sock"
	kv_guest_attach g2 n74 $MAC2 dgram
	kv_guest_attach g3 n74 $MAC3 tap
}

# watch_both STATE SECONDS - wait until g1's last reports of g2 and g3 both say STATE. Return:
# 1 if they do not within SECONDS.
watch_both() {
	local end=$((SECONDS + $2))
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(kv_guest_watch g1 $IP2) $(kv_guest_watch g1 $IP3)" = "$1 $1" ] && return 0
		sleep 0.2
	done
	return 1
}

guests_up() {
	kv_guest_boot g1 "$SW" g1 kvtest.ip=10.74.0.1/24 "kvtest.cmd=$(kv_b64 "kvwatch $IP2 &
kvwatch $IP3 &
result ready yes
sleep 600")"
	kv_guest_boot g2 "$SW" g2 kvtest.ip=$IP2/24 "kvtest.cmd=$(kv_b64 "result ready yes; sleep 600")"
	kv_guest_expect g1 "KVTEST-RESULT: ready" '"ready"'
	kv_guest_expect g2 "KVTEST-RESULT: ready" '"ready"'
	kv_guest_boot g3 "$SW" g3 kvtest.ip=$IP3/24 "kvtest.cmd=$(kv_b64 "result ready yes; sleep 600")"
	kv_guest_expect g3 "KVTEST-RESULT: ready" '"ready"'
	watch_both up 30 || kv_fail "g1 does not reach g2 and g3: $(kv_guest_tail g1)"
	kv_check_eq "g1's port: kvnet connects (QEMU's server=on)" false "$(kv_iface_field g1 listen)"
	kv_check_eq "g1's back-end" stream "$(kv_iface_field g1 backend)"
	kv_check_eq "g2's back-end" dgram "$(kv_iface_field g2 backend)"
	kv_check_eq "g3's back-end" tap "$(kv_iface_field g3 backend)"
	G_PIDS="${KV_GUEST_PID[g1]} ${KV_GUEST_PID[g2]} ${KV_GUEST_PID[g3]}"
	log_test "g1 (stream, kvnet connects) pings g2 (dgram) and g3 (tap)"
}

# restart HOW - stop kvnetd (kill9: kvnetd_kill9; sigterm: kvnetd_stop), wait for g1 to lose
# both others, start kvnetd on the same run and state dirs, wait (60 s at most) for g1 to see
# them again. Return: 1 (a failure recorded) if it could not go that far.
restart() {
	local t0 ms
	if [ "$(kv_guest_watch g1 $IP2) $(kv_guest_watch g1 $IP3)" != "up up" ]; then
		kv_fail "g1 does not see g2 and g3 before the restart: $(kv_guest_tail g1)"
		return 1
	fi
	t0=$(date +%s%N)
	if [ "$1" = sigterm ]; then
		kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
		kv_check_eq "kvnetd's exit status on SIGTERM" 0 "$KVNETD_RC"
	else
		kvnetd_kill9
	fi
	if ! watch_both down 20; then
		kv_fail "g1 still sees g2 or g3 with kvnetd gone: $(kv_guest_tail g1)"
		return 1
	fi
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd did not start again"
		return 1
	fi
	if watch_both up 60; then
		ms=$((($(date +%s%N) - t0) / 1000000))
		printf 'INFO: %s: kvnetd stopped to g1 seeing g2 and g3 again: %d.%03d s\n' "$1" \
			$((ms / 1000)) $((ms % 1000))
	fi
	return 0
}

# restarted WHAT - after a restart: g1 must see g3 (tap) again, the guests must have run on (the
# same QEMUs, each guest booted once) and the ports be up again; then g2 (dgram), on its own
# (log_test WHAT: ... for each)
restarted() {
	local g
	kv_check_eq "g1 sees g3 again" up "$(kv_guest_watch g1 $IP3)"
	kv_check_eq "g3's port's link after the restart" up "$(kv_iface_field g3 link)"
	kv_check_eq "g1's port's link after the restart" up "$(kv_iface_field g1 link)"
	kv_check_eq "g1's port after the restart: kvnet connects" false "$(kv_iface_field g1 listen)"
	kv_check_eq "the guests' QEMUs are the same processes" "$G_PIDS" \
		"${KV_GUEST_PID[g1]} ${KV_GUEST_PID[g2]} ${KV_GUEST_PID[g3]}"
	for g in g1 g2 g3; do
		kv_check_eq "$g's QEMU still runs" alive "$(kv_pid_gone "${KV_GUEST_PID[$g]}")"
		kv_check_eq "$g booted once" 1 "$(kv_guest_result $g t-eth0 | wc -l)"
	done
	log_test "$1: g1 (stream) reaches g3 (tap) again; the guests ran on"
	kv_check_eq "g1 sees g2 again: $(kv_guest_tail g1)" up "$(kv_guest_watch g1 $IP2)"
	kv_check_eq "g2's port's link after the restart" up "$(kv_iface_field g2 link)"
	log_test "$1: g1 (stream) reaches g2 (dgram) again"
}

restart_kill9() {
	if restart kill9; then
		restarted "kvnetd kill -9, start"
	else
		log_test "kvnetd kill -9, start: g1 loses and finds g2 and g3"
	fi
}

restart_sigterm() {
	if restart sigterm; then
		restarted "kvnetd SIGTERM, start"
	else
		log_test "kvnetd SIGTERM, start: g1 loses and finds g2 and g3"
	fi
}

guests_end() {
	kv_guests_end g1 g2 g3
	log_test "the guests end"
}

setup
tests_run
kv_exit
