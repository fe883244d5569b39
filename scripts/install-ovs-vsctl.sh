#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# install-ovs-vsctl.sh BINDIR SBINDIR - meson's install script: make SBINDIR/ovs-vsctl a link
# to BINDIR/kvnet-ovs-vsctl, so that libvirtd, which runs ovs-vsctl by its bare name from its
# PATH, runs kvnet's; unless a real Open vSwitch is installed, which is never replaced.
#
# meson install runs it after the files are in place (meson.add_install_script), with
# MESON_INSTALL_PREFIX and MESON_INSTALL_DESTDIR_PREFIX (the prefix under DESTDIR) set. BINDIR
# and SBINDIR are meson's options: relative to the prefix, or absolute. Under a DESTDIR the
# link names the installed path, not the staging one.
#
# Open vSwitch counts as installed when any of these is there, on this machine or under
# DESTDIR: its ovs-vsctl (other than this link) in /usr or /usr/local, ovs-vswitchd, its
# database socket or file; an ovs-vsctl on PATH that is not kvnet's; the Debian package
# openvswitch-common or openvswitch-switch; or a file at SBINDIR/ovs-vsctl that is not this
# link. Then it says so and makes no link. Its exit status is 0 either way: the rest of kvnet
# is installed, and works without the link. meson shows an install script's output only when
# it fails, so what it did is also written to MESON_BUILD_ROOT/meson-logs/install-ovs-vsctl.log,
# which `make install` prints.
set -u

me=install-ovs-vsctl.sh
[ $# -eq 2 ] || {
	echo "usage: $me BINDIR SBINDIR (meson install runs it)" >&2
	exit 2
}
prefix=${MESON_INSTALL_PREFIX:?$me: MESON_INSTALL_PREFIX is not set (meson install runs it)}
dest_prefix=${MESON_INSTALL_DESTDIR_PREFIX:-$prefix}
destdir=${dest_prefix%"$prefix"}
case $1 in /*) bindir=$1 ;; *) bindir=$prefix/$1 ;; esac
case $2 in /*) sbindir=$2 ;; *) sbindir=$prefix/$2 ;; esac
target=$bindir/kvnet-ovs-vsctl
link=$destdir$sbindir/ovs-vsctl

# is_ours PATH - PATH is a symbolic link to a kvnet-ovs-vsctl
is_ours() {
	[ -L "$1" ] && [ "$(basename "$(readlink "$1")")" = kvnet-ovs-vsctl ]
}

# real_ovs - print what shows a real Open vSwitch, if anything does
real_ovs() {
	if { [ -e "$link" ] || [ -L "$link" ]; } && ! is_ours "$link"; then
		echo "$link exists and is not kvnet's"
		return
	fi
	for p in /usr/bin/ovs-vsctl /usr/sbin/ovs-vsctl /usr/local/bin/ovs-vsctl \
		/usr/local/sbin/ovs-vsctl /usr/sbin/ovs-vswitchd /usr/local/sbin/ovs-vswitchd \
		/usr/lib/openvswitch-switch/ovs-vswitchd /run/openvswitch/db.sock \
		/var/run/openvswitch/db.sock /etc/openvswitch/conf.db; do
		for q in "$p" ${destdir:+"$destdir$p"}; do
			if { [ -e "$q" ] || [ -L "$q" ]; } && ! is_ours "$q"; then
				echo "$q exists"
				return
			fi
		done
	done
	p=$(command -v ovs-vsctl 2>/dev/null)
	if [ -n "$p" ] && [ "$(basename "$(readlink -f "$p")")" != kvnet-ovs-vsctl ]; then
		echo "ovs-vsctl on PATH is $p"
		return
	fi
	if command -v dpkg-query >/dev/null 2>&1; then
		for pkg in openvswitch-common openvswitch-switch; do
			if dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
				grep -q 'install ok installed'; then
				echo "the Debian package $pkg is installed"
				return
			fi
		done
	fi
}

# say MSG - print MSG, and keep it for `make install` to print
say() {
	echo "$*"
	if [ -n "${MESON_BUILD_ROOT:-}" ] && [ -d "$MESON_BUILD_ROOT/meson-logs" ]; then
		echo "$*" >"$MESON_BUILD_ROOT/meson-logs/install-ovs-vsctl.log"
	fi
}

why=$(real_ovs)
if [ -n "$why" ]; then
	say "$me: Open vSwitch is installed ($why): its ovs-vsctl stays, and kvnet's is not" \
		"linked as $sbindir/ovs-vsctl. libvirt's <virtualport type='openvswitch'/> ports then" \
		"go to Open vSwitch, not to kvnet; $target is installed all the same."
	exit 0
fi
mkdir -p "$destdir$sbindir" || exit 1
ln -sfn "$target" "$link" || exit 1
say "$me: $link -> $target: libvirtd runs kvnet's ovs-vsctl from its PATH"
