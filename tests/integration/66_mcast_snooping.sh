#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 66_mcast_snooping.sh - IGMP/MLD snooping: multicast goes to the group's listeners only
#
#   h1 [p1 02:00:00:66:00:01 192.0.2.1 2001:db8:66::1]  sender  ---\
#   h2 [p2 02:00:00:66:00:02 192.0.2.2 2001:db8:66::2]  listener ---- kvnetd (ns sw), br0
#   h3 [p3 02:00:00:66:00:03 192.0.2.3 2001:db8:66::3]  not      ---/  with its querier on
#
# Listeners join through the kernel's stack (a socket's IP_ADD_MEMBERSHIP / IPV6_JOIN_GROUP:
# the kernel sends the IGMPv3 / MLDv2 report, and the leave when the socket closes).

ALL_TESTS="snooping_off_floods no_querier_floods igmp_join igmp_leave mld_join_leave
	mdb_show_and_stats mrouter_port network_querier vm_port_no_router bad_input group_limit
	persist"

source "$(dirname "$0")/lib.sh"

MAC1=02:00:00:66:00:01
G4=239.1.2.3
G4MAC=01:00:5e:01:02:03
G6=ff05::6666
G6MAC=33:33:00:00:66:66
MCAST_PY="$(dirname "$0")/mcast.py"
declare -A JOIN_PID

setup() {
	local i
	SW=$(kv_ns sw)
	H1=$(kv_ns h1)
	H2=$(kv_ns h2)
	H3=$(kv_ns h3)
	kv_ns_add "$SW" "$H1" "$H2" "$H3"
	for i in 1 2 3; do
		local h=H$i
		# no duplicate address detection: the MLD report goes out at once
		ip netns exec "${!h}" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.disable_ipv6=0 || kv_setup_fail "sysctl in ${!h}"
	done
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	for i in 1 2 3; do
		local h=H$i
		kv_tap_host br0 p$i "${!h}" 02:00:00:66:00:0$i 192.0.2.$i/24
		ip -n "${!h}" -6 addr add 2001:db8:66::$i/64 dev p$i nodad ||
			kv_setup_fail "IPv6 address on p$i"
	done
}

# mc_join NAME NS IFACE GROUP - a listener to GROUP, until mc_leave NAME
mc_join() {
	kv_tmp
	rm -f "$KV_TMP/join-$1.ready"
	ip netns exec "$2" "$KV_PY" "$MCAST_PY" join "$4" "$3" "$KV_TMP/join-$1.ready" 600 &
	JOIN_PID[$1]=$!
	KV_PIDS+=("$!")
	kv_wait_file "$KV_TMP/join-$1.ready" "${JOIN_PID[$1]}" || kv_fail "listener $1 did not join"
}

mc_leave() {
	local pid=${JOIN_PID[$1]}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	unset "JOIN_PID[$1]"
}

mc_send() {
	local out
	out=$(ip netns exec "$H1" "$KV_PY" "$MCAST_PY" send "$1" p1 "$2" 2>&1) ||
		kv_fail "sending to $1: $out"
}

# mdb_ports GROUP [BRIDGE] - the ports listening to GROUP on BRIDGE (br0), sorted, or "none"
mdb_ports() {
	kv_q "\" \".join(sorted(e[\"port\"] for e in d[\"entries\"] if e[\"group\"] == \"$1\")) or \"none\"" \
		mdb show "${2:-br0}"
}

# deliver GROUP DSTMAC TYPE WANT2 WANT3 WHAT - send 5 datagrams from h1: h2 and h3 see each?
deliver() {
	cap_start c2 count "$H2" p2 --src $MAC1 --dst "$2" --ethertype "$3"
	cap_start c3 count "$H3" p3 --src $MAC1 --dst "$2" --ethertype "$3"
	mc_send "$1" 5
	cap_check_count "$6: at h2" "$4" c2
	cap_check_count "$6: at h3" "$5" c3
}

snooping_off_floods() {
	kv_check_ok "bridge set br0 mcast_snooping off mcast_querier on" \
		kv bridge set br0 mcast_snooping off mcast_querier on
	kv_check_eq "bridge show: mcast_snooping" false \
		"$(kv_q 'd["bridges"][0]["mcast_snooping"]' bridge show br0)"
	mc_join l2 "$H2" p2 $G4
	deliver $G4 $G4MAC 0x0800 5 5 "snooping off, to $G4"
	kv_check_eq "mdb show: nothing learned with snooping off" none "$(mdb_ports $G4)"
	mc_leave l2
	log_test "snooping off: multicast floods to every port, listener or not"
}

no_querier_floods() {
	kv_check_ok "bridge set br0 mcast_snooping on mcast_querier off" \
		kv bridge set br0 mcast_snooping on mcast_querier off
	mc_join l2 "$H2" p2 $G4
	kv_poll_eq "mdb show: p2 listens to $G4" p2 mdb_ports $G4
	# no querier: memberships would not be kept fresh, so everything floods (the kernel's rule)
	deliver $G4 $G4MAC 0x0800 5 5 "no querier, to $G4"
	mc_leave l2
	log_test "snooping without a querier learns groups but floods, as the kernel bridge"
}

igmp_join() {
	local brmac
	brmac=$(ip -n "$SW" -br link show br0 | awk '{print $3}')
	# the querier's first IGMP and MLD general queries go out at once, from the host netdev
	cap_start q4 expect "$H3" p3 --src "$brmac" --dst 01:00:5e:00:00:01 --ethertype 0x0800
	cap_start q6 expect "$H3" p3 --src "$brmac" --dst 33:33:00:00:00:01 --ethertype 0x86dd
	kv_check_ok "bridge set br0 mcast_querier on" kv bridge set br0 mcast_querier on
	cap_check_seen "the querier's IGMP query at h3" q4
	cap_check_seen "the querier's MLD query at h3" q6
	kv_check_eq "bridge show: mcast_querier" true \
		"$(kv_q 'd["bridges"][0]["mcast_querier"]' bridge show br0)"
	mc_join l2 "$H2" p2 $G4
	kv_poll_eq "mdb show: p2 listens to $G4" p2 mdb_ports $G4
	deliver $G4 $G4MAC 0x0800 5 0 "to $G4 with p2 listening"
	# another group nobody joined: no listener, no router port, nobody gets it
	deliver 239.1.2.4 01:00:5e:01:02:04 0x0800 0 0 "to 239.1.2.4, no listener"
	# link-local groups always flood
	deliver 224.0.0.251 01:00:5e:00:00:fb 0x0800 5 5 "to 224.0.0.251 (link-local)"
	log_test "IGMP: a group's multicast goes to its listener only"
}

igmp_leave() {
	mc_leave l2
	kv_poll_eq "mdb show: $G4 gone after p2's leave" none mdb_ports $G4
	deliver $G4 $G4MAC 0x0800 0 0 "to $G4 after the leave"
	log_test "IGMP: a leave ends the membership"
}

mld_join_leave() {
	mc_join l6 "$H3" p3 $G6
	kv_poll_eq "mdb show: p3 listens to $G6" p3 mdb_ports $G6
	deliver $G6 $G6MAC 0x86dd 0 5 "to $G6 with p3 listening"
	mc_leave l6
	kv_poll_eq "mdb show: $G6 gone after p3's done" none mdb_ports $G6
	deliver $G6 $G6MAC 0x86dd 0 0 "to $G6 after the done"
	log_test "MLD: a group's multicast goes to its listener only, until it leaves"
}

mdb_show_and_stats() {
	mc_join l2 "$H2" p2 $G4
	kv_poll_eq "mdb show: p2 listens to $G4" p2 mdb_ports $G4
	kv_check_run "mdb show (table)" 0 "br0 +p2 +1 +$G4 +[0-9]+\.[0-9]" "^$" kv mdb show br0
	kv_check_eq "mdb show: the timer is the membership interval" ok \
		"$(kv_q '"ok" if 200 < [e for e in d["entries"] if e["port"] == "p2"][0]["timer"] <= 260 else d' mdb show br0)"
	kv_poll_ge "stats show: br0 mdb reports" 1 kv_q 'd["bridges"][0]["mdb"]["reports"]' stats show br0
	kv_poll_ge "stats show: br0 mdb queries_sent" 1 kv_q 'd["bridges"][0]["mdb"]["queries_sent"]' stats show br0
	kv_check_run "stats show prints the mdb counters" 0 "mdb reports" "" kv stats show br0
	kv_check_run "mdb show of a bridge that does not exist" 1 "" "bridge 'nobr'" kv mdb show nobr
	mc_leave l2
	log_test "mdb show lists the listener with its timer; stats show counts snooping"
}

mrouter_port() {
	kv_check_ok "port set p3 mcast_router on" kv port set p3 mcast_router on
	kv_check_eq "port show: p3 mcast_router" on "$(kv_port_field p3 mcast_router)"
	# a group nobody listens to goes to the router port
	deliver 239.1.2.4 01:00:5e:01:02:04 0x0800 0 5 "to 239.1.2.4 with p3 a router port"
	kv_check_ok "port set p3 mcast_router off" kv port set p3 mcast_router off
	deliver 239.1.2.4 01:00:5e:01:02:04 0x0800 0 0 "to 239.1.2.4, p3 no router port"
	log_test "mcast_router on: a port gets every group's multicast"
}

# routers - the router ports of every bridge, "PORT:MODE" sorted, or "none"
routers() {
	kv_q '" ".join(sorted("%s:%s" % (r["port"], r["mode"]) for r in d["routers"])) or "none"' mdb show
}

# a network's bridge is its querier: with nothing set, a group reaches its listeners only
network_querier() {
	local i ns vq=() out
	for i in 1 2 3; do
		ns=$(kv_ns vq$i)
		kv_ns_add "$ns"
		vq+=("$ns")
	done
	kv_tmp
	printf "<network><name>mq66</name><bridge name='kvq66'/></network>\n" >"$KV_TMP/mq66.xml"
	kv_net_up "$KV_TMP/mq66.xml" mq66
	kv_check_eq "bridge show kvq66: mcast_querier on by default" true \
		"$(kv_q 'd["bridges"][0]["mcast_querier"]' bridge show kvq66)"
	for i in 1 2 3; do
		kv_vm_attach vq$i mq66 52:54:00:66:01:0$i "${vq[i - 1]}" w$i
		ip -n "${vq[i - 1]}" addr add 192.0.2.2$i/24 dev w$i
	done
	mc_join q2 "${vq[1]}" w2 $G4
	kv_poll_eq "mdb show kvq66: w2 listens to $G4" w2 mdb_ports $G4 kvq66
	cap_start n2 count "${vq[1]}" w2 --src 52:54:00:66:01:01 --dst $G4MAC --ethertype 0x0800
	cap_start n3 count "${vq[2]}" w3 --src 52:54:00:66:01:01 --dst $G4MAC --ethertype 0x0800
	out=$(ip netns exec "${vq[0]}" "$KV_PY" "$MCAST_PY" send $G4 w1 5 2>&1) ||
		kv_fail "sending to $G4 from vq1: $out"
	cap_check_count "a network's group: at its listener" 5 n2
	cap_check_count "a network's group: at the other guest" 0 n3
	kv_poll_ge "stats show: kvq66's querier has sent" 1 \
		kv_q 'd["bridges"][0]["mdb"]["queries_sent"]' stats show kvq66
	mc_leave q2
	kv net-destroy mq66 >/dev/null 2>&1
	kv net-undefine mq66 >/dev/null 2>&1
	log_test "a network's bridge is a querier: its groups go to their listeners only"
}

vm_port_no_router() {
	local out
	VM1=$(kv_ns vm1)
	kv_ns_add "$VM1"
	kv_tmp
	# an isolated network with no address: no dnsmasq, only its switch
	printf "<network><name>mc66</name><bridge name='kvb66'/></network>\n" >"$KV_TMP/mc66.xml"
	kv_net_up "$KV_TMP/mc66.xml" mc66
	kv_vm_attach vm1 mc66 52:54:00:66:00:01 "$VM1" v1
	ip -n "$VM1" addr add 192.0.2.11/24 dev v1
	kv_check_eq "VM port v1: mcast_router off" off "$(kv_port_field v1 mcast_router)"
	kv_check_eq "a port add'ed by hand: mcast_router auto" auto "$(kv_port_field p1 mcast_router)"
	kv_check_eq "VM port v1: mcast_max_groups 256" 256 "$(kv_port_field v1 mcast_max_groups)"
	kv_check_eq "a port add'ed by hand: mcast_max_groups 0" 0 "$(kv_port_field p1 mcast_max_groups)"
	out=$(ip netns exec "$VM1" "$KV_PY" "$MCAST_PY" query v1 2>&1) || kv_fail "query from vm1: $out"
	kv_poll_ge "stats show: kvb66 heard the guest's query" 1 \
		kv_q 'd["bridges"][0]["mdb"]["queries"]' stats show kvb66
	kv_check_eq "router ports after the guest's query" none "$(routers)"
	# the same query, the admin's word that the port may be a router port: it is one
	kv_check_ok "port set v1 mcast_router auto" kv port set v1 mcast_router auto
	out=$(ip netns exec "$VM1" "$KV_PY" "$MCAST_PY" query v1 2>&1) || kv_fail "query from vm1: $out"
	kv_poll_eq "router ports after the query with mcast_router auto" v1:auto routers
	kv net-destroy mc66 >/dev/null 2>&1
	kv net-undefine mc66 >/dev/null 2>&1
	log_test "a VM port's query does not make it a multicast router port (mcast_router off)"
}

bad_input() {
	kv_check_run "port set mcast_router bad" 2 "" "mcast_router .sometimes.*off, auto or on" \
		kv port set p3 mcast_router sometimes
	kv_check_run "bridge set mcast_snooping bad" 2 "" "mcast_snooping .maybe.*on or off" \
		kv bridge set br0 mcast_snooping maybe
	kv_check_run "port set mcast_max_groups past the table" 2 "" "mcast_max_groups" \
		kv port set p3 mcast_max_groups 70000
	kv_check_eq "p3's mcast_max_groups unchanged" 0 "$(kv_port_field p3 mcast_max_groups)"
	log_test "bad snooping settings are refused, naming what is expected"
}

# groups_of PORT PREFIX - how many groups starting with PREFIX port PORT listens to on br0
groups_of() {
	kv_q "len([e for e in d[\"entries\"] if e[\"port\"] == \"$1\" and e[\"group\"].startswith(\"$2\")])" \
		mdb show br0
}

# one VM joining thousands of groups must not starve the others: p3 may have 4 more than it
# has (its host's own IPv6 groups), joins 6 in one IGMPv3 report, gets 4; p2 still joins
group_limit() {
	local base out recs
	kv_check_ok "bridge set br0 mcast_querier on" kv bridge set br0 mcast_querier on
	base=$(kv_port_field p3 mcast_n_groups)
	kv_check_ok "port set p3 mcast_max_groups $((base + 4))" \
		kv port set p3 mcast_max_groups $((base + 4))
	kv_check_eq "port show: p3 mcast_max_groups" $((base + 4)) "$(kv_port_field p3 mcast_max_groups)"
	recs="[IGMPv3gr(rtype=2, maddr='239.9.0.%d' % i) for i in range(1, 7)]"
	out=$(ip netns exec "$H3" "$KV_PY" -c "
import logging; logging.getLogger('scapy').setLevel(logging.ERROR)
from scapy.all import *
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mr, IGMPv3gr
sendp(Ether(src='02:00:00:66:00:03', dst='01:00:5e:00:00:16')/IP(src='192.0.2.3', dst='224.0.0.22', ttl=1, options=[IPOption_Router_Alert()])/IGMPv3(type=0x22)/IGMPv3mr(records=$recs), iface='p3', verbose=0)" 2>&1) ||
		kv_fail "the IGMPv3 report of 6 groups from h3: $out"
	kv_poll_eq "stats show: p3 mcast_group_limit after 6 joins over a room of 4" 2 \
		kv_stat br0 p3 mcast_group_limit
	kv_check_eq "mdb show: p3 got the first 4 of the 6 groups" 4 "$(groups_of p3 239.9.0.)"
	kv_check_eq "port show: p3 mcast_n_groups" $((base + 4)) "$(kv_port_field p3 mcast_n_groups)"
	kv_check_eq "stats show: br0 mdb limited" 2 "$(kv_q 'd["bridges"][0]["mdb"]["limited"]' stats show br0)"
	kv_check_run "stats show prints mcast_group_limit" 0 "mcast_group_limit +2" "" \
		kv stats show br0 port p3
	# told on the datapath's next 1 s tick, after the counter
	kv_poll_eq "kvnetd logged the refusal once" 1 \
		grep -c "port p3: 2 IGMP/MLD joins refused.*mcast_max_groups" "$KV_LOG"
	deliver 239.9.0.1 01:00:5e:09:00:01 0x0800 0 5 "to 239.9.0.1, joined within the limit"
	deliver 239.9.0.6 01:00:5e:09:00:06 0x0800 0 0 "to 239.9.0.6, refused by the limit"
	# another port's listener still joins and receives its group
	mc_join l2 "$H2" p2 $G4
	kv_poll_eq "mdb show: p2 listens to $G4" p2 mdb_ports $G4
	deliver $G4 $G4MAC 0x0800 5 0 "to $G4 with p2 listening, p3 at its limit"
	mc_leave l2
	log_test "mcast_max_groups: a port joining past its limit gets only that many; others join"
}

persist() {
	kv_check_ok "port set p1 mcast_max_groups 7" kv port set p1 mcast_max_groups 7
	kv_check_ok "bridge set br0 mcast_querier on" kv bridge set br0 mcast_querier on
	kv_check_ok "port set p3 mcast_router on" kv port set p3 mcast_router on
	kv_check_ok "port set p2 mcast_router off" kv port set p2 mcast_router off
	kvnetd_kill9
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again after kill -9"
		log_test "snooping settings survive a restart"
		return
	fi
	kv_check_eq "bridge show after restart: mcast_snooping, mcast_querier" "true true" \
		"$(kv_q '"%s %s" % (str(d["bridges"][0]["mcast_snooping"]).lower(), str(d["bridges"][0]["mcast_querier"]).lower())' bridge show br0)"
	kv_check_eq "port show after restart: mcast_router of p1 p2 p3" "auto off on" \
		"$(kv_q '" ".join(p["mcast_router"] for p in sorted(d["ports"], key=lambda p: p["name"]) if p["name"] != "br0")' port show br0)"
	kv_check_eq "port show after restart: p1 mcast_max_groups" 7 "$(kv_port_field p1 mcast_max_groups)"
	kv_check_ok "bridge set br0 mcast_snooping off" kv bridge set br0 mcast_snooping off
	kvnetd_kill9
	kvnetd_start "$SW" || kv_fail "kvnetd does not start again after kill -9"
	kv_check_eq "bridge show after restart: mcast_snooping" false \
		"$(kv_q 'd["bridges"][0]["mcast_snooping"]' bridge show br0)"
	log_test "snooping settings survive a restart (kill -9)"
}

kv_require
setup
tests_run
kv_exit
