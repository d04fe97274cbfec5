#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# initramfs/mkinitramfs.sh OUT.cpio.gz [MODULE_DIR [CONFIG]]   (make initramfs)
#
# The appliance image: famfs as PID 1 and nothing of the test harness.
#   /init -> /bin/famfs            the kernel runs it: famfs init
#   /bin/famfs (build/famfs) and /sbin/{mkfs,fsck,mount,mount.fuse}.famfs
#   /bin/busybox (Debian's busybox-static) and links for its applets
#     (sh, ls, mount, ...) but init: the recovery shell and payload scripts
#   /etc/famfs.ini                 CONFIG (default conf/famfs.ini)
#   /lib/modules/NAME.ko and load  only with MODULE_DIR (a distribution
#     kernel's nd_pmem, overlay...); famfs init loads them in the order of
#     MODULE_DIR/load ([init] modules)
#   /dev/console, /proc, /sys, /dev, /run, /tmp, /mnt, /opt/famfs
# Packed with "cpio -o -H newc -R +0:+0 | gzip -9"; prints its size.
# Staging in $BUILD/initramfs-stage.  Installs busybox-static and cpio
# (mk/install-deps.sh, FAMFS_DEPS_EXTRA) when they are missing.

set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${1:?usage: initramfs/mkinitramfs.sh OUT.cpio.gz [MODULE_DIR [CONFIG]]}
MODDIR=${2:-}
CONFIG=${3:-conf/famfs.ini}
BUILD=${BUILD:-build}
FAMFS=$BUILD/famfs
BUSYBOX=/bin/busybox
STAGE=$BUILD/initramfs-stage/$(basename "$OUT" .cpio.gz)

die() { echo "mkinitramfs: $*" >&2; exit 1; }
# is_static, stage_busybox, stage_modules, pack
# shellcheck source=initramfs/lib.sh
. initramfs/lib.sh

[ -x "$FAMFS" ] || die "$FAMFS is missing: run make first"
is_static "$FAMFS" || die "$FAMFS is not statically linked"
[ -f "$CONFIG" ] || die "no configuration $CONFIG"
# the configuration must parse: a bad file would stop every boot
"$FAMFS" -c "$CONFIG" init --print-config --cmdline /dev/null >/dev/null ||
	die "$CONFIG does not parse (famfs init --print-config)"
if ! is_static "$BUSYBOX" || ! command -v cpio >/dev/null; then
	echo "  initramfs: installing busybox-static and cpio (mk/install-deps.sh)"
	FAMFS_DEPS_EXTRA="busybox-static cpio" mk/install-deps.sh ||
		die "cannot install busybox-static and cpio"
	is_static "$BUSYBOX" || die "$BUSYBOX is not a static busybox"
fi

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,mnt,root,etc,lib/modules,opt/famfs}
chmod 1777 "$STAGE/tmp"

stage_busybox "$STAGE" sbin/init

cp "$FAMFS" "$STAGE/bin/famfs"
ln -s /bin/famfs "$STAGE/init"
for l in mkfs.famfs fsck.famfs mount.famfs mount.fuse.famfs; do
	ln -s /bin/famfs "$STAGE/sbin/$l"
done
install -m 0644 "$CONFIG" "$STAGE/etc/famfs.ini"
echo "root:x:0:0:root:/root:/bin/sh" >"$STAGE/etc/passwd"
echo "root:x:0:" >"$STAGE/etc/group"

[ -z "$MODDIR" ] || stage_modules "$STAGE" "$MODDIR"

# /dev/console before devtmpfs: the kernel opens it for PID 1's stdio.
mknod -m 600 "$STAGE/dev/console" c 5 1

pack "$STAGE" "$OUT" 9
echo "  initramfs: built $OUT ($(stat -c %s "$OUT") bytes: famfs $(stat -c %s "$FAMFS")," \
	"busybox $(stat -c %s "$BUSYBOX")${MODDIR:+, modules from $MODDIR})"
