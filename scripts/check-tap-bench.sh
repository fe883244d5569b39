#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-tap-bench.sh - the tap benchmark runs (2 s per figure) and prints every figure.
set -eu
out=$(bench/tap_bench.sh --kvnet-dir "$1" --quick)
echo "$out"
for t in tcp-1 tcp-2; do
	echo "$out" | grep -Eq "^bench tap/$t kvnet_gbps=[0-9.]+ bridge_gbps=[0-9.]+ ratio=[0-9.]+$" ||
		{ echo "missing or malformed line for tap/$t" >&2; exit 1; }
done
for t in udp64 udp64-app; do
	echo "$out" | grep -Eq "^bench tap/$t kvnet_kpps=[0-9.]+ bridge_kpps=[0-9.]+ ratio=[0-9.]+$" ||
		{ echo "missing or malformed line for tap/$t" >&2; exit 1; }
done
