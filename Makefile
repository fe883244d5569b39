# SPDX-License-Identifier: GPL-2.0-or-later
# The front door: `make run` and `make test` work on a fresh Debian 12 machine (as root).

BUILD ?= build
TEST_BUILD ?= build-test
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan

.PHONY: all deps build test bench run install fuzz tsan format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=release
	ninja -C $(BUILD)

# Tests run on a build with AddressSanitizer and UndefinedBehaviorSanitizer; the release
# build is made too, because `make run` and `make install` use it and -O3 warns of things
# the test build's -O2 does not.
test: deps build
	@test -f $(TEST_BUILD)/build.ninja || meson setup $(TEST_BUILD) \
		--buildtype=debugoptimized -Db_sanitize=address,undefined
	ninja -C $(TEST_BUILD)
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) \
		--buildtype=debugoptimized -Dfuzz=true
	ninja -C $(FUZZ_BUILD)
	scripts/run-tests.sh $(TEST_BUILD) $(FUZZ_BUILD)

bench: build
	$(BUILD)/bench/bench-core
	bench/tap_bench.sh --kvnet-dir $(BUILD)
	bench/tap_bench.sh --kvnet-dir $(BUILD) --threads 2
	bench/sock_bench.sh --kvnet-dir $(BUILD)
	bench/vxlan_bench.sh --kvnet-dir $(BUILD)
	scripts/install-bench-deps.sh
	bench/vhost_bench.sh --kvnet-dir $(BUILD)

# kvnetd in the foreground, in a network namespace of its own, with a demonstration
# bridge (KVNET_HOST_NETNS=1 to run it in the host's namespace instead).
run: build
	@scripts/guest/build-image.sh $(BUILD)/guest || \
		echo "make run: the test guest cannot be built: the demonstration runs without QEMU guests"
	scripts/run-demo.sh $(BUILD)

install: build
	rm -f $(BUILD)/meson-logs/install-ovs-vsctl.log
	meson install -C $(BUILD)
	@cat $(BUILD)/meson-logs/install-ovs-vsctl.log 2>/dev/null || true

# Longer fuzzing by hand, each target in turn: make fuzz FUZZ_SECONDS=600; issue 19's
# campaign is make fuzz FUZZ_SECONDS=3600 FUZZ_RUNS=10000000 (whichever comes first)
FUZZ_SECONDS ?= 300
FUZZ_RUNS ?= -1
fuzz: deps
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) \
		--buildtype=debugoptimized -Dfuzz=true
	ninja -C $(FUZZ_BUILD)
	for t in bridge gso gro sockport stp ctl network_xml netport_xml iface_xml network_update \
		ovs_cmd vxlan vhost mdb; do \
		mkdir -p $(FUZZ_BUILD)/corpus-$$t && \
		$(FUZZ_BUILD)/tests/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) \
			$(FUZZ_BUILD)/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The datapath's tests with two forwarding threads under ThreadSanitizer (scripts/run-tsan.sh).
# gcc cannot instrument atomic_thread_fence (virtq.c) and says so: a warning, not an error.
tsan: deps
	@test -f $(TSAN_BUILD)/build.ninja || meson setup $(TSAN_BUILD) \
		--buildtype=debugoptimized -Db_sanitize=thread -Dc_args=-Wno-error=tsan
	ninja -C $(TSAN_BUILD)
	scripts/run-tsan.sh $(TSAN_BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)
