#!/usr/bin/env bash
# an extent not aligned to the extent granule (4 KiB: packed files): reported, not repairable
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
"$TESTGEN" "$img" rawfile d/x 2M 0 0x8000200 2M
