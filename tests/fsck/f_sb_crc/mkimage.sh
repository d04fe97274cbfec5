#!/usr/bin/env bash
# the superblock fails its checksum: fatal, not repairable
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
# poke OFFSET HEXBYTE: write one byte
poke() {
	printf "\\x$2" | dd of="$img" bs=1 seek=$(($1)) conv=notrunc status=none
}
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
# a reserved byte of the superblock (only the CRC covers it)
poke 0x100 5a
