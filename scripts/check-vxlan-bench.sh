#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-vxlan-bench.sh - the VXLAN benchmark runs (2 s per figure) and prints every figure, the
# rates above zero: frames crossed kvnet's VXLAN ports and the kernel's.
set -eu
out=$(bench/vxlan_bench.sh --kvnet-dir "$1" --quick)
echo "$out"
num='[0-9]+\.[0-9]+'
for t in tcp-1:gbps tcp-2:gbps udp64:kpps rtt:us; do
	case=${t%%:*} unit=${t#*:}
	echo "$out" | grep -Eq "^bench vxlan/$case kvnet_$unit=$num kernel_$unit=$num ratio=($num|nan)$" ||
		{ echo "missing or malformed line for vxlan/$case" >&2; exit 1; }
done
echo "$out" | grep -Eq "^bench vxlan/udp64-loss kvnet_pct=$num kernel_pct=$num$" ||
	{ echo "missing or malformed line for vxlan/udp64-loss" >&2; exit 1; }
echo "$out" | awk '$1 == "bench" && $2 ~ /^vxlan\/(tcp-1|udp64)$/ {
		split($3, k, "="); split($4, b, "="); if (k[2] <= 0 || b[2] <= 0) bad = 1 }
	END { exit bad }' || { echo "nothing crossed one of the overlays" >&2; exit 1; }
