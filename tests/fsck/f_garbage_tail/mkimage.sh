#!/usr/bin/env bash
# nonzero bytes after the log tail (torn append): repaired
# Usage: mkimage.sh IMG   (FAMFS, TESTGEN from tests/fsck/run.sh)
set -eu
img=$1
[ -x "${TESTGEN:-}" ] || { echo "famfs-testgen is not built"; exit 1; }
truncate -s 256M "$img"
"$FAMFS" mkfs "$img" >/dev/null
# entries 0..5: mkdir d, file d/a (3M: two 2M units), mkdir e, e/f0..e/f2
"$TESTGEN" "$img" mkdir d
"$TESTGEN" "$img" file d/a 3M
"$TESTGEN" "$img" files 3 e 1M
# four garbage bytes 100 bytes after the tail
read -r next_off _ log_off < <("$TESTGEN" "$img" tail)
printf '\xde\xad\xbe\xef' |
	dd of="$img" bs=1 seek=$((log_off + next_off + 100)) conv=notrunc status=none
