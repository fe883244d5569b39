#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-tap-bench.sh - the tap benchmark runs (2 s per figure) and prints every figure; and
# with two datapath threads, TCP with 2 streams.
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
out=$(bench/tap_bench.sh --kvnet-dir "$1" --quick --threads 2 --cases tcp-2)
echo "$out"
for a in tap dev; do
	echo "$out" | grep -Eq "^bench tap-t2/$a/tcp-2 kvnet_gbps=$num bridge_gbps=$num ratio=($num|nan)$" ||
		{ echo "missing or malformed line for tap-t2/$a/tcp-2" >&2; exit 1; }
done
echo "$out" | grep -Eq "kvnet-dp1" ||
	{ echo "tap_bench --threads 2: no thread kvnet-dp1 in the placement" >&2; exit 1; }
