#!/usr/bin/env bash
# a committed entry (valid checksum) whose path climbs out with "..": reported, not repairable
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
# entries 0..2: mkdir d, file d/a, then a FILE entry named d/../../esc
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 1M
"$TESTGEN" "$img" badpath file d/../../esc
