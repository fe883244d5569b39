#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 82_systemd_notify.sh - kvnetd under a service manager: systemd's notification protocol
# (READY=1, STATUS=, STOPPING=1 on $NOTIFY_SOCKET), log priorities for the journal, the unit
#
#   notify_listen.py (the test's "systemd"): a datagram socket in $KV_TMP, $NOTIFY_SOCKET
#   kvnetd (ns sw): network net82 on kvbr82, 192.168.82.1/24, autostarted
#
# systemd is not the service manager here (and must not be touched): the test plays its part
# with a socket of its own, which is all a Type=notify service sees of systemd.

ALL_TESTS="ready_after_networks status_lines dnsmasq_not_told stopping_at_sigterm
	journal_priorities no_journal_plain notify_socket_bad unit_verifies"

source "$(dirname "$0")/lib.sh"

NET=net82
BR=kvbr82

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	# a first run defines net82 and marks it autostarted; the run under test starts it
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	cat >"$KV_TMP/$NET.xml" <<-EOF
		<network>
		  <name>$NET</name>
		  <bridge name='$BR'/>
		  <ip address='192.168.82.1' netmask='255.255.255.0'>
		    <dhcp><range start='192.168.82.100' end='192.168.82.200'/></dhcp>
		  </ip>
		</network>
	EOF
	kv net-define "$KV_TMP/$NET.xml" >/dev/null || kv_setup_fail "net-define $NET"
	kv net-autostart "$NET" >/dev/null || kv_setup_fail "net-autostart $NET"
	kvnetd_stop || kv_setup_fail "the first kvnetd did not stop"

	# what the listener checks the moment READY=1 arrives: the control socket answers, the
	# autostarted network is active, its bridge has its address
	cat >"$KV_TMP/at-ready.sh" <<-EOF
		#!/bin/bash
		set -e
		"$KVNET" --socket "$KV_SOCK" version >/dev/null
		"$KVNET" --socket "$KV_SOCK" --json net-list |
			"$KV_PY" -c 'import json,sys; n=[x for x in json.load(sys.stdin)["networks"] if x["name"]=="$NET"]; print("active" if n and n[0]["active"] else "inactive")'
		ip -n "$SW" -4 -o addr show dev "$BR" | grep -o '192.168.82.1/24'
	EOF
	chmod +x "$KV_TMP/at-ready.sh"
	NOTIFY_LOG=$KV_TMP/notify.log
	NOTIFY_SOCK=$KV_TMP/notify.sock
	"$KV_PY" "$KV_LIB_DIR/notify_listen.py" "$NOTIFY_SOCK" "$NOTIFY_LOG" -- "$KV_TMP/at-ready.sh" &
	KV_PIDS+=("$!")
	kv_wait_file "$NOTIFY_LOG" "$!" || kv_setup_fail "notify_listen.py did not start"

	# kvnetd's log (stdout and stderr, appended) is the "journal": JOURNAL_STREAM names its
	# device and inode, as systemd sets it
	NOTIFY_SOCKET=$NOTIFY_SOCK JOURNAL_STREAM=$(stat -c '%d:%i' "$KV_LOG") \
		kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start under the test's service manager"
}

# run_log - kvnetd's log lines of its last start (after lib.sh's "== kvnetd start" line)
run_log() {
	awk '/^== kvnetd start/ { n = NR } { l[NR] = $0 } END { for (i = n + 1; i <= NR; i++) print l[i] }' "$KV_LOG"
}

# notify_lines - the messages received so far, one VAR=value per line
notify_lines() {
	grep -v '^$' "$NOTIFY_LOG"
}

ready_after_networks() {
	kv_poll_eq "READY=1 received" 1 grep -c '^READY=1$' "$NOTIFY_LOG"
	kv_check_eq "at READY=1: control socket answers, $NET active, $BR has its address" \
		"CHECK rc=0: active | 192.168.82.1/24" "$(grep '^CHECK' "$NOTIFY_LOG")"
	log_test "READY=1 once the control socket answers and the autostarted network runs"
}

status_lines() {
	local first ready
	first=$(grep -n '^STATUS=' "$NOTIFY_LOG" | head -1 | cut -d: -f1)
	ready=$(grep -n '^READY=1$' "$NOTIFY_LOG" | head -1 | cut -d: -f1)
	[ -n "$first" ] && [ -n "$ready" ] && [ "$first" -lt "$ready" ] ||
		kv_fail "a STATUS= line before READY=1: expected one, seen: $(notify_lines | tr '\n' ' ')"
	kv_check_ok "STATUS= with READY=1 names the socket" \
		grep -qx "STATUS=running, listening on $KV_SOCK" "$NOTIFY_LOG"
	log_test "STATUS= lines say what kvnetd is doing"
}

dnsmasq_not_told() {
	local pid
	kv_poll_ge "dnsmasq of $NET running" 1 kv_dnsmasq_count
	for pid in $(kv_dnsmasq_pids); do
		if tr '\0' '\n' <"/proc/$pid/environ" | grep -q '^NOTIFY_SOCKET='; then
			kv_fail "dnsmasq (pid $pid) has NOTIFY_SOCKET in its environment"
		fi
	done
	log_test "dnsmasq started by kvnetd does not inherit NOTIFY_SOCKET"
}

kv_dnsmasq_count() {
	kv_dnsmasq_pids | wc -w
}

stopping_at_sigterm() {
	kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
	kv_check_eq "kvnetd's exit status" 0 "$KVNETD_RC"
	kv_poll_eq "STOPPING=1 received" 1 grep -c '^STOPPING=1$' "$NOTIFY_LOG"
	kv_check_ok "STATUS= at shutdown" grep -q '^STATUS=shutting down' "$NOTIFY_LOG"
	kv_check_eq "order of READY and STOPPING" "READY=1 STOPPING=1" \
		"$(grep -E '^(READY|STOPPING)=1$' "$NOTIFY_LOG" | tr '\n' ' ' | sed 's/ $//')"
	if kv_sanitizer_report >/dev/null; then
		kv_fail "sanitizer report in kvnetd's log: $(kv_sanitizer_report | head -20)"
	fi
	log_test "STOPPING=1 at SIGTERM, after READY=1"
}

journal_priorities() {
	local jlog=$KV_TMP/journal.log
	run_log >"$jlog"
	kv_check_ok "info lines as <6>" grep -q '^<6>info: listening on' "$jlog"
	kv_check_ok "debug lines as <7>" grep -q '^<7>debug: ' "$jlog"
	kv_check_eq "lines without a priority" "" \
		"$(grep -E '^kvnetd: (error|warn|info|debug):' "$jlog" | head -3)"
	log_test "with stderr the journal (JOURNAL_STREAM), each log line has its syslog priority"
}

no_journal_plain() {
	# JOURNAL_STREAM inherited, but stderr is another file: not the journal
	JOURNAL_STREAM=$(stat -c '%d:%i' "$KV_TMP/journal.log") kvnetd_start "$SW" ||
		kv_fail "kvnetd did not start with a JOURNAL_STREAM of another file"
	kv_check_ok "plain info lines" grep -q '^kvnetd: info: listening on' <(run_log)
	kv_check_eq "lines with a priority" "" "$(run_log | grep -E '^<[0-7]>' | head -3)"
	kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
	log_test "a JOURNAL_STREAM that is not stderr leaves the log lines as they are"
}

notify_socket_bad() {
	local out rc
	out=$(NOTIFY_SOCKET=relative/path ip netns exec "$SW" "$KVNETD" --run-dir "$KV_RUN" \
		--state-dir "$KV_STATE" --no-default-network --libvirt off 2>&1)
	rc=$?
	kv_check_eq "exit status with NOTIFY_SOCKET=relative/path" 2 "$rc"
	[[ $out == *"NOTIFY_SOCKET 'relative/path' is not a socket address"* ]] ||
		kv_fail "message for a bad NOTIFY_SOCKET: expected it named and explained, seen '$out'"
	log_test "a NOTIFY_SOCKET that is no socket address is refused with a message"
}

unit_verifies() {
	local unit=$KVNET_BUILD/kvnetd.service dir=$KV_TMP/unit out
	kv_check_ok "kvnetd.service is built" test -f "$unit"
	kv_check_ok "Type=notify" grep -qx 'Type=notify' "$unit"
	if ! command -v systemd-analyze >/dev/null; then
		echo "SKIP: systemd-analyze verify (systemd-analyze is not installed)"
		log_test "kvnetd.service is built (not verified)"
		return
	fi
	# verify checks that ExecStart= exists: point it at this build's kvnetd
	mkdir -p "$dir"
	sed "s|^ExecStart=[^ ]*|ExecStart=$KVNETD|" "$unit" >"$dir/kvnetd.service"
	out=$(systemd-analyze verify --man=no "$dir/kvnetd.service" 2>&1) ||
		kv_fail "systemd-analyze verify kvnetd.service: $out"
	[ -z "$out" ] || kv_fail "systemd-analyze verify kvnetd.service has warnings: $out"
	log_test "kvnetd.service passes systemd-analyze verify"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
