#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-man.sh - the man pages are built and say what the programs say: every command of
# `kvnet --help` is in kvnet.1, every option of `kvnetd --help` in kvnetd.8
#
# usage: check-man.sh BUILD_DIR
# Exit status: 0 if they do, 1 if not (each one missing is printed), 77 with a SKIP line
# when scdoc is not installed (then meson builds no pages).
set -u

build=${1:?usage: check-man.sh BUILD_DIR}
if [ ! -f "$build/kvnet.1" ] && ! command -v scdoc >/dev/null; then
	echo "SKIP: scdoc is not installed (Debian package scdoc): no man pages are built"
	exit 77
fi
rc=0
for page in kvnet.1 kvnetd.8 kvnet-ifup.8; do
	[ -s "$build/$page" ] || {
		echo "$page: not built in $build"
		rc=1
	}
done
[ "$rc" -eq 0 ] || exit 1

# the roff text with its escapes (\- \fB \fR \e) taken out, as a reader sees the words
text() {
	sed -e 's/\\f[BIR]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' "$1"
}

# check_listed PAGE PROGRAM MIN - each line of stdin (what PROGRAM --help lists) is in PAGE,
# and there are at least MIN of them (else the help's format is no longer read right)
check_listed() {
	local page=$1 prog=$2 min=$3 n=0 item
	while read -r item; do
		n=$((n + 1))
		if ! text "$build/$page" | grep -qF -- "$item"; then
			echo "$page: no '$item' ($prog --help lists it)"
			rc=1
		fi
	done
	[ "$n" -ge "$min" ] || {
		echo "$prog --help: only $n found: the check no longer reads its format"
		rc=1
	}
}

# "  kvnet OBJECT COMMAND ..." and "  kvnet VIRSH-COMMAND ...": the command is what comes
# before the first argument (an upper-case word, [option] or a value)
check_listed kvnet.1 kvnet 20 < <("$build/kvnet" --help |
	sed -n 's/^  \(kvnet \([a-z][a-z-]*\)\( [a-z][a-z_-]*\)*\).*/\1/p' | sort -u)
check_listed kvnetd.8 kvnetd 5 < <("$build/kvnetd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ "$rc" -eq 0 ] && echo "man pages: every command of kvnet --help and option of kvnetd --help"
exit "$rc"
