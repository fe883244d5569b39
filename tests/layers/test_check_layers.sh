#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_check_layers.sh - scripts/check-layers.sh passes a clean tree and fails a bad include
#
# usage: test_check_layers.sh
#
# A small fixture tree with one file in every room and only allowed includes (relative,
# spaced and angle-bracket forms, a generated header, system headers) must pass. Then, one
# at a time, an illegal include is added to a copy of the fixture, and to a copy of the real
# src/: the check must exit 1 and name that file and line, and nothing else in the fixture.
# Prints "ok:" or "FAIL:" per case; exit 0 if all held, 1 if not.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/check-layers.sh
work=$(mktemp -d /tmp/kvnet-layers.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
failed=0

ok() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# put FILE LINE... - write FILE under the fixture's src/, one include (or any text) a line
put() {
	local f=$work/clean/src/$1
	shift
	mkdir -p "$(dirname "$f")"
	printf '%s\n' "/* SPDX-License-Identifier: GPL-2.0-or-later */" "$@" >"$f"
}

put util/log.h '#include <stdarg.h>'
put util/log.c '#include "util/log.h"' '#include "log.h"' '#include <stdio.h>'
put core/frame.h '#include <stdint.h>'
put core/eth.h '#include "core/frame.h"' '#include "util/log.h"'
put core/eth.c '#include "core/eth.h"' '#include "eth.h"' '#include <net/if.h>'
put port/port.h '#include "core/frame.h"'
put port/tap.c '#include "port.h"' '#  include "core/eth.h"' '#include <linux/if_tun.h>'
put conf/network_def.h '#include "util/log.h"'
put conf/conf_xml.h '#include "conf/network_def.h"'
put conf/network_xml_priv.h '#include "conf/conf_xml.h"'
put conf/network_xml.c '#include "conf/network_xml_priv.h"' '#include "conf_xml.h"'
put services/firewall.h '#include "conf/network_def.h"'
put services/firewall.c '#include "services/firewall.h"' '#include "core/eth.h"'
put ctl/protocol.h '#include "util/log.h"'
put ctl/vocab.h ''
put ctl/client.h '#include "ctl/protocol.h"'
put ctl/client.c '#include "ctl/client.h"' '#include "protocol.h"'
# cli/version.h is generated at build time: not in the tree, still in cli/
put cli/kvnet.c '#include "ctl/client.h"' '#include "ctl/vocab.h"' '#include "cli/version.h"'
# kvnet-ovs-vsctl: another client of the protocol, with a generated header of its own
put ovs/ovs_cmd.h '#include "ctl/vocab.h"'
put ovs/ovs_vsctl.c '#include "ovs/ovs_cmd.h"' '#include "ctl/client.h"' '#include "ovs/version.h"' \
	'#include "util/strbuf.h"'
put util/strbuf.h ''
put daemon/host/privilege.h '#include "util/log.h"'
put daemon/host/privilege.c '#include "daemon/host/privilege.h"' '#include "ctl/vocab.h"'
put daemon/switch/switch.h '#include "core/eth.h"' '#include "port/port.h"'
put daemon/switch/switch.c '#include "daemon/switch/switch.h"' \
	'#include "daemon/host/privilege.h"' '#include "services/firewall.h"'
put daemon/vmport/vm_port.h '#include "daemon/switch/switch.h"' '#include "conf/network_def.h"'
put daemon/vmport/vm_port.c '#include "vm_port.h"' '#include "../host/privilege.h"'
put daemon/network/network.h '#include "daemon/vmport/vm_port.h"'
put daemon/network/network.c '#include "daemon/network/network.h"' '#include "ctl/vocab.h"'
put daemon/rpc/ctl_request.h '#include "ctl/protocol.h"' '#include "daemon/network/network.h"'
put daemon/rpc/ctl_server.h '#include "daemon/rpc/ctl_request.h"'
put daemon/rpc/ctl_server.c '#include "ctl_server.h"' '#include "conf/network_def.h"'
put daemon/kvnetd.c '#include "daemon/rpc/ctl_server.h"' '#include "ctl/protocol.h"' \
	'#include "daemon/switch/switch.h"' '#include "conf/network_def.h"' '#include <stdio.h>'

# the clean fixture passes, with no line but the summary
out=$("$check" "$work/clean/src" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
	[[ $out == *": 0 not allowed" ]]; then
	ok "a clean fixture passes: $out"
else
	fail "a clean fixture: exit $rc, expected 0, output:"
	printf '%s\n' "$out" | sed 's/^/    /'
fi

# bad TREE FILE LINE WHAT [RULE] - a copy of TREE (clean: the fixture; real: the repository's
# src/) with LINE added at the end of FILE must fail, naming FILE and that line (and RULE,
# a part of the message, when given); on the fixture it must be the only violation. A LINE
# that is no #include (a comment) makes FILE for a file in no room: it is named without a line.
bad() {
	local tree=$1 file=$2 text=$3 what=$4 rule=${5:-} dir n out rc want
	dir=$work/case
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ "$tree" = clean ]; then
		cp -r "$work/clean/src" "$dir/src"
	else
		cp -r "$top/src" "$dir/src"
	fi
	mkdir -p "$(dirname "$dir/src/$file")"
	printf '%s\n' "$text" >>"$dir/src/$file"
	n=$(wc -l <"$dir/src/$file")
	want="$dir/src/$file:$n: "
	# a file in no room is named without a line
	[ "$text" = "${text#\#}" ] && want="$dir/src/$file: "
	out=$("$check" "$dir/src" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "$what ($tree): exit $rc, expected 1"
	elif ! grep -qF -- "$want" <<<"$out"; then
		fail "$what ($tree): no line starting '$want'"
	elif [ -n "$rule" ] && ! grep -F -- "$want" <<<"$out" | grep -qF -- "$rule"; then
		fail "$what ($tree): the line does not say '$rule'"
	elif [ "$tree" = clean ] && [ "$(grep -c ':[0-9]*: \|: in no room' <<<"$out")" -ne 1 ]; then
		fail "$what ($tree): more than the one violation reported"
	else
		ok "$what ($tree): $(grep -F -- "$want" <<<"$out" | sed "s|$dir/||")"
		return
	fi
	printf '%s\n' "$out" | sed "s|$dir/||; s/^/    /"
}

for tree in clean real; do
	bad "$tree" core/eth.c '#include "daemon/rpc/ctl_request.h"' \
		"core/ including the JSON-RPC request header" "core/ may include only util/"
	bad "$tree" services/firewall.c '#include "conf/conf_xml.h"' \
		"services/ including conf's private conf_xml.h" "may be included only from conf/"
done
bad clean services/firewall.c '#include "conf/network_xml_priv.h"' \
	"services/ including a *_priv.h of conf/" "is private to conf/"
bad clean core/eth.c '#include <daemon/rpc/ctl_request.h>' "the same in <...>" \
	"core/ may include only util/"
bad clean core/eth.c '#include "../daemon/switch/switch.h"' "the same by a relative path" \
	"core/ may include only util/"
bad clean port/tap.c '#  include "conf/network_def.h"' "port/ including conf/, '#  include'" \
	"port/ may include only core/ util/"
bad clean cli/kvnet.c '#include "core/eth.h"' "cli/ including core/" \
	"cli/ may include only ctl/ util/"
bad clean ovs/ovs_vsctl.c '#include "conf/network_def.h"' "ovs/ including conf/" \
	"ovs/ may include only ctl/ util/"
bad clean ovs/ovs_cmd.h '#include "cli/kvnet.h"' "ovs/ including cli/" \
	"ovs/ may include only ctl/ util/"
bad clean daemon/network/network.c '#include "ctl/client.h"' "the daemon including ctl/client.h" \
	"may include only"
bad clean daemon/switch/switch.c '#include "ctl/client.h"' \
	"ctl/client.h from outside cli/, ovs/ and ctl/" "may include only"
bad clean daemon/kvnetd.c '#include "ctl/client.h"' "kvnetd.c including ctl/client.h" \
	"may include only"
bad clean daemon/kvnetd.c '#include "daemon/rpc/ctl_request.h"' \
	"kvnetd.c including an rpc/ header other than ctl_server.h" \
	"daemon/rpc/* may be included only from daemon/rpc/"
bad clean daemon/vmport/vm_port.c '#include "daemon/network/network.h"' \
	"vmport/ including network/ (an arrow upwards)" "daemon/vmport/ may include only"
bad clean daemon/host/privilege.c '#include "daemon/rpc/ctl_request.h"' \
	"host/ including rpc/" "daemon/host/ may include only util/ ctl/vocab.h"
bad clean daemon/network/network.c '#include "ctl/protocol.h"' \
	"network/ including ctl/protocol.h" "daemon/network/ may include only"
bad clean ctl/protocol.h '#include "conf/network_def.h"' "ctl/ including conf/" \
	"ctl/ may include only util/"
bad clean util/log.c '#include "core/eth.h"' "util/ including core/" \
	"util/ may include nothing outside itself"
bad clean core/eth.c '#include "../../x.h"' "an include reaching outside src/" \
	"reaches outside src/"
bad clean core/eth.c '#include "nowhere/x.h"' "an include naming no room" "in no room"
bad clean extra/x.c '/* a file in a folder of no room */' "a file in no room" "in no room"

# a usage error is not a pass
out=$("$check" "$work/none" 2>&1)
rc=$?
if [ "$rc" -eq 2 ]; then
	ok "a missing SRC_DIR is a usage error (exit 2)"
else
	fail "a missing SRC_DIR: exit $rc, expected 2: $out"
fi

if [ "$failed" -gt 0 ]; then
	echo "test_check_layers.sh: $failed failed"
	exit 1
fi
echo "test_check_layers.sh: all passed"
