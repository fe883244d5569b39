#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-image.sh OUTDIR - build the tiny test guest kvnet's end-to-end tests boot in QEMU
#
# From Debian packages only, fetched with `apt-get download` (nothing is installed):
#   OUTDIR/vmlinuz         Debian's cloud kernel (linux-image-cloud-amd64's current flavour)
#   OUTDIR/initramfs.gz    busybox (busybox-static) with its applet links, the modules
#                          virtio_net, 8021q and their dependencies (decompressed), and
#                          /init (scripts/guest/init), which reads its instructions from
#                          the kernel command line (kvtest.*) and reports on the serial console
#   OUTDIR/stamp           the package versions and init's checksum the image was built from
# A second run with the same versions and the same init does nothing (the cache). Exit 0 on
# success; 1 with a message on stderr if a package cannot be fetched or unpacked.
set -eu

OUT=${1:?usage: build-image.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
INIT=$HERE/init
MODS="virtio_net net_failover failover virtio_pci virtio_pci_modern_dev virtio_pci_legacy_dev 8021q garp mrp stp llc"

die() {
	echo "build-image: $*" >&2
	exit 1
}

for t in apt-get apt-cache dpkg-deb cpio gzip xz zstd sha256sum; do
	command -v "$t" >/dev/null || die "$t is missing"
done

kernel_pkg() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n 1
}
# apt's lists may be missing or stale (install-deps.sh updates them only to install)
apt_update() {
	[ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1
}

KPKG=$(kernel_pkg)
if [ -z "$KPKG" ] && apt_update; then
	KPKG=$(kernel_pkg)
fi
[ -n "$KPKG" ] || die "no linux-image-cloud-amd64 in apt's lists (apt-get update?)"
KVER=$(apt-cache policy "$KPKG" | sed -n 's/^ *Candidate: //p')
BVER=$(apt-cache policy busybox-static | sed -n 's/^ *Candidate: //p')
case "$KVER $BVER" in
" "* | *" " | *"(none)"*) die "no candidate version of $KPKG or busybox-static" ;;
esac
KEY="$KPKG=$KVER busybox-static=$BVER init=$(sha256sum "$INIT" | cut -d' ' -f1)"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initramfs.gz" ] && [ -f "$OUT/stamp" ] &&
	[ "$(cat "$OUT/stamp")" = "$KEY" ]; then
	exit 0
fi
rm -f "$OUT/stamp"

TMP=$(mktemp -d /tmp/kvnet-guest.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
if ! apt-get download -q "$KPKG=$KVER" "busybox-static=$BVER" >apt.log 2>&1; then
	apt_update || true
	KVER=$(apt-cache policy "$KPKG" | sed -n 's/^ *Candidate: //p')
	BVER=$(apt-cache policy busybox-static | sed -n 's/^ *Candidate: //p')
	KEY="$KPKG=$KVER busybox-static=$BVER init=$(sha256sum "$INIT" | cut -d' ' -f1)"
	apt-get download -q "$KPKG=$KVER" "busybox-static=$BVER" >apt.log 2>&1 ||
		die "apt-get download $KPKG busybox-static failed: $(tail -n 3 apt.log | tr '\n' ' ')"
fi
dpkg-deb -x ./"$KPKG"_*.deb kernel || die "cannot unpack $KPKG"
dpkg-deb -x ./busybox-static_*.deb bb || die "cannot unpack busybox-static"

uname_r=${KPKG#linux-image-}
moddir=kernel/lib/modules/$uname_r
[ -d "$moddir" ] || die "no $moddir in $KPKG"
[ -f "kernel/boot/vmlinuz-$uname_r" ] || die "no vmlinuz in $KPKG"

R=$TMP/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules}
cp bb/bin/busybox "$R/bin/busybox"
for a in $("$R/bin/busybox" --list-full); do
	[ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done

# each module in load order after its dependencies (their .modinfo depends=)
declare -A done_mod=()
order=()
add_mod() {
	local m=$1 f d
	[ -n "${done_mod[$m]:-}" ] && return 0
	done_mod[$m]=1
	f=$(find "$moddir" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] || return 0 # built in
	# busybox insmod may not read compressed modules: store them decompressed
	case $f in
	*.ko.xz) xz -dc "$f" >"$R/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$R/lib/modules/$m.ko" ;;
	*) cp "$f" "$R/lib/modules/$m.ko" ;;
	esac
	# its .modinfo "depends=" (what modinfo -F depends prints; kmod need not be installed)
	for d in $(tr '\0' '\n' <"$R/lib/modules/$m.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_mod "${d//-/_}"
	done
	order+=("$m")
}
for m in $MODS; do
	add_mod "$m"
done
printf '%s\n' "${order[@]}" >"$R/lib/modules/order"
[ -f "$R/lib/modules/virtio_net.ko" ] || die "virtio_net.ko not found in $KPKG"
install -m 0755 "$INIT" "$R/init"

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) >"$OUT/initramfs.gz.tmp"
cp "kernel/boot/vmlinuz-$uname_r" "$OUT/vmlinuz.tmp"
mv "$OUT/initramfs.gz.tmp" "$OUT/initramfs.gz"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
echo "$KEY" >"$OUT/stamp"
echo "build-image: $OUT: $KPKG $KVER, busybox-static $BVER, modules: ${order[*]}"
