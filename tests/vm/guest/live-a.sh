# SPDX-License-Identifier: Apache-2.0
# live-a: guest A (master) of the concurrent two-host test; guest B
# (live-b.sh) runs at the same time on the same shared region.  The guests
# talk through two mailbox slots at the end of the device (O_DIRECT, see
# lib.sh): A1 = filesystem and first file ready, B1 = B mounted and
# verified it, A2 = second file created while B is mounted, B2 = B found
# and verified the second file without remounting; AX / BX = A / B failed.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
DIE_HOOK="mbox_put A AX"
wait_pmem
# shellcheck disable=SC2086 # -M from devdax-live-a.sh
run famfs mkfs ${LIVE_MKFS_FLAGS:-} "$PMEM"
run famfs mount "$PMEM" /mnt
s=$(status /mnt) || exit 1
expect_eq data_path "$(json_get data_path "$s")" "$FAMFS_VM_EXPECT"
run famfs creat -r -S 9 -s 64M /mnt/first
sync
mbox_put A A1
say "filesystem and first (seed 9) ready: A1"
w=$(mbox_wait B 150 B1 BX) || exit 1
[ "$w" = B1 ] || die "guest B failed before it verified first"
say "B mounted and verified first"
run famfs creat -r -S 10 -s 8M /mnt/second
sync
mbox_put A A2
say "second (seed 10) created while B is mounted: A2"
w=$(mbox_wait B 90 B2 BX) || exit 1
[ "$w" = B2 ] || die "guest B did not see the second file (see its log)"
say "B found and verified second"
unmount /mnt
