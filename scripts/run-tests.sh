#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-tests.sh - run every kvnet test and end with "N passed, N failed".
#
# usage: run-tests.sh TEST_BUILD_DIR [FUZZ_BUILD_DIR]
#
# Each cmocka case counts as one test (read from its TAP output); each other
# check (a fuzz run, the benchmark smoke run, formatting, an integration
# script) counts as one. A check that exits 77 is skipped and must say which
# prerequisite is missing in a "SKIP: ..." line; one that exits 77 without it fails.
# Nothing is left out silently: a unit test source with no binary, a fuzz target
# with no corpus, a missing fuzz binary or tool, no integration script at all,
# each is a failure; a check that cannot run here (no clang-format, no fuzz
# build given) is a counted skip with its reason.
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
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }

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
	if [ $((ok + notok + skip)) -eq 0 ]; then
		fail "$name ran no test case (exit $rc)"
		sed 's/^/    /' "$log" | tail -20
		return
	fi
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
	elif [ "$rc" -eq 77 ] && grep -q 'SKIP' "$log"; then
		skip "$name: $(grep 'SKIP' "$log" | tail -1 | sed 's/^.*SKIP:* *//')"
	elif [ "$rc" -eq 77 ]; then
		fail "$name exited 77 (skip) without a SKIP line saying what is missing"
		sed 's/^/    /' "$log" | tail -40
	else
		fail "$name"
		sed 's/^/    /' "$log" | tail -40
	fi
}

echo "== unit tests ($build)"
# one binary per tests/unit/test_*.c: a source whose binary is missing fails
n=0
for src in tests/unit/test_*.c; do
	[ -e "$src" ] || continue
	n=$((n + 1))
	exe=$build/tests/unit/$(basename "$src" .c)
	if [ -f "$exe" ] && [ -x "$exe" ]; then
		run_cmocka "$exe"
	else
		fail "$(basename "$exe"): not built ($exe is missing for $src)"
	fi
done
[ "$n" -gt 0 ] || fail "unit tests: no tests/unit/test_*.c found"

echo "== conf: kvnet's XML output against libvirt's schemas"
run_check "check-xml-schema.sh: kvnet's XML validates (xmllint --relaxng, virt-xml-validate)" \
	bash scripts/check-xml-schema.sh "$build"
run_check "check-dnsmasq-conf.sh: dnsmasq --test accepts kvnet's dnsmasq configurations" \
	bash scripts/check-dnsmasq-conf.sh "$build"

echo "== fuzz regression corpus and bounded fuzzing"
# every target tests/fuzz/fuzz_T.c is binary fuzz-T with its corpus in tests/fuzz/corpus/T/,
# which must hold inputs: a replay of nothing would pass
n=0
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	n=$((n + 1))
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	dir=tests/fuzz/corpus/$t/
	if [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
		fail "fuzz-$t: no corpus to replay ($dir is missing or empty)"
		continue
	fi
	if [ -x "$build/tests/fuzz/fuzz-$t" ]; then
		run_check "fuzz-$t corpus replay (ASan/UBSan build)" "$build/tests/fuzz/fuzz-$t" "$dir"
	else
		fail "fuzz-$t corpus replay: $build/tests/fuzz/fuzz-$t not built"
	fi
	if [ -z "$fuzz_build" ]; then
		skip "fuzz-$t libFuzzer, 20 s: no FUZZ_BUILD_DIR given (make test gives one)"
	elif [ -x "$fuzz_build/tests/fuzz/fuzz-$t" ]; then
		work=$log_dir/corpus-$t
		mkdir -p "$work"
		run_check "fuzz-$t libFuzzer, 20 s" "$fuzz_build/tests/fuzz/fuzz-$t" \
			-max_total_time=20 -seed=1 -artifact_prefix="$log_dir/" "$work" "$dir"
	else
		fail "fuzz-$t libFuzzer, 20 s: $fuzz_build/tests/fuzz/fuzz-$t not built"
	fi
done
[ "$n" -gt 0 ] || fail "fuzz: no tests/fuzz/fuzz_*.c found"
for dir in tests/fuzz/corpus/*/; do
	t=$(basename "$dir")
	[ -e "tests/fuzz/fuzz_$t.c" ] || fail "tests/fuzz/corpus/$t/: no target tests/fuzz/fuzz_$t.c"
done

echo "== benchmark smoke run"
run_check "bench-core --quick runs and prints every figure" \
	scripts/check-bench-output.sh "$build/bench/bench-core"
run_check "tap_bench.sh --quick runs and prints every figure" scripts/check-tap-bench.sh "$build"
run_check "sock_bench.sh --quick runs and prints every figure" scripts/check-sock-bench.sh "$build"
run_check "vxlan_bench.sh --quick runs and prints every figure" scripts/check-vxlan-bench.sh "$build"
run_check "vhost_bench.sh --quick runs and prints every figure" scripts/check-vhost-bench.sh "$build"

echo "== layers"
run_check "layer check: src/ includes follow docs/design.md" bash scripts/check-layers.sh
run_check "check-man.sh: the man pages list every command and option of the --help" \
	bash scripts/check-man.sh "$build"
run_check "layer check fails on an illegal include" bash tests/layers/test_check_layers.sh

echo "== style"
# outside a git checkout (a release tarball), every C file of the tree
files=$(git ls-files '*.c' '*.h' 2>/dev/null) || files=$(find src tests bench -name '*.[ch]' | sort)
if ! command -v clang-format >/dev/null; then
	skip "clang-format clean: clang-format is not installed (Debian package clang-format)"
elif [ -z "$files" ]; then
	fail "clang-format clean: no C file found to check"
else
	# shellcheck disable=SC2086
	run_check "clang-format clean" clang-format --dry-run -Werror $files
fi

echo "== integration tests"
# every script runs, executable bit or not: a test must never be skipped silently
n=0
for t in tests/integration/[0-9]*.sh; do
	[ -e "$t" ] || continue
	n=$((n + 1))
	run_check "$(basename "$t")" env KVNET_BUILD="$build" bash "$t"
done
[ "$n" -gt 0 ] || fail "integration tests: no tests/integration/NN_*.sh found"

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
