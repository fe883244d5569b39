#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-xml-schema.sh - what kvnet formats validates against libvirt's schemas, with two validators
#
# usage: check-xml-schema.sh [BUILD_DIR]   (default $KVNET_BUILD, then build-test)
#
# Every network of libvirt's networkxml2xml corpus that libvirt accepts, and every file of
# virnetworkportxml2xmldata, goes through kvnet's parser and formatter (BUILD_DIR's
# tests/tools/xml_format). Each output must validate with
#   xmllint --noout --relaxng CORPUS/src/conf/schemas/{network,networkport}.rng
# (the schemas of the corpus's libvirt release) and with Debian's own
#   virt-xml-validate OUT {network,networkport}
# (libvirt-clients, the schemas of Debian's libvirt). An input kvnet refuses must say
# "not supported by kvnet"; any other failure fails the check.
#
# Known exception: Debian 12's libvirt 9.0.0 schema lacks <driver model> in a hostdev
# forward (hostdev-pf-driver-model, libvirt >= 10.0.0). kvnet refuses hostdev networks, so
# that file never reaches virt-xml-validate; it is listed here in case that changes.
#
# The corpus is $KVNET_LIBVIRT_CORPUS, or ../shared/conformance/libvirt next to the
# repository. Exits 77 with a SKIP line when it or a validator is missing.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${KVNET_BUILD:-$top/build-test}}
corpus=${KVNET_LIBVIRT_CORPUS:-$top/../shared/conformance/libvirt}
fmt=$build/tests/tools/xml_format
virt_xml_validate_exceptions=" hostdev-pf-driver-model "

skip() {
	echo "SKIP: $*"
	exit 77
}

[ -f "$corpus/tests/networkxml2xml-cases.tsv" ] || skip "libvirt corpus not found at $corpus"
command -v xmllint >/dev/null || skip "xmllint not found (Debian package libxml2-utils)"
command -v virt-xml-validate >/dev/null ||
	skip "virt-xml-validate not found (Debian package libvirt-clients)"
[ -x "$fmt" ] || { echo "FAIL: $fmt not built"; exit 1; }

work=$(mktemp -d /tmp/kvnet-schema.XXXXXX)
trap 'rm -rf "$work"' EXIT

checked=0
refused=0
failed=0

# check NAME INPUT KIND: format INPUT, validate the output as KIND with both validators
check() {
	local name=$1 in=$2 kind=$3 out=$work/$1.xml err=$work/$1.err
	if ! "$fmt" "$in" >"$out" 2>"$err"; then
		if grep -q "not supported by kvnet" "$err"; then
			refused=$((refused + 1))
		else
			echo "FAIL: $name: kvnet cannot format it: $(cat "$err")"
			failed=$((failed + 1))
		fi
		return
	fi
	checked=$((checked + 1))
	if ! xmllint --noout --relaxng "$corpus/src/conf/schemas/$kind.rng" "$out" \
		>"$err" 2>&1; then
		echo "FAIL: $name: xmllint --relaxng $kind.rng:"
		sed 's/^/    /' "$err"
		failed=$((failed + 1))
	fi
	case $virt_xml_validate_exceptions in
	*" $name "*) return ;;
	esac
	if ! virt-xml-validate "$out" "$kind" >"$err" 2>&1; then
		echo "FAIL: $name: virt-xml-validate $kind:"
		sed 's/^/    /' "$err"
		failed=$((failed + 1))
	fi
}

while IFS=$'\t' read -r name expect _; do
	[ "$name" = case ] && continue
	[ "$expect" = OK ] || continue
	check "$name" "$corpus/tests/networkxml2xmlin/$name.xml" network
done <"$corpus/tests/networkxml2xml-cases.tsv"
n_networks=$checked
n_net_refused=$refused

for in in "$corpus"/tests/virnetworkportxml2xmldata/*.xml; do
	check "port-$(basename "$in" .xml)" "$in" networkport
done

echo "networks: $n_networks formatted and validated, $n_net_refused refused;" \
	"networkports: $((checked - n_networks)) formatted and validated," \
	"$((refused - n_net_refused)) refused; $failed failures"
[ "$failed" -eq 0 ] && [ "$checked" -gt 0 ]
