#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# install-bench-deps.sh - what `make bench` needs beyond `make deps`: Open vSwitch with its
# DPDK datapath (openvswitch-switch-dpdk), the peer of bench/vhost_bench.sh's case (b).
#
# Only for `make bench`, never for `make test`: openvswitch-switch-dpdk depends on
# openvswitch-switch, whose package starts ovsdb-server and ovs-vswitchd as a service on
# install. For the length of the install a policy-rc.d that answers 101 ("action forbidden")
# keeps invoke-rc.d from starting anything; a policy-rc.d the machine already had is put back
# as it was. The benchmark never starts the service: it runs ovsdb-server and ovs-vswitchd
# itself, in a namespace, with their files in its own temp dir.
#
# Usage: scripts/install-bench-deps.sh   (as root; does nothing if OVS-DPDK is there)

set -euo pipefail

PKGS=(openvswitch-switch-dpdk)
POLICY=/usr/sbin/policy-rc.d

have() {
	[ -x /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ] &&
		command -v ovsdb-server >/dev/null && command -v ovs-vsctl >/dev/null &&
		command -v ovsdb-tool >/dev/null
}

if have; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-bench-deps: ${PKGS[*]} is missing; run as root to install it" >&2
	exit 1
fi

# the machine's own policy-rc.d, kept aside while ours is in place
saved=""
restore() {
	if [ -n "$saved" ]; then
		mv -f "$saved" "$POLICY"
	else
		rm -f "$POLICY"
	fi
}
if [ -e "$POLICY" ]; then
	saved=$(mktemp "$POLICY.kvnet-XXXXXX")
	cp -p "$POLICY" "$saved"
fi
trap restore EXIT
printf '#!/bin/sh\n# kvnet install-bench-deps.sh: no service starts during this install\nexit 101\n' \
	>"$POLICY"
chmod 755 "$POLICY"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y --no-install-recommends "${PKGS[@]}"
# nor at the next boot: the packages enable their services (openvswitch-switch, and dpdk's,
# which binds NICs and reserves hugepages); the benchmark never uses them
for unit in openvswitch-switch ovsdb-server ovs-vswitchd dpdk; do
	deb-systemd-helper disable "$unit.service" >/dev/null 2>&1 || true
	update-rc.d "$unit" disable >/dev/null 2>&1 || true
done
have || { echo "install-bench-deps: ${PKGS[*]} installed but ovs-vswitchd-dpdk not found" >&2; exit 1; }
