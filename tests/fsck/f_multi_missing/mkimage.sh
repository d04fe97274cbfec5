#!/usr/bin/env bash
# a secondary device is gone: fsck names its UUID and exits 64
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 128M "$img" "$img.1" "$img.2"
"$FAMFS" mkfs "$img" "$img.1" "$img.2" >/dev/null
"$TESTGEN" "$img" ifile i3 12M 3 2M
rm "$img.2"
