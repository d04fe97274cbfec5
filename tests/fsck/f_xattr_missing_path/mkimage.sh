#!/usr/bin/env bash
# an ATTR entry and an XATTR entry on paths that do not exist
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 1M
"$TESTGEN" "$img" xattr d/a user.y w
"$TESTGEN" "$img" rawattr d/gone 600
"$TESTGEN" "$img" rawxattr d/nosuch user.x v
