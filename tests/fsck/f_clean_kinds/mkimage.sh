#!/usr/bin/env bash
# every root-tree kind (symlink, empty file, hard link, fifo, device node, xattr, attribute change): clean
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" symlink d/s a
"$TESTGEN" "$img" empty d/e
"$TESTGEN" "$img" link d/h d/a
"$TESTGEN" "$img" mknod d/p fifo
"$TESTGEN" "$img" mknod d/sock sock
"$TESTGEN" "$img" mknod d/null chr 1 3
"$TESTGEN" "$img" mknod d/blk blk 8 0
"$TESTGEN" "$img" xattr d/a user.x hello
"$TESTGEN" "$img" xattr d/h security.selinux system_u:object_r:etc_t:s0
"$TESTGEN" "$img" rmxattr d/a user.x
"$TESTGEN" "$img" attr d/e 600 1000 1000
"$TESTGEN" "$img" kinds k 2
