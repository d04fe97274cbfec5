#!/usr/bin/env bash
# a LINK entry to a directory
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" mkdir d e
"$TESTGEN" "$img" file e/a 1M
"$TESTGEN" "$img" rawlink e/d d
