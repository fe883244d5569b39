#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 31_net_persist.sh - stored network definitions survive kill -9 mid-write, and a corrupt one
# does not stop the others from loading
#
#   kvnetd (ns sw), state dir $KV_STATE/networks/: a burst of net-define of NBURST small
#   networks is cut by SIGKILL to kvnetd; kvnetd started again on the same state dir.
#
# Contract (docs/protocol.md, net.define): the definition is written before the answer,
# atomically: a crash leaves the old file or the new one, never a torn one. kvnetd writes
# under a temporary name (".NAME.xml.XXXXXX") and renames; temporary files left by a crash
# are removed at the next start (src/daemon/net_store.h).

ALL_TESTS="kill9_mid_burst corrupt_file_skipped"

source "$(dirname "$0")/lib.sh"

NBURST=300

setup() {
	local i n
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	X=$KV_TMP/xml
	mkdir -p "$X"
	for ((i = 1; i <= NBURST; i++)); do
		n=$(printf '%03d' "$i")
		printf "<network>\n  <name>p31_%s</name>\n  <bridge name='kb31x%s'/>\n</network>\n" \
			"$n" "$n" >"$X/p31_$n.xml"
	done
}

# stored_names - the networks stored in the state dir (file names without .xml), sorted
stored_names() {
	find "$KV_STATE/networks" -maxdepth 1 -type f -name '[!.]*.xml' -printf '%f\n' |
		sed 's/\.xml$//' | sort | xargs
}

# torn_files - the stored files that do not parse as XML, or are not a <network> named as the file
torn_files() {
	"$KV_PY" - "$KV_STATE/networks" <<-'EOF'
		import os, sys, xml.etree.ElementTree as ET
		d = sys.argv[1]
		for f in sorted(os.listdir(d)):
		    p = os.path.join(d, f)
		    if f.startswith(".") or not f.endswith(".xml") or not os.path.isfile(p):
		        continue
		    try:
		        r = ET.parse(p).getroot()
		        if r.tag != "network" or r.findtext("name") != f[:-4]:
		            print(f)
		    except ET.ParseError:
		        print(f)
	EOF
}

kill9_mid_burst() {
	local loop i n files listed
	(
		for f in "$X"/p31_*.xml; do
			"$KVNET" --socket "$KV_SOCK" net-define "$f" >/dev/null 2>&1 || exit 0
		done
	) &
	loop=$!
	KV_PIDS+=("$loop")
	# cut the burst once it is well under way
	for ((i = 0; i < KV_WAIT * 20; i++)); do
		n=$(find "$KV_STATE/networks" -maxdepth 1 -name 'p31_*.xml' | wc -l)
		[ "$n" -ge 20 ] && break
		kv_is_child "$loop" || break
		sleep 0.05
	done
	kvnetd_kill9
	wait "$loop"
	kv_forget "$loop"
	n=$(find "$KV_STATE/networks" -maxdepth 1 -name 'p31_*.xml' | wc -l)
	echo "NOTE: $n of $NBURST definitions were stored when kvnetd was killed"
	[ "$n" -ge 20 ] || kv_fail "fewer than 20 definitions stored before the kill: $n"
	[ "$n" -lt "$NBURST" ] || echo "NOTE: the burst ended before the kill (fast machine)"

	# a temporary file a crash mid-write would leave, made by hand so that one is always there
	printf '<network>\n  <name>p31_999</name>\n  <bri' >"$KV_STATE/networks/.p31_999.xml.Ab12Cd"

	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start again on state dir $KV_STATE after kill -9"
		log_test "kill -9 mid-burst: kvnetd starts again, every stored definition loads"
		return
	fi
	files=$(stored_names)
	kv_check_eq "files that do not parse or are misnamed" "" "$(torn_files | xargs)"
	listed=$(kv_net_names)
	kv_check_eq "net-list --all is the stored files" "$files" "$listed"
	kv_check_eq "net-list --all count" "$(wc -w <<<"$files")" "$(wc -w <<<"$listed")"
	kv_check_eq "temporary files left in networks/ after the restart" "" \
		"$(find "$KV_STATE/networks" -maxdepth 1 -name '.*' -type f -printf '%f ')"
	kv_check_ok "the half-written p31_999 is not a network" \
		test -z "$(grep -w p31_999 <<<"$listed")"
	if command -v xmllint >/dev/null; then
		kv_check_ok "xmllint: every stored file is well-formed" \
			xmllint --noout "$KV_STATE"/networks/*.xml
	else
		echo "NOTE: xmllint is not installed: files checked with Python's parser only"
	fi
	# the burst goes on where it stopped, on the restarted daemon
	n=$(printf '%03d' "$NBURST")
	kv_check_run "net-define after the restart" 0 "^Network p31_$n defined" '^$' \
		kv net-define "$X/p31_$n.xml"
	log_test "kill -9 mid-burst: kvnetd starts again, every stored file loads, no temp file"
}

corrupt_file_skipped() {
	local before lines
	before=$(kv_net_names)
	kvnetd_stop || kv_fail "kvnetd did not stop on SIGTERM"
	printf 'this is not <network> XML\n' >"$KV_STATE/networks/garbage.xml"
	lines=$(wc -l <"$KV_LOG")
	if ! kvnetd_start "$SW"; then
		kv_fail "kvnetd does not start with a corrupt garbage.xml in $KV_STATE/networks"
		log_test "a corrupt stored file is reported and skipped"
		return
	fi
	kv_check_ok "kvnetd's log names garbage.xml" \
		grep -q 'garbage\.xml' <<<"$(tail -n +"$((lines + 1))" "$KV_LOG")"
	kv_check_eq "the other networks are all listed" "$before" "$(kv_net_names)"
	kv_check_ok "kvnetd answers" kv net-list --all
	log_test "a corrupt stored file is reported in the log and skipped; the others load"
}

kv_require
setup
tests_run
kv_exit
