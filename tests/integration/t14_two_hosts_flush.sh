#!/usr/bin/env bash
# Two hosts and famfs flush / verify as upstream documents them: the master
# (mount A) makes a directory, creates files with random contents and
# copies one in; the client host (mount B) lists them and, once each
# command has returned, verifies every one with its seed and reads the
# copied bytes.  A write through A followed by famfs flush reaches B;
# verify on B then finds the changed byte.  fsck through either mount is
# clean.  tests/incoherent/run.sh runs this under the cache-incoherent
# model, where nothing but the flushes and invalidates moves the bytes.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
newmnt A B
expect_exit 0 "$FAMFS" mount img A
onB expect_exit 0 "$FAMFS" mount img B
check_eq client "$(ctl -k role B status)" "role of B"

# ---- the master creates; after each command the client sees it all -------
expect_exit 0 "$FAMFS" mkdir A/d
check_eq "d" "$(words B | sed 's/\.meta //')" "B lists the new directory"
for i in 1 2 3; do
	expect_exit 0 "$FAMFS" creat -r -S $((40 + i)) -s $((i * 300000)) "A/d/r$i"
	onB expect_exit 0 "$FAMFS" verify -f "B/d/r$i" -S $((40 + i))
done
head -c 700000 /dev/urandom >src
expect_exit 0 "$FAMFS" cp src A/d/c
check_eq "c r1 r2 r3" "$(words B/d)" "listing of B/d"
if cmp -s src B/d/c; then ok "B reads the bytes copied on A"; else fail "B/d/c differs from the source"; fi

# ---- a write through A, then famfs flush: B sees it ------------------------
printf 'Z' >z
expect_exit 0 dd if=z of=A/d/r2 bs=1 seek=123457 conv=notrunc status=none
expect_exit 0 "$FAMFS" flush A/d/r2
onB expect_exit 1 "$FAMFS" verify -f B/d/r2 -S 42
out_has "mismatch at offset 123457"
check_eq Z "$(dd if=B/d/r2 bs=1 skip=123457 count=1 status=none)" "the byte B reads"

# ---- fsck on either host ---------------------------------------------------
expect_exit 0 "$FAMFS" fsck A
onB expect_exit 0 "$FAMFS" fsck B
expect_exit 0 umount B
expect_exit 0 umount A
expect_exit 0 "$FAMFS" fsck img
finish
