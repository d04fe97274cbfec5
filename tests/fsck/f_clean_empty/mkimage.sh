#!/usr/bin/env bash
# a freshly made, empty filesystem: nothing to do
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
