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

n=0
# "  kvnet OBJECT COMMAND ..." and "  kvnet VIRSH-COMMAND ...": the command is what comes
# before the first argument (an upper-case word, [option] or a value)
while read -r cmd; do
	n=$((n + 1))
	if ! text "$build/kvnet.1" | grep -qF -- "$cmd"; then
		echo "kvnet.1: no '$cmd' (kvnet --help lists it)"
		rc=1
	fi
done < <("$build/kvnet" --help | sed -n 's/^  \(kvnet \([a-z][a-z-]*\)\( [a-z][a-z_-]*\)*\).*/\1/p' | sort -u)
[ "$n" -ge 20 ] || {
	echo "kvnet --help: only $n commands found: the check no longer reads its format"
	rc=1
}

n=0
while read -r opt; do
	n=$((n + 1))
	if ! text "$build/kvnetd.8" | grep -qF -- "$opt"; then
		echo "kvnetd.8: no '$opt' (kvnetd --help lists it)"
		rc=1
	fi
done < <("$build/kvnetd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ "$n" -ge 5 ] || {
	echo "kvnetd --help: only $n options found"
	rc=1
}
[ "$rc" -eq 0 ] && echo "man pages: every command of kvnet --help and option of kvnetd --help"
exit "$rc"
