#!/usr/bin/env bash
# a LINK entry whose existing name is not in the namespace
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 1M
"$TESTGEN" "$img" link d/h2 d/a
"$TESTGEN" "$img" rawlink d/h d/nosuch
