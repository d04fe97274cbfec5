#!/usr/bin/env bash
# The quickstart main job on the embedded default device, a sparse memory
# image file: mkfs, fsck, mount, create a file filled with test data,
# verify it through the mount, show the server's status.  The filesystem
# stays mounted; the last lines say how to unmount it.
set -euo pipefail
cd "$(dirname "$0")/.."
img=${FAMFS_DEMO_IMAGE:-build/famfs.img}
mnt=${FAMFS_DEMO_MNT:-build/mnt}
size=${FAMFS_DEMO_SIZE:-4G}

if grep -qs " $(realpath -m "$mnt") fuse.famfs " /proc/mounts; then
	echo "== unmounting the previous demo at $mnt"
	umount "$mnt"
fi
echo "== famfs demo: image $img ($size, sparse)"
rm -f "$img"
truncate -s "$size" "$img"
echo "== mkfs"
build/famfs mkfs "$img"
echo "== fsck"
build/famfs fsck "$img"
echo "== mount $img on $mnt"
mkdir -p "$mnt"
build/famfs mount "$img" "$mnt"
echo "== creat a 64 MiB file of test data (seed 42), then verify it"
build/famfs mkdir -p "$mnt/demo"
build/famfs creat -s 64M -r -S 42 "$mnt/demo/data"
build/famfs verify -f "$mnt/demo/data" -S 42
ls -l "$mnt/demo"
echo "== status"
build/famfs status "$mnt"
echo
echo "== summary"
echo "image:    $img ($(du -h --apparent-size "$img" | cut -f1) apparent, $(du -h "$img" | cut -f1) allocated)"
echo "binary:   build/famfs ($(stat -c %s build/famfs) bytes, $(file -b build/famfs | grep -o 'statically linked'))"
echo "mounted:  $mnt (famfs stays mounted)"
echo "unmount:  umount $mnt"
