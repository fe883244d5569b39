#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 84_completion.sh - kvnet's bash completion (scripts/completion/kvnet), sourced in bash and
# asked what a user's TAB would get: commands, objects, keywords, values, and the names of
# the bridges, ports and networks the running kvnetd has
#
#   kvnetd (ns sw): bridges br84 and lab84 (ports t84a, t84b), network net84 (defined)

ALL_TESTS="commands_and_objects bridge_names port_names network_names keywords_and_values
	files_and_no_daemon"

source "$(dirname "$0")/lib.sh"

setup() {
	SW=$(kv_ns sw)
	kv_ns_add "$SW"
	kvnetd_start "$SW" || kv_setup_fail "kvnetd did not start"
	kv bridge add br84 || kv_setup_fail "bridge add br84"
	kv bridge add lab84 || kv_setup_fail "bridge add lab84"
	kv port add br84 t84a || kv_setup_fail "port add br84 t84a"
	kv port add lab84 t84b || kv_setup_fail "port add lab84 t84b"
	cat >"$KV_TMP/net84.xml" <<-EOF
		<network><name>net84</name><bridge name='kvbr84'/></network>
	EOF
	kv net-define "$KV_TMP/net84.xml" >/dev/null || kv_setup_fail "net-define net84"
	COMPLETION=$KV_TOP/scripts/completion/kvnet
}

# comp LINE - what the completion offers for LINE (the cursor at its end), sorted, on one line;
# run in a fresh bash that sources the completion, as a user's shell does
comp() {
	KVNET_SOCKET=$KV_SOCK COMPLETION=$COMPLETION KVNET=$KVNET LINE=$1 bash -c '
		source "$COMPLETION" || exit 1
		read -ra COMP_WORDS <<<"$LINE"
		[[ $LINE == *" " ]] && COMP_WORDS+=("")
		COMP_WORDS[0]=$KVNET
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$LINE
		COMP_POINT=${#LINE}
		_kvnet
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | xargs'
}

commands_and_objects() {
	local all
	all=$(comp "kvnet ")
	for w in bridge port vlan fdb stats stp showstp net-list net-start net-define attach-interface \
		qemu-args version; do
		[[ " $all " == *" $w "* ]] || kv_fail "kvnet <TAB>: expected '$w' among '$all'"
	done
	kv_check_eq "kvnet net-s<TAB>" "net-start" "$(comp "kvnet net-s")"
	kv_check_eq "kvnet bridge <TAB>" "add del set show" "$(comp "kvnet bridge ")"
	kv_check_eq "kvnet --j<TAB>" "--json" "$(comp "kvnet --j")"
	log_test "commands, objects and their commands, global options (from kvnet --help)"
}

bridge_names() {
	kv_check_eq "kvnet bridge del <TAB>" "br84 lab84" "$(comp "kvnet bridge del ")"
	kv_check_eq "kvnet port add l<TAB>" "lab84" "$(comp "kvnet port add l")"
	kv_check_eq "kvnet showstp <TAB>" "br84 lab84" "$(comp "kvnet showstp ")"
	kv_check_eq "kvnet stp <TAB> (commands and bridges)" "br84 lab84 port set" "$(comp "kvnet stp ")"
	kv_check_eq "kvnet --json fdb show <TAB>" "br84 lab84" "$(comp "kvnet --json fdb show ")"
	kv bridge del lab84 >/dev/null || kv_fail "bridge del lab84"
	kv_check_eq "kvnet bridge del <TAB> after lab84 went" "br84" "$(comp "kvnet bridge del ")"
	log_test "bridge names from the running kvnetd"
}

port_names() {
	kv_check_eq "kvnet port set <TAB>" "br84 t84a" "$(comp "kvnet port set ")"
	kv_check_eq "kvnet vlan add t<TAB>" "t84a" "$(comp "kvnet vlan add t")"
	kv_check_eq "kvnet fdb show br84 port <TAB>" "br84 t84a" "$(comp "kvnet fdb show br84 port ")"
	log_test "port names from the running kvnetd"
}

network_names() {
	kv_check_eq "kvnet net-start <TAB>" "net84" "$(comp "kvnet net-start ")"
	kv_check_eq "kvnet net-dumpxml n<TAB>" "net84" "$(comp "kvnet net-dumpxml n")"
	log_test "network names (net-list --all: inactive ones too)"
}

keywords_and_values() {
	kv_check_eq "kvnet port set t84a hair<TAB>" "hairpin" "$(comp "kvnet port set t84a hair")"
	kv_check_eq "kvnet port set t84a hairpin <TAB>" "off on" "$(comp "kvnet port set t84a hairpin ")"
	kv_check_eq "kvnet port set t84a state <TAB>" "blocking disabled forwarding learning listening" \
		"$(comp "kvnet port set t84a state ")"
	kv_check_eq "kvnet net-list --a<TAB>" "--all --autostart" "$(comp "kvnet net-list --a")"
	kv_check_eq "kvnet stp br84 <TAB>" "off on" "$(comp "kvnet stp br84 ")"
	log_test "keywords of a command, and the values a keyword lists"
}

files_and_no_daemon() {
	touch "$KV_TMP/net84-copy.xml"
	kv_check_eq "kvnet net-define FILE<TAB>" "$KV_TMP/net84-copy.xml $KV_TMP/net84.xml" \
		"$(comp "kvnet net-define $KV_TMP/net84")"
	kv_check_eq "kvnet bridge del <TAB> with no kvnetd on the socket" "" \
		"$(KV_SOCK=$KV_TMP/none.sock comp "kvnet bridge del ")"
	kv_check_eq "kvnet bridge <TAB> with no kvnetd" "add del set show" \
		"$(KV_SOCK=$KV_TMP/none.sock comp "kvnet bridge ")"
	log_test "file names for FILE; without a daemon no names, and no error"
}

kv_require
setup
tests_run
kv_exit
