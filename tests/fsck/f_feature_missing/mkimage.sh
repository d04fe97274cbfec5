#!/usr/bin/env bash
# INODE entries in a log whose superblock lacks the inode feature (bit cleared, sb CRC fixed)
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" file a 1M
"$TESTGEN" "$img" symlink s a
"$TESTGEN" "$img" features clear 0x01
