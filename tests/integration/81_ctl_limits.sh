#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 81_ctl_limits.sh - the control socket under abuse by members of kvnetd's --group: a slot
# limit per uid, slots kept for root, a half-sent request timed out, a client that pipelines
# requests and never reads its answers neither grows kvnetd nor delays anyone else
#
#   kvnetd (root) in ns sw, --group 61090; uids 61091..61094 in that group run ctl_abuse.py
#   (hold: N idle connections; partial: half a request line; pipeline: requests, never read)

ALL_TESTS="per_uid_limit root_keeps_slots partial_request pipeline_unread"

source "$(dirname "$0")/lib.sh"

GROUP=61090
ABUSE=$KV_LIB_DIR/ctl_abuse.py
HOLDERS=()

setup() {
	kv_require
	command -v setpriv >/dev/null || kv_skip "setpriv (util-linux) is not installed"
	command -v python3 >/dev/null || kv_skip "python3 is not installed"
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" --group $GROUP || kv_setup_fail "kvnetd did not start"
	# the members reach the socket through the test's temp dir
	chmod 711 "$KV_TMP" || kv_setup_fail "chmod $KV_TMP"
	OUT=$KV_TMP/out
	mkdir -m 1777 "$OUT" || kv_setup_fail "mkdir $OUT"
	kv_on_exit end_holders
}

end_holders() {
	local p
	for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${HOLDERS[@]}"; do wait "$p" 2>/dev/null; done
	HOLDERS=()
}

# as UID CMD... - CMD as UID, in kvnetd's group, no capabilities
as() {
	as_words "$1"
	shift
	"${AS[@]}" "$@"
}

# as_words UID - AS: the command words that run what follows as UID (as as does), so that a
# background job's $! is the process itself, not a subshell
as_words() {
	AS=(setpriv --reuid "$1" --regid "$1" --groups $GROUP --inh-caps -all --bounding-set -all
		env -i PATH=/usr/bin:/bin ASAN_OPTIONS="${ASAN_OPTIONS:-}"
		UBSAN_OPTIONS="${UBSAN_OPTIONS:-}")
}

# hold UID N - UID opens N connections and keeps them; its report is $OUT/hold-UID
hold() {
	rm -f "$OUT/hold-$1"
	as_words "$1"
	"${AS[@]}" python3 "$ABUSE" hold "$KV_SOCK" "$2" "$OUT/hold-$1" >/dev/null &
	HOLDERS+=($!)
	kv_wait_file "$OUT/hold-$1" $! || kv_fail "uid $1's holder did not report"
}

# report UID - the holder's report on one line: "accepted A|refused: ...|..."
report() {
	paste -sd '|' "$OUT/hold-$1" 2>/dev/null
}

per_uid_limit() {
	local msg="too many connections of uid 61091 (at most 16 at once)"
	hold 61091 20
	kv_check_eq "uid 61091: 16 of 20 connections, 4 refused with the reason" \
		"accepted 16|refused: $msg|refused: $msg|refused: $msg|refused: $msg" "$(report 61091)"
	kv_check_run "another member still gets in" 0 '' '' \
		as 61092 "$KVNET" --socket "$KV_SOCK" version
	kv_check_run "root still gets in" 0 '' '' kv version
	end_holders
	log_test "a member of the group holds at most 16 connections; the others still get in"
}

root_keeps_slots() {
	local u total=0
	for u in 61091 61092 61093 61094; do
		hold $u 16
		total=$((total + $(head -n 1 "$OUT/hold-$u" 2>/dev/null | cut -d' ' -f2) + 0))
	done
	kv_check_eq "the members hold 56 connections together, 8 are kept" 56 "$total"
	kv_check_ok "the 57th and later were refused as too many: $(report 61094)" \
		grep -q 'refused: too many clients (at most 64)' "$OUT/hold-61094"
	kv_check_run "root still gets in" 0 '' '' kv version
	end_holders
	kv_check_run "the slots are free again when the members go" 0 '' '' \
		as 61091 "$KVNET" --socket "$KV_SOCK" version
	log_test "members of the group cannot take the slots kept for root"
}

partial_request() {
	local out
	out=$(as 61091 timeout 60 python3 "$ABUSE" partial "$KV_SOCK")
	kv_check_ok "a half-sent request is closed, saying why: $out" \
		grep -q 'connection closed: request line not completed for 10 s' <<<"$out"
	kv_check_run "kvnetd still answers" 0 '' '' kv version
	log_test "a request line not completed within 10 s is answered and closed"
}

# rss - kvnetd's resident memory, in KiB
rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$KVNETD_PID/status"
}

pipeline_unread() {
	local before after pid
	before=$(rss)
	rm -f "$OUT/pipeline"
	as_words 61091
	"${AS[@]}" python3 "$ABUSE" pipeline "$KV_SOCK" "$OUT/pipeline" >/dev/null &
	pid=$!
	HOLDERS+=("$pid")
	kv_wait_file "$OUT/pipeline" "$pid" || kv_fail "the pipelining client did not report"
	kv_check_run "while it waits, another client is answered" 0 '' '' kv version
	after=$(rss)
	kv_check_ok "kvnetd did not grow by more than 64 MiB ($before KiB -> $after KiB; $(head -n 1 "$OUT/pipeline"))" \
		test $((after - before)) -lt 65536
	kv_poll_eq "kvnetd closes the client that does not read" "closed" tail -n 1 "$OUT/pipeline"
	kv_poll_log "and says why in its log" "connection closed: its answer was not read"
	end_holders
	log_test "a client that pipelines and never reads is not read any more, then closed"
}

setup
tests_run
kv_exit
