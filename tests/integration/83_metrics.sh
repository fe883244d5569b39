#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 83_metrics.sh - kvnetd --metrics: GET /metrics in Prometheus' text format, the same
# counters as `kvnet --json stats show`, STP port states, networks and their dnsmasq
#
#   h1 [t1 192.0.2.1] ---\
#   h2 [t2 192.0.2.2] ---- kvnetd (ns sw): br0 (STP on), --metrics unix:$KV_TMP/metrics.sock
#   net83 on kvbr83, 192.168.83.1/24 with DHCP: dnsmasq running
#
# Then kvnetd again with --metrics 127.0.0.1:PORT, scraped inside its namespace; addresses
# other hosts could reach are refused.

ALL_TESTS="scrape_matches_stats stp_and_networks http_errors tcp_loopback refused_addresses
	unix_socket_removed"

source "$(dirname "$0")/lib.sh"

PORT83=9183

setup() {
	command -v curl >/dev/null || kv_skip "curl is not installed"
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	kv_ns_add "$SW" "$H1" "$H2"
	kv_tmp
	MSOCK=$KV_TMP/metrics.sock
	kvnetd_start "$SW" --metrics "unix:$MSOCK" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 t1 "$H1" 02:00:00:83:00:01 192.0.2.1/24
	kv_tap_host br0 t2 "$H2" 02:00:00:83:00:02 192.0.2.2/24
	kv stp br0 on >/dev/null || kv_setup_fail "stp br0 on"
	kv_net_up "$(kv_net_xml net83 kvbr83 83)" net83
}

# scrape - the metrics text from the unix socket
scrape() {
	curl -sS --fail --max-time "$KV_CMD_TIMEOUT" --unix-socket "$MSOCK" http://kvnetd/metrics
}

# metric NAME LABELS - a sample's value in a fresh scrape ("none" if it is not there)
metric() {
	scrape | awk -v s="$1{$2}" 'index($0, s " ") == 1 { print $2; f = 1 } END { if (!f) print "none" }'
}

scrape_matches_stats() {
	local out
	# STP keeps the ports from forwarding for a while: wait, then traffic both ways
	kv_poll_eq "t1 forwarding" forwarding kv_q '[p["state"] for p in d["ports"] if p["name"]=="t1"][0]' showstp br0
	kv_poll_eq "t2 forwarding" forwarding kv_q '[p["state"] for p in d["ports"] if p["name"]=="t2"][0]' showstp br0
	kv_check_ok "h1 pings h2" kv_ping "$H1" 192.0.2.2 3
	kvj stats show >"$KV_TMP/before.json" || kv_fail "kvnet --json stats show failed"
	scrape >"$KV_TMP/metrics.txt" || kv_fail "GET /metrics on $MSOCK failed"
	kvj stats show >"$KV_TMP/after.json" || kv_fail "kvnet --json stats show failed"
	out=$("$KV_PY" "$KV_LIB_DIR/metrics_check.py" "$KV_TMP/metrics.txt" "$KV_TMP/before.json" \
		"$KV_TMP/after.json" 2>&1) || kv_fail "metrics against stats show: $out"
	# br0's host port, t1, t2, and kvbr83's host port: all of them compared
	[[ $out == *" 4 ports, 0 problems" ]] || kv_fail "metrics_check.py compared: expected 4 ports, seen '$out'"
	# and the counters moved: a test that cannot see traffic cannot pass
	kv_check_ok "t2 sent frames" test "$(metric kvnet_port_tx_frames_total 'bridge="br0",port="t2"')" -ge 3
	kv_check_ok "no-dest drops are a labelled sample" \
		grep -q '^kvnet_port_drops_total{bridge="br0",port="t1",cause="no-dest"} [0-9]' "$KV_TMP/metrics.txt"
	log_test "every counter of kvnet stats show, with the same value, after traffic"
}

stp_and_networks() {
	kv_check_eq "STP on br0" 1 "$(metric kvnet_stp_enabled 'bridge="br0"')"
	kv_check_eq "t1's STP state" 1 \
		"$(metric kvnet_stp_port_state 'bridge="br0",port="t1",state="forwarding"')"
	kv_check_eq "net83 active" 1 "$(metric kvnet_network_active 'network="net83"')"
	kv_check_eq "net83's dnsmasq" 1 \
		"$(metric kvnet_network_dnsmasq_state 'network="net83",state="running"')"
	kv_check_eq "net83's dnsmasq restarts" 0 \
		"$(metric kvnet_network_dnsmasq_restarts_total 'network="net83"')"
	kv_check_eq "net83's leases (as net-dhcp-leases)" \
		"$(kv_q 'len(d["leases"])' net-dhcp-leases net83)" \
		"$(metric kvnet_network_dhcp_leases 'network="net83"')"
	kv net-destroy net83 >/dev/null || kv_fail "net-destroy net83"
	kv_check_eq "net83 inactive after net-destroy" 0 "$(metric kvnet_network_active 'network="net83"')"
	kv_check_eq "no dnsmasq sample for a stopped network" none \
		"$(metric kvnet_network_dnsmasq_state 'network="net83",state="running"')"
	log_test "STP port states, networks, dnsmasq and leases"
}

http_errors() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$MSOCK" http://kvnetd/other)
	kv_check_eq "GET /other" 404 "$code"
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --unix-socket "$MSOCK" http://kvnetd/metrics)
	kv_check_eq "POST /metrics" 405 "$code"
	kv_check_eq "Content-Type" "text/plain; version=0.0.4; charset=utf-8" \
		"$(curl -s -o /dev/null -w '%{content_type}' --unix-socket "$MSOCK" http://kvnetd/metrics)"
	# a request that is no HTTP, and 12 idle connections (more than the 8 it serves at once)
	"$KV_PY" - "$MSOCK" <<-'PY' || kv_fail "hostile clients of the metrics socket: the script failed"
		import socket, sys
		s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(30)
		s.sendall(b"\x00\xff GARBAGE / HTTP/9.9\r\n\r\n")
		try:
		    s.recv(4096)
		except OSError:
		    pass
		idle = []
		for _ in range(12):
		    c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); idle.append(c)
		for c in idle:
		    c.close()
	PY
	kv_check_ok "GET /metrics after them" scrape
	kv_check_ok "kvnetd still answers" kv version
	log_test "other paths, methods and garbage are refused; the Content-Type is the format's"
}

tcp_loopback() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	kvnetd_start "$SW" --metrics "127.0.0.1:$PORT83" || kv_fail "kvnetd with --metrics 127.0.0.1:$PORT83 did not start"
	kv_check_ok "GET http://127.0.0.1:$PORT83/metrics in $SW" \
		ip netns exec "$SW" curl -sS --fail --max-time "$KV_CMD_TIMEOUT" -o "$KV_TMP/tcp.txt" \
		"http://127.0.0.1:$PORT83/metrics"
	# bridges do not outlive kvnetd; net83 is defined, and stopped
	kv_check_ok "network samples over TCP" grep -qx 'kvnet_network_active{network="net83"} 0' "$KV_TMP/tcp.txt"
	log_test "--metrics 127.0.0.1:PORT serves the same text over TCP"
}

refused_addresses() {
	local a out rc
	for a in unix:relative 127.0.0.1:0 192.0.2.1:9100 localhost:9100 "[::]:9100" 0.0.0.0:9100; do
		out=$(ip netns exec "$SW" timeout 30 "$KVNETD" --run-dir "$KV_TMP/run-bad" \
			--state-dir "$KV_TMP/state-bad" --no-default-network --libvirt off --metrics "$a" 2>&1)
		rc=$?
		[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || kv_fail "--metrics $a: expected a refusal, exit status $rc"
		[[ $out == *"--metrics $a"* ]] || kv_fail "--metrics $a: expected a message naming it, seen '$out'"
	done
	[[ $out == *"unix:PATH"* ]] || kv_fail "the message says what is taken: seen '$out'"
	kv_check_ok "the running kvnetd still answers" kv version
	log_test "addresses other hosts could reach are refused, with a message"
}

unix_socket_removed() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	kvnetd_start "$SW" --metrics "unix:$MSOCK" || kv_fail "kvnetd did not start again"
	kv_check_ok "metrics socket there" test -S "$MSOCK"
	kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
	kv_check_eq "kvnetd's exit status" 0 "$KVNETD_RC"
	kv_check_fail "metrics socket removed at exit" test -e "$MSOCK"
	if kv_sanitizer_report >/dev/null; then
		kv_fail "sanitizer report in kvnetd's log: $(kv_sanitizer_report | head -20)"
	fi
	log_test "the unix: socket is removed when kvnetd exits"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
