#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# initramfs/qemu.sh   (make appliance-qemu)
#
# Boot the appliance (build/initramfs.cpio.gz, make initramfs) with the
# patched kernel (build/kernel/bzImage, make kernel) in QEMU on a memory
# region backed by an image file, so the filesystem outlives the VM:
# build/appliance-qemu/pmem.img (2 GiB, sparse, made on first use) is a NUMA
# node of the guest and its /dev/pmem0 (memmap= exactly over it, the
# shared-memory layout of tests/vm).  The first boot formats it
# (famfs.init.format=blank only formats a blank device); famfs is served
# at /mnt/famfs; then a shell on the console (no payload configured);
# leaving it powers the VM off.  Ctrl-a x quits QEMU at any time.
#
# Environment: APPEND (more kernel arguments, e.g.
# "famfs.init.payload=/mnt/famfs/app" or "famfs.init.root=/rootfs"),
# KERNEL (default build/kernel/bzImage; "debian" is not supported here:
# use tests/appliance/run.sh), IMG (default build/appliance-qemu/pmem.img),
# ACCEL (default tcg, software emulation; kvm where KVM works), ROOT.
#
# ROOT=debian (make appliance-qemu ROOT=debian): the Debian root of make
# debian-root (build/debian/root) is copied into famfs on this host
# (tests/debian/image.sh: a fresh build/appliance-qemu/debian.img, or IMG),
# and the appliance boots it: famfs init serves famfs, switch_root into
# the overlay over /rootfs, systemd as PID 1 reaches multi-user.target,
# then a root shell on the console (famfs_debian.stay); leaving it powers
# the VM off.

set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/kernel/bzImage}
INITRD=$BUILD/initramfs.cpio.gz
ROOT=${ROOT:-}
case $ROOT in
"") IMG=${IMG:-$BUILD/appliance-qemu/pmem.img} ;;
debian)
	IMG=${IMG:-$BUILD/appliance-qemu/debian.img}
	mkdir -p "$(dirname "$IMG")"
	export BUILD
	tests/debian/image.sh "$IMG" "$BUILD/debian/root"
	APPEND="famfs.init.root=/rootfs famfs.init.root_init=/sbin/init famfs_debian.stay ${APPEND:-}"
	;;
*) echo "ROOT=$ROOT: only ROOT=debian is known" >&2; exit 1 ;;
esac

[ -f "$KERNEL" ] || { echo "no kernel $KERNEL: run make kernel" >&2; exit 1; }
[ -f "$INITRD" ] || { echo "no $INITRD: run make initramfs" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null ||
	FAMFS_DEPS_EXTRA=qemu-system-x86 mk/install-deps.sh
mkdir -p "$(dirname "$IMG")"
[ -f "$IMG" ] || truncate -s 2G "$IMG"
[ "$(stat -c %s "$IMG")" = 2147483648 ] || { echo "$IMG is not 2 GiB" >&2; exit 1; }
accel=${ACCEL:-tcg}
echo "appliance: $KERNEL + $INITRD on $IMG ($accel); Ctrl-a x quits QEMU"
exec qemu-system-x86_64 -machine q35 -accel "$accel" -cpu max -smp 1 -m 6G \
	-object memory-backend-ram,id=m0,size=4G \
	-object "memory-backend-file,id=m1,size=2G,mem-path=$IMG,share=on" \
	-numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1 \
	-kernel "$KERNEL" -initrd "$INITRD" -nographic -no-reboot -net none \
	-append "console=ttyS0 panic=-1 quiet memmap=2G!6G famfs.device.path=/dev/pmem0 famfs.init.format=blank ${APPEND:-}"
