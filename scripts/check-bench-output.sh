#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-bench-output.sh - the benchmark runs and prints every figure scripts read.
set -eu
out=$("$1" --quick --runs 1)
echo "$out"
for s in unicast-2p vlan-16p flood-8p learn-churn ip-2p portsec-2p; do
	echo "$out" | grep -Eq "^bench core/$s mpps=[0-9.]+ ns_per_frame=[0-9.]+$" ||
		{ echo "missing or malformed line for core/$s" >&2; exit 1; }
done
echo "$out" | grep -Eq '^bench core/portsec mpps_off=[0-9.]+ mpps_on=[0-9.]+ ratio=[0-9.]+$' ||
	{ echo "missing or malformed line for core/portsec" >&2; exit 1; }
echo "$out" | grep -Eq '^bench core/fdb-64k bytes=[0-9]+$' ||
	{ echo "missing or malformed line for core/fdb-64k" >&2; exit 1; }
