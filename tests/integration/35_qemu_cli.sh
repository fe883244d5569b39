#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 35_qemu_cli.sh - VM ports for QEMU from the CLI: port-create and attach-interface with each
# back-end, the QEMU arguments they and qemu-args print, the errors; the kvnet-ifup and
# kvnet-ifdown scripts QEMU runs for -netdev tap; and a real QEMU (paused, no guest) taking
# the printed arguments as they are
#
#   network n35 (switch kvbr35), portgroup pg10 (<vlan> 10); kvnetd in ns sw
#     s35 stream, d35 dgram, t35 tap (kvnet's), e35 dev (a tap the test makes in sw)
#     t35a, t35b: taps the test makes in sw, standing in for QEMU's, for kvnet-ifup
#
# The QEMU that the stream reconnect option depends on is a fake one ($KVNET_QEMU, a script
# printing a version), so that the expected arguments do not depend on the QEMU installed.

ALL_TESTS="port_create_stream port_create_dgram port_create_tap port_create_dev
	port_create_bridge attach_interface nic_models stream_connect qemu_args_domain reconnect_probe vlan_options cli_errors
	ifup_ifdown ifup_config_file ifup_errors qemu_takes_args"

source "$(dirname "$0")/lib.sh"

SCRIPTS=$KV_TOP/scripts/qemu
MAC_S=52:54:00:35:00:01
MAC_D=52:54:00:35:00:02
MAC_T=52:54:00:35:00:03
MAC_E=52:54:00:35:00:04

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	cat >"$X/n35.xml" <<-'EOF'
		<network>
		  <name>n35</name>
		  <bridge name='kvbr35'/>
		  <portgroup name='pg10'>
		    <vlan>
		      <tag id='10'/>
		    </vlan>
		  </portgroup>
		</network>
	EOF
	kv_net_up "$X/n35.xml" n35
	fake_qemu 7.2.22
	fake_qemu 8.1.0
	fake_qemu 9.2.1
	export KVNET_QEMU=$KV_TMP/qemu-7.2.22
	export KVNET_QEMU_SCRIPTS=$SCRIPTS
	PORTS=$KV_RUN/ports
}

# fake_qemu VERSION - $KV_TMP/qemu-VERSION, which answers --version as QEMU VERSION does
fake_qemu() {
	printf '#!/bin/sh\necho "QEMU emulator version %s (kvnet test)"\necho "Copyright"\n' "$1" \
		>"$KV_TMP/qemu-$1"
	chmod +x "$KV_TMP/qemu-$1"
}

# qemu_line - the "QEMU args:" line of the last kv_run's output, without its label
qemu_line() {
	printf '%s\n' "$KV_OUT" | sed -n 's/^QEMU args: *//p'
}

# field LABEL - the value of "LABEL:" in the last kv_run's output
field() {
	printf '%s\n' "$KV_OUT" | sed -n "s/^$1: *//p"
}

# iface DOMAIN PORT FIELD - a member of PORT's entry in domain-interfaces DOMAIN
iface() {
	kv_q "next((i.get(\"$3\", \"(no $3)\") for i in d[\"interfaces\"] if i[\"name\"] == \"$2\"),
		\"(no interface $2)\")" domain-interfaces "$1"
}

# unix_listening PATH - "listening" if a UNIX stream socket listens at PATH in kvnetd's ns
unix_listening() {
	if ip netns exec "$SW" ss -xlnH 2>/dev/null | grep -qF " $1 "; then
		echo listening
	else
		echo "not listening"
	fi
}

# unix_bound PATH - "bound" if a UNIX datagram socket is bound to PATH in kvnetd's ns
unix_bound() {
	if ip netns exec "$SW" ss -xanH 2>/dev/null | grep -E '^u_dgr' | grep -qF " $1 "; then
		echo bound
	else
		echo "not bound"
	fi
}

stream_args() {
	echo "-netdev stream,id=net-$1,server=off,addr.type=unix,addr.path=$PORTS/$1.sock$3" \
		"-device virtio-net-pci,netdev=net-$1,mac=$2"
}

port_create_stream() {
	kv_check_run "port-create stream" 0 "^Port created successfully" "^$" \
		kv port-create n35 --backend stream --name s35 --mac $MAC_S --portgroup pg10
	kv_check_eq "its Interface:" s35 "$(field Interface)"
	kv_check_eq "its MAC:" $MAC_S "$(field MAC)"
	kv_check_eq "its Network:" n35 "$(field Network)"
	kv_check_eq "its Domain: (its name, when none is given)" s35 "$(field Domain)"
	kv_check_eq "its Backend:" stream "$(field Backend)"
	kv_check_eq "its Socket:" "$PORTS/s35.sock" "$(field Socket)"
	kv_check_eq "its QEMU args (QEMU 7.2: no reconnect)" "$(stream_args s35 $MAC_S)" \
		"$(qemu_line)"
	kv_check_eq "kvnet listens on the socket" listening "$(unix_listening "$PORTS/s35.sock")"
	kv_check_eq "the port is in port show, type stream" stream "$(kv_port_field s35 type)"
	kv_check_eq "its VLAN is the portgroup's" "pvid 10: 10u" "$(kv_vlans s35)"
	kv_check_eq "domain-interfaces: backend" stream "$(iface s35 s35 backend)"
	kv_check_eq "domain-interfaces: listen" true "$(iface s35 s35 listen)"
	kv_check_eq "no QEMU yet: link down" down "$(iface s35 s35 link)"
	kv_check_eq "qemu-args" "$(stream_args s35 $MAC_S)" "$(kv qemu-args s35 2>&1)"
	log_test "port-create --backend stream: a listening socket, its QEMU arguments"
}

port_create_dgram() {
	local want="-netdev dgram,id=net-d35,local.type=unix,local.path=$PORTS/d35.qemu.sock"
	want+=",remote.type=unix,remote.path=$PORTS/d35.sock"
	want+=" -device virtio-net-pci,netdev=net-d35,mac=$MAC_D"
	kv_check_run "port-create dgram" 0 "^Port created successfully" "^$" \
		kv port-create n35 --backend dgram --name d35 --mac $MAC_D --domain vm35d
	kv_check_eq "its Domain:" vm35d "$(field Domain)"
	kv_check_eq "its Backend:" dgram "$(field Backend)"
	kv_check_eq "its Socket:" "$PORTS/d35.sock" "$(field Socket)"
	kv_check_eq "its QEMU args" "$want" "$(qemu_line)"
	kv_check_eq "kvnet's socket is bound" bound "$(unix_bound "$PORTS/d35.sock")"
	kv_check_eq "domain-interfaces: peer_socket" "$PORTS/d35.qemu.sock" \
		"$(iface vm35d d35 peer_socket)"
	kv_check_eq "no portgroup, no <vlan>: VLAN 1" "pvid 1: 1u" "$(kv_vlans d35)"
	kv_check_eq "qemu-args" "$want" "$(kv qemu-args vm35d 2>&1)"
	log_test "port-create --backend dgram: a bound socket, its QEMU arguments"
}

port_create_tap() {
	local want="-netdev tap,id=net-t35,ifname=t35,script=no,downscript=no"
	want+=" -device virtio-net-pci,netdev=net-t35,mac=$MAC_T"
	kv_check_run "port-create tap" 0 "^Port created successfully" "^$" \
		kv port-create n35 --name t35 --mac $MAC_T --vlan 20
	kv_check_eq "tap is the default back-end" tap "$(field Backend)"
	kv_check_eq "no Socket: for a tap" "" "$(field Socket)"
	kv_check_eq "its QEMU args" "$want" "$(qemu_line)"
	ip -n "$SW" link show t35 >/dev/null 2>&1 || kv_fail "tap t35 is not in kvnetd's namespace"
	kv_check_eq "its own VLAN" "pvid 20: 20u" "$(kv_vlans t35)"
	kv_poll_eq "no QEMU has the tap: link down" down kv_q 'd["interfaces"][0]["link"]' \
		domain-interfaces t35
	kv_check_eq "qemu-args" "$want" "$(kv qemu-args t35 2>&1)"
	log_test "port-create --backend tap: kvnet's tap, QEMU opens it by name"
}

port_create_dev() {
	local want="-netdev tap,id=net-e35,ifname=e35,script=$SCRIPTS/kvnet-ifup"
	want+=",downscript=$SCRIPTS/kvnet-ifdown -device virtio-net-pci,netdev=net-e35,mac=$MAC_E"
	ip -n "$SW" tuntap add mode tap name e35 || kv_setup_fail "tap e35 in $SW"
	ip -n "$SW" link set e35 up
	kv_check_run "port-create dev" 0 "^Port created successfully" "^$" \
		kv port-create n35 --backend dev --name e35 --mac $MAC_E --portgroup pg10
	kv_check_eq "its Backend:" dev "$(field Backend)"
	kv_check_eq "its QEMU args name the scripts" "$want" "$(qemu_line)"
	kv_check_eq "the port is an attached interface" dev "$(kv_port_field e35 type)"
	kv_check_ok "detach-interface" kv detach-interface e35 --mac $MAC_E
	ip -n "$SW" link show e35 >/dev/null 2>&1 ||
		kv_fail "detaching a dev port deleted the interface"
	log_test "port-create --backend dev: an existing interface, QEMU runs kvnet-ifup"
}

port_create_bridge() {
	kv_check_ok "a kvnet bridge of no network" kv bridge add kvbr35b
	kv_check_run "port-create --bridge" 0 "^Port created successfully" "^$" \
		kv port-create --bridge kvbr35b --backend stream --name b35 --vlan 5
	kv_check_eq "no Network: line" "" "$(field Network)"
	kv_check_eq "its Bridge:" kvbr35b "$(field Bridge)"
	kv_check_eq "domain-interfaces: type bridge" bridge "$(iface b35 b35 type)"
	kv_check_eq "its VLAN" "pvid 5: 5u" "$(kv_vlans b35)"
	kv_check_run "--portgroup with --bridge" 2 "^$" "--portgroup is for a network" \
		kv port-create --bridge kvbr35b --portgroup pg10
	kv_check_run "a network and --bridge" 2 "^$" "needs a NETWORK or --bridge" \
		kv port-create n35 --bridge kvbr35b
	log_test "port-create --bridge: a type='bridge' interface on a kvnet bridge"
}

attach_interface() {
	local want
	cat >"$X/a35.xml" <<-EOF
		<interface type='network'>
		  <source network='n35' portgroup='pg10'/>
		  <mac address='52:54:00:35:00:11'/>
		  <target dev='a35'/>
		</interface>
	EOF
	want=$(stream_args a35 52:54:00:35:00:11)
	kv_check_run "attach-interface --backend stream" 0 \
		"^Interface attached successfully" "^$" \
		kv attach-interface vm35a "$X/a35.xml" --backend stream
	kv_check_eq "first line as virsh's" "Interface attached successfully" \
		"$(printf '%s\n' "$KV_OUT" | head -n 1)"
	kv_check_eq "its Interface:" a35 "$(field Interface)"
	kv_check_eq "no Domain: line (it was given)" "" "$(field Domain)"
	kv_check_eq "its QEMU args" "$want" "$(qemu_line)"
	# the --json of attach itself: its result with qemu_args added
	kv detach-interface vm35a --mac 52:54:00:35:00:11 >/dev/null 2>&1
	kv_run kvj attach-interface vm35a "$X/a35.xml" --backend stream
	kv_check_eq "attach --json exits 0" 0 "$KV_RC"
	kv_check_eq "attach --json: qemu_args" "$want" \
		"$(printf '%s' "$KV_OUT" | "$KV_PY" -c 'import json,sys; print(" ".join(json.load(sys.stdin)["qemu_args"]))' 2>&1)"
	log_test "attach-interface --backend stream prints the QEMU arguments"
}

# the interface's <model> is the NIC qemu-args prints; a model kvnet does not know is refused
nic_models() {
	local m dev
	for m in e1000 e1000e rtl8139; do
		cat >"$X/m35.xml" <<-EOF
			<interface type='network'>
			  <source network='n35'/>
			  <mac address='52:54:00:35:00:21'/>
			  <model type='$m'/>
			  <target dev='m35'/>
			</interface>
		EOF
		kv_check_run "attach-interface with <model type='$m'>" 0 \
			"^Interface attached successfully" "^$" \
			kv attach-interface m35 "$X/m35.xml" --backend stream
		dev=$(kv qemu-args m35 2>&1 | sed -n 's/.*-device \([^ ]*\).*/\1/p')
		kv_check_eq "qemu-args: the $m NIC" "$m,netdev=net-m35,mac=52:54:00:35:00:21" "$dev"
		kv_check_eq "domain-interfaces: its model" "$m" \
			"$(kv_q 'd["interfaces"][0]["model"]' domain-interfaces m35)"
		kv detach-interface m35 --mac 52:54:00:35:00:21 >/dev/null 2>&1
	done
	# the last one stays, for qemu_takes_args
	sed -i "s/rtl8139/e1000/" "$X/m35.xml"
	kv attach-interface m35 "$X/m35.xml" --backend stream >/dev/null 2>&1 ||
		kv_fail "attach-interface m35 (e1000) again"
	cat >"$X/bad35.xml" <<-EOF
		<interface type='network'>
		  <source network='n35'/>
		  <model type='ne2k_pci'/>
		</interface>
	EOF
	kv_check_run "attach-interface with <model type='ne2k_pci'>" 1 "^$" \
		"is not a NIC kvnet knows \(expected virtio, e1000, e1000e or rtl8139\)" \
		kv attach-interface bad35 "$X/bad35.xml" --backend stream
	kv_check_eq "no port made for it" "" "$(kv_q 'd["interfaces"]' domain-interfaces bad35 |
		tr -d '[]')"
	log_test "<model type> is the -device qemu-args prints; an unknown model is refused"
}

stream_connect() {
	local rel
	cat >"$X/c35.xml" <<-EOF
		<interface type='network'>
		  <source network='n35'/>
		  <mac address='52:54:00:35:00:21'/>
		  <target dev='c35'/>
		</interface>
	EOF
	kv_check_run "attach-interface --connect" 0 "" "^$" \
		kv attach-interface vm35c "$X/c35.xml" --backend stream --connect "$KV_TMP/vm35c.sock"
	kv_check_eq "QEMU listens (server=on) where kvnet connects" \
		"-netdev stream,id=net-c35,server=on,addr.type=unix,addr.path=$KV_TMP/vm35c.sock -device virtio-net-pci,netdev=net-c35,mac=52:54:00:35:00:21" \
		"$(qemu_line)"
	kv_check_eq "domain-interfaces: listen" false "$(iface vm35c c35 listen)"
	# a relative path is kvnet's working directory's, not kvnetd's
	sed -e 's/c35/r35/; s/:21/:22/' "$X/c35.xml" >"$X/r35.xml"
	rel=$(cd "$KV_TMP" && kv port-create n35 --backend stream --name r35 --connect rel35.sock \
		2>&1 | sed -n 's/^Socket: *//p')
	kv_check_eq "a relative --connect path is made absolute" "$KV_TMP/rel35.sock" "$rel"
	log_test "stream --connect: kvnet connects, QEMU is the server"
}

qemu_args_domain() {
	local a b
	kv_check_ok "two interfaces for vm35q" \
		kv port-create n35 --backend stream --name q35a --mac 52:54:00:35:00:31 --domain vm35q
	kv_check_ok "" kv port-create n35 --backend dgram --name q35b --mac 52:54:00:35:00:32 \
		--domain vm35q
	a=$(stream_args q35a 52:54:00:35:00:31)
	b="-netdev dgram,id=net-q35b,local.type=unix,local.path=$PORTS/q35b.qemu.sock"
	b+=",remote.type=unix,remote.path=$PORTS/q35b.sock"
	b+=" -device virtio-net-pci,netdev=net-q35b,mac=52:54:00:35:00:32"
	kv_check_run "qemu-args vm35q" 0 "" "^$" kv qemu-args vm35q
	kv_check_eq "both interfaces, one line" "$a $b" "$KV_OUT"
	kv_check_eq "one line" 1 "$(printf '%s\n' "$KV_OUT" | wc -l)"
	kv_check_eq "--json: args" "$a $b" "$(kv_q '" ".join(d["args"])' qemu-args vm35q)"
	kv_check_eq "--json: each interface's netdev" \
		"stream,id=net-q35a dgram,id=net-q35b" \
		"$(kv_q '" ".join(",".join(i["netdev"].split(",")[:2]) for i in d["interfaces"])' \
			qemu-args vm35q)"
	kv_check_run "qemu-args of a domain without interfaces" 1 "^$" \
		"domain 'nobody' has no interfaces" kv qemu-args nobody
	log_test "qemu-args: every interface of a domain on one line, --json"
}

reconnect_probe() {
	local base out
	base=$(stream_args s35 $MAC_S)
	out=$(KVNET_QEMU=$KV_TMP/qemu-8.1.0 kv qemu-args s35 2>&1)
	kv_check_eq "QEMU 8.1: reconnect=1" "$(stream_args s35 $MAC_S ,reconnect=1)" "$out"
	out=$(KVNET_QEMU=$KV_TMP/qemu-9.2.1 kv qemu-args s35 2>&1)
	kv_check_eq "QEMU 9.2: reconnect-ms=1000" "$(stream_args s35 $MAC_S ,reconnect-ms=1000)" \
		"$out"
	out=$(KVNET_QEMU=$KV_TMP/no-such-qemu kv qemu-args s35 2>&1)
	kv_check_eq "no QEMU: no reconnect, no error" "$base" "$out"
	out=$(KVNET_QEMU=$KV_TMP/qemu-9.2.1 kv qemu-args vm35c 2>&1)
	kv_check_eq "QEMU the server (--connect): never a reconnect" \
		"-netdev stream,id=net-c35,server=on,addr.type=unix,addr.path=$KV_TMP/vm35c.sock -device virtio-net-pci,netdev=net-c35,mac=52:54:00:35:00:21" \
		"$out"
	log_test "stream reconnect option as the QEMU on PATH takes it"
}

vlan_options() {
	kv_check_ok "--vlan 42" kv port-create n35 --backend stream --name v35a --vlan 42
	kv_check_eq "one VID: an access port" "pvid 42: 42u" "$(kv_vlans v35a)"
	kv_check_ok "--vlan 10-11,30" kv port-create n35 --backend stream --name v35b \
		--vlan 10-11,30 --portgroup pg10
	kv_check_eq "a list: a trunk, over the portgroup's VLAN" "pvid none: 10t 11t 30t" \
		"$(kv_vlans v35b)"
	kv_check_ok "--vlan 10:native-untagged,20" kv port-create n35 --backend stream \
		--name v35c --vlan 10:native-untagged,20
	kv_check_eq "native-untagged" "pvid 10: 10u 20t" "$(kv_vlans v35c)"
	kv_check_ok "--vlan trunk:30" kv port-create n35 --backend stream --name v35d \
		--vlan trunk:30
	kv_check_eq "trunk of one" "pvid none: 30t" "$(kv_vlans v35d)"
	kv_check_eq "domain-interfaces shows the trunk" "trunk 30" \
		"$(kv domain-interfaces v35d | awk '$1 == "v35d" { print $6, $7 }')"
	log_test "port-create --vlan: access, trunk, native VLAN"
}

cli_errors() {
	kv_check_run "unknown back-end" 2 "^$" \
		"backend 'vhost' is not valid \(expected tap, dev, stream, dgram or vhost-user\)" \
		kv port-create n35 --backend vhost
	kv_check_run "unknown back-end (attach)" 2 "^$" "backend 'foo' is not valid" \
		kv attach-interface vmx "$X/a35.xml" --backend foo
	kv_check_run "--connect with dgram" 2 "^$" \
		"--connect is only for --backend stream.*not for --backend dgram" \
		kv port-create n35 --backend dgram --connect /tmp/x.sock
	kv_check_run "--connect with the default tap" 2 "^$" \
		"--connect is only for --backend stream" \
		kv attach-interface vmx "$X/a35.xml" --connect /tmp/x.sock
	kv_check_run "--netns with stream" 2 "^$" "--netns is only for --backend tap" \
		kv port-create n35 --backend stream --netns "$SW"
	kv_check_run "dev without --name" 2 "^$" "--backend dev needs --name IFNAME" \
		kv port-create n35 --backend dev
	kv_check_run "a network that does not exist" 1 "^$" "network 'nope35' does not exist" \
		kv port-create nope35 --backend stream
	kv_check_run "neither network nor bridge" 2 "^$" "needs a NETWORK or --bridge" \
		kv port-create --backend stream
	kv_check_run "bad --vlan" 2 "^$" "--vlan: '5000' is not a VID" \
		kv port-create n35 --vlan 10,5000
	kv_check_run "two native VLANs" 2 "^$" "only one VID may be native" \
		kv port-create n35 --vlan 10:native-untagged,20:native-tagged
	kv_check_run "a portgroup the network lacks" 1 "^$" "portgroup" \
		kv port-create n35 --backend stream --portgroup nopg
	kv_check_run "a name taken" 1 "^$" "s35" kv port-create n35 --backend stream --name s35
	# a path a shell would split: qemu-args refuses, --json is fine
	kv_check_ok "--connect with a space" kv port-create n35 --backend stream --name sp35 \
		--connect "$KV_TMP/a b.sock"
	kv_check_run "qemu-args refuses a path with a space" 1 "^$" \
		"white space, a glob or a control character.*--json" kv qemu-args sp35
	kv_check_eq "--json qemu-args has it" "$KV_TMP/a b.sock" \
		"$(kv_q 'd["args"][1].split("addr.path=")[1]' qemu-args sp35)"
	kv_check_run "--connect with a comma: doubled for QEMU" 0 "" "^$" \
		kv port-create n35 --backend stream --name cm35 --connect "$KV_TMP/a,b.sock"
	kv_check_eq "the comma doubled" \
		"-netdev stream,id=net-cm35,server=on,addr.type=unix,addr.path=$KV_TMP/a,,b.sock" \
		"$(qemu_line | cut -d' ' -f1-2)"
	log_test "port-create, attach-interface, qemu-args: errors say what is wrong"
}

# ifup ENV... -- IFNAME: run kvnet-ifup in kvnetd's namespace (where QEMU would make its tap),
# with ENV and this test's kvnet and socket; KV_RC, KV_OUT, KV_ERR as kv_run sets them
ifup() {
	script kvnet-ifup "$@"
}

ifdown() {
	script kvnet-ifdown "$@"
}

script() {
	local name=$1 env=()
	shift
	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	kv_run timeout "$KV_CMD_TIMEOUT" ip netns exec "$SW" env -u KVNET_NETWORK -u KVNET_MAC \
		KVNET_CLI="$KVNET" KVNET_SOCKET="$KV_SOCK" KVNET_IFUP_DIR="$KV_TMP/ifup.d" \
		"${env[@]}" sh "$SCRIPTS/$name" "$@"
}

ifup_ifdown() {
	ip -n "$SW" tuntap add mode tap name t35a || kv_setup_fail "tap t35a in $SW"
	ifup KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:41 KVNET_PORTGROUP=pg10 \
		KVNET_DOMAIN=vm35i -- t35a
	kv_check_eq "kvnet-ifup exits 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "the port is in port show, attached (dev)" dev "$(kv_port_field t35a type)"
	kv_check_eq "domain-interfaces: the VM's MAC" 52:54:00:35:00:41 "$(iface vm35i t35a mac)"
	kv_check_eq "domain-interfaces: the portgroup" pg10 "$(iface vm35i t35a portgroup)"
	kv_check_eq "the portgroup's VLAN" "pvid 10: 10u" "$(kv_vlans t35a)"
	ip -n "$SW" link show t35a | grep -q '[<,]UP[,>]' || kv_fail "kvnet-ifup left t35a down"
	ifup -- t35a
	kv_check_eq "kvnet-ifup without a network on a port already made: 0" 0 "$KV_RC"
	kv_check_eq "the port is left as it is" pg10 "$(iface vm35i t35a portgroup)"
	ifup KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:41 -- t35
	kv_check_eq "kvnet-ifup on kvnet's own tap: 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "kvnet's tap is left as it is" tap "$(iface t35 t35 backend)"
	# the port of an earlier t35a, gone (QEMU killed before kvnet-ifdown): replaced
	ip -n "$SW" link del t35a && ip -n "$SW" tuntap add mode tap name t35a ||
		kv_setup_fail "tap t35a again in $SW"
	ifup KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:44 KVNET_DOMAIN=vm35i -- t35a
	kv_check_eq "kvnet-ifup on a new tap of the name: 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "the port is on the new tap" \
		"$(ip -n "$SW" -o link show dev t35a | cut -d: -f1)" "$(kv_port_field t35a ifindex)"
	kv_check_eq "the domain has that one port, made again" 52:54:00:35:00:44 \
		"$(kv_q '" ".join(i["mac"] for i in d["interfaces"])' domain-interfaces vm35i)"
	ifdown -- t35a
	kv_check_eq "kvnet-ifdown exits 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "the port is gone" "no port t35a" "$(kv_port_field t35a type)"
	kv_check_eq "the domain has no interface" "(no interface t35a)" "$(iface vm35i t35a mac)"
	ip -n "$SW" link show t35a >/dev/null 2>&1 || kv_fail "kvnet-ifdown deleted QEMU's tap"
	ifdown -- t35a
	kv_check_eq "kvnet-ifdown of a tap that is no port: 0" 0 "$KV_RC"
	printf '%s' "$KV_ERR" | grep -q "t35a: not removed from kvnet" ||
		kv_fail "kvnet-ifdown of an unknown port says nothing: '$KV_ERR'"
	# a trunk from KVNET_VLAN, the domain defaults to the tap's name
	ifup KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:42 KVNET_VLAN=20,30 -- t35a
	kv_check_eq "kvnet-ifup with KVNET_VLAN exits 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "KVNET_VLAN's trunk" "pvid none: 20t 30t" "$(kv_vlans t35a)"
	kv_check_eq "the domain is the tap's name" 52:54:00:35:00:42 "$(iface t35a t35a mac)"
	ifdown -- t35a
	# a bridge of no network
	ifup KVNET_BRIDGE=kvbr35b KVNET_MAC=52:54:00:35:00:43 KVNET_VLAN=6 -- t35a
	kv_check_eq "kvnet-ifup with KVNET_BRIDGE exits 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "on the bridge" bridge "$(iface t35a t35a type)"
	kv_check_eq "with its VLAN" "pvid 6: 6u" "$(kv_vlans t35a)"
	ifdown -- t35a
	log_test "kvnet-ifup attaches QEMU's tap with its VLAN, kvnet-ifdown removes it"
}

ifup_config_file() {
	ip -n "$SW" tuntap add mode tap name t35b || kv_setup_fail "tap t35b in $SW"
	mkdir -p "$KV_TMP/ifup.d"
	cat >"$KV_TMP/ifup.d/t35b.conf" <<-'EOF'
		KVNET_NETWORK=n35
		KVNET_MAC=52:54:00:35:00:51
		KVNET_VLAN=10:native-untagged,40
		KVNET_DOMAIN=vm35f
	EOF
	ifup KVNET_NETWORK=nope -- t35b
	kv_check_eq "kvnet-ifup from t35b.conf exits 0 (stderr: $KV_ERR)" 0 "$KV_RC"
	kv_check_eq "the file's VLAN" "pvid 10: 10u 40t" "$(kv_vlans t35b)"
	kv_check_eq "the file's MAC and domain" 52:54:00:35:00:51 "$(iface vm35f t35b mac)"
	ifdown -- t35b
	kv_check_eq "the port is gone" "no port t35b" "$(kv_port_field t35b type)"
	log_test "kvnet-ifup reads /etc/kvnet/ifup.d/IFNAME.conf (KVNET_IFUP_DIR)"
}

ifup_errors() {
	ip -n "$SW" tuntap add mode tap name t35c || kv_setup_fail "tap t35c in $SW"
	ifup KVNET_MAC=52:54:00:35:00:61 -- t35c
	kv_check_eq "no KVNET_NETWORK: exit 1" 1 "$KV_RC"
	printf '%s' "$KV_ERR" | grep -q "kvnet-ifup: t35c: KVNET_NETWORK is not set" ||
		kv_fail "no KVNET_NETWORK: stderr is '$KV_ERR'"
	ifup KVNET_NETWORK=n35 -- t35c
	kv_check_eq "no KVNET_MAC: exit 1" 1 "$KV_RC"
	printf '%s' "$KV_ERR" | grep -q "KVNET_MAC is not set" ||
		kv_fail "no KVNET_MAC: stderr is '$KV_ERR'"
	ifup KVNET_NETWORK=nope35 KVNET_MAC=52:54:00:35:00:61 -- t35c
	kv_check_eq "a network that does not exist: exit 1" 1 "$KV_RC"
	printf '%s' "$KV_ERR" | grep -q "network 'nope35' does not exist" ||
		kv_fail "a network that does not exist: stderr is '$KV_ERR'"
	ifup KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:61 -- nosuch35
	kv_check_eq "a tap that is not there: exit 1" 1 "$KV_RC"
	printf '%s' "$KV_ERR" | grep -q "no interface nosuch35" ||
		kv_fail "a tap that is not there: stderr is '$KV_ERR'"
	kv_check_eq "nothing was attached" "no port t35c" "$(kv_port_field t35c type)"
	# libvirt runs the downscript with "(null)" after a failed <script>: nothing to undo
	ifdown -- '(null)'
	kv_check_eq "kvnet-ifdown '(null)': exit 0" 0 "$KV_RC"
	kv_check_eq "kvnet-ifdown '(null)': says nothing" "" "$KV_ERR"
	log_test "kvnet-ifup fails, saying why, without a network, a MAC or a tap"
}

# qemu_run NAME ARGS... - a paused QEMU (no guest runs) in kvnetd's namespace with ARGS (the
# network ones) and QEMU_ENV in its environment; QEMU_PID. Its output in $KV_TMP/qemu-NAME.log.
qemu_run() {
	local name=$1
	shift
	ip netns exec "$SW" env "${QEMU_ENV[@]}" qemu-system-x86_64 -M q35 -S -nodefaults \
		-no-user-config -display none "$@" </dev/null >"$KV_TMP/qemu-$name.log" 2>&1 &
	QEMU_PID=$!
	KV_PIDS+=("$QEMU_PID")
}

# qemu_end - SIGTERM the QEMU of qemu_run (it runs its downscript), and reap it
qemu_end() {
	local i
	kill -TERM "$QEMU_PID" 2>/dev/null
	for ((i = 0; i < KV_WAIT * 10; i++)); do
		kv_is_child "$QEMU_PID" || break
		sleep 0.1
	done
	kv_is_child "$QEMU_PID" && kill -KILL "$QEMU_PID"
	wait "$QEMU_PID" 2>/dev/null
	kv_forget "$QEMU_PID"
}

# qemu_said NAME - print what the QEMU of qemu_run NAME said, but that it ended on SIGTERM
qemu_said() {
	local out
	out=$(grep -v 'terminating on signal' "$KV_TMP/qemu-$1.log" | head -c 300)
	[ -n "$out" ] && echo "NOTE: QEMU ($1) said: $out"
}

qemu_takes_args() {
	local dom args
	if ! command -v qemu-system-x86_64 >/dev/null; then
		echo "NOTE: qemu-system-x86_64 is not installed: QEMU not run on the arguments"
		log_test "a real QEMU takes the printed arguments (not run)"
		return
	fi
	QEMU_ENV=(KVNET_CLI="$KVNET" KVNET_SOCKET="$KV_SOCK")
	unset KVNET_QEMU
	for dom in s35 vm35d t35 vm35c m35; do
		args=$(kv qemu-args $dom) || {
			kv_fail "qemu-args $dom failed"
			continue
		}
		# shellcheck disable=SC2086 # the arguments are words
		qemu_run $dom $args
		kv_poll_eq "$dom: link up with QEMU on $args" up \
			kv_q "d[\"interfaces\"][0][\"link\"]" domain-interfaces $dom
		qemu_end
		kv_poll_eq "$dom: link down when QEMU is gone" down \
			kv_q "d[\"interfaces\"][0][\"link\"]" domain-interfaces $dom
		qemu_said $dom
	done
	# -netdev tap with kvnet's scripts: QEMU makes tap q35, kvnet-ifup attaches it
	QEMU_ENV+=(KVNET_NETWORK=n35 KVNET_MAC=52:54:00:35:00:71 KVNET_PORTGROUP=pg10
		KVNET_DOMAIN=vm35s)
	qemu_run scripts -netdev "tap,id=n0,ifname=q35,script=$SCRIPTS/kvnet-ifup,downscript=$SCRIPTS/kvnet-ifdown" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:35:00:71
	kv_poll_eq "kvnet-ifup made QEMU's tap a port" dev \
		kv_q "next((i[\"backend\"] for i in d[\"interfaces\"] if i[\"name\"] == \"q35\"), \"none\")" \
		domain-interfaces vm35s
	kv_check_eq "its VLAN" "pvid 10: 10u" "$(kv_vlans q35)"
	kv_check_eq "qemu-args prints what QEMU was given" \
		"-netdev tap,id=net-q35,ifname=q35,script=$SCRIPTS/kvnet-ifup,downscript=$SCRIPTS/kvnet-ifdown -device virtio-net-pci,netdev=net-q35,mac=52:54:00:35:00:71" \
		"$(kv qemu-args vm35s 2>&1)"
	kv_poll_eq "link up: QEMU holds the tap" up kv_q 'd["interfaces"][0]["link"]' \
		domain-interfaces vm35s
	# killed: no kvnet-ifdown, the tap goes, the port stays, down; QEMU again: ifup replaces it
	kill -KILL "$QEMU_PID"
	qemu_end
	kv_poll_eq "QEMU killed: link down" down kv_q 'd["interfaces"][0]["link"]' \
		domain-interfaces vm35s
	qemu_run scripts2 -netdev "tap,id=n0,ifname=q35,script=$SCRIPTS/kvnet-ifup,downscript=$SCRIPTS/kvnet-ifdown" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:35:00:71
	kv_poll_eq "QEMU again: link up on its new tap" up kv_q 'd["interfaces"][0]["link"]' \
		domain-interfaces vm35s
	qemu_end
	kv_check_eq "kvnet-ifdown removed the port as QEMU exited" "no port q35" \
		"$(kv_port_field q35 type)"
	qemu_said scripts
	qemu_said scripts2
	log_test "a real QEMU takes the printed arguments: link up, down when it exits"
}

kv_require
setup
tests_run
kv_exit
