#!/usr/bin/env bash
# a superblock with an incompat feature bit this famfs does not know: operational error, named
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" file a 1M
"$TESTGEN" "$img" features set 0x300
