#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-vhost-bench.sh - the vhost-user benchmark's smoke run (3 s per figure, testpmd io-fwd
# and kvnet; OVS-DPDK is installed only for `make bench`): every figure printed, each a rate
# above zero. kvnet's case may say it is skipped when the build has no vhost-user back-end.
set -eu
if ! command -v "${KVNET_TESTPMD:-dpdk-testpmd}" >/dev/null; then
	echo "SKIP: dpdk-testpmd is missing (Debian: dpdk-dev, librte-net-virtio23)"
	exit 77
fi
out=$(bench/vhost_bench.sh --kvnet-dir "$1" --quick --cases "testpmd-io kvnet")
echo "$out"
for c in testpmd-io kvnet; do
	if [ "$c" = kvnet ] &&
		echo "$out" | grep -qx 'bench vhost/kvnet SKIP (no vhost-user back-end in this build)'; then
		continue
	fi
	for size in 64 1518; do
		echo "$out" | grep -Eq "^bench vhost/$c/$size mpps=[0-9]+\.[0-9]+ loss_pct=[0-9.]+ ratio=" ||
			{ echo "missing or malformed line for $c/$size" >&2; exit 1; }
		echo "$out" | awk -v f="bench vhost/$c/$size" '$1 " " $2 == f { split($3, k, "="); ok = k[2] > 0 }
			END { exit !ok }' ||
			{ echo "no frame went through on $c/$size" >&2; exit 1; }
	done
	echo "$out" | grep -Eq "^bench vhost/$c cpu_idle_pct=[0-9]+ cpu_busy_pct=[0-9]+$" ||
		{ echo "missing CPU line for $c" >&2; exit 1; }
done
