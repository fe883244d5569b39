#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 28_access.sh - who may use the control socket: root, kvnetd's own user, and members of
# the group given with --group; anyone else is refused with a message, and the socket is 0660
#
# The unprivileged client is the system's own `nobody` (group nogroup): nothing is added to
# the machine's users or groups.

ALL_TESTS="socket_mode nobody_refused nobody_in_group_allowed"

source "$(dirname "$0")/lib.sh"
kv_require

kv_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$KVNET" --socket "$KV_SOCK" "$@"
}

setup() {
	command -v setpriv >/dev/null || kv_skip "setpriv (util-linux) is not installed"
	id nobody >/dev/null 2>&1 || kv_skip "there is no user nobody"
	getent group nogroup >/dev/null || kv_skip "there is no group nogroup"
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	# nobody must be able to reach the socket through the directories
	chmod 0755 "$KV_TMP"
	# the binaries must be reachable by nobody too
	setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$KVNET" ||
		kv_skip "user nobody cannot execute $KVNET (a directory above it is private)"
}

socket_mode() {
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	chmod 0755 "$KV_RUN"
	kv_check_eq "mode of $KV_SOCK" 660 "$(stat -c %a "$KV_SOCK")"
	log_test "the control socket is mode 0660"
}

nobody_refused() {
	local out
	out=$(kv_nobody bridge show 2>&1)
	kv_check_eq "kvnet as nobody exits non-zero" 1 "$?"
	case "$out" in
	*"Permission denied"*) ;;
	*) kv_fail "kvnet as nobody: expected 'Permission denied' from the socket's mode, seen '$out'" ;;
	esac
	# the daemon checks the peer itself too (SO_PEERCRED), should the mode ever be loosened
	chmod 0666 "$KV_SOCK"
	out=$(kv_nobody bridge add br8 2>&1)
	kv_check_eq "kvnet as nobody on a 0666 socket exits non-zero" 1 "$?"
	case "$out" in
	*"permission denied: uid 65534"*) ;;
	*) kv_fail "kvnet as nobody on a 0666 socket: expected kvnetd's refusal naming uid 65534, seen '$out'" ;;
	esac
	chmod 0660 "$KV_SOCK"
	kv_check_eq "nothing was added" "[]" "$(kv_q 'd["bridges"]' bridge show)"
	kv_check_ok "root still may" kv bridge show
	log_test "without --group, a user other than root and kvnetd's is refused (mode and SO_PEERCRED)"
}

nobody_in_group_allowed() {
	kvnetd_stop || kv_fail "kvnetd did not stop"
	kvnetd_start "$SW" --group nogroup || kv_setup_fail "kvnetd --group nogroup did not start"
	chmod 0755 "$KV_RUN"
	kv_check_eq "group of $KV_SOCK" nogroup "$(stat -c %G "$KV_SOCK")"
	kv_check_ok "nobody (group nogroup) adds a bridge" kv_nobody bridge add br9
	kv_check_eq "root sees it" br9 "$(kv_q 'd["bridges"][0]["name"]' bridge show)"
	log_test "with --group nogroup, a member of nogroup may use kvnetd"
}

setup
tests_run
kv_exit
