#!/usr/bin/env bash
# The installed famfs through util-linux: `make install DESTDIR` puts
# famfs and its links in DESTDIR/usr/sbin; in a private mount namespace
# that directory is overlaid on /usr/sbin (= /sbin), where mount(8), fsck(8)
# and mkfs(8) look for helpers.  Then: mkfs -t famfs, fsck -t famfs,
# mount -t fuse.famfs (master, -o ro: client, -f: fake), and fstab lines through
# `mount -T FSTAB MOUNTPOINT` (options timeout=, ro, nofail, x-*, and a bad
# option that is refused with nothing mounted); each mount serves files
# made with the installed famfs, and umount stops its server.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/lib_install.sh
. "$(dirname "$0")/lib_install.sh"
for t in mount umount mkfs fsck; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t(8) is missing"; exit 77; }
done
in_private_ns "$0"

install_dest "$PWD/dest"
overlay_dir /usr/sbin "$PWD/dest/usr/sbin"
check_eq famfs "$(readlink /sbin/mount.fuse.famfs)" "/sbin/mount.fuse.famfs in this namespace"

MNT=$PWD/mnt
mkdir -p "$MNT"
track_mount "$MNT"

# ---- mkfs(8) and fsck(8) run mkfs.famfs and fsck.famfs ----------------------
mkimg img 256M
expect_exit 0 mkfs -t famfs "$PWD/img"
out_has "img"
expect_exit 0 fsck -t famfs "$PWD/img"
out_has "clean"

# serves MNT WHAT: the mount answers as famfs on img
serves() {
	check_eq "1 fuse.famfs $PWD/img" \
		"$(mnt_count "$MNT") $(awk -v m="$MNT" '$5 == m { for (i = 7; $i != "-"; i++); print $(i + 1), $(i + 2) }' /proc/self/mountinfo)" \
		"$1: mounts, type and source on $MNT"
	check_eq 1 "$(stat -c %i "$MNT" 2>&1)" "$1: root inode of the mount"
}

# unmounts WHAT: umount stops the server
unmounts() {
	local pid
	pid=$(status_key "$MNT" pid)
	expect_exit 0 umount "$MNT"
	check_eq 0 "$(mnt_count "$MNT")" "$1: mounts after umount"
	if [ -n "$pid" ] && wait_gone "$pid" 2; then
		ok "$1: server $pid gone after umount"
	else
		fail "$1: server '$pid' still running 2 s after umount"
	fi
}

# ---- mount -t fuse.famfs ----------------------------------------------------
expect_exit 0 mount -t fuse.famfs img "$MNT"
serves "mount -t fuse.famfs"
check_eq master "$(status_key "$MNT" role)" "role via mount -t fuse.famfs"
head -c 300000 /dev/urandom >data
expect_exit 0 /usr/sbin/famfs mkdir "$MNT/d"
expect_exit 0 /usr/sbin/famfs cp data "$MNT/d/data"
if cmp -s data "$MNT/d/data"; then ok "a file copied in reads back"; else fail "d/data reads other bytes"; fi
unmounts "mount -t fuse.famfs"

expect_exit 0 mount -t fuse.famfs -o ro img "$MNT"
serves "mount -t fuse.famfs -o ro"
check_eq client "$(status_key "$MNT" role)" "role via mount -t fuse.famfs -o ro"
if cmp -s data "$MNT/d/data"; then ok "the ro mount reads d/data"; else fail "the ro mount reads other bytes"; fi
expect_exit 1 /usr/sbin/famfs mkdir "$MNT/nope"
unmounts "mount -t fuse.famfs -o ro"

# mount -f (fake): the helper gets -f, checks and mounts nothing
expect_exit 0 timeout 10 mount -f -t fuse.famfs img "$MNT"
check_eq 0 "$(mnt_count "$MNT")" "mounts after mount -f (fake)"

# ---- fstab lines: mount -T FSTAB MOUNTPOINT ----------------------------------
cat >fstab <<EOF
# an alternative fstab for this test
$PWD/img  $MNT  fuse.famfs  defaults,timeout=5,nofail,x-famfs-test  0 0
EOF
expect_exit 0 mount -T fstab "$MNT"
serves "fstab defaults,timeout=5,nofail,x-famfs-test"
check_eq master "$(status_key "$MNT" role)" "role from the fstab line"
if cmp -s data "$MNT/d/data"; then ok "the fstab mount reads d/data"; else fail "the fstab mount reads other bytes"; fi
unmounts "fstab mount"

sed -i 's/defaults,/ro,/' fstab
expect_exit 0 mount -T fstab "$MNT"
serves "fstab ro"
check_eq client "$(status_key "$MNT" role)" "role from an fstab line with ro"
unmounts "fstab ro mount"

# by the device, too: mount -T FSTAB DEVICE
expect_exit 0 mount -T fstab "$PWD/img"
serves "mount -T fstab DEVICE"
unmounts "mount -T fstab DEVICE"

sed -i 's/ro,/bogus,/' fstab
expect_exit 2 mount -T fstab "$MNT"	# the helper's usage exit, passed on
out_has "unknown mount option 'bogus'"
check_eq 0 "$(mnt_count "$MNT")" "mounts after a refused fstab option"

expect_exit 0 fsck -t famfs "$PWD/img"
out_has "clean"
finish
