#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-layers.sh - every #include in src/ follows the layers of docs/design.md
#
# usage: check-layers.sh [SRC_DIR]   (default: this repository's src/)
#
# Each `#include "..."` of each .c and .h file under SRC_DIR, and each `#include <...>` whose
# first folder is one of SRC_DIR's, is checked against the two tables below. Only SRC_DIR is
# checked: tests/ and bench/ may include anything.
#
# An include is resolved as the compiler resolves it with -I src: "x.h" is looked for beside
# the including file first, then as SRC_DIR/x.h. A header that is generated at build time
# (cli/version.h, ovs/version.h) is not in SRC_DIR; it belongs to the room its path names.
#
# Prints one line per include the tables do not allow, then a summary:
#   FILE:LINE: #include "HEADER": the rule it breaks
# Exit status: 0 when every include is allowed, 1 when one is not, 2 on a usage error.
set -u

# ROOMS - what each room may include besides itself. A room is a folder (ending in /, with
# everything under it) or a single file; the longest room that holds a file is its room.
# A "may include" entry ending in / is a folder; any other entry is one header. "-": nothing.
# A file in no room, or an include naming a header in no room, is itself a violation.
ROOMS='
# room            may include (besides itself)
util/             -
core/             util/
port/             core/ util/
conf/             util/
services/         conf/ core/ util/
ctl/              util/
cli/              ctl/ util/
ovs/              ctl/ util/
daemon/host/      util/ ctl/vocab.h
daemon/switch/    daemon/host/ core/ port/ services/ util/ ctl/vocab.h
daemon/vmport/    daemon/switch/ daemon/host/ conf/ core/ port/ services/ util/ ctl/vocab.h
daemon/network/   daemon/vmport/ daemon/switch/ daemon/host/ conf/ core/ port/ services/ util/ ctl/vocab.h
daemon/metrics/   util/ ctl/client.h ctl/protocol.h
daemon/rpc/       daemon/ conf/ core/ port/ services/ util/ ctl/protocol.h ctl/vocab.h
daemon/kvnetd.c   daemon/ conf/ core/ port/ services/ util/ ctl/protocol.h ctl/vocab.h
'

# PRIVATE - headers that only some rooms may include, even where ROOMS lets a room include
# their folder. The first header pattern (a shell glob) that matches decides. "own-room":
# only the room the header is in.
PRIVATE='
# header                    only from
conf/conf_xml.h             conf/
*_priv.h                    own-room
ctl/client.h                cli/ ovs/ ctl/ daemon/metrics/
daemon/rpc/ctl_server.h     daemon/rpc/ daemon/kvnetd.c
daemon/rpc/*                daemon/rpc/
'

top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 1 ] || [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	echo "usage: check-layers.sh [SRC_DIR]" >&2
	exit 2
fi
if [ $# -eq 1 ]; then
	src=${1%/}
else
	cd "$top" || exit 2
	src=src
fi
[ -d "$src" ] || {
	echo "check-layers.sh: $src is not a folder" >&2
	exit 2
}

declare -A room_allows=()
room_keys=()
priv_pats=()
priv_from=()
while read -r key rest; do
	case $key in '' | '#'*) continue ;; esac
	room_keys+=("$key")
	room_allows[$key]=$rest
done <<<"$ROOMS"
while read -r key rest; do
	case $key in '' | '#'*) continue ;; esac
	priv_pats+=("$key")
	priv_from+=("$rest")
done <<<"$PRIVATE"

# room_of PATH - set ROOM to the longest room holding PATH (relative to SRC_DIR), or ""
room_of() {
	local k
	ROOM=""
	for k in "${room_keys[@]}"; do
		case $k in
		*/) [[ $1 == "$k"* ]] || continue ;;
		*) [ "$1" = "$k" ] || continue ;;
		esac
		[ ${#k} -gt ${#ROOM} ] && ROOM=$k
	done
}

# in_list PATH ENTRY... - is PATH one of the entries, or under one ending in /
in_list() {
	local path=$1 e
	shift
	for e in "$@"; do
		case $e in
		*/) [[ $path == "$e"* ]] && return 0 ;;
		*) [ "$path" = "$e" ] && return 0 ;;
		esac
	done
	return 1
}

# normalize PATH - set NORM to PATH without "." and ".." parts; return 1 if it leaves SRC_DIR
normalize() {
	local part parts=() IFS=/
	for part in $1; do
		case $part in
		'' | .) ;;
		..)
			[ ${#parts[@]} -eq 0 ] && return 1
			unset 'parts[${#parts[@]}-1]'
			;;
		*) parts+=("$part") ;;
		esac
	done
	NORM="${parts[*]}"
}

violations=0
nincludes=0
nfiles=0
report() {
	violations=$((violations + 1))
	echo "$1"
}

while IFS= read -r -d '' path; do
	rel=${path#"$src"/}
	nfiles=$((nfiles + 1))
	room_of "$rel"
	from=$ROOM
	if [ -z "$from" ]; then
		report "$src/$rel: in no room of the layer table (scripts/check-layers.sh)"
		continue
	fi
	dir=$(dirname "$rel")
	while IFS= read -r hit; do
		lineno=${hit%%:*}
		line=${hit#*:}
		[[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+)[\"\>] ]] ||
			continue
		inc=${BASH_REMATCH[2]}
		if [ "${BASH_REMATCH[1]}" = '<' ]; then
			# a system header, unless it names one of src/'s folders
			if [[ $inc != */* ]] || [ ! -d "$src/${inc%%/*}" ]; then
				continue
			fi
			shown="<$inc>"
		else
			shown="\"$inc\""
		fi
		nincludes=$((nincludes + 1))
		where="$src/$rel:$lineno: #include $shown"
		if [ "${BASH_REMATCH[1]}" = '"' ] && [ -f "$src/$dir/$inc" ]; then
			cand=$dir/$inc
		else
			cand=$inc
		fi
		if ! normalize "$cand"; then
			report "$where: reaches outside src/"
			continue
		fi
		target=$NORM
		room_of "$target"
		to=$ROOM
		if [ -z "$to" ]; then
			report "$where: $target is in no room of the layer table"
			continue
		fi
		# shellcheck disable=SC2086 # the table's entries are words
		if [ "$to" != "$from" ] && ! in_list "$target" ${room_allows[$from]}; then
			if [ "${room_allows[$from]}" = - ]; then
				report "$where: $from may include nothing outside itself"
			else
				report "$where: $from may include only ${room_allows[$from]}"
			fi
			continue
		fi
		for i in "${!priv_pats[@]}"; do
			# shellcheck disable=SC2053 # the pattern is a glob
			[[ $target == ${priv_pats[$i]} ]] || continue
			if [ "${priv_from[$i]}" = own-room ]; then
				[ "$to" = "$from" ] ||
					report "$where: $target is private to $to"
			else
				# shellcheck disable=SC2086
				in_list "$rel" ${priv_from[$i]} ||
					report "$where: ${priv_pats[$i]} may be included only from ${priv_from[$i]}"
			fi
			break
		done
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$path")
done < <(find "$src" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

if [ "$nfiles" -eq 0 ]; then
	echo "check-layers.sh: no .c or .h file under $src" >&2
	exit 2
fi
echo "check-layers.sh: $nincludes includes in $nfiles files under $src: $violations not allowed"
[ "$violations" -eq 0 ]
