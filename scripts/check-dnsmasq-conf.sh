#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-dnsmasq-conf.sh - the real dnsmasq accepts every configuration kvnet writes
#
# usage: check-dnsmasq-conf.sh [BUILD_DIR]   (default $KVNET_BUILD, then build-test)
#
# Every network of libvirt's networkxml2confdata corpus goes through BUILD_DIR's
# tests/tools/dnsmasq_conf_tool, with its files (hosts file, additional hosts), pid file and
# lease file in a temporary directory, and the configuration must pass
#   dnsmasq --test --conf-file=CONF
# (a syntax check: nothing listens, nothing is started). The static hosts are checked
# too: each hosts-file line, given to dnsmasq as a dhcp-host= option, must pass as well.
# An input kvnet's parser refuses is counted, not failed.
#
# Known exception: dnsmasq-options passes <dnsmasq:option value='foo=bar'/>, which libvirt's
# test uses as a placeholder and no dnsmasq knows; that one line is left out of the check
# (its other option, cname=, is real and is checked).
#
# The corpus is $KVNET_LIBVIRT_CORPUS, or ../shared/conformance/libvirt next to the
# repository. Exits 77 with a SKIP line when it or dnsmasq (Debian package dnsmasq-base) is
# missing.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${KVNET_BUILD:-$top/build-test}}
corpus=${KVNET_LIBVIRT_CORPUS:-$top/../shared/conformance/libvirt}
tool=$build/tests/tools/dnsmasq_conf_tool
data=$corpus/tests/networkxml2confdata

skip() {
	echo "SKIP: $*"
	exit 77
}

[ -d "$data" ] || skip "libvirt corpus not found at $corpus"
dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null) ||
	skip "dnsmasq not found (Debian package dnsmasq-base)"
[ -x "$tool" ] || { echo "FAIL: $tool not built"; exit 1; }

work=$(mktemp -d /tmp/kvnet-dnsmasq.XXXXXX)
trap 'rm -rf "$work"' EXIT

# CASE:LINE pairs of pass-through options that are no real dnsmasq option
fake_options="dnsmasq-options:foo=bar"

checked=0
accepted=0
refused=0
failed=0
for in in "$data"/*.xml; do
	name=$(basename "$in" .xml)
	dir=$work/$name
	mkdir -p "$dir"
	if ! "$tool" --files-dir "$dir" --pid-file "$dir/dnsmasq.pid" \
		--lease-file "$dir/dnsmasq.leases" "$in" >"$dir/conf" 2>"$dir/err"; then
		if grep -q "not supported by kvnet" "$dir/err"; then
			refused=$((refused + 1))
		else
			echo "FAIL: $name: kvnet cannot write its configuration: $(cat "$dir/err")"
			failed=$((failed + 1))
		fi
		continue
	fi
	checked=$((checked + 1))
	for f in $fake_options; do
		[ "${f%%:*}" = "$name" ] && grep -vxF "${f#*:}" "$dir/conf" >"$dir/conf.tmp" &&
			mv "$dir/conf.tmp" "$dir/conf"
	done
	if ! "$dnsmasq" --test --conf-file="$dir/conf" >"$dir/out" 2>&1; then
		echo "FAIL: $name: dnsmasq --test refuses kvnet's configuration:"
		sed 's/^/    /' "$dir/out"
		sed 's/^/    | /' "$dir/conf"
		failed=$((failed + 1))
		continue
	fi
	# the hosts file's lines are dhcp-host= values: check them the same way
	hosts=$(ls "$dir"/*.hostsfile 2>/dev/null | head -1)
	if [ -n "$hosts" ] && [ -s "$hosts" ]; then
		{ cat "$dir/conf"; sed 's/^/dhcp-host=/' "$hosts"; } >"$dir/conf-hosts"
		if ! "$dnsmasq" --test --conf-file="$dir/conf-hosts" >"$dir/out" 2>&1; then
			echo "FAIL: $name: dnsmasq --test refuses the hosts file's lines:"
			sed 's/^/    /' "$dir/out"
			sed 's/^/    | /' "$hosts"
			failed=$((failed + 1))
			continue
		fi
	fi
	accepted=$((accepted + 1))
done

echo "networkxml2confdata: $accepted of $checked configurations accepted by $("$dnsmasq" --version |
	head -1 | sed 's/  Copyright.*//'), $refused refused by kvnet, $failed failures"
[ "$failed" -eq 0 ] && [ "$checked" -gt 0 ]
