#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 91_libvirt_guests.sh - real guests that a stock libvirtd starts, from unchanged libvirt
# domain XML (<interface type='network'><source network='lab' portgroup='web'/>), land on a
# kvnet network through kvnet-ovs-vsctl; hot-plug, destroy, undefine, a failed start, and
# restarts of libvirtd and kvnetd under them
#
#   ns lv: libvirtd (Debian's, in a private mount namespace: lib_libvirt.sh) with
#          LV_DIR/bin/ovs-vsctl -> kvnet-ovs-vsctl first on its PATH, KVNET_SOCKET set; and
#          kvnetd --libvirt network+unix:///system?socket=..., which mirrors lab into it, and
#          --libvirt-leases LV_DIR/dnsmasq-status (libvirtd's /var/lib/libvirt/dnsmasq), where
#          it keeps lab's leases for virsh net-dhcp-leases and domifaddr --source lease
#   lab:   kvnet network, bridge kvlab0, 10.13.0.1/24 with DHCP .100-.200 (kvnet's dnsmasq),
#          portgroups web (VLAN 20) and db (VLAN 30); autostart
#   dhcp1  no portgroup  52:54:00:91:00:04  DHCP; pings the gateway 10.13.0.1
#   db1    db            52:54:00:91:00:03  10.14.0.3/24, and 10.15.0.3/24 (for web1's eth1)
#   web2   web           52:54:00:91:00:02  10.14.0.2/24; pings web1, not db1
#   web1   web           52:54:00:91:00:01  10.14.0.1/24; pings web2, not db1; then watches
#          web2 (kvwatch) for ever, and waits for a hot-plugged eth1 (db, 52:54:00:91:01:01,
#          10.15.0.1/24) to ping db1 through it
#
# The guests are libvirt's domains (<domain type='qemu'>, TCG), booted two at a time; each is
# booted once and kept across the scenarios: dhcp1 until it is destroyed and undefined, web1,
# web2 and db1 through the restarts, to the end. What is checked is what a user sees: the
# guests' own results on their consoles, virsh, `kvnet domain-interfaces` / `port show` /
# `vlan show`, the port records in kvnetd's run dir (RUN_DIR/ports/TAP.json) and the links
# in the namespace, and how each ovs-vsctl libvirt ran ended (its debug log).

ALL_TESTS="guests_on_lab hotplug destroy_undefine failed_start libvirtd_restart
	restart_sigterm restart_kill9 libvirtd_restart_again guests_end"

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_libvirt.sh"

MAC_WEB1=52:54:00:91:00:01
MAC_WEB2=52:54:00:91:00:02
MAC_DB1=52:54:00:91:00:03
MAC_DHCP1=52:54:00:91:00:04
MAC_BAD=52:54:00:91:00:0b
MAC_NIC2=52:54:00:91:01:01
IP_WEB1=10.14.0.1
IP_WEB2=10.14.0.2
IP_DB1=10.14.0.3
IP_DB1_B=10.15.0.3
GW=10.13.0.1
declare -A UUID=() TAP=() PORT_UUID=()
# kvnetd's arguments, at each start: libvirtd's /var/lib/libvirt/dnsmasq (lib_libvirt.sh)
KVNETD_ARGS=()

setup() {
	kv_require
	lv_require
	kv_require_services
	kv_require_guest
	lv_setup
	# kvnetd_start's socket, known before kvnetd runs: libvirtd starts first
	lv_kvnet_ovs "$KV_TMP/run/kvnetd.sock"
	lv_start || kv_setup_fail "libvirtd did not start"
	KV_LIBVIRT=$LV_NET_URI
	KVNETD_ARGS=(--libvirt-leases "$LV_DIR/dnsmasq-status")
	kvnetd_start "$LV_NS" "${KVNETD_ARGS[@]}" || kv_setup_fail "kvnetd did not start"
	[ "$KV_SOCK" = "$KV_TMP/run/kvnetd.sock" ] ||
		kv_setup_fail "kvnetd's socket is $KV_SOCK, libvirtd was given $KV_TMP/run/kvnetd.sock"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/lab.xml" <<-XML
		<network>
		  <name>lab</name>
		  <bridge name='kvlab0'/>
		  <portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>
		  <portgroup name='db'><vlan><tag id='30'/></vlan></portgroup>
		  <ip address='$GW' prefix='24'>
		    <dhcp><range start='10.13.0.100' end='10.13.0.200'/></dhcp>
		  </ip>
		</network>
	XML
	kv_net_up "$KV_TMP/xml/lab.xml" lab
	# a kvnetd started again starts it again (as 74_guest_restart.sh)
	kv net-autostart lab >/dev/null || kv_setup_fail "net-autostart lab"
	cat >"$KV_TMP/xml/nic2.xml" <<-XML
		<interface type='network'>
		  <source network='lab' portgroup='db'/>
		  <mac address='$MAC_NIC2'/>
		  <model type='virtio'/>
		</interface>
	XML
}

# lv_leases - libvirt's leases of lab (virsh net-dhcp-leases), as "MAC IP", one a line
lv_leases() {
	# Expiry Time (date and time), MAC, Protocol, IP/prefix, Hostname, Client ID
	lv_virsh net-dhcp-leases lab | awk 'NF >= 5 { sub(/\/.*/, "", $5); print $3, $5 }' | sort
}

# lv_domifaddr DOMAIN - libvirt's addresses of DOMAIN from the leases (virsh domifaddr
# --source lease), as "MAC IP", one a line
lv_domifaddr() {
	# Name, MAC, Protocol, Address/prefix
	lv_virsh domifaddr "$1" --source lease | awk 'NF >= 4 { sub(/\/.*/, "", $4); print $2, $4 }' |
		sort
}

# iface PORTGROUP MAC - an unchanged libvirt <interface> on lab (no portgroup if PORTGROUP is "")
iface() {
	echo "<interface type='network'><source network='lab'${1:+ portgroup='$1'}/><mac address='$2'/><model type='virtio'/></interface>"
}

# start NAME - lv_guest_start NAME, and note its UUID and tap; a failure is recorded
start() {
	if ! lv_guest_start "$1"; then
		kv_fail "$1 did not start: $LV_ERR"
		return 1
	fi
	UUID[$1]=$(lv_virsh domuuid "$1")
	TAP[$1]=$(dom_taps "$1")
}

# dom_taps NAME [MAC] - the taps of domain NAME (of its NIC with MAC), as virsh domiflist says
dom_taps() {
	lv_virsh domiflist "$1" 2>/dev/null |
		awk -v m="${2:-}" 'NF >= 5 && (m == "" || $5 == m) { print $1 }' | xargs
}

# ready NAME... - wait for each guest's "ready" (or a failure recorded)
ready() {
	local g
	for g in "$@"; do
		kv_guest_expect "$g" "KVTEST-RESULT: ready" '"ready"'
	done
}

# ifaces NAME EXPR - EXPR (python, l the list) over kvnet's interfaces of domain NAME (by the
# UUID libvirt gave it: libvirt's ovs-vsctl names the domain by it)
ifaces() {
	kv_q "(lambda l: $2)(d[\"interfaces\"])" domain-interfaces "${UUID[$1]}"
}

# n_ifaces NAME - how many interfaces kvnet has for domain NAME
n_ifaces() {
	ifaces "$1" 'len(l)'
}

# iface_of NAME - "TAP MAC NETWORK BACKEND STATE" of domain NAME's one kvnet interface
iface_of() {
	ifaces "$1" '"%d interfaces" % len(l) if len(l) != 1 else
		" ".join(str(l[0][k]) for k in ("name", "mac", "network", "backend", "state"))'
}

# vm_ports - the ports of libvirt's taps (vnetN) in `kvnet port show`, sorted
vm_ports() {
	kv_q '" ".join(sorted(p["name"] for p in d["ports"] if p["name"].startswith("vnet")))' \
		port show
}

# records - the port records in kvnetd's run dir (RUN_DIR/ports/NAME.json), their NAMEs sorted
records() {
	local f out=()
	for f in "$KV_RUN"/ports/*.json; do
		[ -e "$f" ] || continue
		f=${f##*/}
		out+=("${f%.json}")
	done
	[ ${#out[@]} -gt 0 ] && printf '%s\n' "${out[@]}" | sort | xargs
	return 0
}

# ns_taps - libvirt's taps (vnetN) in its namespace, sorted
ns_taps() {
	ip -n "$LV_NS" -o link show 2>/dev/null |
		awk -F': ' '$2 ~ /^vnet/ { sub(/@.*/, "", $2); print $2 }' | sort | xargs
}

# sorted WORD... - the words sorted, on one line
sorted() {
	printf '%s\n' "$@" | sort | xargs
}

# running - the running domains' names, sorted
running() {
	lv_virsh list --name 2>/dev/null | sort | xargs
}

# now - the time in ms
now() {
	echo $(($(date +%s%N) / 1000000))
}

# took T0 WHAT - "INFO: WHAT: S.mmm s", the time since T0 (now)
took() {
	local ms=$(($(now) - $1))
	printf 'INFO: %s: %d.%03d s\n' "$2" $((ms / 1000)) $((ms % 1000))
}

# ovs_since FROM - lv_ovs_results since line FROM of libvirtd's log, on one line ("|" between)
ovs_since() {
	lv_ovs_results "$1" | paste -sd '|'
}

# ovs_wait FROM N - wait (KV_WAIT s) until libvirt ran N add-/del-ports since line FROM and
# none of them is still running
ovs_wait() {
	local i out
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		out=$(lv_ovs_results "$1")
		[ "$(grep -c . <<<"$out")" -ge "$2" ] && ! grep -q ' running$' <<<"$out" && return 0
		sleep 0.2
	done
	return 1
}

# watch_is STATE SECONDS - wait until web1's last report of web2 (kvwatch) says STATE
watch_is() {
	local end=$((SECONDS + $2))
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(kv_guest_watch web1 $IP_WEB2)" = "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

# watch_changes - how many changes web1's kvwatch of web2 reported so far
watch_changes() {
	kv_guest_result web1 watch | awk -v a=$IP_WEB2 '$1 == a { n = $3 } END { print n + 0 }'
}

# gone_everywhere WHAT NAME TAP - domain NAME's port on TAP is gone from kvnet, the namespace
# and the run dir (polled: libvirt unplugs after QEMU ended)
gone_everywhere() {
	kv_poll_eq "$1: kvnet has no interface of $2 on $3" 0 \
		ifaces "$2" "len([i for i in l if i[\"name\"] == \"$3\"])"
	kv_poll_eq "$1: no port $3 in port show" "no port $3" kv_port_field "$3" name
	kv_poll_eq "$1: no link $3 in libvirtd's namespace" gone \
		eval "ip -n $LV_NS link show $3 >/dev/null 2>&1 && echo there || echo gone"
	kv_check_eq "$1: no record $3 in kvnetd's run dir" no \
		"$([ -e "$KV_RUN/ports/$3.json" ] && echo yes || echo no)"
}

# ---------------------------------------------------------------- scenario 1

guests_on_lab() {
	local g ip
	kv_check_eq "virsh net-list: lab, active and persistent" "active yes" "$(lv_net_state lab)"
	kv_check_ok "libvirt's lab is kvnet's kvlab0, through openvswitch" \
		grep -qzE "<bridge name='kvlab0'/>.*<virtualport type='openvswitch'/>" \
		<<<"$(lv_virsh net-dumpxml lab)"
	lv_domain_xml dhcp1 "kvtest.ip=dhcp kvtest.cmd=$(kv_b64 "kvping $GW
result ready yes
sleep 900")" "$(iface "" $MAC_DHCP1)" >/dev/null
	lv_domain_xml db1 "kvtest.ip=$IP_DB1/24 kvtest.cmd=$(kv_b64 "ip addr add $IP_DB1_B/24 dev eth0
result ready yes
sleep 900")" "$(iface db $MAC_DB1)" >/dev/null
	lv_domain_xml web2 "kvtest.ip=$IP_WEB2/24 kvtest.cmd=$(kv_b64 "kvping $IP_WEB1
kvnoping $IP_DB1
result ready yes
sleep 900")" "$(iface web $MAC_WEB2)" >/dev/null
	# web1 then watches web2 for the restarts, and waits for eth1 (hot-plugged, on db)
	lv_domain_xml web1 "kvtest.ip=$IP_WEB1/24 kvtest.cmd=$(kv_b64 "kvping $IP_WEB2
kvnoping $IP_DB1
result ready yes
kvwatch $IP_WEB2 &
n=0
while [ ! -e /sys/class/net/eth1 ] && [ \$n -lt 4500 ]; do sleep 0.2; n=\$((n + 1)); done
ip link set eth1 up
ip addr add 10.15.0.1/24 dev eth1
result eth1 \$(cat /sys/class/net/eth1/address)
kvping $IP_DB1_B
sleep 900")" "$(iface web $MAC_WEB1)" >/dev/null

	# two boot at once
	start dhcp1 && start db1 && ready dhcp1 db1
	start web2 && start web1 && ready web2 web1
	for g in dhcp1 db1 web2 web1; do
		[ -n "${TAP[$g]}" ] || kv_fail "virsh domiflist $g shows no tap"
	done

	ip=$(kv_guest_result dhcp1 ip)
	kv_check_ok "dhcp1 leased in lab's range: '$ip'" grep -qE '^10\.13\.0\.(1[0-9][0-9]|200)/24$' <<<"$ip"
	kv_check_eq "dhcp1 pings the gateway" "$GW ok" "$(kv_guest_result dhcp1 ping)"
	kv_check_eq "kvnet's lease of dhcp1" "$MAC_DHCP1 ${ip%/*}/24 dhcp1" "$(kv_leases lab)"
	# kvnetd's tick writes libvirt's status file within about a second of dnsmasq's lease
	kv_poll_eq "virsh net-dhcp-leases lab (kvnetd's kvlab0.status)" "$MAC_DHCP1 ${ip%/*}" lv_leases
	kv_poll_eq "virsh domifaddr dhcp1 --source lease" "$MAC_DHCP1 ${ip%/*}" lv_domifaddr dhcp1
	kv_check_eq "web1 pings web2 (both web)" "$IP_WEB2 ok" "$(kv_guest_result web1 ping)"
	kv_check_eq "web2 pings web1" "$IP_WEB1 ok" "$(kv_guest_result web2 ping)"
	kv_check_eq "web1 does not reach db1 (db), in the same subnet" "$IP_DB1 ok" \
		"$(kv_guest_result web1 noping)"
	kv_check_eq "web2 does not reach db1" "$IP_DB1 ok" "$(kv_guest_result web2 noping)"
	kv_check_eq "nothing of web's reached db1's port ${TAP[db1]}" 0 \
		"$(kv_stat kvlab0 "${TAP[db1]}" tx_frames)"
	for g in dhcp1 db1 web2 web1; do
		kv_check_eq "$g's MAC in the guest" "$(eval echo "\$MAC_${g^^}")" "$(kv_guest_result $g mac)"
		kv_check_eq "kvnet: $g's one interface" \
			"${TAP[$g]} $(eval echo "\$MAC_${g^^}") lab dev forwarding" "$(iface_of $g)"
		kv_check_eq "$g's port record in the run dir" yes \
			"$([ -e "$KV_RUN/ports/${TAP[$g]}.json" ] && echo yes || echo no)"
		PORT_UUID[$g]=$(ifaces $g 'l[0]["uuid"] if l else "none"')
	done
	kv_check_eq "fdb: dhcp1's MAC on its port, VLAN 1" "${TAP[dhcp1]}" \
		"$(kv_fdb_port kvlab0 $MAC_DHCP1 1)"
	kv_check_eq "fdb: web1's and web2's on theirs, VLAN 20" "${TAP[web1]} ${TAP[web2]}" \
		"$(kv_fdb_port kvlab0 $MAC_WEB1 20) $(kv_fdb_port kvlab0 $MAC_WEB2 20)"
	kv_check_eq "fdb: neither in db's VLAN 30" "none none" \
		"$(kv_fdb_port kvlab0 $MAC_WEB1 30) $(kv_fdb_port kvlab0 $MAC_WEB2 30)"
	kv_check_eq "vlan show ${TAP[dhcp1]} (no portgroup: the network's)" "pvid 1: 1u" \
		"$(kv_vlans "${TAP[dhcp1]}")"
	kv_check_eq "vlan show ${TAP[web1]} (web)" "pvid 20: 20u" "$(kv_vlans "${TAP[web1]}")"
	kv_check_eq "vlan show ${TAP[web2]} (web)" "pvid 20: 20u" "$(kv_vlans "${TAP[web2]}")"
	kv_check_eq "vlan show ${TAP[db1]} (db)" "pvid 30: 30u" "$(kv_vlans "${TAP[db1]}")"
	kv_check_eq "the VM ports are libvirt's four taps" \
		"$(sorted "${TAP[dhcp1]}" "${TAP[db1]}" "${TAP[web2]}" "${TAP[web1]}")" "$(vm_ports)"
	log_test "libvirt's guests on lab: DHCP from kvnet, its lease in virsh, web reaches web, not db; their VLANs"
}

# ---------------------------------------------------------------- scenario 2

hotplug() {
	local tap mark t0
	mark=$(lv_log_lines)
	t0=$(now)
	kv_check_run "virsh attach-device web1 nic2.xml --live" 0 '' '' \
		lv_virsh attach-device web1 "$KV_TMP/xml/nic2.xml" --live
	tap=$(dom_taps web1 $MAC_NIC2)
	if [ -z "$tap" ]; then
		kv_fail "virsh domiflist web1 shows no NIC with $MAC_NIC2: $(lv_virsh domiflist web1)"
		log_test "attach-device: a second NIC's port on db's VLAN; detach-device: it goes"
		return
	fi
	kv_check_eq "kvnet: web1 has two interfaces" 2 "$(n_ifaces web1)"
	kv_check_eq "kvnet: the new one" "$MAC_NIC2 lab dev" \
		"$(ifaces web1 "\" \".join(str(i[k]) for i in l if i[\"name\"] == \"$tap\" for k in (\"mac\", \"network\", \"backend\"))")"
	kv_check_eq "vlan show $tap (db)" "pvid 30: 30u" "$(kv_vlans "$tap")"
	kv_poll_eq "port show $tap forwarding" forwarding kv_port_field "$tap" state
	kv_check_eq "its record in the run dir" yes \
		"$([ -e "$KV_RUN/ports/$tap.json" ] && echo yes || echo no)"
	kv_check_eq "web1's first port untouched" "${PORT_UUID[web1]}" \
		"$(ifaces web1 "\" \".join(i[\"uuid\"] for i in l if i[\"name\"] == \"${TAP[web1]}\")")"
	if kv_guest_wait web1 "KVTEST-RESULT: ping $IP_DB1_B" 60; then
		took "$t0" "attach-device to web1's ping through eth1"
		kv_check_eq "web1's eth1 has the NIC's MAC" $MAC_NIC2 "$(kv_guest_result web1 eth1)"
		kv_check_eq "web1 pings db1 through eth1 (db)" "$IP_DB1_B ok" \
			"$(kv_guest_result web1 ping | grep "^$IP_DB1_B ")"
		kv_check_eq "fdb: eth1's MAC on $tap, VLAN 30" "$tap" "$(kv_fdb_port kvlab0 $MAC_NIC2 30)"
	else
		kv_fail "web1 did not ping through eth1: $(kv_guest_tail web1)"
	fi

	t0=$(now)
	kv_check_run "virsh detach-device web1 nic2.xml --live" 0 '' '' \
		lv_virsh detach-device web1 "$KV_TMP/xml/nic2.xml" --live
	kv_poll_eq "virsh domiflist web1: one NIC again" "${TAP[web1]}" dom_taps web1
	gone_everywhere "detached" web1 "$tap"
	took "$t0" "detach-device to its port gone"
	kv_check_eq "fdb: eth1's MAC gone with it" none "$(kv_fdb_port kvlab0 $MAC_NIC2 30)"
	kv_poll_eq "kvnet: web1 has its first interface only" "${PORT_UUID[web1]}" \
		ifaces web1 '" ".join(i["uuid"] for i in l)'
	ovs_wait "$mark" 2 || kv_fail "libvirt's ovs-vsctl calls did not end: $(ovs_since "$mark")"
	kv_check_eq "libvirt's ovs-vsctl: add-port, then del-port, both true" \
		"add-port $tap 0|del-port $tap 0" "$(ovs_since "$mark")"
	log_test "attach-device: a second NIC's port on db's VLAN; detach-device: it goes"
}

# ---------------------------------------------------------------- scenario 3

destroy_undefine() {
	local tap=${TAP[dhcp1]} mark pid=${KV_GUEST_PID[dhcp1]} t0
	mark=$(lv_log_lines)
	t0=$(now)
	kv_check_ok "virsh destroy dhcp1" lv_guest_destroy dhcp1
	kv_check_eq "dhcp1's QEMU gone" gone "$(kv_pid_gone "$pid")"
	gone_everywhere "destroyed" dhcp1 "$tap"
	took "$t0" "virsh destroy to dhcp1's port gone"
	kv_check_eq "kvnet: no interface of dhcp1" 0 "$(n_ifaces dhcp1)"
	kv_check_eq "fdb: dhcp1's MAC gone" none "$(kv_fdb_port kvlab0 $MAC_DHCP1 1)"
	ovs_wait "$mark" 1 || kv_fail "libvirt's del-port did not end: $(ovs_since "$mark")"
	kv_check_eq "libvirt's ovs-vsctl: del-port, true" "del-port $tap 0" "$(ovs_since "$mark")"
	kv_check_run "virsh undefine dhcp1" 0 '' '' lv_virsh undefine dhcp1
	kv_check_eq "virsh list --all: no dhcp1" "" \
		"$(lv_virsh list --all --name | grep -x dhcp1)"
	kv_check_eq "kvnet: still nothing of dhcp1" 0 "$(n_ifaces dhcp1)"
	kv_check_eq "the others' ports stay" "$(sorted "${TAP[db1]}" "${TAP[web2]}" "${TAP[web1]}")" \
		"$(vm_ports)"
	kv_check_eq "and only their records" "$(vm_ports)" "$(records)"
	kv_check_eq "and only their taps" "$(vm_ports)" "$(ns_taps)"
	log_test "virsh destroy, undefine: no port, tap or record of the domain is left"
}

failed_start() {
	local before_ports before_records before_taps mark out rc
	before_ports=$(vm_ports)
	before_records=$(records)
	before_taps=$(ns_taps)
	LV_GUEST_KERNEL=$KV_TMP/no-such-vmlinuz lv_domain_xml bad "kvtest.ip=dhcp" \
		"$(iface web $MAC_BAD)" >/dev/null
	lv_virsh define "$KV_TMP/xml/dom-bad.xml" >/dev/null || kv_fail "virsh define bad"
	UUID[bad]=$(lv_virsh domuuid bad)
	mark=$(lv_log_lines)
	out=$(lv_virsh start bad 2>&1)
	rc=$?
	kv_check_eq "virsh start bad (no such kernel) fails" 1 "$rc"
	kv_check_ok "because of the kernel, not the port: $out" grep -q "no-such-vmlinuz" <<<"$out"
	kv_check_eq "bad is not running" "shut off" "$(lv_virsh domstate bad 2>&1)"
	ovs_wait "$mark" 2 || kv_fail "libvirt's ovs-vsctl calls did not end: $(ovs_since "$mark")"
	# libvirt plugged its tap before QEMU failed, then unplugged it
	kv_check_ok "libvirt's ovs-vsctl: add-port, then del-port of one tap, both true: $(ovs_since "$mark")" \
		grep -qxE "add-port (vnet[0-9]+) 0\|del-port \1 0" <<<"$(ovs_since "$mark")"
	kv_check_eq "kvnet: no interface of bad" 0 "$(n_ifaces bad)"
	kv_check_eq "the VM ports as they were" "$before_ports" "$(vm_ports)"
	kv_check_eq "the records as they were" "$before_records" "$(records)"
	kv_check_eq "the taps as they were" "$before_taps" "$(ns_taps)"
	kv_check_run "virsh undefine bad" 0 '' '' lv_virsh undefine bad
	log_test "a failed start (no such kernel) leaves no port, tap or record"
}

# ---------------------------------------------------------------- scenario 4

# same_as_before WHAT - web1, web2 and db1 run on as they were, in libvirt and in kvnet: the
# same QEMUs (booted once), each domain's one port the same one (its UUID), on its tap and
# VLAN, its record, nothing more
same_as_before() {
	local g pid
	kv_check_eq "$1: libvirt runs web1, web2, db1" "db1 web1 web2" "$(running)"
	for g in web1 web2 db1; do
		pid=$(lv_exec cat "/run/libvirt/qemu/$g.pid" 2>/dev/null)
		kv_check_eq "$1: $g's QEMU the same process" "${KV_GUEST_PID[$g]}" "$pid"
		kv_check_eq "$1: $g booted once" 1 "$(kv_guest_result $g t-eth0 | wc -l)"
		kv_check_eq "$1: $g has one port, the same" "1 ${PORT_UUID[$g]} ${TAP[$g]}" \
			"$(ifaces $g '" ".join([str(len(l))] + [i[k] for i in l for k in ("uuid", "name")])')"
	done
	kv_check_eq "$1: web1's VLAN" "pvid 20: 20u" "$(kv_vlans "${TAP[web1]}")"
	kv_check_eq "$1: web2's VLAN" "pvid 20: 20u" "$(kv_vlans "${TAP[web2]}")"
	kv_check_eq "$1: db1's VLAN" "pvid 30: 30u" "$(kv_vlans "${TAP[db1]}")"
	kv_check_eq "$1: the VM ports, none duplicated" \
		"$(sorted "${TAP[db1]}" "${TAP[web2]}" "${TAP[web1]}")" "$(vm_ports)"
	kv_check_eq "$1: their records" "$(vm_ports)" "$(records)"
	kv_check_eq "$1: their taps" "$(vm_ports)" "$(ns_taps)"
	kv_check_eq "$1: lab in libvirt" "active yes" "$(lv_net_state lab)"
}

# restart_libvirtd WHAT - libvirtd restarted under web1, web2 and db1: it runs add-port again
# for each; kvnet must take each as the port it has, and the traffic never stop
restart_libvirtd() {
	local mark n0 out t0
	watch_is up 30 || kv_fail "web1 does not see web2 before: $(kv_guest_tail web1)"
	n0=$(watch_changes)
	mark=$(lv_log_lines)
	t0=$(now)
	lv_restart || kv_fail "libvirtd did not start again"
	if ovs_wait "$mark" 3; then
		took "$t0" "$1: libvirtd stopped to its three re-plugs done"
		out=$(lv_ovs_results "$mark" | sort | paste -sd '|')
		kv_check_eq "libvirt's add-port again for each running NIC, all true" \
			"$(printf 'add-port %s 0\n' "${TAP[db1]}" "${TAP[web1]}" "${TAP[web2]}" |
				sort | paste -sd '|')" "$out"
	else
		kv_fail "libvirtd did not re-plug its three NICs: $(ovs_since "$mark")"
	fi
	same_as_before "$1"
	watch_is up 10 || kv_fail "web1 does not see web2 after the restart: $(kv_guest_tail web1)"
	[ "$(watch_changes)" = "$n0" ] ||
		echo "INFO: $1: web1's watch of web2 changed $(($(watch_changes) - n0)) times"
	log_test "$1: re-plugged as they were, nothing duplicated, traffic on"
}

libvirtd_restart() {
	restart_libvirtd "libvirtd restarted"
}

# restart_kvnetd HOW - kvnetd stopped (sigterm or kill9) under web1, web2 and db1; once web1 has
# lost web2, started again on the same run and state dirs: web1 must see web2 again, with
# the same ports (from their records), nothing duplicated
restart_kvnetd() {
	local t0 what="kvnetd $1, started again"
	if ! watch_is up 30; then
		kv_fail "web1 does not see web2 before the restart: $(kv_guest_tail web1)"
		log_test "$what: traffic resumes, the same ports, nothing duplicated"
		return
	fi
	t0=$(now)
	if [ "$1" = SIGTERM ]; then
		kvnetd_stop || kv_fail "kvnetd did not exit within $KV_WAIT s of SIGTERM"
		kv_check_eq "kvnetd's exit status on SIGTERM" 0 "$KVNETD_RC"
	else
		kvnetd_kill9
	fi
	if ! watch_is down 20; then
		kv_fail "web1 still sees web2 with kvnetd gone: $(kv_guest_tail web1)"
	fi
	if ! kvnetd_start "$LV_NS" "${KVNETD_ARGS[@]}"; then
		kv_fail "kvnetd did not start again"
		log_test "$what: traffic resumes, the same ports, nothing duplicated"
		return
	fi
	if watch_is up 60; then
		took "$t0" "$1: kvnetd stopped to web1 seeing web2 again"
	else
		kv_fail "web1 does not see web2 again within 60 s: $(kv_guest_tail web1)"
	fi
	kv_poll_eq "web2's port forwarding" forwarding kv_port_field "${TAP[web2]}" state
	same_as_before "$what"
	log_test "$what: traffic resumes, the same ports, nothing duplicated"
}

restart_sigterm() {
	restart_kvnetd SIGTERM
}

restart_kill9() {
	restart_kvnetd "kill -9"
}

libvirtd_restart_again() {
	restart_libvirtd "libvirtd restarted after kvnetd's restarts"
}

# ---------------------------------------------------------------- the end

guests_end() {
	local g mark
	mark=$(lv_log_lines)
	for g in web1 web2 db1; do
		kv_check_ok "virsh destroy $g" lv_guest_destroy $g
	done
	for g in web1 web2 db1; do
		gone_everywhere "destroyed" $g "${TAP[$g]}"
		kv_check_eq "kvnet: no interface of $g" 0 "$(n_ifaces $g)"
	done
	ovs_wait "$mark" 3 || kv_fail "libvirt's del-ports did not end: $(ovs_since "$mark")"
	kv_check_eq "libvirt's del-port for each, all true" \
		"$(printf 'del-port %s 0\n' "${TAP[db1]}" "${TAP[web1]}" "${TAP[web2]}" |
			sort | paste -sd '|')" "$(lv_ovs_results "$mark" | sort | paste -sd '|')"
	for g in web1 web2 db1; do
		lv_virsh undefine $g >/dev/null || kv_fail "virsh undefine $g"
	done
	kv_check_eq "libvirt has no domain left" "" "$(lv_virsh list --all --name | xargs)"
	kv_check_eq "no VM port left" "" "$(vm_ports)"
	kv_check_eq "no record left" "" "$(records)"
	kv_check_eq "no tap left" "" "$(ns_taps)"
	kv_check_eq "fdb: no entry on a VM port left" "" \
		"$(kv_q '" ".join(sorted(set(e["port"] for e in d["entries"] if e["port"] != "kvlab0")))' \
			fdb show kvlab0)"
	kv_check_eq "every ovs-vsctl libvirt ran (add-port, del-port, find, set) exited 0" "" \
		"$(lv_ovs_failures)"
	if lv_ovs_san >/dev/null; then
		kv_fail "sanitizer report of kvnet-ovs-vsctl: $(lv_ovs_san | head -n 20)"
	fi
	log_test "all destroyed and undefined: nothing left; every ovs-vsctl true, no sanitizer report"
}

setup
tests_run
[ "$EXIT_STATUS" -ne 0 ] && lv_print_log
kv_exit
