#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 30_net_lifecycle.sh - libvirt networks through virsh's commands: define, list, dump, start,
# edit, autostart across a restart, transient networks, undefine, and the errors
#
#   kvnetd (ns sw), state dir $KV_STATE:
#     iso30   <bridge name='kvbr30'/>, fixed UUID, <mtu 1500>  persistent, autostarted
#     nat30   NAT, no UUID, no bridge name: gets a UUID and virbr0
#     idle30  <bridge name='kvbr31'/>                            persistent, not autostarted
#     tr30    <bridge name='kvbr32'/>                            transient (net-create)
#
# What a user of virsh would check: the messages, exit statuses, net-list's table, the XML
# net-dumpxml prints (libvirt's canonical form, valid against libvirt's network.rng), the
# switches kvnet bridge show lists, and the files in the state dir.

ALL_TESTS="define_and_list dumpxml_canonical start_and_info uuid_name_round_trip json_output
	edit_live_vs_inactive
	edit_invalid_unchanged autostart_across_restart transient_create_destroy undefine_running
	define_errors file_errors"

source "$(dirname "$0")/lib.sh"

ISO_UUID=30303030-0000-4000-8000-000000000030

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/iso30.xml" <<-EOF
		<network>
		  <name>iso30</name>
		  <uuid>$ISO_UUID</uuid>
		  <bridge name='kvbr30'/>
		  <mtu size='1500'/>
		</network>
	EOF
	cat >"$X/nat30.xml" <<-EOF
		<network>
		  <name>nat30</name>
		  <forward mode='nat'/>
		  <ip address='192.168.130.1' netmask='255.255.255.0'>
		    <dhcp>
		      <range start='192.168.130.2' end='192.168.130.254'/>
		    </dhcp>
		  </ip>
		</network>
	EOF
	cat >"$X/idle30.xml" <<-EOF
		<network>
		  <name>idle30</name>
		  <bridge name='kvbr31'/>
		</network>
	EOF
	cat >"$X/tr30.xml" <<-EOF
		<network>
		  <name>tr30</name>
		  <bridge name='kvbr32'/>
		</network>
	EOF
}

# kv_bridges - the switches kvnetd runs, sorted, space-separated
kv_bridges() {
	kv_q '" ".join(sorted(b["name"] for b in d["bridges"]))' bridge show
}

# net_row NAME - NAME's row of `net-list --all` (text), as "State Autostart Persistent"
net_row() {
	kv net-list --all | awk -v n="$1" '$1 == n { print $2, $3, $4 }'
}

define_and_list() {
	local f
	for f in iso30 nat30 idle30; do
		kv_check_run "net-define $f" 0 "^Network $f defined from $X/$f.xml\$" '^$' \
			kv net-define "$X/$f.xml"
	done
	kv_check_run "net-list (active only)" 0 "" '^$' kv net-list
	kv_check_eq "net-list header" "Name State Autostart Persistent" \
		"$(printf '%s\n' "$KV_OUT" | head -n 1 | xargs)"
	kv_check_ok "net-list: a line of dashes under the header" \
		grep -qE '^-{20,}$' <<<"$(printf '%s\n' "$KV_OUT" | sed -n 2p)"
	kv_check_eq "net-list lists no inactive network" 2 "$(printf '%s\n' "$KV_OUT" | wc -l)"
	kv_check_eq "net-list --all: iso30" "inactive no yes" "$(net_row iso30)"
	kv_check_eq "net-list --all: nat30" "inactive no yes" "$(net_row nat30)"
	kv_check_eq "net-list --inactive: the three" "idle30 iso30 nat30" \
		"$(kv net-list --inactive | awk 'NR > 2 { print $1 }' | sort | xargs)"
	kv_check_eq "net-list --all --transient: none" "" \
		"$(kv net-list --all --transient | awk 'NR > 2 { print $1 }' | xargs)"
	kv_check_ok "stored: networks/iso30.xml" test -f "$KV_STATE/networks/iso30.xml"
	kv_check_ok "stored: networks/nat30.xml" test -f "$KV_STATE/networks/nat30.xml"
	log_test "net-define: virsh's message; net-list hides inactive networks, --all shows them"
}

dumpxml_canonical() {
	local d
	kv_check_run "net-dumpxml iso30" 0 "" '^$' kv net-dumpxml iso30
	d=$KV_OUT
	printf '%s\n' "$d" >"$KV_TMP/iso30.dump.xml"
	kv_check_ok "iso30: stp and delay filled in as libvirt does" \
		grep -qF "<bridge name='kvbr30' stp='on' delay='0'/>" <<<"$d"
	kv_check_ok "iso30: its UUID" grep -qF "<uuid>$ISO_UUID</uuid>" <<<"$d"
	kv_check_ok "iso30: its MTU" grep -qF "<mtu size='1500'/>" <<<"$d"
	kv_check_eq "iso30: first and last lines" "<network>|</network>" \
		"$(printf '%s\n' "$d" | sed -n '1p;$p' | paste -sd'|')"
	kv_check_schema "net-dumpxml iso30" network "$KV_TMP/iso30.dump.xml"

	kv_check_run "net-dumpxml nat30" 0 "" '^$' kv net-dumpxml nat30
	d=$KV_OUT
	printf '%s\n' "$d" >"$KV_TMP/nat30.dump.xml"
	kv_check_ok "nat30: a generated UUID" \
		grep -qE '<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</uuid>' <<<"$d"
	kv_check_ok "nat30: bridge virbr0, the lowest free virbrN" \
		grep -qF "<bridge name='virbr0' stp='on' delay='0'/>" <<<"$d"
	kv_check_ok "nat30: forward mode nat" grep -qF "<forward mode='nat'" <<<"$d"
	kv_check_ok "nat30: its DHCP range" \
		grep -qF "<range start='192.168.130.2' end='192.168.130.254'/>" <<<"$d"
	kv_check_schema "net-dumpxml nat30" network "$KV_TMP/nat30.dump.xml"
	kv_check_eq "net-dumpxml --inactive of an inactive network is the same" "$d" \
		"$(kv net-dumpxml nat30 --inactive)"
	kv_check_eq "net-info's bridge for nat30" virbr0 "$(kv_net_field nat30 bridge)"
	log_test "net-dumpxml: libvirt's canonical form, a UUID and virbr0 given, valid network.rng"
}

start_and_info() {
	kv_check_run "net-start iso30" 0 '^Network iso30 started$' '^$' kv net-start iso30
	kv_check_ok "bridge show lists kvbr30" grep -qw kvbr30 <<<"$(kv_bridges)"
	kv_check_eq "net-list: iso30" "active no yes" "$(net_row iso30)"
	kv_check_eq "net-list (active only): iso30 alone" iso30 \
		"$(kv net-list | awk 'NR > 2 { print $1 }' | xargs)"
	kv_check_run "net-start iso30 again" 1 '^$' 'iso30' kv net-start iso30
	kv_check_eq "bridges after the second start" kvbr30 "$(kv_bridges)"
	kv_check_run "net-info iso30" 0 "" '^$' kv net-info iso30
	kv_check_eq "net-info iso30" "Name:           iso30
UUID:           $ISO_UUID
Active:         yes
Persistent:     yes
Autostart:      no
Bridge:         kvbr30
Libvirt:        off" "$KV_OUT"
	kv_check_run "net-info by UUID" 0 "^Name: +iso30" '^$' kv net-info "$ISO_UUID"
	kv_check_eq "--json net-info: active" true "$(kv_q 'd["active"]' net-info iso30)"
	log_test "net-start: the switch kvbr30 runs; a second start fails; net-info as virsh"
}

uuid_name_round_trip() {
	local u
	kv_check_run "net-uuid iso30" 0 "^$ISO_UUID\$" '^$' kv net-uuid iso30
	kv_check_run "net-name $ISO_UUID" 0 '^iso30$' '^$' kv net-name "$ISO_UUID"
	u=$(kv net-uuid nat30)
	kv_check_run "net-name of nat30's UUID" 0 '^nat30$' '^$' kv net-name "$u"
	kv_check_run "net-name with a name, not a UUID" 2 '^$' 'UUID' kv net-name nat30
	kv_check_run "net-name of an unknown UUID" 1 '^$' '.' \
		kv net-name 30303030-0000-4000-8000-0000000000ff
	log_test "net-uuid and net-name round trip"
}

json_output() {
	local u
	u=$(kv net-uuid nat30)
	kv_check_eq "--json net-define of an existing network: its name, UUID, not new" \
		"nat30 $u False" "$(kv_q '"%s %s %s" % (d["name"], d["uuid"], d["new"])' \
			net-define "$X/nat30.xml")"
	kv_check_eq "--json net-dumpxml: the XML" true \
		"$(kv_q 'd["xml"].startswith("<network>") and d["xml"].endswith("</network>\n")' \
			net-dumpxml nat30)"
	kv_check_eq "--json net-list --all: every network" "idle30 iso30 nat30" "$(kv_net_names)"
	kv_check_eq "--json net-list: the active ones" iso30 \
		"$(kv_q '" ".join(n["name"] for n in d["networks"])' net-list)"
	kv_check_eq "--json net-autostart --disable of a network not marked: {}" "{}" \
		"$(kv_q 'd' net-autostart nat30 --disable)"
	log_test "--json: each command prints its result object"
}

edit_live_vs_inactive() {
	cat >"$KV_TMP/edit-mtu.sh" <<-'EOF'
		#!/bin/sh
		sed -i -e "s|<mtu size='1500'/>|<mtu size='9000'/>|" \
		    -e "s|</network>|  <portgroup name='pgnew'/>\n</network>|" "$1"
	EOF
	chmod +x "$KV_TMP/edit-mtu.sh"
	kv_check_run "net-edit iso30" 0 '^Network iso30 XML configuration edited\.$' '^$' \
		env EDITOR="$KV_TMP/edit-mtu.sh" VISUAL= "$KVNET" --socket "$KV_SOCK" net-edit iso30
	kv_check_ok "inactive XML has the new MTU" \
		grep -qF "<mtu size='9000'/>" <<<"$(kv net-dumpxml iso30 --inactive)"
	kv_check_ok "inactive XML has the new portgroup" \
		grep -qF "<portgroup name='pgnew'>" <<<"$(kv net-dumpxml iso30 --inactive)"
	kv_check_ok "live XML keeps MTU 1500" \
		grep -qF "<mtu size='1500'/>" <<<"$(kv net-dumpxml iso30)"
	kv_check_ok "stored file has the new MTU" \
		grep -qF "<mtu size='9000'/>" "$KV_STATE/networks/iso30.xml"
	kv_check_run "net-edit without a change" 0 '^Network iso30 XML configuration not changed\.$' \
		'^$' env EDITOR=true VISUAL= "$KVNET" --socket "$KV_SOCK" net-edit iso30
	kv_check_run "net-destroy iso30" 0 '^Network iso30 destroyed$' '^$' kv net-destroy iso30
	kv_check_eq "bridges after net-destroy" "" "$(kv_bridges)"
	kv_check_run "net-start iso30" 0 '^Network iso30 started$' '^$' kv net-start iso30
	kv_check_ok "live XML has MTU 9000 after destroy and start" \
		grep -qF "<mtu size='9000'/>" <<<"$(kv net-dumpxml iso30)"
	log_test "net-edit: the next-start XML changes, the live one only after destroy+start"
}

edit_invalid_unchanged() {
	local before after
	before=$(kv net-dumpxml iso30 --inactive)
	cat >"$KV_TMP/edit-bad.sh" <<-'EOF'
		#!/bin/sh
		sed -i -e "s|</network>|</netwrk>|" "$1"
	EOF
	chmod +x "$KV_TMP/edit-bad.sh"
	kv_check_run "net-edit to XML that does not parse (stdin not a terminal)" 1 '^$' '.' \
		env EDITOR="$KV_TMP/edit-bad.sh" VISUAL= "$KVNET" --socket "$KV_SOCK" net-edit iso30 \
		</dev/null
	after=$(kv net-dumpxml iso30 --inactive)
	kv_check_eq "inactive XML after the failed edit" "$before" "$after"
	kv_check_run "net-edit with an editor that fails" 1 '^$' 'editor' \
		env EDITOR=false VISUAL= "$KVNET" --socket "$KV_SOCK" net-edit iso30 </dev/null
	kv_check_eq "inactive XML after the failed editor" "$before" "$(kv net-dumpxml iso30 --inactive)"
	kv_check_eq "no temporary file left" "" \
		"$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'kvnet-net-edit-*' -newer "$X/iso30.xml" 2>/dev/null)"
	log_test "net-edit to invalid XML: exit 1, the definition unchanged"
}

autostart_across_restart() {
	kv_check_run "net-autostart iso30" 0 '^Network iso30 marked as autostarted$' '^$' \
		kv net-autostart iso30
	kv_check_eq "autostart link" "../iso30.xml" \
		"$(readlink "$KV_STATE/networks/autostart/iso30.xml")"
	kv_check_eq "net-list: iso30" "active yes yes" "$(net_row iso30)"
	kv_check_run "net-start idle30" 0 '^Network idle30 started$' '^$' kv net-start idle30
	kv_check_eq "bridges before the restart" "kvbr30 kvbr31" "$(kv_bridges)"
	kvnetd_stop || kv_fail "kvnetd did not stop on SIGTERM"
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again on state dir $KV_STATE"
		log_test "net-autostart: the network runs again after kvnetd restarts"
		return
	fi
	kv_check_eq "net-list after restart: iso30 (autostarted)" "active yes yes" "$(net_row iso30)"
	kv_check_eq "net-list after restart: idle30 (not autostarted)" "inactive no yes" \
		"$(net_row idle30)"
	kv_check_eq "net-list after restart: nat30" "inactive no yes" "$(net_row nat30)"
	kv_check_eq "bridges after the restart" kvbr30 "$(kv_bridges)"
	kv_check_ok "iso30 runs its edited definition" \
		grep -qF "<mtu size='9000'/>" <<<"$(kv net-dumpxml iso30)"
	kv_check_eq "nat30 kept its UUID across the restart" \
		"$(grep -o '<uuid>.*</uuid>' "$KV_TMP/nat30.dump.xml")" \
		"$(kv net-dumpxml nat30 | grep -o '<uuid>.*</uuid>')"
	kv_check_run "net-autostart --disable iso30" 0 '^Network iso30 unmarked as autostarted$' \
		'^$' kv net-autostart iso30 --disable
	kv_check_ok "autostart link gone" test ! -e "$KV_STATE/networks/autostart/iso30.xml"
	kv_check_ok "definition still stored" test -f "$KV_STATE/networks/iso30.xml"
	kv_check_eq "net-list: iso30" "active no yes" "$(net_row iso30)"
	log_test "net-autostart: started again when kvnetd restarts; --disable removes the link"
}

transient_create_destroy() {
	kv_check_run "net-create tr30" 0 "^Network tr30 created from $X/tr30.xml\$" '^$' \
		kv net-create "$X/tr30.xml"
	kv_check_eq "net-list: tr30 transient" "active no no" "$(net_row tr30)"
	kv_check_eq "net-list --transient" tr30 \
		"$(kv net-list --transient | awk 'NR > 2 { print $1 }' | xargs)"
	kv_check_ok "bridge show lists kvbr32" grep -qw kvbr32 <<<"$(kv_bridges)"
	kv_check_ok "no file for tr30" test ! -e "$KV_STATE/networks/tr30.xml"
	kv_check_run "net-autostart of a transient network" 1 '^$' 'tr30|transient' \
		kv net-autostart tr30
	kv_check_run "net-destroy tr30" 0 '^Network tr30 destroyed$' '^$' kv net-destroy tr30
	kv_check_eq "networks after net-destroy tr30" "idle30 iso30 nat30" "$(kv_net_names)"
	kv_check_run "net-info tr30 after destroy" 1 '^$' 'tr30' kv net-info tr30
	kv_check_ok "kvbr32 gone" test -z "$(grep -w kvbr32 <<<"$(kv_bridges)")"
	log_test "net-create: a transient network, listed not persistent, gone once destroyed"
}

undefine_running() {
	kv_check_run "net-undefine iso30 (running)" 0 '^Network iso30 has been undefined$' '^$' \
		kv net-undefine iso30
	kv_check_eq "net-list: iso30 now transient" "active no no" "$(net_row iso30)"
	kv_check_ok "file removed" test ! -e "$KV_STATE/networks/iso30.xml"
	kv_check_ok "kvbr30 still runs" grep -qw kvbr30 <<<"$(kv_bridges)"
	kv_check_run "net-destroy iso30" 0 '^Network iso30 destroyed$' '^$' kv net-destroy iso30
	kv_check_eq "networks after destroying it" "idle30 nat30" "$(kv_net_names)"
	kv_check_run "net-undefine idle30 (inactive)" 0 '^Network idle30 has been undefined$' '^$' \
		kv net-undefine idle30
	kv_check_eq "networks after undefining idle30" nat30 "$(kv_net_names)"
	kv_check_ok "idle30's file removed" test ! -e "$KV_STATE/networks/idle30.xml"
	log_test "net-undefine: a running network becomes transient, an inactive one is gone"
}

define_errors() {
	local before
	# a network to collide with
	kv_check_run "net-define iso30 again" 0 "^Network iso30 defined" '^$' kv net-define "$X/iso30.xml"
	before=$(kvj net-list --all)
	cat >"$X/bad-forward.xml" <<-'EOF'
		<network>
		  <name>bad30</name>
		  <bridge name='kvbr39'/>
		  <forward mode='frobnicate'/>
		</network>
	EOF
	kv_check_run "define with an unknown forward mode" 1 '^$' 'line 4.*forward|forward.*line 4' \
		kv net-define "$X/bad-forward.xml"
	printf '<network>\n  <name>bad31</name>\n  <bridge name="kvbr39">\n</network>\n' \
		>"$X/not-xml.xml"
	kv_check_run "define XML that does not parse" 1 '^$' 'line' kv net-define "$X/not-xml.xml"
	sed -e 's/<name>iso30/<name>dup30/' -e 's/kvbr30/kvbr38/' "$X/iso30.xml" >"$X/dup30.xml"
	kv_check_run "define a second name with iso30's UUID" 1 '^$' "$ISO_UUID|uuid|iso30" \
		kv net-define "$X/dup30.xml"
	sed -e 's/<name>iso30/<name>dup31/' -e '/<uuid>/d' "$X/iso30.xml" >"$X/dup31.xml"
	kv_check_run "define a second network with iso30's bridge name" 1 '^$' 'kvbr30|bridge' \
		kv net-define "$X/dup31.xml"
	kv_check_run "net-start of an unknown network" 1 '^$' 'nosuch30' kv net-start nosuch30
	kv_check_run "net-info of an unknown network" 1 '^$' 'nosuch30' kv net-info nosuch30
	kv_check_run "net-dumpxml of an unknown network" 1 '^$' 'nosuch30' kv net-dumpxml nosuch30
	kv_check_run "net-destroy of an inactive network" 1 '^$' 'iso30' kv net-destroy iso30
	kv_check_run "net-list with an unknown option" 2 '^$' 'bogus' kv net-list --bogus
	kv_check_eq "networks unchanged by the errors" "$before" "$(kvj net-list --all)"
	kv_check_ok "no file for bad30, dup30, dup31" \
		test ! -e "$KV_STATE/networks/bad30.xml" -a ! -e "$KV_STATE/networks/dup30.xml" \
		-a ! -e "$KV_STATE/networks/dup31.xml"
	log_test "errors: invalid XML (line and element named), duplicate UUID or bridge, unknown names"
}

file_errors() {
	kv_check_run "net-define of a missing file" 1 '^$' \
		"cannot read $X/missing.xml: No such file or directory" kv net-define "$X/missing.xml"
	kv_check_run "net-define of a directory" 1 '^$' "cannot read $X: Is a directory" \
		kv net-define "$X"
	head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$X/big.xml"
	kv_check_run "net-define of a file over 1 MiB" 1 '^$' "big.xml.*larger" \
		kv net-define "$X/big.xml"
	kv_check_run "net-create of a missing file" 1 '^$' "missing.xml" kv net-create "$X/missing.xml"
	kv_check_run "net-define without a file" 2 '^$' "file" kv net-define
	log_test "files are read by kvnet: missing, unreadable, too large: exit 1 naming the file"
}

kv_require
setup
tests_run
kv_exit
