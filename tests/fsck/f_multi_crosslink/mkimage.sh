#!/usr/bin/env bash
# two files share space on secondary device 1: named per device
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 128M "$img" "$img.1"
"$FAMFS" mkfs "$img" "$img.1" >/dev/null
# strip 1 of i2 is on device 1 at 0x200000 (its data offset)
"$TESTGEN" "$img" ifile i2 8M 2 2M
# the same offset on device 0 is not a cross-link; on device 1 it is
"$TESTGEN" "$img" rawfile ok0 2M 0 0x1400000 2M
"$TESTGEN" "$img" rawfile bad1 2M 1 0x200000 2M
