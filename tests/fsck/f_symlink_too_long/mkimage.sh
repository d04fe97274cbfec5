#!/usr/bin/env bash
# a crafted INODE entry of a symbolic link whose target is 4096 bytes (the limit is 4095)
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
"$TESTGEN" "$img" file a 1M
"$TESTGEN" "$img" file b 1M
"$TESTGEN" "$img" longsymlink s 4096
