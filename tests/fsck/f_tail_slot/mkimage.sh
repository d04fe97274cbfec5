#!/usr/bin/env bash
# the older of the two tail records is damaged: rewritten, no entry lost
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
# le64 OFFSET: a little-endian 64-bit field
le64() {
	local x
	x=$(od -An -tx1 -j $(($1)) -N8 "$img" | tr -d ' \n')
	echo $((0x$(echo "$x" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\8\7\6\5\4\3\2\1/')))
}
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
# tail slots at log + 0x200 (even generations) and log + 0x240 (odd);
# damage the next_off field of the one with the older generation
log_off=$(( $("$TESTGEN" "$img" tail | cut -d' ' -f3) ))
s0=$((log_off + 0x200)) s1=$((log_off + 0x240))
if [ "$(le64 $s0)" -lt "$(le64 $s1)" ]; then old=$s0; else old=$s1; fi
flip $((old + 8))
