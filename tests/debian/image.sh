#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/debian/image.sh IMG ROOTDIR   (tests/debian/run.sh, bench/debian.sh,
#                                     make appliance-qemu ROOT=debian)
#
# A 2 GiB memory file IMG holding famfs with ROOTDIR copied to /rootfs, made
# on this host, where filling it is much faster than in a TCG guest: famfs
# mkfs, famfs mount (the fallback data path: a host FUSE mount of the
# file), famfs cp -a ROOTDIR MNT/rootfs, umount, famfs fsck.  This host is
# the master (its system UUID in IMG.uuid, not the machine's); guests that
# boot IMG are clients.  4 KiB allocation units: the tree is some 7000
# mostly small files (2 MiB each would need 13 GiB); a 32 MiB log has room
# for them many times over.  Prints one line with the copy's time.

set -u
IMG=${1:?usage: tests/debian/image.sh IMG ROOTDIR}
ROOTDIR=${2:?usage: tests/debian/image.sh IMG ROOTDIR}
FAMFS=${FAMFS:-${BUILD:-build}/famfs}
MNT=$IMG.mnt
OUT=$IMG.log

die() { echo "tests/debian/image.sh: error: $*" >&2; exit 1; }

[ -x "$FAMFS" ] || die "$FAMFS is missing: run make"
[ -x "$ROOTDIR/sbin/init" ] || [ -L "$ROOTDIR/sbin/init" ] || die "$ROOTDIR has no /sbin/init"
export FAMFS_SYSTEM_UUID_FILE=$IMG.uuid
mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
rm -f "$IMG" "$IMG.uuid"
mkdir -p "$MNT" || die "cannot make $MNT"
truncate -s 2G "$IMG" || die "cannot make $IMG"
"$FAMFS" mkfs --loglen 32M --alloc-unit 4K "$IMG" >"$OUT" 2>&1 ||
	die "famfs mkfs $IMG: $(tail -n 1 "$OUT")"
"$FAMFS" mount "$IMG" "$MNT" >>"$OUT" 2>&1 ||
	die "famfs mount $IMG $MNT: $(tail -n 1 "$OUT")"
t0=$(date +%s.%N)
if ! "$FAMFS" cp -a "$ROOTDIR" "$MNT/rootfs" >>"$OUT" 2>&1; then
	umount "$MNT"
	die "famfs cp -a $ROOTDIR $MNT/rootfs: $(tail -n 3 "$OUT" | tr '\n' ' ')"
fi
t1=$(date +%s.%N)
used=$("$FAMFS" status "$MNT" 2>/dev/null | sed -n 's/^ *used *//p')
umount "$MNT" || die "umount $MNT"
# the server exits once unmounted; fsck wants the file to itself (no
# process has it open: /proc, as fuser(1) may be missing)
abs=$(realpath "$IMG")
for _ in $(seq 40); do
	find /proc/[0-9]*/fd -lname "$abs" 2>/dev/null | grep -q . || break
	sleep 0.25
done
"$FAMFS" fsck "$IMG" >>"$OUT" 2>&1 || die "famfs fsck $IMG: $(tail -n 1 "$OUT")"
rmdir "$MNT" 2>/dev/null
echo "  debian image: $IMG, famfs cp -a of $ROOTDIR in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, used ${used:-?}; fsck clean"
