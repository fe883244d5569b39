#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-tests.sh - run every kvnet test and end with "N passed, N failed".
#
# usage: run-tests.sh TEST_BUILD_DIR [FUZZ_BUILD_DIR]
#
# Each cmocka case counts as one test (read from its TAP output); each other
# check (a fuzz run, the benchmark smoke run, formatting, an integration
# script) counts as one. An integration script that exits 77 is skipped and
# must say which prerequisite is missing.
set -u

build=${1:?usage: run-tests.sh TEST_BUILD_DIR [FUZZ_BUILD_DIR]}
fuzz_build=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

passed=0
failed=0
skipped=0
failures=()
log_dir=$(mktemp -d /tmp/kvnet-tests.XXXXXX)
trap 'rm -rf "$log_dir"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1"; }

# A cmocka binary: count its cases; a crash without a "not ok" line is one more failure.
run_cmocka() {
	local exe=$1 name log rc ok notok skip
	name=$(basename "$exe")
	log=$log_dir/$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP "$exe" >"$log" 2>&1
	rc=$?
	# TAP: a case that skipped is "ok ... # SKIP" or "not ok ... # SKIP"
	skip=$(grep -cE '^(not )?ok .*# SKIP' "$log")
	ok=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
	notok=$(grep -E '^not ok ' "$log" | grep -vc '# SKIP')
	passed=$((passed + ok))
	skipped=$((skipped + skip))
	if [ "$notok" -gt 0 ]; then
		failed=$((failed + notok))
		while read -r line; do failures+=("$name: ${line#not ok }"); done \
			< <(grep '^not ok ' "$log")
	fi
	if [ "$skip" -gt 0 ]; then
		echo "$name: $ok passed, $notok failed, $skip skipped"
		grep -E '^SKIP' "$log" | sed 's/^/    /'
	else
		echo "$name: $ok passed, $notok failed"
	fi
	if [ "$notok" -gt 0 ] || [ "$rc" -ne 0 ]; then
		[ "$notok" -eq 0 ] && fail "$name exited $rc"
		sed 's/^/    /' "$log" | grep -v '^    ok ' | tail -40
	fi
}

# Any other check: one test, passed when the command exits 0.
run_check() {
	local name=$1 log rc
	shift
	log=$log_dir/check.log
	"$@" >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "$name"
	elif [ "$rc" -eq 77 ]; then
		skipped=$((skipped + 1))
		echo "SKIP: $name: $(tail -1 "$log")"
	else
		fail "$name"
		sed 's/^/    /' "$log" | tail -40
	fi
}

echo "== unit tests ($build)"
for exe in "$build"/tests/unit/test_*; do
	[ -f "$exe" ] && [ -x "$exe" ] && run_cmocka "$exe"
done

echo "== conf: kvnet's XML output against libvirt's schemas"
run_check "check-xml-schema.sh: kvnet's XML validates (xmllint --relaxng, virt-xml-validate)" \
	scripts/check-xml-schema.sh "$build"
run_check "check-dnsmasq-conf.sh: dnsmasq --test accepts kvnet's dnsmasq configurations" \
	scripts/check-dnsmasq-conf.sh "$build"

echo "== fuzz regression corpus and bounded fuzzing"
# every folder of tests/fuzz/corpus names a target: bridge ctl network_xml netport_xml iface_xml
for dir in tests/fuzz/corpus/*/; do
	t=$(basename "$dir")
	run_check "fuzz-$t corpus replay (ASan/UBSan build)" "$build/tests/fuzz/fuzz-$t" "$dir"
	if [ -n "$fuzz_build" ] && [ -x "$fuzz_build/tests/fuzz/fuzz-$t" ]; then
		work=$log_dir/corpus-$t
		mkdir -p "$work"
		run_check "fuzz-$t libFuzzer, 20 s" "$fuzz_build/tests/fuzz/fuzz-$t" \
			-max_total_time=20 -seed=1 -artifact_prefix="$log_dir/" "$work" "$dir"
	fi
done

echo "== benchmark smoke run"
run_check "bench-core --quick runs and prints every figure" \
	scripts/check-bench-output.sh "$build/bench/bench-core"
run_check "tap_bench.sh --quick runs and prints every figure" scripts/check-tap-bench.sh "$build"
run_check "sock_bench.sh --quick runs and prints every figure" scripts/check-sock-bench.sh "$build"

echo "== layers"
run_check "layer check: src/ includes follow docs/design.md" scripts/check-layers.sh
run_check "layer check fails on an illegal include" tests/layers/test_check_layers.sh

echo "== style"
if command -v clang-format >/dev/null; then
	# shellcheck disable=SC2046
	run_check "clang-format clean" clang-format --dry-run -Werror $(git ls-files '*.c' '*.h')
fi

if [ -d tests/integration ]; then
	echo "== integration tests"
	# every script runs, executable bit or not: a test must never be skipped silently
	for t in tests/integration/[0-9]*.sh; do
		run_check "$(basename "$t")" env KVNET_BUILD="$build" bash "$t"
	done
fi

echo
if [ "$failed" -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
