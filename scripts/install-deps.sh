#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# install-deps.sh - install the Debian packages kvnet builds and tests with, if missing.
#
# Only packages not yet installed are fetched, so a second run costs one dpkg query.
#
# libvirt: libvirt-dev's headers check services/libvirt.c's declarations (kvnet does not link
# libvirt); libvirt-daemon and its QEMU driver are for tests/integration/90_libvirt_networks.sh,
# which runs its own libvirtd in a namespace. Installed with --no-install-recommends they start
# nothing and define no network. Never libvirt-daemon-system or libvirt-daemon-config-network:
# they would start libvirtd on the machine and give it a default network.
#
# isc-dhcp-client: dhclient -6, the DHCPv6 guest of tests/integration/59_net_ipv6.sh, run in a
# namespace with the test's own script (never dhclient-script, which writes /etc/resolv.conf);
# the package starts nothing.
#
# kvnetd as a service: libmicrohttpd-dev for kvnetd --metrics (kvnetd builds without it and
# refuses the option), curl to scrape it in tests/integration/83_metrics.sh, scdoc for the man
# pages, bash-completion for the completion's install dir and its test, tcpdump to read the
# pcap of kvnet capture (87_capture.sh, 88_mirror.sh). None starts a service.
#
# dpdk-dev for dpdk-testpmd and librte-net-virtio23 for its virtio-user ports: the vhost-user
# front-end of tests/integration/47_vhost_testpmd.sh. Not the "dpdk" package: it has a service
# (hugepages, binding NICs); dpdk-dev has only the tools and starts nothing.
#
# ethtool turns UDP segmentation off on a test's own veth (39_vxlan.sh), so the kernel cuts
# kvnet's UDP_SEGMENT sends into datagrams where the test can see them. It starts nothing.
set -eu

PKGS="build-essential meson ninja-build pkg-config libcmocka-dev clang libclang-rt-14-dev clang-format
libjansson-dev libmnl-dev libxml2-dev liburing-dev iproute2 iputils-ping python3-scapy iperf3 procps
libxml2-utils libvirt-clients libnftables-dev nftables dnsmasq-base udhcpc isc-dhcp-client
qemu-system-x86 cpio xz-utils zstd
libvirt-dev libvirt-daemon libvirt-daemon-driver-qemu
libmicrohttpd-dev curl scdoc bash-completion tcpdump
dpdk-dev librte-net-virtio23 ethtool"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root, or install them with apt-get" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
