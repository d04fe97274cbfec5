#!/usr/bin/env bash
# both tail records are damaged: rebuilt from a scan of the entries
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
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
log_off=$(( $("$TESTGEN" "$img" tail | cut -d' ' -f3) ))
flip $((log_off + 0x200 + 8))
flip $((log_off + 0x240 + 8))
