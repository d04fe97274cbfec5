#!/usr/bin/env bash
# a committed log entry fails its checksum: reported with the entries lost, not repairable
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
# flip OFFSET: invert the byte at OFFSET (never a no-op)
flip() {
	local b
	b=$(od -An -tx1 -j $(($1)) -N1 "$img" | tr -d ' \n')
	printf "\\x$(printf %02x $((0x$b ^ 0xff)))" |
		dd of="$img" bs=1 seek=$(($1)) conv=notrunc status=none
}
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2;
# entry 1 starts where the tail was after entry 0
"$TESTGEN" "$img" mkdir d
read -r e1_off _ log_off < <("$TESTGEN" "$img" tail)
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
# a byte of entry 1's extent (header 24 + file body 40: the extent at +0x40)
flip $((log_off + e1_off + 0x40 + 8))
