#!/usr/bin/env bash
# the superblock write of a first-release filesystem's master turning on inode and symlink, cut after 256 bytes (new mask, old checksum): accepted, repaired
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" features clear 0xff
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 1M
"$TESTGEN" "$img" tornsb 0x05 256
