#!/usr/bin/env bash
# a crafted XATTR entry whose value is 8193 bytes (the limit is 8192)
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" file a 1M
"$TESTGEN" "$img" bigxattr a user.big 8193
