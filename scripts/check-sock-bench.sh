#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-sock-bench.sh - the socket benchmark runs (1 s per figure) and prints every figure, each
# a rate above zero: frames went through kvnetd on each back-end (stream, dgram, tap, tap-netns).
set -eu
out=$(bench/sock_bench.sh --kvnet-dir "$1" --quick)
echo "$out"
for be in stream dgram tap tap-netns stream-loopback dgram-loopback tap-netns-loopback; do
	for size in 64 1500; do
		echo "$out" | grep -Eq "^bench $be/$size kpps=[0-9]+\.[0-9]+$" ||
			{ echo "missing or malformed line for $be/$size" >&2; exit 1; }
		echo "$out" | awk -v f="bench $be/$size" '$1 " " $2 == f { split($3, k, "="); ok = k[2] > 0 }
			END { exit !ok }' ||
			{ echo "no frame went through on $be/$size" >&2; exit 1; }
	done
done
