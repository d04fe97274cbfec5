#!/usr/bin/env bash
# The quickstart main job on the embedded default device, a sparse memory
# image file: mkfs, fsck (human and JSON) and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
img=${FAMFS_DEMO_IMAGE:-build/famfs.img}
size=${FAMFS_DEMO_SIZE:-4G}

echo "== famfs demo: image $img ($size, sparse)"
rm -f "$img"
truncate -s "$size" "$img"
echo "== mkfs"
build/famfs mkfs "$img"
echo "== fsck"
build/famfs fsck "$img"
echo "== fsck --json"
build/famfs fsck --json "$img"
echo
echo "== summary"
echo "image:        $img ($(du -h --apparent-size "$img" | cut -f1) apparent, $(du -h "$img" | cut -f1) allocated)"
echo "binary:       build/famfs ($(stat -c %s build/famfs) bytes, $(file -b build/famfs | grep -o 'statically linked'))"
echo "next:         build/famfs help"
