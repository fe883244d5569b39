#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 88_mirror.sh - kvnet mirror: SPAN of a port's frames out of another port, as OVS's Mirror
#
#   tk  [tr  02:00:00:88:00:01]   tap, trunk: VLANs 10 and 20 tagged   ---\
#   h10 [a10 02:00:00:88:00:10]   tap, access VLAN 10                  ---- kvnetd (ns sw): br0
#   h20 [a20 02:00:00:88:00:20]   tap, access VLAN 20                  ---|
#   hm  [mon 02:00:00:88:00:99]   tap, access VLAN 20: the mirror's output (dst)
#
# Mirror m1: src tr, dst mon, vlan 10. The frames tr receives and sends in VLAN 10 arrive at
# mon as they are on tr's wire (tagged 10); VLAN 20's do not; mon, the mirror's alone, gets
# nothing else (not even a20's broadcasts in its own VLAN 20) and what it sends is dropped.
# After a restart of kvnetd the mirror is there and works; after mirror del, mon is an
# ordinary port again; a mirror goes with its dst port.

ALL_TESTS="mirror_add frames_mirrored vlan_filter output_reserved survives_restart
	mirror_del goes_with_port errors"

source "$(dirname "$0")/lib.sh"

MACT=02:00:00:88:00:01
MAC10=02:00:00:88:00:10
MAC20=02:00:00:88:00:20
MACM=02:00:00:88:00:99

setup() {
	SW=$(kv_ns sw)
	TK=$(kv_ns tk)
	H10=$(kv_ns h10)
	H20=$(kv_ns h20)
	HM=$(kv_ns hm)
	kv_ns_add "$SW" "$TK" "$H10" "$H20" "$HM"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br0 || kv_setup_fail "bridge add br0"
	kv_tap_host br0 tr "$TK" "$MACT"
	kv_tap_host br0 a10 "$H10" "$MAC10"
	kv_tap_host br0 a20 "$H20" "$MAC20"
	kv_tap_host br0 mon "$HM" "$MACM"
	kv_access a10 10
	kv_access a20 20
	kv_access mon 20
	kv vlan del tr vid 1 || kv_setup_fail "vlan del tr vid 1"
	kv vlan add tr vid 10 || kv_setup_fail "vlan add tr vid 10"
	kv vlan add tr vid 20 || kv_setup_fail "vlan add tr vid 20"
}

# the taps a restarted kvnetd made again: their MAC and up, in their namespaces
taps_up() {
	local t a
	for t in "tr $TK $MACT" "a10 $H10 $MAC10" "a20 $H20 $MAC20" "mon $HM $MACM"; do
		read -ra a <<<"$t"
		ip -n "${a[1]}" link set "${a[0]}" address "${a[2]}" &&
			ip -n "${a[1]}" link set "${a[0]}" up ||
			kv_fail "tap ${a[0]} in ${a[1]} after the restart"
	done
}

# mirror_of FIELD - m1's FIELD in mirror list --json ("none" without m1)
mirror_of() {
	kv_q "next((m[\"$1\"] for m in d[\"mirrors\"] if m[\"name\"] == \"m1\"), \"none\")" \
		mirror list br0
}

mirror_add() {
	kv_check_run "mirror add" 0 "^$" "^$" kv mirror add br0 m1 src tr dst mon vlan 10
	kv_check_eq "its sources" '["tr"]' "$(mirror_of src)"
	kv_check_eq "its output" mon "$(mirror_of dst)"
	kv_check_eq "its VLANs" '[10]' "$(mirror_of vlans)"
	kv_check_run "mirror list in text" 0 "^m1 +tr +mon +10 +0 +0$|br0 +m1 +tr +mon +10 +0 +0" "" \
		kv mirror list
	log_test "mirror add br0 m1 src tr dst mon vlan 10; mirror list shows it"
}

# both ways of tr: what it receives, and what it sends, as on its wire (tagged 10)
check_mirrored() {
	local what=$1
	cap_start in expect "$HM" mon --src $MACT --vlan 10 --tag "in$what"
	cap_start a10 expect "$H10" a10 --src $MACT --untagged --tag "in$what"
	kv_send "$TK" tr --src $MACT --vlan 10 --tag "in$what"
	cap_check_seen "$what: tr's frame in VLAN 10 reaches a10" a10
	cap_check_seen "$what: the frame tr received, at mon, tagged 10" in
	cap_start out expect "$HM" mon --src $MAC10 --vlan 10 --tag "out$what"
	cap_start tr expect "$TK" tr --src $MAC10 --vlan 10 --tag "out$what"
	kv_send "$H10" a10 --src $MAC10 --tag "out$what"
	cap_check_seen "$what: a10's frame reaches tr" tr
	cap_check_seen "$what: the frame tr sent (a10's), at mon, tagged 10 as on tr" out
}

frames_mirrored() {
	local before
	before=$(mirror_of tx_frames)
	check_mirrored first
	kv_poll_ge "m1's copies counted" $((before + 2)) mirror_of tx_frames
	log_test "frames tr receives and sends in VLAN 10 are copied to mon as on tr's wire"
}

vlan_filter() {
	cap_start v20 count "$HM" mon --src $MACT --tag v20
	cap_start a20 expect "$H20" a20 --src $MACT --untagged --tag v20
	kv_send "$TK" tr --src $MACT --vlan 20 --tag v20
	cap_check_seen "tr's frame in VLAN 20 reaches a20" a20
	cap_check_count "tr's frame in VLAN 20 at mon (not a VLAN of m1)" 0 v20
	log_test "vlan 10: the frames of VLAN 20 are not mirrored"
}

# mon, in VLAN 20 like a20, gets none of a20's broadcasts, and its own frames go nowhere
output_reserved() {
	local before
	cap_start nb count "$HM" mon --src $MAC20 --tag b20
	cap_start nt expect "$TK" tr --src $MAC20 --vlan 20 --tag b20
	kv_send "$H20" a20 --src $MAC20 --tag b20
	cap_check_seen "a20's broadcast reaches tr" nt
	cap_check_count "a20's broadcast at mon, a mirror's output" 0 nb
	before=$(kv_stat br0 mon drops.port-state)
	cap_start fm count "$H20" a20 --src $MACM --tag fm
	kv_send "$HM" mon --src $MACM --tag fm
	kv_poll_eq "mon's frame dropped: port-state" $((before + 1)) kv_stat br0 mon drops.port-state
	cap_check_count "mon's own frame at a20" 0 fm
	log_test "the output port is the mirror's alone: no other frames to it, none from it"
}

survives_restart() {
	if ! kvnetd_stop; then
		kv_fail "kvnetd did not stop"
	fi
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again"
		log_test "mirror m1 after a restart of kvnetd"
		return
	fi
	taps_up
	kv_check_eq "m1's sources after the restart" '["tr"]' "$(mirror_of src)"
	kv_check_eq "m1's output after the restart" mon "$(mirror_of dst)"
	kv_check_eq "m1's VLANs after the restart" '[10]' "$(mirror_of vlans)"
	check_mirrored restarted
	log_test "mirror m1 is kept with its bridge: back, and working, after a restart"
}

mirror_del() {
	kv_check_run "mirror del" 0 "^$" "^$" kv mirror del br0 m1
	kv_check_eq "mirror list after del" '[]' "$(kv_q 'd["mirrors"]' mirror list br0)"
	cap_start gone count "$HM" mon --src $MACT --tag gone
	cap_start a10 expect "$H10" a10 --src $MACT --untagged --tag gone
	kv_send "$TK" tr --src $MACT --vlan 10 --tag gone
	cap_check_seen "tr's frame in VLAN 10 still reaches a10" a10
	cap_check_count "tr's frame in VLAN 10 at mon after mirror del" 0 gone
	cap_start b20 expect "$HM" mon --src $MAC20 --untagged --tag again
	kv_send "$H20" a20 --src $MAC20 --tag again
	cap_check_seen "a20's broadcast reaches mon again (VLAN 20, an ordinary port)" b20
	log_test "mirror del: no more copies, and the output port forwards again"
}

goes_with_port() {
	kv_check_ok "mirror add m2" kv mirror add br0 m2 src a10,a20 dst mon
	kv_check_ok "port del a20 (one of two sources)" kv port del a20
	kv_check_eq "m2 keeps its other source" '["a10"]' \
		"$(kv_q '[m["src"] for m in d["mirrors"]][0]' mirror list br0)"
	kv_check_ok "port del mon (the output)" kv port del mon
	kv_check_eq "m2 gone with its output port" '[]' "$(kv_q 'd["mirrors"]' mirror list)"
	log_test "a mirror loses a source port that goes, and goes with its output port"
}

errors() {
	kv_check_run "unknown bridge" 1 "" "bridge 'nobr' does not exist" \
		kv mirror add nobr m3 src tr dst a10
	kv_check_run "unknown source" 1 "" "port 'nope' does not exist" \
		kv mirror add br0 m3 src tr,nope dst a10
	kv_check_run "dst among the sources" 1 "" "port a10 cannot be both a source and the output" \
		kv mirror add br0 m3 src tr,a10 dst a10
	kv_check_run "no dst" 2 "" "dst" kv mirror add br0 m3 src tr
	kv_check_run "bad vlan" 2 "" "vlan '5000' is not a VID" \
		kv mirror add br0 m3 src tr dst a10 vlan 5000
	kv_check_ok "mirror add m3" kv mirror add br0 m3 src tr dst a10
	kv_check_run "the same name again" 1 "" "mirror m3 exists" \
		kv mirror add br0 m3 src tr dst a10
	kv_check_run "del of no such mirror" 1 "" "bridge br0 has no mirror 'm9'" \
		kv mirror del br0 m9
	kv_check_ok "kvnetd still answers" kv version
	log_test "mirror: unknown bridge and port, dst as source, bad VLAN, duplicate refused"
}

kv_require
setup
tests_run
kv_exit
