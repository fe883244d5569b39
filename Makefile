# SPDX-License-Identifier: GPL-2.0-or-later
# The front door: `make run` and `make test` work on a fresh Debian 12 machine (as root).

BUILD ?= build
TEST_BUILD ?= build-test
FUZZ_BUILD ?= build-fuzz

.PHONY: all deps build test bench run fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=release
	ninja -C $(BUILD)

# Tests run on a build with AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps
	@test -f $(TEST_BUILD)/build.ninja || meson setup $(TEST_BUILD) \
		--buildtype=debugoptimized -Db_sanitize=address,undefined
	ninja -C $(TEST_BUILD)
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) \
		--buildtype=debugoptimized -Dfuzz=true
	ninja -C $(FUZZ_BUILD)
	scripts/run-tests.sh $(TEST_BUILD) $(FUZZ_BUILD)

bench: build
	$(BUILD)/bench/bench-core

# Until the daemon exists, the main job is the forwarding benchmark.
run: bench

# Longer fuzzing by hand: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 300
fuzz: deps
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) \
		--buildtype=debugoptimized -Dfuzz=true
	ninja -C $(FUZZ_BUILD)
	mkdir -p $(FUZZ_BUILD)/corpus-bridge
	$(FUZZ_BUILD)/tests/fuzz/fuzz-bridge -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ_BUILD)/corpus-bridge tests/fuzz/corpus/bridge

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD)
