#!/usr/bin/env bash
# an extent runs past the end of its own (secondary) device
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
truncate -s 64M "$img.1"
"$FAMFS" mkfs "$img" "$img.1" >/dev/null
# inside device 0 (256 MiB), past the end of device 1 (64 MiB)
"$TESTGEN" "$img" rawfile x 4M 1 0x3e00000 4M
