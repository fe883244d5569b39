#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 36_ovs_vsctl.sh - kvnet-ovs-vsctl, run with the very command lines libvirt runs as
# ovs-vsctl, makes kvnet VM ports on the taps libvirt made, on their VLANs, idempotently;
# removes them; answers QoS as kvnet can; and `make install` links it as ovs-vsctl only
# where no real Open vSwitch is
#
#   kvnetd (ns sw), network lab: <forward mode='bridge'/><bridge name='kvlab0'/>
#   <virtualport type='openvswitch'/>, portgroups web (VLAN 20) and db (VLAN 30)
#     vnet1  domain A  tag=20      \ taps made as libvirt makes them (tapvm.py: TUNSETIFF,
#     vnet2  domain B  tag=20       | MAC fe:54:..., down during add-port, then up), each
#     vnet3  domain C  tag=30       | held by a "QEMU" that sends and logs frames
#     vnet4..7  trunk and native variants, no VLAN  /
#   kvplain36: a kvnet bridge of no network (type='bridge')

ALL_TESTS="add_port_access add_port_again frames_by_vlan trunk_variants add_port_replaces
	add_port_refused bridge_without_network qos_and_garbage del_port_removes restart_replug
	no_kvnetd install_link"

source "$(dirname "$0")/lib.sh"
kv_require

OVS=$KVNET_BUILD/kvnet-ovs-vsctl
TAPVM=$KV_LIB_DIR/tapvm.py
[ -x "$OVS" ] || kv_skip "kvnet-ovs-vsctl not built: $OVS is missing (set KVNET_BUILD)"

DOM_A=4eefc258-2283-45f8-957a-9c831bbb4c78
DOM_B=3a9bb648-5d40-4981-8a3e-9abb4520e6e7
DOM_C=0db33e80-1a62-4b3f-8b2e-0c5124ee66a8
DOM_D=591f858b-b8c6-4c99-9476-aa57a2cb2d2b
DOM_E=ed6d2cec-3933-4d6b-81f2-2e773d86cec9
MAC1=52:54:00:36:00:01
MAC2=52:54:00:36:00:02
MAC3=52:54:00:36:00:03
declare -A TAPVM_PID=()

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	mkdir -p "$KV_TMP/xml"
	cat >"$KV_TMP/xml/lab.xml" <<-'EOF'
		<network>
		  <name>lab</name>
		  <forward mode='bridge'/>
		  <bridge name='kvlab0'/>
		  <virtualport type='openvswitch'/>
		  <portgroup name='web'>
		    <vlan><tag id='20'/></vlan>
		  </portgroup>
		  <portgroup name='db'>
		    <vlan><tag id='30'/></vlan>
		  </portgroup>
		</network>
	EOF
	kv_net_up "$KV_TMP/xml/lab.xml" lab
	kv net-autostart lab >/dev/null || kv_setup_fail "net-autostart lab"
}

# ovs ARGS... - kvnet-ovs-vsctl as libvirtd runs it: in kvnetd's namespace, on its socket
ovs() {
	kv_timeout ip netns exec "$SW" env KVNET_SOCKET="$KV_SOCK" "$OVS" "$@"
}

# tap_vm NAME GUEST_MAC - tap NAME as libvirt makes it for a guest of GUEST_MAC (its own MAC
# fe:54:..., down), held by a tapvm.py "QEMU" until tap_gone
tap_vm() {
	local name=$1 mac=fe:${2#*:} pid
	rm -f "$KV_TMP/$name".*
	ip netns exec "$SW" "$KV_PY" "$TAPVM" "$name" --mac "$mac" --fifo "$KV_TMP/$name.fifo" \
		--log "$KV_TMP/$name.log" --ready-file "$KV_TMP/$name.ready" --timeout 900 \
		2>"$KV_TMP/$name.err" &
	pid=$!
	KV_PIDS+=("$pid")
	TAPVM_PID[$name]=$pid
	kv_wait_file "$KV_TMP/$name.ready" "$pid" ||
		kv_setup_fail "tap $name: tapvm.py did not start: $(cat "$KV_TMP/$name.err")"
}

# tap_gone NAME - the "QEMU" holding tap NAME ends, and the tap goes with it (a VM stopped)
tap_gone() {
	local pid=${TAPVM_PID[$1]} i
	[ -n "$pid" ] || return 0
	echo quit >"$KV_TMP/$1.fifo"
	wait "$pid" 2>/dev/null
	kv_forget "$pid"
	unset "TAPVM_PID[$1]"
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		ip -n "$SW" link show "$1" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	kv_fail "tap $1 still there after its holder ended"
}

# vm_send NAME SRC DST TAG N - the guest behind tap NAME sends N frames "KVNET TAG SEQ"
vm_send() {
	echo "send $2 $3 $4 $5" >"$KV_TMP/$1.fifo"
}

# vm_rx NAME TAG [VID] - how many frames of TAG the guest behind tap NAME received (with VID:
# only those that came with that 802.1Q VID, 0 untagged)
vm_rx() {
	awk -v t="$2" -v v="${3:-}" '$3 == t && (v == "" || $5 == v) { n++ } END { print n + 0 }' \
		"$KV_TMP/$1.log" 2>/dev/null || echo 0
}

# uuid - a new random UUID, as libvirt's iface-id is at each start
uuid() {
	cat /proc/sys/kernel/random/uuid
}

# add_port BRIDGE IF DOMAIN MAC [VLAN_ARGS...] - the add-port libvirt 9.0 runs at a VM's start
# (virNetDevOpenvswitchAddPort), word for word
add_port() {
	local br=$1 ifc=$2 dom=$3 mac=$4
	shift 4
	ovs --timeout=5 -- --may-exist add-port "$br" "$ifc" "$@" \
		-- set Interface "$ifc" "external-ids:attached-mac=\"$mac\"" \
		-- set Interface "$ifc" "external-ids:iface-id=\"$(uuid)\"" \
		-- set Interface "$ifc" "external-ids:vm-id=\"$dom\"" \
		-- set Interface "$ifc" external-ids:iface-status=active
}

# del_port IF - the del-port libvirt runs when a VM stops (its tap already gone)
del_port() {
	ovs --timeout=5 -- --if-exists del-port "$@"
}

# iface DOMAIN EXPR - EXPR (python, i the domain's one interface) over domain-interfaces
# --json; "none" when it has none, "2 interfaces" when more than one
iface() {
	kv_q "(lambda l: \"none\" if not l else (\"%d interfaces\" % len(l) if len(l) > 1 else
		(lambda i: $2)(l[0])))(d[\"interfaces\"])" domain-interfaces "$1"
}

# vm_ports - the names of the VM ports of every domain here, sorted
vm_ports() {
	kv_q '" ".join(sorted(p["name"] for p in d["ports"] if p["name"].startswith("vnet")))' \
		port show
}

# plug NAME DOMAIN MAC VLAN_ARGS... - libvirt starts a VM: tap, add-port, tap up
plug() {
	local name=$1 dom=$2 mac=$3 out
	shift 3
	tap_vm "$name" "$mac"
	out=$(add_port kvlab0 "$name" "$dom" "$mac" "$@" 2>&1) ||
		kv_setup_fail "add-port kvlab0 $name $*: $out"
	ip -n "$SW" link set "$name" up || kv_setup_fail "$name up"
}

add_port_access() {
	tap_vm vnet1 $MAC1
	kv_check_run "add-port kvlab0 vnet1 tag=20 (the tap down)" 0 '^$' '^$' \
		add_port kvlab0 vnet1 $DOM_A $MAC1 tag=20
	kv_check_eq "domain A: its interface" "vnet1 $MAC1 network lab kvlab0 dev" \
		"$(iface $DOM_A '" ".join(str(i[k]) for k in ("name", "mac", "type", "network", "bridge", "backend"))')"
	kv_check_eq "vlan show vnet1: web's VLAN, as an access port" "pvid 20: 20u" "$(kv_vlans vnet1)"
	kv_check_eq "vnet1's state while the tap is down" disabled "$(iface $DOM_A 'i["state"]')"
	ip -n "$SW" link set vnet1 up
	kv_poll_eq "vnet1's state once libvirt set the tap up" forwarding iface $DOM_A 'i["state"]'
	kv_check_eq "no other port made" vnet1 "$(vm_ports)"
	log_test "add-port with tag=20 makes a VM port of domain vm-id on the tap, VLAN 20"
}

add_port_again() {
	local before pids=() rc i bad=0
	before=$(iface $DOM_A 'i["uuid"]')
	kv_check_run "the same add-port again" 0 '^$' '^$' add_port kvlab0 vnet1 $DOM_A $MAC1 tag=20
	kv_check_eq "the port is the same one (its UUID)" "$before" "$(iface $DOM_A 'i["uuid"]')"
	# libvirtd restarted re-plugs every running VM at once
	for i in 1 2 3 4 5; do
		add_port kvlab0 vnet1 $DOM_A $MAC1 tag=20 >"$KV_TMP/par$i.out" 2>&1 &
		pids+=("$!")
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		rc=$?
		[ "$rc" -eq 0 ] || {
			bad=1
			kv_fail "parallel add-port $((i + 1)) exited $rc: $(cat "$KV_TMP/par$((i + 1)).out")"
		}
	done
	[ "$bad" -eq 0 ] && kv_check_eq "after 5 at once, still the same port" "$before" \
		"$(iface $DOM_A 'i["uuid"]')"
	kv_check_eq "no port duplicated" vnet1 "$(vm_ports)"
	kv_check_eq "vnet1 forwards on" forwarding "$(iface $DOM_A 'i["state"]')"
	# and three at once for a tap that has no port yet: one port
	tap_vm vnet12 52:54:00:36:00:12
	pids=()
	for i in 1 2 3; do
		add_port kvlab0 vnet12 $DOM_E 52:54:00:36:00:12 tag=20 >"$KV_TMP/new$i.out" 2>&1 &
		pids+=("$!")
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" ||
			kv_fail "racing add-port $((i + 1)) failed: $(cat "$KV_TMP/new$((i + 1)).out")"
	done
	kv_check_eq "one port of the three racing add-ports" vnet12 "$(iface $DOM_E 'i["name"]')"
	tap_gone vnet12
	kv_check_ok "del-port vnet12" del_port vnet12
	kv_check_eq "no port duplicated" vnet1 "$(vm_ports)"
	log_test "add-port --may-exist of a port that is as asked: success, nothing changed"
}

frames_by_vlan() {
	plug vnet2 $DOM_B $MAC2 tag=20
	plug vnet3 $DOM_C $MAC3 tag=30
	kv_check_eq "vlan show vnet3: db's VLAN" "pvid 30: 30u" "$(kv_vlans vnet3)"
	kv_poll_eq "vnet2 forwarding" forwarding iface $DOM_B 'i["state"]'
	kv_poll_eq "vnet3 forwarding" forwarding iface $DOM_C 'i["state"]'
	vm_send vnet1 $MAC1 ff:ff:ff:ff:ff:ff w1 5
	kv_poll_eq "vnet2's guest gets vnet1's 5 broadcasts (VLAN 20)" 5 vm_rx vnet2 w1 0
	vm_send vnet3 $MAC3 ff:ff:ff:ff:ff:ff d3 5
	vm_send vnet2 $MAC2 $MAC1 w2 3
	kv_poll_eq "vnet1's guest gets vnet2's 3 frames to its MAC" 3 vm_rx vnet1 w2 0
	sleep "$KV_QUIET"
	kv_check_eq "vnet3's guest (db, VLAN 30) gets none of web's" "0 0" \
		"$(vm_rx vnet3 w1) $(vm_rx vnet3 w2)"
	kv_check_eq "web's guests get none of db's broadcasts" "0 0" \
		"$(vm_rx vnet1 d3) $(vm_rx vnet2 d3)"
	log_test "frames: two guests on web reach each other, the guest on db neither"
}

trunk_variants() {
	plug vnet4 $DOM_D 52:54:00:36:00:04 vlan_mode=native-untagged tag=30 trunk=20,30
	plug vnet5 $DOM_D 52:54:00:36:00:05 vlan_mode=native-tagged tag=20 trunk=20,30,40
	plug vnet6 $DOM_D 52:54:00:36:00:06 trunk=50,60
	plug vnet7 $DOM_D 52:54:00:36:00:07
	kv_check_eq "native-untagged tag=30 trunk=20,30" "pvid 30: 20t 30u" "$(kv_vlans vnet4)"
	kv_check_eq "native-tagged tag=20 trunk=20,30,40" "pvid 20: 20t 30t 40t" "$(kv_vlans vnet5)"
	kv_check_eq "trunk=50,60" "pvid none: 50t 60t" "$(kv_vlans vnet6)"
	kv_check_eq "no VLAN argument: the network's (none)" "pvid 1: 1u" "$(kv_vlans vnet7)"
	kv_check_eq "domain D's four" "4 interfaces" "$(iface $DOM_D 'i')"
	for p in vnet4 vnet5 vnet6 vnet7; do
		kv_poll_eq "$p forwarding" forwarding kv_port_field $p state
	done
	vm_send vnet1 $MAC1 ff:ff:ff:ff:ff:ff w1t 4
	kv_poll_eq "vnet4 (trunk with 20) gets web's broadcasts tagged 20" 4 vm_rx vnet4 w1t 20
	kv_poll_eq "vnet5 (native VLAN 20, tagged) gets them tagged 20" 4 vm_rx vnet5 w1t 20
	vm_send vnet3 $MAC3 ff:ff:ff:ff:ff:ff d3t 4
	kv_poll_eq "vnet4 gets db's broadcasts untagged (its native VLAN 30)" 4 vm_rx vnet4 d3t 0
	kv_poll_eq "vnet5 gets db's tagged 30" 4 vm_rx vnet5 d3t 30
	sleep "$KV_QUIET"
	kv_check_eq "vnet6 (50, 60) and vnet7 (VLAN 1) get neither" "0 0 0 0" \
		"$(vm_rx vnet6 w1t) $(vm_rx vnet6 d3t) $(vm_rx vnet7 w1t) $(vm_rx vnet7 d3t)"
	log_test "trunk, native-tagged, native-untagged and no VLAN, as libvirt's <vlan> means them"
}

add_port_replaces() {
	local before
	# libvirt wants another VLAN for the same VM and tap
	before=$(iface $DOM_A 'i["uuid"]')
	kv_check_run "add-port vnet1 with tag=30 now" 0 '^$' '^$' \
		add_port kvlab0 vnet1 $DOM_A $MAC1 tag=30
	kv_check_eq "vnet1 on VLAN 30" "pvid 30: 30u" "$(kv_vlans vnet1)"
	kv_check_ok "a new port" test "$before" != "$(iface $DOM_A 'i["uuid"]')"
	kv_check_ok "back on tag=20" add_port kvlab0 vnet1 $DOM_A $MAC1 tag=20
	kv_check_eq "vnet1 on VLAN 20 again" "pvid 20: 20u" "$(kv_vlans vnet1)"

	# vnet2's tap is deleted with no del-port (libvirtd died), and libvirt makes a new vnet2 for
	# another VM: the stale port is replaced
	tap_gone vnet2
	tap_vm vnet2 52:54:00:36:00:e2
	kv_check_run "add-port vnet2 for domain E" 0 '^$' '^$' \
		add_port kvlab0 vnet2 $DOM_E 52:54:00:36:00:e2 tag=20
	ip -n "$SW" link set vnet2 up
	kv_check_eq "domain B's stale port is gone" none "$(iface $DOM_B 'i')"
	kv_check_eq "domain E has vnet2" "vnet2 52:54:00:36:00:e2" "$(iface $DOM_E 'i["name"] + " " + i["mac"]')"

	# domain C's VM restarted while libvirtd was away: its MAC comes back on a new tap
	tap_gone vnet3
	tap_vm vnet8 $MAC3
	kv_check_run "add-port vnet8 with domain C's MAC" 0 '^$' '^$' \
		add_port kvlab0 vnet8 $DOM_C $MAC3 tag=30
	ip -n "$SW" link set vnet8 up
	kv_check_eq "domain C: only vnet8" "vnet8" "$(iface $DOM_C 'i["name"]')"
	# but not while the other tap is there
	tap_vm vnet9 $MAC1
	kv_check_run "domain A's MAC on a second tap while vnet1 is there" 1 '^$' \
		"domain '$DOM_A' has MAC $MAC1 on port 'vnet1' already, whose tap is still there" \
		add_port kvlab0 vnet9 $DOM_A $MAC1 tag=20
	kv_check_eq "domain A: only vnet1" vnet1 "$(iface $DOM_A 'i["name"]')"
	tap_gone vnet9
	log_test "add-port --may-exist replaces a stale or different port of a tap, never a live one"
}

add_port_refused() {
	kv port add kvlab0 kvp36 >/dev/null || kv_setup_fail "port add kvlab0 kvp36"
	kv_check_run "add-port over a port kvnet port add made" 1 '^$' \
		"port 'kvp36' on bridge 'kvlab0' is not a VM port" \
		add_port kvlab0 kvp36 $DOM_A 52:54:00:36:00:99
	kv_check_eq "kvp36 is still kvnet's tap" tap "$(kv_port_field kvp36 type)"
	cat >"$KV_TMP/xml/kvs36.xml" <<-EOF
		<interface type='network'>
		  <source network='lab'/>
		  <target dev='kvs36'/>
		</interface>
	EOF
	kv attach-interface vmS "$KV_TMP/xml/kvs36.xml" --backend stream >/dev/null ||
		kv_setup_fail "attach-interface vmS --backend stream"
	kv_check_run "add-port over another VM's stream port" 1 '^$' \
		"port 'kvs36' is a stream port of domain 'vmS', not one on a tap libvirt made" \
		add_port kvlab0 kvs36 $DOM_A 52:54:00:36:00:97
	kv_check_run "del-port of another VM's stream port" 1 '^$' \
		"port 'kvs36' is a stream port of domain 'vmS'" del_port kvs36
	kv_check_eq "vmS keeps its port" kvs36 "$(iface vmS 'i["name"]')"
	kv_check_run "add-port without --may-exist of a port that exists" 1 '^$' \
		"port 'vnet1' exists already" \
		ovs add-port kvlab0 vnet1 -- set Interface vnet1 "external-ids:attached-mac=\"$MAC1\"" \
		-- set Interface vnet1 "external-ids:vm-id=\"$DOM_A\""
	kv_check_run "add-port on a bridge kvnet does not have" 1 '^$' \
		"kvnet has no network whose bridge is 'nosuch0'" \
		add_port nosuch0 vnet1 $DOM_A $MAC1
	kv_check_run "add-port without attached-mac" 1 '^$' "no external-ids:attached-mac" \
		ovs --timeout=5 -- --may-exist add-port kvlab0 vnet1 \
		-- set Interface vnet1 "external-ids:vm-id=\"$DOM_A\""
	kv_check_run "add-port of a tap that is not there" 1 '^$' "nosuch36" \
		add_port kvlab0 nosuch36 $DOM_A 52:54:00:36:00:98
	kv_check_eq "none of it made or removed a port" "vnet1 vnet2 vnet4 vnet5 vnet6 vnet7 vnet8" \
		"$(vm_ports)"
	log_test "add-port refuses another's port, an unknown bridge, a missing MAC; changes nothing"
}

bridge_without_network() {
	kv bridge add kvplain36 >/dev/null || kv_setup_fail "bridge add kvplain36"
	tap_vm vnet10 52:54:00:36:00:10
	kv_check_run "add-port on a kvnet bridge of no network" 0 '^$' '^$' \
		add_port kvplain36 vnet10 $DOM_E 52:54:00:36:00:10 tag=5
	kv_check_eq "domain E's vnet10: type bridge, no network" "bridge None kvplain36" \
		"$(kv_q '" ".join(str(i[k]) for i in d["interfaces"] if i["name"] == "vnet10" for k in ("type", "network", "bridge"))' domain-interfaces $DOM_E)"
	kv_check_eq "vlan show vnet10" "pvid 5: 5u" "$(kv_vlans vnet10)"
	log_test "add-port on a kvnet bridge with no network: a type='bridge' interface"
}

qos_and_garbage() {
	kv_check_run "find queue" 0 '^$' '^$' ovs --timeout=5 --no-heading --columns=_uuid find \
		queue "external-ids:vm-id=\"$DOM_A\"" 'external-ids:ifname="vnet1"'
	kv_check_run "find qos" 0 '^$' '^$' ovs --timeout=5 --no-heading --columns=_uuid find \
		qos "external-ids:vm-id=\"$DOM_A\"" 'external-ids:ifname="vnet1"'
	kv_check_run "set Interface ingress_policing_rate=0" 0 '^$' '^$' ovs --timeout=5 set \
		Interface vnet1 ingress_policing_rate=0 ingress_policing_burst=0
	kv_check_run "a policing rate" 1 '^$' "does not apply libvirt's QoS" \
		ovs --timeout=5 set Interface vnet1 ingress_policing_rate=16000
	kv_check_run "a QoS row" 1 '^$' "does not apply libvirt's QoS" \
		ovs --timeout=5 set port vnet1 qos=@qos1 -- --id=@qos1 create qos type=linux-htb \
		other_config:min-rate=8000000
	kv_check_run "garbage" 1 '^$' "'list-br' is not an ovs-vsctl command kvnet understands" \
		ovs list-br
	kv_check_run "garbage options" 1 '^$' "option '--db=x' is not one" ovs --db=x show
	kv_check_run "--version" 0 'kvnet' '^$' ovs --version
	kv_check_eq "vnet1 untouched" "pvid 20: 20u" "$(kv_vlans vnet1)"
	log_test "find prints nothing, policing 0 is true; shaping and garbage refused with a reason"
}

del_port_removes() {
	# libvirt stops domain A: the tap goes, then del-port
	tap_gone vnet1
	kv_check_run "del-port vnet1" 0 '^$' '^$' del_port vnet1
	kv_check_eq "domain A has no interface" none "$(iface $DOM_A 'i')"
	kv_check_eq "no port vnet1" "no port vnet1" "$(kv_port_field vnet1 state)"
	kv_check_run "del-port vnet1 again" 0 '^$' '^$' del_port vnet1
	kv_check_run "del-port with no port (after a failed start)" 1 '^$' "del-port names no port" \
		del_port
	kv_check_run "del-port of kvnet's own port" 1 '^$' "port 'kvp36' on bridge 'kvlab0' is not a VM port" \
		del_port kvp36
	kv_check_eq "kvp36 stays" tap "$(kv_port_field kvp36 type)"
	kv_check_run "del-port BRIDGE PORT of the wrong bridge" 1 '^$' \
		"port 'vnet10' is on bridge 'kvplain36', not 'kvlab0'" \
		ovs -- --if-exists del-port kvlab0 vnet10
	kv_check_run "del-port BRIDGE PORT" 0 '^$' '^$' ovs -- --if-exists del-port kvplain36 vnet10
	kv_check_run "del-port of no port without --if-exists" 1 '^$' "no port 'vnet1'" \
		ovs del-port vnet1
	# hot-unplug: QoS clean-up first, the tap still there; then del-port
	kv_check_ok "unplug: find queue" ovs --timeout=5 --no-heading --columns=_uuid find queue \
		"external-ids:vm-id=\"$DOM_E\"" 'external-ids:ifname="vnet2"'
	kv_check_ok "unplug: policing 0" ovs --timeout=5 set Interface vnet2 \
		ingress_policing_rate=0 ingress_policing_burst=0
	tap_gone vnet2
	kv_check_ok "unplug: del-port vnet2" del_port vnet2
	kv_check_eq "domain E's vnet2 is gone" none "$(iface $DOM_E 'i')"
	kv_check_eq "the others stay" "vnet4 vnet5 vnet6 vnet7 vnet8" "$(vm_ports)"
	log_test "del-port removes the VM port of a tap, again is success, refuses what is not one"
}

restart_replug() {
	local before pids=() p i bad=0
	before=$(iface $DOM_C 'i["uuid"]')
	kvnetd_stop || kv_fail "kvnetd did not stop"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start again"
	kv_poll_eq "the ports are back from their records" "vnet4 vnet5 vnet6 vnet7 vnet8" vm_ports
	kv_check_eq "vnet8 the same port" "$before" "$(iface $DOM_C 'i["uuid"]')"
	# libvirtd restarts too: every running VM's add-port again, all at once
	add_port kvlab0 vnet8 $DOM_C $MAC3 tag=30 >"$KV_TMP/re1" 2>&1 &
	pids+=("$!")
	add_port kvlab0 vnet4 $DOM_D 52:54:00:36:00:04 vlan_mode=native-untagged tag=30 \
		trunk=20,30 >"$KV_TMP/re2" 2>&1 &
	pids+=("$!")
	add_port kvlab0 vnet5 $DOM_D 52:54:00:36:00:05 vlan_mode=native-tagged tag=20 \
		trunk=20,30,40 >"$KV_TMP/re3" 2>&1 &
	pids+=("$!")
	add_port kvlab0 vnet6 $DOM_D 52:54:00:36:00:06 trunk=50,60 >"$KV_TMP/re4" 2>&1 &
	pids+=("$!")
	add_port kvlab0 vnet7 $DOM_D 52:54:00:36:00:07 >"$KV_TMP/re5" 2>&1 &
	pids+=("$!")
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || {
			bad=1
			kv_fail "re-plug $((i + 1)) failed: $(cat "$KV_TMP/re$((i + 1))")"
		}
	done
	[ "$bad" -eq 0 ] && kv_check_eq "vnet8 still the same port" "$before" \
		"$(iface $DOM_C 'i["uuid"]')"
	kv_check_eq "nothing duplicated" "vnet4 vnet5 vnet6 vnet7 vnet8" "$(vm_ports)"
	kv_check_eq "domain D's four" "4 interfaces" "$(iface $DOM_D 'i')"
	kv_check_eq "VLANs kept" "pvid 30: 20t 30u|pvid none: 50t 60t|pvid 30: 30u" \
		"$(kv_vlans vnet4)|$(kv_vlans vnet6)|$(kv_vlans vnet8)"
	for p in vnet4 vnet5 vnet8; do
		kv_poll_eq "$p forwarding" forwarding kv_port_field $p state
	done
	vm_send vnet8 $MAC3 ff:ff:ff:ff:ff:ff d8r 3
	kv_poll_eq "traffic resumes: vnet4 hears vnet8's, untagged (native VLAN 30)" 3 \
		vm_rx vnet4 d8r 0
	kv_poll_eq "and vnet5 tagged 30" 3 vm_rx vnet5 d8r 30
	log_test "kvnetd and then libvirtd restarted: the ports return, the re-plugs change nothing"
}

no_kvnetd() {
	local t0=$SECONDS
	kv_check_run "no kvnetd, --timeout=1" 1 '^$' "cannot connect to kvnetd at $KV_TMP/none.sock" \
		ip netns exec "$SW" env KVNET_SOCKET="$KV_TMP/none.sock" "$OVS" --timeout=1 \
		-- --if-exists del-port vnet1
	kv_check_ok "gave up within 3 s" test $((SECONDS - t0)) -le 3
	kv_check_run "no kvnetd, no --timeout" 1 '^$' "is kvnetd running" \
		env KVNET_SOCKET="$KV_TMP/none.sock" "$OVS" del-port vnet1
	kv_check_run "find needs no kvnetd" 0 '^$' '^$' \
		env KVNET_SOCKET="$KV_TMP/none.sock" "$OVS" --timeout=1 find qos
	log_test "without kvnetd: an error within --timeout, naming the socket"
}

# install DEST - run the install script as `meson install --destdir DEST` (prefix /usr/local)
install_into() {
	MESON_INSTALL_PREFIX=/usr/local MESON_INSTALL_DESTDIR_PREFIX=$1/usr/local \
		sh "$KV_TOP/scripts/install-ovs-vsctl.sh" bin sbin
}

install_link() {
	local d=$KV_TMP/dest out host_ovs=""
	mkdir -p "$d"
	out=$(install_into "$d" 2>&1)
	if [ -e /usr/bin/ovs-vsctl ] || [ -e /usr/sbin/ovs-vswitchd ] || [ -e /run/openvswitch/db.sock ]; then
		# (make bench installs Open vSwitch with DPDK, its peer)
		host_ovs=1
		echo "NOTE: Open vSwitch is installed on this machine: no link expected"
		kv_check_ok "says Open vSwitch is there" grep -q "Open vSwitch is installed" <<<"$out"
		kv_check_fail "no ovs-vsctl link made beside this machine's" \
			test -L "$d/usr/local/sbin/ovs-vsctl"
	else
		kv_check_eq "ovs-vsctl links to kvnet-ovs-vsctl" /usr/local/bin/kvnet-ovs-vsctl \
			"$(readlink "$d/usr/local/sbin/ovs-vsctl")"
		kv_check_ok "installing again keeps it" install_into "$d"
		kv_check_eq "still the link" /usr/local/bin/kvnet-ovs-vsctl \
			"$(readlink "$d/usr/local/sbin/ovs-vsctl")"
	fi
	# a real Open vSwitch under the destination: no link, and it says so
	rm -f "$d/usr/local/sbin/ovs-vsctl"
	mkdir -p "$d/usr/sbin"
	: >"$d/usr/sbin/ovs-vswitchd"
	out=$(install_into "$d" 2>&1)
	kv_check_ok "exit 0 all the same" install_into "$d"
	# this machine's own Open vSwitch, if any, is named first
	if [ -z "$host_ovs" ]; then
		kv_check_ok "it says why: $out" \
			grep -q "Open vSwitch is installed ($d/usr/sbin/ovs-vswitchd exists)" <<<"$out"
	fi
	kv_check_fail "no ovs-vsctl link made" test -L "$d/usr/local/sbin/ovs-vsctl"
	# an ovs-vsctl at the link's place that is not kvnet's is never replaced
	rm -f "$d/usr/sbin/ovs-vswitchd"
	mkdir -p "$d/usr/local/sbin"
	echo "#!/bin/sh" >"$d/usr/local/sbin/ovs-vsctl"
	out=$(install_into "$d" 2>&1)
	kv_check_ok "it says why: $out" grep -q "is not kvnet's" <<<"$out"
	kv_check_eq "that file untouched" "#!/bin/sh" "$(cat "$d/usr/local/sbin/ovs-vsctl")"
	log_test "install: ovs-vsctl links to kvnet-ovs-vsctl only where no Open vSwitch is"
}

setup
tests_run
kv_exit
