# SPDX-License-Identifier: Apache-2.0
# multihost-a: guest A of the multi-device two-host test (tests/vm/run.sh
# multihost).  Its /dev/pmem0 (6 GiB) is the shared file shared0.img and
# /dev/pmem1 (7 GiB) is shared1.img; guest B gets them in the opposite
# order.  A makes one famfs over both (pmem0 primary = index 0, pmem1 =
# index 1), an interleaved file (-N 2 -C 2M, 64 MiB, seed 41) and a
# contiguous one (16 MiB, seed 42), checks them against the raw devices,
# tags the last 4 KiB of each device with its own name for it, unmounts
# and syncs so B sees everything.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
DEVS="$PMEM $PMEM1"
GiB=1073741824
two_regions $((6 * GiB))

mkfs_mount $DEVS
run famfs creat -r -S 41 -N 2 -C 2M -s 64M /mnt/inter
run famfs creat -r -S 42 -s 16M /mnt/contig
run famfs verify -S 41 -f /mnt/inter
run famfs verify -S 42 -f /mnt/contig
expect_eq "devices of /mnt/inter's strips" "$(devs_of /mnt/inter)" "0 1"
file_matches_devices /mnt/inter "$DEVS"
file_matches_devices /mnt/contig "$DEVS"
run famfs getmap /mnt/inter /mnt/contig
unmount /mnt

for d in $DEVS; do
	printf 'famfs-vm: guest A %s\n' "$d" |
		dev_write "$d" $((GiB - 4096)) || die "cannot tag $d"
done
sync
run famfs fsck "$PMEM"
say "famfs over $DEVS written, both devices tagged with A's names for them"
