#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 60_stp_kernel.sh - kvnet's spanning tree against the Linux kernel bridge's 802.1D STP, in a loop
#
#   hk [hk0 02:00:00:60:00:01] ==veth== [khost] ---\
#                                                  kbr (ns kb): kernel bridge, stp_state 1,
#                                   [ka1] [ka2] ---/  forward delay 4 s, hello 1 s, max age 6 s
#                                     ||    ||
#                                   [va1] [va2]  dev ports ---\
#   hs [ts 02:00:00:60:00:02]  tap port       -------------- br0 (kvnetd in ns sw): STP on,
#                                                               force_version stp, same times
#
# Two links between the two bridges make a loop. Once the tree has
# converged exactly one of the four bridge ports of the links blocks, both
# bridges name the same root, and a broadcast sent once arrives once. The
# kernel counts 802.1D-1998 path costs (10G = 2) and kvnet 802.1D-2004's
# (10G = 2000): only roots and port states are compared. A state the
# bridges move to is polled for (every 0.2 s, up to KV_WAIT s), not read
# once: each gets there in its own time.

ALL_TESTS="converge_kernel_root broadcast_once admin_state_and_stp stp_errors swap_root
	broadcast_once_after_swap no_storm stp_off_is_transparent network_xml_stp"

source "$(dirname "$0")/lib.sh"

MACK=02:00:00:60:00:01
MACS=02:00:00:60:00:02
# the kernel's bridge times are in centiseconds
KBR_TIMES="forward_delay 400 hello_time 100 max_age 600"

setup() {
	SW=$(kv_ns sw)
	KB=$(kv_ns kb)
	HK=$(kv_ns hk)
	HS=$(kv_ns hs)
	kv_ns_add "$SW" "$KB" "$HK" "$HS"
	# shellcheck disable=SC2086
	ip -n "$KB" link add kbr type bridge stp_state 1 $KBR_TIMES priority 4096 ||
		kv_setup_fail "kernel bridge kbr with STP"
	kv_veth "$KB" ka1 "$SW" va1
	kv_veth "$KB" ka2 "$SW" va2
	kv_veth "$KB" khost "$HK" hk0
	ip -n "$HK" link set hk0 address $MACK
	for i in ka1 ka2 khost; do
		ip -n "$KB" link set "$i" master kbr || kv_setup_fail "$i into kbr"
	done
	ip -n "$KB" link set kbr up || kv_setup_fail "kbr up"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 vlan_filtering off || kv_setup_fail "bridge add br0"
	kv stp set br0 forward_delay 4 hello 1 max_age 6 force_version stp priority 32768 ||
		kv_setup_fail "stp set br0"
	kv stp br0 on || kv_setup_fail "stp br0 on"
	kv port add br0 dev:va1 || kv_setup_fail "port add br0 dev:va1"
	kv port add br0 dev:va2 || kv_setup_fail "port add br0 dev:va2"
	kv_tap_host br0 ts "$HS" "$MACS"
}

# kernel port state of IF in kbr, by name (sysfs numbers them as enum bridge_port_state)
kbr_state() {
	local s
	s=$(ip netns exec "$KB" cat "/sys/class/net/kbr/brif/$1/state" 2>/dev/null)
	case $s in
	0) echo disabled ;;
	1) echo listening ;;
	2) echo learning ;;
	3) echo forwarding ;;
	4) echo blocking ;;
	*) echo "unknown($s)" ;;
	esac
}

kbr_attr() {
	ip netns exec "$KB" cat "/sys/class/net/kbr/bridge/$1" 2>/dev/null
}

# kvnet's STP state of PORT (showstp --json)
kv_stp_state() {
	kv_q "next((p[\"state\"] for p in d[\"ports\"] if p[\"name\"] == \"$1\"), \"no port $1\")" \
		showstp br0
}

# the states of the kernel's ports IF..., in that order
kbr_states() {
	local i out=()
	for i in "$@"; do
		out+=("$(kbr_state "$i")")
	done
	echo "${out[*]}"
}

# kvnet's STP states of PORT..., in that order
kv_stp_states() {
	local p out=()
	for p in "$@"; do
		out+=("$(kv_stp_state "$p")")
	done
	echo "${out[*]}"
}

# the states of ka1 and ka2, sorted
kbr_link_states() {
	printf '%s\n' "$(kbr_state ka1)" "$(kbr_state ka2)" | sort | xargs
}

# "ka1 ka2 va1 va2 ts khost" states, in that order
link_states() {
	echo "$(kbr_state ka1) $(kbr_state ka2) $(kv_stp_state va1) $(kv_stp_state va2)" \
		"$(kv_stp_state ts) $(kbr_state khost)"
}

# converged: of the four ports of the two links one blocks and three forward, and both
# host ports forward
converged() {
	local s blocking=0 forwarding=0
	# shellcheck disable=SC2046
	set -- $(link_states)
	for s in "$1" "$2" "$3" "$4"; do
		[ "$s" = blocking ] && blocking=$((blocking + 1))
		[ "$s" = forwarding ] && forwarding=$((forwarding + 1))
	done
	if [ $blocking = 1 ] && [ $forwarding = 3 ] && [ "$5" = forwarding ] &&
		[ "$6" = forwarding ]; then
		echo yes
	else
		echo "no: ka1 ka2 va1 va2 ts khost: $*"
	fi
}

# root identifiers as both sides see them: "KERNEL_ROOT KVNET_ROOT"
roots() {
	echo "$(kbr_attr root_id) $(kv_q 'd["designated_root"]' showstp br0)"
}

wait_converged() {
	local t0=$SECONDS
	kv_poll_eq "$1: the loop converges (one blocking port, the rest forwarding)" yes converged ||
		return 1
	echo "INFO: $1: converged in about $((SECONDS - t0)) s"
}

converge_kernel_root() {
	local kr bid out
	wait_converged "kernel root"
	bid=$(kbr_attr bridge_id)
	kv_poll_eq "the kernel bridge (priority 4096) is its own root" "$bid" kbr_attr root_id
	kr=$(kbr_attr root_id)
	kv_poll_eq "kvnet's designated root is the kernel bridge" "$kr" \
		kv_q 'd["designated_root"]' showstp br0
	kv_poll_eq "kvnet is not the root" false kv_q 'd["root"]' showstp br0
	kv_poll_eq "the kernel's ports ka1 ka2 forward (root bridge: designated)" \
		"forwarding forwarding" kbr_states ka1 ka2
	kv_poll_eq "kvnet: one root and one alternate port" "alternate root" \
		kv_q '" ".join(sorted(p["role"] for p in d["ports"] if p["name"] in ("va1", "va2")))' \
		showstp br0
	kv_poll_eq "kvnet: the ports talk STP to the kernel" "stp stp" \
		kv_q '" ".join(p["version"] for p in d["ports"] if p["name"] in ("va1", "va2"))' \
		showstp br0
	out=$(kv showstp br0 2>&1)
	[[ $out == *"designated root"*"$kr"*"root port"*"va"[12]* ]] ||
		kv_fail "kvnet showstp: no designated root $kr and root port va1/va2 in: $out"
	[ -n "${KV_VERBOSE:-}" ] && echo "$out"
	log_test "kernel bridge priority 4096: it is the root, kvnet blocks one of the two links"
}

# a broadcast sent once from each host end arrives once at the other
broadcast_once() {
	local tag=b$RANDOM
	cap_start s count "$HS" ts --src $MACK --tag "$tag"
	cap_start k count "$HK" hk0 --src $MACS --tag "$tag"
	kv_send "$HK" hk0 --src $MACK --tag "$tag"
	kv_send "$HS" ts --src $MACS --tag "$tag"
	cap_check_count "broadcast from hk seen at hs" 1 s
	cap_check_count "broadcast from hs seen at hk" 1 k
	log_test "${1:-kernel root}: a broadcast sent once is seen once at the far side"
}

# kvnet's port with STP role ROLE (va1 or va2)
kv_stp_port_with_role() {
	kv_q "next((p[\"name\"] for p in d[\"ports\"] if p[\"role\"] == \"$1\"), \"none\")" showstp br0
}

# the core's state is the most restrictive of the admin state and STP's
admin_state_and_stp() {
	local alt rootp
	alt=$(kv_stp_port_with_role alternate)
	rootp=$(kv_stp_port_with_role root)
	kv_check_eq "port show: the alternate port $alt is blocking" blocking \
		"$(kv_port_field "$alt" state)"
	kv port set "$alt" state forwarding || kv_fail "port set $alt state forwarding"
	kv_check_eq "port set state forwarding does not open the STP-blocked $alt" blocking \
		"$(kv_port_field "$alt" state)"
	kv port set "$rootp" state blocking || kv_fail "port set $rootp state blocking"
	kv_check_eq "port set state blocking holds the root port $rootp back" blocking \
		"$(kv_port_field "$rootp" state)"
	kv_check_eq "showstp: STP still has $rootp forwarding" forwarding "$(kv_stp_state "$rootp")"
	kv port set "$rootp" state forwarding || kv_fail "port set $rootp state forwarding"
	kv_check_eq "port set state forwarding: $rootp forwards again" forwarding \
		"$(kv_port_field "$rootp" state)"
	log_test "admin state and STP: the more restrictive wins, neither opens what the other blocks"
}

stp_errors() {
	kv_check_run "max_age 40 with forward_delay 4" 1 '^$' \
		'forward_delay 4, max_age 40 and hello_time 1 do not fit' kv stp set br0 max_age 40
	kv_check_run "bridge priority 100" 1 '^$' 'priority 100 is not a multiple of 4096' \
		kv stp set br0 priority 100
	kv_check_run "bridge priority 65536" 2 '^$' 'priority' kv stp set br0 priority 65536
	kv_check_run "port priority 17" 1 '^$' "port 'va1': priority 17 is not a multiple of 16" \
		kv stp port va1 priority 17
	kv_check_run "force_version mstp" 2 '^$' 'force_version' kv stp set br0 force_version mstp
	kv_check_run "unknown bridge" 1 '^$' 'nosuch' kv stp set nosuch priority 4096
	kv_check_run "unknown port" 1 '^$' 'nosuch' kv stp port nosuch edge on
	kv_check_run "edge maybe" 2 '^$' "edge 'maybe' is not valid \(expected on, off or auto\)" \
		kv stp port va1 edge maybe
	kv_check_eq "nothing changed: va1's edge setting" auto \
		"$(kv_q 'next(p["edge"] for p in d["ports"] if p["name"] == "va1")' showstp br0)"
	kv_check_run "stp BRIDGE maybe" 2 '^$' 'on or off' kv stp br0 maybe
	kv_check_eq "nothing changed: priority" 32768 "$(kv_q 'd["priority"]' showstp br0)"
	kv_check_eq "nothing changed: max age" 6 "$(kv_q 'd["bridge_max_age"]' showstp br0)"
	log_test "stp set/port: out-of-range values are refused with the value named, nothing changed"
}

swap_root() {
	local bid
	kv stp set br0 priority 4096 || kv_fail "stp set br0 priority 4096"
	ip -n "$KB" link set kbr type bridge priority 32768 || kv_fail "kbr priority 32768"
	bid=$(kv_q 'd["bridge_id"]' showstp br0)
	kv_poll_eq "the kernel takes kvnet (priority 4096) as its root" "$bid" kbr_attr root_id
	wait_converged "kvnet root"
	# both name the same root: kvnet
	kv_poll_eq "kvnet is its own root" "$bid" kv_q 'd["designated_root"]' showstp br0
	kv_poll_eq "the kernel still names kvnet its root" "$bid" kbr_attr root_id
	kv_poll_eq "kvnet is the root" true kv_q 'd["root"]' showstp br0
	kv_poll_eq "kvnet's ports va1 va2 forward (root bridge: designated)" \
		"forwarding forwarding" kv_stp_states va1 va2
	kv_poll_eq "the kernel blocks one of ka1 ka2" "blocking forwarding" kbr_link_states
	log_test "priorities swapped: the root moves to kvnet, the kernel blocks a link, both agree"
}

broadcast_once_after_swap() {
	broadcast_once "kvnet root"
}

# frames received on va1 and va2 together
links_rx() {
	echo $(($(kv_stat br0 va1 rx_frames) + $(kv_stat br0 va2 rx_frames)))
}

# a burst into the loop: each frame arrives once, nothing circulates
no_storm() {
	local n=200 before after
	before=$(links_rx)
	cap_start s count "$HS" ts --src $MACK --tag storm
	kv_send "$HK" hk0 --src $MACK --tag storm --count $n
	cap_check_count "a burst of $n broadcasts from hk, seen at hs" $n s
	after=$(links_rx)
	# each broadcast crosses from the kernel once; the rest are BPDUs (a few a second)
	kv_check_ok "va1 and va2 received $((after - before)) frames for a burst of $n: at most $((n + 50))" \
		test $((after - before)) -le $((n + 50))
	log_test "no storm: a burst of $n broadcasts into the loop arrives $n times, not more"
}

# STP off on kvnet: BPDUs pass through br0 (flooded), so the kernel sees its own BPDUs come
# back on its other port and blocks one of the links itself
stp_off_is_transparent() {
	kv stp br0 off || kv_fail "stp br0 off"
	ip -n "$KB" link set kbr type bridge priority 4096 || kv_fail "kbr priority 4096"
	kv_check_eq "showstp: stp off" false "$(kv_q 'd["enabled"]' showstp br0)"
	kv_poll_eq "the kernel blocks one of ka1 ka2 (it hears its own BPDUs through kvnet)" \
		"blocking forwarding" kbr_link_states
	kv_check_eq "kvnet's ports forward (no STP)" "forwarding forwarding" \
		"$(kv_port_field va1 state) $(kv_port_field va2 state)"
	log_test "stp off: kvnet floods BPDUs, the kernel bridge breaks the loop on its own"
}

# <bridge stp delay> at net-start: libvirt's stp='on' delay='0' runs with forward delay 4, max age 6
network_xml_stp() {
	local f stp delay fd ma
	mkdir -p "$KV_TMP/xml"
	for f in on:0:4:6 on:10:10:18 off:0:-:-; do
		IFS=: read -r stp delay fd ma <<<"$f"
		cat >"$KV_TMP/xml/n60.xml" <<-XML
			<network>
			  <name>n60</name>
			  <bridge name='kvbr60' stp='$stp' delay='$delay'/>
			</network>
		XML
		if ! kv net-create "$KV_TMP/xml/n60.xml" >/dev/null; then
			kv_fail "net-create with stp='$stp' delay='$delay'"
			continue
		fi
		if [ "$stp" = on ]; then
			kv_check_eq "stp='on' delay='$delay': stp on, forward delay $fd, max age $ma" \
				"True $fd $ma" "$(kv_q '"%s %s %s" % (d["enabled"], d["bridge_forward_delay"],
					d["bridge_max_age"])' showstp kvbr60)"
		else
			kv_check_eq "stp='off': stp off" false "$(kv_q 'd["enabled"]' showstp kvbr60)"
		fi
		kv net-destroy n60 >/dev/null || kv_fail "net-destroy n60"
	done
	log_test "network XML <bridge stp delay>: delay 0 clamped to forward delay 4 (max age 6)"
}

kv_require
setup
tests_run
kv_exit
