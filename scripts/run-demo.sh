#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-demo.sh - `make run`: kvnetd in the foreground with a demonstration bridge.
#
# kvnetd runs inside a network namespace of its own (so it never disturbs the
# host's networking) unless KVNET_HOST_NETNS=1. Two more namespaces play two
# VMs attached to libvirt network "demo" (bridge demo0, VLAN 10 by portgroup);
# they ping each other once.
# Ctrl-C stops kvnetd, which removes its taps; this script removes its namespaces.
set -u

build=${1:-build}
run_dir=${KVNET_RUN_DIR:-/run/kvnet}
state_dir=${KVNET_STATE_DIR:-/var/lib/kvnet}
tag=kvnet-demo-$$
sw_ns=$tag-sw
vm1=$tag-vm1
vm2=$tag-vm2
made_ns=()
kvnetd_pid=
xml_dir=

cleanup() {
	[ -n "$xml_dir" ] && rm -rf "$xml_dir"
	[ -n "$kvnetd_pid" ] && kill -TERM "$kvnetd_pid" 2>/dev/null && wait "$kvnetd_pid" 2>/dev/null
	for ns in "${made_ns[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

kv() { "$build/kvnet" --socket "$run_dir/kvnetd.sock" "$@"; }
addns() { ip netns add "$1" && made_ns+=("$1"); }

if [ "$(id -u)" -ne 0 ]; then
	echo "run-demo: the demonstration makes network namespaces and taps: run it as root" >&2
	exit 1
fi
addns "$vm1" && addns "$vm2" || exit 1
if [ "${KVNET_HOST_NETNS:-0}" = 1 ]; then
	prefix=()
	where="the host's network namespace"
else
	addns "$sw_ns" || exit 1
	ip -n "$sw_ns" link set lo up
	prefix=(ip netns exec "$sw_ns")
	where="network namespace $sw_ns"
fi

"${prefix[@]}" "$build/kvnetd" --run-dir "$run_dir" --state-dir "$state_dir" &
kvnetd_pid=$!
for _ in $(seq 100); do
	kv version >/dev/null 2>&1 && break
	kill -0 "$kvnetd_pid" 2>/dev/null || { kvnetd_pid=; exit 1; }
	sleep 0.1
done

# the network as libvirt users write it: VLAN 10 for the "web" portgroup
xml_dir=$(mktemp -d /tmp/kvnet-demo.XXXXXX)
cat >"$xml_dir/demo.xml" <<XML
<network>
  <name>demo</name>
  <bridge name='demo0'/>
  <portgroup name='web' default='yes'>
    <vlan><tag id='10'/></vlan>
  </portgroup>
</network>
XML
for vm in 1 2; do
	cat >"$xml_dir/vm$vm.xml" <<XML
<interface type='network'>
  <source network='demo' portgroup='web'/>
  <target dev='vm${vm}eth0'/>
</interface>
XML
done
kv net-define "$xml_dir/demo.xml" >/dev/null &&
	kv net-start demo >/dev/null &&
	kv attach-interface vm1 "$xml_dir/vm1.xml" --netns "$vm1" >/dev/null &&
	kv attach-interface vm2 "$xml_dir/vm2.xml" --netns "$vm2" >/dev/null || exit 1
rm -rf "$xml_dir"
xml_dir=
ip -n "$vm1" link set vm1eth0 up && ip -n "$vm1" addr add 10.99.0.1/24 dev vm1eth0
ip -n "$vm2" link set vm2eth0 up && ip -n "$vm2" addr add 10.99.0.2/24 dev vm2eth0

kvcmd=$build/kvnet
[ "$run_dir" = /run/kvnet ] || kvcmd+=" --socket $run_dir/kvnetd.sock"
cat <<MSG

kvnetd is running in $where (pid $kvnetd_pid), socket $run_dir/kvnetd.sock.
Network demo (libvirt network XML, defined in $state_dir/networks/demo.xml)
runs on bridge demo0. Domains vm1 and vm2 are attached to its portgroup
"web" (VLAN 10) by libvirt <interface> XML; their taps vm1eth0 and vm2eth0
are in namespaces standing in for the VMs ($vm1: 10.99.0.1, $vm2: 10.99.0.2).

MSG
ip netns exec "$vm1" ping -c 3 -i 0.2 10.99.0.2 | tail -2
cat <<MSG

Try, from another shell:
  $kvcmd net-list --all
  $kvcmd net-dumpxml demo
  $kvcmd domain-interfaces vm1
  $kvcmd bridge show
  $kvcmd port show demo0
  $kvcmd vlan show
  $kvcmd fdb show demo0
  $kvcmd stats show demo0
  $kvcmd port add demo0 tap9                # one more tap port
  ip netns exec $vm1 ping 10.99.0.2
(add --json to any show command; KVNET_SOCKET or --socket pick another daemon)

Press Ctrl-C to stop kvnetd; it removes its taps, and this script its namespaces.
MSG
wait "$kvnetd_pid"
kvnetd_pid=
