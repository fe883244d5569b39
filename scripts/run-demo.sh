#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-demo.sh - `make run`: kvnetd in the foreground serving libvirt's default network.
#
# kvnetd runs inside a network namespace of its own (so it never disturbs the
# host's networking) unless KVNET_HOST_NETNS=1. Two more namespaces play two
# VMs attached to libvirt's default network (virbr0, NAT, DHCP and DNS from dnsmasq);
# they take their addresses by DHCP and ping each other once.
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

# A first start defines libvirt's default network (NAT, DHCP and DNS on virbr0) and
# starts it; a state dir from before the default network existed lacks it: define it.
xml_dir=$(mktemp -d /tmp/kvnet-demo.XXXXXX)
if ! kv net-info default >/dev/null 2>&1; then
	cat >"$xml_dir/default.xml" <<XML
<network>
  <name>default</name>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
  </ip>
</network>
XML
	kv net-define "$xml_dir/default.xml" >/dev/null && kv net-autostart default >/dev/null ||
		exit 1
fi
kv net-info default 2>/dev/null | grep -q '^Active: *yes' || kv net-start default >/dev/null ||
	exit 1

# the VMs' DHCP client: busybox udhcpc, whose script applies the lease as a guest would
cat >"$xml_dir/udhcpc.sh" <<'SH'
#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/$mask" dev "$interface"
[ -n "$router" ] && ip route add default via "$router"
exit 0
SH
chmod +x "$xml_dir/udhcpc.sh"
for vm in 1 2; do
	cat >"$xml_dir/vm$vm.xml" <<XML
<interface type='network'>
  <source network='default'/>
  <target dev='vm${vm}eth0'/>
</interface>
XML
	ns_var=vm$vm
	kv attach-interface "vm$vm" "$xml_dir/vm$vm.xml" --netns "${!ns_var}" >/dev/null || exit 1
	ip -n "${!ns_var}" link set "vm${vm}eth0" up
	ip netns exec "${!ns_var}" udhcpc -i "vm${vm}eth0" -n -q -t 5 -T 1 -x "hostname:vm$vm" \
		-s "$xml_dir/udhcpc.sh" >/dev/null 2>&1 || {
		echo "run-demo: vm$vm got no DHCP lease from the default network" >&2
		exit 1
	}
done
rm -rf "$xml_dir"
xml_dir=
addr_of() { ip -n "$1" -4 -o addr show dev "$2" | awk '{print $4}'; }
vm1_addr=$(addr_of "$vm1" vm1eth0)
vm2_addr=$(addr_of "$vm2" vm2eth0)

kvcmd=$build/kvnet
[ "$run_dir" = /run/kvnet ] || kvcmd+=" --socket $run_dir/kvnetd.sock"
cat <<MSG

kvnetd is running in $where (pid $kvnetd_pid), socket $run_dir/kvnetd.sock.
libvirt's default network runs on bridge virbr0 ($state_dir/networks/default.xml):
the host port virbr0 has 192.168.122.1, dnsmasq serves DHCP and DNS on it, and
kvnet's nftables table (inet kvnet) masquerades it. Domains vm1 and vm2 are
attached by libvirt <interface> XML; their taps vm1eth0 and vm2eth0 sit in
namespaces standing in for the VMs, which took their addresses by DHCP:
$vm1: $vm1_addr, $vm2: $vm2_addr.

MSG
ip netns exec "$vm1" ping -c 3 -i 0.2 "${vm2_addr%/*}" | tail -2
echo
kv net-dhcp-leases default
cat <<MSG

Try, from another shell:
  $kvcmd net-list --all
  $kvcmd net-info default
  $kvcmd net-dumpxml default
  $kvcmd net-dhcp-leases default
  $kvcmd domain-interfaces vm1
  $kvcmd bridge show
  $kvcmd port show virbr0
  $kvcmd vlan show
  $kvcmd fdb show virbr0
  $kvcmd stats show virbr0
  $kvcmd port add virbr0 tap9               # one more tap port
  ip netns exec $vm1 ping ${vm2_addr%/*}
(add --json to any show command; KVNET_SOCKET or --socket pick another daemon)

Press Ctrl-C to stop kvnetd; it removes its taps, and this script its namespaces.
MSG
wait "$kvnetd_pid"
kvnetd_pid=
