#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-demo.sh - `make run`: kvnetd in the foreground with a demonstration bridge.
#
# kvnetd runs inside a network namespace of its own (so it never disturbs the
# host's networking) unless KVNET_HOST_NETNS=1. Two more namespaces play two
# VMs on tap ports of bridge demo0 in VLAN 10; they ping each other once.
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

cleanup() {
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

kv bridge add demo0 >/dev/null &&
	kv port add demo0 vm1eth0 netns "$vm1" >/dev/null &&
	kv port add demo0 vm2eth0 netns "$vm2" >/dev/null &&
	for p in vm1eth0 vm2eth0; do
		kv vlan del "$p" vid 1 && kv vlan add "$p" vid 10 pvid untagged
	done || exit 1
ip -n "$vm1" link set vm1eth0 up && ip -n "$vm1" addr add 10.99.0.1/24 dev vm1eth0
ip -n "$vm2" link set vm2eth0 up && ip -n "$vm2" addr add 10.99.0.2/24 dev vm2eth0

kvcmd=$build/kvnet
[ "$run_dir" = /run/kvnet ] || kvcmd+=" --socket $run_dir/kvnetd.sock"
cat <<MSG

kvnetd is running in $where (pid $kvnetd_pid), socket $run_dir/kvnetd.sock.
Bridge demo0 has two tap ports in VLAN 10, vm1eth0 and vm2eth0, each in a
namespace standing in for a VM ($vm1: 10.99.0.1, $vm2: 10.99.0.2).

MSG
ip netns exec "$vm1" ping -c 3 -i 0.2 10.99.0.2 | tail -2
cat <<MSG

Try, from another shell:
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
