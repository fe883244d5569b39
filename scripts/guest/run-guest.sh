#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-guest.sh - boot kvnet's test guest (build-image.sh) once and print its results
#
#   run-guest.sh [--image DIR] [--netns NS] [--timeout SEC] [--log FILE] TAP MAC [KVTEST_ARGS...]
#   run-guest.sh [options] --net "QEMU_NET_ARGS" [KVTEST_ARGS...]
#
# QEMU (software emulation) runs in namespace NS if given and makes tap TAP there; attach it to
# a switch meanwhile, e.g. `kvnet port add virbr0 dev:TAP` (the guest's DHCP client retries for
# 20 s). Or its NIC is what QEMU_NET_ARGS say: `--net "$(kvnet qemu-args DOMAIN)"` boots it on
# the ports of a domain attached with any back-end (stream, dgram, tap). KVTEST_ARGS go on the
# kernel command line: kvtest.ip=dhcp|ADDR/LEN, kvtest.gw=, kvtest.vlan=, kvtest.name=,
# kvtest.cmd=BASE64 (see scripts/guest/init). Prints the guest's "KVTEST-RESULT:" lines and the
# seconds from QEMU's start to KVTEST-DONE. Exit 0 if the guest finished, 1 if not within SEC
# (QEMU is then ended by its PID), 2 on a usage error.
set -u

img=${KVNET_BUILD:-build}/guest ns="" max=120 log="" net=""
while [ $# -gt 0 ]; do
	case $1 in
	--image) img=$2; shift 2 ;;
	--net) net=$2; shift 2 ;;
	--netns) ns=$2; shift 2 ;;
	--timeout) max=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	-h | --help) sed -n '3,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "run-guest: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ -z "$net" ]; then
	[ $# -ge 2 ] || { echo "usage: run-guest.sh [options] TAP MAC [KVTEST_ARGS...]" >&2; exit 2; }
	net="-netdev tap,id=n0,ifname=$1,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$2"
	shift 2
fi
# only the -netdev and -device pairs of what kvnet qemu-args printed
read -r -a netargs <<<"$(grep -oE -- '-(netdev|device)[[:space:]]+[^[:space:]]+' <<<"$net" | xargs)"
[ ${#netargs[@]} -gt 0 ] || { echo "run-guest: no -netdev/-device in --net '$net'" >&2; exit 2; }
if [ ! -s "$img/vmlinuz" ] || [ ! -s "$img/initramfs.gz" ]; then
	echo "run-guest: no image in $img (scripts/guest/build-image.sh $img)" >&2
	exit 2
fi
tmp=""
if [ -z "$log" ]; then
	tmp=$(mktemp /tmp/kvnet-guest-log.XXXXXX)
	log=$tmp
fi

wrap=()
[ -n "$ns" ] && wrap=(ip netns exec "$ns")
t0=$(date +%s%N)
"${wrap[@]}" qemu-system-x86_64 -M q35 -m 256 -nographic -no-reboot \
	-kernel "$img/vmlinuz" -initrd "$img/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1 $*" "${netargs[@]}" </dev/null >"$log" 2>&1 &
pid=$!
# shellcheck disable=SC2064
trap "kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; ${tmp:+rm -f '$tmp'}" EXIT
for ((i = 0; i < max * 10; i++)); do
	tr -d '\r' <"$log" | grep -q KVTEST-DONE && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
tr -d '\r' <"$log" | grep -o 'KVTEST-RESULT: .*'
if tr -d '\r' <"$log" | grep -q KVTEST-DONE; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	printf 'run-guest: QEMU start to KVTEST-DONE: %d.%03d s\n' $((ms / 1000)) $((ms % 1000))
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	exit 0
fi
echo "run-guest: no KVTEST-DONE within $max s; last lines:" >&2
tr -d '\r' <"$log" | tail -n 8 >&2
exit 1
