#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 90_libvirt_networks.sh - kvnet's networks mirrored into a real libvirtd, and every kvnet
# bridge's host netdev
#
#   ns lv: libvirtd (stock, Debian's, in a private mount namespace: lib_libvirt.sh) and
#          kvnetd --libvirt network+unix:///system?socket=LV_DIR/sock/libvirt-sock
#   lab:   kvnet network, bridge kvlab0, no <ip>, MAC and MTU 1400 given, portgroups
#          web (VLAN 20, default), db (VLAN 30), trunk (20, 30 native untagged)
# Checked with virsh on the libvirtd side: what kvnet defines, starts, updates, destroys
# and undefines shows up there; a libvirt network kvnet did not make is refused and left
# alone; kvnetd started before libvirtd catches up; libvirtd restarted stays in step;
# kvnetd with --libvirt off, or a URI to nothing, runs as without libvirt; a libvirtd that
# stops answering (SIGSTOP), or a socket that accepts and never answers, stalls only the
# mirror: kvnetd answers its clients, says why in net-info, catches up, and exits when asked.

ALL_TESTS="host_netdev mirror_life_cycle transient_and_undefine clash paused_domain
	libvirtd_first libvirtd_restart libvirtd_hung off_and_nothing fresh_default"

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_libvirt.sh"

LAB_MAC=52:54:00:90:00:01

setup() {
	lv_setup
	lv_start || kv_setup_fail "libvirtd did not start"
	KV_LIBVIRT=$LV_NET_URI
	kvnetd_start "$LV_NS" || kv_setup_fail "kvnetd did not start"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/lab.xml" <<-XML
		<network>
		  <name>lab</name>
		  <bridge name='kvlab0'/>
		  <mac address='$LAB_MAC'/>
		  <mtu size='1400'/>
		  <portgroup name='web' default='yes'><vlan><tag id='20'/></vlan></portgroup>
		  <portgroup name='db'><vlan><tag id='30'/></vlan></portgroup>
		  <portgroup name='trunk'>
		    <vlan trunk='yes'><tag id='20'/><tag id='30' nativeMode='untagged'/></vlan>
		  </portgroup>
		  <portgroup name='slow'><bandwidth><outbound average='125'/></bandwidth></portgroup>
		</network>
	XML
	# the same, defined again while it runs: db moves to VLAN 31
	sed "s/<tag id='30'\/><\/vlan><\/portgroup>/<tag id='31'\/><\/vlan><\/portgroup>/" \
		"$KV_TMP/xml/lab.xml" >"$KV_TMP/xml/lab31.xml"
	cat >"$KV_TMP/xml/tlab.xml" <<-XML
		<network><name>tlab</name><bridge name='kvtlab0'/></network>
	XML
	cat >"$KV_TMP/xml/theirs.xml" <<-XML
		<network><name>theirs</name><forward mode='bridge'/><bridge name='br-theirs'/></network>
	XML
	cat >"$KV_TMP/xml/theirs-kv.xml" <<-XML
		<network><name>theirs</name><bridge name='kvth0'/></network>
	XML
}

# link_field NAME FIELD - of link NAME in kvnetd's (and libvirtd's) namespace: mtu, mac, up
link_field() {
	local out
	out=$(ip -n "$LV_NS" -o link show "$1" 2>/dev/null) || {
		echo "no link $1"
		return
	}
	case $2 in
	mtu) sed -E 's/.* mtu ([0-9]+) .*/\1/' <<<"$out" ;;
	mac) sed -E 's/.* link\/ether ([0-9a-f:]+) .*/\1/' <<<"$out" ;;
	up) grep -qE '<([A-Z_]+,)*UP[,>]' <<<"$out" && echo up || echo down ;;
	esac
}

# libvirt_line NET - the Libvirt: line of kvnet net-info NET
libvirt_line() {
	kv net-info "$1" 2>&1 | sed -n 's/^Libvirt: *//p'
}

# log_since_start REGEX - lines of kvnetd's log since its last start that match REGEX, counted
log_since_start() {
	awk -v re="$1" '/^== kvnetd start/ { n = 0; next } $0 ~ re { n++ } END { print n + 0 }' \
		"$KV_LOG"
}

host_netdev() {
	local mac
	kv_check_run "bridge add kvb90" 0 '' '^$' kv bridge add kvb90
	kv_check_eq "kvb90 is up" up "$(link_field kvb90 up)"
	kv_check_eq "kvb90's MTU" 1500 "$(link_field kvb90 mtu)"
	mac=$(link_field kvb90 mac)
	kv_check_ok "kvb90's MAC $mac is locally administered unicast" \
		grep -qE '^[0-9a-f][26ae]:' <<<"$mac"
	kv_check_eq "port show kvb90 lists its host netdev" kvb90 \
		"$(kv_q '" ".join(p["name"] for p in d["ports"])' port show kvb90)"
	kv_check_run "port del of the host netdev" 1 '^$' "own netdev on the host" \
		kv port del kvb90
	kv bridge del kvb90 >/dev/null || kv_fail "bridge del kvb90"
	kv_check_eq "kvb90 gone with its bridge" "no link kvb90" "$(link_field kvb90 up)"
	kv bridge add kvb90 >/dev/null || kv_fail "bridge add kvb90 again"
	kv_check_eq "kvb90's MAC is the same again" "$mac" "$(link_field kvb90 mac)"
	kv bridge del kvb90 >/dev/null || kv_fail "bridge del kvb90"

	kv net-define "$KV_TMP/xml/lab.xml" >/dev/null || kv_fail "net-define lab"
	kv_check_eq "no kvlab0 before lab starts" "no link kvlab0" "$(link_field kvlab0 up)"
	kv net-start lab >/dev/null || kv_fail "net-start lab"
	kv_check_eq "kvlab0 (lab has no <ip>) is up" up "$(link_field kvlab0 up)"
	kv_check_eq "kvlab0 has lab's MTU" 1400 "$(link_field kvlab0 mtu)"
	kv_check_eq "kvlab0 has lab's MAC" "$LAB_MAC" "$(link_field kvlab0 mac)"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab"
	kv_check_eq "kvlab0 gone with lab" "no link kvlab0" "$(link_field kvlab0 up)"
	log_test "every bridge has its host netdev: up, MAC, MTU; gone with the bridge"
}

mirror_life_cycle() {
	local xml uuid
	uuid=$(kv net-uuid lab)
	kv_check_eq "lab defined in libvirt" "inactive yes" "$(lv_net_state lab)"
	kv_check_eq "net-info lab" mirrored "$(libvirt_line lab)"
	xml=$(lv_virsh net-dumpxml lab)
	kv_check_ok "the same UUID" grep -q "<uuid>$uuid</uuid>" <<<"$xml"
	kv_check_ok "kvnet's mark" grep -q "urn:kvnet:libvirt-network:1" <<<"$xml"
	kv_check_ok "forward mode bridge" grep -q "<forward mode='bridge'/>" <<<"$xml"
	kv_check_ok "on kvlab0" grep -q "<bridge name='kvlab0'/>" <<<"$xml"
	kv_check_ok "openvswitch" grep -q "<virtualport type='openvswitch'/>" <<<"$xml"
	kv_check_ok "portgroup web, default, VLAN 20" \
		grep -qzE "<portgroup name='web' default='yes'>[[:space:]]*<vlan>[[:space:]]*<tag id='20'/>" \
		<<<"$xml"
	kv_check_ok "portgroup trunk, native untagged 30" \
		grep -qzE "<vlan trunk='yes'>[[:space:]]*<tag id='20'/>[[:space:]]*<tag id='30' nativeMode='untagged'/>" \
		<<<"$xml"
	# libvirt resolves a guest's portgroup: it must know the limits to ask kvnet-ovs-vsctl
	kv_check_ok "portgroup slow, its <bandwidth>" \
		grep -qzE "<portgroup name='slow'>[[:space:]]*<bandwidth>[[:space:]]*<outbound average='125'/>" \
		<<<"$xml"

	kv net-start lab >/dev/null || kv_fail "net-start lab"
	kv_check_eq "lab started in libvirt" "active yes" "$(lv_net_state lab)"
	kv_check_run "net-update lab add portgroup app (live, config)" 0 '' '^$' \
		kv net-update lab add portgroup "<portgroup name='app'><vlan><tag id='40'/></vlan></portgroup>" \
		--live --config
	kv_check_ok "libvirt's running lab has app" grep -q "<portgroup name='app'>" \
		<<<"$(lv_virsh net-dumpxml lab)"
	kv_check_ok "and its definition" grep -q "<portgroup name='app'>" \
		<<<"$(lv_virsh net-dumpxml --inactive lab)"
	kv_check_fail "through net-update, not a restart of libvirt's lab" grep -q "libvirt's running network differs" \
		"$KV_LOG"
	kv net-define "$KV_TMP/xml/lab31.xml" >/dev/null || kv_fail "net-define lab (db on 31)"
	kv_check_ok "libvirt's next lab has db on 31" grep -q "<tag id='31'/>" \
		<<<"$(lv_virsh net-dumpxml --inactive lab)"
	kv_check_fail "its running lab keeps db on 30" grep -q "<tag id='31'/>" \
		<<<"$(lv_virsh net-dumpxml lab)"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab"
	kv_check_eq "lab stopped in libvirt" "inactive yes" "$(lv_net_state lab)"
	kv_check_ok "with db on 31" grep -q "<tag id='31'/>" <<<"$(lv_virsh net-dumpxml lab)"
	log_test "define, start, net-update, define while running, destroy: libvirt follows"
}

transient_and_undefine() {
	kv net-create "$KV_TMP/xml/tlab.xml" >/dev/null || kv_fail "net-create tlab"
	kv_check_eq "tlab transient in libvirt" "active no" "$(lv_net_state tlab)"
	kv net-destroy tlab >/dev/null || kv_fail "net-destroy tlab"
	kv_check_eq "tlab gone from libvirt" none "$(lv_net_state tlab)"

	kv net-start lab >/dev/null || kv_fail "net-start lab"
	kv net-undefine lab >/dev/null || kv_fail "net-undefine lab (running)"
	kv_check_eq "running lab made transient in libvirt" "active no" "$(lv_net_state lab)"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab"
	kv_check_eq "lab gone from libvirt" none "$(lv_net_state lab)"
	kv net-define "$KV_TMP/xml/lab.xml" >/dev/null || kv_fail "net-define lab again"
	kv_check_eq "lab defined again" "inactive yes" "$(lv_net_state lab)"
	log_test "net-create is transient in libvirt; undefine and destroy remove it there"
}

clash() {
	local before
	lv_virsh net-define "$KV_TMP/xml/theirs.xml" >/dev/null || kv_fail "virsh net-define theirs"
	before=$(lv_virsh net-dumpxml theirs)
	kv_check_run "kvnet net-define theirs" 1 '^$' \
		"libvirt already has a network 'theirs' that kvnet did not make; kvnet does not take it over" \
		kv net-define "$KV_TMP/xml/theirs-kv.xml"
	kv_check_run "kvnet net-create theirs" 1 '^$' \
		"libvirt already has a network 'theirs' that kvnet did not make" \
		kv net-create "$KV_TMP/xml/theirs-kv.xml"
	kv_check_eq "kvnet has no theirs" "lab" "$(kv_net_names)"
	kv_check_eq "libvirt's theirs as it was" "$before" "$(lv_virsh net-dumpxml theirs)"
	kv_check_eq "and still defined, stopped" "inactive yes" "$(lv_net_state theirs)"
	kv_check_fail "no kvth0" ip -n "$LV_NS" link show kvth0
	log_test "a libvirt network kvnet did not make: refused, named, left alone"
}

paused_domain() {
	local tap
	if ! command -v qemu-system-x86_64 >/dev/null; then
		kv_fail "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
		log_test "a paused domain on lab gets kvlab0's MTU and add-port with db's VLAN"
		return
	fi
	# a stand-in for kvnet's ovs-vsctl: it logs what libvirt asks
	cat >"$LV_DIR/bin/ovs-vsctl" <<-EOF
		#!/bin/sh
		echo "\$*" >>"$LV_DIR/log/ovs.log"
	EOF
	chmod 755 "$LV_DIR/bin/ovs-vsctl"
	cat >"$KV_TMP/xml/d90.xml" <<-XML
		<domain type='qemu'>
		  <name>d90</name>
		  <memory unit='MiB'>64</memory>
		  <os><type arch='x86_64' machine='pc'>hvm</type></os>
		  <devices>
		    <interface type='network'>
		      <source network='lab' portgroup='db'/>
		      <mac address='52:54:00:90:00:0d'/>
		      <model type='e1000'/>
		    </interface>
		  </devices>
		</domain>
	XML
	kv net-start lab >/dev/null || kv_fail "net-start lab"
	lv_virsh define "$KV_TMP/xml/d90.xml" >/dev/null || kv_fail "virsh define d90"
	kv_check_run "virsh start --paused d90" 0 '' '' lv_virsh start --paused d90
	kv_check_eq "d90 paused" paused "$(lv_virsh domstate d90 2>&1)"
	tap=$(sed -nE 's/.*add-port kvlab0 ([^ ]+) .*/\1/p' "$LV_DIR/log/ovs.log" 2>/dev/null | tail -n 1)
	kv_check_ok "libvirt ran add-port kvlab0 with db's tag 30" \
		grep -qE -- "--may-exist add-port kvlab0 $tap tag=30 " "$LV_DIR/log/ovs.log"
	kv_check_eq "its tap $tap took kvlab0's MTU" 1400 "$(link_field "$tap" mtu)"
	lv_virsh destroy d90 >/dev/null 2>&1
	lv_virsh undefine d90 >/dev/null 2>&1
	log_test "a paused domain on lab gets kvlab0's MTU and add-port with db's VLAN"
}

libvirtd_first() {
	kv net-start lab >/dev/null 2>&1
	kv net-define "$KV_TMP/xml/tlab.xml" >/dev/null || kv_fail "net-define tlab"
	kv_check_eq "tlab defined in libvirt" "inactive yes" "$(lv_net_state tlab)"
	kvnetd_stop || kv_fail "kvnetd did not stop"
	lv_stop
	kvnetd_start "$LV_NS" || {
		kv_fail "kvnetd did not start without libvirtd"
		log_test "kvnetd started before libvirtd catches up once libvirtd is there"
		return
	}
	kv_check_ok "net-info: not mirrored, why" \
		grep -q "^not mirrored (cannot connect to libvirtd at $LV_NET_URI" <<<"$(libvirt_line lab)"
	kv net-start lab >/dev/null || kv_fail "net-start lab without libvirtd"
	kv net-undefine tlab >/dev/null || kv_fail "net-undefine tlab without libvirtd"
	lv_start || kv_fail "libvirtd did not start again"
	lv_wait_net lab "active yes" || kv_fail "lab not active in libvirt: $(lv_net_state lab)"
	lv_wait_net tlab none || kv_fail "tlab not removed from libvirt: $(lv_net_state tlab)"
	kv_poll_eq "net-info lab" mirrored libvirt_line lab
	kv_check_eq "libvirt's theirs untouched" "inactive yes" "$(lv_net_state theirs)"
	log_test "kvnetd started before libvirtd catches up once libvirtd is there"
}

libvirtd_restart() {
	lv_restart || kv_fail "libvirtd did not restart"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab"
	lv_wait_net lab "inactive yes" || kv_fail "lab still active in libvirt: $(lv_net_state lab)"
	kv net-start lab >/dev/null || kv_fail "net-start lab"
	lv_wait_net lab "active yes" || kv_fail "lab not active in libvirt: $(lv_net_state lab)"
	# stopped behind kvnet's back, then libvirtd restarted: kvnet puts it back
	lv_virsh net-destroy lab >/dev/null || kv_fail "virsh net-destroy lab"
	lv_restart || kv_fail "libvirtd did not restart"
	lv_wait_net lab "active yes" || kv_fail "lab not put back: $(lv_net_state lab)"
	kv_poll_eq "net-info lab" mirrored libvirt_line lab
	log_test "libvirtd restarted: kvnet reconnects, resyncs, stays in step"
}

# libvirt_reason_has TEXT - net-info lab's Libvirt line says TEXT, within KV_WAIT s
libvirt_reason_has() {
	local i
	for ((i = 0; i < KV_WAIT * 5; i++)); do
		grep -qF "$1" <<<"$(libvirt_line lab)" && return 0
		sleep 0.2
	done
	kv_fail "net-info lab: no '$1' within $KV_WAIT s: '$(libvirt_line lab)'"
	return 1
}

libvirtd_hung() {
	local sock=$KV_TMP/hung.sock listener

	# each request is ended after KV_CMD_TIMEOUT s: a control thread waiting for libvirtd
	# for good fails here
	kill -STOP "$LV_LIBVIRTD" || kv_fail "SIGSTOP libvirtd"
	kv_check_run "net-destroy lab while libvirtd does not answer" 0 '' '' kv net-destroy lab
	kv_check_run "net-start lab meanwhile" 0 '' '' kv net-start lab
	kv_check_run "net-list meanwhile" 0 'lab' '' kv net-list
	libvirt_reason_has "not mirrored (libvirtd at $LV_NET_URI has not answered for"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab meanwhile"
	kill -CONT "$LV_LIBVIRTD" || kv_fail "SIGCONT libvirtd"
	lv_wait_net lab "inactive yes" || kv_fail "lab not stopped in libvirt: $(lv_net_state lab)"
	kv_poll_eq "net-info lab, libvirtd answering again" mirrored libvirt_line lab
	kv_check_eq "the stall said once in the log" 1 "$(log_since_start 'libvirtd at .* has not answered')"
	kv_check_eq "and its end" 1 "$(log_since_start 'libvirtd at .* answers again')"

	kvnetd_stop || kv_fail "kvnetd did not stop"
	ip netns exec "$LV_NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
held = []
while True:
    held.append(s.accept()[0])
' "$sock" &
	listener=$!
	KV_PIDS+=("$listener")
	kv_wait_file "$sock" "$listener" || kv_fail "the silent listener did not start"
	KV_LIBVIRT="network+unix:///system?socket=$sock" kvnetd_start "$LV_NS" ||
		kv_fail "kvnetd did not start with a libvirtd that never answers"
	kv_check_run "net-start lab" 0 '' '' kv net-start lab
	libvirt_reason_has "has not answered for"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab (silent libvirtd)"
	kvnetd_stop || kv_fail "kvnetd did not stop by itself with a libvirtd that never answers"
	kv_check_eq "kvnetd's exit status" 0 "$KVNETD_RC"
	kv_check_eq "leaving said in the log" 1 "$(log_since_start 'leaving without waiting for it')"
	kill "$listener"
	wait "$listener" 2>/dev/null
	kv_forget "$listener"
	KV_LIBVIRT=$LV_NET_URI kvnetd_start "$LV_NS" || kv_fail "kvnetd did not start again"
	log_test "libvirtd that does not answer: kvnetd answers meanwhile and catches up"
}

off_and_nothing() {
	local before
	before=$(lv_virsh net-dumpxml --inactive lab)
	kvnetd_stop || kv_fail "kvnetd did not stop"
	KV_LIBVIRT=off kvnetd_start "$LV_NS" || kv_fail "kvnetd --libvirt off did not start"
	kv_check_eq "net-info: off" off "$(libvirt_line lab)"
	kv net-start lab >/dev/null || kv_fail "net-start lab (off)"
	kv_check_eq "kvlab0 up" up "$(link_field kvlab0 up)"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab (off)"
	kv_check_eq "libvirt's lab as it was" "$before" "$(lv_virsh net-dumpxml --inactive lab)"
	kv_check_eq "no libvirt in the log" 0 "$(log_since_start 'libvirt:')"
	kvnetd_stop || kv_fail "kvnetd did not stop"

	KV_LIBVIRT="network+unix:///system?socket=$KV_TMP/nothing/sock" kvnetd_start "$LV_NS" ||
		kv_fail "kvnetd with a URI to nothing did not start"
	kv net-start lab >/dev/null || kv_fail "net-start lab (URI to nothing)"
	kv_check_ok "net-info: not mirrored, why" \
		grep -q "^not mirrored (cannot connect to libvirtd at network+unix" <<<"$(libvirt_line lab)"
	# two retries later, still said once
	sleep $((2 * 5 + 1))
	kv_check_eq "said once in the log" 1 "$(log_since_start 'libvirt: cannot connect')"
	kv net-destroy lab >/dev/null || kv_fail "net-destroy lab (URI to nothing)"
	kvnetd_stop || kv_fail "kvnetd did not stop"
	KV_LIBVIRT=$LV_NET_URI kvnetd_start "$LV_NS" || kv_fail "kvnetd did not start again"
	log_test "--libvirt off, or a URI to nothing: kvnet runs as without libvirt"
}

fresh_default() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	lv_virsh net-define /dev/stdin >/dev/null <<<"<network><name>default</name><forward mode='bridge'/><bridge name='br-def'/></network>" ||
		kv_fail "virsh net-define default"
	rm -rf "$KV_STATE"
	KV_DEFAULT_NET=1 kvnetd_start "$LV_NS" || {
		kv_fail "kvnetd did not start on a fresh state dir"
		log_test "first start: kvnet's default runs, libvirt's default is left alone"
		return
	}
	kv_check_eq "kvnet's default runs" true "$(kv_net_field default active)"
	kv_check_eq "net-info default" \
		"not mirrored (libvirt already has a network 'default' that kvnet did not make)" \
		"$(libvirt_line default)"
	kv_check_eq "logged" 1 "$(log_since_start "network default: not mirrored into libvirt")"
	kv_check_ok "libvirt's default as it was" grep -q "br-def" <<<"$(lv_virsh net-dumpxml default)"
	lv_wait_net lab none || kv_fail "lab, which kvnet no longer has, still in libvirt"
	kv_check_eq "libvirt's theirs untouched" "inactive yes" "$(lv_net_state theirs)"
	log_test "first start: kvnet's default runs, libvirt's default is left alone"
}

kv_require
lv_require
kv_require_services
setup
tests_run
lv_print_log >/dev/null
kv_exit
