#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-tsan.sh - the datapath's tests with two forwarding threads under ThreadSanitizer
#
# usage: run-tsan.sh TSAN_BUILD_DIR [TEST...]
#
# Runs each integration test (default: the ones whose traffic crosses both threads,
# the locks between them and the control thread: threads, backpressure, socket
# ports, VXLAN, vhost-user, events, capture, mirror) with KV_THREADS=2 against a
# build made with -Db_sanitize=thread. kvnetd's stderr goes to the test's log, not
# here, so ThreadSanitizer writes its reports to files (log_path) and this script
# fails when any appeared, printing them. Ends with "N passed, N failed".
set -u

build=${1:?usage: run-tsan.sh TSAN_BUILD_DIR [TEST...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
case $build in /*) ;; *) build=$top/$build ;; esac
[ -x "$build/kvnetd" ] || { echo "run-tsan: $build/kvnetd is missing: build it first" >&2; exit 2; }

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(67_threads 45_backpressure 34_socket_ports 39_vxlan
	47_vhost_testpmd 86_events 87_capture 88_mirror)

reports=$(mktemp -d /tmp/kvnet-tsan.XXXXXX)
trap 'rm -rf "$reports"' EXIT
passed=0
failed=0
skipped=0
for t in "${tests[@]}"; do
	script=tests/integration/${t%.sh}.sh
	if [ ! -f "$script" ]; then
		echo "FAIL: $t: no such test ($script)"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$reports/$t"
	# halt_on_error=0: a race is reported and the test goes on, so one run finds them all
	KVNET_BUILD=$build KV_THREADS=2 \
		TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$reports/$t/tsan" \
		bash "$script" >"$reports/$t.log" 2>&1
	rc=$?
	found=$(find "$reports/$t" -type f | sort)
	if [ "$rc" -eq 77 ]; then
		echo "SKIP: $t: $(grep -m1 '^SKIP' "$reports/$t.log")"
		skipped=$((skipped + 1))
	elif [ "$rc" -ne 0 ]; then
		echo "FAIL: $t exited $rc"
		tail -20 "$reports/$t.log" | sed 's/^/    /'
		failed=$((failed + 1))
	elif [ -n "$found" ]; then
		echo "FAIL: $t: ThreadSanitizer reported:"
		for f in $found; do sed 's/^/    /' "$f"; done
		failed=$((failed + 1))
	else
		echo "PASS: $t"
		passed=$((passed + 1))
	fi
done
[ "$skipped" -eq 0 ] || echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
