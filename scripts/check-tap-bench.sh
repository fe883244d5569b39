#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-tap-bench.sh - the tap benchmark runs (2 s per figure) and prints every figure.
set -eu
out=$(bench/tap_bench.sh --kvnet-dir "$1" --quick)
echo "$out"
num='[0-9.]+'
for a in tap dev; do
	for f in tcp-1:gbps tcp-2:gbps udp64:kpps udp64-loss:pct rtt-median:us rtt-p99:us \
		udp-rtt-median:us udp-rtt-p99:us; do
		t=${f%%:*} u=${f#*:}
		echo "$out" | grep -Eq "^bench tap/$a/$t kvnet_$u=$num bridge_$u=$num ratio=($num|nan)$" ||
			{ echo "missing or malformed line for tap/$a/$t" >&2; exit 1; }
	done
done
echo "$out" | grep -Eq "^bench tap/idle-cpu kvnet_pct=$num$" ||
	{ echo "missing or malformed line for tap/idle-cpu" >&2; exit 1; }
