#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-demo.sh - `make run`: kvnetd in the foreground serving libvirt's default network.
#
# kvnetd runs inside a network namespace of its own (so it never disturbs the
# host's networking) unless KVNET_HOST_NETNS=1. Two more namespaces play two
# VMs attached to libvirt's default network (virbr0, NAT, DHCP and DNS from dnsmasq);
# they take their addresses by DHCP and ping each other once. Then, if QEMU and the test
# guest (scripts/guest/build-image.sh BUILD/guest) are there, two real guests join the same
# network, one through QEMU's stream socket back-end and one through its dgram one, take
# their addresses by DHCP and ping each other; they keep running.
# Ctrl-C ends the guests and stops kvnetd, which removes its taps; this script detaches the
# domains it attached and removes its namespaces.
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
guest_dir=
guest_pids=()
domains=()

cleanup() {
	local p d mac
	[ -n "$xml_dir" ] && rm -rf "$xml_dir"
	for p in "${guest_pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -n "$guest_dir" ] && rm -rf "$guest_dir"
	# kvnetd keeps VM ports across its restarts: detach the demo's, so that a next run can
	# attach them again
	for d in "${domains[@]}"; do
		for mac in $(kv domain-interfaces "$d" 2>/dev/null | grep -oiE '([0-9a-f]{2}:){5}[0-9a-f]{2}'); do
			kv detach-interface "$d" --mac "$mac" >/dev/null 2>&1
		done
	done
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

# a session of its own: Ctrl-C reaches this script only, which detaches its domains first.
# A demonstration never shows its networks to a libvirtd this host may run (KVNET_LIBVIRT=URI
# to try that on purpose).
"${prefix[@]}" setsid "$build/kvnetd" --run-dir "$run_dir" --state-dir "$state_dir" \
	--libvirt "${KVNET_LIBVIRT:-off}" &
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
	domains+=("vm$vm")
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

# guest_boot NAME KVTEST_CMD - boot the test guest on domain NAME's interfaces (the arguments
# `kvnet qemu-args` prints), DHCP on eth0, running KVTEST_CMD; its console in guest_dir
guest_boot() {
	local args cmdline
	args=$(kv qemu-args "$1" | grep -oE -- '-(netdev|device) [^ ]+' | xargs) && [ -n "$args" ] ||
		return 1
	echo "QEMU for $1: qemu-system-x86_64 -M q35 -m 256 -nographic -kernel $img/vmlinuz" \
		"-initrd $img/initramfs.gz -append \"console=ttyS0 kvtest.ip=dhcp ...\" $args"
	cmdline="console=ttyS0 quiet panic=-1 kvtest.name=$1 kvtest.ip=dhcp"
	cmdline+=" kvtest.cmd=$(printf '%s\n' "$2" | base64 -w0)"
	# shellcheck disable=SC2086 # the arguments are words
	qemu-system-x86_64 -M q35 -m 256 -nographic -no-reboot -kernel "$img/vmlinuz" \
		-initrd "$img/initramfs.gz" -append "$cmdline" $args \
		</dev/null >"$guest_dir/$1.log" 2>&1 &
	guest_pids+=($!)
}

# guest_result NAME KEY - what guest NAME reported for KEY, once it said "ready" (120 s at most)
guest_result() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q 'KVTEST-RESULT: ready' "$guest_dir/$1.log" 2>/dev/null && break
		sleep 0.1
	done
	tr -d '\r' <"$guest_dir/$1.log" | sed -n "s/^.*KVTEST-RESULT: $2 //p" | xargs
}

# Two real guests (software emulation: a Debian cloud kernel and a busybox initramfs), each
# on a domain attached with libvirt <interface> XML: guest1 through QEMU's stream socket
# (kvnet listens, QEMU connects), guest2 through its dgram sockets. They stay up.
img=$build/guest
guests=no
if command -v qemu-system-x86_64 >/dev/null && [ -s "$img/vmlinuz" ] &&
	[ -s "$img/initramfs.gz" ]; then
	guest_dir=$(mktemp -d /tmp/kvnet-demo-guests.XXXXXX)
	for g in 1 2; do
		be=stream
		[ $g = 2 ] && be=dgram
		printf "<interface type='network'>\n  <source network='default'/>\n</interface>\n" \
			>"$guest_dir/guest$g.xml"
		domains+=("guest$g")
		kv attach-interface "guest$g" "$guest_dir/guest$g.xml" --backend "$be" >/dev/null || exit 1
	done
	idle='result ready yes; while :; do sleep 3600; done'
	echo "Booting guest1 (stream) and then guest2 (dgram) under QEMU, without KVM: a few seconds each."
	guest_boot guest1 "kvping 192.168.122.1; $idle" || exit 1
	g1_addr=$(guest_result guest1 ip)
	guest_boot guest2 "kvping 192.168.122.1; kvping ${g1_addr%/*}; $idle" || exit 1
	g2_addr=$(guest_result guest2 ip)
	g2_pings=$(guest_result guest2 ping)
	if [ -z "$g1_addr" ] || [ -z "$g2_addr" ]; then
		echo "run-demo: the guests got no DHCP lease: see $guest_dir" >&2
		guest_dir=
		exit 1
	fi
	guests=yes
	cat <<MSG

Real guests on the default network: guest1 (QEMU -netdev stream) has $g1_addr,
guest2 (QEMU -netdev dgram) has $g2_addr; guest2's pings (gateway, guest1): $g2_pings.
Their serial consoles are in $guest_dir.

MSG
else
	echo "(no QEMU or no test guest in $img: scripts/guest/build-image.sh $img makes it;" \
		"then make run shows real guests too)"
	echo
fi
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
MSG
[ "$guests" = yes ] && cat <<MSG
  $kvcmd domain-interfaces guest1          # stream: its socket, link up while QEMU is there
  $kvcmd qemu-args guest2                  # the QEMU arguments of guest2's interface
MSG
cat <<MSG
(add --json to any show command; KVNET_SOCKET or --socket pick another daemon)

Press Ctrl-C to stop kvnetd; it removes its taps, and this script its namespaces
(and ends its guests).
MSG
wait "$kvnetd_pid"
kvnetd_pid=
