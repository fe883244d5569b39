#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 54_net_cleanup.sh - what a running network makes is unmade: by net-destroy, by kvnetd's
# SIGTERM, and, after a kill -9 of kvnetd, at its next start
#
#   kvnetd in ns sw, run and state dirs kept across its restarts
#     n54   NAT, switch kvb54, 192.168.154.1/24, DHCP (persistent, not autostarted)
#     n54b  isolated, switch kvb54b, 192.168.155.1/24, DHCP (persistent, autostarted)
#
# Made per network: host port tap (named after the bridge) in kvnetd's namespace, a dnsmasq
# (RUN/dnsmasq/NAME.conf, .pid, .leases...), chains in nftables table inet kvnet.

ALL_TESTS="started destroy_removes destroy_keeps_other restart_again sigterm_removes
	kill9_leaves kill9_restart_cleans"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	VM=$(kv_ns vm)
	kv_ns_add "$SW" "$VM"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv_net_up "$(kv_net_xml n54 kvb54 154 "<forward mode='nat'/>")" n54
	kv_net_up "$(kv_net_xml n54b kvb54b 155)" n54b
	kv net-autostart n54b >/dev/null || kv_setup_fail "net-autostart n54b"
	kv_vm_attach vm n54 52:54:00:54:00:01 "$VM" v54
	kv_udhcpc "$VM" v54 || kv_setup_fail "vm got no lease: $(kv_udhcpc_log "$VM" v54)"
}

# has_link NAME - "yes" if interface NAME exists in kvnetd's namespace, else "no"
has_link() {
	ip -n "$SW" link show "$1" >/dev/null 2>&1 && echo yes || echo no
}

# rules_of BRIDGE - lines of kvnet's table naming BRIDGE
rules_of() {
	kv_nft "$SW" | grep -F "\"$1\""
}

# net_chains - the names of the per-network chains in kvnet's table (n_...), sorted
net_chains() {
	kv_nft "$SW" | awk '$1 == "chain" && $2 ~ /^n_/ { print $2 }' | sort | xargs
}

started() {
	PID54=$(kv_dnsmasq n54 pid)
	PID54B=$(kv_dnsmasq n54b pid)
	kv_check_eq "host port kvb54" yes "$(has_link kvb54)"
	kv_check_eq "host port kvb54b" yes "$(has_link kvb54b)"
	kv_check_eq "n54's dnsmasq is alive" alive "$(kv_pid_gone "$PID54")"
	kv_check_eq "n54b's dnsmasq is alive" alive "$(kv_pid_gone "$PID54B")"
	kv_check_ok "rules for kvb54" test -n "$(rules_of kvb54)"
	kv_check_ok "rules for kvb54b" test -n "$(rules_of kvb54b)"
	kv_check_ok "n54.conf and n54.pid in RUN/dnsmasq" \
		test -f "$KV_RUN/dnsmasq/n54.conf" -a -f "$KV_RUN/dnsmasq/n54.pid"
	kv_check_eq "two dnsmasq for this test" "$PID54 $PID54B" "$(kv_dnsmasq_pids)"
	log_test "two networks running: taps, dnsmasq, rules, run files"
}

destroy_removes() {
	kv_check_run "net-destroy n54" 0 '^Network n54 destroyed$' '^$' kv net-destroy n54
	kv_check_eq "host port kvb54 gone" no "$(has_link kvb54)"
	kv_check_eq "vm's tap gone from its namespace" no \
		"$(ip -n "$VM" link show v54 >/dev/null 2>&1 && echo yes || echo no)"
	kv_poll_eq "n54's dnsmasq (pid $PID54) gone" gone kv_pid_gone "$PID54"
	kv_check_eq "no rule names kvb54" "" "$(rules_of kvb54)"
	kv_check_fail "no masquerade for 192.168.154.0/24 left" \
		grep -q '192\.168\.154\.' <<<"$(kv_nft "$SW")"
	kv_check_fail "RUN/dnsmasq/n54.conf removed" test -e "$KV_RUN/dnsmasq/n54.conf"
	kv_check_fail "RUN/dnsmasq/n54.pid removed" test -e "$KV_RUN/dnsmasq/n54.pid"
	kv_check_eq "net-info: inactive" false "$(kv_net_field n54 active)"
	log_test "net-destroy: tap, dnsmasq, its rules and run files gone"
}

destroy_keeps_other() {
	kv_check_eq "kvb54b still there" yes "$(has_link kvb54b)"
	kv_check_eq "n54b's dnsmasq still alive" alive "$(kv_pid_gone "$PID54B")"
	kv_check_ok "n54b's rules still there" test -n "$(rules_of kvb54b)"
	kv_check_eq "one dnsmasq left" "$PID54B" "$(kv_dnsmasq_pids)"
	kv net-destroy n54b >/dev/null || kv_fail "net-destroy n54b"
	kv_check_eq "with no network active, no network chains in the table" "" "$(net_chains)"
	kv_poll_eq "no dnsmasq left" "" kv_dnsmasq_pids
	log_test "net-destroy of one network leaves the other's; none active: no chains"
}

restart_again() {
	kv_check_run "net-start n54 again" 0 'Network n54 started' '^$' kv net-start n54
	kv_check_run "net-start n54b again" 0 'Network n54b started' '^$' kv net-start n54b
	kv_check_eq "kvb54 back" yes "$(has_link kvb54)"
	kv_check_eq "dnsmasq running" running "$(kv_dnsmasq n54 state)"
	kv_check_ok "rules for kvb54 back" test -n "$(rules_of kvb54)"
	log_test "a destroyed network starts again with all of it"
}

sigterm_removes() {
	local pids
	pids=$(kv_dnsmasq_pids)
	kv_check_eq "two dnsmasq before SIGTERM" 2 "$(wc -w <<<"$pids")"
	kvnetd_stop || kv_fail "kvnetd did not exit on SIGTERM"
	kv_check_eq "kvnetd's exit status" 0 "$KVNETD_RC"
	kv_check_eq "no dnsmasq left" "" "$(kv_dnsmasq_pids)"
	kv_check_fail "table inet kvnet gone" kv_nft "$SW"
	kv_check_eq "kvb54 gone" no "$(has_link kvb54)"
	kv_check_eq "kvb54b gone" no "$(has_link kvb54b)"
	kv_check_fail "no .pid files left in RUN/dnsmasq" \
		compgen -G "$KV_RUN/dnsmasq/*.pid"
	log_test "SIGTERM: kvnetd removes the table, its dnsmasq, its taps"
}

kill9_leaves() {
	kvnetd_start "$SW" || {
		kv_fail "kvnetd did not start again"
		log_test "kill -9 of kvnetd leaves dnsmasq and the table behind"
		return
	}
	kv_poll_eq "n54b (autostarted) active again" true kv_net_field n54b active
	kv_check_eq "n54 (not autostarted) inactive" false "$(kv_net_field n54 active)"
	kv net-start n54 >/dev/null || kv_fail "net-start n54"
	OLD_PIDS=$(kv_dnsmasq_pids)
	kv_check_eq "two dnsmasq" 2 "$(wc -w <<<"$OLD_PIDS")"
	ip netns exec "$SW" nft add chain inet kvnet kvtest_marker ||
		kv_fail "cannot add a marker chain to table inet kvnet"
	kvnetd_kill9
	kv_check_eq "the dnsmasq processes outlive kvnetd" "$OLD_PIDS" "$(kv_dnsmasq_pids)"
	kv_check_ok "the table is left behind" kv_nft "$SW"
	log_test "kill -9 of kvnetd leaves dnsmasq and the table behind"
}

kill9_restart_cleans() {
	local p t
	kvnetd_start "$SW" || {
		kv_fail "kvnetd did not start after kill -9"
		log_test "restart after kill -9: leftovers cleaned, autostarted network back"
		return
	}
	for p in $OLD_PIDS; do
		kv_poll_eq "the old dnsmasq $p is gone" gone kv_pid_gone "$p"
	done
	kv_poll_eq "n54b active again" true kv_net_field n54b active
	kv_check_eq "n54 inactive" false "$(kv_net_field n54 active)"
	kv_check_eq "n54b's dnsmasq running" running "$(kv_dnsmasq n54b state)"
	kv_check_eq "one dnsmasq: n54b's new one" "$(kv_dnsmasq n54b pid)" "$(kv_dnsmasq_pids)"
	t=$(kv_nft "$SW") || kv_fail "no table inet kvnet after the restart"
	kv_check_fail "the table was made afresh (the marker chain is gone)" \
		grep -q kvtest_marker <<<"$t"
	kv_check_eq "no rule names kvb54 (n54 is not running)" "" "$(rules_of kvb54)"
	kv_check_ok "n54b's rules are there" test -n "$(rules_of kvb54b)"
	kv_check_eq "host port kvb54b" yes "$(has_link kvb54b)"
	kv_check_eq "no host port kvb54" no "$(has_link kvb54)"
	kv_check_ok "net-start n54 works again" kv net-start n54
	kv_check_eq "n54's dnsmasq running" running "$(kv_dnsmasq n54 state)"
	log_test "restart after kill -9: leftovers cleaned, autostarted network back"
}

kv_require
kv_require_services
setup
tests_run
kv_exit
