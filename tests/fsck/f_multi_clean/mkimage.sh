#!/usr/bin/env bash
# three devices: contiguous and interleaved files on all of them; clean
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 128M "$img" "$img.1"
truncate -s 64M "$img.2"
"$FAMFS" mkfs "$img" "$img.1" "$img.2" >/dev/null
"$TESTGEN" "$img" mkdir d
# 3 strips of 2 MiB chunks: one on each device
"$TESTGEN" "$img" ifile d/i3 12M 3 2M
# 6 strips over 3 devices: two on each
"$TESTGEN" "$img" ifile d/i6 24M 6 2M
# contiguous: the primary while it has room, then the most free device
"$TESTGEN" "$img" file d/c1 80M
"$TESTGEN" "$img" file d/c2 40M
